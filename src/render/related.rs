//! A brief's neighbours: the briefs just before and after it by date, and the briefs that share
//! the most regions and tags with it.
//!
//! A reader who lands on one brief wants the next one about the same region. Each brief's
//! neighbours are found as its page renders (a [`NeighbourFinder`] per rendering thread) and
//! dropped with the page, so a build holds no per-site vector of them (serve keeps one, with
//! what they are found from: [`KeptNeighbours`]); they are brief indices only (site
//! order: newest first), so templates get summaries, never bodies.

use std::sync::Arc;

use crate::model::{Brief, Site, TaxonomyKind};

/// How many related briefs a brief page lists at most.
pub(crate) const RELATED_BRIEFS: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Neighbours {
    /// The brief published just before this one, and just after (site order breaks date ties).
    pub older: Option<usize>,
    pub newer: Option<usize>,
    /// Up to [`RELATED_BRIEFS`], most shared regions and tags first, ties by closeness in date
    /// (then the newer).
    pub related: Vec<usize>,
}

/// Finds the neighbours of one brief at a time. Its shared-term counts (one per brief in the
/// site) are reused from brief to brief, since clearing only the entries touched is what keeps
/// a whole site's related lists linear in its size.
pub(crate) struct NeighbourFinder {
    /// Shared-term counts by brief index, all zero between briefs.
    counts: Vec<u32>,
    /// Which entries of `counts` the current brief touched, to reset afterwards.
    touched: Vec<usize>,
}

impl NeighbourFinder {
    pub(crate) fn new(site: &Site) -> Self {
        NeighbourFinder {
            counts: vec![0; site.briefs.len()],
            touched: Vec::new(),
        }
    }

    /// The neighbours of brief `index` (its place in site order).
    pub(crate) fn of(&mut self, site: &Site, index: usize) -> Neighbours {
        let n = site.briefs.len();
        let terms = term_lists(site, &site.briefs[index]);
        Neighbours {
            older: (index + 1 < n).then_some(index + 1),
            newer: index.checked_sub(1),
            related: related(index, &terms, &mut self.counts, &mut self.touched),
        }
    }
}

/// Every brief's neighbours, by brief index (serve keeps them for the next render).
pub(crate) fn all(site: &Site) -> Vec<Neighbours> {
    use rayon::prelude::*;
    (0..site.briefs.len())
        .into_par_iter()
        .map_init(|| NeighbourFinder::new(site), |f, index| f.of(site, index))
        .collect()
}

/// Every brief's neighbours (serve keeps them for the next render), with what they were found
/// from: which briefs the site lists in which order, each brief's file, and each term's list.
#[derive(Default)]
pub(crate) struct KeptNeighbours {
    order: u64,
    files: Vec<u64>,
    lists: foldhash::HashMap<(TaxonomyKind, String), u64>,
    pub(crate) all: Arc<Vec<Neighbours>>,
}

/// Every brief's neighbours, found again only where `last` may differ. A brief's neighbours
/// are made from its place and the lists of the terms it names, nothing else: while the site
/// lists the same briefs in the same order, those are found again whose file changed or who
/// are in a term list that changed (a tag added to one brief finds the neighbours of that
/// tag's briefs, not of all 10,000). Otherwise all are found again.
pub(crate) fn kept_or_found(site: &Site, last: Option<&KeptNeighbours>) -> KeptNeighbours {
    let order = crate::fingerprint::of(site.briefs.iter().map(|b| &b.path).collect::<Vec<_>>());
    let files: Vec<u64> = site.briefs.iter().map(|b| b.fingerprint).collect();
    let mut lists = foldhash::HashMap::default();
    for kind in TaxonomyKind::ALL {
        for term in &site.taxonomy(kind).terms {
            let print = crate::fingerprint::of(&term.briefs);
            lists.insert((kind, term.key.clone()), print);
        }
    }
    let all = match last {
        Some(last) if last.order == order && last.all.len() == site.briefs.len() => {
            let mut stale: Vec<bool> = files.iter().zip(&last.files).map(|(a, b)| a != b).collect();
            for kind in TaxonomyKind::ALL {
                for term in &site.taxonomy(kind).terms {
                    let key = (kind, term.key.clone());
                    if last.lists.get(&key) != lists.get(&key) {
                        term.briefs.iter().for_each(|&b| stale[b] = true);
                    }
                }
            }
            refreshed(site, &last.all, &stale)
        }
        _ => Arc::new(all(site)),
    };
    KeptNeighbours {
        order,
        files,
        lists,
        all,
    }
}

/// `last` with the neighbours of the `stale` briefs found again.
fn refreshed(site: &Site, last: &Arc<Vec<Neighbours>>, stale: &[bool]) -> Arc<Vec<Neighbours>> {
    use rayon::prelude::*;
    if !stale.contains(&true) {
        return last.clone();
    }
    let all = (0..site.briefs.len())
        .into_par_iter()
        .map_init(
            || None::<NeighbourFinder>,
            |finder, index| match stale[index] {
                true => finder
                    .get_or_insert_with(|| NeighbourFinder::new(site))
                    .of(site, index),
                false => last[index].clone(),
            },
        )
        .collect();
    Arc::new(all)
}

