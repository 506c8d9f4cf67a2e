//! The one validator of YAML mappings with positions: site.yaml, front-matter and chart blocks
//! (and every key added later) read their keys through [`Mapping`].
//!
//! A mapping is parsed once; each key is then taken out as the type the caller expects (text,
//! a list of names, a whole number, true/false, one of a few names), and a value of the wrong
//! type is reported at the key's line with a help line. What is left at the end is the unknown
//! keys, reported with the nearest known key. Errors and warnings land in one list, so a
//! warning (`tittle`: did you mean `title`?) survives the errors it explains.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::diag::{Diag, did_you_mean};
use crate::yaml;

/// Where a YAML mapping sits and how its problems are worded.
pub(crate) struct Source<'a> {
    /// The whole file the YAML is part of, for positions and quoted lines.
    pub text: &'a Arc<str>,
    /// The file as shown to the editor.
    pub path: &'a str,
    /// The YAML itself: a slice of `text`, or (for a chart block inside a list) its lines
    /// with the indent taken off.
    pub yaml: &'a str,
    /// Byte offset in `text` where the YAML starts.
    pub yaml_start: usize,
    /// Where a problem that belongs to no key points (the block's start, a chart's fence).
    pub anchor: usize,
    /// How a key is named in messages: "" gives "`title` must be text", "chart " gives
    /// "chart `title` must be text".
    pub noun: &'a str,
    /// The codes of the problems the typed readers find (see [`Codes`]).
    pub codes: &'static Codes,
}

/// The problem codes of one kind of mapping, for the checks every mapping shares.
pub(crate) struct Codes {
    /// A key not known to this mapping.
    pub unknown_key: &'static str,
    /// A value of the wrong type: a list where text belongs, `yes` for true or false.
    pub wrong_type: &'static str,
    /// A value of the right type that is not accepted: a number out of range, a name not
    /// among the choices, a date that is not one.
    pub bad_value: &'static str,
}

pub(crate) const SITE: Codes = Codes {
    unknown_key: "site/unknown-key",
    wrong_type: "site/wrong-type",
    bad_value: "site/bad-value",
};

pub(crate) const FRONT_MATTER: Codes = Codes {
    unknown_key: "front-matter/unknown-key",
    wrong_type: "front-matter/wrong-type",
    bad_value: "front-matter/bad-value",
};

pub(crate) const CHART: Codes = Codes {
    unknown_key: "chart/unknown-key",
    wrong_type: "chart/wrong-type",
    bad_value: "chart/bad-value",
};

/// A parsed mapping whose keys are being read.
pub(crate) struct Mapping<'a> {
    src: Source<'a>,
    /// Top-level keys and their offsets within the YAML.
    keys: Vec<(String, usize)>,
    map: Map<String, Value>,
    /// What separates a key from its value on its line: `:` in YAML, `=` in TOML.
    sep: char,
    pub(crate) problems: Vec<Diag>,
}

/// What a mapping could not be read as: the YAML was broken, or not a mapping.
pub(crate) enum NotAMapping {
    /// The parser's message, the offset in the file where it stopped, and a help line when
    /// the YAML seam knows one (a refused alias bomb, a nesting limit).
    Invalid {
        message: String,
        at: usize,
        help: Option<&'static str>,
    },
    /// The YAML is empty (or only comments).
    Empty,
    /// The YAML holds one value of this kind (a list, text, …).
    Other(&'static str),
}

impl<'a> Mapping<'a> {
    /// Parses the YAML of `src` as a mapping.
    pub(crate) fn parse(src: Source<'a>) -> Result<Mapping<'a>, NotAMapping> {
        let yaml_text = src.yaml;
        let value = yaml::parse(yaml_text).map_err(|e| NotAMapping::Invalid {
            // An error at the very end (an unclosed bracket) points at the last line, not at
            // whatever closes the block.
            at: src.yaml_start + e.offset.unwrap_or(0).min(yaml_text.trim_end().len()),
            message: e.message,
            help: e.help,
        })?;
        let map = match value {
            Value::Object(map) => map,
            Value::Null => return Err(NotAMapping::Empty),
            other => return Err(NotAMapping::Other(kind(&other))),
        };
        Ok(Mapping::from_map(
            src,
            map,
            yaml::key_offsets(yaml_text),
            ':',
        ))
    }

    /// A mapping already parsed from another syntax (TOML front-matter), with its top-level
    /// keys and their offsets within `src.yaml`, and the character between a key and its value.
    pub(crate) fn from_map(
        src: Source<'a>,
        map: Map<String, Value>,
        keys: Vec<(String, usize)>,
        sep: char,
    ) -> Mapping<'a> {
        Mapping {
            keys,
            map,
            sep,
            src,
            problems: Vec::new(),
        }
    }

