//! Splitting a brief into its YAML front-matter and Markdown body, and validating the
//! front-matter into a [`FrontMatter`].
//!
//! Positions matter here: every problem is reported at its line and column in the `.md` file,
//! so the offset where the YAML starts travels with the YAML text.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::diag::{Diag, did_you_mean};
use crate::model::{BriefDate, FrontMatter};
use crate::yaml;

pub const KNOWN_KEYS: [&str; 9] = [
    "title", "date", "summary", "tags", "regions", "slug", "draft", "updated", "authors",
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
}

/// Finds the front-matter: a first line `---` and the next line that is `---`.
pub fn split(text: &str) -> Result<Split, (String, usize, Option<String>)> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    if first != "---" {
        let (message, help) = if first == "+++" {
            (
                "TOML front-matter (+++) is not supported".to_string(),
                "briefing reads YAML front-matter: replace the +++ lines with --- and write keys as `title: ...`",
            )
        } else if text.trim().is_empty() {
            (
                "the file is empty".to_string(),
                "a brief starts with front-matter: ---, then `title:` and `date:` lines, then ---",
            )
        } else if text.trim_start().starts_with("---") {
            (
                "front-matter must start on the first line".to_string(),
                "remove the blank lines before the opening ---",
            )
        } else {
            (
                "the brief has no front-matter".to_string(),
                "start the file with a line ---, then `title:` and `date:` lines, then a line ---",
            )
        };
        return Err((message, 0, Some(help.to_string())));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "---" {
            return Ok(Split {
                yaml_start,
                yaml_end: pos,
                body_start: (end + 1).min(text.len()),
            });
        }
        pos = end + 1;
    }
    Err((
        "front-matter opened on line 1 is never closed".to_string(),
        0,
        Some("add a line with --- after the last front-matter key".to_string()),
    ))
}

/// A brief's front-matter, validated, with the warnings it raised.
pub struct Parsed {
    pub front: FrontMatter,
    pub body_start: usize,
    pub warnings: Vec<Diag>,
}

