//! Test guest: describes itself and adjusts nothing. The host measures its per-call overhead
//! with it, so it does as little as a plugin can.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use missions_plugin_sdk::{Adjustment, Hook, Label, Plugin, PluginError, PluginInfo, Quote, export_plugin};

struct Noop;

impl Plugin for Noop {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "noop",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote],
            Label::new("Ne change rien.", "Verandert niets.", "Changes nothing."),
        )
    }

    fn adjust_quote(_quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        Ok(Vec::new())
    }
}

export_plugin!(Noop);
