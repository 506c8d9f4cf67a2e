//! A brief body as plain text: what the search index reads, and the excerpt a feed entry shows
//! when the brief has no summary.
//!
//! Kept apart from `markdown.rs`, which writes HTML for pages: here nothing is escaped and no
//! markup survives. Chart blocks (their YAML is not prose), raw HTML tags and footnote markers
//! are left out; the text of headings, lists, tables, code and footnotes is kept.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::model::markdown_options;
use crate::model::value::{self, BoundValue, span_name};

/// The words of a Markdown body, blocks separated by newlines.
pub fn plain_text(markdown: &str) -> String {
    plain_text_with(markdown, &[])
}

/// [`plain_text`], with each `` `{value} name` `` span as the text its value shows.
pub fn plain_text_with(markdown: &str, values: &[BoundValue]) -> String {
    let mut text = PlainText::with_capacity(markdown.len());
    text.values = values;
    for event in Parser::new_ext(markdown, markdown_options()) {
        text.push(&event);
    }
    text.finish()
}

/// Gathers plain text from a body's parser events, so a caller already walking them (the page
/// renderer) gets the text without parsing the body a second time.
#[derive(Debug, Default)]
pub struct PlainText<'v> {
    out: String,
    in_chart: bool,
    /// The brief's values: a value span reads as what the value shows.
    pub values: &'v [BoundValue],
}

impl PlainText<'_> {
    pub fn with_capacity(bytes: usize) -> Self {
        PlainText {
            out: String::with_capacity(bytes),
            in_chart: false,
            values: &[],
        }
    }

    pub fn push(&mut self, event: &Event) {
        let out = &mut self.out;
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("chart") =>
            {
                self.in_chart = true;
            }
            Event::End(TagEnd::CodeBlock) if self.in_chart => self.in_chart = false,
            _ if self.in_chart => {}
            Event::Code(t) if let Some(name) = span_name(t) => {
                match value::find(self.values, name) {
                    Some(v) => out.push_str(&v.text),
                    None => out.push_str(t),
                }
            }
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => out.push('\n'),
            _ => {}
        }
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The first `words` words of `text` on one line, with `…` when some were cut.
pub fn excerpt(text: &str, words: usize) -> String {
    let mut all = text.split_whitespace();
    let kept: Vec<&str> = all.by_ref().take(words).collect();
    let mut out = kept.join(" ");
    if all.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_words_and_drops_markup_and_charts() {
        let md = "## Heading\n\nA *b* `c` [link](x).\n\n```chart\ndata: x.csv\n```\n\n\
                  | a | b |\n|---|---|\n| 1 | 2 |\n\n<div class=\"x\">raw</div>\n\nEnd.[^1]\n\n[^1]: Note.\n";
        let text = plain_text(md);
        assert!(text.contains("Heading") && text.contains("A b c link."));
        assert!(!text.contains("data:") && !text.contains("class"));
        assert!(text.contains('1') && text.contains("Note."));
    }

    #[test]
    fn excerpt_cuts_at_words() {
        assert_eq!(excerpt("one two  three", 2), "one two…");
        assert_eq!(excerpt("one two", 2), "one two");
    }
}
