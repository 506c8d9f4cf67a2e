//! Time on a line chart's x axis: x values written as years (`2015`), quarters (`2025-Q3`),
//! months (`2025-11`) or dates (`2025-11-20`), read into counts of periods so that a line
//! chart can place its points by time, order them, and find the periods a regular series
//! lacks. Every count is arithmetic: nothing enumerates the days of a long range.

use chrono::{Datelike, NaiveDate};

/// How many missing points a note names before it says "and N more".
pub(crate) const NAMED_MISSING: usize = 5;
/// How much of an x value a note quotes.
const QUOTED_CHARS: usize = 40;

/// What kind of period an x value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeKind {
    Year,
    Quarter,
    Month,
    Day,
}

impl TimeKind {
    /// "a year", for a note that says why an axis is not placed by time.
    fn noun(self) -> &'static str {
        match self {
            TimeKind::Year => "a year",
            TimeKind::Quarter => "a quarter",
            TimeKind::Month => "a month",
            TimeKind::Day => "a date",
        }
    }

    /// "Years", for the `<desc>`.
    pub(crate) fn plural(self) -> &'static str {
        match self {
            TimeKind::Year => "Years",
            TimeKind::Quarter => "Quarters",
            TimeKind::Month => "Months",
            TimeKind::Day => "Dates",
        }
    }
}

/// Four ASCII digits.
fn year_of(text: &str) -> Option<i64> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Two ASCII digits in `1..=max`.
fn two_digits(text: &str, max: u32) -> Option<u32> {
    let n: u32 = (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()?;
    (1..=max).contains(&n).then_some(n)
}

/// Reads an x value as a period: its kind and its count of periods since year 0 (days since
/// 1 January of year 1 for a date). `None` for anything else, such as `2025-02-30` (no such
/// day) or `2025-Q5` (no such quarter).
pub(crate) fn parse(text: &str) -> Option<(TimeKind, i64)> {
    let text = text.trim();
    if let Some(y) = year_of(text) {
        return Some((TimeKind::Year, y));
    }
    let (y, rest) = (year_of(text.get(..4)?)?, text.get(4..)?);
    if let Some(q) = rest
        .strip_prefix("-Q")
        .or_else(|| rest.strip_prefix("-q"))
        .or_else(|| rest.strip_prefix(" Q"))
        .or_else(|| rest.strip_prefix(" q"))
    {
        let q: i64 = (q.len() == 1).then(|| q.parse().ok()).flatten()?;
        return (1..=4)
            .contains(&q)
            .then_some((TimeKind::Quarter, y * 4 + q - 1));
    }
    let rest = rest.strip_prefix('-')?;
    if let Some(m) = two_digits(rest, 12) {
        return Some((TimeKind::Month, y * 12 + i64::from(m) - 1));
    }
    let (m, d) = rest.split_once('-')?;
    let date = NaiveDate::from_ymd_opt(y as i32, two_digits(m, 12)?, two_digits(d, 31)?)?;
    Some((TimeKind::Day, i64::from(date.num_days_from_ce())))
}

/// The date a count of days since the common era names.
fn date_of(days: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)
}

/// The first day of the period `n` of `kind`.
pub(crate) fn start_date(kind: TimeKind, n: i64) -> Option<NaiveDate> {
    let ym = |y: i64, m0: i64| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m0 as u32 + 1, 1);
    match kind {
        TimeKind::Year => ym(n, 0),
        TimeKind::Quarter => ym(n.div_euclid(4), n.rem_euclid(4) * 3),
        TimeKind::Month => ym(n.div_euclid(12), n.rem_euclid(12)),
        TimeKind::Day => date_of(n),
    }
}

/// Where `date` falls on an axis of `kind`, in periods (fractional within one).
pub(crate) fn position_of(date: NaiveDate, kind: TimeKind) -> Option<f64> {
    let days = |d: NaiveDate| f64::from(d.num_days_from_ce());
    let fraction = |from: NaiveDate, to: Option<NaiveDate>| -> Option<f64> {
        Some((days(date) - days(from)) / (days(to?) - days(from)))
    };
    let (y, m0) = (i64::from(date.year()), i64::from(date.month0()));
    let (n, len) = match kind {
        TimeKind::Year => (y, 1),
        TimeKind::Quarter => (y * 4 + m0 / 3, 1),
        TimeKind::Month => (y * 12 + m0, 1),
        TimeKind::Day => return Some(days(date)),
    };
    let from = start_date(kind, n)?;
    Some(n as f64 + fraction(from, start_date(kind, n + len))?)
}

