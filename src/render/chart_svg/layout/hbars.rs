//! Horizontal bars: one row per category, labels beside the bars when they are short, else on
//! a line above each bar (full width, so long names need no shortening); a value label at the
//! end of every bar (or stack); the zero axis across the rows.

use plotters::style::text_anchor::HPos;

use super::annotate::{self, Plan};
use super::{INNER, PAD, header};
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::data::Data;
use crate::render::chart_svg::scale::Scale;
use crate::render::chart_svg::scene::Scene;
use crate::render::chart_svg::text::{LINE, Label, TEXT_UP, measure};

/// Room kept for a value label beyond its bar's end, and where the label starts.
const VALUE_ROOM_GAP: f64 = 6.0;
const VALUE_OFFSET: f64 = 5.0;
/// Labels go beside the bars when the longest takes at most this share of the width, and
/// sit this far from the bars.
const SIDE_LABEL_SHARE: f64 = 0.4;
const SIDE_LABEL_GAP: f64 = 10.0;
/// Labels beside the bars only if the bars keep at least this much room; bars always get at
/// least the second.
const MIN_SIDE_BAR_ROOM: f64 = 100.0;
const MIN_BAR_ROOM: f64 = 40.0;
/// Thickness of a single or stacked bar; of a bar in a group, and the distance from one
/// bar of a group to the next.
const BAR_H: f64 = 18.0;
const GROUP_BAR_H: f64 = 15.0;
const GROUP_BAR_STEP: f64 = 22.0;
/// Space between the header and the first row, and between rows.
const TOP_GAP: f64 = 4.0;
const ROW_GAP: f64 = 14.0;
/// Least height of a row with its label beside the bars, over a text line.
const SIDE_ROW_EXTRA: f64 = 8.0;
/// Space between a label above its bars and the bars.
const LABEL_GAP: f64 = 4.0;
/// How far the zero axis reaches past a row's bars, up and down.
const AXIS_OVERHANG: f64 = 4.0;

/// Where the bars go: labels beside them or above, and the value scale along x.
struct Frame {
    side: bool,
    /// Width of the longest category label.
    longest: f64,
    x: Scale,
    /// Thickness of one bar, and the distance between the bars of a group.
    bar_h: f64,
    step: f64,
    group_h: f64,
}

impl Frame {
    fn new(
        data: &Data,
        stacked: bool,
        value_labels: &[(usize, usize, f64, Label)],
        plan: &Plan,
    ) -> Frame {
        let (lo, hi) = plan.domain(data.bar_domain(stacked));
        let room = |negative: bool| {
            value_labels
                .iter()
                .filter(|v| (v.2 < 0.0) == negative)
                .map(|v| v.3.width + VALUE_ROOM_GAP)
                .fold(0.0, f64::max)
        };
        let (left_room, right_room) = (room(true), room(false));
        let longest = data
            .categories
            .iter()
            .map(|c| measure(c))
            .fold(0.0, f64::max);
        let (longest, left_room, right_room) = data.shared_room((longest, left_room, right_room));
        let bars_from = |side: bool| {
            if side {
                PAD + longest + SIDE_LABEL_GAP
            } else {
                PAD
            }
        };
        let bars_to = WIDTH - PAD - right_room - plan.gutter();
        let side = longest <= SIDE_LABEL_SHARE * INNER
            && bars_to - (bars_from(true) + left_room) >= MIN_SIDE_BAR_ROOM;
        let from = bars_from(side) + left_room;
        let x = Scale {
            lo,
            hi,
            from,
            to: bars_to.max(from + MIN_BAR_ROOM),
        };
        let grouped = !stacked && data.ns() > 1;
        let (bar_h, step) = if grouped {
            (GROUP_BAR_H, GROUP_BAR_STEP)
        } else {
            (BAR_H, 0.0)
        };
        let group_h = bar_h + step * (data.ns() - 1) as f64;
        Frame {
            side,
            longest,
            x,
            bar_h,
            step,
            group_h,
        }
    }

    fn bar_top(&self, group_top: f64, s: usize) -> f64 {
        group_top + s as f64 * self.step
    }
}

