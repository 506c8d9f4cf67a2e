//! Values: numbers in a brief's prose bound to its data files (`values:` in the front-matter,
//! `` `{value} name` `` in the body; docs/values.md). What a definition asks for, and the
//! number it gets from its table: pure computation over model types, nothing evaluated.

use std::collections::HashSet;

use super::chart::{Cell, DataTable, Row, SkippedRow};
use super::format::{self, NumberFormat};

/// What a value's inline code span starts with.
pub const SPAN_PREFIX: &str = "{value}";

/// The name in a code span's text when it is a value span (`{value} name`; `""` when the
/// span names none), `None` for any other code span.
pub fn span_name(code: &str) -> Option<&str> {
    code.trim().strip_prefix(SPAN_PREFIX).map(str::trim)
}

/// How a value is worked out from the rows its filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueAggregate {
    /// No `aggregate`: the one row the filter keeps (more than one is an error).
    One,
    Sum,
    Mean,
    Count,
    CountDistinct,
    Min,
    Max,
    /// The first row (in file order) whose cell is a number.
    First,
    /// The last row (in file order) whose cell is a number.
    Last,
}

impl ValueAggregate {
    pub const NAMES: [&'static str; 9] = [
        "sum",
        "mean",
        "count",
        "count-distinct",
        "min",
        "max",
        "first",
        "last",
        "none",
    ];

    pub fn parse(name: &str) -> Option<ValueAggregate> {
        Some(match name {
            "sum" => ValueAggregate::Sum,
            "mean" | "avg" | "average" => ValueAggregate::Mean,
            "count" => ValueAggregate::Count,
            "count-distinct" | "count_distinct" | "distinct" => ValueAggregate::CountDistinct,
            "min" => ValueAggregate::Min,
            "max" => ValueAggregate::Max,
            "first" => ValueAggregate::First,
            "last" => ValueAggregate::Last,
            "none" | "one" => ValueAggregate::One,
            _ => return None,
        })
    }

    /// Whether the value is a count of rows or cells, not a number read from them.
    fn counts(self) -> bool {
        matches!(self, ValueAggregate::Count | ValueAggregate::CountDistinct)
    }
}

/// One definition under `values:`, validated for shape at load time.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSpec {
    pub name: String,
    /// Byte offset of the definition's line in the brief, for problems.
    pub offset: usize,
    /// A file under `content/data/`, `/`-separated.
    pub data: String,
    /// Keep only rows whose column holds one of the values (compared as displayed, ignoring
    /// case), as a chart's `filter`.
    pub filter: Vec<(String, Vec<String>)>,
    /// The column the number is read from; optional for `count` only.
    pub y: Option<String>,
    pub aggregate: ValueAggregate,
    pub unit: Option<String>,
    pub format: NumberFormat,
}

/// A `` `{value} name` `` span: the name and the byte offset of its backtick in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueUse {
    pub name: String,
    pub offset: usize,
}

/// What a definition got from its table.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    /// `None`: no data (nothing matched, or no matched row had a number).
    pub number: Option<f64>,
    /// Decimals the number is shown with when the format names none.
    pub decimals: u8,
    /// Rows the filter kept.
    pub matched: usize,
    /// Rows that gave the number (or were counted).
    pub used: usize,
    /// Rows left out, and why.
    pub skipped: Vec<SkippedRow>,
}

/// A value as a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundValue {
    pub name: String,
    /// The number for machines (`<data value>`): `.`-decimal, no grouping; `None` is no data.
    pub machine: Option<String>,
    /// What the reader sees: the formatted number with its unit, or "no data".
    pub text: String,
    /// How it was computed, from which file (the `title` of the value).
    pub title: String,
    /// What the page's note says about rows left out, when some were.
    pub note: Option<String>,
}

/// The value called `name` among `bound`, which is sorted by name (as the load stage leaves
/// a brief's values).
pub fn find<'a>(bound: &'a [BoundValue], name: &str) -> Option<&'a BoundValue> {
    bound
        .binary_search_by(|b| b.name.as_str().cmp(name))
        .ok()
        .map(|i| &bound[i])
}

/// What a reader sees for a value with no data.
pub const NO_DATA: &str = "no data";

/// How many left-out rows a note names before "and N more".
const NOTE_ROWS: usize = 5;

fn filter_columns(spec: &ValueSpec, table: &DataTable) -> Vec<(Option<usize>, Vec<String>)> {
    spec.filter
        .iter()
        .map(|(c, vals)| {
            let wanted = vals.iter().map(|v| v.to_lowercase()).collect();
            (table.column(c), wanted)
        })
        .collect()
}

