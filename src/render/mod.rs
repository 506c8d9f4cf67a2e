//! The render stage: turns a [`Site`] into output files, all in memory.
//!
//! Pages render in parallel and are handed one by one to a [`Sink`]; the render stage never
//! touches the disk itself. `briefing build` passes the write stage's staging folder,
//! `briefing check` a sink that only counts. After the pages come the files that describe
//! them: the search index ([`search`]), the feeds ([`feeds`]), the sitemap and robots.txt
//! ([`sitemap`], over exactly the pages written), `_headers` ([`headers`]), then the static assets.

mod annotations;
mod chart;
pub mod chart_svg;
mod context;
mod embed;
mod facet_figure;
pub(crate) mod feeds;
mod headers;
mod map_figure;
pub mod markdown;
pub mod memo;
mod pages;
pub(crate) mod paginate;
mod per_brief;
mod region_page;
pub(crate) mod related;
pub mod rerender;
mod sanitize;
pub mod search;
pub(crate) mod sitemap;
mod spend_figures;
mod summary;
mod templates;
pub mod text;
pub mod tokens;
mod value_slots;
mod values;
pub(crate) mod xml;

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diag::Diag;
use crate::model::{Brief, HostHeaders, Site, TaxonomyKind};
use crate::output::{Checked, Contents, OutputFile, Sink};
use crate::routes::{self, SEARCH_SCRIPT};
use feeds::Feeds;
use pages::{Page, PageRenderer};
use per_brief::brief_alone;
use related::Neighbours;
use sitemap::{MAX_BYTES_PER_FILE, MAX_URLS_PER_FILE, SitemapUrl};
pub use templates::{SEARCH_SCRIPT_SOURCE, STYLESHEET, Templates};

/// What rendering produced besides the files.
#[derive(Debug, Default)]
pub struct RenderReport {
    pub pages: usize,
    /// Of `pages`, how many were handed over from the last render ([`Keep::From`]).
    pub pages_reused: usize,
    pub files: usize,
    /// Bytes of the search index (manifest, shards and result data) under `search/`.
    pub search_index_bytes: u64,
    pub diags: Vec<Diag>,
}

/// Hands files to the real sink and remembers every generated path and every page's sitemap
/// entry, so static files cannot silently replace a generated file and the sitemap lists
/// exactly the pages written.
struct Generated<'a> {
    sink: &'a dyn Sink,
    paths: Mutex<HashSet<String>>,
    sitemap: Mutex<Vec<SitemapUrl>>,
    pages: AtomicUsize,
}

