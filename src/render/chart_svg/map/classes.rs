//! A map's colour classes: where the values are cut, and what each class is called.
//!
//! Automatic edges sit at the quantiles of the values, each moved to the roundest number
//! between the two values it separates (`1` between 0.4 and 1.2, not 0.8), so every legend
//! edge reads at a glance and no country changes class by the rounding. Explicit `breaks`
//! are used as written.

use crate::model::chart::MapClasses;
use crate::model::format::Numbers;

/// How many colour steps the stylesheet defines (`--map-1` … `--map-7`).
pub(crate) const RAMP: usize = MapClasses::MAX_COUNT;

/// The cut of a map's values into classes: class `i` holds values from `edges[i - 1]`
/// (included) up to `edges[i]` (excluded); the first is everything under `edges[0]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    edges: Vec<f64>,
    /// The smallest and largest value, for a single class's label.
    range: Option<(f64, f64)>,
    /// Decimals of the values (for a single class's range) and of the edges.
    value_decimals: u8,
    edge_decimals: u8,
}

impl Classes {
    /// `values` are the mapped countries' values; `decimals` those they are shown with.
    pub fn new(values: &[f64], asked: &MapClasses, decimals: u8) -> Classes {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let range = sorted.first().zip(sorted.last()).map(|(a, b)| (*a, *b));
        let edges = match asked {
            MapClasses::Breaks(edges) => edges.clone(),
            MapClasses::Auto => quantile_edges(&sorted, MapClasses::DEFAULT_COUNT),
            MapClasses::Count(n) => quantile_edges(&sorted, *n),
        };
        let edge_decimals = edges.iter().map(|e| decimals_of(*e)).fold(0, u8::max);
        Classes {
            edges,
            range,
            value_decimals: decimals,
            edge_decimals,
        }
    }

    pub(crate) fn count(&self) -> usize {
        self.edges.len() + 1
    }

    /// The class of `value`.
    pub(crate) fn of(&self, value: f64) -> usize {
        self.edges.partition_point(|&e| e <= value)
    }

    /// The colour step (1 = lightest … [`RAMP`] = darkest) of class `i`: spread over the
    /// ramp so neighbouring classes differ as much as the count allows.
    pub(crate) fn step(&self, i: usize) -> usize {
        let n = self.count();
        if n == 1 {
            return RAMP.div_ceil(2) + 1;
        }
        1 + (i * (RAMP - 1) + (n - 1) / 2) / (n - 1)
    }

    /// What class `i` holds, as the legend and the data table say it: `Under 1`, `1–10`,
    /// `100 and over`; a single class names the range of the values.
    /// Edges are written as round ticks, a range of values as values, both as `numbers` says.
    pub(crate) fn label(&self, i: usize, numbers: &Numbers) -> String {
        let show = |v: f64| numbers.tick(v, self.edge_decimals);
        if self.edges.is_empty() {
            let show = |v: f64| numbers.value(v, self.value_decimals);
            return match self.range {
                Some((lo, hi)) if lo < hi => format!("{}\u{2013}{}", show(lo), show(hi)),
                Some((lo, _)) => show(lo),
                None => String::new(),
            };
        }
        match i {
            0 => format!("Under {}", show(self.edges[0])),
            i if i >= self.edges.len() => format!("{} and over", show(self.edges[i - 1])),
            i => format!("{}\u{2013}{}", show(self.edges[i - 1]), show(self.edges[i])),
        }
    }
}

/// Edges cutting `sorted` into at most `n` groups of about equal size; fewer when values
/// repeat (equal values never fall in two classes).
fn quantile_edges(sorted: &[f64], n: usize) -> Vec<f64> {
    let mut edges: Vec<f64> = Vec::new();
    let len = sorted.len();
    for k in 1..n {
        let at = (k * len + n / 2) / n;
        if at == 0 || at >= len {
            continue;
        }
        let (lo, hi) = (sorted[at - 1], sorted[at]);
        if lo >= hi {
            continue;
        }
        let edge = roundest_between(lo, hi);
        if edges.last().is_none_or(|&last| edge > last) {
            edges.push(edge);
        }
    }
    edges
}

