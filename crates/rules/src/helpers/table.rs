//! The shape of the helper table: one entry per function scripts may call, read by rhai's
//! registration and by the direct evaluation's lowering (see [`super::HELPERS`]).

use std::sync::Arc;

use rhai::Engine;

use crate::context::PackContext;

/// How a lowered entry calls a helper directly: the walk's binding to the helper's Rust body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// `invoice_line(…)`: `pricing::invoice_line`.
    InvoiceLine,
    /// `note(…)`: `pricing::note`.
    Note,
    /// `vat_regime(…)`: `vat::vat_regime_of`.
    VatRegime,
    /// `round_money(x)`.
    RoundMoney,
    /// `trace(rule, detail)`.
    Trace,
    /// `reject(…)` always ends the evaluation with an error: rhai builds it.
    Reject,
    /// `x in y` (rhai's `contains(y, x)`).
    Contains,
    /// `is_eu_member(country)`.
    IsEuMember,
    /// `next_working_instant(t)`: `dates::next_working_instant`.
    NextWorkingInstant,
    /// `add_working_hours(t, hours)`: `dates::add_working_hours`.
    AddWorkingHours,
    /// `label(code[, vars])`: `texts::label`, `texts::filled_label`.
    Label,
    /// `add_days(d, n)`: `dates::add_days`.
    AddDays,
    /// `add_months(d, n)`: `dates::add_months`.
    AddMonths,
    /// `add_years(d, n)`: `dates::add_years`.
    AddYears,
    /// `first_of_month(d)`: `dates::first_of_month`.
    FirstOfMonth,
    /// `add_working_days(d, n)`: `dates::add_working_days`.
    AddWorkingDays,
    /// `date(y, m, d)`: `dates::date_of`.
    Date,
    /// `add_minutes(t, n)`: `dates::add_minutes`.
    AddMinutes,
    /// `is_working_time(t)`: the pack calendar's.
    IsWorkingTime,
    /// `surcharge_segments(start, end, bands)`: `surcharge::surcharge_segments`.
    SurchargeSegments,
    /// `sla_clock(opened, starts, hours, events, as_of, statuses)`: `clock::sla_clock`.
    SlaClock,
    /// `minutes_until(a, b)`: `dates::minutes_until`.
    MinutesUntil,
    /// `round_half_away(x, dp)`: `texts::round_to`.
    RoundHalfAway,
    /// `to_decimal(n)` of an integer.
    ToDecimal,
}

/// One function scripts may call, declared once.
#[derive(Debug)]
pub(crate) struct Helper {
    /// Its name in scripts.
    pub(crate) name: &'static str,
    /// The numbers of arguments it takes, one per overload.
    pub(crate) arities: &'static [usize],
    /// Registers every overload with a pack's engine, under [`Helper::name`].
    pub(crate) register: fn(&mut Engine, &'static str, &Arc<PackContext>),
    /// How a lowered entry calls it directly; `None` keeps an entry that calls it in rhai.
    pub(crate) direct: Option<Bound>,
}
