//! Runs the esomus `quote` entry many times, for profilers (callgrind, flamegraph):
//! `profile_quote [N] [direct|rhai|floor]`. `direct` (the default) is the library as the host
//! calls it, `rhai` the same in rhai's interpreter only, `floor` the same quote written by hand
//! (the floor of the benches). Instructions per quote, free of the load's cost, are the
//! difference between two runs with different N, divided by the difference of N.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../benches/compare/src/floor/esomus.rs"]
mod floor;

fn main() {
    let dir =
        std::env::var("PACK").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/esomus").to_owned());
    let pack = missions_engine::Pack::load(dir).unwrap();
    let input = serde_json::json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
        "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
        "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}});
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let mode = std::env::args().nth(2).unwrap_or_else(|| "direct".to_owned());
    let tariff = floor::tariff();
    for _ in 0..n {
        match mode.as_str() {
            "direct" => drop(std::hint::black_box(pack.eval("quote", &input).unwrap())),
            "rhai" => drop(std::hint::black_box(pack.eval_interpreted("quote", &input, Default::default()).unwrap())),
            "floor" => drop(std::hint::black_box(floor::quote_by_hand(&input, &tariff).unwrap())),
            other => panic!("unknown mode `{other}`: direct, rhai or floor"),
        }
    }
}
