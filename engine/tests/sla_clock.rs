//! The norriq `sla` clock through the library: the limits of its input, its errors in every
//! language, and that it is a pure function of its input (a late event is one more evaluation).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use missions_engine::{EvalError, InputProblem, Pack};
use serde_json::{Value, json};

fn norriq() -> Pack {
    Pack::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/norriq")).unwrap()
}

/// `n` events alternating pause and resume, a minute apart, from Tue 1 Dec 2026 09:01.
fn events(n: usize) -> Vec<Value> {
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:01:00+01:00").unwrap();
    (0..n)
        .map(|i| {
            let at = start + chrono::TimeDelta::minutes(i64::try_from(i).unwrap());
            let status = if i % 2 == 0 { "waiting_customer" } else { "in_progress" };
            json!({"at": at.to_rfc3339(), "status": status})
        })
        .collect()
}

fn ticket(events: Vec<Value>) -> Value {
    json!({"contract": "nav", "priority": "P1", "opened": "2026-12-01T09:00:00+01:00", "events": events,
           "as_of": "2026-12-03T09:00:00+01:00"})
}

#[test]
fn a_thousand_events_are_counted_and_one_more_is_refused_at_events() {
    let pack = norriq();
    let out = pack.eval("sla", &ticket(events(1000))).unwrap().output;
    // 500 one-minute pauses from 09:01, one every other minute, until 01:40 the next night; only
    // those in working time count: 105 in the morning (09:01 … 12:29) and 120 in the afternoon
    // (13:31 … 17:29).
    assert_eq!(out["paused_working_minutes"], 225, "{out:#}");
    assert_eq!(out["deadline"], "2026-12-02T08:45:00+01:00", "{out:#}");
    match pack.eval("sla", &ticket(events(1001))) {
        Err(EvalError::Input(errors)) => {
            assert_eq!(errors[0].path, "events");
            assert!(matches!(errors[0].problem, InputProblem::BadLength { len: 1001, max: Some(1000), .. }));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_event_out_of_order_is_an_input_error_in_every_language() {
    let mut evs = events(3);
    evs.swap(1, 2);
    let Err(EvalError::Input(errors)) = norriq().eval("sla", &ticket(evs)) else { panic!("expected an input error") };
    assert_eq!(errors[0].path, "events[2].at");
    let problem = &errors[0].problem;
    assert_eq!(
        problem.message("en"),
        "`2026-12-01T09:02:00+01:00` is earlier than `events[1].at` (2026-12-01T09:03:00+01:00): the instants must follow one another"
    );
    assert!(problem.message("fr").contains("est antérieur à `events[1].at`"), "{}", problem.message("fr"));
    assert!(problem.message("nl").contains("ligt vóór `events[1].at`"), "{}", problem.message("nl"));
}

#[test]
fn a_late_event_is_one_more_evaluation_of_all_the_events() {
    // The clock is a function of its input: the same events give the same answer, and an event
    // recorded late (its `at` earlier than the last one known) is the same as one in order.
    let pack = norriq();
    let on_time = ticket(vec![
        json!({"at": "2026-12-01T10:00:00+01:00", "status": "waiting_customer"}),
        json!({"at": "2026-12-01T14:00:00+01:00", "status": "in_progress"}),
    ]);
    let first = pack.eval("sla", &on_time).unwrap().output;
    assert_eq!(first, pack.eval("sla", &on_time).unwrap().output);
    assert_eq!(first["deadline"], "2026-12-01T17:00:00+01:00");
    let only_first = ticket(vec![json!({"at": "2026-12-01T10:00:00+01:00", "status": "waiting_customer"})]);
    assert_eq!(pack.eval("sla", &only_first).unwrap().output["deadline"], Value::Null);
}

#[test]
fn the_clock_runs_in_the_direct_evaluation() {
    assert!(norriq().runs_directly("sla"), "the sla entry fell back to rhai's interpreter");
}
