//! The schema language: definitions, checks and messages.

use rhai::Dynamic;

use missions_base::value::Node;
use missions_base::yaml;

use super::check::*;
use super::def::*;
use super::problem::*;
use super::types::*;

fn field(yaml: &str) -> Field {
    let def: FieldDef = yaml::decode(yaml).unwrap();
    let mut errs = Vec::new();
    let f = def.compile("f", &mut errs);
    assert!(errs.is_empty(), "{errs:?}");
    f
}

fn run(f: &Field, json: serde_json::Value) -> Result<Dynamic, Vec<InputError>> {
    let mut errs = Vec::new();
    let v = check(f, Some(&Node::from_json(&json)), &mut String::new(), &mut errs);
    if errs.is_empty() { Ok(v) } else { Err(errs) }
}

#[test]
fn objects_report_every_problem_with_its_path() {
    let f =
        field("{type: object, fields: {priority: {type: enum, values: [P1, P2, P3]}, opened: instant, n: integer?}}");
    let errs = run(&f, serde_json::json!({"priority": "P7", "openned": "x"})).unwrap_err();
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        vec![
            "`openned`: unknown field (did you mean `opened`?)",
            "`priority`: `P7` is not one of `P1`, `P2`, `P3`",
            "`opened`: missing required field",
        ]
    );
}

#[test]
fn decimals_are_exact_and_bounded() {
    let f = field("{type: decimal, greater_than: 0}");
    let v = run(&f, serde_json::json!("120.00")).unwrap();
    assert_eq!(v.as_decimal().unwrap().to_string(), "120.00");
    let e = run(&f, serde_json::json!("0")).unwrap_err();
    assert_eq!(e[0].problem.message("fr"), "`0` doit être supérieur à 0");
    let e = run(&f, serde_json::json!(1.5)).unwrap_err();
    assert!(matches!(e[0].problem, InputProblem::WrongType { .. }));
    let e = run(&f, serde_json::json!("1,5")).unwrap_err();
    assert!(matches!(e[0].problem, InputProblem::Malformed { .. }));
}

#[test]
fn dates_and_instants_are_strict() {
    let f = field("date");
    assert!(run(&f, serde_json::json!("2026-02-30")).is_err());
    assert!(run(&f, serde_json::json!("2026-2-3")).is_err());
    let e = run(&f, serde_json::json!("2201-01-01")).unwrap_err();
    assert!(matches!(e[0].problem, InputProblem::OutOfRange { .. }));
    let f = field("instant");
    assert!(run(&f, serde_json::json!("2026-12-24T16:00:00+01:00")).is_ok());
    assert!(run(&f, serde_json::json!("2026-12-24T16:00:00")).is_err(), "an instant needs its offset");
}

#[test]
fn lists_index_their_paths() {
    let f = field("{type: list, items: {type: object, fields: {start: instant}}, max_items: 3}");
    let e = run(&f, serde_json::json!([{"start": "2026-01-01T00:00:00Z"}, {"start": "bad"}])).unwrap_err();
    assert_eq!(e[0].path, "[1].start");
    let e = run(&f, serde_json::json!([{}, {}, {}, {}])).unwrap_err();
    assert!(matches!(e[0].problem, InputProblem::BadLength { len: 4, .. }));
}

#[test]
fn malformed_values_read_well_in_every_language() {
    let cases = [
        ("date", "une date", "geen geldige datum"),
        ("instant", "un instant", "geen geldig tijdstip"),
        ("decimal", "un décimal", "geen geldig decimaal getal"),
        ("integer", "un entier", "geen geldig geheel getal"),
        ("VAT number", "un numéro de TVA", "geen geldig btw-nummer"),
        (
            "ISO 3166-1 alpha-2 country code",
            "un code pays ISO 3166-1 alpha-2",
            "geen geldige ISO 3166-1 alpha-2-landcode",
        ),
    ];
    for (kind, fr, nl) in cases {
        let p = InputProblem::Malformed { value: "x".into(), expected: kind.into(), example: "e".into() };
        assert_eq!(p.message("en"), format!("`x` is not a valid {kind} (example: `e`)"));
        assert_eq!(p.message("fr"), format!("`x` n'est pas {fr} valide (exemple : `e`)"));
        assert_eq!(p.message("nl"), format!("`x` is {nl} (voorbeeld: `e`)"));
    }
}

#[test]
fn bad_definitions_are_reported() {
    let def: FieldDef = yaml::decode("{type: decmial}").unwrap();
    let mut errs = Vec::new();
    def.compile("entries.x.input.y", &mut errs);
    assert_eq!(errs[0].message, "unknown type `decmial`");
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `decimal`?"));
}
