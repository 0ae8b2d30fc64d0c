//! What a calendar is made of (`CalendarSpec`), the YAML shape a pack or tenant writes
//! (`CalendarConfig`), and the validation both go through. No time arithmetic here.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

use super::{CalendarError, HolidayRule, MAX_YEAR, MIN_YEAR};

/// Seconds in a civil day (a local day: 23 h or 25 h days are handled by the calendar).
pub(crate) const DAY_SECS: u32 = 86_400;

/// Weekday names as used in configs and error messages, index 0 = Monday.
pub(crate) const DAY_NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// One working period of a day, in local wall-clock time, half-open: `[start, end)`.
///
/// `end` == 00:00 means midnight at the END of the day (24:00), so `00:00`–`00:00` is the whole
/// day. Boundaries are whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkPeriod {
    /// First working instant of the period (local time).
    pub start: NaiveTime,
    /// First instant after the period (local time); 00:00 means 24:00.
    pub end: NaiveTime,
}

impl WorkPeriod {
    /// A period from `start` to `end` (00:00 meaning 24:00).
    pub const fn new(start: NaiveTime, end: NaiveTime) -> Self {
        WorkPeriod { start, end }
    }

    /// A period from whole hours and minutes, e.g. `hm(8, 30, 12, 30)`; `end_hour` may be 24
    /// (with `end_minute` 0). `None` if a value is out of range.
    pub const fn hm(start_hour: u32, start_minute: u32, end_hour: u32, end_minute: u32) -> Option<Self> {
        let Some(start) = NaiveTime::from_hms_opt(start_hour, start_minute, 0) else {
            return None;
        };
        let end = if end_hour == 24 && end_minute == 0 {
            NaiveTime::MIN
        } else {
            match NaiveTime::from_hms_opt(end_hour, end_minute, 0) {
                Some(end) => end,
                None => return None,
            }
        };
        Some(WorkPeriod { start, end })
    }

    pub(crate) fn start_secs(&self) -> u32 {
        self.start.num_seconds_from_midnight()
    }

    pub(crate) fn end_secs(&self) -> u32 {
        if self.end == NaiveTime::MIN { DAY_SECS } else { self.end.num_seconds_from_midnight() }
    }

    fn has_fraction(&self) -> bool {
        self.start.nanosecond() != 0 || self.end.nanosecond() != 0
    }
}

impl fmt::Display for WorkPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_clock(f, self.start_secs())?;
        f.write_str("-")?;
        write_clock(f, self.end_secs())
    }
}

fn write_clock(f: &mut fmt::Formatter<'_>, secs: u32) -> fmt::Result {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 { write!(f, "{h:02}:{m:02}") } else { write!(f, "{h:02}:{m:02}:{s:02}") }
}

/// Everything that defines a business calendar. Build a [`Calendar`](super::Calendar) from it
/// with [`Calendar::new`](super::Calendar::new), which validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSpec {
    /// The timezone working periods are expressed in.
    pub timezone: Tz,
    /// Working periods per weekday, index 0 = Monday; several per day (a gap is a break).
    pub week: [Vec<WorkPeriod>; 7],
    /// Which legal holidays are days off.
    pub holidays: HolidayRule,
    /// Extra days off the tenant declares (replacement days, company closures).
    pub closures: Vec<NaiveDate>,
}

impl CalendarSpec {
    /// Belgian office hours: Monday to Friday 08:30–12:30 and 13:30–17:30, Europe/Brussels,
    /// Belgium's legal holidays, no closures.
    pub fn belgian_office_hours() -> Self {
        let day: Vec<WorkPeriod> =
            [WorkPeriod::hm(8, 30, 12, 30), WorkPeriod::hm(13, 30, 17, 30)].into_iter().flatten().collect();
        CalendarSpec {
            timezone: Tz::Europe__Brussels,
            week: [day.clone(), day.clone(), day.clone(), day.clone(), day, Vec::new(), Vec::new()],
            holidays: HolidayRule::Belgium,
            closures: Vec::new(),
        }
    }
}

/// The validated week: per weekday, sorted disjoint `(start, end)` local seconds of the day.
#[derive(Debug, Clone)]
pub(crate) struct Week {
    pub(crate) days: [Box<[(u32, u32)]>; 7],
}

/// Checks a week (fractions, empty and overlapping periods, no working time at all) and
/// returns it sorted, in seconds.
pub(crate) fn validate_week(week: &[Vec<WorkPeriod>; 7]) -> Result<Week, CalendarError> {
    let mut days: [Box<[(u32, u32)]>; 7] = Default::default();
    for ((slot, periods), day) in days.iter_mut().zip(week).zip(DAY_NAMES) {
        let mut sorted: Vec<WorkPeriod> = periods.clone();
        sorted.sort_by_key(|p| (p.start_secs(), p.end_secs()));
        for period in &sorted {
            if period.has_fraction() {
                return Err(CalendarError::SubSecondPeriod { day, period: period.to_string() });
            }
            if period.end_secs() <= period.start_secs() {
                return Err(CalendarError::EmptyPeriod { day, period: period.to_string() });
            }
        }
        for pair in sorted.windows(2) {
            if let [first, second] = pair
                && second.start_secs() < first.end_secs()
            {
                return Err(CalendarError::OverlappingPeriods {
                    day,
                    first: first.to_string(),
                    second: second.to_string(),
                });
            }
        }
        *slot = sorted.iter().map(|p| (p.start_secs(), p.end_secs())).collect();
    }
    if days.iter().all(|d| d.is_empty()) {
        return Err(CalendarError::NoWorkingTime);
    }
    Ok(Week { days })
}

