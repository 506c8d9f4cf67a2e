//! Reading numbers the way people write them in spreadsheets and reports.
//!
//! `1,234.5`, `1 234,5` (when the file's decimal comma is clear), `59.40%`, `$2.1`, `€3`,
//! `(1.2)` for −1.2, `−4` with a Unicode minus, surrounding spaces. Anything else is not a
//! number: the caller keeps it as text and reports it, never reads it as zero.

use crate::model::chart::Number;

/// Which character separates the decimals in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

const CURRENCY: [char; 9] = ['$', '€', '£', '¥', '₩', '₸', '₹', '₽', '₺'];
const SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

pub fn parse(text: &str, mark: DecimalMark) -> Option<Number> {
    let mut s = text.trim();
    // No number starts with a letter (the signs, brackets and currencies below are not
    // letters): the names and notes of a data file's text columns, most of its cells, stop here.
    if s.is_empty() || s.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_suffix('%') {
        s = rest.trim_end();
    }
    for sign in ['-', '−', '+'] {
        if let Some(rest) = s.strip_prefix(sign) {
            negative ^= sign != '+';
            s = rest.trim_start();
            break;
        }
    }
    s = s
        .trim_start_matches(CURRENCY)
        .trim_end_matches(CURRENCY)
        .trim();
    if !negative {
        // `$-2` and `-$2` both occur in exports.
        if let Some(rest) = s.strip_prefix(['-', '−']) {
            negative = true;
            s = rest;
        }
    }
    let (decimal, group) = match mark {
        DecimalMark::Point => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    let (int_part, frac_part) = match s.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(frac) = frac_part
        && (frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 15)
    {
        return None;
    }
    let decimals = frac_part.map_or(0, |f| f.len() as u8);
    // Plain digits around a decimal point, nearly every cell of a data file, are read as
    // written; anything else (thousands separators, a decimal comma) is rewritten first.
    let value: f64 = if mark == DecimalMark::Point && is_digits(int_part) {
        s.parse().ok()?
    } else {
        let mut plain = integer_digits(int_part, group)?;
        if let Some(frac) = frac_part {
            plain.push('.');
            plain.push_str(frac);
        }
        plain.parse().ok()?
    };
    if !value.is_finite() {
        return None;
    }
    Some(Number {
        value: if negative { -value } else { value },
        decimals,
    })
}

/// The longest integer part read as a number, separators included.
const MAX_INTEGER_BYTES: usize = 40;

/// Whether `s` is a plain integer part: what [`integer_digits`] gives back unchanged.
fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_INTEGER_BYTES && s.bytes().all(|b| b.is_ascii_digit())
}

/// The digits of an integer part, accepting thousands separators only in groups of three.
fn integer_digits(s: &str, group: char) -> Option<String> {
    if s.is_empty() || s.len() > MAX_INTEGER_BYTES {
        return None;
    }
    let is_sep = |c: char| c == group || SPACES.contains(&c) || c == '\'';
    let parts: Vec<&str> = s.split(is_sep).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if parts.len() > 1 && (parts[0].len() > 3 || parts[1..].iter().any(|p| p.len() != 3)) {
        return None;
    }
    Some(parts.concat())
}

/// Decides a file's decimal mark from its cells: a decimal comma only when some cell shows it
/// clearly (`2,5`, `1.234,5`, `1 234,56`) and no cell shows a decimal point clearly.
pub fn detect_mark<'a>(cells: impl Iterator<Item = &'a str>) -> DecimalMark {
    let mut comma = 0;
    let mut point = 0;
    for cell in cells {
        let c = cell.trim().trim_end_matches('%');
        // `2.5` and `1,234.5` show a decimal point.
        // (The cheap test first: most cells hold neither mark, and need not be parsed.)
        if c.contains('.') && parse(c, DecimalMark::Point).is_some() {
            point += 1;
        } else if c.contains(',') && parse(c, DecimalMark::Comma).is_some() {
            // `1,234` alone is ambiguous; `2,5` or `1.234,5` is not.
            let frac = c.rsplit(',').next().unwrap_or("");
            if frac.len() != 3 || c.contains('.') || c.contains(SPACES) {
                comma += 1;
            }
        }
    }
    if comma > 0 && point == 0 {
        DecimalMark::Comma
    } else {
        DecimalMark::Point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(f64, u8)> {
        parse(s, DecimalMark::Point).map(|n| (n.value, n.decimals))
    }

    #[test]
    fn words_are_not_numbers_even_those_rust_reads_as_floats() {
        for word in ["inf", "NaN", "infinity", "e5", "E10", "Undisclosed", "x1"] {
            assert_eq!(p(word), None, "{word}");
            assert!(parse(word, DecimalMark::Comma).is_none(), "{word}");
        }
    }

    #[test]
    fn reads_numbers_as_people_write_them() {
        assert_eq!(p("1,234.5"), Some((1234.5, 1)));
        assert_eq!(p(" 59.40% "), Some((59.4, 2)));
        assert_eq!(p("$2.1"), Some((2.1, 1)));
        assert_eq!(p("(1.2)"), Some((-1.2, 1)));
        assert_eq!(p("−4"), Some((-4.0, 0)));
        assert_eq!(p("-$3"), Some((-3.0, 0)));
        assert_eq!(p("100"), Some((100.0, 0)));
        let c = parse("1 234,5", DecimalMark::Comma).unwrap();
        assert_eq!((c.value, c.decimals), (1234.5, 1));
    }

    #[test]
    fn text_is_not_a_number() {
        for s in [
            "Undisclosed",
            "n/a",
            "",
            "Multi-billion range",
            "1,2",
            "12,34,567",
            "1.2.3",
            "2.1bn",
            "NaN",
            "inf",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
    }

    #[test]
    fn decimal_comma_only_when_clear() {
        assert_eq!(detect_mark(["2,5", "3"].into_iter()), DecimalMark::Comma);
        assert_eq!(detect_mark(["1.234,5"].into_iter()), DecimalMark::Comma);
        assert_eq!(detect_mark(["1,234", "2"].into_iter()), DecimalMark::Point);
        assert_eq!(detect_mark(["2,5", "1.5"].into_iter()), DecimalMark::Point);
    }
}
