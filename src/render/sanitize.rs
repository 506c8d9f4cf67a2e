//! The one place raw HTML from a brief is cleaned, and what briefing's own markup needs to pass.
//!
//! [`super::markdown`] renders a body to [`Out`] pieces tagged with where they came from;
//! [`assemble`] decides from the tags alone which runs go through [`clean`]. briefing's own
//! markup the allowlist would refuse (chart figures, task-list checkboxes) never does, so the
//! allowlist can stay narrow: no form controls, no script, no event handlers, no style.
//! What comes out of [`clean`] is final: it is never searched or split as text afterwards,
//! since no marker put in before the clean could be told apart from the same bytes in a brief.
//!
//! Ids: a raw-HTML id must not pose as one of the page's own (`main`, a heading's id ...), so
//! every id becomes `user-content-<id>` (GitHub's convention). briefing's own ids in the same
//! run (headings, footnotes) are written by [`own_id`] with a per-process secret after them;
//! the attribute filter takes the secret off and keeps those ids as they are. A brief cannot
//! know the secret, and it never reaches the output (a run where raw HTML swallowed briefing's
//! markup so that the secret survives is not used, see [`holds_secret`]), so builds stay
//! byte-for-byte repeatable.

use std::borrow::Cow;
use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, TagEnd, html};

/// What every id from raw HTML starts with.
pub(crate) const RAW_ID_PREFIX: &str = "user-content-";

/// 128 bits from two randomly keyed SipHashes: enough that no brief can guess it.
static NONCE: LazyLock<String> = LazyLock::new(|| {
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(salt);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
});

