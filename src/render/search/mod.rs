//! The search index behind `/search/`, written at build time and read by `static/search.js`.
//!
//! A phone must not download the whole site's text to look up one word, so the index is split:
//!
//! - `search/index.json`, the manifest: how many briefs, the folder of this build's files, the
//!   budgets below, and for each shard its first token and its size in bytes;
//! - `search/<version>/s<N>.json`, the shards: every token in sorted order (UTF-16 code units,
//!   as JavaScript compares strings), cut into files of about [`SHARD_TARGET_BYTES`]. An entry
//!   is `[token, ids, ids, ids, ids]`: the briefs whose title or regions hold the token, then
//!   those whose tags do, then their summary, then their body (each brief in its best list only;
//!   ids are positions in site order, newest first, written as gaps from the previous id;
//!   trailing empty lists are left out);
//! - `search/<version>/d<N>.json`, what a result shows (slug, title, date, regions, summary)
//!   for [`DOCS_PER_FILE`] briefs each, fetched only for the results on screen.
//!
//! For a query the script fetches the manifest, the shard each word falls in (for the word
//! being typed, every shard its prefix spans, within [`PREFIX_BUDGET_BYTES`]), and the docs
//! files of the first [`RESULTS_PER_PAGE`] results. `<version>` is a fingerprint of the files,
//! so a cached shard of an older build is never read with a newer manifest. Strings are JSON
//! with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`.

mod collect;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::model::{Brief, Site};
use crate::routes;
pub use collect::{BriefTokens, TokenCollector};

mod kept;
use collect::{Cursor, decode_gaps, encode_gaps};
use std::borrow::Cow;

/// A shard is cut once it holds about this many bytes.
pub const SHARD_TARGET_BYTES: usize = 48 * 1024;
/// The script fetches the shards a typed prefix spans only while they add up to this.
pub const PREFIX_BUDGET_BYTES: usize = 128 * 1024;
/// Briefs per docs file.
pub const DOCS_PER_FILE: usize = 10;
/// Results the script shows before "Show more".
pub const RESULTS_PER_PAGE: usize = 20;
/// The manifest's `format`: bump it when the layout changes.
const FORMAT: u32 = 1;

/// Where a token was found in a brief, best first: the script ranks matches in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    /// The title or a region.
    Heading = 0,
    Tag = 1,
    Summary = 2,
    Body = 3,
}

/// How many [`Field`]s an entry lists.
const FIELDS: usize = 4;

/// The index files, ready to write.
pub struct SearchIndex {
    /// `(path relative to the output root, contents)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the script reads to find the rest: `search/index.json`.
    pub manifest_path: String,
    /// The manifest's shard list, `(first token, bytes)`, as the script sees it.
    pub shards: Vec<(String, usize)>,
}

impl SearchIndex {
    /// Every index file's size added up: the figure the build report shows.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|(_, bytes)| bytes.len() as u64).sum()
    }
}

/// The site path of the manifest.
pub const MANIFEST_PATH: &str = routes::SEARCH_MANIFEST;

/// Postings gathered per pass over the briefs' lists: bounds the memory the last stage of a
/// very large build needs (4 bytes each).
const POSTINGS_PER_PASS: usize = 4 << 20;
/// Tokens per pass, at most: each run of briefs gathered at once holds an empty list per
/// token and field of the pass (under a megabyte a run at this bound), however large the
/// site's vocabulary.
const TOKENS_PER_PASS: usize = 8 << 10;

