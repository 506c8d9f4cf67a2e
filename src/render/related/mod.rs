//! A brief's neighbours: the briefs just before and after it by date, and the briefs that share
//! the most regions and tags with it.
//!
//! A reader who lands on one brief wants the next one about the same region. Each brief's
//! neighbours are found as its page renders (a [`NeighbourFinder`] per rendering thread) and
//! dropped with the page, so a build holds no per-site vector of them (serve keeps one, with
//! what they are found from: [`KeptNeighbours`]); they are brief indices only (site
//! order: newest first), so templates get summaries, never bodies.

mod kept;

pub(crate) use kept::{KeptNeighbours, kept_or_found};

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
    /// Each brief's date as seconds, by brief index: closeness in date breaks ties.
    when: Vec<i64>,
    /// Shared-term counts by brief index, all zero between briefs.
    counts: Vec<u32>,
    /// Which entries of `counts` the current brief touched, to reset afterwards.
    touched: Vec<usize>,
    /// By term (tags, then regions): where the last brief looked up stood in the term's list.
    /// A thread takes briefs in site order, so the next brief of a term is found a few steps
    /// on from there; a binary search of the whole list, every brief, was a third of this.
    cursors: Vec<usize>,
}

impl NeighbourFinder {
    pub(crate) fn new(site: &Site) -> Self {
        NeighbourFinder {
            when: site
                .briefs
                .iter()
                .map(|b| b.front.date.timestamp())
                .collect(),
            counts: vec![0; site.briefs.len()],
            touched: Vec::new(),
            cursors: vec![
                0;
                TaxonomyKind::ALL
                    .iter()
                    .map(|&k| site.taxonomy(k).terms.len())
                    .sum()
            ],
        }
    }

    /// The neighbours of brief `index` (its place in site order).
    pub(crate) fn of(&mut self, site: &Site, index: usize) -> Neighbours {
        let n = site.briefs.len();
        let windows: Vec<&[usize]> = term_lists(site, &site.briefs[index])
            .into_iter()
            .map(|(term, list)| {
                let cursor = &mut self.cursors[term];
                *cursor = place_from(list, index, *cursor);
                window_at(list, *cursor)
            })
            .collect();
        Neighbours {
            older: (index + 1 < n).then_some(index + 1),
            newer: index.checked_sub(1),
            related: related(
                index,
                &windows,
                &self.when,
                &mut self.counts,
                &mut self.touched,
            ),
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

/// The brief lists of every distinct term a brief names, tags and regions alike, each with
/// its term's number among them all (a tag's index, a region's after every tag).
fn term_lists<'a>(site: &'a Site, brief: &Brief) -> Vec<(usize, &'a [usize])> {
    let mut out = Vec::new();
    let mut first = 0;
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
                .map(|i| (first + i, taxonomy.terms[i].briefs.as_slice())),
        );
        first += taxonomy.terms.len();
    }
    out
}

/// How far along each term's list (in briefs, either side) related briefs are looked for.
/// Bounding the walk keeps the whole site's related lists linear in its size (walking every
/// brief that shares a term made them grow with the square of it), and a related brief close
/// in time is the one a reader wants next anyway.
const WINDOW: usize = 100;

/// The part of a term's list (brief indices, ascending) that brief `index` looks for related
/// briefs in: up to [`WINDOW`] briefs either side of its own place.
#[cfg(test)]
fn window(list: &[usize], index: usize) -> &[usize] {
    window_at(list, list.partition_point(|&b| b < index))
}

/// The window around place `at` of a list.
fn window_at(list: &[usize], at: usize) -> &[usize] {
    let from = at.saturating_sub(WINDOW);
    let to = (at + WINDOW + 1).min(list.len());
    &list[from..to]
}

