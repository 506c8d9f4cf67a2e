//! Our plotters backend: it writes the finished SVG as plotters draws, with no second pass.
//!
//! - The root element is ours: a viewBox only (no width or height, so the chart scales),
//!   `role="img"`, and `aria-labelledby` naming the `<title>` and `<desc>` it starts with.
//! - Every element carries its classes (`chart-bar chart-series-1`, `chart-axis`,
//!   `chart-text chart-category`, …) for the site stylesheet; the `fill`/`stroke` attributes
//!   stay as the light-mode fallback. Classes reach the backend with the element itself: a
//!   layout's element is wrapped in [`Classed`], which hands its class (and, for a shortened
//!   label, the full text for a `<title>` child) to the backend just before plotters draws
//!   it. An element without a class is an error, so none can slip out unstyled.
//! - Coordinates keep sub-unit precision: plotters' backend API is whole pixels, so one
//!   backend pixel is 1/[`SCALE`] of a viewBox unit ([`Units`] maps viewBox units onto
//!   them), and the SVG gets them back in viewBox units with at most one decimal.
//! - Text is written with its real font size; the reader's browser shapes and draws it.
//!
//! Only vector shapes are supported: plotters' pixel fallbacks (used for shapes a backend
//! does not draw itself) are an error rather than thousands of one-pixel rectangles.

use std::fmt::Write as _;

use plotters::coord::CoordTranslate;
use plotters::element::{Drawable, PointCollection};
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::WIDTH;
use crate::render::xml::escape as escape_xml;

/// Backend pixels per viewBox unit.
pub(crate) const SCALE: i32 = 10;

/// A length in viewBox units as backend pixels.
pub(crate) fn px(units: f64) -> i32 {
    // `as` saturates (and maps NaN to 0): a wild value cannot wrap around.
    (units * f64::from(SCALE)).round() as i32
}

/// Positions in viewBox units, as a plotters coordinate system over [`ChartBackend`], moved
/// `down` units (a standalone file's rows above the chart; 0 inline). plotters keeps every
/// point inside the drawing area, so nothing can be drawn at a negative `y`.
pub(crate) struct Units {
    pub(crate) down: f64,
}

impl CoordTranslate for Units {
    type From = (f64, f64);

    fn translate(&self, &(x, y): &(f64, f64)) -> BackendCoord {
        (px(x), px(y + self.down))
    }
}

/// What names the chart: the id prefix of its `<title>` and `<desc>`, and their texts.
pub(crate) struct Names<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) desc: &'a str,
    /// Whether shapes are hatched to say "no data": the pattern `{id}-nodata` is defined.
    pub(crate) hatch: bool,
}

/// The id of a chart's "no data" hatching pattern.
pub(crate) fn hatch_id(chart_id: &str) -> String {
    format!("{chart_id}-nodata")
}

/// The "no data" hatching: thin diagonal lines over a pale ground, both classed so the site
/// stylesheet recolours them in dark mode.
fn write_hatch(out: &mut String, chart_id: &str) {
    let _ = writeln!(
        out,
        "<defs><pattern id=\"{}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect class=\"map-nodata-ground\" width=\"5\" \
         height=\"5\" fill=\"#F3F1EC\"/><path class=\"map-nodata-line\" d=\"M0 0V5\" \
         stroke=\"#CFCAC0\" stroke-width=\"1.2\"/></pattern></defs>",
        escape_xml(&hatch_id(chart_id))
    );
}

/// Why the backend refused to draw.
#[derive(Debug)]
pub(crate) struct BackendError(&'static str);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for BackendError {}

type Drawn = Result<(), DrawingErrorKind<BackendError>>;

fn refuse(why: &'static str) -> Drawn {
    Err(DrawingErrorKind::DrawingError(BackendError(why)))
}

/// Writes one chart's SVG into a string as plotters draws onto it.
pub(crate) struct ChartBackend<'a> {
    out: &'a mut String,
    /// Width and height in backend pixels.
    size: (u32, u32),
    /// The classes, attributes and `<title>` text of the element being drawn, from
    /// [`Classed`].
    class: Option<String>,
    attrs: Vec<(&'static str, String)>,
    title: Option<String>,
    /// Whether a `<path>` is open: the rings of one shape are one path, so one `<title>`.
    path_open: bool,
    closed: bool,
}

/// A standalone file's root (`chart-N.svg`): the viewBox grows by `above` units over the
/// chart and `below` under it, room for the file's title, source and note rows (the chart
/// is drawn `above` units down, see [`Units`]). The file is an XML document with a size of
/// its own and its `style`.
pub(crate) struct Standalone<'s> {
    pub(crate) above: u32,
    pub(crate) below: u32,
    /// The class of the root element, which `style`'s rules are scoped by.
    pub(crate) class: &'s str,
    /// The CSS of a `<style>` element (no `]]>` in it: it is written as CDATA).
    pub(crate) style: &'s str,
    /// The file's width in units: [`WIDTH`] for one chart, more for a grid of small charts.
    pub(crate) width: f64,
}

