//! Dates, instants and the business calendar, as scripts see them: `date(…)`, `add_months`,
//! `add_working_hours`, `is_working_day` …

use std::sync::Arc;

use chrono::{Datelike, Months, TimeDelta, Timelike};
use rhai::{Dynamic, Engine, EvalAltResult, INT};
use rust_decimal::Decimal;

use super::fail::{FnResult, out_of_range, runtime};
use super::table::{Bound, Helper};
use crate::context::PackContext;
use crate::time_text::{format_date, format_instant};
use crate::types::{Date, Instant, in_range};

/// `date(y, m, d)`, between 1900 and 2200.
pub(crate) fn date_of(y: INT, m: INT, d: INT) -> FnResult<Date> {
    let (y, m, d) = (i32::try_from(y).ok(), u32::try_from(m).ok(), u32::try_from(d).ok());
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(y, m, d)
            .filter(|d| in_range(*d))
            .map(Date)
            .ok_or_else(|| out_of_range(format!("`{y}-{m}-{d}` is not a date between 1900 and 2200"))),
        _ => Err(out_of_range("date parts out of range")),
    }
}

fn checked_date(d: Option<chrono::NaiveDate>) -> FnResult<Date> {
    d.filter(|d| in_range(*d)).map(Date).ok_or_else(|| out_of_range("date arithmetic left the range 1900–2200"))
}

/// At evaluation time the calendar only fails on dates and durations out of its range.
fn cal_err(e: impl std::fmt::Display) -> Box<EvalAltResult> {
    out_of_range(format!("calendar: {e}"))
}

/// Working hours (a decimal) as whole seconds; fractions of a second are refused, not rounded.
pub(super) fn hours_to_delta(hours: Decimal) -> FnResult<TimeDelta> {
    let secs = hours.checked_mul(Decimal::from(3600)).ok_or_else(|| out_of_range("working duration too large"))?;
    if secs.fract() != Decimal::ZERO || secs < Decimal::ZERO {
        return Err(runtime(format!("working duration `{hours}` h must be positive whole seconds")));
    }
    let secs = i64::try_from(secs).map_err(|_| out_of_range("working duration too large"))?;
    TimeDelta::try_seconds(secs).ok_or_else(|| out_of_range("working duration too large"))
}

fn delta_to_hours(d: TimeDelta) -> Decimal {
    // Exact: seconds / 3600, normalised so whole hours print without a fraction.
    (Decimal::from(d.num_seconds()) / Decimal::from(3600)).normalize()
}

/// Months added (or, negative, taken away), clamped to the month's end, within 1900–2200.
fn shift_months(d: Date, n: INT) -> FnResult<Date> {
    let months = Months::new(u32::try_from(n.unsigned_abs()).unwrap_or(u32::MAX));
    checked_date(if n >= 0 { d.0.checked_add_months(months) } else { d.0.checked_sub_months(months) })
}

/// `==`, `!=`, `<`, `<=`, `>`, `>=` for a script type with a total order.
fn register_ordering<T: Ord + Clone + Send + Sync + 'static>(engine: &mut Engine) {
    engine.register_fn("==", |a: T, b: T| a == b);
    engine.register_fn("!=", |a: T, b: T| a != b);
    engine.register_fn("<", |a: T, b: T| a < b);
    engine.register_fn("<=", |a: T, b: T| a <= b);
    engine.register_fn(">", |a: T, b: T| a > b);
    engine.register_fn(">=", |a: T, b: T| a >= b);
}

/// `add_days(d, n)`: `n` calendar days after `d` (before, when negative), within 1900–2200.
pub(crate) fn add_days(d: Date, n: INT) -> FnResult<Date> {
    checked_date(TimeDelta::try_days(n).and_then(|n| d.0.checked_add_signed(n)))
}

/// `minutes_until(a, b)`: whole minutes from `a` to `b` (negative when `b` is earlier).
pub(crate) fn minutes_until(a: Instant, b: Instant) -> INT {
    (b.0 - a.0).num_minutes()
}

/// `add_minutes(t, n)`: `n` minutes after the instant `t`.
pub(crate) fn add_minutes(t: Instant, n: INT) -> FnResult<Instant> {
    TimeDelta::try_minutes(n)
        .and_then(|d| t.0.checked_add_signed(d))
        .map(Instant)
        .ok_or_else(|| out_of_range("instant arithmetic overflowed"))
}