/// The index of `site`, from the tokens `collector` gathered: `tokens[i]` is brief `i`'s.
/// Given them to keep
/// (a build), it renumbers each list in place, freeing the gathered one as it goes (at
/// 100,000 briefs they are 60 MB), and writes the entries in passes of bounded memory. Lent
/// them (serve), it keeps every token's postings and entry for the next index
/// ([`kept::KeptIndex`]), which then writes only the entries of the tokens that changed.
pub fn build(site: &Site, collector: &TokenCollector, tokens: Cow<[BriefTokens]>) -> SearchIndex {
    // The entries (partly one pass over every brief's list) and the result data (each
    // brief's title and link) share nothing: each runs beside the other.
    let ((shard_texts, shards), doc_texts) =
        rayon::join(|| entries(site, collector, tokens), || result_data(site));

    let version = version_of(shard_texts.iter().chain(doc_texts.iter()));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (n, text) in shard_texts.into_iter().enumerate() {
        files.push((routes::search_shard(&version, n), text.into_bytes()));
    }
    for (n, text) in doc_texts.into_iter().enumerate() {
        files.push((routes::search_docs(&version, n), text.into_bytes()));
    }
    let manifest = json!({
        "format": FORMAT,
        "briefs": site.briefs.len(),
        "files": routes::search_files(&version),
        "docs_per_file": DOCS_PER_FILE,
        "results_per_page": RESULTS_PER_PAGE,
        "prefix_budget": PREFIX_BUDGET_BYTES,
        "shards": shards.iter().map(|(t, n)| json!([t, n])).collect::<Vec<_>>(),
    });
    files.push((MANIFEST_PATH.to_string(), json_text(&manifest).into_bytes()));
    SearchIndex {
        files,
        manifest_path: MANIFEST_PATH.to_string(),
        shards,
    }
}

/// The index's entries, cut into shard files: their texts and the manifest's shard list.
fn entries(
    site: &Site,
    collector: &TokenCollector,
    tokens: Cow<[BriefTokens]>,
) -> (Vec<String>, Vec<(String, usize)>) {
    let vocabulary = collector.vocabulary();
    let mut shards = ShardWriter::default();
    match tokens {
        Cow::Owned(lists) => {
            let bounds = (POSTINGS_PER_PASS, TOKENS_PER_PASS);
            entries_in_passes(&vocabulary, lists, bounds, &mut shards);
        }
        Cow::Borrowed(lists) => {
            let mut kept = collector.take_index().unwrap_or_default();
            kept.update(&vocabulary, kept::briefs_key(site), lists);
            for (token, entry) in kept.entries(&vocabulary) {
                shards.push(token, entry);
            }
            collector.keep_index(kept);
        }
    }
    shards.finish()
}

/// The result data files: each brief's title, link and summary, [`DOCS_PER_FILE`] a file.
fn result_data(site: &Site) -> Vec<String> {
    site.briefs
        .par_chunks(DOCS_PER_FILE)
        .map(|chunk| {
            let mut text = String::from("[");
            for (i, brief) in chunk.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                push_doc(&mut text, site, brief);
            }
            text.push(']');
            text
        })
        .collect()
}

/// A build's entries, in index order. Token numbers were handed out in whatever order
/// threads met the tokens; the index lists tokens sorted (as JavaScript compares strings), so
/// each brief's list is renumbered by that order and re-sorted. Then the entries are written
/// in order by walking every brief's list with a cursor, one range of tokens at a time (a
/// pass), runs of briefs in parallel. `(postings, tokens)` bounds a pass: a build passes
/// [`POSTINGS_PER_PASS`] and [`TOKENS_PER_PASS`].
fn entries_in_passes(
    vocabulary: &[Box<str>],
    mut lists: Vec<BriefTokens>,
    (postings_per_pass, tokens_per_pass): (usize, usize),
    shards: &mut ShardWriter,
) {
    let (order, rank) = token_order(vocabulary);
    // Each token's postings are counted as the lists are renumbered, in each thread's own
    // counts, added up after: one pass over every list, not a second one in one thread.
    let counts = lists
        .par_iter_mut()
        .fold(
            || vec![0u32; vocabulary.len()],
            |mut counts, list| {
                *list = renumbered(list, &rank, &mut counts);
                counts
            },
        )
        .reduce(
            || vec![0u32; vocabulary.len()],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            },
        );
    let ranked = lists;
    let mut cursors: Vec<Cursor> = ranked.iter().map(|l| Cursor::new(&l.0)).collect();
    // The briefs in runs, a few per thread: each run's postings are gathered on its own, and
    // an entry reads the runs in order, so its brief numbers still ascend.
    let run = cursors
        .len()
        .div_ceil(2 * rayon::current_num_threads())
        .max(1);
    let mut from = 0usize;
    while from < order.len() {
        // The next range of tokens whose postings fit one pass (at least one token).
        let mut to = from + 1;
        let mut held = counts[from] as usize;
        while to < order.len()
            && to - from < tokens_per_pass
            && held + (counts[to] as usize) <= postings_per_pass
        {
            held += counts[to] as usize;
            to += 1;
        }
        let runs: Vec<Vec<Postings>> = cursors
            .par_chunks_mut(run)
            .enumerate()
            .map(|(n, cursors)| {
                let mut lists: Vec<Postings> = (from..to).map(|_| Default::default()).collect();
                for (i, cursor) in cursors.iter_mut().enumerate() {
                    let id = (n * run + i) as u32;
                    while let Some(code) = cursor.next_below((to as u32) << 2) {
                        lists[(code >> 2) as usize - from][(code & 3) as usize].push(id);
                    }
                }
                lists
            })
            .collect();
        let entries: Vec<String> = (from..to)
            .into_par_iter()
            .map(|r| {
                let parts: Vec<&Postings> = runs.iter().map(|lists| &lists[r - from]).collect();
                entry_json_of(&vocabulary[order[r] as usize], &parts)
            })
            .collect();
        for (r, entry) in (from..to).zip(&entries) {
            if counts[r] > 0 {
                shards.push(&vocabulary[order[r] as usize], entry);
            }
        }
        from = to;
    }
}

