//! What `briefing serve` refuses: other hosts (DNS rebinding), oversized and trickling
//! request heads, more connections than it serves at once, redirects off the site and bad
//! escapes. Raw `TcpStream`s, so the test controls every byte sent.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;

/// A running `briefing serve`, killed when dropped, with everything it printed on stderr.
struct Server {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn printed(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Waits up to 10 s for a printed line containing `needle`.
    fn wait_for_line(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.printed().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

fn site() -> TestSite {
    let site = TestSite::new();
    site.brief(
        "kz.md",
        "title: Kazakhstan cloud\ndate: 2025-11-18",
        "Body.\n",
    );
    site
}

// The child is killed and waited for when the returned `Server` drops.
#[allow(clippy::zombie_processes)]
fn start(site: &TestSite, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["serve", "--root", path_str(site.root()), "--port", "0"])
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start briefing serve");
    let stderr = child.stderr.take().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let mut server = Server {
        child,
        port: 0,
        lines,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let printed = server.printed();
        if let Some(url) = printed.lines().find_map(|l| l.split(" at http://").nth(1)) {
            let port = url
                .trim_end_matches(" (Ctrl-C to stop)")
                .trim_end_matches('/');
            server.port = port.rsplit(':').next().unwrap().parse().unwrap();
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("briefing serve did not start: {}", server.printed());
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// Reads until the server closes (a reset after the answer counts as closed).
fn read_all(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "no answer within the read timeout; got {:?}",
                    String::from_utf8_lossy(&bytes)
                )
            }
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Sends `head` as is and reads the whole answer.
fn exchange(port: u16, head: &str) -> String {
    let mut stream = connect(port);
    stream.write_all(head.as_bytes()).unwrap();
    read_all(&mut stream)
}

fn get(port: u16, host: &str, path: &str) -> String {
    exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
    )
}

#[test]
fn serve_answers_only_loopback_hosts_with_its_port() {
    let site = site();
    let server = start(&site, &[]);
    let port = server.port;
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let page = get(port, &host, "/briefs/kz/");
        assert_eq!(status_of(&page), 200, "{host}");
        assert!(page.contains("Kazakhstan cloud"), "{host}");
    }
    let evil = format!("evil.example:{port}");
    let absolute = format!("http://{evil}/briefs/kz/");
    for (host, path) in [
        (evil.as_str(), "/briefs/kz/"),
        // The absolute form's host is the one asked for, whatever Host says.
        (&format!("localhost:{port}")[..], absolute.as_str()),
    ] {
        let refused = get(port, host, path);
        assert!(matches!(status_of(&refused), 421 | 403), "{refused}");
        assert!(
            !refused.contains("Kazakhstan"),
            "no page content: {refused}"
        );
    }
    // HTTP/1.0 without Host: nothing to check, so refused.
    let bare = exchange(port, "GET /briefs/kz/ HTTP/1.0\r\n\r\n");
    assert!(matches!(status_of(&bare), 421 | 403 | 400), "{bare}");
    assert!(!bare.contains("Kazakhstan"));
    assert!(
        server.wait_for_line("evil.example"),
        "the terminal says which host was refused: {}",
        server.printed()
    );
    // A flood of made-up hosts prints a bounded number of lines.
    for i in 0..100 {
        get(port, &format!("x{i}.evil.example:{port}"), "/");
    }
    assert_eq!(
        status_of(&get(port, &format!("localhost:{port}"), "/")),
        200
    );
    std::thread::sleep(Duration::from_millis(300));
    let lines = server
        .printed()
        .lines()
        .filter(|l| l.contains("evil.example"))
        .count();
    assert!(
        (2..=40).contains(&lines),
        "{lines} lines: {}",
        server.printed()
    );
}

#[test]
fn serve_cuts_off_heads_over_16_kib_without_reading_them() {
    let site = site();
    let server = start(&site, &[]);
    let port = server.port;
    let host = format!("localhost:{port}");
    // Many headers, each small.
    let mut head = format!("GET / HTTP/1.1\r\nHost: {host}\r\n");
    for i in 0..2000 {
        head.push_str(&format!("X-Filler-{i}: value\r\n"));
    }
    head.push_str("\r\n");
    let many = exchange(port, &head);
    assert_eq!(status_of(&many), 431, "{many}");

    // 64 MiB without a newline: the server answers 431 and stops reading.
    let before = server.rss_kib();
    let mut stream = connect(port);
    let mut writer = stream.try_clone().unwrap();
    let started = Instant::now();
    let flood = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        let _ = writer.write_all(b"GET /");
        let mut sent = 0usize;
        for _ in 0..1024 {
            if writer.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    let answer = read_all(&mut stream);
    let closed_after = started.elapsed();
    let sent = flood.join().unwrap();
    assert_eq!(status_of(&answer), 431, "{answer}");
    assert!(
        closed_after < Duration::from_secs(15),
        "closed after {closed_after:?}"
    );
    assert!(
        sent < 32 * 1024 * 1024,
        "the server kept reading: {sent} bytes"
    );
    let after = server.rss_kib();
    assert!(
        after < before + 16 * 1024,
        "memory grew from {before} KiB to {after} KiB"
    );
    assert_eq!(status_of(&get(port, &host, "/")), 200);
}

#[test]
fn serve_cuts_off_a_slow_head_while_serving_others() {
    let site = site();
    let server = start(&site, &[]);
    let port = server.port;
    let host = format!("localhost:{port}");
    let slow = connect(port);
    slow.set_read_timeout(Some(Duration::from_millis(900)))
        .unwrap();
    let bytes = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow: {}",
        "a".repeat(100)
    );
    let started = Instant::now();
    let mut served_meanwhile = 0;
    let mut cut_off = None;
    for byte in bytes.bytes() {
        if (&slow).write_all(&[byte]).is_err() {
            cut_off = Some(started.elapsed());
            break;
        }
        let mut buf = [0u8; 256];
        match (&slow).read(&mut buf) {
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            // An answer (408), the end, or a reset: cut off.
            _ => {
                cut_off = Some(started.elapsed());
                break;
            }
        }
        if served_meanwhile < 3 && status_of(&get(port, &host, "/")) == 200 {
            served_meanwhile += 1;
        }
        if started.elapsed() > Duration::from_secs(40) {
            break;
        }
    }
    let cut_off = cut_off.expect("a head sent a byte a second is never cut off");
    assert!(
        cut_off < Duration::from_secs(25),
        "cut off after {cut_off:?}"
    );
    assert_eq!(served_meanwhile, 3, "other requests are served meanwhile");
}

#[test]
fn serve_answers_503_past_its_connection_cap_and_recovers() {
    let site = site();
    let server = start(&site, &[]);
    let port = server.port;
    let host = format!("localhost:{port}");
    // The cap is 64; these hold connections open without sending anything.
    let held: Vec<TcpStream> = (0..64).map(|_| connect(port)).collect();
    let mut extra: Vec<TcpStream> = (0..16).map(|_| connect(port)).collect();
    for stream in &mut extra {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let answer = read_all(stream);
        assert!(
            answer.is_empty() || status_of(&answer) == 503,
            "past the cap: 503 or a clean close, got {answer:?}"
        );
    }
    assert!(server.wait_for_line("503"), "{}", server.printed());
    drop(held);
    drop(extra);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let answer = get(port, &host, "/");
        if status_of(&answer) == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "still refused: {answer}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_long_polls_never_take_every_connection() {
    let site = site();
    let server = start(&site, &[]);
    let port = server.port;
    let host = format!("localhost:{port}");
    let page = get(port, &host, "/");
    let generation = page
        .split("data-generation=\"")
        .nth(1)
        .and_then(|g| g.split('"').next())
        .expect("the page carries its generation")
        .to_string();
    // 40 open tabs, each waiting for the next build: past half the cap they get 503 at once.
    let polls: Vec<_> = (0..40)
        .map(|_| {
            let mut stream = connect(port);
            let request =
                format!("GET /__briefing/wait?since={generation} HTTP/1.1\r\nHost: {host}\r\n\r\n");
            stream.write_all(request.as_bytes()).unwrap();
            std::thread::spawn(move || {
                stream
                    .set_read_timeout(Some(Duration::from_secs(8)))
                    .unwrap();
                let mut buf = [0u8; 64];
                match stream.read(&mut buf) {
                    Ok(n) => String::from_utf8_lossy(&buf[..n]).into_owned(),
                    Err(_) => String::new(),
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(status_of(&get(port, &host, "/")), 200, "pages still load");
    let busy = polls
        .into_iter()
        .map(|p| p.join().unwrap())
        .filter(|answer| answer.starts_with("HTTP/1.1 503"))
        .count();
    assert_eq!(busy, 8, "32 long polls wait, the other 8 are told to retry");
}

#[test]
fn serve_redirects_only_within_the_site_and_rejects_bad_escapes() {
    let site = site();
    let server = start(&site, &[]);
    let port = server.port;
    let host = format!("localhost:{port}");
    let folder = get(port, &host, "/briefs");
    assert_eq!(status_of(&folder), 301);
    assert_eq!(header(&folder, "Location"), Some("/briefs/"));
    for path in [
        "//briefs",
        "///briefs",
        "//evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/%2F/briefs",
        "/%5Cbriefs",
        "/.//briefs",
    ] {
        let answer = get(port, &host, path);
        let status = status_of(&answer);
        assert!(matches!(status, 301 | 400 | 404), "{path}: {answer}");
        if let Some(location) = header(&answer, "Location") {
            assert!(
                location.starts_with('/')
                    && !location.starts_with("//")
                    && !location.contains('\\'),
                "{path} redirects off the site: {location}"
            );
        }
    }
    for path in ["/%zz", "/%", "/briefs/%g1/"] {
        assert_eq!(status_of(&get(port, &host, path)), 400, "{path}");
    }
}

#[test]
fn serve_warns_when_bound_beyond_loopback() {
    let site = site();
    let server = start(&site, &["--bind", "0.0.0.0", "--drafts"]);
    assert!(
        server.wait_for_line("not a loopback address"),
        "{}",
        server.printed()
    );
    let printed = server.printed();
    let port = format!("on port {}", server.port);
    assert!(
        printed.contains("the preview, drafts included, is open") && printed.contains(&port),
        "{printed}"
    );
    let page = get(server.port, &format!("127.0.0.1:{}", server.port), "/");
    assert_eq!(status_of(&page), 200);
}
