//! The sandboxed rhai runtime a pack's scripts run in. It starts from a raw engine and adds only
//! what rules need: core language, arithmetic on exact decimals, strings, arrays and maps, plus
//! the engine's own helpers (dates, instants, business calendar, labels, money; see
//! [`crate::helpers`]). Scripts have no file, module, clock or network access, and every resource
//! is bounded by [`ScriptLimits`].

use std::sync::Arc;

use rhai::Engine;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage, BasicMathPackage,
    BasicStringPackage, LanguageCorePackage, MoreStringPackage, Package,
};

use crate::context::PackContext;
use crate::helpers;
use crate::limits::ScriptLimits;

/// Build the engine for one pack. Built once per pack version and shared by every evaluation.
pub(crate) fn build_engine(limits: &ScriptLimits, ctx: Arc<PackContext>) -> Engine {
    let mut engine = standard_engine(limits);
    helpers::register(&mut engine, &ctx);
    engine
}

/// The sandbox with rhai's standard packages and the limits, before the engine's own helpers.
pub(crate) fn standard_engine(limits: &ScriptLimits) -> Engine {
    let mut engine = Engine::new_raw();
    // One module for all the standard packages: every function call that misses the cache looks
    // in each global module in turn, once per `Dynamic` parameter combination.
    // rhai's `CorePackage` without its debugging functions (`back_trace`): the debugger is for
    // coverage runs, not for scripts.
    let mut std = rhai::Module::new();
    for package in [
        LanguageCorePackage::new().as_shared_module(),
        ArithmeticPackage::new().as_shared_module(),
        BasicStringPackage::new().as_shared_module(),
        BasicIteratorPackage::new().as_shared_module(),
        BasicFnPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
    ] {
        std.combine_flatten(rhai::Shared::unwrap_or_clone(package));
    }
    std.build_index();
    engine.register_global_module(std.into());

    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(limits.max_variables)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true);
    // `eval` would compile code at run time, outside the pack's validated scripts.
    engine.disable_symbol("eval");

    engine.on_print(|s| tracing::info!(target: "missions::script", "{s}"));
    engine.on_debug(|s, src, pos| tracing::debug!(target: "missions::script", source = src.unwrap_or(""), %pos, "{s}"));
    engine
}
