//! Values at load time (docs/values.md): the `values:` definitions of a brief's front-matter
//! read through [`Mapping`], the `` `{value} name` `` spans of its body and summary found and
//! checked against them, and, once the data files are read, every value worked out and its
//! honesty warnings given at the spans that show it.
//!
//! Positions: a definition is nested in the front-matter, whose validator knows only the
//! top-level keys, so each definition's keys are found again by name in the text after the
//! definition's own line (block or flow style, YAML or TOML); a problem lands on its key.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;
use serde_json::Value;

use super::cache::LoadCache;
use super::fields::{Codes, Mapping, find_key};
use crate::diag::{Diag, Location, did_you_mean};
use crate::model::Brief;
use crate::model::chart::DataTable;
use crate::model::markdown_options;
use crate::model::value::{self, SPAN_PREFIX, ValueAggregate, ValueSpec, ValueUse, span_name};

pub(crate) const VALUE: Codes = Codes {
    unknown_key: "value/unknown-key",
    wrong_type: "value/wrong-type",
    bad_value: "value/bad-value",
};

const KEYS: [&str; 7] = [
    "data",
    "filter",
    "y",
    "aggregate",
    "unit",
    "format",
    "decimals",
];

/// How many definition names may be missed in the text before the search for them stops.
const MAX_MISSES: usize = 50;

/// How many unknown names get a did-you-mean, and how many names a help line lists.
const MAX_SUGGESTED: usize = 50;

const HELP: &str = "write `values:` with one `name: {data: spend-2025.csv, y: spend_usd_bn, aggregate: sum}` per line";