static BUILDER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["section", "details", "summary", "figure", "figcaption"])
        // Not in ammonia's defaults today; removed by name so that no later default adds them.
        .rm_tags(["input", "button", "select", "option", "textarea", "form"])
        .add_generic_attributes(["id", "class", "aria-label", "role", "tabindex"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("pre", ["tabindex"])
        // A value's number for machines (`<data value="100">`; `title` is generic).
        .add_tag_attributes("data", ["value"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(None)
        .attribute_filter(|_element, attribute, value| {
            if attribute != "id" {
                Some(value.into())
            } else {
                filter_id(value)
            }
        });
    b
});

/// briefing's own id `id`, written into markup that will go through [`clean`].
pub(crate) fn own_id(id: &str) -> String {
    format!("{id} {}", *NONCE)
}

fn filter_id(value: &str) -> Option<Cow<'_, str>> {
    let own = value
        .strip_suffix(NONCE.as_str())
        .and_then(|v| v.strip_suffix(' '));
    match own {
        Some(id) => Some(Cow::Borrowed(id)),
        None if value.is_empty() => None,
        None => Some(Cow::Owned(format!("{RAW_ID_PREFIX}{value}"))),
    }
}

/// Whether cleaned HTML still holds the secret: raw HTML turned briefing's own markup into an
/// attribute value or text, so the run must not be used.
pub(crate) fn holds_secret(cleaned: &str) -> bool {
    cleaned.contains(NONCE.as_str())
}

/// Cleans HTML that holds raw HTML from a brief to the allowlist: links only to http(s),
/// mailto and relative URLs, ids as the module doc says. briefing's own markup passes.
pub(crate) fn clean(html: &str) -> String {
    BUILDER.clean(html).to_string()
}

/// One piece of a rendered body, tagged with where it came from. The tag, not any byte of the
/// HTML, is what decides what the sanitizer sees.
#[derive(Clone)]
pub(crate) enum Out<'a> {
    /// A Markdown event, or briefing's own markup that the allowlist keeps and holds no id.
    Md(Event<'a>),
    /// Raw HTML as written in the brief.
    Raw(Event<'a>),
    /// The n-th chart block's figure (from 1).
    Figure(usize),
    /// A task-list checkbox, ticked or not.
    Checkbox(bool),
    /// briefing's own tag with an id: `head`, the id, `tail`.
    WithId {
        head: String,
        id: String,
        tail: String,
    },
}

/// How an [`Out`] becomes an event: where it will stand decides how its pieces are written.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Mode {
    /// Nothing here goes through the sanitizer.
    Own,
    /// The whole run goes through the sanitizer afterwards: own ids carry the secret.
    Cleaned,
    /// An item with figures or checkboxes: each raw HTML event is cleaned on its own.
    Island,
}

impl<'a> Out<'a> {
    pub(crate) fn event(self, figures: &'a [String], mode: Mode) -> Event<'a> {
        match self {
            Out::Md(event) => event,
            Out::Raw(Event::Html(raw) | Event::InlineHtml(raw)) if mode == Mode::Island => {
                Event::Html(clean(&raw).into())
            }
            Out::Raw(event) => event,
            Out::Figure(n) => {
                let figure = figures.get(n.wrapping_sub(1)).map_or("", String::as_str);
                Event::Html(CowStr::Borrowed(figure))
            }
            // A labelled, read-only checkbox: screen readers say whether the task is done.
            Out::Checkbox(true) => Event::InlineHtml(CowStr::Borrowed(
                "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> ",
            )),
            Out::Checkbox(false) => Event::InlineHtml(CowStr::Borrowed(
                "<input type=\"checkbox\" disabled aria-label=\"Not done\"> ",
            )),
            Out::WithId { head, id, tail } => {
                let id = if mode == Mode::Cleaned {
                    own_id(&id)
                } else {
                    id
                };
                let mut html = String::with_capacity(head.len() + id.len() + tail.len());
                html.push_str(&head);
                html.push_str(&id);
                html.push_str(&tail);
                Event::Html(html.into())
            }
        }
    }

    /// Whether this stands inside a paragraph's or list item's text (briefing's own tags with
    /// ids are left out: a heading's opening tag is one).
    fn is_inline(&self) -> bool {
        match self {
            Out::Raw(event) => matches!(event, Event::InlineHtml(_)),
            Out::Md(Event::Start(tag)) => is_inline_tag(tag.to_end()),
            Out::Md(Event::End(tag)) => is_inline_tag(*tag),
            Out::Md(event) => matches!(
                event,
                Event::Text(_)
                    | Event::Code(_)
                    | Event::InlineMath(_)
                    | Event::SoftBreak
                    | Event::HardBreak
            ),
            _ => false,
        }
    }

    /// Whether this is markup the sanitizer would refuse, so it must not stand in a clean run.
    fn refused_by_sanitizer(&self) -> bool {
        matches!(self, Out::Figure(_) | Out::Checkbox(_))
    }
}

/// Renders a body that holds raw HTML. `breaks` cut `out` into top-level items (a paragraph,
/// a list, a chart block, the footnotes section). Runs of items without figures or checkboxes
/// are rendered and cleaned whole, so raw HTML that spans Markdown (`<details>` ... `</details>`)
/// works there. An item with one (a top-level chart, or a list holding a chart or a task) is
/// an island, see [`render_island`]. The pieces are joined in order.
pub(crate) fn assemble(
    out: Vec<Out>,
    breaks: &[usize],
    figures: &[String],
    capacity: usize,
) -> String {
    // (length, island?) of each piece, consecutive clean items merged into one run.
    let mut plan: Vec<(usize, bool)> = Vec::new();
    let mut start = 0;
    for &end in breaks {
        let island = out[start..end].iter().any(Out::refused_by_sanitizer);
        match plan.last_mut() {
            Some((len, false)) if !island => *len += end - start,
            _ => plan.push((end - start, island)),
        }
        start = end;
    }
    let mut html = String::with_capacity(capacity);
    let mut rest = out.into_iter();
    for (len, island) in plan {
        let piece: Vec<Out> = rest.by_ref().take(len).collect();
        if island {
            render_island(piece, figures, &mut html);
        } else if piece.iter().any(|o| matches!(o, Out::Raw(_))) {
            let mut run = String::new();
            let events = piece
                .iter()
                .cloned()
                .map(|o| o.event(figures, Mode::Cleaned));
            html::push_html(&mut run, events);
            let cleaned = clean(&run);
            if !own_ids_intact(&piece, &cleaned) {
                // Raw HTML swallowed briefing's own markup into an attribute or text (an
                // unclosed quote, a <textarea>): render the run as an island instead.
                let events = piece.into_iter().map(|o| o.event(figures, Mode::Island));
                html::push_html(&mut html, events);
            } else {
                html.push_str(&cleaned);
            }
        } else {
            let events = piece.into_iter().map(|o| o.event(figures, Mode::Own));
            html::push_html(&mut html, events);
        }
    }
    html
}

/// Renders an item holding figures or checkboxes: briefing's markup as is, and raw HTML
/// cleaned one inline run at a time (the text of one paragraph or list item, so `<b>x</b>`
/// there keeps working), block-level raw HTML one event at a time: the only place a lone
/// `<div>` is closed at once and a lone `</div>` vanishes.
fn render_island(piece: Vec<Out>, figures: &[String], html: &mut String) {
    let mut events: Vec<Event> = Vec::with_capacity(piece.len());
    let mut run: Vec<Out> = Vec::new();
    for o in piece {
        if o.is_inline() {
            run.push(o);
        } else {
            flush_inline_run(&mut run, figures, &mut events);
            events.push(o.event(figures, Mode::Island));
        }
    }
    flush_inline_run(&mut run, figures, &mut events);
    html::push_html(html, events.into_iter());
}

fn flush_inline_run<'a>(
    run: &mut Vec<Out<'a>>,
    figures: &'a [String],
    events: &mut Vec<Event<'a>>,
) {
    if run.iter().any(|o| matches!(o, Out::Raw(_))) {
        let mut html = String::new();
        let cleaned_run = run.iter().cloned().map(|o| o.event(figures, Mode::Cleaned));
        html::push_html(&mut html, cleaned_run);
        let cleaned = clean(&html);
        if own_ids_intact(run, &cleaned) {
            events.push(Event::Html(cleaned.into()));
            run.clear();
            return;
        }
    }
    events.extend(run.drain(..).map(|o| o.event(figures, Mode::Island)));
}

/// Whether every id briefing wrote into a run came out of the sanitizer as its own attribute,
/// and the secret nowhere: else raw HTML took briefing's markup apart.
fn own_ids_intact(piece: &[Out], cleaned: &str) -> bool {
    !holds_secret(cleaned)
        && piece.iter().all(|o| match o {
            Out::WithId { id, .. } => cleaned.contains(&format!("id=\"{id}\"")),
            _ => true,
        })
}

fn is_inline_tag(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ids_keep_their_name_and_raw_ids_are_prefixed() {
        let html = clean(&format!(
            "<h2 id=\"{}\">A</h2><p id=\"main\">x</p><p id=\"spend {}\">y</p><p id=\"\">z</p>",
            own_id("spend"),
            "0".repeat(32)
        ));
        assert!(html.contains("<h2 id=\"spend\">"), "{html}");
        assert!(html.contains("<p id=\"user-content-main\">"), "{html}");
        assert!(
            html.contains(&format!("id=\"user-content-spend {}\"", "0".repeat(32))),
            "a guessed secret is just part of a raw id: {html}"
        );
        assert!(html.contains("<p>z</p>"), "an empty id is dropped: {html}");
        assert!(!html.contains(NONCE.as_str()));
    }
}
