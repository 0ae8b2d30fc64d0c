//! Splitting a work period into segments that each carry one off-hours surcharge. The bands
//! (from which local time which percentage applies, per kind of day) are pack parameters; the
//! splitting is here, in local time of the pack's timezone and DST-correct, one step per day.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use missions_calendar::{Calendar, DayOff};

/// Longest work period [`SurchargeBands::split`] accepts, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// One band: from `from` (local time) until the next band of the day, `percent` applies.
#[derive(Debug, Clone, PartialEq)]
struct Band {
    from: NaiveTime,
    percent: Decimal,
}

/// Off-hours surcharges by kind of day, each day a list of bands starting at 00:00.
#[derive(Debug, Clone, PartialEq)]
pub struct SurchargeBands {
    weekday: Vec<Band>,
    saturday: Vec<Band>,
    sunday: Vec<Band>,
    holiday: Vec<Band>,
}

/// A maximal run of a work period with one surcharge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// First instant.
    pub start: DateTime<Utc>,
    /// Instant after the last.
    pub end: DateTime<Utc>,
    /// The surcharge in percent (`25` for +25 %).
    pub percent: Decimal,
}

impl Segment {
    /// Elapsed seconds (real time: a DST night counts the hours that really passed).
    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
}

/// Why bands or a period are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurchargeError {
    /// A band table is malformed.
    #[error("surcharge bands `{day}`: {message}")]
    Bands {
        /// Which day kind (`weekday`, `saturday`, `sunday`, `holiday`).
        day: String,
        /// What is wrong.
        message: String,
    },
    /// The period ends before it starts, or is empty.
    #[error("the period must end after it starts")]
    Empty,
    /// The period is longer than [`MAX_PERIOD_DAYS`].
    #[error("a period may last at most {MAX_PERIOD_DAYS} days")]
    TooLong,
    /// The calendar could not classify a day.
    #[error("calendar: {0}")]
    Calendar(String),
}

impl SurchargeBands {
    /// Bands from `(kind, [(from "HH:MM", percent)])`: kinds `weekday`, `saturday`, `sunday`,
    /// `holiday`, each starting at `00:00` with strictly increasing times, percentages ≥ 0.
    pub fn new<'a>(days: impl IntoIterator<Item = (&'a str, Vec<(&'a str, Decimal)>)>) -> Result<Self, SurchargeError> {
        let (mut weekday, mut saturday, mut sunday, mut holiday) = (None, None, None, None);
        for (kind, bands) in days {
            let err = |message: String| SurchargeError::Bands { day: kind.to_owned(), message };
            let slot = match kind {
                "weekday" => &mut weekday,
                "saturday" => &mut saturday,
                "sunday" => &mut sunday,
                "holiday" => &mut holiday,
                other => {
                    return Err(err(format!(
                        "unknown kind of day `{other}` (kinds: `weekday`, `saturday`, `sunday`, `holiday`)"
                    )));
                }
            };
            let mut parsed: Vec<Band> = Vec::with_capacity(bands.len());
            for (from, percent) in bands {
                let t = NaiveTime::parse_from_str(from, "%H:%M")
                    .map_err(|_| err(format!("`{from}` is not a time like `08:30`")))?;
                if percent < Decimal::ZERO {
                    return Err(err(format!("surcharge `{percent}` must not be negative")));
                }
                match parsed.last() {
                    None if t != NaiveTime::MIN => {
                        return Err(err(format!("the first band must start at `00:00`, not `{from}`")));
                    }
                    Some(prev) if prev.from >= t => {
                        return Err(err(format!("`{from}` must come after `{}`", prev.from.format("%H:%M"))));
                    }
                    _ => {}
                }
                parsed.push(Band { from: t, percent });
            }
            if parsed.is_empty() {
                return Err(err("needs at least one band".into()));
            }
            *slot = Some(parsed);
        }
        let need = |b: Option<Vec<Band>>, day: &str| {
            b.ok_or_else(|| SurchargeError::Bands { day: day.into(), message: "is missing".into() })
        };
        Ok(SurchargeBands {
            weekday: need(weekday, "weekday")?,
            saturday: need(saturday, "saturday")?,
            sunday: need(sunday, "sunday")?,
            holiday: need(holiday, "holiday")?,
        })
    }

    fn for_day(&self, calendar: &Calendar, d: NaiveDate) -> Result<&[Band], SurchargeError> {
        match calendar.is_holiday(d) {
            Ok(Some(DayOff::Holiday(_))) => return Ok(&self.holiday),
            Ok(_) => {}
            Err(e) => return Err(SurchargeError::Calendar(e.to_string())),
        }
        Ok(match d.weekday() {
            Weekday::Sat => &self.saturday,
            Weekday::Sun => &self.sunday,
            _ => &self.weekday,
        })
    }

