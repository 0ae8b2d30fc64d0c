//! The same comparison under criterion (its statistics, its HTML reports), for those who prefer
//! it to the harness's single-run table: `cargo bench` in benches/compare. Each iteration is one
//! evaluation, cycling through the 1 000 esomus inputs (and the tier inputs).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missions_compare::zen::Zen;
use missions_compare::{crate_path, floor, inputs, repo_path};
use missions_engine::{EvalOptions, Pack};

fn bench(c: &mut Criterion) {
    let esomus = Pack::load(repo_path("rules/esomus")).unwrap_or_else(|d| panic!("{d}"));
    let tier = Pack::load(crate_path("packs/tier")).unwrap_or_else(|d| panic!("{d}"));
    let zen_quote = Zen::load("esomus-quote.json").unwrap_or_else(|e| panic!("{e}"));
    let zen_tier = Zen::load("tier.json").unwrap_or_else(|e| panic!("{e}"));
    let t = floor::esomus::tariff();
    let quotes = inputs::esomus_quotes(1000);
    let tiers = inputs::tiers(1000);

    let mut g = c.benchmark_group("esomus quote");
    g.throughput(Throughput::Elements(1));
    for trace in [false, true] {
        let on = if trace { ", trace on" } else { "" };
        g.bench_function(format!("rhai pack{on}"), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % quotes.len();
                black_box(esomus.eval_with("quote", black_box(&quotes[k]), EvalOptions { trace }).ok())
            })
        });
        g.bench_function(format!("ZEN JDM{on}"), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % quotes.len();
                black_box(zen_quote.eval(black_box(&quotes[k]), trace).ok())
            })
        });
    }
    g.bench_function("hand-written Rust", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % quotes.len();
            black_box(floor::esomus::quote_by_hand(black_box(&quotes[k]), &t).ok())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("5-row tier");
    g.throughput(Throughput::Elements(1));
    g.bench_function("rhai pack", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % tiers.len();
            black_box(tier.eval("tier", black_box(&tiers[k])).ok())
        })
    });
    g.bench_function("ZEN JDM", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % tiers.len();
            black_box(zen_tier.eval(black_box(&tiers[k]), false).ok())
        })
    });
    g.bench_function("hand-written Rust", |b| {
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % tiers.len();
            black_box(floor::tier::tier(black_box(&tiers[k])).ok())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
