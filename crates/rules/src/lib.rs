//! Rule packs: a folder of YAML parameters, labels, rhai scripts and golden cases, loaded once and
//! evaluated many times. This crate holds the pack manifest and loader, the sandboxed rhai runtime
//! with its limits, direct evaluation of the entries that use the common part of the language,
//! the input schema language, and the money the scripts compute with (invoice lines, VAT regimes,
//! EN 16931 totals, surcharge bands).
#![deny(missing_docs)]

mod adjust;
mod country;
mod direct;
mod golden;
mod invoice;
mod output;
mod pack;
mod schema;
mod script;
mod surcharge;
mod template;
mod types;

pub use adjust::{AdjustError, InvoiceAdjuster, LineAdjustment, LineChange, QuoteDraft};
pub use country::{VatError, VatRegime, is_eu_member, is_iso_country};
pub use golden::{CaseFileReport, CaseResult, case_files, run_case_file, run_pack_cases};
pub use invoice::{Invoice, InvoiceError, InvoiceLine, InvoiceNote, VatSubtotal};
pub use output::Output;
pub use pack::{EvalError, EvalOptions, Evaluation, Pack, PackId, PackSet};
pub use schema::{InputError, InputProblem};
pub use script::{Labels, ScriptLimits};
pub use surcharge::{MAX_PERIOD_DAYS, Segment, SurchargeBands, SurchargeError};
