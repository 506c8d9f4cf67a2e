//! The render memo of `briefing serve`: every page as the last render made it, with the
//! fingerprint of everything it was made from, so the next render after a save renders only
//! the pages whose inputs changed and hands over the others' bytes as they are.
//!
//! A list page is made from its template and its context, so its fingerprint is the
//! context's ([`PageContext`]). A brief page is also made from its body, which is what costs
//! (Markdown, charts, search tokens), so its fingerprint is taken before the body renders:
//! the context without the body, and what the body is made from: the brief's file, the data
//! files it reads ([`crate::model::Brief::data_fingerprint`]), its schedule and path, and the
//! site's configuration. tests/cli/serve_equal.rs checks the result against a full build
//! after every kind of save.

use std::borrow::Cow;
// Keyed by paths: a fast hasher, as every brief and page is looked up on every rebuild.
use foldhash::{HashMap, HashMapExt};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::{Context, Value};

use super::pages::Page;
use super::related::{self, Neighbours};
use super::search::BriefTokens;
use super::summary::KeptSummaries;
use super::value_slots::{self, KeptBody};
use crate::diag::Diag;
use crate::fingerprint::{self, hash_value};
use crate::model::map::MapValues;
use crate::model::spend::SiteSpend;
use crate::model::{Brief, BriefDate, Site};

/// A template context that remembers what was put in it, so it can be fingerprinted.
#[derive(Default)]
pub(super) struct PageContext {
    pub(super) ctx: Context,
    keys: Vec<&'static str>,
    /// Entries whose fingerprint is known already (lists of summaries), by key.
    known: Vec<(&'static str, u64)>,
    /// How many summaries the page lists: its rendered size grows with them.
    pub(super) listed: usize,
}

impl PageContext {
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.insert_value(key, Value::from_serializable(value));
    }

    pub(super) fn insert_value(&mut self, key: &'static str, value: Value) {
        self.ctx.insert_value(Cow::Borrowed(key), value);
        self.keys.push(key);
    }

    /// Puts `value`, whose fingerprint is `fingerprint` (`None` outside the memo, which
    /// never asks for it).
    pub(super) fn insert_known(
        &mut self,
        key: &'static str,
        value: Value,
        fingerprint: Option<u64>,
    ) {
        self.known.retain(|(k, _)| *k != key);
        if let Some(fp) = fingerprint {
            self.known.push((key, fp));
        }
        self.insert_value(key, value);
    }

    /// Feeds every entry into `h`, in the order of the keys (a key put twice counts once,
    /// with its last value, as the template sees it).
    fn hash(&self, h: &mut impl Hasher) {
        let mut keys = self.keys.clone();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            key.hash(h);
            if let Some((_, fp)) = self.known.iter().find(|(k, _)| *k == key) {
                h.write_u64(*fp);
            } else if let Some(value) = self.ctx.get(key) {
                hash_value(value, h);
            }
        }
    }
}

/// A page as the last render made it, and the fingerprint of what it was made from.
#[derive(Clone)]
pub(super) struct PageEntry {
    key: u64,
    page: Page,
}

/// A brief's page and chart files as the last render made them, with what the rest of the
/// render took from it: its charts' warnings, its feed text and its search tokens.
#[derive(Clone)]
pub(super) struct BriefEntry {
    pub(super) key: u64,
    pub(super) page: Page,
    pub(super) charts: Arc<ChartsEntry>,
    /// Its body with stand-ins for its values, when it has values.
    pub(super) body: Option<Arc<KeptBody>>,
    pub(super) content: Option<String>,
    pub(super) tokens: BriefTokens,
}

/// A brief's charts as the last render drew them: what its page shows (`figures`, by block),
/// its chart files and their warnings, with the fingerprint of what they were drawn from. A
/// page whose values changed (a data file only they read) draws none of its charts again.
#[derive(Default)]
pub(super) struct ChartsEntry {
    pub(super) key: u64,
    pub(super) figures: Vec<String>,
    pub(super) files: Vec<(String, Arc<Vec<u8>>)>,
    pub(super) warnings: Vec<Diag>,
}

/// Every page of the last render, by site path (list pages) and by brief file (briefs).
#[derive(Default)]
pub struct Memo {
    pages: HashMap<String, PageEntry>,
    /// Shared with the render that hands them over: an entry holds a brief's search tokens.
    pub(super) briefs: HashMap<String, Arc<BriefEntry>>,
    /// Every brief's neighbours, with what they were found from.
    neighbours: Option<related::KeptNeighbours>,
    /// Every brief's summary.
    summaries: KeptSummaries,
    /// The sitemap files, with the fingerprint of the pages they list.
    sitemap: Option<KeptSitemap>,
    /// The site-wide spend and its map values, with their fingerprint.
    spend: Option<KeptSpend>,
}

