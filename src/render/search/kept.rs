//! The index as `briefing serve` keeps it between rebuilds: every token's postings and entry
//! by token number, so a save that changes a few briefs' tokens writes the entries of those
//! tokens again and copies the rest, rather than walking every brief's list.
//!
//! Token numbers come from the collector serve keeps, and never change while it lives; brief
//! numbers are places in site order, so postings are kept only while the site lists the same
//! briefs in the same order (a title, tag or body edit), and are gathered again otherwise.

use rayon::prelude::*;

use super::collect::{BriefTokens, decode_gaps};
use super::{FIELDS, entry_json, js_order, token_order};

/// At most this many briefs are moved in the postings; more, and they are gathered again.
const MOVED_BRIEFS: usize = 16;

/// Postings and entries by token number, for the briefs they were gathered from.
#[derive(Default)]
pub(super) struct KeptIndex {
    /// Which briefs, in which order, the brief numbers stand for ([`briefs_key`]).
    briefs: u64,
    /// Each brief's tokens as gathered, by brief number.
    gathered: Vec<BriefTokens>,
    /// By token number: the briefs holding it, by field, ascending.
    postings: Vec<[Vec<u32>; FIELDS]>,
    /// By token number: its entry as the index writes it (empty while no brief holds it).
    entries: Vec<String>,
    /// Every token number, in index order.
    order: Vec<u32>,
}

impl KeptIndex {
    /// Brings the postings and entries up to `tokens`, for the briefs `briefs` names, with
    /// `vocabulary` (every token by number, the last ones new since the last update).
    pub(super) fn update(&mut self, vocabulary: &[Box<str>], briefs: u64, tokens: &[BriefTokens]) {
        self.place_new_tokens(vocabulary);
        self.postings
            .resize_with(vocabulary.len(), Default::default);
        self.entries.resize_with(vocabulary.len(), String::new);
        let same_briefs = self.briefs == briefs && self.gathered.len() == tokens.len();
        let changed: Vec<usize> = if same_briefs {
            let changed = |&b: &usize| {
                let (was, now) = (&self.gathered[b].0, &tokens[b].0);
                !std::sync::Arc::ptr_eq(was, now) && was != now
            };
            (0..tokens.len()).filter(changed).collect()
        } else {
            Vec::new()
        };
        // Moving a brief in a common token's postings shifts the briefs after it: cheap for
        // a few briefs, but a data file that a thousand briefs read changes all of them, and
        // gathering everything again is then the quicker way.
        let touched: Vec<u32> = if same_briefs && changed.len() <= MOVED_BRIEFS {
            self.move_briefs(&changed, tokens)
        } else {
            self.gather_all(tokens)
        };
        let fresh: Vec<(u32, String)> = touched
            .par_iter()
            .map(|&id| {
                let lists = &self.postings[id as usize];
                let held = lists.iter().any(|l| !l.is_empty());
                let entry = if held {
                    entry_json(&vocabulary[id as usize], lists)
                } else {
                    String::new()
                };
                (id, entry)
            })
            .collect();
        for (id, entry) in fresh {
            self.entries[id as usize] = entry;
        }
        self.briefs = briefs;
        self.gathered = tokens.to_vec();
    }

