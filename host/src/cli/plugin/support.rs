//! What the plugin commands and the evaluating commands' `--plugin` flags share: loading a
//! plugin file, reading a JSON flag, opening the store, and reporting a plugin's failure.

use missions_plugins::{LoadError, Plugin};

use crate::cli::io::{Failure, Streams};

/// One of a tenant's plugins in a store, as `disable`, `history` and `rollback` name it.
#[derive(Debug, clap::Args)]
pub(crate) struct TenantPluginArgs {
    /// The tenant
    #[arg(long, value_name = "TENANT")]
    pub tenant: String,
    /// The plugin's name (`volume-discount`)
    pub name: String,
    /// The store
    #[arg(long, value_name = "URL", default_value = "sqlite://./data/missions.db")]
    pub db: String,
}

/// Print why a plugin is refused: the message on stderr, and with `--json` the error object
/// (`kind`, `code`, `message`, `messages` in fr, nl and en) on stdout.
pub(crate) fn report_load_error(s: &mut Streams<'_>, json: bool, e: &LoadError) -> Failure {
    let _ = writeln!(s.stderr, "error: {e}");
    if json {
        let error =
            serde_json::json!({"kind": "plugin", "code": e.code(), "message": e.to_string(), "messages": e.messages()});
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "error": error }));
    }
    Failure::Reported
}

/// Load the component in `path` with the process's plugin host.
pub(crate) fn load(path: &std::path::Path, s: &mut Streams<'_>, json: bool) -> Result<Plugin, Failure> {
    crate::service::plugins::plugin_host().and_then(|h| h.load_file(path)).map_err(|e| report_load_error(s, json, &e))
}

/// Read a JSON argument: inline, or `@file`.
pub(crate) fn json_arg(what: &str, text: &str) -> Result<serde_json::Value, Failure> {
    let text = match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read {what} file `{path}`: {e}")))?,
        None => text.to_owned(),
    };
    serde_json::from_str(&text).map_err(|e| Failure::Usage(format!("{what} is not valid JSON: {e}")))
}

/// Open the store of `--db`.
pub(crate) fn open_store(url: &str) -> Result<std::sync::Arc<dyn missions_store::Store>, Failure> {
    missions_store::open(url).map_err(|e| Failure::Usage(format!("{e}")))
}
