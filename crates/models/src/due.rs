//! Temporalities: "10 working days after start", "5 days before closing". Parsing both written
//! forms into one value, and deciding statically whether one is certainly earlier than another
//! (the calendar is not known when a model is validated, only when a mission is planned).

use std::fmt;

use serde::Serialize;

use missions_base::diag::{Said, clip};
use missions_base::said;

use super::raw::{DayUnit, RawDue};

/// Before or after a mission date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Earlier than the date.
    Before,
    /// Later than the date (or on it, for 0 days).
    After,
}

/// When an action is due: a number of working or calendar days before or after a mission date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Due {
    /// How many days.
    pub days: u32,
    /// Working or calendar days.
    pub unit: DayUnit,
    /// Before or after `date`.
    pub direction: Direction,
    /// The mission date (`start`, `closing`, or one the model declares).
    pub date: String,
}

impl Due {
    /// The offset in days, negative before the date.
    pub fn signed_days(&self) -> i64 {
        match self.direction {
            Direction::After => i64::from(self.days),
            Direction::Before => -i64::from(self.days),
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.days == 0 && self.direction == Direction::After {
            return write!(f, "on {}", self.date);
        }
        let unit = match self.unit {
            DayUnit::Working => "working ",
            DayUnit::Calendar => "",
        };
        let s = if self.days == 1 { "" } else { "s" };
        let dir = match self.direction {
            Direction::After => "after",
            Direction::Before => "before",
        };
        write!(f, "{} {unit}day{s} {dir} {}", self.days, self.date)
    }
}

/// How to write a temporality.
pub(crate) fn due_help() -> Said {
    said!("models-help-temporality")
}

/// Read a temporality; the error is a message for a diagnostic located by the caller.
pub(crate) fn parse(raw: &RawDue) -> Result<Due, Said> {
    match raw {
        RawDue::Text(t) => parse_text(t),
        RawDue::Map(m) => {
            let (direction, date) = match (&m.after, &m.before) {
                (Some(a), None) => (Direction::After, a.clone()),
                (None, Some(b)) => (Direction::Before, b.clone()),
                (Some(_), Some(_)) => {
                    return Err(said!("models-temporality-takes-not-both"));
                }
                (None, None) => {
                    return Err(said!("models-temporality-needs-mission-date"));
                }
            };
            Ok(Due { days: m.days, unit: m.unit, direction, date })
        }
    }
}

fn parse_text(text: &str) -> Result<Due, Said> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let bad = || {
        let t = clip(text.trim());
        said!("models-cannot-read-temporality", t)
    };
    match words.as_slice() {
        [date] | ["on", date] => {
            Ok(Due { days: 0, unit: DayUnit::Calendar, direction: Direction::After, date: (*date).to_owned() })
        }
        [n, rest @ ..] => {
            let days: u32 = n.parse().map_err(|_| bad())?;
            let (unit, rest) = match rest {
                ["working", rest @ ..] => (DayUnit::Working, rest),
                ["calendar", rest @ ..] => (DayUnit::Calendar, rest),
                rest => (DayUnit::Calendar, rest),
            };
            let (direction, date) = match rest {
                ["day" | "days", "after", date] => (Direction::After, *date),
                ["day" | "days", "before", date] => (Direction::Before, *date),
                _ => return Err(bad()),
            };
            Ok(Due { days, unit, direction, date: date.to_owned() })
        }
        [] => Err(said!("models-temporality-empty")),
    }
}

/// Whether a due date of `a` is certainly earlier than one of `b`, for every mission and calendar.
///
/// Only `start ≤ closing` is known about mission dates. With the same unit, offsets compare
/// exactly (adding days is monotonic). With different units only the direction is certain: a
/// working or rolled calendar offset after a date is at least that many days after it.
pub(crate) fn certainly_before(a: &Due, b: &Due) -> bool {
    let ordered = a.date == b.date || (a.date == "start" && b.date == "closing");
    if !ordered {
        return false;
    }
    if a.unit == b.unit {
        return a.signed_days() < b.signed_days();
    }
    // Intervals of calendar offsets: after → [s, ∞), before → (-∞, s].
    a.direction == Direction::Before && b.direction == Direction::After && a.signed_days() < b.signed_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Due, String> {
        parse(&RawDue::Text(s.to_owned())).map_err(|e| e.get(missions_base::lang::Lang::En))
    }

    #[test]
    fn reads_the_compact_forms() {
        let d = p("10 working days after start").unwrap();
        assert_eq!((d.days, d.unit, d.direction, d.date.as_str()), (10, DayUnit::Working, Direction::After, "start"));
        let d = p(" 5 days before  closing ").unwrap();
        assert_eq!((d.days, d.unit, d.direction), (5, DayUnit::Calendar, Direction::Before));
        assert_eq!(p("1 calendar day after signing").unwrap().to_string(), "1 day after signing");
        assert_eq!(p("on closing").unwrap().to_string(), "on closing");
        assert_eq!(p("closing").unwrap().signed_days(), 0);
        assert!(p("ten days after start").is_err());
        assert!(p("10 working days since start").is_err());
        assert!(p("10 working days after").is_err());
        assert!(p("").is_err());
    }

    #[test]
    fn compares_what_is_certain() {
        let (a, b) = (p("2 working days after start").unwrap(), p("5 working days after start").unwrap());
        assert!(certainly_before(&a, &b));
        assert!(!certainly_before(&b, &a));
        // start ≤ closing
        assert!(certainly_before(&p("3 days after start").unwrap(), &p("4 days after closing").unwrap()));
        assert!(!certainly_before(&p("4 days after closing").unwrap(), &p("30 days after start").unwrap()));
        // mixed units: only across the date
        assert!(certainly_before(&p("2 days before start").unwrap(), &p("1 working day after start").unwrap()));
        assert!(!certainly_before(&p("2 days after start").unwrap(), &p("3 working days after start").unwrap()));
        // unrelated dates
        assert!(!certainly_before(&p("2 days after signing").unwrap(), &p("5 days after start").unwrap()));
    }
}