/// Splits and validates a brief. Every problem found is returned, not just the first.
pub fn parse(text: &Arc<str>, path: &str) -> Result<Parsed, Vec<Diag>> {
    let split = split(text).map_err(|(message, offset, help)| {
        let mut d = Diag::error(message).in_file(path).at_offset(text, offset);
        d.help = help;
        vec![d]
    })?;
    let yaml_text = &text[split.yaml_start..split.yaml_end];
    let value = yaml::parse(yaml_text).map_err(|e| {
        let offset = split.yaml_start + e.offset.unwrap_or(0).min(yaml_text.trim_end().len());
        vec![
            Diag::error(format!("front-matter is not valid YAML: {}", e.message))
                .in_file(path)
                .at_offset(text, offset)
                .with_help(e.help.map_or_else(|| yaml_help(&e.message), String::from)),
        ]
    })?;
    let mut fields = Fields {
        text,
        path,
        yaml_start: split.yaml_start,
        keys: yaml::key_offsets(yaml_text),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let map = match value {
        Value::Object(map) => map,
        Value::Null => {
            return Err(vec![
                fields
                    .error_at(0, "front-matter is empty")
                    .with_help("add at least `title: ...` and `date: YYYY-MM-DD`"),
            ]);
        }
        other => {
            return Err(vec![
                fields
                    .error_at(
                        0,
                        format!(
                            "front-matter must be a mapping of keys to values, not {}",
                            kind(&other)
                        ),
                    )
                    .with_help("write one `key: value` per line, e.g. `title: Spend by region`"),
            ]);
        }
    };
    let front = fields.front_matter(map);
    if !fields.errors.is_empty() {
        return Err(fields.errors);
    }
    match front {
        Some(front) => Ok(Parsed {
            front,
            body_start: split.body_start,
            warnings: fields.warnings,
        }),
        None => Err(fields.errors),
    }
}

fn yaml_help(message: &str) -> String {
    if message.contains("mapping values are not allowed") {
        "a value that holds `: ` must be quoted, e.g. title: \"AI: the year ahead\"".to_string()
    } else if message.contains("invalid type: integer") {
        "the number is too large to read; quote it to keep it as text, e.g. title: \"123456789012345678901\"".to_string()
    } else if message.contains("tab") {
        "indent YAML with spaces, not tabs".to_string()
    } else if message.contains("duplicate") {
        "each key may appear once; remove or merge the repeated key".to_string()
    } else {
        "check the line for unbalanced quotes or brackets; quote values that hold `:` or `#`"
            .to_string()
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Validation state for one brief's keys.
struct Fields<'a> {
    text: &'a Arc<str>,
    path: &'a str,
    yaml_start: usize,
    keys: Vec<(String, usize)>,
    errors: Vec<Diag>,
    warnings: Vec<Diag>,
}

impl Fields<'_> {
    fn offset_of(&self, key: &str) -> usize {
        let within = self
            .keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(0, |&(_, o)| o);
        self.yaml_start + within
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> Diag {
        Diag::error(message)
            .in_file(self.path)
            .at_offset(self.text, self.yaml_start + offset)
    }

    fn key_error(&mut self, key: &str, message: String, help: &str) {
        let d = Diag::error(message)
            .in_file(self.path)
            .at_offset(self.text, self.offset_of(key))
            .with_help(help);
        self.errors.push(d);
    }

    fn front_matter(&mut self, mut map: serde_json::Map<String, Value>) -> Option<FrontMatter> {
        let title = self.required_text(&mut map, "title", "title: Spend by region");
        let date = self.date(&mut map, "date", true);
        let summary = self
            .text_value(&mut map, "summary")
            .filter(|s| !s.trim().is_empty());
        let tags = self.list(&mut map, "tags");
        let regions = self.list(&mut map, "regions");
        let authors = self.list(&mut map, "authors");
        let slug = self.text_value(&mut map, "slug");
        let updated = self.date(&mut map, "updated", false);
        let draft = match map.remove("draft") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(other) => {
                self.key_error(
                    "draft",
                    format!("`draft` must be true or false, not {}", kind(&other)),
                    "write `draft: true` or `draft: false`",
                );
                false
            }
        };
        let mut extra = BTreeMap::new();
        for (key, value) in map {
            if let Some(known) = did_you_mean(&key, &KNOWN_KEYS) {
                let d = Diag::warning(format!(
                    "unknown front-matter key `{key}`: did you mean `{known}`?"
                ))
                .in_file(self.path)
                .at_offset(self.text, self.offset_of(&key))
                .with_help(format!(
                    "rename it to `{known}`; as written it is kept only as `extra.{key}` for templates"
                ));
                self.warnings.push(d);
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
            authors,
            extra,
        })
    }

    fn required_text(
        &mut self,
        map: &mut serde_json::Map<String, Value>,
        key: &str,
        example: &str,
    ) -> Option<String> {
        if !map.contains_key(key) {
            let d = self
                .error_at(0, format!("front-matter has no `{key}`"))
                .with_help(format!("add a line `{example}`"));
            self.errors.push(d);
            return None;
        }
        let errors_before = self.errors.len();
        match self.text_value(map, key) {
            Some(s) if !s.trim().is_empty() => Some(s),
            _ => {
                if self.errors.len() == errors_before {
                    let help = format!("write it as `{example}`");
                    self.key_error(key, format!("`{key}` is empty"), &help);
                }
                None
            }
        }
    }

    /// A scalar as text: numbers and booleans are accepted as written (`title: 1984`).
    fn text_value(
        &mut self,
        map: &mut serde_json::Map<String, Value>,
        key: &str,
    ) -> Option<String> {
        match map.remove(key)? {
            Value::Null => None,
            Value::String(s) => Some(s),
            // A number keeps the digits the editor typed (`1984`, `1.50`), not a float's.
            v @ Value::Number(_) => Some(self.raw_scalar(key).unwrap_or_else(|| v.to_string())),
            v @ Value::Bool(_) => Some(v.to_string()),
            other => {
                self.key_error(
                    key,
                    format!("`{key}` must be text, not {}", kind(&other)),
                    &format!("write `{key}: some text` on one line; quote it if it holds `:`"),
                );
                None
            }
        }
    }

    /// The value of `key: value` as written on its line, without a trailing comment.
    fn raw_scalar(&self, key: &str) -> Option<String> {
        let start = self.offset_of(key);
        let line = self.text[start..].lines().next()?;
        let value = line.split_once(':')?.1;
        let value = value.split(" #").next()?.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    /// A list of names; a single name is taken as a list of one.
    fn list(&mut self, map: &mut serde_json::Map<String, Value>, key: &str) -> Vec<String> {
        let items = match map.remove(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(Value::String(s)) => vec![Value::String(s)],
            Some(other) => {
                self.key_error(
                    key,
                    format!("`{key}` must be a list of names, not {}", kind(&other)),
                    &format!("write `{key}: [France, Kazakhstan]` or one `- name` per line"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::Null => {}
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) => out.push(s.trim().to_string()),
                v @ (Value::Number(_) | Value::Bool(_)) => out.push(v.to_string()),
                other => {
                    self.key_error(
                        key,
                        format!(
                            "every entry of `{key}` must be a name, not {}",
                            kind(&other)
                        ),
                        &format!("write `{key}: [France, Kazakhstan]`"),
                    );
                    return Vec::new();
                }
            }
        }
        out
    }

    fn date(
        &mut self,
        map: &mut serde_json::Map<String, Value>,
        key: &str,
        required: bool,
    ) -> Option<BriefDate> {
        const HELP: &str = "write the date as YYYY-MM-DD (2025-11-20) or as an RFC 3339 date-time (2025-11-20T09:30:00Z)";
        let value = match map.remove(key) {
            None | Some(Value::Null) => {
                if required {
                    let d = self
                        .error_at(0, format!("front-matter has no `{key}`"))
                        .with_help(format!("add a line `{key}: 2025-11-20`"));
                    self.errors.push(d);
                }
                return None;
            }
            Some(v) => v,
        };
        let text = match &value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                self.key_error(
                    key,
                    format!("`{key}` must be a date, not {}", kind(other)),
                    HELP,
                );
                return None;
            }
        };
        match BriefDate::parse(&text) {
            Some(d) => Some(d),
            None => {
                self.key_error(key, format!("`{key}` is not a valid date: {text:?}"), HELP);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Parsed, Vec<Diag>> {
        parse(&Arc::from(text), "b.md")
    }

    #[test]
    fn splits_front_matter_from_body() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!((s.yaml_start, s.yaml_end, s.body_start), (4, 13, 17));
    }

    #[test]
    fn yaml_error_is_reported_at_its_line_in_the_md_file() {
        let errs = parse_str("---\ntitle: ok\ndate: [2025\n---\n")
            .err()
            .unwrap();
        let at = errs[0].at.unwrap();
        assert!(at.line >= 3, "line {}", at.line);
    }

    #[test]
    fn all_problems_are_collected() {
        let errs = parse_str("---\ntitle: [a]\ndate: 2025-02-30\n---\n")
            .err()
            .unwrap();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].at.unwrap().line, 2);
        assert_eq!(errs[1].at.unwrap().line, 3);
    }

    #[test]
    fn misspelt_keys_warn_and_are_kept() {
        let p = parse_str("---\ntitle: a\ndate: 2025-01-01\nregion: [France]\n---\n")
            .ok()
            .unwrap();
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].message.contains("did you mean `regions`"));
        assert!(p.front.extra.contains_key("region"));
    }
}
