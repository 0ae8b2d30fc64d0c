//! placeholder facade, filled in below
#![deny(missing_docs)]

mod calendar;
mod diag;
mod model;
mod yaml;

pub use calendar::*;
pub use diag::{did_you_mean, Diagnostic, Diagnostics, Location, Severity};
pub use yaml::{SourceText, SpanIndex, YamlLimits};
