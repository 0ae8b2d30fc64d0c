//! Mission models: every bad input of the issue gets a test asserting its code, message and
//! line; the shipped models validate clean and plan to hand-computed dates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use missions_engine::{
    Calendar, CalendarSpec, Diagnostic, Diagnostics, MemModelFiles, Model, SourceText, dashboard_json, load_model,
    model_schema, parse_model, plan_json, validate_model,
};
use serde_json::json;

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/models")
}

fn calendar() -> Calendar {
    Calendar::new(CalendarSpec::belgian_office_hours()).unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A small valid model; tests break it one way at a time.
const BASE: &str = "\
id: t
languages: [fr, nl, en]
label: {fr: Test, nl: Test, en: Test}
roles:
  - id: partner
    label: {fr: Associé, nl: Vennoot, en: Partner}
  - id: reviewer
    label: {fr: Réviseur, nl: Revisor, en: Reviewer}
    reports_to: partner
library:
  objectives:
    - id: quality
      label: {fr: Qualité, nl: Kwaliteit, en: Quality}
phases:
  - id: p
    label: {fr: Phase, nl: Fase, en: Phase}
    actions:
      - id: prepare
        role: partner
        label: {fr: Préparer, nl: Voorbereiden, en: Prepare}
        objectives: [quality]
        documents:
          - id: memo
            label: {fr: Note, nl: Memo, en: Memo}
        due: 2 working days after start
      - id: plan-review
        role: reviewer
        label: {fr: Revoir, nl: Beoordelen, en: Review}
        inputs: [memo]
        depends_on: [prepare]
        due: 5 working days after start
";

fn parse(text: &str) -> Result<Model, Diagnostics> {
    parse_model(SourceText::new("model.yaml", text), &MemModelFiles::default())
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("`{needle}` not in text")) + 1
}

/// The only error of a model that must fail.
fn only_error(text: &str) -> Diagnostic {
    let diags = parse(text).expect_err("the model must be refused");
    let errors: Vec<&Diagnostic> = diags.errors().collect();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{diags}");
    errors[0].clone()
}

fn line(d: &Diagnostic) -> usize {
    d.location.as_ref().expect("located").line
}

#[test]
fn base_model_is_clean() {
    let m = parse(BASE).unwrap_or_else(|d| panic!("{d}"));
    assert!(m.warnings().0.is_empty(), "{}", m.warnings());
    assert_eq!(m.actions().len(), 2);
    assert_eq!(m.action("plan-review").unwrap().due.as_ref().unwrap().to_string(), "5 working days after start");
}

#[test]
fn unknown_role_is_located_with_a_suggestion() {
    let text = BASE.replace("role: reviewer", "role: reviewr");
    let e = only_error(&text);
    assert_eq!(e.code, "model.unknown-role");
    assert_eq!(e.message, "unknown role `reviewr` in action `plan-review` (did you mean `reviewer`?)");
    assert_eq!(line(&e), line_of(&text, "role: reviewr"));
    assert_eq!(e.location.as_ref().unwrap().column, 15);
    assert_eq!(e.location.as_ref().unwrap().file, "model.yaml");
}

#[test]
fn unknown_action_in_depends_on() {
    let text = BASE.replace("depends_on: [prepare]", "depends_on: [prepar]");
    let e = only_error(&text);
    assert_eq!(e.code, "model.unknown-action");
    assert_eq!(e.message, "unknown action `prepar` in action `plan-review` (did you mean `prepare`?)");
    assert_eq!(line(&e), line_of(&text, "depends_on: [prepar]"));
}

#[test]
fn unknown_objective_and_document() {
    let text =
        BASE.replace("objectives: [quality]", "objectives: [qualty]").replace("inputs: [memo]", "inputs: [memmo]");
    let diags = parse(&text).unwrap_err();
    let codes: Vec<&str> = diags.errors().map(|d| d.code).collect();
    assert_eq!(codes, ["model.unknown-objective", "model.unknown-document"], "{diags}");
    let e = diags.errors().next().unwrap();
    assert_eq!(e.message, "unknown objective `qualty` in action `prepare` (did you mean `quality`?)");
    assert_eq!(line(e), line_of(&text, "objectives: [qualty]"));
    let e = diags.errors().nth(1).unwrap();
    assert_eq!(e.message, "unknown document `memmo` in action `plan-review` (did you mean `memo`?)");
    assert_eq!(line(e), line_of(&text, "inputs: [memmo]"));
}

