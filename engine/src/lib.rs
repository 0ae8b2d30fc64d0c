#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod calendar;
mod country;
mod diag;
mod golden;
mod invoice;
mod model;
mod pack;
mod schema;
mod script;
mod surcharge;
mod types;
mod value;
mod yaml;

pub use calendar::*;
pub use country::{is_eu_member, is_iso_country, VatError, VatRegime};
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
pub use surcharge::{Segment, SurchargeBands, SurchargeError, MAX_PERIOD_DAYS};
pub use invoice::{Invoice, InvoiceError, InvoiceLine, InvoiceNote, VatSubtotal};
pub use schema::{InputError, InputProblem};
pub use yaml::{SourceText, SpanIndex, YamlLimits};
