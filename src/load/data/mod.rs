//! Data files (`content/data/`): CSV, TSV, JSON and YAML into a [`DataTable`] of typed cells.
//!
//! Knows nothing of charts. Every problem names the data file with its line and column.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::number::{self, DecimalMark};
use super::source;
use crate::diag::Diag;
use crate::model::chart::{Cell, DataTable, Row};

mod delimited;
mod records;

use delimited::read_delimited;
pub use records::list_item_lines;
use records::{json_records, read_records, yaml_records};

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
    read_table_cached(path, shown, None).0
}

/// Reads one data file through `cache` (as parsed before when its bytes are unchanged), with
/// the fingerprint of its bytes (0 when it could not be read).
pub(crate) fn read_table_cached(
    path: &Path,
    shown: &str,
    cache: Option<&crate::load::cache::LoadCache>,
) -> (crate::load::cache::TableResult, u64) {
    let Some(format) = format_of(path) else {
        let d = Diag::error("data/file-type", "unknown data file type")
            .in_file(shown)
            .with_help(
                "data files are .csv, .tsv, .json (an array of objects) or .yaml (a list of maps)",
            );
        return (Err(vec![d]), 0);
    };
    let read = || source::read_text(path, shown);
    let parse = |text: Arc<str>| parse_table(&text, shown, format);
    match cache {
        Some(cache) => cache.table(path, read, parse),
        None => match read() {
            Ok(text) => {
                let fingerprint = crate::fingerprint::of_bytes(text.as_bytes());
                (parse(text), fingerprint)
            }
            Err(d) => (Err(vec![d]), 0),
        },
    }
}

/// Parses a data file's bytes as a file named `shown` would be read (its extension picks the
/// format). Used by the fuzz targets and by tools that hold the bytes already.
pub fn parse_bytes(bytes: &[u8], shown: &str) -> Result<(DataTable, Vec<Diag>), Vec<Diag>> {
    let Some(format) = format_of(Path::new(shown)) else {
        return Err(vec![
            Diag::error("data/file-type", "unknown data file type").in_file(shown),
        ]);
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
pub(super) struct RawTable {
    columns: Vec<String>,
    rows: Vec<(usize, Vec<Option<String>>)>,
    warnings: Vec<Diag>,
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
                "data/decimal-comma",
                "numbers in this file use a decimal comma (1 234,5); reading them that way",
            )
            .in_file(shown),
        );
    }
    if raw.rows.is_empty() {
        warnings.push(
            Diag::warning("data/no-rows", "data file has a header but no rows")
                .in_file(shown)
                .at_offset(text, 0),
        );
    }
    // Equal texts share one allocation (regions, sectors and "n/a" repeat on every row).
    let mut pool: foldhash::HashMap<String, Arc<str>> = foldhash::HashMap::default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::chart::Number;

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

    #[test]
    fn many_short_rows_give_one_warning_that_counts_them() {
        let text = format!("investor,spend\n{}", "a\n".repeat(5));
        let (table, w) = csv(&text).unwrap();
        assert_eq!(table.rows.len(), 5);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].message.contains(
                "5 rows have 1 field where the header names 2 columns (lines 2, 3, 4, …)"
            ),
            "{}",
            w[0].message
        );
        let (_, w) = csv("investor,spend\na\nb,1\n").unwrap();
        assert!(
            w[0].message.starts_with("row has 1 fields"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn a_repeated_column_name_is_reported_where_it_repeats() {
        let e = csv("ab,b,b\n1,2,3\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].at.map(|l| l.column), Some(6), "{e:?}");
    }
}
