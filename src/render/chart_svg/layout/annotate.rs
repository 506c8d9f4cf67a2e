//! Annotations over a chart (`annotate:`): reference lines, markers, bands and pinned notes.
//!
//! Placement keeps every label clear of the other labels and of the marks by construction:
//!
//! - Labels anchored along the horizontal axis (markers and notes of vertical charts, bands
//!   over categories, reference lines and value bands of horizontal bars) sit in rows of their
//!   own between the header and the plot. A marker's or note's label is a flag beside its rule
//!   (right of it in the left half of the chart, left of it in the right half); a band's label
//!   is centred over the band. Labels are packed greedily into as few rows as keep them apart,
//!   and a rule only drops through the rows below its label where no other label is: an item
//!   whose rule would cross a label goes in a row below it, one whose label would cover a rule
//!   in a row above it (a new row is opened between when needed).
//! - Reference lines and value bands of vertical charts are labelled in a margin right of the
//!   plot, at their value, moved apart just enough to keep one line between labels. When they
//!   are too many for the plot's height, their labels go in the rows instead, with the value.
//! - Notes on horizontal bars (and bands over their categories) get a number in a column right
//!   of the bars, and the numbered text in rows under the chart.
//!
//! Bands are drawn first, behind every mark; rules and labels over them.

use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

use super::{INNER, PAD};
use crate::model::annotation::{Annotation, AnnotationAt};
use crate::model::format::Numbers;
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::scale::Scale;
use crate::render::chart_svg::scene::{Op, Scene};
use crate::render::chart_svg::text::{LINE, Label, TEXT_DOWN, TEXT_UP, measure};

/// Light-mode fallbacks of `--chart-annotation` and `--chart-annotation-band`.
const INK: RGBColor = RGBColor(0x5b, 0x3f, 0x8c);
const BAND: RGBColor = RGBColor(0xee, 0xe8, 0xf6);
const LABEL: &str = "chart-text chart-annotation chart-annotation-label";
const RULE: &str = "chart-annotation chart-annotation-line";
const BAND_CLASS: &str = "chart-annotation chart-annotation-band";
/// Space between two rows of labels, and between two labels in a row.
const ROW_GAP: f64 = 2.0;
const LABEL_GAP: f64 = 8.0;
/// How far a rule keeps from the side of a label it passes.
const RULE_CLEAR: f64 = 3.0;
/// Space between a rule and its flag's text.
const FLAG_GAP: f64 = 4.0;
/// Space between the plot and a label in the right margin; the widest such label.
const MARGIN_GAP: f64 = 6.0;
const MARGIN_MAX: f64 = 120.0;
/// Space left between a note's leader and the mark it points at.
const MARK_GAP: f64 = 3.0;
/// The column of numbers right of horizontal bars: its width past the widest number.
const GUTTER_GAP: f64 = 8.0;

/// What a note on `x` (and a series) points at: see [`Frame::mark_of`].
pub(crate) type MarkOf<'a> = dyn Fn(&str, Option<&str>) -> Option<(f64, f64, f64)> + 'a;

/// What a layout tells the annotations about itself.
pub(crate) struct Frame<'a> {
    /// The plot: left, top, right, bottom.
    pub(crate) plot: (f64, f64, f64, f64),
    /// The value axis runs along x (horizontal bars).
    pub(crate) horizontal: bool,
    /// The value scale, along y (or x when horizontal).
    pub(crate) value: Scale,
    /// Where an x value (a category as written in the data) sits on the category axis.
    pub(crate) x_of: &'a dyn Fn(&str) -> Option<f64>,
    /// How far a band over categories reaches past the middle of its first and last.
    pub(crate) half_slot: f64,
    /// What a note on `x` (and a series) points at: the mark's x, the value at its top (the
    /// bar, the stack, the line's point) and the room above that its value label or dot takes.
    pub(crate) mark_of: &'a MarkOf<'a>,
    /// Where text right of the plot may start (past the value labels of the last bar).
    pub(crate) margin_from: f64,
}

