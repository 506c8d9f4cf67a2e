//! Scheduled and embargoed briefs: `publish_date` and `expiry_date` against "now", which is
//! `SOURCE_DATE_EPOCH` when set.

use crate::common::{TestSite, path_str, tree};

/// 2025-12-31T00:00:00Z and 2026-01-02T00:00:00Z: either side of 2026-01-01.
const BEFORE: &str = "1767139200";
const AFTER: &str = "1767312000";

fn site_with(name: &str, front: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/data/spend.csv",
        "region,spend\nFrance,1.5\nKorea,2.5\n",
    );
    site.brief(
        "live.md",
        "title: Always here\ndate: 2025-01-01\ntags: [AI]\nregions: [France]",
        "Live text.\n",
    );
    site.brief(
        name,
        &format!(
            "title: Zanzibar embargo\ndate: 2025-06-01\ntags: [Secret]\nregions: [Korea]\n{front}"
        ),
        "Embargoed text.\n\n```chart\ndata: spend.csv\nx: region\ny: spend\n```\n",
    );
    site
}

fn build_at(site: &TestSite, epoch: &str, extra: &[&str]) {
    let mut args = vec!["build", "--root", path_str(site.root())];
    args.extend_from_slice(extra);
    site.run_at(epoch, &args).assert_ok();
}

/// Every output file that mentions `needle` (pages, feeds, sitemap, search index).
fn files_naming(site: &TestSite, needle: &str) -> Vec<String> {
    tree(&site.out())
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

fn assert_absent(site: &TestSite) {
    for needle in ["Zanzibar", "zanzibar-embargo", "Secret", "Korea"] {
        assert_eq!(files_naming(site, needle), Vec::<String>::new(), "{needle}");
    }
    assert!(!files_naming(site, "Always here").is_empty());
}

fn assert_present(site: &TestSite) {
    assert!(site.exists("briefs/zanzibar-embargo/index.html"));
    let found = files_naming(site, "zanzibar-embargo");
    for wanted in ["sitemap.xml", "atom.xml", "rss.xml", "briefs/index.html"] {
        assert!(found.iter().any(|f| f == wanted), "{wanted}: {found:?}");
    }
    assert!(found.iter().any(|f| f.starts_with("search/")), "{found:?}");
}

#[test]
fn a_brief_is_in_no_output_file_before_its_publish_date_and_in_all_after() {
    let site = site_with("zanzibar-embargo.md", "publish_date: 2026-01-01");
    build_at(&site, BEFORE, &[]);
    assert_absent(&site);
    build_at(&site, AFTER, &[]);
    assert_present(&site);
}

#[test]
fn a_publish_date_time_counts_from_its_zone() {
    // 2026-01-01T01:00:00+02:00 is 2025-12-31T23:00:00Z.
    let site = site_with(
        "zanzibar-embargo.md",
        "publish_date: 2026-01-01T01:00:00+02:00",
    );
    build_at(&site, "1767222000", &[]);
    assert_present(&site);
    build_at(&site, "1767221999", &[]);
    assert_absent(&site);
}

#[test]
fn a_brief_is_in_every_output_file_before_its_expiry_date_and_in_none_after() {
    let site = site_with("zanzibar-embargo.md", "expiry_date: 2026-01-01");
    build_at(&site, BEFORE, &[]);
    assert_present(&site);
    build_at(&site, AFTER, &[]);
    assert_absent(&site);
}

#[test]
fn hugo_names_schedule_too() {
    let site = site_with("zanzibar-embargo.md", "publishDate: 2026-01-01");
    let run = site.run_at(BEFORE, &["build", "--root", path_str(site.root())]);
    run.assert_ok();
    assert!(
        run.stderr
            .contains("`publishDate` is read as `publish_date`"),
        "{}",
        run.stderr
    );
    assert_absent(&site);
}

#[test]
fn check_json_ends_with_the_next_change() {
    let site = site_with("zanzibar-embargo.md", "publish_date: 2026-01-01");
    site.brief(
        "later.md",
        "title: Later\ndate: 2025-01-01\nexpiry_date: 2027-01-01",
        "",
    );
    let check = |epoch: &str| {
        let run = site.run_at(
            epoch,
            &["check", "--root", path_str(site.root()), "--format", "json"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let last = run.stdout.lines().last().expect("a last line").to_string();
        serde_json::from_str::<serde_json::Value>(&last).unwrap()
    };
    assert_eq!(
        check(BEFORE),
        serde_json::json!({
            "next_change": "2026-01-01T00:00:00Z",
            "path": "content/briefs/zanzibar-embargo.md",
            "key": "publish_date",
        })
    );
    assert_eq!(
        check(AFTER),
        serde_json::json!({
            "next_change": "2027-01-01T00:00:00Z",
            "path": "content/briefs/later.md",
            "key": "expiry_date",
        })
    );
    assert_eq!(
        check("1893456000"),
        serde_json::json!({ "next_change": null })
    );
}

#[test]
fn two_builds_at_the_same_epoch_are_byte_identical() {
    let site = site_with("zanzibar-embargo.md", "publish_date: 2026-01-01");
    build_at(&site, AFTER, &[]);
    let first = tree(&site.out());
    build_at(&site, AFTER, &[]);
    assert_eq!(first, tree(&site.out()));
}

#[test]
fn future_and_expired_show_the_brief_with_a_banner() {
    let site = site_with("zanzibar-embargo.md", "publish_date: 2025-11-20");
    build_at(&site, "1763337600", &["--future"]);
    let page = site.page("briefs/zanzibar-embargo/index.html");
    assert!(
        page.contains(
            r#"<p class="brief-schedule brief-schedule-scheduled">Scheduled for <time datetime="2025-11-20">20 November 2025</time></p>"#
        ),
        "{page}"
    );
    assert!(
        !site
            .page("briefs/live/index.html")
            .contains("brief-schedule")
    );
    assert!(site.page("style.css").contains(".brief-schedule"));

    let site = site_with("zanzibar-embargo.md", "expiry_date: 2025-11-20");
    build_at(&site, AFTER, &["--future"]);
    assert_absent(&site);
    build_at(&site, AFTER, &["--expired"]);
    let page = site.page("briefs/zanzibar-embargo/index.html");
    assert!(
        page.contains(r#"Expired on <time datetime="2025-11-20">20 November 2025</time></p>"#),
        "{page}"
    );
}

#[test]
fn a_bad_source_date_epoch_is_a_usage_error() {
    let site = site_with("zanzibar-embargo.md", "publish_date: 2026-01-01");
    for args in [
        vec!["build", "--root", path_str(site.root())],
        vec!["check", "--root", path_str(site.root()), "--format", "json"],
    ] {
        let run = site.run_at("next tuesday", &args);
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert!(
            format!("{}{}", run.stdout, run.stderr).contains("SOURCE_DATE_EPOCH"),
            "{}{}",
            run.stdout,
            run.stderr
        );
    }
    assert!(!site.out().exists());
}