/// One token's briefs by field, as brief numbers in ascending order.
type Postings = [Vec<u32>; FIELDS];

/// The tokens' numbers in index order (sorted as JavaScript compares strings), and each
/// number's place in that order.
fn token_order(vocabulary: &[Box<str>]) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..vocabulary.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| js_order(vocabulary, a, b));
    let mut rank = vec![0u32; vocabulary.len()];
    for (r, &id) in order.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    (order, rank)
}

/// How tokens `a` and `b` sort in the index: as JavaScript compares strings (UTF-16 units).
fn js_order(vocabulary: &[Box<str>], a: u32, b: u32) -> std::cmp::Ordering {
    vocabulary[a as usize]
        .encode_utf16()
        .cmp(vocabulary[b as usize].encode_utf16())
}

/// A brief's list with its tokens numbered by their place in index order, each counted in
/// `counts` (by that place).
fn renumbered(list: &BriefTokens, rank: &[u32], counts: &mut [u32]) -> BriefTokens {
    let mut codes = decode_gaps(&list.0);
    for code in &mut codes {
        let place = rank[(*code >> 2) as usize];
        counts[place as usize] += 1;
        *code = (place << 2) | (*code & 3);
    }
    codes.sort_unstable();
    BriefTokens(encode_gaps(&codes))
}

/// Cuts the entries, in token order, into shard files of about [`SHARD_TARGET_BYTES`].
#[derive(Default)]
struct ShardWriter {
    texts: Vec<String>,
    shards: Vec<(String, usize)>,
    current: String,
    first: String,
}

impl ShardWriter {
    fn push(&mut self, token: &str, entry: &str) {
        if !self.current.is_empty() && self.current.len() + entry.len() + 2 > SHARD_TARGET_BYTES {
            self.close();
        }
        if self.current.is_empty() {
            self.current.push('[');
            self.first = token.to_string();
        } else {
            self.current.push(',');
        }
        self.current.push_str(entry);
    }

    fn close(&mut self) {
        self.current.push(']');
        self.shards
            .push((std::mem::take(&mut self.first), self.current.len()));
        self.texts.push(std::mem::take(&mut self.current));
    }

    /// The shard texts and the manifest's `(first token, bytes)` list.
    fn finish(mut self) -> (Vec<String>, Vec<(String, usize)>) {
        if !self.current.is_empty() {
            self.close();
        }
        (self.texts, self.shards)
    }
}

