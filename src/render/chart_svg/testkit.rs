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
        numbers: &NUMBERS,
        annotations: &[],
        shared: None,
    }
}

static NUMBERS: std::sync::LazyLock<crate::model::format::Numbers> =
    std::sync::LazyLock::new(Default::default);

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

/// A `<rect>` as drawn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Box2 {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
}

/// A `<text>` as drawn.
#[derive(Debug, Clone)]
pub(crate) struct Txt {
    pub(crate) class: String,
    pub(crate) text: String,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) anchor: String,
}

/// What a chart's SVG draws, read back from its elements.
#[derive(Debug, Default)]
pub(crate) struct Geometry {
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// `chart-bar` rects in drawing order.
    pub(crate) bars: Vec<Box2>,
    /// `chart-point` centres in drawing order.
    pub(crate) points: Vec<(f64, f64)>,
    /// `chart-line` polylines.
    pub(crate) lines: Vec<Vec<(f64, f64)>>,
    /// `chart-axis` polylines.
    pub(crate) axes: Vec<Vec<(f64, f64)>>,
    /// `chart-grid` polylines.
    pub(crate) grid: Vec<Vec<(f64, f64)>>,
    pub(crate) texts: Vec<Txt>,
}

fn num(node: roxmltree::Node, name: &str) -> f64 {
    let v = node
        .attribute(name)
        .unwrap_or_else(|| panic!("no {name} on {node:?}"));
    v.parse()
        .unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
}

fn points(node: roxmltree::Node) -> Vec<(f64, f64)> {
    node.attribute("points")
        .unwrap()
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// Parses `svg` (it must be well-formed XML) into what it draws.
pub(crate) fn geometry(svg: &str) -> Geometry {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    let root = doc.root_element();
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let mut g = Geometry {
        width: view_box[2],
        height: view_box[3],
        ..Geometry::default()
    };
    for e in root.children().filter(|n| n.is_element()) {
        let class = e.attribute("class").unwrap_or("");
        let has = |c: &str| class.split(' ').any(|x| x == c);
        match e.tag_name().name() {
            "rect" if has("chart-bar") => g.bars.push(Box2 {
                x: num(e, "x"),
                y: num(e, "y"),
                w: num(e, "width"),
                h: num(e, "height"),
            }),
            "circle" if has("chart-point") => g.points.push((num(e, "cx"), num(e, "cy"))),
            "polyline" if has("chart-line") => g.lines.push(points(e)),
            "polyline" if has("chart-axis") => g.axes.push(points(e)),
            "polyline" if has("chart-grid") => g.grid.push(points(e)),
            "text" => g.texts.push(Txt {
                class: class.to_string(),
                text: e
                    .children()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect(),
                x: num(e, "x"),
                y: num(e, "y"),
                anchor: e.attribute("text-anchor").unwrap_or("start").to_string(),
            }),
            _ => {}
        }
    }
    g
}

impl Geometry {
    /// The texts with class `class`.
    pub(crate) fn texts_of(&self, class: &str) -> Vec<&Txt> {
        self.texts
            .iter()
            .filter(|t| t.class.split(' ').any(|c| c == class))
            .collect()
    }

    /// The value axis of a vertical chart, read from its tick labels and grid lines:
    /// `y(value)`. Panics unless every grid line sits where its tick label says and the
    /// ticks are evenly spaced in value and in position.
    pub(crate) fn value_to_y(&self) -> impl Fn(f64) -> f64 {
        let ticks: Vec<(f64, f64)> = self
            .texts_of("chart-tick")
            .iter()
            .map(|t| (t.text.replace('\u{2212}', "-").parse::<f64>().unwrap(), t.y))
            .collect();
        assert!(ticks.len() >= 2, "{ticks:?}");
        assert_eq!(ticks.len(), self.grid.len());
        for ((_, ty), line) in ticks.iter().zip(&self.grid) {
            assert!(
                line.iter().all(|p| (p.1 - ty).abs() < 1e-9),
                "{line:?} at {ty}"
            );
        }
        let (v0, y0) = ticks[0];
        let (v1, y1) = ticks[ticks.len() - 1];
        let per_value = (y1 - y0) / (v1 - v0);
        assert!(per_value < 0.0, "values grow upwards");
        for &(v, y) in &ticks {
            assert!(
                (y0 + (v - v0) * per_value - y).abs() <= 0.1,
                "tick {v} at {y}"
            );
        }
        move |v| y0 + (v - v0) * per_value
    }
}

/// `a` and `b` agree to within `tol`.
#[track_caller]
pub(crate) fn near(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} is not {b} (±{tol})");
}
