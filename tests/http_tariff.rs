//! Changing a tariff over HTTP: the audit log keeps each evaluation's input (personal fields
//! masked) for the retention period and exports it for `missions diff --inputs`; a dry run of an
//! upload reports validation, failing cases and impact without activating anything; and the
//! latest refused save of a watched folder can be read back with its reasons.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use http_common::{ADMIN, Service, price_pack, upload, write_pack};
use missions_store::AuditRecord;
use missions_tests::{missions, pack_dir};
use serde_json::Value;

const QUOTE: &str = r#"{"date":"2026-11-20","year":1,"users":12,"data_gb":95,"client":{"country":"BE","vat_number":"BE0123456789","distance_km":25}}"#;

fn esomus_at(price: &str) -> BTreeMap<String, String> {
    let mut files = missions_host::service::read_bundle(&pack_dir("esomus")).unwrap();
    let tariff = files.get_mut("tariff.yaml").unwrap();
    *tariff = tariff.replace("license_per_user_month: 35.00", &format!("license_per_user_month: {price}"));
    files
}

async fn export(s: &Service, query: &str) -> (StatusCode, String, Vec<Value>) {
    let (status, ctype, body) = s.call(Method::GET, &format!("/v1/admin/audit/inputs{query}"), Some(ADMIN), None).await;
    let text = match body {
        Value::String(t) => t,
        other => other.to_string() + "\n",
    };
    let lines = if status == StatusCode::OK {
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    } else {
        Vec::new()
    };
    (status, ctype, lines)
}

