//! The `missions` command line as scripts use it: results, exit codes, and every bad input the
//! foundation issue lists, each with a clear message naming what is wrong and where.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_tests::{missions, missions_with_stdin, pack_dir, temp_pack};

const P1_XMAS: &str = r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}"#;

fn norriq() -> String {
    pack_dir("norriq").display().to_string()
}

#[test]
fn sla_json_matches_the_spec_example() {
    let (code, out, err) = missions(&["sla", "--pack", &norriq(), "--input", P1_XMAS, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["priority"], "P1");
    assert_eq!(v["target_working_hours"], "4");
    assert_eq!(v["deadline"], "2026-12-28T11:00:00+01:00");
    assert_eq!(v["pack"]["name"], "norriq");
}

#[test]
fn sla_is_eval_of_the_sla_entry() {
    let a = missions(&["sla", "--pack", &norriq(), "--input", P1_XMAS, "--json"]);
    let b = missions(&["eval", "--pack", &norriq(), "sla", "--input", P1_XMAS, "--json"]);
    assert_eq!(a, b);
}

#[test]
fn human_output_shows_the_deadline_in_the_chosen_language() {
    let (code, out, _) = missions(&["sla", "--pack", &norriq(), "--input", P1_XMAS, "--lang", "nl"]);
    assert_eq!(code, 0);
    assert!(out.contains("deadline         2026-12-28T11:00:00+01:00  (4 working hours)"), "{out}");
    assert!(out.contains("P1 — rood: activiteit ligt stil"), "{out}");
}

#[test]
fn input_from_a_file_and_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ticket.json");
    std::fs::write(&file, P1_XMAS).unwrap();
    let at = format!("@{}", file.display());
    let (code, out, _) = missions(&["sla", "--pack", &norriq(), "--input", &at, "--json"]);
    assert_eq!(code, 0);
    assert!(out.contains("2026-12-28T11:00:00+01:00"));
    let (code, out, _) = missions_with_stdin(&["sla", "--pack", &norriq(), "--input", "-", "--json"], P1_XMAS);
    assert_eq!(code, 0);
    assert!(out.contains("2026-12-28T11:00:00+01:00"));
}

