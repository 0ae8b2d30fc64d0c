//! Runs the norriq `sla` entry many times, for profilers (callgrind, flamegraph):
//! `profile_sla [N] [direct|rhai|floor]`. `direct` (the default) is the library as the host calls
//! it, `rhai` the same in rhai's interpreter only, `floor` the same deadline written by hand (the
//! floor of the comparison with ZEN). Instructions per evaluation, free of the load's cost, are the
//! difference between two runs with different N, divided by the difference of N.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../benches/compare/src/floor/sla.rs"]
mod floor;

fn main() {
    let pack = missions_engine::Pack::load(
        std::env::var("PACK").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/norriq").to_owned()),
    )
    .unwrap();
    let input = serde_json::json!({"contract": "nav", "priority": "P1", "category": "software_incident", "opened": "2026-12-24T16:00:00+01:00"});
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let mode = std::env::args().nth(2).unwrap_or_else(|| "direct".to_owned());
    let calendar = floor::calendar();
    for _ in 0..n {
        match mode.as_str() {
            "direct" => drop(std::hint::black_box(pack.eval("sla", &input).unwrap())),
            "rhai" => drop(std::hint::black_box(pack.eval_interpreted("sla", &input, Default::default()).unwrap())),
            "floor" => drop(std::hint::black_box(floor::sla(&input, &calendar).unwrap())),
            other => panic!("unknown mode `{other}`: direct, rhai or floor"),
        }
    }
}