/// The site-wide spend and its map values, and the fingerprint region pages took of them.
type KeptSpend = (SiteSpend, Option<MapValues>, u64);

/// The sitemap files `(site path, text)`, with the fingerprint of what they list.
type KeptSitemap = (u64, Vec<(String, String)>);

impl Memo {
    /// Forgets a brief's entry: its page was rendered again outside a full render.
    pub(super) fn forget_brief(&mut self, brief: &Brief) {
        self.briefs.remove(&brief.path);
    }
}

/// A render's use of the memo: the last render's entries to reuse, and this render's entries,
/// which become the next render's memo.
pub(super) struct MemoUse<'a> {
    last: &'a Memo,
    /// What every page of the site is made from: its configuration and templates.
    site: u64,
    fresh_pages: Mutex<HashMap<String, PageEntry>>,
    /// How many pages were handed over.
    reused: AtomicUsize,
    /// This render's neighbours, once asked for.
    neighbours: Mutex<Option<related::KeptNeighbours>>,
    sitemap: Mutex<Option<KeptSitemap>>,
    spend: Mutex<Option<KeptSpend>>,
}

impl<'a> MemoUse<'a> {
    pub(super) fn new(last: &'a Memo, site: &Site) -> Self {
        let mut h = fingerprint::hasher();
        // Debug output lists every field of the configuration, --base-url's override included.
        format!("{:?}", site.config).hash(&mut h);
        for t in &site.templates {
            (&t.name, &t.path, &t.text).hash(&mut h);
        }
        MemoUse {
            last,
            site: h.finish(),
            fresh_pages: Mutex::new(HashMap::new()),
            reused: AtomicUsize::new(0),
            neighbours: Mutex::new(None),
            sitemap: Mutex::new(None),
            spend: Mutex::new(None),
        }
    }

    /// The sitemap files over `urls` (in order): the last render's when it listed the same
    /// pages with the same dates, else `make`'s. Writing 10,000 addresses was a serial 15 ms
    /// at the end of every save.
    pub(super) fn sitemap_or(
        &self,
        urls: &[super::sitemap::SitemapUrl],
        make: impl FnOnce() -> Vec<(String, String)>,
    ) -> Vec<(String, String)> {
        let mut h = fingerprint::hasher();
        self.site.hash(&mut h);
        for url in urls {
            url.path.hash(&mut h);
            url.lastmod.as_ref().map(date_key).hash(&mut h);
        }
        let key = h.finish();
        let files = match &self.last.sitemap {
            Some((k, files)) if *k == key => files.clone(),
            _ => make(),
        };
        if let Ok(mut mine) = self.sitemap.lock() {
            *mine = Some((key, files.clone()));
        }
        files
    }

    /// The fingerprint of the site-wide spend and its map values: the last render's while
    /// they are equal to the last render's, else `make`'s. Comparing them is a fraction of
    /// printing every data row behind them, which `make` does.
    pub(super) fn spend_key_or(
        &self,
        spend: &SiteSpend,
        map: &Option<MapValues>,
        make: impl FnOnce() -> u64,
    ) -> u64 {
        let key = match &self.last.spend {
            Some((s, m, key)) if s == spend && m == map => *key,
            _ => make(),
        };
        if let Ok(mut mine) = self.spend.lock() {
            *mine = Some((spend.clone(), map.clone(), key));
        }
        key
    }

    /// Every brief's neighbours: the last render's, found again where they may differ.
    pub(super) fn neighbours(&self, site: &Site) -> Arc<Vec<Neighbours>> {
        let kept = related::kept_or_found(site, self.last.neighbours.as_ref());
        let all = kept.all.clone();
        if let Ok(mut mine) = self.neighbours.lock() {
            *mine = Some(kept);
        }
        all
    }

    /// The fingerprint of a list page.
    pub(super) fn page_key(
        &self,
        template: &str,
        ctx: &PageContext,
        path: &str,
        lastmod: &Option<BriefDate>,
    ) -> u64 {
        let mut h = fingerprint::hasher();
        (self.site, template, path, format!("{lastmod:?}")).hash(&mut h);
        ctx.hash(&mut h);
        h.finish()
    }