#[test]
fn duplicate_action_id() {
    let text = BASE.replace("id: plan-review", "id: prepare");
    let diags = parse(&text).unwrap_err();
    let e = diags.errors().find(|d| d.code == "model.duplicate-id").unwrap_or_else(|| panic!("{diags}"));
    assert_eq!(e.message, "duplicate action id `prepare`");
    let second = text.lines().enumerate().filter(|(_, l)| l.contains("- id: prepare")).nth(1).unwrap().0 + 1;
    assert_eq!(line(e), second, "{diags}");
    assert_eq!(e.help.as_deref(), Some("the first is at model.yaml:18:13; ids must be unique"));
}

#[test]
fn dependency_cycle_is_reported_with_its_path() {
    let text = BASE
        .replace("        objectives: [quality]\n", "        objectives: [quality]\n        depends_on: [check]\n")
        + "      - id: check\n        role: partner\n        label: {fr: C, nl: C, en: C}\n        depends_on: [plan-review]\n";
    let e = only_error(&text);
    assert_eq!(e.code, "model.cycle");
    assert_eq!(e.message, "dependency cycle: `prepare` → `check` → `plan-review` → `prepare`");
    assert_eq!(line(&e), line_of(&text, "depends_on: [check]"));
}

#[test]
fn self_dependency_is_a_cycle() {
    let text = BASE.replace("depends_on: [prepare]", "depends_on: [plan-review]");
    let e = only_error(&text);
    assert_eq!(e.code, "model.cycle");
    assert_eq!(e.message, "dependency cycle: `plan-review` → `plan-review`");
}

#[test]
fn missing_label_language() {
    let text = BASE.replace("{fr: Revoir, nl: Beoordelen, en: Review}", "{fr: Revoir, en: Review}");
    let e = only_error(&text);
    assert_eq!(e.code, "model.missing-label");
    assert_eq!(e.message, "label of action `plan-review` has no `nl` text");
    assert_eq!(line(&e), line_of(&text, "{fr: Revoir, en: Review}"));
}

#[test]
fn temporality_relative_to_an_unknown_date() {
    let text = BASE.replace("5 working days after start", "5 working days after startt");
    let e = only_error(&text);
    assert_eq!(e.code, "model.unknown-date");
    assert_eq!(e.message, "unknown date `startt` in action `plan-review` (did you mean `start`?)");
    assert_eq!(line(&e), line_of(&text, "after startt"));
}

#[test]
fn unreadable_temporality() {
    let text = BASE.replace("5 working days after start", "5 working weeks after start");
    let e = only_error(&text);
    assert_eq!(e.code, "model.invalid-due");
    assert_eq!(e.message, "cannot read the temporality `5 working weeks after start` in action `plan-review`");
    assert_eq!(line(&e), line_of(&text, "weeks after"));
}

#[test]
fn mapping_temporality_and_its_mistakes() {
    let ok = BASE.replace("due: 5 working days after start", "due: {days: 5, unit: working, after: start}");
    assert!(parse(&ok).is_ok());
    let text = BASE.replace("due: 5 working days after start", "due: {days: 5, unit: working, after: signing}");
    let e = only_error(&text);
    assert_eq!(e.code, "model.unknown-date");
    assert_eq!(line(&e), line_of(&text, "after: signing"));
    let text = BASE.replace("due: 5 working days after start", "due: {days: 5, unit: wrking, after: start}");
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.invalid");
    assert!(e.message.contains("unknown variant `wrking`"), "{e}");
    assert_eq!(line(&e), line_of(&text, "wrking"));
}

#[test]
fn due_before_a_dependency() {
    let text = BASE.replace("5 working days after start", "1 working day after start");
    let e = only_error(&text);
    assert_eq!(e.code, "model.due-before-dependency");
    assert_eq!(
        e.message,
        "action `plan-review` is due 1 working day after start, before action `prepare` it depends on (2 working days after start)"
    );
    assert_eq!(line(&e), line_of(&text, "1 working day after start"));
}

