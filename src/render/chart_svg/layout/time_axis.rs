//! The x axis of a line chart over time: periods placed in proportion to time, with tick
//! labels on calendar steps (years by 1, 2, 5, 10, 20, 50, …; quarters; months by 1, 3, 6;
//! days, weeks or month starts), the finest step whose labels fit without touching.

use chrono::{Datelike, NaiveDate};

use super::{CATEGORY_GAP, PAD};
use crate::model::time::{TimeAxis, TimeKind, position_of, start_date};
use crate::render::chart_svg::WIDTH;
use crate::render::chart_svg::text::Label;

/// More ticks than this are never tried (fewer than 20 labels fit across the viewBox).
const MAX_TICKS: i64 = 60;
/// A tick step may narrow the spread of points to this share of the plot, no less, to keep
/// its end labels inside the viewBox; a coarser step is tried otherwise.
const LEAST_SPREAD: f64 = 0.6;
/// Bisection rounds when narrowing the spread for the end labels.
const ROUNDS: usize = 40;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The calendar units ticks step by.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// Where periods go along x: `x = a + b × (p − min)`, for `p` from `min` to `max`.
pub(crate) struct TimeMap {
    pub(crate) kind: TimeKind,
    min: f64,
    max: f64,
    a: f64,
    b: f64,
}

impl TimeMap {
    pub(crate) fn x(&self, p: f64) -> f64 {
        self.a + self.b * (p - self.min)
    }

    /// Whether `p` lies within the axis, first period to last.
    pub(crate) fn covers(&self, p: f64) -> bool {
        const EPS: f64 = 1e-9;
        p >= self.min - EPS && p <= self.max + EPS
    }
}

/// The period `n` of `kind` as a tick reads it: `2015`, `2025 Q3`, `Nov 2025`, `20 Nov 2025`.
pub(crate) fn natural(kind: TimeKind, n: i64) -> String {
    let Some(d) = start_date(kind, n) else {
        return String::new();
    };
    let month = MONTHS[d.month0() as usize];
    match kind {
        TimeKind::Year => format!("{}", d.year()),
        TimeKind::Quarter => format!("{} Q{}", d.year(), d.month0() / 3 + 1),
        TimeKind::Month => format!("{month} {}", d.year()),
        TimeKind::Day => format!("{} {month} {}", d.day(), d.year()),
    }
}

/// The steps to try, finest first.
fn candidates(kind: TimeKind) -> Vec<(Unit, i64)> {
    let mut steps = match kind {
        TimeKind::Year => vec![],
        TimeKind::Quarter => vec![(Unit::Quarter, 1), (Unit::Quarter, 2)],
        TimeKind::Month => vec![(Unit::Month, 1), (Unit::Month, 3), (Unit::Month, 6)],
        TimeKind::Day => vec![
            (Unit::Day, 1),
            (Unit::Day, 2),
            (Unit::Week, 7),
            (Unit::Week, 14),
            (Unit::Month, 1),
            (Unit::Month, 3),
            (Unit::Month, 6),
        ],
    };
    for e in 0..5 {
        for m in [1, 2, 5] {
            steps.push((Unit::Year, m * 10i64.pow(e)));
        }
    }
    steps
}

/// The ticks of one step between periods `min` and `max` of `kind`: (period, label), or
/// `None` when there would be too many.
fn ticks(kind: TimeKind, min: i64, max: i64, unit: Unit, every: i64) -> Option<Vec<(f64, String)>> {
    let (d0, d1) = (start_date(kind, min)?, start_date(kind, max)?);
    let month_of = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let (from, to) = match unit {
        Unit::Year => (i64::from(d0.year()), i64::from(d1.year())),
        Unit::Month => (month_of(d0), month_of(d1)),
        Unit::Quarter | Unit::Day | Unit::Week => (min, max),
    };
    if (to - from) / every > MAX_TICKS {
        return None;
    }
    let mut out = Vec::new();
    for n in from..=to {
        // Day 1 of the common era was a Monday: weeks start on Mondays.
        let on_step = match unit {
            Unit::Week => (n - 1).rem_euclid(every) == 0,
            _ => n.rem_euclid(every) == 0,
        };
        if !on_step {
            continue;
        }
        let tick = match unit {
            Unit::Week | Unit::Day | Unit::Quarter => (n as f64, natural(kind, n)),
            Unit::Month => (
                position_of(start_date(TimeKind::Month, n)?, kind)?,
                natural(TimeKind::Month, n),
            ),
            Unit::Year => (
                position_of(start_date(TimeKind::Year, n)?, kind)?,
                natural(TimeKind::Year, n),
            ),
        };
        if tick.0 >= min as f64 && tick.0 <= max as f64 {
            out.push(tick);
        }
    }
    Some(out)
}