    /// The page at `path` as the last render made it from the same inputs (`key`), else the
    /// one `make` makes; either is remembered for the next render.
    pub(super) fn page_or(
        &self,
        path: &str,
        key: u64,
        make: impl FnOnce() -> Result<Page, Diag>,
    ) -> Result<Page, Diag> {
        let page = match self.last.pages.get(path).filter(|e| e.key == key) {
            Some(entry) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                entry.page.clone()
            }
            None => make()?,
        };
        self.keep_page(path, key, &page);
        Ok(page)
    }

    /// Remembers a page this render made, for the next.
    fn keep_page(&self, path: &str, key: u64, page: &Page) {
        if let Ok(mut fresh) = self.fresh_pages.lock() {
            let entry = PageEntry {
                key,
                page: page.clone(),
            };
            fresh.insert(path.to_string(), entry);
        }
    }

    /// The fingerprint of a brief's page and chart files, taken without rendering any of it.
    /// The page shows the site (its configuration), the brief's front-matter and body (its
    /// file, the data files it reads, its path and schedule, whether feeds show it in full)
    /// and summaries: its own and its neighbours' (`summaries`, their fingerprints, in the
    /// order the page shows them, `None` where it has no older or newer brief).
    pub(super) fn brief_key(
        &self,
        brief: &Brief,
        in_full_feed: bool,
        summaries: &[Option<u64>],
    ) -> u64 {
        let mut h = fingerprint::hasher();
        (
            self.site,
            &brief.path,
            brief.fingerprint,
            brief.data_fingerprint,
        )
            .hash(&mut h);
        (
            brief.site_path(),
            format!("{:?}", brief.schedule),
            in_full_feed,
        )
            .hash(&mut h);
        summaries.hash(&mut h);
        h.finish()
    }

    /// The fingerprint of a brief's charts: the site, the brief's file and path, and the data
    /// files its charts read (see [`super::chart::render_chart`]).
    pub(super) fn charts_key(&self, brief: &Brief) -> u64 {
        let mut h = fingerprint::hasher();
        (
            self.site,
            &brief.path,
            brief.fingerprint,
            brief.chart_data_fingerprint,
            brief.site_path(),
        )
            .hash(&mut h);
        h.finish()
    }

    /// The charts the last render drew for a brief, when drawn from the same inputs.
    pub(super) fn charts(&self, brief: &Brief, key: u64) -> Option<&'a Arc<ChartsEntry>> {
        let entry = self.last.briefs.get(&brief.path)?;
        (entry.charts.key == key).then_some(&entry.charts)
    }

    /// A brief's body with stand-ins for its values ([`super::value_slots`]): as the last
    /// render kept it when made from the same text, figures (`charts`, their fingerprint) and
    /// shape of values, else rendered now.
    pub(super) fn body(
        &self,
        brief: &Brief,
        charts: u64,
        markdown: &str,
        figures: &[String],
    ) -> Arc<KeptBody> {
        let key = fingerprint::of((charts, brief.fingerprint, value_slots::shape(&brief.bound)));
        let last = self
            .last
            .briefs
            .get(&brief.path)
            .and_then(|e| e.body.as_ref());
        match last.filter(|b| b.key == key) {
            Some(body) => body.clone(),
            None => Arc::new(KeptBody {
                key,
                slots: value_slots::render(markdown, figures, &brief.bound),
            }),
        }
    }

    /// The last render's entry for a brief, when it was made from the same inputs.
    pub(super) fn brief(&self, brief: &Brief, key: u64) -> Option<&'a Arc<BriefEntry>> {
        let entry = self.last.briefs.get(&brief.path).filter(|e| e.key == key)?;
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(entry)
    }

    /// How many pages this render handed over from the last.
    pub(super) fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// The last render's summaries, and the fingerprint of the site they were built for.
    pub(super) fn summaries(&self) -> (&'a KeptSummaries, u64) {
        (&self.last.summaries, self.site)
    }

    /// This render's memo, from its list pages, its briefs' entries and its summaries.
    pub(super) fn finish(
        self,
        briefs: impl Iterator<Item = (String, Arc<BriefEntry>)>,
        summaries: KeptSummaries,
    ) -> Memo {
        Memo {
            pages: self.fresh_pages.into_inner().unwrap_or_default(),
            briefs: briefs.collect(),
            neighbours: self.neighbours.into_inner().unwrap_or_default(),
            summaries,
            sitemap: self.sitemap.into_inner().unwrap_or_default(),
            spend: self.spend.into_inner().unwrap_or_default(),
        }
    }
}

/// A date as written: the day, and the time with its own offset (which a sitemap shows).
fn date_key(date: &BriefDate) -> impl Hash + use<> {
    let time = date
        .time
        .map(|t| (t.naive_local(), t.offset().local_minus_utc()));
    (date.date, time)
}