impl<'a> Frame<'a> {
    /// A frame whose categories the layout places later (`x_of`, `mark_of`).
    pub(crate) fn new(plot: (f64, f64, f64, f64), horizontal: bool, value: Scale) -> Frame<'a> {
        Frame {
            plot,
            horizontal,
            value,
            x_of: &|_| None,
            half_slot: 0.0,
            mark_of: &|_, _| None,
            margin_from: plot.2,
        }
    }
}

/// A layout's annotations, in the order written.
pub(crate) struct Plan<'a> {
    items: &'a [Annotation],
    /// A line chart: an `x` without a series is a marker.
    line: bool,
    numbers: &'a Numbers,
}

/// How a label is placed in the rows.
#[derive(Clone, Copy)]
enum Align {
    /// Beside its rule at `anchor`.
    Flag,
    /// Centred on `anchor` (a band).
    Centre,
    /// Ending at `anchor` (a reference line's label when the margin has no room).
    End,
}

/// One label in the rows above the plot.
struct RowItem {
    item: usize,
    label: Label,
    anchor: f64,
    align: Align,
    /// The x of the rule dropping from the label, when it has one.
    rule: Option<f64>,
}

/// A label placed in a row: its row and the span of its text.
struct Placed {
    row: usize,
    left: f64,
    right: f64,
    item: RowItem,
}

