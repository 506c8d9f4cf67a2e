//! "Now" for a build, and the next moment a brief's schedule changes what the site shows.

use crate::diag::Diag;
use crate::model::Brief;

/// The environment variable that fixes "now" for reproducible builds.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// "Now" from the value of `SOURCE_DATE_EPOCH` (whole seconds since the epoch) when it is set,
/// else from the clock. A value that is not a whole number of seconds is a usage error.
pub fn now_from(source_date_epoch: Option<&std::ffi::OsStr>) -> Result<i64, Diag> {
    let Some(value) = source_date_epoch else {
        return Ok(clock_now());
    };
    let text = value.to_string_lossy();
    match text.trim().parse::<i64>() {
        Ok(seconds) if chrono::DateTime::from_timestamp(seconds, 0).is_some() => Ok(seconds),
        _ => Err(Diag::error(
            "site/source-date-epoch",
            format!("{SOURCE_DATE_EPOCH} is not a number of seconds since 1970-01-01: {text:?}"),
        )
        .with_help(format!(
            "set {SOURCE_DATE_EPOCH} to whole seconds (e.g. `date +%s`), or unset it to use the clock"
        ))
        .caused_by(crate::diag::Cause::Usage)),
    }
}

/// The clock, in seconds since the epoch (0 on a clock set before 1970).
pub(super) fn clock_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The next moment the site's content changes by itself: a `publish_date` or `expiry_date`
/// still to come, the earliest over every brief the build reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextChange {
    pub at: crate::model::BriefDate,
    /// The brief, as reported to the user.
    pub path: String,
    /// `publish_date` or `expiry_date`.
    pub key: &'static str,
}

impl NextChange {
    /// The moment in UTC, `2026-01-01T00:00:00Z`.
    pub fn utc(&self) -> String {
        chrono::DateTime::from_timestamp(self.at.timestamp(), 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    }
}

/// The earliest `publish_date` or `expiry_date` after `now` among `briefs`.
pub(super) fn next_change<'a>(
    briefs: impl Iterator<Item = &'a Brief>,
    now: i64,
) -> Option<NextChange> {
    let mut next: Option<NextChange> = None;
    for brief in briefs {
        let dates = [
            ("publish_date", &brief.front.publish_date),
            ("expiry_date", &brief.front.expiry_date),
        ];
        for (key, date) in dates {
            let Some(date) = date else { continue };
            let earlier = next
                .as_ref()
                .is_none_or(|n| date.timestamp() < n.at.timestamp());
            if date.timestamp() > now && earlier {
                next = Some(NextChange {
                    at: date.clone(),
                    path: brief.path.clone(),
                    key,
                });
            }
        }
    }
    next
}
