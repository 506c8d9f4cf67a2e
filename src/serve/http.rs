//! Just enough HTTP/1.1 for a local preview server: GET and HEAD of files from memory.
//! One request per connection (`Connection: close`), which keeps it small and correct.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct Request {
    pub method: String,
    /// The decoded path, without query or fragment.
    pub path: String,
    pub query: String,
}

/// Reads the request line and headers. `None` for anything that is not a well-formed request.
pub fn read_request(stream: &TcpStream) -> Option<Request> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?;
    // Drain the headers; bodies are not read (GET and HEAD only).
    let mut header = String::new();
    for _ in 0..100 {
        header.clear();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let (raw_path, query) = target.split_once('?').unwrap_or((target, ""));
    let raw_path = raw_path.split('#').next().unwrap_or("");
    Some(Request {
        method,
        path: percent_decode(raw_path)?,
        query: query.to_string(),
    })
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8 (no such file can exist).
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output file a URL path names: `/` → `index.html`, `/x/` → `x/index.html`. `None` for
/// any path that tries to leave the site (`..`, backslashes, NUL), whatever its encoding.
pub fn file_for(path: &str) -> Option<String> {
    let path = path.strip_prefix('/')?;
    let segments: Vec<&str> = path.split('/').collect();
    if segments
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

pub fn content_type(path: &str) -> &'static str {
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

pub fn respond(
    mut stream: &TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    if !head_only {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_and_cannot_escape() {
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_for("/briefs/x/").as_deref(),
            Some("briefs/x/index.html")
        );
        assert_eq!(file_for("/style.css").as_deref(), Some("style.css"));
        assert_eq!(file_for("/../etc/passwd"), None);
        assert_eq!(file_for(&percent_decode("/%2e%2e/secret").unwrap()), None);
        assert_eq!(file_for(&percent_decode("/a/..%2F..%2Fb").unwrap()), None);
        assert_eq!(
            percent_decode("/regions/%D2%9B%D0%B0%D0%B7").unwrap(),
            "/regions/қаз"
        );
    }
}
