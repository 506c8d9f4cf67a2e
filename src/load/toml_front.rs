//! TOML front-matter between `+++` lines (Hugo's default), read into the same map of
//! `serde_json` values, with the same key offsets, as YAML front-matter: one validator
//! ([`Mapping`]) checks both, and problems point at the same lines.

use serde_json::{Map, Value};
use toml::de::DeTable;

use super::fields::{Mapping, NotAMapping, Source};

/// How toml's serde support hands over a date-time: a one-key table.
const DATETIME_FIELD: &str = "$__toml_private_datetime";

/// Parses the TOML of `src` (its `yaml` field holds the TOML text) as a mapping.
pub(crate) fn mapping(src: Source<'_>) -> Result<Mapping<'_>, NotAMapping> {
    let text = src.yaml;
    // The parser stops past a depth of 80 itself, so hostile nesting cannot exhaust the stack.
    let value: Value = toml::from_str(text).map_err(|e| NotAMapping::Invalid {
        message: e.message().trim().to_string(),
        at: src.yaml_start + e.span().map_or(0, |r| r.start).min(text.trim_end().len()),
        help: None,
    })?;
    let map = match dates_as_text(value) {
        Value::Object(map) if map.is_empty() => return Err(NotAMapping::Empty),
        Value::Object(map) => map,
        // A TOML document is always a table.
        _ => return Err(NotAMapping::Empty),
    };
    Ok(Mapping::from_map(src, map, key_offsets(text), '='))
}

/// Every top-level key with the offset where it is written.
fn key_offsets(text: &str) -> Vec<(String, usize)> {
    let Ok(table) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut keys: Vec<(String, usize)> = table
        .get_ref()
        .iter()
        .map(|(k, _)| (k.get_ref().to_string(), k.span().start))
        .collect();
    // A key's offset is the start of its line, as for YAML (quoted keys start at the quote).
    for (_, at) in &mut keys {
        *at = text[..*at].rfind('\n').map_or(0, |i| i + 1);
    }
    keys
}

/// TOML dates and date-times as the text they were written as (`2025-11-20`,
/// `2025-11-20T09:30:00Z`), as YAML front-matter gives them.
fn dates_as_text(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(Value::String(s)) = map.get(DATETIME_FIELD)
            {
                return Value::String(s.clone());
            }
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, dates_as_text(v)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(dates_as_text).collect()),
        other => other,
    }
}
