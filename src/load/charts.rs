//! Finds the ```chart blocks of a brief and validates them into [`ChartSpec`]s at load time,
//! so the model knows every chart (and the data files they need) before anything renders.
//!
//! Positions: each block's YAML keeps its offset in the `.md` file, so a bad key is reported
//! at its own line, and a bad block at its fence.

use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;

use super::data;
use super::fields::{CHART, Mapping, NotAMapping, Source};
use crate::diag::Diag;
use crate::model::chart::{Aggregate, ChartData, ChartKind, ChartSpec, SortOrder};
use crate::model::markdown_options;

const KEYS: [&str; 21] = [
    "data",
    "rows",
    "type",
    "x",
    "y",
    "series",
    "aggregate",
    "sort",
    "limit",
    "unit",
    "title",
    "caption",
    "source",
    "filter",
    "classes",
    "breaks",
    "format",
    "decimals",
    "annotate",
    "facet",
    "scales",
];

/// Every chart block in `text[body_start..]`, in order, and the problems found in them.
pub fn find(text: &Arc<str>, body_start: usize, path: &str) -> (Vec<ChartSpec>, Vec<Diag>) {
    let body = &text[body_start..];
    let mut charts = Vec::new();
    let mut diags = Vec::new();
    if !may_hold_chart_block(body) {
        // Most briefs have no chart: skip parsing the whole body to find none.
        return (charts, diags);
    }
    let mut open: Option<(usize, usize, String)> = None; // (fence offset, yaml offset, yaml)
    // Charts are numbered by position among the brief's blocks, broken ones included, so the
    // numbers (and ids, and CSV file names) do not shift while an editor fixes one block.
    let mut blocks = 0;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("chart") =>
            {
                blocks += 1;
                let fence = body_start + range.start;
                let block = &body[range.clone()];
                let yaml_at = fence + block.find('\n').map_or(block.len(), |i| i + 1);
                if !is_closed(block) {
                    diags.push(
                        Diag::error("chart/unclosed", "chart block is never closed")
                            .in_file(path)
                            .at_offset(text, fence)
                            .with_help(
                                "end the block with a line of ``` (as many backticks as opened it)",
                            ),
                    );
                    continue;
                }
                open = Some((fence, yaml_at, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, _, yaml)) = &mut open {
                    yaml.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((fence, yaml_at, yaml)) = open.take() {
                    let src = Source {
                        text,
                        path,
                        yaml: &yaml,
                        yaml_start: yaml_at,
                        anchor: fence,
                        noun: "chart ",
                        codes: &CHART,
                    };
                    let (spec, problems) = block_spec(src, blocks);
                    charts.extend(spec);
                    diags.extend(problems);
                }
            }
            _ => {}
        }
    }
    (charts, diags)
}

/// Whether a fenced block's source ends with a closing fence (pulldown-cmark runs an
/// unclosed fence to the end of the document without saying so).
fn is_closed(block: &str) -> bool {
    let opening = block.trim_start();
    let fence_char = opening.chars().next().unwrap_or('`');
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    let lines: Vec<&str> = block.trim_end_matches('\n').lines().collect();
    lines.len() > 1
        && lines.last().is_some_and(|l| {
            let l = l.trim();
            l.chars().all(|c| c == fence_char) && l.chars().count() >= fence_len
        })
}

