//! Draws a [`Scene`] with plotters elements (`Rectangle`, `PathElement`, `Circle`, `Text`)
//! onto a drawing area over [`ChartBackend`], each element wrapped in [`Classed`] so the
//! backend writes its classes; returns the finished `<svg>`.

use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{
    BackendCoordOnly, Circle, Drawable, PathElement, PointCollection, Rectangle, Text,
};
use plotters::style::text_anchor::{Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, ShapeStyle, TextStyle};
use plotters_backend::{BackendCoord, DrawingBackend, DrawingErrorKind};

use super::FONT;
use super::backend::{BackendError, ChartBackend, Classed, Names, SCALE, Units, px};
use super::scene::{Mark, Marks, Op, Scene, TEXT_COLOUR};
use super::text::FONT_FAMILY;

/// A position in viewBox units.
type Point = (f64, f64);
pub(crate) type Area<'o> = DrawingArea<ChartBackend<'o>, Units>;
pub(crate) type Drawn = Result<(), DrawingAreaErrorKind<BackendError>>;

/// The scene as one `<svg>` element named by `names`.
pub(crate) fn draw(scene: &Scene, names: &Names) -> Result<String, String> {
    draw_marked(scene, names).map(|(svg, _)| svg)
}

/// The scene's height as the whole units of its viewBox.
pub(crate) fn height(scene: &Scene) -> u32 {
    scene.height.ceil().max(1.0) as u32
}

/// As [`draw`], and where in the `<svg>` its marks are: every element after the root's
/// `<title>`, `<desc>` and pattern, up to its end tag. A standalone file embeds them as
/// they are ([`super::standalone`]).
pub(crate) fn draw_marked(
    scene: &Scene,
    names: &Names,
) -> Result<(String, std::ops::Range<usize>), String> {
    let height = height(scene);
    let err = |e: DrawingAreaErrorKind<BackendError>| format!("the chart could not be drawn: {e}");
    let mut out = String::with_capacity(1024 + scene.ops.len() * 160);
    let size = ChartBackend::write_root(&mut out, height, names, None);
    let from = out.len();
    {
        let area = ChartBackend::over(&mut out, size)
            .into_drawing_area()
            .apply_coord_spec(Units { down: 0.0 });
        let text = text_style();
        for op in &scene.ops {
            draw_op(&area, op, &text).map_err(err)?;
        }
        area.present().map_err(err)?;
    }
    let to = out.len() - "</svg>".len();
    Ok((out, from..to))
}

/// The style every chart text is drawn with: the font at [`FONT`] units, the text colour.
pub(crate) fn text_style() -> TextStyle<'static> {
    let font = FontDesc::new(
        FontFamily::Name(FONT_FAMILY),
        FONT * f64::from(SCALE),
        FontStyle::Normal,
    );
    TextStyle::from(font).color(&TEXT_COLOUR)
}

/// A length in viewBox units as a plotters size (stroke width, radius) in backend pixels.
fn size(units: f64) -> u32 {
    px(units).max(0) as u32
}

/// Draws one classed element. Callers name the element type: left to inference, the
/// compiler recurses through `Classed<Classed<…>>` looking for one.
fn put<'e, E>(area: &Area, element: &'e Classed<'_, E>) -> Drawn
where
    &'e E: PointCollection<'e, (f64, f64)>,
    E: for<'o> Drawable<ChartBackend<'o>>,
{
    area.draw::<Classed<'_, E>, BackendCoordOnly>(element)
}

fn classed<E>(element: E, class: &str) -> Classed<'_, E> {
    Classed {
        element,
        class,
        title: None,
        attrs: &[],
    }
}

fn with_mark<'m, E>(element: E, class: &'m str, mark: Option<&'m Mark>) -> Classed<'m, E> {
    Classed {
        element,
        class,
        title: mark.map(|m| m.title.as_str()),
        attrs: mark.map_or(&[], |m| m.attrs.as_slice()),
    }
}

fn marked<'m, E>(element: E, marks: &'m Marks) -> Classed<'m, E> {
    Classed {
        element,
        class: &marks.class,
        title: marks.title.as_deref(),
        attrs: &marks.attrs,
    }
}

pub(crate) fn draw_op(area: &Area, op: &Op, text: &TextStyle) -> Drawn {
    match op {
        Op::Rect {
            x0,
            y0,
            x1,
            y1,
            colour,
            class,
            mark,
        } => {
            let rect = Rectangle::new([(*x0, *y0), (*x1, *y1)], colour.filled());
            let rect = with_mark(rect, class, mark.as_ref());
            put::<Rectangle<Point>>(area, &rect)
        }
        Op::Path {
            points,
            colour,
            width,
            class,
        } => {
            let style = ShapeStyle {
                color: colour.to_rgba(),
                filled: false,
                stroke_width: size(*width),
            };
            let path = classed(PathElement::new(points.clone(), style), class);
            put::<PathElement<Point>>(area, &path)
        }
        Op::Dot {
            x,
            y,
            r,
            colour,
            class,
            mark,
        } => {
            let dot = Circle::new((*x, *y), size(*r), colour.filled());
            let dot = with_mark(dot, class, mark.as_ref());
            put::<Circle<Point, u32>>(area, &dot)
        }
        Op::Shape {
            rings,
            colour,
            marks,
        } => {
            let shape = marked(Rings::new(rings, colour.filled()), marks);
            put::<Rings>(area, &shape)
        }
        Op::Marker {
            x,
            y,
            r,
            colour,
            marks,
        } => {
            let dot = marked(Circle::new((*x, *y), size(*r), colour.filled()), marks);
            put::<Circle<Point, u32>>(area, &dot)
        }
        Op::Text {
            x,
            y,
            label,
            anchor,
            class,
        } => {
            let style = text.pos(Pos::new(*anchor, VPos::Center));
            let text = Classed {
                element: Text::new(label.text.as_str(), (*x, *y), style),
                class,
                title: label.full.as_deref(),
                attrs: &[],
            };
            put::<Text<Point, &str>>(area, &text)
        }
    }
}

/// A filled shape of several rings as one plotters element: plotters translates every point
/// into backend coordinates, and each ring reaches the backend as one `fill_polygon`, which
/// [`ChartBackend`] writes as a subpath of the shape's single `<path>`.
struct Rings {
    points: Vec<Point>,
    /// Where each ring ends in `points`.
    ends: Vec<usize>,
    style: ShapeStyle,
}

impl Rings {
    fn new(rings: &[Vec<Point>], style: ShapeStyle) -> Rings {
        let mut points = Vec::with_capacity(rings.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(rings.len());
        for ring in rings {
            points.extend_from_slice(ring);
            ends.push(points.len());
        }
        Rings {
            points,
            ends,
            style,
        }
    }
}

impl<'a> PointCollection<'a, Point> for &'a Rings {
    type Point = &'a Point;
    type IntoIter = &'a [Point];

    fn point_iter(self) -> &'a [Point] {
        &self.points
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Rings {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let points: Vec<BackendCoord> = pos.collect();
        let mut start = 0;
        for &end in &self.ends {
            let ring = points.get(start..end).unwrap_or_default();
            backend.fill_polygon(ring.iter().copied(), &self.style)?;
            start = end;
        }
        Ok(())
    }
}
