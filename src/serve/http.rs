//! Just enough HTTP/1.1 for a local preview server: GET and HEAD of files from memory, one
//! request per connection (`Connection: close`), which keeps it small and correct.
//!
//! The request head is parsed by `httparse`; this file owns the bounds around it: how many
//! bytes a head may take, how long it may take to arrive, how long a response may take to
//! leave, and what a target may look like.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The whole request head (request line and headers). Browsers send 1–3 KiB; a head that
/// does not end within this many bytes gets 431 and is never read further.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Headers in one head; more is 431 (browsers send about 15).
const MAX_HEADERS: usize = 64;
/// The time a whole head may take to arrive, however it trickles in: a client that sends a
/// byte every few seconds is cut off here (408), not after each read.
pub(crate) const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// The time a whole response may take to be written: enough for a large file to a slow
/// machine on the network, never a connection held forever by a client that stops reading.
const WRITE_DEADLINE: Duration = Duration::from_secs(60);
/// After an error answer the server reads and drops what the client still sends, for at most
/// this long and this much, so that closing does not reset the connection before the client
/// has read the answer.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1024 * 1024;

pub(crate) struct Request {
    pub(crate) method: String,
    /// The path as sent, still percent-encoded, without query or fragment; `*` for the
    /// asterisk form.
    pub(crate) raw_path: String,
    pub(crate) query: String,
    /// The authority asked for: the absolute-form target's (which RFC 9112 §3.2.2 puts
    /// before `Host`), else the `Host` header's; `None` when there is neither.
    pub(crate) host: Option<String>,
    /// Whether more bytes than the head arrived (a body, or a pipelined request).
    pub(crate) extra: bool,
}

/// Why no request could be read, and so what to answer.
#[derive(Debug, PartialEq)]
pub(crate) enum HeadError {
    /// 431: the head passed [`MAX_HEAD`] or had too many headers.
    TooLarge,
    /// 408: the head did not arrive within [`HEAD_DEADLINE`].
    TimedOut,
    /// 400, with the reason.
    Malformed(&'static str),
    /// The client went away: nothing to answer.
    Closed,
}

impl HeadError {
    pub(crate) fn status(&self) -> Option<&'static str> {
        match self {
            HeadError::TooLarge => Some("431 Request Header Fields Too Large"),
            HeadError::TimedOut => Some("408 Request Timeout"),
            HeadError::Malformed(_) => Some("400 Bad Request"),
            HeadError::Closed => None,
        }
    }
}

/// Reads one request head into a fixed buffer of [`MAX_HEAD`] bytes, within
/// [`HEAD_DEADLINE`]. Memory per connection is that buffer, whatever the client sends.
pub(crate) fn read_request(mut stream: &TcpStream) -> Result<Request, HeadError> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut buf = vec![0u8; MAX_HEAD];
    let mut filled = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TimedOut);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Closed)?;
        let n = match stream.read(&mut buf[filled..]) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(HeadError::TimedOut);
            }
            Err(_) => return Err(HeadError::Closed),
        };
        filled += n;
        // A head ends with a newline: parse only when one arrived, so a head sent a byte at a
        // time is not parsed again for every byte.
        if memchr::memchr(b'\n', &buf[filled - n..filled]).is_some()
            && let Some(request) = parse(&buf[..filled])?
        {
            return Ok(request);
        }
        if filled == MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// `Ok(None)` while the head is incomplete.
fn parse(bytes: &[u8]) -> Result<Option<Request>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooLarge),
        Err(_) => return Err(HeadError::Malformed("the request head is not HTTP/1.x")),
    };
    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or_default();
    let mut hosts = req
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"));
    let host = hosts
        .next()
        .map(|h| String::from_utf8_lossy(h.value).into_owned());
    if hosts.next().is_some() {
        return Err(HeadError::Malformed("more than one Host header"));
    }
    let (authority, rest) = split_target(target)?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Ok(Some(Request {
        method,
        raw_path: path.split('#').next().unwrap_or("").to_string(),
        query: query.to_string(),
        host: authority.map(str::to_string).or(host),
        extra: bytes.len() > len,
    }))
}

/// A target's authority (absolute form only) and its path with query. Origin form `/x`,
/// absolute form `http://host:port/x`, and `*` are accepted; anything else is 400.
fn split_target(target: &str) -> Result<(Option<&str>, &str), HeadError> {
    if target.starts_with('/') || target == "*" {
        return Ok((None, target));
    }
    let scheme_end = target.find("://").unwrap_or(0);
    if !target[..scheme_end].eq_ignore_ascii_case("http") {
        return Err(HeadError::Malformed("the request target is not a path"));
    }
    let rest = &target[scheme_end + 3..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.is_empty() || authority.contains('@') {
        return Err(HeadError::Malformed("the request target has no plain host"));
    }
    let path = &rest[end..];
    Ok((Some(authority), if path.is_empty() { "/" } else { path }))
}

/// Why a path could not be decoded.
#[derive(Debug, PartialEq)]
pub(crate) enum Undecodable {
    /// A `%` not followed by two hex digits: 400.
    BadEscape,
    /// Well-formed escapes that make no UTF-8: no file can have that name, 404.
    NotUtf8,
}

/// Decodes `%XX` escapes.
pub(crate) fn percent_decode(path: &str) -> Result<String, Undecodable> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Undecodable::BadEscape)?;
            // Digits only: `from_str_radix` alone would take `%+1`.
            let digit = |b: u8| (b as char).to_digit(16).ok_or(Undecodable::BadEscape);
            out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Undecodable::NotUtf8)
}

