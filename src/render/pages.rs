//! One function per kind of page: builds its context and renders its template.

use std::sync::Arc;

use tera::Value;

use super::BriefPlace;
use super::context::{
    BriefView, DateView, FeedLink, Link, PageKind, PageView, ScheduleView, SearchView, Section,
    SiteView, TaxonomyView, TermView, nav,
};
use super::markdown::RenderedBody;
use super::memo::{MemoUse, PageContext};
use super::paginate::{ListPage, PaginationView, paginate};
use super::region_page;
use super::search::MANIFEST_PATH;
use super::sitemap::SitemapUrl;
use super::summary::Summaries;
use super::templates::Templates;
use crate::diag::Diag;
use crate::model::map::MapValues;
use crate::model::spend::SiteSpend;
use crate::model::{Brief, BriefDate, Site, TaxonomyKind, Term};
use crate::routes::{self, SITE_ATOM, SITE_RSS};

/// About how many bytes a page takes before its lists, and each brief a list shows (the
/// built-in theme's summaries are 700 to 1,100 bytes).
const PAGE_BYTES: usize = 16 << 10;
const LISTED_BYTES: usize = 1536;

/// How many briefs the home page lists.
pub(super) const HOME_BRIEFS: usize = 20;

/// A rendered page, the site path it belongs at (`briefs/x/index.html`), and how the sitemap
/// lists it (none for the 404 page).
#[derive(Clone)]
pub(super) struct Page {
    pub path: String,
    pub html: Arc<Vec<u8>>,
    pub sitemap: Option<SitemapUrl>,
}

/// Every section a page can be in.
const SECTIONS: [Section; 6] = [
    Section::Home,
    Section::Briefs,
    Section::Taxonomy(TaxonomyKind::Regions),
    Section::Taxonomy(TaxonomyKind::Tags),
    Section::Search,
    Section::None,
];

/// Everything every page needs, built once per build.
pub(super) struct PageRenderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    site_view: Value,
    /// Every brief's summary, built once and shared by every list that shows it.
    summaries: Summaries<'a>,
    /// Spend by region across the site, for the regions index and each region's page.
    spend: Option<&'a SpendView<'a>>,
    site_feeds: Vec<FeedLink>,
    /// The menu as each section shows it, built once: every page has one, and 10,000 brief
    /// pages built the same menu 10,000 times.
    navs: Vec<(Section, Value)>,
    /// Under `briefing serve`: the last render's pages, reused when made from the same inputs.
    memo: Option<&'a MemoUse<'a>>,
    /// What region pages' figures are made from, fingerprinted once, for the memo.
    region: region_page::MadeFrom<'a>,
}

/// The site-wide spend by region, ready for templates.
pub(super) struct SpendView<'a> {
    pub spend: &'a SiteSpend,
    /// The figure (SVG, table, CSV link, note) as HTML.
    pub figure: String,
    /// The same sums per country, and their map figure (when some region is a country).
    pub map: Option<MapValues>,
    pub map_figure: Option<String>,
}

impl<'a> PageRenderer<'a> {
    pub(super) fn new(
        site: &'a Site,
        templates: &'a Templates,
        spend: Option<&'a SpendView<'a>>,
    ) -> Self {
        let config = &site.config;
        let site_feeds = vec![
            FeedLink {
                title: format!("{} (Atom)", config.title),
                url: config.url(SITE_ATOM),
                media_type: "application/atom+xml",
            },
            FeedLink {
                title: format!("{} (RSS)", config.title),
                url: config.url(SITE_RSS),
                media_type: "application/rss+xml",
            },
        ];
        PageRenderer {
            site,
            templates,
            site_view: Value::from_serializable(&SiteView::of(&site.config)),
            summaries: Summaries::new(site),
            spend,
            site_feeds,
            navs: SECTIONS
                .iter()
                .map(|&section| (section, Value::from_serializable(&nav(config, section))))
                .collect(),
            memo: None,
            region: region_page::MadeFrom::new(spend),
        }
    }

    /// Reuses the pages of the last render that `memo` holds, when made from the same inputs.
    pub(super) fn with_memo(mut self, memo: Option<&'a MemoUse<'a>>) -> Self {
        if let Some(memo) = memo {
            let (kept, site_key) = memo.summaries();
            self.summaries = self.summaries.with_kept(kept, site_key);
        }
        self.memo = memo;
        self.region = region_page::MadeFrom::new(self.spend).with_memo(memo);
        self
    }

    /// Every brief's summary, for the next render (empty outside serve's memo).
    pub(super) fn keep_summaries(&self) -> super::summary::KeptSummaries {
        self.summaries.keep()
    }

