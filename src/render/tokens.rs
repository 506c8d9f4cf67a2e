//! Text → search tokens. The build indexes briefs with [`tokens`]; `static/search.js` folds and
//! cuts the reader's query by the same rules (`fold` and `tokens` there), so the two must change
//! together.
//!
//! Folding, character by character: Hangul syllables are kept whole; anything else is
//! decomposed (NFKD), lowercased, and stripped of the combining marks that are accents rather
//! than letters (the Latin, Greek and Cyrillic diacritics, Arabic harakat). So `Québec` finds
//! `quebec`, `Türkiye` finds `turkiye` and `ΑΘΉΝΑ` finds `αθηνα`, while Devanagari vowel signs,
//! which are letters of their words, stay. Final sigma `ς` folds to `σ`.
//!
//! Cutting: a word is a run of letters, digits and marks. Scripts written without spaces
//! between words (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar) are cut into
//! overlapping pairs of characters, so `日本` is found inside `日本経済` and `한국` inside
//! `한국은`; a lone character of those scripts is a token of its own. Other words of a single
//! character are dropped (`s` of `Korea's`), and tokens are cut to [`MAX_TOKEN_CHARS`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longer words (hashes, run-together URLs) are indexed by their first this many characters.
pub const MAX_TOKEN_CHARS: usize = 32;

/// Combining marks removed by folding: accents, not letters. Keep in step with `STRIP` in
/// static/search.js.
fn is_stripped_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'   // combining diacritical marks (Latin, Greek, Cyrillic)
        | '\u{1AB0}'..='\u{1AFF}' // ... extended
        | '\u{1DC0}'..='\u{1DFF}' // ... supplement
        | '\u{20D0}'..='\u{20FF}' // ... for symbols
        | '\u{FE20}'..='\u{FE2F}' // half marks
        | '\u{064B}'..='\u{065F}' // Arabic harakat
        | '\u{0670}'              // Arabic superscript alef
    )
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Scripts written without spaces between words: cut into character pairs. Keep in step with
/// `PAIRED` in static/search.js.
fn is_paired_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'     // Thai, Lao
        | '\u{1000}'..='\u{109F}'   // Myanmar
        | '\u{1100}'..='\u{11FF}'   // Hangul jamo
        | '\u{1780}'..='\u{17FF}'   // Khmer
        | '\u{2E80}'..='\u{2FDF}'   // CJK radicals
        | '\u{3005}'..='\u{3007}'   // 々 〆 〇
        | '\u{3021}'..='\u{3029}'   // Hangzhou numerals
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}'   // Hangul compatibility jamo
        | '\u{31F0}'..='\u{31FF}'   // Katakana extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{A960}'..='\u{A97F}'   // Hangul jamo extended A
        | '\u{AC00}'..='\u{D7FF}'   // Hangul syllables, jamo extended B
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}' // CJK extensions B–H
    )
}

/// Case, compatibility forms and accents folded away (see the module docs).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_each(text, |c| out.push(c));
    out
}

/// Calls `emit` with each folded character of `text`, in order.
fn fold_each(text: &str, mut emit: impl FnMut(char)) {
    for c in text.chars() {
        if c.is_ascii() {
            // The common case, and NFKD leaves ASCII alone.
            emit(c.to_ascii_lowercase());
        } else {
            fold_char(c, &mut emit);
        }
    }
}

/// Folds one character that is not ASCII.
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    if is_hangul_syllable(c) {
        emit(c);
        return;
    }
    for d in std::iter::once(c).nfkd() {
        for l in d.to_lowercase() {
            if !is_stripped_mark(l) {
                emit(if l == 'ς' { 'σ' } else { l });
            }
        }
    }
}

/// The tokens of `text`, in order, repeats included.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// Each byte's class for the ASCII scan of [`for_each_token`]: 0 for a byte that ends an
/// ASCII word (a space, punctuation, any byte of a character outside ASCII), else
/// [`ALNUM`], with [`UPPER`] too for a capital. One load a byte instead of three range tests:
/// the scan runs over every character of every brief.
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            table[b] = ALNUM;
        }
        if byte.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};
const ALNUM: u8 = 1;
const UPPER: u8 = 2;

