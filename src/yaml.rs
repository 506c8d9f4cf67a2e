//! The one module that calls `serde_yaml`.
//!
//! `serde_yaml` is archived upstream. Every YAML parse in briefing (site.yaml, front-matter,
//! chart blocks, YAML data files) goes through here, so a maintained fork can replace it in
//! this file alone. What leaves this module is neutral: a `serde_json::Value` tree and a
//! [`YamlError`] that knows its byte offset in the text it was given.

use serde_json::{Map, Number, Value};

mod bounds;

/// Parses beyond this size are refused before the parser runs: front-matter and chart blocks
/// are small, and a cap keeps one hostile file from making the build allocate without bound.
pub const MAX_YAML_BYTES: usize = 1 << 20;

#[derive(Debug, Clone)]
pub struct YamlError {
    /// What went wrong, without serde_yaml's "at line X column Y" suffix.
    pub message: String,
    /// Byte offset in the parsed text, when the parser knows where.
    pub offset: Option<usize>,
    /// How to fix it, when this module knows better than the caller's generic advice.
    pub help: Option<&'static str>,
}

/// Parses one YAML document into a neutral value tree.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!(
                "YAML block is {} bytes; the limit is {} bytes",
                text.len(),
                MAX_YAML_BYTES
            ),
            offset: None,
            help: None,
        });
    }
    let aliases = count_aliases(text);
    if aliases.saturating_mul(text.len()) > MAX_ALIAS_EXPANSION {
        return Err(YamlError {
            message: format!(
                "{aliases} YAML aliases (*name) in a {}-byte block could expand it past {} bytes; briefing refuses it",
                text.len(),
                MAX_ALIAS_EXPANSION
            ),
            offset: None,
            help: None,
        });
    }
    // Before serde_yaml: it would expand every alias and libyaml would scan every level first.
    bounds::check(text).map_err(|r| YamlError {
        message: r.message,
        offset: Some(offset_of(text, r.line + 1, r.column + 1)),
        help: Some(
            "write the values out instead of nesting anchors and aliases, and keep lists and maps a few levels deep",
        ),
    })?;
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(v) => to_json(v),
        Err(e) => Err(convert_error(text, &e)),
    }
}

/// serde_yaml limits how many times aliases are followed, not how many bytes they copy: one
/// large anchor aliased many times would still allocate without bound. Each alias copies at
/// most the whole block, so aliases × length bounds what a block can expand to.
const MAX_ALIAS_EXPANSION: usize = 4 << 20;

/// Counts alias tokens (`*name` after a space, `[`, `{`, `,` or `:`, or at a line start). It may
/// count a `*` inside quoted text too, which only makes the bound stricter.
fn count_aliases(text: &str) -> usize {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| {
            bytes[i] == b'*'
                && (i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':'
                    ))
                && bytes
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        })
        .count()
}

fn convert_error(text: &str, e: &serde_yaml::Error) -> YamlError {
    let full = e.to_string();
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let offset = e
        .location()
        .map(|loc| offset_of(text, loc.line(), loc.column()));
    YamlError {
        message,
        offset,
        help: None,
    }
}

/// Byte offset of a 1-based line and 1-based character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let within = line_text[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| i);
    start + within
}

/// Converts serde_yaml's tree. Mapping keys must be scalars: a key that is itself a mapping or
/// a list (YAML's `? key` syntax) is refused, since no front-matter, chart or data key can be
/// one and turning nested keys into text grows without bound (found by fuzzing).
fn to_json(v: serde_yaml::Value) -> Result<Value, YamlError> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(key_text(k)?, to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => to_json(t.value)?,
    })
}

/// Mapping keys become strings: `2025: x` is the key "2025".
fn key_text(k: serde_yaml::Value) -> Result<String, YamlError> {
    use serde_yaml::Value as Y;
    match k {
        Y::String(s) => Ok(s),
        Y::Null => Ok(String::new()),
        Y::Bool(b) => Ok(b.to_string()),
        Y::Number(n) => Ok(n.to_string()),
        Y::Tagged(t) => key_text(t.value),
        Y::Sequence(_) | Y::Mapping(_) => Err(YamlError {
            message:
                "a key must be text, not a list or a mapping (YAML `? key` syntax is not supported)"
                    .to_string(),
            offset: None,
            help: None,
        }),
    }
}