    fn context(&self, page: PageView, section: Section) -> PageContext {
        let mut ctx = PageContext::default();
        ctx.insert_value("site", self.site_view.clone());
        match self.navs.iter().find(|(s, _)| *s == section) {
            Some((_, menu)) => ctx.insert_value("nav", menu.clone()),
            None => ctx.insert("nav", &nav(&self.site.config, section)),
        }
        ctx.insert("page", &page);
        ctx
    }

    fn page_view(
        &self,
        title: String,
        description: Option<&str>,
        path: &str,
        kind: PageKind,
    ) -> PageView {
        let config = &self.site.config;
        let description = description
            .or(config.description.as_deref())
            .unwrap_or(&config.title)
            .to_string();
        PageView {
            title,
            description,
            url: config.url(path),
            permalink: config.permalink(path),
            kind,
            og_type: kind.og_type(),
            feeds: self.site_feeds.clone(),
            previous: None,
            next: None,
        }
    }

    /// The newest `updated` (else `date`) of some briefs: a list page's `lastmod`.
    fn newest(&self, indices: impl Iterator<Item = usize>) -> Option<BriefDate> {
        indices
            .map(|i| {
                let front = &self.site.briefs[i].front;
                front.updated.as_ref().unwrap_or(&front.date)
            })
            .max_by_key(|d| d.timestamp())
            .cloned()
    }

    fn titled(&self, title: &str) -> String {
        format!("{title} · {}", self.site.config.title)
    }

    /// Renders `template` into `<site path>index.html` (or `path` itself when it names a file),
    /// or hands over the page the last render made from the same inputs.
    fn render(
        &self,
        template: &str,
        ctx: &PageContext,
        path: &str,
        lastmod: Option<BriefDate>,
    ) -> Result<Page, Diag> {
        let Some(memo) = self.memo else {
            return self.render_afresh(template, ctx, path, lastmod);
        };
        let key = memo.page_key(template, ctx, path, &lastmod);
        memo.page_or(path, key, || {
            self.render_afresh(template, ctx, path, lastmod)
        })
    }

    /// As [`Self::render`], for a page whose context `fill` completes: under the memo, only
    /// when the page is not handed over, its fingerprint taken from `made_from` (the
    /// fingerprint of what `fill` puts) instead.
    fn render_filled(
        &self,
        template: &str,
        mut ctx: PageContext,
        path: &str,
        lastmod: Option<BriefDate>,
        made_from: Option<u64>,
        fill: impl FnOnce(&mut PageContext) -> Result<(), Diag>,
    ) -> Result<Page, Diag> {
        let (Some(memo), Some(made_from)) = (self.memo, made_from) else {
            fill(&mut ctx)?;
            return self.render_afresh(template, &ctx, path, lastmod);
        };
        let page_key = memo.page_key(template, &ctx, path, &lastmod);
        let key = crate::fingerprint::of((page_key, made_from));
        memo.page_or(path, key, || {
            fill(&mut ctx)?;
            self.render_afresh(template, &ctx, path, lastmod)
        })
    }

    fn render_afresh(
        &self,
        template: &str,
        ctx: &PageContext,
        path: &str,
        lastmod: Option<BriefDate>,
    ) -> Result<Page, Diag> {
        // A page listing every brief is tens of megabytes at 100,000 briefs: its buffer is
        // sized for it once rather than doubled (and copied) a dozen times on the way there.
        let capacity = PAGE_BYTES + ctx.listed * LISTED_BYTES;
        let html = self.templates.render(template, &ctx.ctx, capacity)?;
        let (file, sitemap) = match routes::page_file(path) {
            Some(file) => {
                let sitemap = SitemapUrl {
                    path: path.to_string(),
                    lastmod,
                };
                (file, Some(sitemap))
            }
            None => (path.to_string(), None),
        };
        Ok(Page {
            path: file,
            html: Arc::new(html),
            sitemap,
        })
    }

    /// A brief page's context without its body: what the page shows of the site, of the
    /// brief's neighbours and of its front-matter (the memo's fingerprint of the page before
    /// its body renders).
    pub(super) fn brief_context(&self, place: &BriefPlace) -> PageContext {
        let brief = place.brief;
        let path = brief.site_path();
        let page = self.page_view(
            self.titled(&brief.front.title),
            brief.front.summary.as_deref(),
            &path,
            PageKind::Brief,
        );
        let mut ctx = self.context(page, Section::Briefs);
        let config = &self.site.config;
        let breadcrumbs = [
            Link {
                name: "Home".to_string(),
                url: config.url(routes::HOME),
            },
            Link {
                name: "Briefs".to_string(),
                url: config.url(routes::BRIEFS),
            },
            Link {
                name: brief.front.title.clone(),
                url: config.url(&path),
            },
        ];
        ctx.insert("breadcrumbs", &breadcrumbs);
        let around = &place.neighbours;
        if let Some(older) = around.older {
            ctx.insert_value("older", self.summaries.of(older));
        }
        if let Some(newer) = around.newer {
            ctx.insert_value("newer", self.summaries.of(newer));
        }
        self.insert_summaries(&mut ctx, "related", around.related.iter().copied());
        ctx
    }

