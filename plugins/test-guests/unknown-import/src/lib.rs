//! Test guest: the 0.1.0 world plus an import of an interface the host has never heard of,
//! `acme:outside/files`, to read a file with. The host must refuse it at load and name the import.
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
// Its allocator and panic handler, which a no_std component needs.
use missions_plugin_sdk as _;

wit_bindgen::generate!({
    inline: "
        package acme:outside;
        interface files {
            read: func(path: string) -> string;
        }
        world unknown {
            include missions:plugin/plugin@0.1.0;
            import files;
        }
    ",
    path: "../../wit",
    world: "acme:outside/unknown",
    generate_all,
});

use exports::missions::plugin::guest::{
    Adjustment, Dashboard, Figure, Guest, Model, ModelDiagnostic, PluginError, PluginInfo, Quote,
};
use missions::plugin::host::{self, Level};
use missions::plugin::types::{Hook, Label};

struct UnknownImport;

impl Guest for UnknownImport {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "unknown-import".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            hooks: vec![Hook::AdjustQuote],
            description: Label {
                fr: "Lit des fichiers.".into(),
                nl: "Leest bestanden.".into(),
                en: "Reads files.".into(),
            },
        }
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let secrets = acme::outside::files::read("/etc/passwd");
        host::log(Level::Info, &format!("{} bytes of secrets", secrets.len()), &[]);
        Ok(Vec::new())
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        Ok(Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        Ok(Vec::new())
    }
}

export!(UnknownImport);
