//! Text: the shipped font, label widths (measured for the scripts the font has, estimated per
//! script for the rest, always with a safety margin), labels shortened to fit, and text made
//! safe for XML.
//!
//! Widths come from the font's own advances and kerning in font units (fractional, no whole
//! pixel rounding). The font has no CJK, Hangul, Indic or Arabic glyphs: the reader's browser
//! draws those with its own fonts, so they get per-script estimates in em.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};

use super::FONT;

/// The `font-family` the SVG asks for; the shipped font is what we measure with.
pub(crate) const FONT_FAMILY: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Room a text needs above and below its centre line (`dy="0.5ex"`), generous enough for
/// fallback fonts with tall ascenders (Noto Sans CJK, Devanagari).
pub(crate) const TEXT_UP: f64 = 0.95 * FONT;
pub(crate) const TEXT_DOWN: f64 = 0.65 * FONT;
/// One text line, top to bottom.
pub(crate) const LINE: f64 = TEXT_UP + TEXT_DOWN;
/// Multiplier on every measured or estimated width: the reader's sans-serif may be wider
/// than DejaVu Sans.
const WIDTH_MARGIN: f64 = 1.06;
/// Width of a character in em when the font cannot be read (never, for the shipped file).
const MISSING_GLYPH_EM: f64 = 0.62;

/// The shipped font, read once. Err when it cannot be parsed (never, for the shipped file).
fn font() -> Result<&'static FontRef<'static>, String> {
    static FONT_REF: OnceLock<Result<FontRef<'static>, String>> = OnceLock::new();
    FONT_REF
        .get_or_init(|| {
            FontRef::try_from_slice(FONT_BYTES)
                .map_err(|_| "the chart font (DejaVu Sans) could not be loaded".to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Ok when labels can be measured.
pub(crate) fn font_ready() -> Result<(), String> {
    font().map(|_| ())
}

/// How a character is sized: by the shipped font, or by an estimate in em.
pub(crate) enum Sizing {
    Font,
    Em(f64),
}

pub(crate) fn sizing(c: char) -> Sizing {
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

/// Width of a run of characters the font has, in em: advances plus kerning.
fn font_run_em(font: &'static FontRef<'static>, run: &str) -> f64 {
    let per_em = font.units_per_em().unwrap_or(2048.0);
    if run.is_ascii() {
        return f64::from(ascii_metrics(font).run_units(run.as_bytes()) / per_em);
    }
    let mut units = 0.0f32;
    let mut prev = None;
    for c in run.chars() {
        let glyph = font.glyph_id(c);
        units += font.h_advance_unscaled(glyph);
        if let Some(p) = prev {
            units += font.kern_unscaled(p, glyph);
        }
        prev = Some(glyph);
    }
    f64::from(units / per_em)
}

/// The font's advance of every ASCII character and its kerning after every other, in font
/// units, read from the font once: nearly every label is ASCII, and reading the font's
/// tables character by character was most of measuring one.
struct AsciiMetrics {
    advance: [f32; 128],
    /// `kern[previous * 128 + next]`.
    kern: Vec<f32>,
}

impl AsciiMetrics {
    /// A run's advance in font units, summed in the order [`font_run_em`] sums it, so the
    /// result is the same to the bit.
    fn run_units(&self, run: &[u8]) -> f32 {
        let mut units = 0.0f32;
        let mut prev: Option<usize> = None;
        for &b in run {
            let c = usize::from(b & 0x7f);
            units += self.advance[c];
            if let Some(p) = prev {
                units += self.kern[p * 128 + c];
            }
            prev = Some(c);
        }
        units
    }
}

fn ascii_metrics(font: &'static FontRef<'static>) -> &'static AsciiMetrics {
    static METRICS: OnceLock<AsciiMetrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let glyphs: Vec<_> = (0u8..128).map(|b| font.glyph_id(char::from(b))).collect();
        let mut advance = [0.0; 128];
        for (a, &g) in advance.iter_mut().zip(&glyphs) {
            *a = font.h_advance_unscaled(g);
        }
        let kern = glyphs
            .iter()
            .flat_map(|&p| glyphs.iter().map(move |&n| font.kern_unscaled(p, n)))
            .collect();
        AsciiMetrics { advance, kern }
    })
}

/// Width of `text` in viewBox units at [`FONT`], with the safety margin.
pub(crate) fn measure(text: &str) -> f64 {
    let font = font().ok();
    let mut em = 0.0;
    let mut run_start: Option<usize> = None;
    let flush = |run: &str, em: &mut f64| {
        *em += match font {
            Some(f) => font_run_em(f, run),
            None => run.chars().count() as f64 * MISSING_GLYPH_EM,
        };
    };
    for (i, c) in text.char_indices() {
        match sizing(c) {
            Sizing::Font => {
                run_start.get_or_insert(i);
            }
            Sizing::Em(e) => {
                if let Some(s) = run_start.take() {
                    flush(&text[s..i], &mut em);
                }
                em += e;
            }
        }
    }
    if let Some(s) = run_start {
        flush(&text[s..], &mut em);
    }
    em * FONT * WIDTH_MARGIN
}

/// A label as drawn: possibly shortened with an ellipsis, then `full` keeps the whole text.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub(crate) text: String,
    /// The whole text when `text` is shortened.
    pub(crate) full: Option<String>,
    /// Measured width, in viewBox units.
    pub(crate) width: f64,
}

impl Label {
    pub(crate) fn new(text: &str) -> Label {
        Label {
            text: text.to_string(),
            full: None,
            width: measure(text),
        }
    }

    /// The label, shortened with "…" so it is at most `max` wide (the last resort).
    pub(crate) fn fitted(text: &str, max: f64) -> Label {
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
pub(crate) fn clean(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn font_widths_are_fractional_and_add_up() {
        // DejaVu Sans: "i" advances 569 of 2048 units; no whole-unit rounding.
        let i = measure("i");
        assert!(
            (i - 569.0 / 2048.0 * FONT * WIDTH_MARGIN).abs() < 1e-3,
            "{i}"
        );
        assert!((measure("iiii") - 4.0 * i).abs() < 1e-3);
        // A mixed label is its font run plus its estimates.
        let mixed = measure("ab日本");
        assert!((mixed - measure("ab") - 2.0 * FONT * WIDTH_MARGIN).abs() < 1e-3);
    }

    #[test]
    fn fitted_labels_shorten_to_the_room_and_keep_the_whole_text() {
        let long = "A very long category name that cannot fit";
        let l = Label::fitted(long, 100.0);
        assert!(l.width <= 100.0 && l.text.ends_with('…'), "{l:?}");
        assert_eq!(l.full.as_deref(), Some(long));
        let short = Label::fitted("short", 100.0);
        assert!(short.full.is_none() && short.text == "short");
    }
}
