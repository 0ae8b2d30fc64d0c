//! Test guest: every hook loops forever. The host's epoch deadline (50 ms by default) must stop
//! the call with a clear error, and the next call must succeed. `describe` answers normally, so
//! that the host loads the plugin and reaches the hooks.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use missions_plugin_sdk::{
    Adjustment, Dashboard, Figure, Hook, Label, Model, ModelDiagnostic, Plugin, PluginError, PluginInfo, Quote,
    export_plugin,
};

struct InfiniteLoop;

/// Spin without end. `black_box` keeps the compiler from proving the loop useless.
fn spin() -> ! {
    let mut n: u64 = 0;
    loop {
        n = core::hint::black_box(n.wrapping_add(1));
    }
}

impl Plugin for InfiniteLoop {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "infinite-loop",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote, Hook::LintModel, Hook::DashboardFigures],
            Label::new("Boucle sans fin.", "Lust zonder einde.", "Loops forever."),
        )
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        spin()
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        spin()
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        spin()
    }
}

export_plugin!(InfiniteLoop);
