//! Line charts: one line per series, a dot at every value, gaps where a value is missing,
//! over the value axis' grid. Categories are evenly spaced, their labels thinned (every
//! k-th) until they do not touch; x values that are all periods of one kind (years, dates)
//! are placed by time instead ([`time_axis`]). Several series are named at their lines'
//! ends when the names fit there, else in the legend.

use plotters::style::text_anchor::HPos;

use super::annotate::{Frame, Plan};
use super::time_axis::{self, TimeMap};
use super::{
    CATEGORY_GAP, HEADER_ROW_GAP, INNER, PAD, PLOT_HEIGHT, category_drop, category_row, header,
    reaches_under_ticks,
};
use crate::model::time::{self, Axis, TimeAxis};
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::data::Data;
use crate::render::chart_svg::scale::{Scale, ValueAxis};
use crate::render::chart_svg::scene::Scene;
use crate::render::chart_svg::text::{LINE, Label, TEXT_DOWN, TEXT_UP, clean};

/// How far the first and last points stay inside the plot's edges.
const POINT_INSET: f64 = 6.0;
/// Radius of the dots; smaller when there are more than [`MANY_POINTS`] categories.
const DOT_R: f64 = 3.0;
const SMALL_DOT_R: f64 = 2.0;
const MANY_POINTS: usize = 40;
/// Most series named at their lines' ends; more keep the legend.
const MAX_DIRECT: usize = 8;
/// The widest name a line's end may carry: a longer one would squeeze the plot.
const DIRECT_ROOM: f64 = 0.3 * WIDTH;
/// Space between a line's last dot and its name.
const DIRECT_GAP: f64 = 5.0;
/// Least distance between two names' centre lines: a text line and a little air.
const DIRECT_SPACING: f64 = LINE + 1.0;
/// The classes of a line's name: coloured like its line by the site stylesheet.
const DIRECT_CLASSES: [&str; 8] = [
    "chart-text chart-direct-label chart-series-1",
    "chart-text chart-direct-label chart-series-2",
    "chart-text chart-direct-label chart-series-3",
    "chart-text chart-direct-label chart-series-4",
    "chart-text chart-direct-label chart-series-5",
    "chart-text chart-direct-label chart-series-6",
    "chart-text chart-direct-label chart-series-7",
    "chart-text chart-direct-label chart-series-8",
];
// Every series that gets a name fits in the plot's height, names a line apart.
const _: () = assert!((MAX_DIRECT - 1) as f64 * DIRECT_SPACING <= PLOT_HEIGHT - TEXT_DOWN);

/// The range the value axis must cover: the values, against zero when they are all equal.
pub(crate) fn value_range(data: &Data) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in data.values.iter().flatten().flatten() {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if !lo.is_finite() || !hi.is_finite() || !(hi - lo).is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi == lo {
        (lo, hi) = (lo.min(0.0), hi.max(0.0));
        if hi == lo {
            hi = lo + 1.0;
        }
    }
    (lo, hi)
}

/// Where the categories go along x, in the order the line runs through them, and the
/// labels under the plot: evenly spaced categories (labels on every k-th), or periods
/// placed by time with ticks on calendar steps.
pub(crate) struct Columns {
    /// The x of each category, in category order.
    xs: Vec<f64>,
    /// Category indices in the order the line runs: time order on a time axis.
    order: Vec<usize>,
    /// Per position in `order`: whether the line breaks before it (periods are missing).
    breaks: Vec<bool>,
    /// The labels under the plot, each centred at its x.
    ticks: Vec<(f64, Label)>,
    /// The categories as drawn, for [`Columns::x_of_value`].
    categories: Vec<String>,
    time: Option<TimeMap>,
}

impl Columns {
    fn new(data: &Data, axis: &Axis, x0: f64, x1: f64) -> Columns {
        match axis {
            Axis::Time(t) => Columns::timed(data, t, x0, x1),
            _ => Columns::even(data, x0, x1),
        }
    }

    /// Periods placed by time: the first at the plot's left inset, the last at its right.
    fn timed(data: &Data, t: &TimeAxis, x0: f64, x1: f64) -> Columns {
        let (map, ticks) = time_axis::place(t, x0 + POINT_INSET, x1 - POINT_INSET);
        let xs = t.at.iter().map(|&p| map.x(p as f64)).collect();
        let mut breaks = vec![false; t.order.len()];
        for (i, w) in t.order.windows(2).enumerate() {
            breaks[i + 1] = t.missing_between(w[0], w[1]) > 0;
        }
        Columns {
            xs,
            order: t.order.clone(),
            breaks,
            ticks,
            categories: data.categories.clone(),
            time: Some(map),
        }
    }

