//! Every brief's neighbours as `briefing serve` keeps them between rebuilds, with what they
//! were found from, so a save finds again only the neighbours it can change.
//!
//! A brief's related briefs are made from the lists of the terms it names, and from the
//! dates and order of the briefs in them, nothing else ([`super::related`]). So after a save
//! they are found again for the briefs whose file changed and for the briefs of every term
//! list that changed (and of every list of a brief whose date changed); the others keep
//! theirs, renumbered when briefs came, went or moved elsewhere.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use super::{NeighbourFinder, Neighbours, all};
use crate::model::{Site, TaxonomyKind};

/// Every brief's neighbours, with what they were found from: each brief's file and date by its
/// place in site order, and each term's list.
#[derive(Default)]
pub(crate) struct KeptNeighbours {
    paths: Vec<String>,
    files: Vec<u64>,
    when: Vec<i64>,
    lists: HashMap<(TaxonomyKind, String), Vec<usize>>,
    pub(crate) all: Arc<Vec<Neighbours>>,
}

/// Every brief's neighbours, found again only where `last` may differ.
pub(crate) fn kept_or_found(site: &Site, last: Option<&KeptNeighbours>) -> KeptNeighbours {
    let paths: Vec<String> = site.briefs.iter().map(|b| b.path.clone()).collect();
    let files: Vec<u64> = site.briefs.iter().map(|b| b.fingerprint).collect();
    let when: Vec<i64> = site
        .briefs
        .iter()
        .map(|b| b.front.date.timestamp())
        .collect();
    let mut lists = HashMap::new();
    for kind in TaxonomyKind::ALL {
        for term in &site.taxonomy(kind).terms {
            lists.insert((kind, term.key.clone()), term.briefs.clone());
        }
    }
    let all = match last {
        Some(last) => refreshed(site, last, &files, &when),
        None => Arc::new(all(site)),
    };
    KeptNeighbours {
        paths,
        files,
        when,
        lists,
        all,
    }
}

/// `last`'s neighbours brought up to `site`: found again for the briefs that may have new
/// ones, renumbered for the rest. A brief that moved (a new date or title) is in other places
/// of its terms' lists, which finds their briefs' neighbours again; no other brief's related
/// briefs change order among themselves.
fn refreshed(
    site: &Site,
    last: &KeptNeighbours,
    files: &[u64],
    when: &[i64],
) -> Arc<Vec<Neighbours>> {
    let n = site.briefs.len();
    let same_order = last.paths.len() == n
        && site
            .briefs
            .iter()
            .zip(&last.paths)
            .all(|(b, p)| b.path == *p);
    // Where each brief is now, by its place in `last`.
    let mut now_at: Vec<Option<usize>> = vec![None; last.paths.len()];
    let mut stale = vec![false; n];
    if same_order {
        now_at
            .iter_mut()
            .enumerate()
            .for_each(|(i, at)| *at = Some(i));
    } else {
        let was: HashMap<&str, usize> = last
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        for (i, brief) in site.briefs.iter().enumerate() {
            match was.get(brief.path.as_str()) {
                Some(&w) => now_at[w] = Some(i),
                None => stale[i] = true,
            }
        }
    }
    let renumbered = |old: usize| now_at.get(old).copied().flatten();
    for (w, at) in now_at.iter().enumerate() {
        let Some(i) = *at else { continue };
        stale[i] |= last.files[w] != files[i];
        // A new date can bring a brief closer to the others of its terms than a brief they list.
        if last.when[w] != when[i] {
            for (_, list) in super::term_lists(site, &site.briefs[i]) {
                list.iter().for_each(|&b| stale[b] = true);
            }
        }
    }
    for kind in TaxonomyKind::ALL {
        for term in &site.taxonomy(kind).terms {
            let same = last
                .lists
                .get(&(kind, term.key.clone()))
                .is_some_and(|old| {
                    old.len() == term.briefs.len()
                        && old
                            .iter()
                            .zip(&term.briefs)
                            .all(|(&o, &b)| renumbered(o) == Some(b))
                });
            if !same {
                term.briefs.iter().for_each(|&b| stale[b] = true);
            }
        }
    }
    if same_order && !stale.contains(&true) {
        return last.all.clone();
    }
    Arc::new(found_where_stale(site, last, &stale, &now_at))
}

/// The neighbours of the `stale` briefs found again, the others' taken from `last` and
/// renumbered (`now_at`: each of `last`'s briefs' place now). The brief before and after come
/// from the place alone.
fn found_where_stale(
    site: &Site,
    last: &KeptNeighbours,
    stale: &[bool],
    now_at: &[Option<usize>],
) -> Vec<Neighbours> {
    use rayon::prelude::*;
    let mut was = vec![usize::MAX; site.briefs.len()];
    for (w, at) in now_at.iter().enumerate() {
        if let Some(i) = *at {
            was[i] = w;
        }
    }
    let n = site.briefs.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || None::<NeighbourFinder>,
            |finder, index| {
                let kept = (!stale[index])
                    .then(|| renumber(&last.all[was[index]].related, now_at))
                    .flatten();
                match kept {
                    Some(related) => Neighbours {
                        older: (index + 1 < n).then_some(index + 1),
                        newer: index.checked_sub(1),
                        related,
                    },
                    None => finder
                        .get_or_insert_with(|| NeighbourFinder::new(site))
                        .of(site, index),
                }
            },
        )
        .collect()
}

