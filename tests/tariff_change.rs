//! Changing a tariff from the command line, as ESOMUS does it (docs/tariffs.md): copy the pack as
//! next year's version, edit a price, see the impact with `missions diff`, accept the changed
//! expectations with `missions test --update`; and the bad inputs each step must survive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use missions_tests::{copy_dir, missions, pack_dir, temp_pack};

/// A scratch copy of the shipped `esomus` pack and a next-year version of it with the license at
/// 36.00, in one temporary folder.
fn next_year_at_36() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("esomus");
    copy_dir(&pack_dir("esomus"), &base);
    let next = tmp.path().join("esomus-2027");
    let (code, out, err) = missions(&[
        "pack",
        "new-version",
        base.to_str().unwrap(),
        "--effective",
        "2027-01-01",
        "--out",
        next.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("version 2027.1.0, in force from 2027-01-01"), "{out}");
    let tariff = next.join("tariff.yaml");
    let text = std::fs::read_to_string(&tariff).unwrap();
    assert!(text.contains("license_per_user_month: 35.00"));
    std::fs::write(&tariff, text.replace("license_per_user_month: 35.00", "license_per_user_month: 36.00")).unwrap();
    (tmp, base, next)
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(read_tree(&p));
        } else {
            out.push((p.clone(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn new_version_changes_only_the_version_and_its_date() {
    let (_tmp, base, next) = next_year_at_36();
    let old = std::fs::read_to_string(base.join("pack.yaml")).unwrap();
    let new = std::fs::read_to_string(next.join("pack.yaml")).unwrap();
    let changed: Vec<(&str, &str)> = old.lines().zip(new.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(
        changed,
        [("version: 2026.1.0", "version: 2027.1.0"), ("effective_from: 2026-01-01", "effective_from: 2027-01-01")]
    );
    assert_eq!(old.lines().count(), new.lines().count());
    for (a, b) in read_tree(&base).iter().zip(read_tree(&next)) {
        if !a.0.ends_with("pack.yaml") && !a.0.ends_with("tariff.yaml") {
            assert_eq!(a.1, b.1, "{:?} must be copied as it is", a.0);
        }
    }
}

#[test]
fn new_version_onto_an_existing_folder_refuses_and_changes_nothing() {
    let (_tmp, base, next) = next_year_at_36();
    let before = read_tree(&next);
    let (code, _, err) = missions(&[
        "pack",
        "new-version",
        base.to_str().unwrap(),
        "--effective",
        "2028-01-01",
        "--out",
        next.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("`{}` already exists; nothing was changed", next.display())), "{err}");
    assert_eq!(read_tree(&next), before);

    // A date that is not later than the base's, or one another folder already holds.
    let other = next.with_file_name("esomus-other");
    for (date, why) in [("2026-01-01", "must come into force after"), ("2027-01-01", "already holds pack `esomus`")] {
        let (code, _, err) = missions(&[
            "pack",
            "new-version",
            base.to_str().unwrap(),
            "--effective",
            date,
            "--out",
            other.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{date}");
        assert!(err.contains(why), "{date}: {err}");
        assert!(!other.exists());
    }
}

#[test]
fn a_failing_case_shows_every_field_with_its_expected_and_actual_value() {
    let (_tmp, _base, next) = next_year_at_36();
    let (code, out, _) = missions(&["test", next.to_str().unwrap(), "--filter", "the SPEC EXAMPLE"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL the SPEC example — `lines[1].unit_price` is 36.00, expected 35.00 (and 6 more fields)"),
        "{out}"
    );
    assert!(out.contains("`lines[1].amount` is 5184.00, expected 5040.00"), "{out}");
    assert!(out.contains("`net_total` is 10321.00, expected 10177.00"), "{out}");
    assert!(out.contains("`total` is 12488.41, expected 12314.17"), "{out}");
    // The filter ignores case and keeps the three cases whose name holds the text.
    assert!(out.contains("1 passed, 2 failed"), "{out}");
    assert!(!out.contains("(0 cases"), "files without a kept case are not listed: {out}");
}

#[test]
fn update_rewrites_only_the_changed_values_and_a_second_run_changes_nothing() {
    let (_tmp, _base, next) = next_year_at_36();
    let before = read_tree(&next.join("tests"));
    let (code, out, err) = missions(&["test", next.to_str().unwrap(), "--update"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("100 passed, 0 failed, 35 case(s) rewritten"), "{out}");
    assert!(out.contains("lines[1].unit_price: 35.00 → 36.00"), "{out}");
    let after = read_tree(&next.join("tests"));
    let mut changed_lines = 0;
    for ((file, old), (_, new)) in before.iter().zip(&after) {
        assert_eq!(old.lines().count(), new.lines().count(), "{file:?}: no line added or removed");
        for (a, b) in old.lines().zip(new.lines()).filter(|(a, b)| a != b) {
            changed_lines += 1;
            // Only values change: the line keeps its keys, comments and layout.
            let shape =
                |l: &str| l.chars().filter(|c| !c.is_ascii_digit() && *c != '.' && *c != '-').collect::<String>();
            assert_eq!(shape(a), shape(b), "{file:?}:\n{a}\n{b}");
        }
    }
    assert!(changed_lines > 20, "{changed_lines}");
    // The comments that explain the SPEC example are still there, as written.
    let spec = |t: &[(PathBuf, String)]| t.iter().find(|(p, _)| p.ends_with("quote-spec.yaml")).unwrap().1.clone();
    assert!(spec(&after).contains("\n# The SPEC's worked example, line by line.\n"));
    assert!(spec(&after).contains("net_total: 10321.00"));

    let (code, out, _) = missions(&["test", next.to_str().unwrap(), "--update"]);
    assert_eq!(code, 0);
    assert!(out.contains("100 passed, 0 failed, 0 case(s) rewritten"), "{out}");
    assert_eq!(read_tree(&next.join("tests")), after);
}

#[test]
fn update_never_accepts_an_error_a_missing_field_or_another_list_length() {
    let cases = "entry: run\ncases:\n  - name: expects an output\n    input: {n: 1}\n    expect: {ok: true}\n  - name: expects a field the output lacks\n    input: {}\n    expect: {ok: true, gone: 1}\n  - name: expects another list\n    input: {}\n    expect: {items: [1, 2]}\n  - name: expects an error\n    input: {}\n    error: {kind: rule}\n";
    let script = "fn run(input, params) {\n  if input.n == 1 { throw \"boom\"; }\n  #{ ok: true, items: [1] }\n}\n";
    let pack = temp_pack(&[("tests/run.yaml", cases), ("run.rhai", script)]);
    let file = pack.path().join("tests/run.yaml");
    let (code, out, _) = missions(&["test", pack.path().to_str().unwrap(), "--update"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), cases, "nothing may be rewritten");
    for name in ["expects an output", "expects a field the output lacks", "expects another list", "expects an error"] {
        assert!(out.contains(&format!("left    {} — {name}:", file.display())), "{name}: {out}");
    }
    assert!(out.contains("4 failed, 0 case(s) rewritten"), "{out}");
}

#[test]
fn update_on_a_pack_that_does_not_load_changes_nothing() {
    let (_tmp, _base, next) = next_year_at_36();
    let tariff = next.join("tariff.yaml");
    let text = std::fs::read_to_string(&tariff).unwrap();
    std::fs::write(&tariff, text.replace("license_per_user_month: 36.00", "license_per_user_month: -1")).unwrap();
    let before = read_tree(&next);
    let (code, out, err) = missions(&["test", next.to_str().unwrap(), "--update"]);
    assert_eq!(code, 1);
    assert!(out.contains("does not load"), "{out}");
    assert!(err.contains("tariff.yaml"), "{err}");
    assert_eq!(read_tree(&next), before);
}

#[test]
fn results_as_json_and_junit() {
    let (_tmp, _base, next) = next_year_at_36();
    let (code, out, _) =
        missions(&["test", next.to_str().unwrap(), "--format", "json", "--filter", "the spec example"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["passed"].as_u64(), v["failed"].as_u64()), (Some(1), Some(2)), "{v:#}");
    let files = v["packs"][0]["files"].as_array().unwrap();
    let spec = files.iter().find(|f| f["file"].as_str().unwrap().ends_with("quote-spec.yaml")).unwrap();
    let diff = &spec["cases"][0]["diffs"][0];
    assert_eq!(diff["path"], "lines[1].unit_price");
    assert_eq!((diff["expected"].as_str(), diff["actual"].as_str()), (Some("35.00"), Some("36.00")));

    let (code, out, _) = missions(&["test", next.to_str().unwrap(), "--format", "junit"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"), "{out}");
    assert_eq!(out.matches("<testcase ").count(), 100, "{out}");
    assert_eq!(out.matches("<failure ").count(), 35);
}

#[test]
fn diff_shows_the_changed_fields_and_the_effect_on_money() {
    let (tmp, base, next) = next_year_at_36();
    let recorded = tmp.path().join("requests.jsonl");
    let quote = |tenant: &str, users: u32| {
        format!(
            r#"{{"entry":"quote","tenant":"{tenant}","input":{{"date":"2027-02-01","year":2,"users":{users},"data_gb":10,"client":{{"country":"BE"}}}}}}"#
        )
    };
    let lines = [
        quote("dupont", 10),
        quote("dupont", 20),
        quote("peeters", 5),
        "{not json".into(),
        r#"{"entry":"gone","input":{}}"#.into(),
    ];
    std::fs::write(&recorded, lines.join("\n")).unwrap();
    let args = ["diff", base.to_str().unwrap(), next.to_str().unwrap(), "--inputs", recorded.to_str().unwrap()];
    let (code, out, err) = missions(&args);
    assert_eq!(code, 1, "something changed: {out}{err}");
    assert!(out.contains("lines[1].unit_price 35.00 → 36.00"), "{out}");
    assert!(out.contains("total 12314.17 → 12488.41"), "{out}");
    assert!(out.contains("skipped line 4"), "{out}");
    assert!(out.contains("neither version has an entry `gone`"), "{out}");
    // 10 users × 12 months × 1.00 more = +120.00, 20 users = +240.00, 5 users = +60.00.
    assert!(out.contains("dupont: 2 inputs") && out.contains("difference +360.00"), "{out}");
    assert!(out.contains("peeters: 1 inputs") && out.contains("difference +60.00"), "{out}");

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, out, _) = missions(&json_args);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["changed_anything"], true);
    assert_eq!(
        v["entries"]["quote"]["changed"], 48,
        "45 priced golden cases and 3 recorded quotes: {:#}",
        v["entries"]
    );
    let m = &v["money"]["total"];
    let dec = |s: &serde_json::Value| s.as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(dec(&m["after"]) - dec(&m["before"]), dec(&m["difference"]));
    assert_eq!(v["money"]["per_tenant"][0]["difference"], "360.00");
}

#[test]
fn diff_of_identical_versions_exits_0_and_of_a_broken_one_exits_2() {
    let (_tmp, base, next) = next_year_at_36();
    let (code, out, _) = missions(&["diff", base.to_str().unwrap(), base.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.trim_end().ends_with("nothing changed"), "{out}");
    std::fs::write(next.join("tariff.yaml"), "license_per_user_month: [").unwrap();
    let (code, _, err) = missions(&["diff", base.to_str().unwrap(), next.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("does not load"), "{err}");
    let (code, _, err) = missions(&["diff", base.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn diff_replays_what_it_can_when_entries_and_inputs_differ_and_never_hangs() {
    let base = temp_pack(&[
        (
            "pack.yaml",
            "name: scratch\nversion: 1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer?\n  old:\n    script: old.rhai\n    input: {}\n",
        ),
        ("old.rhai", "fn old(input, params) { #{ ok: true } }\n"),
        ("tests/run.yaml", "entry: run\ncases:\n  - name: n is 5\n    input: {n: 5}\n    expect: {ok: true}\n"),
        ("tests/old.yaml", "entry: old\ncases:\n  - name: old entry\n    input: {}\n    expect: {ok: true}\n"),
    ]);
    // The candidate drops `old`, requires `n`, and loops forever on n = 7.
    let candidate = temp_pack(&[
        (
            "pack.yaml",
            "name: scratch\nversion: 2\neffective_from: 2027-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nlimits:\n  max_operations: 100000\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer\n",
        ),
        ("run.rhai", "fn run(input, params) {\n  if input.n == 7 { loop { } }\n  #{ ok: true }\n}\n"),
        (
            "tests/run.yaml",
            "entry: run\ncases:\n  - name: n is 7\n    input: {n: 7}\n    error: {kind: limit}\n  - name: no n\n    input: {}\n    error: {kind: input}\n",
        ),
    ]);
    let (code, out, err) = missions(&["diff", base.path().to_str().unwrap(), candidate.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("entry `old` exists only in the base"), "{out}");
    assert!(
        out.contains("the input of `run` changed between the versions, and the candidate refuses this one"),
        "{out}"
    );
    assert!(
        out.contains("now failing (succeeded under the base)") && out.contains("ran more than 100000 operations"),
        "{out}"
    );
}

#[test]
fn an_impact_past_its_deadline_says_how_many_inputs_it_did_not_compare() {
    use missions_engine::{ImpactLimits, Pack, ReplayInput, case_inputs, impact};
    let dir = pack_dir("esomus");
    let pack = Pack::load(&dir).unwrap();
    let inputs: Vec<ReplayInput> = case_inputs(&dir).unwrap().into_iter().map(ReplayInput::from_case).collect();
    assert_eq!(inputs.len(), 100);
    let stopped = ImpactLimits { deadline: Some(std::time::Instant::now()), ..ImpactLimits::default() };
    let report = impact(&pack, &pack, &inputs, stopped);
    assert_eq!(report.not_compared, 100);
    assert!(report.entries.is_empty() && !report.anything_changed());
    let paced = ImpactLimits { cpu_percent: 50, ..ImpactLimits::default() };
    let report = impact(&pack, &pack, &inputs, paced);
    assert_eq!((report.not_compared, report.entries["quote"].replayed), (0, 64), "pacing changes no result");
}

#[test]
fn coverage_names_the_lines_no_case_runs_and_the_values_no_case_depends_on() {
    let manifest = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nparams:\n  files: [fees.yaml]\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer?\n";
    let script = "fn run(input, params) {\n  if input.n == 1 {\n    return #{ fee: params.low };\n  }\n  #{ fee: params.high }\n}\n";
    let cases = "entry: run\ncases:\n  - name: one\n    input: {n: 1}\n    expect: {fee: 5}\n";
    let pack = temp_pack(&[
        ("pack.yaml", manifest),
        ("run.rhai", script),
        ("fees.yaml", "low: 5\nhigh: 9\n"),
        ("tests/run.yaml", cases),
    ]);
    let dir = pack.path().to_str().unwrap();
    let (code, out, err) = missions(&["test", dir, "--coverage"]);
    assert_eq!(code, 0, "coverage informs, it does not fail the run: {out}{err}");
    let expected = format!(
        "coverage of {dir} by 1 case(s):\n  run.rhai: 2 of 3 lines run; never run: 5\n  parameters: 1 of 2 values read; no case depends on: high\n"
    );
    assert!(out.contains(&expected), "{out}");

    let (_, out, _) = missions(&["test", dir, "--coverage", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["packs"][0]["coverage"],
        serde_json::json!({"cases": 1, "scripts": [{"file": "run.rhai", "lines": 3, "missed": [5]}],
                           "param_values": 2, "unread_params": ["high"]})
    );
    let (_, out, _) = missions(&["test", dir, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["packs"][0].get("coverage").is_none(), "only with --coverage: {v:#}");

    // One statement, no parameters.
    let cases = "entry: run\ncases:\n  - name: one\n    input: {}\n    expect: {ok: true}\n";
    let bare = temp_pack(&[("tests/run.yaml", cases)]);
    let (code, out, _) = missions(&["test", bare.path().to_str().unwrap(), "--coverage"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("  run.rhai: all 1 line run\n  parameters: the pack has none\n"), "{out}");
}

#[test]
fn a_case_fails_when_the_output_is_not_what_the_entry_returns() {
    let manifest = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer?\n    returns:\n      ok: bool\n";
    let cases = "entry: run\ncases:\n  - name: one\n    input: {n: 1}\n    expect: {ok: true}\n";
    let script = "fn run(input, params) { #{ ok: true, stray: 1 } }\n";
    let pack = temp_pack(&[("pack.yaml", manifest), ("run.rhai", script), ("tests/run.yaml", cases)]);
    let (code, out, _) = missions(&["test", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("invalid output at `stray`: not what the entry's `returns:` declares: unknown field"),
        "{out}"
    );
}
