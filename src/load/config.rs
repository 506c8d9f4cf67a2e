//! `site.yaml`: the site's title, base URL and language, and how feeds and list pages are cut.

use std::sync::Arc;

use super::fields::{Mapping, NotAMapping, SITE, Source};
use crate::diag::Diag;
use crate::model::{DEFAULT_FEED_LIMIT, DEFAULT_PAGE_SIZE, FeedContent, HostHeaders, SiteConfig};

/// Keys `site.yaml` may hold; any other gets an "unknown key" warning.
const KNOWN_KEYS: [&str; 11] = [
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "feed_limit",
    "feed_content",
    "term_feeds",
    "page_size",
    "headers",
    "home_map",
];

/// The largest `feed_limit` and `page_size` accepted: beyond it a feed or a list page would be
/// too large to be of use to anyone, and the number is more likely a typo.
const MAX_COUNT: u64 = 100_000;

/// Parses and validates `site.yaml`. `base_url_override` (from `--base-url`) wins over the
/// file. The config, when it is usable, and every problem found (warnings too, on failure).
pub(super) fn parse(
    text: &Arc<str>,
    path: &str,
    base_url_override: Option<&str>,
) -> (Option<SiteConfig>, Vec<Diag>) {
    let src = Source {
        text,
        path,
        yaml: text,
        yaml_start: 0,
        anchor: 0,
        noun: "",
        codes: &SITE,
    };
    let mut m = match Mapping::parse(src) {
        Ok(m) => m,
        Err(NotAMapping::Invalid { message, at, help }) => {
            let mut d = Diag::error(
                "site/yaml",
                format!("site.yaml is not valid YAML: {message}"),
            )
            .in_file(path)
            .at_offset(text, at);
            d.help = help.map(String::from);
            return (None, vec![d]);
        }
        Err(NotAMapping::Empty | NotAMapping::Other(_)) => {
            let d = Diag::error(
                "site/not-a-mapping",
                "site.yaml must be a mapping of keys to values",
            )
            .in_file(path)
            .at_offset(text, 0)
            .with_help(
                "write `title: My briefing` and `base_url: https://example.org` on their own lines",
            );
            return (None, vec![d]);
        }
    };
    let config = read_keys(&mut m, base_url_override);
    m.unknown_keys(&KNOWN_KEYS, true);
    let config = config.filter(|_| !m.failed());
    (config, m.problems)
}

/// The keys of site.yaml, each checked; `None` when a required one is missing or broken.
fn read_keys(m: &mut Mapping, base_url_override: Option<&str>) -> Option<SiteConfig> {
    let title = m.trimmed("title");
    if title.is_none() {
        m.error(
            "site/missing-key",
            Some("title"),
            "site.yaml needs a `title` (text)".into(),
            "add a line `title: My briefing`",
        );
    }
    let base = base_url(m, base_url_override);
    let language = m.trimmed("language").unwrap_or_else(|| "en".to_string());
    if !is_language_tag(&language) {
        m.error(
            "site/bad-value",
            Some("language"),
            format!("`language` is not a language tag: {language:?}"),
            "use a BCP 47 tag such as `en`, `fr`, `kk` or `en-GB`",
        );
    }
    let feed_limit = m.count_of(
        "feed_limit",
        1..=MAX_COUNT,
        &format!("write how many entries each feed holds, e.g. `feed_limit: {DEFAULT_FEED_LIMIT}`, or remove the line for the default ({DEFAULT_FEED_LIMIT})"),
    );
    // 0: no pagination, every list on one page.
    let page_size = m.count_of(
        "page_size",
        0..=MAX_COUNT,
        &format!("write how many briefs a list page shows (0: all on one page), e.g. `page_size: {DEFAULT_PAGE_SIZE}`, or remove the line for the default ({DEFAULT_PAGE_SIZE})"),
    );
    let feed_content = m.choice_of("feed_content", &["summary", "full"], |name| match name {
        "summary" => Some(FeedContent::Summary),
        "full" => Some(FeedContent::Full),
        _ => None,
    });
    let term_feeds = m.bool_of(
        "term_feeds",
        "`term_feeds: false` writes only the site's feeds, none per tag or region",
    );
    let home_map = m.bool_of(
        "home_map",
        "`home_map: false` leaves the spend map off the home page (it stays on /regions/)",
    );
    // `none` is accepted too, so a site can write the default out.
    let headers = m.choice_of("headers", &["netlify", "none"], |name| match name {
        "netlify" => Some(HostHeaders::Netlify),
        "none" => Some(HostHeaders::None),
        _ => None,
    });
    let (base_url, base_path) = base?;
    Some(SiteConfig {
        title: title?,
        base_url,
        base_path,
        description: m.trimmed("description"),
        language,
        author: m.trimmed("author"),
        feed_limit: feed_limit.map_or(DEFAULT_FEED_LIMIT, |n| n as usize),
        feed_content: feed_content.unwrap_or(FeedContent::Summary),
        page_size: page_size.map_or(DEFAULT_PAGE_SIZE, |n| n as usize),
        term_feeds: term_feeds.unwrap_or(true),
        headers: headers.unwrap_or_default(),
        home_map: home_map.unwrap_or(true),
    })
}

/// `base_url` from the flag or the file, checked; `None` after reporting why.
fn base_url(m: &mut Mapping, base_url_override: Option<&str>) -> Option<(String, String)> {
    let written = m.trimmed("base_url");
    let Some(raw) = base_url_override.map(str::to_string).or(written) else {
        m.error(
            "site/missing-key",
            None,
            "site.yaml needs a `base_url` (an absolute URL)".into(),
            "add `base_url: https://briefs.example.org`, or pass --base-url",
        );
        return None;
    };
    match parse_base_url(&raw) {
        Ok(base) => Some(base),
        Err(why) => {
            let help = "write the absolute URL the site is served from, e.g. `base_url: https://briefs.example.org`";
            if base_url_override.is_some() {
                m.problems.push(
                    Diag::error("site/base-url", format!("--base-url {why}")).with_help(help),
                );
            } else {
                m.error(
                    "site/base-url",
                    Some("base_url"),
                    format!("`base_url` {why}"),
                    help,
                );
            }
            None
        }
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