/// Where `index` stands in `list` (ascending): the first place holding `index` or more, as
/// `list.partition_point(|&b| b < index)`, looked for onwards from `hint` when the list holds
/// less than `index` there, in steps that double; from the start otherwise.
fn place_from(list: &[usize], index: usize, hint: usize) -> usize {
    let below = |at: usize| list[at] < index;
    if hint > list.len() || (hint > 0 && !below(hint - 1)) {
        return list.partition_point(|&b| b < index);
    }
    // Every place before `from` holds less than `index`; find a step past which one does not.
    let (mut from, mut step) = (hint, 1);
    while from + step <= list.len() && below(from + step - 1) {
        from += step;
        step *= 2;
    }
    let to = (from + step).min(list.len());
    from + list[from..to].partition_point(|&b| b < index)
}

/// Brief `index`'s related briefs, from the windows of its terms' lists ([`window`]), with
/// `when` each brief's date.
/// What it finds depends on no brief outside those lists' windows: not even on their places,
/// only on their order (ties go by date, then to the newer), so a brief added elsewhere leaves
/// it as it was (serve relies on this, see [`kept`]).
fn related(
    index: usize,
    windows: &[&[usize]],
    when: &[i64],
    counts: &mut [u32],
    touched: &mut Vec<usize>,
) -> Vec<usize> {
    for list in windows {
        for &other in *list {
            if other == index {
                continue;
            }
            if counts[other] == 0 {
                touched.push(other);
            }
            counts[other] += 1;
        }
    }
    // Keep the best few in one pass: more shared terms first, then the brief closest in date,
    // then the newer one (the first in site order).
    let rank = |b: usize| {
        (
            counts[b],
            std::cmp::Reverse(when[b].abs_diff(when[index])),
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
    fn a_place_found_from_any_hint_is_the_place_a_binary_search_finds() {
        let list: Vec<usize> = (0..300).map(|i| i * 3 + i % 2).collect();
        for index in [0, 1, 2, 3, 100, 450, 451, 897, 898, 899, 2_000] {
            let want = list.partition_point(|&b| b < index);
            for hint in [0, 1, 5, 149, 150, 151, 299, 300, 301, 10_000] {
                assert_eq!(place_from(&list, index, hint), want, "{index} from {hint}");
            }
        }
        assert_eq!(place_from(&[], 4, 0), 0);
    }

    #[test]
    fn most_shared_terms_first_then_newest() {
        // Brief 0 shares one term with 1, 2 and 3, and a second one with 3.
        let a: &[usize] = &[0, 1, 2, 3];
        let b: &[usize] = &[0, 3];
        let mut counts = vec![0; 4];
        let mut touched = Vec::new();
        let when = [40, 30, 20, 10];
        let got = related(0, &[a, b], &when, &mut counts, &mut touched);
        assert_eq!(got, [3, 1, 2]);
        assert!(counts.iter().all(|&c| c == 0) && touched.is_empty());
    }

    #[test]
    fn at_most_five_never_itself_and_closest_in_date_on_ties() {
        let all: Vec<usize> = (0..10).collect();
        // Newest first; brief 5 is a day from brief 4, brief 3 ten, as is brief 6 (the older).
        let when = [100, 90, 80, 70, 60, 59, 50, 40, 30, 20];
        let mut counts = vec![0; 10];
        let mut touched = Vec::new();
        let got = related(4, &[&all], &when, &mut counts, &mut touched);
        assert_eq!(got, [5, 3, 6, 2, 7]);
    }

    #[test]
    fn a_long_list_is_walked_only_near_the_brief() {
        let all: Vec<usize> = (0..10_000).collect();
        let when: Vec<i64> = (0..10_000).map(|i| -i).collect();
        let mut counts = vec![0; 10_000];
        let mut touched = Vec::new();
        let got = related(
            5_000,
            &[window(&all, 5_000)],
            &when,
            &mut counts,
            &mut touched,
        );
        assert_eq!(got, [4_999, 5_001, 4_998, 5_002, 4_997]);
        assert!(counts.iter().all(|&c| c == 0));
    }
}