impl<'a> ChartBackend<'a> {
    /// Starts the SVG in `out`: the root element of a chart `height` units tall, its
    /// `<title>` and `<desc>`; with `file`, a standalone file around the same chart.
    pub(crate) fn start(
        out: &'a mut String,
        height: u32,
        names: &Names,
        file: Option<&Standalone>,
    ) -> ChartBackend<'a> {
        let size = Self::write_root(out, height, names, file);
        Self::over(out, size)
    }

    /// Writes what [`Self::start`] writes before the first mark, and returns the size in
    /// backend pixels [`Self::over`] draws at.
    pub(crate) fn write_root(
        out: &mut String,
        height: u32,
        names: &Names,
        file: Option<&Standalone>,
    ) -> (u32, u32) {
        let id = escape_xml(names.id);
        let total = file.map_or(height, |f| height + f.above + f.below);
        let width = file.map_or(WIDTH, |f| f.width);
        if file.is_some() {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {total}\" "
        );
        if let Some(f) = file {
            // An `<img>` of the file gets its size from these.
            let _ = write!(
                out,
                "width=\"{width}\" height=\"{total}\" class=\"{}\" ",
                escape_xml(f.class)
            );
        }
        let _ = write!(
            out,
            "role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n\
             <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
            escape_xml(names.title),
            escape_xml(names.desc)
        );
        if let Some(f) = file {
            let _ = writeln!(out, "<style><![CDATA[\n{}]]></style>", f.style);
        }
        if names.hatch {
            write_hatch(out, names.id);
        }
        let size = |units: f64| px(units).max(1) as u32;
        (size(width), size(f64::from(total)))
    }

    /// A backend drawing into `out`, whose root [`Self::write_root`] has written.
    pub(crate) fn over(out: &'a mut String, size: (u32, u32)) -> ChartBackend<'a> {
        ChartBackend {
            out,
            size,
            class: None,
            attrs: Vec::new(),
            title: None,
            path_open: false,
            closed: false,
        }
    }

    /// Writes at `at` a nested `<svg>` `height` units tall holding `marks`, a chart's marks as
    /// this backend drew them inline: a standalone file shows the page's chart as drawn, in
    /// the page's own coordinates, rather than drawing it again lower down.
    pub(crate) fn embed(&mut self, at: BackendCoord, height: u32, marks: &str) {
        self.out.push_str("<svg");
        if at.0 != 0 {
            self.units("x", at.0);
        }
        self.units("y", at.1);
        let _ = writeln!(
            self.out,
            " width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\">"
        );
        self.out.push_str(marks);
        self.out.push_str("</svg>\n");
    }

    /// Opens a nested `<svg>` at `at` for a chart `height` units tall named by `names` (a
    /// small chart in a standalone file's grid): its own viewBox, so the chart is drawn in
    /// its own coordinates, and its own role, `<title>` and `<desc>`.
    pub(crate) fn open_nested(&mut self, at: BackendCoord, height: u32, names: &Names) {
        let id = escape_xml(names.id);
        self.out.push_str("<svg");
        self.units("x", at.0);
        self.units("y", at.1);
        let _ = write!(
            self.out,
            " width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n\
             <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
            escape_xml(names.title),
            escape_xml(names.desc)
        );
    }

    /// Closes the nested `<svg>` [`Self::open_nested`] opened.
    pub(crate) fn close_nested(&mut self) {
        self.out.push_str("</svg>\n");
    }

    /// Opens the element `tag` with the pending classes; Err when it has none.
    fn open(&mut self, tag: &str) -> Drawn {
        let Some(class) = self.class.take() else {
            return refuse("a chart element reached the backend without its classes");
        };
        let _ = write!(self.out, "<{tag} class=\"{class}\"");
        for (name, value) in &self.attrs {
            let _ = write!(self.out, " {name}=\"{}\"", escape_xml(value));
        }
        Ok(())
    }

    /// Ends the element `tag` opened last: with its `<title>` child when it has one.
    fn close(&mut self, tag: &str) {
        match self.title.take() {
            Some(title) => {
                let _ = writeln!(self.out, "><title>{}</title></{tag}>", escape_xml(&title));
            }
            None => self.out.push_str("/>\n"),
        }
    }

    /// Ends the `<path>` of a shape's rings, if one is open.
    fn finish_element(&mut self) {
        if self.path_open {
            self.path_open = false;
            self.out.push('"');
            self.close("path");
        }
        self.attrs.clear();
    }

    /// ` name="12.5"`: backend pixels written back in viewBox units.
    fn units(&mut self, name: &str, v: i32) {
        let _ = write!(self.out, " {name}=\"");
        number(self.out, v);
        self.out.push('"');
    }

    /// ` fill="#0D5A9E"` (or `stroke`), with the opacity when it is not 1.
    fn colour(&mut self, name: &str, c: BackendColor) {
        let (r, g, b) = c.rgb;
        let _ = write!(self.out, " {name}=\"#{r:02X}{g:02X}{b:02X}\"");
        if c.alpha < 1.0 {
            let _ = write!(self.out, " opacity=\"{}\"", c.alpha);
        }
    }

    /// ` fill="…"` for a filled shape, else ` fill="none" stroke="…"`.
    fn paint<S: BackendStyle>(&mut self, style: &S, fill: bool) {
        if self.attrs.iter().any(|(name, _)| *name == "fill") {
            // The element names its own paint (a pattern): the colour would be a second fill.
            return;
        }
        if fill {
            self.colour("fill", style.color());
        } else {
            self.out.push_str(" fill=\"none\"");
            self.colour("stroke", style.color());
            self.units("stroke-width", style.stroke_width() as i32);
        }
    }
}

