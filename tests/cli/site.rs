//! What a reader sees in a built site.

use crate::common::*;

fn two_briefs() -> TestSite {
    let site = TestSite::new();
    site.brief(
        "spend-by-region.md",
        "title: Spend by region\ndate: 2025-11-20\nsummary: Who builds where.\ntags: [investment, Data centers]\nregions: [France, Қазақстан]",
        "## Overview\n\nText with a [link](https://example.org) and a note.[^1]\n\n\
         | Investor | Spend |\n|---|--:|\n| SoftBank | n/a |\n\n\
         - one\n- two\n\n1. first\n2. second\n\n> A quote.\n\n[^1]: The note.\n",
    );
    site.brief(
        "central-asia.md",
        "title: Central Asia\ndate: 2025-11-18\nsummary: Sovereign cloud.\ntags: [investment]\nregions: [france, Uzbekistan]",
        "Body.\n",
    );
    site
}

#[test]
fn builds_every_page_kind_from_a_minimal_site() {
    let site = two_briefs();
    site.build().assert_ok();
    for page in [
        "index.html",
        "briefs/index.html",
        "briefs/spend-by-region/index.html",
        "briefs/central-asia/index.html",
        "tags/index.html",
        "regions/index.html",
        "tags/investment/index.html",
        "tags/data-centers/index.html",
        "regions/france/index.html",
        "regions/қазақстан/index.html",
        "regions/uzbekistan/index.html",
        "404.html",
        "style.css",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
}

#[test]
fn brief_page_shows_title_and_markdown_body() {
    let site = two_briefs();
    site.build().assert_ok();
    let html = site.page("briefs/spend-by-region/index.html");
    assert!(html.contains("<title>Spend by region · Test Briefing</title>"));
    let main = main_of(&html);
    assert!(main.contains("<h1"), "brief title is the page heading");
    assert!(main.contains("<h2 id=\"overview\">Overview"));
    assert!(main.contains("<table>") && main.contains("<td>SoftBank</td>"));
    assert!(main.contains("<blockquote>"));
    assert!(main.contains("<ol>") && main.contains("<ul>"));
    assert!(main.contains("href=\"https://example.org\""));
    assert!(main.contains("id=\"fn-1\"") && main.contains("href=\"#fn-1\""));
    assert!(main.contains("<time datetime=\"2025-11-20\">20 November 2025</time>"));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://briefs.example.org/briefs/spend-by-region/\">"
    ));
    assert!(html.contains("<html lang=\"en\">"));
}

