//! One hostile case, run: dropped into a fresh site that already built once beside a good
//! brief, built with a time limit, and held to the outcome expect.tsv names for it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use crate::markup::dangerous_markup;

pub fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// Runs `briefing build` on a site, killing it after `limit`: a hang is a failure, not a stall.
fn build_with_limit(site: &TestSite, limit: Duration) -> Result<Run, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--root", path_str(site.root())])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("build did not finish within {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok(Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

fn scan_output(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in tree(out) {
        if !(path.ends_with(".html")
            || path.ends_with(".svg")
            || path.ends_with(".xml")
            || path.ends_with(".json"))
        {
            continue;
        }
        if let Some(bad) = dangerous_markup(&String::from_utf8_lossy(&bytes)) {
            found.push(format!("{path}: {bad}"));
        }
    }
    found
}

/// Places a case in a fresh site that already built once; returns the site and its first output.
pub fn site_with_case(
    name: &str,
    bytes: &[u8],
) -> (TestSite, std::collections::BTreeMap<String, Vec<u8>>) {
    let site = TestSite::new();
    site.brief("good.md", "title: Good\ndate: 2025-01-01", "Good body.\n");
    site.build().assert_ok();
    let before = tree(&site.out());
    if name.starts_with("data-") {
        site.write_bytes(&format!("content/data/{name}"), bytes);
        // `data-map-*` cases are drawn as a map of their first column's places.
        let kind = if name.starts_with("data-map-") {
            "type: map\n"
        } else {
            ""
        };
        site.brief(
            "chart.md",
            "title: Chart\ndate: 2025-01-02",
            &format!("```chart\ndata: {name}\n{kind}x: investor\ny: spend\n```\n"),
        );
    } else {
        site.write_bytes(&format!("content/briefs/{name}"), bytes);
    }
    (site, before)
}

pub fn check_case(name: &str, expect: &str, bytes: &[u8]) -> Result<Run, String> {
    let (site, before) = site_with_case(name, bytes);
    let run = build_with_limit(&site, Duration::from_secs(60))?;
    if run.stderr.contains("panicked") {
        return Err(format!("panicked:\n{}", run.stderr));
    }
    let shown = if name.starts_with("data-") {
        format!("content/data/{name}")
    } else {
        format!("content/briefs/{name}")
    };
    let (kind, detail) = expect.split_once(':').unwrap_or((expect, ""));
    match kind {
        "error" => {
            if run.code != 1 {
                return Err(format!(
                    "expected exit 1, got {}:\n{}",
                    run.code, run.stderr
                ));
            }
            let wanted = if detail.is_empty() {
                format!("error: {shown}")
            } else {
                format!("error: {shown}:{detail}:")
            };
            if !run.stderr.contains(&wanted) {
                return Err(format!("expected {wanted:?} in:\n{}", run.stderr));
            }
            if tree(&site.out()) != before {
                return Err("the failed build changed the previous output".into());
            }
        }
        "ok" | "warn" | "skip" => {
            if run.code != 0 {
                return Err(format!(
                    "expected exit 0, got {}:\n{}",
                    run.code, run.stderr
                ));
            }
            let pages: Vec<(String, String)> = tree(&site.out().join("briefs"))
                .into_iter()
                .filter(|(p, _)| {
                    p.ends_with("index.html") && p.contains('/') && !p.starts_with("good/")
                })
                .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
                .collect();
            match kind {
                "ok" if !pages.iter().any(|(_, html)| html.contains(detail)) => {
                    return Err(format!(
                        "no brief page shows {detail:?}; pages: {:?}",
                        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
                    ));
                }
                "warn"
                    if !(run.stderr.contains(&format!("warning: {shown}"))
                        || run.stderr.contains("warning: content/briefs/chart.md"))
                        || !run.stderr.contains(detail) =>
                {
                    return Err(format!(
                        "expected a warning {detail:?} naming {shown}:\n{}",
                        run.stderr
                    ));
                }
                "skip" if !pages.is_empty() => {
                    return Err(format!(
                        "expected no page, found {:?}",
                        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
                    ));
                }
                _ => {}
            }
            let bad = scan_output(&site.out());
            if !bad.is_empty() {
                return Err(format!("unescaped markup in the output: {bad:?}"));
            }
        }
        other => return Err(format!("unknown expectation {other:?}")),
    }
    Ok(run)
}