#[test]
fn unknown_key_gets_a_suggestion() {
    let text = BASE.replace("depends_on: [prepare]", "depend_on: [prepare]");
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.unknown-key");
    assert_eq!(e.help.as_deref(), Some("did you mean `depends_on`?"));
    assert_eq!(line(&e), line_of(&text, "depend_on"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = BASE
        .replace("role: reviewer", "role: reviewr")
        .replace("depends_on: [prepare]", "depends_on: [prepar]")
        .replace("{fr: Revoir, nl: Beoordelen, en: Review}", "{fr: Revoir, en: Review}")
        .replace("2 working days after start", "2 working days after kickoff");
    let diags = parse(&text).unwrap_err();
    let codes: Vec<&str> = diags.errors().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["model.unknown-date", "model.unknown-role", "model.missing-label", "model.unknown-action"],
        "{diags}"
    );
}

#[test]
fn yaml_syntax_error() {
    let text = BASE.replace("      - id: plan-review\n", "      - id: plan-review\n     bad: [\n");
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.syntax");
    assert!(e.message.starts_with("invalid YAML"), "{e}");
    assert!(line(&e) >= line_of(&text, "bad: ["), "{e}");
}

#[test]
fn a_50_mb_model_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    // A sparse file: refusing it must not need its bytes.
    std::fs::File::create(&path).unwrap().set_len(50 * 1024 * 1024).unwrap();
    let diags = load_model(&path).unwrap_err();
    assert_eq!(diags.0.len(), 1);
    assert_eq!(diags.0[0].code, "file.too-large");
    assert_eq!(diags.0[0].message, format!("`{}` is 52428800 bytes; the limit is 8388608 bytes", path.display()));
}

#[test]
fn alias_bomb_is_refused() {
    // The classic bomb: refused on the bytes its aliases would expand to, before any is expanded.
    let mut text = String::from("id: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.aliases-too-large", "{e}");
    assert_eq!(e.message, "aliases expand to more than 262144 bytes");
}

/// Found by probing the host: a 539 KB model whose one 100 KB label is referenced by 8 000
/// actions took the server to gigabytes and planned to an 800 MB answer.
#[test]
fn one_large_anchor_referenced_everywhere_is_refused() {
    let big = "x".repeat(100_000);
    let mut text =
        BASE.replace("label: {fr: Test, nl: Test, en: Test}", &format!("label: {{fr: &s \"{big}\", nl: *s, en: *s}}"));
    for i in 0..8_000 {
        text.push_str(&format!(
            "      - {{id: a{i}, role: partner, label: {{fr: *s, nl: *s, en: *s}}, due: 1 working days after start}}\n"
        ));
    }
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.aliases-too-large", "{e}");
    // The third reference crosses the limit: the first action, and the 7 999 others are not read.
    assert_eq!(line(&e), line_of(&text, "{id: a0,"), "{e}");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("id: t\nlabel: {}x{}\n", "[".repeat(200), "]".repeat(200));
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.too-deep");
    assert_eq!(e.message, "nesting deeper than 64 levels");
    assert_eq!(line(&e), 2);
}

/// Found by probing the host: 100 000 levels of flow nesting in a 200 KB model took the model
/// loader over 30 s (the decoder ran before the depth check). The limit now stops the read.
#[test]
fn very_deep_flow_nesting_is_refused_before_decoding() {
    let depth = 100_000;
    let text = format!("{BASE}description: {}x{}\n", "[".repeat(depth), "]".repeat(depth));
    let e = only_error(&text);
    assert_eq!(e.code, "yaml.too-deep", "{e}");
    assert_eq!(line(&e), line_of(&text, "description:"), "{e}");
}

// ----- extends -----

const FIRM: &str = "\
extends: base.yaml
id: firm
roles:
  - id: quality
    label: {fr: Qualité, nl: Kwaliteit, en: Quality}
phases:
  - id: p
    actions:
      - id: plan-review
        role: quality
        label: {en: Review by quality}
      - id: sign
        role: partner
        label: {fr: Signer, nl: Ondertekenen, en: Sign}
        depends_on: [plan-review]
        due: 6 working days after start
";

fn firm(text: &str) -> Result<Model, Diagnostics> {
    let files = MemModelFiles(HashMap::from([("base.yaml".to_owned(), BASE.to_owned())]));
    parse_model(SourceText::new("firm.yaml", text), &files)
}

