//! Static SVG charts: one inline `<svg>` per ```chart block.
//!
//! The way through, one file each:
//!
//! 1. [`data`] cleans the block's values into series (finite numbers, safe text);
//! 2. [`text`] measures labels with the shipped DejaVu Sans (fractional advances, read with
//!    ab_glyph) and estimates the scripts the font lacks, always with a safety margin;
//! 3. [`layout`] places everything in viewBox units (vertical bars, horizontal bars, line),
//!    using [`scale`] for ticks and value scales, into a display list, [`scene::Scene`];
//! 4. [`draw`] draws the scene with plotters elements onto a drawing area over
//!    [`backend::ChartBackend`], our plotters backend, which writes the finished SVG: our
//!    root element, classes for the site stylesheet, `<title>`s for shortened labels;
//! 5. [`describe`] writes the accessible title and `<desc>`;
//! 6. for a brief's chart, [`standalone`] puts the same marks in a file of its own
//!    (`chart-N.svg`), with its title, source and notes as rows and a `<style>`; small
//!    multiples are laid out once each ([`lay_out`]) and [`facet_file`] draws them again as
//!    one file, a grid of nested `<svg>`s.
//!
//! The viewBox is [`WIDTH`] units wide and every text is [`FONT`] units tall, so text stays at
//! least 11 CSS px when the chart is shown 358 px wide. No `style` attribute or element in
//! the page's SVG (only the standalone file has a `<style>`), no script, no external
//! reference.

mod backend;
mod data;
mod describe;
mod draw;
mod facet_file;
mod layout;
mod map;

pub(crate) use map::render_map_svgs;
pub use map::{Classes as MapClasses, SvgMap, render_map_svg};
mod scale;
mod scene;
mod standalone;
mod text;

pub(crate) use facet_file::{Cell as FacetCell, Grid as FacetGrid, facet_file};
pub(crate) use standalone::{File as SvgFile, Frame as SvgFrame};

#[cfg(test)]
mod preview;
#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

use crate::model::chart::{ChartKind, ChartValues};
use crate::model::format::Numbers;

/// One chart to draw.
pub struct SvgChart<'a> {
    /// Unique in the page (`chart-ai-infrastructure-spend-1`); prefix of every id in the SVG.
    pub id: &'a str,
    pub kind: ChartKind,
    /// The chart's title (any script; escaped here).
    pub title: &'a str,
    /// Name of the category axis (`region`).
    pub x_label: &'a str,
    /// Name of the value axis (`spend_usd_bn`), or the unit itself.
    pub y_label: &'a str,
    pub unit: Option<&'a str>,
    pub values: &'a ChartValues,
    /// How values are written: the block's `format`, the site's language.
    pub numbers: &'a Numbers,
    /// Reference lines, markers, bands and notes to draw, each naming a category it has.
    pub annotations: &'a [crate::model::annotation::Annotation],
    /// One scale for a set of small multiples, instead of the values' own.
    pub shared: Option<SharedScale>,
}

/// The scale a set of small charts shares: the value range, and for horizontal bars the room
/// (longest label, room left and right of the bars), each the largest any of them needs, so
/// the same value is drawn the same length in each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SharedScale {
    domain: (f64, f64),
    room: (f64, f64, f64),
    /// Columns that fall back to horizontal bars in one small chart do so in all of them, so
    /// the grid compares like with like.
    horizontal: bool,
}

/// Width of the viewBox. Text is [`FONT`] units tall: 15 × 358 / 480 ≈ 11.2 CSS px on a
/// 390 px phone, the smallest text we allow.
pub(crate) const WIDTH: f64 = 480.0;
pub(crate) const FONT: f64 = 15.0;

// Text shown 358 CSS px wide (a 390 px phone) must stay at least 11 px.
const _: () = assert!(FONT * 358.0 / WIDTH >= 11.0);

/// Draws `chart` as one inline `<svg>` element. Err when there is nothing to draw (no
/// categories), the font cannot be read or plotters fails; never panics.
pub fn render_svg(chart: &SvgChart) -> Result<String, String> {
    render_svgs(chart, None).map(|drawn| drawn.svg)
}

/// A chart drawn for the page and, with a frame, as a standalone file too: laid out once,
/// drawn twice.
pub(crate) struct Drawn {
    pub(crate) svg: String,
    pub(crate) file: Option<SvgFile>,
}

/// The scene drawn inline and, with `frame`, as a file ([`standalone`]).
fn draw_both(
    scene: &scene::Scene,
    names: &backend::Names,
    frame: Option<&SvgFrame>,
) -> Result<Drawn, String> {
    let (svg, marks) = draw::draw_marked(scene, names)?;
    let file = frame
        .map(|f| standalone::file(&svg[marks], draw::height(scene), names, f))
        .transpose()?;
    Ok(Drawn { svg, file })
}

