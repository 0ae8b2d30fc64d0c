//! Runs the norriq `sla` entry many times, for profilers (callgrind, flamegraph):
//! `profile_sla [N] [direct|rhai|floor|clock]`. `direct` (the default) is the library as the host
//! calls it, `rhai` the same in rhai's interpreter only, `floor` the same deadline written by hand
//! (the floor of the comparison with ZEN), `clock` the library on the `sla` bench's ticket with 20
//! status changes and `as_of`. Instructions per evaluation, free of the load's cost, are the
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
    // The bench's clocked ticket (engine/benches/sla.rs): ten pauses over three days.
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+01:00").unwrap();
    let events: Vec<_> = (0..20)
        .map(|i| {
            let at = start + chrono::TimeDelta::minutes(37 + i * 173);
            serde_json::json!({"at": at.to_rfc3339(), "status": if i % 2 == 0 { "waiting_customer" } else { "in_progress" }})
        })
        .collect();
    let clocked = serde_json::json!({"contract": "nav", "priority": "P2", "opened": "2026-12-01T09:00:00+01:00",
                                     "events": events, "as_of": "2026-12-03T11:00:00+01:00"});
    for _ in 0..n {
        match mode.as_str() {
            "direct" => drop(std::hint::black_box(pack.eval("sla", &input).unwrap())),
            "rhai" => drop(std::hint::black_box(pack.eval_interpreted("sla", &input, Default::default()).unwrap())),
            "clock" => drop(std::hint::black_box(pack.eval("sla", &clocked).unwrap())),
            "floor" => drop(std::hint::black_box(floor::sla(&input, &calendar).unwrap())),
            other => panic!("unknown mode `{other}`: direct, rhai, floor or clock"),
        }
    }
}
