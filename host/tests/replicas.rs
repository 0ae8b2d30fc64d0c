//! Two `missions serve` replicas on one PostgreSQL database, as real processes over TCP: one
//! watches the rules and activates, the other serves what the store holds. An upload on A is
//! served by B, the helpdesk quota holds across both, a key revoked on A is refused by B, and B
//! keeps serving while A is down and comes back.
//!
//! Needs `MISSIONS_TEST_POSTGRES=postgres://user@host/db` (the test works in a schema of its
//! own); without it the test is skipped with a message, except under CI, where it fails.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::Connection;

mod common;

const ADMIN: &str = "replica-test-admin-key-0123456789abcdef0123456789";
const QUOTE: &str = r#"{"date":"2026-11-20","year":1,"users":12,"data_gb":95,"client":{"country":"BE","vat_number":"BE0123456789","distance_km":25}}"#;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn postgres_url() -> Option<String> {
    match std::env::var("MISSIONS_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("MISSIONS_TEST_POSTGRES is not set: CI must run the replica tests")
        }
        _ => {
            // Past the test harness's capture, so a plain `cargo test` shows it.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: set MISSIONS_TEST_POSTGRES=postgres://user@host/db to run the replica tests"
            );
            None
        }
    }
}

/// A fresh schema on the test server, dropped with everything in it when this is.
struct Schema {
    server: String,
    name: String,
    /// The URL that makes it the store's.
    url: String,
}

fn run_sql(server: &str, sql: String) -> Result<(), sqlx::Error> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let mut c = sqlx::PgConnection::connect(server).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await.map(drop)
    })
}

fn schema(server: &str, name: &str) -> Schema {
    run_sql(server, format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}")).unwrap();
    let sep = if server.contains('?') { '&' } else { '?' };
    let url = format!("{server}{sep}options=-c%20search_path%3D{name}");
    Schema { server: server.to_owned(), name: name.to_owned(), url }
}

impl Drop for Schema {
    fn drop(&mut self) {
        // Best effort: a schema left behind is only scratch in the test database.
        let _ = run_sql(&self.server, format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
    }
}

struct Replica {
    child: Child,
    addr: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str, cache: &Path, extra: &[&str]) -> Replica {
    let mut child = Command::new(env!("CARGO_BIN_EXE_missions"))
        .current_dir(cache)
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db, "--cache-dir"])
        .arg(cache)
        .args(extra)
        .env("MISSIONS_ADMIN_KEY", ADMIN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr =
        first.strip_prefix("missions serve: listening on http://").unwrap_or_else(|| panic!("{first}")).to_owned();
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Replica { child, addr }
}