#[tokio::test]
async fn recorded_inputs_are_kept_masked_and_replay_in_missions_diff() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    for users in [12, 20] {
        let body = QUOTE.replace("\"users\":12", &format!("\"users\":{users}"));
        let (status, v) = s.post("/v1/packs/esomus/quote", &key, &body).await;
        assert_eq!(status, StatusCode::OK, "{v:#}");
        assert_eq!(v["buyer_vat_number"], "BE0123456789", "the answer keeps the number as sent");
    }
    s.state.audit().flush().await;
    let (status, ctype, lines) = export(&s, "?pack=esomus&entry=quote").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype, "application/x-ndjson");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["tenant"], "dupont");
    assert_eq!(lines[0]["input"]["client"]["vat_number"], "BE0000000000", "personal fields are masked");
    assert_eq!(lines[1]["input"]["users"], 20);
    let (_, _, none) = export(&s, "?pack=norriq").await;
    assert!(none.is_empty());
    let (_, _, later) = export(&s, "?since=2026-11-21").await;
    assert!(later.is_empty(), "the service's clock is 20 November");

    // The export is what `missions diff --inputs` replays.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("recorded.jsonl");
    std::fs::write(&file, lines.iter().map(|l| l.to_string() + "\n").collect::<String>()).unwrap();
    let next = tmp.path().join("esomus-2027");
    write_pack(&next, &esomus_at("36.00"));
    let esomus = pack_dir("esomus");
    let (code, out, err) =
        missions(&["diff", esomus.to_str().unwrap(), next.to_str().unwrap(), "--inputs", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    // 12 and 20 users for 12 months at 1.00 more: +144.00 and +240.00.
    assert!(out.contains("dupont: 2 inputs") && out.contains("difference +384.00"), "{out}");
}

#[tokio::test]
async fn the_export_refuses_bad_limits_and_dates_by_name() {
    let s = Service::new();
    for (query, at) in [("?limit=0", "limit"), ("?limit=100001", "limit"), ("?since=yesterday", "since")] {
        let (status, v) = s.get(&format!("/v1/admin/audit/inputs{query}"), ADMIN).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v:#}");
        assert_eq!(v["errors"][0]["path"], at, "{query}: {v:#}");
    }
    let key = s.tenant("dupont", "2026-03-02").await;
    let (status, _) = s.get("/v1/admin/audit/inputs", &key).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn records_past_the_retention_are_purged_when_the_service_starts() {
    let dir = tempfile::tempdir().unwrap();
    let store = http_common::open_store(dir.path());
    let rec = |days_ago: i64| AuditRecord {
        at: chrono::Utc::now() - chrono::TimeDelta::days(days_ago),
        tenant: "dupont".into(),
        pack: "esomus".into(),
        entry: "quote".into(),
        version: "1".into(),
        digest: "d".into(),
        input_sha256: "x".into(),
        ok: true,
        result: "{}".into(),
        request_id: None,
        input: Some("{}".into()),
    };
    http_common::off_runtime(|| store.append_audit(&[rec(401), rec(399)])).unwrap();
    drop(store);
    let s = Service::open(dir, missions_tests::repo().join("rules"));
    s.state.audit().flush().await;
    let (_, _, lines) = export(&s, "").await;
    assert_eq!(lines.len(), 1, "the default retention is 400 days: {lines:?}");
}

#[tokio::test]
async fn a_dry_run_reports_cases_and_impact_and_activates_nothing() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let (_, before) = s.post("/v1/packs/esomus/quote", &key, QUOTE).await;
    s.state.audit().flush().await;

    let (status, v) = s.put("/v1/admin/packs/esomus?dry_run=true", ADMIN, &upload(&esomus_at("36.00"))).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["would_activate"], false);
    assert_eq!(v["cases"], 100);
    assert_eq!(v["failed_cases"].as_array().unwrap().len(), 35);
    let spec = v["failed_cases"].as_array().unwrap().iter().find(|c| c["name"] == "the SPEC example").unwrap();
    assert_eq!(spec["file"], "tests/quote-spec.yaml");
    assert_eq!(
        spec["diffs"][0],
        serde_json::json!({"path": "lines[1].unit_price", "kind": "value", "expected": "35.00", "actual": "36.00"})
    );
    assert_eq!(v["compared_with"]["relation"], "replaces");
    assert_eq!(v["recorded_requests"], 1);
    let impact = &v["impact"];
    assert_eq!(
        impact["entries"]["quote"]["changed"], 46,
        "45 golden quotes and the recorded one: {:#}",
        impact["entries"]
    );
    assert_eq!(
        impact["money"]["per_tenant"][0],
        serde_json::json!({"tenant": "dupont", "inputs": 1, "before": "8762.00", "after": "8906.00", "difference": "144.00"})
    );
    assert_eq!(impact["not_compared"], 0);

    // Nothing changed: the same version serves the same price.
    let (_, after) = s.post("/v1/packs/esomus/quote", &key, QUOTE).await;
    assert_eq!(after["total"], before["total"]);
    assert_eq!(after["pack"]["digest"], before["pack"]["digest"]);

    // A dry run of the version in force passes and changes nothing.
    let (_, v) = s.put("/v1/admin/packs/esomus?dry_run=true", ADMIN, &upload(&esomus_at("35.00"))).await;
    assert_eq!(v["would_activate"], true, "{v:#}");
    assert_eq!(v["impact"]["entries"]["quote"]["changed"], 0);

    for (query, at) in [
        ("?dry_run=true&max_inputs=20001", "max_inputs"),
        ("?dry_run=true&since=soon", "since"),
        ("?since=2026-01-01", ""),
    ] {
        let (status, v) = s.put(&format!("/v1/admin/packs/esomus{query}"), ADMIN, &upload(&esomus_at("36.00"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v:#}");
        if !at.is_empty() {
            assert_eq!(v["errors"][0]["path"], at, "{query}: {v:#}");
        }
    }
}

#[tokio::test]
async fn a_dry_run_of_a_script_that_loops_forever_ends_within_the_limits() {
    let rules = tempfile::tempdir().unwrap();
    write_pack(&rules.path().join("price"), &price_pack("1", "2026-01-01", "10.00"));
    let s = Service::with_rules(Some(rules.path().to_path_buf()));
    let mut looping = price_pack("2", "2026-01-01", "10.00");
    looping.insert("quote.rhai".into(), "fn quote(input, params) {\n    loop { }\n}\n".into());
    let (status, v) = s.put("/v1/admin/packs/price?dry_run=true", ADMIN, &upload(&looping)).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["would_activate"], false);
    assert!(v["failed_cases"][0]["failure"].as_str().unwrap().contains("operations"), "{v:#}");
    assert_eq!(v["impact"]["entries"]["quote"]["now_failing"], 1, "{v:#}");
    let (status, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":2}"#).await;
    assert_eq!((status, v["total"].as_str()), (StatusCode::OK, Some("20.00")), "the version in force keeps serving");
}

#[tokio::test]
async fn the_latest_refused_save_of_a_folder_shows_why() {
    let rules = tempfile::tempdir().unwrap();
    let folder = rules.path().join("price");
    write_pack(&folder, &price_pack("1", "2026-01-01", "10.00"));
    let s = Service::with_rules(Some(rules.path().to_path_buf()));
    let (status, _) = s.get("/v1/admin/packs/price/candidate", ADMIN).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was refused yet");

    // A save whose golden case fails (the case expects the old price).
    let mut files = price_pack("2", "2026-01-01", "12.00");
    files.insert(
        "tests/quote.yaml".into(),
        "entry: quote\ncases:\n  - name: one unit\n    input: {qty: 1}\n    expect: {unit: 10.00}\n".into(),
    );
    write_pack(&folder, &files);
    let refused = http_common::off_runtime(|| s.state.packs().activate_dir(&folder, "files:price", None));
    assert!(refused.is_err());
    let (status, v) = s.get("/v1/admin/packs/price/candidate", ADMIN).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["folder"], "price");
    assert!(v["reason"].as_str().unwrap().contains("1 of 1 golden cases"), "{v:#}");
    assert_eq!(v["dry_run"]["failed_cases"][0]["diffs"][0]["actual"], "12.00");
    assert_eq!(v["dry_run"]["compared_with"]["version"], "1");

    // Once a save activates, there is no refused candidate any more.
    files.insert(
        "tests/quote.yaml".into(),
        "entry: quote\ncases:\n  - name: one unit\n    input: {qty: 1}\n    expect: {unit: 12.00}\n".into(),
    );
    write_pack(&folder, &files);
    http_common::off_runtime(|| s.state.packs().activate_dir(&folder, "files:price", None)).unwrap();
    let (status, _) = s.get("/v1/admin/packs/price/candidate", ADMIN).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The tariff console's routes: read a pack's parameters with their schema, change one by its
/// path as a dry run (nothing served changes), then for real as next year's version with the
/// golden cases' expectations accepted; bad paths, dates and values are refused at their field.
#[tokio::test]
async fn a_price_changes_by_its_path_from_dry_run_to_next_years_version() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let (status, v) = s.get("/v1/admin/packs/esomus/params", ADMIN).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["values"]["license_per_user_month"], "35.00");
    assert!(v["files"].as_array().unwrap().contains(&Value::from("tariff.yaml")));
    assert!(v["schema"]["properties"]["license_per_user_month"].is_object(), "{:#}", v["schema"]);
    assert_eq!(s.get("/v1/admin/packs/esomus/params", &key).await.0, StatusCode::FORBIDDEN);

    let change = |extra: &str| format!(r#"{{"set": {{"license_per_user_month": "36.00"}}{extra}}}"#);
    let (status, v) = s.post("/v1/admin/packs/esomus/params?dry_run=true", ADMIN, &change("")).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["changes"][0]["file"], "tariff.yaml");
    assert_eq!((v["changes"][0]["from"].as_str(), v["changes"][0]["to"].as_str()), (Some("35.00"), Some("36.00")));
    assert_eq!(v["dry_run"]["would_activate"], false, "{:#}", v["dry_run"]);
    assert!(v["dry_run"]["failed_cases"].as_array().unwrap().len() >= 30, "the price is in many expectations");
    let price = |v: &Value| {
        v["lines"].as_array().unwrap().iter().find(|l| l["code"] == "license").unwrap()["unit_price"].clone()
    };
    let (_, quote) = s.post("/v1/packs/esomus/quote", &key, QUOTE).await;
    assert_eq!(price(&quote), "35.00", "a dry run serves nothing");

    // Without the expectations accepted, the changed amounts fail their cases: refused.
    let (status, v) = s.post("/v1/admin/packs/esomus/params", ADMIN, &change("")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(!v["failed_cases"].as_array().unwrap().is_empty());

    let next_year = change(r#", "effective_from": "2027-01-01", "accept_expectations": true"#);
    let (status, v) = s.post("/v1/admin/packs/esomus/params", ADMIN, &next_year).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["new_version"], "2027.1.0");
    assert_eq!(v["activated"]["status"], "scheduled", "{v:#}");
    let rewritten: usize = v["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["cases"].as_array().unwrap())
        .filter(|c| c["left_because"].is_null())
        .count();
    assert!(rewritten >= 30, "{rewritten} cases accepted: {:#}", v["accepted"]);
    let (_, now) = s.post("/v1/packs/esomus/quote", &key, QUOTE).await;
    assert_eq!(price(&now), "35.00", "this year keeps its price");
    let (_, later) = s.post("/v1/packs/esomus/quote", &key, &QUOTE.replace("2026-11-20", "2027-01-04")).await;
    assert_eq!(price(&later), "36.00", "next year's version takes the new one");
    assert_eq!(later["pack"]["version"], "2027.1.0");
    let (_, v) = s.get("/v1/admin/packs/esomus/params", ADMIN).await;
    assert_eq!(
        (v["version"].as_str(), v["values"]["license_per_user_month"].as_str()),
        (Some("2027.1.0"), Some("36.00"))
    );

    // Refused, at the field: a path with no value, a list as a value, a date not after the
    // version's, a value the schema refuses (reported at its file and line).
    let (status, v) = s.post("/v1/admin/packs/esomus/params", ADMIN, r#"{"set": {"nope": 1, "setup": []}}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    let paths: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, [r#"set["nope"]"#, r#"set["setup"]"#]);
    let (status, v) =
        s.post("/v1/admin/packs/esomus/params", ADMIN, &change(r#", "effective_from": "2026-06-01""#)).await;
    assert_eq!((status, v["path"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("effective_from")), "{v:#}");
    let (status, v) = s
        .post("/v1/admin/packs/esomus/params?dry_run=true", ADMIN, r#"{"set": {"license_per_user_month": "cheap"}}"#)
        .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let diag = &v["dry_run"]["diagnostics"][0];
    assert!(diag["location"]["file"].as_str().unwrap_or_default().ends_with("tariff.yaml"), "{diag:#}");
    let (status, _) = s.post("/v1/admin/packs/nope/params", ADMIN, &change("")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/v1/admin/packs/esomus/params", ADMIN, r#"{"set": {}}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
