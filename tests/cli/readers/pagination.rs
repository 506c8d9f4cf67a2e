//! Paginated lists, and how a brief page leads to the next brief: breadcrumbs, term links,
//! previous/next by date, related briefs.

use std::collections::BTreeMap;

use crate::common::*;

/// 120 briefs, one a day, all tagged `common`, with `page_size: 50`.
fn hundred_and_twenty() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Test Briefing\nbase_url: https://briefs.example.org\npage_size: 50\n",
    );
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for i in 1..=120 {
        let date = start + chrono::Days::new(i);
        site.brief(
            &format!("b{i:03}.md"),
            &format!("title: Brief {i:03}\ndate: {date}\ntags: [common]"),
            "Body.\n",
        );
    }
    site
}

/// `(href, rel)` of every `<a>` with a `rel` in the page's `<nav class="pagination">`.
fn pager_links(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<nav class=\"pagination\"") else {
        return Vec::new();
    };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<a ")
        .skip(1)
        .map(|a| {
            let attr = |name: &str| {
                let at = a.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                a[at..at + a[at..].find('"').unwrap()].to_string()
            };
            (attr("href"), attr("rel"))
        })
        .collect()
}

/// How often each brief is linked from a list page's brief list.
fn listed(html: &str, counts: &mut BTreeMap<String, usize>) {
    let list = main_of(html);
    for part in list.split("class=\"brief-item-title\"><a href=\"").skip(1) {
        let href = &part[..part.find('"').unwrap()];
        *counts.entry(href.to_string()).or_default() += 1;
    }
}

fn check_three_pages(site: &TestSite, base: &str) {
    let pages = [
        format!("{base}index.html"),
        format!("{base}page/2/index.html"),
        format!("{base}page/3/index.html"),
    ];
    assert!(!site.exists(&format!("{base}page/4/index.html")));
    assert!(
        !site.exists(&format!("{base}page/1/index.html")),
        "page 1 stays at the list URL"
    );
    let url = |p: &str| format!("/{p}");
    let html: Vec<String> = pages.iter().map(|p| site.page(p)).collect();

    assert_eq!(
        pager_links(&html[0]),
        [(url(&format!("{base}page/2/")), "next".into())]
    );
    assert_eq!(
        pager_links(&html[1]),
        [
            (url(base), "prev".to_string()),
            (url(&format!("{base}page/3/")), "next".to_string())
        ]
    );
    assert_eq!(
        pager_links(&html[2]),
        [(url(&format!("{base}page/2/")), "prev".into())]
    );
    assert!(html[0].contains(&format!("<link rel=\"next\" href=\"/{base}page/2/\">")));
    assert!(!html[0].contains("<link rel=\"prev\""));
    assert!(html[1].contains(&format!("<link rel=\"prev\" href=\"/{base}\">")));
    assert!(html[2].contains(&format!("<link rel=\"prev\" href=\"/{base}page/2/\">")));
    assert!(!html[2].contains("<link rel=\"next\""));
    assert!(html[1].contains(&format!(
        "<link rel=\"canonical\" href=\"https://briefs.example.org/{base}page/2/\">"
    )));

    let mut counts = BTreeMap::new();
    let mut per_page = Vec::new();
    for page in &html {
        let before: usize = counts.values().sum();
        listed(page, &mut counts);
        per_page.push(counts.values().sum::<usize>() - before);
    }
    assert_eq!(per_page, [50, 50, 20]);
    assert_eq!(counts.len(), 120, "every brief appears");
    assert!(counts.values().all(|&n| n == 1), "no brief appears twice");
    // Newest first across the pages: page 1 opens with the newest, page 3 ends with the oldest.
    assert!(main_of(&html[0]).find("Brief 120") < main_of(&html[0]).find("Brief 071"));
    assert!(main_of(&html[2]).contains("Brief 001") && !main_of(&html[2]).contains("Brief 021"));
}

