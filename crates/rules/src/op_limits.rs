//! The operation limit on every golden case of the shipped packs, set just below what rhai needs
//! and at exactly what it needs.
//!
//! In rhai's interpreter it fires exactly there. Direct evaluation counts at least the operations
//! rhai counts (see `direct::extra_ops`), so it stops there too and leaves the error to rhai; at
//! exactly what rhai needs it may stop a little early, and rhai then gives the same result.

use std::sync::atomic::Ordering;

use crate::error::{EvalError, EvalOptions, Evaluation};
use crate::limits::ScriptLimits;
use crate::pack::Route;
use crate::test_support::{cases, shipped};

fn show(r: &Result<(Evaluation, bool), EvalError>) -> String {
    match r {
        Ok((ev, _)) => format!("{} {:?}", ev.output, ev.trace),
        Err(e) => format!("error: {e} {e:?}"),
    }
}

/// (entry, case, input, operations rhai needs, the result under the default limit).
type Measured = (String, String, missions_base::value::Node, u64, String);

/// Every golden case whose script runs, measured.
fn measured() -> Vec<(crate::pack::Pack, Vec<Measured>)> {
    let opts = EvalOptions { trace: false };
    let mut out = Vec::new();
    for name in ["esomus", "norriq"] {
        let pack = shipped(name);
        let (counting, counter) = pack.with_max_operations(ScriptLimits::DEFAULT.max_operations);
        let mut cases_run = Vec::new();
        for (entry, case, input) in cases(&pack) {
            counter.store(0, Ordering::Relaxed);
            let full = counting.eval_routed(&entry, &input, opts, &[], Route::Rhai);
            let needed = counter.load(Ordering::Relaxed);
            if needed <= 1 {
                // Refused before the script ran (an input error): no operation to limit.
                assert!(matches!(full, Err(EvalError::Input(_))), "{name} {entry} `{case}`: {}", show(&full));
                continue;
            }
            cases_run.push((entry, format!("{name} `{case}`"), input, needed, show(&full)));
        }
        out.push((pack, cases_run));
    }
    out
}

fn check(route: Route) -> usize {
    let opts = EvalOptions { trace: false };
    let mut checked = 0;
    for (pack, cases) in measured() {
        for (entry, case, input, needed, full) in cases {
            let (below, _) = pack.with_max_operations(needed - 1);
            match below.eval_routed(&entry, &input, opts, &[], route) {
                Err(EvalError::Limit { limit: "max_operations", .. }) => {}
                other => panic!(
                    "{case} {entry} ({route:?}) with {} operations allowed, {needed} needed: {}",
                    needed - 1,
                    show(&other)
                ),
            }
            let (enough, _) = pack.with_max_operations(needed);
            let r = enough.eval_routed(&entry, &input, opts, &[], route);
            assert_eq!(show(&r), full, "{case} {entry} ({route:?}) with exactly {needed} operations");
            checked += 1;
        }
    }
    checked
}

#[test]
fn rhai_stops_every_golden_case_just_below_the_operations_it_needs() {
    let checked = check(Route::Rhai);
    assert!(checked > 50, "only {checked} cases ran a script");
}

#[test]
fn direct_evaluation_stops_every_golden_case_where_rhai_does() {
    let checked = check(Route::Direct);
    assert!(checked > 50, "only {checked} cases ran a script");
}

/// The direct walk never counts fewer operations than rhai on a golden case, and at most 30 % more:
/// an entry close to its limit keeps running directly.
#[test]
fn direct_evaluation_counts_at_least_what_rhai_counts() {
    let mut lowered = 0;
    for (pack, cases) in measured() {
        let (counting, counter) = pack.with_max_operations(ScriptLimits::HOST_MAX.max_operations);
        for (entry, case, input, needed, _) in cases {
            let (rhai, direct) = counting.count_operations(&counter, &entry, &input);
            assert_eq!(rhai, needed, "{case} {entry}");
            let Some(direct) = direct else { continue };
            assert!(direct >= rhai, "{case} {entry}: {direct} operations counted directly, {rhai} by rhai");
            assert!(direct * 10 <= rhai * 13, "{case} {entry}: {direct} operations counted directly, {rhai} by rhai");
            lowered += 1;
        }
    }
    assert!(lowered > 10, "only {lowered} cases ran directly");
}
