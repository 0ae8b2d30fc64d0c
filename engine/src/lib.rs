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
pub use pack::{EvalError, EvalOptions, Evaluation, Pack, PackId, PackSet};
pub use script::{Labels, ScriptLimits};
pub use schema::{InputError, InputProblem};
pub use yaml::{SourceText, SpanIndex, YamlLimits};
