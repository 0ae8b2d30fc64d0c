//! The impact of a tariff change over recorded requests: the shipped `esomus` pack against a copy
//! with the license at 36.00, both evaluating 10 000 varied quotes (what `missions diff --inputs`
//! and a dry run of an upload do). The target is under 2 s on one core; criterion runs it on one
//! thread.
//!
//! Run: `cargo bench -p missions-engine --bench impact`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missions_engine::crates::base::Node;
use missions_engine::{ImpactLimits, Pack, ReplayInput, impact};
use serde_json::json;

const QUOTES: usize = 10_000;

fn pack_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../rules").join(name)
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// 10 000 quotes spread over the branches: users 1–120 (every setup tier), years 1–4, prepaid
/// 1–3 years, data under and over the included volume, clients in Belgium, in the EU (reverse
/// charged) and outside it, options on some; 50 tenants.
fn recorded() -> Vec<ReplayInput> {
    let countries =
        [("BE", Some("BE0123456789")), ("FR", Some("FR12345678901")), ("DE", Some("DE123456789")), ("US", None)];
    (0..QUOTES)
        .map(|i| {
            let (country, vat) = countries[i % countries.len()];
            let users = 1 + (i * 7) % 120;
            let input = json!({
                "date": "2026-11-20",
                "year": 1 + i % 4,
                "users": users,
                "data_gb": (i * 13) % (users * 9 + 1),
                "prepaid_years": 1 + i % 3,
                "client": {"country": country, "vat_number": vat, "isqm_manager_customer": i % 5 == 0, "distance_km": (i % 90)},
                "options": {"user_training_sessions": i % 3, "parametrisation_hours": (i % 11)},
            });
            ReplayInput {
                entry: "quote".into(),
                input: Node::from_json(&input),
                source: format!("recorded {i}"),
                tenant: Some(format!("tenant-{}", i % 50)),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let next = tmp.path().join("esomus-2027");
    copy(&pack_dir("esomus"), &next);
    let tariff = next.join("tariff.yaml");
    let text = std::fs::read_to_string(&tariff).unwrap();
    std::fs::write(&tariff, text.replace("license_per_user_month: 35.00", "license_per_user_month: 36.00")).unwrap();
    let base = Pack::load(pack_dir("esomus")).unwrap();
    let candidate = Pack::load(&next).unwrap();
    let inputs = recorded();
    // The report must be real before its speed means anything: every quote is priced and the
    // license line of every one changed.
    let report = impact(&base, &candidate, &inputs, ImpactLimits::default());
    let quote = &report.entries["quote"];
    assert_eq!(quote.replayed, QUOTES, "{:?}", report.not_replayed.first());
    assert_eq!(quote.failing_under_both, 0);
    assert_eq!(quote.changed, QUOTES);
    assert_eq!(report.money.as_ref().unwrap().per_tenant.len(), 50);

    let mut g = c.benchmark_group("impact");
    g.sample_size(10).measurement_time(std::time::Duration::from_secs(12));
    g.throughput(Throughput::Elements(QUOTES as u64));
    g.bench_function("10000 recorded quotes, both versions", |b| {
        b.iter(|| black_box(impact(&base, &candidate, black_box(&inputs), ImpactLimits::default())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
