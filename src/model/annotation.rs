//! Chart annotations: what an `annotate:` item of a chart block asks to draw. Plain data,
//! validated for shape at load time (src/load/annotate.rs); whether an `x` names one of the
//! chart's categories is only known once its data is read, at render time.

use super::format::Numbers;

/// Where an annotation sits: on the value axis (`y`) or the category axis (`x`), at one value
/// or over a band between two.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationAt {
    /// `y: 50`: a reference line across the plot at that value.
    Y(f64),
    /// `y: [10, 20]`: a band of the value axis, low to high.
    YBand(f64, f64),
    /// `x: 2022` or `x: France`: an x value as written in the data. A marker on a line chart
    /// (or, with `series`, a note pinned to that series' point); a note pinned to that bar on
    /// a bar chart.
    X(String),
    /// `x: [2020, 2021]`: a band of the category axis, first to last, as written.
    XBand(String, String),
}

/// One `annotate:` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub at: AnnotationAt,
    /// The text shown, never empty.
    pub label: String,
    /// For an `x` on a line chart: the series whose point the note is pinned to.
    pub series: Option<String>,
    /// Byte offset of the item's line in the brief, for problems found at render time.
    pub offset: usize,
}

impl Annotation {
    /// The most annotations one chart takes: more would bury the data.
    pub const MAX: usize = 20;
}

impl Annotation {
    /// What the annotation is, in words, for the chart's `<desc>` and its note: "reference
    /// line at 50 USD bn, Target", "marker at 2022, Stargate announced". `line` says whether
    /// the chart is a line chart, where an `x` alone is a marker rather than a note.
    pub fn phrase(&self, unit: Option<&str>, line: bool, numbers: &Numbers) -> String {
        let unit = unit.map(str::trim).unwrap_or_default();
        let value = |v: f64| numbers.with_unit(v, Annotation::places(v), unit);
        let what = match (&self.at, &self.series) {
            (AnnotationAt::Y(v), _) => format!("reference line at {}", value(*v)),
            (AnnotationAt::YBand(a, b), _) => format!("band from {} to {}", value(*a), value(*b)),
            (AnnotationAt::X(x), Some(s)) => format!("note at {x} ({s})"),
            (AnnotationAt::X(x), None) if line => format!("marker at {x}"),
            (AnnotationAt::X(x), None) => format!("note on {x}"),
            (AnnotationAt::XBand(a, b), _) => format!("band from {a} to {b}"),
        };
        format!("{what}, {}", self.label)
    }

    /// A `y` as an editor would write it: `50`, `12.5`, never `50.000000000000`.
    /// `v` as the chart writes its numbers (its `format`, the site's language), with the
    /// places the editor wrote it with: `1 000,5` in French.
    pub fn value_shown(v: f64, numbers: &Numbers) -> String {
        numbers.value(v, Annotation::places(v))
    }

    /// How many places `v` was written with (at most 10): `0.25` has 2.
    fn places(v: f64) -> u8 {
        let text = Annotation::value_text(v);
        let places = text.split_once('.').map_or(0, |(_, f)| f.len());
        places.min(10) as u8
    }

    pub fn value_text(v: f64) -> String {
        let text = super::chart::Number::format(v, 12);
        if text.contains('.') && !text.contains('e') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    }

    /// The values of `x` the annotation names (one, or a band's two ends).
    pub fn x_values(&self) -> Vec<&str> {
        match &self.at {
            AnnotationAt::X(x) => vec![x.as_str()],
            AnnotationAt::XBand(a, b) => vec![a.as_str(), b.as_str()],
            AnnotationAt::Y(_) | AnnotationAt::YBand(..) => Vec::new(),
        }
    }
}
