//! From a chart's rows to the values it shows: filter, aggregate per category (and series),
//! sort, keep the top N with the rest as "Other", and remember every row that could not be
//! charted and why. Pure computation over model types.

use std::collections::HashMap;

use super::chart::{
    Aggregate, Cell, ChartKind, ChartSpec, ChartValues, DataTable, SkippedRow, SortOrder,
};

/// Label of the category that gathers everything past `limit`.
pub(crate) const OTHER: &str = "Other";

/// Spellings of one category kept for the reader's note; a hostile table could write one
/// country a thousand ways, and each new one is compared with those kept.
const MAX_SPELLINGS: usize = 16;

#[derive(Default, Clone)]
struct Acc {
    sum: f64,
    count: usize,
    min: Option<f64>,
    max: Option<f64>,
}

impl Acc {
    fn add(&mut self, v: f64) {
        self.sum += v;
        self.count += 1;
        self.min = Some(self.min.map_or(v, |m| m.min(v)));
        self.max = Some(self.max.map_or(v, |m| m.max(v)));
    }

    fn merge(&mut self, other: &Acc) {
        self.sum += other.sum;
        self.count += other.count;
        for v in [other.min, other.max].into_iter().flatten() {
            self.min = Some(self.min.map_or(v, |m| m.min(v)));
            self.max = Some(self.max.map_or(v, |m| m.max(v)));
        }
    }

    fn value(&self, aggregate: Aggregate) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        Some(match aggregate {
            Aggregate::Sum | Aggregate::None => self.sum,
            Aggregate::Mean => self.sum / self.count as f64,
            Aggregate::Count => self.count as f64,
            Aggregate::Min => self.min.unwrap_or(0.0),
            Aggregate::Max => self.max.unwrap_or(0.0),
        })
    }
}

/// Computes what a chart shows. Columns must exist (checked at load time); a missing one
/// simply yields no values.
pub(crate) fn chart_values(spec: &ChartSpec, table: &DataTable) -> ChartValues {
    arrange(spec, collect(spec, table, None))
}

/// The labels written for one category of [`keyed_values`], and where the first was.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Written {
    /// Distinct labels as written, in first-seen order.
    pub(crate) names: Vec<String>,
    /// 1-based line of the first row with this category.
    pub(crate) line: usize,
}

/// Like [`chart_values`], with each label read through `key` first: labels with the same key
/// are one category (`한국` and `Korea, Republic of`), aggregated together from their rows, so
/// a mean is the mean of every row, not of the labels' means. Categories are the keys, in
/// first-seen order (the spec's `sort` and `limit` still apply); beside them, the labels
/// each was written as.
pub(crate) fn keyed_values(
    spec: &ChartSpec,
    table: &DataTable,
    key: &mut dyn FnMut(&str) -> String,
) -> (ChartValues, Vec<Written>) {
    let mut got = collect(spec, table, Some(key));
    let written = std::mem::take(&mut got.written);
    let order = got.categories.clone();
    let values = arrange(spec, got);
    // `arrange` may reorder categories: line the labels up with its order.
    let mut by_key: HashMap<&str, &Written> = HashMap::new();
    for (k, w) in order.iter().zip(&written) {
        by_key.insert(k, w);
    }
    let written = values
        .categories
        .iter()
        .map(|c| {
            by_key
                .get(c.as_str())
                .map(|w| (*w).clone())
                .unwrap_or_default()
        })
        .collect();
    (values, written)
}

/// The rows of a table that pass the filter, gathered per (category, series).
#[derive(Default)]
struct Collected {
    categories: Vec<String>,
    series: Vec<String>,
    cells: HashMap<(usize, usize), Acc>,
    skipped: Vec<SkippedRow>,
    considered: usize,
    decimals: u8,
    /// Per category, the labels it was written as (only when collected by a key).
    written: Vec<Written>,
}

/// Names in first-seen order with their places; found through a map, so a table of many
/// distinct labels costs linear time, not quadratic.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Names {
    fn place(&mut self, name: String) -> usize {
        if let Some(&i) = self.index.get(&name) {
            return i;
        }
        self.list.push(name.clone());
        self.index.insert(name, self.list.len() - 1);
        self.list.len() - 1
    }
}

