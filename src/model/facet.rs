//! Small multiples: a chart's table split by the values of one column (`facet: region`), each
//! part aggregated like a chart of its own by [`super::aggregate`], so every small chart shows
//! what the same block would show with its rows filtered to that one value.

use std::collections::{HashMap, HashSet};

use super::aggregate::{chart_values, compare_labels};
use super::chart::{
    Aggregate, Cell, ChartKind, ChartSpec, ChartValues, DataTable, PreparedChart, Row, SortOrder,
};

/// The most small charts one block may draw: past this the grid no longer reads at a glance,
/// and each one is a whole SVG in the page.
pub const MAX_FACETS: usize = 24;

/// Whether the small charts share one value scale (the default) or each has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scales {
    #[default]
    Shared,
    Free,
}

impl Scales {
    pub const NAMES: [&'static str; 2] = ["shared", "free"];

    pub fn parse(name: &str) -> Option<Scales> {
        match name {
            "shared" => Some(Scales::Shared),
            "free" => Some(Scales::Free),
            _ => None,
        }
    }
}

/// `facet: region` (and `scales:`) of a chart block.
#[derive(Debug, Clone, PartialEq)]
pub struct Facet {
    pub column: String,
    pub scales: Scales,
}

/// The small charts of `spec` over `table`: one per value of the facet column that keeps a
/// row after the filter, in first-seen order (or by label with `sort: label`), at most
/// [`MAX_FACETS`] of them, and how many there were in all. Every small chart lists the same
/// series in the same order, so a series keeps its colour from chart to chart.
pub(crate) fn split(spec: &ChartSpec, table: &DataTable) -> (Vec<(String, ChartValues)>, usize) {
    let Some(facet) = &spec.facet else {
        return (Vec::new(), 0);
    };
    let Some(col) = table.column(&facet.column) else {
        return (Vec::new(), 0);
    };
    // Rows by facet value, found through a map: linear in the rows, however many values.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut parts: Vec<(String, Vec<Row>)> = Vec::new();
    for row in table.rows.iter() {
        let mut label = row.cells.get(col).map(Cell::display).unwrap_or_default();
        if label.is_empty() {
            label = format!("(no {})", facet.column);
        }
        let i = *index.entry(label.clone()).or_insert_with(|| {
            parts.push((label, Vec::new()));
            parts.len() - 1
        });
        parts[i].1.push(row.clone());
    }
    // Each part through the chart's own filter and aggregate; a value whose rows the filter
    // drops entirely gets no small chart.
    let mut facets: Vec<(String, ChartValues)> = parts
        .into_iter()
        .map(|(label, rows)| {
            let part = DataTable {
                path: table.path.clone(),
                columns: table.columns.clone(),
                rows: rows.into(),
            };
            (label, chart_values(spec, &part))
        })
        .filter(|(_, v)| v.rows_considered > 0)
        .collect();
    match spec.sort {
        SortOrder::LabelAsc => facets.sort_by(|a, b| compare_labels(&a.0, &b.0)),
        SortOrder::LabelDesc => facets.sort_by(|a, b| compare_labels(&b.0, &a.0)),
        _ => {}
    }
    let count = facets.len();
    facets.truncate(MAX_FACETS);
    align_series(&mut facets);
    align_categories(spec, &mut facets);
    // One precision for the whole grid: 1.50 beside 11.00, not 1.50 beside 11.0.
    let decimals = facets.iter().map(|(_, v)| v.decimals).max().unwrap_or(0);
    for (_, v) in &mut facets {
        v.decimals = decimals;
    }
    (facets, count)
}

/// How many small charts `spec` would draw over `table` when that is more than
/// [`MAX_FACETS`], for the load-time check. There is at most one per value of the facet
/// column, so a column of few values is settled without splitting the table (which every
/// save of `briefing serve` did for every faceted chart).
pub(crate) fn too_many(spec: &ChartSpec, table: &DataTable) -> Option<usize> {
    let col = table.column(&spec.facet.as_ref()?.column)?;
    let mut values: HashSet<String> = HashSet::new();
    for row in table.rows.iter() {
        values.insert(row.cells.get(col).map(Cell::display).unwrap_or_default());
        if values.len() > MAX_FACETS {
            let count = split(spec, table).1;
            return (count > MAX_FACETS).then_some(count);
        }
    }
    None
}

/// What a faceted chart draws: its small charts, with the whole table's values for the note
/// (rows considered and skipped); the rows as written when nothing is a number.
pub(crate) fn prepare(spec: &ChartSpec, table: &DataTable) -> PreparedChart {
    let values = chart_values(spec, table);
    if !values.values.iter().flatten().any(Option::is_some) {
        return PreparedChart::NoNumbers {
            values,
            table: table.clone(),
        };
    }
    let (facets, _) = split(spec, table);
    PreparedChart::Faceted { facets, values }
}

/// The most categories (and series) small charts are aligned on: past it each keeps its own,
/// as every small chart of that many would be unreadable anyway, and aligning 24 facets on
/// 50,000 labels would write a million empty rows.
const MOST_ALIGNED: usize = 60;

/// Gives every small chart the categories of all of them, in one order, with no values where
/// a chart's rows had none, so the same label sits in the same place in each (a missing one
/// reads "n/a"). Only where the order is the data's or the labels': sorted by value or cut by
/// `limit`, each small chart keeps its own categories, and `aggregate: none` repeats labels.
/// Line charts over time keep time order, as an unfaceted one does.
fn align_categories(spec: &ChartSpec, facets: &mut [(String, ChartValues)]) {
    let by_order = matches!(
        spec.sort,
        SortOrder::Data | SortOrder::LabelAsc | SortOrder::LabelDesc
    );
    if !by_order || spec.limit.is_some() || spec.aggregate == Aggregate::None {
        return;
    }
    let mut all: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (_, v) in facets.iter() {
        for c in &v.categories {
            if seen.insert(c) {
                all.push(c.clone());
            }
        }
        if all.len() > MOST_ALIGNED {
            return;
        }
    }
    match spec.sort {
        SortOrder::LabelAsc => all.sort_by(|a, b| compare_labels(a, b)),
        SortOrder::LabelDesc => all.sort_by(|a, b| compare_labels(b, a)),
        SortOrder::Data if spec.kind == ChartKind::Line => {
            if let super::time::Axis::Time(t) = super::time::Axis::of(&all) {
                all = t.order.iter().map(|&i| all[i].clone()).collect();
            }
        }
        _ => {}
    }
    for (_, v) in facets.iter_mut() {
        if v.categories == all {
            continue;
        }
        let at: HashMap<&str, usize> = v
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let aligned: Vec<Vec<Option<f64>>> = v
            .values
            .iter()
            .map(|row| {
                all.iter()
                    .map(|c| at.get(c.as_str()).and_then(|&i| row[i]))
                    .collect()
            })
            .collect();
        v.values = aligned;
        v.categories = all.clone();
    }
}

/// Gives every small chart the series of all of them, in first-seen order, with no values
/// where a chart's rows had none of a series.
fn align_series(facets: &mut [(String, ChartValues)]) {
    let mut all: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (_, v) in facets.iter() {
        for s in &v.series {
            if seen.insert(s) {
                all.push(s.clone());
            }
        }
        if all.len() > MOST_ALIGNED {
            return;
        }
    }
    for (_, v) in facets.iter_mut() {
        if v.series == all {
            continue;
        }
        let n = v.categories.len();
        let mut rows: HashMap<String, Vec<Option<f64>>> = std::mem::take(&mut v.series)
            .into_iter()
            .zip(std::mem::take(&mut v.values))
            .collect();
        v.values = all
            .iter()
            .map(|s| rows.remove(s).unwrap_or_else(|| vec![None; n]))
            .collect();
        v.series = all.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::chart::Number;

    fn table(rows: &[(&str, &str, &str, f64)]) -> DataTable {
        let text = |s: &str| Cell::Text(s.into());
        DataTable {
            path: "t.csv".into(),
            columns: vec!["region".into(), "sector".into(), "year".into(), "v".into()],
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, (r, s, y, v))| Row {
                    line: i + 2,
                    cells: vec![
                        text(r),
                        text(s),
                        text(y),
                        Cell::Number(Number {
                            value: *v,
                            decimals: 0,
                        }),
                    ],
                })
                .collect(),
        }
    }

