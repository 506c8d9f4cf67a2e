//! What templates see: plain serializable shapes built from the model (docs/templates.md).
//!
//! List pages get brief summaries only ([`super::summary`]), never rendered bodies, so a list of
//! 10,000 briefs costs its titles and links, not its text.

use crate::model::{BriefDate, SiteConfig, Taxonomy, TaxonomyKind, Term};
use crate::routes::{self, SITE_ATOM, SITE_RSS};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct DateView {
    pub iso: String,
    pub display: String,
}

impl From<&BriefDate> for DateView {
    fn from(d: &BriefDate) -> Self {
        DateView {
            iso: d.iso(),
            display: d.display(),
        }
    }
}

#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub author: Option<&'a str>,
    pub base_url: &'a str,
    pub root: String,
    pub stylesheet: String,
    /// Root-relative URLs of the site's Atom and RSS feeds and of the search page.
    pub atom: String,
    pub rss: String,
    pub search: String,
}

impl<'a> SiteView<'a> {
    pub(super) fn of(config: &'a SiteConfig) -> Self {
        SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            author: config.author.as_deref(),
            base_url: &config.base_url,
            root: config.url(routes::HOME),
            stylesheet: config.url(routes::STYLESHEET),
            atom: config.url(SITE_ATOM),
            rss: config.url(SITE_RSS),
            search: config.url(routes::SEARCH),
        }
    }
}

#[derive(Serialize)]
pub(super) struct PageView {
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub kind: PageKind,
    pub og_type: &'static str,
    /// Feeds for `<link rel="alternate">`: the site's on every page, a term's on its pages.
    pub feeds: Vec<FeedLink>,
    /// Root-relative URLs of the previous and next page of a paginated list, for
    /// `<link rel="prev">` and `<link rel="next">`.
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// What kind of page renders, as templates see it in `page.kind` (base.html puts it in the
/// body's class, `page-brief`, so site stylesheets may depend on these exact strings).
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PageKind {
    Brief,
    Home,
    /// `/briefs/` and its further pages.
    Briefs,
    Search,
    /// A taxonomy's index of terms.
    Terms,
    /// A term's page and its further pages.
    Term,
    #[serde(rename = "404")]
    NotFound,
}

impl PageKind {
    /// The page's Open Graph type: a brief is an article, every other page part of the site.
    pub(crate) fn og_type(self) -> &'static str {
        match self {
            PageKind::Brief => "article",
            _ => "website",
        }
    }
}

/// The part of the site a page belongs to, which the main navigation marks as current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Home,
    Briefs,
    /// A taxonomy's index and its terms' pages.
    Taxonomy(TaxonomyKind),
    Search,
    /// Outside every section (the 404 page).
    None,
}

#[derive(Serialize, Clone)]
pub(super) struct FeedLink {
    pub title: String,
    pub url: String,
    /// `application/atom+xml` or `application/rss+xml`.
    pub media_type: &'static str,
}

#[derive(Serialize)]
pub(super) struct NavItem {
    pub title: &'static str,
    pub url: String,
    pub current: bool,
}

/// Main navigation; `current` marks the section the page belongs to.
pub(crate) fn nav(config: &SiteConfig, section: Section) -> Vec<NavItem> {
    [
        ("Home", Section::Home, routes::HOME.to_string()),
        ("Briefs", Section::Briefs, routes::BRIEFS.to_string()),
        (
            "Regions",
            Section::Taxonomy(TaxonomyKind::Regions),
            routes::taxonomy(TaxonomyKind::Regions),
        ),
        (
            "Tags",
            Section::Taxonomy(TaxonomyKind::Tags),
            routes::taxonomy(TaxonomyKind::Tags),
        ),
        ("Search", Section::Search, routes::SEARCH.to_string()),
    ]
    .into_iter()
    .map(|(title, item, path)| NavItem {
        title,
        url: config.url(&path),
        current: item == section,
    })
    .collect()
}

#[derive(Serialize)]
pub(super) struct TaxonomyView {
    pub kind: &'static str,
    pub name: &'static str,
    pub singular: &'static str,
    pub url: String,
}

impl TaxonomyView {
    pub(super) fn of(config: &SiteConfig, kind: TaxonomyKind) -> Self {
        TaxonomyView {
            kind: kind.segment(),
            name: kind.name(),
            singular: kind.singular(),
            url: config.url(&routes::taxonomy(kind)),
        }
    }
}

#[derive(Serialize)]
pub(super) struct TermView {
    pub name: String,
    pub url: String,
    pub count: usize,
    /// Root-relative URL of the term's Atom feed; none when `term_feeds: false`.
    pub feed: Option<String>,
}

impl TermView {
    pub(super) fn of(config: &SiteConfig, taxonomy: &Taxonomy, term: &Term) -> Self {
        TermView {
            name: term.name.clone(),
            url: config.url(&taxonomy.term_path(term)),
            count: term.briefs.len(),
            feed: config
                .term_feeds
                .then(|| config.url(&routes::term_feed(taxonomy.kind, &term.slug))),
        }
    }
}

/// What the search page needs: the script and the index manifest, root-relative.
#[derive(Serialize)]
pub(super) struct SearchView {
    pub script: String,
    pub index: String,
}

#[derive(Serialize)]
pub(super) struct BriefView<'a> {
    /// The brief's summary ([`super::summary::Summaries`]), its fields beside the ones below.
    #[serde(flatten)]
    pub summary: tera::Value,
    /// The body as cleaned HTML; templates print it with `| safe`.
    pub content: &'a str,
    pub slug: &'a str,
    pub permalink: String,
    pub updated: Option<DateView>,
    /// Set only for a brief kept by `--future` or `--expired`: the page says so.
    pub schedule: Option<ScheduleView>,
    pub authors: &'a [String],
    pub word_count: usize,
    pub reading_minutes: usize,
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

/// A scheduled or expired brief's state, for the banner on its page.
#[derive(Serialize)]
pub(super) struct ScheduleView {
    /// `scheduled` or `expired`.
    pub state: &'static str,
    /// `Scheduled for` or `Expired on`, followed by the date.
    pub label: &'static str,
    pub date: DateView,
}

impl From<&crate::model::Schedule> for ScheduleView {
    fn from(s: &crate::model::Schedule) -> Self {
        use crate::model::ScheduleState;
        let (state, label) = match s.state {
            ScheduleState::Scheduled => ("scheduled", "Scheduled for"),
            ScheduleState::Expired => ("expired", "Expired on"),
        };
        ScheduleView {
            state,
            label,
            date: DateView::from(&s.date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_kinds_are_the_strings_templates_and_stylesheets_know() {
        let kinds = [
            (PageKind::Brief, "brief"),
            (PageKind::Home, "home"),
            (PageKind::Briefs, "briefs"),
            (PageKind::Search, "search"),
            (PageKind::Terms, "terms"),
            (PageKind::Term, "term"),
            (PageKind::NotFound, "404"),
        ];
        for (kind, text) in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), text);
        }
    }
}
