//! The chart's values cleaned into series: finite numbers only, one row per series, names
//! made safe; sums of stacks and the value range bars must cover; the value labels.

use super::scene::Mark;
use super::text::{Label, clean};
use crate::model::chart::{ChartValues, Number};
use crate::model::format::Numbers;

/// The chart's values, cleaned: finite numbers only, one row per series, text made safe.
pub(crate) struct Data {
    pub(crate) categories: Vec<String>,
    pub(crate) series: Vec<String>,
    /// `values[s][c]`.
    pub(crate) values: Vec<Vec<Option<f64>>>,
    pub(crate) decimals: u8,
    /// The unit values are in (`USD bn`), cleaned; empty when the chart names none.
    pub(crate) unit: String,
    /// How values are written for readers (labels, titles); `data-value` stays plain.
    pub(crate) numbers: Numbers,
    /// A value range every chart of a set is drawn on (small multiples), else None.
    pub(crate) domain: Option<(f64, f64)>,
    /// The room horizontal bars keep (longest label, left and right of the bars) that every
    /// chart of a set keeps, else None; and the room this chart asked for, once laid out.
    pub(crate) room: Option<(f64, f64, f64)>,
    pub(crate) asked_room: std::cell::Cell<Option<(f64, f64, f64)>>,
}

impl Data {
    pub(crate) fn new(v: &ChartValues) -> Result<Data, String> {
        if v.categories.is_empty() {
            return Err("the chart has no categories to show".to_string());
        }
        let n = v.categories.len();
        let ns = v.series.len().max(v.values.len()).max(1);
        let series = (0..ns)
            .map(|s| {
                let name = v.series.get(s).map(|t| clean(t)).unwrap_or_default();
                if name.is_empty() && ns > 1 {
                    format!("Series {}", s + 1)
                } else {
                    name
                }
            })
            .collect();
        let values = (0..ns)
            .map(|s| {
                (0..n)
                    .map(|c| {
                        v.values
                            .get(s)
                            .and_then(|row| row.get(c))
                            .copied()
                            .flatten()
                            .filter(|x| x.is_finite())
                    })
                    .collect()
            })
            .collect();
        Ok(Data {
            categories: v.categories.iter().map(|c| clean(c)).collect(),
            series,
            values,
            decimals: v.decimals,
            unit: String::new(),
            numbers: Numbers::default(),
            domain: None,
            room: None,
            asked_room: std::cell::Cell::new(None),
        })
    }

    pub(crate) fn n(&self) -> usize {
        self.categories.len()
    }

    pub(crate) fn ns(&self) -> usize {
        self.series.len()
    }

    /// A value as readers see it: `1,234.5`, `1.2k`, `25%`.
    pub(crate) fn format(&self, v: f64) -> String {
        self.numbers.value(v, self.decimals)
    }

    /// What the mark of series `s` at category `c` says: "France, Compute: 2.5 USD bn" as its
    /// title, and the label, series (when there are several) and value as `data-*`.
    pub(crate) fn mark(&self, c: usize, s: usize, v: f64) -> Mark {
        let label = self.categories.get(c).cloned().unwrap_or_default();
        let value = Number::format(v, self.decimals);
        let mut attrs = vec![("data-label", label.clone())];
        let mut named = label;
        if self.ns() > 1 {
            let series = self.series.get(s).cloned().unwrap_or_default();
            named = format!("{named}, {series}");
            attrs.push(("data-series", series));
        }
        let shown = self.numbers.with_unit(v, self.decimals, &self.unit);
        attrs.push(("data-value", value));
        Mark {
            title: format!("{named}: {shown}"),
            attrs,
        }
    }

    /// One value label per bar, or per stack when `per_stack`: (category, series, the value
    /// the label is anchored at, the label). A missing value reads "n/a".
    pub(crate) fn value_labels(&self, per_stack: bool) -> Vec<(usize, usize, f64, Label)> {
        let mut out = Vec::new();
        for c in 0..self.categories.len() {
            if per_stack {
                let (pos, neg, any) = self.stack(c);
                let (anchor, text) = if !any {
                    (0.0, "n/a".to_string())
                } else {
                    (
                        if pos > 0.0 || neg == 0.0 { pos } else { neg },
                        self.format(pos + neg),
                    )
                };
                out.push((c, 0, anchor, Label::new(&text)));
            } else {
                for (s, series) in self.values.iter().enumerate() {
                    let (anchor, text) = match series[c] {
                        Some(v) => (v, self.format(v)),
                        None => (0.0, "n/a".to_string()),
                    };
                    out.push((c, s, anchor, Label::new(&text)));
                }
            }
        }
        out
    }

    /// Sums of the positive and of the negative values of category `c`, and whether it has any.
    pub(crate) fn stack(&self, c: usize) -> (f64, f64, bool) {
        let (mut pos, mut neg, mut any) = (0.0, 0.0, false);
        for row in &self.values {
            if let Some(v) = row[c] {
                any = true;
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
            }
        }
        (pos, neg, any)
    }

    /// The range bars must cover: always including zero, never empty, and the shared
    /// [`Data::domain`] when there is one.
    pub(crate) fn bar_domain(&self, stacked: bool) -> (f64, f64) {
        self.shared(self.own_bar_domain(stacked))
    }

    /// `own` widened to the shared domain, if any.
    pub(crate) fn shared(&self, own: (f64, f64)) -> (f64, f64) {
        match self.domain {
            Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo < hi => {
                (own.0.min(lo), own.1.max(hi))
            }
            _ => own,
        }
    }

    /// Horizontal bars' `own` room (longest label, left and right of the bars), widened to
    /// the shared room, if any; remembers `own` for [`super::SharedScale::of`].
    pub(crate) fn shared_room(&self, own: (f64, f64, f64)) -> (f64, f64, f64) {
        self.asked_room.set(Some(own));
        match self.room {
            Some(r) => (own.0.max(r.0), own.1.max(r.1), own.2.max(r.2)),
            None => own,
        }
    }

    fn own_bar_domain(&self, stacked: bool) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for c in 0..self.n() {
            if stacked {
                let (pos, neg, _) = self.stack(c);
                hi = hi.max(pos);
                lo = lo.min(neg);
            } else {
                for row in &self.values {
                    if let Some(v) = row[c] {
                        hi = hi.max(v);
                        lo = lo.min(v);
                    }
                }
            }
        }
        if !(hi - lo).is_finite() {
            return (0.0, 1.0);
        }
        if hi == lo {
            hi = lo + 1.0;
        }
        (lo, hi)
    }
}

pub(crate) fn axis_caption(y_label: &str, unit: Option<&str>) -> String {
    let y = clean(y_label);
    let unit = unit.map(clean).unwrap_or_default();
    match (y.is_empty(), unit.is_empty()) {
        (_, true) => y,
        (true, false) => unit,
        (false, false) if y == unit => y,
        (false, false) => format!("{y} ({unit})"),
    }
}
