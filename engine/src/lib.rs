#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod adjust;
mod calendar;
mod country;
mod diag;
mod direct;
mod golden;
mod invoice;
mod model;
mod output;
mod pack;
mod schema;
mod script;
mod surcharge;
mod template;
mod types;
mod value;
mod yaml;

pub use adjust::{AdjustError, InvoiceAdjuster, LineAdjustment, LineChange, QuoteDraft};
pub use calendar::*;
pub use country::{VatError, VatRegime, is_eu_member, is_iso_country};
pub use diag::{Diagnostic, Diagnostics, Location, Severity, did_you_mean};
pub use golden::{CaseFileReport, CaseResult, case_files, run_case_file, run_pack_cases};
pub use invoice::{Invoice, InvoiceError, InvoiceLine, InvoiceNote, VatSubtotal};
pub use model::{
    Action, ActionState, ActionStatus, Dashboard, DayUnit, Direction, Document, Due, DueAction, Escalation,
    FsModelFiles, KeyPointFigures, KeyPointKind, KeyPointSeverity, KeyPointState, KindFigures, Label,
    MAX_EXTENDS_DEPTH, MODEL_MAX_BYTES, MemModelFiles, MissionDate, MissionState, Model, ModelEntry, ModelFiles,
    OpenKeyPoint, PersonLoad, Phase, PhaseProgress, Plan, PlanInput, PlannedAction, Progress, Risk, Role,
    SeverityCount, Team, Week, dashboard, dashboard_json, load_model, looks_like_model, model_schema, parse_model,
    plan, plan_json, validate_model,
};
pub use output::Output;
pub use pack::{EvalError, EvalOptions, Evaluation, Pack, PackId, PackSet};
pub use schema::{InputError, InputProblem};
pub use script::{Labels, ScriptLimits};
pub use surcharge::{MAX_PERIOD_DAYS, Segment, SurchargeBands, SurchargeError};
pub use yaml::{SourceText, SpanIndex, YamlLimits};
