//! A small schema language, written in `pack.yaml`, that types entry inputs and parameter files.
//! It turns an untyped tree (JSON as serde_json parsed it, or a [`Node`](missions_base::value::Node)
//! read from YAML; see [`Tree`]) into the script's values (Decimal, Date, Instant …) and reports
//! every problem with its path, so a request with three mistakes gets three precise errors.

mod check;
mod def;
mod json_schema;
mod mask;
mod problem;
#[cfg(test)]
mod tests;
mod tree;
mod types;

pub(crate) use check::{any_to_dynamic, check, parse_date, parse_instant};
pub(crate) use def::{DefError, compile_fields};
pub(crate) use json_schema::{json_schema, yaml_schema};
pub(crate) use mask::{has_personal, mask};
pub use problem::{InputError, InputProblem};
pub(crate) use tree::Tree;
pub(crate) use types::{Field, Type};
