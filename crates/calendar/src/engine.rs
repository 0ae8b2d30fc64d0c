//! Working-time arithmetic. Each year gets a day table the first time it is touched (the only
//! place that calls chrono-tz); queries then do integer arithmetic and binary searches on
//! those tables, so their cost grows with the years crossed, never with minutes or days.

use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{GapInfo, Tz};

use super::holidays::holidays_in_range;
use super::spec::{DAY_SECS, Week, validate_closures, validate_week};
use super::time::{DstExtension, NS, date_of, instant, ns_of, ns_of_delta, unix_day, year_of};
use super::{BelgianHoliday, CalendarError, CalendarSpec, HolidayRule, MAX_YEAR, MIN_YEAR};

const DAY: i64 = DAY_SECS as i64;
const YEARS: usize = (MAX_YEAR - MIN_YEAR + 1) as usize;

const WORKING_DAY: u8 = 1;
/// The UTC offset changes during the local day: its periods were converted one by one.
const EXACT: u8 = 2;
const CLOSURE: u8 = 4;

/// Why a date is not worked although its weekday has working periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayOff {
    /// A legal holiday.
    Holiday(BelgianHoliday),
    /// A closure the tenant declared.
    Closure,
}

/// One local day. `start` is the UTC second of local 00:00 (gap: first instant after it).
#[derive(Debug, Clone, Copy)]
struct Day {
    start: i64,
    /// Working seconds in the year before this day.
    cum: u32,
    /// Working seconds in this day (0 for a day off).
    work: u32,
    /// Working days in the year before this day.
    cum_wd: u16,
    /// Index into `YearInfo::exact` when `flags` has `EXACT`.
    exact: u16,
    weekday: u8,
    flags: u8,
}

impl Day {
    fn cum_end(&self) -> u32 {
        self.cum + self.work
    }

    fn is_working(&self) -> bool {
        self.flags & WORKING_DAY != 0
    }

    /// Working days in the year up to and including this one.
    fn wd_through(&self) -> u32 {
        u32::from(self.cum_wd) + u32::from(self.is_working())
    }
}

/// UTC `[start, end)` seconds of one working period.
type Span = (i64, i64);

#[derive(Debug)]
struct YearInfo {
    days: Box<[Day]>,
    /// UTC `[start, end)` seconds of the periods of days where the offset changes.
    exact: Box<[Box<[Span]>]>,
    holidays: Box<[(u16, BelgianHoliday)]>,
    total: u32,
    working_days: u32,
}

/// A day in the calendar's range: year index (year − 1900) and day of that year (0-based).
#[derive(Debug, Clone, Copy)]
struct Pos {
    y: usize,
    d: usize,
}

/// A business calendar: weekly working periods in a timezone, minus holidays and closures,
/// for local dates 1900-01-01..=2200-12-31.
///
/// Build it once and share it (`Arc<Calendar>`): it is `Send + Sync`, and fills its per-year
/// tables lazily, once, whichever thread asks first.
///
/// Every instant is converted in the calendar's timezone, DST-correct: a local time that
/// falls in a DST gap moves forward to the first instant after the gap; an ambiguous one
/// takes the earlier instant. Working periods are half-open, `[start, end)`. Queries take
/// instants from local 1900-01-01 00:00 up to (excluding) local 2201-01-01 00:00.
///
/// chrono-tz lists DST transitions up to 2099 only; for later years the calendar repeats the
/// zone's rule (see `DstExtension`), so Brussels keeps its summer time until 2200.
pub struct Calendar {
    spec: CalendarSpec,
    week: Week,
    closures: Box<[NaiveDate]>,
    /// Unix day of 1 January for 1900..=2202 (2201 for the range end, 2202 as its bound).
    year_first_day: Box<[i64]>,
    /// How DST goes on after the last transition chrono-tz lists, if it does.
    dst_extension: Option<DstExtension>,
    /// UTC seconds of local 1900-01-01 00:00 and of local 2201-01-01 00:00.
    range_start: i64,
    range_end: i64,
    years: Box<[OnceLock<Result<YearInfo, CalendarError>>]>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar").field("spec", &self.spec).finish_non_exhaustive()
    }
}

