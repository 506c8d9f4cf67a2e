//! Nothing outside the site folder is published: a top-level folder linked to elsewhere is an
//! error naming the link and its target, a deeper link leading out is skipped with a warning,
//! and a link that stays inside the site is followed.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::*;

const SECRET: &str = "Secret from outside the site";

/// A folder outside the site holding a brief, a data file and a page, all marked [`SECRET`].
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "briefs/secret.md",
        &format!("---\ntitle: {SECRET}\ndate: 2025-01-01\n---\n{SECRET}\n"),
    );
    write("data/spend.csv", &format!("investor,spend\n{SECRET},1\n"));
    write("static/secret.txt", SECRET);
    write("templates/base.html", SECRET);
    dir
}

fn good_site() -> TestSite {
    let site = TestSite::new();
    site.brief("good.md", "title: Good\ndate: 2025-01-01", "Good body.");
    site
}

/// No output file holds the secret text.
fn assert_not_published(site: &TestSite) {
    for (path, bytes) in tree(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{path} holds text from outside the site"
        );
    }
}

#[test]
fn a_top_level_folder_linked_outside_is_an_error_naming_link_and_target() {
    for (link, target) in [
        ("static", "static"),
        ("templates", "templates"),
        ("content/briefs", "briefs"),
        ("content/data", "data"),
    ] {
        let out = outside();
        let site = good_site();
        site.build().assert_ok();
        let before = tree(&site.out());
        let at = site.root().join(link);
        if at.exists() {
            std::fs::remove_dir_all(&at).unwrap();
        }
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(out.path().join(target), &at).unwrap();
        if link == "content/data" {
            site.brief(
                "chart.md",
                "title: Chart\ndate: 2025-01-02",
                "```chart\ndata: spend.csv\ntype: bar\nx: investor\ny: spend\n```\n",
            );
        }
        let run = site.build();
        assert_eq!(run.code, 1, "{link}: {}", run.stderr);
        let target_shown = out.path().join(target).display().to_string();
        assert!(
            run.stderr.contains(&format!(
                "error: {link}: {link} is a symlink to {target_shown}"
            )),
            "{link}: the error names the link and its target: {}",
            run.stderr
        );
        assert_eq!(
            tree(&site.out()),
            before,
            "{link}: the previous output is intact"
        );
    }
}

#[test]
fn content_linked_outside_is_one_error() {
    let out = outside();
    let content = out.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::rename(out.path().join("briefs"), content.join("briefs")).unwrap();
    let site = TestSite::new();
    symlink(&content, site.root().join("content")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: content: content is a symlink"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn deeper_links_leading_out_are_skipped_with_a_warning() {
    let out = outside();
    let site = good_site();
    let briefs = site.root().join("content/briefs");
    symlink(
        out.path().join("briefs/secret.md"),
        briefs.join("secret.md"),
    )
    .unwrap();
    symlink(out.path().join("briefs"), briefs.join("more")).unwrap();
    symlink(&briefs, briefs.join("loop")).unwrap();
    symlink(site.root().join("nowhere.md"), briefs.join("dangling.md")).unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink(out.path().join("static"), site.root().join("static/assets")).unwrap();
    symlink(
        out.path().join("static/secret.txt"),
        site.root().join("static/secret.txt"),
    )
    .unwrap();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for link in [
        "content/briefs/secret.md",
        "content/briefs/more",
        "content/briefs/loop",
        "content/briefs/dangling.md",
        "static/assets",
        "static/secret.txt",
    ] {
        assert!(
            run.stderr
                .contains(&format!("warning: {link}: symlink points outside")),
            "{link} is reported: {}",
            run.stderr
        );
    }
    assert!(site.exists("briefs/good/index.html"));
    assert!(!site.exists("briefs/secret/index.html"));
    assert!(!site.exists("assets/secret.txt") && !site.exists("secret.txt"));
    assert_not_published(&site);
}

#[test]
fn a_data_file_linked_outside_is_an_error_at_the_chart() {
    let out = outside();
    let site = good_site();
    std::fs::create_dir_all(site.root().join("content/data")).unwrap();
    symlink(
        out.path().join("data/spend.csv"),
        site.root().join("content/data/spend.csv"),
    )
    .unwrap();
    site.brief(
        "chart.md",
        "title: Chart\ndate: 2025-01-02",
        "Text.\n\n```chart\ndata: spend.csv\ntype: bar\nx: investor\ny: spend\n```\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/briefs/chart.md:7:")
            && run
                .stderr
                .contains("content/data/spend.csv is a symlink to"),
        "{}",
        run.stderr
    );
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = good_site();
    site.write(
        "assets/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("assets/fonts/a.woff2", "font bytes");
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink(
        Path::new("../assets/logo.svg"),
        site.root().join("static/logo.svg"),
    )
    .unwrap();
    symlink(
        site.root().join("assets/fonts"),
        site.root().join("static/fonts"),
    )
    .unwrap();
    site.write(
        "shared/brief.md",
        "---\ntitle: Shared\ndate: 2025-02-01\n---\nShared.\n",
    );
    symlink(
        site.root().join("shared/brief.md"),
        site.root().join("content/briefs/shared.md"),
    )
    .unwrap();
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("symlink"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(site.out().join("logo.svg")).unwrap(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("fonts/a.woff2")).unwrap(),
        "font bytes"
    );
    assert!(site.page("briefs/shared/index.html").contains("Shared."));
}
