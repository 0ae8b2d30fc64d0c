//! Mission-model speed on a generated model of 2 000 actions (20 phases of 100, each action
//! labelled in three languages, with a document, dependencies and a temporality). Targets:
//! validate (read the YAML and check it) < 50 ms, plan < 20 ms, dashboard < 5 ms.

#![expect(clippy::expect_used, reason = "a benchmark aborts when its setup fails")]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use missions_engine::{
    Calendar, CalendarSpec, MemModelFiles, MissionState, Model, PlanInput, SourceText, dashboard, parse_model, plan,
};

const PHASES: usize = 20;
const PER_PHASE: usize = 100;

#[path = "support/model_gen.rs"]
mod model_gen;

fn generated_model() -> String {
    model_gen::generated_model(PHASES, PER_PHASE)
}

fn mission() -> serde_json::Value {
    serde_json::json!({
        "client": "Generated SA", "start": "2026-01-05", "closing": "2026-12-18",
        "people": {"partner": ["Anne"], "manager": ["Pieter", "Sofie"], "staff": ["Tom", "Léa", "Karim", "Julie"]}
    })
}

fn models(c: &mut Criterion) {
    let text = generated_model();
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).expect("valid spec");
    let files = MemModelFiles::default();
    let load = || parse_model(SourceText::new("generated.yaml", text.as_str()), &files);
    let model: Model = load().expect("the generated model is valid");
    assert_eq!(model.actions().len(), PHASES * PER_PHASE);
    assert!(model.warnings().0.is_empty(), "{}", model.warnings());

    let input = PlanInput::from_json(&mission()).expect("valid input");
    // Warm the calendar's year tables.
    plan(&model, &input, &cal).expect("plans");

    let actions: Vec<serde_json::Value> = (0..800)
        .map(|n| serde_json::json!({"id": format!("action-{n}"), "done_on": "2026-06-01"}))
        .chain((800..900).map(|n| serde_json::json!({"id": format!("action-{n}"), "status": "in_progress"})))
        .collect();
    let key_points: Vec<serde_json::Value> = (0..50)
        .map(|k| {
            serde_json::json!({"id": format!("KP-{k}"), "kind": "anomaly", "severity": if k % 2 == 0 { "minor" } else { "major" },
                               "raised_on": "2026-06-01", "action": format!("action-{}", 800 + k)})
        })
        .collect();
    let state = MissionState::from_json(&serde_json::json!({
        "as_of": "2026-06-10", "mission": mission(), "actions": actions, "key_points": key_points,
    }))
    .expect("valid state");
    dashboard(&model, &state, &cal).expect("computes");

    c.bench_function("models: validate 2000 actions (YAML read + checks)", |b| b.iter(|| black_box(load())));
    c.bench_function("models: plan 2000 actions", |b| b.iter(|| black_box(plan(&model, black_box(&input), &cal))));
    c.bench_function("models: dashboard 2000 actions", |b| {
        b.iter(|| black_box(dashboard(&model, black_box(&state), &cal)))
    });
}

criterion_group!(benches, models);
criterion_main!(benches);