/// The brief lists of every distinct term a brief names, regions and tags alike.
fn term_lists<'a>(site: &'a Site, brief: &Brief) -> Vec<&'a [usize]> {
    let mut out: Vec<&[usize]> = Vec::new();
    for kind in TaxonomyKind::ALL {
        let taxonomy = site.taxonomy(kind);
        let names = match kind {
            TaxonomyKind::Tags => &brief.front.tags,
            TaxonomyKind::Regions => &brief.front.regions,
        };
        out.extend(
            taxonomy
                .terms_of(names)
                .into_iter()
                .map(|i| taxonomy.terms[i].briefs.as_slice()),
        );
    }
    out
}

/// How far along each term's list (in briefs, either side) related briefs are looked for.
/// Bounding the walk keeps the whole site's related lists linear in its size (walking every
/// brief that shares a term made them grow with the square of it), and a related brief close
/// in time is the one a reader wants next anyway.
const WINDOW: usize = 100;

fn related(
    index: usize,
    lists: &[&[usize]],
    counts: &mut [u32],
    touched: &mut Vec<usize>,
) -> Vec<usize> {
    for list in lists {
        // Lists hold brief indices in site order (ascending), so the brief's own place is found
        // by binary search and only its neighbourhood is walked.
        let at = list.partition_point(|&b| b < index);
        let from = at.saturating_sub(WINDOW);
        let to = (at + WINDOW + 1).min(list.len());
        for &other in &list[from..to] {
            if other == index {
                continue;
            }
            if counts[other] == 0 {
                touched.push(other);
            }
            counts[other] += 1;
        }
    }
    // Keep the best few in one pass: more shared terms first, then the brief closest in date
    // (site order), then the newer one.
    let rank = |b: usize| {
        (
            counts[b],
            std::cmp::Reverse(b.abs_diff(index)),
            std::cmp::Reverse(b),
        )
    };
    let better = |a: usize, b: usize| rank(a) > rank(b);
    let mut best: Vec<usize> = Vec::with_capacity(RELATED_BRIEFS + 1);
    for &candidate in touched.iter() {
        // Most candidates lose to the last of a full list: one comparison, not five.
        if best.len() == RELATED_BRIEFS && !better(candidate, best[RELATED_BRIEFS - 1]) {
            continue;
        }
        let place = best.iter().position(|&b| better(candidate, b));
        match place {
            Some(at) => {
                best.insert(at, candidate);
                best.truncate(RELATED_BRIEFS);
            }
            None if best.len() < RELATED_BRIEFS => best.push(candidate),
            None => {}
        }
    }
    for &other in touched.iter() {
        counts[other] = 0;
    }
    touched.clear();
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_found_again_where_they_may_differ_are_those_found_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nbase_url: \"https://x.example\"\n",
        )
        .unwrap();
        let briefs = root.join("content/briefs");
        std::fs::create_dir_all(&briefs).unwrap();
        let write = |i: usize, more: &str| {
            let (day, tag, other, region) = (1 + i % 28, i % 7, i % 11, i % 5);
            let front = format!(
                "title: B{i}\ndate: 2025-01-{day:02}\ntags: [t{tag}, u{other}{more}]\nregions: [r{region}]"
            );
            std::fs::write(
                briefs.join(format!("b{i:03}.md")),
                format!("---\n{front}\n---\nText.\n"),
            )
            .unwrap();
        };
        for i in 0..400 {
            write(i, "");
        }
        let load = || {
            let options = crate::load::LoadOptions {
                root: root.to_path_buf(),
                ..Default::default()
            };
            crate::load::load_site(&options).site.unwrap()
        };
        let first = kept_or_found(&load(), None);
        // Brief 17 (tags t3 and u6) gains t5: its related briefs change, and those of t5's.
        write(17, ", t5");
        let site = load();
        let added = kept_or_found(&site, Some(&first));
        assert_eq!(*added.all, all(&site));
        assert_ne!(*added.all, *first.all, "the tag changes some neighbours");
        write(17, "");
        let site = load();
        let removed = kept_or_found(&site, Some(&added));
        assert_eq!(*removed.all, all(&site));
        assert_eq!(*removed.all, *first.all);
    }

    #[test]
    fn most_shared_terms_first_then_newest() {
        // Brief 0 shares one term with 1, 2 and 3, and a second one with 3.
        let a: &[usize] = &[0, 1, 2, 3];
        let b: &[usize] = &[0, 3];
        let mut counts = vec![0; 4];
        let mut touched = Vec::new();
        assert_eq!(related(0, &[a, b], &mut counts, &mut touched), [3, 1, 2]);
        assert!(counts.iter().all(|&c| c == 0) && touched.is_empty());
    }

    #[test]
    fn at_most_five_never_itself_and_closest_in_date_on_ties() {
        let all: Vec<usize> = (0..10).collect();
        let mut counts = vec![0; 10];
        let mut touched = Vec::new();
        let got = related(4, &[&all], &mut counts, &mut touched);
        assert_eq!(got, [3, 5, 2, 6, 1]);
    }

    #[test]
    fn a_long_list_is_walked_only_near_the_brief() {
        let all: Vec<usize> = (0..10_000).collect();
        let mut counts = vec![0; 10_000];
        let mut touched = Vec::new();
        let got = related(5_000, &[&all], &mut counts, &mut touched);
        assert_eq!(got, [4_999, 5_001, 4_998, 5_002, 4_997]);
        assert!(counts.iter().all(|&c| c == 0));
    }
}