/// Where a value written as `text` (of any kind: `2022`, `2022-07`, `2022-07-01`) falls on
/// an axis of `kind`, in periods; a finer value lands between periods.
pub(crate) fn position(text: &str, kind: TimeKind) -> Option<f64> {
    let (k, n) = parse(text)?;
    if k == kind {
        return Some(n as f64);
    }
    position_of(start_date(k, n)?, kind)
}

/// The period `n` of `kind` as data files write it: `2017`, `2025-Q3`, `2025-11`,
/// `2025-11-20`.
pub(crate) fn written(kind: TimeKind, n: i64) -> String {
    match kind {
        TimeKind::Year => format!("{n:04}"),
        TimeKind::Quarter => format!("{:04}-Q{}", n.div_euclid(4), n.rem_euclid(4) + 1),
        TimeKind::Month => format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1),
        TimeKind::Day => date_of(n).map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
    }
}

/// How a chart's x values read: periods of one kind, or not.
pub(crate) enum Axis {
    Time(TimeAxis),
    /// Mostly periods, but not all of one kind: why, for the `<desc>`.
    Mixed(String),
    Categories,
}

/// The x values as periods of one kind, in time order, and the step of their series.
pub(crate) struct TimeAxis {
    pub(crate) kind: TimeKind,
    /// Each category's period, in category order.
    pub(crate) at: Vec<i64>,
    /// Category indices in time order (equal periods in category order).
    pub(crate) order: Vec<usize>,
    /// Each category's period in the unit the series steps by: months for dates that all
    /// fall on one day of the month (the 1st, the 15th), else `at`.
    steps: Vec<i64>,
    /// Dates stepping by months: their day of the month.
    day_of_month: Option<u32>,
    /// The smallest gap between neighbours, in `steps` units; 0 without two distinct.
    step: i64,
}

fn quoted(text: &str) -> String {
    let mut q: String = text.chars().take(QUOTED_CHARS).collect();
    if text.chars().count() > QUOTED_CHARS {
        q.push('…');
    }
    format!("\u{201c}{q}\u{201d}")
}

impl Axis {
    /// Reads `categories`: a time axis when every one is a period of one kind.
    pub(crate) fn of(categories: &[String]) -> Axis {
        let parsed: Vec<Option<(TimeKind, i64)>> = categories.iter().map(|c| parse(c)).collect();
        let Some(&Some((kind, _))) = parsed.iter().find(|p| p.is_some()) else {
            return Axis::Categories;
        };
        let first = parsed.iter().position(Option::is_some).unwrap_or(0);
        let odd = parsed.iter().position(|p| p.is_none_or(|(k, _)| k != kind));
        let Some(odd) = odd else {
            return Axis::Time(TimeAxis::new(kind, parsed.iter().flatten().map(|p| p.1)));
        };
        let periods = parsed.iter().flatten().count();
        if periods < 2 || periods * 2 < categories.len() {
            return Axis::Categories;
        }
        let what = match parsed[odd] {
            Some((k, _)) => format!("{} is {}", quoted(&categories[odd]), k.noun()),
            None => format!("{} is not a period", quoted(&categories[odd])),
        };
        Axis::Mixed(format!(
            "The x values are not all of one kind ({} is {}, {what}), so the points are evenly spaced in the order shown.",
            quoted(&categories[first]),
            kind.noun()
        ))
    }
}