/// `related` in the places `now_at` gives, or `None` if one of them is gone.
fn renumber(related: &[usize], now_at: &[Option<usize>]) -> Option<Vec<usize>> {
    related
        .iter()
        .map(|&b| now_at.get(b).copied().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of 400 briefs with overlapping tags and regions, in a folder of its own.
    struct Folder {
        dir: tempfile::TempDir,
    }

    impl Folder {
        fn new() -> Self {
            let folder = Folder {
                dir: crate::load::test_site_folder(),
            };
            for i in 0..400 {
                folder.write(i, "");
            }
            folder
        }

        fn path(&self, i: usize) -> std::path::PathBuf {
            self.dir.path().join(format!("content/briefs/b{i:03}.md"))
        }

        fn write(&self, i: usize, more: &str) {
            let (day, tag, other, region) = (1 + i % 28, i % 7, i % 11, i % 5);
            let front = format!(
                "title: B{i}\ndate: 2025-01-{day:02}\ntags: [t{tag}, u{other}{more}]\nregions: [r{region}]"
            );
            std::fs::write(self.path(i), format!("---\n{front}\n---\nText.\n")).unwrap();
        }

        fn load(&self) -> Site {
            let options = crate::load::LoadOptions {
                root: self.dir.path().to_path_buf(),
                ..Default::default()
            };
            crate::load::load_site(&options).site.unwrap()
        }
    }

    /// The neighbours kept through `last` for the folder as it is now, checked against a
    /// fresh find.
    fn kept_matches_fresh(folder: &Folder, last: &KeptNeighbours) -> KeptNeighbours {
        let site = folder.load();
        let kept = kept_or_found(&site, Some(last));
        assert_eq!(*kept.all, all(&site));
        kept
    }

    #[test]
    fn neighbours_found_again_where_they_may_differ_are_those_found_afresh() {
        let folder = Folder::new();
        let first = kept_or_found(&folder.load(), None);
        // Brief 17 (tags t3 and u6) gains t5: its related briefs change, and those of t5's.
        folder.write(17, ", t5");
        let added = kept_matches_fresh(&folder, &first);
        assert_ne!(*added.all, *first.all, "the tag changes some neighbours");
        folder.write(17, "");
        let removed = kept_matches_fresh(&folder, &added);
        assert_eq!(*removed.all, *first.all);
    }

    #[test]
    fn briefs_added_and_deleted_renumber_the_others_neighbours() {
        let folder = Folder::new();
        let first = kept_or_found(&folder.load(), None);
        // A brief with a tag of its own, in the middle of the site: every brief after it moves
        // one place, and no one's related briefs change but by number.
        std::fs::write(
            folder.dir.path().join("content/briefs/new.md"),
            "---\ntitle: New\ndate: 2025-01-15\ntags: [alone]\n---\nText.\n",
        )
        .unwrap();
        let alone = kept_matches_fresh(&folder, &first);
        // One that shares terms with others, and one deleted: both at once.
        std::fs::write(
            folder.dir.path().join("content/briefs/shared.md"),
            "---\ntitle: Shared\ndate: 2025-01-09\ntags: [t2, u4]\nregions: [r1]\n---\nText.\n",
        )
        .unwrap();
        std::fs::remove_file(folder.path(123)).unwrap();
        let both = kept_matches_fresh(&folder, &alone);
        std::fs::remove_file(folder.dir.path().join("content/briefs/new.md")).unwrap();
        std::fs::remove_file(folder.dir.path().join("content/briefs/shared.md")).unwrap();
        folder.write(123, "");
        let back = kept_matches_fresh(&folder, &both);
        assert_eq!(*back.all, *first.all);
    }

    #[test]
    fn a_date_edited_moves_a_brief_and_its_terms_briefs_are_found_again() {
        let folder = Folder::new();
        let first = kept_or_found(&folder.load(), None);
        let text = std::fs::read_to_string(folder.path(40)).unwrap();
        let moved = text.replace("date: 2025-01-13", "date: 2025-01-27");
        assert_ne!(moved, text);
        std::fs::write(folder.path(40), moved).unwrap();
        let dated = kept_matches_fresh(&folder, &first);
        // A new title moves a brief among those of its day, and the date is as it was.
        let text = std::fs::read_to_string(folder.path(96)).unwrap();
        std::fs::write(folder.path(96), text.replace("title: B96", "title: A96")).unwrap();
        let retitled = kept_matches_fresh(&folder, &dated);
        assert_ne!(
            *retitled.all, *dated.all,
            "the move changes some neighbours"
        );
    }

    #[test]
    fn a_date_edited_in_place_finds_its_terms_briefs_again() {
        let folder = Folder::new();
        let first = kept_or_found(&folder.load(), None);
        // B12 is the first of the briefs of 13 January and stays so at six in the morning:
        // no brief moves, but it is now closer to the briefs of the 14th than those of the 12th.
        let text = std::fs::read_to_string(folder.path(12)).unwrap();
        std::fs::write(
            folder.path(12),
            text.replace("date: 2025-01-13", "date: 2025-01-13T06:00:00Z"),
        )
        .unwrap();
        let site = folder.load();
        assert_eq!(
            first.paths,
            site.briefs
                .iter()
                .map(|b| b.path.clone())
                .collect::<Vec<_>>()
        );
        let kept = kept_matches_fresh(&folder, &first);
        assert_ne!(*kept.all, *first.all, "the time changes some neighbours");
    }
}