fn collect(
    spec: &ChartSpec,
    table: &DataTable,
    mut key: Option<&mut dyn FnMut(&str) -> String>,
) -> Collected {
    let x = table.column(&spec.x);
    let y = table.column(&spec.y);
    let series_col = spec.series.as_deref().and_then(|s| table.column(s));
    let filters: Vec<(Option<usize>, Vec<String>)> = spec
        .filter
        .iter()
        .map(|(c, vals)| {
            (
                table.column(c),
                vals.iter().map(|v| v.to_lowercase()).collect(),
            )
        })
        .collect();
    let mut out = Collected::default();
    let (mut categories, mut series) = (Names::default(), Names::default());
    for row in table.rows.iter() {
        let keep = filters.iter().all(|(col, wanted)| {
            col.and_then(|c| row.cells.get(c))
                .is_some_and(|cell| wanted.contains(&cell.display().to_lowercase()))
        });
        if !keep {
            continue;
        }
        out.considered += 1;
        let label = x
            .and_then(|c| row.cells.get(c))
            .map(Cell::display)
            .unwrap_or_default();
        let value = if spec.aggregate == Aggregate::Count {
            Some(1.0)
        } else {
            match y.and_then(|c| row.cells.get(c)) {
                Some(Cell::Number(n)) => {
                    out.decimals = out.decimals.max(n.decimals);
                    Some(n.value)
                }
                other => {
                    out.skipped.push(SkippedRow {
                        line: row.line,
                        label: row_name(row, x, y),
                        value: other.map(Cell::display).unwrap_or_default(),
                    });
                    None
                }
            }
        };
        let Some(value) = value else { continue };
        if label.is_empty() {
            out.skipped.push(SkippedRow {
                line: row.line,
                label: row_name(row, x, y),
                value: format!("no {}", spec.x),
            });
            continue;
        }
        // `aggregate: none` draws every row as its own bar, repeated labels included.
        let category = if let Some(key) = key.as_mut() {
            let category = categories.place(key(&label));
            if category == out.written.len() {
                out.written.push(Written {
                    names: Vec::new(),
                    line: row.line,
                });
            }
            let names = &mut out.written[category].names;
            // Few spellings per country: a scan is cheaper than a set.
            if !names.contains(&label) && names.len() < MAX_SPELLINGS {
                names.push(label);
            }
            category
        } else if spec.aggregate == Aggregate::None {
            categories.list.push(label);
            categories.list.len() - 1
        } else {
            categories.place(label)
        };
        let name = series_col
            .and_then(|c| row.cells.get(c))
            .map(Cell::display)
            .filter(|s| !s.is_empty())
            .unwrap_or_default();
        let s = series.place(name);
        out.cells.entry((category, s)).or_default().add(value);
    }
    out.categories = categories.list;
    out.series = series.list;
    out
}

/// The gathered cells in display order, the top `limit` kept and the rest merged as "Other".
fn arrange(spec: &ChartSpec, mut got: Collected) -> ChartValues {
    if got.series.is_empty() {
        got.series.push(String::new());
    }
    let decimals = match spec.aggregate {
        Aggregate::Count => 0,
        Aggregate::Mean => (got.decimals + 1).min(4),
        _ => got.decimals,
    };
    let value_of =
        |c: usize, s: usize| got.cells.get(&(c, s)).and_then(|a| a.value(spec.aggregate));
    let totals: Vec<f64> = (0..got.categories.len())
        .map(|c| (0..got.series.len()).filter_map(|s| value_of(c, s)).sum())
        .collect();
    let mut order: Vec<usize> = (0..got.categories.len()).collect();
    let mut other: Option<Vec<usize>> = None;
    if let Some(limit) = spec.limit
        && got.categories.len() > limit
    {
        let mut ranked = order.clone();
        ranked.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]).then(a.cmp(&b)));
        let rest = ranked.split_off(limit);
        let merged: std::collections::HashSet<usize> = rest.iter().copied().collect();
        order.retain(|c| !merged.contains(c));
        other = Some(rest);
    }
    sort_categories(&mut order, spec.sort, &got.categories, &totals);
    if spec.kind == ChartKind::Line && spec.sort == SortOrder::Data {
        time_order(&mut order, &got.categories);
    }
    let mut categories: Vec<String> = order.iter().map(|&c| got.categories[c].clone()).collect();
    let mut values: Vec<Vec<Option<f64>>> = (0..got.series.len())
        .map(|s| order.iter().map(|&c| value_of(c, s)).collect())
        .collect();
    if let Some(rest) = other {
        categories.push(OTHER.to_string());
        for (s, column) in values.iter_mut().enumerate() {
            let mut acc = Acc::default();
            for &c in &rest {
                if let Some(a) = got.cells.get(&(c, s)) {
                    acc.merge(a);
                }
            }
            column.push(acc.value(spec.aggregate));
        }
    }
    ChartValues {
        categories,
        series: got.series,
        values,
        decimals,
        rows_considered: got.considered,
        skipped: got.skipped,
    }
}

/// How a reader recognises a row: its first cell (the investor, usually the table's key)
/// unless that is the charted value, else its label, else its line.
fn row_name(row: &super::chart::Row, x: Option<usize>, y: Option<usize>) -> String {
    let first = if y == Some(0) {
        None
    } else {
        row.cells.first()
    };
    first
        .map(Cell::display)
        .filter(|s| !s.is_empty())
        .or_else(|| x.and_then(|c| row.cells.get(c)).map(Cell::display))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("line {}", row.line))
}

