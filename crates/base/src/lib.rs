//! The vocabulary every other crate of the engine shares, and nothing domain-specific: located
//! diagnostics, the languages user-facing texts are written in, YAML read by hand-written-file
//! rules (bounded, strict, with the position of every value), and the untyped value tree inputs
//! and parameters arrive as.
#![deny(missing_docs)]

pub mod catalogue;
pub mod diag;
pub mod interrupt;
pub mod json;
pub mod lang;
pub mod path;
pub mod schema;
pub mod value;
pub mod yaml;

pub use diag::{Diagnostic, Diagnostics, Location, Severity, clip, did_you_mean};
pub use lang::Lang;
pub use value::Node;
pub use yaml::{SourceText, SpanIndex, YamlLimits};
