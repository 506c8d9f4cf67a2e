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
    /// many older sites use. Returns `None` for anything else, including impossible dates.
    pub fn parse(text: &str) -> Option<BriefDate> {
        let text = text.trim();
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(BriefDate { date, time: None });
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(BriefDate::from_time(t));
        }
        for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S%.f %z"] {
            if let Ok(t) = DateTime::parse_from_str(text, format) {
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
            None => self.date.format("%Y-%m-%d").to_string(),
        }
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
    fn refuses_impossible_dates() {
        assert!(BriefDate::parse("2025-02-30").is_none());
        assert!(BriefDate::parse("yesterday").is_none());
    }
}
