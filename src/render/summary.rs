//! A brief's summary: what every place that lists a brief shows of it instead of its body.
//!
//! List pages, a brief's neighbours and related briefs, and the brief page itself get the one
//! template value [`Summaries`] builds (title, url, date, summary, tags, regions;
//! docs/templates.md). Feeds and the search index print the same front-matter summary in their
//! own formats, by the rules beside it here: a feed falls back to the body's opening words, a
//! search result clips it.

use std::collections::BTreeMap;

// Keyed by brief paths, looked up for every brief on every rebuild: a fast hasher.
use foldhash::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use tera::Value;

use super::context::DateView;
use super::text::{excerpt, plain_text_with};
use crate::model::{Brief, BriefDate, Site, TaxonomyKind};

/// How many words a feed entry's summary takes from the body when the brief has none.
const EXCERPT_WORDS: usize = 60;
/// A summary in the search index's result data is cut to about this many characters.
const SEARCH_SUMMARY_CHARS: usize = 160;

/// Every brief's summary as a template value, built on first use and then shared: cloning a
/// `Value` shares its data. Built directly rather than serialised from a struct, because list
/// pages hold one per brief (`/briefs/` all of them), so its keys are static and its term links
/// built once per term rather than once per summary.
pub(crate) struct Summaries<'a> {
    site: &'a Site,
    /// Each term's `{name, url}` link, by kind ([`TaxonomyKind::ALL`] order) and term index.
    term_links: Vec<Vec<Value>>,
    /// By brief index. A full build needs every one; re-rendering a single brief (serve) only
    /// its own and its neighbours'.
    built: Vec<OnceLock<Value>>,
    /// Each summary's fingerprint ([`crate::fingerprint::hash_value`]), for serve's memo: taken
    /// once per brief, not once per page that lists it.
    fingerprints: Vec<OnceLock<u64>>,
    /// Under serve, the last render's summaries, and the fingerprint of what every summary is
    /// made from besides its brief's file: the site's configuration and its terms' links.
    last: Option<(&'a KeptSummaries, u64)>,
    /// By brief index, [`Self::key`], taken once.
    keys: Vec<OnceLock<u64>>,
    /// Each date's `{iso, display}`, made once and shared by every summary of that day: a
    /// site has far fewer days than briefs (30 MB at 100,000 briefs).
    dates: std::sync::Mutex<HashMap<DateKey, Value>>,
}

/// A date as written: the day, and the time with its own offset (two times of one instant
/// written in different zones show differently).
#[derive(PartialEq, Eq, Hash)]
struct DateKey(chrono::NaiveDate, Option<(chrono::NaiveDateTime, i32)>);

impl DateKey {
    fn of(date: &BriefDate) -> Self {
        let time = date
            .time
            .map(|t| (t.naive_local(), t.offset().local_minus_utc()));
        DateKey(date.date, time)
    }
}

/// Every brief's summary as the last render built it, with its fingerprint, by brief file,
/// with the fingerprint of what it was built from ([`Summaries::key`]).
#[derive(Default)]
pub(crate) struct KeptSummaries(HashMap<String, (u64, Value, u64)>);