impl<'a> Generated<'a> {
    fn new(sink: &'a dyn Sink) -> Generated<'a> {
        Generated {
            sink,
            paths: Mutex::new(HashSet::new()),
            sitemap: Mutex::new(Vec::new()),
            pages: AtomicUsize::new(0),
        }
    }

    fn put(&self, path: String, bytes: Vec<u8>) -> Result<(), Diag> {
        self.put_contents(path, Contents::Bytes(bytes))
    }

    fn put_shared(&self, path: String, bytes: Arc<Vec<u8>>) -> Result<(), Diag> {
        self.put_contents(path, Contents::Shared(bytes))
    }

    fn put_contents(&self, path: String, contents: Contents) -> Result<(), Diag> {
        if let Ok(mut paths) = self.paths.lock() {
            paths.insert(path.clone());
        }
        self.sink.put(OutputFile { path, contents })
    }

    fn page(&self, page: Result<Page, Diag>) -> Result<(), Diag> {
        self.pages.fetch_add(1, Ordering::Relaxed);
        let page = page?;
        if let Some(entry) = page.sitemap
            && let Ok(mut sitemap) = self.sitemap.lock()
        {
            sitemap.push(entry);
        }
        self.put_shared(page.path, page.html)
    }
}

pub fn render_site(site: &Site, sink: &dyn Sink) -> RenderReport {
    render_site_keeping(site, sink, Keep::Nothing).0
}

/// What a render keeps for the next ([`rerender::Kept`]).
pub enum Keep {
    /// Nothing (a build to disk): the search tokens are freed as soon as the index is built.
    Nothing,
    /// What a later save needs: every page with the fingerprint of its inputs, every brief's
    /// search tokens and feed text.
    Fresh,
    /// As `Fresh`, reusing every page of the last render whose inputs are unchanged.
    From(Box<rerender::Kept>),
}

/// Renders the site and, unless told [`Keep::Nothing`], keeps what the next render after a
/// save needs to render only what the save changed.
pub fn render_site_keeping(
    site: &Site,
    sink: &dyn Sink,
    keep: Keep,
) -> (RenderReport, Option<rerender::Kept>) {
    let (last, collector) = match keep {
        Keep::Nothing => (None, None),
        Keep::Fresh => (
            Some(memo::Memo::default()),
            Some(search::TokenCollector::keeping()),
        ),
        Keep::From(kept) => {
            let kept = *kept;
            (Some(kept.memo), Some(kept.collector))
        }
    };
    let keep = last.is_some();
    let memo = last.as_ref().map(|last| memo::MemoUse::new(last, site));
    let collector: search::TokenCollector = collector.unwrap_or_default();
    let mut report = RenderReport::default();
    let templates = match Templates::load(&site.templates) {
        Ok(t) => t,
        Err(diags) => {
            report.diags = diags;
            return (report, None);
        }
    };
    // Every file passes the output contract's checks once, whatever the target.
    let checked = Checked::new(sink);
    let out = Generated::new(&checked);
    let mut results: Vec<Result<(), Diag>> = Vec::new();
    let spend = spend_figures::spend_view(site, &out, &mut results);
    let renderer = PageRenderer::new(site, &templates, spend.as_ref()).with_memo(memo.as_ref());
    crate::trace::stage("render: spend");

    let terms = all_terms(site);
    // The list pages, all in parallel (the longest, every brief newest first, leads), beside
    // the brief pages: lists need only the briefs' summaries, and the one long page fills a
    // core the briefs leave idle.
    let mut lists = vec![
        ListPage::Briefs,
        ListPage::Home,
        ListPage::Search,
        ListPage::NotFound,
    ];
    lists.extend(TaxonomyKind::ALL.iter().map(|&k| ListPage::TermIndex(k)));
    lists.extend(terms.iter().map(|&(k, i)| ListPage::Term(k, i)));
    let (list_results, briefs) = rayon::join(
        || {
            let r = lists
                .par_iter()
                .flat_map_iter(|list| list.render(site, &renderer).into_iter())
                .map(|page| out.page(page))
                .collect::<Vec<_>>();
            crate::trace::stage("render: list pages");
            r
        },
        || per_brief::render_all(site, &renderer, &out, &collector, memo.as_ref()),
    );
    // Every summary (140 MB at 100,000 briefs) is freed before the search index is made.
    let summaries = renderer.keep_summaries();
    drop(renderer);
    if !keep {
        crate::reclaim::return_freed();
    }
    crate::trace::stage("render: summaries freed");
    let per_brief::Briefs {
        contents,
        tokens,
        warnings,
        entries,
        written,
        results: brief_results,
    } = briefs;
    results.extend(brief_results);
    results.extend(list_results);
    // The token lists are tens of megabytes at 100,000 briefs: a build hands them over to be
    // freed as the index is made; serve keeps them.
    let (index, tokens) = if keep {
        let index = search::build(site, &collector, Cow::Borrowed(&tokens));
        (index, Some(tokens))
    } else {
        (search::build(site, &collector, Cow::Owned(tokens)), None)
    };
    crate::trace::stage("render: search index");
    let kept_tokens = tokens.map(|tokens| (collector, tokens));
    report.pages = out.pages.load(Ordering::Relaxed);
    crate::trace::stage("render: lists, search index");
    report.search_index_bytes = index.total_bytes();
    let search_paths = index.files.iter().map(|(p, _)| p.clone()).collect();
    results.par_extend(
        index
            .files
            .into_par_iter()
            .map(|(path, bytes)| out.put(path, bytes)),
    );
    crate::trace::stage("render: search files");
    // Neither waits for the other: the sitemap lists every page, the feeds every brief.
    let (feeds, sitemaps) = rayon::join(
        || feed_files(site, &contents, &terms, &out),
        || sitemap_files(site, &out, memo.as_ref()),
    );
    results.extend(feeds);
    results.extend(sitemaps);

    results.extend(assets(site, &out));
    report.files = written + results.len();
    report.diags = results.into_iter().filter_map(Result::err).collect();
    report.diags.extend(warnings);
    report.pages_reused = memo.as_ref().map_or(0, memo::MemoUse::reused);
    let memo = memo.map(|m| m.finish(entries.into_iter(), summaries));
    if let Some(last) = last {
        crate::reclaim::drop_later(last);
    }
    let kept = kept_tokens
        .zip(memo)
        .map(|((collector, tokens), memo)| rerender::Kept {
            collector,
            tokens,
            contents,
            search_paths,
            memo,
        });
    (report, kept)
}

/// A page that lists briefs or terms, rendered after the brief pages.
enum ListPage {
    Briefs,
    Home,
    Search,
    NotFound,
    TermIndex(TaxonomyKind),
    /// A term's page (or pages, when paginated), by kind and index.
    Term(TaxonomyKind, usize),
}

impl ListPage {
    fn render(&self, site: &Site, renderer: &PageRenderer) -> Vec<Result<Page, Diag>> {
        match *self {
            ListPage::Briefs => renderer.brief_list(),
            ListPage::Home => vec![renderer.home()],
            ListPage::Search => vec![renderer.search()],
            ListPage::NotFound => vec![renderer.not_found()],
            ListPage::TermIndex(kind) => vec![renderer.term_index(kind)],
            ListPage::Term(kind, i) => renderer.term(kind, &site.taxonomy(kind).terms[i]),
        }
    }
}

/// The site's Atom and RSS feeds and one Atom feed per term.
fn feed_files(
    site: &Site,
    contents: &[Option<String>],
    terms: &[(TaxonomyKind, usize)],
    out: &Generated,
) -> Vec<Result<(), Diag>> {
    let feeds = Feeds::new(site, contents);
    let mut files = vec![feeds.site_atom(), feeds.site_rss()];
    if !site.config.term_feeds {
        return files
            .into_iter()
            .map(|f| out.put(f.path, f.xml.into_bytes()))
            .collect();
    }
    files.par_extend(
        terms
            .par_iter()
            .map(|&(k, i)| feeds.term_atom(k, &site.taxonomy(k).terms[i])),
    );
    files
        .into_iter()
        .map(|f| out.put(f.path, f.xml.into_bytes()))
        .collect()
}

/// `sitemap.xml` (or an index and its parts) over every page written, `robots.txt`, and
/// `_headers` with `headers: netlify`; the last two unless the site's `static/` has its own.
fn sitemap_files(
    site: &Site,
    out: &Generated,
    memo: Option<&memo::MemoUse>,
) -> Vec<Result<(), Diag>> {
    let mut urls = match out.sitemap.lock() {
        Ok(mut urls) => std::mem::take(&mut *urls),
        Err(_) => Vec::new(),
    };
    urls.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let make =
        || sitemap::sitemap_files(&site.config, &urls, MAX_URLS_PER_FILE, MAX_BYTES_PER_FILE);
    let files = match memo {
        Some(memo) => memo.sitemap_or(&urls, make),
        None => make(),
    };
    let mut results: Vec<Result<(), Diag>> = files
        .into_iter()
        .map(|(path, xml)| out.put(path, xml.into_bytes()))
        .collect();
    if !site.static_files.iter().any(|f| f.rel == routes::ROBOTS) {
        let robots = sitemap::robots_txt(&site.config);
        results.push(out.put(routes::ROBOTS.to_string(), robots.into_bytes()));
    }
    // Like robots.txt, the site's own static/_headers replaces the generated one.
    if site.config.headers == HostHeaders::Netlify
        && !site
            .static_files
            .iter()
            .any(|f| f.rel == routes::NETLIFY_HEADERS)
    {
        let text = headers::netlify_headers();
        results.push(out.put(routes::NETLIFY_HEADERS.to_string(), text.into_bytes()));
    }
    results
}

/// One brief as it renders, with what its page needs to know about the rest of the site. Built
/// per brief as its page renders and dropped with it, so no per-site vectors run beside
/// `site.briefs` (at 100,000 briefs they were a second copy of every neighbour list).
pub(crate) struct BriefPlace<'a> {
    pub(crate) brief: &'a Brief,
    /// Its place in site order (newest first).
    pub(crate) index: usize,
    /// The briefs just older and newer, and related briefs, for the page's links.
    pub(crate) neighbours: Neighbours,
    /// Whether a feed shows the brief in full, so its body HTML is kept for the feeds.
    pub(crate) in_full_feed: bool,
}

