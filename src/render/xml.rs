//! Writing XML text for feeds and sitemaps: escaping, and dates in the two forms feeds use.
//!
//! Every piece of text from a user's file goes through [`escape`]: the five XML entities,
//! never CDATA (a `]]>` in a brief would end a CDATA section early). Characters XML 1.0 does
//! not allow at all (most C0 controls, lone surrogates cannot occur in a Rust string) are
//! dropped, so a stray control character in a title cannot make a feed unreadable.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::model::BriefDate;

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities and XML-forbidden characters
/// left out; safe in element content and in attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Runs of bytes that stand for themselves are copied whole; only the bytes that may need
    // a change start a character looked at one by one: the five, C0 controls, and 0xEF, which
    // starts U+F000 to U+FFFF, among them the forbidden U+FFFE and U+FFFF. Every one of those
    // bytes starts a character, so each run ends on a character boundary.
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes[from..].iter().position(|&b| needs_a_look(b)) {
        let at = from + at;
        out.push_str(&text[from..at]);
        let c = text[at..].chars().next().unwrap_or_default();
        push_escaped(&mut out, c);
        from = at + c.len_utf8();
    }
    out.push_str(&text[from..]);
    out
}

/// Whether the byte may start a character [`escape`] changes.
fn needs_a_look(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF) || b < 0x20
}

/// One character as [`escape`] writes it.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        '\t' | '\n' | '\r' => out.push(c),
        c if is_xml_char(c) => out.push(c),
        _ => {}
    }
}

/// XML 1.0's `Char` production, less the whitespace handled above.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `<name>escaped text</name>` on its own line, indented.
pub(crate) fn element(out: &mut String, indent: &str, name: &str, text: &str) {
    let _ = writeln!(out, "{indent}<{name}>{}</{name}>", escape(text));
}

/// A brief date as an instant: its time when given, else midnight UTC.
fn instant(date: &BriefDate) -> DateTime<FixedOffset> {
    match &date.time {
        Some(t) => *t,
        None => date
            .date
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .fixed_offset(),
    }
}

/// RFC 3339, as Atom requires: `2025-11-20T00:00:00Z` for a date alone.
pub(crate) fn rfc3339(date: &BriefDate) -> String {
    instant(date).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// RFC 822 with the day of the week, as RSS requires: `Thu, 20 Nov 2025 00:00:00 +0000`.
pub(crate) fn rfc822(date: &BriefDate) -> String {
    instant(date).format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// The date for a sitemap's `<lastmod>` (W3C datetime): `2025-11-20`, or the full time.
pub(crate) fn w3c(date: &BriefDate) -> String {
    match &date.time {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Secs, true),
        None => date.date.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_with_entities_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'d' ]]> \u{1}\u{FFFE}x"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos; ]]&gt; x"
        );
        // Around the characters that start with the byte 0xEF, and whole runs between.
        assert_eq!(
            escape("Ｔｏｋｙｏ\u{FFFF}東京 & Zürich\t\u{FFFD}\u{7}"),
            "Ｔｏｋｙｏ東京 &amp; Zürich\t\u{FFFD}"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn dates_in_each_form() {
        let day = BriefDate::parse("2025-11-20").unwrap();
        assert_eq!(rfc3339(&day), "2025-11-20T00:00:00Z");
        assert_eq!(rfc822(&day), "Thu, 20 Nov 2025 00:00:00 +0000");
        assert_eq!(w3c(&day), "2025-11-20");
        let time = BriefDate::parse("2025-11-20T08:30:00+02:00").unwrap();
        assert_eq!(rfc3339(&time), "2025-11-20T08:30:00+02:00");
        assert_eq!(rfc822(&time), "Thu, 20 Nov 2025 08:30:00 +0200");
        let early = BriefDate::parse("2025-03-01").unwrap();
        assert_eq!(rfc822(&early), "Sat, 01 Mar 2025 00:00:00 +0000");
    }
}
