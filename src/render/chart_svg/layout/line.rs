//! Line charts: one line per series, a dot at every value, gaps where a value is missing,
//! over the value axis' grid. Category labels are thinned (every k-th) until they do not
//! touch, preferring a step that also labels the last category.

use super::{
    CATEGORY_GAP, INNER, PAD, PLOT_HEIGHT, category_drop, category_row, header, reaches_under_ticks,
};
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::data::Data;
use crate::render::chart_svg::scale::{Scale, ValueAxis};
use crate::render::chart_svg::scene::Scene;
use crate::render::chart_svg::text::{Label, TEXT_UP};

/// How far the first and last points stay inside the plot's edges.
const POINT_INSET: f64 = 6.0;
/// Radius of the dots; smaller when there are more than [`MANY_POINTS`] categories.
const DOT_R: f64 = 3.0;
const SMALL_DOT_R: f64 = 2.0;
const MANY_POINTS: usize = 40;

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

/// Where the categories go along x: the first at `first_x`, then every `dx`; labels on every
/// `k`-th.
struct Columns {
    first_x: f64,
    dx: f64,
    k: usize,
}

impl Columns {
    fn new(labels: &[Label], x0: f64, x1: f64) -> Columns {
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
            (0..n).step_by(k).zip((k..n).step_by(k)).all(|(a, b)| {
                dx * k as f64 >= (labels[a].width + labels[b].width) / 2.0 + CATEGORY_GAP
            })
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
        Columns { first_x, dx, k }
    }

    fn x(&self, c: usize) -> f64 {
        self.first_x + self.dx * c as f64
    }
}

/// One line per series, a dot at every value, gaps where a value is missing. Category
/// labels are thinned (every k-th) until they do not touch.
pub(crate) fn line_chart(data: &Data, caption: &str) -> Scene {
    let n = data.n();
    let (lo, hi) = data.shared(value_range(data));
    let axis = ValueAxis::new(lo, hi);
    let (x0, x1) = (axis.plot_left(), WIDTH - PAD);
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
    let cols = Columns::new(&labels, x0, x1);

    let mut scene = Scene::new();
    let py0 = header(&mut scene, caption, data) + TEXT_UP;
    let py1 = py0 + PLOT_HEIGHT;
    let y = axis.vertical(py0);
    axis.draw(&mut scene, &y, x0, x1);
    let base = if axis.lo() < 0.0 && axis.hi() > 0.0 {
        y.at(0.0)
    } else {
        py1
    };
    scene.rule(vec![(x0, base), (x1, base)], true);
    draw_series(&mut scene, data, &cols, &y);

    let under_ticks = n > 1 && reaches_under_ticks(cols.first_x, labels[0].width, x0);
    let label_y = py1 + category_drop(under_ticks);
    let k = cols.k;
    scene.height = category_row(&mut scene, labels, label_y, |c| cols.x(c), |c| c % k == 0);
    scene
}

/// Each series: a line through every run of values without a gap, then a dot at each value.
fn draw_series(scene: &mut Scene, data: &Data, cols: &Columns, y: &Scale) {
    let r = if data.n() <= MANY_POINTS {
        DOT_R
    } else {
        SMALL_DOT_R
    };
    for (s, row) in data.values.iter().enumerate() {
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        let mut points = Vec::new();
        for (c, v) in row.iter().enumerate() {
            if let Some(v) = v {
                points.push((cols.x(c), y.at(*v), data.mark(c, s, *v)));
            }
            match v {
                Some(v) => run.push((cols.x(c), y.at(*v))),
                None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                None => {}
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for run in runs {
            if run.len() > 1 {
                scene.line(run, s);
            }
        }
        for (px, py, mark) in points {
            scene.dot(px, py, r, s, mark);
        }
    }
}