impl<'a> Plan<'a> {
    /// `numbers` writes the values of value annotations as the axis writes its ticks.
    pub(crate) fn new(items: &'a [Annotation], line: bool, numbers: &'a Numbers) -> Plan<'a> {
        Plan {
            items,
            line,
            numbers,
        }
    }

    fn shown(&self, v: f64) -> String {
        Annotation::value_shown(v, self.numbers)
    }

    /// Whether the chart has no annotations.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether any annotation is a value (`y`): a rule or band across the whole plot.
    pub(crate) fn has_values(&self) -> bool {
        self.values().next().is_some()
    }

    /// The value range `(lo, hi)` widened to every `y` annotation, so each is drawn.
    pub(crate) fn domain(&self, (mut lo, mut hi): (f64, f64)) -> (f64, f64) {
        for a in self.items {
            let (a, b) = match a.at {
                AnnotationAt::Y(v) => (v, v),
                AnnotationAt::YBand(a, b) => (a, b),
                _ => continue,
            };
            lo = lo.min(a);
            hi = hi.max(b);
        }
        (lo, hi)
    }

    fn values(&self) -> impl Iterator<Item = (usize, &Annotation)> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, a)| matches!(a.at, AnnotationAt::Y(_) | AnnotationAt::YBand(..)))
    }

    /// Whether the labels of the value annotations fit in the margin of a vertical chart.
    fn margin_fits(&self) -> bool {
        let n = self.values().count() as f64;
        n > 0.0 && (n - 1.0) * LINE <= super::PLOT_HEIGHT - TEXT_DOWN
    }

    /// Width kept right of a vertical plot for the value annotations' labels.
    pub(crate) fn margin(&self) -> f64 {
        if !self.margin_fits() {
            return 0.0;
        }
        let widest = self
            .values()
            .map(|(_, a)| measure(&a.label))
            .fold(0.0, f64::max);
        MARGIN_GAP + widest.min(MARGIN_MAX)
    }

    /// Width kept right of horizontal bars for the numbers of notes on categories.
    pub(crate) fn gutter(&self) -> f64 {
        let n = self.numbered().count();
        if n == 0 {
            return 0.0;
        }
        let all: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        GUTTER_GAP + measure(&all.join(","))
    }

    /// Notes and bands on the categories of horizontal bars, numbered from 1.
    fn numbered(&self) -> impl Iterator<Item = &Annotation> {
        self.items
            .iter()
            .filter(|a| matches!(a.at, AnnotationAt::X(_) | AnnotationAt::XBand(..)))
    }

    /// Height of the rows of labels above the plot.
    pub(crate) fn rows_height(&self, f: &Frame) -> f64 {
        let (_, rows) = self.pack(f);
        rows as f64 * (LINE + ROW_GAP)
    }

    /// The labels that go in the rows above the plot.
    fn row_items(&self, f: &Frame) -> Vec<RowItem> {
        let mut out = Vec::new();
        let in_rows = |a: &Annotation| match (&a.at, f.horizontal) {
            (AnnotationAt::Y(_) | AnnotationAt::YBand(..), false) => !self.margin_fits(),
            (AnnotationAt::X(_) | AnnotationAt::XBand(..), true) => false,
            _ => true,
        };
        for (item, a) in self.items.iter().enumerate().filter(|(_, a)| in_rows(a)) {
            let along = |v: f64| f.value.at(v);
            let x = |t: &str| (f.x_of)(t);
            let (anchor, align, rule, text) = match &a.at {
                AnnotationAt::Y(v) if f.horizontal => (along(*v), Align::Flag, true, None),
                AnnotationAt::YBand(lo, hi) if f.horizontal => {
                    ((along(*lo) + along(*hi)) / 2.0, Align::Centre, false, None)
                }
                AnnotationAt::Y(_) | AnnotationAt::YBand(..) => {
                    (f.plot.2, Align::End, false, Some(self.with_value(a)))
                }
                AnnotationAt::X(v) => {
                    // A note's rule stands at its mark (a grouped bar's own bar).
                    let note = (f.mark_of)(v, a.series.as_deref())
                        .filter(|_| !self.line || a.series.is_some());
                    match note.map(|m| m.0).or_else(|| x(v)) {
                        Some(p) => (p, Align::Flag, true, None),
                        None => continue,
                    }
                }
                AnnotationAt::XBand(lo, hi) => match (x(lo), x(hi)) {
                    (Some(a), Some(b)) => ((a + b) / 2.0, Align::Centre, false, None),
                    _ => continue,
                },
            };
            let text = text.unwrap_or_else(|| a.label.clone());
            let room = match align {
                Align::Flag => (anchor - FLAG_GAP - PAD).max(WIDTH - PAD - anchor - FLAG_GAP),
                Align::Centre => INNER,
                Align::End => anchor - PAD,
            };
            out.push(RowItem {
                item,
                label: Label::fitted(&text, room.max(0.0)),
                anchor,
                align,
                rule: rule.then_some(anchor),
            });
        }
        out.sort_by(|a, b| a.anchor.total_cmp(&b.anchor));
        out
    }

    /// A value annotation's label with its value, for the rows: "Target (50)".
    fn with_value(&self, a: &Annotation) -> String {
        match a.at {
            AnnotationAt::Y(y) => format!("{} ({})", a.label, self.shown(y)),
            AnnotationAt::YBand(lo, hi) => {
                format!("{} ({}\u{2013}{})", a.label, self.shown(lo), self.shown(hi))
            }
            _ => a.label.clone(),
        }
    }

    /// The rows' labels, each in its row, and how many rows there are.
    fn pack(&self, f: &Frame) -> (Vec<Placed>, usize) {
        let mut placed: Vec<Placed> = Vec::new();
        let mut rows = 0usize;
        for mut item in self.row_items(f) {
            let (mut left, mut right) = span(&item);
            let crosses = |l: f64, r: f64, x: f64| l - RULE_CLEAR < x && x < r + RULE_CLEAR;
            // Its rule drops through the rows below it: it must sit below every label the
            // rule would cross.
            let below = |placed: &[Placed]| {
                placed
                    .iter()
                    .filter(|p| item.rule.is_some_and(|x| crosses(p.left, p.right, x)))
                    .map(|p| p.row + 1)
                    .max()
                    .unwrap_or(0)
            };
            let lo = below(&placed);
            // Its label must sit above every rule it would cover.
            let above = |placed: &[Placed], l: f64, r: f64| {
                placed
                    .iter()
                    .filter(|p| p.item.rule.is_some_and(|x| crosses(l, r, x)))
                    .map(|p| p.row)
                    .min()
                    .unwrap_or(rows)
            };
            let mut hi = above(&placed, left, right);
            if hi < lo {
                // Both at once cannot be: shorten the label to stop before those rules.
                (left, right) = shorten(&mut item, &placed, lo, left, right);
                hi = above(&placed, left, right).max(lo);
            }
            let free = |row: usize| {
                placed.iter().all(|p| {
                    p.row != row || p.right + LABEL_GAP <= left || right + LABEL_GAP <= p.left
                })
            };
            let row = match (lo..hi.min(rows)).find(|&r| free(r)) {
                Some(r) => r,
                None => {
                    // A new row just above the first rule it must stay above.
                    for p in placed.iter_mut().filter(|p| p.row >= hi) {
                        p.row += 1;
                    }
                    rows += 1;
                    hi
                }
            };
            placed.push(Placed {
                row,
                left,
                right,
                item,
            });
        }
        (placed, rows)
    }

    /// Draws the annotations onto `scene`, the rows of labels from `rows_top` down.
    pub(crate) fn draw(&self, scene: &mut Scene, f: &Frame, rows_top: f64) {
        let bands = self.bands(f);
        scene.ops.splice(0..0, bands);
        let (x0, y0, x1, y1) = f.plot;
        for a in self.items {
            match a.at {
                AnnotationAt::Y(v) if !f.horizontal => {
                    let y = f.value.at(v);
                    rule(scene, vec![(x0, y), (x1, y)]);
                }
                _ => {}
            }
        }
        let (placed, _) = self.pack(f);
        for p in placed {
            let cy = rows_top + p.row as f64 * (LINE + ROW_GAP) + TEXT_UP;
            let (x, anchor) = match p.item.align {
                Align::Flag if p.left > p.item.anchor => (p.left, HPos::Left),
                Align::Flag | Align::End => (p.right, HPos::Right),
                Align::Centre => ((p.left + p.right) / 2.0, HPos::Center),
            };
            scene.text(x, cy, p.item.label, anchor, LABEL);
            let Some(rx) = p.item.rule else { continue };
            let top = cy + TEXT_DOWN;
            let a = &self.items[p.item.item];
            let bottom = match (&a.at, self.line, &a.series) {
                (AnnotationAt::X(x), false, _) | (AnnotationAt::X(x), true, Some(_)) => {
                    (f.mark_of)(x, a.series.as_deref())
                        .map_or(y1, |(_, v, room)| f.value.at(v) - room - MARK_GAP)
                }
                _ => y1,
            };
            rule(scene, vec![(rx, top), (rx, bottom.max(top))]);
        }
        if !f.horizontal {
            self.margin_labels(scene, f, (y0, y1 - TEXT_DOWN));
        } else {
            self.numbers(scene, f);
        }
    }

    /// The bands, behind everything else.
    fn bands(&self, f: &Frame) -> Vec<Op> {
        let (x0, y0, x1, y1) = f.plot;
        let mut out = Vec::new();
        for item in self.items {
            let at = &item.at;
            let (a, b) = match at {
                AnnotationAt::YBand(lo, hi) => (f.value.at(*lo), f.value.at(*hi)),
                AnnotationAt::XBand(lo, hi) => match ((f.x_of)(lo), (f.x_of)(hi)) {
                    (Some(a), Some(b)) => (a - f.half_slot, b + f.half_slot),
                    _ => continue,
                },
                _ => continue,
            };
            let across = matches!(at, AnnotationAt::YBand(..)) != f.horizontal;
            let ((bx0, by0), (bx1, by1)) = if across {
                ((x0, a.min(b)), (x1, a.max(b)))
            } else {
                ((a.min(b), y0), (a.max(b), y1))
            };
            out.push(Op::Rect {
                x0: bx0,
                y0: by0,
                x1: bx1,
                y1: by1,
                colour: BAND,
                class: BAND_CLASS.to_string(),
                mark: None,
            });
        }
        out
    }

    /// Labels of reference lines and value bands right of a vertical plot, at their value,
    /// moved apart to keep a line between them, within `bounds` (their centres' range).
    fn margin_labels(&self, scene: &mut Scene, f: &Frame, (top, bottom): (f64, f64)) {
        if !self.margin_fits() {
            return;
        }
        let x = f.margin_from + MARGIN_GAP;
        let mut labels: Vec<(f64, Label)> = self
            .values()
            .map(|(_, a)| {
                let y = match a.at {
                    AnnotationAt::Y(v) => f.value.at(v),
                    AnnotationAt::YBand(lo, hi) => (f.value.at(lo) + f.value.at(hi)) / 2.0,
                    _ => top,
                };
                // The margin was measured for the widest label: rounding must not shorten it.
                let room = (WIDTH - PAD - x + 0.01).clamp(0.0, MARGIN_MAX);
                (y, Label::fitted(&a.label, room))
            })
            .collect();
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut at = top - LINE;
        for l in &mut labels {
            l.0 = l.0.max(at + LINE).max(top);
            at = l.0;
        }
        let mut at = bottom + LINE;
        for l in labels.iter_mut().rev() {
            l.0 = l.0.min(at - LINE).min(bottom);
            at = l.0;
        }
        for (y, label) in labels {
            scene.text(x, y, label, HPos::Left, LABEL);
        }
    }

    /// Numbers beside horizontal bars for notes and bands on categories, and their texts in
    /// rows under the chart.
    fn numbers(&self, scene: &mut Scene, f: &Frame) {
        let mut marks: Vec<(f64, Vec<usize>)> = Vec::new();
        let mut key: Vec<Label> = Vec::new();
        for (i, a) in self.numbered().enumerate() {
            let first = a.x_values().first().and_then(|x| (f.x_of)(x));
            let Some(y) = first else { continue };
            match marks.iter_mut().find(|(my, _)| (my - y).abs() < LINE) {
                Some((_, list)) => list.push(i + 1),
                None => marks.push((y, vec![i + 1])),
            }
            key.push(Label::fitted(&format!("{} {}", i + 1, a.label), INNER));
        }
        for (y, list) in marks {
            let text: Vec<String> = list.iter().map(usize::to_string).collect();
            let label = Label::new(&text.join(","));
            scene.text(WIDTH - PAD, y, label, HPos::Right, LABEL);
        }
        if key.is_empty() {
            return;
        }
        let mut x = PAD;
        let mut y = scene.height + TEXT_UP;
        for label in key {
            if x > PAD && x + label.width > WIDTH - PAD {
                x = PAD;
                y += LINE + ROW_GAP;
            }
            let w = label.width;
            scene.text(x, y, label, HPos::Left, LABEL);
            x += w + LABEL_GAP * 2.0;
        }
        scene.height = y + TEXT_DOWN + PAD;
    }
}

