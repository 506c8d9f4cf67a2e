//! Dates as editors write them in front-matter.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use std::cmp::Ordering;

/// A brief's `date` or `updated`: a calendar date, or a full date-time with its offset.
#[derive(Debug, Clone)]
pub struct BriefDate {
    pub date: NaiveDate,
    pub time: Option<DateTime<FixedOffset>>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl BriefDate {
    /// Reads `YYYY-MM-DD`, an RFC 3339 date-time, or the `YYYY-MM-DD HH:MM:SS[ ±HHMM]` shape
    /// Jekyll sites use (the zone may be written in hours alone, `-4`; the hour may have one
    /// digit). A date-time without a zone (`2015-03-17 14:00:00`, `2015-03-17T14:00:00`) is
    /// taken as UTC. Returns `None` for anything else, including impossible dates.
    pub fn parse(text: &str) -> Option<BriefDate> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(BriefDate { date, time: None });
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(BriefDate::from_time(t));
        }
        let zoned = hours_zone(text);
        let zoned = zoned.as_deref().unwrap_or(text);
        for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S%.f %z"] {
            if let Ok(t) = DateTime::parse_from_str(zoned, format) {
                return Some(BriefDate::from_time(t));
            }
        }
        for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
                return Some(BriefDate::from_time(t.and_utc().fixed_offset()));
            }
        }
        None
    }

    fn from_time(t: DateTime<FixedOffset>) -> BriefDate {
        BriefDate {
            date: t.date_naive(),
            time: Some(t),
        }
    }

    /// `2025-11-20`, or the full RFC 3339 date-time when a time was given.
    pub fn iso(&self) -> String {
        match &self.time {
            Some(t) => t.to_rfc3339(),
            None => day_iso(self.date),
        }
    }

    /// `2025-11-20`, the day alone, time or not.
    pub fn day_iso(&self) -> String {
        day_iso(self.date)
    }

    /// `20 November 2025`: unambiguous for readers everywhere.
    pub fn display(&self) -> String {
        let month = MONTHS[self.date.month0() as usize];
        format!("{} {} {}", self.date.day(), month, self.date.year())
    }

    /// Seconds since the epoch, a date alone counting as midnight UTC.
    pub fn timestamp(&self) -> i64 {
        match &self.time {
            Some(t) => t.timestamp(),
            None => self
                .date
                .and_hms_opt(0, 0, 0)
                .map_or(0, |d| d.and_utc().timestamp()),
        }
    }
}

/// `YYYY-MM-DD` as chrono's `%Y-%m-%d` writes it, without parsing the format for every date
/// (the search index and every summary write one per brief). Years past four digits, or
/// before year 0, which chrono writes with a sign, go through chrono.
fn day_iso(date: NaiveDate) -> String {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.format("%Y-%m-%d").to_string();
    }
    let mut out = String::with_capacity(10);
    for (n, width) in [(year as u32, 4), (date.month(), 2), (date.day(), 2)] {
        if !out.is_empty() {
            out.push('-');
        }
        let digits = n.to_string();
        out.extend(std::iter::repeat_n('0', width - digits.len().min(width)));
        out.push_str(&digits);
    }
    out
}

/// `2015-03-17 14:00:00 -4` as `2015-03-17 14:00:00 -0400`: a zone written in whole hours
/// (one or two digits after the sign), as Jekyll allows. `None` when the text ends otherwise.
fn hours_zone(text: &str) -> Option<String> {
    let (head, zone) = text.rsplit_once(' ')?;
    let digits = zone.strip_prefix(['+', '-'])?;
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sign = &zone[..1];
    Some(format!("{head} {sign}{digits:0>2}00"))
}

// Two dates are equal when they name the same instant, so ordering and equality agree.
impl PartialEq for BriefDate {
    fn eq(&self, other: &Self) -> bool {
        self.timestamp() == other.timestamp()
    }
}

impl Eq for BriefDate {}

impl Ord for BriefDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp().cmp(&other.timestamp())
    }
}

impl PartialOrd for BriefDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2025, 11, 20),
            (7, 1, 2),
            (0, 12, 31),
            (9999, 6, 5),
            (10_000, 1, 1),
            (-44, 3, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                day_iso(date),
                date.format("%Y-%m-%d").to_string(),
                "{y}-{m}-{d}"
            );
        }
    }

    #[test]
    fn reads_the_shapes_editors_write() {
        assert_eq!(BriefDate::parse("2025-11-20").unwrap().iso(), "2025-11-20");
        let t = BriefDate::parse("2025-11-20T08:30:00+02:00").unwrap();
        assert_eq!(t.iso(), "2025-11-20T08:30:00+02:00");
        let old = BriefDate::parse("2011-11-28 8:32:24 -0400").unwrap();
        assert_eq!(old.date.to_string(), "2011-11-28");
        assert_eq!(
            BriefDate::parse("2025-11-20").unwrap().display(),
            "20 November 2025"
        );
    }

    #[test]
    fn reads_the_jekyll_shapes() {
        let iso = |s: &str| BriefDate::parse(s).map(|d| d.iso());
        assert_eq!(
            iso("2015-03-17 14:00:00 -4").as_deref(),
            Some("2015-03-17T14:00:00-04:00")
        );
        assert_eq!(
            iso("2015-03-17 14:00:00 -0400").as_deref(),
            Some("2015-03-17T14:00:00-04:00")
        );
        assert_eq!(
            iso("2016-03-23 9:00:00 -4").as_deref(),
            Some("2016-03-23T09:00:00-04:00")
        );
        assert_eq!(
            iso("2016-03-23 9:00:00 +10").as_deref(),
            Some("2016-03-23T09:00:00+10:00")
        );
        // No zone: read as UTC.
        assert_eq!(
            iso("2015-03-17 14:00:00").as_deref(),
            Some("2015-03-17T14:00:00+00:00")
        );
        assert_eq!(
            iso("2015-03-17T14:00:00").as_deref(),
            Some("2015-03-17T14:00:00+00:00")
        );
        assert_eq!(
            BriefDate::parse("2015-03-17 14:00:00 -4")
                .unwrap()
                .display(),
            "17 March 2015"
        );
        assert!(BriefDate::parse("2015-03-17 14:00:00 -400").is_none());
        assert!(BriefDate::parse("2015-03-17 25:00:00 -4").is_none());
    }

    #[test]
    fn the_forms_read_before_are_read_as_before() {
        let iso = |s: &str| BriefDate::parse(s).unwrap().iso();
        assert_eq!(iso("2025-11-20"), "2025-11-20");
        assert_eq!(iso("2025-11-20T08:30:00Z"), "2025-11-20T08:30:00+00:00");
        assert_eq!(
            iso("2025-11-20T08:30:00.5+02:00"),
            "2025-11-20T08:30:00.500+02:00"
        );
        assert_eq!(iso("2011-11-28 8:32:24 -0400"), "2011-11-28T08:32:24-04:00");
    }

    #[test]
    fn refuses_impossible_dates() {
        assert!(BriefDate::parse("2025-02-30").is_none());
        assert!(BriefDate::parse("yesterday").is_none());
    }
}
