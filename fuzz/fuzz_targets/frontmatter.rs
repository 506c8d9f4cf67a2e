//! A whole brief file: decoding, the front-matter splitter and parser, chart-block discovery
//! and Markdown rendering must return a value or a diagnostic for any bytes, never panic.
#![no_main]
use std::sync::Arc;

use briefing::load::{charts, frontmatter, source};
use briefing::render::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = source::decode(bytes) else { return };
    let text: Arc<str> = text;
    if let Ok(parsed) = frontmatter::parse(&text, "fuzz.md") {
        let _ = charts::find(&text, parsed.body_start, "fuzz.md");
        let _ = markdown::render(&text[parsed.body_start..], &[]);
    }
    for d in frontmatter::parse(&text, "fuzz.md").err().unwrap_or_default() {
        let _ = d.render();
    }
});