/// Backend pixels as viewBox units: `125` → `12.5`, `120` → `12`, `-5` → `-0.5`.
fn number(out: &mut String, v: i32) {
    const _: () = assert!(SCALE == 10, "one decimal digit per backend pixel");
    let (whole, tenths) = (v.unsigned_abs() / 10, v.unsigned_abs() % 10);
    if v < 0 {
        out.push('-');
    }
    out.push_str(itoa::Buffer::new().format(whole));
    if tenths != 0 {
        out.push('.');
        out.push(char::from(b'0' + tenths as u8));
    }
}

impl DrawingBackend for ChartBackend<'_> {
    type ErrorType = BackendError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    /// Closes the root element (once).
    fn present(&mut self) -> Drawn {
        if !self.closed {
            self.out.push_str("</svg>");
            self.closed = true;
        }
        Ok(())
    }

    fn draw_pixel(&mut self, _: BackendCoord, _: BackendColor) -> Drawn {
        refuse("a chart element was to be drawn pixel by pixel")
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.open("rect")?;
        self.units("x", upper_left.0);
        self.units("y", upper_left.1);
        self.units("width", bottom_right.0 - upper_left.0);
        self.units("height", bottom_right.1 - upper_left.1);
        self.paint(style, fill);
        self.close("rect");
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        self.open("polyline")?;
        self.paint(style, false);
        self.out.push_str(" points=\"");
        for (i, (x, y)) in path.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            number(self.out, x);
            self.out.push(',');
            number(self.out, y);
        }
        self.out.push('"');
        self.close("polyline");
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.open("circle")?;
        self.units("cx", center.0);
        self.units("cy", center.1);
        self.units("r", radius as i32);
        self.paint(style, fill);
        self.close("circle");
        Ok(())
    }

    /// One ring of a shape, as a subpath of the shape's `<path>` in relative moves (a world
    /// map is thousands of points: `l1.2-0.5` is half the bytes of absolute pairs).
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        let mut points = vert.into_iter();
        let Some(first) = points.next() else {
            return Ok(());
        };
        if !self.path_open {
            self.open("path")?;
            self.paint(style, true);
            // A country's holes (Lesotho in South Africa) are rings of its own path.
            self.out.push_str(" fill-rule=\"evenodd\" d=\"");
            self.path_open = true;
        }
        self.out.push('M');
        number(self.out, first.0);
        self.out.push(' ');
        number(self.out, first.1);
        let mut last = first;
        let mut moves = 0;
        for p in points {
            let (dx, dy) = (p.0 - last.0, p.1 - last.1);
            if (dx, dy) == (0, 0) {
                continue;
            }
            self.out.push(if moves == 0 { 'l' } else { ' ' });
            number(self.out, dx);
            if dy >= 0 {
                self.out.push(' ');
            }
            number(self.out, dy);
            last = p;
            moves += 1;
        }
        self.out.push('z');
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        self.open("text")?;
        self.units("x", pos.0);
        self.units("y", pos.1);
        let dy = match style.anchor().v_pos {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let _ = write!(
            self.out,
            " dy=\"{dy}\" text-anchor=\"{anchor}\" font-family=\"{}\" font-size=\"{}\"",
            escape_xml(style.family().as_str()),
            style.size() / f64::from(SCALE)
        );
        self.colour("fill", style.color());
        self.out.push('>');
        self.out.push_str(&escape_xml(text));
        if let Some(full) = self.title.take() {
            let _ = write!(self.out, "<title>{}</title>", escape_xml(&full));
        }
        self.out.push_str("</text>\n");
        Ok(())
    }
}

