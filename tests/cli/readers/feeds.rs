//! Atom and RSS feeds, the sitemap and robots.txt: well-formed, complete, absolute, and
//! pointing only at files that exist.

use std::collections::HashSet;

use super::{child_text, file_for, html_pages, parse_xml};
use crate::common::*;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const BASE: &str = "https://briefs.example.org/";

/// Three briefs with awkward text, an author fallback, a time zone and an `updated` date;
/// feeds hold the latest two.
fn feed_site(extra_config: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!(
            "title: Test Briefing\nbase_url: https://briefs.example.org\nauthor: Site Desk\nfeed_limit: 2\n{extra_config}"
        ),
    );
    site.brief(
        "tricky.md",
        "title: \"Tariffs <b>&</b> ]]> quotas\"\ndate: 2025-03-01T08:30:00+02:00\nupdated: 2025-03-05\n\
         summary: \"Duties on <steel> & aluminium\"\nauthors: [Ann Lee, Bob Roy]\ntags: [trade]\nregions: [Québec]",
        "See [the other brief](/briefs/plain/) and a note.[^1]\n\n[^1]: The note.\n",
    );
    site.brief(
        "plain.md",
        "title: Plain brief\ndate: 2025-02-01\ntags: [trade]",
        "The opening words of a brief with no summary.\n",
    );
    site.brief(
        "oldest.md",
        "title: Oldest brief\ndate: 2025-01-01\nsummary: First.\nregions: [Québec]",
        "Body.\n",
    );
    site
}

fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok() && s.contains('T')
}

/// Checks what RFC 4287 requires of a feed and returns its entries' ids.
fn check_atom(site: &TestSite, rel: &str) -> Vec<String> {
    let text = site.page(rel);
    assert!(!text.contains("<![CDATA["), "{rel} uses CDATA");
    let doc = parse_xml(&text, rel);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{rel}");
    assert_eq!(feed.tag_name().name(), "feed");
    for required in ["id", "title", "updated"] {
        assert!(
            child_text(feed, required).is_some(),
            "{rel} has no {required}"
        );
    }
    let updated = child_text(feed, "updated").unwrap();
    assert!(is_rfc3339(updated), "{rel} updated {updated}");
    let self_link = feed
        .children()
        .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
        .and_then(|l| l.attribute("href"))
        .unwrap_or_else(|| panic!("{rel} has no rel=self link"));
    assert_eq!(super::percent_decode(self_link), format!("{BASE}{rel}"));
    let mut ids = Vec::new();
    let mut newest = String::new();
    for entry in feed.children().filter(|c| c.tag_name().name() == "entry") {
        let id = child_text(entry, "id").expect("entry id");
        assert!(id.starts_with(BASE), "{rel}: entry id {id} is not absolute");
        ids.push(id.to_string());
        assert!(child_text(entry, "title").is_some_and(|t| !t.is_empty()));
        let entry_updated = child_text(entry, "updated").expect("entry updated");
        assert!(is_rfc3339(entry_updated));
        let stamp = chrono::DateTime::parse_from_rfc3339(entry_updated).unwrap();
        if newest.is_empty() || stamp > chrono::DateTime::parse_from_rfc3339(&newest).unwrap() {
            newest = entry_updated.to_string();
        }
        let author = entry
            .children()
            .find(|c| c.tag_name().name() == "author")
            .and_then(|a| child_text(a, "name"));
        assert!(
            author.is_some_and(|a| !a.is_empty()),
            "{rel}: entry {id} has no author"
        );
        let link = entry
            .children()
            .find(|c| c.tag_name().name() == "link")
            .and_then(|l| l.attribute("href"))
            .expect("entry link");
        let file = file_for(&site.out(), BASE, link).expect("entry link under the base URL");
        assert!(file.is_file(), "{rel}: {link} names no file");
    }
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{rel}: entry ids repeat");
    if !ids.is_empty() {
        assert_eq!(updated, newest, "{rel}: feed updated is its newest entry's");
    }
    ids
}

