//! The `format` key (docs/values.md) read into a [`NumberFormat`], through the same
//! validator as every other key: `format: compact` (a style alone), or a mapping
//! `format: {decimals: 1, style: percent, grouping: false}`; `decimals: 1` beside `format` is
//! read as `format: {decimals: 1}`.

use serde_json::Value;

use super::fields::Mapping;
use crate::diag::Diag;
use crate::model::format::{MAX_DECIMALS, NumberFormat, Style};

const KEYS: [&str; 3] = ["decimals", "style", "grouping"];

const HELP: &str = "write `format: {decimals: 1}`, `format: compact`, `format: percent` or `format: {style: compact, decimals: 2}`";

/// `format` (and `decimals`) of the mapping `m`, whose text runs to `to`; problems go to `m`.
pub(crate) fn read(m: &mut Mapping, to: usize) -> NumberFormat {
    let mut format = NumberFormat::DEFAULT;
    let decimals_help = "write `decimals: 1` for one place after the decimal point";
    let alias = m.count_of("decimals", 0..=u64::from(MAX_DECIMALS), decimals_help);
    match m.take("format") {
        None => {}
        Some(Value::String(name)) => match Style::parse(&name.trim().to_lowercase()) {
            Some(style) => format.style = style,
            None => {
                let message = format!(
                    "`format` must be a style (plain, compact, percent) or a mapping, not {name:?}"
                );
                m.value_error(m.codes().bad_value, "format", message, HELP);
            }
        },
        Some(Value::Object(map)) => {
            let from = m.value_at("format");
            let problems = nested_format(m, map, from, to, &mut format);
            m.problems.extend(problems);
        }
        Some(other) => {
            let message = format!(
                "`format` must be a style or a mapping, not {}",
                super::fields::kind(&other)
            );
            m.value_error(m.codes().wrong_type, "format", message, HELP);
        }
    }
    if let Some(n) = alias {
        if format.decimals.is_some() {
            m.error(
                m.codes().bad_value,
                Some("decimals"),
                "`decimals` is given twice: beside `format` and in it".to_string(),
                "keep one: `format: {decimals: 1}`",
            );
        }
        format.decimals = Some(n as u8);
    }
    format
}

/// The keys of a `format:` mapping, checked by a mapping of their own.
fn nested_format(
    m: &Mapping,
    map: serde_json::Map<String, Value>,
    from: usize,
    to: usize,
    format: &mut NumberFormat,
) -> Vec<Diag> {
    let noun = format!("{}format ", m.noun());
    let mut f = m.nested(map, from, to, &noun, m.codes());
    if let Some(n) = f.count_of(
        "decimals",
        0..=u64::from(MAX_DECIMALS),
        "write `decimals: 1` for one place after the decimal point",
    ) {
        format.decimals = Some(n as u8);
    }
    if let Some(style) = f.choice_of("style", &Style::NAMES, Style::parse) {
        format.style = style;
    }
    if let Some(g) = f.bool_of(
        "grouping",
        "write `grouping: false` to write 2025 rather than 2,025",
    ) {
        format.grouping = g;
    }
    f.unknown_keys(&KEYS, false);
    f.problems
}
