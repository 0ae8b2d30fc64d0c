//! Test guest: a plugin built against `missions:plugin@0.1.1` (the copy in `wit/`, the 0.1.0
//! contract under a later patch version), as a partner with a newer SDK would build it. A host
//! that speaks 0.1.x must load it and call it: its imports and exports are `…@0.1.1`.
#![no_std]

extern crate alloc;

use alloc::vec;
use alloc::vec::Vec;
// Its allocator and panic handler, which a no_std component needs.
use missions_plugin_sdk as _;

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::missions::plugin::guest::{
    Adjustment, Dashboard, Figure, Guest, Model, ModelDiagnostic, PluginError, PluginInfo, Quote,
};
use missions::plugin::host::{self, Level};
use missions::plugin::types::{Hook, Label};

struct LaterPatch;

impl Guest for LaterPatch {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "later-patch".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            hooks: vec![Hook::AdjustQuote],
            description: Label {
                fr: "Construit pour le contrat 0.1.1.".into(),
                nl: "Gebouwd voor het contract 0.1.1.".into(),
                en: "Built for the 0.1.1 contract.".into(),
            },
        }
    }

    fn adjust_quote(quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        host::log(Level::Debug, "later-patch called", &[]);
        Err(PluginError {
            code: "observed".into(),
            message: Label {
                fr: alloc::format!("{} lignes", quote.lines.len()),
                nl: alloc::format!("{} lijnen", quote.lines.len()),
                en: alloc::format!("{} lines", quote.lines.len()),
            },
        })
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        Ok(Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        Ok(Vec::new())
    }
}

export!(LaterPatch);
