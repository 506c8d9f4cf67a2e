//! Splitting a brief into its YAML front-matter and Markdown body, and validating the
//! front-matter into a [`FrontMatter`].
//!
//! Positions matter here: every problem is reported at its line and column in the `.md` file,
//! so the offset where the YAML starts travels with the YAML text.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::fields::{FRONT_MATTER, Mapping, NotAMapping, Source, kind};
use crate::diag::{Diag, did_you_mean};
use crate::model::slug::term_key;
use crate::model::{BriefDate, FrontMatter};

pub const KNOWN_KEYS: [&str; 12] = [
    "title",
    "date",
    "summary",
    "tags",
    "regions",
    "slug",
    "draft",
    "updated",
    "authors",
    "publish_date",
    "expiry_date",
    "values",
];

/// The three parts of a brief's text, as byte offsets into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Start of the YAML (just after the opening `---` line).
    pub yaml_start: usize,
    /// End of the YAML (start of the closing `---` line).
    pub yaml_end: usize,
    /// Start of the Markdown body (just after the closing `---` line).
    pub body_start: usize,
    /// Whether the front-matter is TOML between `+++` lines (Hugo's default), not YAML.
    pub toml: bool,
}

/// Why a brief's front-matter could not be found: the problem's code, message, offset and help.
pub type SplitError = (&'static str, String, usize, Option<String>);

/// Finds the front-matter: a line `---` (after any blank lines, as Hugo allows) and the next
/// line that is `---`. Offsets stay those of the whole file, so line numbers count the blanks.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut open = 0;
    let mut first_end = text.find('\n').unwrap_or(text.len());
    while first_end < text.len() && text[open..first_end].trim().is_empty() {
        open = first_end + 1;
        first_end = text[open..].find('\n').map_or(text.len(), |i| open + i);
    }
    let first = text[open..first_end].trim_end();
    if first != "---" && first != "+++" {
        let (message, help) = if text.trim().is_empty() {
            (
                "the file is empty".to_string(),
                "a brief starts with front-matter: ---, then `title:` and `date:` lines, then ---",
            )
        } else {
            (
                "the brief has no front-matter".to_string(),
                "start the file with a line ---, then `title:` and `date:` lines, then a line ---",
            )
        };
        return Err((
            "front-matter/missing",
            message,
            open,
            Some(help.to_string()),
        ));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == first {
            return Ok(Split {
                yaml_start,
                yaml_end: pos,
                body_start: (end + 1).min(text.len()),
                toml: first == "+++",
            });
        }
        pos = end + 1;
    }
    let line = text[..open].matches('\n').count() + 1;
    Err((
        "front-matter/unclosed",
        format!("front-matter opened on line {line} is never closed"),
        open,
        Some(format!(
            "add a line with {first} after the last front-matter key"
        )),
    ))
}

/// A brief's front-matter, validated, with the warnings it raised.
pub struct Parsed {
    pub front: FrontMatter,
    pub body_start: usize,
    pub warnings: Vec<Diag>,
}

/// Splits and validates a brief. Every problem found is returned, not just the first: on
/// failure the warnings come with the errors (`tittle:` explains a missing `title`).
pub fn parse(text: &Arc<str>, path: &str) -> Result<Parsed, Vec<Diag>> {
    parse_dated(text, path, None)
}