impl<'a> Summaries<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let config = &site.config;
        let term_links = TaxonomyKind::ALL
            .iter()
            .map(|&kind| {
                let taxonomy = site.taxonomy(kind);
                taxonomy
                    .terms
                    .iter()
                    .map(|term| {
                        Value::from(BTreeMap::from([
                            ("name", Value::from(term.name.as_str())),
                            ("url", Value::from(config.url(&taxonomy.term_path(term)))),
                        ]))
                    })
                    .collect()
            })
            .collect();
        Summaries {
            site,
            term_links,
            built: (0..site.briefs.len()).map(|_| OnceLock::new()).collect(),
            fingerprints: (0..site.briefs.len()).map(|_| OnceLock::new()).collect(),
            last: None,
            keys: (0..site.briefs.len()).map(|_| OnceLock::new()).collect(),
            dates: Default::default(),
        }
    }

    /// Reuses the summaries of `kept` whose brief file is unchanged, given `site_key`, the
    /// fingerprint of the site's configuration.
    pub(crate) fn with_kept(mut self, kept: &'a KeptSummaries, site_key: u64) -> Self {
        self.last = Some((kept, site_key));
        self
    }

    /// What brief `index`'s summary is made from: its file, where it is, the data files its
    /// values read (a summary can show them), the links of the terms it names, and the site's
    /// configuration (`shared`, see [`Self::with_kept`]). Only its own terms' links: a tag
    /// added to one brief adds a term, and every other summary stays as it was.
    fn key(&self, index: usize, shared: u64) -> u64 {
        *self.keys[index].get_or_init(|| {
            let brief = &self.site.briefs[index];
            let mut h = crate::fingerprint::hasher();
            let made_from = (brief.fingerprint, brief.data_fingerprint, &brief.path);
            (shared, made_from, &brief.slug).hash(&mut h);
            let named = [
                (TaxonomyKind::Tags, &brief.front.tags),
                (TaxonomyKind::Regions, &brief.front.regions),
            ];
            // A link is its term's name and page (the site's address is in `shared`).
            for (kind, names) in named {
                let taxonomy = self.site.taxonomy(kind);
                for i in taxonomy.terms_of(names) {
                    let term = &taxonomy.terms[i];
                    (kind, &term.name, &term.slug).hash(&mut h);
                }
            }
            h.finish()
        })
    }

    /// Brief `index`'s summary and fingerprint as the last render built them, when made
    /// from the same.
    fn kept(&self, index: usize) -> Option<&'a (u64, Value, u64)> {
        let (kept, shared) = self.last?;
        let entry = kept.0.get(&self.site.briefs[index].path)?;
        (entry.0 == self.key(index, shared)).then_some(entry)
    }

    /// Every brief's summary, for the next render's [`Self::with_kept`].
    pub(crate) fn keep(&self) -> KeptSummaries {
        let Some((_, shared)) = self.last else {
            return KeptSummaries::default();
        };
        let entries = (0..self.site.briefs.len()).map(|i| {
            let entry = (self.key(i, shared), self.of(i), self.fingerprint(i));
            (self.site.briefs[i].path.clone(), entry)
        });
        KeptSummaries(entries.collect())
    }

    /// The fingerprint of brief `index`'s summary.
    pub(crate) fn fingerprint(&self, index: usize) -> u64 {
        *self.fingerprints[index].get_or_init(|| {
            if let Some((_, _, fp)) = self.kept(index) {
                return *fp;
            }
            let mut h = crate::fingerprint::hasher();
            crate::fingerprint::hash_value(&self.of(index), &mut h);
            h.finish()
        })
    }

    /// The summary of brief `index` (its place in site order).
    pub(crate) fn of(&self, index: usize) -> Value {
        self.built[index]
            .get_or_init(|| match self.kept(index) {
                Some((_, value, _)) => value.clone(),
                None => self.build(&self.site.briefs[index]),
            })
            .clone()
    }

    /// The summaries of some briefs, in the order given, as one list.
    pub(crate) fn list(&self, indices: impl Iterator<Item = usize>) -> Value {
        Value::from(indices.map(|i| self.of(i)).collect::<Vec<_>>())
    }

    fn build(&self, brief: &Brief) -> Value {
        let front = &brief.front;
        Value::from(BTreeMap::from([
            ("title", Value::from(front.title.as_str())),
            ("url", Value::from(self.site.config.url(&brief.site_path()))),
            ("date", self.date(&front.date)),
            ("summary", Value::from(front.summary.as_deref())),
            ("tags", self.links(TaxonomyKind::Tags, &front.tags)),
            ("regions", self.links(TaxonomyKind::Regions, &front.regions)),
        ]))
    }

    /// A date as summaries show it, shared by all of that date.
    fn date(&self, date: &BriefDate) -> Value {
        let made = || {
            let view = DateView::from(date);
            Value::from(BTreeMap::from([
                ("iso", Value::from(view.iso)),
                ("display", Value::from(view.display)),
            ]))
        };
        match self.dates.lock() {
            Ok(mut dates) => dates.entry(DateKey::of(date)).or_insert_with(made).clone(),
            Err(_) => made(),
        }
    }

    /// Links to the terms a brief names, in the order written, each term once.
    fn links(&self, kind: TaxonomyKind, names: &[String]) -> Value {
        let k = TaxonomyKind::ALL
            .iter()
            .position(|&x| x == kind)
            .unwrap_or(0);
        let terms = self.site.taxonomy(kind).terms_of(names);
        Value::from(
            terms
                .into_iter()
                .filter_map(|i| self.term_links[k].get(i).cloned())
                .collect::<Vec<_>>(),
        )
    }
}

/// A feed entry's summary: the brief's own, else the opening words of its body (read again).
pub(crate) fn feed_text(site: &Site, brief: &Brief) -> String {
    match brief.front.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => site
            .brief_text(brief)
            .map(|t| excerpt(&plain_text_with(t.body(), &brief.bound), EXCERPT_WORDS))
            .unwrap_or_default(),
    }
}

/// A search result's summary: the brief's own cut at a word near [`SEARCH_SUMMARY_CHARS`], or
/// empty; the result data is fetched on every query, so it stays short.
pub(crate) fn search_text(brief: &Brief) -> String {
    brief.front.summary.as_deref().map(clip).unwrap_or_default()
}

fn clip(text: &str) -> String {
    if text.chars().count() <= SEARCH_SUMMARY_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SEARCH_SUMMARY_CHARS).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_summaries_are_clipped_at_a_word() {
        let short = "A short summary.";
        assert_eq!(clip(short), short);
        let long = "word ".repeat(60);
        let clipped = clip(&long);
        assert!(clipped.ends_with("word…"), "{clipped}");
        assert!(clipped.chars().count() <= SEARCH_SUMMARY_CHARS + 1);
    }
}
