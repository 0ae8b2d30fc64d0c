//! The `sla` entry through the library with the pack loaded once, as a host serves it; plus the
//! cost of loading the pack (what a `missions sla` process pays on top), of tracing, and of the
//! SLA clock over 20 status changes.
//!
//! Run: `cargo bench -p missions-engine --bench sla`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missions_engine::{EvalOptions, Pack};
use serde_json::json;

fn norriq() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../rules/norriq")
}

fn bench(c: &mut Criterion) {
    let pack = Pack::load(norriq()).unwrap();
    let inputs = [
        json!({"contract": "nav", "priority": "P1", "category": "software_incident", "opened": "2026-12-24T16:00:00+01:00"}),
        json!({"contract": "crm", "priority": "P3", "opened": "2026-03-27T14:00:00+01:00"}),
        json!({"contract": "nav", "category": "support", "opened": "2026-11-21T10:00:00+01:00"}),
    ];
    for input in &inputs {
        pack.eval("sla", input).unwrap();
    }

    let mut g = c.benchmark_group("sla");
    g.throughput(Throughput::Elements(1));
    g.bench_function("eval (pack loaded)", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(pack.eval("sla", black_box(&inputs[i])).unwrap())
        })
    });
    g.bench_function("eval with trace", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(pack.eval_with("sla", black_box(&inputs[i]), EvalOptions { trace: true }).unwrap())
        })
    });
    // The clock: 20 status changes (ten pauses over three days) read as of an instant.
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+01:00").unwrap();
    let events: Vec<_> = (0..20)
        .map(|i| {
            let at = start + chrono::TimeDelta::minutes(37 + i * 173);
            json!({"at": at.to_rfc3339(), "status": if i % 2 == 0 { "waiting_customer" } else { "in_progress" }})
        })
        .collect();
    let clocked = json!({"contract": "nav", "priority": "P2", "opened": "2026-12-01T09:00:00+01:00",
                         "events": events, "as_of": "2026-12-03T11:00:00+01:00"});
    pack.eval("sla", &clocked).unwrap();
    g.bench_function("eval with 20 events and as_of", |b| {
        b.iter(|| black_box(pack.eval("sla", black_box(&clocked)).unwrap()))
    });
    g.bench_function("eval from JSON text", |b| {
        let text = inputs[0].to_string();
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_str(black_box(&text)).unwrap();
            black_box(pack.eval("sla", &v).unwrap())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pack");
    g.sample_size(20);
    g.bench_function("load norriq", |b| b.iter(|| black_box(Pack::load(norriq()).unwrap())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
