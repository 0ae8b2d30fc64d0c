//! Rule packs: a folder of YAML parameters, labels, rhai scripts and golden cases, loaded once and
//! evaluated many times. This crate holds the pack manifest and loader, the sandboxed rhai runtime
//! with its limits and helpers, direct evaluation of the entries that use the common part of the
//! language, and what joins the money scripts compute with (the `missions-money` crate: invoice
//! lines, VAT regimes, EN 16931 totals, surcharge bands) to the script's values.
//!
//! Modules import downwards only (a test in `tests/architecture.rs` checks it):
//! `pack`, `golden` → `direct` → `script` → `helpers` → `money` → `value_json`, `context`,
//! `error` → `schema`, `template`, `limits`, `types`.
#![deny(missing_docs)]

mod context;
#[cfg(test)]
mod differential;
mod direct;
mod error;
mod golden;
mod helpers;
mod impact;
mod limits;
mod money;
#[cfg(test)]
mod op_limits;
mod pack;
mod schema;
mod script;
mod template;
#[cfg(test)]
mod test_support;
mod time_text;
mod types;
mod value_json;

pub use error::{EvalError, EvalOptions, Evaluation, PackId};
pub use golden::{
    CaseFileReport, CaseFilter, CaseInput, CaseResult, CaseUpdate, DiffKind, FieldDiff, FileUpdate, PluginEval,
    case_files, case_inputs, pack_coverage, run_case_file, run_case_file_matching, run_pack_cases, run_plugin_cases,
    update_case_file,
};
pub use impact::{
    ChangedOutput, EntryImpact, FieldChange, ImpactLimits, ImpactReport, MoneyChange, MoneyImpact, MoneyTotals,
    NotReplayed, ReplayInput, StatusChange, impact,
};
pub use limits::ScriptLimits;

/// The JSON Schema of `pack.yaml`, for editors (`missions schema pack`; the shipped packs point
/// to `rules/schemas/pack.schema.json`).
pub const PACK_FILE_SCHEMA: &str = include_str!("../../../rules/schemas/pack.schema.json");
/// The JSON Schema of golden case files (`missions schema cases`).
pub const CASE_FILE_SCHEMA: &str = include_str!("../../../rules/schemas/cases.schema.json");
pub use missions_base::json::Output;
pub use missions_base::schema::{InputError, InputProblem};
pub use money::{
    AdjustError, Invoice, InvoiceAdjuster, InvoiceError, InvoiceLine, InvoiceNote, LineAdjustment, LineChange,
    MAX_PERIOD_DAYS, QuoteDraft, Segment, SurchargeBands, SurchargeError, VatError, VatRegime, VatSubtotal,
    is_eu_member, is_iso_country,
};
pub use pack::{Coverage, Pack, PackSet, ScriptCoverage};
pub use template::{Labels, decimal_point};