/// Calls `emit` with each token of `text`, in order, repeats included, without allocating a
/// string per token.
///
/// Words written wholly in ASCII, nearly every word of an English brief, skip folding: they
/// are emitted straight from `text` (lowercased only when they hold a capital). Any other word
/// is folded character by character into a buffer, as [`fold`] does.
pub fn for_each_token(text: &str, mut emit: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut cutter = Cutter::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if ASCII_CLASS[usize::from(b)] == 0 {
                cutter.finish(&mut emit);
                i += 1;
                continue;
            }
            let start = i;
            let (end, capital) = ascii_run(bytes, i);
            i = end;
            let run = &text[start..i];
            let ends_word = i == bytes.len() || bytes[i].is_ascii();
            if cutter.word.is_empty() && ends_word {
                if run.len() > 1 {
                    let cut = &run[..run.len().min(MAX_TOKEN_CHARS)];
                    if capital {
                        cutter.buffer.clear();
                        cutter.buffer.push_str(cut);
                        cutter.buffer.make_ascii_lowercase();
                        emit(&cutter.buffer);
                    } else {
                        emit(cut);
                    }
                }
            } else {
                for c in run.chars() {
                    cutter.push(c.to_ascii_lowercase());
                }
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            fold_char(c, &mut |l| {
                if is_word_char(l) {
                    cutter.push(l);
                } else {
                    cutter.finish(&mut emit);
                }
            });
        }
    }
    cutter.finish(&mut emit);
}

/// Where the run of ASCII letters and digits from `start` ends, and whether it holds a
/// capital: eight bytes at a time while eight are left (most words end within the first
/// eight), a byte at a time after.
fn ascii_run(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut i = start;
    let mut capitals = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let (alnum, upper) = ascii_classes(u64::from_le_bytes(word));
        let ended = !alnum & HIGH;
        if ended != 0 {
            // The bytes below the first that ends the run.
            let below = (ended & ended.wrapping_neg()) - 1;
            return (
                i + ended.trailing_zeros() as usize / 8,
                capitals | upper & below != 0,
            );
        }
        capitals |= upper;
        i += 8;
    }
    let mut classes = u8::from(capitals != 0) * UPPER;
    while let Some(&class) = bytes.get(i).map(|&b| &ASCII_CLASS[usize::from(b)]) {
        if class == 0 {
            break;
        }
        classes |= class;
        i += 1;
    }
    (i, classes & UPPER != 0)
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// For eight bytes: the high bit of each byte set where it is an ASCII letter or digit, and
/// (second) where it is a capital, as [`ASCII_CLASS`] classes them. Each range test adds so that
/// the bytes in range carry into their high bit; the high bits are cleared first, so no sum
/// carries into the next byte, and bytes outside ASCII are then left out.
fn ascii_classes(x: u64) -> (u64, u64) {
    const LOW: u64 = !HIGH;
    const fn each(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }
    // The high bit of each byte of `y` (all below 0x80) that lies in `from..=to`.
    let within =
        |y: u64, from: u8, to: u8| (y + each(0x80 - from)) & !(y + each(0x80 - to - 1)) & HIGH;
    let ascii = !x & HIGH;
    let y = x & LOW;
    let digit = within(y, b'0', b'9');
    let letter = within(y | each(0x20), b'a', b'z');
    let upper = within(y, b'A', b'Z') & ascii;
    ((digit | letter) & ascii, upper)
}

/// The word being read, and a buffer for the tokens cut from it.
#[derive(Default)]
struct Cutter {
    word: String,
    paired: bool,
    buffer: String,
}

impl Cutter {
    fn push(&mut self, c: char) {
        self.paired |= is_paired_script(c);
        self.word.push(c);
    }

    /// Emits the word being read, if any. Called at every space and punctuation byte, nearly
    /// always with no word: that test is inlined, the rest is not.
    #[inline(always)]
    fn finish(&mut self, emit: &mut impl FnMut(&str)) {
        if !self.word.is_empty() {
            self.finish_word(emit);
        }
    }

