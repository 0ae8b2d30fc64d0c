//! Rotating and revoking tenant keys: a tenant holds several keys, a revoked one is refused at
//! once by the process that revoked it and within a second by another on the same database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_common::{ADMIN, Service, nov_20};
use missions_host::http::{AppState, FixedClock, ServiceConfig, router};
use serde_json::Value;
use tower::ServiceExt;

/// A second service on the same database, with its own clock and key cache.
fn replica(s: &Service) -> (Router, Arc<FixedClock>) {
    let store = http_common::open_store(s.dir.path());
    let clock = Arc::new(FixedClock::new(nov_20()));
    let mut config = ServiceConfig::new(store, s.rules.clone(), s.dir.path().to_path_buf());
    config.admin_key = Some(ADMIN.into());
    config.clock = clock.clone();
    let (state, _) = http_common::off_runtime(|| AppState::open(config)).unwrap();
    (router(state), clock)
}

async fn status_on(app: &Router, uri: &str, key: &str) -> StatusCode {
    let req = Request::builder().uri(uri).header("authorization", format!("Bearer {key}")).body(Body::empty()).unwrap();
    app.clone().oneshot(req).await.unwrap().status()
}

async fn delete(s: &Service, uri: &str) -> (StatusCode, Value) {
    let (status, _, v) = s.call(Method::DELETE, uri, Some(ADMIN), None).await;
    (status, v)
}

#[tokio::test]
async fn a_tenant_rotates_its_key_and_a_revoked_key_is_refused_everywhere() {
    let s = Service::new();
    let first = s.tenant("dupont", "2026-03-02").await;
    let (other_replica, other_clock) = replica(&s);
    assert_eq!(status_on(&other_replica, "/v1/usage", &first).await, StatusCode::OK, "the replica checks the key");

    let (status, v) = s.post("/v1/admin/tenants/dupont/keys", ADMIN, "").await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    let second = v["api_key"].as_str().unwrap().to_owned();
    assert!(second.starts_with(&format!("mk_{}_", v["key_id"].as_str().unwrap())), "{v:#}");
    assert_eq!(s.get("/v1/usage", &second).await.0, StatusCode::OK);
    assert_eq!(s.get("/v1/usage", &first).await.0, StatusCode::OK, "the first key stays valid until revoked");

    let (status, v) = s.get("/v1/admin/tenants/dupont/keys", ADMIN).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    let keys = v["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.get("hash").is_none() && k.get("api_key").is_none()), "{v:#}");
    let first_id = first.split('_').nth(1).unwrap().to_owned();
    assert_eq!(keys[0]["key_id"], first_id.as_str());

    let (status, v) = delete(&s, &format!("/v1/admin/tenants/dupont/keys/{first_id}")).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!((v["key_id"].as_str(), v["revoked_at"].is_string()), (Some(first_id.as_str()), true), "{v:#}");
    let (status, v) = s.get("/v1/usage", &first).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "at once here: {v:#}");
    assert!(v["detail"].as_str().unwrap().contains("revoked"), "{v:#}");
    assert_eq!(s.get("/v1/usage", &second).await.0, StatusCode::OK);

    // The replica trusted the key it checked for at most a second; then it asks the store again.
    assert_eq!(status_on(&other_replica, "/v1/usage", &first).await, StatusCode::OK);
    other_clock.set(nov_20() + chrono::TimeDelta::seconds(2));
    assert_eq!(status_on(&other_replica, "/v1/usage", &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_on(&other_replica, "/v1/usage", &second).await, StatusCode::OK);

    let (_, v) = s.get("/v1/admin/tenants/dupont/keys", ADMIN).await;
    assert!(v["keys"][0]["revoked_at"].is_string() && v["keys"][1].get("revoked_at").is_none(), "{v:#}");
}

#[tokio::test]
async fn keys_are_managed_with_the_admin_key_for_tenants_that_exist() {
    let s = Service::new();
    let dupont = s.tenant("dupont", "2026-03-02").await;
    let peeters = s.tenant("peeters", "2026-03-02").await;
    let peeters_id = peeters.split('_').nth(1).unwrap().to_owned();

    let (status, v) = delete(&s, &format!("/v1/admin/tenants/dupont/keys/{peeters_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another tenant's key: {v:#}");
    assert_eq!(s.get("/v1/usage", &peeters).await.0, StatusCode::OK, "and it still works");
    let (status, _) = delete(&s, "/v1/admin/tenants/dupont/keys/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/v1/admin/tenants/nobody/keys", ADMIN, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.get("/v1/admin/tenants/nobody/keys", ADMIN).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/v1/admin/tenants/dupont/keys", &dupont, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a tenant key does not issue keys");

    let (status, _) = delete(&s, &format!("/v1/admin/tenants/peeters/keys/{peeters_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, v) = delete(&s, &format!("/v1/admin/tenants/peeters/keys/{peeters_id}")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("revoked already"), "{v:#}");
}

/// A retried issue (same `Idempotency-Key`) gives the same key once; the same key sent for
/// another tenant is another request, refused rather than answered with the first tenant's key.
#[tokio::test]
async fn issuing_a_key_is_safe_to_retry_and_keys_do_not_cross_tenants() {
    let s = Service::new();
    s.tenant("dupont", "2026-03-02").await;
    s.tenant("peeters", "2026-03-02").await;
    let retry = [("idempotency-key", "rotate-2026-12")];
    let (status, _, first) = s.call_with(Method::POST, "/v1/admin/tenants/dupont/keys", ADMIN, &retry, Some("")).await;
    assert_eq!(status, StatusCode::CREATED, "{first:#}");
    let (status, _, again) = s.call_with(Method::POST, "/v1/admin/tenants/dupont/keys", ADMIN, &retry, Some("")).await;
    assert_eq!((status, &again["api_key"]), (StatusCode::CREATED, &first["api_key"]));
    let (_, v) = s.get("/v1/admin/tenants/dupont/keys", ADMIN).await;
    assert_eq!(v["keys"].as_array().unwrap().len(), 2, "one new key, not two: {v:#}");
    let (status, _, other) = s.call_with(Method::POST, "/v1/admin/tenants/peeters/keys", ADMIN, &retry, Some("")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{other:#}");
    assert!(other.get("api_key").is_none());
}
