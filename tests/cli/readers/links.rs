//! A link check of whole built sites: every internal `href`, `src`, form `action` and search
//! index address in every page names a file of the output (`dir/` means `dir/index.html`), and
//! every `#fragment` names an id on its target page. The site's own absolute URLs (canonical,
//! Open Graph) count as internal.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::{html_pages, percent_decode};
use crate::common::*;

/// What one page offers and asks for.
struct Scan {
    ids: HashSet<String>,
    /// `(attribute, value)` of every attribute that holds an address.
    links: Vec<(String, String)>,
}

/// A small HTML attribute scanner: enough for the HTML briefing writes (quoted or bare values,
/// comments skipped, the raw text of `<script>` and `<style>` never read as markup).
fn scan(html: &str) -> Scan {
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match (quote, c) {
                    (None, '"' | '\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    _ => {}
                }
                quote.is_none() && c == '>'
            })
            .map_or(rest.len(), |(i, _)| i);
        let tag = &rest[..end];
        rest = &rest[(end + 1).min(rest.len())..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        for (attr, value) in attributes(&tag[name.len()..]) {
            if attr == "id" || (name == "a" && attr == "name") {
                ids.insert(value);
            } else if attr == "href"
                || attr.ends_with(":href")
                || attr == "src"
                || attr == "action"
                || attr == "data-index"
            {
                links.push((attr, value));
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |at| &rest[at..]);
        }
    }
    Scan { ids, links }
}

fn attributes(mut text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if text.is_empty() {
            return out;
        }
        let name_end = text
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(text.len());
        let name = text[..name_end].to_ascii_lowercase();
        text = text[name_end..].trim_start();
        let Some(after_eq) = text.strip_prefix('=') else {
            if name_end == 0 {
                text = &text[1..];
            }
            continue;
        };
        text = after_eq.trim_start();
        let (value, rest) = match text.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &text[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], &body[(end + 1).min(body.len())..])
            }
            _ => {
                let end = text.find(char::is_whitespace).unwrap_or(text.len());
                (&text[..end], &text[end..])
            }
        };
        out.push((name, unescape(value)));
        text = rest;
    }
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every broken internal address of the site in `out`, as `page: attribute=value (why)`.
fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let pages = html_pages(out);
    let scans: BTreeMap<PathBuf, Scan> = pages
        .iter()
        .map(|p| {
            (
                out.join(p),
                scan(&std::fs::read_to_string(out.join(p)).unwrap()),
            )
        })
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let here = out.join(page);
        for (attr, value) in &scans[&here].links {
            let value = match value.strip_prefix(base_url) {
                Some(rest) => format!("/{rest}"),
                None => value.clone(),
            };
            let has_scheme = value.split_once(':').is_some_and(|(s, _)| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            if has_scheme || value.starts_with("//") {
                continue;
            }
            checked += 1;
            let (address, fragment) = match value.split_once('#') {
                Some((a, f)) => (a, Some(percent_decode(f))),
                None => (value.as_str(), None),
            };
            let address = address.split('?').next().unwrap_or("");
            let target = if address.is_empty() {
                here.clone()
            } else {
                let decoded = percent_decode(address);
                let mut target = match decoded.strip_prefix('/') {
                    Some(root_relative) => out.join(root_relative),
                    None => here.parent().unwrap().join(&decoded),
                };
                if decoded.ends_with('/') {
                    target.push("index.html");
                }
                normalise(&target)
            };
            let why = if !target.starts_with(out) {
                Some("leaves the site".to_string())
            } else if !target.is_file() {
                Some(format!(
                    "no file {}",
                    target.strip_prefix(out).unwrap().display()
                ))
            } else if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                match scans.get(&target) {
                    Some(scan) if scan.ids.contains(&fragment) => None,
                    Some(_) => Some(format!("no id {fragment:?} on the target page")),
                    None => Some("a fragment into a file that is not a page".to_string()),
                }
            } else {
                None
            };
            if let Some(why) = why {
                broken.push(format!("{page}: {attr}={value} ({why})"));
            }
        }
    }
    assert!(
        checked > pages.len(),
        "the check found almost no links: {checked}"
    );
    broken
}

/// `a/b/../c` → `a/c`, without touching the disk.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn the_example_site_has_no_broken_internal_link() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_tmp, out) = build_into_temp(root);
    let broken = broken_links(&out, "https://briefing.example.org/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_many_scripts_fixture_has_no_broken_internal_link() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser-site");
    let (_tmp, out) = build_into_temp(&root);
    let broken = broken_links(&out, "https://fixture.example.org/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_check_catches_a_missing_page_and_a_missing_id() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    std::fs::write(
        out.join("index.html"),
        "<a href=\"/gone/\">x</a><a href=\"#nowhere\">y</a><a href=\"#top\" id=\"top\">z</a>\
         <a href=\"https://elsewhere.org/\">e</a><a href='/index.html'>i</a><a href=/>r</a>",
    )
    .unwrap();
    let broken = broken_links(out, "https://s.org/");
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(broken[0].contains("href=/gone/ (no file gone/index.html)"));
    assert!(broken[1].contains("no id \"nowhere\""));
}
