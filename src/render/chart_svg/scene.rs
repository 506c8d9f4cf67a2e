//! The display list: what a layout decided to draw, in viewBox units and drawing order, each
//! item with the classes the site stylesheet colours it by and a light-mode fallback colour.
//!
//! Layouts fill a [`Scene`] first and [`super::draw`] draws it afterwards: the SVG's height
//! (its viewBox) is only known once the whole layout is done, and a plotters backend must know
//! its size before the first element is drawn.

use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

use super::text::Label;

/// Light-mode fallbacks for the CSS custom properties `--chart-1` … `--chart-8`.
const SERIES_COLOURS: [RGBColor; 8] = [
    RGBColor(0x0d, 0x5a, 0x9e),
    RGBColor(0xc8, 0x51, 0x0a),
    RGBColor(0x0f, 0x7a, 0x63),
    RGBColor(0xb2, 0x3a, 0x7c),
    RGBColor(0x8a, 0x6d, 0x00),
    RGBColor(0x3f, 0x86, 0xc9),
    RGBColor(0x6a, 0x4b, 0xb0),
    RGBColor(0x6b, 0x69, 0x63),
];
pub(crate) const TEXT_COLOUR: RGBColor = RGBColor(0x4a, 0x48, 0x43);
const AXIS_COLOUR: RGBColor = RGBColor(0x6b, 0x69, 0x63);
const GRID_COLOUR: RGBColor = RGBColor(0xe6, 0xe2, 0xda);
/// Stroke widths of axis and grid rules and of series lines.
const RULE_WIDTH: f64 = 1.0;
const SERIES_LINE_WIDTH: f64 = 2.0;

/// What to draw, in viewBox units; one SVG element each.
pub(crate) enum Op {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        colour: RGBColor,
        class: String,
        /// What a bar stands for (`<title>`, `data-*`); none for a legend swatch.
        mark: Option<Mark>,
    },
    Path {
        points: Vec<(f64, f64)>,
        colour: RGBColor,
        width: f64,
        class: String,
    },
    Dot {
        x: f64,
        y: f64,
        r: f64,
        colour: RGBColor,
        class: String,
        mark: Option<Mark>,
    },
    /// A filled shape of one or more rings (a country), drawn as one `<path>`.
    Shape {
        rings: Vec<Vec<(f64, f64)>>,
        colour: RGBColor,
        marks: Marks,
    },
    /// A dot that stands for a shape too small to see (a country such as Singapore).
    Marker {
        x: f64,
        y: f64,
        r: f64,
        colour: RGBColor,
        marks: Marks,
    },
    /// A text centred vertically on `y`.
    Text {
        x: f64,
        y: f64,
        label: Label,
        anchor: HPos,
        class: &'static str,
    },
}

/// What a shape or marker says about itself: its classes, a `<title>` a hover shows, and
/// attributes such as `data-iso` or a pattern `fill`.
pub(crate) struct Marks {
    pub(crate) class: String,
    pub(crate) title: Option<String>,
    pub(crate) attrs: Vec<(&'static str, String)>,
}

/// What one bar, segment or point stands for: the `<title>` a hover shows ("France,
/// Compute: 2.5 USD bn") and its `data-label`, `data-series` and `data-value`, the value as
/// the data table shows it.
pub(crate) struct Mark {
    pub(crate) title: String,
    pub(crate) attrs: Vec<(&'static str, String)>,
}

/// A chart's display list and its height (the width is always [`super::WIDTH`]).
pub(crate) struct Scene {
    pub(crate) ops: Vec<Op>,
    pub(crate) height: f64,
}

/// The classes of a series' element: `chart-bar chart-series-1`.
fn series_class(kind: &str, series: usize) -> String {
    format!("{kind} chart-series-{}", series % SERIES_COLOURS.len() + 1)
}

fn series_colour(series: usize) -> RGBColor {
    SERIES_COLOURS[series % SERIES_COLOURS.len()]
}

impl Scene {
    pub(crate) fn new() -> Scene {
        Scene {
            ops: Vec::new(),
            height: 0.0,
        }
    }

    /// A text centred vertically on `y`; an empty label draws nothing.
    pub(crate) fn text(&mut self, x: f64, y: f64, label: Label, anchor: HPos, class: &'static str) {
        if !label.text.is_empty() {
            self.ops.push(Op::Text {
                x,
                y,
                label,
                anchor,
                class,
            });
        }
    }

    /// A rectangle of series `series` (a bar or a legend swatch), corners in any order.
    pub(crate) fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, series: usize, kind: &str) {
        self.rect_marked(x0, y0, x1, y1, series, kind, None);
    }

    /// A bar (or stacked segment) of series `series` that says what it stands for.
    pub(crate) fn bar(&mut self, corners: [(f64, f64); 2], series: usize, mark: Mark) {
        let [(x0, y0), (x1, y1)] = corners;
        self.rect_marked(x0, y0, x1, y1, series, "chart-bar", Some(mark));
    }

    #[allow(clippy::too_many_arguments)]
    fn rect_marked(
        &mut self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        series: usize,
        kind: &str,
        mark: Option<Mark>,
    ) {
        self.ops.push(Op::Rect {
            mark,
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
            colour: series_colour(series),
            class: series_class(kind, series),
        });
    }

    /// An axis line, or a grid line when `axis` is false.
    pub(crate) fn rule(&mut self, points: Vec<(f64, f64)>, axis: bool) {
        self.ops.push(Op::Path {
            points,
            colour: if axis { AXIS_COLOUR } else { GRID_COLOUR },
            width: RULE_WIDTH,
            class: if axis { "chart-axis" } else { "chart-grid" }.to_string(),
        });
    }

    /// The line of series `series` through `points`.
    pub(crate) fn line(&mut self, points: Vec<(f64, f64)>, series: usize) {
        self.ops.push(Op::Path {
            points,
            colour: series_colour(series),
            width: SERIES_LINE_WIDTH,
            class: series_class("chart-line", series),
        });
    }

    /// A dot of radius `r` marking one value of series `series`, saying what it stands for.
    pub(crate) fn dot(&mut self, x: f64, y: f64, r: f64, series: usize, mark: Mark) {
        self.ops.push(Op::Dot {
            mark: Some(mark),
            x,
            y,
            r,
            colour: series_colour(series),
            class: series_class("chart-point", series),
        });
    }
}