/// The site's `static/` files, and the built-in stylesheet and search script unless
/// `static/style.css` or `static/search.js` replaces them.
fn assets(site: &Site, out: &Generated) -> Vec<Result<(), Diag>> {
    let mut results = Vec::new();
    let has_own = |rel: &str| site.static_files.iter().any(|f| f.rel == rel);
    for (rel, source) in [
        (routes::STYLESHEET, STYLESHEET),
        (SEARCH_SCRIPT, SEARCH_SCRIPT_SOURCE),
    ] {
        if !has_own(rel) {
            results.push(out.put(rel.to_string(), source.as_bytes().to_vec()));
        }
    }
    // Taken, not copied: nothing is generated after the static files (130,000 paths at
    // 100,000 briefs, copied at the build's peak).
    let generated = match out.paths.lock() {
        Ok(mut paths) => std::mem::take(&mut *paths),
        Err(_) => HashSet::new(),
    };
    for file in &site.static_files {
        if generated.contains(&file.rel) {
            results.push(Err(Diag::error(
                "static/conflict",
                format!(
                    "static/{} would replace the page briefing generates at {}",
                    file.rel, file.rel
                ),
            )
            .in_file(format!("static/{}", file.rel))
            .with_help(
                "rename or remove the static file; override pages with templates/ instead",
            )));
            continue;
        }
        results.push(out.sink.put(OutputFile {
            path: file.rel.clone(),
            contents: Contents::CopyOf(file.source_path.clone()),
        }));
    }
    results
}

/// Every term of the site, by kind and index: the term pages and term feeds there are.
fn all_terms(site: &Site) -> Vec<(TaxonomyKind, usize)> {
    TaxonomyKind::ALL
        .iter()
        .flat_map(|&k| (0..site.taxonomy(k).terms.len()).map(move |i| (k, i)))
        .collect()
}

/// Renders one brief's page and chart files, templates compiled first (the page benchmark,
/// benches/stages.rs). Returns the problems.
pub fn render_one_brief(site: &Site, index: usize, sink: &dyn Sink) -> Vec<Diag> {
    let templates = match Templates::load(&site.templates) {
        Ok(t) => t,
        Err(diags) => return diags,
    };
    // Every file passes the output contract's checks once, whatever the target.
    let checked = Checked::new(sink);
    let out = Generated::new(&checked);
    match brief_alone(site, &templates, index, &out, None) {
        Some(output) => output.problems(),
        None => vec![no_such_brief()],
    }
}

fn no_such_brief() -> Diag {
    Diag::error("internal/bug", "internal: no such brief to re-render")
}
