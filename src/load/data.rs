//! Data files (`content/data/`): CSV, TSV, JSON and YAML into a [`DataTable`] of typed cells.
//!
//! Knows nothing of charts. Every problem names the data file with its line and column.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::number::{self, DecimalMark};
use super::source;
use crate::diag::Diag;
use crate::model::chart::{Cell, DataTable, Number, Row};
use crate::yaml;

/// Data tables wider or longer than this are refused: no chart can show them, and the cap
/// keeps one file from exhausting memory.
pub const MAX_CELLS: usize = 5_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Delimited(Option<u8>),
    Json,
    Yaml,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => Some(Format::Delimited(None)),
        "tsv" | "tab" => Some(Format::Delimited(Some(b'\t'))),
        "json" => Some(Format::Json),
        "yaml" | "yml" => Some(Format::Yaml),
        _ => None,
    }
}

/// Reads one data file. `shown` is its path relative to the site folder.
pub fn read_table(path: &Path, shown: &str) -> Result<(DataTable, Vec<Diag>), Vec<Diag>> {
    let Some(format) = format_of(path) else {
        return Err(vec![
            Diag::error("unknown data file type")
                .in_file(shown)
                .with_help("data files are .csv, .tsv, .json (an array of objects) or .yaml (a list of maps)"),
        ]);
    };
    let text = source::read_text(path, shown).map_err(|d| vec![d])?;
    parse_table(&text, shown, format)
}

/// Parses a data file's bytes as a file named `shown` would be read (its extension picks the
/// format). Used by the fuzz targets and by tools that hold the bytes already.
pub fn parse_bytes(bytes: &[u8], shown: &str) -> Result<(DataTable, Vec<Diag>), Vec<Diag>> {
    let Some(format) = format_of(Path::new(shown)) else {
        return Err(vec![Diag::error("unknown data file type").in_file(shown)]);
    };
    let text = source::decode(bytes).map_err(|d| vec![d.in_file(shown)])?;
    parse_table(&text, shown, format)
}

fn parse_table(
    text: &Arc<str>,
    shown: &str,
    format: Format,
) -> Result<(DataTable, Vec<Diag>), Vec<Diag>> {
    let raw = match format {
        Format::Delimited(delim) => read_delimited(text, shown, delim)?,
        Format::Json => read_records(text, shown, json_records(text, shown)?)?,
        Format::Yaml => read_records(text, shown, yaml_records(text, shown)?)?,
    };
    Ok(type_cells(raw, text, shown))
}

/// Rows of text cells before numbers are recognised.
struct RawTable {
    columns: Vec<String>,
    rows: Vec<(usize, Vec<Option<String>>)>,
    warnings: Vec<Diag>,
}

/// The delimiter of a CSV file: the most frequent of `,`, `;` and tab in its header line,
/// counted outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

fn read_delimited(text: &Arc<str>, shown: &str, delim: Option<u8>) -> Result<RawTable, Vec<Diag>> {
    let delim = delim.unwrap_or_else(|| detect_delimiter(text));
    if let Some(open) = unterminated_quote(text, delim) {
        return Err(vec![
            Diag::error("quoted field is never closed: the rest of the file would be one cell")
                .in_file(shown)
                .at_offset(text, open)
                .with_help("add the closing double quote; a quote inside a quoted field is written twice (\"\")"),
        ]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(vec![
                Diag::error("data file is empty").in_file(shown).with_help(
                    "the first line names the columns, e.g. investor,region,year,spend_usd_bn",
                ),
            ]);
        }
        Some(Err(e)) => return Err(vec![csv_diag(&e, text, shown)]),
        Some(Ok(h)) => h,
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let columns = header_names(header.iter(), text, 0, shown, &mut errors, &mut warnings);
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_diag(&e, text, shown));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut fields: Vec<Option<String>> = record.iter().map(|f| Some(f.to_string())).collect();
        if fields.len() > columns.len() {
            let extra_filled = fields[columns.len()..]
                .iter()
                .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()));
            if extra_filled {
                errors.push(
                    Diag::error(format!(
                        "row has {} fields but the header names {} columns",
                        fields.len(),
                        columns.len()
                    ))
                    .in_file(shown)
                    .at_offset(text, offset)
                    .with_help("add the missing column names to the first line, or quote fields that contain the delimiter"),
                );
                continue;
            }
            fields.truncate(columns.len());
        } else if fields.len() < columns.len() {
            warnings.push(
                Diag::warning(format!(
                    "row has {} fields but the header names {} columns; the missing cells are empty",
                    fields.len(),
                    columns.len()
                ))
                .in_file(shown)
                .at_offset(text, offset),
            );
            fields.resize(columns.len(), None);
        }
        cells += fields.len();
        if cells > MAX_CELLS {
            errors.push(
                Diag::error(format!("data file has more than {MAX_CELLS} cells"))
                    .in_file(shown)
                    .at_offset(text, offset),
            );
            break;
        }
        rows.push((line, fields));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(RawTable {
        columns,
        rows,
        warnings,
    })
}

