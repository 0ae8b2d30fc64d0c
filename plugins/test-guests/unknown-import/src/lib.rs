//! Test guest: the 0.1.0 world, but built with Rust's standard library instead of a `no_std`
//! runtime, and reading an environment variable and a file. Its component therefore imports WASI
//! interfaces (`wasi:cli/environment`, `wasi:filesystem/…`, `wasi:io/…` and more) that the host
//! does not offer: the host must refuse it at load and name the import.

wit_bindgen::generate!({ world: "plugin", path: "../../wit" });

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
                fr: "Lit l'environnement et les fichiers.".into(),
                nl: "Leest de omgeving en bestanden.".into(),
                en: "Reads the environment and files.".into(),
            },
        }
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let home = std::env::var("HOME").unwrap_or_default();
        let secrets = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        host::log(Level::Info, &format!("HOME={home}, {} bytes of secrets", secrets.len()), &[]);
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
