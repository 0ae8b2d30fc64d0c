//! `surcharge_segments(start, end, bands)`: a work period split into runs that each carry one
//! off-hours surcharge, with the texts labels print.

use chrono::NaiveTime;
use missions_calendar::Calendar;
use rhai::{Array, Dynamic, Map};
use rust_decimal::Decimal;

use super::fail::{FnResult, runtime};
use super::table::{Bound, Helper};
use crate::money::SurchargeBands;
use crate::types::Instant;

/// Read the pack parameter `{weekday: [{from, percent}], saturday: …, sunday: …, holiday: …}`.
fn bands_of(map: &Map) -> FnResult<SurchargeBands> {
    let mut days = Vec::with_capacity(map.len());
    let mut texts: Vec<(String, Vec<(String, Decimal)>)> = Vec::with_capacity(map.len());
    for (kind, list) in map {
        let arr =
            list.read_lock::<Array>().ok_or_else(|| runtime(format!("surcharge bands `{kind}` must be a list")))?;
        let mut bands = Vec::with_capacity(arr.len());
        for b in arr.iter() {
            let m = b
                .read_lock::<Map>()
                .ok_or_else(|| runtime(format!("surcharge bands `{kind}`: each band is `{{from, percent}}`")))?;
            let from = m.get("from").filter(|v| v.is_string()).map(ToString::to_string);
            let pct = m.get("percent").and_then(|v| v.as_decimal().ok().or_else(|| v.as_int().ok().map(Decimal::from)));
            match (from, pct) {
                (Some(f), Some(p)) => bands.push((f, p)),
                _ => {
                    return Err(runtime(format!(
                        "surcharge bands `{kind}`: each band is `{{from: \"HH:MM\", percent: N}}`"
                    )));
                }
            }
        }
        texts.push((kind.to_string(), bands));
    }
    for (kind, bands) in &texts {
        days.push((kind.as_str(), bands.iter().map(|(f, p)| (f.as_str(), *p)).collect()));
    }
    SurchargeBands::new(days).map_err(|e| runtime(e.to_string()))
}

/// `surcharge_segments(start, end, bands)`, returning
/// `[#{start, end, minutes, seconds, percent, day, from, to, end_day}]` (local dates `dd/mm/yyyy`
/// and times `HH:MM` for labels).
pub(crate) fn surcharge_segments(calendar: &Calendar, start: Instant, end: Instant, bands: &Map) -> FnResult<Array> {
    let bands = bands_of(bands)?;
    let segments = bands.split(calendar, start.0, end.0).map_err(|e| runtime(e.to_string()))?;
    let tz = calendar.timezone();
    Ok(segments
        .into_iter()
        .map(|s| {
            let (ls, le) = (s.start.with_timezone(&tz), s.end.with_timezone(&tz));
            let secs = s.seconds();
            let mut m = Map::new();
            m.insert("start".into(), Dynamic::from(Instant(s.start)));
            m.insert("end".into(), Dynamic::from(Instant(s.end)));
            m.insert("seconds".into(), Dynamic::from(secs));
            m.insert("minutes".into(), Dynamic::from(secs / 60));
            m.insert("percent".into(), Dynamic::from_decimal(s.percent));
            m.insert("day".into(), ls.format("%d/%m/%Y").to_string().into());
            m.insert("from".into(), ls.format("%H:%M").to_string().into());
            // The end of a run at midnight reads 24:00 on the day it closes.
            let (end_day, to) = if le.time() == NaiveTime::MIN && le.date_naive() > ls.date_naive() {
                let prev = le.date_naive().pred_opt().unwrap_or(le.date_naive());
                (prev.format("%d/%m/%Y").to_string(), "24:00".to_owned())
            } else {
                (le.format("%d/%m/%Y").to_string(), le.format("%H:%M").to_string())
            };
            m.insert("to".into(), to.into());
            m.insert("end_day".into(), end_day.into());
            Dynamic::from_map(m)
        })
        .collect())
}

pub(super) const HELPERS: &[Helper] = &[Helper {
    name: "surcharge_segments",
    arities: &[3],
    register: |e, name, ctx| {
        let calendar = ctx.calendar.clone();
        e.register_fn(name, move |start: Instant, end: Instant, bands: Map| -> FnResult<Array> {
            surcharge_segments(&calendar, start, end, &bands)
        });
    },
    direct: Some(Bound::SurchargeSegments),
}];
