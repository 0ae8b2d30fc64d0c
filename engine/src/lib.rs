#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
//!
//! This crate is the facade embedders depend on: it re-exports the engine's crates, each of which
//! has one job (see `docs/architecture.md`).
//!
//! | crate | job |
//! |---|---|
//! | [`missions_base`] | diagnostics, languages, YAML with positions and limits, the input value tree |
//! | [`missions_calendar`] | the business calendar and Belgian holidays |
//! | [`missions_money`] | invoice lines, VAT regimes, EN 16931 totals and rounding, surcharge bands, labels per language |
//! | [`missions_rules`] | rule packs, the sandboxed rhai runtime, direct evaluation, and the helpers joining money and the calendar to scripts |
//! | [`missions_models`] | mission models: load, check, plan, dashboards |

pub use missions_base::catalogue;
pub use missions_base::diag::Said;
pub use missions_base::lang::Lang;
pub use missions_base::said;
pub use missions_base::{
    Diagnostic, Diagnostics, Location, Severity, SourceText, SpanIndex, YamlLimits, clip, did_you_mean,
};
pub use missions_calendar::*;
pub use missions_models::{
    Action, ActionState, ActionStatus, Dashboard, DayUnit, Direction, Document, Due, DueAction, EntryKind, Escalation,
    FsModelFiles, Input, KeyPointFigures, KeyPointKind, KeyPointSeverity, KeyPointState, KindFigures, Label,
    MAX_EXTENDS_DEPTH, MODEL_MAX_BYTES, MappedAction, MemModelFiles, MigrationBody, MigrationRequest, MissionChanges,
    MissionDate, MissionState, MissionToMigrate, Model, ModelChange, ModelEntry, ModelFiles, MovedAction, OpenKeyPoint,
    Orphan, PersonLoad, Phase, PhaseProgress, PhasedAction, Plan, PlanInput, PlannedAction, Progress, RedatedAction,
    Risk, Role, SeverityCount, Team, Week, dashboard, dashboard_json, diff_models, input_schema, load_model,
    looks_like_model, migrate_mission, model_schema, parse_model, plan, plan_json, read_input, validate_model,
};
pub use missions_rules::{
    AdjustError, CASE_FILE_SCHEMA, CaseFileReport, CaseFilter, CaseInput, CaseResult, CaseUpdate, ChangedOutput,
    Coverage, DiffKind, EntryImpact, EvalError, EvalOptions, Evaluation, FieldChange, FieldDiff, FileUpdate,
    ImpactLimits, ImpactReport, InputError, InputProblem, Invoice, InvoiceAdjuster, InvoiceError, InvoiceLine,
    InvoiceNote, Labels, LineAdjustment, LineChange, MAX_PERIOD_DAYS, MoneyChange, MoneyImpact, MoneyTotals,
    NotReplayed, Output, PACK_FILE_SCHEMA, Pack, PackId, PackSet, PluginEval, QuoteDraft, ReplayInput, ScriptCoverage,
    ScriptLimits, Segment, StatusChange, SurchargeBands, SurchargeError, VatError, VatRegime, VatSubtotal, case_files,
    case_inputs, decimal_point, impact, is_eu_member, is_iso_country, pack_coverage, run_case_file,
    run_case_file_matching, run_pack_cases, run_plugin_cases, update_case_file,
};

/// The crates behind this facade, for what it does not re-export by name.
pub mod crates {
    pub use missions_base as base;
    pub use missions_calendar as calendar;
    pub use missions_models as models;
    pub use missions_money as money;
    pub use missions_rules as rules;
}