impl Calendar {
    /// Validates `spec` (periods, a week with working time, closures in range) and builds the
    /// calendar. Year tables are built on first use.
    pub fn new(spec: CalendarSpec) -> Result<Calendar, CalendarError> {
        let week = validate_week(&spec.week)?;
        let closures = validate_closures(&spec.closures)?;
        let year_first_day = (MIN_YEAR..=MAX_YEAR + 2)
            .map(|year| NaiveDate::from_ymd_opt(year, 1, 1).map(unix_day).ok_or(CalendarError::YearOutOfRange { year }))
            .collect::<Result<Box<[i64]>, _>>()?;
        let dst_extension = DstExtension::new(spec.timezone, &year_first_day);
        let mut calendar = Calendar {
            spec,
            week,
            closures,
            year_first_day,
            dst_extension,
            range_start: 0,
            range_end: 0,
            years: (0..YEARS).map(|_| OnceLock::new()).collect(),
        };
        calendar.range_start = calendar.local_to_utc(calendar.first_day(0) * DAY)?.0;
        calendar.range_end = calendar.local_to_utc(calendar.first_day(YEARS) * DAY)?.0;
        Ok(calendar)
    }

    /// The spec this calendar was built from.
    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    /// The timezone working periods are expressed in.
    pub fn timezone(&self) -> Tz {
        self.spec.timezone
    }

    /// Whether `t` lies inside a working period (`[start, end)`).
    pub fn is_working_time(&self, t: DateTime<Utc>) -> Result<bool, CalendarError> {
        let (p, yi) = self.locate(t)?;
        let day = day_of(yi, p)?;
        let t = ns_of(t);
        Ok(self.intervals(yi, &day).any(|(s, e)| i128::from(s) * NS <= t && t < i128::from(e) * NS))
    }

    /// `t` itself if it is working time, else the start of the next working period: where a
    /// ticket opened at `t` starts counting.
    pub fn next_working_instant(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        let (p, mut yi) = self.locate(t)?;
        let day = day_of(yi, p)?;
        let t_ns = ns_of(t);
        if let Some((s, _)) = self.intervals(yi, &day).find(|&(_, e)| t_ns < i128::from(e) * NS) {
            return instant(t_ns.max(i128::from(s) * NS), t);
        }
        // The next day with working time is the first whose running total exceeds this one's.
        let done = day.cum_end();
        let mut y = p.y;
        let mut d = yi.days.partition_point(|day| day.cum_end() <= done);
        loop {
            if let Some(day) = yi.days.get(d)
                && let Some((s, _)) = self.intervals(yi, day).next()
            {
                return instant(i128::from(s) * NS, t);
            }
            y += 1;
            if y >= YEARS {
                return Err(CalendarError::NoWorkingTimeAfter { start: t });
            }
            yi = self.year(y)?;
            d = yi.days.partition_point(|day| day.cum_end() == 0);
        }
    }

    /// The instant at which `duration` of working time has elapsed, counting from `t` (from the
    /// next working instant if `t` is not working time).
    ///
    /// A deadline that falls exactly on the end of a working period stays there: it does not
    /// jump to the start of the next period. A zero `duration` returns
    /// [`next_working_instant(t)`](Self::next_working_instant), i.e. `t` unchanged when it is
    /// working time. A negative `duration` is an error.
    pub fn add_working(&self, t: DateTime<Utc>, duration: TimeDelta) -> Result<DateTime<Utc>, CalendarError> {
        if duration < TimeDelta::zero() {
            return Err(CalendarError::NegativeDuration { duration });
        }
        if duration.is_zero() {
            return self.next_working_instant(t);
        }
        let beyond = || CalendarError::DeadlineOutOfRange { start: t, duration };
        let d_ns = ns_of_delta(duration);
        if d_ns > i128::from(self.range_end - self.range_start) * NS {
            return Err(beyond());
        }
        let (p, mut yi) = self.locate(t)?;
        let mut y = p.y;
        // Position on the year's working-time axis, then skip whole years, then whole days.
        let mut target = self.worked_in_year_before(yi, p, ns_of(t))? + d_ns;
        loop {
            let total = i128::from(yi.total) * NS;
            if target <= total {
                break;
            }
            target -= total;
            y += 1;
            if y >= YEARS {
                return Err(beyond());
            }
            yi = self.year(y)?;
        }
        // First day whose running total reaches the target: an exact hit on a day's last
        // period end stays on that day.
        let d = yi.days.partition_point(|day| i128::from(day.cum_end()) * NS < target);
        let day = yi.days.get(d).ok_or_else(beyond)?;
        let mut rest = target - i128::from(day.cum) * NS;
        for (s, e) in self.intervals(yi, day) {
            let len = i128::from(e - s) * NS;
            if rest <= len {
                return instant(i128::from(s) * NS + rest, t);
            }
            rest -= len;
        }
        Err(beyond())
    }