/// Horizontal bars: labels beside the bars when they are short, else on a line above each
/// bar (full width, so long names need no shortening); values at the end of every bar.
pub(crate) fn horizontal_bars(data: &Data, stacked: bool, caption: &str, plan: &Plan) -> Scene {
    let value_labels = data.value_labels(stacked || data.values.len() == 1);
    let f = Frame::new(data, stacked, &value_labels, plan);
    let zero = f.x.at(0.0);

    let mut scene = Scene::new();
    let mut frame = annotate::Frame::new((f.x.from, 0.0, f.x.to, 0.0), true, f.x);
    let rows_top = header(&mut scene, caption, data);
    let mut y = rows_top + plan.rows_height(&frame) + TOP_GAP;
    let mut axis_segments: Vec<(f64, f64)> = Vec::new();
    // (x of the bar's end, y of its middle, the value there, label)
    let mut values_at: Vec<(f64, f64, f64, Label)> = Vec::new();
    // Each category's value labels, found by index: scanning every label for every category
    // was quadratic, 3 s for a chart of 40,000 bars.
    let mut labels_of: Vec<Vec<usize>> = vec![Vec::new(); data.n()];
    for (i, (vc, ..)) in value_labels.iter().enumerate() {
        if let Some(list) = labels_of.get_mut(*vc) {
            list.push(i);
        }
    }
    for (c, labels) in labels_of.iter().enumerate() {
        let group_top;
        (group_top, y) = category_label(&mut scene, &f, &data.categories[c], y);
        axis_segments.push((
            group_top - AXIS_OVERHANG,
            group_top + f.group_h + AXIS_OVERHANG,
        ));
        draw_bars(&mut scene, data, &f, c, group_top, stacked);
        for &i in labels {
            let (_, s, anchor, label) = &value_labels[i];
            let middle = f.bar_top(group_top, *s) + f.bar_h / 2.0;
            values_at.push((f.x.at(*anchor), middle, *anchor, label.clone()));
        }
    }
    if f.side {
        let first = axis_segments.first().map_or(0.0, |s| s.0);
        let last = axis_segments.last().map_or(0.0, |s| s.1);
        scene.rule(vec![(zero, first), (zero, last)], true);
    } else {
        for &(a, b) in &axis_segments {
            scene.rule(vec![(zero, a), (zero, b)], true);
        }
    }
    for (ax, ly, anchor, label) in values_at {
        let class = "chart-text chart-value";
        if anchor < 0.0 {
            scene.text(ax - VALUE_OFFSET, ly, label, HPos::Right, class);
        } else {
            scene.text(ax + VALUE_OFFSET, ly, label, HPos::Left, class);
        }
    }
    let last_axis = axis_segments.last().map_or(y, |s| s.1);
    scene.height = last_axis.max(y - ROW_GAP) + PAD;
    let row = |x: &str| data.categories.iter().position(|c| c == x);
    let centre = |x: &str| row(x).map(|c| (axis_segments[c].0 + axis_segments[c].1) / 2.0);
    let first = axis_segments.first().map_or(y, |s| s.0);
    (frame.plot.1, frame.plot.3, frame.x_of) = (first, last_axis, &centre);
    frame.half_slot = f.group_h / 2.0 + AXIS_OVERHANG;
    plan.draw(&mut scene, &frame, rows_top);
    scene
}

/// The label of a row that starts at `y`, beside or above its bars; returns where the bars
/// start and where the next row starts.
fn category_label(scene: &mut Scene, f: &Frame, name: &str, y: f64) -> (f64, f64) {
    let class = "chart-text chart-category";
    if f.side {
        let pitch = (f.group_h + ROW_GAP).max(LINE + SIDE_ROW_EXTRA);
        let label = Label::new(name);
        scene.text(PAD + f.longest, y + pitch / 2.0, label, HPos::Right, class);
        (y + (pitch - f.group_h) / 2.0, y + pitch)
    } else {
        let label = Label::fitted(name, INNER);
        scene.text(PAD, y + TEXT_UP, label, HPos::Left, class);
        let group_top = y + LINE + LABEL_GAP;
        (group_top, group_top + f.group_h + ROW_GAP)
    }
}

/// The bars of category `c`: one per series from zero, or one stack (positive values right
/// of zero, negative values left of it, each segment where the last one of its sign ended).
fn draw_bars(scene: &mut Scene, data: &Data, f: &Frame, c: usize, group_top: f64, stacked: bool) {
    let zero = f.x.at(0.0);
    let (mut pos, mut neg) = (0.0, 0.0);
    for (s, row) in data.values.iter().enumerate() {
        let Some(v) = row[c] else { continue };
        if stacked {
            let base = if v >= 0.0 { pos } else { neg };
            let (a, b) = (f.x.at(base), f.x.at(base + v));
            let corners = [(a, group_top), (b, group_top + f.bar_h)];
            scene.bar(corners, s, data.mark(c, s, v));
            if v >= 0.0 {
                pos += v;
            } else {
                neg += v;
            }
        } else {
            let top = f.bar_top(group_top, s);
            let corners = [(zero, top), (f.x.at(v), top + f.bar_h)];
            scene.bar(corners, s, data.mark(c, s, v));
        }
    }
}
