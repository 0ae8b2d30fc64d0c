//! How a helper fails: a runtime error with a message, as rhai reports a script's own failures.

use rhai::{Dynamic, EvalAltResult, Position};

/// What a helper returns to rhai: a value, or a runtime error with its message.
pub(crate) type FnResult<T> = Result<T, Box<EvalAltResult>>;

/// A runtime error with a message, as rhai reports a script's own failures.
pub(crate) fn runtime(msg: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(msg.into()), Position::NONE))
}

/// A calculation driven out of range by the input (a date past 2200, a duration too long): the
/// input's fault, reported as an input problem. The evaluation names the field when it can.
pub(crate) fn out_of_range(detail: impl std::fmt::Display) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(bounds_error(&detail.to_string())), Position::NONE))
}

/// The input problem of a calculation out of range, not yet tied to a field.
pub(crate) fn bounds_error(detail: &str) -> crate::schema::InputError {
    crate::schema::InputError {
        path: String::new(),
        problem: crate::schema::InputProblem::OutOfBounds { detail: missions_base::diag::clip(detail) },
    }
}
