//! The accessible text of a chart: the `<title>` (its accessible name) and the `<desc>`, a
//! sentence or two saying what the chart shows: kind, categories, series, unit, the largest and
//! smallest value, what is missing.

use std::fmt::Write as _;

use super::SvgChart;
use super::data::{Data, axis_caption};
use super::text::clean;
use crate::model::chart::ChartKind;
use crate::model::time::{Axis, NAMED_MISSING, missing_points};

pub(crate) fn kind_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "Bar chart",
        ChartKind::HBar => "Horizontal bar chart",
        ChartKind::Line => "Line chart",
        ChartKind::StackedBar => "Stacked bar chart",
        ChartKind::Map => "Map",
        ChartKind::GroupedBar => "Grouped bar chart",
    }
}

/// The accessible name: the title, else what the values are by what, else the kind.
pub(crate) fn accessible_title(chart: &SvgChart) -> String {
    let title = clean(chart.title);
    if !title.is_empty() {
        return title;
    }
    let (y, x) = (clean(chart.y_label), clean(chart.x_label));
    match (y.is_empty(), x.is_empty()) {
        (false, false) => format!("{y} by {x}"),
        (false, true) => y,
        _ => kind_name(chart.kind).to_string(),
    }
}

/// The `<desc>`: kind, title, categories, series, largest and smallest value, unit.
pub(crate) fn describe(chart: &SvgChart, data: &Data) -> String {
    let mut d = String::from(kind_name(chart.kind));
    let title = clean(chart.title);
    if !title.is_empty() {
        let _ = write!(d, ": {title}");
    }
    d.push_str(". ");
    let n = data.n();
    let _ = write!(d, "{n} {}", if n == 1 { "category" } else { "categories" });
    let x = clean(chart.x_label);
    if !x.is_empty() {
        let _ = write!(d, " ({x})");
    }
    if data.ns() > 1 {
        let _ = write!(d, ", {} series: {}", data.ns(), data.series.join(", "));
    }
    let y = clean(chart.y_label);
    let unit = chart.unit.map(clean).unwrap_or_default();
    if !y.is_empty() || !unit.is_empty() {
        d.push_str("; values: ");
        d.push_str(&axis_caption(&y, Some(&unit)));
    }
    d.push_str(". ");
    extremes(&mut d, data, &unit);
    if chart.kind == ChartKind::Line {
        time_axis(&mut d, data);
        if let Some(m) = missing_points(&data.categories, &data.series, &data.values) {
            d.push(' ');
            d.push_str(&m);
        }
    } else {
        missing(&mut d, data);
    }
    annotations(&mut d, chart);
    d
}

/// How a line chart's x axis reads: "Years from 2015 to 2020, placed by time.", or why
/// values that look like periods are spaced as categories.
fn time_axis(d: &mut String, data: &Data) {
    match Axis::of(&data.categories) {
        Axis::Time(t) => {
            let (Some(&first), Some(&last)) = (t.order.first(), t.order.last()) else {
                return;
            };
            let (first, last) = (&data.categories[first], &data.categories[last]);
            let _ = write!(
                d,
                " {} from {first} to {last}, placed by time.",
                t.kind.plural()
            );
        }
        Axis::Mixed(why) => {
            d.push(' ');
            d.push_str(&why);
        }
        Axis::Categories => {}
    }
}

/// " Annotations: reference line at 50 USD bn, Target; marker at 2022, Launch."
fn annotations(d: &mut String, chart: &SvgChart) {
    if chart.annotations.is_empty() {
        return;
    }
    let line = chart.kind == ChartKind::Line;
    let phrases: Vec<String> = chart
        .annotations
        .iter()
        .map(|a| clean(&a.phrase(chart.unit, line, chart.numbers)))
        .collect();
    let _ = write!(d, " Annotations: {}.", phrases.join("; "));
}

/// "Largest: …, 12.25 USD bn. Smallest: …" (the largest and smallest value, with the unit).
fn extremes(d: &mut String, data: &Data, unit: &str) {
    let with_unit = |v: f64| data.numbers.with_unit(v, data.decimals, unit);
    let name = |s: usize, c: usize| {
        if data.ns() > 1 {
            format!("{} ({})", data.categories[c], data.series[s])
        } else {
            data.categories[c].clone()
        }
    };
    let mut largest: Option<(f64, usize, usize)> = None;
    let mut smallest: Option<(f64, usize, usize)> = None;
    for (s, row) in data.values.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let Some(v) = *v else { continue };
            if largest.is_none_or(|(l, ..)| v > l) {
                largest = Some((v, s, c));
            }
            if smallest.is_none_or(|(m, ..)| v < m) {
                smallest = Some((v, s, c));
            }
        }
    }
    match (largest, smallest) {
        (Some((lv, ls, lc)), Some((sv, ss, sc))) => {
            let _ = write!(d, "Largest: {}, {}.", name(ls, lc), with_unit(lv));
            if (ls, lc) != (ss, sc) {
                let _ = write!(d, " Smallest: {}, {}.", name(ss, sc), with_unit(sv));
            }
        }
        _ => d.push_str("No values to show."),
    }
}

/// What has no value: the categories (the first five) of a single series, else a count.
fn missing(d: &mut String, data: &Data) {
    let missing = data.values.iter().flatten().filter(|v| v.is_none()).count();
    let any = data.values.iter().flatten().any(Option::is_some);
    if missing > 0 && any {
        if data.ns() == 1 {
            let names: Vec<&str> = (0..data.n())
                .filter(|&c| data.values[0][c].is_none())
                .map(|c| data.categories[c].as_str())
                .collect();
            let _ = write!(
                d,
                " No value for {}",
                names[..names.len().min(NAMED_MISSING)].join(", ")
            );
            if names.len() > NAMED_MISSING {
                let _ = write!(d, " and {} more", names.len() - NAMED_MISSING);
            }
            d.push('.');
        } else {
            let _ = write!(
                d,
                " {missing} {} missing.",
                if missing == 1 { "value" } else { "values" }
            );
        }
    }
}