fn http(addr: &str, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> (u16, Value) {
    try_http(addr, method, path, key, body).unwrap()
}

/// One request; an error when the connection fails (the replica was killed).
fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<(u16, Value)> {
    common::request(addr, method, path, key, body.unwrap_or_default())
}

/// Poll `f` until it holds; how long that took, or `None` after `within`.
fn until(within: Duration, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < within {
        if f() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn two_replicas_share_activations_the_quota_and_key_revocations() {
    let Some(url) = postgres_url() else { return };
    let schema = schema(&url, &format!("replicas_{}", std::process::id()));
    let db = schema.url.clone();
    let (cache_a, cache_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let rules = repo().join("rules");
    let a = serve(&db, cache_a.path(), &["--watch", "--rules", rules.to_str().unwrap()]);
    let mut b = serve(&db, cache_b.path(), &[]);
    let (status, ready) = http(&b.addr, "GET", "/readyz", None, None);
    assert_eq!((status, ready["store"].as_str()), (200, Some("postgres")), "{ready}");
    assert!(ready["packs"].as_u64().unwrap() >= 2, "B serves the packs A activated: {ready}");

    // A tenant created on A works on B.
    let tenant = json!({"id": "dupont", "subscription_start": "2026-03-02"}).to_string();
    let (status, v) = http(&a.addr, "POST", "/v1/admin/tenants", Some(ADMIN), Some(&tenant));
    assert_eq!(status, 201, "{v}");
    let key = v["api_key"].as_str().unwrap().to_owned();
    let quote = |r: &Replica| http(&r.addr, "POST", "/v1/packs/esomus/quote", Some(&key), Some(QUOTE));
    let (status, before) = quote(&b);
    assert_eq!(status, 200, "{before}");

    // An upload on A is served by B, with no restart.
    let mut files = missions_host::service::read_bundle(&rules.join("esomus")).unwrap();
    let manifest = files.get_mut("pack.yaml").unwrap();
    *manifest = manifest.replace("version: 2026.1.0", "version: 2026.1.1");
    let upload = json!({ "files": files }).to_string();
    let (status, v) = http(&a.addr, "PUT", "/v1/admin/packs/esomus", Some(ADMIN), Some(&upload));
    assert_eq!(status, 201, "{v}");
    let served = until(Duration::from_secs(5), || quote(&b).1["pack"]["version"] == "2026.1.1");
    let served = served.expect("B never served the version activated on A");
    // The design bound is the 250 ms poll plus one reload (measured 240-480 ms here, in a debug
    // build beside other tests); the assertion leaves room for a loaded CI machine, and the
    // figure is printed for the record.
    eprintln!("an activation on A was served by B after {} ms", served.as_millis());
    assert!(served < Duration::from_secs(3), "served after {served:?}");

    // 100 concurrent type-1 tickets across A and B: exactly the 2 included requests are free.
    let addrs = [a.addr.clone(), b.addr.clone()];
    std::thread::scope(|scope| {
        for i in 0..100 {
            let (addr, key) = (&addrs[i % 2], &key);
            scope.spawn(move || {
                let (status, v) =
                    http(addr, "POST", "/v1/tickets", Some(key), Some(r#"{"type":1,"filed_by":"master"}"#));
                assert_eq!(status, 201, "{v}");
            });
        }
    });
    let (status, usage) = http(&b.addr, "GET", "/v1/usage", Some(&key), None);
    assert_eq!(status, 200, "{usage}");
    let tickets = usage["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 100);
    assert_eq!(tickets.iter().filter(|t| t["over_quota"] == false).count(), 2, "{usage}");

    // A key revoked on A is refused by B.
    let (status, v) = http(&a.addr, "POST", "/v1/admin/tenants/dupont/keys", Some(ADMIN), Some("{}"));
    assert_eq!(status, 201, "{v}");
    let (second, second_id) = (v["api_key"].as_str().unwrap().to_owned(), v["key_id"].as_str().unwrap().to_owned());
    assert_eq!(http(&b.addr, "GET", "/v1/usage", Some(&second), None).0, 200);
    let (status, v) = http(&a.addr, "DELETE", &format!("/v1/admin/tenants/dupont/keys/{second_id}"), Some(ADMIN), None);
    assert_eq!(status, 200, "{v}");
    let refused = until(Duration::from_secs(5), || http(&b.addr, "GET", "/v1/usage", Some(&second), None).0 == 401);
    assert!(refused.is_some(), "B still accepts a key revoked on A");

    // B keeps serving while A is down, and A comes back on the same database (not watching:
    // a watching replica would activate its folder again).
    drop(a);
    assert_eq!(quote(&b).0, 200);
    let a = serve(&db, cache_a.path(), &[]);
    assert_eq!(quote(&a).1["pack"]["version"], "2026.1.1", "A serves the stored version");
    assert_eq!(quote(&b).0, 200);

    // A rollback on A is served by B too.
    let (status, v) = http(&a.addr, "POST", "/v1/admin/packs/esomus/rollback", Some(ADMIN), None);
    assert_eq!(status, 200, "{v}");
    let back = until(Duration::from_secs(5), || quote(&b).1["pack"]["version"] == "2026.1.0");
    assert!(back.is_some_and(|d| d < Duration::from_secs(3)), "B served the rolled-back version for {back:?}");
    b.child.kill().unwrap();
}

#[test]
fn a_replica_killed_during_ticket_writes_loses_no_acknowledged_ticket() {
    let Some(url) = postgres_url() else { return };
    let schema = schema(&url, &format!("replicas_kill_{}", std::process::id()));
    let db = schema.url.clone();
    let (cache_a, cache_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = serve(&db, cache_a.path(), &["--watch"]);
    let b = serve(&db, cache_b.path(), &[]);
    let tenant = json!({"id": "dupont", "subscription_start": "2026-03-02"}).to_string();
    let (status, v) = http(&a.addr, "POST", "/v1/admin/tenants", Some(ADMIN), Some(&tenant));
    assert_eq!(status, 201, "{v}");
    let key = v["api_key"].as_str().unwrap().to_owned();

    let acked = Arc::new(Mutex::new(Vec::<i64>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..6)
        .map(|i| {
            // Writers 0 to 3 file on A, 4 and 5 on B, which stays up.
            let addr = if i < 4 { a.addr.clone() } else { b.addr.clone() };
            let (key, acked, stop) = (key.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match try_http(&addr, "POST", "/v1/tickets", Some(&key), Some(r#"{"type":1,"filed_by":"master"}"#))
                    {
                        Ok((201, v)) => acked.lock().unwrap().push(v["ticket"]["id"].as_i64().unwrap()),
                        Ok((status, v)) => panic!("unexpected {status}: {v}"),
                        Err(_) if i < 4 => break,
                        Err(e) => panic!("B failed: {e}"),
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    while acked.lock().unwrap().len() < 150 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    // B goes on taking tickets while A is down.
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 100, "only {} tickets were acknowledged", acked.len());
    let (status, usage) = http(&b.addr, "GET", "/v1/usage", Some(&key), None);
    assert_eq!(status, 200, "{usage}");
    let stored: std::collections::BTreeSet<i64> =
        usage["tickets"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let missing: Vec<i64> = acked.iter().filter(|id| !stored.contains(id)).copied().collect();
    assert!(missing.is_empty(), "acknowledged tickets missing after SIGKILL: {missing:?}");
    let free = usage["tickets"].as_array().unwrap().iter().filter(|t| t["over_quota"] == false).count();
    assert_eq!(free, 2, "exactly the included requests are free: {usage}");
}