    /// Moves the briefs `changed` in the postings: out of those of their old tokens, into
    /// those of their new (`tokens`). Returns the tokens touched, each once.
    fn move_briefs(&mut self, changed: &[usize], tokens: &[BriefTokens]) -> Vec<u32> {
        let mut touched = Vec::new();
        for &b in changed {
            let brief = b as u32;
            for code in decode_gaps(&self.gathered[b].0) {
                let list = &mut self.postings[(code >> 2) as usize][(code & 3) as usize];
                if let Ok(at) = list.binary_search(&brief) {
                    list.remove(at);
                }
                touched.push(code >> 2);
            }
            for code in decode_gaps(&tokens[b].0) {
                let list = &mut self.postings[(code >> 2) as usize][(code & 3) as usize];
                if let Err(at) = list.binary_search(&brief) {
                    list.insert(at, brief);
                }
                touched.push(code >> 2);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        touched
    }

    /// Brings the order up to `vocabulary`: the tokens added since (numbered after the rest)
    /// are put in their places, or, when there are many, the whole order is made again.
    fn place_new_tokens(&mut self, vocabulary: &[Box<str>]) {
        let order = &mut self.order;
        let added = vocabulary.len().saturating_sub(order.len());
        if order.is_empty() || added > 1_000 || order.len() > vocabulary.len() {
            *order = token_order(vocabulary).0;
            return;
        }
        for id in order.len() as u32..vocabulary.len() as u32 {
            let at = order.partition_point(|&other| js_order(vocabulary, other, id).is_lt());
            order.insert(at, id);
        }
    }

    /// Gathers every token's postings afresh. Returns every token.
    fn gather_all(&mut self, tokens: &[BriefTokens]) -> Vec<u32> {
        for lists in &mut self.postings {
            lists.iter_mut().for_each(Vec::clear);
        }
        for (brief, list) in tokens.iter().enumerate() {
            for code in decode_gaps(&list.0) {
                self.postings[(code >> 2) as usize][(code & 3) as usize].push(brief as u32);
            }
        }
        (0..self.postings.len() as u32).collect()
    }

    /// Every entry some brief holds, in index order, with its token.
    pub(super) fn entries<'a>(
        &'a self,
        vocabulary: &'a [Box<str>],
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.order.iter().filter_map(move |&id| {
            let entry = self.entries.get(id as usize)?;
            (!entry.is_empty()).then(|| (&*vocabulary[id as usize], entry.as_str()))
        })
    }
}

/// The fingerprint of which briefs, in which order, brief numbers stand for.
pub(super) fn briefs_key(site: &crate::model::Site) -> u64 {
    crate::fingerprint::of(site.briefs.iter().map(|b| &b.path).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::collect::encode_gaps;

    /// Brief `b`'s tokens: every token number `t` with `(t + b) % 3 == 0`, in field `t % 4`,
    /// shifted by `edit` for the briefs edited.
    fn lists(briefs: u32, tokens: u32, edited: &[u32], edit: u32) -> Vec<BriefTokens> {
        (0..briefs)
            .map(|b| {
                let shift = if edited.contains(&b) { edit } else { 0 };
                let codes: Vec<u32> = (0..tokens)
                    .filter(|t| (t + b + shift) % 3 == 0)
                    .map(|t| (t << 2) | (t % 4))
                    .collect();
                BriefTokens(encode_gaps(&codes))
            })
            .collect()
    }

    fn entries(index: &KeptIndex, vocabulary: &[Box<str>]) -> Vec<(String, String)> {
        let pairs = index.entries(vocabulary);
        pairs.map(|(t, e)| (t.to_string(), e.to_string())).collect()
    }

    /// A few briefs moved, or many gathered again, the entries are those made from scratch.
    #[test]
    fn an_updated_index_holds_the_entries_of_a_fresh_one() {
        let vocabulary: Vec<Box<str>> = (0..40).map(|t| format!("t{t:02}").into()).collect();
        for edited in [vec![3], (0..MOVED_BRIEFS as u32 + 5).collect::<Vec<_>>()] {
            let mut kept = KeptIndex::default();
            kept.update(&vocabulary, 1, &lists(50, 40, &[], 0));
            let after = lists(50, 40, &edited, 1);
            kept.update(&vocabulary, 1, &after);
            let mut fresh = KeptIndex::default();
            fresh.update(&vocabulary, 2, &after);
            assert_eq!(entries(&kept, &vocabulary), entries(&fresh, &vocabulary));
            assert_ne!(
                entries(&kept, &vocabulary),
                {
                    let mut before = KeptIndex::default();
                    before.update(&vocabulary, 3, &lists(50, 40, &[], 0));
                    entries(&before, &vocabulary)
                },
                "the edit changes the entries"
            );
        }
    }
}