#[test]
fn extending_model_adds_and_overrides() {
    let m = firm(FIRM).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(m.id(), "firm");
    assert_eq!(m.files(), ["base.yaml", "firm.yaml"]);
    let review = m.action("plan-review").unwrap();
    assert_eq!(review.role, "quality");
    assert_eq!(review.label.get("en"), Some("Review by quality"));
    assert_eq!(review.label.get("fr"), Some("Revoir"), "labels merge per language");
    assert_eq!(review.depends_on, ["prepare"], "fields not restated are kept");
    assert_eq!(m.actions().iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["prepare", "plan-review", "sign"]);
}

#[test]
fn errors_are_reported_in_the_file_that_has_them() {
    let text = FIRM.replace("role: partner", "role: partnr");
    let files =
        MemModelFiles(HashMap::from([("base.yaml".to_owned(), BASE.replace("role: reviewer", "role: reviewr"))]));
    let diags = parse_model(SourceText::new("firm.yaml", text.as_str()), &files).unwrap_err();
    // `plan-review`'s role is overridden by the firm, so the base's typo no longer matters.
    let errors: Vec<&Diagnostic> = diags.errors().collect();
    assert_eq!(errors.len(), 1, "{diags}");
    assert_eq!(errors[0].message, "unknown role `partnr` in action `sign` (did you mean `partner`?)");
    let loc = errors[0].location.as_ref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("firm.yaml", line_of(&text, "role: partnr")));

    let text = FIRM.replace("role: quality\n        label", "label");
    let files =
        MemModelFiles(HashMap::from([("base.yaml".to_owned(), BASE.replace("role: reviewer", "role: reviewr"))]));
    let diags = parse_model(SourceText::new("firm.yaml", text.as_str()), &files).unwrap_err();
    let e = diags.errors().next().unwrap();
    assert_eq!(e.message, "unknown role `reviewr` in action `plan-review` (did you mean `reviewer`?)");
    assert_eq!(e.location.as_ref().unwrap().file, "base.yaml");
}

#[test]
fn removing_an_action_checks_its_dependants() {
    let text = format!("{FIRM}remove: [prepare]\n");
    let diags = firm(&text).unwrap_err();
    let got: Vec<(&str, &str)> = diags.errors().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("model.removed-dependency", "cannot remove action `prepare`: action `plan-review` depends on it"),
            (
                "model.removed-dependency",
                "cannot remove action `prepare`: action `plan-review` works from its document `memo`"
            ),
        ]
    );
    for d in diags.errors() {
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.file.as_str(), loc.line), ("firm.yaml", line_of(&text, "remove:")));
    }

    // Dropping the dependency too makes the removal fine.
    let text = format!("{FIRM}remove: [prepare]\n")
        .replace("        role: quality\n", "        role: quality\n        depends_on: []\n        inputs: []\n");
    let m = firm(&text).unwrap_or_else(|d| panic!("{d}"));
    assert!(m.action("prepare").is_none());

    let e = only_error_of(firm(&format!("{FIRM}remove: [prepar]\n")));
    assert_eq!(e.code, "model.unknown-action");
    assert_eq!(e.message, "cannot remove unknown action `prepar` (did you mean `prepare`?)");
}

fn only_error_of(r: Result<Model, Diagnostics>) -> Diagnostic {
    let diags = r.expect_err("the model must be refused");
    let errors: Vec<&Diagnostic> = diags.errors().collect();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{diags}");
    errors[0].clone()
}

#[test]
fn extends_problems() {
    let e = only_error_of(firm(&FIRM.replace("extends: base.yaml", "extends: bse.yaml")));
    assert_eq!(e.code, "file.unreadable");
    assert_eq!(e.help.as_deref(), Some("did you mean `base.yaml`?"));
    assert_eq!(e.location.as_ref().map(|l| (l.file.as_str(), l.line)), Some(("firm.yaml", 1)));

    let files = MemModelFiles(HashMap::from([
        ("a.yaml".to_owned(), "extends: b.yaml\nid: a\n".to_owned()),
        ("b.yaml".to_owned(), "extends: a.yaml\nid: b\n".to_owned()),
    ]));
    let e = only_error_of(parse_model(SourceText::new("a.yaml", "extends: b.yaml\nid: a\n"), &files));
    assert_eq!(e.code, "model.extends-cycle");
    assert_eq!(e.message, "models extend each other in a cycle: `a.yaml` → `b.yaml` → `a.yaml`");

    let e = only_error(&format!("{BASE}remove: [prepare]\n"));
    assert_eq!(e.code, "model.remove-without-extends");
}

