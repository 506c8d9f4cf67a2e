//! A brief body rendered once with stand-ins for its values, so `briefing serve` can show new
//! values without rendering the Markdown again.
//!
//! An edit of a data file that a thousand briefs' values read changes one number in each of
//! their pages; rendering their Markdown again was a sixth of that save's time. A value stands
//! in the HTML in two places only, as its markup ([`values::markup`]) and as the text of its
//! note, and in the plain text as its text. So the body is rendered with a stand-in for each
//! value, whose markup and note are strings no brief holds, and cut once where they stand;
//! filling in values is then one pass over the pieces. Where a value reaches anything else (a
//! heading's id, an image's alt text), a stand-in is left over, and the body is rendered with
//! its values as before; so is a body with raw HTML, which the sanitizer rewrites. The result
//! is always what [`render_with_values`] makes, which a unit test holds it to.

use pulldown_cmark_escape::escape_html_body_text;

#[cfg(test)]
use super::markdown::render_with_values;
use super::markdown::{RenderedBody, render_telling_raw};
use super::values;
use crate::model::value::BoundValue;

/// What stand-ins are made of; a body that holds it (in any case) is not rendered with them.
const MARK: &str = "briefingslot";

/// A stand-in's mark opens and closes with characters of Unicode's private use area, which
/// the renderer passes through as they are.
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// More values than this, and the body is rendered with them.
const MOST_VALUES: usize = 64;

/// A body rendered with stand-ins, cut where they stand, ready to take any values of the
/// same shape: filling it in is one pass over its pieces.
#[derive(Debug, Clone)]
pub(super) struct SlotBody {
    html: String,
    html_pieces: Vec<Piece>,
    text: String,
    text_pieces: Vec<Piece>,
    word_count: usize,
}

/// A piece of a body with stand-ins: its own text (a range of it), or the place of a
/// value's markup, note or text, by the value's place.
#[derive(Debug, Clone)]
enum Piece {
    Own(std::ops::Range<usize>),
    Markup(usize),
    Note(usize),
    Text(usize),
}

/// A brief's body as serve keeps it: rendered with stand-ins, or `None` when it must be
/// rendered with its values; with the fingerprint of what it was rendered from.
pub(super) struct KeptBody {
    pub(super) key: u64,
    pub(super) slots: Option<SlotBody>,
}

impl KeptBody {
    /// The body with `values`: filled in, or rendered with them.
    pub(super) fn body(
        &self,
        markdown: &str,
        figures: &[String],
        values: &[BoundValue],
    ) -> RenderedBody {
        match &self.slots {
            Some(slots) => body_with(slots, values),
            None => super::markdown::render_with_values(markdown, figures, values),
        }
    }
}

/// What a body's stand-ins depend on besides its text: for each value (sorted by name),
/// whether it has a number and whether it has a note.
pub(super) fn shape(values: &[BoundValue]) -> Vec<(bool, bool)> {
    values
        .iter()
        .map(|v| (v.machine.is_some(), v.note.is_some()))
        .collect()
}

/// `markdown` rendered with stand-ins for `values`, when the stand-ins can all be replaced;
/// `None` when the body must be rendered with its values.
pub(super) fn render(
    markdown: &str,
    figures: &[String],
    values: &[BoundValue],
) -> Option<SlotBody> {
    if values.is_empty()
        || values.len() > MOST_VALUES
        || markdown.to_ascii_lowercase().contains(MARK)
    {
        return None;
    }
    let stand_ins: Vec<BoundValue> = values.iter().enumerate().map(stand_in).collect();
    let (body, raw_html) = render_telling_raw(markdown, figures, &stand_ins);
    if raw_html {
        return None;
    }
    let mut in_html = Vec::new();
    let mut in_text = Vec::new();
    for (i, v) in stand_ins.iter().enumerate() {
        in_html.push((values::markup(v), Piece::Markup(i)));
        if let Some(note) = &v.note {
            in_html.push((note.clone(), Piece::Note(i)));
        }
        in_text.push((v.text.clone(), Piece::Text(i)));
    }
    Some(SlotBody {
        html_pieces: cut(&body.html, &in_html)?,
        html: body.html,
        text_pieces: cut(&body.text, &in_text)?,
        text: body.text,
        word_count: body.word_count,
    })
}