/// Works out a value over its table: one pass over the rows.
pub fn compute(spec: &ValueSpec, table: &DataTable) -> Computed {
    let filters = filter_columns(spec, table);
    let y = spec.y.as_deref().and_then(|c| table.column(c));
    let mut out = Computed {
        number: None,
        decimals: 0,
        matched: 0,
        used: 0,
        skipped: Vec::new(),
    };
    let mut numbers: Vec<f64> = Vec::new();
    let mut distinct: HashSet<String> = HashSet::new();
    for row in table.rows.iter() {
        let keep = filters.iter().all(|(col, wanted)| {
            col.and_then(|c| row.cells.get(c))
                .is_some_and(|cell| wanted.contains(&cell.display().to_lowercase()))
        });
        if !keep {
            continue;
        }
        out.matched += 1;
        let cell = y.and_then(|c| row.cells.get(c));
        match (spec.aggregate, cell) {
            (ValueAggregate::Count, None) if spec.y.is_none() => out.used += 1,
            (ValueAggregate::Count | ValueAggregate::CountDistinct, Some(c))
                if *c != Cell::Empty =>
            {
                out.used += 1;
                if spec.aggregate == ValueAggregate::CountDistinct {
                    distinct.insert(c.display());
                }
            }
            (agg, Some(Cell::Number(n))) if !agg.counts() => {
                out.used += 1;
                out.decimals = out.decimals.max(n.decimals);
                numbers.push(n.value);
            }
            (_, other) => out.skipped.push(SkippedRow {
                line: row.line,
                label: row_name(row, y),
                value: other.map(Cell::display).unwrap_or_default(),
            }),
        }
    }
    out.number = match spec.aggregate {
        ValueAggregate::Count => Some(out.used as f64),
        ValueAggregate::CountDistinct => Some(distinct.len() as f64),
        _ if numbers.is_empty() => None,
        ValueAggregate::One if out.matched > 1 => None,
        ValueAggregate::One | ValueAggregate::First => numbers.first().copied(),
        ValueAggregate::Last => numbers.last().copied(),
        ValueAggregate::Sum => Some(numbers.iter().sum()),
        ValueAggregate::Mean => Some(numbers.iter().sum::<f64>() / numbers.len() as f64),
        ValueAggregate::Min => numbers.iter().copied().reduce(f64::min),
        ValueAggregate::Max => numbers.iter().copied().reduce(f64::max),
    };
    // A count that counted nothing because nothing matched is no data, not 0.
    if spec.aggregate.counts() && out.matched == 0 {
        out.number = None;
    }
    out.decimals = match spec.aggregate {
        ValueAggregate::Count | ValueAggregate::CountDistinct => 0,
        ValueAggregate::Mean => (out.decimals + 1).min(4),
        _ => out.decimals,
    };
    out
}

/// How a reader recognises a row: its first cell unless that is the value, else its line.
fn row_name(row: &Row, y: Option<usize>) -> String {
    let first = if y == Some(0) {
        row.cells.get(1)
    } else {
        row.cells.first()
    };
    first
        .map(Cell::display)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("line {}", row.line))
}

/// The value a page shows, in the site's `language`. `path` is the data file as shown.
pub fn bind(spec: &ValueSpec, got: &Computed, path: &str, language: &str) -> BoundValue {
    let (machine, text) = match got.number {
        Some(n) => {
            let mut text = format::format(n, &spec.format, got.decimals, language);
            if let Some(unit) = &spec.unit {
                text.push(' ');
                text.push_str(unit);
            }
            let places = match spec.aggregate {
                ValueAggregate::Mean => got.decimals + 6,
                _ => got.decimals,
            };
            (Some(format::machine(n, places)), text)
        }
        None => (None, NO_DATA.to_string()),
    };
    BoundValue {
        name: spec.name.clone(),
        machine,
        text,
        title: describe(spec, got, path),
        note: note(spec, got, path),
    }
}

