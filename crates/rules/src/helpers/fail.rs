//! How a helper fails: a runtime error with a message, as rhai reports a script's own failures.

use rhai::{Dynamic, EvalAltResult, Position};

/// What a helper returns to rhai: a value, or a runtime error with its message.
pub(crate) type FnResult<T> = Result<T, Box<EvalAltResult>>;

/// A runtime error with a message, as rhai reports a script's own failures.
pub(crate) fn runtime(msg: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(msg.into()), Position::NONE))
}
