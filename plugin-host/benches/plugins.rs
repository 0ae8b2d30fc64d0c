//! What a plugin costs: one call of a no-op hook including a fresh instance (the per-call
//! overhead), the esomus quote with and without the volume-discount plugin, and loading a
//! component cold (compiling) against loading it from the disk cache (a restart), and refusing a
//! component that imports WASI.
//!
//! The guests are built from `plugins/` first if needed
//! (`cargo build --release --target wasm32-wasip2` in that folder).
//!
//! Run: `cargo bench -p missions-plugins --bench plugins`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the host's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use missions_engine::{EvalOptions, Invoice, InvoiceAdjuster, Pack, QuoteDraft};
use missions_plugins::{Limits, PluginHost};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The component of guest crate `name`, building the guest workspace when it is missing.
fn guest(name: &str) -> Vec<u8> {
    let dir = repo().join("plugins");
    let path = dir.join("target/wasm32-wasip2/release").join(format!("{}.wasm", name.replace('-', "_")));
    if !path.is_file() {
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--target", "wasm32-wasip2"])
            .current_dir(&dir)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .status()
            .unwrap();
        assert!(status.success(), "building the guests in {} failed", dir.display());
    }
    std::fs::read(&path).unwrap()
}

fn spec_input() -> Value {
    json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
           "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
           "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}})
}

fn bench(c: &mut Criterion) {
    let host = PluginHost::new().unwrap();
    let pack = Pack::load(repo().join("rules/esomus")).unwrap();
    let input = spec_input();
    let priced = pack.eval("quote", &input).unwrap();
    let lines = Invoice::from_json(&priced.output).unwrap().lines;
    let draft = QuoteDraft { pack: pack.id(), entry: "quote", currency: pack.currency(), lines: &lines };

    let noop = host.load(&guest("noop")).unwrap().bind("bench", &json!({}), Limits::default());
    c.bench_function("noop adjust-quote, fresh instance per call", |b| {
        b.iter(|| black_box(noop.adjust_quote(black_box(&draft)).unwrap()))
    });
    c.bench_function("noop describe, fresh instance per call", |b| b.iter(|| black_box(noop.describe().unwrap())));

    let config = json!({"tiers": [{"from": "1000.00", "percent": "5"}]});
    let discount = host.load(&guest("volume-discount")).unwrap().bind("bench", &config, Limits::default());
    let with: [&dyn InvoiceAdjuster; 1] = [&discount];
    assert_ne!(pack.eval_adjusted("quote", &input, EvalOptions::default(), &with).unwrap().output, priced.output);
    let mut g = c.benchmark_group("esomus quote");
    g.bench_function("without plugin", |b| {
        b.iter(|| black_box(pack.eval_adjusted("quote", black_box(&input), EvalOptions::default(), &[]).unwrap()))
    });
    g.bench_function("with volume-discount", |b| {
        b.iter(|| black_box(pack.eval_adjusted("quote", black_box(&input), EvalOptions::default(), &with).unwrap()))
    });
    g.finish();

    let bytes = guest("volume-discount");
    let warm = tempfile::tempdir().unwrap();
    PluginHost::with_cache_dir(warm.path()).unwrap().load(&bytes).unwrap();
    let mut g = c.benchmark_group("load volume-discount");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("cold: compile", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| black_box(PluginHost::with_cache_dir(dir.path()).unwrap().load(&bytes).unwrap()),
            criterion::BatchSize::PerIteration,
        )
    });
    g.bench_function("restart: disk cache", |b| {
        b.iter(|| black_box(PluginHost::with_cache_dir(warm.path()).unwrap().load(&bytes).unwrap()))
    });
    g.finish();

    // A std-Rust component importing WASI: refused from its bytes, before any compilation.
    let wasi = guest("unknown-import");
    c.bench_function("refuse a component importing WASI (before compiling)", |b| {
        b.iter(|| black_box(host.load(black_box(&wasi)).unwrap_err()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