    /// Working time in `[a, b)`; zero if `b <= a`.
    pub fn working_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<TimeDelta, CalendarError> {
        if b <= a {
            return Ok(TimeDelta::zero());
        }
        let ((pa, ya), (pb, yb)) = (self.locate(a)?, self.locate(b)?);
        let mut total = self.worked_in_year_before(yb, pb, ns_of(b))? - self.worked_in_year_before(ya, pa, ns_of(a))?;
        for y in pa.y..pb.y {
            total += i128::from(self.year(y)?.total) * NS;
        }
        let secs = i64::try_from(total.div_euclid(NS)).ok();
        let nanos = u32::try_from(total.rem_euclid(NS)).ok();
        secs.zip(nanos)
            .and_then(|(secs, nanos)| TimeDelta::new(secs, nanos))
            .ok_or(CalendarError::InstantOutOfRange { instant: b })
    }

    /// Whether `date` is a working day: its weekday has working periods and it is neither a
    /// legal holiday nor a closure.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let p = self.pos_of_date(date)?;
        Ok(day_of(self.year(p.y)?, p)?.is_working())
    }

    /// Why `date` is off, if it is a legal holiday (first) or a closure; `None` otherwise
    /// (weekends are not reported: they simply have no working periods).
    pub fn is_holiday(&self, date: NaiveDate) -> Result<Option<DayOff>, CalendarError> {
        let p = self.pos_of_date(date)?;
        let yi = self.year(p.y)?;
        if let Some(&(_, kind)) = yi.holidays.iter().find(|&&(d, _)| usize::from(d) == p.d) {
            return Ok(Some(DayOff::Holiday(kind)));
        }
        Ok((day_of(yi, p)?.flags & CLOSURE != 0).then_some(DayOff::Closure))
    }

    /// The `n`-th working day after `date` (`n` > 0) or before it (`n` < 0); `date` itself
    /// need not be a working day. `n` = 0 returns `date` unchanged, worked or not.
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        let p = self.pos_of_date(date)?;
        if n == 0 {
            return Ok(date);
        }
        let beyond = || CalendarError::WorkingDaysOutOfRange { date, days: n };
        if n.unsigned_abs() > 366 * YEARS as u64 {
            return Err(beyond());
        }
        let mut y = p.y;
        let mut yi = self.year(y)?;
        let day = day_of(yi, p)?;
        // `k`: rank (1-based) of the wanted working day among the working days of year `y`.
        let mut k = if n > 0 { i64::from(day.wd_through()) + n } else { i64::from(day.cum_wd) + n + 1 };
        while k > i64::from(yi.working_days) {
            k -= i64::from(yi.working_days);
            y += 1;
            if y >= YEARS {
                return Err(beyond());
            }
            yi = self.year(y)?;
        }
        while k < 1 {
            y = y.checked_sub(1).ok_or_else(beyond)?;
            yi = self.year(y)?;
            k += i64::from(yi.working_days);
        }
        let d = yi.days.partition_point(|day| i64::from(day.wd_through()) < k);
        let day = self.first_day(y) + i64::try_from(d).map_err(|_| beyond())?;
        date_of(day).ok_or_else(beyond)
    }

    // ----- tables -----

    fn year(&self, y: usize) -> Result<&YearInfo, CalendarError> {
        let cell = self.years.get(y).ok_or(CalendarError::YearOutOfRange { year: year_of(y) })?;
        cell.get_or_init(|| self.build_year(y)).as_ref().map_err(Clone::clone)
    }

    fn build_year(&self, y: usize) -> Result<YearInfo, CalendarError> {
        let year = year_of(y);
        let first = self.first_day(y);
        let len = self.first_day(y + 1) - first;
        let holidays: Box<[(u16, BelgianHoliday)]> = match self.spec.holidays {
            HolidayRule::Belgium => holidays_in_range(year)
                .into_iter()
                .filter_map(|h| u16::try_from(h.date.ordinal0()).ok().map(|d| (d, h.kind)))
                .collect(),
            HolidayRule::None => Box::new([]),
        };
        let closures: Vec<u32> = self.closures.iter().filter(|d| d.year() == year).map(|d| d.ordinal0()).collect();
        // One tz conversion per local midnight, then only DST days convert their periods.
        let starts = (0..=len).map(|i| self.local_to_utc((first + i) * DAY)).collect::<Result<Vec<_>, _>>()?;
        let mut days = Vec::with_capacity(starts.len());
        let mut exact = Vec::new();
        let (mut cum, mut cum_wd) = (0u32, 0u16);
        for (i, pair) in (0u16..).zip(starts.windows(2)) {
            let &[(start, single), (next, next_single)] = pair else {
                continue;
            };
            let unix = first + i64::from(i);
            let weekday = (unix + 3).rem_euclid(7);
            let periods = usize::try_from(weekday).ok().and_then(|w| self.week.days.get(w)).map_or(&[][..], |p| &p[..]);
            let closure = closures.contains(&u32::from(i));
            let holiday = holidays.iter().any(|&(d, _)| d == i);
            let working = !periods.is_empty() && !holiday && !closure;
            let clean = single && next_single && unix * DAY - start == (unix + 1) * DAY - next;
            let mut day = Day {
                start,
                cum,
                work: 0,
                cum_wd,
                exact: 0,
                weekday: u8::try_from(weekday).unwrap_or_default(),
                flags: u8::from(working) * WORKING_DAY + u8::from(closure) * CLOSURE,
            };
            if working && clean {
                day.work = periods.iter().map(|&(s, e)| e - s).sum();
            } else if working {
                let mut intervals = Vec::with_capacity(periods.len());
                for &(s, e) in periods {
                    let (s, _) = self.local_to_utc(unix * DAY + i64::from(s))?;
                    let (e, _) = self.local_to_utc(unix * DAY + i64::from(e))?;
                    if e > s {
                        intervals.push((s, e));
                        day.work += u32::try_from(e - s).unwrap_or_default();
                    }
                }
                day.flags |= EXACT;
                day.exact = u16::try_from(exact.len()).unwrap_or_default();
                exact.push(intervals.into_boxed_slice());
            }
            cum += day.work;
            cum_wd += u16::from(working);
            days.push(day);
        }
        Ok(YearInfo {
            days: days.into_boxed_slice(),
            exact: exact.into_boxed_slice(),
            holidays,
            total: cum,
            working_days: u32::from(cum_wd),
        })
    }

    /// UTC second of a local wall-clock second, and whether the local time was unambiguous.
    /// Gap: the first instant after it; ambiguous: the earlier instant.
    fn local_to_utc(&self, local: i64) -> Result<(i64, bool), CalendarError> {
        let shift = self.reference_shift(local);
        let local = local - shift;
        let naive =
            DateTime::from_timestamp(local, 0).ok_or(CalendarError::YearOutOfRange { year: i32::MAX })?.naive_utc();
        let tz = self.spec.timezone;
        let utc = |offset: <Tz as TimeZone>::Offset| local - i64::from(offset.fix().local_minus_utc());
        let (utc, single) = match tz.offset_from_local_datetime(&naive) {
            LocalResult::Single(offset) => (utc(offset), true),
            LocalResult::Ambiguous(a, b) => (utc(a).min(utc(b)), false),
            LocalResult::None => {
                let end = GapInfo::new(&naive, &tz)
                    .and_then(|gap| gap.end)
                    .ok_or(CalendarError::DateOutOfRange { date: naive.date() })?;
                (end.timestamp(), false)
            }
        };
        Ok((utc + shift, single))
    }

    /// Seconds to move a local time past chrono-tz's data back to its reference year (else 0).
    fn reference_shift(&self, local: i64) -> i64 {
        let Some(ext) = &self.dst_extension else {
            return 0;
        };
        let year = year_of(self.year_index_of_day(local.div_euclid(DAY)));
        let index = usize::try_from(year - ext.last_year - 1).ok();
        index.and_then(|i| ext.shifts.get(i)).map_or(0, |days| days * DAY)
    }

    // ----- positions -----

    /// Unix day of 1 January of year index `y` (past the table: `i64::MAX`).
    fn first_day(&self, y: usize) -> i64 {
        self.year_first_day.get(y).copied().unwrap_or(i64::MAX)
    }

    /// Year index of a Unix day, clamped to the table.
    fn year_index_of_day(&self, day: i64) -> usize {
        let last = self.year_first_day.len().saturating_sub(2);
        let guess = (day - self.first_day(0)).max(0) * 400 / 146_097;
        let mut y = usize::try_from(guess).unwrap_or(usize::MAX).min(last);
        while y > 0 && self.first_day(y) > day {
            y -= 1;
        }
        while y < last && self.first_day(y + 1) <= day {
            y += 1;
        }
        y
    }

    fn pos_of_date(&self, date: NaiveDate) -> Result<Pos, CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
            return Err(CalendarError::DateOutOfRange { date });
        }
        let y = usize::try_from(date.year() - MIN_YEAR).map_err(|_| CalendarError::DateOutOfRange { date })?;
        let d = usize::try_from(date.ordinal0()).map_err(|_| CalendarError::DateOutOfRange { date })?;
        Ok(Pos { y, d })
    }

    /// The local day containing `t`, and its year's table.
    fn locate(&self, t: DateTime<Utc>) -> Result<(Pos, &YearInfo), CalendarError> {
        let secs = t.timestamp();
        if secs < self.range_start || secs >= self.range_end {
            return Err(CalendarError::InstantOutOfRange { instant: t });
        }
        // The UTC date is within a day of the local one.
        let last = self.first_day(YEARS) - 1;
        let day = secs.div_euclid(DAY).clamp(self.first_day(0), last);
        let y = self.year_index_of_day(day);
        let d = usize::try_from(day - self.first_day(y)).unwrap_or_default();
        // Mostly that day or a neighbour in the same year's table (the next one for a zone east
        // of UTC late in the UTC day, the previous one west of it): found without a walk.
        let yi = self.year(y)?;
        for k in [Some(d), d.checked_add(1), d.checked_sub(1)].into_iter().flatten() {
            if let (Some(this), Some(next)) = (yi.days.get(k), k.checked_add(1).and_then(|n| yi.days.get(n)))
                && this.start <= secs
                && secs < next.start
            {
                return Ok((Pos { y, d: k }, yi));
            }
        }
        // At the edge of a year: walk the day starts.
        let mut p = Pos { y, d };
        while secs < self.day_start(p)? {
            let Some(q) = self.prev(p) else { break };
            p = q;
        }
        while let Some(q) = self.next(p) {
            if secs < self.day_start(q)? {
                break;
            }
            p = q;
        }
        Ok((p, self.year(p.y)?))
    }

    fn day_start(&self, p: Pos) -> Result<i64, CalendarError> {
        Ok(day_of(self.year(p.y)?, p)?.start)
    }

    fn year_len(&self, y: usize) -> usize {
        usize::try_from(self.first_day(y + 1) - self.first_day(y)).unwrap_or_default()
    }

    fn next(&self, p: Pos) -> Option<Pos> {
        if p.d + 1 < self.year_len(p.y) {
            Some(Pos { y: p.y, d: p.d + 1 })
        } else if p.y + 1 < YEARS {
            Some(Pos { y: p.y + 1, d: 0 })
        } else {
            None
        }
    }

    fn prev(&self, p: Pos) -> Option<Pos> {
        if p.d > 0 {
            Some(Pos { y: p.y, d: p.d - 1 })
        } else {
            let y = p.y.checked_sub(1)?;
            Some(Pos { y, d: self.year_len(y).checked_sub(1)? })
        }
    }

    // ----- working time within a year -----

    /// UTC `[start, end)` seconds of the working periods of a day, in order.
    fn intervals<'a>(&'a self, yi: &'a YearInfo, day: &Day) -> Intervals<'a> {
        if day.work == 0 {
            Intervals::Exact([].iter())
        } else if day.flags & EXACT != 0 {
            let exact = yi.exact.get(usize::from(day.exact)).map_or(&[][..], |e| &e[..]);
            Intervals::Exact(exact.iter())
        } else {
            let periods = self.week.days.get(usize::from(day.weekday)).map_or(&[][..], |p| &p[..]);
            Intervals::Shifted { base: day.start, periods: periods.iter() }
        }
    }

    /// Working nanoseconds from the start of year `p.y` to `t_ns` (which lies in day `p`).
    fn worked_in_year_before(&self, yi: &YearInfo, p: Pos, t_ns: i128) -> Result<i128, CalendarError> {
        let day = day_of(yi, p)?;
        let mut worked = i128::from(day.cum) * NS;
        for (s, e) in self.intervals(yi, &day) {
            let (s, e) = (i128::from(s) * NS, i128::from(e) * NS);
            if t_ns <= s {
                break;
            }
            worked += t_ns.min(e) - s;
        }
        Ok(worked)
    }
}

enum Intervals<'a> {
    Shifted { base: i64, periods: std::slice::Iter<'a, (u32, u32)> },
    Exact(std::slice::Iter<'a, Span>),
}

impl Iterator for Intervals<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        match self {
            Intervals::Shifted { base, periods } => {
                periods.next().map(|&(s, e)| (*base + i64::from(s), *base + i64::from(e)))
            }
            Intervals::Exact(intervals) => intervals.next().copied(),
        }
    }
}

fn day_of(yi: &YearInfo, p: Pos) -> Result<Day, CalendarError> {
    yi.days.get(p.d).copied().ok_or(CalendarError::YearOutOfRange { year: year_of(p.y) })
}
