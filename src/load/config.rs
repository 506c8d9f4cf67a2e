//! `site.yaml`: the site's title, base URL and language, and how feeds and list pages are cut.

use std::sync::Arc;

use serde_json::Value;

use crate::diag::{Diag, did_you_mean};
use crate::model::{DEFAULT_FEED_LIMIT, DEFAULT_PAGE_SIZE, FeedContent, SiteConfig};
use crate::yaml;

/// Keys `site.yaml` may hold; any other gets an "unknown key" warning.
const KNOWN_KEYS: [&str; 9] = [
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "feed_limit",
    "feed_content",
    "term_feeds",
    "page_size",
];

/// The largest `feed_limit` and `page_size` accepted: beyond it a feed or a list page would be
/// too large to be of use to anyone, and the number is more likely a typo.
const MAX_COUNT: u64 = 100_000;

/// Parses and validates `site.yaml`. `base_url_override` (from `--base-url`) wins over the file.
pub fn parse(
    text: &Arc<str>,
    path: &str,
    base_url_override: Option<&str>,
) -> Result<(SiteConfig, Vec<Diag>), Vec<Diag>> {
    let value = yaml::parse(text).map_err(|e| {
        let d = Diag::error(format!("site.yaml is not valid YAML: {}", e.message))
            .in_file(path)
            .at_offset(text, e.offset.unwrap_or(0));
        vec![match e.help {
            Some(help) => d.with_help(help),
            None => d,
        }]
    })?;
    let keys = yaml::key_offsets(text);
    let at = |key: &str| keys.iter().find(|(k, _)| k == key).map_or(0, |&(_, o)| o);
    // Where a key's value starts on its line, so a bad value is pointed at, not its key.
    let value_at = |key: &str| {
        let start = at(key);
        let line = text[start..].split('\n').next().unwrap_or("");
        match line.find(':') {
            Some(colon) => {
                let rest = &line[colon + 1..];
                start + colon + 1 + (rest.len() - rest.trim_start().len())
            }
            None => start,
        }
    };
    let Value::Object(map) = value else {
        return Err(vec![
            Diag::error("site.yaml must be a mapping of keys to values")
                .in_file(path)
                .at_offset(text, 0)
                .with_help("write `title: My briefing` and `base_url: https://example.org` on their own lines"),
        ]);
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let text_of = |key: &str| -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(v @ Value::Number(_)) => Some(v.to_string()),
            _ => None,
        }
    };
    let title = text_of("title");
    if title.is_none() {
        errors.push(
            Diag::error("site.yaml needs a `title` (text)")
                .in_file(path)
                .at_offset(text, at("title"))
                .with_help("add a line `title: My briefing`"),
        );
    }
    let raw_url = base_url_override
        .map(str::to_string)
        .or_else(|| text_of("base_url"));
    let base = match raw_url.as_deref().map(parse_base_url) {
        Some(Ok(b)) => Some(b),
        Some(Err(why)) => {
            let mut d = Diag::error(format!("`base_url` {why}"))
                .with_help("write the absolute URL the site is served from, e.g. `base_url: https://briefs.example.org`");
            if base_url_override.is_none() {
                d = d.in_file(path).at_offset(text, at("base_url"));
            } else {
                d.message = format!("--base-url {why}");
            }
            errors.push(d);
            None
        }
        None => {
            errors.push(
                Diag::error("site.yaml needs a `base_url` (an absolute URL)")
                    .in_file(path)
                    .at_offset(text, 0)
                    .with_help("add `base_url: https://briefs.example.org`, or pass --base-url"),
            );
            None
        }
    };
    let language = text_of("language").unwrap_or_else(|| "en".to_string());
    if !is_language_tag(&language) {
        errors.push(
            Diag::error(format!("`language` is not a language tag: {language:?}"))
                .in_file(path)
                .at_offset(text, at("language"))
                .with_help("use a BCP 47 tag such as `en`, `fr`, `kk` or `en-GB`"),
        );
    }
    let mut count_of = |key: &str, least: u64, default: usize, what: &str| -> usize {
        let Some(value) = map.get(key) else {
            return default;
        };
        match value.as_u64() {
            Some(n) if (least..=MAX_COUNT).contains(&n) => n as usize,
            _ => {
                let written = match value {
                    Value::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                };
                errors.push(
                    Diag::error(format!(
                        "`{key}` must be a whole number from {least} to {MAX_COUNT}, not {written}"
                    ))
                    .in_file(path)
                    .at_offset(text, value_at(key))
                    .with_help(format!(
                        "write how many {what}, e.g. `{key}: {default}`, or remove the line for the default ({default})"
                    )),
                );
                default
            }
        }
    };
    let feed_limit = count_of(
        "feed_limit",
        1,
        DEFAULT_FEED_LIMIT,
        "entries each feed holds",
    );
    // 0: no pagination, every list on one page.
    let page_size = count_of(
        "page_size",
        0,
        DEFAULT_PAGE_SIZE,
        "briefs a list page shows (0: all on one page)",
    );
    let feed_content = match map.get("feed_content") {
        None => FeedContent::Summary,
        Some(Value::String(s)) if s.trim() == "summary" => FeedContent::Summary,
        Some(Value::String(s)) if s.trim() == "full" => FeedContent::Full,
        Some(other) => {
            errors.push(
                Diag::error(format!(
                    "`feed_content` must be `summary` or `full`, not {other}"
                ))
                .in_file(path)
                .at_offset(text, value_at("feed_content"))
                .with_help(
                    "`summary` puts each brief's summary in the feeds; `full` adds the whole brief",
                ),
            );
            FeedContent::Summary
        }
    };
    let term_feeds = match map.get("term_feeds") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(
                Diag::error(format!("`term_feeds` must be true or false, not {other}"))
                    .in_file(path)
                    .at_offset(text, value_at("term_feeds"))
                    .with_help(
                        "`term_feeds: false` writes only the site's feeds, none per tag or region",
                    ),
            );
            true
        }
    };
    for key in map.keys() {
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        let mut d = Diag::warning(format!("unknown key `{key}` in site.yaml"))
            .in_file(path)
            .at_offset(text, at(key));
        if let Some(k) = did_you_mean(key, &KNOWN_KEYS) {
            d = d.with_help(format!("did you mean `{k}`?"));
        }
        warnings.push(d);
    }
    match (title, base) {
        (Some(title), Some((base_url, base_path))) if errors.is_empty() => Ok((
            SiteConfig {
                title,
                base_url,
                base_path,
                description: text_of("description"),
                language,
                author: text_of("author"),
                feed_limit,
                feed_content,
                page_size,
                term_feeds,
            },
            warnings,
        )),
        _ => Err(errors),
    }
}

/// Returns the URL without a trailing slash, and its path part (`""` or `/sub`).
fn parse_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("must be an absolute http(s) URL, not {url:?}"))?;
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "must be a plain URL without query, fragment or spaces: {url:?}"
        ));
    }
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() {
        return Err(format!("has no host name: {url:?}"));
    }
    let path = path.trim_end_matches('/');
    let scheme_len = url.len() - rest.len();
    Ok((
        format!("{}{host}{path}", &url[..scheme_len]),
        path.to_string(),
    ))
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        assert_eq!(
            parse_base_url("https://x.org/briefs/").unwrap(),
            ("https://x.org/briefs".to_string(), "/briefs".to_string())
        );
        assert!(parse_base_url("x.org").is_err());
    }
}
