//! `briefing serve` after every kind of save serves exactly what a full build makes: every
//! page, feed, sitemap, search file and download, byte for byte (issue 19). The site is a
//! copy of the bundled example, so charts, maps, values, regions and tags all take part.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::*;
use crate::editor::{Server, start_server};

/// The example site (site.yaml, content/, templates/, static/) copied into a test site.
fn example_copy() -> TestSite {
    let site = TestSite::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.yaml", "content", "templates", "static"] {
        let from = repo.join(part);
        if from.is_file() {
            std::fs::copy(&from, site.root().join(part)).unwrap();
            continue;
        }
        for (rel, bytes) in tree(&from) {
            site.write_bytes(&format!("{part}/{rel}"), &bytes);
        }
    }
    site
}

/// GET `path`: the status and the body's bytes.
fn get_bytes(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response[split + 4..].to_vec())
}

/// The generation of the build being served, once it differs from `since` (at most `limit`).
fn generation_after(port: u16, since: u64, limit: Duration) -> Option<u64> {
    let started = Instant::now();
    while started.elapsed() < limit {
        let (status, body) = get_bytes(port, &format!("/__briefing/wait?since={since}"));
        let generation: u64 = String::from_utf8_lossy(&body)
            .trim()
            .parse()
            .unwrap_or(since);
        if status == 200 && generation != since {
            return Some(generation);
        }
    }
    None
}

/// A served HTML page without what only the preview server adds (the reload script).
fn without_live_reload(body: Vec<u8>) -> Vec<u8> {
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => return e.into_bytes(),
    };
    match text.find("<script src=\"/__briefing/live.js\"") {
        Some(start) => {
            let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &text[..start], &text[end..]).into_bytes()
        }
        None => text.into_bytes(),
    }
}

/// The files of a fresh full build of `site` that differ from (or are missing in) what the
/// server serves; empty when the two agree.
fn differences(site: &TestSite, server: &Server) -> Vec<String> {
    // The server builds for its own address; so does this build.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let base_url = format!("http://127.0.0.1:{}", server.port);
    run(&[
        "build",
        "--quiet",
        "--root",
        path_str(site.root()),
        "--output",
        path_str(&out),
        "--base-url",
        &base_url,
    ])
    .assert_ok();
    let built = tree(&out);
    assert!(built.len() > 20, "a full build of the example");
    let mut wrong = Vec::new();
    for (rel, bytes) in &built {
        if rel == ".briefing-build" {
            continue;
        }
        let url = format!("/{}", rel.replace('\\', "/"));
        let (status, body) = get_bytes(server.port, &url);
        if status != 200 {
            wrong.push(format!("{url}: {status}"));
        } else if without_live_reload(body) != *bytes {
            wrong.push(format!("{url}: differs from a full build"));
        }
    }
    wrong
}

/// Saves with `edit`, waits for the server's next build and checks it against a full build;
/// a second build may follow a save that arrives in two events, so it is waited for too.
fn save_and_compare(
    site: &TestSite,
    server: &Server,
    generation: &mut u64,
    what: &str,
    edit: impl Fn(&TestSite),
) {
    edit(site);
    *generation = generation_after(server.port, *generation, Duration::from_secs(20))
        .unwrap_or_else(|| panic!("{what}: the server never rebuilt"));
    let mut wrong = differences(site, server);
    if !wrong.is_empty()
        && let Some(next) = generation_after(server.port, *generation, Duration::from_secs(2))
    {
        *generation = next;
        wrong = differences(site, server);
    }
    assert!(
        wrong.is_empty(),
        "{what}: served files differ from a full build:\n{}",
        wrong.join("\n")
    );
}

/// How many pages the server's latest rebuild handed over unchanged, and how many it served:
/// from its `rebuilt (…): N briefs, P pages (U unchanged)` line.
fn latest_reuse(server: &Server) -> (usize, usize) {
    let mut latest = None;
    while let Ok(line) = server.lines.recv_timeout(Duration::from_millis(200)) {
        if line.starts_with("rebuilt (") && line.contains(" unchanged)") {
            latest = Some(line);
        }
    }
    let line = latest.expect("a full rebuild line");
    let number_before = |marker: &str| -> usize {
        let end = line
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in {line}"));
        let start = line[..end].rfind([' ', '(']).map_or(0, |i| i + 1);
        line[start..end]
            .parse()
            .unwrap_or_else(|_| panic!("a count in {line}"))
    };
    (number_before(" unchanged)"), number_before(" pages ("))
}

