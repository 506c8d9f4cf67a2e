//! Static SVG charts: one inline `<svg>` per ```chart block, drawn with plotters' SVG backend.
//!
//! Layout is ours: label widths are measured with the shipped DejaVu Sans (registered with
//! plotters once) for Latin, Greek and Cyrillic, and estimated per script for the rest (the
//! font has no CJK, Hangul or Indic glyphs; the reader's browser draws those with its own
//! fonts), always with a safety margin. The viewBox is 480 units wide and every text is 15
//! units tall, so text stays at least 11 CSS px when the chart is shown 358 px wide.
//!
//! Colours come from the page: each element gets classes (`chart-series-N` with
//! `chart-bar`/`chart-line`/`chart-point`/`chart-swatch`, `chart-axis`, `chart-grid`,
//! `chart-text`) for the site stylesheet; plotters' `fill`/`stroke` attributes stay as the
//! light-mode fallback. No `style` attribute or element, no script, no external reference.

use std::fmt::Write as _;
use std::sync::OnceLock;

use plotters::backend::SVGBackend;
use plotters::drawing::IntoDrawingArea;
use plotters::element::{Circle, PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

use crate::model::chart::{ChartKind, ChartValues, Number};

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
}

/// Width of the viewBox. Text is [`FONT`] units tall: 15 × 358 / 480 ≈ 11.2 CSS px on a
/// 390 px phone, the smallest text we allow.
const WIDTH: f64 = 480.0;
const FONT: f64 = 15.0;
/// Plotters' SVG backend writes `font-size` as size / 1.24.
const PLOTTERS_SIZE: f64 = FONT * 1.24;
/// Free space kept between any text and the edge of the viewBox.
const PAD: f64 = 4.0;
/// Room a text needs above and below its centre line (`dy="0.5ex"`), generous enough for
/// fallback fonts with tall ascenders (Noto Sans CJK, Devanagari).
const TEXT_UP: f64 = 0.95 * FONT;
const TEXT_DOWN: f64 = 0.65 * FONT;
/// One text line, top to bottom.
const LINE: f64 = TEXT_UP + TEXT_DOWN;
/// Multiplier on every measured or estimated width.
const WIDTH_MARGIN: f64 = 1.06;
/// Plotters (ab_glyph) scales glyphs by the font's ascent − descent rather than its em, and
/// its SVG font-size is size / 1.24: for DejaVu Sans widths come out 2048 × 1.24 / 2384
/// times too wide. Measuring divides that back out, then applies [`WIDTH_MARGIN`].
const PLOTTERS_WIDTH_FACTOR: f64 = 2048.0 * 1.24 / 2384.0;
/// Plotters measures in whole pixels: measure at this font-size, then scale down.
const MEASURE_FONT: f64 = 1000.0;
/// Height of the plot area of vertical charts.
const PLOT_HEIGHT: f64 = 220.0;

// Text shown 358 CSS px wide (a 390 px phone) must stay at least 11 px.
const _: () = assert!(FONT * 358.0 / WIDTH >= 11.0);

/// The name the shipped font is registered under; also the `font-family` the SVG asks for.
const FONT_NAME: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Light-mode fallbacks for the CSS custom properties `--chart-1` … `--chart-8`.
const SERIES_COLOURS: [RGBColor; 8] = [
    RGBColor(0x0d, 0x5a, 0x9e),
    RGBColor(0xc8, 0x51, 0x0a),
    RGBColor(0x0f, 0x7a, 0x63),
    RGBColor(0xb2, 0x3a, 0x7c),
    RGBColor(0x8a, 0x6d, 0x00),
    RGBColor(0x3f, 0x86, 0xc9),
    RGBColor(0x6a, 0x4b, 0xb0),
    RGBColor(0x6b, 0x69, 0x63),
];
const TEXT_COLOUR: RGBColor = RGBColor(0x4a, 0x48, 0x43);
const AXIS_COLOUR: RGBColor = RGBColor(0x6b, 0x69, 0x63);
const GRID_COLOUR: RGBColor = RGBColor(0xe6, 0xe2, 0xda);

/// Draws `chart` as one inline `<svg>` element. Err when there is nothing to draw (no
/// categories) or plotters fails; never panics.
pub fn render_svg(chart: &SvgChart) -> Result<String, String> {
    font_ready()?;
    let data = Data::new(chart.values)?;
    let caption = axis_caption(chart.y_label, chart.unit);
    let scene = match chart.kind {
        ChartKind::Bar => vertical_bars(&data, false, &caption)
            .unwrap_or_else(|| horizontal_bars(&data, false, &caption)),
        ChartKind::StackedBar => vertical_bars(&data, true, &caption)
            .unwrap_or_else(|| horizontal_bars(&data, true, &caption)),
        ChartKind::HBar => horizontal_bars(&data, false, &caption),
        ChartKind::Line => line_chart(&data, &caption),
    };
    let raw = draw(&scene)?;
    let title = accessible_title(chart);
    let desc = describe(chart, &data);
    finish(&raw, &scene, chart.id, &title, &desc)
}

// ------------------------------------------------------------------------------ font, text

fn font_ready() -> Result<(), String> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            plotters::style::register_font(FONT_NAME, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the chart font (DejaVu Sans) could not be loaded".to_string())
        })
        .clone()
}

fn font() -> FontDesc<'static> {
    FontDesc::new(
        FontFamily::Name(FONT_NAME),
        PLOTTERS_SIZE,
        FontStyle::Normal,
    )
}

fn measuring_font() -> FontDesc<'static> {
    FontDesc::new(
        FontFamily::Name(FONT_NAME),
        MEASURE_FONT * 1.24,
        FontStyle::Normal,
    )
}

/// How a character is sized: by the shipped font, or by an estimate in em.
enum Sizing {
    Font,
    Em(f64),
}

fn sizing(c: char) -> Sizing {
    let u = c as u32;
    let em = match u {
        // Zero-width: format controls, joiners, bidi marks, variation selectors.
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF => 0.0,
        // Combining marks (Latin and general).
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F => {
            0.0
        }
        // Latin, IPA, Greek, Cyrillic, punctuation and symbols: DejaVu Sans has them.
        0x0020..=0x02FF
        | 0x0370..=0x03FF
        | 0x0400..=0x052F
        | 0x1E00..=0x1FFF
        | 0x2000..=0x20CF
        | 0x2100..=0x22FF => return Sizing::Font,
        // Hebrew: points and accents take no width.
        0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7 => 0.0,
        0x0590..=0x05FF => 0.66,
        // Arabic: harakat take no width; letters are narrower once joined.
        0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x08D3..=0x08FF => 0.0,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08D2 | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC => {
            0.72
        }
        // Devanagari: signs above or below, virama and nukta take no width.
        0x0900..=0x0902 | 0x093A | 0x093C | 0x0941..=0x0948 | 0x094D | 0x0951..=0x0957 => 0.0,
        0x0962..=0x0963 => 0.0,
        // Other Indic scripts, Sinhala.
        0x0903..=0x0DFF => 0.64,
        // Thai, Lao: marks above or below take no width.
        0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1 | 0x0EB4..=0x0EBC | 0x0EC8..=0x0ECD => {
            0.0
        }
        0x0E00..=0x0EFF => 0.62,
        // Hangul, CJK, kana, fullwidth forms: one em each.
        0x1100..=0x11FF
        | 0x2E80..=0x303F
        | 0x3040..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF => 1.0,
        0xFF61..=0xFFDC => 0.55,
        // Emoji and pictographs.
        0x2600..=0x27BF | 0x1F000..=0x1FAFF => 1.25,
        // Anything else (Armenian, Georgian, Ethiopic, …): a wide guess.
        _ => 0.85,
    };
    Sizing::Em(em)
}