/// A plotters element with the classes it is drawn with and, for a shortened label, the
/// full text its `<title>` child shows.
pub(crate) struct Classed<'c, E> {
    pub(crate) element: E,
    pub(crate) class: &'c str,
    pub(crate) title: Option<&'c str>,
    /// More attributes, written as given (escaped): `data-iso`, or a `fill` that replaces
    /// the style's colour.
    pub(crate) attrs: &'c [(&'static str, String)],
}

/// An element plotters places at one point, where it writes what `write` writes: how a
/// file's nested `<svg>`s (a grid's small charts, a chart's marks as the page drew them) take
/// plotters' coordinates like any mark.
pub(crate) struct WrittenAt<W> {
    pub(crate) at: [(f64, f64); 1],
    pub(crate) write: W,
}

impl<'a, W> PointCollection<'a, (f64, f64)> for &'a WrittenAt<W> {
    type Point = &'a (f64, f64);
    type IntoIter = &'a [(f64, f64)];

    fn point_iter(self) -> Self::IntoIter {
        &self.at
    }
}

impl<'o, W: Fn(&mut ChartBackend<'o>, BackendCoord)> Drawable<ChartBackend<'o>> for WrittenAt<W> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut ChartBackend<'o>,
        _: (u32, u32),
    ) -> Drawn {
        // One point in, one point out: plotters maps each point of the collection.
        let at = pos.next().unwrap_or_default();
        (self.write)(backend, at);
        Ok(())
    }
}

impl<'p, Coord, E> PointCollection<'p, Coord> for &'p Classed<'_, E>
where
    &'p E: PointCollection<'p, Coord>,
{
    type Point = <&'p E as PointCollection<'p, Coord>>::Point;
    type IntoIter = <&'p E as PointCollection<'p, Coord>>::IntoIter;

    fn point_iter(self) -> Self::IntoIter {
        self.element.point_iter()
    }
}

impl<'o, E: Drawable<ChartBackend<'o>>> Drawable<ChartBackend<'o>> for Classed<'_, E> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        pos: I,
        backend: &mut ChartBackend<'o>,
        parent_dim: (u32, u32),
    ) -> Drawn {
        backend.class = Some(self.class.to_string());
        backend.title = self.title.map(str::to_string);
        backend.attrs = self.attrs.to_vec();
        let drawn = self.element.draw(pos, backend, parent_dim);
        backend.finish_element();
        drawn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_pixels_read_back_as_units_with_one_decimal() {
        let shown = |v: i32| {
            let mut s = String::new();
            number(&mut s, v);
            s
        };
        assert_eq!(shown(125), "12.5");
        assert_eq!(shown(120), "12");
        assert_eq!(shown(-5), "-0.5");
        assert_eq!(shown(0), "0");
        assert_eq!(px(12.34), 123);
        assert_eq!(px(f64::NAN), 0);
    }

    #[test]
    fn an_element_without_classes_is_refused() {
        use plotters::drawing::IntoDrawingArea;
        use plotters::element::{BackendCoordOnly, Rectangle};
        use plotters::style::{BLACK, Color};
        let mut out = String::new();
        let names = Names {
            id: "c",
            title: "t",
            desc: "d",
            hatch: false,
        };
        let root = ChartBackend::start(&mut out, 10, &names, None)
            .into_drawing_area()
            .apply_coord_spec(Units { down: 0.0 });
        let bare = Rectangle::new([(0.0, 0.0), (1.0, 1.0)], BLACK.filled());
        // (Element types named: see `draw::put`.)
        type Rect = Rectangle<(f64, f64)>;
        assert!(root.draw::<Rect, BackendCoordOnly>(&bare).is_err());
        let classed = Classed {
            element: bare,
            class: "chart-bar",
            title: None,
            attrs: &[],
        };
        assert!(
            root.draw::<Classed<Rect>, BackendCoordOnly>(&classed)
                .is_ok()
        );
        root.present().unwrap();
        drop(root);
        assert!(out.contains("<rect class=\"chart-bar\" x=\"0\" y=\"0\" width=\"1\" height=\"1\""));
        assert!(out.ends_with("</svg>"));
    }
}
