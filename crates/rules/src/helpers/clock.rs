//! `sla_clock(opened, starts, hours, events, as_of, statuses)`: a ticket's SLA clock, as the
//! SPEC's *SLA clocks* section defines it. The clock counts the pack calendar's working time
//! from `starts`; a status of `statuses.pause` pauses it until one of `statuses.resume`, one of
//! `statuses.stop` stops it (later events are ignored), and events later than `as_of` are
//! ignored. Which status does what is the pack's parameter; the arithmetic is here, in Rust,
//! because a ticket may carry a thousand events and the entry must stay in microseconds.
//!
//! The answer is a `Clock` record whose fields a script reads as properties (`clock.deadline`,
//! `clock["state"]`): no map is built for it unless the script writes the whole clock out, where it
//! becomes the object of its fields.

use chrono::{DateTime, TimeDelta, Utc};
use missions_calendar::Calendar;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, INT, ImmutableString, Map, Position, Variant};
use rust_decimal::Decimal;

use super::fail::{FnResult, out_of_range, runtime};
use super::table::{Bound, Helper};
use crate::context::PackContext;
use crate::schema::{InputError, InputProblem};
use crate::time_text::format_instant;
use crate::types::{CLOCK_PROPERTIES, Clock, Instant, State, StatusChanges, clock_property};

type Time = DateTime<Utc>;

/// What an event does to the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Pause,
    Resume,
    Stop,
}

/// Where the clock runs and where it is paused, from its events.
#[derive(Debug, Default)]
struct Timeline {
    /// Running stretches `[from, to)`; `to` is `None` for the last when it never stops running.
    running: Vec<(Time, Option<Time>)>,
    /// Pauses `[from, to)`; `to` is `None` for a pause never resumed.
    pauses: Vec<(Time, Option<Time>)>,
    /// When analysis started (the clock stopped).
    stop: Option<Time>,
}

impl Timeline {
    fn new(starts: Time, events: &[(Time, Change)], as_of: Option<Time>) -> Timeline {
        // At most one stretch per event, and the last one.
        let n = events.len() / 2 + 1;
        let mut t = Timeline { running: Vec::with_capacity(n), pauses: Vec::with_capacity(n), stop: None };
        // Running since (clipped to `starts`: nothing counts before it), or paused since.
        let (mut running_since, mut paused_since) = (Some(starts), None);
        for &(at, change) in events {
            if as_of.is_some_and(|limit| at > limit) {
                break;
            }
            match change {
                Change::Pause => {
                    if let Some(from) = running_since.take() {
                        if at > from {
                            t.running.push((from, Some(at)));
                        }
                        paused_since = Some(at);
                    }
                }
                Change::Resume => {
                    if let Some(from) = paused_since.take() {
                        t.pauses.push((from, Some(at)));
                        running_since = Some(at.max(starts));
                    }
                }
                Change::Stop => {
                    t.stop = Some(at);
                    break;
                }
            }
        }
        if let Some(from) = running_since {
            t.running.push((from, None));
        }
        if let Some(from) = paused_since {
            t.pauses.push((from, None));
        }
        t
    }
}

fn minutes(d: TimeDelta) -> INT {
    d.num_minutes()
}