/// The offset of a quote that opens a field and is never closed (the csv crate would read the
/// rest of the file into that one cell without complaint).
fn unterminated_quote(text: &str, delim: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut quoted, mut open, mut i) = (false, 0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && (i == 0 || bytes[i - 1] == delim || bytes[i - 1] == b'\n') {
            quoted = true;
            open = i;
        }
        i += 1;
    }
    quoted.then_some(open)
}

fn csv_diag(e: &csv::Error, text: &Arc<str>, shown: &str) -> Diag {
    let offset = e.position().map_or(0, |p| p.byte() as usize);
    Diag::error(format!("cannot read CSV: {e}"))
        .in_file(shown)
        .at_offset(text, offset)
        .with_help("check for an unterminated quote; a field holding the delimiter or a line break must be in double quotes")
}

/// Validates header names: blank names get `column N` and a warning, duplicates are errors.
fn header_names<'a>(
    names: impl Iterator<Item = &'a str>,
    text: &Arc<str>,
    header_offset: usize,
    shown: &str,
    errors: &mut Vec<Diag>,
    warnings: &mut Vec<Diag>,
) -> Vec<String> {
    let header_line = &text[header_offset
        ..text[header_offset..]
            .find('\n')
            .map_or(text.len(), |i| header_offset + i)];
    let mut out: Vec<String> = Vec::new();
    for (i, name) in names.enumerate() {
        let name = name.trim();
        let at = header_offset
            + header_line
                .find(name)
                .filter(|_| !name.is_empty())
                .unwrap_or(0);
        if name.is_empty() {
            warnings.push(
                Diag::warning(format!(
                    "column {} has no name; calling it \"column {}\"",
                    i + 1,
                    i + 1
                ))
                .in_file(shown)
                .at_offset(text, at)
                .with_help("name every column in the first line"),
            );
            out.push(format!("column {}", i + 1));
        } else if out.iter().any(|c| c == name) {
            errors.push(
                Diag::error(format!(
                    "column name \"{name}\" appears twice in the header"
                ))
                .in_file(shown)
                .at_offset(text, header_offset + header_line.rfind(name).unwrap_or(0))
                .with_help("give each column a distinct name"),
            );
            out.push(name.to_string());
        } else {
            out.push(name.to_string());
        }
    }
    out
}

/// A record of a JSON or YAML file: its line and its key/value pairs in written order.
type Record = (usize, Vec<(String, Value)>);

