//! Markdown body → HTML fragment. No templates here.
//!
//! On top of pulldown-cmark's HTML: unique heading ids with self-links, footnotes numbered in
//! reading order and gathered at the end with links back, tables wrapped in a focusable
//! scrolling region with alignment as classes (no inline styles, so pages work under a strict
//! Content-Security-Policy), links with unsafe schemes dropped, and raw HTML cleaned to an
//! allowlist by `super::sanitize`. The body is never evaluated as a template: `{{ x }}` stays
//! text.
//!
//! Trust is kept apart at the event level, never by markers in the HTML text: every piece of
//! output is an `Out` (in `super::sanitize`) that says whether it is the brief's raw HTML or briefing's own markup.
//! Chart figures and task-list checkboxes (markup the allowlist refuses) are inserted as
//! events and never go through the sanitizer; see `assemble` for how a body with raw HTML is
//! cut into runs that are cleaned whole and the rare items that are not.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html,
};

use super::sanitize::{Mode, Out, RAW_ID_PREFIX, assemble};
use super::text::PlainText;
use super::values;
use crate::model::markdown_options;
use crate::model::slug::slugify;
use crate::model::value::{self, BoundValue, span_name};

/// Ids the page templates use; a heading never takes one of them (and raw HTML's ids are all
/// prefixed, see [`super::sanitize`]).
const RESERVED_IDS: [&str; 7] = [
    "main",
    "top",
    "content",
    "site-header",
    "site-nav",
    "footnotes",
    "related-heading",
];

#[derive(Debug, Clone, PartialEq)]
pub struct RenderedBody {
    pub html: String,
    pub word_count: usize,
    /// The body as plain text (see [`super::text`]), for the search index.
    pub text: String,
}

/// Renders a body. `figures[n - 1]` replaces the body's n-th ```chart block.
pub fn render(markdown: &str, figures: &[String]) -> RenderedBody {
    render_with_values(markdown, figures, &[])
}

/// [`render`], with each `` `{value} name` `` span shown as its value (see [`super::values`]).
pub fn render_with_values(
    markdown: &str,
    figures: &[String],
    values: &[BoundValue],
) -> RenderedBody {
    render_telling_raw(markdown, figures, values).0
}

/// [`render_with_values`], and whether the body holds raw HTML (which the sanitizer rewrote).
pub(super) fn render_telling_raw(
    markdown: &str,
    figures: &[String],
    values: &[BoundValue],
) -> (RenderedBody, bool) {
    let mut state = State {
        values,
        ..State::default()
    };
    // One event per 16 to 24 bytes of Markdown in the benchmark's briefs: sized once rather than
    // doubled (and moved) a dozen times on the way.
    let mut out: Vec<Out> = Vec::with_capacity(markdown.len() / 16);
    let mut text = PlainText::with_capacity(markdown.len());
    text.values = values;
    for event in Parser::new_ext(markdown, markdown_options()) {
        text.push(&event);
        state.push(event, &mut out);
    }
    state.finish(&mut out);
    state.breaks.push(out.len());
    let capacity = markdown.len() * 3 / 2;
    let html = if state.raw_html {
        assemble(out, &state.breaks, figures, capacity)
    } else {
        // Nothing to clean: one pass, exactly as pulldown-cmark writes it.
        let mut html = String::with_capacity(capacity);
        html::push_html(
            &mut html,
            out.into_iter().map(|o| o.event(figures, Mode::Own)),
        );
        html
    };
    let body = RenderedBody {
        html,
        word_count: state.words,
        text: text.finish(),
    };
    (body, state.raw_html)
}

#[derive(Default)]
struct State<'a> {
    words: usize,
    raw_html: bool,
    used_ids: HashSet<String>,
    /// Parser depth (open Start events), and where in `out` each top-level item ends.
    depth: usize,
    breaks: Vec<usize>,
    /// Open heading: its level, buffered inner pieces and plain text.
    heading: Option<(HeadingLevel, Vec<Out<'a>>, String)>,
    /// Open footnote definition: its label and buffered pieces.
    footnote: Option<(CowStr<'a>, Vec<Out<'a>>)>,
    footnote_defs: Vec<(CowStr<'a>, Vec<Out<'a>>)>,
    /// Footnote label → (number, how many references so far).
    footnote_numbers: HashMap<CowStr<'a>, (usize, usize)>,
    tables: usize,
    table_alignments: Vec<Alignment>,
    table_cell: usize,
    in_table_head: bool,
    /// One entry per open link: whether it was dropped for an unsafe URL.
    links: Vec<bool>,
    /// Chart blocks seen so far, and whether one is open (its YAML is not shown).
    charts: usize,
    in_chart: bool,
    /// The brief's values, and how many images are open (alt text takes a value as text).
    values: &'a [BoundValue],
    images: usize,
}