/// `add_months(d, n)`: `n` months after `d`, clamped to the month's end.
pub(crate) fn add_months(d: Date, n: INT) -> FnResult<Date> {
    shift_months(d, n)
}

/// `add_years(d, n)`: `n` years after `d` (29 February becomes 28 February in other years).
pub(crate) fn add_years(d: Date, n: INT) -> FnResult<Date> {
    shift_months(d, n.saturating_mul(12))
}

/// `first_of_month(d)`: the first day of `d`'s month.
pub(crate) fn first_of_month(d: Date) -> FnResult<Date> {
    checked_date(d.0.with_day(1))
}

/// `add_working_days(d, n)`: `n` working days after `d` in the pack's calendar.
pub(crate) fn add_working_days(ctx: &PackContext, d: Date, n: INT) -> FnResult<Date> {
    ctx.calendar.add_working_days(d.0, n).map(Date).map_err(cal_err)
}

/// `a - b` on dates: the days from `b` to `a`.
pub(crate) fn days_between(a: Date, b: Date) -> INT {
    (a.0 - b.0).num_days()
}

/// `add_working_hours(t, hours)`: `hours` of working time after `t`.
pub(crate) fn add_working_hours(ctx: &PackContext, t: Instant, hours: Decimal) -> FnResult<Instant> {
    ctx.calendar.add_working(t.0, hours_to_delta(hours)?).map(Instant).map_err(cal_err)
}

/// `next_working_instant(t)`: `t` if it is working time, else the start of the next working period.
pub(crate) fn next_working_instant(ctx: &PackContext, t: Instant) -> FnResult<Instant> {
    ctx.calendar.next_working_instant(t.0).map(Instant).map_err(cal_err)
}

/// Reads one property of a date.
type DateGetter = fn(&Date) -> INT;

/// The properties of a date scripts read (`d.year` …): one table for rhai's getters and the
/// direct evaluation.
const DATE_PROPERTIES: [(&str, DateGetter); 4] = [
    ("year", |d| INT::from(d.0.year())),
    ("month", |d| INT::from(d.0.month())),
    ("day", |d| INT::from(d.0.day())),
    // ISO weekday: Monday = 1 … Sunday = 7.
    ("weekday", |d| INT::from(d.0.weekday().number_from_monday())),
];

/// The property `name` of a date, if it has one.
pub(crate) fn date_property(d: &Date, name: &str) -> Option<INT> {
    DATE_PROPERTIES.iter().find(|(n, _)| *n == name).map(|(_, get)| get(d))
}

/// An instant's property in the pack's timezone: its local `date`, `hour` or `minute`.
pub(crate) fn instant_property(t: &Instant, tz: chrono_tz::Tz, name: &str) -> Option<Dynamic> {
    let local = t.0.with_timezone(&tz);
    match name {
        "date" => Some(Dynamic::from(Date(local.date_naive()))),
        "hour" => Some(Dynamic::from_int(INT::from(local.hour()))),
        "minute" => Some(Dynamic::from_int(INT::from(local.minute()))),
        _ => None,
    }
}

/// The types dates and instants are, with their properties, comparisons and text: not helpers
/// scripts call by name, but what their values answer to.
pub(super) fn register_types(engine: &mut Engine, ctx: &Arc<PackContext>) {
    engine.register_type_with_name::<Date>("Date");
    for (name, get) in DATE_PROPERTIES {
        engine.register_get(name, move |d: &mut Date| get(d));
    }
    engine.register_fn("-", days_between);
    register_ordering::<Date>(engine);
    engine.register_fn("to_string", |d: &mut Date| format_date(d.0));
    engine.register_fn("to_debug", |d: &mut Date| format_date(d.0));

    let tz = ctx.timezone;
    engine.register_type_with_name::<Instant>("Instant");
    for name in ["date", "hour", "minute"] {
        engine.register_get(name, move |t: &mut Instant| instant_property(t, tz, name).unwrap_or(Dynamic::UNIT));
    }
    register_ordering::<Instant>(engine);
    engine.register_fn("to_string", move |t: &mut Instant| format_instant(t, tz));
    engine.register_fn("to_debug", move |t: &mut Instant| format_instant(t, tz));
}

