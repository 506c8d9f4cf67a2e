//! Columns (vertical bars): one slot per category along the x axis, bars side by side when
//! grouped, segments on top of each other when stacked, a value label over each bar (or stack)
//! when they all fit, category labels under the plot. Gives up (None) when a category label
//! does not fit under its slot: the caller then draws horizontal bars.

use plotters::style::text_anchor::HPos;

use super::annotate::{Frame, Plan};
use super::{
    CATEGORY_GAP, PAD, PLOT_HEIGHT, category_drop, category_row, fits_in_row, header,
    reaches_under_ticks,
};
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::data::Data;
use crate::render::chart_svg::scale::{Scale, ValueAxis};
use crate::render::chart_svg::scene::Scene;
use crate::render::chart_svg::text::{LINE, Label, TEXT_DOWN, TEXT_UP};

/// How much wider than its slot a category label may be (neighbours are checked apart).
const LABEL_OVERHANG: f64 = 1.4;
/// Share of the slot a single (or stacked) bar takes, and its widest.
const BAR_SHARE: f64 = 0.64;
const BAR_MAX: f64 = 64.0;
/// Share of the slot a group of bars takes, and the widest bar in a group.
const GROUP_SHARE: f64 = 0.8;
const GROUP_BAR_MAX: f64 = 40.0;
/// Space between the bars of a group.
const GROUP_BAR_GAP: f64 = 1.0;
/// Least space between neighbouring value labels.
const VALUE_LABEL_GAP: f64 = 4.0;
/// Space between a bar's end and its value label.
const VALUE_OFFSET: f64 = 4.0;
/// Room above the plot for the value labels of the tallest bars.
const VALUE_ROOM: f64 = LINE + 6.0;
/// Room kept between a value label hanging below the plot and the category labels.
const VALUE_CLEARANCE: f64 = 2.0;

/// Where the slots and bars of the columns go along x.
struct Columns {
    x0: f64,
    slot: f64,
    grouped: bool,
    group_w: f64,
    bar_w: f64,
}

impl Columns {
    fn new(x0: f64, x1: f64, n: usize, ns: usize, stacked: bool) -> Columns {
        let slot = (x1 - x0) / n as f64;
        let grouped = !stacked && ns > 1;
        let group_w = if grouped {
            (slot * GROUP_SHARE).min(ns as f64 * GROUP_BAR_MAX)
        } else {
            (slot * BAR_SHARE).min(BAR_MAX)
        };
        let bar_w = if grouped {
            group_w / ns as f64
        } else {
            group_w
        };
        Columns {
            x0,
            slot,
            grouped,
            group_w,
            bar_w,
        }
    }

    /// The middle of category `c`'s slot.
    fn centre(&self, c: usize) -> f64 {
        self.x0 + self.slot * (c as f64 + 0.5)
    }

    /// The left edge of the bar of series `s` in category `c` (all series share it unless
    /// grouped).
    fn bar_left(&self, c: usize, s: usize) -> f64 {
        let s = if self.grouped { s } else { 0 };
        self.centre(c) - self.group_w / 2.0 + s as f64 * self.bar_w
    }

    fn bar_centre(&self, c: usize, s: usize) -> f64 {
        self.bar_left(c, s) + self.bar_w / 2.0
    }
}

