//! Finds the ```chart blocks of a brief and validates them into [`ChartSpec`]s at load time,
//! so the model knows every chart (and the data files they need) before anything renders.
//!
//! Positions: each block's YAML keeps its offset in the `.md` file, so a bad key is reported
//! at its own line, and a bad block at its fence.

use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;

use super::data;
use crate::diag::{Diag, did_you_mean};
use crate::model::chart::{Aggregate, ChartData, ChartKind, ChartSpec, SortOrder};
use crate::model::markdown_options;
use crate::yaml;

const KEYS: [&str; 14] = [
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
                        Diag::error("chart block is never closed")
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
                    let number = blocks;
                    let mut block = Block {
                        text,
                        path,
                        fence,
                        yaml_at,
                        keys: yaml::key_offsets(&yaml),
                        errors: Vec::new(),
                    };
                    if let Some(spec) = block.spec(&yaml, number) {
                        charts.push(spec);
                    }
                    diags.extend(block.errors);
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

struct Block<'a> {
    text: &'a Arc<str>,
    path: &'a str,
    fence: usize,
    yaml_at: usize,
    keys: Vec<(String, usize)>,
    errors: Vec<Diag>,
}

impl Block<'_> {
    fn at_key(&self, key: &str) -> usize {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.fence, |&(_, o)| self.yaml_at + o)
    }

    fn error(&mut self, key: Option<&str>, message: String, help: impl Into<String>) {
        let at = key.map_or(self.fence, |k| self.at_key(k));
        self.errors.push(
            Diag::error(message)
                .in_file(self.path)
                .at_offset(self.text, at)
                .with_help(help),
        );
    }

    fn text_of(&mut self, map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
        match map.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            Value::String(_) => None,
            _ => {
                self.error(
                    Some(key),
                    format!("chart `{key}` must be text"),
                    format!("write `{key}: some text`"),
                );
                None
            }
        }
    }

    fn choice<T>(
        &mut self,
        map: &serde_json::Map<String, Value>,
        key: &str,
        names: &[&str],
        parse: fn(&str) -> Option<T>,
        default: T,
    ) -> T {
        let Some(name) = self.text_of(map, key) else {
            return default;
        };
        match parse(&name.to_lowercase()) {
            Some(v) => v,
            None => {
                let mut help = format!("`{key}` is one of {}", names.join(", "));
                if let Some(s) = did_you_mean(&name, names) {
                    help = format!("did you mean `{s}`? {help}");
                }
                self.error(Some(key), format!("unknown chart {key} \"{name}\""), help);
                default
            }
        }
    }

    fn spec(&mut self, yaml_text: &str, number: usize) -> Option<ChartSpec> {
        let value = match yaml::parse(yaml_text) {
            Ok(v) => v,
            Err(e) => {
                // An error at the very end (an unclosed bracket) points at the last line
                // of the block, not at the closing fence.
                let at = self.yaml_at + e.offset.unwrap_or(0).min(yaml_text.trim_end().len());
                self.errors.push(
                    Diag::error(format!("chart block is not valid YAML: {}", e.message))
                        .in_file(self.path)
                        .at_offset(self.text, at)
                        .with_help(e.help.unwrap_or("a chart block holds `key: value` lines such as `data: spend.csv` and `x: region`")),
                );
                return None;
            }
        };
        let Value::Object(map) = value else {
            self.error(
                None,
                "chart block must hold `key: value` lines".to_string(),
                "for example:\n    data: spend-2025.csv\n    type: bar\n    x: region\n    y: spend_usd_bn",
            );
            return None;
        };
        for key in map.keys() {
            if !KEYS.contains(&key.as_str()) {
                let help = match did_you_mean(key, &KEYS) {
                    Some(k) => format!("did you mean `{k}`? Chart keys are {}", KEYS.join(", ")),
                    None => format!("chart keys are {}", KEYS.join(", ")),
                };
                self.error(Some(key), format!("unknown chart key `{key}`"), help);
            }
        }
        let data = self.data(&map);
        let kind = self.choice(
            &map,
            "type",
            &ChartKind::NAMES,
            ChartKind::parse,
            ChartKind::Bar,
        );
        let aggregate = self.choice(
            &map,
            "aggregate",
            &Aggregate::NAMES,
            Aggregate::parse,
            Aggregate::Sum,
        );
        let sort = self.choice(
            &map,
            "sort",
            &SortOrder::NAMES,
            SortOrder::parse,
            SortOrder::Data,
        );
        let x = self.text_of(&map, "x");
        if x.is_none() {
            self.error(
                None,
                "chart block has no `x` (the column of labels)".to_string(),
                "add `x: region` (a column name)",
            );
        }
        let y = self.text_of(&map, "y");
        if y.is_none() && aggregate != Aggregate::Count {
            self.error(
                None,
                "chart block has no `y` (the column of values)".to_string(),
                "add `y: spend_usd_bn` (a column of numbers), or `aggregate: count` to count rows",
            );
        }
        let series = self.text_of(&map, "series");
        if kind == ChartKind::StackedBar && series.is_none() {
            self.error(
                Some("type"),
                "a stacked-bar chart needs `series` (the column that splits each bar)".to_string(),
                "add `series: sector`, or use `type: bar`",
            );
        }
        let limit = match map.get("limit") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n >= 1) => {
                n.as_u64().map(|n| n as usize)
            }
            Some(_) => {
                self.error(
                    Some("limit"),
                    "chart `limit` must be a whole number of at least 1".to_string(),
                    "write `limit: 5` to show the top 5 and group the rest as \"Other\"",
                );
                None
            }
        };
        let filter = self.filter(&map);
        let spec = ChartSpec {
            number,
            offset: self.fence,
            data: data?,
            kind,
            x: x?,
            y: y.unwrap_or_default(),
            series,
            aggregate,
            sort,
            limit,
            unit: self.text_of(&map, "unit"),
            title: self.text_of(&map, "title"),
            caption: self.text_of(&map, "caption"),
            source: self.text_of(&map, "source"),
            filter,
        };
        self.errors.is_empty().then_some(spec)
    }

    fn data(&mut self, map: &serde_json::Map<String, Value>) -> Option<ChartData> {
        match (map.get("data"), map.get("rows")) {
            (Some(_), Some(_)) => {
                self.error(Some("rows"), "chart block has both `data` and `rows`".to_string(), "use `data:` for a file in content/data/, or `rows:` for a small table in the block, not both");
                None
            }
            (None, None) => {
                self.error(
                    None,
                    "chart block has no `data` (a file in content/data/) or `rows`".to_string(),
                    "add `data: spend-2025.csv`",
                );
                None
            }
            (Some(_), None) => {
                let file = self.text_of(map, "data")?;
                match clean_data_path(&file) {
                    Ok(p) => Some(ChartData::File(p)),
                    Err(why) => {
                        self.error(Some("data"), format!("chart `data` {why}: {file:?}"), "name a file inside content/data/, e.g. `data: spend-2025.csv` or `data: 2025/spend.csv`");
                        None
                    }
                }
            }
            (None, Some(Value::Array(items))) => {
                let yaml_block = &self.text[self.yaml_at..];
                let rows_at = self.at_key("rows") - self.yaml_at;
                let first_line = crate::diag::Location::at(self.text, self.yaml_at + rows_at).line;
                let lines: Vec<usize> = data::list_item_lines(&dedent_rows(&yaml_block[rows_at..]))
                    .into_iter()
                    .map(|l| first_line + l - 1)
                    .collect();
                match data::inline_table(self.path, items.clone(), &lines) {
                    Ok(t) => Some(ChartData::Inline(t)),
                    Err(why) => {
                        self.error(
                            Some("rows"),
                            format!("chart `rows`: {why}"),
                            "write each row as `- {region: France, spend: 1.5}`",
                        );
                        None
                    }
                }
            }
            (None, Some(_)) => {
                self.error(
                    Some("rows"),
                    "chart `rows` must be a list of rows".to_string(),
                    "write each row as `- {region: France, spend: 1.5}`",
                );
                None
            }
        }
    }

    fn filter(&mut self, map: &serde_json::Map<String, Value>) -> Vec<(String, Vec<String>)> {
        let Some(value) = map.get("filter") else {
            return Vec::new();
        };
        let Value::Object(conditions) = value else {
            self.error(
                Some("filter"),
                "chart `filter` must map columns to the values to keep".to_string(),
                "write `filter: {year: 2025}` or `filter: {region: [France, Korea]}`",
            );
            return Vec::new();
        };
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let mut out = Vec::new();
        for (column, wanted) in conditions {
            let values: Option<Vec<String>> = match wanted {
                Value::Array(items) => items.iter().map(scalar).collect(),
                other => scalar(other).map(|v| vec![v]),
            };
            match values {
                Some(v) => out.push((column.clone(), v)),
                None => self.error(
                    Some("filter"),
                    format!("chart `filter` on \"{column}\" must list plain values"),
                    "write `filter: {year: 2025}` or `filter: {region: [France, Korea]}`",
                ),
            }
        }
        out
    }
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
        assert!(d[1].help.as_deref().unwrap().contains("did you mean `bar`"));
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