#[test]
fn atom_feeds_are_complete_and_escape_with_entities() {
    let site = feed_site("");
    site.build().assert_ok();
    let ids = check_atom(&site, "atom.xml");
    assert_eq!(
        ids,
        [
            format!("{BASE}briefs/tricky/"),
            format!("{BASE}briefs/plain/")
        ],
        "the latest feed_limit briefs, newest first"
    );
    let atom = site.page("atom.xml");
    assert!(atom.contains("<title>Tariffs &lt;b&gt;&amp;&lt;/b&gt; ]]&gt; quotas</title>"));
    assert!(atom.contains("<updated>2025-03-05T00:00:00Z</updated>"));
    assert!(atom.contains("<published>2025-03-01T08:30:00+02:00</published>"));
    assert!(atom.contains("<name>Ann Lee</name>") && atom.contains("<name>Bob Roy</name>"));
    let doc = parse_xml(&atom, "atom.xml");
    let plain = doc
        .descendants()
        .find(|n| n.tag_name().name() == "entry" && child_text(*n, "title") == Some("Plain brief"))
        .unwrap();
    let author = plain.descendants().find(|n| n.tag_name().name() == "name");
    assert_eq!(author.and_then(|a| a.text()), Some("Site Desk"));
    assert_eq!(
        child_text(plain, "summary"),
        Some("The opening words of a brief with no summary."),
        "without a summary the entry takes the body's opening words"
    );
    assert!(!atom.contains("<content"), "summary only by default");

    // One feed per term, newest first, same limit.
    let region_ids = check_atom(&site, "regions/québec/atom.xml");
    assert_eq!(
        region_ids,
        [
            format!("{BASE}briefs/tricky/"),
            format!("{BASE}briefs/oldest/")
        ]
    );
    check_atom(&site, "tags/trade/atom.xml");
}

#[test]
fn rss_feed_has_what_rss_2_requires() {
    let site = feed_site("");
    site.build().assert_ok();
    let text = site.page("rss.xml");
    assert!(!text.contains("<![CDATA["));
    let doc = parse_xml(&text, "rss.xml");
    let rss = doc.root_element();
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = rss.children().find(|c| c.has_tag_name("channel")).unwrap();
    assert_eq!(child_text(channel, "title"), Some("Test Briefing"));
    assert_eq!(child_text(channel, "link"), Some(BASE));
    assert!(child_text(channel, "description").is_some());
    let items: Vec<_> = channel
        .children()
        .filter(|c| c.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), 2);
    let guids: HashSet<&str> = items
        .iter()
        .filter_map(|i| child_text(*i, "guid"))
        .collect();
    assert_eq!(guids.len(), 2);
    for item in &items {
        let link = child_text(*item, "link").unwrap();
        assert!(
            file_for(&site.out(), BASE, link).unwrap().is_file(),
            "{link}"
        );
    }
    assert!(text.contains("<pubDate>Sat, 01 Mar 2025 08:30:00 +0200</pubDate>"));
    assert!(text.contains("<pubDate>Sat, 01 Feb 2025 00:00:00 +0000</pubDate>"));
    assert!(text.contains("<lastBuildDate>Wed, 05 Mar 2025 00:00:00 +0000</lastBuildDate>"));
    // The description is HTML to readers: a `<` in the summary is escaped twice.
    assert!(text.contains(
        "<description>Duties on &amp;lt;steel&amp;gt; &amp;amp; aluminium</description>"
    ));
    assert!(text.contains("<dc:creator>Ann Lee</dc:creator>"));
}

#[test]
fn full_content_feeds_carry_the_body_with_absolute_links() {
    let site = feed_site("feed_content: full\n");
    site.build().assert_ok();
    let atom = site.page("atom.xml");
    let doc = parse_xml(&atom, "atom.xml");
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name((ATOM, "content")))
        .expect("a content element");
    assert_eq!(content.attribute("type"), Some("html"));
    let html = content.text().unwrap();
    assert!(
        html.contains("href=\"https://briefs.example.org/briefs/plain/\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://briefs.example.org/briefs/tricky/#fn-1\""),
        "{html}"
    );
    let rss = site.page("rss.xml");
    assert!(rss.contains("<content:encoded>&lt;p&gt;See"));
    parse_xml(&rss, "rss.xml");
}

#[test]
fn pages_advertise_the_feeds_they_belong_to() {
    let site = feed_site("");
    site.build().assert_ok();
    let home = site.page("index.html");
    assert!(home.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Test Briefing (Atom)\" href=\"/atom.xml\">"
    ));
    assert!(home.contains("type=\"application/rss+xml\""));
    let region = site.page("regions/québec/index.html");
    assert!(region.contains("type=\"application/atom+xml\" title=\"Region: Québec (Atom)\" href=\"/regions/québec/atom.xml\""));
    assert!(!home.contains("regions/québec/atom.xml"));
}

