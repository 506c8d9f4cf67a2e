//! Maps: a choropleth of countries in the Equal Earth projection (the shapes ship in
//! [`crate::geo`], already projected), each country coloured by its value's class, countries
//! without data hatched, countries too small to see drawn as a marker at their location, and
//! a legend that names every class. A locator map marks one country instead.
//!
//! Like every chart, the map is a [`Scene`] drawn through plotters onto our backend; each
//! shape carries `data-iso` and a `<title>` with its name and value, so a hover shows the
//! value with no script.

mod classes;
mod legend;
mod window;

use plotters::style::RGBColor;

pub use classes::Classes;

use super::WIDTH;
use super::backend::{Names, hatch_id};
use super::layout::PAD;
use super::scene::{Marks, Op, Scene};
use super::text::clean;
use crate::geo::{self, Country};
use crate::model::chart::Number;
use crate::model::format::Numbers;
use crate::model::map::MapValues;
use window::Window;

/// A shape smaller than this many square viewBox units is drawn as a marker too.
const MIN_VISIBLE_AREA: f64 = 6.0;
const MARKER_RADIUS: f64 = 3.0;
/// Space between the map and the legend.
const LEGEND_GAP: f64 = 8.0;

/// Light-mode fallbacks of `--map-1` … `--map-7` (the stylesheet sets both modes): one hue,
/// lightness falling evenly, so the order reads without colour vision.
const RAMP_COLOURS: [RGBColor; classes::RAMP] = [
    RGBColor(0xdb, 0xe9, 0xf6),
    RGBColor(0xb4, 0xd1, 0xec),
    RGBColor(0x86, 0xb4, 0xde),
    RGBColor(0x58, 0x95, 0xcc),
    RGBColor(0x33, 0x75, 0xb4),
    RGBColor(0x1a, 0x56, 0x93),
    RGBColor(0x0b, 0x36, 0x66),
];
const LAND_COLOUR: RGBColor = RGBColor(0xe6, 0xe2, 0xda);
const FOCUS_COLOUR: RGBColor = RGBColor(0xc8, 0x51, 0x0a);

/// One map to draw.
pub struct SvgMap<'a> {
    /// Unique in the page; prefix of every id in the SVG.
    pub id: &'a str,
    pub title: &'a str,
    /// What the values are (`spend_usd_bn (USD bn)`), above the legend.
    pub caption: &'a str,
    pub unit: Option<&'a str>,
    pub values: &'a MapValues,
    pub classes: &'a Classes,
    /// A locator map: the ISO code of the one country it marks.
    pub focus: Option<&'a str>,
    /// How values are written for readers (titles, legend, `<desc>`).
    pub numbers: &'a Numbers,
}

/// Draws `map` as one inline `<svg>`.
pub fn render_map_svg(map: &SvgMap) -> Result<String, String> {
    render_map_svgs(map, None).map(|drawn| drawn.svg)
}

/// As [`render_map_svg`], and with `frame`, the map's standalone file.
pub(crate) fn render_map_svgs(
    map: &SvgMap,
    frame: Option<&super::SvgFrame>,
) -> Result<super::Drawn, String> {
    super::text::font_ready()?;
    let window = match map.focus.and_then(geo::by_iso3) {
        Some(country) => Window::around(country),
        None => Window::world(),
    };
    let scale = (WIDTH - 2.0 * PAD) / window.width();
    let top = PAD;
    let at = |(x, y): (f64, f64)| (PAD + (x - window.x0) * scale, top + (y - window.y0) * scale);
    let place = |rings: &[geo::Ring]| -> Vec<Vec<(f64, f64)>> {
        let seen = window.clip(rings);
        seen.into_iter()
            .map(|r| r.into_iter().map(at).collect())
            .collect()
    };
    let mut scene = Scene::new();
    let values = value_index(map.values);
    for land in geo::unassigned_land() {
        let rings = place(land);
        if !rings.is_empty() {
            scene.ops.push(Op::Shape {
                rings,
                colour: LAND_COLOUR,
                marks: marks("map-land", None, Vec::new()),
            });
        }
    }
    let mut markers = Vec::new();
    for country in geo::countries() {
        let look = look(map, country, values.get(country.iso3).copied());
        let small = country.rings.is_empty() || country.area * scale * scale < MIN_VISIBLE_AREA;
        if small && look.marked {
            markers.push((country, look));
            continue;
        }
        let rings = place(&country.rings);
        if !rings.is_empty() {
            scene.ops.push(Op::Shape {
                rings,
                colour: look.colour,
                marks: look.marks,
            });
        }
    }
    // Markers last, so no neighbour's shape covers them.
    for (country, look) in markers {
        let (x, y) = at((f64::from(country.centre.0), f64::from(country.centre.1)));
        scene.ops.push(Op::Marker {
            x,
            y,
            r: MARKER_RADIUS,
            colour: look.colour,
            marks: Marks {
                class: format!("{} map-marker", look.marks.class),
                ..look.marks
            },
        });
    }
    let map_bottom = top + window.height() * scale;
    scene.height = if map.focus.is_some() {
        map_bottom + PAD
    } else {
        legend::legend(&mut scene, map, map_bottom + LEGEND_GAP, &hatch_id(map.id))
    };
    let names = Names {
        id: map.id,
        title: &clean(map.title),
        desc: &describe(map),
        hatch: map.focus.is_none(),
    };
    super::draw_both(&scene, &names, frame)
}