/// As [`render_svg`], and with `frame`, the chart's standalone file.
pub(crate) fn render_svgs(chart: &SvgChart, frame: Option<&SvgFrame>) -> Result<Drawn, String> {
    let laid = lay_out(chart)?;
    draw_both(&laid.scene, &laid.names(), frame)
}

/// A chart laid out, not yet drawn: its scene and what names it, so it can be drawn inline
/// and again inside a file (a small chart of [`facet_file`]'s grid).
pub(crate) struct Laid {
    scene: scene::Scene,
    id: String,
    title: String,
    desc: String,
}

impl Laid {
    fn names(&self) -> backend::Names<'_> {
        backend::Names {
            id: &self.id,
            title: &self.title,
            desc: &self.desc,
            hatch: false,
        }
    }

    /// The chart as one inline `<svg>`, as [`render_svg`] draws it.
    pub(crate) fn draw(&self) -> Result<String, String> {
        draw::draw(&self.scene, &self.names())
    }
}

/// Lays `chart` out once: the scene [`render_svgs`] draws.
pub(crate) fn lay_out(chart: &SvgChart) -> Result<Laid, String> {
    text::font_ready()?;
    let mut data = data::Data::new(chart.values)?;
    data.unit = chart.unit.map(text::clean).unwrap_or_default();
    data.numbers = chart.numbers.clone();
    data.domain = chart.shared.map(|s| s.domain);
    data.room = chart.shared.map(|s| s.room);
    let caption = data::axis_caption(chart.y_label, chart.unit);
    let line = chart.kind == ChartKind::Line;
    let plan = &layout::annotate::Plan::new(chart.annotations, line, chart.numbers);
    let horizontal = chart.shared.is_some_and(|s| s.horizontal);
    let columns = |stacked: bool| {
        let drawn = (!horizontal)
            .then(|| layout::bars::vertical_bars(&data, stacked, &caption, plan))
            .flatten();
        drawn.unwrap_or_else(|| layout::hbars::horizontal_bars(&data, stacked, &caption, plan))
    };
    let scene = match chart.kind {
        ChartKind::Bar | ChartKind::GroupedBar => columns(false),
        ChartKind::StackedBar => columns(true),
        ChartKind::HBar => layout::hbars::horizontal_bars(&data, false, &caption, plan),
        ChartKind::Line => layout::line::line_chart(&data, &caption, plan),
        ChartKind::Map => return Err("a map is drawn from its places (map::render_map_svg)".into()),
    };
    Ok(Laid {
        scene,
        id: chart.id.to_string(),
        title: describe::accessible_title(chart),
        desc: describe::describe(chart, &data),
    })
}

impl SharedScale {
    /// The scale that covers every one of `charts`, all of `kind`; None when none of them has
    /// anything to draw.
    /// `numbers` writes the value labels whose widths the bars make room for.
    pub(crate) fn of<'a>(
        kind: ChartKind,
        charts: impl IntoIterator<Item = &'a ChartValues>,
        numbers: &Numbers,
    ) -> Option<SharedScale> {
        text::font_ready().ok()?;
        let stacked = kind == ChartKind::StackedBar;
        let mut out: Option<SharedScale> = None;
        for values in charts {
            let Ok(mut data) = data::Data::new(values) else {
                continue;
            };
            data.numbers = numbers.clone();
            let domain = match kind {
                ChartKind::Line => layout::line::value_range(&data),
                _ => data.bar_domain(stacked),
            };
            // Lay the chart out as horizontal bars once, to learn the room it needs (columns
            // fall back to them when their labels do not fit), and as columns, to learn
            // whether they fit; lines are neither.
            let mut horizontal = kind == ChartKind::HBar;
            if kind != ChartKind::Line {
                let plan = layout::annotate::Plan::new(&[], false, numbers);
                layout::hbars::horizontal_bars(&data, stacked, "", &plan);
                if !horizontal {
                    horizontal = layout::bars::vertical_bars(&data, stacked, "", &plan).is_none();
                }
            }
            let room = data.asked_room.get().unwrap_or_default();
            out = Some(match out {
                None => SharedScale {
                    domain,
                    room,
                    horizontal,
                },
                Some(s) => SharedScale {
                    horizontal: s.horizontal || horizontal,
                    domain: (s.domain.0.min(domain.0), s.domain.1.max(domain.1)),
                    room: (
                        s.room.0.max(room.0),
                        s.room.1.max(room.1),
                        s.room.2.max(room.2),
                    ),
                },
            });
        }
        out
    }
}
