//! Hugo shortcodes (`{{< figure … >}}`, `{{% note %}}`) and Liquid tags (`{% include … %}`)
//! left in a brief copied from a Hugo or Jekyll site. Bodies are never evaluated, so they are
//! shown as written; one warning per brief says so, naming the first line and the names used.
//!
//! Only text outside code spans and code blocks counts (a brief that documents shortcodes in
//! code is fine), and plain double braces (`{{ x }}`) never do.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diag::Diag;
use crate::model::markdown_options;

/// The warning for the shortcodes and Liquid tags in `text[body_start..]`, if it has any.
pub(super) fn find(text: &Arc<str>, body_start: usize, path: &str) -> Option<Diag> {
    let body = &text[body_start..];
    if !may_hold_tags(body) {
        // Nearly every brief: no `{{<`, `{{%` or `{%` at all, so no Markdown parse.
        return None;
    }
    let code = code_ranges(body);
    let mut hugo: Vec<&str> = Vec::new();
    let mut liquid: Vec<&str> = Vec::new();
    let mut first = None;
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'{', &bytes[from..]) {
        let i = from + at;
        from = i + 1;
        if code.iter().any(|r| r.contains(&i)) {
            continue;
        }
        let (names, rest, close) = if bytes[i..].starts_with(b"{{<") {
            (&mut hugo, &body[i + 3..], ">}}")
        } else if bytes[i..].starts_with(b"{{%") {
            (&mut hugo, &body[i + 3..], "%}}")
        } else if bytes[i..].starts_with(b"{%") && (i == 0 || bytes[i - 1] != b'{') {
            (&mut liquid, &body[i + 2..], "%}")
        } else {
            continue;
        };
        let Some(name) = tag_name(rest) else {
            continue;
        };
        if !closes(rest, close) {
            continue;
        }
        first.get_or_insert(i);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let at = body_start + first?;
    let line = text[..at].matches('\n').count() + 1;
    let mut kinds = Vec::new();
    if !hugo.is_empty() {
        kinds.push(format!("Hugo shortcodes ({})", hugo.join(", ")));
    }
    if !liquid.is_empty() {
        kinds.push(format!("Liquid tags ({})", liquid.join(", ")));
    }
    Some(
        Diag::warning(
            "brief/shortcodes",
            format!(
                "the body holds {} from line {line}; briefing shows them as written",
                kinds.join(" and ")
            ),
        )
        .in_file(path)
        .at_offset(text, at)
        .with_help(
            "replace them with Markdown (an image, a quote, a ```chart block) or remove them; \
             bodies are never evaluated",
        ),
    )
}

/// The name of an opening tag after its `{{<`, `{{%` or `{%`: `figure` in ` figure src=… >}}`.
/// `None` for a closing one (`/note`, `endraw`), a comment, or no name at all.
fn tag_name(rest: &str) -> Option<&str> {
    let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    (!name.is_empty() && !name.starts_with("end")).then_some(name)
}

/// Whether `close` follows within a few KiB (a tag with its parameters is never longer; the
/// bound keeps a body of many unclosed `{%` linear).
fn closes(rest: &str, close: &str) -> bool {
    let window = &rest.as_bytes()[..rest.len().min(4096)];
    memchr::memmem::find(window, close.as_bytes()).is_some()
}

/// Where the body's code spans and code blocks are, which may hold anything.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    out.push(start..range.end);
                }
            }
            Event::Code(_) => out.push(range),
            _ => {}
        }
    }
    out
}

/// False only when `body` holds none of `{{<`, `{{%` and `{%` (the last covers the second).
fn may_hold_tags(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'{', &bytes[from..]) {
        let i = from + at;
        match bytes.get(i + 1) {
            Some(b'%') => return true,
            Some(b'{') if bytes.get(i + 2) == Some(&b'<') => return true,
            _ => {}
        }
        from = i + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(body: &str) -> Option<String> {
        find(&Arc::from(body), 0, "b.md").map(|d| d.message)
    }

    #[test]
    fn names_each_kind_once_from_the_first_line() {
        let body = "Intro {{ x }}\n\n{{< figure src=\"a.png\" >}}\n\n{{% note %}}Hi{{% /note %}}\n\n\
                    {% include chart.html %}\n{% raw %}{{ y }}{% endraw %}\n{{<figure>}}\n";
        let d = find(&Arc::from(body), 0, "b.md").unwrap();
        assert_eq!(
            d.message,
            "the body holds Hugo shortcodes (figure, note) and Liquid tags (include, raw) \
             from line 3; briefing shows them as written"
        );
        assert_eq!(d.code, "brief/shortcodes");
        assert_eq!(d.at.unwrap().line, 3);
    }

    #[test]
    fn one_kind_alone_is_named_alone() {
        assert_eq!(
            warn("a\n{%- include x -%}\n").as_deref(),
            Some(
                "the body holds Liquid tags (include) from line 2; briefing shows them as written"
            )
        );
    }

    #[test]
    fn plain_braces_and_code_are_not_tags() {
        assert_eq!(warn("Hello {{ name }} and {{ .Title }}\n"), None);
        assert_eq!(warn("Write `{{< figure >}}` or `{% raw %}`.\n"), None);
        assert_eq!(
            warn("```\n{{< figure src=x >}}\n{% include a %}\n```\n\n    {% if x %}\n"),
            None
        );
        assert_eq!(warn("100{% of it\n"), None);
        assert_eq!(warn(""), None);
    }

    #[test]
    fn the_quick_check_skips_bodies_without_tags() {
        assert!(!may_hold_tags("{{ x }} { y } {<"));
        assert!(may_hold_tags("{% raw %}"));
        assert!(may_hold_tags("{{< x >}}"));
        assert!(may_hold_tags("{{% x %}}"));
        assert!(!may_hold_tags("{{"));
    }

    #[test]
    fn lines_count_from_the_start_of_the_file() {
        let text = "---\ntitle: a\n---\nbody\n{{< youtube id >}}\n";
        let d = find(&Arc::from(text), 17, "b.md").unwrap();
        assert!(d.message.contains("from line 5"), "{}", d.message);
        assert_eq!(d.at.unwrap().line, 5);
    }
}
