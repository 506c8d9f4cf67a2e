//! Value scales: round tick values for a range, the linear map from values to viewBox units,
//! and the value axis of vertical charts (ticks, their labels, grid lines).

use plotters::style::text_anchor::HPos;

use super::layout::{PAD, PLOT_HEIGHT};
use super::scene::Scene;
use super::text::Label;
use crate::model::format::Numbers;

/// About this many ticks on a value axis.
const TICK_TARGET: f64 = 5.0;
/// More tick steps than this: give up on round ticks and show the two ends.
const MAX_TICKS: f64 = 40.0;
/// Tick steps are one of these times a power of ten.
const NICE_STEPS: [f64; 5] = [1.0, 2.0, 2.5, 5.0, 10.0];
/// Decimals of the two-ends fallback, and the most a round step may need.
const FALLBACK_DECIMALS: u8 = 2;
const MAX_DECIMALS: u8 = 12;
/// Space between a tick label and the plot.
const TICK_LABEL_GAP: f64 = 8.0;

/// Round tick values covering `lo..=hi`, and the decimals to print them with.
pub(crate) fn ticks(lo: f64, hi: f64, target: f64) -> (Vec<f64>, u8) {
    let fallback = (vec![lo, hi], FALLBACK_DECIMALS);
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return fallback;
    }
    let raw = span / target;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = NICE_STEPS
        .into_iter()
        .find(|&n| norm <= n)
        .unwrap_or(NICE_STEPS[NICE_STEPS.len() - 1]);
    let step = nice * mag;
    let (start, end) = ((lo / step).floor(), (hi / step).ceil());
    if !step.is_finite() || step <= 0.0 || !(end - start).is_finite() || end - start > MAX_TICKS {
        return fallback;
    }
    let mut decimals = 0u8;
    while decimals < MAX_DECIMALS {
        let scaled = step * 10f64.powi(i32::from(decimals));
        if (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0) {
            break;
        }
        decimals += 1;
    }
    let (start, end) = (start as i64, end as i64);
    let values = (start..=end)
        .map(|k| if k == 0 { 0.0 } else { k as f64 * step })
        .collect();
    (values, decimals)
}

/// A linear map from a value range onto a pixel range.
#[derive(Clone, Copy)]
pub(crate) struct Scale {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// Where `lo` lands.
    pub(crate) from: f64,
    /// Where `hi` lands.
    pub(crate) to: f64,
}

impl Scale {
    pub(crate) fn at(&self, v: f64) -> f64 {
        if self.hi == self.lo {
            return self.from;
        }
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

/// The value axis of a vertical chart: round ticks covering the values, their labels, and
/// the grid lines drawn at them.
pub(crate) struct ValueAxis {
    ticks: Vec<(f64, Label)>,
    label_width: f64,
}

impl ValueAxis {
    /// Ticks over `lo..=hi`, labelled as `numbers` writes them.
    pub(crate) fn new(lo: f64, hi: f64, numbers: &Numbers) -> ValueAxis {
        let (values, decimals) = ticks(lo, hi, TICK_TARGET);
        let ticks: Vec<(f64, Label)> = values
            .into_iter()
            .map(|v| (v, Label::new(&numbers.tick(v, decimals))))
            .collect();
        let label_width = ticks.iter().map(|(_, l)| l.width).fold(0.0, f64::max);
        ValueAxis { ticks, label_width }
    }

    /// The value scale of a vertical plot whose top edge is at `top`: values grow upwards over
    /// `PLOT_HEIGHT`.
    pub(crate) fn vertical(&self, top: f64) -> Scale {
        Scale {
            lo: self.lo(),
            hi: self.hi(),
            from: top + PLOT_HEIGHT,
            to: top,
        }
    }

    pub(crate) fn lo(&self) -> f64 {
        self.ticks.first().map_or(0.0, |t| t.0)
    }

    pub(crate) fn hi(&self) -> f64 {
        self.ticks.last().map_or(1.0, |t| t.0)
    }

    /// Where the plot starts: right of the widest tick label.
    pub(crate) fn plot_left(&self) -> f64 {
        PAD + self.label_width + TICK_LABEL_GAP
    }

    /// A grid line and a tick label at every tick, over the plot from `x0` to `x1`.
    pub(crate) fn draw(&self, scene: &mut Scene, y: &Scale, x0: f64, x1: f64) {
        for (v, label) in &self.ticks {
            let ty = y.at(*v);
            scene.rule(vec![(x0, ty), (x1, ty)], false);
            scene.text(
                x0 - TICK_LABEL_GAP,
                ty,
                label.clone(),
                HPos::Right,
                "chart-text chart-tick",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (t, d) = ticks(0.0, 12.25, TICK_TARGET);
        assert_eq!(t, vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5]);
        assert_eq!(d, 1);
        let (t, d) = ticks(-7.0, 4.0, TICK_TARGET);
        assert_eq!(t, vec![-7.5, -5.0, -2.5, 0.0, 2.5, 5.0]);
        assert_eq!(d, 1);
        let (t, d) = ticks(0.0, 400.0, TICK_TARGET);
        assert_eq!(t, vec![0.0, 100.0, 200.0, 300.0, 400.0]);
        assert_eq!(d, 0);
        // Nothing to divide: the two ends.
        assert_eq!(ticks(3.0, 3.0, TICK_TARGET).0, vec![3.0, 3.0]);
    }

    #[test]
    fn scales_are_linear_and_reversible_in_direction() {
        let s = Scale {
            lo: -2.0,
            hi: 8.0,
            from: 300.0,
            to: 100.0,
        };
        assert_eq!(s.at(-2.0), 300.0);
        assert_eq!(s.at(8.0), 100.0);
        assert_eq!(s.at(0.0), 260.0);
        assert_eq!(s.at(3.0), 200.0);
    }
}
