//! Test guest: every hook recurses without end, each frame holding half a KiB, until the stack
//! runs out (Rust's shadow stack in linear memory, or the engine's own stack limit, whichever
//! comes first). Either way the instance traps; the host must report it and serve the next call.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use missions_plugin_sdk::{
    Adjustment, Dashboard, Figure, Hook, Label, Model, ModelDiagnostic, Plugin, PluginError, PluginInfo, Quote,
    export_plugin,
};

struct StackOverflow;

/// Never returns in practice: `depth` would have to reach `u64::MAX` first. `black_box` keeps
/// the frame's array and the recursion from being optimised into a loop.
#[inline(never)]
fn deeper(depth: u64) -> u64 {
    let frame = core::hint::black_box([depth; 64]);
    if depth == u64::MAX {
        return frame[0];
    }
    deeper(core::hint::black_box(depth + 1)).wrapping_add(frame[63])
}

impl Plugin for StackOverflow {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "stack-overflow",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote, Hook::LintModel, Hook::DashboardFigures],
            Label::new("Déborde la pile.", "Laat de stapel overlopen.", "Overflows the stack."),
        )
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        core::hint::black_box(deeper(0));
        Ok(Vec::new())
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        core::hint::black_box(deeper(0));
        Ok(Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        core::hint::black_box(deeper(0));
        Ok(Vec::new())
    }
}

export_plugin!(StackOverflow);
