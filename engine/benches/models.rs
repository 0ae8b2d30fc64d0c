//! Mission-model speed on a generated model of 2 000 actions (20 phases of 100, each action
//! labelled in three languages, with a document, dependencies and a temporality). Targets:
//! validate (read the YAML and check it) < 50 ms, plan < 20 ms, dashboard < 5 ms.

#![expect(clippy::expect_used, reason = "a benchmark aborts when its setup fails")]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use missions_engine::{
    Calendar, CalendarSpec, MemModelFiles, MissionState, Model, PlanInput, SourceText, dashboard, parse_model, plan,
};

const PHASES: usize = 20;
const PER_PHASE: usize = 100;

/// A model as a Master would write it, only longer.
fn generated_model() -> String {
    let mut y = String::from(
        "id: generated\nlanguages: [fr, nl, en]\nlabel: {fr: Modèle généré, nl: Gegenereerd model, en: Generated model}\n\
         roles:\n  - id: partner\n    label: {fr: Associé, nl: Vennoot, en: Partner}\n\
         \x20 - id: manager\n    label: {fr: Manager, nl: Manager, en: Manager}\n    reports_to: partner\n\
         \x20 - id: staff\n    label: {fr: Collaborateur, nl: Medewerker, en: Staff member}\n    reports_to: manager\n\
         library:\n  objectives:\n    - id: quality\n      label: {fr: Qualité, nl: Kwaliteit, en: Quality}\n\
         \x20 risks:\n    - id: error\n      label: {fr: Erreur, nl: Fout, en: Error}\n      objectives: [quality]\n\
         key_points:\n  severities:\n    - id: minor\n      label: {fr: Mineure, nl: Gering, en: Minor}\n\
         \x20   - id: major\n      label: {fr: Majeure, nl: Ernstig, en: Major}\n      escalate_after: 5\n\
         \x20 kinds:\n    - id: anomaly\n      label: {fr: Anomalie, nl: Anomalie, en: Anomaly}\n      alert: [manager]\n\
         \x20     escalate_after: 10\n      escalate_to: [partner]\nphases:\n",
    );
    let roles = ["staff", "manager", "partner"];
    for p in 0..PHASES {
        writeln!(y, "  - id: phase-{p}\n    label: {{fr: Phase {p}, nl: Fase {p}, en: Phase {p}}}\n    actions:").ok();
        for a in 0..PER_PHASE {
            let n = p * PER_PHASE + a;
            writeln!(
                y,
                "      - id: action-{n}\n        role: {}\n        label: {{fr: Action numéro {n}, nl: Actie nummer {n}, en: Action number {n}}}\n\
                 \x20       documents:\n          - id: doc-{n}\n            label: {{fr: Document {n}, nl: Document {n}, en: Document {n}}}\n\
                 \x20           template: templates/doc-{n}.docx\n        objectives: [quality]\n        risks: [error]\n\
                 \x20       due: {} working days after start",
                roles[n % 3],
                n / 10 + 1,
            )
            .ok();
            if n > 0 {
                // A chain along the model, plus a reach back ten actions.
                let back = if n >= 10 { format!(", action-{}", n - 10) } else { String::new() };
                writeln!(y, "        depends_on: [action-{}{back}]\n        inputs: [doc-{}]", n - 1, n - 1).ok();
            }
        }
    }
    y
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