#[test]
fn lists_are_newest_first_with_ties_broken_by_title_then_slug() {
    let site = TestSite::new();
    site.brief("c.md", "title: Older\ndate: 2024-01-01", "");
    site.brief("b.md", "title: Same day B\ndate: 2025-06-01", "");
    site.brief("a.md", "title: Same day A\ndate: 2025-06-01", "");
    site.brief("z.md", "title: Same day A\ndate: 2025-06-01", "");
    site.brief("d.md", "title: Newest\ndate: 2025-12-01", "");
    site.build().assert_ok();
    let list = site.page("briefs/index.html");
    let order = positions(
        main_of(&list),
        &[
            "/briefs/d/",
            "/briefs/a/",
            "/briefs/z/",
            "/briefs/b/",
            "/briefs/c/",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "order {order:?}");
    let home = site.page("index.html");
    assert!(main_of(&home).find("Newest") < main_of(&home).find("Older"));
}

#[test]
fn home_lists_the_latest_twenty() {
    let site = TestSite::new();
    for i in 1..=25 {
        site.brief(
            &format!("b{i:02}.md"),
            &format!("title: Brief number {i:02}\ndate: 2025-01-{i:02}"),
            "",
        );
    }
    site.build().assert_ok();
    let home = site.page("index.html");
    assert!(home.contains("Brief number 25") && home.contains("Brief number 06"));
    assert!(
        !home.contains("Brief number 05"),
        "home shows only the latest 20"
    );
    assert!(site.page("briefs/index.html").contains("Brief number 01"));
}

#[test]
fn terms_merge_case_and_keep_first_spelling_with_counts() {
    let site = two_briefs();
    site.build().assert_ok();
    let regions = site.page("regions/index.html");
    // "France" (oldest brief writes "france") is one term with two briefs.
    assert!(!site.exists("regions/france-2/index.html"));
    let france = site.page("regions/france/index.html");
    assert!(france.contains("Spend by region") && france.contains("Central Asia"));
    assert!(regions.contains("href=\"/regions/france/\""));
    assert!(
        main_of(&regions).contains("france"),
        "shown as first written (oldest brief)"
    );
    let investment = site.page("tags/investment/index.html");
    assert!(investment.contains("Spend by region") && investment.contains("Central Asia"));
    let kz = site.page("regions/қазақстан/index.html");
    assert!(kz.contains("Spend by region") && !kz.contains("Central Asia"));
}

#[test]
fn colliding_term_urls_stay_distinct_whatever_the_file_order() {
    let urls = |first: &str, second: &str| {
        let site = TestSite::new();
        site.brief(
            "a.md",
            &format!("title: A\ndate: 2025-01-01\ntags: [\"{first}\"]"),
            "",
        );
        site.brief(
            "b.md",
            &format!("title: B\ndate: 2025-01-01\ntags: [\"{second}\"]"),
            "",
        );
        site.build().assert_ok();
        let mut found: Vec<String> = tree(&site.out().join("tags"))
            .keys()
            .filter(|k| k.ends_with("index.html") && k.contains('/'))
            .cloned()
            .collect();
        found.sort();
        let cpp = site.page("tags/index.html");
        (found, cpp.contains("C++") && cpp.contains("C#"))
    };
    let (one, both_listed) = urls("C++", "C#");
    let (two, _) = urls("C#", "C++");
    assert_eq!(one.len(), 2, "two term pages: {one:?}");
    assert_eq!(one, two, "URLs do not depend on which file was read first");
    assert!(both_listed);
}

#[test]
fn front_matter_is_escaped_and_body_template_syntax_stays_literal() {
    let site = TestSite::new();
    site.brief(
        "x.md",
        "title: \"<script>alert(1)</script> & co\"\ndate: 2025-01-01\nsummary: \"<img src=x onerror=alert(1)>\"\ntags: [\"<b>bold</b>\"]",
        "Literal {{ site.title }} and {% if true %}x{% endif %} and {{< ref \"a\" >}}.\n\n<script>alert(2)</script>\n",
    );
    site.build().assert_ok();
    for (path, bytes) in tree(&site.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "unescaped script in {path}"
        );
        assert!(!text.contains("<img src=x"), "unescaped img in {path}");
        assert!(!text.contains("<b>bold</b>"), "unescaped tag in {path}");
    }
    let page = site.page("briefs/x/index.html");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(page.contains("Literal {{ site.title }} and {% if true %}x{% endif %} and {{&lt; ref"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::new();
    site.brief("pub.md", "title: Published\ndate: 2025-01-01", "");
    site.brief(
        "wip.md",
        "title: Work in progress\ndate: 2025-01-02\ndraft: true",
        "",
    );
    site.build().assert_ok();
    assert!(!site.exists("briefs/wip/index.html"));
    assert!(!site.page("briefs/index.html").contains("Work in progress"));
    site.run(&["build", "--root", path_str(site.root()), "--drafts"])
        .assert_ok();
    assert!(site.exists("briefs/wip/index.html"));
}

#[test]
fn static_files_are_copied_with_dotfiles_and_templates_override_by_name() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    site.write("static/CNAME", "briefs.example.org\n");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:x@example.org\n",
    );
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Custom lost page for {{ site.title }}</p>{% endblock content %}");
    site.build().assert_ok();
    assert_eq!(site.page("CNAME"), "briefs.example.org\n");
    assert!(site.exists(".well-known/security.txt"));
    assert!(site.exists("img/logo.svg"));
    assert!(
        site.page("404.html")
            .contains("Custom lost page for Test Briefing")
    );
}

#[test]
fn base_url_path_prefixes_internal_links() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01\nregions: [France]", "");
    site.run(&[
        "build",
        "--root",
        path_str(site.root()),
        "--base-url",
        "https://x.org/desk/",
    ])
    .assert_ok();
    let home = site.page("index.html");
    assert!(home.contains("href=\"/desk/briefs/a/\""), "{home}");
    assert!(home.contains("href=\"/desk/style.css\""));
    assert!(!home.contains("href=\"/briefs/"));
    let brief = site.page("briefs/a/index.html");
    assert!(
        brief.contains("href=\"https://x.org/desk/briefs/a/\""),
        "canonical is absolute"
    );
    assert!(brief.contains("href=\"/desk/regions/france/\""));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = two_briefs();
    site.build().assert_ok();
    let first = tree(&site.out());
    site.build().assert_ok();
    assert_eq!(first, tree(&site.out()));
    let other = site.root().join("elsewhere");
    site.run(&[
        "build",
        "--root",
        path_str(site.root()),
        "--output",
        path_str(&other),
    ])
    .assert_ok();
    assert_eq!(first, tree(&other));
}

#[test]
fn a_site_with_no_briefs_builds_and_warns() {
    let site = TestSite::new();
    let run = site.build();
    run.assert_ok();
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    assert!(site.exists("index.html") && site.exists("briefs/index.html"));
}

#[test]
fn summary_line_counts_briefs_pages_and_warnings() {
    let site = two_briefs();
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("built 2 briefs, 13 pages in "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(", 0 warnings"));
}

#[test]
fn check_reports_without_writing() {
    let site = two_briefs();
    let run = site.run(&["check", "--root", path_str(site.root())]);
    run.assert_ok();
    assert!(run.stderr.contains("checked 2 briefs"));
    assert!(!site.out().exists());
}