// ----- plan and dashboard inputs -----

fn base_model() -> Model {
    parse(BASE).unwrap()
}

#[test]
fn plan_input_with_an_unknown_role() {
    let input = json!({"client": "ACME", "start": "2026-01-05", "closing": "2026-06-30",
                       "people": {"partner": ["Anne"], "reviewr": ["Bob"]}});
    let diags = plan_json(&base_model(), &input, &calendar()).unwrap_err();
    assert_eq!(diags.0.len(), 1, "{diags}");
    assert_eq!(diags.0[0].code, "input.unknown-role");
    assert_eq!(diags.0[0].message, "unknown role `reviewr` at `people.reviewr` (did you mean `reviewer`?)");
}

/// The plan's input is declared in the schema language and read by the checker entry inputs use:
/// the same problems, at the same paths, in the same words.
#[test]
fn plan_input_with_unknown_fields_and_bad_values() {
    let input = json!({"client": "ACME", "start": "2026-01-05", "closing": "30/06/2026", "peple": {}});
    let diags = plan_json(&base_model(), &input, &calendar()).unwrap_err();
    let got: Vec<(&str, Option<&str>, &str)> =
        diags.0.iter().map(|d| (d.code, d.path.as_deref(), d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("input.unknown-field", Some("peple"), "`peple`: unknown field (did you mean `people`?)"),
            ("input.invalid", Some("closing"), "`closing`: `30/06/2026` is not a valid date (example: `2026-12-24`)"),
            ("input.missing-field", Some("people"), "`people`: missing required field"),
        ]
    );
    let nl = diags.0[1].localized(missions_engine::Lang::Nl).message;
    assert_eq!(nl, "`closing`: `30/06/2026` is geen geldige datum (voorbeeld: `2026-12-24`)");
}

#[test]
fn plan_dates_actions_with_the_calendar() {
    let input = json!({"client": "ACME", "start": "2026-04-01", "closing": "2026-04-30",
                       "people": {"partner": ["Anne"], "reviewer": ["Bob", "Chris"]}});
    let plan = plan_json(&base_model(), &input, &calendar()).unwrap();
    let got: Vec<(&str, Option<NaiveDate>, Vec<String>)> =
        plan.actions.iter().map(|a| (a.id.as_str(), a.due, a.assignees.clone())).collect();
    // Easter Monday 2026 is 6 April.
    assert_eq!(
        got,
        [
            ("prepare", Some(date("2026-04-03")), vec!["Anne".to_owned()]),
            ("plan-review", Some(date("2026-04-09")), vec!["Bob".to_owned(), "Chris".to_owned()]),
        ]
    );
    assert!(plan.warnings.0.is_empty(), "{}", plan.warnings);
}

#[test]
fn plan_warns_about_an_unstaffed_role() {
    let input =
        json!({"client": "ACME", "start": "2026-04-01", "closing": "2026-04-30", "people": {"partner": ["Anne"]}});
    let plan = plan_json(&base_model(), &input, &calendar()).unwrap();
    assert_eq!(plan.warnings.0.len(), 1);
    assert_eq!(plan.warnings.0[0].code, "plan.unassigned");
    assert_eq!(plan.warnings.0[0].message, "nobody plays role `reviewer`, responsible for 1 action(s)");
}

#[test]
fn dashboard_input_naming_an_unknown_action_or_role() {
    let state = json!({
        "as_of": "2026-04-08",
        "mission": {"client": "ACME", "start": "2026-04-01", "closing": "2026-04-30",
                    "people": {"partner": ["Anne"], "reviewers": ["Bob"]}},
        "actions": [{"id": "prepare", "done_on": "2026-04-02"}, {"id": "plan-reveiw", "status": "in_progress"}],
    });
    let diags = dashboard_json(&base_model(), &state, &calendar()).unwrap_err();
    let got: Vec<(&str, &str)> = diags.0.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("input.unknown-action", "unknown action `plan-reveiw` at `actions[1].id` (did you mean `plan-review`?)"),
            ("input.unknown-role", "unknown role `reviewers` at `mission.people.reviewers` (did you mean `reviewer`?)"),
        ]
    );
}

