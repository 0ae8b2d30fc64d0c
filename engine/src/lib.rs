//! placeholder facade, filled in below
#![deny(missing_docs)]

mod calendar;
mod diag;
mod golden;
mod model;
mod pack;
mod schema;
mod script;
mod types;
mod value;
mod yaml;

pub use calendar::*;
pub use diag::{did_you_mean, Diagnostic, Diagnostics, Location, Severity};
pub use golden::{case_files, run_case_file, run_pack_cases, CaseFileReport, CaseResult};
pub use model::{
    dashboard, dashboard_json, load_model, looks_like_model, model_schema, parse_model, plan, plan_json, validate_model, Action,
    ActionState, ActionStatus, Dashboard, DayUnit, Direction, Document, Due, DueAction, Escalation, FsModelFiles, KeyPointFigures,
    KeyPointKind, KeyPointSeverity, KeyPointState, KindFigures, Label, MemModelFiles, MissionDate, MissionState, Model, ModelEntry,
    ModelFiles, OpenKeyPoint, PersonLoad, Phase, PhaseProgress, Plan, PlanInput, PlannedAction, Progress, Risk, Role, SeverityCount, Team, Week,
    MAX_EXTENDS_DEPTH, MODEL_MAX_BYTES,
};
pub use pack::{EvalError, EvalOptions, Evaluation, Pack, PackId, PackSet};
pub use script::{Labels, ScriptLimits};
pub use schema::{InputError, InputProblem};
pub use yaml::{SourceText, SpanIndex, YamlLimits};
