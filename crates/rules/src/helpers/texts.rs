//! Texts, money rounding and the small helpers every script uses: `label`, `reject`, `trace`,
//! `round_money`, `ceil_div`, and a fast `contains` on lists of codes.

use super::fail::{FnResult, runtime};
use super::pricing;
use super::table::{Bound, Helper};
use crate::context::{PackContext, REJECT_MARK, label_value};
use crate::money::round_half_away;
use rhai::{Array, Dynamic, EvalAltResult, INT, ImmutableString, Map, NativeCallContext, Position};
use rust_decimal::Decimal;

/// `label(code)`: the texts of label `code`.
pub(crate) fn label(ctx: &PackContext, code: &str) -> FnResult<Dynamic> {
    ctx.label_values.get(code).cloned().ok_or_else(|| runtime(format!("no label `{code}` in the pack's labels")))
}

/// `label(code, vars)`: the texts of label `code`, with `{name}` filled from `vars`.
pub(crate) fn filled_label(ctx: &PackContext, code: &str, vars: &Map) -> FnResult<Dynamic> {
    Ok(label_value(&pricing::texts(ctx, code, vars)?))
}

/// Builds the `reject(…)` error: a map rhai carries up to the evaluation, which reads it back.
fn reject(path: &str, code: &str, vars: Map) -> FnResult<()> {
    let mut m = Map::new();
    m.insert(REJECT_MARK.into(), Dynamic::TRUE);
    m.insert("path".into(), Dynamic::from(path.to_owned()));
    m.insert("code".into(), Dynamic::from(code.to_owned()));
    m.insert("vars".into(), Dynamic::from_map(vars));
    Err(Box::new(EvalAltResult::ErrorRuntime(Dynamic::from_map(m), Position::NONE)))
}

/// `round_half_away(x, dp)`: `x` to `dp` decimals (at most 12), halves away from zero.
pub(crate) fn round_to(x: Decimal, dp: INT) -> FnResult<Decimal> {
    let dp = u32::try_from(dp)
        .ok()
        .filter(|d| *d <= 12)
        .ok_or_else(|| runtime(format!("cannot round to `{dp}` decimals")))?;
    Ok(round_half_away(x, dp))
}

/// Texts, rounding and the small helpers every script uses.
pub(super) const HELPERS: &[Helper] = &[
    // A faster path for what rules do all the time: rhai's generic `contains` calls `==` through
    // the interpreter for every element; lists of codes (`always_p3: [support, …]`) deserve better.
    Helper {
        name: "contains",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, |a: &mut Array, s: ImmutableString| {
                a.iter().any(|v| v.read_lock::<ImmutableString>().is_some_and(|x| *x == s))
            });
        },
        direct: Some(Bound::Contains),
    },
    Helper {
        name: "round_money",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |x: Decimal| round_half_away(x, 2));
        },
        direct: Some(Bound::RoundMoney),
    },
    Helper {
        name: "round_half_away",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, round_to);
        },
        direct: Some(Bound::RoundHalfAway),
    },
    Helper {
        name: "to_decimal",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |x: INT| Decimal::from(x));
        },
        direct: Some(Bound::ToDecimal),
    },
    Helper {
        name: "ceil_div",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, |a: INT, b: INT| -> FnResult<INT> {
                if b <= 0 {
                    return Err(runtime(format!("ceil_div by `{b}`")));
                }
                Ok(a.div_euclid(b) + INT::from(a.rem_euclid(b) != 0))
            });
        },
        direct: None,
    },
    // `label(code)`: the label's texts; `label(code, vars)`: with `{name}` filled from `vars`.
    Helper {
        name: "label",
        arities: &[1, 2],
        register: |e, name, ctx| {
            let c = ctx.clone();
            e.register_fn(name, move |code: &str| label(&c, code));
            let c = ctx.clone();
            e.register_fn(name, move |code: &str, vars: Map| filled_label(&c, code, &vars));
        },
        direct: Some(Bound::Label),
    },
    Helper {
        name: "reject",
        arities: &[2, 3],
        register: |e, name, _| {
            e.register_fn(name, |path: &str, code: &str| reject(path, code, Map::new()));
            e.register_fn(name, |path: &str, code: &str, vars: Map| reject(path, code, vars));
        },
        direct: Some(Bound::Reject),
    },
    // rhai's standard `sleep(seconds)` would hold an evaluation thread for as long as a script
    // asks, without spending operations: no limit would stop it. Rules never wait.
    Helper {
        name: "sleep",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |_seconds: INT| -> FnResult<()> {
                Err(runtime("`sleep` is not available to rule scripts: an evaluation never waits"))
            });
        },
        direct: None,
    },
    // `trace` records which rule fired when the caller asked for a trace; otherwise it costs a call.
    Helper {
        name: "trace",
        arities: &[2],
        register: |e, name, _| {
            e.register_fn(name, |ctx: NativeCallContext<'_>, rule: &str, detail: Dynamic| {
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
        },
        direct: Some(Bound::Trace),
    },
];