    /// Categories evenly spaced in the order given, labels on every k-th.
    fn even(data: &Data, x0: f64, x1: f64) -> Columns {
        let n = data.n();
        // A label may take half the row (less a gap), or the whole plot when it is alone.
        let cap = if n == 1 {
            x1 - x0
        } else {
            INNER / 2.0 - CATEGORY_GAP
        };
        let labels: Vec<Label> = data
            .categories
            .iter()
            .map(|c| Label::fitted(c, cap))
            .collect();
        let (first_x, dx, k) = even_spacing(&labels, x0, x1);
        let xs: Vec<f64> = (0..n).map(|c| first_x + dx * c as f64).collect();
        let ticks = labels
            .into_iter()
            .enumerate()
            .filter(|(c, _)| c % k == 0)
            .map(|(c, l)| (xs[c], l))
            .collect();
        Columns {
            xs,
            order: (0..n).collect(),
            breaks: vec![false; n],
            ticks,
            categories: data.categories.clone(),
            time: None,
        }
    }

    /// The x of a value written as in the data (a category label), or, on a time axis, of
    /// any period between the first and the last (`2022` on an axis of 2015…2025, whether
    /// or not 2022 has a row; `2022-07-01` halfway through 2022). `None` when the value is
    /// not on the axis.
    // Annotations (layout/annotate.rs) place their markers and bands with it.
    pub(crate) fn x_of_value(&self, text: &str) -> Option<f64> {
        let text = clean(text);
        if let Some(map) = &self.time {
            let p = time::position(&text, map.kind)?;
            return map.covers(p).then(|| map.x(p));
        }
        let c = self.categories.iter().position(|c| *c == text)?;
        Some(self.xs[c])
    }

    /// The category the line ends at.
    fn last(&self) -> Option<usize> {
        self.order.last().copied()
    }
}

/// Even spacing of `labels` between `x0` and `x1`: the first x, the step, and `k`, the
/// labelled step (every k-th), the least whose labels do not touch, preferring one that
/// also labels the last category.
fn even_spacing(labels: &[Label], x0: f64, x1: f64) -> (f64, f64, usize) {
    let n = labels.len();
    let positions = |k: usize| -> (f64, f64) {
        if n == 1 {
            return ((x0 + x1) / 2.0, 0.0);
        }
        let last = (n - 1) / k * k;
        let first_x = (x0 + POINT_INSET).max(PAD + labels[0].width / 2.0);
        // Every category inside the plot, the last labelled one with its label inside too.
        let mut dx = (x1 - POINT_INSET - first_x) / (n - 1) as f64;
        let limit = WIDTH - PAD - labels[last].width / 2.0;
        if first_x + dx * last as f64 > limit {
            dx = (limit - first_x) / last as f64;
        }
        (first_x, dx)
    };
    let fits = |k: usize| {
        let (_, dx) = positions(k);
        (0..n)
            .step_by(k)
            .zip((k..n).step_by(k))
            .all(|(a, b)| dx * k as f64 >= (labels[a].width + labels[b].width) / 2.0 + CATEGORY_GAP)
    };
    let mut k = 1;
    while k < n.saturating_sub(1) && !fits(k) {
        k += 1;
    }
    // Label the last category too when a slightly larger step allows it (2015, 2018, …).
    if n > 2 && (n - 1) % k != 0 {
        let better = (k + 1..=(2 * k).min(n - 1)).find(|&j| (n - 1) % j == 0 && fits(j));
        k = better.unwrap_or(k);
    }
    let (first_x, dx) = positions(k);
    (first_x, dx, k)
}

/// One line per series, a dot at every value, gaps where a value is missing; periods
/// placed by time when every x value is one kind of period. Several series are named at
/// their lines' ends when the names fit there, else in a legend.
pub(crate) fn line_chart(data: &Data, caption: &str, plan: &Plan) -> Scene {
    let (lo, hi) = data.shared(plan.domain(value_range(data)));
    let axis = ValueAxis::new(lo, hi, &data.numbers);
    let time = Axis::of(&data.categories);
    let x0 = axis.plot_left();
    // Value annotations run across the plot to its right edge, where the names begin, and
    // label themselves in the margin there: a chart with any keeps the legend.
    let right = WIDTH - PAD - plan.margin();
    if let Some(names) = direct_names(data).filter(|_| !plan.has_values()) {
        // Narrower, so that the longest name fits right of the last dot; names that would
        // take more than half the plot (beside wide tick labels) leave it whole.
        let widest = names.iter().map(|l| l.width).fold(0.0, f64::max);
        let x1 = WIDTH - PAD - widest - DIRECT_GAP - DOT_R + POINT_INSET;
        if x1 - x0 >= (WIDTH - PAD - x0) / 2.0 {
            let cols = Columns::new(data, &time, x0, x1);
            if let Some(scene) = lay_out(data, caption, &axis, cols, x1, Some(names), plan) {
                return scene;
            }
        }
    }
    let cols = Columns::new(data, &time, x0, right);
    lay_out(data, caption, &axis, cols, right, None, plan).unwrap_or_else(Scene::new)
}

