//! Data tables and chart specifications: what a ```chart block asks for, and the values it
//! gets once aggregated. Plain data; reading files and drawing SVG happen elsewhere.

/// A number as an editor wrote it: its value and how many decimals it was written with, so
/// it is shown back at that precision (`7.7`, never `7.700000000000001`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    pub decimals: u8,
}

impl Number {
    /// The value at `decimals` places, without a trailing `-0`. A value whose fixed form would
    /// show more digits than an f64 holds (2e40 as `2` and forty zeros, every one but the first
    /// made up) is written in the shortest form that reads back the same: `2e40` from 1e21 up,
    /// as JavaScript does, and the shortest plain digits below.
    pub fn format(value: f64, decimals: u8) -> String {
        /// Significant decimal digits an f64 can carry: 17 always round-trip.
        const SIGNIFICANT: i32 = 17;
        // Below 10^(16 - decimals) the shortest form's exponent is at most 15 - decimals (a
        // shortest form never rounds up to a power of ten the value is below), so the fixed
        // form fits: nearly every value in a chart is, and `{value:e}` (the shortest digits,
        // just for the exponent) was most of this function's time.
        let fits =
            usize::from(decimals) <= 16 && value.abs() < EXACT_POWERS[16 - decimals as usize];
        if !fits && value.is_finite() && value != 0.0 {
            let short = format!("{value:e}");
            let exponent: i32 = short
                .split_once('e')
                .and_then(|(_, e)| e.parse().ok())
                .unwrap_or(0);
            if exponent + 1 + i32::from(decimals) > SIGNIFICANT {
                return if !(-6..21).contains(&exponent) {
                    short
                } else {
                    format!("{value}")
                };
            }
        }
        let text = format!("{:.*}", decimals as usize, value);
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_string()
        } else {
            text
        }
    }
}

/// 10^0 to 10^16, each exactly an f64.
const EXACT_POWERS: [f64; 17] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
];

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Number(Number),
    /// Text as written (trimmed): a label, or a value that is not a number ("Undisclosed").
    /// Shared: a data file repeats its regions and sectors on every row, and 10,000 files
    /// hold millions of cells.
    Text(std::sync::Arc<str>),
    Empty,
}