#[test]
fn the_brief_list_and_term_pages_paginate_120_briefs_into_three_pages() {
    let site = hundred_and_twenty();
    site.build().assert_ok();
    check_three_pages(&site, "briefs/");
    check_three_pages(&site, "tags/common/");
    let page2 = site.page("briefs/page/2/index.html");
    assert!(page2.contains("<title>All briefs (page 2 of 3) · Test Briefing</title>"));
    assert!(main_of(&page2).contains("All briefs <span class=\"heading-count\">(120)</span>"));
}

#[test]
fn page_size_zero_keeps_every_list_on_one_page() {
    let site = hundred_and_twenty();
    site.write(
        "site.yaml",
        "title: Test Briefing\nbase_url: https://briefs.example.org\npage_size: 0\n",
    );
    site.build().assert_ok();
    assert!(!site.exists("briefs/page/2/index.html"));
    let mut counts = BTreeMap::new();
    listed(&site.page("briefs/index.html"), &mut counts);
    assert_eq!(counts.len(), 120);
    assert!(pager_links(&site.page("briefs/index.html")).is_empty());
}

#[test]
fn a_brief_page_leads_to_its_neighbours_and_related_briefs() {
    let site = TestSite::new();
    // "focus" shares two terms with a, one with b, c, d, e and f, and none with g.
    let briefs = [
        ("a", "2025-01-07", "[kazakhstan, uzbekistan]", "[energy]"),
        ("focus", "2025-01-06", "[Kazakhstan, Uzbekistan]", "[grain]"),
        ("b", "2025-01-05", "[Kazakhstan]", "[]"),
        ("c", "2025-01-04", "[Uzbekistan]", "[]"),
        ("d", "2025-01-03", "[]", "[grain]"),
        ("e", "2025-01-02", "[Kazakhstan]", "[]"),
        ("f", "2025-01-01", "[Kazakhstan]", "[]"),
        ("g", "2025-01-08", "[France]", "[wine]"),
    ];
    for (slug, date, regions, tags) in briefs {
        site.brief(
            &format!("{slug}.md"),
            &format!("title: Brief {slug}\ndate: {date}\nregions: {regions}\ntags: {tags}"),
            "Body.\n",
        );
    }
    site.build().assert_ok();
    let html = site.page("briefs/focus/index.html");
    let main = main_of(&html);
    let crumbs = &main[main.find("class=\"breadcrumbs\"").expect("breadcrumbs")..];
    let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
    let order = positions(
        crumbs,
        &[
            "href=\"/\">Home",
            "href=\"/briefs/\">Briefs",
            "aria-current=\"page\">Brief focus",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    assert!(
        main.contains("href=\"/regions/kazakhstan/\"") && main.contains("href=\"/tags/grain/\"")
    );

    let pager = &main[main.find("class=\"brief-pager\"").expect("previous/next")..];
    assert!(pager.contains("Previous brief</span> <a href=\"/briefs/b/\">"));
    assert!(pager.contains("Next brief</span> <a href=\"/briefs/a/\">"));

    let related = &main[main.find("id=\"related-heading\"").expect("related briefs")..];
    let related = &related[..related.find("</section>").unwrap()];
    let order = positions(
        related,
        &[
            "/briefs/a/",
            "/briefs/b/",
            "/briefs/c/",
            "/briefs/d/",
            "/briefs/e/",
        ],
    );
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "most shared first, then newest"
    );
    assert!(!related.contains("/briefs/f/"), "at most five");
    assert!(!related.contains("/briefs/g/") && !related.contains("/briefs/focus/"));

    // The newest brief has no next one; a brief sharing nothing lists no related briefs.
    let newest = site.page("briefs/g/index.html");
    assert!(!main_of(&newest).contains("Next brief"));
    assert!(main_of(&newest).contains("Previous brief"));
    assert!(!main_of(&newest).contains("related-heading"));
}