impl TimeAxis {
    fn new(kind: TimeKind, at: impl Iterator<Item = i64>) -> TimeAxis {
        let at: Vec<i64> = at.collect();
        let mut order: Vec<usize> = (0..at.len()).collect();
        order.sort_by_key(|&c| at[c]);
        let dates: Vec<NaiveDate> = match kind {
            TimeKind::Day => at.iter().filter_map(|&d| date_of(d)).collect(),
            _ => Vec::new(),
        };
        let day_of_month = dates
            .first()
            .map(NaiveDate::day)
            .filter(|&d| d <= 28 && dates.iter().all(|x| x.day() == d));
        let steps: Vec<i64> = match day_of_month {
            Some(_) => dates
                .iter()
                .map(|d| i64::from(d.year()) * 12 + i64::from(d.month0()))
                .collect(),
            None => at.clone(),
        };
        let gaps: Vec<i64> = order
            .windows(2)
            .map(|w| steps[w[1]] - steps[w[0]])
            .filter(|&g| g > 0)
            .collect();
        let step = gaps.iter().copied().min().unwrap_or(0);
        // A series is regular when its step is one period of its kind (a year: 2015, 2016,
        // 2020 miss three) or most of its gaps are its step (weekly, one week missing); an
        // irregular one (1, 3 and 7 January) has no periods missing, only points apart.
        let regular = step == 1 || gaps.iter().filter(|&&g| g == step).count() * 2 > gaps.len();
        let step = if regular { step } else { 0 };
        TimeAxis {
            kind,
            at,
            order,
            steps,
            day_of_month,
            step,
        }
    }

    /// How many periods of the series' step are missing between categories `a` and `b`
    /// (neighbours in time order): none unless the gap is a whole number of steps, and none
    /// in an irregular series (step 0).
    pub(crate) fn missing_between(&self, a: usize, b: usize) -> i64 {
        let gap = self.steps[b] - self.steps[a];
        if self.step > 0 && gap > self.step && gap % self.step == 0 {
            gap / self.step - 1
        } else {
            0
        }
    }

    /// The `k`-th missing period after category `a`, as written.
    fn missing_name(&self, a: usize, k: i64) -> String {
        let s = self.steps[a] + k * self.step;
        match self.day_of_month {
            Some(d) => {
                NaiveDate::from_ymd_opt(s.div_euclid(12) as i32, s.rem_euclid(12) as u32 + 1, d)
                    .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
            }
            None => written(self.kind, s),
        }
    }
}

/// Names of missing points: the first [`NAMED_MISSING`] kept, the rest counted.
#[derive(Default)]
struct Tally {
    names: Vec<String>,
    more: u64,
}

impl Tally {
    /// `count` points, the `k`-th (from 1) named by `name(k)` while there is room.
    fn add(&mut self, count: i64, name: impl Fn(i64) -> String) {
        let room = NAMED_MISSING.saturating_sub(self.names.len()) as i64;
        let named = count.clamp(0, room);
        self.names.extend((1..=named).map(name));
        self.more += (count - named).max(0) as u64;
    }
}

