//! Layouts: where every bar, line, dot and label of a chart goes, in viewBox units, as a
//! [`Scene`]. One file per chart shape ([`bars`]: columns, [`hbars`]: horizontal bars,
//! [`line`]); this file holds what they share: the edge padding, the plot height, the header
//! (value-axis caption and legend) and the check that a row of labels fits.
//!
//! Every distance is a named constant, in viewBox units (the viewBox is
//! [`WIDTH`] wide; text is [`super::FONT`] tall).

pub(crate) mod annotate;
pub(crate) mod bars;
pub(crate) mod hbars;
pub(crate) mod line;
pub(crate) mod time_axis;

use plotters::style::text_anchor::HPos;

use super::WIDTH;
use super::data::Data;
use super::scene::Scene;
use super::text::{LINE, Label, TEXT_DOWN, TEXT_UP};

/// Free space kept between any text and the edge of the viewBox.
pub(crate) const PAD: f64 = 4.0;
/// Height of the plot area of vertical charts (columns, lines).
pub(crate) const PLOT_HEIGHT: f64 = 220.0;
/// Space below a header row (the caption, each legend row).
const HEADER_ROW_GAP: f64 = 4.0;
/// A legend entry: the colour swatch, the space to its name, the space to the next entry.
const SWATCH: f64 = 11.0;
const SWATCH_GAP: f64 = 6.0;
const LEGEND_ENTRY_GAP: f64 = 16.0;
/// Least space between neighbouring category labels.
const CATEGORY_GAP: f64 = 10.0;
/// Space between the plot and the category labels under it, and the room kept from the
/// plot's lowest tick label when the first category label reaches under it.
const CATEGORY_DROP: f64 = 8.0;
const TICK_CLEARANCE: f64 = 2.0;

/// The width text may take in one row: the viewBox less its padding.
const INNER: f64 = WIDTH - 2.0 * PAD;

/// The value-axis caption and, for several series, a legend; returns where they end.
pub(crate) fn header(scene: &mut Scene, caption: &str, data: &Data) -> f64 {
    let mut y = PAD;
    if !caption.is_empty() {
        let label = Label::fitted(caption, INNER);
        let class = "chart-text chart-caption";
        scene.text(PAD, y + TEXT_UP, label, HPos::Left, class);
        y += LINE + HEADER_ROW_GAP;
    }
    if data.ns() > 1 {
        let mut x = PAD;
        let mut row_y = y;
        for (s, name) in data.series.iter().enumerate() {
            let label = Label::fitted(name, INNER - SWATCH - SWATCH_GAP);
            let entry = SWATCH + SWATCH_GAP + label.width;
            if x > PAD && x + entry > WIDTH - PAD {
                x = PAD;
                row_y += LINE + HEADER_ROW_GAP;
            }
            let cy = row_y + TEXT_UP;
            let half = SWATCH / 2.0;
            scene.rect(x, cy - half, x + SWATCH, cy + half, s, "chart-swatch");
            let class = "chart-text chart-legend";
            scene.text(x + SWATCH + SWATCH_GAP, cy, label, HPos::Left, class);
            x += entry + LEGEND_ENTRY_GAP;
        }
        y = row_y + LINE + HEADER_ROW_GAP;
    }
    y
}

/// Whether texts at these centres (left to right) and widths keep `gap` apart and stay
/// inside the viewBox.
pub(crate) fn fits_in_row(items: &[(f64, f64)], gap: f64) -> bool {
    items
        .iter()
        .all(|&(c, w)| c - w / 2.0 >= PAD && c + w / 2.0 <= WIDTH - PAD)
        && items
            .windows(2)
            .all(|p| p[1].0 - p[0].0 >= (p[0].1 + p[1].1) / 2.0 + gap)
}

/// Whether a category label centred at `centre` reaches left of the plot that starts at
/// `plot_left`, under the lowest tick label.
fn reaches_under_ticks(centre: f64, width: f64, plot_left: f64) -> bool {
    centre - width / 2.0 < plot_left - TICK_CLEARANCE
}

/// How far below the plot the category labels' centre line sits: clear of the plot, and of
/// the lowest tick label when the first label reaches under it.
fn category_drop(under_ticks: bool) -> f64 {
    let drop = if under_ticks {
        TEXT_DOWN + TICK_CLEARANCE
    } else {
        CATEGORY_DROP
    };
    drop + TEXT_UP
}

/// The category labels under a vertical plot, centred at `x(c)`, on the line `y`; returns
/// the height of the chart, which ends with them.
fn category_row(
    scene: &mut Scene,
    labels: Vec<Label>,
    y: f64,
    x: impl Fn(usize) -> f64,
    shown: impl Fn(usize) -> bool,
) -> f64 {
    for (c, label) in labels.into_iter().enumerate() {
        if shown(c) {
            scene.text(x(c), y, label, HPos::Center, "chart-text chart-category");
        }
    }
    y + TEXT_DOWN + PAD
}