/// `text.split_whitespace().count()`, eight bytes at a time when the text is ASCII: it runs
/// over every word of every body (a byte at a time it was a fiftieth of a build).
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.is_ascii() {
        return text.split_whitespace().count();
    }
    // A word starts at each non-space byte that opens the text or follows a space. Each word
    // of eight bytes gets a mask with the high bit of every space byte set; the starts are the
    // non-space bytes whose predecessor's bit is set, the last byte of the word before carried.
    let mut words = 0;
    let mut carry = 0x80; // before the text counts as a space
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let spaces = ascii_spaces(u64::from_le_bytes(word));
        let starts = !spaces & HIGH_BITS & ((spaces << 8) | carry);
        words += starts.count_ones() as usize;
        carry = (spaces >> 56) & 0x80;
    }
    // char::is_whitespace for ASCII: space, \t, \n, \x0B, \x0C, \r.
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let mut after_space = carry != 0;
    for &b in chunks.remainder() {
        words += usize::from(after_space && !space(b));
        after_space = space(b);
    }
    words
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` (eight ASCII bytes) set where the byte is whitespace: a
/// space exactly, or one of \t..=\r by two additions that carry into the high bit. No byte
/// is above 0x7f, so no addition carries into the next byte.
fn ascii_spaces(x: u64) -> u64 {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const fn each(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }
    let t = x ^ each(b' ');
    let blank = !(((t & LOW) + LOW) | t | LOW);
    let control = (x + each(0x80 - b'\t')) & !(x + each(0x80 - b'\r' - 1)) & HIGH_BITS;
    blank | control
}

impl<'a> State<'a> {
    fn sink<'s>(&'s mut self, out: &'s mut Vec<Out<'a>>) -> &'s mut Vec<Out<'a>> {
        if let Some((_, events)) = &mut self.footnote {
            events
        } else if let Some((_, events, _)) = &mut self.heading {
            events
        } else {
            out
        }
    }

    fn emit(&mut self, out: &mut Vec<Out<'a>>, event: Event<'a>) {
        self.sink(out).push(Out::Md(event));
    }

    fn push(&mut self, event: Event<'a>, out: &mut Vec<Out<'a>>) {
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.transform(event, out);
        if self.depth == 0 && self.breaks.last() != Some(&out.len()) {
            self.breaks.push(out.len());
        }
    }

    fn transform(&mut self, event: Event<'a>, out: &mut Vec<Out<'a>>) {
        if self.in_chart {
            if matches!(event, Event::End(TagEnd::CodeBlock)) {
                self.in_chart = false;
            }
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.split_whitespace().next() == Some("chart") =>
            {
                self.charts += 1;
                self.in_chart = true;
                let n = self.charts;
                // The empty text writes nothing but tells the HTML writer the line is not
                // ended, so a block after the figure starts on a line of its own after a blank
                // one: the bytes briefing wrote before figures were events.
                let sink = self.sink(out);
                sink.push(Out::Figure(n));
                sink.push(Out::Md(Event::Text(CowStr::Borrowed(""))));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.emit(out, Event::Html(code_block_open(kind).into()));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.emit(out, Event::Html("</code></pre>\n".into()));
            }
            Event::Text(ref t) => {
                self.words += count_words(t);
                if let Some((_, _, text)) = &mut self.heading {
                    text.push_str(t);
                }
                self.emit(out, event);
            }
            Event::Code(ref t)
                if let Some(name) = span_name(t)
                    && let Some(v) = value::find(self.values, name) =>
            {
                self.value(v, out);
            }
            Event::Code(ref t) => {
                if let Some((_, _, text)) = &mut self.heading {
                    text.push_str(t);
                }
                self.emit(out, event);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw_html = true;
                self.sink(out).push(Out::Raw(event));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((level, Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, events, text)) = self.heading.take() {
                    self.emit_heading(level, events, &text, out);
                }
            }
            Event::TaskListMarker(done) => self.sink(out).push(Out::Checkbox(done)),
            Event::FootnoteReference(label) => {
                let piece = self.footnote_reference(label);
                self.sink(out).push(piece);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnote = Some((label, Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(def) = self.footnote.take() {
                    self.footnote_defs.push(def);
                }
            }
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(
                TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell,
            ) => {
                self.table(event, out);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::End(TagEnd::Link) => {
                self.images += usize::from(matches!(event, Event::Start(Tag::Image { .. })));
                self.link_or_image(event, out);
            }
            Event::End(TagEnd::Image) => {
                self.images = self.images.saturating_sub(1);
                self.emit(out, event);
            }
            other => self.emit(out, other),
        }
    }

    /// A value span: its `<data>` (or "no data") markup, and a footnote-style reference to
    /// its note when it has one. In an image's alt text only its text; in a link no
    /// reference (a link may not hold one), the `title` still says how it was computed.
    fn value(&mut self, v: &'a BoundValue, out: &mut Vec<Out<'a>>) {
        if let Some((_, _, text)) = &mut self.heading {
            text.push_str(&v.text);
        }
        if self.images > 0 {
            self.emit(out, Event::Text(v.text.as_str().into()));
            return;
        }
        self.emit(out, Event::InlineHtml(values::markup(v).into()));
        let Some(note) = &v.note else { return };
        if self.links.iter().any(|&shown| shown) {
            return;
        }
        let label = CowStr::from(values::note_label(&v.name));
        if !self.footnote_numbers.contains_key(&label) {
            self.footnote_defs
                .push((label.clone(), values::note_events(note)));
        }
        let reference = self.footnote_reference(label);
        self.sink(out).push(reference);
    }

    /// Links and images with unsafe URLs: a link keeps its text, an image its alt text.
    fn link_or_image(&mut self, event: Event<'a>, out: &mut Vec<Out<'a>>) {
        match event {
            Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::Autolink,
                ref dest_url,
                ..
            }) if is_safe_url(dest_url, false) => {
                // An autolink's text is its address: the class tells print not to repeat it.
                self.links.push(true);
                let mut tag = String::from("<a href=\"");
                let _ = pulldown_cmark_escape::escape_href(&mut tag, dest_url);
                tag.push_str("\" class=\"link-url\">");
                self.emit(out, Event::InlineHtml(tag.into()));
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let safe = is_safe_url(dest_url, false);
                self.links.push(safe);
                if safe {
                    self.emit(out, event);
                }
            }
            Event::End(TagEnd::Link) => {
                if self.links.pop().unwrap_or(true) {
                    self.emit(out, event);
                }
            }
            Event::Start(Tag::Image {
                link_type,
                ref dest_url,
                ref title,
                ref id,
            }) if !is_safe_url(dest_url, true) => {
                // Keep the alt text (inside the image events) but point nowhere.
                let event = Event::Start(Tag::Image {
                    link_type,
                    dest_url: "".into(),
                    title: title.clone(),
                    id: id.clone(),
                });
                self.emit(out, event);
            }
            other => self.emit(out, other),
        }
    }

    /// Tables: a focusable, labelled scrolling region, alignment as classes.
    fn table(&mut self, event: Event<'a>, out: &mut Vec<Out<'a>>) {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.tables += 1;
                self.table_alignments = alignments;
                let html = format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table {}\"><table>",
                    self.tables
                );
                self.emit(out, Event::Html(html.into()));
            }
            Event::End(TagEnd::Table) => {
                let close = if self.in_table_head { "" } else { "</tbody>" };
                let html = format!("{close}</table></div>\n");
                self.emit(out, Event::Html(html.into()));
            }
            Event::Start(Tag::TableHead) => {
                self.in_table_head = true;
                self.table_cell = 0;
                self.emit(out, Event::Html("<thead><tr>".into()));
            }
            Event::End(TagEnd::TableHead) => {
                self.in_table_head = false;
                self.emit(out, Event::Html("</tr></thead><tbody>".into()));
            }
            Event::Start(Tag::TableRow) => {
                self.table_cell = 0;
                self.emit(out, Event::Html("<tr>".into()));
            }
            Event::End(TagEnd::TableRow) => self.emit(out, Event::Html("</tr>".into())),
            Event::Start(Tag::TableCell) => {
                // Written out rather than formatted: every cell of every table opens with one.
                let align = self.table_alignments.get(self.table_cell);
                let html = match (self.in_table_head, align) {
                    (true, Some(Alignment::Left)) => "<th scope=\"col\" class=\"align-left\">",
                    (true, Some(Alignment::Center)) => "<th scope=\"col\" class=\"align-center\">",
                    (true, Some(Alignment::Right)) => "<th scope=\"col\" class=\"align-right\">",
                    (true, _) => "<th scope=\"col\">",
                    (false, Some(Alignment::Left)) => "<td class=\"align-left\">",
                    (false, Some(Alignment::Center)) => "<td class=\"align-center\">",
                    (false, Some(Alignment::Right)) => "<td class=\"align-right\">",
                    (false, _) => "<td>",
                };
                self.emit(out, Event::Html(CowStr::Borrowed(html)));
            }
            Event::End(TagEnd::TableCell) => {
                self.table_cell += 1;
                let html = if self.in_table_head { "</th>" } else { "</td>" };
                self.emit(out, Event::Html(html.into()));
            }
            _ => {}
        }
    }

    fn unique_id(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        // Prefixes of footnote ids and of raw HTML's ids: a heading never takes one.
        if base.starts_with("fn-") || base.starts_with("fnref-") || base.starts_with(RAW_ID_PREFIX)
        {
            base = format!("h-{base}");
        }
        let mut id = base.clone();
        let mut n = 1;
        while RESERVED_IDS.contains(&id.as_str()) || self.used_ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used_ids.insert(id.clone());
        id
    }

    fn emit_heading(
        &mut self,
        level: HeadingLevel,
        events: Vec<Out<'a>>,
        text: &str,
        out: &mut Vec<Out<'a>>,
    ) {
        let id = self.unique_id(text);
        let mut label = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut label, text.trim());
        let tag = match level {
            HeadingLevel::H1 => "h1",
            HeadingLevel::H2 => "h2",
            HeadingLevel::H3 => "h3",
            HeadingLevel::H4 => "h4",
            HeadingLevel::H5 => "h5",
            HeadingLevel::H6 => "h6",
        };
        // Pushed piece by piece: formatting was most of a heading's cost, on every heading.
        let mut link = String::with_capacity(80 + id.len() + label.len());
        for piece in [
            " <a class=\"anchor\" href=\"#",
            &id,
            "\" aria-label=\"Link to section: ",
            &label,
            "\">#</a></",
            tag,
            ">\n",
        ] {
            link.push_str(piece);
        }
        let sink = self.sink(out);
        sink.push(Out::WithId {
            head: format!("<{tag} id=\""),
            id,
            tail: "\">".to_string(),
        });
        sink.extend(events);
        sink.push(Out::Md(Event::Html(link.into())));
    }

    fn footnote_reference(&mut self, label: CowStr<'a>) -> Out<'a> {
        let next = self.footnote_numbers.len() + 1;
        let entry = self.footnote_numbers.entry(label).or_insert((next, 0));
        entry.1 += 1;
        let (n, count) = *entry;
        let id = if count == 1 {
            format!("fnref-{n}")
        } else {
            format!("fnref-{n}-{count}")
        };
        Out::WithId {
            head: format!("<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\""),
            id,
            tail: format!("\">{n}</a></sup>"),
        }
    }

    /// Appends the footnotes section, a top-level item of its own.
    fn finish(&mut self, out: &mut Vec<Out<'a>>) {
        if self.footnote_defs.is_empty() {
            return;
        }
        if self.breaks.last() != Some(&out.len()) {
            self.breaks.push(out.len());
        }
        let mut defs = std::mem::take(&mut self.footnote_defs);
        // Unreferenced definitions are numbered after the referenced ones, in written order.
        for (label, _) in &defs {
            let next = self.footnote_numbers.len() + 1;
            self.footnote_numbers
                .entry(label.clone())
                .or_insert((next, 0));
        }
        defs.sort_by_key(|(label, _)| self.footnote_numbers.get(label).map_or(0, |e| e.0));
        out.push(Out::Md(Event::Html(
            "<section class=\"footnotes\" aria-label=\"Footnotes\"><ol>\n".into(),
        )));
        for (label, mut events) in defs {
            let (n, refs) = self.footnote_numbers.get(&label).copied().unwrap_or((0, 0));
            out.push(Out::WithId {
                head: "<li id=\"".to_string(),
                id: format!("fn-{n}"),
                tail: "\">".to_string(),
            });
            let mut back = String::new();
            if refs > 0 {
                let _ = write!(
                    back,
                    " <a href=\"#fnref-{n}\" class=\"footnote-back\" aria-label=\"Back to reference {n}\">↩</a>"
                );
            }
            if matches!(events.last(), Some(Out::Md(Event::End(TagEnd::Paragraph)))) {
                let end = events.pop();
                events.push(Out::Md(Event::InlineHtml(back.into())));
                events.extend(end);
            } else {
                events.push(Out::Md(Event::Html(back.into())));
            }
            out.extend(events);
            out.push(Out::Md(Event::Html("</li>\n".into())));
        }
        out.push(Out::Md(Event::Html("</ol></section>\n".into())));
    }
}

/// Focusable, so a keyboard user can scroll a long line into view.
fn code_block_open(kind: CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) if !info.trim().is_empty() => {
            let lang = info.split_whitespace().next().unwrap_or("");
            let mut class = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut class, lang);
            format!("<pre tabindex=\"0\"><code class=\"language-{class}\">")
        }
        _ => "<pre tabindex=\"0\"><code>".to_string(),
    }
}

/// Links may go to http(s), mailto, or a relative URL; images to http(s) or a relative URL.
/// Anything else (`javascript:`, `data:`, `vbscript:` ...) is dropped.
fn is_safe_url(url: &str, image: bool) -> bool {
    let trimmed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme_end = trimmed.find(':');
    let first_delim = trimmed.find(['/', '?', '#']);
    match scheme_end {
        Some(colon) if first_delim.is_none_or(|d| colon < d) => {
            let scheme = trimmed[..colon].to_ascii_lowercase();
            scheme == "http" || scheme == "https" || (!image && scheme == "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
