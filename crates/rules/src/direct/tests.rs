//! The walk against rhai: every golden case both ways, and rhai's operator rules.

use std::collections::BTreeMap;

use rhai::{Dynamic, INT, Map};

use super::tree::Op;
use super::values::{binary, sizes};
use crate::error::EvalOptions;
use crate::limits::ScriptLimits;
use crate::pack::Route;
use crate::test_support::{cases, shipped};

/// The two ways must agree on every golden case of the shipped packs: the same output text,
/// the same trace, the same error. Each lowered entry must give its results directly (a
/// direct evaluation that always gave up would pass the comparison and be useless).
#[test]
fn direct_matches_rhai() {
    for name in ["esomus", "norriq"] {
        let pack = shipped(name);
        let mut direct_results: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (entry, case, input) in cases(&pack) {
            for trace in [false, true] {
                let opts = EvalOptions { trace };
                let fast = pack.eval_routed(&entry, &input, opts, &[], Route::Direct);
                let slow = pack.eval_routed(&entry, &input, opts, &[], Route::Rhai);
                let show = |r: &Result<(crate::error::Evaluation, bool), crate::error::EvalError>| match r {
                    Ok((ev, _)) => format!("{} {:?}", ev.output, ev.trace),
                    Err(e) => format!("error: {e} {e:?}"),
                };
                assert_eq!(show(&fast), show(&slow), "{name} {entry} `{case}` (trace: {trace})");
                let tally = direct_results.entry(entry.clone()).or_default();
                tally.0 += 1;
                match fast {
                    Ok((_, true)) => tally.1 += 1,
                    // The shipped packs' lowered entries give every result directly; rhai
                    // only builds their errors.
                    Ok((_, false)) => assert!(!pack.runs_directly(&entry), "{name} {entry} `{case}` gave up"),
                    Err(_) => {}
                }
            }
        }
        for (entry, (all, direct)) in &direct_results {
            if pack.runs_directly(entry) {
                assert!(*direct > 0, "{name} {entry}: lowered, but no case ran directly");
            } else {
                assert_eq!(*direct, 0, "{name} {entry}");
            }
            match pack.why_interpreted(entry) {
                None => eprintln!("{name} {entry}: {direct} of {all} evaluations direct"),
                Some(why) => eprintln!("{name} {entry}: in rhai, because of {why}"),
            }
        }
    }
    assert!(shipped("esomus").runs_directly("quote"), "the esomus quote is the one the speed target is about");
}

fn limits() -> ScriptLimits {
    ScriptLimits::DEFAULT
}

fn d(s: &str) -> Dynamic {
    Dynamic::from_decimal(s.parse().unwrap_or_default())
}

