//! The small-multiples keys of a chart block, `facet:` and `scales:`, checked against the
//! block's other keys (kept apart from charts.rs, which reads every other key).

use super::fields::Mapping;
use crate::model::chart::ChartKind;
use crate::model::facet::{Facet, Scales};

/// `facet:` (a column: one small chart per value) and `scales:` (shared, the default, or
/// free), checked against the chart's other keys.
pub(super) fn facet(
    m: &mut Mapping,
    kind: ChartKind,
    x: Option<&str>,
    series: Option<&str>,
) -> Option<Facet> {
    let scales = m.choice_of("scales", &Scales::NAMES, Scales::parse);
    let Some(column) = m.trimmed("facet") else {
        if scales.is_some() {
            m.error(
                "chart/bad-value",
                Some("scales"),
                "chart `scales` is for small multiples: it needs `facet`".to_string(),
                "add `facet: region` (a column: one small chart per value), or remove `scales`",
            );
        }
        return None;
    };
    if kind == ChartKind::Map {
        m.error(
            "chart/bad-value",
            Some("facet"),
            "a map cannot be drawn as small multiples (`facet`) yet".to_string(),
            "remove `facet`, or draw a bar chart of the same data with `type: bar`",
        );
        return None;
    }
    for (key, other) in [("x", x), ("series", series)] {
        if other.is_some_and(|o| o.eq_ignore_ascii_case(&column)) {
            m.error(
                "chart/bad-value",
                Some("facet"),
                format!("chart `facet` and `{key}` both name \"{column}\": each small chart would show one {key} value"),
                format!("facet by another column than `{key}`, e.g. `facet: region` with `x: year`"),
            );
            return None;
        }
    }
    Some(Facet {
        column,
        scales: scales.unwrap_or_default(),
    })
}
