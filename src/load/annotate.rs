//! `annotate:` in a chart block: reference lines, markers, bands and pinned notes, checked for
//! shape at load time. Each problem points at its item's line. Whether an `x` names one of
//! the chart's categories is only known once the data is read: the render stage warns then.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::fields::{Mapping, kind};
use crate::diag::{Diag, did_you_mean};
use crate::model::annotation::{Annotation, AnnotationAt};
use crate::model::chart::ChartKind;

/// The keys of one item.
const KEYS: [&str; 4] = ["x", "y", "label", "series"];
const HELP: &str = "write each item as `- {y: 50, label: Target}`, `- {x: 2022, label: Launch}`, \
                    `- {x: [2020, 2021], label: Pandemic}` or `- {x: France, label: Estimate}`";

/// The largest `y` taken: past it, an axis' ticks would be meaningless (and their span
/// overflows). Data values are not that large in a briefing.
const MAX_VALUE: f64 = 1e15;

/// A problem with one item: its code, message and help.
type Problem = (&'static str, String, String);

/// The chart's `annotate:` list, each item checked; the bad ones are left out, with an error.
pub(super) fn annotate(m: &mut Mapping, chart: ChartKind) -> Vec<Annotation> {
    let key_at = m.key_at("annotate");
    let Some(value) = m.take("annotate") else {
        return Vec::new();
    };
    if chart == ChartKind::Map {
        m.error(
            "chart/bad-value",
            Some("annotate"),
            "maps take no annotate: reference lines, markers and notes are for bar and line charts"
                .to_string(),
            "remove `annotate`, or say it in the caption or the text",
        );
        return Vec::new();
    }
    let items = match value {
        Value::Array(items) => items,
        other => {
            let message = format!(
                "chart `annotate` must be a list of annotations, not {}",
                kind(&other)
            );
            m.error("chart/wrong-type", Some("annotate"), message, HELP);
            return Vec::new();
        }
    };
    if items.len() > Annotation::MAX {
        let message = format!(
            "chart `annotate` has {} items; a chart takes at most {}",
            items.len(),
            Annotation::MAX
        );
        let help = "keep the annotations that tell the story, and say the rest in the text";
        m.error("chart/bad-annotation", Some("annotate"), message, help);
        return Vec::new();
    }
    let offsets = item_offsets(m.text(), key_at, items.len());
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let offset = offsets.get(i).copied().unwrap_or(key_at);
        match one(item, i + 1) {
            Ok((at, label, series)) => out.push(Annotation {
                at,
                label,
                series,
                offset,
            }),
            Err(problems) => {
                for (code, message, help) in problems {
                    let d = m
                        .diag_at(Diag::error(code, message), offset)
                        .with_help(help);
                    m.problems.push(d);
                }
            }
        }
    }
    out
}

/// One item: where it sits, its label and series; or every problem found in it.
fn one(item: Value, n: usize) -> Result<(AnnotationAt, String, Option<String>), Vec<Problem>> {
    let bad = |message: String| ("chart/bad-annotation", message, HELP.to_string());
    let Value::Object(mut map) = item else {
        let message = format!(
            "annotation {n} must be a mapping such as `{{y: 50, label: Target}}`, not {}",
            kind(&item)
        );
        return Err(vec![bad(message)]);
    };
    let mut problems = unknown_keys(&map, n);
    let label = map.remove("label");
    let text = label.as_ref().and_then(scalar).filter(|s| !s.is_empty());
    if text.is_none() {
        let message = match label {
            Some(v @ (Value::Array(_) | Value::Object(_))) => {
                format!("annotation {n}: `label` must be text, not {}", kind(&v))
            }
            _ => {
                format!("annotation {n} needs a `label`: the text to show, such as `label: Target`")
            }
        };
        problems.push(bad(message));
    }
    let label = text;
    let at = match (map.remove("x"), map.remove("y")) {
        (Some(x), None) => x_at(&x, n),
        (None, Some(y)) => y_at(&y, n),
        (Some(_), Some(_)) => Err(format!(
            "annotation {n} has both `x` and `y`: an annotation sits on one axis"
        )),
        (None, None) => Err(format!(
            "annotation {n} needs `x` (a category or a band of them) or `y` (a value or a band)"
        )),
    };
    let series = match map.remove("series") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let s = scalar(&v).filter(|s| !s.is_empty());
            if s.is_none() || !matches!(at, Ok(AnnotationAt::X(_))) {
                problems.push(bad(format!(
                    "annotation {n}: `series` names the line a note is pinned to, with one `x`"
                )));
            }
            s
        }
    };
    match (at, label) {
        (Ok(at), Some(label)) if problems.is_empty() => Ok((at, label, series)),
        (at, _) => {
            problems.extend(at.err().map(bad));
            Err(problems)
        }
    }
}