#[test]
fn trace_lists_the_rules_that_fired() {
    let input = r#"{"contract":"nav","priority":"P1","category":"support","opened":"2026-12-24T16:00:00+01:00"}"#;
    let (code, out, _) = missions(&["eval", "--pack", &norriq(), "sla", "--input", input, "--json", "--trace"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["trace"].as_array().unwrap().iter().map(|t| t["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["always_p3", "target"]);
    let (_, out, _) = missions(&["eval", "--pack", &norriq(), "sla", "--input", input, "--json"]);
    assert!(!out.contains("\"trace\""), "no trace unless asked for");
}

#[test]
fn priority_p7_is_an_input_error_naming_the_field() {
    let input = r#"{"contract":"nav","priority":"P7","opened":"2026-12-24T16:00:00+01:00"}"#;
    let (code, out, err) = missions(&["sla", "--pack", &norriq(), "--input", input, "--json"]);
    assert_eq!(code, 1);
    assert!(err.contains("`priority`: `P7` is not one of `P1`, `P2`, `P3`"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "input");
    assert_eq!(v["error"]["errors"][0]["path"], "priority");
    assert_eq!(v["error"]["errors"][0]["messages"]["fr"], "`P7` ne fait pas partie de `P1`, `P2`, `P3`");
}

#[test]
fn unknown_missing_and_malformed_fields_are_all_reported() {
    let input = r#"{"contract":"nav","priority":"P1","openned":"2026-12-24","extra":1}"#;
    let (code, out, err) = missions(&["sla", "--pack", &norriq(), "--input", input, "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> =
        v["error"]["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["extra", "openned", "opened"]);
    assert!(err.contains("did you mean `opened`?"), "{err}");

    let input = r#"{"contract":"nav","priority":"P1","opened":"2026-12-24 16:00"}"#;
    let (code, _, err) = missions(&["sla", "--pack", &norriq(), "--input", input]);
    assert_eq!(code, 1);
    assert!(
        err.contains("`opened`: `2026-12-24 16:00` is not a valid instant (example: `2026-12-24T16:00:00+01:00`)"),
        "{err}"
    );
}

#[test]
fn invalid_json_is_an_input_error() {
    let (code, out, err) = missions(&["sla", "--pack", &norriq(), "--input", "{\"contract\": ", "--json"]);
    assert_eq!(code, 1);
    assert!(err.contains("not valid JSON"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "input");
}

#[test]
fn unknown_entry_suggests_the_closest() {
    let (code, out, err) = missions(&["eval", "--pack", &norriq(), "slaa", "--input", "{}", "--json"]);
    assert_eq!(code, 1);
    assert!(err.contains("pack `norriq` has no entry `slaa` (did you mean `sla`?)"), "{err}");
    assert!(out.contains("\"unknown_entry\""));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(missions(&["sla", "--input", P1_XMAS]).0, 2, "missing --pack");
    assert_eq!(missions(&["sla", "--pack", &norriq()]).0, 2, "missing --input");
    assert_eq!(missions(&["frobnicate"]).0, 2, "unknown subcommand");
    assert_eq!(missions(&["sla", "--pack", &norriq(), "--input", "@/no/such/file.json"]).0, 2, "missing input file");
    assert_eq!(
        missions(&["sla", "--pack", &norriq(), "--input", P1_XMAS, "--lang", "de"]).0,
        2,
        "unsupported language"
    );
    let (code, out, _) = missions(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("validate"));
}

#[test]
fn missing_pack_folder_is_a_clear_error() {
    let (code, _, err) = missions(&["sla", "--pack", "/no/such/pack", "--input", P1_XMAS]);
    assert_eq!(code, 1);
    assert!(err.contains("pack folder `/no/such/pack` does not exist"), "{err}");
}

#[test]
fn validate_accepts_the_shipped_pack() {
    let (code, out, err) = missions(&["validate", &norriq()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok: ") && out.contains("norriq 2026.1.0"), "{out}");
    // Each entry says how it runs: every shipped one directly.
    for entry in [
        "sla",
        "late_payment",
        "support_fee",
        "quote",
        "indexation",
        "contract_dates",
        "transfer_damages",
        "non_solicitation",
    ] {
        assert!(out.contains(&format!("  {entry}: evaluated directly")), "{out}");
    }
    let esomus = pack_dir("esomus").display().to_string();
    let (code, out, err) = missions(&["validate", &esomus]);
    assert_eq!(code, 0, "{err}");
    for entry in ["quote", "dates", "helpdesk"] {
        assert!(out.contains(&format!("  {entry}: evaluated directly")), "{out}");
    }
}

#[test]
fn validate_says_why_an_entry_runs_in_rhai() {
    let pack = temp_pack(&[("run.rhai", "fn run(input, params) {\n  switch 1 { 1 => 2, _ => 3 }\n}\n")]);
    let (code, out, err) = missions(&["validate", pack.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  run: interpreted by rhai (the statement at line 2, position 3)"), "{out}");
}

#[test]
fn script_syntax_error_names_file_and_line() {
    let pack = temp_pack(&[("run.rhai", "fn run(input, params) {\n  let x = ;\n  x\n}\n")]);
    let (code, _, err) = missions(&["validate", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("error[pack.script-syntax]: cannot compile `run.rhai`"), "{err}");
    assert!(err.contains("run.rhai:2:"), "names the line: {err}");
}

#[test]
fn pack_yaml_typo_names_line_and_suggests() {
    let text = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nentries:\n  run:\n    scirpt: run.rhai\n    input: {}\n";
    let pack = temp_pack(&[("pack.yaml", text)]);
    let (code, _, err) = missions(&["validate", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown field `scirpt`"), "{err}");
    assert!(err.contains("pack.yaml:9:5"), "{err}");
    assert!(err.contains("did you mean `script`?"), "{err}");
}

#[test]
fn entry_without_its_function_is_reported() {
    let pack = temp_pack(&[("run.rhai", "fn walk(input, params) { 1 }\n")]);
    let (code, _, err) = missions(&["validate", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("`run.rhai` does not define `fn run(input, params)`"), "{err}");
}

#[test]
fn empty_and_non_utf8_files_are_clear_errors() {
    let pack = temp_pack(&[("run.rhai", "")]);
    let (code, _, err) = missions(&["validate", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("run.rhai` is empty"), "{err}");

    let pack = temp_pack(&[]);
    std::fs::write(pack.path().join("pack.yaml"), b"name: \xff\xfe\n").unwrap();
    let (code, _, err) = missions(&["validate", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("is not valid UTF-8"), "{err}");
}

#[test]
fn test_command_reports_failures_with_their_place() {
    let case = "entry: run\ncases:\n  - name: wrong on purpose\n    input: {}\n    expect: {ok: false}\n";
    let pack = temp_pack(&[("tests/run.yaml", case)]);
    let (code, out, _) = missions(&["test", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("FAIL wrong on purpose — `ok` is true, expected false"), "{out}");
    assert!(out.contains("0 passed, 1 failed"), "{out}");
}

#[test]
fn test_command_runs_the_shipped_norriq_cases() {
    let (code, out, _) = missions(&["test", &norriq()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" failed"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}
