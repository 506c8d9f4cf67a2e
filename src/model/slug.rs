//! Turning names into URL path segments.
//!
//! Slugs keep letters in every script readable (`Қазақстан` → `қазақстан`, `Côte d'Ivoire` →
//! `côte-d-ivoire`) instead of transliterating them: browsers show them as written, and the
//! files on disk carry the same UTF-8 names. Everything that is not a letter, digit or
//! combining mark becomes a single `-`, so no slug can hold `/`, `.`, `..` or a space.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Slugs a brief may not have: `/briefs/page/2/` is the second page of the brief list.
pub const RESERVED_BRIEF_SLUGS: [&str; 1] = [crate::routes::PAGE_SEGMENT];

/// Whether a brief may not use `slug` (see [`RESERVED_BRIEF_SLUGS`]).
pub fn is_reserved_brief_slug(slug: &str) -> bool {
    RESERVED_BRIEF_SLUGS.contains(&slug)
}

/// The identity of a taxonomy term: Unicode NFC, then lowercase. `France` and `france` are one term.
pub fn term_key(name: &str) -> String {
    // Lowercase first, then NFC: lowercasing can emit combining marks (`İ` → `i` + U+0307)
    // that NFC must then order, or a key would not equal the key of itself (found by fuzzing).
    let name = name.trim();
    if name.is_ascii() {
        // NFC leaves ASCII as it is.
        return name.to_ascii_lowercase();
    }
    name.to_lowercase().nfc().collect()
}

/// A URL path segment for `text`. May be empty when `text` has no letters or digits.
pub fn slugify(text: &str) -> String {
    if text.is_ascii() {
        // Most headings and names: lowercasing and NFC leave ASCII as it is.
        slug_of(text.chars().map(|c| c.to_ascii_lowercase()), text.len())
    } else {
        slug_of(text.to_lowercase().nfc(), text.len())
    }
}

/// Letters and digits of lowercased, normalised `chars`, runs of anything else as one `-`.
fn slug_of(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut dash = false;
    for c in chars {
        let keep = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric() || is_combining_mark(c)
        };
        if keep {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// A short, stable fingerprint of a text (FNV-1a, 32 bits, hex). Used to keep URLs distinct when
/// two names slugify alike; it depends only on the name, never on the order files were read.
pub fn fingerprint(text: &str) -> String {
    format!("{:08x}", fnv1a32(text.as_bytes()))
}

/// FNV-1a, 32 bits: small, fast and the same on every machine.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_of_every_script() {
        assert_eq!(slugify("Қазақстан"), "қазақстан");
        assert_eq!(slugify("한국"), "한국");
        assert_eq!(slugify("日本"), "日本");
        assert_eq!(slugify("भारत"), "भारत");
        assert_eq!(slugify("हिन्दी"), "हिन्दी");
        assert_eq!(slugify("مصر"), "مصر");
        assert_eq!(slugify("Côte d'Ivoire"), "côte-d-ivoire");
    }

    #[test]
    fn the_ascii_shortcut_slugs_like_the_general_path() {
        // The same text with one non-ASCII letter appended takes the general path.
        for text in [
            "Who is spending?",
            "AI & Data-Halls 2025",
            "  x_y--Z  ",
            "a\tb\x0bc",
        ] {
            let general = slugify(&format!("{text}é"));
            assert_eq!(
                slugify(text),
                general.trim_end_matches('é').trim_end_matches('-'),
                "{text}"
            );
        }
    }

    #[test]
    fn slugs_cannot_leave_their_folder() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify(" a  b "), "a-b");
        assert_eq!(slugify("..."), "");
    }

    #[test]
    fn term_keys_are_stable_under_reapplication() {
        // fuzz/artifacts: lowercase `İ` brings a combining dot that NFC must reorder.
        let name = "\u{32e}\u{32e}\u{32e}ḫ \u{32e}\u{32e}\u{32e}ḫܮİ\u{32e}";
        assert_eq!(term_key(name), term_key(&term_key(name)));
        assert_eq!(term_key("İstanbul"), term_key(&term_key("İstanbul")));
    }

    #[test]
    fn terms_compare_after_nfc_and_lowercase() {
        // "é" precomposed and as e + combining acute are one term.
        assert_eq!(term_key("Québec"), term_key("que\u{301}bec"));
        assert_eq!(term_key("France"), term_key("france"));
    }
}
