//! The HTTP host's routes, driven in-process through `router(state)` with `oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use axum::http::{Method, StatusCode};
use http_common::{ADMIN, Service, nov_20, price_pack, upload};
use serde_json::{Value, json};

const PROBLEMS: &str = "https://missions.esomus.be/problems/";

fn problem(v: &Value, kind: &str) {
    assert_eq!(v["type"], format!("{PROBLEMS}{kind}"), "{v:#}");
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()), "{v:#}");
    assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()), "{v:#}");
    assert!(v["status"].is_u64(), "{v:#}");
}

#[tokio::test]
async fn an_evaluation_returns_the_cli_json_and_the_pack_version() {
    let s = Service::new();
    let (status, ctype, v) = s
        .call(
            Method::POST,
            "/v1/packs/norriq/sla",
            Some(ADMIN),
            Some(r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert!(ctype.starts_with("application/json"));
    assert_eq!(v["deadline"], "2026-12-28T11:00:00+01:00");
    assert_eq!(v["pack"]["name"], "norriq");
    assert_eq!(v["pack"]["effective_from"], "2026-01-01");
    assert_eq!(v["pack"]["digest"].as_str().unwrap().len(), 64);
    let (_, cli, _) = missions_tests::missions(&[
        "sla",
        "--pack",
        missions_tests::pack_dir("norriq").to_str().unwrap(),
        "--json",
        "--input",
        r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}"#,
    ]);
    let cli: Value = serde_json::from_str(&cli).unwrap();
    assert_eq!(cli["deadline"], v["deadline"]);
    assert_eq!(cli["pack"]["digest"], v["pack"]["digest"]);
}

#[tokio::test]
async fn errors_are_problem_json_with_the_path_of_bad_input() {
    let s = Service::new();
    let (status, ctype, v) = s
        .call(Method::POST, "/v1/packs/norriq/quote", Some(ADMIN), Some(r#"{"hourly_rate":"120.00","country":"BE","work":[{"start":"yesterday","end":"2026-12-05T19:00:00+01:00"}]}"#))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(ctype, "application/problem+json");
    problem(&v, "invalid-input");
    assert_eq!(v["path"], "work[0].start");
    assert_eq!(v["pointer"], "/work/0/start");
    assert!(v["detail"].as_str().unwrap().contains("`work[0].start`"), "{v:#}");
    assert!(v["errors"][0]["messages"]["fr"].is_string());
    assert_eq!(v["error"]["kind"], "input");

    let (status, v) = s.post("/v1/packs/norriq/sla", ADMIN, r#"{"contract":"nav","#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    problem(&v, "invalid-json");
    assert_eq!(v["line"], 1);

    let (status, v) = s
        .post(
            "/v1/packs/norriq/sla",
            ADMIN,
            r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00","extra":1}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "extra");

    let (status, v) = s.post("/v1/packs/norrik/sla", ADMIN, "{}").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    problem(&v, "unknown-pack");
    assert!(v["help"].as_str().unwrap().contains("`norriq`"), "{v:#}");

    let (status, v) = s.post("/v1/packs/norriq/slaa", ADMIN, "{}").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    problem(&v, "unknown-entry");
    assert_eq!(v["help"], "did you mean `sla`?");

    let (status, v) = s.post("/v1/packs/norriq/sla?trace=maybe", ADMIN, "{}").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    problem(&v, "invalid-input");

    let (status, _, v) = s.call(Method::GET, "/v1/nothing", Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    problem(&v, "not-found");
    let (status, _, v) = s.call(Method::DELETE, "/v1/packs", Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    problem(&v, "method-not-allowed");
}

#[tokio::test]
async fn keys_are_required_and_roles_enforced() {
    let s = Service::new();
    let (status, _, v) = s.call(Method::GET, "/v1/packs", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    problem(&v, "unauthorized");
    let (status, v) = s.get("/v1/packs", "mk_0123456789ab_00").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v:#}");
    let (status, v) = s.get("/v1/packs", "not-a-key").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v:#}");

    let key = s.tenant("dupont", "2026-03-02").await;
    assert!(key.starts_with("mk_"));
    let (status, _) = s.get("/v1/packs", &key).await;
    assert_eq!(status, StatusCode::OK);
    let (status, v) = s.get("/v1/packs/norriq", &key).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["history"].is_null(), "the history (server folders, rollbacks) is for the admin: {v:#}");
    // A tenant may evaluate, not manage packs or tenants or read the audit log.
    let (status, _) =
        s.post("/v1/packs/norriq/indexation", &key, r#"{"price":"100.00","s_new":"112.4","s_old":"104.1"}"#).await;
    assert_eq!(status, StatusCode::OK);
    for (m, uri, body) in [
        (Method::POST, "/v1/admin/tenants", r#"{"id":"evil"}"#),
        (Method::GET, "/v1/admin/audit", ""),
        (Method::PUT, "/v1/admin/packs/norriq", r#"{"files":{}}"#),
        (Method::POST, "/v1/admin/packs/norriq/rollback", ""),
    ] {
        let (status, _, v) = s.call(m, uri, Some(&key), Some(body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {v:#}");
        problem(&v, "forbidden");
    }
    // The admin key belongs to no tenant.
    let (status, v) = s.get("/v1/usage", ADMIN).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v:#}");
    // Tenant ids are unique.
    let (status, v) = s.post("/v1/admin/tenants", ADMIN, r#"{"id":"dupont"}"#).await;
    assert_eq!(status, StatusCode::CONFLICT);
    problem(&v, "conflict");
    let (status, v) = s.post("/v1/admin/tenants", ADMIN, r#"{"id":"Bad Id"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "id");
    let (status, v) = s.post("/v1/admin/tenants", ADMIN, r#"{"id":"x","sla_contrat":"nav"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["detail"].as_str().unwrap().contains("unknown field `sla_contrat`"), "{v:#}");
}

const MODEL_INPUT: &str = r#"{"client":"Brasserie SA","start":"2026-11-02","closing":"2027-03-31","people":{"partner":["An Peeters"],"manager":["Bo Maes"],"staff":["Cy"],"supervisor":["Di"],"eqr":["Ed"],"quality":["Fa"],"it-auditor":["Gu"]}}"#;

fn example_model() -> String {
    std::fs::read_to_string(missions_tests::repo().join("rules/models/example-firm.yaml")).unwrap()
}

#[tokio::test]
async fn tenant_a_never_reads_or_changes_tenant_b_data() {
    let s = Service::new();
    let a = s.tenant("tenant-a", "2026-03-02").await;
    let b = s.tenant("tenant-b", "2026-03-02").await;

    let (status, v) = s.put("/v1/models/example-firm", &a, &example_model()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let mut input: Value = serde_json::from_str(MODEL_INPUT).unwrap();
    input["model"] = json!("example-firm");
    input["id"] = json!("audit-2026");
    let (status, v) = s.post("/v1/missions", &a, &input.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let (status, _) = s.post("/v1/tickets", &a, r#"{"type":1,"filed_by":"master"}"#).await;
    assert_eq!(status, StatusCode::CREATED);

    // B sees none of it, under the same ids.
    for uri in ["/v1/models/example-firm", "/v1/missions/audit-2026", "/v1/missions/audit-2026/dashboard"] {
        let (status, v) = s.get(uri, &b).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {v:#}");
        problem(&v, "not-found");
    }
    let (status, v) = s.get("/v1/models", &b).await;
    assert_eq!((status, v["models"].as_array().unwrap().len()), (StatusCode::OK, 0));
    let (status, v) = s.post("/v1/missions", &b, &input.to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "planning from A's model: {v:#}");
    let (status, v) = s.put("/v1/missions/audit-2026/state", &b, r#"{"actions":[]}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v:#}");
    let (_, v) = s.get("/v1/usage?month=2026-11", &b).await;
    assert_eq!(v["requests"], 0, "{v:#}");
    // B may reuse A's ids for its own records: nothing collides.
    let (status, v) = s.post("/v1/missions", &b, &input.to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v:#}");
    let (status, _) = s.put("/v1/models/example-firm", &b, &example_model()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = s.post("/v1/missions", &b, &input.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    // … and A's records are untouched.
    let (_, v) = s.get("/v1/usage?month=2026-11", &a).await;
    assert_eq!(v["requests"], 1);
    let (status, v) = s.get("/v1/missions/audit-2026", &a).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["state"].is_null());
}

/// Bad input gets one shape on every route: an entry's input, a new mission, a mission's state
/// and a migration are all read by the one schema checker, and answer `invalid-input` with each
/// problem in `errors` at its JSON path and JSON Pointer, in the client's language, with its
/// message in fr, nl and en.
#[tokio::test]
async fn every_route_answers_bad_input_in_one_shape() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let (status, v) = s.put("/v1/models/example-firm", &key, &example_model()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let mut input: Value = serde_json::from_str(MODEL_INPUT).unwrap();
    input["model"] = json!("example-firm");
    let (status, v) = s.post("/v1/missions", &key, &input.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let id = v["id"].as_str().unwrap().to_owned();
    let bad_mission = json!({"model": "example-firm", "client": "ACME", "start": "2026-11-02", "closing": "31/03/2027", "people": {}});
    let cases = [
        (
            "POST",
            "/v1/packs/norriq/sla".to_owned(),
            r#"{"contract":"nav","priority":"P1","opened":"yesterday"}"#.to_owned(),
            "opened",
        ),
        ("POST", "/v1/missions".to_owned(), bad_mission.to_string(), "closing"),
        ("POST", "/v1/missions".to_owned(), json!({"client": "ACME"}).to_string(), "model"),
        (
            "PUT",
            format!("/v1/missions/{id}/state"),
            r#"{"actions":[{"id":"x","status":"finished"}]}"#.to_owned(),
            "actions[0].status",
        ),
        ("PUT", format!("/v1/missions/{id}/state"), r#"{"actions":[],"notes":1}"#.to_owned(), "notes"),
        ("POST", format!("/v1/missions/{id}/migrate"), r#"{"to":0}"#.to_owned(), "to"),
        ("POST", "/v1/models/example-firm/migrate".to_owned(), r#"{"drop":"x"}"#.to_owned(), "drop"),
    ];
    for (method, uri, body, path) in cases {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let (status, _, v) = s.call_with(method, &uri, &key, &[("accept-language", "nl")], Some(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri} {body}: {v:#}");
        problem(&v, "invalid-input");
        let e = &v["errors"][0];
        assert_eq!(e["path"], path, "{uri} {body}: {v:#}");
        assert_eq!(v["path"], path, "{uri} {body}: {v:#}");
        assert_eq!(e["pointer"], format!("/{}", path.replace(['.', '['], "/").replace(']', "")));
        // Every language of the catalogues: German too, added as data (`locales/de/`).
        for lang in ["fr", "nl", "en", "de"] {
            assert!(e["messages"][lang].as_str().is_some_and(|m| !m.is_empty()), "{uri} {body}: {lang}: {v:#}");
        }
        assert_ne!(e["messages"]["fr"], e["messages"]["en"], "{uri} {body}: {v:#}");
    }
    let (_, _, v) = s
        .call_with(Method::POST, "/v1/missions", &key, &[("accept-language", "de-DE")], Some(&bad_mission.to_string()))
        .await;
    assert_eq!(
        v["errors"][0]["message"], "`closing`: `31/03/2027` ist kein gültiges Datum (Beispiel: `2026-12-24`)",
        "{v:#}"
    );
    // A problem only the model can see is listed the same way, at its path.
    let (status, _, v) = s
        .call_with(
            Method::PUT,
            &format!("/v1/missions/{id}/state"),
            &key,
            &[("accept-language", "fr")],
            Some(r#"{"actions":[{"id":"no-such-action","done_on":"2026-11-03"}]}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    problem(&v, "invalid-input");
    assert_eq!(v["errors"][0]["path"], "actions[0].id", "{v:#}");
    assert!(v["errors"][0]["message"].as_str().unwrap().starts_with("action inconnu"), "{v:#}");
}

#[tokio::test]
async fn models_validate_plan_and_follow_missions() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let broken = example_model().replace("reports_to: manager", "reports_to: manger");
    let (status, ctype, v) = s.call(Method::PUT, "/v1/models/example-firm", Some(&key), Some(&broken)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(ctype, "application/problem+json");
    problem(&v, "invalid-model");
    let d = &v["diagnostics"][0];
    assert_eq!(d["location"]["file"], "example-firm.yaml", "{v:#}");
    assert!(d["location"]["line"].as_u64().unwrap() > 1);
    assert!(v["detail"].as_str().unwrap().contains("`manger`"), "{v:#}");
    let (status, _) = s.get("/v1/models/example-firm", &key).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a broken model is not stored");

    let (status, v) = s.put("/v1/models/other-id", &key, &example_model()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");

    let (status, v) = s.put("/v1/models/example-firm", &key, &example_model()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert!(v["actions"].as_u64().unwrap() > 10);
    let (status, _) = s.put("/v1/models/example-firm", &key, &example_model()).await;
    assert_eq!(status, StatusCode::OK, "replacing answers 200");

    let mut input: Value = serde_json::from_str(MODEL_INPUT).unwrap();
    input["model"] = json!("example-firm");
    let (status, v) = s.post("/v1/missions", &key, &input.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let id = v["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("m_"));
    let first = v["plan"]["actions"][0]["id"].as_str().unwrap().to_owned();
    let (status, listed) = s.get("/v1/missions", &key).await;
    assert_eq!(status, StatusCode::OK, "{listed:#}");
    assert_eq!(listed["missions"], json!([{"id": id, "model": "example-firm", "model_version": 1}]));
    let (_, none) = s.get("/v1/missions?model=other", &key).await;
    assert_eq!(none["missions"], json!([]));

    let (status, v) = s
        .put(
            &format!("/v1/missions/{id}/state"),
            &key,
            r#"{"actions":[{"id":"no-such-action","done_on":"2026-11-03"}]}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("`no-such-action`"), "{v:#}");
    let state = json!({"actions": [{"id": first, "done_on": "2026-11-03"}]});
    let (status, v) = s.put(&format!("/v1/missions/{id}/state"), &key, &state.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let (status, v) = s.get(&format!("/v1/missions/{id}/dashboard?as_of=2026-11-20"), &key).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["as_of"], "2026-11-20");
    assert_eq!(v["progress"]["done"], 1);
    let (status, v) = s.get(&format!("/v1/missions/{id}/dashboard?as_of=20-11-2026"), &key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "as_of");
}

#[tokio::test]
async fn tickets_take_the_quota_in_order_and_usage_sums_the_month() {
    let s = Service::new();
    // Subscribed in March: by November the allowance is 2 counted requests a month.
    let key = s.tenant("dupont", "2026-03-02").await;
    let mut decisions = Vec::new();
    for _ in 0..3 {
        let (status, v) =
            s.post("/v1/tickets", &key, r#"{"type":1,"filed_by":"master","subject":"how do I add a phase?"}"#).await;
        assert_eq!(status, StatusCode::CREATED, "{v:#}");
        assert_eq!(v["sla"]["pack"]["name"], "norriq");
        assert!(v["sla"]["deadline"].is_string(), "{v:#}");
        assert_eq!(v["decision"]["pack"]["name"], "esomus");
        decisions.push(v);
    }
    assert_eq!(decisions[0]["decision"]["over_quota"], false);
    assert_eq!(decisions[1]["decision"]["over_quota"], false);
    assert_eq!(decisions[2]["decision"]["over_quota"], true);
    assert_eq!(decisions[2]["decision"]["charge"], "45.00");
    assert_eq!(decisions[2]["ticket"]["charge"], "45.00");
    assert_eq!(decisions[0]["ticket"]["at"], "2026-11-20T10:00:00+01:00");

    let (status, v) = s.post("/v1/tickets", &key, r#"{"type":2,"filed_by":"master"}"#).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["decision"]["counts_against_quota"], false);
    let (status, v) = s.post("/v1/tickets", &key, r#"{"type":1,"filed_by":"user"}"#).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["decision"]["allowed"], false, "only the Master files type 1: {v:#}");
    // December is a new month.
    s.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 9, 0, 0).unwrap());
    let (status, v) =
        s.post("/v1/tickets", &key, r#"{"type":1,"filed_by":"master","at":"2026-12-01T09:00:00+01:00"}"#).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["decision"]["over_quota"], false);
    s.clock.set(nov_20());

    let (status, v) = s.get("/v1/usage?month=2026-11", &key).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["requests"], 5);
    assert_eq!(v["counted"], 3);
    assert_eq!(v["over_quota"], 1);
    assert_eq!(v["refused"], 1);
    assert_eq!(v["by_type"], json!({"1": 4, "2": 1}));
    assert_eq!(v["charges"], "45.00");
    assert_eq!(v["tickets"].as_array().unwrap().len(), 5);
    let (_, v) = s.get("/v1/usage", &key).await;
    assert_eq!(v["month"], "2026-11", "the current month by the clock");

    let (status, v) = s.get("/v1/usage?month=11-2026", &key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "month");
    let (status, v) = s.post("/v1/tickets", &key, r#"{"type":7,"filed_by":"master"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "type");
    let (status, v) = s.post("/v1/tickets", &key, r#"{"type":1,"filed_by":"master","at":"tomorrow"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "at");
    let (status, v) = s.post("/v1/tickets", &key, r#"{"type":1,"filed_by":"boss"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["path"], "filed_by");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_tickets_never_both_take_the_last_slot() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let s = std::sync::Arc::new(s);
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (s, key) = (s.clone(), key.clone());
        tasks.push(tokio::spawn(async move { s.post("/v1/tickets", &key, r#"{"type":1,"filed_by":"master"}"#).await }));
    }
    let mut within = 0;
    let mut used = Vec::new();
    for t in tasks {
        let (status, v) = t.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{v:#}");
        if v["decision"]["over_quota"] == false {
            within += 1;
        }
        used.push(v["ticket"]["id"].as_i64().unwrap());
    }
    assert_eq!(within, 2, "exactly the 2 included requests are free");
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), 40);
    let (_, v) = s.get("/v1/usage?month=2026-11", &key).await;
    assert_eq!((v["counted"].as_u64(), v["over_quota"].as_u64()), (Some(40), Some(38)));
    assert_eq!(v["charges"], "1710.00");
}

#[tokio::test]
async fn pack_versions_are_tested_activated_selected_by_date_and_rolled_back() {
    let s = Service::new();
    let price = |body: &Value| body["unit"].as_str().unwrap().to_owned();

    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&price_pack("1", "2026-01-01", "10.00"))).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["status"], "active");
    assert_eq!(v["cases"], 1);
    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&price_pack("1", "2026-01-01", "10.00"))).await;
    assert_eq!((status, &v["changed"]), (StatusCode::OK, &json!(false)), "the same files change nothing");

    // A version for next year waits for its date.
    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&price_pack("2", "2027-01-01", "12.00"))).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["status"], "scheduled");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":2}"#).await;
    assert_eq!(
        (price(&v), v["pack"]["version"].as_str()),
        ("10.00".into(), Some("1")),
        "today (2026-11-20) is still 2026: {v:#}"
    );
    assert_eq!(v["total"], "20.00");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":2,"date":"2027-01-01"}"#).await;
    assert_eq!(price(&v), "12.00");
    let (status, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":2,"date":"2025-12-31"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    problem(&v, "no-version");
    assert_eq!(v["path"], "date");
    // The clock moves into 2027: the new price applies to undated requests.
    s.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 1, 8, 0, 0).unwrap());
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(price(&v), "12.00");
    s.clock.set(nov_20());

    let (_, v) = s.get("/v1/packs", ADMIN).await;
    let p = v["packs"].as_array().unwrap().iter().find(|p| p["name"] == "price").unwrap().clone();
    assert_eq!(p["active"], "1");
    assert_eq!(p["versions"][0]["status"], "active");
    assert_eq!(p["versions"][1]["status"], "scheduled");
    assert_eq!(p["versions"][1]["effective_from"], "2027-01-01");

    // A broken version is refused with the exact place, and the old one keeps serving.
    let mut broken = price_pack("1.1", "2026-01-01", "11.00");
    broken.insert("quote.rhai".into(), "fn quote(input, params) {\n    #{ unit: params.unit \n}\n".into());
    let (status, ctype, v) = s.call(Method::PUT, "/v1/admin/packs/price", Some(ADMIN), Some(&upload(&broken))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(ctype, "application/problem+json");
    problem(&v, "pack-rejected");
    assert_eq!(v["diagnostics"][0]["location"]["file"], "quote.rhai", "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("quote.rhai:"), "{v:#}");
    let mut typo = price_pack("1.1", "2026-01-01", "11.00");
    typo.insert("price.yaml".into(), "unit: eleven\n".into());
    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&typo)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["diagnostics"][0]["location"]["file"], "price.yaml", "{v:#}");
    assert_eq!(v["diagnostics"][0]["location"]["line"], 1);
    let mut failing = price_pack("1.1", "2026-01-01", "11.00");
    failing.insert(
        "tests/quote.yaml".into(),
        "entry: quote\ncases:\n  - name: one unit\n    input: {qty: 1}\n    expect: {total: \"10.00\"}\n".into(),
    );
    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&failing)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["failed_cases"][0]["name"], "one unit", "{v:#}");
    assert_eq!(v["failed_cases"][0]["file"], "tests/quote.yaml");
    let mut untested = price_pack("1.1", "2026-01-01", "11.00");
    untested.remove("tests/quote.yaml");
    let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&untested)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("no golden cases"), "{v:#}");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(price(&v), "10.00", "refused versions changed nothing");

    // Paths and names are checked before anything is written.
    for bad in ["../escape.yaml", "/etc/passwd.yaml", "tests/../../x.yaml"] {
        let mut files = price_pack("1.1", "2026-01-01", "11.00");
        files.insert(bad.into(), "x: 1\n".into());
        let (status, v) = s.put("/v1/admin/packs/price", ADMIN, &upload(&files)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {v:#}");
        assert_eq!(v["path"], format!("files[\"{bad}\"]"));
    }
    let (status, v) = s.put("/v1/admin/packs/other", ADMIN, &upload(&price_pack("1", "2026-01-01", "1.00"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["detail"].as_str().unwrap().contains("`price`"), "{v:#}");

    // A new price for this year, then back.
    let (status, _) = s.put("/v1/admin/packs/price", ADMIN, &upload(&price_pack("1.1", "2026-01-01", "11.00"))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(price(&v), "11.00");
    let (status, v) = s.post("/v1/admin/packs/price/rollback", ADMIN, "").await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["rolled_back"]["version"], "1.1");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(price(&v), "10.00");
    // Rolling back again removes the 2027 version; then nothing is left to go back to.
    let (status, v) = s.post("/v1/admin/packs/price/rollback", ADMIN, "").await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["rolled_back"]["version"], "2");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1,"date":"2027-06-01"}"#).await;
    assert_eq!(price(&v), "10.00");
    let (status, v) = s.post("/v1/admin/packs/price/rollback", ADMIN, "").await;
    assert_eq!(status, StatusCode::CONFLICT, "{v:#}");

    // Every version ever activated is in the history, and the files can be fetched.
    let (_, v) = s.get("/v1/packs/price", ADMIN).await;
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.len(), 3, "{v:#}");
    assert!(history[2]["rolled_back_at"].is_string());
    let (status, v) = s.get("/v1/admin/packs/price", ADMIN).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["files"]["price.yaml"], "unit: 10.00\n");
}

#[tokio::test]
async fn versions_and_rollbacks_survive_a_restart() {
    let s = Service::new();
    for (v, unit) in [("1", "10.00"), ("1.1", "11.00"), ("1.2", "12.00")] {
        let (status, body) = s.put("/v1/admin/packs/price", ADMIN, &upload(&price_pack(v, "2026-01-01", unit))).await;
        assert_eq!(status, StatusCode::CREATED, "{body:#}");
    }
    let (status, _) = s.post("/v1/admin/packs/price/rollback", ADMIN, "").await;
    assert_eq!(status, StatusCode::OK);
    s.state.audit().close().await;
    let Service { dir, rules, .. } = s;
    let s = Service::open(dir, rules);
    assert!(s.startup.rejected.is_empty(), "{:?}", s.startup.rejected);
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(v["unit"], "11.00", "{v:#}");
    let (status, v) = s.post("/v1/admin/packs/price/rollback", ADMIN, "").await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let (_, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(v["unit"], "10.00");
}

#[tokio::test]
async fn every_evaluation_is_audited_and_paged() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let body = r#"{"price":"100.00","s_new":"112.4","s_old":"104.1"}"#;
    for _ in 0..3 {
        let (status, _) = s.post("/v1/packs/norriq/indexation", &key, body).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = s.post("/v1/packs/norriq/indexation", ADMIN, r#"{"price":"x","s_new":"1","s_old":"1"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    s.state.audit().flush().await;

    let (status, v) = s.get("/v1/admin/audit?limit=2", ADMIN).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let e = &entries[0];
    assert_eq!(e["tenant"], "dupont");
    assert_eq!(e["pack"], "norriq");
    assert_eq!(e["entry"], "indexation");
    assert_eq!(e["ok"], true);
    assert_eq!(e["result"]["price"], "106.38");
    assert_eq!(e["input_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(e["digest"].as_str().unwrap().len(), 64);
    assert!(e["at"].as_str().unwrap().starts_with("2026-11-20T09:00:00"));
    let next = v["next_after"].as_i64().unwrap();
    let (_, v) = s.get(&format!("/v1/admin/audit?after={next}&limit=2"), ADMIN).await;
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["tenant"], "admin");
    assert_eq!(entries[1]["ok"], false);
    assert_eq!(entries[1]["result"]["kind"], "input");
    let (_, v) = s.get("/v1/admin/audit?tenant=dupont", ADMIN).await;
    assert_eq!(v["entries"].as_array().unwrap().len(), 3);
    assert!(v["next_after"].is_null());
    let (status, v) = s.get("/v1/admin/audit?limit=0", ADMIN).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["path"], "limit");
}

#[tokio::test]
async fn limits_bound_bodies_and_scripts() {
    let s = Service::new();
    let big = format!(r#"{{"contract":"nav","pad":"{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let (status, v) = s.post("/v1/packs/norriq/sla", ADMIN, &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v:#}");
    problem(&v, "body-too-large");

    let mut spin = std::collections::BTreeMap::new();
    spin.insert("pack.yaml".to_owned(), "name: spin\nversion: \"1\"\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nentries:\n  run:\n    script: run.rhai\n    input: {}\n".to_owned());
    spin.insert("run.rhai".to_owned(), "fn run(input, params) { loop { } }\n".to_owned());
    spin.insert("tests/run.yaml".to_owned(), "entry: run\ncases:\n  - name: an endless loop is stopped\n    input: {}\n    error: {kind: limit, code: max_operations}\n".to_owned());
    let (status, v) = s.put("/v1/admin/packs/spin", ADMIN, &upload(&spin)).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let (status, v) = s.post("/v1/packs/spin/run", ADMIN, "{}").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    problem(&v, "limit-exceeded");
    assert_eq!(v["limit"], "max_operations");
}

#[tokio::test]
async fn ops_endpoints() {
    let s = Service::new();
    let (status, _, v) = s.call(Method::GET, "/healthz", None, None).await;
    assert_eq!((status, &v["status"]), (StatusCode::OK, &json!("ok")));
    let (status, _, v) = s.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert!(v["packs"].as_u64().unwrap() >= 2);

    s.post("/v1/packs/norriq/sla", ADMIN, r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}"#)
        .await;
    let (status, ctype, v) = s.call(Method::GET, "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("application/openmetrics-text"));
    let text = v.as_str().unwrap();
    for needle in [
        "missions_http_requests_total{method=\"POST\",route=\"/v1/packs/{pack}/{entry}\",status=\"200\"} 1",
        "missions_http_request_duration_seconds_bucket",
        "missions_evaluations_total{pack=\"norriq\",entry=\"sla\",outcome=\"ok\"} 1",
        "missions_pack_reloads_total",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }

    let (status, _, v) = s.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/v1/packs/{pack}/{entry}",
        "/v1/admin/packs/{pack}",
        "/v1/tickets",
        "/v1/usage",
        "/v1/missions/{id}/dashboard",
        "/v1/admin/audit",
    ] {
        assert!(v["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
    assert!(v["components"]["schemas"]["Problem"].is_object());

    s.state.begin_shutdown();
    let (status, _, v) = s.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    problem(&v, "unavailable");
}

/// The workbench's pages and scripts are served by the host itself, with a policy that lets them
/// load nothing from elsewhere; an unknown asset is a problem+json 404.
#[tokio::test]
async fn the_workbench_and_the_api_reference_are_served_from_the_binary() {
    let s = Service::new();
    for (uri, media) in [
        ("/ui/", "text/html"),
        ("/ui/app.js", "text/javascript"),
        ("/ui/i18n.js", "text/javascript"),
        ("/ui/dom.js", "text/javascript"),
        ("/ui/session.js", "text/javascript"),
        ("/ui/tariffs.js", "text/javascript"),
        ("/ui/models.js", "text/javascript"),
        ("/ui/docs.js", "text/javascript"),
        ("/ui/app.css", "text/css"),
        ("/docs", "text/html"),
    ] {
        let (status, headers, body) = s.call_with(Method::GET, uri, "no-key-needed", &[], None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(headers["content-type"].to_str().unwrap().starts_with(media), "{uri}: {headers:?}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(body.as_str().is_some_and(|b| !b.is_empty()), "{uri}");
    }
    let (status, headers, _) = s.call_with(Method::GET, "/ui", "k", &[], None).await;
    assert_eq!((status, headers["location"].to_str().unwrap()), (StatusCode::PERMANENT_REDIRECT, "/ui/"));
    let (status, ctype, v) = s.call(Method::GET, "/ui/nope.js", None, None).await;
    assert_eq!((status, ctype.as_str()), (StatusCode::NOT_FOUND, "application/problem+json"));
    assert!(v["detail"].as_str().unwrap().contains("/ui/nope.js"), "{v:#}");
    let (status, _, _) = s.call(Method::GET, "/ui/../openapi.json", None, None).await;
    assert_ne!(status, StatusCode::OK, "no path leaves the embedded assets");
}

/// A problem's title comes in the client's language; its `type`, its status and its English
/// title without `Accept-Language` stay as they were.
#[tokio::test]
async fn problem_titles_follow_the_clients_language() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let cases = [
        (
            "/v1/packs",
            "not-a-key",
            "fr-BE, nl;q=0.5",
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "clé d'API absente ou inconnue",
        ),
        (
            "/v1/packs",
            "not-a-key",
            "nl",
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "API-sleutel ontbreekt of is onbekend",
        ),
        (
            "/v1/admin/audit",
            key.as_str(),
            "de-CH",
            StatusCode::FORBIDDEN,
            "forbidden",
            "mit diesem Schlüssel nicht erlaubt",
        ),
        ("/v1/nowhere", key.as_str(), "fr", StatusCode::NOT_FOUND, "not-found", "introuvable"),
        ("/v1/nowhere", key.as_str(), "xx, *", StatusCode::NOT_FOUND, "not-found", "not found"),
    ];
    for (uri, key, lang, status, kind, title) in cases {
        let (got, _, v) = s.call_with(Method::GET, uri, key, &[("accept-language", lang)], None).await;
        assert_eq!(got, status, "{uri} in {lang}: {v:#}");
        problem(&v, kind);
        assert_eq!(v["title"], title, "{uri} in {lang}");
    }
    let (_, _, v) = s.call(Method::GET, "/v1/nowhere", Some(&key), None).await;
    assert_eq!(v["title"], "not found");
}

/// A problem's `detail` and `help` are written in the client's language too, whether the error
/// is built in the request's task or in its blocking work (the model store's lookup below); with
/// no `Accept-Language` they stay English.
#[tokio::test]
async fn problem_details_and_help_follow_the_clients_language() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let cases = [
        (
            "/v1/packs",
            "not-a-key",
            "nl-BE",
            "de API-sleutel is niet geldig (onbekend, ingetrokken of verkeerd overgenomen)",
            "stuur `Authorization: Bearer <sleutel>`",
        ),
        (
            "/v1/nowhere",
            key.as_str(),
            "fr",
            "aucune route `GET /v1/nowhere`",
            "`GET /openapi.json` liste toutes les routes",
        ),
        ("/v1/models/nope", key.as_str(), "nl", "geen model `nope`", "`PUT /v1/models/{id}` slaat er een op"),
        ("/v1/models/nope", key.as_str(), "de", "kein Modell `nope`", "`PUT /v1/models/{id}` speichert eines"),
        ("/v1/models/nope", key.as_str(), "xx", "no model `nope`", "`PUT /v1/models/{id}` stores one"),
    ];
    for (uri, key, lang, detail, help) in cases {
        let (_, _, v) = s.call_with(Method::GET, uri, key, &[("accept-language", lang)], None).await;
        assert_eq!(v["detail"], detail, "{uri} in {lang}: {v:#}");
        let got = v["help"].as_str().unwrap_or_default();
        assert!(got.starts_with(help), "{uri} in {lang}: help {got:?}");
    }
    // An entry's input errors: the detail and each field's message in the client's language.
    let body = json!({"contract": "nav", "priority": "P9", "opened": "2026-12-24T16:00:00+01:00"});
    let (status, _, v) = s
        .call_with(Method::POST, "/v1/packs/norriq/sla", &key, &[("accept-language", "fr")], Some(&body.to_string()))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    let detail = v["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with("entrée invalide : `priority`"), "{detail}");
    assert_eq!(v["errors"][0]["message"].as_str().map(|m| m.starts_with("`priority`")), Some(true), "{v:#}");
    assert_ne!(v["errors"][0]["message"], v["errors"][0]["messages"]["en"], "{v:#}");
    // A record the store names is named in the client's language too.
    let again = json!({"id": "dupont", "subscription_start": "2026-03-02"}).to_string();
    for (lang, detail) in [
        ("fr", "le locataire `dupont` existe déjà"),
        ("nl", "tenant `dupont` bestaat al"),
        ("en", "tenant `dupont` already exists"),
    ] {
        let (status, _, v) =
            s.call_with(Method::POST, "/v1/admin/tenants", ADMIN, &[("accept-language", lang)], Some(&again)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{v:#}");
        assert_eq!(v["detail"], detail, "{v:#}");
    }
}
