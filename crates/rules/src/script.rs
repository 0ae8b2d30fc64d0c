//! The sandboxed rhai runtime a pack's scripts run in. It starts from a raw engine and adds only
//! what rules need: core language, arithmetic on exact decimals, strings, arrays and maps, plus
//! the engine's own dates, instants, business calendar, labels and money rounding. Scripts have no
//! file, module, clock or network access, and every resource is bounded by [`ScriptLimits`].

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Months, SecondsFormat, TimeDelta, Timelike};
use chrono_tz::Tz;
use rhai::packages::{BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, MoreStringPackage, Package};
use rhai::{Array, Dynamic, Engine, EvalAltResult, INT, ImmutableString, Map, NativeCallContext, Position};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use missions_calendar::Calendar;

use crate::output;
use crate::types::{Date, Instant, in_range};

/// Resource bounds for one evaluation. A pack may lower them in `pack.yaml` (`limits:`), never
/// raise them past [`ScriptLimits::HOST_MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScriptLimits {
    /// Operations one evaluation may perform (an endless loop stops here).
    pub max_operations: u64,
    /// Depth of nested function calls.
    pub max_call_levels: usize,
    /// Depth of nested expressions at top level (checked when the script is compiled).
    pub max_expr_depth: usize,
    /// Depth of nested expressions inside functions (checked when the script is compiled).
    pub max_function_expr_depth: usize,
    /// Length of any string, in bytes.
    pub max_string_size: usize,
    /// Elements of any array.
    pub max_array_size: usize,
    /// Entries of any map.
    pub max_map_size: usize,
    /// Variables alive at once.
    pub max_variables: usize,
}

impl ScriptLimits {
    /// What a pack gets when it says nothing.
    pub const DEFAULT: Self = Self {
        max_operations: 1_000_000,
        max_call_levels: 24,
        max_expr_depth: 48,
        max_function_expr_depth: 32,
        max_string_size: 64 * 1024,
        max_array_size: 10_000,
        max_map_size: 10_000,
        max_variables: 256,
    };

    /// The most any pack may ask for: about a second of work and a few MiB of data.
    pub const HOST_MAX: Self = Self {
        max_operations: 20_000_000,
        max_call_levels: 48,
        max_expr_depth: 96,
        max_function_expr_depth: 64,
        max_string_size: 1024 * 1024,
        max_array_size: 100_000,
        max_map_size: 100_000,
        max_variables: 1024,
    };

    /// The limits that exceed the host maximum, as `(name, asked, max)`.
    pub fn above_host_max(&self) -> Vec<(&'static str, u64, u64)> {
        let m = Self::HOST_MAX;
        let pairs: [(&'static str, u64, u64); 8] = [
            ("max_operations", self.max_operations, m.max_operations),
            ("max_call_levels", self.max_call_levels as u64, m.max_call_levels as u64),
            ("max_expr_depth", self.max_expr_depth as u64, m.max_expr_depth as u64),
            ("max_function_expr_depth", self.max_function_expr_depth as u64, m.max_function_expr_depth as u64),
            ("max_string_size", self.max_string_size as u64, m.max_string_size as u64),
            ("max_array_size", self.max_array_size as u64, m.max_array_size as u64),
            ("max_map_size", self.max_map_size as u64, m.max_map_size as u64),
            ("max_variables", self.max_variables as u64, m.max_variables as u64),
        ];
        pairs.into_iter().filter(|(_, asked, max)| asked > max).collect()
    }
}

impl Default for ScriptLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Translations of one text, by language code.
pub type Labels = BTreeMap<String, String>;

/// What the script functions of one pack can see: its calendar, timezone and texts.
#[derive(Debug)]
pub(crate) struct PackContext {
    pub calendar: Arc<Calendar>,
    pub timezone: Tz,
    pub labels: BTreeMap<String, Labels>,
    /// The same labels, parsed for filling.
    pub templates: crate::template::Templates,
}

/// The marker a `reject(…)` error carries so evaluation can tell it from a script bug.
pub(crate) const REJECT_MARK: &str = "__missions_reject";

type FnResult<T> = Result<T, Box<EvalAltResult>>;

fn runtime(msg: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(msg.into()), Position::NONE))
}