/// Width of `text` in viewBox units at [`FONT`], with the safety margin.
fn measure(text: &str) -> f64 {
    let mut total = 0.0;
    let mut run = String::new();
    let flush = |run: &mut String, total: &mut f64| {
        if !run.is_empty() {
            *total += match measuring_font().box_size(run) {
                Ok((w, _)) => f64::from(w) / MEASURE_FONT / PLOTTERS_WIDTH_FACTOR * FONT,
                Err(_) => run.chars().count() as f64 * 0.62 * FONT,
            };
            run.clear();
        }
    };
    for c in text.chars() {
        match sizing(c) {
            Sizing::Font => run.push(c),
            Sizing::Em(em) => {
                flush(&mut run, &mut total);
                total += em * FONT;
            }
        }
    }
    flush(&mut run, &mut total);
    total * WIDTH_MARGIN
}

/// A label as drawn: possibly shortened with an ellipsis, then `full` keeps the whole text.
#[derive(Debug, Clone)]
struct Label {
    text: String,
    full: Option<String>,
    width: f64,
}

impl Label {
    fn new(text: &str) -> Label {
        Label {
            text: text.to_string(),
            full: None,
            width: measure(text),
        }
    }

    /// The label, shortened with "…" so it is at most `max` wide (the last resort).
    fn fitted(text: &str, max: f64) -> Label {
        let width = measure(text);
        if width <= max {
            return Label {
                text: text.to_string(),
                full: None,
                width,
            };
        }
        let chars: Vec<char> = text.chars().collect();
        let shortened = |n: usize| -> String {
            let mut s: String = chars[..n].iter().collect();
            while s.ends_with(|c: char| {
                c.is_whitespace() || matches!(sizing(c), Sizing::Em(e) if e == 0.0)
            }) {
                s.pop();
            }
            s.push('…');
            s
        };
        // The longest prefix that fits, by bisection (width grows with length).
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if measure(&shortened(mid)) <= max {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let text_short = shortened(lo);
        Label {
            width: measure(&text_short),
            text: text_short,
            full: Some(text.to_string()),
        }
    }
}

/// Text safe to put in XML: control characters become spaces, surrounding space goes.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

// ------------------------------------------------------------------------------ data

/// The chart's values, cleaned: finite numbers only, one row per series, text made safe.
struct Data {
    categories: Vec<String>,
    series: Vec<String>,
    /// `values[s][c]`.
    values: Vec<Vec<Option<f64>>>,
    decimals: u8,
}

impl Data {
    fn new(v: &ChartValues) -> Result<Data, String> {
        if v.categories.is_empty() {
            return Err("the chart has no categories to show".to_string());
        }
        let n = v.categories.len();
        let ns = v.series.len().max(v.values.len()).max(1);
        let series = (0..ns)
            .map(|s| {
                let name = v.series.get(s).map(|t| clean(t)).unwrap_or_default();
                if name.is_empty() && ns > 1 {
                    format!("Series {}", s + 1)
                } else {
                    name
                }
            })
            .collect();
        let values = (0..ns)
            .map(|s| {
                (0..n)
                    .map(|c| {
                        v.values
                            .get(s)
                            .and_then(|row| row.get(c))
                            .copied()
                            .flatten()
                            .filter(|x| x.is_finite())
                    })
                    .collect()
            })
            .collect();
        Ok(Data {
            categories: v.categories.iter().map(|c| clean(c)).collect(),
            series,
            values,
            decimals: v.decimals,
        })
    }

    fn n(&self) -> usize {
        self.categories.len()
    }

    fn ns(&self) -> usize {
        self.series.len()
    }

    fn format(&self, v: f64) -> String {
        Number::format(v, self.decimals)
    }

    /// Sums of the positive and of the negative values of category `c`, and whether it has any.
    /// One value label per bar, or per stack when `per_stack`: (category, series, the value
    /// the label is anchored at, the label). A missing value reads "n/a".
    fn value_labels(&self, per_stack: bool) -> Vec<(usize, usize, f64, Label)> {
        let mut out = Vec::new();
        for c in 0..self.categories.len() {
            if per_stack {
                let (pos, neg, any) = self.stack(c);
                let (anchor, text) = if !any {
                    (0.0, "n/a".to_string())
                } else {
                    (
                        if pos > 0.0 || neg == 0.0 { pos } else { neg },
                        self.format(pos + neg),
                    )
                };
                out.push((c, 0, anchor, Label::new(&text)));
            } else {
                for (s, series) in self.values.iter().enumerate() {
                    let (anchor, text) = match series[c] {
                        Some(v) => (v, self.format(v)),
                        None => (0.0, "n/a".to_string()),
                    };
                    out.push((c, s, anchor, Label::new(&text)));
                }
            }
        }
        out
    }

    fn stack(&self, c: usize) -> (f64, f64, bool) {
        let (mut pos, mut neg, mut any) = (0.0, 0.0, false);
        for row in &self.values {
            if let Some(v) = row[c] {
                any = true;
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
            }
        }
        (pos, neg, any)
    }

    /// The range bars must cover: always including zero, never empty.
    fn bar_domain(&self, stacked: bool) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for c in 0..self.n() {
            if stacked {
                let (pos, neg, _) = self.stack(c);
                hi = hi.max(pos);
                lo = lo.min(neg);
            } else {
                for row in &self.values {
                    if let Some(v) = row[c] {
                        hi = hi.max(v);
                        lo = lo.min(v);
                    }
                }
            }
        }
        if !(hi - lo).is_finite() {
            return (0.0, 1.0);
        }
        if hi == lo {
            hi = lo + 1.0;
        }
        (lo, hi)
    }
}

fn axis_caption(y_label: &str, unit: Option<&str>) -> String {
    let y = clean(y_label);
    let unit = unit.map(clean).unwrap_or_default();
    match (y.is_empty(), unit.is_empty()) {
        (_, true) => y,
        (true, false) => unit,
        (false, false) if y == unit => y,
        (false, false) => format!("{y} ({unit})"),
    }
}

// ------------------------------------------------------------------------------ scene

/// What to draw, in viewBox units; drawn by plotters in this order, one SVG element each.
enum Op {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        colour: RGBColor,
        class: String,
    },
    Path {
        points: Vec<(f64, f64)>,
        colour: RGBColor,
        width: u32,
        class: String,
    },
    Dot {
        x: f64,
        y: f64,
        r: u32,
        colour: RGBColor,
        class: String,
    },
    /// A text centred vertically on `y`.
    Text {
        x: f64,
        y: f64,
        label: Label,
        anchor: HPos,
        class: &'static str,
    },
}

struct Scene {
    ops: Vec<Op>,
    height: f64,
}

impl Scene {
    fn new() -> Scene {
        Scene {
            ops: Vec::new(),
            height: 0.0,
        }
    }

    fn text(&mut self, x: f64, y: f64, label: Label, anchor: HPos, class: &'static str) {
        if !label.text.is_empty() {
            self.ops.push(Op::Text {
                x,
                y,
                label,
                anchor,
                class,
            });
        }
    }

    fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, series: usize, class: &str) {
        self.ops.push(Op::Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
            colour: SERIES_COLOURS[series % 8],
            class: format!("{class} chart-series-{}", series % 8 + 1),
        });
    }

    fn rule(&mut self, points: Vec<(f64, f64)>, axis: bool) {
        self.ops.push(Op::Path {
            points,
            colour: if axis { AXIS_COLOUR } else { GRID_COLOUR },
            width: 1,
            class: if axis { "chart-axis" } else { "chart-grid" }.to_string(),
        });
    }

    /// The value-axis caption and, for several series, a legend; returns where they end.
    fn header(&mut self, caption: &str, data: &Data) -> f64 {
        let mut y = PAD;
        if !caption.is_empty() {
            let label = Label::fitted(caption, WIDTH - 2.0 * PAD);
            self.text(
                PAD,
                y + TEXT_UP,
                label,
                HPos::Left,
                "chart-text chart-caption",
            );
            y += LINE + 4.0;
        }
        if data.ns() > 1 {
            const SWATCH: f64 = 11.0;
            let mut x = PAD;
            let mut row_y = y;
            for (s, name) in data.series.iter().enumerate() {
                let label = Label::fitted(name, WIDTH - 2.0 * PAD - SWATCH - 6.0);
                let item = SWATCH + 6.0 + label.width;
                if x > PAD && x + item > WIDTH - PAD {
                    x = PAD;
                    row_y += LINE + 4.0;
                }
                let cy = row_y + TEXT_UP;
                self.rect(
                    x,
                    cy - SWATCH / 2.0,
                    x + SWATCH,
                    cy + SWATCH / 2.0,
                    s,
                    "chart-swatch",
                );
                self.text(
                    x + SWATCH + 6.0,
                    cy,
                    label,
                    HPos::Left,
                    "chart-text chart-legend",
                );
                x += item + 16.0;
            }
            y = row_y + LINE + 4.0;
        }
        y
    }
}

// ------------------------------------------------------------------------------ value axis

