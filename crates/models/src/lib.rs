//! Mission models: the YAML procedural models a firm's Master writes (phases, actions, roles,
//! temporalities, key points), checked with located diagnostics, planned into dated actions
//! with the business calendar, and evaluated into dashboard figures. Rhai and plugins play no part.
#![deny(missing_docs)]

mod check;
mod check_head;
mod ck;
mod dashboard;
mod draft;
mod due;
mod figures;
mod graph;
mod inputs;
mod load;
mod migrate;
mod plan;
mod raw;
mod state;
mod types;

use std::path::Path;

pub use dashboard::{dashboard, dashboard_json};
pub use due::{Direction, Due};
pub use figures::{
    Dashboard, DueAction, Escalation, KeyPointFigures, KindFigures, OpenKeyPoint, PersonLoad, PhaseProgress, Progress,
    SeverityCount, Team, Week,
};
pub use inputs::{Input, input_schema, read as read_input};
pub use load::{FsModelFiles, MAX_EXTENDS_DEPTH, MODEL_MAX_BYTES, MemModelFiles, ModelFiles};
pub use migrate::{
    EntryKind, MappedAction, MigrationBody, MigrationRequest, MissionChanges, MissionToMigrate, ModelChange,
    MovedAction, Orphan, PhasedAction, RedatedAction, diff_models, migrate_mission,
};
pub use plan::{Plan, PlanInput, PlannedAction, plan, plan_json};
pub use raw::DayUnit;
pub use state::{ActionState, ActionStatus, KeyPointState, MissionState};
pub use types::{
    Action, Document, KeyPointKind, KeyPointSeverity, Label, MissionDate, Model, ModelEntry, Phase, Risk, Role,
};

use missions_base::diag::Diagnostics;
use missions_base::yaml::{SourceText, YamlLimits};

/// The bounds every model file is read under.
fn limits() -> YamlLimits {
    YamlLimits { max_bytes: MODEL_MAX_BYTES, ..YamlLimits::default() }
}

/// Read, merge (`extends`) and check the model at `path`. On success the model carries its
/// warnings; on failure every problem found is returned, errors and warnings.
pub fn load_model(path: &Path) -> Result<Model, Diagnostics> {
    let src = SourceText::read(path, MODEL_MAX_BYTES)?;
    parse_model(src, &FsModelFiles)
}

/// Check a model whose text is already in memory; `files` finds the models it `extends`.
pub fn parse_model(src: SourceText, files: &dyn ModelFiles) -> Result<Model, Diagnostics> {
    let draft = load::load(src, files, limits()).map_err(Diagnostics)?;
    check::check(draft)
}

/// Every problem of the model at `path`, errors and warnings (empty when it is clean).
pub fn validate_model(path: &Path) -> Diagnostics {
    match load_model(path) {
        Ok(model) => model.warnings().clone(),
        Err(diags) => diags,
    }
}

/// Whether a YAML text looks like a mission model rather than a rule pack or a parameter file:
/// it has a top-level `phases:`, `roles:` or `extends:` key.
pub fn looks_like_model(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("phases:") || l.starts_with("roles:") || l.starts_with("extends:"))
}

/// The JSON Schema (draft 2020-12) of the model format, for editor completion and checks
/// (`# yaml-language-server: $schema=…` in a model file).
pub fn model_schema() -> serde_json::Value {
    schemars::schema_for!(raw::RawModel).to_value()
}
