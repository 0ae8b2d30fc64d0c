//! What a plugin costs per toolchain: the loyalty-discount template built with std Rust, Python
//! (componentize-py) and JavaScript (componentize-js, and componentize-qjs's QuickJS), each on the
//! esomus quote. For each: its size, compilation time and the smallest memory cap it runs under
//! (printed once), then criterion's time per `describe` (about the cost of a fresh instance) and
//! per `adjust-quote`.
//!
//! The templates are built by `scripts/plugin-toolchains.sh`; a template not built is skipped
//! with a note. `MISSIONS_PLUGIN_KEEP_RESIDENT_KB` sets how much of each instance's memory the
//! pool keeps mapped between calls (see docs/plugins.md), to compare settings run after run.
//!
//! Run: `cargo bench -p missions-plugins --bench toolchains`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use missions_engine::{Invoice, Pack, QuoteDraft};
use missions_plugins::{Limits, PluginHost};
use serde_json::json;

const TEMPLATES: [(&str, &str); 4] = [
    ("std Rust", "rust/target/wasm32-wasip2/release/loyalty_discount.wasm"),
    ("Python", "python/loyalty_discount.wasm"),
    ("JavaScript", "js/loyalty_discount.wasm"),
    ("JavaScript on QuickJS", "js/loyalty_discount_qjs.wasm"),
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bench(c: &mut Criterion) {
    let pack = Pack::load(repo().join("rules/esomus")).unwrap();
    let input = json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
        "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
        "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}});
    let priced = pack.eval("quote", &input).unwrap();
    let lines = Invoice::from_json(&priced.output).unwrap().lines;
    let draft = QuoteDraft { pack: pack.id(), entry: "quote", currency: pack.currency(), lines: &lines };
    let config = json!({"percent": "3"});
    let relaxed = Limits { deadline: Duration::from_secs(5), ..Limits::default() };

    for (label, rel) in TEMPLATES {
        let path = repo().join("plugins/templates").join(rel);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{label}: skipped, {} is not built (scripts/plugin-toolchains.sh builds it)", path.display());
            continue;
        };
        // A host of its own without a disk cache: this load compiles.
        let started = Instant::now();
        let plugin = PluginHost::new().unwrap().load(&bytes).unwrap();
        let compile = started.elapsed();
        let smallest = (1..=128usize)
            .find(|mib| {
                let capped = Limits { memory_bytes: mib << 20, ..relaxed };
                plugin.bind("bench", &config, capped).adjust_quote(&draft).is_ok()
            })
            .map_or_else(|| "over 128 MiB".to_owned(), |mib| format!("{mib} MiB"));
        eprintln!(
            "{label}: {} KiB component, compiled in {:.2} s, runs adjust-quote under a memory cap of {smallest}",
            bytes.len() / 1024,
            compile.as_secs_f64()
        );
        let bound = plugin.bind("bench", &config, relaxed);
        assert_eq!(bound.adjust_quote(&draft).unwrap().len(), lines.len());
        let mut g = c.benchmark_group(format!("loyalty-discount in {label}"));
        g.bench_function("describe, fresh instance per call", |b| b.iter(|| black_box(bound.describe().unwrap())));
        g.bench_function("adjust-quote, fresh instance per call", |b| {
            b.iter(|| black_box(bound.adjust_quote(black_box(&draft)).unwrap()))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
