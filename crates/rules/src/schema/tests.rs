//! The schema language: definitions, checks and messages.

use rhai::Dynamic;

use missions_base::value::Node;
use missions_base::yaml;

use missions_base::schema::{FieldDef, InputProblem};

use super::*;

fn field(yaml: &str) -> Field {
    let def: FieldDef = yaml::decode(yaml).unwrap();
    let mut errs = Vec::new();
    let f = def.compile("f", &mut errs);
    assert!(errs.is_empty(), "{errs:?}");
    f
}

/// Check `json` as the host does (in place) and as a YAML file is (its [`Node`]): every test of
/// this module holds for both trees, which must agree on every value and every error.
fn run(f: &Field, json: serde_json::Value) -> Result<Dynamic, Vec<InputError>> {
    let (mut errs, mut node_errs) = (Vec::new(), Vec::new());
    let v = check(f, Some(&json), &mut errs);
    let from_node = check(f, Some(&Node::from_json(&json)), &mut node_errs);
    assert_eq!(errs, node_errs);
    assert_eq!(format!("{v:?}"), format!("{from_node:?}"));
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
fn numbers_defaults_and_long_keys_read_alike_in_json_and_yaml_trees() {
    let f = field(
        "{type: object, fields: {n: {type: integer, min: 1, max: 9}, code: {type: enum, values: ['12', x]},
          tags: {type: list, items: string, default: [a]}, m: {type: map, items: integer, optional: true}}}",
    );
    // In range, a number as an enum value, the default taken, a map's own keys in its paths.
    let v = run(&f, serde_json::json!({"n": 3, "code": 12})).unwrap();
    assert_eq!(format!("{v:?}"), r#"#{"code": "12", "m": (), "n": 3, "tags": ["a"]}"#);
    let e = run(&f, serde_json::json!({"n": 0, "code": "y", "m": {"k": "v"}})).unwrap_err();
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["n", "code", "m.k"]);
    // Past i64, a fraction, above the bound: each with the number as sent.
    for (n, problem) in [
        (serde_json::json!(18446744073709551615u64), "`18446744073709551615` is not a valid integer (example: `12`)"),
        (serde_json::json!(2.5), "`2.5` is not a valid integer (example: `12`)"),
        (serde_json::json!(10), "`10` must be at most 9"),
    ] {
        let e = run(&f, serde_json::json!({"n": n, "code": "x"})).unwrap_err();
        assert_eq!((e[0].path.as_str(), e[0].problem.message("en").as_str()), ("n", problem));
    }
    // An unknown key too long to echo is clipped in the path.
    let long = "k".repeat(500);
    let e = run(&f, serde_json::json!({"n": 1, "code": "x", long.clone(): 1})).unwrap_err();
    assert!(e[0].path.starts_with("kkkk") && e[0].path.ends_with("… (500 chars)"), "{}", e[0].path);
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
    def.compile::<rhai::ImmutableString>("entries.x.input.y", &mut errs);
    assert_eq!(errs[0].message, "unknown type `decmial`");
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `decimal`?"));
}
