//! The helpers a lowered entry calls, bound to their Rust functions: arguments evaluated as rhai
//! evaluates them, then the same function rhai's registration calls.

use rhai::{Array, Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;

use super::super::tree::Ex;
use super::super::{Bail, R};
use super::Run;
use crate::helpers::{Bound, clock, dates, pricing, surcharge, texts, vat};
use crate::money::{self, VatTreatment, round_half_away};
use crate::types::{Date, Instant, StatusChanges};

impl Run<'_> {
    pub(super) fn call(&mut self, func: Bound, args: &[Ex]) -> R<Dynamic> {
        let value = match (func, args) {
            (Bound::InvoiceLine, [code, q, p, vat, label, rest @ ..]) => {
                let code = self.eval(code)?;
                let q = self.eval(q)?;
                let p = self.eval(p)?;
                let vat = self.eval(vat)?;
                let label = self.eval(label)?;
                let vars = match rest {
                    [vars] => Some(self.eval(vars)?.try_cast::<Map>().ok_or(Bail)?),
                    _ => None,
                };
                let code = code.read_lock::<ImmutableString>().ok_or(Bail)?;
                let label = label.read_lock::<ImmutableString>().ok_or(Bail)?;
                let vat = vat.read_lock::<VatTreatment>().ok_or(Bail)?;
                let line = pricing::invoice_line(self.ctx, &code, &q, &p, &vat, &label, vars.unwrap_or_default())
                    .map_err(|_| Bail)?;
                Dynamic::from(line)
            }
            (Bound::Note, [code, rest @ ..]) => {
                let code = self.eval(code)?;
                let vars = match rest {
                    [vars] => Some(self.eval(vars)?.try_cast::<Map>().ok_or(Bail)?),
                    _ => None,
                };
                let code = code.read_lock::<ImmutableString>().ok_or(Bail)?;
                Dynamic::from(pricing::note(self.ctx, &code, &vars.unwrap_or_default()).map_err(|_| Bail)?)
            }
            (Bound::VatRegime, [client, path, vat]) => {
                let path = self.eval(path)?;
                let path = path.read_lock::<ImmutableString>().ok_or(Bail)?;
                let vat = self.eval(vat)?;
                let vat = vat.read_lock::<Map>().ok_or(Bail)?;
                let treatment = self.with_ref(client, |c| {
                    let c = c.read_lock::<Map>().ok_or(Bail)?;
                    vat::vat_regime_of(&c, &path, &vat).map_err(|_| Bail)
                })?;
                Dynamic::from(treatment)
            }
            (Bound::RoundMoney, [x]) => {
                let x = self.eval(x)?.as_decimal().map_err(|_| Bail)?;
                Dynamic::from_decimal(round_half_away(x, 2))
            }
            (Bound::Trace, [rule, detail]) => {
                let rule = self.eval(rule)?;
                let detail = self.eval(detail)?.flatten();
                let rule = rule.read_lock::<ImmutableString>().ok_or(Bail)?;
                if let Some(trace) = self.trace.as_deref_mut() {
                    let mut m = Map::new();
                    m.insert("rule".into(), Dynamic::from(rule.to_string()));
                    m.insert("detail".into(), detail);
                    trace.push(Dynamic::from_map(m));
                }
                Dynamic::UNIT
            }
            (Bound::Reject, _) => return Err(Bail),
            (Bound::Contains, [container, item]) => {
                let item = self.eval(item)?;
                // An integer in a list of integers, a decimal in a list of decimals; a list
                // holding anything else is rhai's to compare.
                let same = |v: &Dynamic| -> R<bool> {
                    match (item.as_int(), item.as_decimal()) {
                        (Ok(n), _) => v.as_int().map(|x| x == n).map_err(|_| Bail),
                        (_, Ok(d)) => v.as_decimal().map(|x| x == d).map_err(|_| Bail),
                        _ => Err(Bail),
                    }
                };
                if item.is_int() || item.is_decimal() {
                    let found = self.with_ref(container, |c| {
                        let array = c.read_lock::<Array>().ok_or(Bail)?;
                        array.iter().try_fold(false, |found, v| Ok(found | same(v)?))
                    })?;
                    return Ok(Dynamic::from_bool(found));
                }
                let key = item.read_lock::<ImmutableString>().ok_or(Bail)?;
                let found = self.with_ref(container, |c| {
                    if let Some(map) = c.read_lock::<Map>() {
                        return Ok(map.contains_key(key.as_str()));
                    }
                    // The engine's own `contains(array, string)`.
                    let array = c.read_lock::<Array>().ok_or(Bail)?;
                    Ok(array.iter().any(|v| v.read_lock::<ImmutableString>().is_some_and(|x| *x == *key)))
                })?;
                Dynamic::from_bool(found)
            }
            (Bound::NextWorkingInstant, [t]) => {
                let t = self.eval(t)?.try_cast::<Instant>().ok_or(Bail)?;
                Dynamic::from(dates::next_working_instant(self.ctx, t).map_err(|_| Bail)?)
            }
            (Bound::AddWorkingHours, [t, h]) => {
                let t = self.eval(t)?.try_cast::<Instant>().ok_or(Bail)?;
                let h = self.eval(h)?;
                let hours = match h.as_decimal() {
                    Ok(d) => d,
                    Err(_) => Decimal::from(h.as_int().map_err(|_| Bail)?),
                };
                Dynamic::from(dates::add_working_hours(self.ctx, t, hours).map_err(|_| Bail)?)
            }
            (Bound::AddDays | Bound::AddMonths | Bound::AddYears | Bound::AddWorkingDays, [d, n]) => {
                let d = self.eval(d)?.try_cast::<Date>().ok_or(Bail)?;
                let n = self.eval(n)?.as_int().map_err(|_| Bail)?;
                let date = match func {
                    Bound::AddDays => dates::add_days(d, n),
                    Bound::AddMonths => dates::add_months(d, n),
                    Bound::AddYears => dates::add_years(d, n),
                    _ => dates::add_working_days(self.ctx, d, n),
                };
                Dynamic::from(date.map_err(|_| Bail)?)
            }
            (Bound::Date, [y, m, d]) => {
                let y = self.eval(y)?.as_int().map_err(|_| Bail)?;
                let m = self.eval(m)?.as_int().map_err(|_| Bail)?;
                let d = self.eval(d)?.as_int().map_err(|_| Bail)?;
                Dynamic::from(dates::date_of(y, m, d).map_err(|_| Bail)?)
            }
            (Bound::AddMinutes, [t, n]) => {
                let t = self.eval(t)?.try_cast::<Instant>().ok_or(Bail)?;
                let n = self.eval(n)?.as_int().map_err(|_| Bail)?;
                Dynamic::from(dates::add_minutes(t, n).map_err(|_| Bail)?)
            }
            (Bound::ToDecimal, [n]) => Dynamic::from_decimal(Decimal::from(self.eval(n)?.as_int().map_err(|_| Bail)?)),
            (Bound::MinutesUntil, [a, b]) => {
                let a = self.eval(a)?.try_cast::<Instant>().ok_or(Bail)?;
                let b = self.eval(b)?.try_cast::<Instant>().ok_or(Bail)?;
                Dynamic::from_int(dates::minutes_until(a, b))
            }
            (Bound::RoundHalfAway, [x, dp]) => {
                // Registered for a decimal only: an integer is rhai's to refuse.
                let x = self.eval(x)?.as_decimal().map_err(|_| Bail)?;
                let dp = self.eval(dp)?.as_int().map_err(|_| Bail)?;
                Dynamic::from_decimal(texts::round_to(x, dp).map_err(|_| Bail)?)
            }
            (Bound::IsWorkingTime, [t]) => {
                let t = self.eval(t)?.try_cast::<Instant>().ok_or(Bail)?;
                Dynamic::from(self.ctx.calendar.is_working_time(t.0).map_err(|_| Bail)?)
            }
            (Bound::SurchargeSegments, [start, end, bands]) => {
                let start = self.eval(start)?.try_cast::<Instant>().ok_or(Bail)?;
                let end = self.eval(end)?.try_cast::<Instant>().ok_or(Bail)?;
                let bands = self.eval(bands)?;
                let bands = bands.as_map_ref().map_err(|_| Bail)?;
                let segments =
                    surcharge::surcharge_segments(&self.ctx.calendar, start, end, &bands).map_err(|_| Bail)?;
                Dynamic::from_array(segments)
            }
            (Bound::SlaClock, [opened, starts, hours, events, as_of, statuses]) => {
                let opened = self.eval(opened)?.try_cast::<Instant>().ok_or(Bail)?;
                let starts = self.eval(starts)?.try_cast::<Instant>().ok_or(Bail)?;
                let hours = self.eval(hours)?;
                let hours = hours.as_decimal().or_else(|_| hours.as_int().map(Decimal::from)).map_err(|_| Bail)?;
                let as_of = self.eval(as_of)?;
                // The events and the parameters are read where they are: copying a thousand
                // events would cost more than the clock. A read counts the operation `eval` would
                // have counted.
                let read = |e: &Ex| u64::from(matches!(e, Ex::Var(_) | Ex::Prop(..) | Ex::Index(..)));
                self.tick_n(read(events) + read(statuses))?;
                let rules =
                    self.with_ref(statuses, |s| Ok(clock::ClockRules::of(&*s.read_lock::<Map>().ok_or(Bail)?)))?;
                let ctx = self.ctx;
                let clock = self.with_ref(events, |events| {
                    let run = |events: &clock::Events<'_>| {
                        clock::sla_clock(ctx, opened, starts, hours, events, &as_of, &rules).map_err(|_| Bail)
                    };
                    match events.read_lock::<Array>() {
                        Some(maps) => run(&clock::Events::Maps(&maps)),
                        None => run(&clock::Events::Typed(&*events.read_lock::<StatusChanges>().ok_or(Bail)?)),
                    }
                })?;
                Dynamic::from(clock)
            }
            (Bound::FirstOfMonth, [d]) => {
                let d = self.eval(d)?.try_cast::<Date>().ok_or(Bail)?;
                Dynamic::from(dates::first_of_month(d).map_err(|_| Bail)?)
            }
            (Bound::Label, [code, rest @ ..]) => {
                let code = self.eval(code)?;
                let code = code.read_lock::<ImmutableString>().ok_or(Bail)?;
                match rest {
                    [] => texts::label(self.ctx, &code).map_err(|_| Bail)?,
                    [vars] => {
                        let vars = self.eval(vars)?.try_cast::<Map>().ok_or(Bail)?;
                        texts::filled_label(self.ctx, &code, &vars).map_err(|_| Bail)?
                    }
                    _ => return Err(Bail),
                }
            }
            (Bound::IsEuMember, [c]) => {
                let c = self.eval(c)?;
                let c = c.read_lock::<ImmutableString>().ok_or(Bail)?;
                Dynamic::from_bool(money::is_eu_member(&c))
            }
            _ => return Err(Bail),
        };
        self.check_size(&value)?;
        Ok(value)
    }
}
