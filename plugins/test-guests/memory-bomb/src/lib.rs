//! Test guest: every hook allocates memory, one MiB at a time, and keeps it. The host's memory cap
//! (32 MiB by default) must stop it: the linear memory cannot grow, the allocation fails and the
//! instance traps.
//!
//! It stops by itself at `mebibytes` (configuration `{"mebibytes": 64}`, the default) and then
//! answers no change, so that a host without a cap is caught by a test expecting an error
//! instead of exhausting the machine.
#![no_std]

extern crate alloc;

use alloc::vec;
use alloc::vec::Vec;
use missions_plugin_sdk::{
    Adjustment, Dashboard, Figure, Hook, Label, Model, ModelDiagnostic, Plugin, PluginError, PluginInfo, Quote, config,
    export_plugin, log,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(default)]
struct Config {
    mebibytes: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config { mebibytes: 64 }
    }
}

struct MemoryBomb;

fn hoard() -> Result<(), PluginError> {
    let config: Config = config::config()?;
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    for i in 0..config.mebibytes {
        // Write every page so that no allocator or optimiser can leave the memory untouched.
        let chunk = vec![(i % 251) as u8 + 1; 1 << 20];
        hoard.push(core::hint::black_box(chunk));
    }
    core::hint::black_box(&hoard);
    log::warn("allocated every MiB asked for: the host set no lower memory cap");
    Ok(())
}

impl Plugin for MemoryBomb {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "memory-bomb",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote, Hook::LintModel, Hook::DashboardFigures],
            Label::new("Épuise la mémoire.", "Put het geheugen uit.", "Exhausts memory."),
        )
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        hoard().map(|()| Vec::new())
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        hoard().map(|()| Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        hoard().map(|()| Vec::new())
    }
}

export_plugin!(MemoryBomb);