/// The clock of a ticket whose counting starts at `starts`, with a target of `target` working
/// time, its `events` in time order, warnings at `percents` of the target.
pub(crate) fn clock(
    calendar: &Calendar,
    starts: Time,
    target: TimeDelta,
    events: &[(Time, Change)],
    as_of: Option<Time>,
    percents: &[INT],
) -> Result<Clock, missions_calendar::CalendarError> {
    let timeline = Timeline::new(starts, events, as_of);
    // The working time of each closed running stretch, measured once for every question below.
    let mut spans = Vec::with_capacity(timeline.running.len());
    for &(from, to) in &timeline.running {
        spans.push(match to {
            Some(to) => Some(calendar.working_between(from, to)?),
            None => None,
        });
    }
    // The first instant where the running time reaches `amount`.
    let reach = |amount: TimeDelta| -> Result<Option<Time>, missions_calendar::CalendarError> {
        let mut left = amount;
        for (&(from, _), span) in timeline.running.iter().zip(&spans) {
            match span {
                Some(here) if *here < left => left -= *here,
                _ => return calendar.add_working(from, left).map(Some),
            }
        }
        Ok(None)
    };
    // Working time counted by `t`.
    let consumed = |t: Time| -> Result<TimeDelta, missions_calendar::CalendarError> {
        let mut total = TimeDelta::zero();
        for (&(from, to), span) in timeline.running.iter().zip(&spans).take_while(|((from, _), _)| *from < t) {
            total += match (to, span) {
                (Some(to), Some(here)) if to <= t => *here,
                _ => calendar.working_between(from, to.map_or(t, |to| to.min(t)))?,
            };
        }
        Ok(total)
    };
    let deadline = reach(target)?;
    let mut warnings = Vec::with_capacity(percents.len());
    for &p in percents {
        let share = TimeDelta::try_seconds(target.num_seconds().saturating_mul(p) / 100).unwrap_or(target);
        warnings.push((p, reach(share)?));
    }
    // The running stretches and the pauses (clipped to `starts`) cover all the time from
    // `starts` without overlapping (the state at the last event lasts for ever, a stop included),
    // so the working time paused before an instant is the working time since `starts` less the
    // time counted: one calendar lookup, whatever the number of pauses.
    let paused_working_minutes = match deadline.or(as_of) {
        None => 0,
        Some(limit) => minutes(calendar.working_between(starts, limit)? - consumed(limit)?),
    };
    let stop = timeline.stop;
    let met = stop.map(|s| deadline.is_none_or(|d| s <= d));
    let at = match as_of {
        None => None,
        Some(t) => {
            let elapsed = minutes(consumed(stop.map_or(t, |s| s.min(t)))?);
            let remaining = minutes(target) - elapsed;
            let state = match stop {
                Some(s) if s <= t => match deadline.is_some_and(|d| s > d) {
                    true => State::Breached,
                    false => State::Met,
                },
                _ if deadline.is_some_and(|d| t > d) => State::Breached,
                _ if timeline.pauses.iter().any(|&(from, to)| from <= t && to.is_none_or(|to| t < to)) => State::Paused,
                _ => State::Running,
            };
            Some((elapsed, remaining, state))
        }
    };
    Ok(Clock { deadline, warnings, paused_working_minutes, analysis_started: stop, met, at })
}

fn input_error(path: String, problem: InputProblem) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(InputError { path, problem }), Position::NONE))
}

/// The pack's clock parameters (`{pause: [..], resume: [..], stop: [..], warnings: [..]}`), read
/// once per clock: what each status does, and the warnings' percentages.
pub(crate) struct ClockRules {
    changes: Vec<(ImmutableString, Change)>,
    percents: Vec<INT>,
}

impl ClockRules {
    pub(crate) fn of(statuses: &Map) -> ClockRules {
        let mut changes = Vec::new();
        for (key, change) in [("pause", Change::Pause), ("resume", Change::Resume), ("stop", Change::Stop)] {
            if let Some(listed) = statuses.get(key).and_then(|v| v.read_lock::<Array>()) {
                changes.extend(
                    listed.iter().filter_map(|s| s.read_lock::<ImmutableString>().map(|s| (s.clone(), change))),
                );
            }
        }
        let percents = statuses
            .get("warnings")
            .and_then(|v| v.read_lock::<Array>().map(|a| a.iter().filter_map(|p| p.as_int().ok()).collect()))
            .unwrap_or_default();
        ClockRules { changes, percents }
    }

    fn change_of(&self, status: &ImmutableString) -> FnResult<Change> {
        // The input's statuses are the schema's own shared strings: mostly one pointer compare.
        let same = |s: &ImmutableString| s.ptr_eq(status) || s.as_str() == status.as_str();
        match self.changes.iter().find(|(s, _)| same(s)) {
            Some(&(_, change)) => Ok(change),
            None => {
                Err(runtime(format!("status `{status}` is in none of the clock's `pause`, `resume` and `stop` lists")))
            }
        }
    }
}