/// The chart with the plot ending at `x1`, the series named by `names` at their lines' ends
/// or, without names, in the legend. `None` when a name would touch another line.
fn lay_out(
    data: &Data,
    caption: &str,
    axis: &ValueAxis,
    cols: Columns,
    x1: f64,
    names: Option<Vec<Label>>,
    plan: &Plan,
) -> Option<Scene> {
    let mut scene = Scene::new();
    let x0 = axis.plot_left();
    let mut frame = Frame::new((x0, 0.0, x1, 0.0), false, axis.vertical(0.0));
    let (x_of, mark_of) = (
        |x: &str| cols.x_of_value(x),
        |x: &str, s: Option<&str>| point(data, &cols, x, s),
    );
    (frame.x_of, frame.mark_of) = (&x_of, &mark_of);
    let rows_top = match names {
        Some(_) => caption_row(&mut scene, caption),
        None => header(&mut scene, caption, data),
    };
    let py0 = rows_top + plan.rows_height(&frame) + TEXT_UP;
    let py1 = py0 + PLOT_HEIGHT;
    let y = axis.vertical(py0);
    let lines = series_lines(data, &cols, &y);
    let labels = match names {
        // A name inside the plot (a line that ends early) could meet an annotation's rule.
        Some(names) => plan_names(
            &cols,
            &lines,
            names,
            (py0, py1 - TEXT_DOWN),
            plan.is_empty(),
        )?,
        None => Vec::new(),
    };
    axis.draw(&mut scene, &y, x0, x1);
    let base = if axis.lo() < 0.0 && axis.hi() > 0.0 {
        y.at(0.0)
    } else {
        py1
    };
    scene.rule(vec![(x0, base), (x1, base)], true);
    let r = if data.n() <= MANY_POINTS {
        DOT_R
    } else {
        SMALL_DOT_R
    };
    for (s, line) in lines.into_iter().enumerate() {
        for run in line.runs.into_iter().filter(|run| run.len() > 1) {
            scene.line(run, s);
        }
        for (px, py, c) in line.points {
            let v = data.values[s][c].unwrap_or_default();
            scene.dot(px, py, r, s, data.mark(c, s, v));
        }
    }
    for (x, ly, label, s) in labels {
        let class = DIRECT_CLASSES[s % DIRECT_CLASSES.len()];
        scene.text(x, ly, label, HPos::Left, class);
    }
    (frame.plot.1, frame.plot.3, frame.value) = (py0, py1, y);
    plan.draw(&mut scene, &frame, rows_top);
    let under_ticks = data.n() > 1
        && cols
            .ticks
            .first()
            .is_some_and(|(x, l)| reaches_under_ticks(*x, l.width, x0));
    let label_y = py1 + category_drop(under_ticks);
    let (xs, labels): (Vec<f64>, Vec<Label>) = cols.ticks.into_iter().unzip();
    scene.height = category_row(&mut scene, labels, label_y, |i| xs[i], |_| true);
    Some(scene)
}

/// The value-axis caption alone, when the lines are named at their ends; returns where it
/// ends (as [`header`] does).
/// What a note on `x` of `series` points at: the point's x, its value and its dot's radius.
fn point(data: &Data, cols: &Columns, x: &str, series: Option<&str>) -> Option<(f64, f64, f64)> {
    let c = data.categories.iter().position(|c| c == x)?;
    // One series: a note names it by its column, which the data does not know.
    let s = match data.ns() {
        1 => 0,
        _ => data
            .series
            .iter()
            .position(|s| Some(s.as_str()) == series)?,
    };
    Some((cols.x_of_value(x)?, data.values[s][c]?, DOT_R))
}

fn caption_row(scene: &mut Scene, caption: &str) -> f64 {
    if caption.is_empty() {
        return PAD;
    }
    let label = Label::fitted(caption, INNER);
    let class = "chart-text chart-caption";
    scene.text(PAD, PAD + TEXT_UP, label, HPos::Left, class);
    PAD + LINE + HEADER_ROW_GAP
}

