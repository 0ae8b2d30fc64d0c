//! Helpers for the HTTP tests: a service on a temporary store driven in-process with `oneshot`.
//!
//! The store is SQLite, or PostgreSQL when `MISSIONS_TEST_HTTP_STORE=postgres` (then
//! `MISSIONS_TEST_POSTGRES` names the server; each service's folder records the schema it owns,
//! so reopening a folder reopens its database): CI runs the HTTP tests on both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code, missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{TimeZone, Utc};
use missions_host::http::{AppState, FixedClock, ServiceConfig, Startup, router};
use missions_store::{PgStore, SqliteStore, Store};
use serde_json::Value;
use tower::ServiceExt;

pub const ADMIN: &str = "test-admin-key-0123456789abcdef0123456789abcdef";

/// A running service: its state, router, clock and folders.
pub struct Service {
    pub state: AppState,
    pub app: Router,
    pub clock: Arc<FixedClock>,
    pub startup: Startup,
    pub dir: tempfile::TempDir,
    pub rules: PathBuf,
}

/// The store of the service folder `dir`: its SQLite file, or (with
/// `MISSIONS_TEST_HTTP_STORE=postgres`) the PostgreSQL schema the folder records, created on
/// first use. Each call is another handle on the same database.
pub fn open_store(dir: &Path) -> Arc<dyn Store> {
    if std::env::var("MISSIONS_TEST_HTTP_STORE").as_deref() != Ok("postgres") {
        return Arc::new(SqliteStore::open(&dir.join("missions.db")).unwrap());
    }
    let url = std::env::var("MISSIONS_TEST_POSTGRES")
        .expect("MISSIONS_TEST_HTTP_STORE=postgres needs MISSIONS_TEST_POSTGRES");
    let marker = dir.join("postgres-schema");
    let schema = match std::fs::read_to_string(&marker) {
        Ok(name) => name,
        Err(_) => {
            use std::sync::atomic::{AtomicU32, Ordering};
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let name = format!("http_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
            let (u, n) = (url.clone(), name.clone());
            off_runtime(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    use sqlx::Connection;
                    let mut c = sqlx::PgConnection::connect(&u).await.unwrap();
                    // The schemas of earlier runs whose process is gone are scratch: drop them.
                    let old: Vec<String> =
                        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'http\\_%'")
                            .fetch_all(&mut c)
                            .await
                            .unwrap();
                    for name in old {
                        let pid = name.split('_').nth(1).unwrap_or_default();
                        if !Path::new("/proc").join(pid).exists() {
                            let sql = format!("DROP SCHEMA IF EXISTS {name} CASCADE");
                            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                        }
                    }
                    let sql = format!("DROP SCHEMA IF EXISTS {n} CASCADE; CREATE SCHEMA {n}");
                    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
                });
            });
            std::fs::write(&marker, &name).unwrap();
            name
        }
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}options=-c%20search_path%3D{schema}");
    off_runtime(move || Arc::new(PgStore::open(&url).unwrap()) as Arc<dyn Store>)
}

/// Run `f` on a thread of its own, outside the test's async runtime: the stores' methods block,
/// and PostgreSQL's may not be called from async code (the host calls them from
/// `spawn_blocking`).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

/// A copy of the shipped rules, so a test may change them.
pub fn copy_rules(to: &Path) {
    copy_dir(&missions_tests::repo().join("rules"), to);
}

pub use missions_tests::copy_dir;

/// 2026-11-20 10:00 in Brussels.
pub fn nov_20() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

impl Service {
    /// A service over the shipped rules (served from the repository) and a fresh store.
    pub fn new() -> Self {
        Self::with_rules(None)
    }

    /// A service over `rules` (default: the repository's `rules/`).
    pub fn with_rules(rules: Option<PathBuf>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let rules = rules.unwrap_or_else(|| missions_tests::repo().join("rules"));
        Self::open(dir, rules)
    }

    /// A service on the store in `dir` (reopened when it exists).
    pub fn open(dir: tempfile::TempDir, rules: PathBuf) -> Self {
        let store = open_store(dir.path());
        let clock = Arc::new(FixedClock::new(nov_20()));
        let mut config = ServiceConfig::new(store, rules.clone(), dir.path().to_path_buf());
        config.admin_key = Some(ADMIN.into());
        config.clock = clock.clone();
        let (state, startup) = off_runtime(|| AppState::open(config)).unwrap();
        let app = router(state.clone());
        Self { state, app, clock, startup, dir, rules }
    }

    /// Send a request; returns status, content type and the body as JSON (or a string).
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, String, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(k) = key {
            req = req.header("authorization", format!("Bearer {k}"));
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_owned()));
        let resp = self.app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let status = resp.status();
        let ctype = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024).await.unwrap();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, ctype, value)
    }

    /// Send a request with extra headers; returns status, the answer's headers and its body.
    pub async fn call_with(
        &self,
        method: Method,
        uri: &str,
        key: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut req = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {key}"));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_owned()));
        let resp = self.app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024).await.unwrap();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, headers, value)
    }

    pub async fn get(&self, uri: &str, key: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::GET, uri, Some(key), None).await;
        (s, v)
    }

    pub async fn post(&self, uri: &str, key: &str, body: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::POST, uri, Some(key), Some(body)).await;
        (s, v)
    }

    pub async fn put(&self, uri: &str, key: &str, body: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::PUT, uri, Some(key), Some(body)).await;
        (s, v)
    }

    /// Create a tenant; returns its key.
    pub async fn tenant(&self, id: &str, subscription_start: &str) -> String {
        let (s, v) = self
            .post(
                "/v1/admin/tenants",
                ADMIN,
                &serde_json::json!({"id": id, "subscription_start": subscription_start}).to_string(),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["api_key"].as_str().unwrap().to_owned()
    }
}

/// The files of a small pack `price`: `quote` returns `unit` (from price.yaml) and `total`.
pub fn price_pack(version: &str, effective_from: &str, unit: &str) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert(
        "pack.yaml".into(),
        format!(
            "name: price\nversion: \"{version}\"\neffective_from: {effective_from}\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nparams:\n  files: [price.yaml]\n  schema:\n    unit: {{type: decimal, min: 0}}\nentries:\n  quote:\n    script: quote.rhai\n    input:\n      date: date?\n      qty: integer\n"
        ),
    );
    f.insert("price.yaml".into(), format!("unit: {unit}\n"));
    f.insert(
        "quote.rhai".into(),
        "fn quote(input, params) {\n    #{ unit: params.unit, total: params.unit * to_decimal(input.qty) }\n}\n".into(),
    );
    f.insert(
        "tests/quote.yaml".into(),
        "entry: quote\ncases:\n  - name: one unit costs the unit price\n    input: {qty: 1}\n    expect: {}\n".into(),
    );
    f
}

/// Write a pack's files into a folder.
pub fn write_pack(dir: &Path, files: &BTreeMap<String, String>) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The upload body of a pack.
pub fn upload(files: &BTreeMap<String, String>) -> String {
    serde_json::json!({ "files": files }).to_string()
}
