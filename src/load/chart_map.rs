//! The keys only maps take, checked in a chart block: `classes` or `breaks` (the colour
//! classes), and the keys a map cannot take (a map shows one value per country).

use serde_json::Value;

use super::fields::Mapping;
use crate::model::chart::{Aggregate, ChartKind, MapClasses};

/// `classes:` or `breaks:`, a map's colour classes; either is an error on another chart.
pub(super) fn map_classes(m: &mut Mapping, kind: ChartKind) -> MapClasses {
    let asked = ["classes", "breaks"].into_iter().find(|k| m.has(k));
    if let Some(key) = asked
        && kind != ChartKind::Map
    {
        m.error(
            "chart/bad-value",
            Some(key),
            format!("chart `{key}` is for maps only (colour classes)"),
            "remove it, or draw the chart as a map with `type: map`",
        );
        m.take(key);
        return MapClasses::Auto;
    }
    if m.has("classes") && m.has("breaks") {
        m.error(
            "chart/conflicting-keys",
            Some("breaks"),
            "chart block has both `classes` and `breaks`".to_string(),
            "use `classes: 5` to let briefing cut the values, or `breaks: [1, 10, 100]` to cut them yourself, not both",
        );
        m.take("classes");
        m.take("breaks");
        return MapClasses::Auto;
    }
    let most = MapClasses::MAX_COUNT as u64;
    if let Some(n) = m.count_of(
        "classes",
        2..=most,
        "write `classes: 5` for five colour classes",
    ) {
        return MapClasses::Count(n as usize);
    }
    match breaks(m) {
        Some(edges) => MapClasses::Breaks(edges),
        None => MapClasses::Auto,
    }
}

/// `breaks: [1, 10, 100]`: numbers, ascending, at most one fewer than the colour classes.
fn breaks(m: &mut Mapping) -> Option<Vec<f64>> {
    const HELP: &str = "write the class edges in ascending order, e.g. `breaks: [1, 10, 100]`";
    let value = m.take("breaks")?;
    let edges: Option<Vec<f64>> = match &value {
        Value::Array(items) => items.iter().map(Value::as_f64).collect(),
        Value::Number(n) => n.as_f64().map(|v| vec![v]),
        _ => None,
    };
    let Some(edges) = edges.filter(|e| !e.is_empty() && e.iter().all(|v| v.is_finite())) else {
        m.error(
            "chart/wrong-type",
            Some("breaks"),
            "chart `breaks` must be a list of numbers".to_string(),
            HELP,
        );
        return None;
    };
    let most = MapClasses::MAX_COUNT - 1;
    if edges.len() > most || edges.windows(2).any(|p| p[0] >= p[1]) {
        m.error(
            "chart/bad-value",
            Some("breaks"),
            format!(
                "chart `breaks` must be at most {most} numbers, each larger than the one before"
            ),
            HELP,
        );
        return None;
    }
    Some(edges)
}

/// A map shows one value per country: no series, no "Other", no row-by-row values.
pub(super) fn map_only_one_value(m: &mut Mapping, series: bool, limit: bool, aggregate: Aggregate) {
    let one = "a map shows one value per country";
    if series {
        m.error(
            "chart/bad-value",
            Some("series"),
            format!("{one}, so it takes no `series`"),
            "remove `series`, or keep one series with `filter: {sector: Compute}`",
        );
    }
    if limit {
        m.error(
            "chart/bad-value",
            Some("limit"),
            format!("{one} and shows every country, so it takes no `limit`"),
            "remove `limit`; a bar chart of the same data can keep the top N",
        );
    }
    if aggregate == Aggregate::None {
        m.error(
            "chart/bad-value",
            Some("aggregate"),
            format!(
                "{one}, so rows of one country are combined: `aggregate: none` cannot be mapped"
            ),
            "write `aggregate: sum` (or mean, count, min, max)",
        );
    }
}
