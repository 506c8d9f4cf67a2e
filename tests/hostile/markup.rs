//! The markup scan run on every HTML, SVG, XML and JSON file of a hostile case's output.

/// Markup from a case that would run in a reader's browser: a `<script>` that is not one of
/// briefing's own (`<script src="/...`), an `on...` attribute, or a `javascript:` URL in an
/// attribute. Attribute values are read as values, so escaped text inside them is not markup.
pub fn dangerous_markup(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(off) = lower[i..].find('<') {
        let start = i + off;
        let mut j = start + 1;
        let name_end = lower[j..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(lower.len(), |e| j + e);
        let name = &lower[j..name_end];
        j = name_end;
        let snippet = || lower[start..].chars().take(80).collect::<String>();
        if name == "script" && !lower[j..].trim_start().starts_with("src=\"/") {
            return Some(snippet());
        }
        // Attributes: name[=value], values quoted with " or ' or bare.
        while j < bytes.len() && bytes[j] != b'>' {
            if bytes[j].is_ascii_whitespace() || bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let attr_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>')
            {
                j += 1;
            }
            let attr = &lower[attr_start..j];
            let mut value = "";
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                let quote = bytes.get(j).copied().filter(|q| *q == b'"' || *q == b'\'');
                let value_start = if quote.is_some() { j + 1 } else { j };
                let value_end = match quote {
                    Some(q) => lower[value_start..]
                        .find(q as char)
                        .map_or(lower.len(), |e| value_start + e),
                    None => lower[value_start..]
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .map_or(lower.len(), |e| value_start + e),
                };
                value = &lower[value_start..value_end];
                j = if quote.is_some() {
                    (value_end + 1).min(lower.len())
                } else {
                    value_end
                };
            }
            if attr.starts_with("on") && attr.len() > 2 {
                return Some(snippet());
            }
            if value.trim_start().starts_with("javascript:") {
                return Some(snippet());
            }
        }
        i = j.max(start + 1);
    }
    None
}

pub fn the_markup_scanner_finds_what_it_must() {
    assert!(dangerous_markup("<p>x</p><script>alert(1)</script>").is_some());
    assert!(dangerous_markup("<img src=x onerror=alert(1)>").is_some());
    assert!(dangerous_markup("<a href=\"javascript:alert(1)\">").is_some());
    assert!(
        dangerous_markup(
            "<p>&lt;script&gt; onerror=x</p><script src=\"/search.js\" defer></script>"
        )
        .is_none()
    );
    assert!(dangerous_markup("<a href=\"/x\" class=\"on\">on=</a>").is_none());
    assert!(dangerous_markup("<meta content=\"&lt;img src=x onerror=alert(1)&gt;\">").is_none());
    assert!(dangerous_markup("<svg onload=alert(1)>").is_some());
}
