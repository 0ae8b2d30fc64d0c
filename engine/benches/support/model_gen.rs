//! A mission model as a Master would write it, only longer: `phases` phases of `per_phase`
//! actions, each labelled in three languages, with a document, dependencies along the model and a
//! reach back ten actions, and a temporality. Shared by `engine/benches/models.rs` and the
//! growth measurements of `benches/compare` (included with `#[path]`).

use std::fmt::Write;

/// The model's YAML.
pub fn generated_model(phases: usize, per_phase: usize) -> String {
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
    for p in 0..phases {
        writeln!(y, "  - id: phase-{p}\n    label: {{fr: Phase {p}, nl: Fase {p}, en: Phase {p}}}\n    actions:").ok();
        for a in 0..per_phase {
            let n = p * per_phase + a;
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