/// A state is first checked against its declared shape, then against what the model and the
/// action's own fields say; each problem at its path.
#[test]
fn dashboard_state_mistakes_name_their_path() {
    let mut state = json!({
        "as_of": "2026-04-08",
        "mission": {"client": "ACME", "start": "2026-04-01", "closing": "2026-04-30", "people": {}},
        "actions": [{"id": "prepare", "status": "done"}, {"id": "plan-review", "status": "finished"}],
        "key_points": [{"id": "KP1", "kind": "anomaly", "severity": "high", "raised_on": "2026-04-02", "note": "x"}],
    });
    let diags = dashboard_json(&base_model(), &state, &calendar()).unwrap_err();
    let got: Vec<(&str, Option<&str>, &str)> =
        diags.0.iter().map(|d| (d.code, d.path.as_deref(), d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            (
                "input.not-one-of",
                Some("actions[1].status"),
                "`actions[1].status`: `finished` is not one of `open`, `in_progress`, `done`, `skipped`"
            ),
            ("input.unknown-field", Some("key_points[0].note"), "`key_points[0].note`: unknown field"),
        ]
    );
    state["actions"][1]["status"] = json!("in_progress");
    state["key_points"][0].as_object_mut().unwrap().remove("note");
    state["key_points"][0]["closed_on"] = json!("2026-04-01");
    state["mission"]["people"] = json!({"partner": [" "]});
    let diags = dashboard_json(&base_model(), &state, &calendar()).unwrap_err();
    let got: Vec<(&str, Option<&str>, &str)> =
        diags.0.iter().map(|d| (d.code, d.path.as_deref(), d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("input.invalid", Some("mission.people.partner[0]"), "`mission.people.partner[0]` is empty"),
            (
                "input.missing-field",
                Some("actions[0].done_on"),
                "missing field `actions[0].done_on`: a done action needs its date"
            ),
            (
                "input.invalid",
                Some("key_points[0].closed_on"),
                "`key_points[0].closed_on` (2026-04-01) is before `key_points[0].raised_on` (2026-04-02)"
            ),
        ]
    );
}

// ----- the shipped models -----

#[test]
fn shipped_models_validate_clean() {
    for name in ["isqm-standard.yaml", "example-firm.yaml"] {
        let diags = validate_model(&models_dir().join(name));
        assert!(diags.0.is_empty(), "{name}:\n{diags}");
    }
    let m = load_model(&models_dir().join("isqm-standard.yaml")).unwrap();
    assert!(m.actions().len() >= 30);
    for a in m.actions() {
        for lang in ["fr", "nl", "en"] {
            assert!(a.label.get(lang).is_some_and(|t| !t.is_empty()), "{} in {lang}", a.id);
        }
    }
}

fn isqm_people() -> serde_json::Value {
    json!({
        "partner": ["Anne Dupont"], "eqr": ["Marc Lenoir"], "quality": ["Sofie Claes"],
        "manager": ["Pieter Janssens"], "supervisor": ["Julie Martin"], "staff": ["Tom Peeters", "Léa Dubois"]
    })
}

/// Dates computed by hand with the 2026 Belgian holidays (Easter Monday 6 April, 1 May,
/// Ascension 14 May, Whit Monday 25 May). `signing` defaults to 15 working days before closing.
const ISQM_2026: &[(&str, &str)] = &[
    ("client-identification", "2026-01-07"),
    ("integrity-assessment", "2026-01-09"),
    ("independence-check", "2026-01-09"),
    ("team-competence", "2026-01-12"),
    ("eqr-need", "2026-01-12"),
    ("acceptance-decision", "2026-01-14"),
    ("engagement-letter", "2026-01-19"),
    ("team-briefing", "2026-01-21"),
    ("entity-understanding", "2026-02-02"),
    ("materiality", "2026-02-04"),
    ("internal-control", "2026-02-09"),
    ("risk-assessment", "2026-02-09"),
    ("fraud-discussion", "2026-02-10"),
    ("audit-strategy", "2026-02-12"),
    ("plan-approval", "2026-02-16"),
    ("controls-testing", "2026-04-09"),
    ("external-confirmations", "2026-04-23"),
    ("substantive-procedures", "2026-04-30"),
    ("estimates-review", "2026-05-08"),
    ("going-concern", "2026-05-12"),
    ("supervisor-review", "2026-05-18"),
    ("consultation", "2026-05-21"),
    ("subsequent-events", "2026-06-02"),
    ("misstatements-summary", "2026-05-26"),
    ("manager-review", "2026-05-28"),
    ("draft-report", "2026-06-01"),
    ("partner-review", "2026-06-02"),
    ("eqr-review", "2026-06-04"),
    ("governance-communication", "2026-06-05"),
    ("representation-letter", "2026-06-05"),
    ("report-signing", "2026-06-09"),
    ("report-issue", "2026-06-11"),
    ("nbb-filing", "2026-06-23"),
    ("file-assembly", "2026-06-23"),
    ("time-review", "2026-06-25"),
    ("debriefing", "2026-06-26"),
    ("archive-lock", "2026-06-30"),
    ("monitoring-selection", "2026-06-30"),
];

