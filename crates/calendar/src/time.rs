//! Time as the calendar computes with it: instants as nanoseconds, dates as days since the Unix
//! epoch, and daylight saving time carried on past the years chrono-tz lists.

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::{CalendarError, MAX_YEAR, MIN_YEAR};

/// Nanoseconds in a second.
pub(super) const NS: i128 = 1_000_000_000;
/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01.
pub(super) const UNIX_EPOCH_CE_DAYS: i64 = 719_163;
/// A zone whose DST lasts until at least this year in chrono-tz's data follows a perpetual
/// rule: real abolitions are all in the past (see `DstExtension`).
pub(super) const PERPETUAL_DST_FROM: i32 = 2037;

pub(super) fn year_of(y: usize) -> i32 {
    MIN_YEAR.saturating_add(i32::try_from(y).unwrap_or(i32::MAX))
}

pub(super) fn unix_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_CE_DAYS
}

pub(super) fn date_of(unix_day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(unix_day + UNIX_EPOCH_CE_DAYS).ok()?)
}

pub(super) fn ns_of(t: DateTime<Utc>) -> i128 {
    i128::from(t.timestamp()) * NS + i128::from(t.timestamp_subsec_nanos())
}

pub(super) fn ns_of_delta(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * NS + i128::from(d.subsec_nanos())
}

/// The instant at `ns`; `from` only names the query in the (unreachable) error.
pub(super) fn instant(ns: i128, from: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
    let secs = i64::try_from(ns.div_euclid(NS)).ok();
    let nanos = u32::try_from(ns.rem_euclid(NS)).ok();
    secs.zip(nanos)
        .and_then(|(secs, nanos)| DateTime::from_timestamp(secs, nanos))
        .ok_or(CalendarError::InstantOutOfRange { instant: from })
}

/// chrono-tz lists transitions up to about 2100 only, then leaves a zone in one offset forever
/// (Brussels would stay on winter time from November 2099). A zone whose DST lasts that long
/// follows a perpetual rule, so we keep it going: a later year uses the transitions of the
/// latest listed year that starts on the same weekday and has the same length. That is exact
/// for weekday-based rules such as the EU's "last Sunday of March / October", and we check the
/// zone is weekday-periodic before relying on it.
#[derive(Debug)]
pub(super) struct DstExtension {
    /// The last year with DST in chrono-tz's data.
    pub(super) last_year: i32,
    /// For each year after `last_year` up to 2201: days from its 1 January back to its
    /// reference year's 1 January.
    pub(super) shifts: Box<[i64]>,
}

impl DstExtension {
    pub(super) fn new(tz: Tz, year_first_day: &[i64]) -> Option<DstExtension> {
        let offset_at = |year: i32, month: u32, day: u32| {
            NaiveDate::from_ymd_opt(year, month, day)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map(|t| tz.offset_from_utc_datetime(&t).fix().local_minus_utc())
        };
        let has_dst = |year| offset_at(year, 1, 15) != offset_at(year, 7, 15);
        let last_year = (PERPETUAL_DST_FROM..=MAX_YEAR + 1).rev().find(|&y| has_dst(y))?;
        if last_year > MAX_YEAR {
            return None;
        }
        let first_day = |year: i32| usize::try_from(year - MIN_YEAR).ok().and_then(|y| year_first_day.get(y).copied());
        // Weekday of 1 January and length: years of one kind share every weekday-based date.
        let kind = |year: i32| {
            let first = first_day(year)?;
            Some(((first + 3).rem_euclid(7), first_day(year + 1)? - first))
        };
        let reference =
            |year: i32, latest: i32| (latest - 28..=latest).rev().find(|&r| kind(r).is_some() && kind(r) == kind(year));
        let samples = |year: i32| -> Vec<Option<i32>> {
            (1..=12).flat_map(|m| [offset_at(year, m, 1), offset_at(year, m, 15)]).collect()
        };
        let earlier = reference(last_year, last_year - 1)?;
        if samples(earlier) != samples(last_year) {
            return None;
        }
        let shifts = (last_year + 1..=MAX_YEAR + 1)
            .map(|year| Some(first_day(year)? - first_day(reference(year, last_year)?)?))
            .collect::<Option<_>>()?;
        Some(DstExtension { last_year, shifts })
    }
}