fn date_of(y: INT, m: INT, d: INT) -> FnResult<Date> {
    let (y, m, d) = (i32::try_from(y).ok(), u32::try_from(m).ok(), u32::try_from(d).ok());
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(y, m, d)
            .filter(|d| in_range(*d))
            .map(Date)
            .ok_or_else(|| runtime(format!("`{y}-{m}-{d}` is not a date between 1900 and 2200"))),
        _ => Err(runtime("date parts out of range")),
    }
}

fn checked_date(d: Option<chrono::NaiveDate>) -> FnResult<Date> {
    d.filter(|d| in_range(*d)).map(Date).ok_or_else(|| runtime("date arithmetic left the range 1900–2200"))
}

fn cal_err(e: impl std::fmt::Display) -> Box<EvalAltResult> {
    runtime(format!("calendar: {e}"))
}

/// Working hours (a decimal) as whole seconds; fractions of a second are refused, not rounded.
fn hours_to_delta(hours: Decimal) -> FnResult<TimeDelta> {
    let secs = hours.checked_mul(Decimal::from(3600)).ok_or_else(|| runtime("working duration too large"))?;
    if secs.fract() != Decimal::ZERO || secs < Decimal::ZERO {
        return Err(runtime(format!("working duration `{hours}` h must be positive whole seconds")));
    }
    let secs = i64::try_from(secs).map_err(|_| runtime("working duration too large"))?;
    TimeDelta::try_seconds(secs).ok_or_else(|| runtime("working duration too large"))
}

fn delta_to_hours(d: TimeDelta) -> Decimal {
    // Exact: seconds / 3600, normalised so whole hours print without a fraction.
    (Decimal::from(d.num_seconds()) / Decimal::from(3600)).normalize()
}

/// EN 16931 rounding: half away from zero, to `dp` decimals, always showing `dp` decimals.
pub(crate) fn round_half_away(x: Decimal, dp: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    r
}

/// Build the engine for one pack. Built once per pack version and shared by every evaluation.
pub(crate) fn build_engine(limits: &ScriptLimits, ctx: Arc<PackContext>) -> Engine {
    let mut engine = Engine::new_raw();
    // One module for all the standard packages: every function call that misses the cache looks
    // in each global module in turn, once per `Dynamic` parameter combination.
    let mut std = rhai::Module::new();
    for package in [
        CorePackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
    ] {
        std.combine_flatten(rhai::Shared::unwrap_or_clone(package));
    }
    std.build_index();
    engine.register_global_module(std.into());

    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(limits.max_variables)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true);
    // `eval` would compile code at run time, outside the pack's validated scripts.
    engine.disable_symbol("eval");

    engine.on_print(|s| tracing::info!(target: "missions::script", "{s}"));
    engine.on_debug(|s, src, pos| tracing::debug!(target: "missions::script", source = src.unwrap_or(""), %pos, "{s}"));

    register_dates(&mut engine, &ctx);
    register_calendar(&mut engine, &ctx);
    register_money(&mut engine);
    register_fast_paths(&mut engine);
    register_texts(&mut engine, &ctx);
    register_pricing(&mut engine, &ctx);
    engine
}

