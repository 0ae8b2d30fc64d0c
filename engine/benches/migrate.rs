//! Moving missions between model versions, on a generated model of 200 actions (4 phases of
//! 50) and its next version with one more action per phase. Targets (issue: model versions):
//! a dry-run migration of one mission < 20 ms; the 1 000 missions of one model < 5 s (here the
//! engine's share of it: both plans, the moved state and its check, without the store).

#![expect(clippy::expect_used, reason = "a benchmark aborts when its setup fails")]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use missions_engine::{
    Calendar, CalendarSpec, Lang, MemModelFiles, MigrationRequest, MissionToMigrate, Model, SourceText,
    migrate_mission, parse_model,
};

#[path = "support/model_gen.rs"]
mod model_gen;

fn model(per_phase: usize) -> Model {
    let text = model_gen::generated_model(4, per_phase);
    parse_model(SourceText::new("generated.yaml", text.as_str()), &MemModelFiles::default()).expect("valid model")
}

fn migrate(c: &mut Criterion) {
    let (old, new) = (model(50), model(51));
    assert_eq!(old.actions().len(), 200);
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).expect("valid spec");
    let input = serde_json::json!({
        "client": "Generated SA", "start": "2026-01-05", "closing": "2026-12-18",
        "people": {"partner": ["Anne"], "manager": ["Pieter", "Sofie"], "staff": ["Tom", "Léa", "Karim", "Julie"]}
    });
    let actions: Vec<serde_json::Value> =
        old.actions().iter().take(80).map(|a| serde_json::json!({"id": a.id, "done_on": "2026-06-01"})).collect();
    let state = serde_json::json!({"actions": actions, "key_points": []});
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 10).expect("a date");
    let mission = MissionToMigrate {
        from: &old,
        to: &new,
        input: &input,
        state: Some(&state),
        from_calendar: &cal,
        to_calendar: &cal,
        as_of,
    };
    let req = MigrationRequest::default();
    let once = migrate_mission(&mission, &req, Lang::En);
    assert!(once.applicable(), "{:?}", once.problems);
    assert_eq!(once.added.len(), 4);

    c.bench_function("migrate: dry run of one mission, 200 actions", |b| {
        b.iter(|| black_box(migrate_mission(black_box(&mission), &req, Lang::En)))
    });
    let mut group = c.benchmark_group("migrate");
    group.sample_size(10);
    group.bench_function("1000 missions of one model, 200 actions", |b| {
        b.iter(|| {
            for _ in 0..1000 {
                black_box(migrate_mission(black_box(&mission), &req, Lang::En));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, migrate);
criterion_main!(benches);
