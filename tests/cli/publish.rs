//! Publishing: the `_headers` file of `headers: netlify`, and the GitHub Pages workflow the
//! README points to.

use crate::common::TestSite;

const CSP: &str = "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn site_with(extra: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("title: Test Briefing\nbase_url: https://briefs.example.org\n{extra}"),
    );
    site.brief("a.md", "title: A\ndate: 2025-11-20", "Body.\n");
    site
}

#[test]
fn headers_netlify_writes_the_policy_and_caches_only_fingerprinted_files_for_good() {
    let site = site_with("headers: netlify\n");
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    let headers = site.page("_headers");
    assert!(
        headers.contains(&format!("/*\n  {CSP}\n")),
        "the policy for every path:\n{headers}"
    );
    assert!(
        headers
            .contains("/search/:version/*\n  Cache-Control: public, max-age=31536000, immutable\n"),
        "{headers}"
    );
    assert_eq!(
        headers.matches("immutable").count(),
        1,
        "only the fingerprinted search files are immutable:\n{headers}"
    );
    // The fingerprinted folder the rule is for really is where the index files are.
    let manifest = site.page("search/index.json");
    assert!(manifest.contains("\"files\""), "{manifest}");
}

#[test]
fn without_the_key_no_headers_file_is_written() {
    let site = site_with("");
    site.build().assert_ok();
    assert!(site.exists("index.html"));
    assert!(!site.exists("_headers"));
    let none = site_with("headers: none\n");
    none.build().assert_ok();
    assert!(!none.exists("_headers"));
}

#[test]
fn the_sites_own_static_headers_wins() {
    let site = site_with("headers: netlify\n");
    site.write("static/_headers", "/*\n  X-Own: yes\n");
    site.build().assert_ok();
    assert_eq!(site.page("_headers"), "/*\n  X-Own: yes\n");
}

#[test]
fn an_unknown_headers_value_is_an_error_at_its_line() {
    let site = site_with("description: Test\nheaders: apache\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: site.yaml:4:"),
        "the error names site.yaml's line 4:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("netlify"), "{}", run.stderr);
    assert!(!site.exists("index.html"));
}

#[test]
fn the_github_pages_workflow_builds_with_briefing() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/github-pages.yml");
    let text = std::fs::read_to_string(&path).expect("docs/github-pages.yml");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let map = doc.as_mapping().expect("a mapping");
    // `on` is a plain key in YAML 1.2 (serde_yaml), not the boolean of YAML 1.1.
    assert!(map.contains_key("on"), "the workflow has `on`");
    let jobs = map
        .get("jobs")
        .and_then(|j| j.as_mapping())
        .expect("`jobs`");
    let runs: Vec<&str> = jobs
        .values()
        .filter_map(|job| job.get("steps")?.as_sequence())
        .flatten()
        .filter_map(|step| step.get("run")?.as_str())
        .collect();
    assert!(
        runs.iter().any(|r| r.contains("briefing build")),
        "a step runs `briefing build`: {runs:?}"
    );
    let uses: Vec<&str> = jobs
        .values()
        .filter_map(|job| job.get("steps")?.as_sequence())
        .flatten()
        .filter_map(|step| step.get("uses")?.as_str())
        .collect();
    for action in ["actions/upload-pages-artifact@", "actions/deploy-pages@"] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action}: {uses:?}"
        );
    }
}

#[test]
fn the_readme_and_docs_security_md_show_the_policy_the_headers_file_sends() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "docs/security.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        assert!(
            text.contains(&format!("{CSP}\n")),
            "{doc} shows another policy"
        );
    }
}
