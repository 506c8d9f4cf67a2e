//! The editor's loop: `briefing serve` over real HTTP on loopback, `briefing new`, and
//! `briefing check --format json`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;

/// A running `briefing serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    /// What the server prints on stderr, line by line.
    pub(crate) lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is killed and waited for when the returned `Server` drops.
#[allow(clippy::zombie_processes)]
pub(crate) fn start_server(site: &TestSite) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--root", path_str(site.root()), "--port", "0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start briefing serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
            && let Some(rest) = line.split("http://127.0.0.1:").nth(1)
        {
            let port = rest.split('/').next().unwrap().parse().unwrap();
            return Server {
                child,
                port,
                lines: rx,
            };
        }
    }
    panic!("briefing serve did not start");
}

/// GET a path: (status code, body).
pub(crate) fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // With its port: the server refuses any other Host (DNS rebinding).
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Polls until `check` holds for the page, for at most `limit`.
pub(crate) fn wait_for(
    port: u16,
    path: &str,
    limit: Duration,
    check: impl Fn(&str) -> bool,
) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check(&get(port, path).1) {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn serve_rebuilds_on_save_shows_errors_in_the_page_and_recovers() {
    let site = TestSite::new();
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18",
        "Body.\n",
    );
    site.brief(
        "other.md",
        "title: Other brief\ndate: 2025-11-17",
        "Body.\n",
    );
    let server = start_server(&site);
    let (status, page) = get(server.port, "/briefs/kz/");
    assert_eq!(status, 200);
    assert!(page.contains("<title>Kazakhstan cloud"), "{page}");
    assert!(
        page.contains("/__briefing/live.js"),
        "the server adds live reload"
    );

    site.brief(
        "kz.md",
        "title: Kazakhstan sovereign cloud\ndate: 2025-11-18",
        "Body.\n",
    );
    let took = wait_for(server.port, "/briefs/kz/", Duration::from_secs(2), |p| {
        p.contains("<title>Kazakhstan sovereign cloud")
    });
    assert!(took.is_some(), "the new title arrives within 2 seconds");

    site.write(
        "content/briefs/kz.md",
        "---\ntitle: [broken\ndate: 2025-11-18\n---\n",
    );
    let overlay = wait_for(server.port, "/briefs/kz/", Duration::from_secs(5), |p| {
        p.contains("briefing-error-overlay") && p.contains("content/briefs/kz.md:3:5")
    });
    assert!(
        overlay.is_some(),
        "the broken brief's page shows the error with path and line"
    );
    let (status, other) = get(server.port, "/briefs/other/");
    assert_eq!(status, 200, "other pages still serve");
    assert!(other.contains("Other brief") && other.contains("briefing-error-overlay"));

    site.brief(
        "kz.md",
        "title: Kazakhstan fixed\ndate: 2025-11-18",
        "Body.\n",
    );
    let back = wait_for(server.port, "/briefs/kz/", Duration::from_secs(5), |p| {
        p.contains("<title>Kazakhstan fixed") && !p.contains("briefing-error-overlay")
    });
    assert!(back.is_some(), "the page comes back after the fix");
    assert!(!site.out().exists(), "serve never writes output/");
}

#[test]
fn serve_rereads_only_the_brief_whose_text_changed() {
    // The edited brief has a chart: its page must re-render with the chart, from the site as
    // loaded before (only the edited file is read again).
    const CHART: &str = "\n```chart\ntype: bar\nx: region\ny: spend\nrows:\n  - {region: Almaty, spend: 1.5}\n  - {region: Astana, spend: 2}\n```\n";
    let site = TestSite::new();
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18\nregions: [Kazakhstan]",
        &format!("First text.\n{CHART}"),
    );
    site.brief(
        "uz.md",
        "title: Uzbekistan pilots\ndate: 2025-11-17\nregions: [Kazakhstan]",
        "Other.\n",
    );
    let server = start_server(&site);
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18\nregions: [Kazakhstan]",
        &format!("Second text, now longer.\n{CHART}"),
    );
    let took = wait_for(server.port, "/briefs/kz/", Duration::from_secs(2), |p| {
        p.contains("Second text, now longer.") && p.contains("<svg") && p.contains("Astana")
    });
    assert!(took.is_some(), "the edited text arrives");
    let line = (0..50)
        .filter_map(|_| server.lines.recv_timeout(Duration::from_millis(100)).ok())
        .find(|l| l.starts_with("rebuilt ("))
        .expect("the terminal says what was rebuilt");
    let kz = std::path::Path::new("content/briefs/kz.md")
        .display()
        .to_string();
    assert!(
        line.contains(&format!("{kz}: its text changed")) && line.contains("from the loaded site"),
        "the fast path re-read the one brief: {line}"
    );
    // A front-matter change still rebuilds the lists it is on.
    site.brief(
        "kz.md",
        "title: Kazakhstan renamed\ndate: 2025-11-18\nregions: [Kazakhstan]",
        "Second text.\n",
    );
    let list = wait_for(
        server.port,
        "/regions/kazakhstan/",
        Duration::from_secs(3),
        |p| p.contains("Kazakhstan renamed"),
    );
    assert!(list.is_some(), "the region list shows the new title");
}