impl Cell {
    /// The cell as a reader sees it in a table.
    pub fn display(&self) -> String {
        match self {
            Cell::Number(n) => Number::format(n.value, n.decimals),
            Cell::Text(t) => t.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line in the data file (or in the brief, for inline rows) where the row starts.
    pub line: usize,
    pub cells: Vec<Cell>,
}

/// A data file (or a chart's inline `rows:`) as named columns of typed cells.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Path relative to the site folder, as shown to the user.
    pub path: String,
    pub columns: Vec<String>,
    /// Shared: `briefing serve` keeps every table between builds, and a rebuild takes each
    /// unchanged one from there (cloning 1,000 tables row by row was 70 ms of a save).
    pub rows: std::sync::Arc<[Row]>,
}

impl DataTable {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name).or_else(|| {
            self.columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    HBar,
    Line,
    StackedBar,
    /// A choropleth of countries: labels are places, read by [`crate::geo::place`].
    Map,
    /// Bars of each series side by side in every category; needs `series`.
    GroupedBar,
}

impl ChartKind {
    pub const NAMES: [&'static str; 6] =
        ["bar", "hbar", "line", "stacked-bar", "map", "grouped-bar"];

    pub fn parse(name: &str) -> Option<ChartKind> {
        match name {
            "bar" | "column" => Some(ChartKind::Bar),
            "hbar" | "horizontal-bar" => Some(ChartKind::HBar),
            "line" => Some(ChartKind::Line),
            "stacked-bar" | "stacked" => Some(ChartKind::StackedBar),
            "map" | "choropleth" => Some(ChartKind::Map),
            "grouped-bar" | "grouped" => Some(ChartKind::GroupedBar),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Mean,
    Count,
    Min,
    Max,
    /// One bar per row, in data order.
    None,
}

impl Aggregate {
    pub const NAMES: [&'static str; 6] = ["sum", "mean", "count", "min", "max", "none"];

    pub fn parse(name: &str) -> Option<Aggregate> {
        match name {
            "sum" => Some(Aggregate::Sum),
            "mean" | "avg" | "average" => Some(Aggregate::Mean),
            "count" => Some(Aggregate::Count),
            "min" => Some(Aggregate::Min),
            "max" => Some(Aggregate::Max),
            "none" => Some(Aggregate::None),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Categories in the order they first appear in the data.
    Data,
    ValueDesc,
    ValueAsc,
    LabelAsc,
    LabelDesc,
}

impl SortOrder {
    pub const NAMES: [&'static str; 5] = ["data", "value-desc", "value-asc", "label", "label-desc"];

    pub fn parse(name: &str) -> Option<SortOrder> {
        match name {
            "data" | "none" => Some(SortOrder::Data),
            "value-desc" | "desc" | "value" => Some(SortOrder::ValueDesc),
            "value-asc" | "asc" => Some(SortOrder::ValueAsc),
            "label" | "label-asc" | "x" => Some(SortOrder::LabelAsc),
            "label-desc" => Some(SortOrder::LabelDesc),
            _ => None,
        }
    }
}

/// Where a chart's rows come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartData {
    /// A file under `content/data/`, by its path relative to that folder (`/`-separated).
    File(String),
    /// Rows written in the chart block itself.
    Inline(DataTable),
}

/// One ```chart block of a brief, validated for shape at load time.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Position among the brief's charts, from 1.
    pub number: usize,
    /// Byte offset of the opening fence in the brief's text, for error reports.
    pub offset: usize,
    pub data: ChartData,
    pub kind: ChartKind,
    pub x: String,
    pub y: String,
    pub series: Option<String>,
    pub aggregate: Aggregate,
    pub sort: SortOrder,
    pub limit: Option<usize>,
    pub unit: Option<String>,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub source: Option<String>,
    /// Keep only rows whose column holds one of the listed values (compared as displayed).
    pub filter: Vec<(String, Vec<String>)>,
    /// How a map colours its values (maps only).
    pub classes: MapClasses,
    /// How values are written for readers (`format:`): axis and value labels, titles of
    /// marks, the data table. The CSV download keeps plain numbers.
    pub format: super::format::NumberFormat,
    /// Reference lines, markers, bands and notes drawn over the chart (`annotate:`).
    pub annotate: Vec<super::annotation::Annotation>,
    /// Small multiples: one small chart per value of a column (`facet: region`).
    pub facet: Option<super::facet::Facet>,
}

#[cfg(test)]
impl ChartSpec {
    /// A bar chart of `y` by `x` over `t.csv`, every other key at its default: what the
    /// model's unit tests vary one key at a time.
    pub(crate) fn bar(x: &str, y: &str) -> ChartSpec {
        ChartSpec {
            number: 1,
            offset: 0,
            data: ChartData::File("t.csv".into()),
            kind: ChartKind::Bar,
            x: x.into(),
            y: y.into(),
            series: None,
            aggregate: Aggregate::Sum,
            sort: SortOrder::Data,
            limit: None,
            unit: None,
            title: None,
            caption: None,
            source: None,
            filter: Vec::new(),
            classes: Default::default(),
            format: Default::default(),
            annotate: Vec::new(),
            facet: None,
        }
    }
}

/// A map's colour classes: how many to cut the values into, or where to cut them.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum MapClasses {
    /// `classes: 5`, the default: edges at rounded quantiles of the values.
    #[default]
    Auto,
    Count(usize),
    /// `breaks: [1, 10, 100]`: the edges, ascending; one class more than edges.
    Breaks(Vec<f64>),
}

impl MapClasses {
    /// Classes when an editor asks for none.
    pub const DEFAULT_COUNT: usize = 5;
    /// The most the colour ramp tells apart.
    pub const MAX_COUNT: usize = 7;
}

/// What a chart draws, worked out from its table once.
#[derive(Debug, Clone, PartialEq)]
pub enum PreparedChart {
    Drawn {
        values: ChartValues,
    },
    /// Nothing in the column could be drawn: the rows as written, shown instead of a chart,
    /// with the values' note.
    NoNumbers {
        values: ChartValues,
        table: DataTable,
    },
    /// A map: its values per country and what it could not place.
    Mapped {
        map: super::map::MapValues,
    },
    /// Small multiples: each facet's value and its small chart's values, in order, and the
    /// whole table's values (its rows considered and skipped, for the note).
    Faceted {
        facets: Vec<(String, ChartValues)>,
        values: ChartValues,
    },
    /// The chart's data file was not loaded (its errors were reported when loading).
    Missing,
}

impl PreparedChart {
    /// `data` holds the data files by their path under `content/data/`.
    pub fn of(spec: &ChartSpec, data: &std::collections::BTreeMap<String, DataTable>) -> Self {
        let table = match &spec.data {
            ChartData::File(path) => data.get(path),
            ChartData::Inline(table) => Some(table),
        };
        let Some(table) = table else {
            return PreparedChart::Missing;
        };
        if spec.facet.is_some() {
            return super::facet::prepare(spec, table);
        }
        if spec.kind == ChartKind::Map {
            let map = super::map::MapValues::of(spec, table);
            return if map.countries.is_empty() && map.not_mapped.iter().all(|p| p.value.is_none()) {
                PreparedChart::NoNumbers {
                    values: map.values,
                    table: table.clone(),
                }
            } else {
                PreparedChart::Mapped { map }
            };
        }
        let values = super::aggregate::chart_values(spec, table);
        if values.values.iter().flatten().any(Option::is_some) {
            PreparedChart::Drawn { values }
        } else {
            PreparedChart::NoNumbers {
                values,
                table: table.clone(),
            }
        }
    }
}

/// A row the chart could not use, and why: the honesty note under every chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedRow {
    pub line: usize,
    /// What identifies the row to a reader (its first text cell, such as the investor).
    pub label: String,
    /// The value as written ("Undisclosed"), or empty when the cell was blank.
    pub value: String,
}

/// A chart's values after filtering, aggregation, sorting and the limit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartValues {
    /// One label per category along the x axis (or per bar of an hbar chart).
    pub categories: Vec<String>,
    /// Series names; a single unnamed series is `[""]`.
    pub series: Vec<String>,
    /// `values[s][c]`: series `s` at category `c`; `None` where that pair had no number.
    pub values: Vec<Vec<Option<f64>>>,
    /// Decimals to show values with.
    pub decimals: u8,
    /// Rows the filter kept.
    pub rows_considered: usize,
    pub skipped: Vec<SkippedRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_too_large_to_be_exact_use_their_shortest_form() {
        assert_eq!(Number::format(2e40, 0), "2e40");
        assert_eq!(Number::format(-1.5e25, 2), "-1.5e25");
        assert_eq!(
            Number::format(123_456_789_012_345_680_000.0, 0),
            "123456789012345680000"
        );
        assert_eq!(Number::format(107.0, 0), "107");
        assert_eq!(Number::format(2.5, 1), "2.5");
        assert_eq!(Number::format(0.25, 2), "0.25");
        assert_eq!(Number::format(7.7, 2), "7.70");
        assert_eq!(Number::format(-0.0001, 2), "0.00");
        assert_eq!(Number::format(1e16, 0), "10000000000000000");
    }

    /// [`Number::format`] as it was before values below a power of ten skipped the shortest
    /// form: the reference the shortcut must equal.
    fn format_by_exponent(value: f64, decimals: u8) -> String {
        if value.is_finite() && value != 0.0 {
            let short = format!("{value:e}");
            let exponent: i32 = short.split_once('e').map_or(0, |(_, e)| e.parse().unwrap());
            if exponent + 1 + i32::from(decimals) > 17 {
                return if !(-6..21).contains(&exponent) {
                    short
                } else {
                    format!("{value}")
                };
            }
        }
        let text = format!("{:.*}", decimals as usize, value);
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_string()
        } else {
            text
        }
    }

    #[test]
    fn values_near_each_power_of_ten_format_as_by_their_exponent() {
        let mut values = vec![
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        for k in 0..=22 {
            let power = 10f64.powi(k);
            for v in [
                power,
                power.next_down(),
                power.next_up(),
                power * 0.999_999_9,
                power * 1.5,
            ] {
                values.extend([v, -v]);
            }
        }
        for v in values {
            for decimals in [0, 1, 2, 5, 12, 15, 16, 17, 20] {
                assert_eq!(
                    Number::format(v, decimals),
                    format_by_exponent(v, decimals),
                    "{v:e} at {decimals}"
                );
            }
        }
    }
}
