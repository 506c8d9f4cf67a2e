//! Test helpers: chart values and charts to draw, and readers of the SVG drawn (texts, and
//! the geometry of bars, points, axes and ticks, parsed with roxmltree).

use crate::model::chart::{ChartKind, ChartValues};
use crate::render::chart_svg::SvgChart;

pub(crate) fn values(categories: &[&str], rows: &[&[Option<f64>]], decimals: u8) -> ChartValues {
    ChartValues {
        categories: categories.iter().map(|s| s.to_string()).collect(),
        series: if rows.len() == 1 {
            vec![String::new()]
        } else {
            (1..=rows.len()).map(|i| format!("S{i}")).collect()
        },
        values: rows.iter().map(|r| r.to_vec()).collect(),
        decimals,
        rows_considered: categories.len(),
        skipped: Vec::new(),
    }
}

pub(crate) fn chart<'a>(kind: ChartKind, title: &'a str, v: &'a ChartValues) -> SvgChart<'a> {
    SvgChart {
        id: "chart-test-1",
        kind,
        title,
        x_label: "region",
        y_label: "spend_usd_bn",
        unit: Some("USD bn"),
        values: v,
    }
}

pub(crate) fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The text content of every `<text>` element.
pub(crate) fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            let body = body.split("<title>").next().unwrap().trim();
            body.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

pub(crate) const SCRIPTS: [&str; 5] = ["Қазақстан", "한국", "日本", "مصر", "भारत"];