/// The shards the script fetches for one query word: the shard the word falls in, and when it
/// is the word being typed (`prefix`), every further shard its prefix spans, unless together
/// they pass [`PREFIX_BUDGET_BYTES`]. Mirrors `shardsFor` in static/search.js.
pub fn shards_for(shards: &[(String, usize)], token: &str, prefix: bool) -> Vec<usize> {
    let key: Vec<u16> = token.encode_utf16().collect();
    let starts: Vec<Vec<u16>> = shards
        .iter()
        .map(|(t, _)| t.encode_utf16().collect())
        .collect();
    let at = starts.partition_point(|s| *s <= key).saturating_sub(1);
    if shards.is_empty() {
        return Vec::new();
    }
    let mut out = vec![at];
    if prefix {
        let mut bytes = shards[at].1;
        let mut next = at + 1;
        while next < shards.len() && starts[next].starts_with(&key) {
            bytes += shards[next].1;
            out.push(next);
            next += 1;
        }
        if bytes > PREFIX_BUDGET_BYTES {
            out.truncate(1);
        }
    }
    out
}

/// `["token",[gaps],…]`, written directly: serde_json values for every posting were a
/// tenth of the index's time.
fn entry_json(token: &str, lists: &Postings) -> String {
    entry_json_of(token, &[lists])
}

/// As [`entry_json`], for a token's postings gathered in parts, each part's briefs after the
/// last part's.
fn entry_json_of(token: &str, parts: &[&Postings]) -> String {
    let used = (0..FIELDS)
        .rposition(|f| parts.iter().any(|p| !p[f].is_empty()))
        .map_or(0, |i| i + 1);
    let postings: usize = parts.iter().flat_map(|p| p.iter()).map(Vec::len).sum();
    let mut out = String::with_capacity(token.len() + 8 + postings * 3);
    out.push('[');
    out.push_str(&json_text(&Value::from(token)));
    for field in 0..used {
        out.push_str(",[");
        let mut previous = 0;
        let ids = parts.iter().flat_map(|p| p[field].iter());
        for (i, &id) in ids.enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_decimal(&mut out, id - previous);
            previous = id;
        }
        out.push(']');
    }
    out.push(']');
    out
}

/// Appends `n` in decimal: the index writes tens of millions of gaps at 100,000 briefs, most
/// of one or two digits, and `write!` costs more than the digits.
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// What a result shows: `[slug, title, "YYYY-MM-DD", "20 November 2025", [regions], summary]`,
/// written directly (serde_json values for ten thousand briefs were a fifth of the index's
/// time under serve).
fn push_doc(out: &mut String, site: &Site, brief: &Brief) {
    let front = &brief.front;
    out.push('[');
    push_json_str(out, &brief.slug);
    out.push(',');
    push_json_str(out, &front.title);
    out.push(',');
    push_json_str(out, &front.date.day_iso());
    out.push(',');
    push_json_str(out, &front.date.display());
    out.push_str(",[");
    let names = front.regions.iter().filter_map(|r| site.regions.term(r));
    for (i, term) in names.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, &term.name);
    }
    out.push_str("],");
    push_json_str(out, &crate::render::summary::search_text(brief));
    out.push(']');
}

/// Appends `text` as a JSON string, escaped as [`json_text`] escapes. Most titles and names
/// need no escape at all, and are copied as they are.
fn push_json_str(out: &mut String, text: &str) {
    let plain = |b: &u8| *b >= 0x20 && !matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xe2);
    if text.as_bytes().iter().all(plain) {
        out.push('"');
        out.push_str(text);
        out.push('"');
        return;
    }
    push_escaped(out, &serde_json::to_string(text).unwrap_or_default());
}

/// JSON safe to serve anywhere: `<`, `>`, `&` and the two JavaScript line separators escaped.
/// None of them can occur outside a string in JSON, so replacing them everywhere is exact.
pub fn json_text(value: &Value) -> String {
    let mut out = String::new();
    push_escaped(&mut out, &value.to_string());
    out
}

