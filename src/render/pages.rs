//! One function per kind of page: builds its context and renders its template.

use tera::{Context, Value};

use super::context::{
    BriefView, DateView, PageView, SiteView, Summary, TaxonomyView, TermView, nav,
};
use super::markdown;
use super::templates::Templates;
use crate::diag::Diag;
use crate::model::chart::Number;
use crate::model::spend::{RegionSpend, SiteSpend};
use crate::model::{Brief, Site, TaxonomyKind, Term};

/// How many briefs the home page lists.
pub const HOME_BRIEFS: usize = 20;

/// A rendered page and the site path it belongs at (`briefs/x/index.html`).
pub struct Page {
    pub path: String,
    pub html: String,
}

/// Everything every page needs, built once per build.
pub struct PageRenderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    site_view: Value,
    /// One summary per brief, in site order; cloning a `Value` shares its data.
    summaries: Vec<Value>,
    /// Spend by region across the site, for the regions index and each region's page.
    spend: Option<&'a SpendView>,
}

/// The site-wide spend by region, ready for templates.
pub struct SpendView {
    pub spend: SiteSpend,
    /// The figure (SVG, table, CSV link, note) as HTML.
    pub figure: String,
}

impl<'a> PageRenderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, spend: Option<&'a SpendView>) -> Self {
        let summaries = site
            .briefs
            .iter()
            .map(|b| Value::from_serializable(&Summary::of(site, b)))
            .collect();
        PageRenderer {
            site,
            templates,
            site_view: Value::from_serializable(&SiteView::of(&site.config)),
            summaries,
            spend,
        }
    }

    fn context(&self, page: PageView, section: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_view.clone());
        ctx.insert("nav", &nav(&self.site.config, section));
        ctx.insert("page", &page);
        ctx
    }

    fn page_view(
        &self,
        title: String,
        description: Option<&str>,
        path: &str,
        kind: &'static str,
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
            og_type: if kind == "brief" {
                "article"
            } else {
                "website"
            },
        }
    }

    fn titled(&self, title: &str) -> String {
        format!("{title} · {}", self.site.config.title)
    }

    fn summaries_of(&self, indices: impl Iterator<Item = usize>) -> Value {
        Value::from(
            indices
                .map(|i| self.summaries[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn render(&self, template: &str, ctx: &Context, path: String) -> Result<Page, Diag> {
        let html = self.templates.render(template, ctx)?;
        Ok(Page { path, html })
    }

    /// A brief's page; `figures` are its charts, already rendered, in block order.
    pub fn brief(&self, brief: &Brief, figures: &[String]) -> Result<Page, Diag> {
        let body = markdown::render(brief.body(), figures);
        let path = brief.site_path();
        let page = self.page_view(
            self.titled(&brief.front.title),
            brief.front.summary.as_deref(),
            &path,
            "brief",
        );
        let mut ctx = self.context(page, "briefs/");
        let view = BriefView {
            summary: Summary::of(self.site, brief),
            content: body.html,
            slug: &brief.slug,
            permalink: self.site.config.permalink(&path),
            updated: brief.front.updated.as_ref().map(DateView::from),
            authors: &brief.front.authors,
            word_count: body.word_count,
            reading_minutes: body.word_count.div_ceil(230).max(1),
            extra: &brief.front.extra,
        };
        ctx.insert("brief", &view);
        self.render("brief.html", &ctx, format!("{path}index.html"))
            .map_err(|d| with_brief(d, brief))
    }

    pub fn home(&self) -> Result<Page, Diag> {
        let page = self.page_view(self.site.config.title.clone(), None, "", "home");
        let mut ctx = self.context(page, "");
        let shown = self.site.briefs.len().min(HOME_BRIEFS);
        ctx.insert_value("briefs", self.summaries_of(0..shown));
        ctx.insert("total_briefs", &self.site.briefs.len());
        self.render("home.html", &ctx, "index.html".to_string())
    }

    pub fn brief_list(&self) -> Result<Page, Diag> {
        let description = format!("All {} briefs, newest first.", self.site.briefs.len());
        let page = self.page_view(
            self.titled("All briefs"),
            Some(&description),
            "briefs/",
            "briefs",
        );
        let mut ctx = self.context(page, "briefs/");
        ctx.insert_value("briefs", self.summaries_of(0..self.site.briefs.len()));
        self.render("briefs.html", &ctx, "briefs/index.html".to_string())
    }

    pub fn term_index(&self, kind: TaxonomyKind) -> Result<Page, Diag> {
        let taxonomy = self.site.taxonomy(kind);
        let path = format!("{}/", kind.segment());
        let description = format!(
            "{} of the briefs, with how many briefs each has.",
            kind.name()
        );
        let page = self.page_view(self.titled(kind.name()), Some(&description), &path, "terms");
        let mut ctx = self.context(page, &path);
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
        }
        self.render("terms.html", &ctx, format!("{path}index.html"))
    }

    pub fn term(&self, kind: TaxonomyKind, term: &Term) -> Result<Page, Diag> {
        let taxonomy = self.site.taxonomy(kind);
        let path = taxonomy.term_path(term);
        let title = format!("{}: {}", kind.singular(), term.name);
        let description = format!(
            "{} brief{} on {}.",
            term.briefs.len(),
            if term.briefs.len() == 1 { "" } else { "s" },
            term.name
        );
        let page = self.page_view(self.titled(&title), Some(&description), &path, "term");
        let mut ctx = self.context(page, &format!("{}/", kind.segment()));
        ctx.insert("taxonomy", &TaxonomyView::of(&self.site.config, kind));
        ctx.insert("term", &TermView::of(&self.site.config, taxonomy, term));
        ctx.insert_value("briefs", self.summaries_of(term.briefs.iter().copied()));
        if kind == TaxonomyKind::Regions
            && let Some(view) = self.spend
            && let Some(region) = view.spend.regions.iter().find(|r| r.key == term.key)
        {
            ctx.insert("region_figures", &RegionFigures::of(&view.spend, region));
        }
        self.render("term.html", &ctx, format!("{path}index.html"))
    }

    pub fn not_found(&self) -> Result<Page, Diag> {
        let page = self.page_view(
            self.titled("Page not found"),
            Some("This page does not exist."),
            "404.html",
            "404",
        );
        let ctx = self.context(page, "404");
        self.render("404.html", &ctx, "404.html".to_string())
    }
}

/// A template that fails on one brief names that brief too.
fn with_brief(mut d: Diag, brief: &Brief) -> Diag {
    d.message = format!("{} (rendering {})", d.message, brief.path);
    d
}

/// A region's own figures from the site-wide spend, for its page.
#[derive(serde::Serialize)]
struct RegionFigures {
    column: String,
    unit: Option<String>,
    /// The region's total at the precision written, or none when no row had a number.
    total: Option<String>,
    rows: Vec<RegionRow>,
}

#[derive(serde::Serialize)]
struct RegionRow {
    label: String,
    value: String,
    file: String,
}

impl RegionFigures {
    fn of(spend: &SiteSpend, region: &RegionSpend) -> Self {
        RegionFigures {
            column: spend.column.clone(),
            unit: spend.unit.clone(),
            total: region.total.map(|t| Number::format(t, spend.decimals)),
            rows: region
                .rows
                .iter()
                .map(|(file, label, value)| RegionRow {
                    label: label.clone(),
                    value: if value.is_empty() {
                        "(blank)".to_string()
                    } else {
                        value.clone()
                    },
                    file: format!("content/data/{file}"),
                })
                .collect(),
        }
    }
}
