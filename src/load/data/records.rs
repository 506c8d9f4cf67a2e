//! JSON and YAML data files: a list of objects whose keys are the columns.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::{MAX_CELLS, RawTable};
use crate::diag::Diag;
use crate::yaml;

/// A record of a JSON or YAML file: its line and its key/value pairs in written order.
pub(super) type Record = (usize, Vec<(String, Value)>);

pub(super) fn json_records(text: &Arc<str>, shown: &str) -> Result<Vec<Record>, Vec<Diag>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let offset = line_col_offset(text, e.line(), e.column());
        vec![
            Diag::error("data/json", format!("data file is not valid JSON: {e}"))
                .in_file(shown)
                .at_offset(text, offset),
        ]
    })?;
    let lines = object_lines(text);
    records_of(
        value,
        &lines,
        text,
        shown,
        "an array of objects, e.g. [{\"region\": \"France\", \"spend\": 1.5}]",
    )
}

pub(super) fn yaml_records(text: &Arc<str>, shown: &str) -> Result<Vec<Record>, Vec<Diag>> {
    let value = yaml::parse(text).map_err(|e| {
        let d = Diag::error(
            "data/yaml",
            format!("data file is not valid YAML: {}", e.message),
        )
        .in_file(shown)
        .at_offset(text, e.offset.unwrap_or(0));
        vec![match e.help {
            Some(help) => d.with_help(help),
            None => d,
        }]
    })?;
    let lines = list_item_lines(text);
    records_of(
        value,
        &lines,
        text,
        shown,
        "a list of maps, e.g. - {region: France, spend: 1.5}",
    )
}

fn records_of(
    value: Value,
    lines: &[usize],
    text: &Arc<str>,
    shown: &str,
    expected: &str,
) -> Result<Vec<Record>, Vec<Diag>> {
    let Value::Array(items) = value else {
        return Err(vec![
            Diag::error("data/shape", format!("data file must hold {expected}"))
                .in_file(shown)
                .at_offset(text, 0),
        ]);
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        match item {
            Value::Object(map) => out.push((line, map.into_iter().collect())),
            _ => {
                return Err(vec![
                    Diag::error(
                        "data/shape",
                        format!("entry {} is not an object of column values", i + 1),
                    )
                    .in_file(shown)
                    .at_offset(text, line_col_offset(text, line, 1))
                    .with_help(format!("the file must hold {expected}")),
                ]);
            }
        }
    }
    Ok(out)
}

pub(super) fn read_records(
    text: &Arc<str>,
    shown: &str,
    records: Vec<Record>,
) -> Result<RawTable, Vec<Diag>> {
    // Columns in first-seen order, with an index: a list and a per-key scan were quadratic in
    // the number of keys (80,000 keys took 25 s).
    let mut columns: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (_, fields) in &records {
        for (k, _) in fields {
            if !index.contains_key(k) {
                index.insert(k.clone(), columns.len());
                columns.push(k.clone());
            }
        }
    }
    if columns.len().saturating_mul(records.len()) > MAX_CELLS {
        return Err(vec![
            Diag::error(
                "data/too-large",
                format!("data file has more than {MAX_CELLS} cells"),
            )
            .in_file(shown),
        ]);
    }
    let mut rows = Vec::with_capacity(records.len());
    for (line, fields) in records {
        let mut cells = vec![None; columns.len()];
        for (k, v) in fields {
            let Some(&i) = index.get(&k) else {
                continue;
            };
            cells[i] = match v {
                Value::Null => None,
                Value::String(s) => Some(s),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Array(_) | Value::Object(_) => {
                    return Err(vec![
                        Diag::error(
                            "data/shape",
                            format!("column \"{k}\" holds a nested list or object"),
                        )
                        .in_file(shown)
                        .at_offset(text, line_col_offset(text, line, 1))
                        .with_help("each value must be a number or text"),
                    ]);
                }
            };
        }
        rows.push((line, cells));
    }
    Ok(RawTable {
        columns,
        rows,
        warnings: Vec::new(),
    })
}

/// The 1-based line of each top-level object in a JSON array, found by a scan that respects
/// strings, since serde_json keeps no positions.
fn object_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1usize, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                if depth == 1 && c == '{' {
                    out.push(line);
                }
                depth += 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// The 1-based line of each top-level `- ` item of a YAML list.
pub fn list_item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect()
}

fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}