/// A chart block's spec, and the problems found in it.
fn block_spec(src: Source, number: usize) -> (Option<ChartSpec>, Vec<Diag>) {
    let (text, path, anchor) = (src.text, src.path, src.anchor);
    let end = src.yaml_start + src.yaml.len();
    let mut m = match Mapping::parse(src) {
        Ok(m) => m,
        Err(NotAMapping::Invalid { message, at, help }) => {
            let help = help.unwrap_or(
                "a chart block holds `key: value` lines such as `data: spend.csv` and `x: region`",
            );
            let d = Diag::error(
                "chart/yaml",
                format!("chart block is not valid YAML: {message}"),
            )
            .in_file(path)
            .at_offset(text, at)
            .with_help(help);
            return (None, vec![d]);
        }
        Err(NotAMapping::Empty | NotAMapping::Other(_)) => {
            let d = Diag::error("chart/not-a-mapping", "chart block must hold `key: value` lines")
                .in_file(path)
                .at_offset(text, anchor)
                .with_help("for example:\n    data: spend-2025.csv\n    type: bar\n    x: region\n    y: spend_usd_bn");
            return (None, vec![d]);
        }
    };
    let spec = spec(&mut m, number, anchor, end);
    m.unknown_keys(&KEYS, false);
    let spec = spec.filter(|_| !m.failed());
    (spec, m.problems)
}

/// The keys of one chart block, each checked; `None` when a required one is missing.
/// `end` is where the block's YAML ends in the brief, for pointing at nested keys.
fn spec(m: &mut Mapping, number: usize, fence: usize, end: usize) -> Option<ChartSpec> {
    let data = data(m);
    let kind = m
        .choice_of("type", &ChartKind::NAMES, ChartKind::parse)
        .unwrap_or(ChartKind::Bar);
    let aggregate = m
        .choice_of("aggregate", &Aggregate::NAMES, Aggregate::parse)
        .unwrap_or(Aggregate::Sum);
    let sort = m
        .choice_of("sort", &SortOrder::NAMES, SortOrder::parse)
        .unwrap_or(SortOrder::Data);
    let x = m.trimmed("x");
    if x.is_none() {
        m.error(
            "chart/missing-key",
            None,
            "chart block has no `x` (the column of labels)".to_string(),
            "add `x: region` (a column name)",
        );
    }
    let y = m.trimmed("y");
    if y.is_none() && aggregate != Aggregate::Count {
        m.error(
            "chart/missing-key",
            None,
            "chart block has no `y` (the column of values)".to_string(),
            "add `y: spend_usd_bn` (a column of numbers), or `aggregate: count` to count rows",
        );
    }
    let series = m.trimmed("series");
    if kind == ChartKind::StackedBar && series.is_none() {
        m.error(
            "chart/missing-key",
            Some("type"),
            "a stacked-bar chart needs `series` (the column that splits each bar)".to_string(),
            "add `series: sector`, or use `type: bar`",
        );
    }
    if kind == ChartKind::GroupedBar && series.is_none() {
        m.error(
            "chart/missing-key",
            Some("type"),
            "a grouped-bar chart needs `series` (the column whose values stand side by side)"
                .to_string(),
            "add `series: sector`, or use `type: bar`",
        );
    }
    let limit = m
        .count_of(
            "limit",
            1..=100_000,
            "write `limit: 5` to show the top 5 and group the rest as \"Other\"",
        )
        .map(|n| n as usize);
    let filter = filter(m);
    let facet = super::chart_facet::facet(m, kind, x.as_deref(), series.as_deref());
    let classes = super::chart_map::map_classes(m, kind);
    if facet.is_some() && m.has("annotate") {
        // One plan per small chart could stretch one value axis and not the others.
        m.error(
            "chart/conflicting-keys",
            Some("annotate"),
            "small multiples (`facet`) take no `annotate` yet".to_string(),
            "remove `annotate`, or draw one chart without `facet` to annotate it",
        );
        m.take("annotate");
    }
    let annotate = super::annotate::annotate(m, kind);
    if kind == ChartKind::Map {
        super::chart_map::map_only_one_value(m, series.is_some(), limit.is_some(), aggregate);
    }
    let format = super::format::read(m, end);
    Some(ChartSpec {
        number,
        offset: fence,
        data: data?,
        kind,
        x: x?,
        y: y.unwrap_or_default(),
        series,
        aggregate,
        sort,
        limit,
        unit: m.trimmed("unit"),
        title: m.trimmed("title"),
        caption: m.trimmed("caption"),
        source: m.trimmed("source"),
        filter,
        classes,
        format,
        annotate,
        facet,
    })
}