/// Byte offsets of the top-level keys of a block mapping (`key:` at column 1), so that a
/// problem with a key's value can point at its line. YAML's own parser forgets positions once
/// it has built a value; for front-matter and chart blocks this scan is what people expect.
pub fn key_offsets(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let first = line.chars().next();
        if let Some(c) = first
            && !c.is_whitespace()
            && c != '#'
            && c != '-'
            && let Some(colon) = line.find(':')
        {
            let key = line[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
            out.push((key.to_string(), start));
        }
        start += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_2_keeps_norway_as_text() {
        let v = parse("regions: [NO, yes]").unwrap();
        assert_eq!(v["regions"][0], "NO");
        assert_eq!(v["regions"][1], "yes");
    }

    #[test]
    fn error_offset_points_into_the_text() {
        let text = "title: ok\ndate: [unclosed\n";
        let e = parse(text).unwrap_err();
        assert!(e.offset.is_some());
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn alias_bombs_and_large_aliased_anchors_are_refused() {
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                      e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                      g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assert!(parse(laughs).is_err());
        let big = format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(100_000),
            vec!["*a"; 200].join(", ")
        );
        let e = parse(&big).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
        assert!(
            parse("base: &b {x: 1}\nother: *b\n").is_ok(),
            "small anchors still work"
        );
    }

    #[test]
    fn complex_keys_are_refused_not_expanded() {
        // fuzz/artifacts/frontmatter/oom-…: nested `? ` keys grew without bound as text.
        let nested = format!("{}x: 1\n", "? ".repeat(40));
        assert!(parse(&nested).is_err());
        assert!(
            parse("2025: year\ntrue: yes\n").is_ok(),
            "scalar keys still work"
        );
    }

    /// `a0` holds 40,000 values and each further level aliases the one before twice, so
    /// `levels` levels stand for 40,000 × 2^levels values in about 80 KB.
    fn doubling_anchors(levels: usize) -> String {
        let mut text = format!("a0: &a0 [{}]\n", vec!["x"; 40_000].join(", "));
        for i in 1..=levels {
            text.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
        }
        text
    }

    fn line_of(text: &str, e: &YamlError) -> usize {
        text[..e.offset.expect("a refusal has a position")]
            .matches('\n')
            .count()
            + 1
    }

    #[test]
    fn nested_anchor_doubling_is_refused_at_the_alias_that_tips_it() {
        for levels in [7, 8] {
            let text = doubling_anchors(levels);
            let started = std::time::Instant::now();
            let e = parse(&text).unwrap_err();
            assert!(e.message.contains("expand"), "{}", e.message);
            // a0..a4 total 40,000 × (1 + 2 + 4 + 8 + 16) values: past a million at a4's line.
            assert_eq!(line_of(&text, &e), 5, "{}", e.message);
            assert!(e.help.is_some());
            assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
        // Three levels (40,000 × 15 values) are within the budget and still parse.
        assert!(parse(&doubling_anchors(3)).is_ok());
    }

    #[test]
    fn ordinary_anchors_and_aliases_still_work() {
        let text = "base: &base {region: France, unit: bn}\nfirst: *base\nsecond: *base\n\
                    tags: &t [a, b]\nmore: [*t, *t]\nname: &n Ada\nauthor: *n\n";
        let v = parse(text).unwrap();
        assert_eq!(v["second"]["region"], "France");
        assert_eq!(v["more"][1][0], "a");
        assert_eq!(v["author"], "Ada");
    }

    #[test]
    fn deep_flow_nesting_is_refused_quickly_where_the_limit_is_crossed() {
        let text = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("levels deep"), "{}", e.message);
        // The root mapping is level 1, so the 64th `[` (column 4 + 63) is level 65.
        assert_eq!(e.offset, Some(3 + bounds::MAX_DEPTH - 1));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let block = format!("x:\n{}y\n", "- ".repeat(100_000));
        assert!(parse(&block).unwrap_err().message.contains("levels deep"));
    }

    #[test]
    fn nesting_just_under_the_limit_is_accepted() {
        let depth = bounds::MAX_DEPTH - 1; // plus the root mapping: exactly the limit
        let text = format!("x: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let mut v = &parse(&text).unwrap()["x"];
        for _ in 1..depth {
            v = &v[0];
        }
        assert_eq!(v[0], 1);
        let over = format!("x: {}1{}\n", "[".repeat(depth + 1), "]".repeat(depth + 1));
        assert!(parse(&over).is_err());
    }

    #[test]
    fn key_offsets_find_top_level_keys() {
        let keys = key_offsets("title: a\ntags:\n  - x\n\"date\": 1\n");
        let names: Vec<_> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["title", "tags", "date"]);
        assert_eq!(keys[2].1, 21);
    }
}
