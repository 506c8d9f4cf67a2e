//! The output folder is replaced whole, so `--output` may never reach the site's own files by
//! any spelling, and a folder briefing did not write is never replaced without `--force`.

use crate::common::*;

fn site_with_files() -> TestSite {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "Body.");
    site.write("templates/.keep", "");
    site.write("static/logo.txt", "logo");
    site
}

/// The site's own files, to compare before and after a refused build.
fn sources(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(site.root())
}

#[test]
fn no_spelling_of_the_site_folders_is_replaced() {
    let site = site_with_files();
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let before = sources(&site);
    for out in [
        "nope/../content".to_string(),
        "nope/../content/briefs".to_string(),
        format!("x/../../{name}/content"),
        "./content//briefs/".to_string(),
        "static/.".to_string(),
        "templates/new".to_string(),
        ".".to_string(),
        "output/..".to_string(),
        "..".to_string(),
        "nope/../site.yaml".to_string(),
    ] {
        let run = run_in(site.root(), &["build", "--output", &out]);
        assert_eq!(
            run.code, 2,
            "--output {out} was not refused: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("--output {out}")) && run.stderr.contains("help:"),
            "--output {out}: the refusal names the flag and a fix: {}",
            run.stderr
        );
        assert_eq!(sources(&site), before, "--output {out} changed the site");
    }
}

#[test]
fn a_symlink_to_the_content_is_refused() {
    let site = site_with_files();
    let elsewhere = tempfile::tempdir().unwrap();
    let link = elsewhere.path().join("public");
    std::os::unix::fs::symlink(site.root().join("content"), &link).unwrap();
    let before = sources(&site);
    let run = site.run(&[
        "build",
        "--root",
        path_str(site.root()),
        "--output",
        path_str(&link),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content"), "{}", run.stderr);
    assert_eq!(sources(&site), before);
    assert!(link.join("briefs/a.md").is_file());
}

#[test]
fn a_relative_path_to_someone_elses_folder_is_not_replaced() {
    // `x/../../public_html` from inside the site: a folder of hand-written pages beside it.
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    let public = parent.path().join("public_html");
    std::fs::create_dir_all(root.join("content/briefs")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://e.org\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/briefs/a.md"),
        "---\ntitle: A\ndate: 2025-01-01\n---\nBody.\n",
    )
    .unwrap();
    std::fs::create_dir_all(&public).unwrap();
    std::fs::write(public.join("index.html"), "<p>my own site</p>").unwrap();

    let run = run_in(&root, &["build", "--output", "x/../../public_html"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("briefing did not write") && run.stderr.contains("--force"),
        "the refusal says why and names the override: {}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(public.join("index.html")).unwrap(),
        "<p>my own site</p>"
    );
    assert!(!root.join("x").exists(), "nothing was created on the way");

    // With --force the editor says so, and the folder becomes a build.
    run_in(
        &root,
        &["build", "--output", "x/../../public_html", "--force"],
    )
    .assert_ok();
    let index = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(index.contains("<html"), "{index}");
    assert!(public.join(".briefing-build").is_file());
}

#[test]
fn a_folder_briefing_wrote_is_replaced_and_one_it_did_not_is_kept() {
    let site = site_with_files();
    site.build().assert_ok();
    assert!(
        site.out().join(".briefing-build").is_file(),
        "every build carries the marker"
    );
    site.brief("b.md", "title: B\ndate: 2025-01-02", "Second.");
    site.build().assert_ok();
    assert!(
        site.exists("briefs/b/index.html"),
        "a marked build is replaced"
    );

    // Take the marker away: an index.html alone proves nothing.
    std::fs::remove_file(site.out().join(".briefing-build")).unwrap();
    let before = tree(&site.out());
    let run = site.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(tree(&site.out()), before);
}

#[test]
fn a_static_file_cannot_pose_as_the_marker() {
    let site = site_with_files();
    site.write("static/.briefing-build", "mine");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(".briefing-build"), "{}", run.stderr);
    // check writes nothing, yet finds the same problem: the output contract is one check.
    let check = site.run(&["check", "--root", path_str(site.root())]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("two outputs were written to the same path: .briefing-build"),
        "{}",
        check.stderr
    );
}

#[test]
fn a_static_file_cannot_replace_a_generated_page() {
    let site = site_with_files();
    site.write("static/briefs/index.html", "<p>mine</p>");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("static/briefs/index.html would replace the page briefing generates"),
        "{}",
        run.stderr
    );
    assert!(
        !site.out().exists(),
        "a failed first build writes no output"
    );
}

#[test]
fn a_rebuild_removes_the_previous_site_whole_and_never_follows_a_link_in_it() {
    let site = site_with_files();
    site.build().assert_ok();
    // Someone put a link to a folder elsewhere into the output, and nested folders of their own.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.out().join("linked")).unwrap();
    std::fs::create_dir_all(site.out().join("briefs/a/deep/er")).unwrap();
    std::fs::write(site.out().join("briefs/a/deep/er/x.txt"), "x").unwrap();

    site.build().assert_ok();
    assert!(
        site.exists("briefs/a/index.html"),
        "the new build is in place"
    );
    assert!(
        !site.out().join("linked").exists(),
        "the link went with the old site"
    );
    assert!(!site.out().join("briefs/a/deep").exists());
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(),
        "mine",
        "what the link pointed at is untouched"
    );
    let parent = site.out().parent().unwrap().to_path_buf();
    let left: Vec<String> = std::fs::read_dir(&parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".briefing-"))
        .collect();
    assert!(left.is_empty(), "nothing of the old site is left: {left:?}");
}
