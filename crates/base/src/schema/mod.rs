//! A small schema language, written in YAML (`pack.yaml`'s `input:`, a parameter file's schema,
//! the inputs of a mission model's plan and dashboard), that types inputs. It reads an untyped
//! tree in place (JSON as serde_json parsed it, or a [`Node`](crate::value::Node) read from YAML;
//! see [`Tree`]), builds the typed value the caller asks for (see [`Build`]) and reports every
//! problem with its path and its message in fr, nl and en, so a request with three mistakes gets
//! three precise errors, the same on every route.

mod check;
mod def;
mod instant;
mod json_schema;
mod mask;
mod problem;
mod tree;
mod types;

pub use check::{
    Build, CheckOnly, Json, MAX_YEAR, MIN_YEAR, check, check_rows, in_range, parse_date, parse_decimal, parse_instant,
};
pub use def::{DefError, FieldDef, compile_fields};
pub use json_schema::{json_schema, yaml_schema};
pub use mask::{has_personal, mask};
pub use problem::{InputError, InputProblem};
pub use tree::{Num, Shape, Tree};
pub use types::{Atom, Field, Type};
