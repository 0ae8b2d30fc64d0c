//! The one error type of the business calendar: building it from a config or a spec, and every
//! query on it (range, negative duration).

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};

/// What went wrong while building a calendar or computing with one.
///
/// Every message says what is wrong and, when the user can act on it, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The configured timezone is not an IANA name known to the tz database.
    #[error(
        "unknown timezone `{name}`{}: use an IANA name such as `Europe/Brussels`",
        did_you_mean(.suggestion)
    )]
    UnknownTimezone {
        /// The name as written.
        name: String,
        /// The closest known name, when one is close.
        suggestion: Option<&'static str>,
    },

    /// A working period is not written `HH:MM-HH:MM`.
    #[error("malformed working period `{text}` on {day}: {reason}; write it as `HH:MM-HH:MM`, e.g. `08:30-12:30`")]
    MalformedPeriod {
        /// The weekday, in lowercase English (`monday`).
        day: &'static str,
        /// The period as written.
        text: String,
        /// What exactly is malformed.
        reason: &'static str,
    },

    /// A working period ends at or before its start.
    #[error(
        "working period `{period}` on {day} ends at or before its start: make the end later than the start (write midnight as `24:00`)"
    )]
    EmptyPeriod {
        /// The weekday, in lowercase English.
        day: &'static str,
        /// The period as written.
        period: String,
    },

    /// A working period boundary has a fraction of a second.
    #[error("working period `{period}` on {day} has a fraction of a second: use whole seconds")]
    SubSecondPeriod {
        /// The weekday, in lowercase English.
        day: &'static str,
        /// The period.
        period: String,
    },

    /// Two working periods of one day overlap.
    #[error(
        "working periods `{first}` and `{second}` overlap on {day}: make them disjoint (a period may start where another ends)"
    )]
    OverlappingPeriods {
        /// The weekday, in lowercase English.
        day: &'static str,
        /// The earlier period.
        first: String,
        /// The period that starts before `first` ends.
        second: String,
    },

    /// No day of the week has any working period.
    #[error("the week has no working time: give at least one day a working period, e.g. `monday: [\"08:30-12:30\"]`")]
    NoWorkingTime,

    /// A closure date is not written `YYYY-MM-DD`.
    #[error("malformed closure date `{text}`: write it as `YYYY-MM-DD`, e.g. `2026-12-31`")]
    MalformedClosure {
        /// The date as written.
        text: String,
    },

    /// A closure date lies outside the calendar's range.
    #[error(
        "closure `{date}` is outside the calendar's range 1900-01-01..2200-12-31: remove it or pick a date inside the range"
    )]
    ClosureOutOfRange {
        /// The closure date.
        date: NaiveDate,
    },

    /// A date passed to a query lies outside the calendar's range.
    #[error("date `{date}` is outside the calendar's range 1900-01-01..2200-12-31")]
    DateOutOfRange {
        /// The date.
        date: NaiveDate,
    },

    /// A year lies outside the calendar's range.
    #[error("year `{year}` is outside the calendar's range 1900..2200")]
    YearOutOfRange {
        /// The year.
        year: i32,
    },

    /// An instant passed to a query lies outside the calendar's range.
    #[error(
        "instant `{}` is outside the calendar's range 1900-01-01..2200-12-31 (local time)",
        rfc3339(.instant)
    )]
    InstantOutOfRange {
        /// The instant.
        instant: DateTime<Utc>,
    },

    /// A working duration is negative.
    #[error("working duration `{duration}` is negative: pass zero or a positive duration")]
    NegativeDuration {
        /// The duration.
        duration: TimeDelta,
    },

    /// Adding a working duration ends after the calendar's range.
    #[error(
        "adding `{duration}` of working time to `{}` ends after 2200-12-31, the end of the calendar's range",
        rfc3339(.start)
    )]
    DeadlineOutOfRange {
        /// Where counting started.
        start: DateTime<Utc>,
        /// The working duration added.
        duration: TimeDelta,
    },

    /// There is no working time between an instant and the end of the calendar's range.
    #[error(
        "no working time after `{}` before 2200-12-31, the end of the calendar's range",
        rfc3339(.start)
    )]
    NoWorkingTimeAfter {
        /// The instant searched from.
        start: DateTime<Utc>,
    },

    /// Counting working days leaves the calendar's range.
    #[error("{days} working days from `{date}` falls outside the calendar's range 1900-01-01..2200-12-31")]
    WorkingDaysOutOfRange {
        /// The date counted from.
        date: NaiveDate,
        /// The number of working days (negative: before `date`).
        days: i64,
    },
}

fn did_you_mean(suggestion: &Option<&'static str>) -> String {
    suggestion.map_or_else(String::new, |s| format!(" (did you mean `{s}`?)"))
}

fn rfc3339(instant: &DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