/// A ticket's status changes as a script hands them over: a list of maps, or typed whole.
pub(crate) enum Events<'a> {
    Maps(&'a Array),
    Typed(&'a StatusChanges),
}

impl Events<'_> {
    fn len(&self) -> usize {
        match self {
            Events::Maps(a) => a.len(),
            Events::Typed(t) => t.0.len(),
        }
    }

    fn get(&self, i: usize) -> FnResult<(Time, ImmutableString)> {
        match self {
            Events::Typed(t) => t.0.get(i).cloned().ok_or_else(|| runtime("no such event")),
            Events::Maps(a) => {
                let e =
                    a.get(i).and_then(|e| e.read_lock::<Map>()).ok_or_else(|| runtime("an event is not an object"))?;
                let at = e
                    .get("at")
                    .and_then(|v| v.read_lock::<Instant>().map(|t| t.0))
                    .ok_or_else(|| runtime("an event has no `at`"))?;
                let status = e.get("status").and_then(|v| v.read_lock::<ImmutableString>().map(|s| s.clone()));
                Ok((at, status.ok_or_else(|| runtime("an event's `status` is not a string"))?))
            }
        }
    }
}

/// The script's arguments, checked: events in time order, none before `opened`, `as_of` not
/// before `opened` (each an input error at its JSON path).
fn events_of(
    ctx: &PackContext,
    opened: Time,
    events: &Events<'_>,
    as_of: Option<Time>,
    rules: &ClockRules,
) -> FnResult<Vec<(Time, Change)>> {
    let tz = ctx.timezone;
    let text = |t: Time| format_instant(&Instant(t), tz);
    if let Some(t) = as_of.filter(|t| *t < opened) {
        let problem = InputProblem::TooEarly { value: text(t), after: "opened".into(), bound: text(opened) };
        return Err(input_error("as_of".into(), problem));
    }
    let mut out = Vec::with_capacity(events.len());
    let mut previous: Option<Time> = None;
    for i in 0..events.len() {
        let (at, status) = events.get(i)?;
        // The field this event must not precede, when it does.
        let earlier = match previous {
            Some(p) if at < p => Some((format!("events[{}].at", i - 1), p)),
            None if at < opened => Some(("opened".to_owned(), opened)),
            _ => None,
        };
        if let Some((after, bound)) = earlier {
            let problem = InputProblem::TooEarly { value: text(at), after, bound: text(bound) };
            return Err(input_error(format!("events[{i}].at"), problem));
        }
        previous = Some(at);
        out.push((at, rules.change_of(&status)?));
    }
    Ok(out)
}

/// `sla_clock(…)` for scripts (see the module's documentation).
pub(crate) fn sla_clock(
    ctx: &PackContext,
    opened: Instant,
    starts: Instant,
    hours: Decimal,
    events: &Events<'_>,
    as_of: &Dynamic,
    rules: &ClockRules,
) -> FnResult<Clock> {
    let as_of = match as_of.is_unit() {
        true => None,
        false => Some(as_of.clone().try_cast::<Instant>().ok_or_else(|| runtime("`as_of` is not an instant"))?.0),
    };
    let events = events_of(ctx, opened.0, events, as_of, rules)?;
    let target = super::dates::hours_to_delta(hours)?;
    clock(&ctx.calendar, starts.0, target, &events, as_of, &rules.percents)
        .map_err(|e| out_of_range(format!("calendar: {e}")))
}

/// `sla_clock` for one type of `hours` (`H`) and of `events` (`E`).
fn register_clock<H: Variant + Clone, E: Variant + Clone>(
    engine: &mut Engine,
    name: &str,
    ctx: &Arc<PackContext>,
    hours: fn(H) -> Decimal,
    events: fn(&E) -> Events<'_>,
) {
    let c = ctx.clone();
    engine.register_fn(name, move |opened: Instant, starts: Instant, h: H, ev: E, as_of: Dynamic, statuses: Map| {
        sla_clock(&c, opened, starts, hours(h), &events(&ev), &as_of, &ClockRules::of(&statuses))
    });
}

