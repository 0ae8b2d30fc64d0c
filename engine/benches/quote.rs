//! The esomus `quote` entry through the library with the pack loaded once (evaluated directly, see
//! `crates/rules/src/direct/`), the same in rhai's interpreter only, and the same quote written by hand
//! in plain Rust (the floor the comparison with ZEN uses too). The ratios are what the sandboxed
//! script runtime costs; all three take the same JSON in and give the same JSON out, and all use
//! the engine's invoice arithmetic, so only the rules' evaluation differs.
//!
//! Run: `cargo bench -p missions-engine --bench quote`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missions_engine::Pack;
use serde_json::{Value, json};

fn pack_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../rules").join(name)
}

fn spec_input() -> Value {
    json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
           "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
           "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}})
}

/// A year-2 quote for an EU client with free months and data overage: other branches.
fn other_input() -> Value {
    json!({"date": "2027-11-20", "year": 2, "users": 30, "data_gb": "171.5", "prepaid_years": 3,
           "client": {"country": "DE", "vat_number": "DE123456789", "isqm_manager_customer": true},
           "options": {"parametrisation_hours": "12.5"}})
}

// The same quote by hand: one copy, shared with the comparison with GoRules ZEN.
#[path = "../../benches/compare/src/floor/esomus.rs"]
mod floor;
use floor::{quote_by_hand, tariff};

// ---------------------------------------------------------------------------------------------

fn bench(c: &mut Criterion) {
    let pack = Pack::load(pack_dir("esomus")).unwrap();
    let t = tariff();
    let inputs = [spec_input(), other_input()];
    // Both ways must agree on every figure before their speed means anything.
    for input in &inputs {
        let lib = pack.eval("quote", input).unwrap().output;
        assert_eq!(lib, pack.eval_interpreted("quote", input, Default::default()).unwrap().output);
        let hand = quote_by_hand(input, &t).unwrap();
        for k in ["net_total", "vat_total", "total", "vat"] {
            assert_eq!(lib[k], hand[k], "{k} differs for {input}");
        }
        let amounts = |v: &Value| {
            v["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| (l["code"].clone(), l["amount"].clone(), l["label"].clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(amounts(&lib), amounts(&hand));
    }
    assert_eq!(pack.eval("quote", &inputs[0]).unwrap().output["total"], "12314.17");

    let mut g = c.benchmark_group("quote");
    g.throughput(Throughput::Elements(1));
    g.bench_function("esomus through the library (pack loaded)", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(pack.eval("quote", black_box(&inputs[i])).unwrap())
        })
    });
    assert!(pack.runs_directly("quote"));
    g.bench_function("esomus in rhai's interpreter only", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(pack.eval_interpreted("quote", black_box(&inputs[i]), Default::default()).unwrap())
        })
    });
    g.bench_function("esomus hand-written Rust", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(quote_by_hand(black_box(&inputs[i]), &t).unwrap())
        })
    });
    g.bench_function("esomus SPEC example through the library", |b| {
        b.iter(|| black_box(pack.eval("quote", black_box(&inputs[0])).unwrap()))
    });
    g.bench_function("esomus SPEC example hand-written", |b| {
        b.iter(|| black_box(quote_by_hand(black_box(&inputs[0]), &t).unwrap()))
    });

    let norriq = Pack::load(pack_dir("norriq")).unwrap();
    let work = json!({"hourly_rate": "120.00", "country": "BE",
        "work": [{"start": "2026-12-05T16:00:00+01:00", "end": "2026-12-05T19:00:00+01:00"}], "travel": {"km": 40, "trips": 1}});
    assert_eq!(norriq.eval("quote", &work).unwrap().output["total"], "919.60");
    g.bench_function("norriq SPEC example through the library (interpreted)", |b| {
        b.iter(|| black_box(norriq.eval("quote", black_box(&work)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