#[test]
fn isqm_standard_plans_to_exact_dates() {
    let model = load_model(&models_dir().join("isqm-standard.yaml")).unwrap();
    let input = json!({"client": "Brasserie Dupuis SRL", "start": "2026-01-05", "closing": "2026-06-30", "people": isqm_people()});
    let plan = plan_json(&model, &input, &calendar()).unwrap();
    assert!(plan.warnings.0.is_empty(), "{}", plan.warnings);
    assert_eq!(plan.dates.get("signing"), Some(&date("2026-06-09")));
    let got: Vec<(&str, String)> = plan.actions.iter().map(|a| (a.id.as_str(), a.due.unwrap().to_string())).collect();
    let want: Vec<(&str, String)> = ISQM_2026.iter().map(|(id, d)| (*id, (*d).to_owned())).collect();
    assert_eq!(got, want);
    let signing = plan.actions.iter().find(|a| a.id == "report-signing").unwrap();
    assert_eq!(signing.assignees, ["Anne Dupont"]);
    let substantive = plan.actions.iter().find(|a| a.id == "substantive-procedures").unwrap();
    assert_eq!(substantive.assignees, ["Tom Peeters", "Léa Dubois"]);

    // A signing date given in the input replaces the default.
    let input = json!({"client": "X", "start": "2026-01-05", "closing": "2026-06-30", "dates": {"signing": "2026-06-12"}, "people": isqm_people()});
    let plan = plan_json(&model, &input, &calendar()).unwrap();
    assert_eq!(plan.actions.iter().find(|a| a.id == "report-issue").unwrap().due, Some(date("2026-06-16")));
}

#[test]
fn example_firm_plans_its_changes() {
    let model = load_model(&models_dir().join("example-firm.yaml")).unwrap();
    let mut people = isqm_people();
    people["it-auditor"] = json!(["Karim Haddad"]);
    let input =
        json!({"client": "Brasserie Dupuis SRL", "start": "2026-01-05", "closing": "2026-06-30", "people": people});
    let plan = plan_json(&model, &input, &calendar()).unwrap();
    assert!(plan.warnings.0.is_empty(), "{}", plan.warnings);
    let due = |id: &str| plan.actions.iter().find(|a| a.id == id).map(|a| a.due.unwrap().to_string());
    assert_eq!(due("engagement-letter").as_deref(), Some("2026-01-15"));
    assert_eq!(due("it-controls-review").as_deref(), Some("2026-04-16"));
    assert_eq!(due("satisfaction-survey").as_deref(), Some("2026-07-07"));
    assert_eq!(due("nbb-filing"), None, "removed");
    assert_eq!(plan.actions.len(), ISQM_2026.len() + 1);
    assert_eq!(
        plan.actions.iter().find(|a| a.id == "client-identification").unwrap().assignees,
        ["Tom Peeters", "Léa Dubois"]
    );
}