#[test]
fn operators_follow_rhai_builtins() {
    let l = limits();
    let i = Dynamic::from_int;
    assert_eq!(binary(Op::Add, &i(2), &i(3), &l).ok().and_then(|v| v.as_int().ok()), Some(5));
    assert!(binary(Op::Add, &i(INT::MAX), &i(1), &l).is_err(), "overflow is rhai's error");
    assert!(binary(Op::Div, &i(1), &i(0), &l).is_err(), "division by zero is rhai's error");
    assert_eq!(binary(Op::Div, &i(7), &i(2), &l).ok().and_then(|v| v.as_int().ok()), Some(3));
    let mixed = binary(Op::Mul, &d("2.50"), &i(3), &l).ok().and_then(|v| v.as_decimal().ok());
    assert_eq!(mixed.map(|m| m.to_string()), Some("7.50".to_owned()));
    let mixed = binary(Op::Lt, &i(3), &d("3.5"), &l).ok().and_then(|v| v.as_bool().ok());
    assert_eq!(mixed, Some(true));
    assert!(binary(Op::Div, &d("1"), &i(0), &l).is_err());
    // Different types: equal never, unequal always, ordered never.
    let b = |op, x: &Dynamic, y: &Dynamic| binary(op, x, y, &l).ok().and_then(|v| v.as_bool().ok());
    assert_eq!(b(Op::Eq, &i(1), &Dynamic::UNIT), Some(false));
    assert_eq!(b(Op::Ne, &d("1"), &Dynamic::UNIT), Some(true));
    assert_eq!(b(Op::Le, &i(1), &Dynamic::UNIT), Some(false));
    assert_eq!(b(Op::Eq, &Dynamic::UNIT, &Dynamic::UNIT), Some(true));
    assert_eq!(b(Op::Eq, &Dynamic::from("a"), &i(1)), Some(false));
    assert!(binary(Op::Add, &i(1), &Dynamic::UNIT, &l).is_err());
    assert!(binary(Op::Add, &Dynamic::from("a"), &i(1), &l).is_err(), "a registered `+`: rhai's");
    let s = binary(Op::Add, &Dynamic::from("note_"), &Dynamic::from("video"), &l).ok();
    assert_eq!(s.and_then(|v| v.into_immutable_string().ok()).as_deref(), Some("note_video"));
    assert_eq!(b(Op::Lt, &Dynamic::from("a"), &Dynamic::from("b")), Some(true));
    assert!(binary(Op::Eq, &Dynamic::from_map(Map::new()), &Dynamic::from_map(Map::new()), &l).is_err());
    assert_eq!(b(Op::Eq, &Dynamic::from_map(Map::new()), &Dynamic::UNIT), Some(false));
}

#[test]
fn a_string_longer_than_the_limit_is_left_to_rhai() {
    let l = ScriptLimits { max_string_size: 4, ..limits() };
    assert!(binary(Op::Add, &Dynamic::from("abc"), &Dynamic::from("de"), &l).is_err());
    assert!(binary(Op::Add, &Dynamic::from("ab"), &Dynamic::from("de"), &l).is_ok());
}

#[test]
fn sizes_count_like_rhai() {
    let mut inner = Map::new();
    inner.insert("a".into(), Dynamic::from("xyz"));
    let array = vec![Dynamic::from_map(inner), Dynamic::from_int(1)];
    // Two items, one map entry, three bytes.
    assert_eq!(sizes(&Dynamic::from_array(array)), (2, 1, 3));
}

/// Assigning a property measures the map by the difference it makes (the replaced value out, the
/// new one in) instead of walking it again: the direct walk gives up at exactly the assignment
/// where rhai's limit fires, not earlier (a miscount would leave the work to rhai silently).
#[test]
fn property_assignments_count_the_map_exactly_as_rhai_does() {
    let yaml = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nlimits:\n  max_map_size: 100\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer\n";
    // After `n` rounds `m` holds `n + 2` entries: `x`, a chain of `n` one-entry maps, and `y`.
    let script = "fn run(input, params) { let m = #{ x: 1 }; let i = 0; while i < input.n { m.x = #{ a: m.x }; m.y = i; i += 1; } #{ ok: true } }";
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("pack.yaml"), yaml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("run.rhai"), script).unwrap_or_else(|e| panic!("{e}"));
    let pack = crate::pack::Pack::load(dir.path()).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(pack.runs_directly("run"), "{:?}", pack.why_interpreted("run"));
    for (n, fits) in [(98, true), (99, false)] {
        let input = missions_base::value::Node::from_json(&serde_json::json!({"n": n}));
        let direct = pack.eval_routed("run", &input, EvalOptions::default(), &[], Route::Direct);
        let rhai = pack.eval_routed("run", &input, EvalOptions::default(), &[], Route::Rhai);
        match (&direct, fits) {
            (Ok((ev, true)), true) => assert_eq!(ev.output.as_str(), r#"{"ok":true}"#),
            (Err(crate::error::EvalError::Limit { limit, .. }), false) => assert_eq!(*limit, "max_map_size"),
            (other, _) => panic!("{n} rounds: {:?}", other.as_ref().map(|(ev, direct)| (ev.output.as_str(), *direct))),
        }
        assert_eq!(direct.is_ok(), rhai.is_ok(), "{n} rounds");
    }
}
