//! The tenant's configuration of the plugin.
//!
//! ESOMUS enables a plugin for a tenant with a JSON configuration (`missions quote --plugin FILE
//! --plugin-config JSON` does the same on the command line). Its format is the plugin's own:
//! describe it as a type deriving `serde::Deserialize` and read it with [`config`].

use alloc::format;
use alloc::string::String;

use serde::de::DeserializeOwned;

use crate::bindings::missions::plugin::host;
use crate::{Label, PluginError};

/// The configuration as the host gave it: JSON text, `{}` when the tenant has none.
pub fn config_json() -> String {
    host::config()
}

/// The configuration parsed as `T`; `Err` with code `config.invalid` and serde's explanation
/// when it does not fit. Give `T` `#[serde(default)]` fields so that `{}` is a valid
/// configuration when the plugin can do without one.
pub fn config<T: DeserializeOwned>() -> Result<T, PluginError> {
    parse(&config_json())
}

/// Parse `json` as a configuration of type `T` (what [`config`] does with the host's text).
pub fn parse<T: DeserializeOwned>(json: &str) -> Result<T, PluginError> {
    serde_json::from_str(json).map_err(|e| {
        PluginError::new(
            "config.invalid",
            Label::new(
                format!("La configuration du plugin n'est pas valide : {e}"),
                format!("De configuratie van de plugin is ongeldig: {e}"),
                format!("The plugin's configuration is not valid: {e}"),
            ),
        )
    })
}
