//! Runs the esomus `quote` entry many times, for profilers (callgrind, flamegraph).
#![allow(clippy::unwrap_used, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let dir =
        std::env::var("PACK").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/esomus").to_owned());
    let pack = missions_engine::Pack::load(dir).unwrap();
    let input = serde_json::json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
        "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
        "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}});
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    for _ in 0..n {
        std::hint::black_box(pack.eval("quote", &input).unwrap());
    }
}