/// Appends the JSON `text` with the escapes of [`json_text`].
fn push_escaped(out: &mut String, text: &str) {
    out.reserve(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

/// A fingerprint of the index files: names this build's folder. FNV-1a's step taken over
/// eight bytes at a time (little-endian, the same on every machine), with a rotation so the
/// high bytes of each word reach the low bits: a byte at a time it was 15 ms of every build
/// and rebuild at 10,000 briefs, on one thread.
fn version_of<'a>(texts: impl Iterator<Item = &'a String>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut step = |word: u64| {
        h = (h ^ word).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
    };
    for text in texts {
        let words = text.as_bytes().chunks_exact(8);
        let rest = words.remainder();
        for word in words {
            step(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        // The length closes each text, so texts that run together differently differ.
        step(u64::from_le_bytes(last));
        step(text.len() as u64);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build's entries, gathered in passes and in runs of briefs, are those serve's kept
    /// index makes of the same lists, one token at a time: two ways to the same index.
    #[test]
    fn entries_made_in_passes_are_the_kept_index_entries() {
        // Numbered in reverse of index order, so every list is renumbered and re-sorted.
        let vocabulary: Vec<Box<str>> = (0..40).map(|t| format!("t{:02}", 39 - t).into()).collect();
        let lists: Vec<BriefTokens> = (0..50u32)
            .map(|b| {
                let mut codes: Vec<u32> = (0..40u32)
                    .filter(|t| (t * 7 + b) % 5 < 2)
                    .map(|t| (t << 2) | ((t + b) % 4))
                    .collect();
                codes.sort_unstable();
                BriefTokens(encode_gaps(&codes))
            })
            .collect();
        let mut kept = kept::KeptIndex::default();
        kept.update(&vocabulary, 1, &lists);
        let mut expected = ShardWriter::default();
        for (token, entry) in kept.entries(&vocabulary) {
            expected.push(token, entry);
        }
        let expected = expected.finish();
        let text = expected.0.concat();
        assert!(
            vocabulary
                .iter()
                .all(|t| text.contains(&format!("[\"{t}\"")))
        );
        for bounds in [(POSTINGS_PER_PASS, TOKENS_PER_PASS), (17, 3), (1, 1)] {
            let mut shards = ShardWriter::default();
            entries_in_passes(&vocabulary, lists.clone(), bounds, &mut shards);
            assert_eq!(shards.finish(), expected, "{bounds:?}");
        }
    }

    #[test]
    fn a_string_is_written_as_serde_json_and_the_escapes_write_it() {
        for text in [
            "Plain title",
            "Quote \" and \\ slash",
            "Tab\tand\nnewline\u{1}",
            "</script> & more",
            "Line\u{2028}separator and \u{2029}",
            "Curly ’quotes’ … and ünïcode",
            "",
        ] {
            let mut fast = String::new();
            push_json_str(&mut fast, text);
            let mut slow = String::new();
            push_escaped(&mut slow, &serde_json::to_string(text).unwrap());
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn json_never_holds_a_raw_angle_bracket() {
        let v = json!(["</script><b>&", "\u{2028}"]);
        assert_eq!(
            json_text(&v),
            r#"["\u003c/script\u003e\u003cb\u003e\u0026","\u2028"]"#
        );
    }

    #[test]
    fn postings_are_gaps_and_trailing_empty_lists_drop() {
        let lists = [vec![1, 4, 5], vec![], vec![], vec![]];
        assert_eq!(entry_json("kz", &lists), r#"["kz",[1,3,1]]"#);
        let lists = [vec![], vec![], vec![7], vec![]];
        assert_eq!(entry_json("kz", &lists), r#"["kz",[],[],[7]]"#);
    }

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        for n in [0, 7, 10, 99, 100, 65_535, u32::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn a_prefix_spans_shards_within_budget() {
        let shards = vec![
            ("a".to_string(), 10),
            ("ka".to_string(), 10),
            ("kaz".to_string(), 10),
            ("kb".to_string(), 10),
        ];
        assert_eq!(shards_for(&shards, "kaz", false), [2]);
        assert_eq!(shards_for(&shards, "ka", true), [1, 2]);
        assert_eq!(shards_for(&shards, "k", true), [0, 1, 2, 3]);
        assert_eq!(shards_for(&shards, "0", true), [0]);
        let big = vec![
            ("a".to_string(), PREFIX_BUDGET_BYTES),
            ("ab".to_string(), 10),
        ];
        assert_eq!(shards_for(&big, "a", true), [0]);
    }
}
