//! Models that change under running missions: every saved version is kept, a mission follows the
//! version it was planned on until it is migrated, a migration shows what it does first and never
//! loses recorded work silently, and the tenant's closure days date new missions (running ones
//! only through a migration).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use axum::http::{Method, StatusCode};
use http_common::Service;
use serde_json::{Value, json};

const INPUT: &str = r#"{"client":"Brasserie SA","start":"2026-11-02","closing":"2027-03-31","people":{"partner":["An Peeters"],"manager":["Bo Maes"],"staff":["Cy"],"supervisor":["Di"],"eqr":["Ed"],"quality":["Fa"],"it-auditor":["Gu"]}}"#;

/// The example firm's model, which removes `nbb-filing` from the standard one.
fn removing() -> String {
    std::fs::read_to_string(missions_tests::repo().join("rules/models/example-firm.yaml")).unwrap()
}

/// The same model before the firm removed `nbb-filing`.
fn keeping() -> String {
    removing().replace("remove: [nbb-filing]", "")
}

async fn plan(s: &Service, key: &str, id: &str) -> Value {
    let mut input: Value = serde_json::from_str(INPUT).unwrap();
    input["model"] = json!("example-firm");
    input["id"] = json!(id);
    let (status, v) = s.post("/v1/missions", key, &input.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    v
}

fn due(plan: &Value, action: &str) -> String {
    let actions = plan["actions"].as_array().unwrap();
    actions.iter().find(|a| a["id"] == action).unwrap()["due"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_model_edit_leaves_running_missions_on_their_version_until_migrated() {
    let s = Service::new();
    let key = s.tenant("firm-a", "2026-03-02").await;
    let other = s.tenant("firm-b", "2026-03-02").await;

    let (status, v) = s.put("/v1/models/example-firm", &key, &keeping()).await;
    assert_eq!((status, v["saved_version"].as_i64()), (StatusCode::CREATED, Some(1)), "{v:#}");
    assert_eq!(plan(&s, &key, "m1").await["model_version"], 1);
    let state = json!({"actions": [{"id": "nbb-filing", "status": "in_progress"},
                                   {"id": "acceptance-decision", "done_on": "2026-11-03"}],
                       "key_points": [{"id": "kp1", "kind": "anomaly", "severity": "minor",
                                       "raised_on": "2026-11-05", "action": "nbb-filing"}]});
    let (status, v) = s.put("/v1/missions/m1/state", &key, &state.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");

    // The edit is saved as version 2, and says that one mission stays on an older version.
    let (status, v) = s.put("/v1/models/example-firm", &key, &removing()).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!((v["saved_version"].as_i64(), v["missions_on_older_versions"].as_u64()), (Some(2), Some(1)));
    // Saving the same text again is no new version.
    let (_, v) = s.put("/v1/models/example-firm", &key, &removing()).await;
    assert_eq!(v["saved_version"], 2);

    // The running mission still reads its version: its dashboard and state updates work.
    let (status, v) = s.get("/v1/missions/m1/dashboard?as_of=2026-11-20", &key).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let (status, headers, v) =
        s.call_with(Method::PUT, "/v1/missions/m1/state", &key, &[], Some(&state.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let tag = headers["etag"].to_str().unwrap().to_owned();

    // Both versions are kept, each with who saved it.
    let (status, v) = s.get("/v1/models/example-firm/versions", &key).await;
    assert_eq!(status, StatusCode::OK);
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions.iter().all(|v| v["saved_by"].as_str().is_some_and(|k| key.contains(k))), "{v:#}");
    let (status, v) = s.get("/v1/models/example-firm/versions/1", &key).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!v["text"].as_str().unwrap().contains("remove: [nbb-filing]"));
    for bad in ["/v1/models/example-firm/versions/3", "/v1/models/example-firm/versions/0"] {
        let (status, _) = s.get(bad, &key).await;
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {status}");
    }
    // Another tenant sees none of it.
    let (status, _) = s.get("/v1/models/example-firm/versions", &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/v1/missions/m1/migrate", &other, r#"{"dry_run": true}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/v1/models/example-firm/migrate", &other, r#"{"dry_run": true}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another tenant's model cannot be migrated to");

    // The dry run shows the orphaned work, in the Master's language, and changes nothing.
    let (status, _, v) = s
        .call_with(
            Method::POST,
            "/v1/missions/m1/migrate",
            &key,
            &[("accept-language", "fr-BE, nl;q=0.5")],
            Some(r#"{"dry_run": true}"#),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(
        (v["applicable"].as_bool(), v["applied"].as_bool(), v["to_version"].as_i64()),
        (Some(false), Some(false), Some(2))
    );
    let problems = v["changes"]["problems"].as_array().unwrap();
    assert!(problems[0]["message"].as_str().unwrap().contains("la nouvelle version la supprime"), "{problems:#?}");
    assert_eq!(v["changes"]["orphaned"].as_array().unwrap().len(), 2);
    assert!(v["changes"]["removed"].as_array().unwrap().iter().any(|a| a["id"] == "nbb-filing"), "{v:#}");

    // Applying it as is loses work: refused, nothing changes.
    let (status, v) = s.post("/v1/missions/m1/migrate", &key, "{}").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("`nbb-filing`"), "{v:#}");
    let (_, v) = s.get("/v1/missions/m1", &key).await;
    assert_eq!(v["model_version"], 1);

    // A mapping to an unknown action: its JSON path, a suggestion, nothing changes.
    let (status, v) = s.post("/v1/missions/m1/migrate", &key, r#"{"map": {"nbb-filing": "satisfaction-survy"}}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("`map.nbb-filing`"), "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("did you mean `satisfaction-survey`"), "{v:#}");

    // A stale `If-Match` is refused; the current one lets the mapped migration through.
    let body = r#"{"map": {"nbb-filing": "satisfaction-survey"}}"#;
    let (status, _, _) =
        s.call_with(Method::POST, "/v1/missions/m1/migrate", &key, &[("if-match", "\"0000\"")], Some(body)).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let quoted = tag.clone();
    let (status, _, v) =
        s.call_with(Method::POST, "/v1/missions/m1/migrate", &key, &[("if-match", &quoted)], Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["applied"], true);
    let (_, headers, v) = s.call_with(Method::GET, "/v1/missions/m1", &key, &[], None).await;
    assert_eq!(v["model_version"], 2);
    assert_eq!(v["history"].as_array().unwrap().len(), 1);
    assert_eq!(v["history"][0]["map"]["nbb-filing"], "satisfaction-survey");
    assert_eq!(v["state"]["actions"][0]["id"], "satisfaction-survey");
    assert_eq!(v["state"]["key_points"][0]["action"], "satisfaction-survey");
    assert_ne!(headers["etag"].to_str().unwrap(), tag, "a migration changes the mission's ETag");
    // The state update made from the old ETag is now stale.
    let (status, _, _) =
        s.call_with(Method::PUT, "/v1/missions/m1/state", &key, &[("if-match", &tag)], Some(&state.to_string())).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, v) = s.get("/v1/missions/m1/dashboard?as_of=2026-11-20", &key).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
}

#[tokio::test]
async fn a_model_migration_moves_every_mission_or_none() {
    let s = Service::new();
    let key = s.tenant("firm-a", "2026-03-02").await;
    s.put("/v1/models/example-firm", &key, &keeping()).await;
    plan(&s, &key, "busy").await;
    plan(&s, &key, "idle").await;
    let state = json!({"actions": [{"id": "nbb-filing", "done_on": "2026-11-10"}]});
    let (status, _) = s.put("/v1/missions/busy/state", &key, &state.to_string()).await;
    assert_eq!(status, StatusCode::OK);
    s.put("/v1/models/example-firm", &key, &removing()).await;

    // Found by Schemathesis: a request without a body was read as `{}` and applied. A migration
    // rewrites recorded missions; the body is required, as the document says.
    for uri in ["/v1/models/example-firm/migrate", "/v1/missions/idle/migrate"] {
        let (status, v) = s.post(uri, &key, "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v:#}");
        assert!(v["help"].as_str().unwrap().contains("`{}`"), "{v:#}");
    }
    let (_, v) = s.get("/v1/missions/idle", &key).await;
    assert_eq!(v["model_version"], 1, "nothing moved");
    let (status, v) = s.post("/v1/models/example-firm/migrate", &key, r#"{"dry_run": true}"#).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!((v["blocked"].as_u64(), v["missions"].as_array().unwrap().len()), (Some(1), 2));
    // Applying it would lose `busy`'s work: neither mission moves.
    let (status, v) = s.post("/v1/models/example-firm/migrate", &key, "{}").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("mission `busy`"), "{v:#}");
    let (_, v) = s.get("/v1/missions/idle", &key).await;
    assert_eq!(v["model_version"], 1);
    // Dropped on purpose, both move, and the drop is in the history.
    let (status, v) = s.post("/v1/models/example-firm/migrate", &key, r#"{"drop": ["nbb-filing"]}"#).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["applied"], true);
    for id in ["busy", "idle"] {
        let (_, v) = s.get(&format!("/v1/missions/{id}"), &key).await;
        assert_eq!(v["model_version"], 2, "{id}");
    }
    let (_, v) = s.get("/v1/missions/busy", &key).await;
    assert_eq!(v["history"][0]["dropped_work"], json!(["nbb-filing"]));
    // Nothing left to move.
    let (_, v) = s.post("/v1/models/example-firm/migrate", &key, "{}").await;
    assert_eq!(v["missions"].as_array().unwrap().len(), 0, "{v:#}");
    let (status, v) = s.post("/v1/models/example-firm/migrate", &key, r#"{"to": 9}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v:#}");
    let (status, v) = s.post("/v1/models/example-firm/migrate", &key, r#"{"to": "two", "dry_run": 1}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
}

#[tokio::test]
async fn closure_days_date_new_missions_and_reach_running_ones_through_a_migration() {
    let s = Service::new();
    let key = s.tenant("firm-a", "2026-03-02").await;
    s.put("/v1/models/example-firm", &key, &removing()).await;
    let before = plan(&s, &key, "before").await;

    // Bad closure lists: their path, nothing stored.
    for (body, path) in [
        (r#"{"closures": [{"from": "2026-12-31", "to": "2026-12-24"}]}"#, "closures[0].to"),
        (r#"{"closures": ["2026-12-24", "24/12/2026"]}"#, "closures[1]"),
        (r#"{"closures": [{"from": "2027-01-01", "to": "2027-12-31"}]}"#, "closures"),
    ] {
        let (status, v) = s.put("/v1/tenant/calendar", &key, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v:#}");
        assert!(v.to_string().contains(path), "{body}: {v:#}");
    }
    let (_, v) = s.get("/v1/tenant/calendar", &key).await;
    assert_eq!(v["closures"], json!([]));

    // The firm closes from 3 to 13 November: the engagement letter of a new mission moves.
    let (status, v) =
        s.put("/v1/tenant/calendar", &key, r#"{"closures": [{"from": "2026-11-03", "to": "2026-11-13"}]}"#).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!((v["closures"].as_array().unwrap().len(), v["missions_with_other_closures"].as_u64()), (11, Some(1)));
    let after = plan(&s, &key, "after").await;
    assert!(due(&after["plan"], "engagement-letter") > due(&before["plan"], "engagement-letter"));

    // The running mission keeps its dates until migrated; the dry run shows the new ones.
    let (_, v) = s.get("/v1/missions/before", &key).await;
    assert_eq!(due(&v["plan"], "engagement-letter"), due(&before["plan"], "engagement-letter"));
    let (status, v) = s.post("/v1/missions/before/migrate", &key, r#"{"dry_run": true}"#).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["closures_changed"], true);
    let redated = v["changes"]["redated"].as_array().unwrap();
    assert!(redated.iter().any(|r| r["id"] == "engagement-letter"), "{v:#}");
    let (status, _) = s.post("/v1/missions/before/migrate", &key, "{}").await;
    assert_eq!(status, StatusCode::OK);
    let (_, v) = s.get("/v1/missions/before", &key).await;
    assert_eq!(due(&v["plan"], "engagement-letter"), due(&after["plan"], "engagement-letter"));
    assert_eq!(v["closures"].as_array().unwrap().len(), 11);
}

#[tokio::test]
async fn validation_and_planning_messages_follow_accept_language() {
    let s = Service::new();
    let key = s.tenant("firm-a", "2026-03-02").await;
    let broken = removing().replace("role: it-auditor", "role: it-auditr");
    let (status, _, v) =
        s.call_with(Method::PUT, "/v1/models/example-firm", &key, &[("accept-language", "fr-BE")], Some(&broken)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "model.unknown-role");
    assert_eq!(
        d["message"], "rôle inconnu `it-auditr` dans l'action `it-controls-review` (vouliez-vous dire `it-auditor` ?)",
        "{v:#}"
    );
    assert!(d["location"]["line"].as_u64().is_some(), "the location is kept: {v:#}");
    let (_, _, v) =
        s.call_with(Method::PUT, "/v1/models/example-firm", &key, &[("accept-language", "nl")], Some(&broken)).await;
    assert_eq!(
        v["diagnostics"][0]["message"],
        "onbekende rol `it-auditr` in actie `it-controls-review` (bedoelde u `it-auditor`?)"
    );

    let (status, _) = s.put("/v1/models/example-firm", &key, &removing()).await;
    assert_eq!(status, StatusCode::CREATED);
    let bad = r#"{"model": "example-firm", "client": "X", "start": "2026-11-02", "closing": "2027-03-31", "people": {"partnr": ["An"]}}"#;
    let (status, _, v) =
        s.call_with(Method::POST, "/v1/missions", &key, &[("accept-language", "nl-BE, fr;q=0.5")], Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(
        v["diagnostics"][0]["message"], "onbekende rol `partnr` op `people.partnr` (bedoelde u `partner`?)",
        "{v:#}"
    );
    assert_eq!(
        v["diagnostics"][0]["help"],
        "de rollen van het model zijn `partner`, `eqr`, `quality`, `manager`, `supervisor`, `staff`, `it-auditor`"
    );
    // Without the header, English.
    let (_, v) = s.post("/v1/missions", &key, bad).await;
    assert_eq!(v["diagnostics"][0]["message"], "unknown role `partnr` at `people.partnr` (did you mean `partner`?)");
}
