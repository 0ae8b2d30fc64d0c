//! An input list is typed whole only when nothing but `sla_clock` reads it, and the answers do
//! not change either way, directly or in rhai.

use std::path::Path;

use serde_json::json;

use crate::error::EvalOptions;
use crate::pack::{Pack, Route};

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")).flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap_or_else(|e| panic!("{e}"));
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The norriq pack with its `sla` entry's script edited by `edit`.
fn norriq_with(edit: impl Fn(&str) -> String) -> (tempfile::TempDir, Pack) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/norriq"), dir.path());
    let script = dir.path().join("sla.rhai");
    let text = std::fs::read_to_string(&script).unwrap_or_else(|e| panic!("{e}"));
    let edited = edit(&text);
    std::fs::write(&script, &edited).unwrap_or_else(|e| panic!("{e}"));
    let pack = Pack::load(dir.path()).unwrap_or_else(|e| panic!("{e:?}"));
    (dir, pack)
}

/// An edit of the script's text.
type Edit<'a> = Box<dyn Fn(&str) -> String + 'a>;

fn ticket() -> serde_json::Value {
    json!({"contract": "nav", "priority": "P2", "opened": "2026-12-01T09:00:00+01:00",
           "events": [{"at": "2026-12-01T10:00:00+01:00", "status": "waiting_customer"},
                      {"at": "2026-12-01T14:00:00+01:00", "status": "in_progress"},
                      {"at": "2026-12-02T11:00:00+01:00", "status": "analysis_started"}],
           "as_of": "2026-12-02T15:00:00+01:00"})
}

fn both_ways(pack: &Pack, input: &serde_json::Value) -> String {
    let node = missions_base::value::Node::from_json(input);
    let show = |route| match pack.eval_routed("sla", &node, EvalOptions { trace: true }, &[], route) {
        Ok((ev, _)) => format!("{} {:?}", ev.output, ev.trace),
        Err(e) => format!("error: {e}"),
    };
    let (direct, rhai) = (show(Route::Direct), show(Route::Rhai));
    assert_eq!(direct, rhai);
    direct
}