    #[inline(never)]
    fn finish_word(&mut self, emit: &mut impl FnMut(&str)) {
        if self.paired {
            let chars: Vec<char> = self.word.chars().collect();
            cut_word(&chars, &mut self.buffer, emit);
        } else if self.word.char_indices().nth(1).is_some() {
            let end = self
                .word
                .char_indices()
                .nth(MAX_TOKEN_CHARS)
                .map_or(self.word.len(), |(i, _)| i);
            emit(&self.word[..end]);
        }
        self.word.clear();
        self.paired = false;
    }
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// Splits one word into its runs of paired and other characters, and those into tokens.
fn cut_word(word: &[char], buffer: &mut String, emit: &mut impl FnMut(&str)) {
    let mut start = 0;
    while start < word.len() {
        let paired = is_paired_script(word[start]);
        let end = word[start..]
            .iter()
            .position(|&c| is_paired_script(c) != paired)
            .map_or(word.len(), |n| start + n);
        let run = &word[start..end];
        buffer.clear();
        if paired {
            if run.len() == 1 {
                buffer.push(run[0]);
                emit(buffer);
            }
            for pair in run.windows(2) {
                buffer.clear();
                buffer.extend(pair);
                emit(buffer);
            }
        } else if run.len() > 1 {
            buffer.extend(run.iter().take(MAX_TOKEN_CHARS));
            emit(buffer);
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_fold_away() {
        assert_eq!(tokens("Québec"), ["quebec"]);
        assert_eq!(tokens("TÜRKIYE, Türkiye"), ["turkiye", "turkiye"]);
        assert_eq!(tokens("İstanbul"), ["istanbul"]);
        assert_eq!(tokens("ΑΘΉΝΑ Ελλάδας"), ["αθηνα", "ελλαδασ"]);
        assert_eq!(tokens("ﬁnance"), ["finance"]);
        assert_eq!(tokens("Côte d'Ivoire"), ["cote", "ivoire"]);
    }

    #[test]
    fn words_in_every_script() {
        assert_eq!(tokens("Қазақстан мен Ресей"), ["қазақстан", "мен", "ресеи"]);
        assert_eq!(tokens("مصر والسودان"), ["مصر", "والسودان"]);
        assert_eq!(tokens("भारत हिन्दी"), ["भारत", "हिन्दी"]);
        assert_eq!(tokens("日本経済"), ["日本", "本経", "経済"]);
        assert_eq!(tokens("한국은 좋다"), ["한국", "국은", "좋다"]);
        assert_eq!(tokens("中"), ["中"]);
        assert_eq!(tokens("AI投资2025"), ["ai", "投资", "2025"]);
    }

    /// Folding every character, with no ASCII shortcut: what [`for_each_token`] must equal.
    fn tokens_by_folding_everything(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut emit = |t: &str| out.push(t.to_string());
        let mut cutter = Cutter::default();
        fold_each(text, |c| {
            if is_word_char(c) {
                cutter.push(c);
            } else {
                cutter.finish(&mut emit);
            }
        });
        cutter.finish(&mut emit);
        out
    }

    #[test]
    fn the_ascii_shortcut_cuts_like_full_folding() {
        let long = format!("{}Zé {}", "AbC".repeat(20), "q".repeat(40));
        for text in [
            "Stargate's $500bn AI build-out, 2025",
            "café CAFÉ caféteria éclair naïve",
            "AI投资2025 and NAVER한국 x日本y",
            "Côte d'Ivoire — Қазақстан—KZ",
            "a b c ab ABc 9 99",
            "ﬁnance ﬀ Ⅻ ½",
            "word\u{301}s and ˈstress",
            &long,
            "",
        ] {
            assert_eq!(tokens(text), tokens_by_folding_everything(text), "{text}");
        }
    }

    #[test]
    fn words_scanned_eight_bytes_at_a_time_cut_like_full_folding() {
        // Every ASCII byte, the bytes just outside each range the scan tests (`/` `:` `@`
        // `[` `` ` `` `{`), and letters outside ASCII, at every offset in and across the
        // eight-byte words the scan reads.
        let mut alphabet: Vec<char> = (0..128u8).map(char::from).collect();
        alphabet.extend("/:@[`{09AZazé日ǅ".chars());
        let mut seed: u32 = 1;
        let mut pick = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize % n
        };
        for len in 0..48 {
            for _ in 0..300 {
                let text: String = (0..len)
                    .map(|_| match pick(4) {
                        0 => alphabet[pick(alphabet.len())],
                        1 => ' ',
                        _ => char::from(b"aZ09/:@[`{eT"[pick(12)]),
                    })
                    .collect();
                assert_eq!(
                    tokens(&text),
                    tokens_by_folding_everything(&text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn lone_letters_drop_and_long_words_are_cut() {
        assert_eq!(tokens("Korea's a b"), ["korea"]);
        let long = "x".repeat(100);
        assert_eq!(tokens(&long)[0].chars().count(), MAX_TOKEN_CHARS);
    }
}
