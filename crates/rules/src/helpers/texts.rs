//! Texts, money rounding and the small helpers every script uses: `label`, `reject`, `trace`,
//! `round_money`, `ceil_div`, and a fast `contains` on lists of codes.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, INT, ImmutableString, Map, NativeCallContext, Position};
use rust_decimal::Decimal;

use super::fail::{FnResult, runtime};
use crate::context::{PackContext, REJECT_MARK};
use crate::money::round_half_away;

/// Faster paths for what rules do all the time. rhai's generic `contains` calls `==` through the
/// interpreter for every element; lists of codes (`always_p3: [support, …]`) deserve better.
pub(super) fn register_fast_paths(engine: &mut Engine) {
    engine.register_fn("contains", |a: &mut Array, s: ImmutableString| {
        a.iter().any(|v| v.read_lock::<ImmutableString>().is_some_and(|x| *x == s))
    });
}

pub(super) fn register_money(engine: &mut Engine) {
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

pub(super) fn register_texts(engine: &mut Engine, ctx: &Arc<PackContext>) {
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