#[test]
fn status_changes_read_only_by_the_clock_are_typed_whole_with_the_same_answers() {
    let (_keep, shipped) = norriq_with(str::to_owned);
    assert_eq!(shipped.typed_whole("sla"), Some("events"));
    let expected = both_ways(&shipped, &ticket());
    assert!(expected.contains(r#""analysis_started":"2026-12-02T11:00:00+01:00""#), "{expected}");
    // Each edit reads the list some other way: it stays a list of maps, and the answer is the
    // same (the edits do not change what the entry returns).
    let clock_line = "let clock = sla_clock(";
    let edits: [(&str, Edit<'_>); 4] = [
        (
            "its emptiness read",
            Box::new(|t: &str| {
                t.replace(clock_line, &format!("let empty = input.events.is_empty();\n    {clock_line}"))
            }),
        ),
        (
            "the whole input traced",
            Box::new(|t: &str| t.replace(clock_line, &format!("trace(\"input\", input);\n    {clock_line}"))),
        ),
        (
            "the list through a variable",
            Box::new(|t: &str| {
                t.replace(clock_line, &format!("let ev = input.events;\n    {clock_line}"))
                    .replace("input.events,", "ev,")
            }),
        ),
        (
            "the list read after the clock",
            Box::new(|t: &str| {
                t.replace(
                    "    trace(\"target\", hours);",
                    "    trace(\"target\", hours);\n    let first = input.events[0];",
                )
            }),
        ),
    ];
    for (what, edit) in edits {
        let (_keep, pack) = norriq_with(edit);
        assert!(pack.runs_directly("sla"), "{what}: {:?}", pack.why_interpreted("sla"));
        assert_eq!(pack.typed_whole("sla"), None, "{what}");
        let answer = both_ways(&pack, &ticket());
        // The traced input adds a trace record; the output itself is the same.
        let output = |s: &str| s.split(" Some(").next().unwrap_or_default().to_owned();
        assert_eq!(output(&answer), output(&expected), "{what}");
    }
}

/// Typed whole or not, a bad list gets the same errors at the same paths.
#[test]
fn bad_status_changes_get_the_same_errors_either_way() {
    let (_a, whole) = norriq_with(str::to_owned);
    let (_b, maps) = norriq_with(|t| {
        t.replace("let clock = sla_clock(", "let empty = input.events.is_empty();\n    let clock = sla_clock(")
    });
    assert_eq!((whole.typed_whole("sla"), maps.typed_whole("sla")), (Some("events"), None));
    let mut bad = Vec::new();
    for events in [
        json!([{"at": "2026-12-01T10:00:00+01:00", "status": "lunch"}]),
        json!([{"at": "2026-12-01T10:00:00+01:00"}]),
        json!([{"at": "yesterday", "status": "in_progress", "by": "me"}]),
        json!([{"at": "2026-12-01T10:00:00+01:00", "status": "waiting_customer"},
               {"at": "2026-12-01T09:30:00+01:00", "status": "in_progress"}]),
        json!([{"at": "2026-11-30T10:00:00+01:00", "status": "waiting_customer"}]),
        json!("not a list"),
        json!([7]),
    ] {
        let mut input = ticket();
        input["events"] = events;
        let answer = both_ways(&whole, &input);
        assert!(answer.starts_with("error:"), "{answer}");
        assert_eq!(answer, both_ways(&maps, &input));
        bad.push(answer);
    }
    assert!(bad.iter().any(|a| a.contains("events[0].status")), "{bad:?}");
    assert!(bad.iter().any(|a| a.contains("events[1].at")), "{bad:?}");
}

/// Valid lists, read straight from their fields when typed whole, give the answers the checker's
/// maps give: no changes, every status, instants written every way RFC 3339 allows, the most
/// changes an input may hold.
#[test]
fn valid_status_changes_read_whole_give_the_same_answers() {
    let (_a, whole) = norriq_with(str::to_owned);
    let (_b, maps) = norriq_with(|t| {
        t.replace("let clock = sla_clock(", "let empty = input.events.is_empty();\n    let clock = sla_clock(")
    });
    let many: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let status = if i % 2 == 0 { "waiting_customer" } else { "in_progress" };
            json!({"status": status, "at": format!("2026-12-{:02}T{:02}:{:02}:00Z", 2 + i / 120, 8 + (i % 120) / 12, (i % 12) * 5)})
        })
        .collect();
    for events in [
        json!([]),
        json!([{"at": "2026-12-01T10:00:00+01:00", "status": "analysis_started"}]),
        json!([{"status": "waiting_customer", "at": "2026-12-01T09:30:00.500Z"},
               {"at": "2026-12-01t14:00:00+01:00", "status": "in_progress"},
               {"at": "2026-12-02T10:00:00-00:00", "status": "analysis_started"}]),
        json!(many),
    ] {
        let mut input = ticket();
        input["events"] = events;
        let answer = both_ways(&whole, &input);
        assert!(!answer.starts_with("error"), "{answer}");
        assert_eq!(answer, both_ways(&maps, &input));
    }
}

/// `sla_clock`'s answer is a record: read by property or by index, written out whole as the
/// object of its fields, and refusing a property it does not have, the same directly and in rhai.
#[test]
fn the_clock_record_reads_by_property_and_index_and_writes_whole() {
    let (_a, pack) = norriq_with(|t| {
        t.replace(
            "    if category != () {",
            "    out.whole = clock;\n    out.by_index = clock[\"state\"];\n    if category != () {",
        )
    });
    assert!(pack.runs_directly("sla"), "{:?}", pack.why_interpreted("sla"));
    let answer = both_ways(&pack, &ticket());
    assert!(answer.contains(r#""by_index":"met""#), "{answer}");
    // The same fields, with the same values, as the entry's own answer gives one by one.
    let whole = concat!(
        r#""whole":{"analysis_started":"2026-12-02T11:00:00+01:00","deadline":"2026-12-02T12:00:00+01:00","#,
        r#""elapsed_working_minutes":420,"met":true,"paused_working_minutes":180,"remaining_working_minutes":60,"#,
        r#""state":"met","warnings":[{"at":"2026-12-01T17:00:00+01:00","percent":50},"#,
        r#"{"at":"2026-12-02T10:24:00+01:00","percent":80}]}"#
    );
    assert!(answer.contains(whole), "{answer}");
    for field in [r#""deadline":"2026-12-02T12:00:00+01:00""#, r#""paused_working_minutes":180"#] {
        assert!(answer.contains(field), "{field} in {answer}");
    }
    let (_b, wrong) = norriq_with(|t| t.replace("clock.deadline", "clock.dead_line"));
    let answer = both_ways(&wrong, &ticket());
    assert!(answer.starts_with("error:") && answer.contains("dead_line"), "{answer}");
}
