//! Runs the `sla` entry many times, for profilers (callgrind, flamegraph).
#![allow(clippy::unwrap_used, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let pack = missions_engine::Pack::load(
        std::env::var("PACK").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/norriq").to_owned()),
    )
    .unwrap();
    let input = serde_json::json!({"contract": "nav", "priority": "P1", "category": "software_incident", "opened": "2026-12-24T16:00:00+01:00"});
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    for _ in 0..n {
        std::hint::black_box(pack.eval("sla", &input).unwrap());
    }
}
