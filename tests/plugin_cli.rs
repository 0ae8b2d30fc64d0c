//! The plugin commands of the CLI, in-process: `plugin check`, `--plugin` on `quote`, `eval`,
//! `validate` (lint-model) and `dashboard` (dashboard-figures), and a tenant's plugins enabled in
//! a store and run by `eval --tenant`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_tests::{missions, pack_dir, plugins::guest_wasm};
use serde_json::Value;

const SPEC: &str = r#"{"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
    "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
    "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}}"#;

const FIVE_PERCENT: &str = r#"{"tiers": [{"from": "1000.00", "percent": "5"}]}"#;

fn wasm(name: &str) -> String {
    guest_wasm(name).display().to_string()
}

fn esomus() -> String {
    pack_dir("esomus").display().to_string()
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn plugin_check_reports_world_hooks_imports_and_exports() {
    let (code, out, err) = missions(&["plugin", "check", &wasm("volume-discount")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ok: volume-discount 0.1.0 can be loaded"), "{out}");
    assert!(out.contains("world        missions:plugin/plugin@0.1.0"), "{out}");
    assert!(out.contains("hooks        adjust-quote"), "{out}");
    assert!(out.contains("imports      missions:plugin/host@0.1.0, missions:plugin/types@0.1.0"), "{out}");
    assert!(!out.contains("  wasi ") && !out.contains("  traps "), "an SDK plugin imports no WASI: {out}");
    // A std Rust plugin: its WASI imports are named as stand-ins.
    let (code, std_out, err) = missions(&["plugin", "check", &wasm("std-wasi")]);
    assert_eq!(code, 0, "{err}");
    assert!(std_out.contains("served by stand-ins that grant nothing: no files, no network"), "{std_out}");
    let (_, std_json, _) = missions(&["plugin", "check", &wasm("std-wasi"), "--json"]);
    let v = json(&std_json);
    assert!(
        v["wasi_stand_ins"].as_array().unwrap().iter().any(|i| i.as_str().unwrap().starts_with("wasi:filesystem/"))
    );
    assert_eq!(v["trapping"], serde_json::json!([]));
    assert!(out.contains("exports      missions:plugin/guest@0.1.0"), "{out}");
    let (code, out, _) = missions(&["plugin", "check", &wasm("volume-discount"), "--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["hooks"], serde_json::json!(["adjust-quote"]));
    assert_eq!(v["world"], "missions:plugin/plugin@0.1.0");
}

#[test]
fn plugin_check_says_why_a_component_is_refused_and_exits_1() {
    let (code, out, err) = missions(&["plugin", "check", &wasm("future-version")]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("built against `missions:plugin/guest@0.2.0`") && err.contains("missions:plugin@0.1.0"),
        "{err}"
    );
    let (code, out, err) = missions(&["plugin", "check", &wasm("unknown-import"), "--json"]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert_eq!(v["error"]["code"], "plugin.unknown_import");
    assert!(v["error"]["messages"]["nl"].as_str().unwrap().contains("importeert"), "{v}");
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("module.wasm");
    std::fs::write(&module, b"\0asm\x01\0\0\0").unwrap();
    let (code, _, err) = missions(&["plugin", "check", module.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("core WebAssembly module, not a component"), "{err}");
    let (code, _, err) = missions(&["plugin", "check", "no-such-file.wasm"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read `no-such-file.wasm`"), "{err}");
}

#[test]
fn quote_runs_through_a_plugin_and_the_trace_shows_its_change() {
    let (code, out, err) = missions(&[
        "quote",
        "--pack",
        &esomus(),
        "--input",
        SPEC,
        "--json",
        "--trace",
        "--plugin",
        &wasm("volume-discount"),
        "--plugin-config",
        FIVE_PERCENT,
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let discount = v["lines"].as_array().unwrap().iter().find(|l| l["code"] == "volume_discount").unwrap().clone();
    assert_eq!(discount["amount"], "-309.60");
    assert_eq!(
        (v["net_total"].as_str(), v["vat_total"].as_str(), v["total"].as_str()),
        (Some("9867.40"), Some("2072.15"), Some("11939.55"))
    );
    let change = v["trace"].as_array().unwrap().iter().find(|t| t["rule"] == "plugin").unwrap();
    assert_eq!(change["detail"]["plugin"], "volume-discount");
    assert_eq!(change["detail"]["change"], "add");
    // The table shows the change under the totals, in the chosen language.
    let (code, out, _) = missions(&[
        "quote",
        "--pack",
        &esomus(),
        "--input",
        SPEC,
        "--trace",
        "--lang",
        "nl",
        "--plugin",
        &wasm("volume-discount"),
        "--plugin-config",
        FIVE_PERCENT,
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Wijzigingen door plugins\n  • volume-discount voegt toe `volume_discount` (-309,60): De lijnen license, hosting"), "{out}");
    // `eval` takes the same flags.
    let (code, out, _) = missions(&[
        "eval",
        "quote",
        "--pack",
        &esomus(),
        "--input",
        SPEC,
        "--json",
        "--plugin",
        &wasm("volume-discount"),
        "--plugin-config",
        FIVE_PERCENT,
    ]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["total"], "11939.55");
}

#[test]
fn a_failing_plugin_fails_the_quote_with_exit_1_and_a_json_error() {
    let (code, out, err) =
        missions(&["quote", "--pack", &esomus(), "--input", SPEC, "--json", "--plugin", &wasm("trap")]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("plugin `trap`: the plugin crashed"), "{err}");
    let v = json(&out);
    assert_eq!((v["error"]["kind"].as_str(), v["error"]["code"].as_str()), (Some("plugin"), Some("plugin.trap")));
    assert!(v["error"]["messages"]["fr"].as_str().unwrap().contains("planté"), "{v}");
    // A configuration without its plugin is a usage error.
    let (code, _, err) = missions(&["quote", "--pack", &esomus(), "--input", SPEC, "--plugin-config", "{}"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_tenant_runs_the_plugins_enabled_for_it_and_no_other_tenant_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("m.db").display());
    {
        let store = missions_store::open(&db).unwrap();
        let now = chrono::Utc::now();
        for id in ["tenant-a", "tenant-b"] {
            let tenant = missions_store::NewTenant {
                id: id.into(),
                name: id.into(),
                subscription_start: now.date_naive(),
                sla_contract: "nav".into(),
                prepaid_hours: Default::default(),
                created_at: now,
            };
            store.create_tenant(&tenant, &missions_host::http::issue_key(id, now).unwrap().record).unwrap();
        }
    }
    let enable =
        ["plugin", "enable", "--tenant", "tenant-a", &wasm("volume-discount"), "--config", FIVE_PERCENT, "--db", &db];
    let (code, out, err) = missions(&enable);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "enabled: volume-discount 0.1.0 for tenant `tenant-a`");
    let (code, out, _) = missions(&enable);
    assert_eq!((code, out.trim()), (0, "replaced: volume-discount 0.1.0 for tenant `tenant-a`"));
    let (code, out, _) = missions(&["plugin", "list", "--tenant", "tenant-a", "--db", &db, "--json"]);
    assert_eq!(code, 0);
    let listed = json(&out);
    assert_eq!(listed["plugins"][0]["name"], "volume-discount");
    assert_eq!(listed["plugins"][0]["config"]["tiers"][0]["percent"], "5");

    let total = |tenant: &str| {
        let (code, out, err) = missions(&[
            "eval",
            "quote",
            "--pack",
            &esomus(),
            "--input",
            SPEC,
            "--json",
            "--tenant",
            tenant,
            "--db",
            &db,
        ]);
        assert_eq!(code, 0, "{err}");
        json(&out)["total"].as_str().unwrap().to_owned()
    };
    assert_eq!(total("tenant-a"), "11939.55");
    assert_eq!(total("tenant-b"), "12314.17", "tenant A's plugin never runs for tenant B");

    let (code, out, _) = missions(&["plugin", "disable", "--tenant", "tenant-a", "volume-discount", "--db", &db]);
    assert_eq!((code, out.trim()), (0, "disabled: volume-discount for tenant `tenant-a`"));
    assert_eq!(total("tenant-a"), "12314.17");
    let (code, _, err) = missions(&["plugin", "disable", "--tenant", "tenant-a", "volume-discount", "--db", &db]);
    assert_eq!(code, 1);
    assert!(err.contains("has no plugin `volume-discount`"), "{err}");
    // The history keeps what was disabled; a rollback enables it again, as it was.
    let (code, out, err) = missions(&["plugin", "history", "--tenant", "tenant-a", "volume-discount", "--db", &db]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("enabled") && lines[1].contains("disabled"), "{out}");
    let (code, out, err) = missions(&["plugin", "rollback", "--tenant", "tenant-a", "volume-discount", "--db", &db]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "rolled back: volume-discount 0.1.0 for tenant `tenant-a` (history entry 1)");
    assert_eq!(total("tenant-a"), "11939.55");
    let (code, _, err) =
        missions(&["plugin", "rollback", "--tenant", "tenant-a", "volume-discount", "--to", "7", "--db", &db]);
    assert_eq!(code, 1);
    assert!(err.contains("has no history entry 7 (its entries are 1 to 3)"), "{err}");
    missions(&["plugin", "disable", "--tenant", "tenant-a", "volume-discount", "--db", &db]);

    // Refused components and unknown tenants are not stored.
    let (code, _, err) = missions(&["plugin", "enable", "--tenant", "tenant-a", &wasm("unknown-import"), "--db", &db]);
    assert_eq!(code, 1);
    assert!(err.contains("which this host does not offer"), "{err}");
    let (code, _, err) = missions(&["plugin", "enable", "--tenant", "nobody", &wasm("noop"), "--db", &db]);
    assert_eq!(code, 2);
    assert!(err.contains("tenant `nobody` does not exist"), "{err}");
    let (_, out, _) = missions(&["plugin", "list", "--tenant", "tenant-a", "--db", &db]);
    assert_eq!(out.trim(), "tenant `tenant-a` has no plugins");
}

// ---- lint-model on `validate`, dashboard-figures on `dashboard` ----

fn model(name: &str) -> String {
    missions_tests::repo().join("rules/models").join(name).display().to_string()
}

const REVIEWS: [&str; 8] = [
    "integrity-assessment",
    "team-competence",
    "eqr-need",
    "supervisor-review",
    "manager-review",
    "partner-review",
    "time-review",
    "monitoring-selection",
];

#[test]
fn validate_reports_the_lint_model_diagnostics_of_a_plugin() {
    let isqm = model("isqm-standard.yaml");
    let (code, out, err) = missions(&["validate", &isqm, "--plugin", &wasm("review-docs-lint")]);
    // The example warns: the model is still valid.
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(err.matches("warning[review-docs-lint.review-without-document]: ").count(), 8, "{err}");
    assert!(err.contains("(partner-review, of kind review) produces no document"), "{err}");
    assert!(out.contains("isqm-standard.yaml: 8 warning(s)"), "{out}");
    let (code, out, _) = missions(&["validate", &isqm, "--json", "--plugin", &wasm("review-docs-lint")]);
    assert_eq!(code, 0);
    let v = json(&out);
    let found = v["results"][0]["diagnostics"].as_array().unwrap();
    let actions: Vec<&str> = found.iter().map(|d| d["action"].as_str().unwrap()).collect();
    assert_eq!(actions, REVIEWS);
    assert_eq!(found[5]["code"], "review-docs-lint.review-without-document");
    assert_eq!(
        (found[5]["severity"].as_str(), found[5]["plugin"].as_str()),
        (Some("warning"), Some("review-docs-lint"))
    );
    assert!(found[5]["messages"]["nl"].as_str().unwrap().contains("partner-review"), "{v}");
    assert_eq!(v["results"][0]["ok"], true);
    // Configured as errors, the same findings fail the model (exit 1); a model that extends it
    // is checked after `extends`, with the same eight actions.
    let (code, out, err) = missions(&[
        "validate",
        &isqm,
        &model("example-firm.yaml"),
        "--plugin",
        &wasm("review-docs-lint"),
        "--plugin-config",
        r#"{"severity": "error"}"#,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(err.matches("error[review-docs-lint.review-without-document]: ").count(), 16, "{err}");
    assert!(out.contains("failed: ") && out.contains("isqm-standard.yaml: 8 error(s)"), "{out}");
    assert!(out.contains("example-firm.yaml: 8 error(s)"), "{out}");
}

#[test]
fn validate_does_not_call_a_plugin_without_the_lint_model_hook() {
    // `volume-discount` only adjusts quotes: with a configuration it refuses, any call would fail.
    for (plugin, config) in [("noop", "{}"), ("volume-discount", r#"{"tier": []}"#)] {
        let (code, out, err) =
            missions(&["validate", &model("isqm-standard.yaml"), "--plugin", &wasm(plugin), "--plugin-config", config]);
        assert_eq!((code, err.as_str()), (0, ""), "{plugin}: {out}");
        assert!(out.starts_with("ok: ") && out.contains("model isqm-standard"), "{plugin}: {out}");
    }
}

#[test]
fn a_failing_lint_model_hook_is_an_error_of_the_model_not_a_panic() {
    let isqm = model("isqm-standard.yaml");
    let (code, out, err) = missions(&["validate", &isqm, "--plugin", &wasm("trap")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("error[plugin.trap]: plugin `trap` failed in `lint-model`: the plugin crashed: wasm trap: "),
        "{err}"
    );
    assert!(err.contains("= help: fix or disable the plugin `trap`"), "{err}");
    assert!(out.contains("isqm-standard.yaml: 1 error(s)"), "{out}");
    let (code, out, _) = missions(&[
        "validate",
        &isqm,
        "--json",
        "--plugin",
        &wasm("invalid-output"),
        "--plugin-config",
        r#"{"case": "empty-code"}"#,
    ]);
    assert_eq!(code, 1);
    let v = json(&out);
    let d = &v["results"][0]["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["plugin"].as_str()), (Some("plugin.invalid_output"), Some("invalid-output")));
    assert!(d["message"].as_str().unwrap().contains("diagnostics[0]"), "{d}");
    assert_eq!(v["results"][0]["ok"], false);
    // A file that is no component fails before any path is checked.
    let (code, _, err) = missions(&["validate", &isqm, "--plugin", "no-such-file.wasm"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read `no-such-file.wasm`"), "{err}");
}

const STATE: &str = r#"{"as_of": "2026-05-20",
    "mission": {"client": "ACME", "start": "2026-01-05", "closing": "2026-06-30",
        "people": {"partner": ["Anne"], "eqr": ["Marc"], "quality": ["Sofie"], "manager": ["Pieter"],
                   "supervisor": ["Julie"], "staff": ["Tom"]}},
    "actions": [{"id": "client-identification", "done_on": "2026-01-07"}]}"#;

#[test]
fn dashboard_adds_the_figures_of_a_plugin() {
    // No example plugin computes dashboard figures yet; `huge-output` answers `lines` valid
    // figures (`figure_0` = 0, …), which is enough to check the wiring.
    let isqm = model("isqm-standard.yaml");
    let args = ["dashboard", "--model", &isqm, "--input", STATE];
    let (code, out, err) = missions(
        &[&args[..], &["--json", "--plugin", &wasm("huge-output"), "--plugin-config", r#"{"lines": 3}"#]].concat(),
    );
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["progress"]["done"], 1, "the dashboard itself is still there");
    let figures = v["plugin_figures"].as_array().unwrap();
    assert_eq!(figures.len(), 3);
    assert_eq!(
        figures[2],
        serde_json::json!({"plugin": "huge-output", "code": "huge-output.figure_2",
            "label": {"fr": "Chiffre", "nl": "Cijfer", "en": "Figure"}, "value": "2", "unit": null})
    );
    let (code, out, _) = missions(
        &[&args[..], &["--lang", "nl", "--plugin", &wasm("huge-output"), "--plugin-config", r#"{"lines": 3}"#]]
            .concat(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("\nplugin figures (3):\n  Cijfer: 0  (huge-output.figure_0, huge-output)\n"), "{out}");
    // Without plugins, no key; a plugin without the hook is not called and adds nothing.
    let (_, out, _) = missions(&[&args[..], &["--json"]].concat());
    assert!(json(&out).get("plugin_figures").is_none(), "{out}");
    let (code, out, err) = missions(&[&args[..], &["--json", "--plugin", &wasm("review-docs-lint")]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["plugin_figures"], serde_json::json!([]));
}

#[test]
fn a_failing_dashboard_figures_hook_fails_the_dashboard_with_exit_1() {
    let isqm = model("isqm-standard.yaml");
    let args = ["dashboard", "--model", &isqm, "--input", STATE];
    let (code, out, err) = missions(&[&args[..], &["--plugin", &wasm("trap")]].concat());
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.contains("error: plugin `trap` failed in `dashboard-figures`: the plugin crashed: wasm trap: "),
        "{err}"
    );
    let (code, out, _) = missions(
        &[
            &args[..],
            &["--json", "--plugin", &wasm("invalid-output"), "--plugin-config", r#"{"case": "comma-decimal"}"#],
        ]
        .concat(),
    );
    assert_eq!(code, 1);
    let e = &json(&out)["error"];
    assert_eq!((e["kind"].as_str(), e["code"].as_str()), (Some("plugin"), Some("plugin.invalid_output")));
    assert_eq!((e["plugin"].as_str(), e["hook"].as_str()), (Some("invalid-output"), Some("dashboard-figures")));
    assert!(e["messages"]["fr"].as_str().unwrap().contains("figures[0]"), "{e}");
    // A configuration without its plugin is a usage error.
    let (code, _, _) = missions(&[&args[..], &["--plugin-config", "{}"]].concat());
    assert_eq!(code, 2);
}

#[test]
fn plan_runs_the_lint_model_hook_first() {
    let firm = model("example-firm.yaml");
    let input = r#"{"client": "ACME", "start": "2026-11-02", "closing": "2027-03-31", "people": {"partner": ["An"]}}"#;
    let (code, out, err) =
        missions(&["plan", "--model", &firm, "--input", input, "--json", "--plugin", &wasm("review-docs-lint")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning[review-docs-lint.review-without-document]: ").count(), 8, "{err}");
    let v = json(&out);
    assert_eq!(v["plugin_findings"].as_array().unwrap().len(), 8);
    assert!(v["actions"].as_array().unwrap().len() > 30, "the plan is there");
    // As errors, the findings stop the plan.
    let (code, out, err) = missions(&[
        "plan",
        "--model",
        &firm,
        "--input",
        input,
        "--json",
        "--plugin",
        &wasm("review-docs-lint"),
        "--plugin-config",
        r#"{"severity": "error"}"#,
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["error"]["kind"], "lint");
    // Without a plugin, nothing changes.
    let (code, out, _) = missions(&["plan", "--model", &firm, "--input", input, "--json"]);
    assert_eq!(code, 0);
    assert!(json(&out).get("plugin_findings").is_none());
}

#[test]
fn plugin_test_runs_a_partners_golden_cases_without_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.yaml");
    let input = SPEC.replace('\n', " ");
    std::fs::write(
        &cases,
        format!(
            r#"entry: quote
config: {{tiers: [{{from: "1000.00", percent: "5"}}]}}
cases:
  - name: five percent above 1000
    input: {input}
    expect: {{net_total: "9867.40", total: "11939.55"}}
  - name: a tier out of reach changes nothing
    config: {{tiers: [{{from: "1000000.00", percent: "5"}}]}}
    input: {input}
    expect: {{net_total: "10177.00"}}
  - name: a configuration the plugin refuses
    config: {{tier: []}}
    input: {input}
    error: {{code: config.invalid}}
"#
        ),
    )
    .unwrap();
    let cases = cases.to_string_lossy().into_owned();
    let (code, out, err) = missions(&["plugin", "test", &wasm("volume-discount"), &cases, "--pack", &esomus()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("3 case(s) of plugin `volume-discount`: 3 passed, 0 failed"), "{out}");
    // Without --pack, the shipped esomus pack; a wrong expectation fails with the differing field.
    let wrong = std::fs::read_to_string(&cases).unwrap().replace("\"11939.55\"", "\"11939.56\"");
    std::fs::write(&cases, wrong).unwrap();
    let (code, out, _) = missions(&["plugin", "test", &wasm("volume-discount"), &cases, "--json"]);
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    assert_eq!((v["passed"].as_u64(), v["failed"].as_u64()), (Some(2), Some(1)), "{v}");
    assert_eq!(v["cases"][0]["diffs"][0]["path"], "total");
    // A case file with a key a case does not take: refused with its place.
    std::fs::write(&cases, "entry: quote\ncases:\n  - name: x\n    input: {}\n    expect: {}\n    confg: {}\n")
        .unwrap();
    let (code, _, err) = missions(&["plugin", "test", &wasm("volume-discount"), &cases]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown key `confg`"), "{err}");
}
