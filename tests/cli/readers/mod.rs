//! What readers, feed readers and search engines get from a built site: feeds, the sitemap,
//! paginated lists, a brief's neighbours, the search index, and a link check of whole sites.

mod feeds;
mod links;
mod pagination;
mod search;

use std::path::{Path, PathBuf};

/// The output file an absolute URL of the site names (`…/x/` → `x/index.html`), or `None`
/// when the URL is not under `base` (`https://host/`, with its trailing slash).
pub fn file_for(out: &Path, base: &str, url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix(base)?;
    let rest = rest.split(['#', '?']).next().unwrap_or("");
    let mut path = percent_decode(rest);
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(out.join(path))
}

/// `%XX` escapes decoded as UTF-8 bytes; anything else kept.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if bytes[i] == b'%'
            && let Some(b) = hex
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses an XML file of the output, failing the test with the parser's message.
pub fn parse_xml<'a>(text: &'a str, what: &str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}"))
}

/// The text of the first child element named `name` (in any namespace), if any.
pub fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .and_then(|c| c.text())
}

/// Every HTML page of an output folder, by path relative to it.
pub fn html_pages(out: &Path) -> Vec<String> {
    crate::common::tree(out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect()
}
