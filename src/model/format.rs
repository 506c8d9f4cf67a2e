//! How a number is written for a reader: decimals, a style (plain, compact `1.2k`, percent)
//! and the thousands and decimal separators of the site's language. The `format` key of a
//! value definition (docs/values.md) or of a chart block (docs/charts.md) is read into a
//! [`NumberFormat`]; [`Numbers`] pairs it with the site's language for a chart's axis labels,
//! value labels, mark titles and data table.
//!
//! Separators by the primary subtag of `language` in site.yaml: `en` 1,234.5; `fr` 1 234,5
//! with U+202F NARROW NO-BREAK SPACE between groups (what French typography and CLDR use);
//! `de` 1.234,5. Any other language is written as `en`.

use super::chart::Number;

/// How a number is shown; every part optional, so "nothing said" stays distinguishable from
/// a choice (the default decimals come from the data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// Places after the decimal separator; `None` lets the caller choose (for a value: as many
    /// as its data was written with).
    pub decimals: Option<u8>,
    pub style: Style,
    /// Whether thousands are grouped (`1,234`); `false` for years and codes.
    pub grouping: bool,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat::DEFAULT
    }
}

impl NumberFormat {
    /// Plain, data decimals, grouped thousands.
    pub const DEFAULT: NumberFormat = NumberFormat {
        decimals: None,
        style: Style::Plain,
        grouping: true,
    };
}

/// What the number is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// `1,234.5`
    #[default]
    Plain,
    /// `1.2k`, `3.4M`, `2.1bn`, `5tn`: one decimal at most unless `decimals` says otherwise.
    Compact,
    /// The value times 100 with `%`: 0.25 is `25%`.
    Percent,
}

impl Style {
    pub const NAMES: [&'static str; 3] = ["plain", "compact", "percent"];

    pub fn parse(name: &str) -> Option<Style> {
        match name {
            "plain" | "number" => Some(Style::Plain),
            "compact" | "short" => Some(Style::Compact),
            "percent" | "percentage" | "%" => Some(Style::Percent),
            _ => None,
        }
    }
}

/// How a chart writes its numbers for readers: the block's `format` in the site's language.
/// Machine-readable places (`data-value`, the CSV download) keep plain numbers instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbers {
    pub format: NumberFormat,
    pub language: String,
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers {
            format: NumberFormat::DEFAULT,
            language: "en".to_string(),
        }
    }
}

impl Numbers {
    /// The default format (plain, the data's decimals, grouped) in `language`: the site-wide
    /// charts', which have no block to say otherwise.
    pub fn plain(language: &str) -> Numbers {
        Numbers {
            format: NumberFormat::DEFAULT,
            language: language.to_string(),
        }
    }

    /// A value of the data, `decimals` being the precision it was written with.
    pub fn value(&self, value: f64, decimals: u8) -> String {
        format(value, &self.format, decimals, &self.language)
    }

    /// An axis tick: the style and separators asked for, at the places the ticks' step needs
    /// (a format's `decimals` is for values, not for round ticks).
    pub fn tick(&self, value: f64, decimals: u8) -> String {
        let places = match self.format.style {
            // 1.25M needs two places where 1.5M needs one and 500k none; under a thousand,
            // the places of the ticks' step (0.0002 apart stay apart).
            Style::Compact => match compact(value) {
                (_, "", _) => Some(decimals),
                _ => Some(compact_places(value)),
            },
            Style::Plain | Style::Percent => None,
        };
        let tick = NumberFormat {
            decimals: places,
            ..self.format
        };
        format(value, &tick, decimals, &self.language)
    }
}

impl Numbers {
    /// A value with its unit as a sentence says it: `2.5 USD bn`, `12%`; a percent format
    /// already writes its `%`, so a `%` unit is not added twice.
    pub fn with_unit(&self, value: f64, decimals: u8, unit: &str) -> String {
        let shown = self.value(value, decimals);
        match unit {
            "" => shown,
            "%" if self.format.style == Style::Percent => shown,
            "%" => format!("{shown}%"),
            unit => format!("{shown} {unit}"),
        }
    }
}