/// The number with the fewest significant digits in `(lo, hi]`.
fn roundest_between(lo: f64, hi: f64) -> f64 {
    let top = hi.abs().max(lo.abs()).max(f64::MIN_POSITIVE).log10().ceil() as i32 + 1;
    for exp in (top - 18..=top).rev() {
        let step = 10f64.powi(exp);
        for unit in [5.0, 2.0, 1.0] {
            let step = step * unit;
            let candidate = (lo / step).floor() * step + step;
            if candidate > lo && candidate <= hi {
                // Tidy the float noise of the multiplication (0.30000000000000004).
                let tidy: f64 = format!("{candidate:.12e}").parse().unwrap_or(candidate);
                return if tidy > lo && tidy <= hi {
                    tidy
                } else {
                    candidate
                };
            }
        }
    }
    hi
}

/// Decimals needed to write `v` exactly (at most 6).
fn decimals_of(v: f64) -> u8 {
    (0..6u8)
        .find(|&d| {
            let scaled = v * 10f64.powi(i32::from(d));
            (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0)
        })
        .unwrap_or(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_edges_are_round_and_keep_every_value_in_its_quantile() {
        let values = [0.4, 1.2, 2.5, 3.0, 7.7, 12.0, 48.0, 100.0, 150.0, 900.0];
        let c = Classes::new(&values, &MapClasses::Auto, 1);
        assert_eq!(c.edges, vec![2.0, 5.0, 20.0, 150.0]);
        // Two values per class, as the quantiles cut them.
        let mut per_class = vec![0; c.count()];
        for v in values {
            per_class[c.of(v)] += 1;
        }
        assert_eq!(per_class, vec![2, 2, 2, 2, 2]);
        assert_eq!(c.label(0, &Numbers::default()), "Under 2");
        assert_eq!(c.label(2, &Numbers::default()), "5\u{2013}20");
        assert_eq!(c.label(4, &Numbers::default()), "150 and over");
        let c = Classes::new(&[0.12, 0.31, 0.33, 0.9], &MapClasses::Count(2), 2);
        assert_eq!(c.label(0, &Numbers::default()), "Under 0.32");
    }

    #[test]
    fn explicit_breaks_cut_where_written() {
        let c = Classes::new(
            &[0.5, 3.0, 40.0, 500.0],
            &MapClasses::Breaks(vec![1.0, 10.0, 100.0]),
            0,
        );
        assert_eq!(c.count(), 4);
        assert_eq!([0.5, 3.0, 40.0, 500.0].map(|v| c.of(v)), [0, 1, 2, 3]);
        assert_eq!(c.of(10.0), 2, "an edge belongs to the class above it");
        assert_eq!(c.label(1, &Numbers::default()), "1\u{2013}10");
        assert_eq!(c.label(3, &Numbers::default()), "100 and over");
    }

    #[test]
    fn few_values_give_fewer_classes_and_steps_spread_over_the_ramp() {
        let c = Classes::new(&[3.0, 3.0, 3.0], &MapClasses::Count(5), 0);
        assert_eq!(c.count(), 1);
        assert_eq!(c.label(0, &Numbers::default()), "3");
        let c = Classes::new(&[1.0, 2.0], &MapClasses::Count(5), 0);
        assert_eq!(c.count(), 2);
        assert_eq!((c.step(0), c.step(1)), (1, RAMP));
        let c = Classes::new(&[1.0, 2.0, 3.0, 4.0, 5.0], &MapClasses::Auto, 0);
        let steps: Vec<usize> = (0..c.count()).map(|i| c.step(i)).collect();
        assert_eq!(steps, vec![1, 3, 4, 6, 7]);
    }
}