#[test]
fn serve_answers_404_outside_the_site_and_for_missing_pages() {
    let site = TestSite::new();
    site.brief("a.md", "title: A\ndate: 2025-11-18", "");
    site.write("secret.txt", "do not serve");
    let server = start_server(&site);
    for path in [
        "/../secret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e/secret.txt",
        "/briefs/../../secret.txt",
        "/nope/",
    ] {
        let (status, body) = get(server.port, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("do not serve"), "{path}");
    }
}

#[test]
fn new_writes_a_brief_that_builds_cleanly_and_never_overwrites() {
    let site = TestSite::new();
    let root = path_str(site.root()).to_string();
    let args = [
        "new",
        "Spend: by region",
        "--root",
        &root,
        "--region",
        "Қазақстан",
        "--tag",
        "ai & chips",
        "--date",
        "2025-11-20",
    ];
    let first = run(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("content/briefs/spend-by-region.md"));
    let path = site.root().join("content/briefs/spend-by-region.md");
    let written = std::fs::read_to_string(&path).unwrap();
    let build = site.build();
    build.assert_ok();
    assert!(build.stderr.contains("0 warnings"), "{}", build.stderr);
    assert!(
        site.page("briefs/spend-by-region/index.html")
            .contains("Spend: by region")
    );
    assert!(site.exists("regions/қазақстан/index.html"));
    let second = run(&args);
    assert_eq!(second.code, 2);
    assert!(
        second.stderr.contains("already exists"),
        "{}",
        second.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}

#[test]
fn new_with_a_reserved_title_writes_a_brief_the_build_accepts() {
    // `page` is the brief list's pagination segment: a brief may not take that URL.
    let site = TestSite::new();
    let root = path_str(site.root()).to_string();
    let run = run(&["new", "Page", "--root", &root, "--date", "2025-11-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let build = site.build();
    build.assert_ok();
    assert!(build.stderr.contains("0 warnings"), "{}", build.stderr);
    assert!(site.exists("briefs/page-brief/index.html"));
}

#[test]
fn check_json_prints_one_problem_per_broken_brief() {
    let site = TestSite::new();
    site.brief("ok.md", "title: Fine\ndate: 2025-01-01", "");
    site.brief("a.md", "title: [x]\ndate: 2025-01-01", "");
    site.brief("b.md", "title: B\ndate: 2025-13-01", "");
    site.write("content/briefs/c.md", "no front-matter\n");
    let run = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert_eq!(run.code, 1);
    let mut problems: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    // The last line is not a problem: when the site next changes by itself.
    assert_eq!(
        problems.pop(),
        Some(serde_json::json!({ "next_change": null }))
    );
    assert_eq!(problems.len(), 3, "{}", run.stdout);
    let found: Vec<(String, u64)> = problems
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("content/briefs/a.md".to_string(), 2),
            ("content/briefs/b.md".to_string(), 3),
            ("content/briefs/c.md".to_string(), 1)
        ]
    );
    assert!(problems.iter().all(|p| p["severity"] == "error"));
    let codes: Vec<&str> = problems
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "front-matter/wrong-type",
            "front-matter/bad-value",
            "front-matter/missing"
        ]
    );
    assert!(!site.out().exists());
}