    /// A mapping nested in this one (a definition under `values:`, its `format:`): `map` is
    /// its parsed value, written in the file from offset `from` (its own key's line) up to
    /// `to`. Its keys are found again by name there ([`find_key`]), in block or flow style,
    /// so its problems point at their own keys.
    pub(crate) fn nested<'b>(
        &'b self,
        map: Map<String, Value>,
        from: usize,
        to: usize,
        noun: &'b str,
        codes: &'static Codes,
    ) -> Mapping<'b> {
        let text = self.src.text;
        // Past its own key, so a key named like it is found where it is.
        let inner = text
            .get(from..to)
            .and_then(|t| t.find([':', '=', ']']))
            .map_or(from, |i| from + i + 1);
        let mut sep = self.sep;
        // Each key is a search of the mapping's text: past a few dozen keys (a hostile
        // mapping of thousands), problems point at the mapping's own line instead.
        let search = map.len() <= 64;
        let keys: Vec<(String, usize)> = map
            .keys()
            .map(|k| match find_key(text, inner, to, k).filter(|_| search) {
                Some((at, s)) => {
                    sep = s;
                    (k.clone(), at)
                }
                None => (k.clone(), from),
            })
            .collect();
        let src = Source {
            text,
            path: self.src.path,
            yaml: "",
            yaml_start: 0,
            anchor: from,
            noun,
            codes,
        };
        Mapping::from_map(src, map, keys, sep)
    }

    /// How a key is named in this mapping's messages ("", "chart ", "value `x` ").
    pub(crate) fn noun(&self) -> &'a str {
        self.src.noun
    }

    /// The codes of this mapping's problems.
    pub(crate) fn codes(&self) -> &'static Codes {
        self.src.codes
    }

    /// Whether the mapping holds `key` (read or not yet).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Byte offset in the file of `key`'s line, or the anchor when the key is absent.
    pub(crate) fn key_at(&self, key: &str) -> usize {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.src.anchor, |&(_, o)| self.src.yaml_start + o)
    }

    /// Byte offset in the file where `key`'s value starts on its line.
    pub(crate) fn value_at(&self, key: &str) -> usize {
        let start = self.key_at(key);
        let line = self.src.text[start..].split('\n').next().unwrap_or("");
        match line.find(self.sep) {
            Some(colon) => {
                let rest = &line[colon + 1..];
                start + colon + 1 + (rest.len() - rest.trim_start().len())
            }
            None => start,
        }
    }

    /// The whole file, for callers that point into it themselves.
    pub(crate) fn text(&self) -> &'a Arc<str> {
        self.src.text
    }

    /// The file as shown to the editor.
    pub(crate) fn path(&self) -> &'a str {
        self.src.path
    }

    /// A problem at `offset` in the file.
    pub(crate) fn diag_at(&self, d: Diag, offset: usize) -> Diag {
        d.in_file(self.src.path).at_offset(self.src.text, offset)
    }

    /// An error of kind `code` at `key` (or at the anchor for `None`).
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        key: Option<&str>,
        message: String,
        help: impl Into<String>,
    ) {
        let at = key.map_or(self.src.anchor, |k| self.key_at(k));
        self.push(Diag::error(code, message), at, help.into());
    }

    /// A warning of kind `code` at `key`'s line.
    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        key: &str,
        message: String,
        help: impl Into<String>,
    ) {
        let at = self.key_at(key);
        self.push(Diag::warning(code, message), at, help.into());
    }

    /// An error of kind `code` at where `key`'s value starts.
    pub(crate) fn value_error(
        &mut self,
        code: &'static str,
        key: &str,
        message: String,
        help: impl Into<String>,
    ) {
        let at = self.value_at(key);
        self.push(Diag::error(code, message), at, help.into());
    }

    fn push(&mut self, d: Diag, at: usize, help: String) {
        let d = self.diag_at(d, at).with_help(help);
        self.problems.push(d);
    }

    /// Takes `key` out; an explicit `null` counts as absent.
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// `key` as text. Numbers and booleans count as the text the editor typed (`title: 1984`,
    /// `x: 2025`); anything else is an error.
    pub(crate) fn text_of(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s),
            v @ Value::Number(_) => Some(self.raw_scalar(key).unwrap_or_else(|| v.to_string())),
            v @ Value::Bool(_) => Some(v.to_string()),
            other => {
                let noun = self.src.noun;
                self.error(
                    self.src.codes.wrong_type,
                    Some(key),
                    format!("{noun}`{key}` must be text, not {}", kind(&other)),
                    format!("write `{key}: some text` on one line; quote it if it holds `:`"),
                );
                None
            }
        }
    }

    /// `key` as trimmed text, `None` when absent or blank.
    pub(crate) fn trimmed(&mut self, key: &str) -> Option<String> {
        self.text_of(key)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// `key` as true or false.
    pub(crate) fn bool_of(&mut self, key: &str, help: &str) -> Option<bool> {
        match self.take(key)? {
            Value::Bool(b) => Some(b),
            other => {
                let noun = self.src.noun;
                let message = format!(
                    "{noun}`{key}` must be true or false, not {}",
                    written(&other)
                );
                self.value_error(self.src.codes.wrong_type, key, message, help);
                None
            }
        }
    }

    /// `key` as a whole number in `range`; `help` says what the number counts.
    pub(crate) fn count_of(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<u64>,
        help: &str,
    ) -> Option<u64> {
        let value = self.take(key)?;
        match value.as_u64() {
            Some(n) if range.contains(&n) => Some(n),
            _ => {
                let noun = self.src.noun;
                let message = format!(
                    "{noun}`{key}` must be a whole number from {} to {}, not {}",
                    range.start(),
                    range.end(),
                    written(&value)
                );
                self.value_error(self.src.codes.bad_value, key, message, help);
                None
            }
        }
    }

    /// `key` as one of `names` (case-insensitive), through `parse`.
    pub(crate) fn choice_of<T>(
        &mut self,
        key: &str,
        names: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let name = self.trimmed(key)?;
        let parsed = parse(&name.to_lowercase());
        if parsed.is_none() {
            let noun = self.src.noun;
            let message = format!("{noun}`{key}` must be {}, not {name:?}", one_of(names));
            let help = match did_you_mean(&name, names) {
                Some(near) => format!("did you mean `{key}: {near}`?"),
                None => format!("write `{key}: {}`", names[0]),
            };
            self.value_error(self.src.codes.bad_value, key, message, help);
        }
        parsed
    }

    /// `key` as a list of names; a single name is a list of one, blank entries are dropped.
    pub(crate) fn names_of(&mut self, key: &str) -> Vec<String> {
        let items = match self.take(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(Value::String(s)) => vec![Value::String(s)],
            Some(other) => {
                let noun = self.src.noun;
                self.error(
                    self.src.codes.wrong_type,
                    Some(key),
                    format!(
                        "{noun}`{key}` must be a list of names, not {}",
                        kind(&other)
                    ),
                    format!("write `{key}: [France, Kazakhstan]` or one `- name` per line"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::Null => {}
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) => out.push(s.trim().to_string()),
                v @ (Value::Number(_) | Value::Bool(_)) => out.push(v.to_string()),
                other => {
                    let noun = self.src.noun;
                    self.error(
                        self.src.codes.wrong_type,
                        Some(key),
                        format!(
                            "every entry of {noun}`{key}` must be a name, not {}",
                            kind(&other)
                        ),
                        format!("write `{key}: [France, Kazakhstan]`"),
                    );
                    return Vec::new();
                }
            }
        }
        out
    }

    /// Reports the keys not taken out as unknown, with the nearest of `known`: as errors, or
    /// as warnings when `warn` is true. Returns them with their values.
    pub(crate) fn unknown_keys(&mut self, known: &[&str], warn: bool) -> Map<String, Value> {
        let rest = std::mem::take(&mut self.map);
        let noun = self.src.noun;
        for key in rest.keys() {
            let near = did_you_mean(key, known);
            let message = format!("unknown {noun}key `{key}`");
            let d = if warn {
                Diag::warning(self.src.codes.unknown_key, message)
            } else {
                Diag::error(self.src.codes.unknown_key, message)
            };
            let help = match near {
                Some(k) => format!("did you mean `{k}`? Known keys: {}", known.join(", ")),
                None => format!("known keys: {}", known.join(", ")),
            };
            let d = self.diag_at(d, self.key_at(key)).with_help(help);
            self.problems.push(d);
        }
        rest
    }

    /// The keys not taken out, for the caller to keep (front-matter's `extra`).
    pub(crate) fn rest(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.map)
    }

    /// Whether any problem so far is an error.
    pub(crate) fn failed(&self) -> bool {
        self.problems.iter().any(Diag::is_error)
    }

    /// The value of `key: value` as written on its line, without a trailing comment.
    fn raw_scalar(&self, key: &str) -> Option<String> {
        let start = self.key_at(key);
        let line = self.src.text[start..].lines().next()?;
        let value = line.split_once(self.sep)?.1;
        // A number in a flow mapping (`{decimals: 1, style: x}`) ends at `,` or `}`.
        let value = value.split(" #").next()?.split([',', '}']).next()?.trim();
        (!value.is_empty()).then(|| value.to_string())
    }
}