/// Invoices, VAT regimes and off-hours surcharges: the pricing helpers whose arithmetic is Rust's.
fn register_pricing(engine: &mut Engine, ctx: &Arc<PackContext>) {
    crate::country::register(engine);
    crate::surcharge::register(engine, ctx.calendar.clone());
    crate::invoice::register(engine, ctx);
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

fn register_dates(engine: &mut Engine, ctx: &Arc<PackContext>) {
    engine.register_type_with_name::<Date>("Date");
    engine.register_fn("date", date_of);
    engine.register_fn("parse_date", |s: &str| -> FnResult<Date> {
        crate::schema::parse_date(s)
            .filter(|d| in_range(*d))
            .map(Date)
            .ok_or_else(|| runtime(format!("`{s}` is not a date like `2026-12-24`")))
    });
    engine.register_get("year", |d: &mut Date| INT::from(d.0.year()));
    engine.register_get("month", |d: &mut Date| INT::from(d.0.month()));
    engine.register_get("day", |d: &mut Date| INT::from(d.0.day()));
    // ISO weekday: Monday = 1 … Sunday = 7.
    engine.register_get("weekday", |d: &mut Date| INT::from(d.0.weekday().number_from_monday()));
    engine.register_fn("add_days", |d: Date, n: INT| {
        checked_date(TimeDelta::try_days(n).and_then(|n| d.0.checked_add_signed(n)))
    });
    engine.register_fn("add_months", |d: Date, n: INT| shift_months(d, n));
    engine.register_fn("add_years", |d: Date, n: INT| shift_months(d, n.saturating_mul(12)));
    engine.register_fn("days_until", |a: Date, b: Date| (b.0 - a.0).num_days());
    engine.register_fn("first_of_month", |d: Date| checked_date(d.0.with_day(1)));
    engine.register_fn("-", |a: Date, b: Date| (a.0 - b.0).num_days());
    register_ordering::<Date>(engine);
    engine.register_fn("to_string", |d: &mut Date| format_date(d.0));
    engine.register_fn("to_debug", |d: &mut Date| format_date(d.0));

    let tz = ctx.timezone;
    engine.register_type_with_name::<Instant>("Instant");
    engine.register_fn("parse_instant", |s: &str| -> FnResult<Instant> {
        crate::schema::parse_instant(s)
            .map(Instant)
            .ok_or_else(|| runtime(format!("`{s}` is not an instant like `2026-12-24T16:00:00+01:00`")))
    });
    engine.register_get("date", move |t: &mut Instant| Date(t.0.with_timezone(&tz).date_naive()));
    engine.register_get("hour", move |t: &mut Instant| INT::from(t.0.with_timezone(&tz).hour()));
    engine.register_get("minute", move |t: &mut Instant| INT::from(t.0.with_timezone(&tz).minute()));
    engine.register_fn("add_minutes", |t: Instant, n: INT| -> FnResult<Instant> {
        TimeDelta::try_minutes(n)
            .and_then(|d| t.0.checked_add_signed(d))
            .map(Instant)
            .ok_or_else(|| runtime("instant arithmetic overflowed"))
    });
    engine.register_fn("minutes_until", |a: Instant, b: Instant| (b.0 - a.0).num_minutes());
    register_ordering::<Instant>(engine);
    engine.register_fn("to_string", move |t: &mut Instant| format_instant(t, tz));
    engine.register_fn("to_debug", move |t: &mut Instant| format_instant(t, tz));
}

/// `2026-12-24T16:00:00+01:00`: the instant in the pack's timezone, to the second. Written by
/// hand because evaluations write several instants each and chrono's formatter parses its
/// pattern every time; years outside 0..=9999 go through chrono (tested to agree).
pub(crate) fn format_instant(t: &Instant, tz: Tz) -> String {
    let mut out = String::with_capacity(25);
    push_instant(&mut out, t, tz);
    out
}

/// Append [`format_instant`]'s text to `out`.
fn push_instant(out: &mut String, t: &Instant, tz: Tz) {
    use chrono::Offset;
    let local = t.0.with_timezone(&tz);
    let offset = local.offset().fix().local_minus_utc();
    let naive = local.naive_local();
    if !(0..=9999).contains(&naive.year()) || offset % 60 != 0 {
        out.push_str(&local.to_rfc3339_opts(SecondsFormat::Secs, false));
        return;
    }
    push_date(out, naive.date());
    out.push('T');
    push_2(out, naive.hour());
    out.push(':');
    push_2(out, naive.minute());
    out.push(':');
    push_2(out, naive.second());
    out.push(if offset < 0 { '-' } else { '+' });
    let minutes = offset.unsigned_abs() / 60;
    push_2(out, minutes / 60);
    out.push(':');
    push_2(out, minutes % 60);
}

/// `2026-12-24`, as chrono's `%Y-%m-%d` writes it.
pub(crate) fn format_date(d: chrono::NaiveDate) -> String {
    if !(0..=9999).contains(&d.year()) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut out = String::with_capacity(10);
    push_date(&mut out, d);
    out
}

/// A date of year 0..=9999 as `YYYY-MM-DD`.
fn push_date(out: &mut String, d: chrono::NaiveDate) {
    let y = d.year().unsigned_abs();
    push_2(out, y / 100);
    push_2(out, y % 100);
    out.push('-');
    push_2(out, d.month());
    out.push('-');
    push_2(out, d.day());
}

/// Two digits of `n` (below 100).
fn push_2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn register_calendar(engine: &mut Engine, ctx: &Arc<PackContext>) {
    let c = ctx.calendar.clone();
    engine.register_fn("add_working_hours", move |t: Instant, h: Decimal| -> FnResult<Instant> {
        c.add_working(t.0, hours_to_delta(h)?).map(Instant).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("add_working_hours", move |t: Instant, h: INT| -> FnResult<Instant> {
        c.add_working(t.0, hours_to_delta(Decimal::from(h))?).map(Instant).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("add_working_minutes", move |t: Instant, m: INT| -> FnResult<Instant> {
        let d = TimeDelta::try_minutes(m)
            .filter(|d| *d >= TimeDelta::zero())
            .ok_or_else(|| runtime(format!("`{m}` minutes must be positive")))?;
        c.add_working(t.0, d).map(Instant).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("working_hours_between", move |a: Instant, b: Instant| -> FnResult<Decimal> {
        c.working_between(a.0, b.0).map(delta_to_hours).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("next_working_instant", move |t: Instant| -> FnResult<Instant> {
        c.next_working_instant(t.0).map(Instant).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("is_working_time", move |t: Instant| -> FnResult<bool> {
        c.is_working_time(t.0).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("add_working_days", move |d: Date, n: INT| -> FnResult<Date> {
        c.add_working_days(d.0, n).map(Date).map_err(cal_err)
    });
    let c = ctx.calendar.clone();
    engine.register_fn("is_working_day", move |d: Date| -> FnResult<bool> { c.is_working_day(d.0).map_err(cal_err) });
}

/// Faster paths for what rules do all the time. rhai's generic `contains` calls `==` through the
/// interpreter for every element; lists of codes (`always_p3: [support, …]`) deserve better.
fn register_fast_paths(engine: &mut Engine) {
    engine.register_fn("contains", |a: &mut Array, s: ImmutableString| {
        a.iter().any(|v| v.read_lock::<ImmutableString>().is_some_and(|x| *x == s))
    });
}

fn register_money(engine: &mut Engine) {
    engine.register_fn("round_money", |x: Decimal| round_half_away(x, 2));
    engine.register_fn("round_half_away", |x: Decimal, dp: INT| -> FnResult<Decimal> {
        let dp = u32::try_from(dp)
            .ok()
            .filter(|d| *d <= 12)
            .ok_or_else(|| runtime(format!("cannot round to `{dp}` decimals")))?;
        Ok(round_half_away(x, dp))
    });
    engine.register_fn("to_decimal", |x: INT| Decimal::from(x));
    engine.register_fn("ceil_div", |a: INT, b: INT| -> FnResult<INT> {
        if b <= 0 {
            return Err(runtime(format!("ceil_div by `{b}`")));
        }
        Ok(a.div_euclid(b) + INT::from(a.rem_euclid(b) != 0))
    });
}

fn register_texts(engine: &mut Engine, ctx: &Arc<PackContext>) {
    // Labels are built once as script values; a call clones a small map of shared strings.
    let prebuilt: BTreeMap<String, Dynamic> = ctx
        .labels
        .iter()
        .map(|(code, texts)| {
            let map: Map = texts
                .iter()
                .map(|(l, t)| (l.as_str().into(), Dynamic::from(ImmutableString::from(t.as_str()))))
                .collect();
            (code.clone(), Dynamic::from_map(map))
        })
        .collect();
    engine.register_fn("label", move |code: &str| -> FnResult<Dynamic> {
        prebuilt.get(code).cloned().ok_or_else(|| runtime(format!("no label `{code}` in the pack's labels")))
    });
    let reject = |path: &str, code: &str, vars: Map| -> FnResult<()> {
        let mut m = Map::new();
        m.insert(REJECT_MARK.into(), Dynamic::TRUE);
        m.insert("path".into(), Dynamic::from(path.to_owned()));
        m.insert("code".into(), Dynamic::from(code.to_owned()));
        m.insert("vars".into(), Dynamic::from_map(vars));
        Err(Box::new(EvalAltResult::ErrorRuntime(Dynamic::from_map(m), Position::NONE)))
    };
    engine.register_fn("reject", move |path: &str, code: &str| reject(path, code, Map::new()));
    engine.register_fn("reject", move |path: &str, code: &str, vars: Map| reject(path, code, vars));
    // `trace` records which rule fired when the caller asked for a trace; otherwise it costs a call.
    engine.register_fn("trace", |ctx: NativeCallContext<'_>, rule: &str, detail: Dynamic| {
        if let Some(tag) = ctx.tag() {
            // The tag is a shared value: the clone is another handle on the same trace.
            let mut tag = tag.clone();
            if let Some(mut arr) = tag.write_lock::<Array>() {
                let mut m = Map::new();
                m.insert("rule".into(), Dynamic::from(rule.to_owned()));
                m.insert("detail".into(), detail);
                arr.push(Dynamic::from_map(m));
            }
        }
    });
}

/// Deepest output a script may return.
const MAX_OUTPUT_DEPTH: usize = 64;

/// Turn a script's value into JSON: decimals become strings, dates and instants ISO 8601 text.
/// Why a script's value has no JSON form.
#[derive(Debug)]
pub(crate) enum OutputError {
    /// Not representable (a function pointer, an unknown type, nesting too deep).
    Invalid { path: String, message: String },
    /// Larger than the sandbox allows. rhai does not check every way a map can grow (index
    /// assignment inside nested blocks escapes it), so sizes are checked again on the way out.
    Limit { limit: &'static str, what: String },
}

/// An output error before its path is known: the path is built while unwinding, so a successful
/// conversion spends nothing on it.
struct Unplaced {
    /// Path segments, innermost first.
    segments: Vec<String>,
    kind: Problem,
}

enum Problem {
    Invalid(String),
    Limit(&'static str, String),
}

impl Unplaced {
    fn new(kind: Problem) -> Self {
        Self { segments: Vec::new(), kind }
    }

    fn within(mut self, segment: String) -> Self {
        self.segments.push(segment);
        self
    }

    fn place(self, root: &str) -> OutputError {
        let mut path = root.to_owned();
        for seg in self.segments.iter().rev() {
            if !seg.starts_with('[') && !path.is_empty() {
                path.push('.');
            }
            path.push_str(seg);
        }
        match self.kind {
            Problem::Invalid(message) => OutputError::Invalid { path, message },
            Problem::Limit(limit, what) => OutputError::Limit { limit, what: format!("{what} at `{path}`") },
        }
    }
}

/// Turn a script's value into JSON, enforcing `limits` on every string, array and map.
/// `root` names the value in error paths (empty for an entry's output).
pub(crate) fn to_json(
    v: &Dynamic,
    tz: Tz,
    limits: &ScriptLimits,
    root: &str,
) -> Result<serde_json::Value, OutputError> {
    let mut out = String::new();
    write_json(v, tz, limits, root, &mut out)?;
    serde_json::from_str(&out).map_err(|e| OutputError::Invalid { path: root.to_owned(), message: e.to_string() })
}

/// Append the JSON text of a script's value to `out`: decimals as strings, dates and instants in
/// ISO 8601, map keys sorted. A value with no JSON form, or over the pack's size limits, is an
/// error naming its path under `root`.
pub(crate) fn write_json(
    v: &Dynamic,
    tz: Tz,
    limits: &ScriptLimits,
    root: &str,
    out: &mut String,
) -> Result<(), OutputError> {
    write(v, tz, limits, 0, out).map_err(|e| e.place(root))
}

fn write(v: &Dynamic, tz: Tz, limits: &ScriptLimits, depth: usize, out: &mut String) -> Result<(), Unplaced> {
    use std::fmt::Write as _;
    if depth > MAX_OUTPUT_DEPTH {
        return Err(Unplaced::new(Problem::Invalid(format!("output nests deeper than {MAX_OUTPUT_DEPTH} levels"))));
    }
    if v.is_unit() {
        out.push_str("null");
    } else if let Ok(b) = v.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else if let Ok(i) = v.as_int() {
        let _ = write!(out, "{i}");
    } else if let Ok(d) = v.as_decimal() {
        output::push_decimal_str(out, d);
    } else if let Some(text) = v.read_lock::<ImmutableString>() {
        if text.len() > limits.max_string_size {
            return Err(Unplaced::new(Problem::Limit(
                "max_string_size",
                format!("a string of {} bytes exceeds {}", text.len(), limits.max_string_size),
            )));
        }
        output::push_str(out, text.as_str());
    } else if let Some(d) = v.read_lock::<Date>() {
        output::push_str(out, &format_date(d.0));
    } else if let Some(t) = v.read_lock::<Instant>() {
        // Digits, signs and separators only: nothing to escape.
        out.push('"');
        push_instant(out, &t, tz);
        out.push('"');
    } else if let Some(arr) = v.read_lock::<Array>() {
        if arr.len() > limits.max_array_size {
            return Err(Unplaced::new(Problem::Limit(
                "max_array_size",
                format!("an array of {} elements exceeds {}", arr.len(), limits.max_array_size),
            )));
        }
        out.push('[');
        for (i, item) in arr.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write(item, tz, limits, depth + 1, out).map_err(|e| e.within(format!("[{i}]")))?;
        }
        out.push(']');
    } else if let Some(map) = v.read_lock::<Map>() {
        if map.len() > limits.max_map_size {
            return Err(Unplaced::new(Problem::Limit(
                "max_map_size",
                format!("a map of {} entries exceeds {}", map.len(), limits.max_map_size),
            )));
        }
        let mut object = output::Object::open(out);
        for (k, item) in map.iter() {
            write(item, tz, limits, depth + 1, object.key(k)).map_err(|e| e.within(k.to_string()))?;
        }
        object.close();
    } else {
        return Err(Unplaced::new(Problem::Invalid(format!(
            "a script returned a value of type `{}`, which has no JSON form",
            v.type_name()
        ))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::*;

    /// The hand-written formatters agree with chrono's over DST changes, offsets on both sides
    /// of UTC (and a half-hour one), and years at the edges of four digits.
    #[test]
    fn instants_and_dates_are_written_as_chrono_writes_them() {
        let zones =
            [chrono_tz::Europe::Brussels, chrono_tz::America::New_York, chrono_tz::Asia::Kolkata, chrono_tz::UTC];
        let starts = ["2026-03-28T22:00:00Z", "2026-10-24T23:59:59Z", "0000-01-02T00:00:00Z", "9999-12-30T23:00:00Z"];
        for start in starts {
            let start: DateTime<Utc> = start.parse().unwrap();
            for step in 0..200 {
                let t = start + TimeDelta::minutes(step * 37);
                for tz in zones {
                    let want = t.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false);
                    assert_eq!(format_instant(&Instant(t), tz), want);
                    let day = t.with_timezone(&tz).date_naive();
                    assert_eq!(format_date(day), day.format("%Y-%m-%d").to_string());
                }
            }
        }
        for d in [NaiveDate::from_ymd_opt(-1, 12, 31), NaiveDate::from_ymd_opt(10000, 1, 1)] {
            let d = d.unwrap();
            assert_eq!(format_date(d), d.format("%Y-%m-%d").to_string());
        }
    }
}