/// Tools match problems by code, not by message: a few kinds of broken brief, chart and data
/// file, each with the code docs/problems.md gives it.
#[test]
fn check_json_gives_each_problem_its_code() {
    let site = TestSite::new();
    site.write(
        "content/data/spend.csv",
        "region,spend\nFrance,1.5\nKorea\n",
    );
    site.brief("misspelt.md", "tittle: Spend\ndate: 2025-01-01", "");
    site.brief(
        "column.md",
        "title: Column\ndate: 2025-01-02",
        "```chart\ndata: spend.csv\nx: regoin\ny: spend\n```\n",
    );
    site.brief(
        "chart-key.md",
        "title: Key\ndate: 2025-01-03",
        "```chart\ndata: spend.csv\nx: region\ny: spend\ncolour: red\n```\n",
    );
    site.brief(
        "missing.md",
        "title: Missing\ndate: 2025-01-04",
        "```chart\ndata: nope.csv\nx: region\ny: spend\n```\n",
    );
    site.write("content/briefs/unclosed.md", "---\ntitle: Open\n");
    let run = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let (next_change, problems) = lines.split_last().expect("a last line");
    assert_eq!(*next_change, r#"{"next_change":null}"#);
    let mut found: Vec<(String, String, String)> = problems
        .iter()
        .map(|l| {
            let p: serde_json::Value = serde_json::from_str(l).expect("one JSON object per line");
            (
                p["path"].as_str().unwrap_or("").to_string(),
                p["severity"].as_str().unwrap().to_string(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    let expected = [
        ("content/briefs/chart-key.md", "error", "chart/unknown-key"),
        ("content/briefs/column.md", "error", "chart/unknown-column"),
        ("content/briefs/missing.md", "error", "chart/data-not-found"),
        (
            "content/briefs/misspelt.md",
            "error",
            "front-matter/missing-key",
        ),
        (
            "content/briefs/misspelt.md",
            "warning",
            "front-matter/unknown-key",
        ),
        (
            "content/briefs/unclosed.md",
            "error",
            "front-matter/unclosed",
        ),
        ("content/data/spend.csv", "warning", "data/short-rows"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(p, s, c)| (p.to_string(), s.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected, "{}", run.stdout);
}

/// The next `rebuilt` or `build failed` line, with the lines printed before it.
fn next_report(server: &Server) -> (Vec<String>, String) {
    let mut before = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(100)) {
            if line.starts_with("rebuilt (") || line.starts_with("build failed") {
                return (before, line);
            }
            before.push(line);
        }
    }
    panic!("no rebuild reported; printed: {before:?}");
}

#[test]
fn serve_prints_each_warning_once_and_every_new_one() {
    let site = TestSite::new();
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18\nslug: Kazakhstan Cloud",
        "Text.\n",
    );
    site.brief("uz.md", "title: Uzbekistan\ndate: 2025-11-17", "Other.\n");
    let server = start_server(&site);
    // A save elsewhere: the old warning is counted, not printed again.
    site.brief(
        "uz.md",
        "title: Uzbekistan renamed\ndate: 2025-11-17",
        "Other.\n",
    );
    let (printed, line) = next_report(&server);
    assert!(
        !printed.iter().any(|l| l.contains("Kazakhstan Cloud")),
        "the unchanged warning is held back: {printed:?}"
    );
    assert!(line.contains("1 warning (1 shown before)"), "{line}");
    // A new warning is printed in full; the old one still is not.
    site.brief(
        "uz.md",
        "title: Uzbekistan renamed\ndate: 2025-11-17\nslug: Uzbek Pilots",
        "Other.\n",
    );
    let (printed, line) = next_report(&server);
    let text = printed.join("\n");
    assert!(
        text.contains("Uzbek Pilots") && text.contains("uz.md"),
        "{text}"
    );
    assert!(!text.contains("Kazakhstan Cloud"), "{text}");
    assert!(line.contains("2 warnings (1 shown before)"), "{line}");
    // A broken save prints its error every time, and the warnings it still has once.
    site.write(
        "content/briefs/kz.md",
        "---\ntitle: [unclosed\n---\nText.\n",
    );
    let (printed, line) = next_report(&server);
    assert!(line.starts_with("build failed"), "{line}");
    assert!(
        printed.iter().any(|l| l.starts_with("error:")),
        "{printed:?}"
    );
    assert!(
        printed.iter().any(|l| l == "1 warning as shown before"),
        "{printed:?}"
    );
}

/// Lines printed within `quiet` of each other, until the server has been quiet that long.
fn reports_until_quiet(server: &Server, quiet: Duration) -> Vec<String> {
    let mut reports = Vec::new();
    while let Ok(line) = server.lines.recv_timeout(quiet) {
        if line.starts_with("rebuilt (") || line.starts_with("build failed") {
            reports.push(line);
        }
    }
    reports
}

#[test]
fn serve_rebuilds_once_for_a_save_renamed_into_place_or_spread_over_two_files() {
    let site = TestSite::new();
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18",
        "First text.\n",
    );
    site.brief(
        "uz.md",
        "title: Uzbekistan pilots\ndate: 2025-11-17",
        "Other.\n",
    );
    let server = start_server(&site);
    // An editor's safe save: the new text goes to a file of its own, renamed over the brief.
    let briefs = site.root().join("content/briefs");
    std::fs::write(
        briefs.join(".kz.md.swp"),
        "---\ntitle: Kazakhstan cloud\ndate: 2025-11-18\n---\nSaved by rename.\n",
    )
    .unwrap();
    std::fs::rename(briefs.join(".kz.md.swp"), briefs.join("kz.md")).unwrap();
    let reports = reports_until_quiet(&server, Duration::from_secs(2));
    assert_eq!(reports.len(), 1, "one save, one rebuild: {reports:?}");
    let (_, page) = get(server.port, "/briefs/kz/");
    assert!(
        page.contains("Saved by rename."),
        "the renamed text is served"
    );
    // Two briefs written one right after the other (a script, a checkout) are one rebuild.
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18",
        "Both, one.\n",
    );
    site.brief(
        "uz.md",
        "title: Uzbekistan pilots\ndate: 2025-11-17",
        "Both, two.\n",
    );
    let reports = reports_until_quiet(&server, Duration::from_secs(2));
    assert_eq!(
        reports.len(),
        1,
        "one save of two files, one rebuild: {reports:?}"
    );
    assert!(get(server.port, "/briefs/kz/").1.contains("Both, one."));
    assert!(get(server.port, "/briefs/uz/").1.contains("Both, two."));
}