/// The output file a URL path names: `/` → `index.html`, `/x/` → `x/index.html`. `None` for
/// any path that tries to leave the site (`..`, backslashes, NUL), whatever its encoding,
/// and for empty segments (`//x`), which no file has and which would make `//x/` a
/// redirect to another host.
pub(crate) fn file_for(path: &str) -> Option<String> {
    let path = path.strip_prefix('/')?;
    let segments: Vec<&str> = path.split('/').collect();
    let (_, inner) = segments.split_last()?;
    if inner.iter().any(|s| s.is_empty())
        || segments
            .iter()
            .any(|s| *s == ".." || *s == "." || s.contains(['\\', '\0']))
    {
        return None;
    }
    if path.is_empty() || path.ends_with('/') {
        Some(format!("{path}index.html"))
    } else {
        Some(path.to_string())
    }
}

pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Writes a response whose body is the concatenation of `body` (so a page and the script
/// added to it are written from where they lie, not copied together), all within
/// [`WRITE_DEADLINE`]. A client that stops reading only loses its own response.
pub(crate) fn respond(
    stream: &TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[&[u8]],
    head_only: bool,
) {
    let length: usize = body.iter().map(|b| b.len()).sum();
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\nCache-Control: no-store\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let deadline = Instant::now() + WRITE_DEADLINE;
    let mut parts = vec![head.as_bytes()];
    if !head_only {
        parts.extend_from_slice(body);
    }
    for part in parts {
        if write_by(stream, part, deadline).is_err() {
            return;
        }
    }
}

/// `write_all` against a deadline for the whole, not for each write.
fn write_by(mut stream: &TcpStream, mut bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(&bytes[..bytes.len().min(64 * 1024)]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Ends a connection whose client may still be sending: stops writing, then reads and drops
/// what comes for a bounded time, so the answer is read before the close resets the line.
pub(crate) fn linger(mut stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut sink = [0u8; 8192];
    let mut read = 0;
    while read < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_and_cannot_escape() {
        let decoded = |p: &str| percent_decode(p).unwrap();
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_for("/briefs/x/").as_deref(),
            Some("briefs/x/index.html")
        );
        assert_eq!(file_for("/style.css").as_deref(), Some("style.css"));
        assert_eq!(file_for("/../etc/passwd"), None);
        assert_eq!(file_for(&decoded("/%2e%2e/secret")), None);
        assert_eq!(file_for(&decoded("/a/..%2F..%2Fb")), None);
        assert_eq!(decoded("/regions/%D2%9B%D0%B0%D0%B7"), "/regions/қаз");
    }

    #[test]
    fn empty_segments_and_backslashes_name_no_file() {
        for path in [
            "//briefs",
            "//briefs/",
            "/a//b",
            "/\\evil.com",
            "/%5Cevil.com",
        ] {
            assert_eq!(file_for(&percent_decode(path).unwrap()), None, "{path}");
        }
    }

    #[test]
    fn bad_escapes_are_told_from_names_that_cannot_exist() {
        for path in ["/%zz", "/%", "/%a", "/%+1", "/a%-1b"] {
            assert_eq!(percent_decode(path), Err(Undecodable::BadEscape), "{path}");
        }
        assert_eq!(percent_decode("/%ff"), Err(Undecodable::NotUtf8));
    }

    #[test]
    fn targets_in_absolute_form_carry_their_host() {
        let head = b"GET http://localhost:8000/briefs/?x=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n";
        let request = parse(head).unwrap().unwrap();
        assert_eq!(request.host.as_deref(), Some("localhost:8000"));
        assert_eq!(request.raw_path, "/briefs/");
        assert_eq!(request.query, "x=1");
        let bare = parse(b"GET http://localhost:8000 HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(bare.unwrap().raw_path, "/");
        for bad in [
            &b"GET ftp://localhost/ HTTP/1.1\r\n\r\n"[..],
            b"GET http://user@localhost/ HTTP/1.1\r\n\r\n",
            b"GET briefs HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        ] {
            assert!(
                matches!(parse(bad), Err(HeadError::Malformed(_))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn too_many_headers_is_too_large() {
        let mut head = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            head.extend_from_slice(format!("X-{i}: y\r\n").as_bytes());
        }
        head.extend_from_slice(b"\r\n");
        assert!(matches!(parse(&head), Err(HeadError::TooLarge)));
    }
}