#[test]
fn without_an_author_feeds_name_the_site() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    site.build().assert_ok();
    let atom = site.page("atom.xml");
    assert!(atom.contains("<name>Test Briefing</name>"));
    check_atom(&site, "atom.xml");
}

#[test]
fn feeds_and_sitemap_depend_on_the_briefs_not_the_clock() {
    let site = feed_site("");
    site.build().assert_ok();
    let first: Vec<String> = ["atom.xml", "rss.xml", "sitemap.xml"]
        .iter()
        .map(|f| site.page(f))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.build().assert_ok();
    for (i, f) in ["atom.xml", "rss.xml", "sitemap.xml"].iter().enumerate() {
        assert_eq!(site.page(f), first[i], "{f} changed between builds");
    }
}

#[test]
fn sitemap_lists_every_page_with_lastmod_and_robots_names_it() {
    let site = feed_site("page_size: 1\n");
    site.build().assert_ok();
    let text = site.page("sitemap.xml");
    let doc = parse_xml(&text, "sitemap.xml");
    let urlset = doc.root_element();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(urlset.has_tag_name((ns, "urlset")));
    let mut listed = HashSet::new();
    for url in urlset.children().filter(|c| c.is_element()) {
        assert!(url.has_tag_name((ns, "url")));
        // sitemap.xsd: loc, then optional lastmod, changefreq, priority, in that order.
        let names: Vec<&str> = url
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.tag_name().name())
            .collect();
        assert_eq!(names, ["loc", "lastmod"], "{names:?}");
        let loc = child_text(url, "loc").unwrap();
        assert!(loc.len() <= 2048);
        let file = file_for(&site.out(), BASE, loc).expect("loc under the base URL");
        assert!(file.is_file(), "sitemap lists {loc}, which names no file");
        let lastmod = child_text(url, "lastmod").unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(lastmod, "%Y-%m-%d").is_ok() || is_rfc3339(lastmod),
            "{lastmod}"
        );
        assert!(listed.insert(file), "{loc} listed twice");
    }
    for page in html_pages(&site.out()) {
        if page == "404.html" {
            continue;
        }
        assert!(
            listed.contains(&site.out().join(&page)),
            "{page} is not in the sitemap"
        );
    }
    assert!(listed.contains(&site.out().join("briefs/page/3/index.html")));
    assert!(text.contains("<loc>https://briefs.example.org/regions/qu%C3%A9bec/</loc>"));
    let robots = site.page("robots.txt");
    assert!(robots.contains("Sitemap: https://briefs.example.org/sitemap.xml"));
}

#[test]
fn site_yaml_rejects_bad_feed_and_page_settings_where_written() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\nfeed_limit: many\npage_size: -5\nfeed_content: partial\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: site.yaml:3:13: `feed_limit` must be a whole number from 1 to 100000, not \"many\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: site.yaml:4:12: `page_size` must be a whole number from 0")
    );
    assert!(
        run.stderr
            .contains("error: site.yaml:5:15: `feed_content` must be `summary` or `full`")
    );
}

#[test]
fn a_site_may_bring_its_own_robots_txt() {
    let site = TestSite::new();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build().assert_ok();
    assert_eq!(site.page("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn term_feeds_can_be_turned_off() {
    let site = feed_site("term_feeds: false\n");
    site.build().assert_ok();
    assert!(site.exists("atom.xml") && site.exists("rss.xml"));
    let term_feeds: Vec<String> = tree(&site.out())
        .keys()
        .filter(|p| p.ends_with("atom.xml") && p.contains('/'))
        .cloned()
        .collect();
    assert!(term_feeds.is_empty(), "{term_feeds:?}");
    for (path, bytes) in tree(&site.out()) {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            for part in html.split("href=\"").skip(1) {
                let href = part.split('"').next().unwrap_or("");
                let is_term_feed = href.ends_with("/atom.xml")
                    && (href.contains("/regions/") || href.contains("/tags/"));
                assert!(!is_term_feed, "{path} links the term feed {href}");
            }
        }
    }
}
