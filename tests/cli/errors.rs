//! Broken input: every problem is reported at `path:line:col`, exit 1, old output untouched.

use crate::common::*;

/// Builds a good site, then breaks one brief and builds again: returns the failed run after
/// checking that the first output survived byte for byte.
fn break_brief(contents: &str) -> Run {
    let site = TestSite::new();
    site.brief("good.md", "title: Good\ndate: 2025-01-01", "Fine.\n");
    site.build().assert_ok();
    let before = tree(&site.out());
    site.write("content/briefs/bad.md", contents);
    let run = site.build();
    assert_eq!(run.code, 1, "expected exit 1\nstderr:\n{}", run.stderr);
    assert_eq!(before, tree(&site.out()), "failed build changed the output");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".briefing"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
    run
}

fn assert_reports(run: &Run, position: &str, words: &str) {
    assert!(
        run.stderr.contains(&format!("error: {position}: ")),
        "expected {position} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(words),
        "expected {words:?} in:\n{}",
        run.stderr
    );
}

#[test]
fn yaml_syntax_error_is_counted_in_the_md_file() {
    let run = break_brief("---\ntitle: Fine\ndate: [2025-01-01\nsummary: x\n---\nBody\n");
    // Line 2 of the YAML is line 3 of the file; the parser notices the bad flow list there or after.
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("error: content/briefs/bad.md:"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let n: usize = line.split(':').nth(2).unwrap().parse().unwrap();
    assert!((3..=5).contains(&n), "{line}");
    assert!(run.stderr.contains("not valid YAML"));
}

#[test]
fn colon_in_unquoted_title_points_at_its_line_and_suggests_quotes() {
    let run = break_brief("---\ndate: 2025-01-01\ntitle: AI: the year ahead\n---\n");
    assert_reports(&run, "content/briefs/bad.md:3:10", "not valid YAML");
    assert!(run.stderr.contains("quoted"));
    assert!(
        run.stderr.contains("3 | title: AI: the year ahead"),
        "{}",
        run.stderr
    );
}

#[test]
fn unclosed_front_matter() {
    let run = break_brief("---\ntitle: x\ndate: 2025-01-01\nBody without a closing line\n");
    assert_reports(&run, "content/briefs/bad.md:1:1", "never closed");
}

#[test]
fn no_front_matter_at_all() {
    let run = break_brief("# Just markdown\n");
    assert_reports(&run, "content/briefs/bad.md:1:1", "no front-matter");
}

#[test]
fn broken_toml_front_matter_is_named_at_its_line() {
    let run = break_brief("+++\ntitle = \"x\"\ndate = [2025\n+++\n");
    assert_reports(&run, "content/briefs/bad.md:3:13", "not valid TOML");
}

#[test]
fn missing_title_and_impossible_date_are_both_reported() {
    let run = break_brief("---\nsummary: s\ndate: 2025-02-30\n---\n");
    assert_reports(&run, "content/briefs/bad.md:2:1", "no `title`");
    assert_reports(&run, "content/briefs/bad.md:3:1", "not a valid date");
    assert!(
        run.stderr.contains("build failed: 2 errors in 1 file"),
        "{}",
        run.stderr
    );
}

#[test]
fn title_as_a_list() {
    let run = break_brief("---\ntitle: [a, b]\ndate: 2025-01-01\n---\n");
    assert_reports(&run, "content/briefs/bad.md:2:1", "`title` must be text");
}

#[test]
fn scalar_instead_of_a_mapping() {
    let run = break_brief("---\njust a sentence\n---\n");
    assert_reports(&run, "content/briefs/bad.md:2:1", "must be a mapping");
}

#[test]
fn errors_in_several_files_are_all_reported() {
    let site = TestSite::new();
    site.brief("a.md", "title: [x]\ndate: 2025-01-01", "");
    site.brief("b.md", "title: B\ndate: someday", "");
    site.write("content/briefs/c.md", "no front matter\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    for f in ["a.md:2", "b.md:3", "c.md:1"] {
        assert!(
            run.stderr.contains(&format!("content/briefs/{f}")),
            "{f} missing:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("3 errors in 3 files"), "{}", run.stderr);
    assert!(!site.out().exists());
}

#[test]
fn duplicate_slugs_name_both_files() {
    let site = TestSite::new();
    site.brief("one/spend.md", "title: A\ndate: 2025-01-01", "");
    site.brief("two/spend.md", "title: B\ndate: 2025-01-02", "");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/briefs/one/spend.md"));
    assert!(
        run.stderr.contains("also content/briefs/two/spend.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn misspelt_key_is_a_warning_naming_the_likely_key() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01\nregion: [France]", "");
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("warning: content/briefs/a.md:4:1: unknown front-matter key `region`: did you mean `regions`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn site_yaml_problems_point_into_site_yaml() {
    let site = TestSite::new();
    site.write("site.yaml", "title: T\nbase_url: example.org\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: site.yaml:2:1: `base_url` must be an absolute http(s) URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_that_would_swallow_the_site_is_a_usage_error() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    let root = path_str(site.root()).to_string();
    for out in [
        root.clone(),
        format!("{root}/content/out"),
        format!("{root}/.."),
    ] {
        let run = site.run(&["build", "--root", &root, "--output", &out]);
        assert_eq!(run.code, 2, "--output {out}: {}", run.stderr);
    }
    assert!(site.root().join("content/briefs/a.md").exists());
}

#[test]
fn a_folder_that_is_not_a_build_is_never_replaced() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    site.write("output/notes.txt", "my notes");
    let run = site.build();
    assert_eq!(
        run.code, 2,
        "a wrong --output is the command line's problem"
    );
    assert!(
        run.stderr.contains("briefing did not write"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn unknown_flags_are_usage_errors() {
    let run = run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2);
}

#[test]
fn template_error_points_at_the_template() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ oops( }}\n{% endblock content %}",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: templates/404.html:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_title_reports_the_missing_title_and_the_hint() {
    let site = TestSite::new();
    site.brief("a.md", "tittle: Spend\ndate: 2025-01-01", "Body.");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: content/briefs/a.md:2:1: front-matter has no `title`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: content/briefs/a.md:2:1: unknown front-matter key `tittle`: did you mean `title`?"
        ),
        "{}",
        run.stderr
    );
    let check = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert_eq!(check.code, 1);
    let lines: Vec<&str> = check.stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.contains("has no `title`"))
            && lines.iter().any(|l| l.contains("did you mean `title`")),
        "{}",
        check.stdout
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_exits_3() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    // Not even root may create folders in /proc: the machine, not the content, is at fault.
    let run = site.run(&[
        "build",
        "--root",
        path_str(site.root()),
        "--output",
        "/proc/briefing-test-output",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("/proc"), "{}", run.stderr);
}

#[test]
fn a_missing_site_folder_exits_2_and_bad_content_exits_1() {
    let run = run(&["build", "--root", "/nonexistent/briefing-site"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    let site = TestSite::new();
    site.brief("a.md", "title: [A\ndate: 2025-01-01", "");
    assert_eq!(site.build().code, 1);
}

#[test]
fn serve_on_a_busy_port_exits_3_and_on_a_bad_address_exits_2() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-01-01", "");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let root = path_str(site.root()).to_string();
    let busy = site.run(&["serve", "--root", &root, "--port", &port]);
    assert_eq!(busy.code, 3, "{}", busy.stderr);
    assert!(busy.stderr.contains("already in use"), "{}", busy.stderr);
    let bad = site.run(&[
        "serve",
        "--root",
        &root,
        "--bind",
        "not an address",
        "--port",
        &port,
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    drop(taken);
}

#[test]
fn a_brief_past_the_size_cap_is_refused_with_its_real_size() {
    // 16 MiB is the cap; the file is 20 MiB, and the message names its size, not the cap's.
    let text = format!(
        "---\ntitle: Big\ndate: 2025-01-01\n---\n{}",
        "word ".repeat(4 << 20)
    );
    let run = break_brief(&text);
    let said = format!("content/briefs/bad.md: file is {} bytes", text.len());
    assert!(
        run.stderr.contains(&said),
        "{said} missing:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("at most 16777216 bytes"),
        "{}",
        run.stderr
    );
}