fn rule(scene: &mut Scene, points: Vec<(f64, f64)>) {
    scene.ops.push(Op::Path {
        points,
        colour: INK,
        width: 1.0,
        class: RULE.to_string(),
    });
}

/// Where a row item's text would go, left to right, inside the viewBox.
fn span(item: &RowItem) -> (f64, f64) {
    let (a, w) = (item.anchor, item.label.width);
    let (l, r) = match item.align {
        Align::Flag if a <= WIDTH / 2.0 => (a + FLAG_GAP, a + FLAG_GAP + w),
        Align::Flag => (a - FLAG_GAP - w, a - FLAG_GAP),
        Align::Centre => {
            let l = (a - w / 2.0).clamp(PAD, (WIDTH - PAD - w).max(PAD));
            (l, l + w)
        }
        Align::End => (a - w, a),
    };
    (l.max(PAD), r.min(WIDTH - PAD))
}

/// Shortens a flag's label so it stops before the rules of rows at or above `row`.
fn shorten(item: &mut RowItem, placed: &[Placed], row: usize, l: f64, r: f64) -> (f64, f64) {
    let rules = placed
        .iter()
        .filter(|p| p.row < row)
        .filter_map(|p| p.item.rule);
    let (l, r) = if l > item.anchor {
        let stop = rules.filter(|&x| x > l - RULE_CLEAR).fold(r, f64::min);
        (l, (stop - RULE_CLEAR - 1.0).max(l))
    } else {
        let stop = rules.filter(|&x| x < r + RULE_CLEAR).fold(l, f64::max);
        ((stop + RULE_CLEAR + 1.0).min(r), r)
    };
    let full = item.label.full.clone().unwrap_or(item.label.text.clone());
    item.label = Label::fitted(&full, r - l);
    (l, r)
}

#[cfg(test)]
#[path = "annotate_tests.rs"]
mod tests;