/// " where investor is “A”", " where region is “France” or “Korea” and year is “2025”".
fn where_clause(spec: &ValueSpec) -> String {
    let parts: Vec<String> = spec
        .filter
        .iter()
        .map(|(column, values)| {
            let quoted: Vec<String> = values
                .iter()
                .map(|v| format!("\u{201c}{v}\u{201d}"))
                .collect();
            format!("{column} is {}", quoted.join(" or "))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" where {}", parts.join(" and "))
    }
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// "sum of spend_usd_bn over 3 rows of content/data/spend-2025.csv where region is “France”".
fn describe(spec: &ValueSpec, got: &Computed, path: &str) -> String {
    let y = spec.y.as_deref().unwrap_or("rows");
    let over = format!("{} of {path}{}", rows(got.used), where_clause(spec));
    match spec.aggregate {
        ValueAggregate::One => format!("{y} of {over}"),
        ValueAggregate::Count if spec.y.is_none() => {
            format!("number of rows of {path}{}", where_clause(spec))
        }
        ValueAggregate::Count => format!("number of filled {y} cells over {over}"),
        ValueAggregate::CountDistinct => format!("number of distinct {y} values over {over}"),
        agg => {
            let how = match agg {
                ValueAggregate::Sum => "sum",
                ValueAggregate::Mean => "mean",
                ValueAggregate::Min => "minimum",
                ValueAggregate::Max => "maximum",
                ValueAggregate::First => "first",
                _ => "last",
            };
            format!("{how} of {y} over {over}")
        }
    }
}

/// The page's note about a value: why it has no data, or which rows it leaves out.
fn note(spec: &ValueSpec, got: &Computed, path: &str) -> Option<String> {
    let name = &spec.name;
    let y = spec.y.as_deref().unwrap_or("its column");
    if got.matched == 0 {
        return Some(format!(
            "No data for \u{201c}{name}\u{201d}: no row of {path}{}.",
            where_clause(spec)
        ));
    }
    if got.skipped.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = got
        .skipped
        .iter()
        .take(NOTE_ROWS)
        .map(|s| {
            let value = if s.value.is_empty() {
                "blank".to_string()
            } else {
                format!("\u{201c}{}\u{201d}", s.value)
            };
            format!("{value} ({}, line {})", s.label, s.line)
        })
        .collect();
    if got.skipped.len() > NOTE_ROWS {
        parts.push(format!("and {} more", got.skipped.len() - NOTE_ROWS));
    }
    let why = if spec.aggregate.counts() {
        format!("whose {y} is blank")
    } else {
        format!("whose {y} is not a number")
    };
    let head = if got.number.is_none() {
        format!("No data for \u{201c}{name}\u{201d}: ")
    } else {
        format!("\u{201c}{name}\u{201d} ")
    };
    Some(format!(
        "{head}left out {} of {} of {path}{} {why} \u{2014} {}.",
        got.skipped.len(),
        rows(got.matched),
        where_clause(spec),
        parts.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::chart::Number;

    fn table() -> DataTable {
        let n = |v: f64, d: u8| {
            Cell::Number(Number {
                value: v,
                decimals: d,
            })
        };
        let t = |s: &str| Cell::Text(s.into());
        let rows = vec![
            vec![t("Stargate"), t("United States"), n(100.0, 0)],
            vec![t("SoftBank"), t("France"), t("Undisclosed")],
            vec![t("Campus"), t("France"), n(2.5, 1)],
            vec![t("Pilot"), t("Uzbekistan"), Cell::Empty],
        ];
        DataTable {
            path: "content/data/t.csv".into(),
            columns: vec!["investor".into(), "region".into(), "spend".into()],
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| Row { line: i + 2, cells })
                .collect(),
        }
    }

    fn spec(aggregate: ValueAggregate, filter: &[(&str, &str)]) -> ValueSpec {
        ValueSpec {
            name: "v".into(),
            offset: 0,
            data: "t.csv".into(),
            filter: filter
                .iter()
                .map(|(c, v)| (c.to_string(), vec![v.to_string()]))
                .collect(),
            y: Some("spend".into()),
            aggregate,
            unit: None,
            format: NumberFormat::DEFAULT,
        }
    }

    #[test]
    fn one_row_sum_and_what_was_left_out() {
        let got = compute(
            &spec(ValueAggregate::One, &[("investor", "stargate")]),
            &table(),
        );
        assert_eq!((got.number, got.matched, got.used), (Some(100.0), 1, 1));
        let got = compute(&spec(ValueAggregate::Sum, &[]), &table());
        assert_eq!((got.number, got.decimals, got.used), (Some(102.5), 1, 2));
        let left: Vec<(&str, usize)> = got
            .skipped
            .iter()
            .map(|s| (s.value.as_str(), s.line))
            .collect();
        assert_eq!(left, [("Undisclosed", 3), ("", 5)]);
        let b = bind(
            &spec(ValueAggregate::Sum, &[]),
            &got,
            "content/data/t.csv",
            "en",
        );
        assert_eq!(b.text, "102.5");
        assert_eq!(b.machine.as_deref(), Some("102.5"));
        let note = b.note.unwrap();
        assert!(note.contains("left out 2 of 4 rows"), "{note}");
    }

    #[test]
    fn nothing_matched_is_no_data_never_zero() {
        for agg in [
            ValueAggregate::Sum,
            ValueAggregate::Count,
            ValueAggregate::One,
        ] {
            let s = spec(agg, &[("region", "Mars")]);
            let got = compute(&s, &table());
            assert_eq!(got.number, None, "{agg:?}");
            let b = bind(&s, &got, "t.csv", "en");
            assert_eq!((b.text.as_str(), b.machine), (NO_DATA, None));
            assert!(b.note.unwrap().starts_with("No data for"));
        }
    }

    #[test]
    fn counts_distinct_first_last() {
        let mut s = spec(ValueAggregate::CountDistinct, &[]);
        s.y = Some("region".into());
        assert_eq!(compute(&s, &table()).number, Some(3.0));
        let mut s = spec(ValueAggregate::Count, &[]);
        s.y = None;
        assert_eq!(compute(&s, &table()).number, Some(4.0));
        assert_eq!(
            compute(&spec(ValueAggregate::Last, &[]), &table()).number,
            Some(2.5)
        );
        let got = compute(
            &spec(ValueAggregate::One, &[("region", "France")]),
            &table(),
        );
        assert_eq!((got.number, got.matched), (None, 2));
    }
}
