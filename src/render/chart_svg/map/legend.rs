//! A map's legend, under the map: what the colours measure, then one swatch per class with
//! the range it holds, then "No data" with the hatching, wrapped into as many rows as the
//! width needs. Every label is measured, so none overlaps the next or leaves the viewBox.

use plotters::style::text_anchor::HPos;

use super::{RAMP_COLOURS, SvgMap, marks};
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::layout::PAD;
use crate::render::chart_svg::scene::{Op, Scene};
use crate::render::chart_svg::text::{LINE, Label, TEXT_UP};

const SWATCH_W: f64 = 16.0;
const SWATCH_H: f64 = 11.0;
const SWATCH_GAP: f64 = 5.0;
const ENTRY_GAP: f64 = 14.0;
const ROW_GAP: f64 = 4.0;

/// Draws the legend from `top`; returns the chart's height, which ends with it.
pub(super) fn legend(scene: &mut Scene, map: &SvgMap, top: f64, hatch_id: &str) -> f64 {
    let inner = WIDTH - 2.0 * PAD;
    let mut y = top;
    let caption = Label::fitted(map.caption, inner);
    if !caption.text.is_empty() {
        scene.text(
            PAD,
            y + TEXT_UP,
            caption,
            HPos::Left,
            "chart-text chart-caption",
        );
        y += LINE + ROW_GAP;
    }
    let mut entries: Vec<(String, Swatch)> = Vec::new();
    if !map.values.countries.is_empty() {
        for i in 0..map.classes.count() {
            entries.push((
                map.classes.label(i, map.numbers),
                Swatch::Step(map.classes.step(i)),
            ));
        }
    }
    entries.push(("No data".to_string(), Swatch::Hatch));
    let mut x = PAD;
    for (text, swatch) in entries {
        let label = Label::fitted(&text, inner - SWATCH_W - SWATCH_GAP);
        let width = SWATCH_W + SWATCH_GAP + label.width;
        if x > PAD && x + width > WIDTH - PAD {
            x = PAD;
            y += LINE + ROW_GAP;
        }
        let centre = y + TEXT_UP;
        let (x0, y0) = (x, centre - SWATCH_H / 2.0);
        let ring = vec![
            (x0, y0),
            (x0 + SWATCH_W, y0),
            (x0 + SWATCH_W, y0 + SWATCH_H),
            (x0, y0 + SWATCH_H),
        ];
        let (colour, marks) = match swatch {
            Swatch::Step(step) => (
                RAMP_COLOURS[step - 1],
                marks(&format!("map-swatch map-fill-{step}"), None, Vec::new()),
            ),
            Swatch::Hatch => (
                super::LAND_COLOUR,
                marks(
                    "map-swatch map-nodata",
                    None,
                    vec![("fill", format!("url(#{hatch_id})"))],
                ),
            ),
        };
        scene.ops.push(Op::Shape {
            rings: vec![ring],
            colour,
            marks,
        });
        let class = "chart-text chart-legend";
        scene.text(x + SWATCH_W + SWATCH_GAP, centre, label, HPos::Left, class);
        x += width + ENTRY_GAP;
    }
    y + LINE + PAD
}

enum Swatch {
    Step(usize),
    Hatch,
}