    fn spec(series: Option<&str>) -> ChartSpec {
        ChartSpec {
            series: series.map(str::to_string),
            facet: Some(Facet {
                column: "region".into(),
                scales: Scales::Shared,
            }),
            ..ChartSpec::bar("year", "v")
        }
    }

    #[test]
    fn splits_in_first_seen_order_after_the_filter_and_sums_each_part() {
        let t = table(&[
            ("Europe", "Compute", "2024", 2.0),
            ("Asia", "Compute", "2024", 5.0),
            ("Europe", "Compute", "2024", 3.0),
            ("Africa", "Cloud", "2025", 1.0),
            ("Asia", "Cloud", "2025", 4.0),
        ]);
        let (facets, count) = split(&spec(None), &t);
        let names: Vec<&str> = facets.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["Europe", "Asia", "Africa"]);
        assert_eq!(count, 3);
        assert_eq!(
            facets[0].1.values,
            vec![vec![Some(5.0), None]],
            "2025 has no Europe row"
        );
        assert_eq!(facets[1].1.categories, ["2024", "2025"]);

        let mut filtered = spec(None);
        filtered.filter = vec![("sector".into(), vec!["compute".into()])];
        filtered.sort = SortOrder::LabelAsc;
        let (facets, _) = split(&filtered, &t);
        let names: Vec<&str> = facets.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["Asia", "Europe"], "Africa has no Compute row");
    }

    #[test]
    fn every_part_lists_every_series_in_one_order() {
        let t = table(&[
            ("Europe", "Compute", "2024", 2.0),
            ("Asia", "Cloud", "2024", 5.0),
            ("Asia", "Compute", "2024", 1.0),
        ]);
        let (facets, _) = split(&spec(Some("sector")), &t);
        for (_, v) in &facets {
            assert_eq!(v.series, ["Compute", "Cloud"]);
        }
        assert_eq!(facets[0].1.values, vec![vec![Some(2.0)], vec![None]]);
        assert_eq!(facets[1].1.values, vec![vec![Some(1.0)], vec![Some(5.0)]]);
    }

    #[test]
    fn every_part_shows_every_category_in_one_place_unless_sorted_by_value() {
        let t = table(&[
            ("Europe", "Compute", "2025", 2.0),
            ("Asia", "Compute", "2024", 5.0),
            ("Asia", "Compute", "2025", 1.0),
        ]);
        let (facets, _) = split(&spec(None), &t);
        assert_eq!(facets[0].1.categories, ["2025", "2024"]);
        assert_eq!(facets[0].1.values, vec![vec![Some(2.0), None]]);
        assert_eq!(facets[1].1.categories, ["2025", "2024"]);
        assert_eq!(facets[1].1.values, vec![vec![Some(1.0), Some(5.0)]]);

        let mut by_label = spec(None);
        by_label.sort = SortOrder::LabelAsc;
        let (facets, _) = split(&by_label, &t);
        assert_eq!(facets[1].1.categories, ["2024", "2025"], "Europe");
        assert_eq!(facets[1].1.values, vec![vec![None, Some(2.0)]]);

        let mut by_value = spec(None);
        by_value.sort = SortOrder::ValueDesc;
        let (facets, _) = split(&by_value, &t);
        assert_eq!(facets[0].1.categories, ["2025"], "each keeps its own");
    }

    #[test]
    fn keeps_at_most_the_cap_but_counts_them_all() {
        let names: Vec<String> = (0..MAX_FACETS + 5).map(|i| format!("R{i}")).collect();
        let rows: Vec<(&str, &str, &str, f64)> = names
            .iter()
            .map(|n| (n.as_str(), "C", "2024", 1.0))
            .collect();
        let (facets, count) = split(&spec(None), &table(&rows));
        assert_eq!(facets.len(), MAX_FACETS);
        assert_eq!(count, MAX_FACETS + 5);
    }
}