/// The SLA clock.
pub(super) const HELPERS: &[Helper] = &[Helper {
    name: "sla_clock",
    arities: &[6],
    register: |e, name, ctx| {
        // The answer: a record read by property or by index, as a map would be.
        e.register_type_with_name::<Clock>("Clock");
        for prop in CLOCK_PROPERTIES {
            e.register_get(prop, move |c: &mut Clock| clock_property(c, prop).unwrap_or(Dynamic::UNIT));
        }
        e.register_indexer_get(|c: &mut Clock, key: ImmutableString| -> FnResult<Dynamic> {
            clock_property(c, &key).ok_or_else(|| runtime(format!("a clock has no property `{key}`")))
        });
        // Hours as a decimal or an integer; events as a list of maps or typed whole.
        register_clock::<Decimal, Array>(e, name, ctx, |h| h, |a| Events::Maps(a));
        register_clock::<INT, Array>(e, name, ctx, Decimal::from, |a| Events::Maps(a));
        register_clock::<Decimal, StatusChanges>(e, name, ctx, |h| h, |t| Events::Typed(t));
        register_clock::<INT, StatusChanges>(e, name, ctx, Decimal::from, |t| Events::Typed(t));
    },
    direct: Some(Bound::SlaClock),
}];

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use missions_calendar::CalendarSpec;

    use super::*;

    fn at(d: u32, h: u32, m: u32) -> Time {
        chrono_tz::Europe::Brussels
            .with_ymd_and_hms(2026, 12, d, h, m, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn the_spec_example() {
        let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap_or_else(|e| panic!("{e}"));
        let events = [(at(1, 10, 0), Change::Pause), (at(1, 14, 0), Change::Resume)];
        let c = clock(&cal, at(1, 9, 0), TimeDelta::hours(4), &events, Some(at(1, 15, 0)), &[50, 80])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.deadline, Some(at(1, 17, 0)));
        assert_eq!(c.warnings, vec![(50, Some(at(1, 15, 0))), (80, Some(at(1, 16, 12)))]);
        assert_eq!(c.paused_working_minutes, 180);
        assert_eq!((c.analysis_started, c.met), (None, None));
        assert_eq!(c.at, Some((120, 120, State::Running)));
    }

    /// The paused time, computed as working time less counted time, equals the sum of the
    /// working time of each pause, for many timelines (pauses before counting starts, over
    /// weekends, never resumed, cut by the start of analysis or by `as_of`).
    #[test]
    fn paused_time_is_the_sum_of_the_pauses() {
        let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap_or_else(|e| panic!("{e}"));
        let opened = at(4, 18, 0); // a Friday evening: counting starts on Monday
        let starts = cal.next_working_instant(opened).unwrap_or_else(|e| panic!("{e}"));
        let mut seed: u64 = 17;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..300 {
            let mut t = opened;
            let mut events = Vec::new();
            for _ in 0..next(12) {
                t += TimeDelta::minutes(i64::try_from(next(900)).unwrap_or(1) + 1);
                let change =
                    [Change::Pause, Change::Resume, Change::Pause, Change::Resume, Change::Stop][next(5) as usize];
                events.push((t, change));
            }
            let as_of = (next(2) == 0).then(|| opened + TimeDelta::minutes(i64::try_from(next(6000)).unwrap_or(0)));
            let c = clock(&cal, starts, TimeDelta::hours(8), &events, as_of, &[50]).unwrap_or_else(|e| panic!("{e}"));
            let timeline = Timeline::new(starts, &events, as_of);
            let expected = match c.deadline.or(as_of) {
                None => 0,
                Some(limit) => {
                    let mut total = TimeDelta::zero();
                    for &(from, to) in timeline.pauses.iter().take_while(|(from, _)| *from < limit) {
                        total += cal
                            .working_between(from.max(starts), to.map_or(limit, |to| to.min(limit)))
                            .unwrap_or_else(|e| panic!("{e}"));
                    }
                    minutes(total)
                }
            };
            assert_eq!(c.paused_working_minutes, expected, "{events:?} as of {as_of:?}");
        }
    }
}
