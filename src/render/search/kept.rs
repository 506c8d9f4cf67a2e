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

/// More than one brief in this many changed, and the postings are gathered again: a moved
/// brief costs a comparison of its old and new tokens, a gathered one only its new.
const GATHERED_PAST: usize = 4;

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
        // Only the tokens a save changed are moved: a data file that a thousand briefs'
        // values read changes one number in each, and gathering everything again wrote every
        // token's entry anew.
        let touched: Vec<u32> = if same_briefs && changed.len() <= tokens.len() / GATHERED_PAST {
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

    /// Moves the briefs `changed` in the postings: out of those of the tokens they lost, into
    /// those of the tokens they gained (`tokens`), each list rewritten once. Returns the
    /// tokens touched, each once.
    fn move_briefs(&mut self, changed: &[usize], tokens: &[BriefTokens]) -> Vec<u32> {
        let gathered = &self.gathered;
        let mut moves: Vec<Move> = changed
            .par_iter()
            .flat_map_iter(|&b| {
                let was = decode_gaps(&gathered[b].0);
                let now = decode_gaps(&tokens[b].0);
                differences(&was, &now)
                    .into_iter()
                    .map(move |(code, added)| Move {
                        code,
                        brief: b as u32,
                        added,
                    })
            })
            .collect();
        moves.par_sort_unstable_by_key(|m| (m.code, m.brief));
        let mut touched = Vec::new();
        for group in moves.chunk_by(|a, b| a.code == b.code) {
            let code = group[0].code;
            let list = &mut self.postings[(code >> 2) as usize][(code & 3) as usize];
            *list = moved(list, group);
            touched.push(code >> 2);
        }
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

/// A brief that gained or lost a token in a field (`code`, as [`BriefTokens`] holds it).
struct Move {
    code: u32,
    brief: u32,
    added: bool,
}

/// The codes only one of two ascending lists holds, each with whether `now` holds it.
fn differences(was: &[u32], now: &[u32]) -> Vec<(u32, bool)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < was.len() || j < now.len() {
        match (was.get(i), now.get(j)) {
            (Some(a), Some(b)) if a == b => (i, j) = (i + 1, j + 1),
            (Some(&a), Some(&b)) if a < b => {
                out.push((a, false));
                i += 1;
            }
            (Some(&a), None) => {
                out.push((a, false));
                i += 1;
            }
            (_, Some(&b)) => {
                out.push((b, true));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// `list` (ascending briefs) with `moves` (of its code, ascending by brief) made.
fn moved(list: &[u32], moves: &[Move]) -> Vec<u32> {
    let mut out = Vec::with_capacity(list.len() + moves.len());
    let mut moves = moves.iter().peekable();
    for &brief in list {
        while let Some(m) = moves.next_if(|m| m.brief < brief) {
            if m.added {
                out.push(m.brief);
            }
        }
        match moves.next_if(|m| m.brief == brief) {
            Some(m) if !m.added => {}
            _ => out.push(brief),
        }
    }
    out.extend(moves.filter(|m| m.added).map(|m| m.brief));
    out
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
        // One brief and a fifth of them moved; half of them gathered again.
        for edited in [vec![3], (0..10).collect(), (0..25).collect::<Vec<_>>()] {
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
