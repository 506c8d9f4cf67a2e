//! Markdown body → HTML fragment. No templates here.
//!
//! On top of pulldown-cmark's HTML: unique heading ids with self-links, footnotes numbered in
//! reading order and gathered at the end with links back, tables wrapped in a focusable
//! scrolling region with alignment as classes (no inline styles, so pages work under a strict
//! Content-Security-Policy), links with unsafe schemes dropped, and raw HTML cleaned to an
//! allowlist by ammonia. The body is never evaluated as a template: `{{ x }}` stays text.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html,
};

use super::text::PlainText;
use crate::model::markdown_options;
use crate::model::slug::slugify;

/// Ids the page templates use; a heading never takes one of them.
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
    let mut state = State::default();
    let mut out: Vec<Event> = Vec::new();
    let mut text = PlainText::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, markdown_options()) {
        text.push(&event);
        state.push(event, &mut out);
    }
    state.finish(&mut out);
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, out.into_iter());
    if state.raw_html {
        html_out = clean(&html_out);
    }
    if state.charts > 0 {
        html_out = splice_figures(&html_out, figures);
    }
    RenderedBody {
        html: html_out,
        word_count: state.words,
        text: text.finish(),
    }
}

#[derive(Default)]
struct State<'a> {
    words: usize,
    raw_html: bool,
    used_ids: HashSet<String>,
    /// Open heading: its level, buffered inner events and plain text.
    heading: Option<(HeadingLevel, Vec<Event<'a>>, String)>,
    /// Open footnote definition: its label and buffered events.
    footnote: Option<(CowStr<'a>, Vec<Event<'a>>)>,
    footnote_defs: Vec<(CowStr<'a>, Vec<Event<'a>>)>,
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
}

/// `text.split_whitespace().count()`, a byte at a time when the text is ASCII: it runs over
/// every word of every body.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.is_ascii() {
        return text.split_whitespace().count();
    }
    // char::is_whitespace for ASCII: space, \t, \n, \x0B, \x0C, \r. A word starts at each
    // non-space byte that opens the text or follows a space; counting those pairs carries no
    // state from byte to byte, so the loop runs wide.
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let Some(&first) = bytes.first() else {
        return 0;
    };
    usize::from(!space(first))
        + bytes
            .windows(2)
            .map(|w| usize::from(space(w[0]) & !space(w[1])))
            .sum::<usize>()
}

/// Marks where a chart's figure goes. Private-use characters survive the sanitizer as text
/// and cannot come from the brief itself, since they are escaped there.
const FIGURE_MARK: char = '\u{E000}';

fn splice_figures(html: &str, figures: &[String]) -> String {
    let mut out =
        String::with_capacity(html.len() + figures.iter().map(String::len).sum::<usize>());
    let mut parts = html.split(FIGURE_MARK);
    out.push_str(parts.next().unwrap_or(""));
    while let (Some(number), Some(rest)) = (parts.next(), parts.next()) {
        let figure = number
            .parse::<usize>()
            .ok()
            .and_then(|n| figures.get(n.wrapping_sub(1)));
        if let Some(figure) = figure {
            out.push_str(figure);
        }
        out.push_str(rest);
    }
    out
}