    /// Split `[start, end)` into maximal runs with one surcharge, in `calendar`'s timezone and
    /// with its legal holidays. Cost grows with the days crossed, not the minutes.
    pub fn split(
        &self,
        calendar: &Calendar,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<Segment>, SurchargeError> {
        if end <= start {
            return Err(SurchargeError::Empty);
        }
        if end - start > Duration::days(MAX_PERIOD_DAYS) {
            return Err(SurchargeError::TooLong);
        }
        let tz = calendar.timezone();
        let mut day = start.with_timezone(&tz).date_naive();
        let last = end.with_timezone(&tz).date_naive();
        let mut out: Vec<Segment> = Vec::new();
        while day <= last {
            let bands = self.for_day(calendar, day)?;
            let next_day = day.succ_opt().ok_or(SurchargeError::TooLong)?;
            for (i, band) in bands.iter().enumerate() {
                let b_start = local_instant(tz, day, band.from);
                let b_end = match bands.get(i + 1) {
                    Some(next) => local_instant(tz, day, next.from),
                    None => local_instant(tz, next_day, NaiveTime::MIN),
                };
                let (s, e) = (b_start.max(start), b_end.min(end));
                if s >= e {
                    continue;
                }
                match out.last_mut() {
                    Some(prev) if prev.end == s && prev.percent == band.percent => prev.end = e,
                    _ => out.push(Segment { start: s, end: e, percent: band.percent }),
                }
            }
            day = next_day;
        }
        Ok(out)
    }
}

/// The instant of local time `t` on `d`: in a DST gap, the first instant after it; when the
/// time occurs twice, the earlier.
fn local_instant(tz: Tz, d: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
    let mut local = d.and_time(t);
    // Gaps are at most a few hours; probing minute by minute is bounded and only on DST days.
    for _ in 0..=24 * 60 {
        match tz.from_local_datetime(&local) {
            LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => return x.with_timezone(&Utc),
            LocalResult::None => local += Duration::minutes(1),
        }
    }
    d.and_time(t).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use missions_calendar::CalendarSpec;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn norriq() -> SurchargeBands {
        SurchargeBands::new([
            (
                "weekday",
                vec![
                    ("00:00", d("25")),
                    ("08:30", d("0")),
                    ("12:30", d("25")),
                    ("13:30", d("0")),
                    ("17:30", d("25")),
                    ("21:00", d("50")),
                ],
            ),
            ("saturday", vec![("00:00", d("50")), ("17:00", d("100"))]),
            ("sunday", vec![("00:00", d("100"))]),
            ("holiday", vec![("00:00", d("100"))]),
        ])
        .unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn split(a: &str, b: &str) -> Vec<(String, i64, String)> {
        let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap();
        norriq()
            .split(&cal, t(a), t(b))
            .unwrap()
            .into_iter()
            .map(|s| {
                (
                    s.start.with_timezone(&Tz::Europe__Brussels).format("%a %H:%M").to_string(),
                    s.seconds() / 60,
                    s.percent.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_working_day_in_bands() {
        assert_eq!(
            split("2026-11-16T07:00:00+01:00", "2026-11-16T23:00:00+01:00"),
            [
                ("Mon 07:00".into(), 90, "25".into()),
                ("Mon 08:30".into(), 240, "0".into()),
                ("Mon 12:30".into(), 60, "25".into()),
                ("Mon 13:30".into(), 240, "0".into()),
                ("Mon 17:30".into(), 210, "25".into()),
                ("Mon 21:00".into(), 120, "50".into()),
            ]
        );
    }

    #[test]
    fn runs_with_one_surcharge_merge_across_midnight() {
        // Friday 21:00–24:00 (+50 %) and Saturday 00:00–17:00 (+50 %) are one run.
        assert_eq!(
            split("2026-11-20T22:00:00+01:00", "2026-11-21T18:00:00+01:00"),
            [("Fri 22:00".into(), 19 * 60, "50".into()), ("Sat 17:00".into(), 60, "100".into())]
        );
    }

    #[test]
    fn dst_nights_bill_real_time() {
        // Spring: Saturday 28 March 2026 23:00 CET to Sunday 03:30 CEST is 3.5 real hours.
        assert_eq!(
            split("2026-03-28T23:00:00+01:00", "2026-03-29T03:30:00+02:00"),
            [("Sat 23:00".into(), 210, "100".into())]
        );
        // Autumn: Saturday 24 October 2026 23:00 CEST to Sunday 03:00 CET is 5 real hours.
        assert_eq!(
            split("2026-10-24T23:00:00+02:00", "2026-10-25T03:00:00+01:00"),
            [("Sat 23:00".into(), 300, "100".into())]
        );
    }

    #[test]
    fn holidays_and_bad_periods() {
        // Christmas 2026 is a Friday: the whole day is +100 %, the Thursday evening +25 % then +50 %.
        assert_eq!(
            split("2026-12-24T20:00:00+01:00", "2026-12-25T10:00:00+01:00"),
            [
                ("Thu 20:00".into(), 60, "25".into()),
                ("Thu 21:00".into(), 180, "50".into()),
                ("Fri 00:00".into(), 600, "100".into())
            ]
        );
        let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap();
        let a = t("2026-12-24T20:00:00+01:00");
        assert_eq!(norriq().split(&cal, a, a), Err(SurchargeError::Empty));
        assert_eq!(norriq().split(&cal, a, a + Duration::days(400)), Err(SurchargeError::TooLong));
    }

    #[test]
    fn bad_bands_are_refused() {
        let e = SurchargeBands::new([("weekday", vec![("01:00", d("25"))])]).unwrap_err();
        assert!(e.to_string().contains("must start at `00:00`"), "{e}");
        let e = SurchargeBands::new([("weekday", vec![("00:00", d("25")), ("00:00", d("0"))])]).unwrap_err();
        assert!(e.to_string().contains("must come after"), "{e}");
        let e = SurchargeBands::new([("weekday", vec![("00:00", d("25"))])]).unwrap_err();
        assert!(e.to_string().contains("`saturday`: is missing"), "{e}");
        let e = SurchargeBands::new([("weekdya", vec![("00:00", d("25"))])]).unwrap_err();
        assert!(e.to_string().contains("unknown kind of day"), "{e}");
    }
}
