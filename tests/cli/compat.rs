//! Articles from Hugo and Jekyll sites, copied into content/briefs/ unchanged
//! (tests/fixtures/jekyll-hugo-site): what briefing reads of them, and what it warns about.

use std::path::{Path, PathBuf};

use crate::common::*;

/// The fixture site built into a temporary folder: the folder (keep it), the output, the run.
fn build_fixture() -> (tempfile::TempDir, PathBuf, Run) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jekyll-hugo-site");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    // A fixed "now" (2026-01-01), before the fixture's expiryDate: the test does not change
    // with the clock.
    let run = run_env(
        &[
            "build",
            "--root",
            path_str(&root),
            "--output",
            path_str(&out),
        ],
        &[("SOURCE_DATE_EPOCH", "1767225600")],
    );
    (tmp, out, run)
}

fn page(out: &Path, slug: &str) -> String {
    let path = out.join(format!("briefs/{slug}/index.html"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The brief's own date on its page: the first `<time>` of its main part.
fn shown_date(html: &str) -> &str {
    let main = main_of(html);
    let start = main.find("<time ").expect("the brief shows its date");
    let end = start + main[start..].find("</time>").unwrap();
    &main[start..end]
}

#[test]
fn every_shape_builds_at_its_url_with_its_date() {
    let (_tmp, out, run) = build_fixture();
    run.assert_ok();
    for (slug, time) in [
        (
            "blank-lines-first",
            r#"<time datetime="2024-05-01">1 May 2024"#,
        ),
        (
            "jekyll-zone-hours",
            r#"<time datetime="2015-03-17T14:00:00-04:00">17 March 2015"#,
        ),
        (
            "jekyll-zone-full",
            r#"<time datetime="2015-03-18T14:00:00-04:00">18 March 2015"#,
        ),
        (
            "jekyll-one-digit-hour",
            r#"<time datetime="2016-03-23T09:00:00-04:00">23 March 2016"#,
        ),
        (
            "jekyll-no-zone",
            r#"<time datetime="2015-03-19T14:00:00+00:00">19 March 2015"#,
        ),
        (
            "jekyll-t-no-zone",
            r#"<time datetime="2015-03-20T14:00:00+00:00">20 March 2015"#,
        ),
        (
            "dated-by-name",
            r#"<time datetime="2015-03-21">21 March 2015"#,
        ),
        (
            "name-and-front",
            r#"<time datetime="2015-04-01">1 April 2015"#,
        ),
        ("hugo-keys", r#"<time datetime="2024-06-01">1 June 2024"#),
        (
            "jekyll-excerpt",
            r#"<time datetime="2024-06-02T10:00:00+02:00">2 June 2024"#,
        ),
        ("shortcodes", r#"<time datetime="2024-06-04">4 June 2024"#),
        (
            "hugo-toml",
            r#"<time datetime="2024-06-05T08:00:00+00:00">5 June 2024"#,
        ),
    ] {
        assert_eq!(shown_date(&page(&out, slug)), time, "{slug}");
    }
    // The date prefix of a file name leaves the slug, whether or not it gave the date.
    for name in ["2015-03-21-dated-by-name", "2015-03-22-name-and-front"] {
        assert!(!out.join("briefs").join(name).exists(), "{name}");
    }
}

#[test]
fn hugo_and_jekyll_key_names_are_read_with_a_warning_naming_ours() {
    let (_tmp, out, run) = build_fixture();
    run.assert_ok();
    let hugo = page(&out, "hugo-keys");
    assert!(hugo.contains(r#"<p class="lead">Read as the summary.</p>"#));
    assert!(hugo.contains(r#"<time datetime="2024-06-03">3 June 2024</time>"#));
    for tag in ["ai", "cloud", "policy"] {
        assert!(hugo.contains(&format!("href=\"/tags/{tag}/\"")), "{tag}");
    }
    assert_eq!(
        hugo.matches("href=\"/tags/ai/\"").count(),
        1,
        "AI and ai are one tag"
    );
    let toml = page(&out, "hugo-toml");
    assert!(toml.contains(r#"<p class="lead">TOML between +++ lines.</p>"#));
    assert!(toml.contains("href=\"/tags/toml/\""));
    let jekyll = page(&out, "jekyll-excerpt");
    assert!(jekyll.contains(r#"<p class="lead">An excerpt, read as the summary.</p>"#));

    let stderr = &run.stderr;
    for said in [
        "content/briefs/hugo-keys.md:4:1: `description` is read as `summary`; rename it to silence this warning",
        "content/briefs/hugo-keys.md:5:1: `lastmod` is read as `updated`; rename it to silence this warning",
        "content/briefs/hugo-keys.md:7:1: `categories` is read as `tags` (merged with them)",
        "content/briefs/jekyll-excerpt.md:5:1: `excerpt` is read as `summary`",
        "content/briefs/hugo-toml.md:4:1: `description` is read as `summary`",
        "content/briefs/hugo-keys.md:8:1: `publishDate` is read as `publish_date`",
        "content/briefs/hugo-keys.md:9:1: `expiryDate` is read as `expiry_date`",
    ] {
        assert!(stderr.contains(said), "{said}\nstderr:\n{stderr}");
    }
    // Kept quietly: Jekyll's layout.
    for key in ["layout", "did you mean"] {
        assert!(!stderr.contains(key), "{key}\nstderr:\n{stderr}");
    }
}

#[test]
fn shortcodes_and_liquid_tags_are_shown_as_written_with_one_warning() {
    let (_tmp, out, run) = build_fixture();
    run.assert_ok();
    let stderr = &run.stderr;
    let said = "content/briefs/shortcodes.md:11:1: the body holds Hugo shortcodes (figure, note) \
                and Liquid tags (include, raw) from line 11; briefing shows them as written";
    assert!(stderr.contains(said), "stderr:\n{stderr}");
    assert_eq!(stderr.matches("the body holds").count(), 1, "{stderr}");
    assert!(stderr.contains(" 8 warnings"), "{stderr}");
    let html = page(&out, "shortcodes");
    let main = main_of(&html);
    for written in [
        "{{ .Title }}",
        "<code>{{&lt; figure &gt;}}</code>",
        "{{&lt; figure src=",
        "<p>{{% note %}}A note.{{% /note %}}</p>",
        "<p>{% include signup.html %}</p>",
        "<p>{% raw %}{{ kept }}{% endraw %}</p>",
    ] {
        assert!(main.contains(written), "{written}\n{main}");
    }
}

#[test]
fn what_stays_an_error_still_is() {
    // No date anywhere: the help names the file-name form.
    let site = TestSite::new();
    site.brief("undated.md", "title: Undated", "Body.\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/briefs/undated.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("front-matter has no `date`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2025-11-20-{slug}.md"),
        "{}",
        run.stderr
    );

    // A dated file name and a plain one that share a slug share a URL.
    let site = TestSite::new();
    site.brief("2015-03-17-spend.md", "title: Old", "Body.\n");
    site.brief("spend.md", "title: New\ndate: 2025-01-01", "Body.\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("slug `spend` is used by more than one brief"),
        "{}",
        run.stderr
    );

    // Duplicate keys, whatever their names.
    let site = TestSite::new();
    site.brief(
        "twice.md",
        "title: a\ndate: 2025-01-01\nlastmod: 2025-01-02\nlastmod: 2025-01-03",
        "",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/briefs/twice.md:"),
        "{}",
        run.stderr
    );
}
