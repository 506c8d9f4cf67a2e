//! The site as plain data: what the load stage produces and the render stage reads.
//!
//! No IO, no HTML, no templates here. Once built, a [`Site`] is immutable while pages render
//! in parallel.

pub(crate) mod aggregate;
pub mod annotation;
pub mod chart;
mod date;
pub mod facet;
pub mod format;
pub mod map;
pub mod slug;
pub(crate) mod spend;
mod taxonomy;
pub(crate) mod time;
pub mod value;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

pub use date::BriefDate;
pub use taxonomy::{Taxonomy, TaxonomyKind, Term};

/// The Markdown dialect briefs are written in: CommonMark with GFM tables, footnotes,
/// strikethrough, task lists and smart punctuation. Loading (to find chart blocks) and
/// rendering parse with the same options.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

/// `site.yaml`, validated.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute, without a trailing slash: `https://example.org` or `https://example.org/sub`.
    pub base_url: String,
    /// The path part of `base_url` (`""` or `/sub`), prefixed to every internal link.
    pub base_path: String,
    pub description: Option<String>,
    pub language: String,
    pub author: Option<String>,
    /// How many entries each feed holds, newest first (`feed_limit`, default 20).
    pub feed_limit: usize,
    /// Whether feed entries carry the whole brief or only its summary (`feed_content`).
    pub feed_content: FeedContent,
    /// How many briefs a list page shows before it continues on `page/2/` (`page_size`,
    /// default 50); 0 puts every list on one page.
    pub page_size: usize,
    /// Whether every tag and region gets its own Atom feed (`term_feeds`, default true).
    pub term_feeds: bool,
    /// Which host's header file the build writes beside the pages (`headers`, default none).
    pub headers: HostHeaders,
    /// Whether the home page opens with the spend map when there is spend data (`home_map`,
    /// default true).
    pub home_map: bool,
}

/// A host's file of response headers, written at the output root (`headers` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostHeaders {
    /// No header file (the default): the host sends its own headers.
    #[default]
    None,
    /// `_headers`, the format Netlify and Cloudflare Pages read.
    Netlify,
}

/// Entries per feed when `site.yaml` has no `feed_limit`.
pub const DEFAULT_FEED_LIMIT: usize = 20;
/// Briefs per list page when `site.yaml` has no `page_size`.
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// What a feed entry carries besides its title, link and dates (`feed_content` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeedContent {
    /// The summary only (the default): readers follow the link for the brief.
    #[default]
    Summary,
    /// The summary and the whole brief as HTML.
    Full,
}

impl SiteConfig {
    /// Root-relative URL of a site path such as `briefs/x/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_path, path)
    }

    /// Absolute URL of a site path, percent-encoded where URLs require it.
    pub fn permalink(&self, path: &str) -> String {
        let origin_len = self.base_url.len() - self.base_path.len();
        let origin = &self.base_url[..origin_len];
        // Written into one string: every feed entry, sitemap line and page head asks for one.
        let mut out = String::with_capacity(self.base_url.len() + 1 + path.len() * 2);
        out.push_str(origin);
        push_encoded(&mut out, &self.base_path);
        out.push('/');
        push_encoded(&mut out, path);
        out
    }
}

/// Percent-encodes the bytes of a path that are not safe in a URL, keeping `/`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_encoded(&mut out, path);
    out
}

/// [`encode_path`] onto the end of `out`: runs of safe bytes are copied whole.
fn push_encoded(out: &mut String, path: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&b);
    let bytes = path.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !safe(b) {
            // A run of safe bytes is ASCII, so it starts and ends on character boundaries
            // (an empty one between two bytes of a character may not, and is skipped).
            if run < i {
                out.push_str(&path[run..i]);
            }
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
            run = i + 1;
        }
    }
    out.push_str(&path[run..]);
}