/// `data:` (a file in content/data/) or `rows:` (a table in the block), exactly one.
fn data(m: &mut Mapping) -> Option<ChartData> {
    match (m.has("data"), m.has("rows")) {
        (true, true) => {
            m.error("chart/conflicting-keys", Some("rows"), "chart block has both `data` and `rows`".to_string(), "use `data:` for a file in content/data/, or `rows:` for a small table in the block, not both");
            m.take("rows");
            m.take("data");
            None
        }
        (false, false) => {
            m.error(
                "chart/missing-key",
                None,
                "chart block has no `data` (a file in content/data/) or `rows`".to_string(),
                "add `data: spend-2025.csv`",
            );
            None
        }
        (true, false) => {
            let file = m.trimmed("data")?;
            match clean_data_path(&file) {
                Ok(p) => Some(ChartData::File(p)),
                Err(why) => {
                    m.error("chart/bad-value", Some("data"), format!("chart `data` {why}: {file:?}"), "name a file inside content/data/, e.g. `data: spend-2025.csv` or `data: 2025/spend.csv`");
                    None
                }
            }
        }
        (false, true) => inline_rows(m),
    }
}

/// `rows:`, a list of mappings, as a table whose rows know their lines in the brief.
fn inline_rows(m: &mut Mapping) -> Option<ChartData> {
    const HELP: &str = "write each row as `- {region: France, spend: 1.5}`";
    let rows_at = m.key_at("rows");
    let Some(Value::Array(items)) = m.take("rows") else {
        m.error(
            "chart/wrong-type",
            Some("rows"),
            "chart `rows` must be a list of rows".to_string(),
            HELP,
        );
        return None;
    };
    let text = m.text();
    let first_line = crate::diag::Location::at(text, rows_at).line;
    let lines: Vec<usize> = data::list_item_lines(&dedent_rows(&text[rows_at..]))
        .into_iter()
        .map(|l| first_line + l - 1)
        .collect();
    match data::inline_table(m.path(), items, &lines) {
        Ok(t) => Some(ChartData::Inline(t)),
        Err(why) => {
            m.error(
                "chart/rows",
                Some("rows"),
                format!("chart `rows`: {why}"),
                HELP,
            );
            None
        }
    }
}

/// `filter:`, a mapping of columns to the value (or values) to keep.
fn filter(m: &mut Mapping) -> Vec<(String, Vec<String>)> {
    const HELP: &str = "write `filter: {year: 2025}` or `filter: {region: [France, Korea]}`";
    let Some(value) = m.take("filter") else {
        return Vec::new();
    };
    let Value::Object(conditions) = value else {
        m.error(
            "chart/wrong-type",
            Some("filter"),
            "chart `filter` must map columns to the values to keep".to_string(),
            HELP,
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (column, values) in filter_values(conditions) {
        match values {
            Some(v) => out.push((column, v)),
            None => m.error(
                "chart/wrong-type",
                Some("filter"),
                format!("chart `filter` on \"{column}\" must list plain values"),
                HELP,
            ),
        }
    }
    out
}

/// A `filter:` mapping's columns, each with the values to keep as written (a single value is
/// a list of one), or `None` when a value is not plain (a list or a map): shared by charts
/// and value definitions, which report the problem each in their own words.
pub(super) fn filter_values(
    conditions: serde_json::Map<String, Value>,
) -> Vec<(String, Option<Vec<String>>)> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    conditions
        .into_iter()
        .map(|(column, wanted)| {
            let values = match &wanted {
                Value::Array(items) => items.iter().map(scalar).collect(),
                other => scalar(other).map(|v| vec![v]),
            };
            (column, values)
        })
        .collect()
}

/// The lines of the `rows:` list, shifted left so its items start at column one.
fn dedent_rows(from_rows_key: &str) -> String {
    let mut out = String::new();
    for (i, line) in from_rows_key.lines().enumerate() {
        if i == 0 {
            out.push('\n');
            continue;
        }
        let trimmed = line.trim_start();
        if !line.starts_with([' ', '-']) && !line.trim().is_empty() {
            break;
        }
        if trimmed.starts_with('-') && line.len() - trimmed.len() <= 2 {
            out.push_str(trimmed);
        }
        out.push('\n');
    }
    out
}

/// A data path relative to `content/data/`, with `/` separators, that cannot leave it.
pub fn clean_data_path(path: &str) -> Result<String, &'static str> {
    let path = path.trim();
    if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
        return Err("must be relative to content/data/");
    }
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return Err("is empty");
    }
    if parts.contains(&"..") {
        return Err("may not leave content/data/");
    }
    Ok(parts.join("/"))
}