/// Columns. None when a category label does not fit under its column: the caller then
/// draws horizontal bars instead.
pub(crate) fn vertical_bars(
    data: &Data,
    stacked: bool,
    caption: &str,
    plan: &Plan,
) -> Option<Scene> {
    let (lo, hi) = plan.domain(data.bar_domain(stacked));
    let axis = ValueAxis::new(lo, hi, &data.numbers);
    let (x0, x1) = (axis.plot_left(), WIDTH - PAD - plan.margin());
    let cols = Columns::new(x0, x1, data.n(), data.ns(), stacked);
    let labels: Vec<Label> = data.categories.iter().map(|c| Label::new(c)).collect();
    let placed: Vec<(f64, f64)> = labels
        .iter()
        .enumerate()
        .map(|(c, l)| (cols.centre(c), l.width))
        .collect();
    let too_wide = labels.iter().any(|l| l.width > cols.slot * LABEL_OVERHANG);
    if too_wide || !fits_in_row(&placed, CATEGORY_GAP) {
        return None;
    }

    // Value labels: one per bar (or per stack), shown only if every one fits its bar.
    let value_labels = data.value_labels(stacked);
    let placed: Vec<(f64, f64)> = value_labels
        .iter()
        .map(|(c, s, _, l)| (cols.bar_centre(*c, *s), l.width))
        .collect();
    let show_values = fits_in_row(&placed, VALUE_LABEL_GAP);

    let mut scene = Scene::new();
    let x_of = |x: &str| data.categories.iter().position(|c| c == x);
    let mark_of = |x: &str, s: Option<&str>| Some(mark_top(data, &cols, x_of(x)?, s, show_values));
    let mut frame = Frame::new((x0, 0.0, x1, 0.0), false, axis.vertical(0.0));
    let centre = |x: &str| x_of(x).map(|c| cols.centre(c));
    (frame.x_of, frame.mark_of, frame.half_slot) = (&centre, &mark_of, cols.slot / 2.0);
    frame.margin_from = placed
        .iter()
        .filter(|_| show_values)
        .fold(x1, |m, (c, w)| m.max(c + w / 2.0));
    let rows_top = header(&mut scene, caption, data);
    let top = rows_top + plan.rows_height(&frame);
    let above = if show_values { VALUE_ROOM } else { TEXT_UP };
    let py0 = top + above.max(TEXT_UP);
    let y = axis.vertical(py0);
    axis.draw(&mut scene, &y, x0, x1);
    draw_bars(&mut scene, data, &cols, &y, stacked);
    let zero = y.at(0.0);
    scene.rule(vec![(x0, zero), (x1, zero)], true);

    let mut below = category_drop(reaches_under_ticks(cols.centre(0), labels[0].width, x0));
    if show_values {
        if value_labels.iter().any(|(_, _, a, _)| *a < 0.0) {
            below = VALUE_OFFSET + LINE + VALUE_CLEARANCE + TEXT_UP;
        }
        for (c, s, anchor, label) in value_labels {
            let ly = if anchor < 0.0 {
                y.at(anchor) + VALUE_OFFSET + TEXT_UP
            } else {
                y.at(anchor) - VALUE_OFFSET - TEXT_DOWN
            };
            let class = "chart-text chart-value";
            scene.text(cols.bar_centre(c, s), ly, label, HPos::Center, class);
        }
    }
    (frame.plot.1, frame.plot.3, frame.value) = (py0, py0 + PLOT_HEIGHT, y);
    plan.draw(&mut scene, &frame, rows_top);
    let label_y = py0 + PLOT_HEIGHT + below;
    scene.height = category_row(&mut scene, labels, label_y, |c| cols.centre(c), |_| true);
    Some(scene)
}

/// What a note on category `c` points at: its middle, the value at the top of its bars (or
/// stack), and the room its value label takes above that; in a group, the bar of `series`.
fn mark_top(
    data: &Data,
    cols: &Columns,
    c: usize,
    series: Option<&str>,
    values: bool,
) -> (f64, f64, f64) {
    let one = series.and_then(|name| data.series.iter().position(|s| s == name));
    let (x, top) = match one {
        Some(s) if cols.grouped => (
            cols.bar_centre(c, s),
            data.values[s][c].unwrap_or(0.0).max(0.0),
        ),
        _ if cols.grouped => (
            cols.centre(c),
            data.values.iter().filter_map(|r| r[c]).fold(0.0, f64::max),
        ),
        _ => (cols.centre(c), data.stack(c).0),
    };
    let room = if values && top > 0.0 {
        VALUE_OFFSET + LINE
    } else {
        0.0
    };
    (x, top, room)
}

