//! Test guest: every hook fails hard. `adjust-quote` panics (the SDK's panic handler logs the
//! message through the host, then traps), `lint-model` executes `unreachable` directly, and
//! `dashboard-figures` divides by zero, which Rust checks: it panics too, so all three end in the
//! `unreachable` trap. The host must report each as an error and serve the next call.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use missions_plugin_sdk::{
    Adjustment, Dashboard, Figure, Hook, Label, Model, ModelDiagnostic, Plugin, PluginError, PluginInfo, Quote,
    export_plugin,
};

struct Trap;

impl Plugin for Trap {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "trap",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote, Hook::LintModel, Hook::DashboardFigures],
            Label::new("Plante.", "Crasht.", "Crashes."),
        )
    }

    fn adjust_quote(quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        panic!("trap: refusing quote {} with a panic", quote.entry)
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        #[cfg(target_arch = "wasm32")]
        core::arch::wasm32::unreachable();
        #[cfg(not(target_arch = "wasm32"))]
        unreachable!()
    }

    fn dashboard_figures(dashboard: Dashboard) -> Result<Vec<Figure>, PluginError> {
        // Zero, hidden from the compiler so that the division happens at run time.
        let zero = core::hint::black_box(0u32);
        let _ = core::hint::black_box(dashboard.done_actions / zero);
        Ok(Vec::new())
    }
}

export_plugin!(Trap);
