//! Bounds on the work one YAML block can ask for, checked on libyaml's event stream before
//! serde_yaml builds anything.
//!
//! Two inputs cost far more than their size: anchors whose aliases nest (`b: &b [*a, *a]`, each
//! level doubling what the last expands to) and deep nesting (`[[[[…`), which libyaml's
//! scanner handles in time quadratic in the depth. Both are refused here, at the event where the
//! limit is crossed, so the parse that follows is bounded. The scan reads events only up to that
//! point and allocates one small record per anchor, so it is cheap even on a refused block.

use std::collections::HashMap;
use std::mem::MaybeUninit;

/// Deepest nesting of lists and maps accepted. serde_yaml itself stops at 128 while building,
/// but only after libyaml has scanned the whole block; real front-matter, chart blocks and data
/// files nest three or four levels.
pub(crate) const MAX_DEPTH: usize = 64;

/// Most nodes (scalars, lists and maps, each alias counted as everything its anchor expands to)
/// one block may stand for. A 1 MiB block without aliases holds at most about 500,000 nodes
/// (`x,` per node), so every block that expands nothing passes; serde_yaml's tree costs about
/// 50 bytes a node, so the budget caps a block's tree near 50 MB.
pub(crate) const MAX_NODES: usize = 1_000_000;

/// Why a block was refused, and where: the 0-based line and character column of the event that
/// crossed the limit.
pub(crate) struct Refusal {
    pub(crate) message: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Refuses a block that nests deeper than [`MAX_DEPTH`] or expands to more than [`MAX_NODES`]
/// nodes. Syntax errors are left to serde_yaml, which reports them with its own message.
pub(crate) fn check(text: &str) -> Result<(), Refusal> {
    if !may_exceed(text) {
        return Ok(());
    }
    let mut parser = Parser::new(text);
    let mut open: Vec<(Option<Vec<u8>>, usize)> = Vec::new();
    let mut sizes: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut total = 0usize;
    while let Some(event) = parser.next() {
        let at = |message: String| Refusal {
            message,
            line: event.line,
            column: event.column,
        };
        match event.kind {
            Kind::Scalar(anchor) => {
                total += 1;
                if let Some(a) = anchor {
                    sizes.insert(a, 1);
                }
            }
            Kind::Alias(anchor) => {
                total = total.saturating_add(sizes.get(&anchor).copied().unwrap_or(0));
            }
            Kind::Start(anchor) => {
                total += 1;
                open.push((anchor, total - 1));
                if open.len() > MAX_DEPTH {
                    return Err(at(format!(
                        "YAML nests lists and maps more than {MAX_DEPTH} levels deep; briefing refuses it"
                    )));
                }
            }
            Kind::End => {
                if let Some((Some(a), start)) = open.pop() {
                    sizes.insert(a, total - start);
                }
            }
            Kind::StreamEnd => break,
            Kind::Other => {}
        }
        if total > MAX_NODES {
            return Err(at(format!(
                "YAML aliases (*name) here expand the block past {MAX_NODES} values; briefing refuses it"
            )));
        }
    }
    Ok(())
}

/// Whether a block could cross either limit, by a byte count far cheaper than parsing: without
/// a `*` nothing expands, and every level of nesting needs its own `[`, `{`, `:`, `-` or `?`.
/// Ordinary front-matter has a few dozen of those, so the event scan is skipped for it.
fn may_exceed(text: &str) -> bool {
    let mut indicators = 0usize;
    for &b in text.as_bytes() {
        match b {
            b'*' => return true,
            b'[' | b'{' | b':' | b'-' | b'?' => indicators += 1,
            _ => {}
        }
    }
    indicators > MAX_DEPTH
}

enum Kind {
    Scalar(Option<Vec<u8>>),
    Alias(Vec<u8>),
    Start(Option<Vec<u8>>),
    End,
    StreamEnd,
    Other,
}

struct Event {
    kind: Kind,
    line: usize,
    column: usize,
}

/// libyaml's pull parser over a borrowed text, yielding events until the stream ends or the
/// text stops being YAML.
struct Parser<'a> {
    // Boxed so that its address, which libyaml keeps inside itself, never moves.
    sys: Box<MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    _input: &'a str,
    done: bool,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Parser<'a> {
        let mut sys = Box::new(MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit());
        // SAFETY: initialize fills the struct (it only fails on allocation failure, where the
        // parser is left zeroed and reports an error on the first parse); the input pointer
        // stays valid for 'a, which the parser cannot outlive.
        let done = unsafe {
            let p = sys.as_mut_ptr();
            let failed = unsafe_libyaml::yaml_parser_initialize(p).fail;
            if !failed {
                unsafe_libyaml::yaml_parser_set_encoding(p, unsafe_libyaml::YAML_UTF8_ENCODING);
                unsafe_libyaml::yaml_parser_set_input_string(p, input.as_ptr(), input.len() as _);
            }
            failed
        };
        Parser {
            sys,
            _input: input,
            done,
        }
    }

    fn next(&mut self) -> Option<Event> {
        if self.done {
            return None;
        }
        let mut event = MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in new(); a successful parse fills `event`, which
        // is read for its type, marks and anchor (a NUL-terminated string libyaml owns) and
        // then freed with yaml_event_delete.
        unsafe {
            let p = self.sys.as_mut_ptr();
            let e = event.as_mut_ptr();
            if unsafe_libyaml::yaml_parser_parse(p, e).fail {
                self.done = true;
                return None;
            }
            let anchor = |ptr: *const u8| {
                (!ptr.is_null()).then(|| std::ffi::CStr::from_ptr(ptr.cast()).to_bytes().to_vec())
            };
            let kind = match (*e).type_ {
                unsafe_libyaml::YAML_SCALAR_EVENT => Kind::Scalar(anchor((*e).data.scalar.anchor)),
                unsafe_libyaml::YAML_ALIAS_EVENT => {
                    Kind::Alias(anchor((*e).data.alias.anchor).unwrap_or_default())
                }
                unsafe_libyaml::YAML_SEQUENCE_START_EVENT => {
                    Kind::Start(anchor((*e).data.sequence_start.anchor))
                }
                unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                    Kind::Start(anchor((*e).data.mapping_start.anchor))
                }
                unsafe_libyaml::YAML_SEQUENCE_END_EVENT
                | unsafe_libyaml::YAML_MAPPING_END_EVENT => Kind::End,
                unsafe_libyaml::YAML_STREAM_END_EVENT => Kind::StreamEnd,
                _ => Kind::Other,
            };
            let out = Event {
                kind,
                line: (*e).start_mark.line as usize,
                column: (*e).start_mark.column as usize,
            };
            unsafe_libyaml::yaml_event_delete(e);
            Some(out)
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in new() (or zeroed by a failed initialise, which delete accepts).
        unsafe { unsafe_libyaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}
