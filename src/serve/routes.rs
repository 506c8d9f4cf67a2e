//! What a permitted request gets: a file of the current snapshot (HTML pages with the live
//! reload added), the reload script, a long poll for the next build, a redirect to a
//! folder's page, or an error page. Bodies are written from the snapshot, never copied.

use std::net::TcpStream;
use std::time::Duration;

use super::http::{self, Request, Undecodable};
use super::{Shared, Snapshot, live};

/// How long a long poll waits for a new build before it answers with the current one.
const LONG_POLL: Duration = Duration::from_secs(25);

pub(crate) fn answer(stream: &TcpStream, request: &Request, shared: &Shared) {
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        let allow = ("Allow", "GET, HEAD".to_string());
        http::respond(stream, "405 Method Not Allowed", &[allow], &[], false);
        return;
    }
    if !request.raw_path.starts_with('/') {
        // `*` names the server itself, which only OPTIONS may ask about.
        bad_request(stream, "a GET asks for a path, not *");
        return;
    }
    let path = match http::percent_decode(&request.raw_path) {
        Ok(path) => path,
        Err(Undecodable::BadEscape) => {
            bad_request(stream, "the path has a % not followed by two hex digits");
            return;
        }
        Err(Undecodable::NotUtf8) => {
            not_found(stream, &shared.current(), head);
            return;
        }
    };
    match path.as_str() {
        "/__briefing/live.js" => {
            let ct = ("Content-Type", "text/javascript; charset=utf-8".to_string());
            let body = live::RELOAD_JS.as_bytes();
            http::respond(stream, "200 OK", &[ct], &[body], head);
        }
        "/__briefing/wait" => long_poll(stream, request, shared, head),
        _ => file(stream, request, &path, &shared.current(), head),
    }
}

fn bad_request(stream: &TcpStream, why: &str) {
    http::respond(
        stream,
        "400 Bad Request",
        &[("Content-Type", "text/plain; charset=utf-8".into())],
        &[why.as_bytes(), b"\n"],
        false,
    );
}

/// Answers with the build generation once it differs from `since`, or after [`LONG_POLL`].
/// Past [`super::conn::MAX_LONG_POLLS`] waiting at once, 503: the page's script retries later.
fn long_poll(stream: &TcpStream, request: &Request, shared: &Shared, head: bool) {
    let Some(_slot) = shared.long_polls.take() else {
        let retry = ("Retry-After", "2".to_string());
        http::respond(
            stream,
            "503 Service Unavailable",
            &[retry],
            &[b"busy\n"],
            head,
        );
        return;
    };
    let since: u64 = request
        .query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let guard = shared.snapshot.lock().unwrap_or_else(|e| e.into_inner());
    let (guard, _) = shared
        .changed
        .wait_timeout_while(guard, LONG_POLL, |s| s.generation == since)
        .unwrap_or_else(|e| e.into_inner());
    let generation = guard.generation.to_string();
    drop(guard);
    let ct = ("Content-Type", "text/plain".to_string());
    http::respond(stream, "200 OK", &[ct], &[generation.as_bytes()], head);
}

fn file(stream: &TcpStream, request: &Request, path: &str, snapshot: &Snapshot, head: bool) {
    let found = http::file_for(path).and_then(|f| snapshot.files.get(&f).map(|b| (f, b)));
    let Some((file, body)) = found else {
        // `/x` for a folder: send the reader to `/x/`, as static hosts do. `file_for` refuses
        // `//x`, so the Location is always a path of this site; it is built with exactly one
        // leading slash all the same, from the target as sent (still percent-encoded).
        let folder = http::file_for(&format!("{path}/"));
        if !path.ends_with('/') && folder.is_some_and(|f| snapshot.files.contains_key(&f)) {
            let location = format!("/{}/", request.raw_path.trim_start_matches('/'));
            let headers = [("Location", location)];
            http::respond(stream, "301 Moved Permanently", &headers, &[], head);
            return;
        }
        not_found(stream, snapshot, head);
        return;
    };
    send(stream, "200 OK", &file, body, snapshot, head);
}

fn not_found(stream: &TcpStream, snapshot: &Snapshot, head: bool) {
    match snapshot.files.get("404.html") {
        Some(page) => send(stream, "404 Not Found", "404.html", page, snapshot, head),
        None => http::respond(stream, "404 Not Found", &[], &[b"not found"], head),
    }
}

/// A file of the snapshot; HTML pages get the live reload (and the error overlay) around
/// their own bytes.
fn send(
    stream: &TcpStream,
    status: &str,
    file: &str,
    body: &[u8],
    snapshot: &Snapshot,
    head: bool,
) {
    let content_type = http::content_type(file);
    let headers = [("Content-Type", content_type.to_string())];
    if content_type.starts_with("text/html") {
        let page = live::inject(body, snapshot.generation, snapshot.overlay.as_deref());
        http::respond(stream, status, &headers, &page.parts(), head);
    } else {
        http::respond(stream, status, &headers, &[body], head);
    }
}
