//! Hot reload: a price file saved while requests run. Every request succeeds and sees the old
//! price or the new one, never an error, and never the old one again once it saw the new one; a
//! broken save is refused and the price in force keeps serving.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use http_common::{ADMIN, Service, price_pack, write_pack};

async fn unit(s: &Service) -> String {
    let (status, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":3}"#).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    v["unit"].as_str().unwrap().to_owned()
}

async fn wait_for(s: &Service, price: &str) {
    let start = Instant::now();
    while unit(s).await != price {
        assert!(start.elapsed() < Duration::from_secs(20), "the new price {price} was never served");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_saved_price_file_is_served_without_a_single_failed_request() {
    let rules = tempfile::tempdir().unwrap();
    let pack = rules.path().join("price");
    write_pack(&pack, &price_pack("1", "2026-01-01", "10.00"));
    let s = Arc::new(Service::with_rules(Some(rules.path().to_path_buf())));
    assert_eq!(unit(&s).await, "10.00");
    let _watcher = missions_host::service::watch(s.state.packs().clone(), rules.path()).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (s, stop) = (s.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let (status, v) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":3}"#).await;
                assert_eq!(status, StatusCode::OK, "a request failed during the reload: {v:#}");
                let unit = v["unit"].as_str().unwrap().to_owned();
                let total = v["total"].as_str().unwrap().to_owned();
                match unit.as_str() {
                    "10.00" => assert_eq!(total, "30.00"),
                    "12.00" => assert_eq!(total, "36.00"),
                    other => panic!("unexpected price {other}"),
                }
                if seen.last() != Some(&unit) {
                    seen.push(unit);
                }
                tokio::task::yield_now().await;
            }
            seen
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    std::fs::write(pack.join("price.yaml"), "unit: 12.00\n").unwrap();
    wait_for(&s, "12.00").await;

    // A broken save is refused: the new price keeps serving.
    std::fs::write(pack.join("price.yaml"), "unit: twelve\n").unwrap();
    let start = Instant::now();
    while !s.state.metrics().encode().contains("missions_pack_reloads_rejected_total{pack=\"price\",source=\"files\"}")
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the broken save was never refused:\n{}",
            s.state.metrics().encode()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        let seen = c.await.unwrap();
        assert!(seen == ["10.00", "12.00"] || seen == ["12.00"], "prices went back and forth: {seen:?}");
    }
    assert_eq!(unit(&s).await, "12.00");
    let (_, v) = s.get("/v1/packs/price", ADMIN).await;
    assert_eq!(v["history"].as_array().unwrap().len(), 2, "{v:#}");
}

/// Two folders of one pack with different `effective_from` are two versions, served side by
/// side: the request's date picks one.
#[tokio::test]
async fn next_years_folder_waits_for_its_date_beside_this_years() {
    let rules = tempfile::tempdir().unwrap();
    write_pack(&rules.path().join("price"), &price_pack("2026.1.0", "2026-01-01", "10.00"));
    write_pack(&rules.path().join("price-2027"), &price_pack("2027.1.0", "2027-01-01", "12.00"));
    let s = Service::with_rules(Some(rules.path().to_path_buf()));
    for (date, unit) in [("2026-12-31", "10.00"), ("2027-01-01", "12.00"), ("2027-06-30", "12.00")] {
        let (status, v) = s.post("/v1/packs/price/quote", ADMIN, &format!(r#"{{"qty":1,"date":"{date}"}}"#)).await;
        assert_eq!(status, StatusCode::OK, "{v:#}");
        assert_eq!(v["unit"], unit, "on {date}: {v:#}");
    }
}

/// Two folders holding the same version (same pack, same `effective_from`) are an error that
/// names both, and neither is served.
#[tokio::test]
async fn two_folders_with_the_same_version_are_refused_naming_both() {
    let rules = tempfile::tempdir().unwrap();
    write_pack(&rules.path().join("price"), &price_pack("1", "2026-01-01", "10.00"));
    write_pack(&rules.path().join("price-copy"), &price_pack("2", "2026-01-01", "11.00"));
    let s = Service::with_rules(Some(rules.path().to_path_buf()));
    let (status, _) = s.post("/v1/packs/price/quote", ADMIN, r#"{"qty":1}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "neither version may be served");
    let results = http_common::off_runtime(|| s.state.packs().sync_dir(rules.path()));
    assert_eq!(results.len(), 2);
    for (dir, r) in results {
        let rej = r.expect_err("a duplicate version must be refused");
        assert_eq!(rej.pack, "price");
        assert!(rej.reason.contains("`price`") && rej.reason.contains("`price-copy`"), "{dir:?}: {}", rej.reason);
        assert!(rej.reason.contains("2026-01-01"), "{}", rej.reason);
        assert_eq!(rej.diagnostics[0].code, "pack.duplicate-version");
    }
}