/// Checks closures are in range; returns them sorted without duplicates.
pub(crate) fn validate_closures(closures: &[NaiveDate]) -> Result<Box<[NaiveDate]>, CalendarError> {
    if let Some(&date) = closures.iter().find(|d| !(MIN_YEAR..=MAX_YEAR).contains(&d.year())) {
        return Err(CalendarError::ClosureOutOfRange { date });
    }
    let mut sorted = closures.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    Ok(sorted.into_boxed_slice())
}

/// A calendar as written in YAML (pack or tenant config):
///
/// ```yaml
/// timezone: Europe/Brussels
/// holidays: belgium        # or: none
/// week:
///   monday: ["08:30-12:30", "13:30-17:30"]
///   tuesday: ["08:30-12:30", "13:30-17:30"]
///   # days not listed have no working time
/// closures: [2026-12-31, 2027-01-02]
/// ```
///
/// Turn it into a [`CalendarSpec`] with [`CalendarConfig::to_spec`], which validates it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// An IANA timezone name, e.g. `Europe/Brussels`.
    pub timezone: String,
    /// Which legal holidays apply: `belgium` or `none`.
    pub holidays: HolidayRule,
    /// Working periods per weekday, each written `HH:MM-HH:MM` (`24:00` for midnight).
    pub week: WeekConfig,
    /// Extra days off, written `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closures: Vec<String>,
}

/// The `week:` section of a [`CalendarConfig`]: days not listed have no working time.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Monday's working periods.
    pub monday: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Tuesday's working periods.
    pub tuesday: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Wednesday's working periods.
    pub wednesday: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Thursday's working periods.
    pub thursday: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Friday's working periods.
    pub friday: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Saturday's working periods.
    pub saturday: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Sunday's working periods.
    pub sunday: Vec<String>,
}

impl CalendarConfig {
    /// Parses and validates the config: timezone, period syntax, empty or overlapping periods,
    /// a week without working time, closure syntax and range.
    pub fn to_spec(&self) -> Result<CalendarSpec, CalendarError> {
        let timezone = parse_timezone(&self.timezone)?;
        let w = &self.week;
        let texts = [&w.monday, &w.tuesday, &w.wednesday, &w.thursday, &w.friday, &w.saturday, &w.sunday];
        let mut week: [Vec<WorkPeriod>; 7] = Default::default();
        for ((slot, texts), day) in week.iter_mut().zip(texts).zip(DAY_NAMES) {
            *slot = texts.iter().map(|text| parse_period(day, text)).collect::<Result<_, _>>()?;
        }
        validate_week(&week)?;
        let closures = self
            .closures
            .iter()
            .map(|text| {
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map_err(|_| CalendarError::MalformedClosure { text: text.clone() })
            })
            .collect::<Result<Vec<_>, _>>()?;
        validate_closures(&closures)?;
        Ok(CalendarSpec { timezone, week, holidays: self.holidays, closures })
    }
}

fn parse_timezone(name: &str) -> Result<Tz, CalendarError> {
    if let Ok(tz) = name.trim().parse::<Tz>() {
        return Ok(tz);
    }
    let wanted = name.trim().to_ascii_lowercase();
    let suggestion = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| (strsim::levenshtein(&wanted, &tz.name().to_ascii_lowercase()), tz.name()))
        .filter(|&(distance, _)| distance <= 3)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name);
    Err(CalendarError::UnknownTimezone { name: name.to_owned(), suggestion })
}

fn parse_period(day: &'static str, text: &str) -> Result<WorkPeriod, CalendarError> {
    let malformed = |reason| CalendarError::MalformedPeriod { day, text: text.to_owned(), reason };
    let (start, end) = text.split_once('-').ok_or_else(|| malformed("`-` between start and end is missing"))?;
    let start = parse_clock(start.trim()).map_err(malformed)?;
    let end = parse_clock(end.trim()).map_err(malformed)?;
    if start == DAY_SECS {
        return Err(malformed("`24:00` can only end a period"));
    }
    if end <= start {
        return Err(CalendarError::EmptyPeriod { day, period: text.to_owned() });
    }
    let time = |secs: u32| NaiveTime::from_num_seconds_from_midnight_opt(secs % DAY_SECS, 0);
    match (time(start), time(end)) {
        (Some(start), Some(end)) => Ok(WorkPeriod { start, end }),
        _ => Err(malformed("hours go from 00 to 24")),
    }
}

/// `HH:MM` (one or two hour digits, two minute digits) to seconds of the day; 24:00 allowed.
fn parse_clock(text: &str) -> Result<u32, &'static str> {
    let (hours, minutes) = text.split_once(':').ok_or("`:` between hours and minutes is missing")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hours) || hours.len() > 2 || !digits(minutes) || minutes.len() != 2 {
        return Err("hours and minutes must be digits");
    }
    let hours: u32 = hours.parse().map_err(|_| "hours must be digits")?;
    let minutes: u32 = minutes.parse().map_err(|_| "minutes must be digits")?;
    if minutes > 59 {
        return Err("minutes go from 00 to 59");
    }
    if hours > 24 || (hours == 24 && minutes != 0) {
        return Err("hours go from 00 to 23 (or `24:00` for midnight)");
    }
    Ok(hours * 3600 + minutes * 60)
}
