//! The bundled example site (the repository root) builds, and its main brief reads as expected.

use std::path::Path;

use crate::common::*;

fn build_example() -> (tempfile::TempDir, std::path::PathBuf) {
    build_into_temp(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn example_builds_every_page_the_readme_promises() {
    let (_tmp, out) = build_example();
    for page in [
        "index.html",
        "briefs/index.html",
        "briefs/ai-infrastructure-spend/index.html",
        "briefs/central-asia-sovereign-cloud/index.html",
        "briefs/us-eu-policy-landscape/index.html",
        "tags/index.html",
        "regions/index.html",
        "regions/kazakhstan/index.html",
        "regions/south-korea/index.html",
        "regions/european-union/index.html",
        "404.html",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let kz = std::fs::read_to_string(out.join("regions/kazakhstan/index.html")).unwrap();
    assert!(kz.contains("/briefs/ai-infrastructure-spend/"));
    assert!(kz.contains("/briefs/central-asia-sovereign-cloud/"));
}

#[test]
fn example_brief_page_snapshot() {
    let (_tmp, out) = build_example();
    let html =
        std::fs::read_to_string(out.join("briefs/ai-infrastructure-spend/index.html")).unwrap();
    // The seed's table, with its messy spend cells, reaches the reader as written.
    for cell in [
        "Undisclosed",
        "Multi-billion range",
        "Substantial portion of tech budget",
    ] {
        assert!(html.contains(cell), "{cell}");
    }
    insta::assert_snapshot!(without_map_outlines(main_of(&html)));
}

/// The page with each map shape's outline (thousands of coordinates, checked against the
/// data in tests/cli/map.rs) cut to `…`, so the snapshot shows what the reader gets around it.
fn without_map_outlines(html: &str) -> String {
    const OUTLINE: &str = " fill-rule=\"evenodd\" d=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OUTLINE) {
        let start = at + OUTLINE.len();
        out.push_str(&rest[..start]);
        out.push('…');
        rest = &rest[start..];
        rest = &rest[rest.find('"').unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out
}