/// The first place in `text[from..to]` where `key` is written as a key (`key:`, `"key":`,
/// `key =`, `[values.key]`), with the character after it.
pub(crate) fn find_key(text: &str, from: usize, to: usize, key: &str) -> Option<(usize, char)> {
    let region = text.get(from..to)?;
    let mut search = 0;
    while let Some(i) = region[search..].find(key) {
        let start = search + i;
        search = start + key.len().max(1);
        let before = region[..start].chars().next_back();
        let opened = matches!(
            before,
            None | Some(' ' | '\t' | '\n' | '{' | ',' | '.' | '[' | '"' | '\'')
        );
        let after = region[start + key.len()..].trim_start_matches(['"', '\'']);
        let after = after.trim_start_matches([' ', '\t']);
        if let Some(sep @ (':' | '=' | ']')) = after.chars().next()
            && opened
        {
            let sep = if sep == ']' { '=' } else { sep };
            let quoted = matches!(before, Some('"' | '\''));
            return Some((from + start - usize::from(quoted), sep));
        }
    }
    None
}

/// "`a`, `b` or `c`".
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A value as the editor wrote it, for messages: text quoted, the rest as YAML would.
fn written(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// What kind of value this is, in words.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &Arc<str>) -> Mapping<'_> {
        let src = Source {
            text,
            path: "t.yaml",
            yaml: text,
            yaml_start: 0,
            anchor: 0,
            noun: "",
            codes: &SITE,
        };
        Mapping::parse(src).ok().unwrap()
    }

    #[test]
    fn wrong_types_are_errors_at_their_lines() {
        let text: Arc<str> = Arc::from("title: [a]\ncount: -3\nflag: maybe\nkind: barr\n");
        let mut m = mapping(&text);
        assert_eq!(m.text_of("title"), None);
        assert_eq!(m.count_of("count", 0..=10, "how many"), None);
        assert_eq!(m.bool_of("flag", "true or false"), None);
        let parse = |s: &str| (s == "bar").then_some(());
        assert_eq!(m.choice_of("kind", &["bar"], parse), None);
        let lines: Vec<usize> = m.problems.iter().map(|d| d.at.unwrap().line).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert_eq!(m.problems[3].message, "`kind` must be `bar`, not \"barr\"");
        let help = m.problems[3].help.as_deref().unwrap();
        assert!(help.contains("did you mean `kind: bar`"), "{help}");
    }

    #[test]
    fn keys_are_found_in_block_and_flow_style() {
        let text = "values:\n  a: {data: x.csv, \"y\": v}\n  b:\n    data: y.csv\n";
        assert_eq!(find_key(text, 0, text.len(), "a"), Some((10, ':')));
        assert_eq!(find_key(text, 10, text.len(), "y"), Some((27, ':')));
        assert_eq!(find_key(text, 33, text.len(), "data"), Some((44, ':')));
        assert_eq!(find_key("[values.sum]\n", 0, 13, "sum"), Some((8, '=')));
        assert_eq!(find_key("ab: 1", 0, 5, "b"), None);
    }

    #[test]
    fn numbers_read_as_text_keep_their_digits() {
        let text: Arc<str> = Arc::from("title: 1.50 # a comment\nx: 2025\n");
        let mut m = mapping(&text);
        assert_eq!(m.text_of("title").as_deref(), Some("1.50"));
        assert_eq!(m.text_of("x").as_deref(), Some("2025"));
        assert!(m.problems.is_empty());
    }

    #[test]
    fn unknown_keys_name_the_nearest_known_one() {
        let text: Arc<str> = Arc::from("tittle: a\nzzz: b\n");
        let mut m = mapping(&text);
        let rest = m.unknown_keys(&["title", "date"], true);
        assert_eq!(rest.len(), 2);
        assert!(m.problems.iter().all(|d| !d.is_error()));
        assert!(
            m.problems[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `title`?")
        );
        assert_eq!(m.problems[1].at.unwrap().line, 2);
    }
}