fn sort_categories(order: &mut [usize], sort: SortOrder, labels: &[String], totals: &[f64]) {
    let by_label = |a: &usize, b: &usize| compare_labels(&labels[*a], &labels[*b]).then(a.cmp(b));
    match sort {
        SortOrder::Data => {}
        SortOrder::ValueDesc => order.sort_by(|a, b| {
            totals[*b]
                .total_cmp(&totals[*a])
                .then_with(|| by_label(a, b))
        }),
        SortOrder::ValueAsc => order.sort_by(|a, b| {
            totals[*a]
                .total_cmp(&totals[*b])
                .then_with(|| by_label(a, b))
        }),
        SortOrder::LabelAsc => order.sort_by(by_label),
        SortOrder::LabelDesc => order.sort_by(|a, b| by_label(b, a)),
    }
}

/// A line chart whose x values are all periods of one kind (years, months…) in time order,
/// so that its data table and CSV read in the order the line is drawn.
fn time_order(order: &mut Vec<usize>, labels: &[String]) {
    let kept: Vec<String> = order.iter().map(|&c| labels[c].clone()).collect();
    if let super::time::Axis::Time(t) = super::time::Axis::of(&kept) {
        *order = t.order.iter().map(|&i| order[i]).collect();
    }
}

/// Labels that are numbers (years) compare as numbers; others as lowercase text.
pub(crate) fn compare_labels(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::chart::{Number, Row};

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
            vec![t("NAVER"), t("South Korea"), n(2.5, 1)],
            vec![t("Other Co"), t("United States"), n(0.25, 2)],
            vec![t("JPMorgan Chase"), t("Global"), Cell::Empty],
            vec![t("KZ Cloud"), t("Kazakhstan"), n(1.0, 0)],
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

    fn spec() -> ChartSpec {
        ChartSpec::bar("region", "spend")
    }

    #[test]
    fn sums_per_region_and_reports_what_was_not_charted() {
        let v = chart_values(&spec(), &table());
        assert_eq!(v.categories, ["United States", "South Korea", "Kazakhstan"]);
        assert_eq!(v.values[0], [Some(100.25), Some(2.5), Some(1.0)]);
        assert_eq!(v.decimals, 2);
        assert_eq!(v.rows_considered, 6);
        let skipped: Vec<_> = v
            .skipped
            .iter()
            .map(|s| (s.label.as_str(), s.value.as_str(), s.line))
            .collect();
        assert_eq!(
            skipped,
            [("SoftBank", "Undisclosed", 3), ("JPMorgan Chase", "", 6)]
        );
    }

    #[test]
    fn limit_keeps_the_top_and_groups_the_rest_as_other() {
        let mut s = spec();
        s.limit = Some(1);
        s.sort = SortOrder::ValueAsc;
        let v = chart_values(&s, &table());
        assert_eq!(v.categories, ["United States", OTHER]);
        assert_eq!(v.values[0], [Some(100.25), Some(3.5)]);
    }

    #[test]
    fn filter_and_count() {
        let mut s = spec();
        s.filter = vec![(
            "region".into(),
            vec!["united states".into(), "France".into()],
        )];
        s.aggregate = Aggregate::Count;
        let v = chart_values(&s, &table());
        assert_eq!(v.categories, ["United States", "France"]);
        assert_eq!(v.values[0], [Some(2.0), Some(1.0)]);
        assert!(v.skipped.is_empty());
    }

    #[test]
    fn line_charts_over_time_are_in_time_order_unless_sorted() {
        let n = |v: f64| {
            Cell::Number(Number {
                value: v,
                decimals: 0,
            })
        };
        let rows = [(2020.0, 5.0), (2015.0, 1.0), (2016.0, 2.0)];
        let table = DataTable {
            path: "content/data/y.csv".into(),
            columns: vec!["year".into(), "spend".into()],
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, &(y, v))| Row {
                    line: i + 2,
                    cells: vec![n(y), n(v)],
                })
                .collect(),
        };
        let mut s = spec();
        s.x = "year".into();
        s.kind = ChartKind::Line;
        let v = chart_values(&s, &table);
        assert_eq!(v.categories, ["2015", "2016", "2020"]);
        assert_eq!(v.values[0], [Some(1.0), Some(2.0), Some(5.0)]);
        s.sort = SortOrder::ValueDesc;
        assert_eq!(
            chart_values(&s, &table).categories,
            ["2020", "2016", "2015"]
        );
        s.sort = SortOrder::Data;
        s.kind = ChartKind::Bar;
        assert_eq!(
            chart_values(&s, &table).categories,
            ["2020", "2015", "2016"]
        );
    }
}
