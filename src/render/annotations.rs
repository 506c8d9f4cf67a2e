//! A chart's annotations against its data: which can be drawn (each `x` names a category,
//! each `series` a series, a band's ends in the order of the axis), the warnings for those that
//! cannot, and the figure's note that lists them all.

use crate::diag::{Diag, did_you_mean};
use crate::model::annotation::{Annotation, AnnotationAt};
use crate::model::chart::{ChartKind, ChartSpec, ChartValues};
use crate::model::format::Numbers;
use crate::model::time::{self, Axis};

/// The annotations to draw, and those left out with the warning saying why.
pub(super) fn split(
    spec: &ChartSpec,
    values: &ChartValues,
) -> (Vec<Annotation>, Vec<(Annotation, Diag)>) {
    let mut drawn = Vec::new();
    let mut not_drawn = Vec::new();
    for (i, a) in spec.annotate.iter().enumerate() {
        match problem(spec, values, a, i + 1) {
            None => drawn.push(a.clone()),
            Some(d) => not_drawn.push((a.clone(), d)),
        }
    }
    (drawn, not_drawn)
}

fn position(values: &ChartValues, x: &str) -> Option<usize> {
    values.categories.iter().position(|c| c.trim() == x)
}

/// Where `x` lies along the chart's x axis, as a number that orders it: on a line chart over
/// time its period, so `2022` is on an axis of 2015…2025 whether or not 2022 has a row; else
/// the index of the category it names. A note pinned to a series' point (`series:`) needs
/// that point, so its `x` must name a category either way.
fn place(spec: &ChartSpec, values: &ChartValues, a: &Annotation, x: &str) -> Option<f64> {
    if spec.kind == ChartKind::Line
        && a.series.is_none()
        && let Axis::Time(t) = Axis::of(&values.categories)
    {
        let p = time::position(x.trim(), t.kind)?;
        let lo = t.at.iter().copied().min()? as f64;
        let hi = t.at.iter().copied().max()? as f64;
        return (lo - 1e-9 <= p && p <= hi + 1e-9).then_some(p);
    }
    position(values, x).map(|c| c as f64)
}

/// Why annotation `n` cannot be drawn, if it cannot.
fn problem(spec: &ChartSpec, values: &ChartValues, a: &Annotation, n: usize) -> Option<Diag> {
    let chart = spec.number;
    let not_drawn = |message: String, help: String| {
        Some(Diag::warning("chart/annotation-not-drawn", message).with_help(help))
    };
    for x in a.x_values() {
        if place(spec, values, a, x).is_none() {
            let help = match nearest(x, &values.categories) {
                Some(near) => format!(
                    "did you mean `x: {near}`? An `x` names a category as the data writes it"
                ),
                None => "an `x` names a category as the data writes it".to_string(),
            };
            let message = format!(
                "annotation {n} of chart {chart}: `x: {x}` is not one of the chart's categories, so it is not drawn"
            );
            return not_drawn(message, help);
        }
    }
    if let AnnotationAt::XBand(lo, hi) = &a.at
        && place(spec, values, a, lo) >= place(spec, values, a, hi)
    {
        let message = format!(
            "annotation {n} of chart {chart}: the band from {lo} to {hi} runs backwards on the axis, so it is not drawn"
        );
        return not_drawn(message, format!("write `x: [{hi}, {lo}]`"));
    }
    // A single unnamed series is named by its column.
    let single = values.series.len() == 1 && values.series[0].is_empty();
    if let Some(s) = &a.series
        && !values.series.iter().any(|name| name == s)
        && !(single && *s == spec.y)
    {
        let names: Vec<&str> = if single {
            vec![spec.y.as_str()]
        } else {
            values.series.iter().map(String::as_str).collect()
        };
        let help = match did_you_mean(s, &names) {
            Some(near) => format!("did you mean `series: {near}`?"),
            None => format!("the series are: {}", names.join(", ")),
        };
        let message = format!(
            "annotation {n} of chart {chart}: `series: {s}` is not one of the chart's series, so it is not drawn"
        );
        return not_drawn(message, help);
    }
    None
}

/// The category nearest to `x`: by value when both are numbers (years), else by spelling.
fn nearest<'a>(x: &str, categories: &'a [String]) -> Option<&'a str> {
    if let Ok(v) = x.parse::<f64>() {
        let by_value = categories
            .iter()
            .filter_map(|c| Some((c.trim().parse::<f64>().ok()?, c)))
            .min_by(|a, b| (a.0 - v).abs().total_cmp(&(b.0 - v).abs()));
        if let Some((_, c)) = by_value {
            return Some(c.as_str());
        }
    }
    // Edit distances against every label of a huge axis, for up to 20 annotations, would
    // cost more than the chart: past a few thousand labels, no spelling suggestion.
    const MOST_COMPARED: usize = 2_000;
    if categories.len() > MOST_COMPARED || x.len() > 200 {
        return None;
    }
    let names: Vec<&str> = categories.iter().map(String::as_str).collect();
    did_you_mean(x, &names)
}

/// The figure's note: "Annotations: reference line at 50 USD bn, Target; … Not drawn: …".
pub(super) fn note(
    spec: &ChartSpec,
    drawn: &[Annotation],
    not_drawn: &[(Annotation, Diag)],
    numbers: &Numbers,
) -> Option<String> {
    let line = spec.kind == ChartKind::Line;
    let unit = spec.unit.as_deref();
    let phrases = |list: &mut dyn Iterator<Item = &Annotation>| {
        list.map(|a| a.phrase(unit, line, numbers))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = Vec::new();
    if !drawn.is_empty() {
        out.push(format!("Annotations: {}.", phrases(&mut drawn.iter())));
    }
    if !not_drawn.is_empty() {
        let list = phrases(&mut not_drawn.iter().map(|(a, _)| a));
        out.push(format!("Not drawn (no such place on the axis): {list}."));
    }
    (!out.is_empty()).then(|| out.join(" "))
}