/// The front-matter of a brief, validated. Unknown keys are kept in `extra`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: BriefDate,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub regions: Vec<String>,
    pub slug: Option<String>,
    pub draft: bool,
    pub updated: Option<BriefDate>,
    /// Before this moment the brief is left out of the site (`publish_date`, Hugo's
    /// `publishDate`), unless `--future`.
    pub publish_date: Option<BriefDate>,
    /// From this moment the brief is left out of the site (`expiry_date`, Hugo's
    /// `expiryDate`), unless `--expired`.
    pub expiry_date: Option<BriefDate>,
    pub authors: Vec<String>,
    /// Numbers the prose takes from data files (`values:`; docs/values.md), in written order.
    pub values: Vec<value::ValueSpec>,
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// One brief: its front-matter, where it came from, and its Markdown body.
#[derive(Debug, Clone)]
pub struct Brief {
    /// Path relative to the site folder, as reported to the user.
    pub path: String,
    pub source_path: PathBuf,
    pub slug: String,
    pub front: FrontMatter,
    /// The decoded file text (BOM stripped, line endings normalised to `\n`).
    pub source: Arc<str>,
    /// Where the Markdown body starts in `source`.
    pub body_offset: usize,
    /// The brief's ```chart blocks, in order.
    pub charts: Vec<chart::ChartSpec>,
    /// What each of `charts` draws, in the same order: filled by [`Site::assemble`] (unless
    /// the load stage kept them from an earlier build) from the
    /// data files, which are not kept (at 100,000 briefs they would hold millions of cells
    /// through the whole build); empty until then. Kept beside `charts` rather than inside
    /// each spec because a spec is what the load stage parsed and compares equal across
    /// reloads of an unchanged block. A brief reloaded on its own (serve, when only its text
    /// changed) has none until they are moved over from the brief it replaces: its charts are
    /// the same, and the data files are no longer in memory to prepare them again.
    pub prepared: Arc<[chart::PreparedChart]>,
    /// Whether the brief is scheduled or expired at the build's "now": set by the load stage,
    /// which keeps such a brief only under `--future` or `--expired`, so its page says so.
    pub schedule: Option<Schedule>,
    /// The body's `` `{value} name` `` spans, in order (found at load time, with the body).
    pub value_uses: Vec<value::ValueUse>,
    /// What each of `front.values` shows, sorted by name (see [`value::find`]): filled by the
    /// load stage from the data files (which are not kept), like `prepared`; empty until then.
    pub bound: Vec<value::BoundValue>,
    /// A fingerprint of the file's text ([`crate::fingerprint`]): `briefing serve` tells an
    /// unchanged brief by it.
    pub fingerprint: u64,
    /// A fingerprint of the data files its charts and values read (each file's bytes, or
    /// that it is missing): set by the load stage with the data, 0 until then.
    pub data_fingerprint: u64,
    /// As `data_fingerprint`, of the files its charts read alone: a chart is what it was
    /// while its brief's file and these are, whatever its values read.
    pub chart_data_fingerprint: u64,
}

/// A brief that is not live at the build's "now" but was kept by `--future` or `--expired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleState {
    /// Its `publish_date` is still to come.
    Scheduled,
    /// Its `expiry_date` has passed.
    Expired,
}

/// Why a brief is not live, and the date that makes it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub state: ScheduleState,
    pub date: BriefDate,
}

impl FrontMatter {
    /// Whether the brief is scheduled or expired at `now` (seconds since the epoch); `None`
    /// when it is live. A date without a time is midnight UTC at the start of that day; a
    /// brief is live from its `publish_date` on, and gone from its `expiry_date` on.
    pub fn schedule_at(&self, now: i64) -> Option<Schedule> {
        if let Some(publish) = &self.publish_date
            && publish.timestamp() > now
        {
            return Some(Schedule {
                state: ScheduleState::Scheduled,
                date: publish.clone(),
            });
        }
        match &self.expiry_date {
            Some(expiry) if expiry.timestamp() <= now => Some(Schedule {
                state: ScheduleState::Expired,
                date: expiry.clone(),
            }),
            _ => None,
        }
    }
}

/// A brief's whole text and where its body starts.
#[derive(Debug, Clone)]
pub struct BriefText {
    pub text: Arc<str>,
    pub body_start: usize,
}

impl BriefText {
    pub fn body(&self) -> &str {
        &self.text[self.body_start.min(self.text.len())..]
    }
}

/// How the render stage gets a brief's text back. Bodies are not kept in memory between load
/// and render (100,000 briefs are 600 MB of Markdown): the load stage, which owns reading
/// files, reads them again when their page renders.
pub type ReadBrief = fn(&Brief) -> Result<BriefText, crate::diag::Diag>;

/// The text of a brief whose body is still in memory; the default for sites built in memory.
pub fn text_in_memory(brief: &Brief) -> Result<BriefText, crate::diag::Diag> {
    if brief.has_body() {
        Ok(BriefText {
            text: brief.source.clone(),
            body_start: brief.body_offset,
        })
    } else {
        Err(
            crate::diag::Diag::error("internal/bug", "the brief's text is no longer in memory")
                .in_file(brief.path.clone()),
        )
    }
}

impl Brief {
    /// Whether `source` still holds the body (it holds only the front-matter once the load
    /// stage has finished with it).
    pub fn has_body(&self) -> bool {
        self.source.len() > self.body_offset
    }