/// `hay` cut into its own text and the places of `forms` (each an exact string holding
/// stand-in marks), in one pass over its marks. `None` when a mark stands anywhere else (in
/// a heading's id, say), or a stand-in's letters do.
fn cut(hay: &str, forms: &[(String, Piece)]) -> Option<Vec<Piece>> {
    // Each form by its first mark, with where in the form that mark starts.
    let first_mark = |form: &str| {
        let at = form.find(MARK_OPEN)?;
        let end = form[at..].find(MARK_CLOSE)? + at;
        Some((form[at..end].to_string(), at))
    };
    let mut by_mark = std::collections::HashMap::new();
    for (form, piece) in forms {
        let (mark, at) = first_mark(form)?;
        by_mark.insert(mark, (form.as_str(), at, piece));
    }
    let mut pieces = Vec::new();
    let mut done = 0;
    for (p, _) in hay.match_indices(MARK_OPEN) {
        if p < done {
            continue; // inside a form already taken
        }
        let end = hay[p..].find(MARK_CLOSE)? + p;
        let (form, at, piece) = by_mark.get(&hay[p..end])?;
        let start = p.checked_sub(*at).filter(|&s| s >= done)?;
        if !hay.get(start..)?.starts_with(form) {
            return None;
        }
        pieces.push(Piece::Own(done..start));
        pieces.push((*piece).clone());
        done = start + form.len();
    }
    pieces.push(Piece::Own(done..hay.len()));
    let own = |piece: &Piece| match piece {
        Piece::Own(range) => hay.get(range.clone()).is_none_or(|t| t.contains(MARK)),
        _ => false,
    };
    (!pieces.iter().any(own)).then_some(pieces)
}

/// The body `slots` was rendered from, with `values` (of the shape it was rendered for).
fn body_with(slots: &SlotBody, values: &[BoundValue]) -> RenderedBody {
    // The pieces index the values of the shape they were cut for, which the key holds.
    let value = |i: &usize| values.get(*i);
    let mut html = String::with_capacity(slots.html.len() + 64 * values.len());
    for piece in &slots.html_pieces {
        match piece {
            Piece::Own(range) => html.push_str(slots.html.get(range.clone()).unwrap_or("")),
            Piece::Markup(i) => html.push_str(&value(i).map(values::markup).unwrap_or_default()),
            Piece::Note(i) => {
                if let Some(note) = value(i).and_then(|v| v.note.as_ref()) {
                    let _ = escape_html_body_text(&mut html, note);
                }
            }
            Piece::Text(i) => html.push_str(value(i).map_or("", |v| &v.text)),
        }
    }
    let mut text = String::with_capacity(slots.text.len() + 16 * values.len());
    for piece in &slots.text_pieces {
        match piece {
            Piece::Own(range) => text.push_str(slots.text.get(range.clone()).unwrap_or("")),
            Piece::Text(i) => text.push_str(value(i).map_or("", |v| &v.text)),
            Piece::Markup(_) | Piece::Note(_) => {}
        }
    }
    RenderedBody {
        html,
        word_count: slots.word_count,
        text,
    }
}

/// The stand-in for the `i`-th value: its name and shape, every piece a mark of its own.
fn stand_in((i, v): (usize, &BoundValue)) -> BoundValue {
    let piece = |what: &str| format!("{MARK_OPEN}{MARK}{what}{i}{MARK_CLOSE}");
    BoundValue {
        name: v.name.clone(),
        machine: v.machine.as_ref().map(|_| piece("m")),
        text: piece("t"),
        title: piece("h"),
        note: v.note.as_ref().map(|_| piece("n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(name: &str, number: Option<&str>, note: Option<&str>) -> BoundValue {
        BoundValue {
            name: name.into(),
            machine: number.map(String::from),
            text: number.map_or("no data".into(), |n| format!("{n} <USD> bn")),
            title: format!("sum of \"spend\" ({name})"),
            note: note.map(String::from),
        }
    }

    /// Bodies with values in prose, lists, tables, links, footnotes and notes render through
    /// stand-ins exactly as with their values; those with a value in a heading, an image's alt
    /// text or beside raw HTML are not rendered through stand-ins at all.
    #[test]
    fn stand_ins_filled_are_the_body_rendered_with_its_values() {
        let values = [
            value("a", Some("100"), Some("left out <2> rows & more")),
            value("b", None, None),
            value("c", Some("7.5"), None),
        ];
        let other = [
            value("a", Some("120"), Some("left out 3 rows")),
            value("b", None, None),
            value("c", Some("8"), None),
        ];
        let filled = [
            "Spend `{value} a`, again `{value} a`[^n] and `{value} c`.\n\n[^n]: Own note.\n",
            "- `{value} b`\n- [link `{value} c`](https://example.org)\n",
            "| x | y |\n|---|---|\n| `{value} a` | `{value} c` |\n",
            "Nothing here but `code` and `{value} unknown`.\n",
        ];
        for md in filled {
            let slots = render(md, &[], &values).unwrap_or_else(|| panic!("slots for {md:?}"));
            for vals in [&values, &other] {
                assert_eq!(
                    body_with(&slots, vals),
                    render_with_values(md, &[], vals),
                    "{md:?}"
                );
            }
        }
        let rendered_whole = [
            "## Spend `{value} a`\n\nText.\n",
            "![chart of `{value} c`](a.png)\n",
            "<b>raw</b> `{value} a`\n",
            "A brief about briefingSlot machines: `{value} a`.\n",
        ];
        for md in rendered_whole {
            assert!(render(md, &[], &values).is_none(), "{md:?}");
        }
    }
}
