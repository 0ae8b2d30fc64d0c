//! Tenants' plugins over HTTP: the admin enables, lists, shows and disables them; a tenant's
//! quotes run its plugins and never another tenant's; a failing plugin is a problem response
//! and the service keeps serving.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use axum::http::{Method, StatusCode};
use http_common::{ADMIN, Service};
use missions_tests::plugins::guest_wasm;
use serde_json::{Value, json};

const SPEC: &str = r#"{"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
    "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
    "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}}"#;

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..=c.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn enable_body(guest: &str, config: Value) -> String {
    json!({"wasm": base64(&std::fs::read(guest_wasm(guest)).unwrap()), "config": config}).to_string()
}

async fn total(s: &Service, key: &str) -> (StatusCode, Value) {
    s.post("/v1/packs/esomus/quote?trace=true", key, SPEC).await
}

#[tokio::test]
async fn a_tenants_plugin_adjusts_its_quotes_and_never_another_tenants() {
    let s = Service::new();
    let a = s.tenant("tenant-a", "2026-03-02").await;
    let b = s.tenant("tenant-b", "2026-03-02").await;
    let five = json!({"tiers": [{"from": "1000.00", "percent": "5"}]});

    let (status, v) = s
        .put("/v1/admin/tenants/tenant-a/plugins/volume-discount", ADMIN, &enable_body("volume-discount", five.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["plugin"]["name"], "volume-discount");
    assert_eq!(v["plugin"]["digest"].as_str().unwrap().len(), 64);
    let (status, _) =
        s.put("/v1/admin/tenants/tenant-a/plugins/volume-discount", ADMIN, &enable_body("volume-discount", five)).await;
    assert_eq!(status, StatusCode::OK, "enabling again replaces");

    let (status, v) = total(&s, &a).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["total"], "11939.55");
    let change = v["trace"].as_array().unwrap().iter().find(|t| t["rule"] == "plugin").unwrap();
    assert_eq!(change["detail"]["plugin"], "volume-discount");
    let (status, v) = total(&s, &b).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], "12314.17", "tenant A's plugin never runs for tenant B");
    assert!(v["trace"].as_array().unwrap().iter().all(|t| t["rule"] != "plugin"));
    // The admin's own evaluations run no tenant's plugins.
    assert_eq!(total(&s, ADMIN).await.1["total"], "12314.17");

    let (status, v) = s.get("/v1/admin/tenants/tenant-a/plugins", ADMIN).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["plugins"].as_array().unwrap().len(), 1);
    let (status, v) = s.get("/v1/admin/tenants/tenant-b/plugins", ADMIN).await;
    assert_eq!((status, v["plugins"].as_array().unwrap().len()), (StatusCode::OK, 0));
    let (status, v) = s.get("/v1/admin/tenants/tenant-a/plugins/volume-discount", ADMIN).await;
    assert_eq!((status, v["plugin"]["config"]["tiers"][0]["percent"].as_str()), (StatusCode::OK, Some("5")));

    // Tenants cannot manage plugins, not even their own.
    let (status, _) = s.get("/v1/admin/tenants/tenant-a/plugins", &a).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        s.put("/v1/admin/tenants/tenant-b/plugins/volume-discount", &a, &enable_body("noop", json!({}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _, _) =
        s.call(Method::DELETE, "/v1/admin/tenants/tenant-a/plugins/volume-discount", Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(total(&s, &a).await.1["total"], "12314.17");
    let (status, _, _) =
        s.call(Method::DELETE, "/v1/admin/tenants/tenant-a/plugins/volume-discount", Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn refused_components_are_not_enabled() {
    let s = Service::new();
    s.tenant("tenant-a", "2026-03-02").await;
    let (status, v) = s
        .put("/v1/admin/tenants/tenant-a/plugins/unknown-import", ADMIN, &enable_body("unknown-import", json!({})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["code"], "plugin.unknown_import");
    assert!(v["detail"].as_str().unwrap().contains("which this host does not offer"), "{v:#}");
    let (status, v) =
        s.put("/v1/admin/tenants/tenant-a/plugins/discount", ADMIN, &enable_body("volume-discount", json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["detail"].as_str().unwrap().contains("names itself `volume-discount`"), "{v:#}");
    let (status, _) = s.put("/v1/admin/tenants/nobody/plugins/noop", ADMIN, &enable_body("noop", json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, v) = s.put("/v1/admin/tenants/tenant-a/plugins/noop", ADMIN, r#"{"wasm": "not base64!"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    // One byte over the size limit (32 MiB, room for a Python component): refused, by size.
    let mut big = std::fs::read(guest_wasm("noop")).unwrap();
    big.resize(32 * 1024 * 1024 + 1, 0);
    let body = json!({"wasm": base64(&big), "config": {}}).to_string();
    let (status, v) = s.put("/v1/admin/tenants/tenant-a/plugins/noop", ADMIN, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("more than the 33554432 accepted"), "{v:#}");
    let (status, v) = s.get("/v1/admin/tenants/tenant-a/plugins", ADMIN).await;
    assert_eq!((status, v["plugins"].as_array().unwrap().len()), (StatusCode::OK, 0));
}

#[tokio::test]
async fn a_hostile_plugin_fails_its_tenants_quote_and_the_service_keeps_serving() {
    let s = Service::new();
    let a = s.tenant("tenant-a", "2026-03-02").await;
    let b = s.tenant("tenant-b", "2026-03-02").await;
    let (status, _) = s
        .put("/v1/admin/tenants/tenant-a/plugins/infinite-loop", ADMIN, &enable_body("infinite-loop", json!({})))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = total(&s, &a).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["type"], "https://missions.esomus.be/problems/plugin-failed");
    assert_eq!((v["plugin"].as_str(), v["code"].as_str()), (Some("infinite-loop"), Some("plugin.deadline")));
    for lang in ["fr", "nl", "en"] {
        assert!(v["messages"][lang].as_str().unwrap().contains("50 ms"), "{v:#}");
    }
    assert_eq!(total(&s, &b).await.1["total"], "12314.17");
    // Tenant A's other entries are not invoices: its plugin is not called.
    let (status, v) = s
        .post("/v1/packs/norriq/sla", &a, r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}"#)
        .await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
}

const MISSION: &str = r#"{"model": "example-firm", "id": "m1", "client": "Brasserie SA", "start": "2026-11-02", "closing": "2027-03-31",
    "people": {"partner": ["An"], "manager": ["Bo"], "staff": ["Cy"], "supervisor": ["Di"], "eqr": ["Ed"], "quality": ["Fa"], "it-auditor": ["Gu"]}}"#;

fn example_model() -> String {
    std::fs::read_to_string(missions_tests::repo().join("rules/models/example-firm.yaml")).unwrap()
}

#[tokio::test]
async fn a_tenants_lint_model_plugin_checks_its_model_saves() {
    let s = Service::new();
    let a = s.tenant("tenant-a", "2026-03-02").await;
    let b = s.tenant("tenant-b", "2026-03-02").await;
    let uri = "/v1/admin/tenants/tenant-a/plugins/review-docs-lint";
    let (status, v) = s.put(uri, ADMIN, &enable_body("review-docs-lint", json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");

    // Warnings: stored, and said in the client's language.
    let (status, _, v) = s
        .call_with(Method::PUT, "/v1/models/example-firm", &a, &[("accept-language", "nl")], Some(&example_model()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let found = v["plugin_findings"].as_array().unwrap();
    assert_eq!(found.len(), 8, "{v:#}");
    assert_eq!(
        (found[0]["severity"].as_str(), found[0]["plugin"].as_str()),
        (Some("warning"), Some("review-docs-lint"))
    );
    assert_eq!(found[0]["message"], found[0]["messages"]["nl"]);
    // Tenant B has no plugin: nothing to say.
    let (status, v) = s.put("/v1/models/example-firm", &b, &example_model()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(v.get("plugin_findings").is_none(), "{v:#}");

    // Configured as errors, the findings refuse the save, and nothing is stored.
    let (status, _) = s.put(uri, ADMIN, &enable_body("review-docs-lint", json!({"severity": "error"}))).await;
    assert_eq!(status, StatusCode::OK);
    let edited = example_model().replace("2026.1-dp3", "2026.2");
    let (status, v) = s.put("/v1/models/example-firm", &a, &edited).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["plugin_findings"].as_array().unwrap().len(), 8, "{v:#}");
    let (_, v) = s.get("/v1/models/example-firm/versions", &a).await;
    assert_eq!(v["versions"].as_array().unwrap().len(), 1);

    // A plugin that crashes in the hook is an error of the save, not of the server.
    let (status, _, _) =
        s.call(Method::DELETE, "/v1/admin/tenants/tenant-a/plugins/review-docs-lint", Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = s.put("/v1/admin/tenants/tenant-a/plugins/trap", ADMIN, &enable_body("trap", json!({}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = s.put("/v1/models/example-firm", &a, &edited).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["plugin_findings"][0]["code"], "plugin.trap", "{v:#}");
    let (status, _) = s.get("/healthz", &a).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_tenants_dashboard_figures_plugin_adds_to_its_dashboards() {
    let s = Service::new();
    let a = s.tenant("tenant-a", "2026-03-02").await;
    let (status, _) = s.put("/v1/models/example-firm", &a, &example_model()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = s.post("/v1/missions", &a, MISSION).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let (_, v) = s.get("/v1/missions/m1/dashboard?as_of=2026-11-20", &a).await;
    assert!(v.get("plugin_figures").is_none(), "no plugin, no figures: {v:#}");

    let uri = "/v1/admin/tenants/tenant-a/plugins/huge-output";
    let (status, _) = s.put(uri, ADMIN, &enable_body("huge-output", json!({"lines": 3}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = s.get("/v1/missions/m1/dashboard?as_of=2026-11-20", &a).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["plugin_figures"].as_array().unwrap().len(), 3, "{v:#}");
    assert_eq!(v["plugin_figures"][0]["plugin"], "huge-output");
    assert!(v["progress"].is_object(), "the dashboard itself is there");

    // A plugin that fails: the dashboard is served, with the failure.
    let (status, _) = s.put("/v1/admin/tenants/tenant-a/plugins/trap", ADMIN, &enable_body("trap", json!({}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = s.get("/v1/missions/m1/dashboard?as_of=2026-11-20", &a).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["plugin_failures"][0]["plugin"], "trap", "{v:#}");
    assert_eq!(v["plugin_failures"][0]["code"], "plugin.trap");

    // A stored plugin that no longer loads (its code replaced behind the host's back): listed,
    // and the dashboard still served.
    let store = http_common::open_store(s.dir.path());
    let broken = missions_store::PluginRecord {
        name: "broken".into(),
        version: "1".into(),
        digest: "0".repeat(64),
        config: json!({}),
        limits: missions_store::PluginLimits::default(),
        enabled_at: chrono::Utc::now(),
    };
    http_common::off_runtime(|| store.put_plugin("tenant-a", &broken, b"not wasm")).unwrap();
    let (status, v) = s.get("/v1/missions/m1/dashboard?as_of=2026-11-20", &a).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["plugin_failures"][0]["code"], "plugin.unloadable", "{v:#}");
    assert!(v["progress"].is_object());
}

#[tokio::test]
async fn every_enabled_version_is_kept_and_a_rollback_enables_an_earlier_one_again() {
    let s = Service::new();
    let a = s.tenant("tenant-a", "2026-03-02").await;
    let uri = "/v1/admin/tenants/tenant-a/plugins/volume-discount";
    let tiers = |percent: &str| json!({"tiers": [{"from": "1000.00", "percent": percent}]});
    for percent in ["5", "8"] {
        let (status, v) = s.put(uri, ADMIN, &enable_body("volume-discount", tiers(percent))).await;
        assert!(status.is_success(), "{v:#}");
    }
    assert_eq!(total(&s, &a).await.1["total"], "11714.78", "8 % off");
    let (status, v) = s.get(&format!("{uri}/history"), ADMIN).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0]["seq"].as_u64(), history[0]["change"].as_str()), (Some(1), Some("enabled")));
    assert_eq!(history[1]["plugin"]["config"], tiers("8"));

    // One step back: the 5 % configuration, recorded as entry 3.
    let (status, v) = s.post(&format!("{uri}/rollback"), ADMIN, "").await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!((v["restored"].as_u64(), &v["plugin"]["config"]), (Some(1), &tiers("5")));
    assert_eq!(total(&s, &a).await.1["total"], "11939.55", "5 % off again");
    let (_, v) = s.get(&format!("{uri}/history"), ADMIN).await;
    assert_eq!(v["history"][2]["change"], "rolled_back");
    assert_eq!(v["history"][2]["restored"], 1);
    // Named: entry 2 again. Then the same entry a second time is refused: nothing would change.
    let (status, v) = s.post(&format!("{uri}/rollback"), ADMIN, r#"{"to": 2}"#).await;
    assert_eq!((status, &v["plugin"]["config"]), (StatusCode::OK, &tiers("8")), "{v:#}");
    let (status, v) = s.post(&format!("{uri}/rollback"), ADMIN, r#"{"to": 2}"#).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("already enabled as entry 2 left it"), "{v:#}");
    let (status, v) = s.post(&format!("{uri}/rollback"), ADMIN, r#"{"to": 99}"#).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("has no history entry 99"), "{v:#}");
    let (status, v) = s.post(&format!("{uri}/rollback"), ADMIN, r#"{"to": "2"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");

    // Disabled, then rolled back: enabled again as it was disabled; the code was kept.
    let (status, _, _) = s.call(Method::DELETE, uri, Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(total(&s, &a).await.1["total"], "12314.17");
    let (status, v) = s.post(&format!("{uri}/rollback"), ADMIN, "").await;
    assert_eq!((status, &v["plugin"]["config"]), (StatusCode::OK, &tiers("8")), "{v:#}");
    assert_eq!(total(&s, &a).await.1["total"], "11714.78");
    let (_, v) = s.get(&format!("{uri}/history"), ADMIN).await;
    let changes: Vec<&str> = v["history"].as_array().unwrap().iter().map(|e| e["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["enabled", "enabled", "rolled_back", "rolled_back", "disabled", "rolled_back"]);

    // A plugin the tenant never had, and a tenant's own key.
    let (status, _) = s.get("/v1/admin/tenants/tenant-a/plugins/noop/history", ADMIN).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/v1/admin/tenants/tenant-a/plugins/noop/rollback", ADMIN, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post(&format!("{uri}/rollback"), &a, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
