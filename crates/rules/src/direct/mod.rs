//! Direct evaluation of an entry: the entry function's body, lowered once at load into a tree
//! whose variables are numbered slots and whose calls are bound to their Rust functions, then
//! walked on each evaluation.
//!
//! rhai's interpreter spends about 500 instructions on each operation of a quote: it resolves every
//! function call by hashing its name and argument types, looks variables up by name, and copies
//! every argument. The lowered tree does none of that. It covers the part of the language entries
//! use (variables, `if`, `while`, `for` over arrays, maps, arrays, arithmetic, comparisons and the
//! pricing helpers); an entry that uses anything else is not lowered and runs in rhai.
//!
//! The lowered tree is only ever a faster way to reach rhai's result. Whenever it meets something
//! it does not do exactly as rhai does (a type it does not handle, an overflow, a `throw`, a
//! `reject`, a limit), it gives up ([`Bail`]) and the pack runs the entry again in rhai, which
//! produces the result or the error with its message and position. Entries are pure functions of
//! their input and parameters, so running one twice is safe. The test `direct_matches_rhai` runs
//! every golden case of the shipped packs both ways and compares output, trace and error;
//! `tests/limits.rs` does the same for small scripts at the edges of rhai's semantics and for
//! every sandbox limit.

mod lower;
mod run;
#[cfg(test)]
mod tests;
mod tree;
mod uses;
mod values;

use std::sync::Arc;

pub(crate) use lower::lower;
use tree::St;

use crate::context::PackContext;
use crate::limits::ScriptLimits;

/// The lowered tree cannot give rhai's result for this evaluation; run it in rhai.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail;

/// A step of the walk, or [`Bail`].
type R<T> = Result<T, Bail>;

/// An entry function lowered for direct evaluation.
pub(crate) struct Direct {
    body: Vec<St>,
    slots: usize,
    ctx: Arc<PackContext>,
    /// The pack's limits, the same rhai enforces.
    limits: ScriptLimits,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct").field("statements", &self.body.len()).field("slots", &self.slots).finish()
    }
}