impl<'a> State<'a> {
    fn sink<'s>(&'s mut self, out: &'s mut Vec<Event<'a>>) -> &'s mut Vec<Event<'a>> {
        if let Some((_, events)) = &mut self.footnote {
            events
        } else if let Some((_, events, _)) = &mut self.heading {
            events
        } else {
            out
        }
    }

    fn push(&mut self, event: Event<'a>, out: &mut Vec<Event<'a>>) {
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
                let mark = format!("{FIGURE_MARK}{}{FIGURE_MARK}", self.charts);
                self.sink(out).push(Event::Html(mark.into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                // Focusable, so a keyboard user can scroll a long line into view.
                let html = match kind {
                    CodeBlockKind::Fenced(info) if !info.trim().is_empty() => {
                        let lang = info.split_whitespace().next().unwrap_or("");
                        let mut class = String::new();
                        let _ = pulldown_cmark_escape::escape_html(&mut class, lang);
                        format!("<pre tabindex=\"0\"><code class=\"language-{class}\">")
                    }
                    _ => "<pre tabindex=\"0\"><code>".to_string(),
                };
                self.sink(out).push(Event::Html(html.into()));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.sink(out).push(Event::Html("</code></pre>\n".into()));
            }
            Event::Text(ref t) => {
                self.words += count_words(t);
                if let Some((_, _, text)) = &mut self.heading {
                    text.push_str(t);
                }
                self.sink(out).push(event);
            }
            Event::Code(ref t) => {
                if let Some((_, _, text)) = &mut self.heading {
                    text.push_str(t);
                }
                self.sink(out).push(event);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw_html = true;
                self.sink(out).push(event);
            }
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((level, Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, events, text)) = self.heading.take() {
                    self.emit_heading(level, events, &text, out);
                }
            }
            Event::TaskListMarker(done) => {
                // A labelled, read-only checkbox: screen readers say whether the task is done.
                let html = if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
                };
                self.sink(out).push(Event::InlineHtml(html.into()));
            }
            Event::FootnoteReference(label) => {
                let html = self.footnote_reference(label);
                self.sink(out).push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnote = Some((label, Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(def) = self.footnote.take() {
                    self.footnote_defs.push(def);
                }
            }
            Event::Start(Tag::Table(alignments)) => {
                self.tables += 1;
                self.table_alignments = alignments;
                let html = format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table {}\"><table>",
                    self.tables
                );
                self.sink(out).push(Event::Html(html.into()));
            }
            Event::End(TagEnd::Table) => {
                let close = if self.in_table_head { "" } else { "</tbody>" };
                let html = format!("{close}</table></div>\n");
                self.sink(out).push(Event::Html(html.into()));
            }
            Event::Start(Tag::TableHead) => {
                self.in_table_head = true;
                self.table_cell = 0;
                self.sink(out).push(Event::Html("<thead><tr>".into()));
            }
            Event::End(TagEnd::TableHead) => {
                self.in_table_head = false;
                self.sink(out)
                    .push(Event::Html("</tr></thead><tbody>".into()));
            }
            Event::Start(Tag::TableRow) => {
                self.table_cell = 0;
                self.sink(out).push(Event::Html("<tr>".into()));
            }
            Event::End(TagEnd::TableRow) => self.sink(out).push(Event::Html("</tr>".into())),
            Event::Start(Tag::TableCell) => {
                let align = match self.table_alignments.get(self.table_cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                let html = if self.in_table_head {
                    format!("<th scope=\"col\"{align}>")
                } else {
                    format!("<td{align}>")
                };
                self.sink(out).push(Event::Html(html.into()));
            }
            Event::End(TagEnd::TableCell) => {
                self.table_cell += 1;
                let html = if self.in_table_head { "</th>" } else { "</td>" };
                self.sink(out).push(Event::Html(html.into()));
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let safe = is_safe_url(dest_url, false);
                self.links.push(safe);
                if safe {
                    self.sink(out).push(event);
                }
            }
            Event::End(TagEnd::Link) => {
                if self.links.pop().unwrap_or(true) {
                    self.sink(out).push(event);
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
                self.sink(out).push(event);
            }
            other => self.sink(out).push(other),
        }
    }

    fn unique_id(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        if base.starts_with("fn-") || base.starts_with("fnref-") {
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
        events: Vec<Event<'a>>,
        text: &str,
        out: &mut Vec<Event<'a>>,
    ) {
        let id = self.unique_id(text);
        let sink = self.sink(out);
        sink.push(Event::Html(format!("<{level} id=\"{id}\">").into()));
        sink.extend(events);
        let mut label = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut label, text.trim());
        sink.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to section: {label}\">#</a></{level}>\n"
            )
            .into(),
        ));
    }

    fn footnote_reference(&mut self, label: CowStr<'a>) -> String {
        let next = self.footnote_numbers.len() + 1;
        let entry = self.footnote_numbers.entry(label).or_insert((next, 0));
        entry.1 += 1;
        let (n, count) = *entry;
        let id = if count == 1 {
            format!("fnref-{n}")
        } else {
            format!("fnref-{n}-{count}")
        };
        format!("<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>")
    }

    fn finish(&mut self, out: &mut Vec<Event<'a>>) {
        if self.footnote_defs.is_empty() {
            return;
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
        out.push(Event::Html(
            "<section class=\"footnotes\" aria-label=\"Footnotes\"><ol>\n".into(),
        ));
        for (label, mut events) in defs {
            let (n, refs) = self.footnote_numbers.get(&label).copied().unwrap_or((0, 0));
            out.push(Event::Html(format!("<li id=\"fn-{n}\">").into()));
            let mut back = String::new();
            if refs > 0 {
                let _ = write!(
                    back,
                    " <a href=\"#fnref-{n}\" class=\"footnote-back\" aria-label=\"Back to reference {n}\">↩</a>"
                );
            }
            if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = events.pop();
                events.push(Event::InlineHtml(back.into()));
                events.extend(end);
            } else {
                events.push(Event::Html(back.into()));
            }
            out.extend(events);
            out.push(Event::Html("</li>\n".into()));
        }
        out.push(Event::Html("</ol></section>\n".into()));
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

/// Cleans a body that holds raw HTML to an allowlist: no script, no event handlers, no style,
/// links only to http(s), mailto and relative URLs. briefing's own markup passes through.
fn clean(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "section",
        "input",
        "details",
        "summary",
        "figure",
        "figcaption",
    ])
    .add_generic_attributes(["id", "class", "aria-label", "role", "tabindex"])
    .add_tag_attributes("th", ["scope"])
    .add_tag_attributes("pre", ["tabindex"])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .url_schemes(HashSet::from(["http", "https", "mailto"]))
    .link_rel(None);
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "a\u{a0}b\u{2003}c\x0bd",
            "日本 経済",
            "x\r\ny\tz",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let html = render("## Spend\n\n## Spend\n", &[]).html;
        assert!(html.contains("<h2 id=\"spend\">Spend <a class=\"anchor\" href=\"#spend\""));
        assert!(html.contains("<h2 id=\"spend-2\">"));
    }

    #[test]
    fn footnotes_are_numbered_and_linked_back() {
        let html = render("A[^x] b[^y].\n\n[^y]: Why.\n[^x]: Ex.\n", &[]).html;
        assert!(html.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"));
        let first = html.find("<li id=\"fn-1\">").unwrap();
        let second = html.find("<li id=\"fn-2\">").unwrap();
        assert!(
            first < second && html[first..second].contains("Ex."),
            "{html}"
        );
        assert!(html.contains("href=\"#fnref-2\""));
    }

    #[test]
    fn tables_scroll_in_a_region_without_inline_style() {
        let html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n", &[]).html;
        assert!(html.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\""));
        assert!(html.contains("<th scope=\"col\" class=\"align-left\">a</th>"));
        assert!(html.contains("<td class=\"align-right\">2</td>"));
        assert!(!html.contains("style="));
    }

    #[test]
    fn raw_html_is_cleaned_and_template_syntax_stays_text() {
        let html = render(
            "{{ x }} {% if %}\n\n<script>alert(1)</script><b onclick=\"x()\">b</b>",
            &[],
        )
        .html;
        assert!(html.contains("{{ x }} {% if %}"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("onclick"));
        assert!(html.contains("<b>b</b>"));
    }

    #[test]
    fn chart_blocks_become_their_figures_and_code_is_focusable() {
        let figures = vec![
            "<figure>one</figure>".to_string(),
            "<figure>two</figure>".to_string(),
        ];
        let md =
            "A\n\n```chart\nx: a\n```\n\n<b>raw</b>\n\n```chart\nx: b\n```\n\n```sh\nls\n```\n";
        let html = render(md, &figures).html;
        assert!(
            html.contains("<figure>one</figure>") && html.contains("<figure>two</figure>"),
            "{html}"
        );
        assert!(html.find("one") < html.find("two"));
        assert!(!html.contains("x: a"), "chart YAML is not shown");
        assert!(html.contains("<pre tabindex=\"0\"><code class=\"language-sh\">ls"));
    }

    #[test]
    fn unsafe_link_schemes_are_dropped() {
        let html = render(
            "[x](javascript:alert(1)) [y](https://a.org) [z](/briefs/)",
            &[],
        )
        .html;
        assert!(!html.contains("javascript"));
        assert!(html.contains("href=\"https://a.org\""));
        assert!(html.contains("href=\"/briefs/\""));
    }
}