fn unknown_keys(map: &Map<String, Value>, n: usize) -> Vec<Problem> {
    map.keys()
        .filter(|k| !KEYS.contains(&k.as_str()))
        .map(|k| {
            // Swapped letters (`lable`) are two edits, past did_you_mean's reach for short keys.
            let sorted = |w: &str| {
                let mut c: Vec<char> = w.to_lowercase().chars().collect();
                c.sort_unstable();
                c
            };
            let swapped = KEYS.into_iter().find(|known| sorted(known) == sorted(k));
            let help = match did_you_mean(k, &KEYS).or(swapped) {
                Some(near) => format!("did you mean `{near}`? Known keys: {}", KEYS.join(", ")),
                None => format!("known keys: {}", KEYS.join(", ")),
            };
            let message = format!("unknown key `{k}` in annotation {n}");
            ("chart/unknown-key", message, help)
        })
        .collect()
}

/// A value as the message shows it: numbers and text as written, else their kind.
fn written(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        other => kind(other).to_string(),
    }
}

/// Text as written: numbers and true/false as the editor typed them, trimmed.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A band's two ends, or the message saying why the value is not one.
fn pair(items: &[Value], n: usize, axis: &str) -> Result<(Value, Value), String> {
    match items {
        [a, b] => Ok((a.clone(), b.clone())),
        _ => Err(format!(
            "annotation {n}: a band is two values, first and last, such as `{axis}: [10, 20]`, not {} values",
            items.len()
        )),
    }
}

fn x_at(x: &Value, n: usize) -> Result<AnnotationAt, String> {
    let plain = |v: &Value| {
        scalar(v).filter(|s| !s.is_empty()).ok_or_else(|| {
            format!(
                "annotation {n}: `x` must name a category as the data writes it, not {}",
                kind(v)
            )
        })
    };
    match x {
        Value::Array(items) => {
            let (a, b) = pair(items, n, "x")?;
            if let (Some(lo), Some(hi)) = (a.as_f64(), b.as_f64())
                && lo >= hi
            {
                return Err(format!(
                    "annotation {n}: the band `x: [{a}, {b}]` must go from the smaller value to the larger"
                ));
            }
            Ok(AnnotationAt::XBand(plain(&a)?, plain(&b)?))
        }
        other => Ok(AnnotationAt::X(plain(other)?)),
    }
}

fn y_at(y: &Value, n: usize) -> Result<AnnotationAt, String> {
    let number = |v: &Value| {
        v.as_f64().filter(|f| f.abs() <= MAX_VALUE).ok_or_else(|| {
            format!(
                "annotation {n}: `y` must be a number on the value axis (at most 1e15 either way), such as `y: 50`, not {}",
                written(v)
            )
        })
    };
    match y {
        Value::Array(items) => {
            let (a, b) = pair(items, n, "y")?;
            let (lo, hi) = (number(&a)?, number(&b)?);
            if lo >= hi {
                return Err(format!(
                    "annotation {n}: the band `y: [{a}, {b}]` must go from the smaller value to the larger"
                ));
            }
            Ok(AnnotationAt::YBand(lo, hi))
        }
        other => Ok(AnnotationAt::Y(number(other)?)),
    }
}

/// Byte offset of each item's line: the `- ` lines of a block list under the key, or the
/// key's own line for a list written on it (`annotate: [{…}, {…}]`).
fn item_offsets(text: &Arc<str>, key_at: usize, n: usize) -> Vec<usize> {
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
    let key_end = line_end(key_at);
    let key_line = &text[key_at..key_end];
    let flow = key_line
        .split_once(':')
        .is_some_and(|(_, v)| v.trim_start().starts_with('['));
    if flow {
        return vec![key_at; n];
    }
    let indent = |line: &str| line.len() - line.trim_start().len();
    let key_indent = indent(key_line);
    let mut out = Vec::with_capacity(n);
    let mut item_indent = None;
    let mut pos = key_end;
    while out.len() < n && pos < text.len() {
        let end = line_end(pos);
        let line = &text[pos..end];
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            let ind = indent(line);
            if ind < key_indent || (ind == key_indent && !t.starts_with('-')) {
                break;
            }
            if t.starts_with('-') && item_indent.is_none_or(|i| i == ind) {
                item_indent = Some(ind);
                out.push(pos + ind);
            }
        }
        pos = end;
    }
    out
}