/// The `values:` key of a front-matter, each definition checked. Problems go to `m`.
pub(super) fn definitions(m: &mut Mapping) -> Vec<ValueSpec> {
    if !m.has("values") {
        return Vec::new();
    }
    let at = m.key_at("values");
    let Some(value) = m.take("values") else {
        return Vec::new();
    };
    let Value::Object(defs) = value else {
        let message = format!(
            "`values` must map names to definitions, not {}",
            super::fields::kind(&value)
        );
        m.error(VALUE.wrong_type, Some("values"), message, HELP);
        return Vec::new();
    };
    let text = m.text().clone();
    let end = front_matter_end(&text, at);
    // Definitions come in written order: each is looked for after the one before, so the
    // search reads the block about once. A name not found costs a read to the end: past
    // MAX_MISSES of those (quoted names with escapes), problems point at `values:` instead.
    let (mut from, mut misses) = (at, 0);
    let found: Vec<usize> = defs
        .keys()
        .map(|name| {
            let hit = (misses < MAX_MISSES)
                .then(|| find_key(&text, from, end, name))
                .flatten();
            match hit {
                Some((o, _)) => {
                    from = o + name.len();
                    o
                }
                None => {
                    misses += 1;
                    at
                }
            }
        })
        .collect();
    let mut sorted = found.clone();
    sorted.sort_unstable();
    let mut out = Vec::with_capacity(defs.len());
    for (i, (name, def)) in defs.into_iter().enumerate() {
        let def_at = found[i];
        // A definition's keys lie between its name and the next definition's.
        let next = sorted.partition_point(|&o| o <= def_at);
        let to = sorted.get(next).copied().unwrap_or(end);
        if !is_name(&name) {
            let d = Diag::error(
                VALUE.bad_value,
                format!("value name {name:?} is not a name"),
            )
            .with_help("a value's name holds letters, digits, `_` and `-`: `charted_total`");
            let d = m.diag_at(d, def_at);
            m.problems.push(d);
            continue;
        }
        let Value::Object(map) = def else {
            let d = Diag::error(
                VALUE.wrong_type,
                format!(
                    "value `{name}` must be a mapping of keys, not {}",
                    super::fields::kind(&def)
                ),
            )
            .with_help(HELP);
            let d = m.diag_at(d, def_at);
            m.problems.push(d);
            continue;
        };
        let noun = format!("value `{name}` ");
        let mut d = m.nested(map, def_at, to, &noun, &VALUE);
        let spec = definition(&mut d, &name, def_at, to);
        d.unknown_keys(&KEYS, false);
        let failed = d.failed();
        m.problems.append(&mut d.problems);
        out.extend(spec.filter(|_| !failed));
    }
    out
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Where the front-matter that holds offset `from` ends (its closing `---` or `+++` line).
fn front_matter_end(text: &str, from: usize) -> usize {
    let mut pos = from;
    for line in text[from..].split_inclusive('\n') {
        let l = line.trim_end();
        if pos > from && (l == "---" || l == "+++") {
            return pos;
        }
        pos += line.len();
    }
    text.len()
}

/// One definition's keys; `None` when a required one is missing.
fn definition(d: &mut Mapping, name: &str, at: usize, to: usize) -> Option<ValueSpec> {
    let data = match d.trimmed("data") {
        None => {
            d.error(
                "value/missing-key",
                None,
                format!("value `{name}` has no `data` (a file in content/data/)"),
                format!("write `{name}: {{data: spend-2025.csv, y: spend_usd_bn}}`"),
            );
            None
        }
        Some(file) => match super::charts::clean_data_path(&file) {
            Ok(p) => Some(p),
            Err(why) => {
                d.error(
                    VALUE.bad_value,
                    Some("data"),
                    format!("value `{name}` `data` {why}: {file:?}"),
                    "name a file inside content/data/, e.g. `data: spend-2025.csv`",
                );
                None
            }
        },
    };
    let aggregate = d
        .choice_of("aggregate", &ValueAggregate::NAMES, ValueAggregate::parse)
        .unwrap_or(ValueAggregate::One);
    let y = d.trimmed("y");
    if y.is_none() && aggregate != ValueAggregate::Count {
        d.error(
            "value/missing-key",
            None,
            format!("value `{name}` has no `y` (the column its number comes from)"),
            "add `y: spend_usd_bn` (a column of the data file), or `aggregate: count` to count rows",
        );
    }
    let y_ok = y.is_some() || aggregate == ValueAggregate::Count;
    let filter = filter(d, name);
    let unit = d.trimmed("unit");
    let format = super::format::read(d, to);
    let spec = ValueSpec {
        name: name.to_string(),
        offset: at,
        data: data?,
        filter,
        y,
        aggregate,
        unit,
        format,
    };
    y_ok.then_some(spec)
}

/// `filter:`, a mapping of columns to the value (or values) to keep, as for charts.
fn filter(d: &mut Mapping, name: &str) -> Vec<(String, Vec<String>)> {
    const FILTER_HELP: &str =
        "write `filter: {investor: Stargate}` or `filter: {region: [France, Korea]}`";
    let Some(value) = d.take("filter") else {
        return Vec::new();
    };
    let Value::Object(conditions) = value else {
        let message = format!("value `{name}` `filter` must map columns to the values to keep");
        d.value_error(VALUE.wrong_type, "filter", message, FILTER_HELP);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (column, values) in super::charts::filter_values(conditions) {
        match values {
            Some(v) => out.push((column, v)),
            None => {
                let message =
                    format!("value `{name}` `filter` on \"{column}\" must list plain values");
                d.value_error(VALUE.wrong_type, "filter", message, FILTER_HELP);
            }
        }
    }
    out
}

/// The `` `{value} name` `` spans of a brief's body and summary, and the problems with them:
/// a span without a name or with a name not defined is an error at the span, a definition no
/// span uses a warning at the definition.
pub(super) fn uses(
    text: &Arc<str>,
    body_start: usize,
    path: &str,
    specs: &[ValueSpec],
    summary: Option<&str>,
) -> (Vec<ValueUse>, Vec<Diag>) {
    let mut found: Vec<(String, usize)> = Vec::new();
    let body = &text[body_start..];
    if memchr::memmem::find(body.as_bytes(), SPAN_PREFIX.as_bytes()).is_some() {
        for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
            if let Event::Code(code) = event
                && let Some(name) = span_name(&code)
            {
                found.push((name.to_string(), body_start + range.start));
            }
        }
    }
    // The spans as written in the front-matter, for their positions: each looked for after
    // the one before.
    let mut from = 0;
    for name in summary.map(summary_names).unwrap_or_default() {
        let front = &text[..body_start];
        let at = front[from..].find(SPAN_PREFIX).map_or(from, |a| from + a);
        from = (at + SPAN_PREFIX.len()).min(front.len());
        found.push((name, at.saturating_sub(1)));
    }
    let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    let defined: HashSet<&str> = names.iter().copied().collect();
    let mut pending: Vec<(usize, Diag)> = Vec::new();
    let mut uses = Vec::with_capacity(found.len());
    let mut unknown = 0;
    for (name, offset) in found {
        if defined.contains(name.as_str()) {
            uses.push(ValueUse { name, offset });
            continue;
        }
        let d = if name.is_empty() {
            Diag::error("value/missing-name", "`{value}` span names no value")
                .with_help("write the value's name after `{value}`, e.g. `{value} charted_total`")
        } else {
            unknown += 1;
            unknown_name(&name, &names, unknown <= MAX_SUGGESTED)
        };
        pending.push((offset, d.in_file(path)));
    }
    let used: HashSet<&str> = uses.iter().map(|u| u.name.as_str()).collect();
    for spec in specs {
        if !used.contains(spec.name.as_str()) {
            pending.push((
                spec.offset,
                Diag::warning(
                    "value/unused",
                    format!("value `{}` is defined but no `{{value}} {}` span uses it", spec.name, spec.name),
                )
                .in_file(path)
                .with_help(format!(
                    "write `{{value}} {}` in backticks where the number belongs, or remove the definition",
                    spec.name
                )),
            ));
        }
    }
    let diags = Cursor::place_all(text, pending);
    (uses, diags)
}

/// Line and column of many offsets in one text, in one pass over it: a brief with thousands
/// of spans gets its thousands of problems without reading its text once per problem.
struct Cursor {
    at: Location,
}

impl Cursor {
    /// `pending` placed at their offsets in `text`, in order of offset.
    fn place_all(text: &Arc<str>, mut pending: Vec<(usize, Diag)>) -> Vec<Diag> {
        pending.sort_by_key(|(offset, _)| *offset);
        let mut cursor = Cursor {
            at: Location::at(text, 0),
        };
        pending
            .into_iter()
            .map(|(offset, d)| {
                let at = cursor.advance(text, offset);
                d.at_location(text, at)
            })
            .collect()
    }

    /// The location of `offset`, at or after the last one asked for.
    fn advance(&mut self, text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        for c in text[self.at.offset..offset].chars() {
            if c == '\n' {
                self.at.line += 1;
                self.at.column = 1;
            } else {
                self.at.column += 1;
            }
        }
        self.at.offset = offset;
        self.at
    }
}

/// An unknown name, with the nearest defined one when `suggest` (a brief with thousands of
/// unknown names and definitions would spend its time comparing them all).
fn unknown_name(name: &str, names: &[&str], suggest: bool) -> Diag {
    let near = names
        .iter()
        .find(|n| suggest && n.eq_ignore_ascii_case(name))
        .copied()
        .or_else(|| suggest.then(|| did_you_mean(name, names)).flatten());
    let mut listed = names
        .iter()
        .take(MAX_SUGGESTED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX_SUGGESTED {
        listed.push_str(&format!(" and {} more", names.len() - MAX_SUGGESTED));
    }
    let help = match near {
        Some(n) => format!("did you mean `{{value}} {n}`? Defined: {listed}"),
        None if names.is_empty() => {
            format!(
                "the brief defines no values: add `values:` with `{name}: {{data: ..., y: ...}}` to its front-matter"
            )
        }
        None => format!("defined values: {listed}"),
    };
    Diag::error("value/unknown-name", format!("unknown value `{name}`")).with_help(help)
}

/// The names of the `` `{value} name` `` spans in a summary, in order.
fn summary_names(summary: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = summary.split('`');
    parts.next();
    while let (Some(code), Some(_)) = (parts.next(), parts.clone().next()) {
        if let Some(name) = span_name(code) {
            out.push(name.to_string());
        }
        parts.next();
    }
    out
}

/// `summary` with every value span replaced by what the value shows.
fn bind_summary(summary: &str, bound: &[value::BoundValue]) -> String {
    let mut out = String::with_capacity(summary.len());
    let pieces: Vec<&str> = summary.split('`').collect();
    let mut i = 0;
    while i < pieces.len() {
        out.push_str(pieces[i]);
        if i + 2 < pieces.len()
            && let Some(name) = span_name(pieces[i + 1])
            && let Some(b) = value::find(bound, name)
        {
            out.push_str(&b.text);
            i += 2;
            continue;
        }
        if i + 1 < pieces.len() {
            out.push('`');
        }
        i += 1;
    }
    out
}

/// Works out every brief's values from the data files and gives the warnings: a definition
/// over a column its table lacks, or a value without `aggregate` over several rows, is an
/// error at the definition; a value that left rows out, or has no data, a warning at every span
/// that shows it. Briefs are bound in parallel; under serve, a brief whose file and data files
/// are the bytes they were takes its values and problems as kept.
pub(super) fn bind(
    briefs: &mut [Brief],
    data: &BTreeMap<String, DataTable>,
    language: &str,
    cache: Option<&LoadCache>,
    diags: &mut Vec<Diag>,
) {
    let per_brief: Vec<Vec<Diag>> = briefs
        .par_iter_mut()
        .filter(|brief| !brief.front.values.is_empty())
        .map(|brief| {
            if let Some(kept) = cache.and_then(|c| c.bound(brief, language)) {
                brief.bound = kept.bound;
                brief.front.summary = kept.summary;
                return kept.diags;
            }
            let found = bind_brief(brief, data, language);
            if let Some(cache) = cache {
                cache.keep_bound(brief, language, &found);
            }
            found
        })
        .collect();
    diags.extend(per_brief.into_iter().flatten());
}

/// One brief's values and their problems, placed in its text.
fn bind_brief(brief: &mut Brief, data: &BTreeMap<String, DataTable>, language: &str) -> Vec<Diag> {
    let mut diags = Vec::new();
    let mut bound = Vec::with_capacity(brief.front.values.len());
    let mut full_text: Option<Arc<str>> = None;
    // Problems at definitions (in the front-matter, in memory) and at spans (in the body,
    // read again), placed once the brief is done.
    let mut in_front: Vec<(usize, Diag)> = Vec::new();
    let mut pending: Vec<(usize, Diag)> = Vec::new();
    let mut uses_of: HashMap<&str, Vec<&ValueUse>> = HashMap::new();
    for u in &brief.value_uses {
        uses_of.entry(u.name.as_str()).or_default().push(u);
    }
    for spec in &brief.front.values {
        let Some(table) = data.get(&spec.data) else {
            continue; // reported when the data files were read
        };
        let at = |d: Diag| (spec.offset, d.in_file(brief.path.clone()));
        if let Some(d) = unknown_column(spec, table) {
            in_front.push(at(d));
            continue;
        }
        let got = value::compute(spec, table);
        if spec.aggregate == ValueAggregate::One && got.matched > 1 {
            in_front.push(at(many_rows(spec, table, got.matched)));
            continue;
        }
        let b = value::bind(spec, &got, &table.path, language);
        if let Some(note) = &b.note {
            if full_text.is_none() {
                let read = super::read_brief(brief);
                full_text = Some(read.map_or_else(|_| brief.source.clone(), |t| t.text));
            }
            for u in uses_of.get(spec.name.as_str()).into_iter().flatten() {
                pending.push(honesty(spec, got.number.is_none(), note, &brief.path, u));
            }
        }
        bound.push(b);
    }
    drop(uses_of);
    diags.extend(Cursor::place_all(&brief.source, in_front));
    if let Some(text) = &full_text {
        diags.extend(Cursor::place_all(text, pending));
    }
    // Sorted by name, for the pages to find each span's value.
    bound.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(summary) = &brief.front.summary
        && summary.contains(SPAN_PREFIX)
    {
        brief.front.summary = Some(bind_summary(summary, &bound));
    }
    brief.bound = bound;
    diags
}

fn honesty(spec: &ValueSpec, none: bool, note: &str, path: &str, u: &ValueUse) -> (usize, Diag) {
    let (code, help) = if none {
        (
            "value/no-data",
            "the page shows \"no data\" with the note; fix the filter or the data file, or write the sentence without the number",
        )
    } else {
        (
            "value/skipped-rows",
            "the page shows the value with a note naming the rows left out; put numbers in those cells, or narrow the filter",
        )
    };
    let d = Diag::warning(code, format!("{note} (value `{}`)", spec.name))
        .in_file(path)
        .with_help(help);
    (u.offset, d)
}

fn unknown_column(spec: &ValueSpec, table: &DataTable) -> Option<Diag> {
    let mut wanted: Vec<(&str, &str)> = spec.y.iter().map(|y| ("y", y.as_str())).collect();
    wanted.extend(spec.filter.iter().map(|(c, _)| ("filter", c.as_str())));
    let names: Vec<&str> = table.columns.iter().map(String::as_str).collect();
    let (key, column) = wanted
        .into_iter()
        .find(|(_, c)| table.column(c).is_none())?;
    let mut help = format!("columns are {}", names.join(", "));
    if let Some(near) = did_you_mean(column, &names) {
        help = format!("did you mean `{near}`? {help}");
    }
    Some(
        Diag::error(
            "value/unknown-column",
            format!(
                "unknown column \"{column}\" in value `{}` `{key}` ({})",
                spec.name, table.path
            ),
        )
        .with_help(help),
    )
}

fn many_rows(spec: &ValueSpec, table: &DataTable, n: usize) -> Diag {
    Diag::error(
        "value/many-rows",
        format!(
            "value `{}` has no `aggregate` but matches {n} rows of {}: which one is meant?",
            spec.name, table.path
        ),
    )
    .with_help("add `aggregate: sum` (or mean, min, max, first, last, count), or a `filter` that keeps one row")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_spans_are_found_and_replaced() {
        let s = "Over `{value} total` pledged, `code` and `{value} n`.";
        assert_eq!(summary_names(s), ["total", "n"]);
        let bound = vec![value::BoundValue {
            name: "total".into(),
            machine: Some("100".into()),
            text: "100 USD bn".into(),
            title: String::new(),
            note: None,
        }];
        assert_eq!(
            bind_summary(s, &bound),
            "Over 100 USD bn pledged, `code` and `{value} n`."
        );
        assert_eq!(bind_summary("a ` b", &bound), "a ` b");
    }
}