    /// The fingerprints of the summaries a brief's page shows: its own, its older and newer
    /// briefs' and its related briefs', in that order (the memo's key).
    pub(super) fn brief_summaries(&self, place: &BriefPlace) -> Vec<Option<u64>> {
        let around = &place.neighbours;
        let fp = |i: usize| Some(self.summaries.fingerprint(i));
        [Some(place.index), around.older, around.newer]
            .into_iter()
            .map(|i| i.and_then(fp))
            .chain(around.related.iter().map(|&i| fp(i)))
            .collect()
    }

    /// Puts the summaries of some briefs under `key`, with their fingerprint under a memo.
    fn insert_summaries(
        &self,
        ctx: &mut PageContext,
        key: &'static str,
        indices: impl Iterator<Item = usize> + Clone,
    ) {
        let fingerprint = self.memo.map(|_| {
            let fps: Vec<u64> = indices
                .clone()
                .map(|i| self.summaries.fingerprint(i))
                .collect();
            crate::fingerprint::of(fps)
        });
        ctx.listed += indices.clone().count();
        ctx.insert_known(key, self.summaries.list(indices), fingerprint);
    }

    /// A brief's page from [`Self::brief_context`] and its rendered Markdown.
    pub(super) fn brief_page(
        &self,
        place: &BriefPlace,
        mut ctx: PageContext,
        body: &RenderedBody,
    ) -> Result<Page, Diag> {
        let brief = place.brief;
        let path = brief.site_path();
        let view = BriefView {
            summary: self.summaries.of(place.index),
            content: &body.html,
            slug: &brief.slug,
            permalink: self.site.config.permalink(&path),
            updated: brief.front.updated.as_ref().map(DateView::from),
            schedule: brief.schedule.as_ref().map(ScheduleView::from),
            authors: &brief.front.authors,
            word_count: body.word_count,
            reading_minutes: body.word_count.div_ceil(230).max(1),
            extra: &brief.front.extra,
        };
        ctx.insert("brief", &view);
        let lastmod = brief.front.updated.as_ref().unwrap_or(&brief.front.date);
        self.render_afresh("brief.html", &ctx, &path, Some(lastmod.clone()))
            .map_err(|d| with_brief(d, brief))
    }

    pub(super) fn home(&self) -> Result<Page, Diag> {
        let page = self.page_view(
            self.site.config.title.clone(),
            None,
            routes::HOME,
            PageKind::Home,
        );
        let mut ctx = self.context(page, Section::Home);
        let shown = self.site.briefs.len().min(HOME_BRIEFS);
        self.insert_summaries(&mut ctx, "briefs", 0..shown);
        ctx.insert("total_briefs", &self.site.briefs.len());
        if self.site.config.home_map
            && let Some(map) = self.spend.and_then(|v| v.map_figure.as_ref())
        {
            ctx.insert("spend_map", map);
        }
        self.render("home.html", &ctx, routes::HOME, self.newest(0..shown))
    }

    /// `/briefs/` and its further pages.
    pub(super) fn brief_list(&self) -> Vec<Result<Page, Diag>> {
        let total = self.site.briefs.len();
        let base = routes::BRIEFS;
        paginate(base, total, self.site.config.page_size)
            .iter()
            .map(|list| {
                let description =
                    format!("All {total} briefs, newest first.{}", page_sentence(list));
                let mut page = self.page_view(
                    self.titled(&format!("All briefs{}", list.title_suffix())),
                    Some(&description),
                    &list.path,
                    PageKind::Briefs,
                );
                let pagination = self.paginated(&mut page, base, list, total);
                let mut ctx = self.context(page, Section::Briefs);
                self.insert_summaries(&mut ctx, "briefs", list.items.clone());
                ctx.insert("pagination", &pagination);
                self.render(
                    "briefs.html",
                    &ctx,
                    &list.path,
                    self.newest(list.items.clone()),
                )
            })
            .collect()
    }

    /// Fills a list page's `rel="prev"`/`rel="next"` and returns what templates show.
    fn paginated(
        &self,
        page: &mut PageView,
        base: &str,
        list: &ListPage,
        total: usize,
    ) -> PaginationView {
        let view = PaginationView::of(&self.site.config, base, list, total);
        page.previous = view.previous.clone();
        page.next = view.next.clone();
        view
    }

