//! How a value (docs/values.md) stands in a page: `<data value="100" title="how">100 USD
//! bn</data>`, or a visible "no data" when it has none, and the note that says which rows it
//! left out. The note is a footnote of the page (numbered with the brief's own, in reading
//! order), so it sits where readers already look and needs no markup of its own.

use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use super::sanitize::Out;
use crate::model::value::{BoundValue, NO_DATA};

/// The value's markup: its text escaped, its machine number and how it was computed as
/// attributes (both escaped). The sanitizer keeps `<data value title class>`, so the markup
/// survives a run of the body that holds raw HTML.
pub(super) fn markup(v: &BoundValue) -> String {
    let mut out = String::with_capacity(v.text.len() + v.title.len() + 48);
    match &v.machine {
        Some(number) => {
            out.push_str("<data class=\"value\" value=\"");
            let _ = escape_html(&mut out, number);
            out.push_str("\" title=\"");
            let _ = escape_html(&mut out, &v.title);
            out.push_str("\">");
            let _ = escape_html_body_text(&mut out, &v.text);
            out.push_str("</data>");
        }
        None => {
            out.push_str("<span class=\"value value-none\" title=\"");
            let _ = escape_html(&mut out, &v.title);
            out.push_str("\">");
            out.push_str(NO_DATA);
            out.push_str("</span>");
        }
    }
    out
}

/// The footnote label of a value's note. Starts with NUL, which pulldown-cmark never passes
/// through from a brief (it becomes U+FFFD), so no footnote of the brief can share it.
pub(super) fn note_label(name: &str) -> String {
    format!("\u{0}value:{name}")
}

/// A note as the pieces of a footnote definition: one paragraph of text.
pub(super) fn note_events<'a>(note: &str) -> Vec<Out<'a>> {
    vec![
        Out::Md(Event::Start(Tag::Paragraph)),
        Out::Md(Event::Text(note.to_string().into())),
        Out::Md(Event::End(TagEnd::Paragraph)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(machine: Option<&str>, note: Option<&str>) -> BoundValue {
        BoundValue {
            name: "total".into(),
            machine: machine.map(String::from),
            text: "<100> USD bn".into(),
            title: "sum of \"spend\" over 3 rows".into(),
            note: note.map(String::from),
        }
    }

    #[test]
    fn markup_is_escaped_and_no_data_is_visible() {
        let html = markup(&value(Some("100"), None));
        assert_eq!(
            html,
            "<data class=\"value\" value=\"100\" title=\"sum of &quot;spend&quot; over 3 rows\">&lt;100&gt; USD bn</data>"
        );
        assert!(markup(&value(None, None)).contains(">no data</span>"));
    }

    #[test]
    fn values_render_with_notes_as_footnotes_and_code_stays_code() {
        let values = [value(Some("100"), Some("left out <1> row"))];
        let md = "Spend `{value} total`, again `{value} total`[^a].\n\n`{{ x }}` `{% if %}`\n\n```\n`{value} total`\n```\n\n<b>raw</b> `{value} total`\n\n[^a]: Own note.\n";
        let html = crate::render::markdown::render_with_values(md, &[], &values).html;
        assert_eq!(
            html.matches("<data class=\"value\" value=\"100\"").count(),
            3,
            "{html}"
        );
        assert!(
            html.contains("<code>{{ x }}</code> <code>{% if %}</code>"),
            "{html}"
        );
        assert!(
            html.contains("<code>`{value} total`\n</code>"),
            "code blocks untouched: {html}"
        );
        assert!(html.contains("left out &lt;1&gt; row"), "{html}");
        assert_eq!(
            html.matches("<li id=\"fn-").count(),
            2,
            "one note per value: {html}"
        );
        assert!(
            html.contains("<a href=\"#fn-1\" id=\"fnref-1-2\">1</a>"),
            "{html}"
        );
        let text = crate::render::markdown::render_with_values(md, &[], &values).text;
        assert!(text.contains("Spend <100> USD bn"), "{text}");
    }
}