/// The fewest places (at most 3) that write `value` exactly in its compact unit.
fn compact_places(value: f64) -> u8 {
    let (scaled, _, _) = compact(value);
    (0..3u8)
        .find(|&d| {
            let p = 10f64.powi(i32::from(d));
            ((scaled * p).round() / p - scaled).abs() <= scaled.abs() * 1e-9
        })
        .unwrap_or(3)
}

/// Most decimals a format may ask for.
pub const MAX_DECIMALS: u8 = 10;

/// Thousands separator and decimal mark of a language.
fn separators(language: &str) -> (&'static str, char) {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => ("\u{202f}", ','),
        "de" => (".", ','),
        _ => (",", '.'),
    }
}

/// `value` as `format` writes it in `language`; `decimals` stands in when the format names
/// none (the precision of the data behind the value).
pub fn format(value: f64, format: &NumberFormat, decimals: u8, language: &str) -> String {
    let (value, suffix, default_decimals) = match format.style {
        Style::Plain => (value, "", decimals),
        Style::Percent => (value * 100.0, "%", decimals.saturating_sub(2)),
        // Under a thousand there is no unit to scale into: the data's own places (0.0004 is
        // not 0).
        Style::Compact => match compact(value) {
            (_, "", _) => (value, "", decimals),
            scaled => scaled,
        },
    };
    let trim = format.decimals.is_none() && format.style == Style::Compact;
    let decimals = format
        .decimals
        .unwrap_or(default_decimals)
        .min(MAX_DECIMALS);
    let mut digits = Number::format(value, decimals);
    if trim && digits.contains('.') {
        digits = digits
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    let mut out = localise(&digits, language, format.grouping);
    out.push_str(suffix);
    out
}

/// The value scaled to its compact unit, the unit, and one decimal by default.
fn compact(value: f64) -> (f64, &'static str, u8) {
    const UNITS: [(f64, &str); 4] = [(1e12, "tn"), (1e9, "bn"), (1e6, "M"), (1e3, "k")];
    let size = value.abs();
    for (scale, unit) in UNITS {
        // 999,950 rounds to 1,000.0k at one decimal: write it as 1M instead.
        if size >= scale * 0.99995 {
            return (value / scale, unit, 1);
        }
    }
    (value, "", 1)
}

/// Plain `-1234.5` digits with the language's separators. Text that is not plain digits (an
/// exponent form such as `2e40`) is kept as it is but for the decimal mark.
fn localise(digits: &str, language: &str, grouping: bool) -> String {
    let (thousands, mark) = separators(language);
    let (sign, unsigned) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    out.push_str(sign);
    if grouping && int.len() > 3 && int.bytes().all(|b| b.is_ascii_digit()) {
        let first = int.len() % 3;
        for (i, c) in int.char_indices() {
            if i > 0 && (i + 3 - first) % 3 == 0 {
                out.push_str(thousands);
            }
            out.push(c);
        }
    } else {
        out.push_str(int);
    }
    if let Some(frac) = frac {
        out.push(mark);
        out.push_str(frac);
    }
    out
}

/// A number for machines (`<data value>`): `.` as the decimal mark, no grouping, at most
/// `decimals` places with trailing zeros dropped.
pub fn machine(value: f64, decimals: u8) -> String {
    let text = Number::format(value, decimals.min(17));
    if text.contains('.') && !text.contains('e') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(value: f64, f: NumberFormat, language: &str) -> String {
        format(value, &f, 1, language)
    }

    const PLAIN: NumberFormat = NumberFormat::DEFAULT;

    #[test]
    fn separators_follow_the_language() {
        assert_eq!(fmt(1234.5, PLAIN, "en"), "1,234.5");
        assert_eq!(fmt(1234.5, PLAIN, "fr"), "1\u{202f}234,5");
        assert_eq!(fmt(1234.5, PLAIN, "fr-CA"), "1\u{202f}234,5");
        assert_eq!(fmt(1234.5, PLAIN, "de"), "1.234,5");
        assert_eq!(fmt(1234.5, PLAIN, "kk"), "1,234.5");
        assert_eq!(fmt(-1234567.0, PLAIN, "en"), "-1,234,567.0");
        assert_eq!(fmt(123.0, PLAIN, "en"), "123.0");
        let years = NumberFormat {
            grouping: false,
            decimals: Some(0),
            ..PLAIN
        };
        assert_eq!(fmt(2025.0, years, "en"), "2025");
    }

    #[test]
    fn decimals_compact_and_percent() {
        let d = |n| NumberFormat {
            decimals: Some(n),
            ..PLAIN
        };
        assert_eq!(fmt(107.1, d(0), "en"), "107");
        assert_eq!(fmt(2.0, d(2), "de"), "2,00");
        let compact = NumberFormat {
            style: Style::Compact,
            ..PLAIN
        };
        assert_eq!(fmt(1234.0, compact, "en"), "1.2k");
        assert_eq!(fmt(3_400_000.0, compact, "en"), "3.4M");
        assert_eq!(fmt(2_100_000_000.0, compact, "fr"), "2,1bn");
        assert_eq!(fmt(100_000.0, compact, "en"), "100k");
        assert_eq!(fmt(999_960.0, compact, "en"), "1M");
        assert_eq!(fmt(5e12, compact, "en"), "5tn");
        assert_eq!(fmt(12.0, compact, "en"), "12");
        let percent = NumberFormat {
            style: Style::Percent,
            ..PLAIN
        };
        assert_eq!(format(0.253, &percent, 3, "en"), "25.3%");
        assert_eq!(format(0.25, &percent, 2, "en"), "25%");
    }

    #[test]
    fn ticks_keep_the_style_but_take_the_places_they_need() {
        let numbers = |style, language: &str| Numbers {
            format: NumberFormat {
                style,
                decimals: Some(2),
                ..PLAIN
            },
            language: language.to_string(),
        };
        let compact = numbers(Style::Compact, "en");
        let ticks: Vec<String> = [0.0, 500_000.0, 1_250_000.0, 1_500_000.0]
            .iter()
            .map(|&v| compact.tick(v, 0))
            .collect();
        assert_eq!(ticks, ["0", "500k", "1.25M", "1.5M"]);
        assert_eq!(compact.value(1_234_567.0, 0), "1.23M");
        let percent = numbers(Style::Percent, "fr");
        assert_eq!(percent.tick(0.25, 2), "25%");
        assert_eq!(percent.tick(0.125, 3), "12,5%");
        let tiny = numbers(Style::Compact, "en");
        assert_eq!(tiny.tick(0.0002, 4), "0.0002");
        assert_eq!(tiny.tick(0.0, 4), "0.0000");
        let percent_unit = numbers(Style::Percent, "en");
        assert_eq!(percent_unit.with_unit(0.25, 2, "%"), "25.00%");
        assert_eq!(
            numbers(Style::Plain, "en").with_unit(12.0, 0, "%"),
            "12.00%"
        );
        let plain = numbers(Style::Plain, "de");
        assert_eq!(plain.tick(1500.0, 0), "1.500");
        assert_eq!(plain.value(1500.0, 0), "1.500,00");
    }

    #[test]
    fn machine_numbers_are_plain_and_short() {
        assert_eq!(machine(100.0, 0), "100");
        assert_eq!(machine(0.1 + 0.2, 2), "0.3");
        assert_eq!(machine(107.1, 1), "107.1");
        assert_eq!(machine(1234567.0, 0), "1234567");
        assert_eq!(machine(2e40, 0), "2e40");
    }
}