/// The points a line chart has no value at: periods missing from a regular series (for every
/// series) and categories a series has no number for; the first few named, the rest counted.
/// "No value for 2017, 2018, 2019." `None` when nothing is missing.
pub(crate) fn missing_points(
    categories: &[String],
    series: &[String],
    values: &[Vec<Option<f64>>],
) -> Option<String> {
    let axis = match Axis::of(categories) {
        Axis::Time(t) => Some(t),
        _ => None,
    };
    let order: Vec<usize> = axis
        .as_ref()
        .map_or_else(|| (0..categories.len()).collect(), |t| t.order.clone());
    let mut tally = Tally::default();
    for (i, &c) in order.iter().enumerate() {
        if let Some(t) = &axis
            && i > 0
        {
            let prev = order[i - 1];
            tally.add(t.missing_between(prev, c), |k| t.missing_name(prev, k));
        }
        let lacking: Vec<usize> = (0..values.len())
            .filter(|&s| values[s].get(c).is_none_or(Option::is_none))
            .collect();
        if lacking.len() == values.len() || values.len() == 1 {
            tally.add(lacking.len().min(1) as i64, |_| categories[c].clone());
        } else {
            for s in lacking {
                let name = series.get(s).map_or("", String::as_str);
                tally.add(1, |_| format!("{} ({name})", categories[c]));
            }
        }
    }
    if tally.names.is_empty() {
        return None;
    }
    let mut text = format!("No value for {}", tally.names.join(", "));
    if tally.more > 0 {
        text.push_str(&format!(" and {} more", tally.more));
    }
    text.push('.');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn periods_of_each_kind_are_read_and_impossible_ones_are_not() {
        assert_eq!(parse("2015"), Some((TimeKind::Year, 2015)));
        assert_eq!(parse(" 2025-Q3 "), Some((TimeKind::Quarter, 2025 * 4 + 2)));
        assert_eq!(parse("2025 q1"), Some((TimeKind::Quarter, 2025 * 4)));
        assert_eq!(parse("2025-11"), Some((TimeKind::Month, 2025 * 12 + 10)));
        let (k, d) = parse("2025-11-20").unwrap();
        assert_eq!(
            (k, written(k, d)),
            (TimeKind::Day, "2025-11-20".to_string())
        );
        assert_eq!(parse("2025-11-21").unwrap().1, d + 1);
        for bad in [
            "2025-02-30",
            "2025-Q5",
            "2025-Q0",
            "2025-13",
            "2025-1",
            "20155",
            "215",
            "2025-11-5",
            "2015.0",
            "Q3 2025",
            "2025/11/20",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(parse("2024-02-29").map(|p| p.0), Some(TimeKind::Day));
        assert_eq!(parse("2023-02-29"), None);
    }

    #[test]
    fn one_odd_value_makes_the_axis_categorical_with_a_reason() {
        let axis = |v: &[&str]| Axis::of(&strings(v));
        assert!(
            matches!(axis(&["2015", "2016", "2020"]), Axis::Time(t) if t.kind == TimeKind::Year)
        );
        match axis(&["2025-Q3", "2025-Q4", "2025-Q5"]) {
            Axis::Mixed(why) => assert!(
                why.contains("\u{201c}2025-Q5\u{201d} is not a period"),
                "{why}"
            ),
            _ => panic!("2025-Q5 is no quarter"),
        }
        match axis(&["2015", "2025-11", "2016"]) {
            Axis::Mixed(why) => assert!(why.contains("is a month"), "{why}"),
            _ => panic!("a mix"),
        }
        assert!(matches!(
            axis(&["France", "Japan", "2015"]),
            Axis::Categories
        ));
    }

    #[test]
    fn times_are_ordered_and_gaps_counted_without_enumerating() {
        let Axis::Time(t) = Axis::of(&strings(&["2020", "2015", "2016"])) else {
            panic!()
        };
        assert_eq!(t.order, [1, 2, 0]);
        assert_eq!((t.missing_between(1, 2), t.missing_between(2, 0)), (0, 3));
        // Dates a century apart, one day apart at the start: millions of days, counted.
        let cats = strings(&["1900-01-01", "1900-01-02", "2099-12-31"]);
        let v = vec![vec![Some(1.0); 3]];
        let note = missing_points(&cats, &[String::new()], &v).unwrap();
        assert!(
            note.starts_with("No value for 1900-01-03, 1900-01-04,"),
            "{note}"
        );
        assert!(note.ends_with(" and 73041 more."), "{note}");
        // Month starts step by months, whatever the months' lengths.
        let cats = strings(&["2025-01-01", "2025-02-01", "2025-03-01", "2025-05-01"]);
        let v = vec![vec![Some(1.0); 4]];
        let note = missing_points(&cats, &[String::new()], &v);
        assert_eq!(note.as_deref(), Some("No value for 2025-04-01."));
    }

    #[test]
    fn missing_points_name_periods_and_series() {
        let cats = strings(&["2015", "2016", "2020"]);
        let one = vec![vec![Some(1.0); 3]];
        assert_eq!(
            missing_points(&cats, &[String::new()], &one).as_deref(),
            Some("No value for 2017, 2018, 2019.")
        );
        let two = vec![vec![Some(1.0), None, Some(2.0)], vec![Some(1.0); 3]];
        let series = strings(&["Cloud", "Chips"]);
        assert_eq!(
            missing_points(&cats, &series, &two).as_deref(),
            Some("No value for 2016 (Cloud), 2017, 2018, 2019.")
        );
        let cats = strings(&["2015", "2016", "2017"]);
        assert_eq!(missing_points(&cats, &[String::new()], &one), None);
        // Irregular dates (gaps of 2 and 4 days) are points apart, not periods missing.
        let cats = strings(&["2025-01-01", "2025-01-03", "2025-01-07"]);
        assert_eq!(missing_points(&cats, &[String::new()], &one), None);
        assert_eq!(
            position("2022-07-01", TimeKind::Year).map(|p| (p * 100.0).round()),
            Some(202250.0)
        );
        assert_eq!(position("2022", TimeKind::Month), Some((2022 * 12) as f64));
    }
}