/// Dates, instants and the business calendar.
pub(super) const HELPERS: &[Helper] = &[
    Helper {
        name: "date",
        arities: &[3],
        register: |e, name, _| {
            e.register_fn(name, date_of);
        },
        direct: Some(Bound::Date),
    },
    Helper {
        name: "parse_date",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |s: &str| -> FnResult<Date> {
                crate::schema::parse_date(s)
                    .filter(|d| in_range(*d))
                    .map(Date)
                    .ok_or_else(|| runtime(format!("`{s}` is not a date like `2026-12-24`")))
            });
        },
        direct: None,
    },
    Helper {
        name: "add_days",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, add_days);
        },
        direct: Some(Bound::AddDays),
    },
    Helper {
        name: "add_months",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, add_months);
        },
        direct: Some(Bound::AddMonths),
    },
    Helper {
        name: "add_years",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, add_years);
        },
        direct: Some(Bound::AddYears),
    },
    Helper {
        name: "days_until",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, |a: Date, b: Date| (b.0 - a.0).num_days());
        },
        direct: None,
    },
    Helper {
        name: "first_of_month",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, first_of_month);
        },
        direct: Some(Bound::FirstOfMonth),
    },
    Helper {
        name: "parse_instant",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |s: &str| -> FnResult<Instant> {
                crate::schema::parse_instant(s)
                    .map(Instant)
                    .ok_or_else(|| runtime(format!("`{s}` is not an instant like `2026-12-24T16:00:00+01:00`")))
            });
        },
        direct: None,
    },
    Helper {
        name: "add_minutes",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, add_minutes);
        },
        direct: Some(Bound::AddMinutes),
    },
    Helper {
        name: "minutes_until",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, minutes_until);
        },
        direct: Some(Bound::MinutesUntil),
    },
    Helper {
        name: "add_working_hours",
        arities: &[2],
        register: |e, name, ctx| {
            let c = ctx.clone();
            e.register_fn(name, move |t: Instant, h: Decimal| add_working_hours(&c, t, h));
            let c = ctx.clone();
            e.register_fn(name, move |t: Instant, h: INT| add_working_hours(&c, t, Decimal::from(h)));
        },
        direct: Some(Bound::AddWorkingHours),
    },
    Helper {
        name: "add_working_minutes",
        arities: &[2],
        register: |e, name, ctx| {
            let c = ctx.calendar.clone();
            e.register_fn(name, move |t: Instant, m: INT| -> FnResult<Instant> {
                let d = TimeDelta::try_minutes(m)
                    .filter(|d| *d >= TimeDelta::zero())
                    .ok_or_else(|| runtime(format!("`{m}` minutes must be positive")))?;
                c.add_working(t.0, d).map(Instant).map_err(cal_err)
            });
        },
        direct: None,
    },
    Helper {
        name: "working_hours_between",
        arities: &[2],
        register: |e, name, ctx| {
            let c = ctx.calendar.clone();
            e.register_fn(name, move |a: Instant, b: Instant| -> FnResult<Decimal> {
                c.working_between(a.0, b.0).map(delta_to_hours).map_err(cal_err)
            });
        },
        direct: None,
    },
    Helper {
        name: "next_working_instant",
        arities: &[1],
        register: |e, name, ctx| {
            let c = ctx.clone();
            e.register_fn(name, move |t: Instant| next_working_instant(&c, t));
        },
        direct: Some(Bound::NextWorkingInstant),
    },
    Helper {
        name: "is_working_time",
        arities: &[1],
        register: |e, name, ctx| {
            let c = ctx.calendar.clone();
            e.register_fn(name, move |t: Instant| -> FnResult<bool> { c.is_working_time(t.0).map_err(cal_err) });
        },
        direct: Some(Bound::IsWorkingTime),
    },
    Helper {
        name: "add_working_days",
        arities: &[2],
        register: |e, name, ctx| {
            let c = ctx.clone();
            e.register_fn(name, move |d: Date, n: INT| add_working_days(&c, d, n));
        },
        direct: Some(Bound::AddWorkingDays),
    },
    Helper {
        name: "is_working_day",
        arities: &[1],
        register: |e, name, ctx| {
            let c = ctx.calendar.clone();
            e.register_fn(name, move |d: Date| -> FnResult<bool> { c.is_working_day(d.0).map_err(cal_err) });
        },
        direct: None,
    },
];