/// False only when `body` cannot hold a chart block: no fence (three or more backticks or
/// tildes) is followed, after spaces or tabs, by `chart`. A chart block's opening fence always
/// is, wherever the block sits (in a list, a quote), so the answer never misses one.
fn may_hold_chart_block(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr2(b'`', b'~', &bytes[from..]) {
        let i = from + at;
        let c = bytes[i];
        let mut j = i;
        while j < bytes.len() && bytes[j] == c {
            j += 1;
        }
        if j - i >= 3 {
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if bytes[j..].starts_with(b"chart") {
                return true;
            }
        }
        from = j;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_check_sees_every_kind_of_chart_fence() {
        for body in [
            "```chart\ndata: a.csv\n```\n",
            "Text\n\n~~~~ chart\n```\n~~~~\n",
            "- item\n\n  ```\tchart x\n  ```\n",
            "> ````chart\n> ````\n",
        ] {
            assert!(may_hold_chart_block(body), "{body}");
        }
        for body in [
            "No fence. The chart below",
            "```rust\nchart\n```",
            "``chart``",
            "``",
        ] {
            assert!(!may_hold_chart_block(body), "{body}");
        }
    }

    fn charts(body: &str) -> (Vec<ChartSpec>, Vec<Diag>) {
        let text: Arc<str> = Arc::from(format!("---\ntitle: t\n---\n{body}"));
        find(&text, 16, "b.md")
    }

    #[test]
    fn reads_a_block_with_its_position() {
        let (c, d) = charts(
            "Intro\n\n```chart\ndata: spend-2025.csv\ntype: hbar\nx: region\ny: spend_usd_bn\nlimit: 5\n```\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c[0].data, ChartData::File("spend-2025.csv".into()));
        assert_eq!(c[0].kind, ChartKind::HBar);
        assert_eq!(c[0].limit, Some(5));
        assert_eq!(
            crate::diag::Location::at("---\ntitle: t\n---\nIntro\n\n```chart", c[0].offset).line,
            6
        );
    }

    #[test]
    fn bad_blocks_point_at_their_line_with_suggestions() {
        let (_, d) = charts("```chart\ndata: ../../etc/passwd\nx: region\ny: v\ntype: bars\n```\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].at.unwrap().line, 5);
        assert!(d[0].message.contains("may not leave"));
        assert_eq!(d[1].at.unwrap().line, 8);
        assert!(
            d[1].message.contains("chart `type` must be `bar`"),
            "{}",
            d[1].message
        );
        assert!(
            d[1].help
                .as_deref()
                .unwrap()
                .contains("did you mean `type: bar`")
        );
        let (_, d) = charts("```chart\ndata: a.csv\nx: region\n");
        assert!(d[0].message.contains("never closed"));
        let (_, d) = charts("```chart\ndata: [a.csv\n```\n");
        assert!(d[0].message.contains("not valid YAML"));
    }

    #[test]
    fn inline_rows_keep_their_brief_lines() {
        let (c, d) = charts(
            "```chart\nx: region\ny: spend\nrows:\n  - {region: France, spend: 1.5}\n  - {region: Korea, spend: n/a}\n```\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let ChartData::Inline(t) = &c[0].data else {
            panic!()
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 9);
    }
}