/// One series as drawn: its runs of values without a gap, and its dots (x, y, category),
/// in the order the line runs.
struct SeriesLine {
    runs: Vec<Vec<(f64, f64)>>,
    points: Vec<(f64, f64, usize)>,
}

/// Each series' line: broken at a missing value, and where periods are missing from a
/// regular series.
fn series_lines(data: &Data, cols: &Columns, y: &Scale) -> Vec<SeriesLine> {
    let mut out = Vec::with_capacity(data.ns());
    for row in &data.values {
        let (mut runs, mut run, mut points) = (Vec::new(), Vec::new(), Vec::new());
        for (i, &c) in cols.order.iter().enumerate() {
            if (cols.breaks[i] || row[c].is_none()) && !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            if let Some(v) = row[c] {
                points.push((cols.xs[c], y.at(v), c));
                run.push((cols.xs[c], y.at(v)));
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        out.push(SeriesLine { runs, points });
    }
    out
}

/// The series' names as labels at their lines' ends, when that may work: 2 to
/// [`MAX_DIRECT`] series, each with a value, each name at most [`DIRECT_ROOM`] wide.
/// `None` keeps the legend.
fn direct_names(data: &Data) -> Option<Vec<Label>> {
    let ns = data.ns();
    let empty = data
        .values
        .iter()
        .any(|row| row.iter().all(Option::is_none));
    if !(2..=MAX_DIRECT).contains(&ns) || empty {
        return None;
    }
    let names: Vec<Label> = data.series.iter().map(|n| Label::new(n)).collect();
    names
        .iter()
        .all(|l| l.width <= DIRECT_ROOM && !l.text.is_empty())
        .then_some(names)
}

/// Where each series' name goes, right of its last dot: (x, y, name, series). Names of
/// lines that reach the last category sit past the plot, as near their dots' heights as the
/// others allow (moved apart by the least total displacement, within `bounds`, the top and
/// bottom centre lines). A line that ends sooner is named beside its end inside the plot,
/// which must touch no other line, dot or name, and is allowed only when `inside` (the chart
/// has no annotation whose rule could cross it): `None` when one does.
fn plan_names(
    cols: &Columns,
    lines: &[SeriesLine],
    names: Vec<Label>,
    bounds: (f64, f64),
    inside: bool,
) -> Option<Vec<(f64, f64, Label, usize)>> {
    let last = cols.last()?;
    let end_x = cols.xs[last] + DOT_R + DIRECT_GAP;
    let mut at_end: Vec<(usize, f64)> = Vec::new();
    let (mut placed, mut early) = (Vec::new(), Vec::new());
    for (s, (line, name)) in lines.iter().zip(names).enumerate() {
        let &(px, py, c) = line.points.last()?;
        if c == last {
            at_end.push((s, py));
            placed.push((end_x, py, name, s));
        } else {
            early.push(s);
            placed.push((
                px + DOT_R + DIRECT_GAP,
                py.clamp(bounds.0, bounds.1),
                name,
                s,
            ));
        }
    }
    if !early.is_empty() && !inside {
        return None;
    }
    at_end.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let wanted: Vec<f64> = at_end.iter().map(|t| t.1).collect();
    for ((s, _), ly) in at_end
        .iter()
        .zip(spread_apart(&wanted, DIRECT_SPACING, bounds.0, bounds.1))
    {
        placed[*s].1 = ly;
    }
    let boxes: Vec<[f64; 4]> = placed
        .iter()
        .map(|(x, y, l, _)| [*x, y - TEXT_UP, x + l.width, y + TEXT_DOWN])
        .collect();
    early
        .into_iter()
        .all(|s| clear_of(s, &boxes, lines))
        .then_some(placed)
}

/// Whether the name of series `s`, in `boxes[s]`, lies inside the viewBox and touches no
/// other name, no other series' line and no other series' dot.
fn clear_of(s: usize, boxes: &[[f64; 4]], lines: &[SeriesLine]) -> bool {
    let b = boxes[s];
    let others = || lines.iter().enumerate().filter(|(o, _)| *o != s);
    let dot = |&(x, y, _): &(f64, f64, usize)| [x - DOT_R, y - DOT_R, x + DOT_R, y + DOT_R];
    b[2] <= WIDTH - PAD
        && (boxes.iter().enumerate()).all(|(o, ob)| o == s || !overlaps(&b, ob))
        && others().all(|(_, l)| {
            let mut segments = l.runs.iter().flat_map(|r| r.windows(2));
            segments.all(|w| !crosses(w[0], w[1], &b))
                && l.points.iter().all(|p| !overlaps(&b, &dot(p)))
        })
}

/// Whether two boxes `[left, top, right, bottom]` share any area.
fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Whether the segment from `p` to `q` passes through the box `[left, top, right, bottom]`,
/// grown by a line's half width (Liang–Barsky clipping).
fn crosses(p: (f64, f64), q: (f64, f64), b: &[f64; 4]) -> bool {
    const HALF_LINE: f64 = 1.0;
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let sides = [
        (-dx, p.0 - (b[0] - HALF_LINE)),
        (dx, b[2] + HALF_LINE - p.0),
        (-dy, p.1 - (b[1] - HALF_LINE)),
        (dy, b[3] + HALF_LINE - p.1),
    ];
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (d, room) in sides {
        if d == 0.0 {
            if room < 0.0 {
                return false;
            }
        } else if d < 0.0 {
            t0 = t0.max(room / d);
        } else {
            t1 = t1.min(room / d);
        }
    }
    t0 <= t1
}

/// Positions as near `targets` (ascending) as can be, by least squares, each at least `gap`
/// after the one before, all within `lo..=hi`. With `q[i] = p[i] − i·gap` the spacing
/// becomes "q never decreases": an isotonic regression (pooling adjacent violators), whose
/// solution clipped to the bounds is the best one within them.
pub(crate) fn spread_apart(targets: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let n = targets.len();
    // Blocks of pooled values: (sum, count).
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(n);
    for (i, t) in targets.iter().enumerate() {
        blocks.push((t - i as f64 * gap, 1));
        while blocks.len() > 1 {
            let (s1, c1) = blocks[blocks.len() - 1];
            let (s0, c0) = blocks[blocks.len() - 2];
            if s0 / c0 as f64 <= s1 / c1 as f64 {
                break;
            }
            blocks.pop();
            let merged = blocks.len() - 1;
            blocks[merged] = (s0 + s1, c0 + c1);
        }
    }
    let q_hi = (hi - n.saturating_sub(1) as f64 * gap).max(lo);
    blocks
        .into_iter()
        .flat_map(|(sum, count)| std::iter::repeat_n(sum / count as f64, count))
        .enumerate()
        .map(|(i, q)| q.clamp(lo, q_hi) + i as f64 * gap)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::chart_svg::testkit::values;

    fn columns(categories: &[&str]) -> Columns {
        let rows = vec![Some(1.0); categories.len()];
        let data = Data::new(&values(categories, &[&rows], 0)).unwrap();
        Columns::new(&data, &Axis::of(&data.categories), 50.0, 470.0)
    }

    #[test]
    fn x_of_value_places_labels_and_periods_between_points() {
        let cols = columns(&["2015", "2025", "2020"]);
        let (x15, x25) = (cols.xs[0], cols.xs[1]);
        assert_eq!(cols.x_of_value("2020"), Some(cols.xs[2]));
        // 2022 has no row: seven tenths of the way.
        let x22 = cols.x_of_value(" 2022 ").unwrap();
        assert!((x22 - (x15 + 0.7 * (x25 - x15))).abs() < 1e-9, "{x22}");
        // Mid-2022 as a date lands between 2022 and 2023.
        let mid = cols.x_of_value("2022-07-01").unwrap();
        assert!(mid > x22 && mid < cols.x_of_value("2023").unwrap());
        assert_eq!(cols.x_of_value("2030"), None);
        assert_eq!(cols.x_of_value("France"), None);
        let cols = columns(&["France", "Japan"]);
        assert_eq!(cols.x_of_value("Japan"), Some(cols.xs[1]));
        assert_eq!(cols.x_of_value("2022"), None);
    }

    #[test]
    fn names_move_apart_by_the_least_displacement_within_bounds() {
        let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
        // Far apart: unmoved.
        assert!(near(
            &spread_apart(&[100.0, 200.0], 25.0, 0.0, 400.0),
            &[100.0, 200.0]
        ));
        // Two close ones share the move; the third stays.
        let p = spread_apart(&[100.0, 101.0, 300.0], 25.0, 0.0, 400.0);
        assert!(near(&p, &[88.0, 113.0, 300.0]), "{p:?}");
        // A chain pushed against the top bound.
        let p = spread_apart(&[40.0, 41.0, 42.0], 25.0, 50.0, 400.0);
        assert!(near(&p, &[50.0, 75.0, 100.0]), "{p:?}");
        let p = spread_apart(&[399.0, 400.0], 25.0, 0.0, 400.0);
        assert!(near(&p, &[375.0, 400.0]), "{p:?}");
    }
}