/// Round tick values covering `lo..=hi`, and the decimals to print them with.
fn ticks(lo: f64, hi: f64, target: f64) -> (Vec<f64>, u8) {
    let fallback = (vec![lo, hi], 2);
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return fallback;
    }
    let raw = span / target;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = nice * mag;
    let (start, end) = ((lo / step).floor(), (hi / step).ceil());
    if !step.is_finite() || step <= 0.0 || !(end - start).is_finite() || end - start > 40.0 {
        return fallback;
    }
    let mut decimals = 0u8;
    while decimals < 12 {
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
struct Scale {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        if self.hi == self.lo {
            return self.from;
        }
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

/// Grid lines and tick labels of a vertical chart; returns the x where the plot starts.
struct ValueAxis {
    ticks: Vec<(f64, Label)>,
    label_width: f64,
}

impl ValueAxis {
    fn new(lo: f64, hi: f64) -> ValueAxis {
        let (values, decimals) = ticks(lo, hi, 5.0);
        let ticks: Vec<(f64, Label)> = values
            .into_iter()
            .map(|v| (v, Label::new(&Number::format(v, decimals))))
            .collect();
        let label_width = ticks.iter().map(|(_, l)| l.width).fold(0.0, f64::max);
        ValueAxis { ticks, label_width }
    }

    /// The value scale of a vertical plot whose top edge is at `top`: values grow upwards over
    /// `PLOT_HEIGHT`.
    fn vertical(&self, top: f64) -> Scale {
        Scale {
            lo: self.lo(),
            hi: self.hi(),
            from: top + PLOT_HEIGHT,
            to: top,
        }
    }

    fn lo(&self) -> f64 {
        self.ticks.first().map_or(0.0, |t| t.0)
    }

    fn hi(&self) -> f64 {
        self.ticks.last().map_or(1.0, |t| t.0)
    }

    fn plot_left(&self) -> f64 {
        PAD + self.label_width + 8.0
    }

    fn draw(&self, scene: &mut Scene, y: &Scale, x0: f64, x1: f64) {
        for (v, label) in &self.ticks {
            let ty = y.at(*v);
            scene.rule(vec![(x0, ty), (x1, ty)], false);
            scene.text(
                x0 - 8.0,
                ty,
                label.clone(),
                HPos::Right,
                "chart-text chart-tick",
            );
        }
    }
}

// ------------------------------------------------------------------------------ layouts

/// Columns. None when a category label does not fit under its column: the caller then
/// draws horizontal bars instead.
fn vertical_bars(data: &Data, stacked: bool, caption: &str) -> Option<Scene> {
    let (n, ns) = (data.n(), data.ns());
    let (lo, hi) = data.bar_domain(stacked);
    let axis = ValueAxis::new(lo, hi);
    let x0 = axis.plot_left();
    let x1 = WIDTH - PAD;
    let slot = (x1 - x0) / n as f64;
    let centre = |c: usize| x0 + slot * (c as f64 + 0.5);
    let labels: Vec<Label> = data.categories.iter().map(|c| Label::new(c)).collect();
    let placed: Vec<(f64, f64)> = labels
        .iter()
        .enumerate()
        .map(|(c, l)| (centre(c), l.width))
        .collect();
    if labels.iter().any(|l| l.width > slot * 1.4) || !fits_in_row(&placed, 10.0) {
        return None;
    }
    let grouped = !stacked && ns > 1;
    let group_w = if grouped {
        (slot * 0.8).min(ns as f64 * 40.0)
    } else {
        (slot * 0.64).min(64.0)
    };
    let bar_w = if grouped {
        group_w / ns as f64
    } else {
        group_w
    };

    // Value labels: one per bar (or per stack), shown only if every one fits its bar.
    let value_labels = data.value_labels(stacked);
    let bar_centre = |c: usize, s: usize| {
        if grouped {
            centre(c) - group_w / 2.0 + (s as f64 + 0.5) * bar_w
        } else {
            centre(c)
        }
    };
    let placed: Vec<(f64, f64)> = value_labels
        .iter()
        .map(|(c, s, _, l)| (bar_centre(*c, *s), l.width))
        .collect();
    let show_values = fits_in_row(&placed, 4.0);
    let any_negative_label = show_values && value_labels.iter().any(|(_, _, a, _)| *a < 0.0);

    let mut scene = Scene::new();
    let top = scene.header(caption, data);
    let above = if show_values { LINE + 6.0 } else { TEXT_UP };
    let py0 = top + above.max(TEXT_UP);
    let py1 = py0 + PLOT_HEIGHT;
    let y = axis.vertical(py0);
    axis.draw(&mut scene, &y, x0, x1);

    let zero = y.at(0.0);
    for c in 0..n {
        let cx = x0 + slot * (c as f64 + 0.5);
        if stacked {
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in 0..ns {
                if let Some(v) = data.values[s][c] {
                    let base = if v >= 0.0 { pos } else { neg };
                    let (a, b) = (y.at(base), y.at(base + v));
                    scene.rect(cx - bar_w / 2.0, a, cx + bar_w / 2.0, b, s, "chart-bar");
                    if v >= 0.0 {
                        pos += v;
                    } else {
                        neg += v;
                    }
                }
            }
        } else {
            for s in 0..ns {
                if let Some(v) = data.values[s][c] {
                    let bx = cx - group_w / 2.0 + s as f64 * bar_w;
                    let gap = if grouped { 1.0 } else { 0.0 };
                    scene.rect(bx, zero, bx + bar_w - gap, y.at(v), s, "chart-bar");
                }
            }
        }
    }
    scene.rule(vec![(x0, zero), (x1, zero)], true);

    if show_values {
        for (c, s, anchor, label) in value_labels {
            let bx = bar_centre(c, s);
            let ly = if anchor < 0.0 {
                y.at(anchor) + 4.0 + TEXT_UP
            } else {
                y.at(anchor) - 4.0 - TEXT_DOWN
            };
            scene.text(bx, ly, label, HPos::Center, "chart-text chart-value");
        }
    }

    // Clear of the lowest tick label if the first category label reaches under it.
    let clear_ticks = centre(0) - labels[0].width / 2.0 < x0 - 2.0;
    let below = if any_negative_label {
        4.0 + LINE + 2.0
    } else if clear_ticks {
        TEXT_DOWN + 2.0
    } else {
        8.0
    };
    let label_y = py1 + below + TEXT_UP;
    for (c, label) in labels.into_iter().enumerate() {
        let cx = x0 + slot * (c as f64 + 0.5);
        scene.text(
            cx,
            label_y,
            label,
            HPos::Center,
            "chart-text chart-category",
        );
    }
    scene.height = label_y + TEXT_DOWN + PAD;
    Some(scene)
}

/// Whether texts at these centres (left to right) and widths keep `gap` apart and stay
/// inside the viewBox.
fn fits_in_row(items: &[(f64, f64)], gap: f64) -> bool {
    items
        .iter()
        .all(|&(c, w)| c - w / 2.0 >= PAD && c + w / 2.0 <= WIDTH - PAD)
        && items
            .windows(2)
            .all(|p| p[1].0 - p[0].0 >= (p[0].1 + p[1].1) / 2.0 + gap)
}

/// Horizontal bars: labels beside the bars when they are short, else on a line above each
/// bar (full width, so long names need no shortening); values at the end of every bar.
fn horizontal_bars(data: &Data, stacked: bool, caption: &str) -> Scene {
    let (n, ns) = (data.n(), data.ns());
    let grouped = !stacked && ns > 1;
    let (lo, hi) = data.bar_domain(stacked);
    let inner = WIDTH - 2.0 * PAD;

    // Value labels: (c, s, anchor value, label).
    let value_labels = data.value_labels(stacked || data.values.len() == 1);
    let right_room = value_labels
        .iter()
        .filter(|v| v.2 >= 0.0)
        .map(|v| v.3.width + 6.0)
        .fold(0.0, f64::max);
    let left_room = value_labels
        .iter()
        .filter(|v| v.2 < 0.0)
        .map(|v| v.3.width + 6.0)
        .fold(0.0, f64::max);

    let widths: Vec<f64> = data.categories.iter().map(|c| measure(c)).collect();
    let longest = widths.iter().copied().fold(0.0, f64::max);
    let mut side = longest <= 0.4 * inner;
    let bars_from = |side: bool| if side { PAD + longest + 10.0 } else { PAD };
    if side && (WIDTH - PAD - right_room) - (bars_from(true) + left_room) < 100.0 {
        side = false;
    }
    let x = Scale {
        lo,
        hi,
        from: bars_from(side) + left_room,
        to: (WIDTH - PAD - right_room).max(bars_from(side) + left_room + 40.0),
    };
    let zero = x.at(0.0);

    // Grouped bars sit `step` apart; a single or stacked bar is one bar per category.
    let (bar_h, step) = if grouped { (15.0, 22.0) } else { (18.0, 0.0) };
    let group_h = bar_h + step * (ns - 1) as f64;
    let bar_top = |group_top: f64, s: usize| group_top + s as f64 * step;

    let mut scene = Scene::new();
    let mut y = scene.header(caption, data) + 4.0;
    let mut axis_segments: Vec<(f64, f64)> = Vec::new();
    // (x of the bar's end, y of its middle, the value there, label)
    let mut values_at: Vec<(f64, f64, f64, Label)> = Vec::new();
    for c in 0..n {
        let group_top;
        if side {
            let pitch = (group_h + 14.0).max(LINE + 8.0);
            group_top = y + (pitch - group_h) / 2.0;
            let label = Label::new(&data.categories[c]);
            scene.text(
                PAD + longest,
                y + pitch / 2.0,
                label,
                HPos::Right,
                "chart-text chart-category",
            );
            y += pitch;
        } else {
            let label = Label::fitted(&data.categories[c], inner);
            scene.text(
                PAD,
                y + TEXT_UP,
                label,
                HPos::Left,
                "chart-text chart-category",
            );
            group_top = y + LINE + 4.0;
            y = group_top + group_h + 14.0;
        }
        axis_segments.push((group_top - 4.0, group_top + group_h + 4.0));
        if !stacked {
            for s in 0..ns {
                if let Some(v) = data.values[s][c] {
                    let top = bar_top(group_top, s);
                    scene.rect(zero, top, x.at(v), top + bar_h, s, "chart-bar");
                }
            }
        } else {
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in 0..ns {
                if let Some(v) = data.values[s][c] {
                    let base = if v >= 0.0 { pos } else { neg };
                    let (a, b) = (x.at(base), x.at(base + v));
                    scene.rect(a, group_top, b, group_top + bar_h, s, "chart-bar");
                    if v >= 0.0 {
                        pos += v;
                    } else {
                        neg += v;
                    }
                }
            }
        }
        for (vc, s, anchor, label) in &value_labels {
            if *vc == c {
                let middle = bar_top(group_top, *s) + bar_h / 2.0;
                values_at.push((x.at(*anchor), middle, *anchor, label.clone()));
            }
        }
    }
    if side {
        let first = axis_segments.first().map_or(0.0, |s| s.0);
        let last = axis_segments.last().map_or(0.0, |s| s.1);
        scene.rule(vec![(zero, first), (zero, last)], true);
    } else {
        for &(a, b) in &axis_segments {
            scene.rule(vec![(zero, a), (zero, b)], true);
        }
    }
    for (ax, ly, anchor, label) in values_at {
        if anchor < 0.0 {
            scene.text(ax - 5.0, ly, label, HPos::Right, "chart-text chart-value");
        } else {
            scene.text(ax + 5.0, ly, label, HPos::Left, "chart-text chart-value");
        }
    }
    let last_axis = axis_segments.last().map_or(y, |s| s.1);
    scene.height = last_axis.max(y - 14.0) + PAD;
    scene
}

/// One line per series, a dot at every value, gaps where a value is missing. Category
/// labels are thinned (every k-th) until they do not touch.
fn line_chart(data: &Data, caption: &str) -> Scene {
    let n = data.n();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in data.values.iter().flatten().flatten() {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if !lo.is_finite() || !hi.is_finite() || !(hi - lo).is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi == lo {
        // All values equal: show them against zero.
        (lo, hi) = (lo.min(0.0), hi.max(0.0));
        if hi == lo {
            hi = lo + 1.0;
        }
    }
    let axis = ValueAxis::new(lo, hi);
    let x0 = axis.plot_left();
    let x1 = WIDTH - PAD;

    let cap = if n == 1 {
        x1 - x0
    } else {
        (WIDTH - 2.0 * PAD) / 2.0 - 10.0
    };
    let labels: Vec<Label> = data
        .categories
        .iter()
        .map(|c| Label::fitted(c, cap))
        .collect();
    let positions = |k: usize| -> (f64, f64) {
        if n == 1 {
            return ((x0 + x1) / 2.0, 0.0);
        }
        let last = (n - 1) / k * k;
        let first_x = (x0 + 6.0).max(PAD + labels[0].width / 2.0);
        // Every category inside the plot, the last labelled one with its label inside too.
        let mut dx = (x1 - 6.0 - first_x) / (n - 1) as f64;
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
            .all(|(a, b)| dx * k as f64 >= (labels[a].width + labels[b].width) / 2.0 + 10.0)
    };
    let mut k = 1;
    while k < n.saturating_sub(1) && !fits(k) {
        k += 1;
    }
    // Label the last category too when a slightly larger step allows it (2015, 2018, … 2024).
    if n > 2 && (n - 1) % k != 0 {
        if let Some(better) = (k + 1..=(2 * k).min(n - 1)).find(|&j| (n - 1) % j == 0 && fits(j)) {
            k = better;
        }
    }
    let (first_x, dx) = positions(k);
    let cx = |c: usize| first_x + dx * c as f64;

    let mut scene = Scene::new();
    let top = scene.header(caption, data);
    let py0 = top + TEXT_UP;
    let py1 = py0 + PLOT_HEIGHT;
    let y = axis.vertical(py0);
    axis.draw(&mut scene, &y, x0, x1);
    let base = if axis.lo() < 0.0 && axis.hi() > 0.0 {
        y.at(0.0)
    } else {
        py1
    };
    scene.rule(vec![(x0, base), (x1, base)], true);

    let r = if n <= 40 { 3 } else { 2 };
    for (s, row) in data.values.iter().enumerate() {
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        for (c, v) in row.iter().enumerate() {
            match v {
                Some(v) => run.push((cx(c), y.at(*v))),
                None => {
                    if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for run in &runs {
            if run.len() > 1 {
                scene.ops.push(Op::Path {
                    points: run.clone(),
                    colour: SERIES_COLOURS[s % 8],
                    width: 2,
                    class: format!("chart-line chart-series-{}", s % 8 + 1),
                });
            }
        }
        for &(px, py) in runs.iter().flatten() {
            scene.ops.push(Op::Dot {
                x: px,
                y: py,
                r,
                colour: SERIES_COLOURS[s % 8],
                class: format!("chart-point chart-series-{}", s % 8 + 1),
            });
        }
    }

    let clear_ticks = n > 1 && first_x - labels[0].width / 2.0 < x0 - 2.0;
    let label_y = py1 + if clear_ticks { TEXT_DOWN + 2.0 } else { 8.0 } + TEXT_UP;
    for (c, label) in labels.into_iter().enumerate() {
        if c % k == 0 {
            scene.text(
                cx(c),
                label_y,
                label,
                HPos::Center,
                "chart-text chart-category",
            );
        }
    }
    scene.height = label_y + TEXT_DOWN + PAD;
    scene
}

// ------------------------------------------------------------------------------ output

fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Draws the scene with plotters' SVG backend; returns its SVG text.
fn draw(scene: &Scene) -> Result<String, String> {
    let height = scene.height.ceil().max(1.0) as u32;
    let err = |e: plotters::drawing::DrawingAreaErrorKind<std::io::Error>| {
        format!("the chart could not be drawn: {e}")
    };
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH as u32, height)).into_drawing_area();
        for op in &scene.ops {
            match op {
                Op::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    colour,
                    ..
                } => root
                    .draw(&Rectangle::new(
                        [(px(*x0), px(*y0)), (px(*x1), px(*y1))],
                        colour.filled(),
                    ))
                    .map_err(err)?,
                Op::Path {
                    points,
                    colour,
                    width,
                    ..
                } => root
                    .draw(&PathElement::new(
                        points
                            .iter()
                            .map(|&(x, y)| (px(x), px(y)))
                            .collect::<Vec<_>>(),
                        ShapeStyle {
                            color: colour.to_rgba(),
                            filled: false,
                            stroke_width: *width,
                        },
                    ))
                    .map_err(err)?,
                Op::Dot {
                    x, y, r, colour, ..
                } => root
                    .draw(&Circle::new((px(*x), px(*y)), *r, colour.filled()))
                    .map_err(err)?,
                Op::Text {
                    x,
                    y,
                    label,
                    anchor,
                    ..
                } => {
                    let style = TextStyle::from(font())
                        .color(&TEXT_COLOUR)
                        .pos(Pos::new(*anchor, VPos::Center));
                    root.draw(&Text::new(label.text.as_str(), (px(*x), px(*y)), style))
                        .map_err(err)?
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(buf)
}

/// Replaces plotters' root element with ours (viewBox only, role, names), gives every
/// element its classes (in drawing order) and the text its final font size, and puts the
/// full text of a shortened label in a `<title>` child.
fn finish(raw: &str, scene: &Scene, id: &str, title: &str, desc: &str) -> Result<String, String> {
    let broken = || "the chart's SVG came out in an unexpected shape".to_string();
    let mut lines = raw.lines();
    let root = lines.next().ok_or_else(broken)?;
    let view_box = root
        .split("viewBox=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .ok_or_else(broken)?;
    let id = escape_xml(id);
    let mut out = String::with_capacity(raw.len() + scene.ops.len() * 40 + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\">\n<title id=\"{id}-title\">{}</title>\n\
         <desc id=\"{id}-desc\">{}</desc>\n",
        escape_xml(title),
        escape_xml(desc)
    );
    let mut ops = scene.ops.iter();
    let mut pending_title: Option<&str> = None;
    for line in lines {
        if line == "</svg>" {
            continue;
        }
        if line == "</text>" {
            if let Some(full) = pending_title.take() {
                let _ = write!(out, "<title>{}</title>", escape_xml(full));
            }
            out.push_str("</text>\n");
            continue;
        }
        let tag = ["rect ", "polyline ", "circle ", "text "]
            .into_iter()
            .find(|t| line.strip_prefix('<').is_some_and(|l| l.starts_with(t)));
        let Some(tag) = tag else {
            // The content line of a <text>: already escaped by plotters.
            if !line.starts_with('<') {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            return Err(broken());
        };
        let op = ops.next().ok_or_else(broken)?;
        let class = match op {
            Op::Rect { class, .. } | Op::Path { class, .. } | Op::Dot { class, .. } => {
                class.as_str()
            }
            Op::Text { class, .. } => class,
        };
        let rest = &line[1 + tag.len()..];
        let _ = write!(out, "<{}class=\"{}\" ", tag, class);
        if let Op::Text { label, .. } = op {
            if !tag.starts_with("text") {
                return Err(broken());
            }
            pending_title = label.full.as_deref();
            let mut attrs = rest.to_string();
            if let Some(start) = attrs.find("font-size=\"") {
                let value_start = start + "font-size=\"".len();
                if let Some(len) = attrs[value_start..].find('"') {
                    attrs.replace_range(value_start..value_start + len, &format!("{FONT}"));
                }
            }
            out.push_str(&attrs);
        } else {
            out.push_str(rest);
        }
        out.push('\n');
    }
    if ops.next().is_some() {
        return Err(broken());
    }
    out.push_str("</svg>");
    Ok(out)
}

fn kind_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "Bar chart",
        ChartKind::HBar => "Horizontal bar chart",
        ChartKind::Line => "Line chart",
        ChartKind::StackedBar => "Stacked bar chart",
    }
}

fn accessible_title(chart: &SvgChart) -> String {
    let title = clean(chart.title);
    if !title.is_empty() {
        return title;
    }
    let (y, x) = (clean(chart.y_label), clean(chart.x_label));
    match (y.is_empty(), x.is_empty()) {
        (false, false) => format!("{y} by {x}"),
        (false, true) => y,
        _ => kind_name(chart.kind).to_string(),
    }
}

/// The `<desc>`: kind, title, categories, series, largest and smallest value, unit.
fn describe(chart: &SvgChart, data: &Data) -> String {
    let mut d = String::from(kind_name(chart.kind));
    let title = clean(chart.title);
    if !title.is_empty() {
        let _ = write!(d, ": {title}");
    }
    d.push_str(". ");
    let n = data.n();
    let _ = write!(d, "{n} {}", if n == 1 { "category" } else { "categories" });
    let x = clean(chart.x_label);
    if !x.is_empty() {
        let _ = write!(d, " ({x})");
    }
    if data.ns() > 1 {
        let _ = write!(d, ", {} series: {}", data.ns(), data.series.join(", "));
    }
    let y = clean(chart.y_label);
    let unit = chart.unit.map(clean).unwrap_or_default();
    if !y.is_empty() || !unit.is_empty() {
        d.push_str("; values: ");
        d.push_str(&axis_caption(&y, Some(&unit)));
    }
    d.push_str(". ");
    let with_unit = |v: f64| {
        let value = data.format(v);
        match unit.as_str() {
            "" => value,
            "%" => format!("{value}%"),
            u => format!("{value} {u}"),
        }
    };
    let name = |s: usize, c: usize| {
        if data.ns() > 1 {
            format!("{} ({})", data.categories[c], data.series[s])
        } else {
            data.categories[c].clone()
        }
    };
    let mut largest: Option<(f64, usize, usize)> = None;
    let mut smallest: Option<(f64, usize, usize)> = None;
    let mut missing = 0;
    for (s, row) in data.values.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v {
                Some(v) => {
                    if largest.is_none_or(|(l, ..)| *v > l) {
                        largest = Some((*v, s, c));
                    }
                    if smallest.is_none_or(|(m, ..)| *v < m) {
                        smallest = Some((*v, s, c));
                    }
                }
                None => missing += 1,
            }
        }
    }
    match (largest, smallest) {
        (Some((lv, ls, lc)), Some((sv, ss, sc))) => {
            let _ = write!(d, "Largest: {}, {}.", name(ls, lc), with_unit(lv));
            if (ls, lc) != (ss, sc) {
                let _ = write!(d, " Smallest: {}, {}.", name(ss, sc), with_unit(sv));
            }
        }
        _ => d.push_str("No values to show."),
    }
    if missing > 0 && largest.is_some() {
        if data.ns() == 1 {
            let names: Vec<&str> = (0..data.n())
                .filter(|&c| data.values[0][c].is_none())
                .map(|c| data.categories[c].as_str())
                .collect();
            let _ = write!(
                d,
                " No value for {}",
                names[..names.len().min(5)].join(", ")
            );
            if names.len() > 5 {
                let _ = write!(d, " and {} more", names.len() - 5);
            }
            d.push('.');
        } else {
            let _ = write!(
                d,
                " {missing} {} missing.",
                if missing == 1 { "value" } else { "values" }
            );
        }
    }

    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(categories: &[&str], rows: &[&[Option<f64>]], decimals: u8) -> ChartValues {
        ChartValues {
            categories: categories.iter().map(|s| s.to_string()).collect(),
            series: if rows.len() == 1 {
                vec![String::new()]
            } else {
                (1..=rows.len()).map(|i| format!("S{i}")).collect()
            },
            values: rows.iter().map(|r| r.to_vec()).collect(),
            decimals,
            rows_considered: categories.len(),
            skipped: Vec::new(),
        }
    }

    fn chart<'a>(kind: ChartKind, title: &'a str, v: &'a ChartValues) -> SvgChart<'a> {
        SvgChart {
            id: "chart-test-1",
            kind,
            title,
            x_label: "region",
            y_label: "spend_usd_bn",
            unit: Some("USD bn"),
            values: v,
        }
    }

    fn count(hay: &str, needle: &str) -> usize {
        hay.matches(needle).count()
    }

    /// The text content of every `<text>` element.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let body = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                let body = body.split("<title>").next().unwrap().trim();
                body.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&")
            })
            .collect()
    }

    const SCRIPTS: [&str; 5] = ["Қазақстан", "한국", "日本", "مصر", "भारत"];

    #[test]
    fn bar_chart_is_an_accessible_image_with_a_bar_and_a_label_per_category() {
        let v = values(
            &SCRIPTS,
            &[&[Some(7.7), Some(12.25), None, Some(0.5), Some(3.0)]],
            2,
        );
        let svg = render_svg(&chart(ChartKind::Bar, "Spend <2024> & \"more\"", &v)).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"chart-test-1-title chart-test-1-desc\""));
        assert!(svg.contains(
            "<title id=\"chart-test-1-title\">Spend &lt;2024&gt; &amp; &quot;more&quot;</title>"
        ));
        let desc = svg.split("<desc id=\"chart-test-1-desc\">").nth(1).unwrap();
        let desc = &desc[..desc.find("</desc>").unwrap()];
        assert!(desc.contains("Largest: 한국, 12.25 USD bn"), "{desc}");
        assert!(desc.contains("Smallest: مصر, 0.50 USD bn"), "{desc}");
        assert!(desc.contains("5 categories"), "{desc}");
        assert!(desc.contains("No value for 日本."), "{desc}");
        // One bar per category that has a value; none for 日本.
        assert_eq!(count(&svg, "class=\"chart-bar chart-series-1\""), 4);
        let t = texts(&svg);
        for label in SCRIPTS {
            assert!(t.iter().any(|x| x == label), "{label} missing in {t:?}");
        }
        assert!(t.iter().any(|x| x == "7.70"), "{t:?}");
        assert!(t.iter().any(|x| x == "n/a"), "{t:?}");
        // Fixed width and height would stop the SVG from scaling.
        let root = &svg[..svg.find('>').unwrap()];
        assert!(
            !root.contains(" width=") && !root.contains(" height="),
            "{root}"
        );
    }

    #[test]
    fn values_keep_their_written_precision() {
        let v = values(
            &["a", "b", "c"],
            &[&[Some(7.700000000000001), Some(0.1 + 0.2), Some(2.0)]],
            1,
        );
        for kind in [ChartKind::Bar, ChartKind::HBar, ChartKind::StackedBar] {
            let svg = render_svg(&chart(kind, "t", &v)).unwrap();
            let t = texts(&svg);
            assert!(t.iter().any(|x| x == "7.7"), "{kind:?}: {t:?}");
            assert!(t.iter().any(|x| x == "0.3"), "{kind:?}: {t:?}");
            assert!(!svg.contains("7.700000000000001"));
            assert!(!svg.contains("0.30000000000000004"));
        }
    }

    #[test]
    fn output_is_safe_and_byte_identical() {
        let v = values(
            &["<script>alert(1)</script>", "x\" onload=\"y", "a&b"],
            &[
                &[Some(1.0), Some(-2.0), Some(3.0)],
                &[Some(2.0), None, Some(1.0)],
            ],
            0,
        );
        for kind in [
            ChartKind::Bar,
            ChartKind::HBar,
            ChartKind::Line,
            ChartKind::StackedBar,
        ] {
            let c = chart(kind, "<script>", &v);
            let a = render_svg(&c).unwrap();
            let b = render_svg(&c).unwrap();
            assert_eq!(a, b);
            assert!(!a.contains("<script"));
            assert!(!a.contains("style="));
            assert!(!a.contains("<style"));
            assert!(!a.contains("href"));
            assert!(!a.contains(" onload=\""));
            assert!(!a.contains("url("));
            assert!(a.contains("&lt;script&gt;"));
        }
    }

    #[test]
    fn every_element_is_classed_for_the_stylesheet() {
        let v = values(
            &["a", "b"],
            &[&[Some(1.0), Some(2.0)], &[Some(3.0), Some(4.0)]],
            0,
        );
        for kind in [
            ChartKind::Bar,
            ChartKind::HBar,
            ChartKind::Line,
            ChartKind::StackedBar,
        ] {
            let svg = render_svg(&chart(kind, "t", &v)).unwrap();
            for tag in ["<rect ", "<polyline ", "<circle ", "<text "] {
                for part in svg.split(tag).skip(1) {
                    assert!(part.starts_with("class=\"chart-"), "{kind:?} {tag}{part}");
                }
            }
            assert!(svg.contains("chart-series-2"), "{kind:?}");
            assert!(svg.contains("class=\"chart-axis\""), "{kind:?}");
            let text_size = svg
                .split("font-size=\"")
                .skip(1)
                .all(|p| p.starts_with("15\""));
            assert!(text_size, "{kind:?}");
            if kind == ChartKind::Line {
                assert_eq!(count(&svg, "class=\"chart-line chart-series-"), 2);
                assert_eq!(count(&svg, "<circle "), 4);
            }
            // Legend for two series.
            assert_eq!(count(&svg, "chart-swatch"), 2, "{kind:?}");
        }
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = values(&[], &[&[]], 0);
        assert!(render_svg(&chart(ChartKind::Bar, "t", &empty)).is_err());
        let cases = [
            values(&["only"], &[&[Some(5.0)]], 0),
            values(&["a", "b", "c"], &[&[Some(2.0), Some(2.0), Some(2.0)]], 0),
            values(&["a", "b"], &[&[Some(0.0), Some(0.0)]], 0),
            values(&["a", "b"], &[&[None, None]], 0),
            values(
                &["a", "b", "c"],
                &[&[Some(-3.5), Some(-1.0), Some(-7.25)]],
                2,
            ),
            values(
                &["a", "b", "c"],
                &[&[Some(-3.0), Some(4.0), Some(f64::NAN)]],
                0,
            ),
            values(&["a"], &[&[Some(1e300)], &[Some(-1e300)]], 0),
            values(&["a", "b"], &[&[Some(1e-9), Some(2e-9)]], 9),
        ];
        for v in &cases {
            for kind in [
                ChartKind::Bar,
                ChartKind::HBar,
                ChartKind::Line,
                ChartKind::StackedBar,
            ] {
                let svg = render_svg(&chart(kind, "", v));
                let svg = svg.unwrap_or_else(|e| panic!("{kind:?} {v:?}: {e}"));
                assert!(svg.contains("role=\"img\""));
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            }
        }
        // Shape mismatch between series and values is tolerated.
        let mut odd = values(&["a", "b"], &[&[Some(1.0)]], 0);
        odd.series = vec!["x".into(), "y".into()];
        assert!(render_svg(&chart(ChartKind::Bar, "t", &odd)).is_ok());
    }

    #[test]
    fn negative_bars_hang_below_the_zero_axis() {
        let v = values(&["up", "down"], &[&[Some(4.0), Some(-2.0)]], 0);
        let svg = render_svg(&chart(ChartKind::Bar, "t", &v)).unwrap();
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "-2"), "{t:?}");
        assert!(t.iter().any(|x| x == "0"), "{t:?}");
    }

    #[test]
    fn crowded_or_long_labels_fall_back_to_horizontal_bars() {
        let long = [
            "Côte d'Ivoire",
            "NAVER + NVIDIA (South Korea)",
            "United Kingdom of Great Britain",
            "Bosnia and Herzegovina",
        ];
        let v = values(&long, &[&[Some(1.5), Some(22.0), Some(3.25), Some(4.0)]], 2);
        let svg = render_svg(&chart(ChartKind::Bar, "t", &v)).unwrap();
        let t = texts(&svg);
        for label in long {
            assert!(t.iter().any(|x| x == label), "{label} missing in {t:?}");
        }
        // Anchored left (labels above bars), not centred under columns.
        assert!(!svg.contains("chart-category\" x=\"") || svg.contains("text-anchor=\"start\""));
    }

    #[test]
    fn labels_too_long_for_any_layout_are_shortened_with_their_full_text_kept() {
        let long =
            "A very long category name that cannot possibly fit on one line of a phone chart";
        let v = values(&[long, "b"], &[&[Some(1.0), Some(2.0)]], 0);
        let svg = render_svg(&chart(ChartKind::HBar, "t", &v)).unwrap();
        assert!(svg.contains(&format!("<title>{long}</title></text>")));
        assert!(texts(&svg).iter().any(|x| x.ends_with('…')));
    }

    /// Writes `index.html` with sample charts for the browser check
    /// (`node tests/fixtures/chart-svg-preview/check.cjs`). Output folder:
    /// `$CHART_SVG_PREVIEW_DIR`, default `tests/fixtures/chart-svg-preview`.
    #[test]
    #[ignore = "writes the HTML page of the chart browser check"]
    fn write_browser_preview() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let cv =
            |cats: &[&str], series: &[&str], rows: Vec<Vec<Option<f64>>>, decimals| ChartValues {
                categories: s(cats),
                series: s(series),
                values: rows,
                decimals,
                rows_considered: 0,
                skipped: Vec::new(),
            };
        let years = [
            "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024",
        ];
        let days: Vec<String> = (1..=30).map(|d| format!("2024-06-{d:02}")).collect();
        let day_refs: Vec<&str> = days.iter().map(|d| d.as_str()).collect();
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let samples: Vec<(ChartKind, &str, Option<&str>, ChartValues)> = vec![
            (
                ChartKind::Bar,
                "Spend by country (five scripts)",
                Some("USD bn"),
                cv(
                    &SCRIPTS,
                    &[""],
                    vec![vec![Some(7.7), Some(12.25), None, Some(0.5), Some(3.0)]],
                    2,
                ),
            ),
            (
                ChartKind::HBar,
                "Long labels: « Côte d'Ivoire » & co",
                Some("USD bn"),
                cv(
                    &[
                        "Côte d'Ivoire",
                        "NAVER + NVIDIA (South Korea)",
                        "Ελλάδα",
                        "中华人民共和国",
                        "Қазақстан Республикасы",
                        "भारत गणराज्य",
                    ],
                    &[""],
                    vec![vec![
                        Some(1.5),
                        Some(22.0),
                        Some(-3.25),
                        Some(4.0),
                        None,
                        Some(9.75),
                    ]],
                    2,
                ),
            ),
            (
                ChartKind::HBar,
                "Short labels beside bars",
                None,
                cv(
                    &["Côte d'Ivoire", "Kenya", "日本", "한국", "مصر"],
                    &[""],
                    vec![vec![
                        Some(120.0),
                        Some(45.5),
                        Some(80.25),
                        Some(-10.0),
                        Some(3.0),
                    ]],
                    2,
                ),
            ),
            (
                ChartKind::Line,
                "Two series with a gap and negatives",
                Some("%"),
                cv(
                    &years,
                    &["Model A", "Model B (Республика)"],
                    vec![
                        vec![
                            Some(1.2),
                            Some(2.5),
                            Some(3.1),
                            None,
                            Some(4.8),
                            Some(5.0),
                            Some(6.2),
                            Some(7.7),
                            Some(8.1),
                            Some(9.9),
                        ],
                        vec![
                            Some(-2.0),
                            Some(-1.0),
                            Some(0.5),
                            Some(1.5),
                            Some(1.0),
                            Some(2.2),
                            Some(3.3),
                            Some(2.9),
                            Some(4.4),
                            Some(5.0),
                        ],
                    ],
                    1,
                ),
            ),
            (
                ChartKind::Line,
                "Thirty days, labels thinned",
                Some("req/s"),
                cv(
                    &day_refs,
                    &[""],
                    vec![
                        (0..30)
                            .map(|i| {
                                Some(1000.0 + (i as f64 * 0.7).sin() * 300.0 + i as f64 * 20.0)
                            })
                            .collect(),
                    ],
                    0,
                ),
            ),
            (
                ChartKind::StackedBar,
                "Stacked, three series",
                Some("GW"),
                cv(
                    &["2021", "2022", "2023", "2024"],
                    &["Solar", "Wind", "Hydro (ГЭС)"],
                    vec![
                        vec![Some(10.0), Some(14.5), Some(20.0), Some(28.0)],
                        vec![Some(8.0), Some(9.0), Some(11.5), Some(12.0)],
                        vec![Some(5.0), Some(5.0), None, Some(5.5)],
                    ],
                    1,
                ),
            ),
            (
                ChartKind::StackedBar,
                "Stacked with long labels (falls back to horizontal)",
                Some("GW"),
                cv(
                    &[
                        "United States of America",
                        "People's Republic of China",
                        "Deutschland",
                    ],
                    &["Solar", "Wind"],
                    vec![
                        vec![Some(100.0), Some(250.0), Some(60.0)],
                        vec![Some(140.0), Some(300.0), Some(55.0)],
                    ],
                    0,
                ),
            ),
            (
                ChartKind::Bar,
                "Grouped, two series",
                None,
                cv(
                    &["North", "South", "East", "West"],
                    &["2023", "2024"],
                    vec![
                        vec![Some(3.0), Some(4.5), Some(-1.0), Some(2.0)],
                        vec![Some(3.5), Some(5.0), Some(0.5), None],
                    ],
                    1,
                ),
            ),
            (
                ChartKind::Bar,
                "Twelve months",
                Some("mm"),
                cv(
                    &months,
                    &[""],
                    vec![
                        months
                            .iter()
                            .enumerate()
                            .map(|(i, _)| Some(40.0 + i as f64 * 7.5))
                            .collect(),
                    ],
                    1,
                ),
            ),
            (
                ChartKind::Bar,
                "Negative values",
                None,
                cv(
                    &["Gain", "Loss", "Flat", "Big loss"],
                    &[""],
                    vec![vec![Some(4.0), Some(-2.5), Some(0.0), Some(-12.0)]],
                    1,
                ),
            ),
            (
                ChartKind::Bar,
                "One category",
                None,
                cv(&["Only one"], &[""], vec![vec![Some(42.0)]], 0),
            ),
            (
                ChartKind::Line,
                "All equal",
                None,
                cv(
                    &["a", "b", "c"],
                    &[""],
                    vec![vec![Some(5.0), Some(5.0), Some(5.0)]],
                    0,
                ),
            ),
            (
                ChartKind::HBar,
                "Grouped horizontal, three series",
                Some("%"),
                cv(
                    &["Deutschland", "Україна", "Türkiye"],
                    &["2022", "2023", "2024 (est.)"],
                    vec![
                        vec![Some(12.5), Some(-4.0), Some(33.0)],
                        vec![Some(14.0), None, Some(30.5)],
                        vec![Some(15.5), Some(2.0), Some(28.0)],
                    ],
                    1,
                ),
            ),
            (
                ChartKind::StackedBar,
                "Stacked with negatives",
                None,
                cv(
                    &["Q1", "Q2", "Q3"],
                    &["Revenue", "Costs"],
                    vec![
                        vec![Some(10.0), Some(12.0), Some(8.0)],
                        vec![Some(-6.0), Some(-14.0), Some(-3.0)],
                    ],
                    0,
                ),
            ),
            (
                ChartKind::Bar,
                "Many categories",
                None,
                cv(
                    &[
                        "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia",
                        "Denmark", "Estonia", "Finland", "France", "Germany", "Greece", "Hungary",
                        "Ireland", "Italy",
                    ],
                    &[""],
                    vec![
                        (0..15)
                            .map(|i| Some(((i * 37) % 23) as f64 + 0.5))
                            .collect(),
                    ],
                    1,
                ),
            ),
            (
                ChartKind::Bar,
                "A label too long for anything",
                None,
                cv(
                    &[
                        "A very long category name that cannot possibly fit on one line of a phone chart, even alone",
                        "Short",
                    ],
                    &[""],
                    vec![vec![Some(1.0), Some(2.0)]],
                    0,
                ),
            ),
        ];
        let mut html = String::from(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>chart_svg preview</title>\n\
             <link rel=\"stylesheet\" href=\"../../../static/style.css\">\n\
             <link rel=\"stylesheet\" href=\"charts.css\">\n</head>\n<body>\n<main class=\"preview\">\n",
        );
        for (i, (kind, title, unit, values)) in samples.iter().enumerate() {
            let id = format!("chart-preview-{}", i + 1);
            let svg = render_svg(&SvgChart {
                id: &id,
                kind: *kind,
                title,
                x_label: "category",
                y_label: "value",
                unit: *unit,
                values,
            })
            .unwrap();
            let _ = write!(
                html,
                "<figure class=\"chart\" id=\"{id}\">\n<figcaption>{}</figcaption>\n{svg}\n</figure>\n",
                escape_xml(title)
            );
        }
        html.push_str("</main>\n</body>\n</html>\n");
        let dir = std::env::var("CHART_SVG_PREVIEW_DIR").unwrap_or_else(|_| {
            format!(
                "{}/tests/fixtures/chart-svg-preview",
                env!("CARGO_MANIFEST_DIR")
            )
        });
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/index.html"), html).unwrap();
    }

    #[test]
    fn width_estimates_cover_scripts_the_font_lacks() {
        // A CJK or Hangul character is at least one em; Latin comes from the font.
        assert!(measure("日本") >= 2.0 * FONT);
        assert!(measure("한국") >= 2.0 * FONT);
        assert!(measure("भारत") >= 2.0 * FONT);
        let m = measure("m");
        assert!(m > 0.6 * FONT && m < 1.3 * FONT, "{m}");
        assert!(measure("Қазақстан") > measure("Қазақ"));
    }
}