fn marks(class: &str, title: Option<String>, attrs: Vec<(&'static str, String)>) -> Marks {
    Marks {
        class: class.to_string(),
        title,
        attrs,
    }
}

/// Each mapped country's value, by ISO code.
fn value_index(values: &MapValues) -> std::collections::HashMap<&'static str, f64> {
    values.countries.iter().map(|c| (c.iso3, c.value)).collect()
}

/// How one country is drawn.
struct Look {
    colour: RGBColor,
    marks: Marks,
    /// Whether it must be seen even when too small for its shape: it has data, or is the
    /// locator's country.
    marked: bool,
}

fn look(map: &SvgMap, country: &Country, value: Option<f64>) -> Look {
    let mut attrs = vec![("data-iso", country.iso3.to_string())];
    if let Some(v) = value {
        // As every chart's marks: the label and the value as the data table shows it.
        attrs.push(("data-label", country.name.to_string()));
        attrs.push(("data-value", Number::format(v, map.values.values.decimals)));
    }
    let title = |value: Option<f64>| {
        Some(match value {
            Some(v) => format!("{}: {}", country.name, show(map, v)),
            None => format!("{}: no data", country.name),
        })
    };
    if let Some(focus) = map.focus {
        return if focus == country.iso3 {
            Look {
                colour: FOCUS_COLOUR,
                marks: marks("map-focus", title(value), attrs),
                marked: true,
            }
        } else {
            Look {
                colour: LAND_COLOUR,
                marks: marks("map-land", None, attrs),
                marked: false,
            }
        };
    }
    match value {
        Some(v) => {
            let step = map.classes.step(map.classes.of(v));
            Look {
                colour: RAMP_COLOURS[step - 1],
                marks: marks(&format!("map-fill map-fill-{step}"), title(value), attrs),
                marked: true,
            }
        }
        None => {
            attrs.push(("fill", format!("url(#{})", hatch_id(map.id))));
            Look {
                colour: LAND_COLOUR,
                marks: marks("map-nodata", title(None), attrs),
                marked: false,
            }
        }
    }
}

/// A value as readers see it, with its unit: `2.5 USD bn`.
fn show(map: &SvgMap, v: f64) -> String {
    let unit = map.unit.map(clean).unwrap_or_default();
    map.numbers.with_unit(v, map.values.values.decimals, &unit)
}

/// The `<desc>`: what a sighted reader sees: how many countries have data, the largest and
/// smallest, the classes, what could not be mapped.
fn describe(map: &SvgMap) -> String {
    let values = map.values;
    let mut d = String::from("Map of countries");
    let caption = clean(map.caption);
    if !caption.is_empty() {
        d.push_str(&format!(" coloured by {caption}"));
    }
    d.push_str(". ");
    if let Some(focus) = map.focus.and_then(geo::by_iso3) {
        let value = values.countries.iter().find(|c| c.iso3 == focus.iso3);
        d.push_str(&match value {
            Some(c) => format!("{} is marked: {}.", focus.name, show(map, c.value)),
            None => format!("{} is marked.", focus.name),
        });
        return d;
    }
    let n = values.countries.len();
    d.push_str(&format!(
        "{n} {} with data",
        if n == 1 { "country" } else { "countries" }
    ));
    if let (Some(first), Some(last)) = (values.countries.first(), values.countries.last()) {
        if n == 1 {
            d.push_str(&format!(": {} {}", first.name, show(map, first.value)));
        } else {
            d.push_str(&format!(
                "; largest {} {}, smallest {} {}",
                first.name,
                show(map, first.value),
                last.name,
                show(map, last.value)
            ));
        }
    }
    d.push_str(". ");
    let classes: Vec<String> = (0..map.classes.count())
        .map(|i| map.classes.label(i, map.numbers))
        .collect();
    if n > 0 {
        d.push_str(&format!("Classes: {}. ", classes.join("; ")));
    }
    d.push_str("Other countries: no data (hatched).");
    let unplaced = values.not_mapped.len();
    if unplaced > 0 {
        d.push_str(&format!(
            " {unplaced} {} not mapped: listed under the map.",
            if unplaced == 1 {
                "place is"
            } else {
                "places are"
            }
        ));
    }
    d
}
