//! Every path the built site has, in one place: pages, lists and their further pages, feeds,
//! the search index, the sitemap, chart downloads and the assets.
//!
//! Links between pages, the feeds, the sitemap and the files written must agree on every path,
//! and a reserved segment (`page`) must be reserved everywhere it could clash, so the rules live
//! here and nowhere else. A site path is relative to the site root and has no leading `/`; a
//! path ending in `/` (or the empty home path) is a folder whose page is `<path>index.html`.
//! [`SiteConfig::url`](crate::model::SiteConfig::url) and `permalink` turn a site path into a
//! link.

use crate::model::TaxonomyKind;

/// The home page.
pub(crate) const HOME: &str = "";
/// Every brief, newest first (and the folder each brief's page lives under).
pub(crate) const BRIEFS: &str = "briefs/";
/// The search page.
pub(crate) const SEARCH: &str = "search/";
/// The page servers show for a path the site does not have.
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const SITE_ATOM: &str = "atom.xml";
pub(crate) const SITE_RSS: &str = "rss.xml";
/// The sitemap, or the index of its parts when one file cannot hold every URL.
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
/// The response headers for Netlify and Cloudflare Pages (`headers: netlify`).
pub(crate) const NETLIFY_HEADERS: &str = "_headers";
pub(crate) const STYLESHEET: &str = "style.css";
/// The search script; a site's own `static/search.js` replaces the built-in one.
pub(crate) const SEARCH_SCRIPT: &str = "search.js";
/// The search index's manifest, which names the folder of this build's index files.
pub(crate) const SEARCH_MANIFEST: &str = "search/index.json";
/// The folder segment of a list's further pages (`briefs/page/2/`): a brief or term with this
/// slug would collide with them, so neither may have it.
pub(crate) const PAGE_SEGMENT: &str = "page";

/// A brief's page: `briefs/<slug>/`.
pub(crate) fn brief(slug: &str) -> String {
    format!("{BRIEFS}{slug}/")
}

/// The file name of a brief's chart download, beside its page: `chart-<n>.csv`.
pub(crate) fn chart_csv_name(number: usize) -> String {
    format!("chart-{number}.csv")
}

/// The file name of a brief's chart as a standalone SVG, beside its page: `chart-<n>.svg`.
pub(crate) fn chart_svg_name(number: usize) -> String {
    format!("chart-{number}.svg")
}

/// A taxonomy's index of terms: `tags/` or `regions/`.
pub(crate) fn taxonomy(kind: TaxonomyKind) -> String {
    format!("{}/", kind.segment())
}

/// A term's page: `regions/<slug>/`.
pub(crate) fn term(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.segment())
}

/// A term's Atom feed, inside its page's folder: `regions/<slug>/atom.xml`.
pub(crate) fn term_feed(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}{SITE_ATOM}", term(kind, slug))
}

/// The CSV of the regions index's "Spend by region" figure.
pub(crate) fn spend_csv() -> String {
    format!("{}spend-by-region.csv", taxonomy(TaxonomyKind::Regions))
}

/// The CSV of the site-wide spend map: one row per country, with its ISO code.
pub(crate) fn spend_map_csv() -> String {
    format!("{}spend-by-country.csv", taxonomy(TaxonomyKind::Regions))
}

/// Page `number` (1-based) of the list at `base` (a folder path): page 1 keeps the list's own
/// path, so links to a list never change as it grows; page n is `<base>page/<n>/`.
pub(crate) fn list_page(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}{PAGE_SEGMENT}/{number}/")
    }
}

/// The file a page is written to: `<path>index.html` for a folder path, else the path itself.
pub(crate) fn page_file(path: &str) -> Option<String> {
    (path.ends_with('/') || path.is_empty()).then(|| format!("{path}index.html"))
}

/// The folder of one build's search files, relative to `search/`: `<version>/`. Naming it by a
/// fingerprint of the files means a cached shard of an older build is never read.
pub(crate) fn search_files(version: &str) -> String {
    format!("{version}/")
}

/// Search shard `n` of a build: `search/<version>/s<n>.json`.
pub(crate) fn search_shard(version: &str, n: usize) -> String {
    format!("{SEARCH}{}s{n}.json", search_files(version))
}

/// Search result data file `n` of a build: `search/<version>/d<n>.json`.
pub(crate) fn search_docs(version: &str, n: usize) -> String {
    format!("{SEARCH}{}d{n}.json", search_files(version))
}

/// Part `n` (1-based) of a sitemap too big for one file: `sitemap-<n>.xml`.
pub(crate) fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paths_the_site_has_always_had() {
        assert_eq!(brief("kz"), "briefs/kz/");
        assert_eq!(term(TaxonomyKind::Regions, "france"), "regions/france/");
        assert_eq!(term_feed(TaxonomyKind::Tags, "ai"), "tags/ai/atom.xml");
        assert_eq!(taxonomy(TaxonomyKind::Tags), "tags/");
        assert_eq!(spend_csv(), "regions/spend-by-region.csv");
        assert_eq!(list_page(BRIEFS, 1), "briefs/");
        assert_eq!(list_page("tags/ai/", 3), "tags/ai/page/3/");
        assert_eq!(page_file(HOME).as_deref(), Some("index.html"));
        assert_eq!(page_file(NOT_FOUND), None);
        assert_eq!(search_shard("ab", 0), "search/ab/s0.json");
        assert_eq!(search_docs("ab", 2), "search/ab/d2.json");
        assert_eq!(sitemap_part(1), "sitemap-1.xml");
        assert_eq!(chart_csv_name(2), "chart-2.csv");
        assert_eq!(chart_svg_name(2), "chart-2.svg");
    }
}
