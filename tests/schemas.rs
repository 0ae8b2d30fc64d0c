//! The JSON Schemas of the files people edit (`missions schema pack|cases|params`): they accept
//! what the loaders accept, the generated ones are up to date, and every shipped file points an
//! editor at its schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use missions_engine::{CASE_FILE_SCHEMA, PACK_FILE_SCHEMA, Pack};
use missions_tests::{missions, repo, shipped_packs, temp_pack};
use serde_json::Value;

fn keys(v: &Value) -> BTreeSet<String> {
    v["properties"].as_object().unwrap().keys().cloned().collect()
}

/// The keys the loader accepts where `pack_yaml` has an unknown key, as its error's help lists them.
fn accepted(pack_yaml: &str) -> BTreeSet<String> {
    let pack = temp_pack(&[("pack.yaml", pack_yaml)]);
    let err = Pack::load(pack.path()).unwrap_err().to_string();
    let list = ["the keys allowed here are ", "expected one of "]
        .iter()
        .find_map(|head| err.split(head).nth(1))
        .unwrap_or_else(|| panic!("{err}"));
    let list = list.lines().next().unwrap();
    list.split(", ").map(|k| k.trim_matches(|c| c == '`' || c == ' ').to_owned()).collect()
}

const HEAD: &str = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\n";

#[test]
fn the_pack_schema_has_exactly_the_keys_the_loader_accepts() {
    let schema: Value = serde_json::from_str(PACK_FILE_SCHEMA).unwrap();
    let entry = "entries:\n  run:\n    script: run.rhai\n    input: {}\n";
    assert_eq!(keys(&schema), accepted(&format!("{HEAD}{entry}zzz: 1\n")));
    let entry_schema = &schema["properties"]["entries"]["additionalProperties"];
    assert_eq!(
        keys(entry_schema),
        accepted(&format!("{HEAD}entries:\n  run:\n    script: run.rhai\n    input: {{}}\n    zzz: 1\n"))
    );
    assert_eq!(
        keys(&schema["properties"]["params"]),
        accepted(&format!("{HEAD}{entry}params:\n  files: []\n  zzz: 1\n"))
    );
    assert_eq!(keys(&schema["properties"]["limits"]), accepted(&format!("{HEAD}{entry}limits:\n  zzz: 1\n")));
    let field = &schema["$defs"]["field"]["anyOf"][1];
    let with_field =
        format!("{HEAD}entries:\n  run:\n    script: run.rhai\n    input:\n      n: {{type: integer, zzz: 1}}\n");
    assert_eq!(keys(field), accepted(&with_field));
}

#[test]
fn the_cases_schema_has_exactly_the_keys_of_a_case_file() {
    let schema: Value = serde_json::from_str(CASE_FILE_SCHEMA).unwrap();
    assert_eq!(keys(&schema), ["cases", "description", "entry"].map(String::from).into());
    assert_eq!(
        keys(&schema["properties"]["cases"]["items"]),
        ["doc", "error", "expect", "input", "name"].map(String::from).into()
    );
    // A key the schema does not list is an error for `missions test` too.
    let pack = temp_pack(&[(
        "tests/run.yaml",
        "entry: run\ncases:\n  - name: x\n    input: {}\n    expect: {}\n    zzz: 1\n",
    )]);
    let (code, _, err) = missions(&["test", pack.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown key `zzz` in a case"), "{err}");
}

#[test]
fn the_shipped_parameter_schemas_are_up_to_date() {
    for dir in shipped_packs() {
        let pack = Pack::load(&dir).unwrap();
        let fresh = serde_json::to_string_pretty(&pack.params_schema().unwrap()).unwrap() + "\n";
        let file = dir.join("params.schema.json");
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&file, &fresh).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            fresh,
            "{} is stale: regenerate it with `missions schema params {} --out {}` or `UPDATE_SCHEMAS=1 cargo test --test schemas`",
            file.display(),
            dir.display(),
            file.display()
        );
    }
}

#[test]
fn parameter_schemas_carry_the_docs_and_take_plain_decimals() {
    let pack = Pack::load(repo().join("rules/esomus")).unwrap();
    let s = pack.params_schema().unwrap();
    assert_eq!(s["title"], "parameters of rule pack `esomus`");
    assert!(s.get("required").is_none(), "each file holds some of the keys");
    let setup = &s["properties"]["setup"];
    assert_eq!(setup["description"], "one-off technical setup, by licensed users");
    assert!(
        setup["properties"]["tiers"]["description"].as_str().unwrap().starts_with("the first tier whose `max_users`")
    );
    let license = &s["properties"]["license_per_user_month"];
    assert_eq!(license["anyOf"][0], serde_json::json!({"type": "number"}), "35.00 in YAML is a number: {license}");
}

/// The `# yaml-language-server: $schema=…` line an editor reads, and that it names a file that exists.
fn schema_line(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let target = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("{} has no $schema line", file.display()));
    assert!(file.parent().unwrap().join(target).is_file(), "{}: {target} does not exist", file.display());
    target.to_owned()
}

#[test]
fn every_shipped_file_points_an_editor_at_its_schema() {
    for dir in shipped_packs() {
        assert_eq!(schema_line(&dir.join("pack.yaml")), "../schemas/pack.schema.json");
        let manifest: Value = serde_json::to_value(
            missions_engine::crates::base::yaml::decode::<serde_json::Value>(
                &std::fs::read_to_string(dir.join("pack.yaml")).unwrap(),
            )
            .unwrap(),
        )
        .unwrap();
        for f in manifest["params"]["files"].as_array().unwrap() {
            assert_eq!(schema_line(&dir.join(f.as_str().unwrap())), "params.schema.json");
        }
        for case in missions_engine::case_files(&dir) {
            assert_eq!(schema_line(&case), "../../schemas/cases.schema.json");
        }
    }
}

#[test]
fn the_schema_command_prints_each_format() {
    for what in ["pack", "cases", "model"] {
        let (code, out, err) = missions(&["schema", what]);
        assert_eq!(code, 0, "{err}");
        assert!(serde_json::from_str::<Value>(&out).is_ok(), "{what}");
    }
    let esomus = repo().join("rules/esomus");
    let (code, out, _) = missions(&["schema", "params", esomus.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(out, std::fs::read_to_string(esomus.join("params.schema.json")).unwrap());
    let (code, _, err) = missions(&["schema", "params"]);
    assert_eq!(code, 2);
    assert!(err.contains("takes the pack folder"), "{err}");
}