/// [`parse`], with the date the file's name starts with (`2015-03-17-slug.md`), which stands
/// in for a missing `date`.
pub fn parse_dated(
    text: &Arc<str>,
    path: &str,
    file_date: Option<BriefDate>,
) -> Result<Parsed, Vec<Diag>> {
    let split = split(text).map_err(|(code, message, offset, help)| {
        let mut d = Diag::error(code, message)
            .in_file(path)
            .at_offset(text, offset);
        d.help = help;
        vec![d]
    })?;
    let src = Source {
        text,
        path,
        yaml: &text[split.yaml_start..split.yaml_end],
        yaml_start: split.yaml_start,
        anchor: split.yaml_start,
        noun: "",
        codes: &FRONT_MATTER,
    };
    let problem = |d: Diag, at: usize| vec![d.in_file(path).at_offset(text, at)];
    let read = if split.toml {
        super::toml_front::mapping(src)
    } else {
        Mapping::parse(src)
    };
    let mut m = match read {
        Ok(m) => m,
        Err(NotAMapping::Invalid { message, at, .. }) if split.toml => {
            let d = Diag::error(
                "front-matter/toml",
                format!("front-matter is not valid TOML: {message}"),
            )
            .with_help(
                "write one `key = value` per line, text in quotes: title = \"Spend by region\"",
            );
            return Err(problem(d, at));
        }
        Err(NotAMapping::Invalid { message, at, help }) => {
            let help = help.map_or_else(|| yaml_help(&message), String::from);
            let d = Diag::error(
                "front-matter/yaml",
                format!("front-matter is not valid YAML: {message}"),
            );
            return Err(problem(d.with_help(help), at));
        }
        Err(NotAMapping::Empty) => {
            let d = Diag::error("front-matter/not-a-mapping", "front-matter is empty").with_help(
                if split.toml {
                    "add at least `title = \"...\"` and `date = YYYY-MM-DD`"
                } else {
                    "add at least `title: ...` and `date: YYYY-MM-DD`"
                },
            );
            return Err(problem(d, split.yaml_start));
        }
        Err(NotAMapping::Other(kind)) => {
            let d = Diag::error(
                "front-matter/not-a-mapping",
                format!("front-matter must be a mapping of keys to values, not {kind}"),
            )
            .with_help("write one `key: value` per line, e.g. `title: Spend by region`");
            return Err(problem(d, split.yaml_start));
        }
    };
    let front = front_matter(&mut m, file_date);
    match front {
        Some(front) if !m.failed() => Ok(Parsed {
            front,
            body_start: split.body_start,
            warnings: m.problems,
        }),
        _ => Err(m.problems),
    }
}

/// The parser's message is serde_yaml's (see yaml.rs); a help line for the common ones.
fn yaml_help(message: &str) -> String {
    if message.contains("mapping values are not allowed") {
        "a value that holds `: ` must be quoted, e.g. title: \"AI: the year ahead\"".to_string()
    } else if message.contains("invalid type: integer") {
        "the number is too large to read; quote it to keep it as text, e.g. title: \"123456789012345678901\"".to_string()
    } else if message.contains("tab character") {
        "indent YAML with spaces, not tabs".to_string()
    } else if message.contains("duplicate") {
        "each key may appear once; remove or merge the repeated key".to_string()
    } else {
        "check the line for unbalanced quotes or brackets; quote values that hold `:` or `#`"
            .to_string()
    }
}

