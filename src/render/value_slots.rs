//! A brief body rendered once with stand-ins for its values, so `briefing serve` can show new
//! values without rendering the Markdown again.
//!
//! An edit of a data file that a thousand briefs' values read changes one number in each of
//! their pages; rendering their Markdown again was a sixth of that save's time. A value stands
//! in the HTML in two places only, as its markup ([`values::markup`]) and as the text of its
//! note, and in the plain text as its text. So the body is rendered with a stand-in for each
//! value, whose markup and note are strings no brief holds, and the stand-ins are replaced
//! with the real values' pieces. Where a value reaches anything else (a heading's id, an
//! image's alt text), a stand-in is left over, and the body is rendered with its values as
//! before; so is a body with raw HTML, which the sanitizer rewrites. The result is always
//! what [`render_with_values`] makes, which a unit test holds it to.

use pulldown_cmark_escape::escape_html_body_text;

#[cfg(test)]
use super::markdown::render_with_values;
use super::markdown::{RenderedBody, render_telling_raw};
use super::values;
use crate::model::value::BoundValue;

/// What stand-ins are made of; a body that holds it (in any case) is not rendered with them.
const MARK: &str = "briefingslot";

/// More values than this, and the body is rendered with them: each is one pass over the HTML.
const MOST_VALUES: usize = 16;

/// A body rendered with stand-ins, ready to take any values of the same shape.
#[derive(Debug, Clone)]
pub(super) struct SlotBody {
    html: String,
    text: String,
    word_count: usize,
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
    let slots = SlotBody {
        html: body.html,
        text: body.text,
        word_count: body.word_count,
    };
    // Filled with the stand-ins' own pieces under other names, nothing may be left over.
    let probe: Vec<BoundValue> = stand_ins.iter().map(|v| renamed(v, "x")).collect();
    let filled = fill(&slots, &stand_ins, &probe);
    let left_over = filled.html.contains(MARK) || filled.text.contains(MARK);
    (!left_over).then_some(slots)
}

/// The body `slots` was rendered from, with `values` (of the shape it was rendered for).
fn body_with(slots: &SlotBody, values: &[BoundValue]) -> RenderedBody {
    let stand_ins: Vec<BoundValue> = values.iter().enumerate().map(stand_in).collect();
    fill(slots, &stand_ins, values)
}

fn fill(slots: &SlotBody, stand_ins: &[BoundValue], values: &[BoundValue]) -> RenderedBody {
    let mut html = slots.html.clone();
    let mut text = slots.text.clone();
    for (slot, value) in stand_ins.iter().zip(values) {
        html = html.replace(&values::markup(slot), &values::markup(value));
        if let (Some(slot_note), Some(note)) = (&slot.note, &value.note) {
            let mut escaped = String::with_capacity(note.len());
            let _ = escape_html_body_text(&mut escaped, note);
            html = html.replace(slot_note.as_str(), &escaped);
        }
        text = text.replace(&slot.text, &value.text);
    }
    RenderedBody {
        html,
        word_count: slots.word_count,
        text,
    }
}

/// The stand-in for the `i`-th value: its name and shape, every piece a mark of its own.
fn stand_in((i, v): (usize, &BoundValue)) -> BoundValue {
    let piece = |what: &str| format!("\u{E000}{MARK}{what}{i}\u{E001}");
    BoundValue {
        name: v.name.clone(),
        machine: v.machine.as_ref().map(|_| piece("m")),
        text: piece("t"),
        title: piece("h"),
        note: v.note.as_ref().map(|_| piece("n")),
    }
}

/// `v` with every piece's mark replaced, to find the marks a fill leaves.
fn renamed(v: &BoundValue, to: &str) -> BoundValue {
    let swap = |s: &String| s.replace(MARK, to);
    BoundValue {
        name: v.name.clone(),
        machine: v.machine.as_ref().map(swap),
        text: swap(&v.text),
        title: swap(&v.title),
        note: v.note.as_ref().map(swap),
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