#[test]
fn isqm_dashboard_figures() {
    let model = load_model(&models_dir().join("isqm-standard.yaml")).unwrap();
    let mut actions: Vec<serde_json::Value> =
        ISQM_2026[..15].iter().map(|(id, d)| json!({"id": id, "done_on": d})).collect();
    actions.push(json!({"id": "controls-testing", "done_on": "2026-04-09"}));
    actions.push(json!({"id": "external-confirmations", "done_on": "2026-04-22"}));
    actions.push(json!({"id": "substantive-procedures", "status": "in_progress"}));
    let state = json!({
        "as_of": "2026-05-20",
        "mission": {"client": "Brasserie Dupuis SRL", "start": "2026-01-05", "closing": "2026-06-30", "people": isqm_people()},
        "actions": actions,
        "key_points": [
            {"id": "KP-1", "kind": "anomaly", "severity": "major", "raised_on": "2026-05-11", "action": "substantive-procedures"},
            {"id": "KP-2", "kind": "incident", "severity": "minor", "raised_on": "2026-05-19"},
            {"id": "KP-3", "kind": "anomaly", "severity": "minor", "raised_on": "2026-04-20", "closed_on": "2026-05-04"},
        ],
    });
    let d = dashboard_json(&model, &state, &calendar()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((d.week.first, d.week.last), (date("2026-05-18"), date("2026-05-24")));
    assert_eq!((d.progress.total, d.progress.done, d.progress.open, d.progress.percent), (38, 17, 21, 44));
    let fieldwork = d.phases.iter().find(|p| p.id == "fieldwork").unwrap();
    assert_eq!(
        (fieldwork.progress.done, fieldwork.progress.total, fieldwork.progress.percent, fieldwork.overdue),
        (2, 8, 25, 4)
    );
    let overdue: Vec<(&str, i64)> = d.overdue.iter().map(|a| (a.id.as_str(), a.days_late)).collect();
    assert_eq!(
        overdue,
        [("substantive-procedures", 20), ("estimates-review", 12), ("going-concern", 8), ("supervisor-review", 2)]
    );
    let this_week: Vec<&str> = d.due_this_week.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(this_week, ["consultation"]);

    let julie = d.people.iter().find(|p| p.name == "Julie Martin").unwrap();
    assert_eq!((julie.open, julie.overdue, julie.due_this_week, julie.done), (5, 2, 0, 2));
    let tom = d.people.iter().find(|p| p.name == "Tom Peeters").unwrap();
    assert_eq!((tom.open, tom.in_progress, tom.overdue, tom.done), (2, 1, 1, 4));

    let supervisors: Vec<&str> = d.teams.iter().map(|t| t.supervisor.as_str()).collect();
    assert_eq!(supervisors, ["Anne Dupont", "Pieter Janssens", "Julie Martin"], "only roles others report to");
    let team = |who: &str| d.teams.iter().find(|t| t.supervisor == who).unwrap();
    let staff_team = team("Julie Martin");
    assert_eq!(staff_team.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Tom Peeters", "Léa Dubois"]);
    assert_eq!(
        (staff_team.overdue, staff_team.overdue_actions.as_slice()),
        (2, &["substantive-procedures".to_owned()][..])
    );
    assert_eq!(team("Anne Dupont").members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Pieter Janssens"]);
    assert_eq!(team("Pieter Janssens").overdue_actions, ["estimates-review", "supervisor-review"]);

    let kp = &d.key_points;
    assert_eq!(kp.open, 2);
    let anomaly = kp.by_kind.iter().find(|k| k.kind == "anomaly").unwrap();
    assert_eq!(anomaly.by_severity.iter().map(|s| s.open).collect::<Vec<_>>(), [0, 1, 0]);
    assert_eq!(kp.items.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), ["KP-1", "KP-2"]);
    assert_eq!(kp.items[0].alerted, ["Pieter Janssens"]);
    assert_eq!(kp.items[1].escalate_on, Some(date("2026-05-22")));
    assert_eq!(kp.escalations_due.len(), 1);
    let esc = &kp.escalations_due[0];
    assert_eq!(
        (esc.id.as_str(), esc.escalate_on, esc.people.as_slice()),
        ("KP-1", date("2026-05-19"), &["Anne Dupont".to_owned()][..])
    );
}

// ----- schema -----

#[test]
fn the_schema_describes_the_format() {
    let schema = model_schema();
    let props = schema["properties"].as_object().unwrap();
    for key in ["extends", "languages", "roles", "library", "phases", "key_points", "remove"] {
        assert!(props.contains_key(key), "{key}");
    }
    assert_eq!(schema["additionalProperties"], json!(false));
    let path = models_dir().join("model.schema.json");
    if std::env::var_os("UPDATE_MODEL_SCHEMA").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&schema).unwrap() + "\n").unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap();
    let shipped: serde_json::Value = serde_json::from_str(&shipped).unwrap();
    assert_eq!(
        shipped, schema,
        "rules/models/model.schema.json is stale: regenerate it with `UPDATE_MODEL_SCHEMA=1 cargo test -p missions-engine --test models`"
    );
}