fn json_records(text: &Arc<str>, shown: &str) -> Result<Vec<Record>, Vec<Diag>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let offset = line_col_offset(text, e.line(), e.column());
        vec![
            Diag::error(format!("data file is not valid JSON: {e}"))
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

fn yaml_records(text: &Arc<str>, shown: &str) -> Result<Vec<Record>, Vec<Diag>> {
    let value = yaml::parse(text).map_err(|e| {
        vec![
            Diag::error(format!("data file is not valid YAML: {}", e.message))
                .in_file(shown)
                .at_offset(text, e.offset.unwrap_or(0)),
        ]
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
            Diag::error(format!("data file must hold {expected}"))
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
                    Diag::error(format!("entry {} is not an object of column values", i + 1))
                        .in_file(shown)
                        .at_offset(text, line_col_offset(text, line, 1))
                        .with_help(format!("the file must hold {expected}")),
                ]);
            }
        }
    }
    Ok(out)
}

fn read_records(text: &Arc<str>, shown: &str, records: Vec<Record>) -> Result<RawTable, Vec<Diag>> {
    let mut columns: Vec<String> = Vec::new();
    for (_, fields) in &records {
        for (k, _) in fields {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    if columns.len().saturating_mul(records.len()) > MAX_CELLS {
        return Err(vec![
            Diag::error(format!("data file has more than {MAX_CELLS} cells")).in_file(shown),
        ]);
    }
    let mut rows = Vec::with_capacity(records.len());
    for (line, fields) in records {
        let mut cells = vec![None; columns.len()];
        for (k, v) in fields {
            let Some(i) = columns.iter().position(|c| *c == k) else {
                continue;
            };
            cells[i] = match v {
                Value::Null => None,
                Value::String(s) => Some(s),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Array(_) | Value::Object(_) => {
                    return Err(vec![
                        Diag::error(format!("column \"{k}\" holds a nested list or object"))
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

/// Recognises numbers once the file's decimal mark is known; reports a header-only file.
fn type_cells(raw: RawTable, text: &Arc<str>, shown: &str) -> (DataTable, Vec<Diag>) {
    let mut warnings = raw.warnings;
    let mark = number::detect_mark(
        raw.rows
            .iter()
            .flat_map(|(_, r)| r.iter().flatten().map(String::as_str)),
    );
    if mark == DecimalMark::Comma {
        warnings.push(
            Diag::warning(
                "numbers in this file use a decimal comma (1 234,5); reading them that way",
            )
            .in_file(shown),
        );
    }
    if raw.rows.is_empty() {
        warnings.push(
            Diag::warning("data file has a header but no rows")
                .in_file(shown)
                .at_offset(text, 0),
        );
    }
    // Equal texts share one allocation (regions, sectors and "n/a" repeat on every row).
    let mut pool: std::collections::HashMap<String, Arc<str>> = std::collections::HashMap::new();
    let mut text = |s: &str| -> Arc<str> {
        match pool.get(s) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = Arc::from(s);
                pool.insert(s.to_string(), shared.clone());
                shared
            }
        }
    };
    let rows = raw
        .rows
        .into_iter()
        .map(|(line, cells)| Row {
            line,
            cells: cells
                .into_iter()
                .map(|c| match c {
                    None => Cell::Empty,
                    Some(s) if s.trim().is_empty() => Cell::Empty,
                    Some(s) => match number::parse(&s, mark) {
                        Some(n) => Cell::Number(n),
                        None => Cell::Text(text(s.trim())),
                    },
                })
                .collect(),
        })
        .collect();
    (
        DataTable {
            path: shown.to_string(),
            columns: raw.columns,
            rows,
        },
        warnings,
    )
}

/// Inline `rows:` of a chart block: a list of maps already parsed from the brief's YAML.
/// `lines` holds the brief line of each row.
pub fn inline_table(shown: &str, items: Vec<Value>, lines: &[usize]) -> Result<DataTable, String> {
    let mut records = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Value::Object(map) => records.push((
                lines.get(i).copied().unwrap_or(0),
                map.into_iter().collect(),
            )),
            _ => {
                return Err(format!(
                    "entry {} of `rows` is not a map of column values",
                    i + 1
                ));
            }
        }
    }
    let text: Arc<str> = Arc::from("");
    let raw = read_records(&text, shown, records).map_err(|d| d[0].message.clone())?;
    Ok(type_cells(raw, &text, shown).0)
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

/// The number a cell holds, if any.
pub fn number_of(cell: &Cell) -> Option<Number> {
    match cell {
        Cell::Number(n) => Some(*n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<(DataTable, Vec<Diag>), Vec<Diag>> {
        parse_table(
            &Arc::from(text),
            "content/data/t.csv",
            Format::Delimited(None),
        )
    }

    #[test]
    fn reads_quoted_commas_newlines_and_messy_numbers() {
        let (t, _) = csv("investor,region,spend\n\"SoftBank, Inc.\",France,\"1,234.5\"\n\"Multi\nline\",Korea,Undisclosed\nX,Y,\n").unwrap();
        assert_eq!(t.columns, ["investor", "region", "spend"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].cells[0], Cell::Text("SoftBank, Inc.".into()));
        assert_eq!(
            t.rows[0].cells[2],
            Cell::Number(Number {
                value: 1234.5,
                decimals: 1
            })
        );
        assert_eq!(t.rows[1].cells[2], Cell::Text("Undisclosed".into()));
        assert_eq!(t.rows[1].line, 3);
        assert_eq!(t.rows[2].line, 5);
        assert_eq!(t.rows[2].cells[2], Cell::Empty);
    }

    #[test]
    fn semicolon_files_with_decimal_commas() {
        let (t, w) = csv("region;spend\nFrance;1 234,5\nKorea;2,25\n").unwrap();
        assert_eq!(
            t.rows[0].cells[1],
            Cell::Number(Number {
                value: 1234.5,
                decimals: 1
            })
        );
        assert_eq!(
            t.rows[1].cells[1],
            Cell::Number(Number {
                value: 2.25,
                decimals: 2
            })
        );
        assert!(w.iter().any(|d| d.message.contains("decimal comma")));
    }

    #[test]
    fn header_problems_are_reported_at_their_column() {
        let e = csv("a,b,a\n1,2,3\n").unwrap_err();
        assert_eq!(e[0].at.unwrap().column, 5);
        let (_, w) = csv("a,,c\n1,2,3\n").unwrap();
        assert!(w[0].message.contains("column 2 has no name"));
        let (_, w) = csv("a,b\n").unwrap();
        assert!(w[0].message.contains("no rows"));
    }

    #[test]
    fn ragged_rows() {
        let e = csv("a,b\n1,2\n1,2,3\n").unwrap_err();
        assert_eq!(e[0].at.unwrap().line, 3);
        let (t, w) = csv("a,b,c\n1,2\n").unwrap();
        assert_eq!(t.rows[0].cells[2], Cell::Empty);
        assert_eq!(w[0].at.unwrap().line, 2);
        let e = csv("a,b\n\"open,2\n").unwrap_err();
        assert!(e[0].message.contains("never closed"), "{}", e[0].message);
        assert_eq!(e[0].at.unwrap().line, 2);
    }

    #[test]
    fn json_and_yaml_lists() {
        let text: Arc<str> = Arc::from(
            "[\n {\"region\": \"France\", \"spend\": 1.5},\n {\"region\": \"Korea\", \"spend\": \"n/a\"}\n]",
        );
        let (t, _) = parse_table(&text, "d.json", Format::Json).unwrap();
        assert_eq!(t.columns, ["region", "spend"]);
        assert_eq!(t.rows[1].line, 3);
        assert_eq!(t.rows[1].cells[1], Cell::Text("n/a".into()));
        let text: Arc<str> =
            Arc::from("- region: France\n  spend: 2\n- region: Korea\n  spend: 3.25\n");
        let (t, _) = parse_table(&text, "d.yaml", Format::Yaml).unwrap();
        assert_eq!(t.rows[1].line, 3);
        assert_eq!(
            t.rows[1].cells[1],
            Cell::Number(Number {
                value: 3.25,
                decimals: 2
            })
        );
    }
}