/// The widest spread `b` (x per period) that keeps every point between `left` and `right`
/// and the first and last tick labels inside the viewBox; with the `a` it needs.
fn spread(span: f64, left: f64, right: f64, ticks: &[(f64, Label)], min: f64) -> (f64, f64) {
    let ends = ticks.first().zip(ticks.last());
    let a_for = |b: f64| match ends {
        Some(((p0, l0), _)) => left.max(PAD + l0.width / 2.0 - b * (p0 - min)),
        None => left,
    };
    let fits = |b: f64| {
        let a = a_for(b);
        a + b * span <= right + 1e-9
            && ends.is_none_or(|(_, (pn, ln))| a + b * (pn - min) + ln.width / 2.0 <= WIDTH - PAD)
    };
    let (mut lo, mut hi) = (0.0, (right - left) / span);
    if fits(hi) {
        return (a_for(hi), hi);
    }
    for _ in 0..ROUNDS {
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (a_for(lo), lo)
}

/// Places the periods of `axis` between `left` and `right` (the first and last point) and
/// picks its ticks: the labels under the plot, centred at their x.
pub(crate) fn place(axis: &TimeAxis, left: f64, right: f64) -> (TimeMap, Vec<(f64, Label)>) {
    let kind = axis.kind;
    let first = axis.order.first().map_or(0, |&c| axis.at[c]);
    let last = axis.order.last().map_or(0, |&c| axis.at[c]);
    let (min, max) = (first as f64, last as f64);
    if first == last {
        let map = TimeMap {
            kind,
            min,
            max,
            a: (left + right) / 2.0,
            b: 0.0,
        };
        let label = Label::new(&natural(kind, first));
        return (map, vec![((left + right) / 2.0, label)]);
    }
    let span = max - min;
    let full = (right - left) / span;
    for (unit, every) in candidates(kind) {
        let Some(raw) = ticks(kind, first, last, unit, every) else {
            continue;
        };
        if raw.is_empty() {
            continue;
        }
        let labelled: Vec<(f64, Label)> =
            raw.into_iter().map(|(p, t)| (p, Label::new(&t))).collect();
        let (a, b) = spread(span, left, right, &labelled, min);
        let apart = labelled
            .windows(2)
            .all(|w| b * (w[1].0 - w[0].0) >= (w[0].1.width + w[1].1.width) / 2.0 + CATEGORY_GAP);
        if b >= LEAST_SPREAD * full && apart {
            let map = TimeMap {
                kind,
                min,
                max,
                a,
                b,
            };
            let ticks = labelled.into_iter().map(|(p, l)| (map.x(p), l)).collect();
            return (map, ticks);
        }
    }
    // No step fits (labels far too wide for the room): the first period alone.
    let only = vec![(min, Label::new(&natural(kind, first)))];
    let (a, b) = spread(span, left, right, &only, min);
    let map = TimeMap {
        kind,
        min,
        max,
        a,
        b,
    };
    let ticks = only.into_iter().map(|(p, l)| (map.x(p), l)).collect();
    (map, ticks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::Axis;

    fn axis(values: &[&str]) -> TimeAxis {
        match Axis::of(&values.iter().map(|s| s.to_string()).collect::<Vec<_>>()) {
            Axis::Time(t) => t,
            _ => panic!("{values:?} is not a time axis"),
        }
    }

    fn tick_texts(values: &[&str]) -> Vec<String> {
        let (_, ticks) = place(&axis(values), 50.0, 470.0);
        ticks.into_iter().map(|(_, l)| l.text).collect()
    }

    #[test]
    fn ticks_fall_on_calendar_steps_and_read_naturally() {
        assert_eq!(
            tick_texts(&["2015", "2016", "2020"]),
            ["2015", "2016", "2017", "2018", "2019", "2020"]
        );
        let long = tick_texts(&["1900", "2020"]);
        assert_eq!(long.first().map(String::as_str), Some("1900"));
        assert!(
            long.iter().all(|y| y.parse::<i64>().unwrap() % 20 == 0),
            "{long:?}"
        );
        assert_eq!(
            tick_texts(&["2025-Q1", "2025-Q3"]),
            ["2025 Q1", "2025 Q2", "2025 Q3"]
        );
        let months = tick_texts(&["2024-01", "2025-12"]);
        assert!(
            months.contains(&"Jan 2025".to_string()) || months.contains(&"2025".to_string()),
            "{months:?}"
        );
        let days = tick_texts(&["2025-11-20", "2025-11-22"]);
        assert_eq!(days, ["20 Nov 2025", "21 Nov 2025", "22 Nov 2025"]);
        // Three years of dates: month starts or years, never hundreds of days.
        let dates = tick_texts(&["2023-01-15", "2025-12-20"]);
        assert!(dates.len() >= 2 && dates.len() < 15, "{dates:?}");
    }

    #[test]
    fn labels_never_touch_and_stay_inside() {
        for values in [
            &["2000", "2001", "2030"][..],
            &["2025-01-01", "2025-01-31"],
            &["2020-01", "2020-02", "2026-07"],
            &["1000-Q1", "9999-Q4"],
            &["0001-01-01", "9999-12-31"],
        ] {
            let (_, ticks) = place(&axis(values), 50.0, 470.0);
            assert!(!ticks.is_empty(), "{values:?}");
            for (x, l) in &ticks {
                assert!(
                    x - l.width / 2.0 >= PAD && x + l.width / 2.0 <= WIDTH - PAD,
                    "{values:?}: {}",
                    l.text
                );
            }
            for w in ticks.windows(2) {
                assert!(
                    w[1].0 - w[0].0 >= (w[0].1.width + w[1].1.width) / 2.0 + CATEGORY_GAP,
                    "{values:?}"
                );
            }
        }
    }
}