/// The bars: from zero to the value, or stacked (positive values up from zero, negative
/// values down from it, each segment starting where the last one of its sign ended).
fn draw_bars(scene: &mut Scene, data: &Data, cols: &Columns, y: &Scale, stacked: bool) {
    let zero = y.at(0.0);
    let gap = if cols.grouped { GROUP_BAR_GAP } else { 0.0 };
    for c in 0..data.n() {
        let (mut pos, mut neg) = (0.0, 0.0);
        for (s, row) in data.values.iter().enumerate() {
            let Some(v) = row[c] else { continue };
            let left = cols.bar_left(c, s);
            let right = left + cols.bar_w - gap;
            if stacked {
                let base = if v >= 0.0 { pos } else { neg };
                let corners = [(left, y.at(base)), (right, y.at(base + v))];
                scene.bar(corners, s, data.mark(c, s, v));
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
            } else {
                scene.bar([(left, zero), (right, y.at(v))], s, data.mark(c, s, v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::chart::ChartKind;
    use crate::render::chart_svg::render_svg;
    use crate::render::chart_svg::testkit::{chart, geometry, near, texts, values};

    #[test]
    fn negative_bars_hang_below_the_zero_axis() {
        let v = values(&["up", "down"], &[&[Some(4.0), Some(-2.0)]], 0);
        let svg = render_svg(&chart(ChartKind::Bar, "t", &v)).unwrap();
        let g = geometry(&svg);
        let y = g.value_to_y();
        let zero = y(0.0);
        // The axis and the "0" tick are at value 0, between the two bars.
        let axis = &g.axes[0];
        assert!(axis.iter().all(|p| (p.1 - zero).abs() <= 0.1), "{axis:?}");
        let tick0 = g.texts_of("chart-tick").into_iter().find(|t| t.text == "0");
        near(tick0.expect("a 0 tick").y, zero, 0.1, "0 tick");
        let (up, down) = (g.bars[0], g.bars[1]);
        // "up" stands on the axis and rises above it; "down" hangs from it, half as long.
        near(up.y + up.h, zero, 0.11, "up's foot");
        assert!(up.y < zero - 1.0);
        near(down.y, zero, 0.11, "down's top");
        assert!(down.y + down.h > zero + 1.0);
        near(down.h * 2.0, up.h, 0.3, "down is half of up");
        // Value labels: above the positive bar, below the negative one.
        let value = |text: &str| {
            g.texts_of("chart-value")
                .into_iter()
                .find(|t| t.text == text)
                .unwrap_or_else(|| panic!("no value label {text}: {:?}", texts(&svg)))
                .y
        };
        assert!(value("4") < up.y, "4 above its bar");
        assert!(value("-2") > down.y + down.h, "-2 below its bar");
    }

    #[test]
    fn crowded_or_long_labels_fall_back_to_horizontal_bars() {
        let long = [
            "Côte d'Ivoire",
            "NAVER + NVIDIA (South Korea)",
            "United Kingdom of Great Britain",
            "Bosnia and Herzegovina",
        ];
        let short = ["CI", "KR", "UK", "BA"];
        let row: &[Option<f64>] = &[Some(1.5), Some(22.0), Some(3.25), Some(4.0)];
        let columns = values(&short, &[row], 2);
        let rows = values(&long, &[row], 2);

        // Short labels: columns, labels centred under them, bars all one width.
        let g = geometry(&render_svg(&chart(ChartKind::Bar, "t", &columns)).unwrap());
        let cats = g.texts_of("chart-category");
        assert!(cats.iter().all(|t| t.anchor == "middle"), "{cats:?}");
        assert!(g.bars.iter().all(|b| (b.w - g.bars[0].w).abs() < 1e-9));
        assert!(g.bars.windows(2).all(|p| p[1].x > p[0].x), "left to right");

        // Long labels: the same bar chart drawn horizontally: every label whole and not
        // centred, every bar one thickness from the same zero line, one row below the last.
        let svg = render_svg(&chart(ChartKind::Bar, "t", &rows)).unwrap();
        let g = geometry(&svg);
        let cats = g.texts_of("chart-category");
        let shown: Vec<&str> = cats.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(shown, long);
        assert!(cats.iter().all(|t| t.anchor != "middle"), "{cats:?}");
        assert_eq!(g.bars.len(), 4);
        for b in &g.bars {
            near(b.h, g.bars[0].h, 1e-9, "one thickness");
            near(b.x, g.bars[0].x, 1e-9, "one zero line");
        }
        assert!(g.bars.windows(2).all(|p| p[1].y > p[0].y), "top to bottom");
        assert!(
            g.bars[1].w > g.bars[0].w * 10.0,
            "22 is far longer than 1.5"
        );
    }
}