    /// Keeps only the front-matter in memory; the body is read again when it renders.
    pub fn drop_body(&mut self) {
        if self.has_body() {
            self.source = Arc::from(&self.source[..self.body_offset]);
        }
    }

    /// Each chart block with what it draws (none when its data was never prepared).
    pub fn charts_prepared(
        &self,
    ) -> impl Iterator<Item = (&chart::ChartSpec, Option<&chart::PreparedChart>)> {
        let prepared = self
            .prepared
            .iter()
            .map(Some)
            .chain(std::iter::repeat(None));
        self.charts.iter().zip(prepared)
    }

    /// The site path of the brief's page.
    pub fn site_path(&self) -> String {
        crate::routes::brief(&self.slug)
    }
}

/// A file under `static/`, copied to the output as is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to `static/` with `/` separators; also its path in the output.
    pub rel: String,
    pub source_path: PathBuf,
}

/// A template from the site's `templates/` folder that overrides the built-in one of that name.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub path: String,
    pub text: String,
}

/// `briefs` newest first, ties broken by title, then slug. The order is found over indices
/// and the briefs moved once: sorting the briefs themselves moved each (520 bytes) a dozen
/// times, a serial 8 ms of every save at 10,000 briefs.
fn newest_first(briefs: Vec<Brief>) -> Vec<Brief> {
    let mut order: Vec<usize> = (0..briefs.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (a, b) = (&briefs[a], &briefs[b]);
        b.front
            .date
            .cmp(&a.front.date)
            .then_with(|| a.front.title.cmp(&b.front.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let mut slots: Vec<Option<Brief>> = briefs.into_iter().map(Some).collect();
    let mut sorted = Vec::with_capacity(slots.len());
    sorted.extend(order.into_iter().filter_map(|i| slots[i].take()));
    sorted
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Newest first; ties broken by title, then slug.
    pub briefs: Vec<Brief>,
    pub tags: Taxonomy,
    pub regions: Taxonomy,
    pub static_files: Vec<StaticFile>,
    pub templates: Vec<TemplateSource>,
    /// Spend by region across every data file charted by region.
    pub spend: Option<spend::SiteSpend>,
    /// Gives back a brief's text when its page renders (see [`ReadBrief`]).
    pub read_brief: ReadBrief,
}

impl Site {
    /// Orders the briefs and builds the taxonomies. Briefs must already have unique slugs.
    pub fn assemble(
        config: SiteConfig,
        briefs: Vec<Brief>,
        static_files: Vec<StaticFile>,
        templates: Vec<TemplateSource>,
        data: BTreeMap<String, chart::DataTable>,
    ) -> Site {
        let mut briefs = newest_first(briefs);
        let tags = Taxonomy::build(TaxonomyKind::Tags, &briefs, |b| &b.front.tags);
        let regions = Taxonomy::build(TaxonomyKind::Regions, &briefs, |b| &b.front.regions);
        // A brief can come prepared (serve keeps what unchanged briefs' charts draw).
        briefs
            .par_iter_mut()
            .filter(|b| b.prepared.len() != b.charts.len())
            .for_each(|brief| {
                brief.prepared = brief
                    .charts
                    .iter()
                    .map(|spec| chart::PreparedChart::of(spec, &data))
                    .collect();
            });
        let spend = spend::site_spend(&briefs, &data);
        Site {
            config,
            briefs,
            tags,
            regions,
            static_files,
            templates,
            spend,
            read_brief: text_in_memory,
        }
    }

    /// A brief's whole text, for rendering its body.
    pub fn brief_text(&self, brief: &Brief) -> Result<BriefText, crate::diag::Diag> {
        (self.read_brief)(brief)
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        match kind {
            TaxonomyKind::Tags => &self.tags,
            TaxonomyKind::Regions => &self.regions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_byte_by_byte_outside_the_safe_set() {
        // The reference: one byte at a time.
        let reference = |path: &str| -> String {
            path.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&b) {
                        char::from(b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        };
        for path in [
            "",
            "briefs/x/",
            "regions/ελλάδα/",
            "tags/a b/\"q\"<>#?",
            "é",
            "xé",
            "éx",
            "日本/経済",
            "\u{10348}z",
        ] {
            assert_eq!(encode_path(path), reference(path), "{path:?}");
        }
        assert_eq!(
            encode_path("regions/ελλάδα/"),
            "regions/%CE%B5%CE%BB%CE%BB%CE%AC%CE%B4%CE%B1/"
        );
    }
}