/// Every key of a brief's front-matter, each checked; `None` when a required one is missing.
fn front_matter(m: &mut Mapping, file_date: Option<BriefDate>) -> Option<FrontMatter> {
    let title = required_text(m, "title", "title: Spend by region");
    let date = match file_date {
        Some(from_name) if !m.has("date") => Some(from_name),
        _ => date_of(m, "date", true),
    };
    let summary_key = other_name(m, "summary", &["description", "excerpt"]);
    let summary = m.text_of(summary_key).filter(|s| !s.trim().is_empty());
    let mut tags = m.names_of("tags");
    if m.has("categories") {
        let categories = m.names_of("categories");
        m.warning(
            "front-matter/other-name",
            "categories",
            "`categories` is read as `tags` (merged with them); rename it to silence this warning"
                .to_string(),
            "write the names in `tags: [...]` instead (Hugo and Jekyll call them categories)",
        );
        let mut seen: std::collections::HashSet<String> =
            tags.iter().map(|t| term_key(t)).collect();
        for name in categories {
            if seen.insert(term_key(&name)) {
                tags.push(name);
            }
        }
    }
    let regions = m.names_of("regions");
    let authors = m.names_of("authors");
    let slug = m.text_of("slug");
    let updated_key = other_name(m, "updated", &["lastmod"]);
    let updated = date_of(m, updated_key, false);
    let publish_key = other_name(m, "publish_date", &["publishDate"]);
    let publish_date = date_of(m, publish_key, false);
    let expiry_key = other_name(m, "expiry_date", &["expiryDate"]);
    let expiry_date = date_of(m, expiry_key, false);
    let draft = m
        .bool_of("draft", "write `draft: true` or `draft: false`")
        .unwrap_or(false);
    let values = super::values::definitions(m);
    let mut extra = BTreeMap::new();
    for (key, value) in m.rest() {
        if let Some(known) = did_you_mean(&key, &KNOWN_KEYS) {
            let d = Diag::warning(
                "front-matter/unknown-key",
                format!("unknown front-matter key `{key}`: did you mean `{known}`?"),
            )
            .with_help(format!(
                "rename it to `{known}`; as written it is kept only as `extra.{key}` for templates"
            ));
            let d = m.diag_at(d, m.key_at(&key));
            m.problems.push(d);
        }
        extra.insert(key, value);
    }
    Some(FrontMatter {
        title: title?,
        date: date?,
        summary,
        tags,
        regions,
        slug,
        draft,
        updated,
        publish_date,
        expiry_date,
        authors,
        values,
        extra,
    })
}

/// The key to read `ours` from: itself when present, or else the first of `theirs` (Hugo's and
/// Jekyll's names for it) present, with a warning naming the key briefing calls it.
fn other_name<'k>(m: &mut Mapping, ours: &'k str, theirs: &[&'k str]) -> &'k str {
    if m.has(ours) {
        return ours;
    }
    let Some(&key) = theirs.iter().find(|k| m.has(k)) else {
        return ours;
    };
    m.warning(
        "front-matter/other-name",
        key,
        format!("`{key}` is read as `{ours}`; rename it to silence this warning"),
        format!("write `{ours}:` (`{key}` is what Hugo or Jekyll calls it)"),
    );
    key
}

fn required_text(m: &mut Mapping, key: &str, example: &str) -> Option<String> {
    if !m.has(key) {
        m.error(
            "front-matter/missing-key",
            None,
            format!("front-matter has no `{key}`"),
            format!("add a line `{example}`"),
        );
        return None;
    }
    let before = m.problems.len();
    match m.text_of(key) {
        Some(s) if !s.trim().is_empty() => Some(s),
        _ => {
            if m.problems.len() == before {
                let help = format!("write it as `{example}`");
                m.error(
                    "front-matter/missing-key",
                    Some(key),
                    format!("`{key}` is empty"),
                    help,
                );
            }
            None
        }
    }
}

fn date_of(m: &mut Mapping, key: &str, required: bool) -> Option<BriefDate> {
    const HELP: &str = "write the date as YYYY-MM-DD (2025-11-20), as an RFC 3339 date-time (2025-11-20T09:30:00Z) or as 2025-11-20 09:30:00 -0400";
    let Some(value) = m.take(key) else {
        if required {
            m.error(
                "front-matter/missing-key",
                None,
                format!("front-matter has no `{key}`"),
                format!(
                    "add a line `{key}: 2025-11-20`, or start the file's name with the date (2025-11-20-{{slug}}.md)"
                ),
            );
        }
        return None;
    };
    let text = match &value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            let message = format!("`{key}` must be a date, not {}", kind(other));
            m.error("front-matter/wrong-type", Some(key), message, HELP);
            return None;
        }
    };
    let parsed = BriefDate::parse(&text);
    if parsed.is_none() {
        m.error(
            "front-matter/bad-value",
            Some(key),
            format!("`{key}` is not a valid date: {text:?}"),
            HELP,
        );
    }
    parsed
}

#[cfg(test)]
#[path = "frontmatter_tests.rs"]
mod tests;