fn replace(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_kind_of_save_serves_what_a_full_build_makes() {
    let site = example_copy();
    let server = start_server(&site);
    let mut generation = generation_after(server.port, u64::MAX, Duration::from_secs(5)).unwrap();
    let wrong = differences(&site, &server);
    assert!(wrong.is_empty(), "first build:\n{}", wrong.join("\n"));

    const CLOUD: &str = "content/briefs/central-asia-sovereign-cloud.md";
    save_and_compare(&site, &server, &mut generation, "a body edit", |s| {
        replace(
            s,
            CLOUD,
            "In Central Asia, global AI trends",
            "In Central Asia, today's AI trends",
        )
    });
    // That edit took the fast path (one page, the index and the feeds rendered again), which
    // the comparison above holds to a full build.
    let fast = (0..100)
        .filter_map(|_| server.lines.recv_timeout(Duration::from_millis(50)).ok())
        .any(|l| l.contains("its text changed") && l.contains("from the loaded site"));
    assert!(fast, "the body edit was rendered without a full rebuild");
    save_and_compare(&site, &server, &mut generation, "a title change", |s| {
        replace(
            s,
            CLOUD,
            "Treat Sovereign Cloud as Strategic",
            "Bet on Sovereign Cloud",
        )
    });
    // A title shows on its own page, its neighbours' and the lists: the other pages are
    // handed over as the last build made them.
    let (unchanged, pages) = latest_reuse(&server);
    assert!(
        unchanged > 0 && unchanged < pages,
        "a title change re-renders some pages and reuses the rest: {unchanged} of {pages}"
    );
    save_and_compare(&site, &server, &mut generation, "a template edited", |s| {
        replace(
            s,
            "templates/base.html",
            "Back to top</a>",
            "Back to the top</a>",
        )
    });
    save_and_compare(&site, &server, &mut generation, "site.yaml edited", |s| {
        replace(
            s,
            "site.yaml",
            "title: \"AI Infrastructure Briefing\"",
            "title: \"AI Infrastructure Briefings\"",
        )
    });
    // A save that breaks the site is shown and not served; the save that mends it still
    // reuses the pages the last good build made.
    replace(&site, CLOUD, "\ntitle:", "\ntitle: [unclosed\nx:");
    generation = generation_after(server.port, generation, Duration::from_secs(20))
        .expect("the server reports the broken save");
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "the broken save mended",
        |s| replace(s, CLOUD, "\ntitle: [unclosed\nx:", "\ntitle:"),
    );
    let (unchanged, _) = latest_reuse(&server);
    assert!(
        unchanged > 0,
        "the mended save reuses pages from before the broken one"
    );
    save_and_compare(&site, &server, &mut generation, "a tag added", |s| {
        replace(
            s,
            CLOUD,
            "\"ai adoption\"]",
            "\"ai adoption\", \"gpu clusters\"]",
        )
    });
    save_and_compare(&site, &server, &mut generation, "a tag removed", |s| {
        replace(s, CLOUD, "\"data residency\", ", "")
    });
    // A new date moves the brief in every list, and in the sitemap.
    save_and_compare(&site, &server, &mut generation, "a date changed", |s| {
        replace(s, CLOUD, "date: 2025-11-18", "date: 2025-11-17")
    });
    // The oldest brief's spelling names the term: every summary that links it changes.
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a tag respelled in the oldest brief",
        |s| replace(s, CLOUD, "\"data centers\"", "\"Data Centers\""),
    );
    save_and_compare(&site, &server, &mut generation, "a data file edited", |s| {
        replace(
            s,
            "content/data/spend-2025.csv",
            ",Compute,2025,100,",
            ",Compute,2025,120,",
        )
    });
    // A row no value reads: only the charts, the site-wide spend and South Korea's page
    // (its figures and map, which serve makes only when the page renders again) change.
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a data file row only the charts read",
        |s| {
            replace(
                s,
                "content/data/spend-2025.csv",
                "South Korea,Compute,2025,3.0,",
                "South Korea,Compute,2025,4.5,",
            )
        },
    );
    // A row's label, which only its region's page lists: no total or map value moves.
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a spend row relabelled",
        |s| {
            replace(
                s,
                "content/data/spend-2025.csv",
                "\"GPU cluster expansion (illustrative)\",South Korea",
                "\"GPU cluster build-out (illustrative)\",South Korea",
            )
        },
    );
    save_and_compare(&site, &server, &mut generation, "a brief added", |s| {
        s.brief(
            "new-brief.md",
            "title: A new brief\ndate: 2025-11-21\ntags: [policy]\nregions: [France]",
            "A new brief's text.\n",
        );
    });
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a body edit of a brief without a summary",
        |s| {
            // Its feed entries are the opening words of its body: they change with the text.
            replace(
                s,
                "content/briefs/new-brief.md",
                "A new brief's text.",
                "A new brief's text, edited.",
            )
        },
    );
    // A brief whose value reads one data file and whose chart reads another: a save of the
    // first changes its page, not its chart (which serve hands over as last drawn).
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a brief with a value and a chart over different files",
        |s| {
            s.write(
                "content/data/pledges.csv",
                "pledge,usd_bn\nFirst,10\nSecond,5\n",
            );
            s.brief(
                "pledges.md",
                "title: Pledges\ndate: 2025-11-22\ntags: [policy]\nvalues:\n  \
                 pledged: {data: pledges.csv, y: usd_bn, aggregate: sum, unit: billion}",
                "Pledged: `{value} pledged`.\n\n```chart\ndata: spend-2025.csv\ntype: hbar\n\
                 x: region\ny: spend_usd_bn\naggregate: sum\n```\n",
            );
        },
    );
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a data file only a value reads",
        |s| replace(s, "content/data/pledges.csv", "First,10", "First,12"),
    );
    // A row with no number: the value now has a note, a footnote its page did not have.
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "a value's data file gains a row it leaves out",
        |s| {
            replace(
                s,
                "content/data/pledges.csv",
                "Second,5",
                "Second,undisclosed",
            )
        },
    );
    save_and_compare(
        &site,
        &server,
        &mut generation,
        "the chart's data file of that brief edited",
        |s| {
            replace(
                s,
                "content/data/spend-2025.csv",
                "South Korea,Compute,2025,4.5,",
                "South Korea,Compute,2025,5.5,",
            )
        },
    );
    save_and_compare(&site, &server, &mut generation, "a brief deleted", |s| {
        std::fs::remove_file(s.root().join(CLOUD)).unwrap();
    });
    let (status, _) = get_bytes(server.port, "/briefs/central-asia-sovereign-cloud/");
    assert_eq!(status, 404, "a deleted brief's page is gone");
}
