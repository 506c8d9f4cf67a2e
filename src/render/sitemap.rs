//! `sitemap.xml` (sitemaps.org 0.9) listing every page with its `lastmod`, and the
//! `robots.txt` that names it.
//!
//! Search engines read the sitemap to find pages and to know which changed. A sitemap file may
//! hold at most 50,000 URLs and 50 MiB: past either, `sitemap.xml` becomes a sitemap index of
//! `sitemap-1.xml`, `sitemap-2.xml`, … each within both limits. Dates come from the briefs on
//! each page, never from the build clock.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::xml::{escape, w3c};
use crate::model::{BriefDate, SiteConfig};
use crate::routes;

/// The sitemaps.org limits on one file.
pub(crate) const MAX_URLS_PER_FILE: usize = 50_000;
pub(crate) const MAX_BYTES_PER_FILE: usize = 50 * 1024 * 1024;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const URLSET_OPEN: &str = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One page of the site: its site path (`briefs/x/`) and the newest date of what it shows.
#[derive(Debug, Clone)]
pub(crate) struct SitemapUrl {
    pub path: String,
    pub lastmod: Option<BriefDate>,
}

/// The sitemap files, `(site path, text)`: one `sitemap.xml`, or an index and its parts.
/// `urls` should already be in a stable order.
pub(crate) fn sitemap_files(
    config: &SiteConfig,
    urls: &[SitemapUrl],
    max_urls: usize,
    max_bytes: usize,
) -> Vec<(String, String)> {
    let max_urls = max_urls.max(1);
    let budget = max_bytes.saturating_sub(HEAD.len() + URLSET_OPEN.len() + URLSET_CLOSE.len());
    // Each part: its entries' text and its newest lastmod.
    let mut parts: Vec<(String, usize, Option<&BriefDate>)> = Vec::new();
    let mut body = String::new();
    let mut count = 0;
    let mut newest: Option<&BriefDate> = None;
    // Written in parallel, then joined in order: one after another, 10,000 addresses were a
    // serial 10 ms of every save that added or removed a page.
    let entries: Vec<String> = urls
        .par_iter()
        .map(|url| url_entry(&config.permalink(&url.path), url.lastmod.as_ref()))
        .collect();
    for (url, entry) in urls.iter().zip(entries) {
        if count > 0 && (count == max_urls || body.len() + entry.len() > budget) {
            parts.push((std::mem::take(&mut body), count, newest.take()));
            count = 0;
        }
        body.push_str(&entry);
        count += 1;
        if let Some(date) = &url.lastmod
            && newest.is_none_or(|n| date > n)
        {
            newest = Some(date);
        }
    }
    parts.push((body, count, newest));

    let urlset = |body: &str| format!("{HEAD}{URLSET_OPEN}{body}{URLSET_CLOSE}");
    if parts.len() == 1 {
        return vec![(routes::SITEMAP.to_string(), urlset(&parts[0].0))];
    }
    let mut files = Vec::with_capacity(parts.len() + 1);
    let mut index = String::from(HEAD);
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, (body, _, newest)) in parts.iter().enumerate() {
        let path = routes::sitemap_part(n + 1);
        let _ = write!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n",
            escape(&config.permalink(&path))
        );
        if let Some(date) = newest {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", w3c(date));
        }
        index.push_str("  </sitemap>\n");
        files.push((path, urlset(body)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (routes::SITEMAP.to_string(), index));
    files
}

fn url_entry(loc: &str, lastmod: Option<&BriefDate>) -> String {
    let mut entry = format!("  <url>\n    <loc>{}</loc>\n", escape(loc));
    if let Some(date) = lastmod {
        let _ = writeln!(entry, "    <lastmod>{}</lastmod>", w3c(date));
    }
    entry.push_str("  </url>\n");
    entry
}

/// `robots.txt`: everything may be crawled, and here is the sitemap.
pub(crate) fn robots_txt(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink(routes::SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FeedContent, HostHeaders};

    fn config() -> SiteConfig {
        SiteConfig {
            title: "T".into(),
            base_url: "https://s.org/sub".into(),
            base_path: "/sub".into(),
            description: None,
            language: "en".into(),
            author: None,
            feed_limit: 20,
            feed_content: FeedContent::Summary,
            page_size: 50,
            term_feeds: true,
            home_map: true,
            headers: HostHeaders::None,
        }
    }

    fn urls(n: usize) -> Vec<SitemapUrl> {
        (0..n)
            .map(|i| SitemapUrl {
                path: format!("briefs/b{i}/"),
                lastmod: BriefDate::parse(&format!("2025-01-{:02}", i % 28 + 1)),
            })
            .collect()
    }

    #[test]
    fn one_file_lists_every_url_with_its_date() {
        let files = sitemap_files(&config(), &urls(3), MAX_URLS_PER_FILE, MAX_BYTES_PER_FILE);
        assert_eq!(files.len(), 1);
        let (path, xml) = &files[0];
        assert_eq!(path, "sitemap.xml");
        assert!(xml.contains("<loc>https://s.org/sub/briefs/b2/</loc>"));
        assert!(xml.contains("<lastmod>2025-01-03</lastmod>"));
        assert_eq!(xml.matches("<url>").count(), 3);
    }

    #[test]
    fn past_the_limit_it_becomes_an_index() {
        let files = sitemap_files(&config(), &urls(7), 3, MAX_BYTES_PER_FILE);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(
            files[0]
                .1
                .contains("<loc>https://s.org/sub/sitemap-3.xml</loc>")
        );
        assert_eq!(files[0].1.matches("<lastmod>").count(), 3);
        let listed: usize = files[1..]
            .iter()
            .map(|(_, x)| x.matches("<url>").count())
            .sum();
        assert_eq!(listed, 7);
        assert!(
            files[1..]
                .iter()
                .all(|(_, x)| x.matches("<url>").count() <= 3)
        );
        // The byte limit cuts too.
        let by_bytes = sitemap_files(&config(), &urls(10), 100, 600);
        assert!(by_bytes.len() > 2);
        assert!(by_bytes[1..].iter().all(|(_, x)| x.len() <= 600));
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert!(robots_txt(&config()).contains("Sitemap: https://s.org/sub/sitemap.xml\n"));
    }
}
