//! `briefing init`: a new site that builds at once, and a folder that holds a site left alone.

use crate::common::{path_str, run, run_in, tree};

#[test]
fn a_new_site_builds_at_once_with_its_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("news");
    let init = run(&["init", path_str(&dir)]);
    init.assert_ok();
    for file in [
        "site.yaml",
        "content/briefs/welcome.md",
        "content/data/example.csv",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "output/\n"
    );
    let csv = std::fs::read_to_string(dir.join("content/data/example.csv")).unwrap();
    assert!(csv.contains("illustrative"), "{csv}");

    let build = run(&["build", "--root", path_str(&dir)]);
    build.assert_ok();
    assert!(
        !build.stderr.contains("warning:") && build.stderr.contains(" 0 warnings"),
        "a new site builds without warnings:\n{}",
        build.stderr
    );
    let out = dir.join("output");
    let page = std::fs::read_to_string(out.join("briefs/welcome/index.html"))
        .unwrap_or_else(|e| panic!("{e}: {:?}", tree(&out).keys().collect::<Vec<_>>()));
    assert!(page.contains("<svg"), "the brief page has its chart");
    let download = std::fs::read_to_string(out.join("briefs/welcome/chart-1.csv"))
        .expect("the chart's CSV download");
    assert!(download.starts_with("region,"), "{download}");
    assert!(page.contains("chart-1.csv"), "the page links the download");
}

#[test]
fn the_next_commands_name_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let init = run(&["init", path_str(&dir)]);
    init.assert_ok();
    let root = path_str(&dir);
    assert!(
        init.stdout
            .contains(&format!("briefing serve --root {root} ")),
        "{}",
        init.stdout
    );
    assert!(
        init.stdout
            .contains(&format!("briefing build --root {root} ")),
        "{}",
        init.stdout
    );

    // In the current folder (the default), the commands need no --root.
    let here = tempfile::tempdir().unwrap();
    let init = run_in(here.path(), &["init"]);
    init.assert_ok();
    assert!(here.path().join("site.yaml").is_file());
    assert!(init.stdout.contains("  briefing serve "), "{}", init.stdout);
    assert!(init.stdout.contains("  briefing build "), "{}", init.stdout);
    assert!(!init.stdout.contains("--root"), "{}", init.stdout);
}

#[test]
fn an_existing_empty_folder_is_fine() {
    let tmp = tempfile::tempdir().unwrap();
    run(&["init", path_str(tmp.path())]).assert_ok();
    assert!(tmp.path().join("site.yaml").is_file());
    run(&["build", "--root", path_str(tmp.path())]).assert_ok();
}

#[test]
fn a_folder_that_holds_a_site_is_refused_and_left_as_it_was() {
    for existing in ["site.yaml", "content/notes.md"] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(existing);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "title: Mine\n").unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "keep me\n").unwrap();
        let before = tree(tmp.path());

        let init = run(&["init", path_str(tmp.path())]);
        assert_eq!(init.code, 2, "{existing}: {}", init.stderr);
        assert!(
            init.stderr.contains("already holds a site"),
            "{existing}: {}",
            init.stderr
        );
        assert_eq!(tree(tmp.path()), before, "{existing}: nothing changed");
        let mut entries: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        entries.sort();
        let top = existing.split('/').next().unwrap();
        let mut expected = vec!["notes.txt", top];
        expected.sort();
        assert_eq!(entries, expected, "{existing}: no folder was added either");
    }
}

#[test]
fn an_existing_gitignore_is_kept_and_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".gitignore"), "target/\n").unwrap();
    let init = run(&["init", path_str(tmp.path())]);
    init.assert_ok();
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
        "target/\n"
    );
    assert!(
        init.stdout.contains("add a line `output/`"),
        "{}",
        init.stdout
    );
}