    /// `/search/`: the form, and what to read without JavaScript.
    pub(super) fn search(&self) -> Result<Page, Diag> {
        let config = &self.site.config;
        let page = self.page_view(
            self.titled("Search"),
            Some("Search the briefs by title, summary, region, tag and text."),
            routes::SEARCH,
            PageKind::Search,
        );
        let mut ctx = self.context(page, Section::Search);
        ctx.insert(
            "search",
            &SearchView {
                script: config.url(routes::SEARCH_SCRIPT),
                index: config.url(MANIFEST_PATH),
            },
        );
        self.render(
            "search.html",
            &ctx,
            routes::SEARCH,
            self.newest(0..self.site.briefs.len()),
        )
    }

    pub(super) fn term_index(&self, kind: TaxonomyKind) -> Result<Page, Diag> {
        let taxonomy = self.site.taxonomy(kind);
        let path = routes::taxonomy(kind);
        let description = format!(
            "{} of the briefs, with how many briefs each has.",
            kind.name()
        );
        let page = self.page_view(
            self.titled(kind.name()),
            Some(&description),
            &path,
            PageKind::Terms,
        );
        let mut ctx = self.context(page, Section::Taxonomy(kind));
        ctx.insert("taxonomy", &TaxonomyView::of(&self.site.config, kind));
        let mut terms: Vec<TermView> = taxonomy
            .terms
            .iter()
            .map(|t| TermView::of(&self.site.config, taxonomy, t))
            .collect();
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.url.cmp(&b.url))
        });
        ctx.insert("terms", &terms);
        if kind == TaxonomyKind::Regions
            && let Some(spend) = self.spend
        {
            ctx.insert("spend_chart", &spend.figure);
            if let Some(map) = &spend.map_figure {
                ctx.insert("spend_map", map);
            }
        }
        let lastmod = self.newest(
            taxonomy
                .terms
                .iter()
                .filter_map(|t| t.briefs.first().copied()),
        );
        self.render("terms.html", &ctx, &path, lastmod)
    }

    /// A term's page and its further pages.
    pub(super) fn term(&self, kind: TaxonomyKind, term: &Term) -> Vec<Result<Page, Diag>> {
        let config = &self.site.config;
        let taxonomy = self.site.taxonomy(kind);
        let base = taxonomy.term_path(term);
        let total = term.briefs.len();
        let term_view = TermView::of(config, taxonomy, term);
        let feed = FeedLink {
            title: format!("{}: {} (Atom)", kind.singular(), term.name),
            url: config.url(&routes::term_feed(kind, &term.slug)),
            media_type: "application/atom+xml",
        };
        paginate(&base, total, config.page_size)
            .iter()
            .map(|list| {
                let title = format!("{}: {}{}", kind.singular(), term.name, list.title_suffix());
                let description = format!(
                    "{total} brief{} on {}.{}",
                    if total == 1 { "" } else { "s" },
                    term.name,
                    page_sentence(list)
                );
                let mut page = self.page_view(
                    self.titled(&title),
                    Some(&description),
                    &list.path,
                    PageKind::Term,
                );
                if config.term_feeds {
                    page.feeds.push(feed.clone());
                }
                let pagination = self.paginated(&mut page, &base, list, total);
                let mut ctx = self.context(page, Section::Taxonomy(kind));
                ctx.insert("taxonomy", &TaxonomyView::of(config, kind));
                ctx.insert("term", &term_view);
                let shown = &term.briefs[list.items.clone()];
                self.insert_summaries(&mut ctx, "briefs", shown.iter().copied());
                ctx.insert("pagination", &pagination);
                let lastmod = self.newest(shown.iter().copied());
                if list.number == 1 && kind == TaxonomyKind::Regions {
                    // A region's figures and map are made only when its page renders again.
                    let made_from = self.memo.map(|_| self.region.made_from(term));
                    let fill =
                        |ctx: &mut PageContext| region_page::fill(ctx, self.site, self.spend, term);
                    return self.render_filled(
                        "term.html",
                        ctx,
                        &list.path,
                        lastmod,
                        made_from,
                        fill,
                    );
                }
                self.render("term.html", &ctx, &list.path, lastmod)
            })
            .collect()
    }

    pub(super) fn not_found(&self) -> Result<Page, Diag> {
        let page = self.page_view(
            self.titled("Page not found"),
            Some("This page does not exist."),
            routes::NOT_FOUND,
            PageKind::NotFound,
        );
        let ctx = self.context(page, Section::None);
        self.render("404.html", &ctx, routes::NOT_FOUND, None)
    }
}

/// ` Page 2 of 3.` for descriptions, empty on a list that fits one page.
fn page_sentence(list: &ListPage) -> String {
    if list.total_pages > 1 {
        format!(" Page {} of {}.", list.number, list.total_pages)
    } else {
        String::new()
    }
}

/// A template that fails on one brief names that brief too.
fn with_brief(mut d: Diag, brief: &Brief) -> Diag {
    d.message = format!("{} (rendering {})", d.message, brief.path);
    d
}
