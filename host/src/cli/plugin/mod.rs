//! `missions plugin …`: check a partner's component, and enable, disable or list a tenant's
//! plugins in the store. `args.rs` holds the `--plugin`, `--plugin-config` and `--tenant` flags
//! the evaluating commands share.

use missions_plugins::{LoadError, Plugin};

use super::io::{Failure, Streams, exit_code};

pub(crate) mod args;
mod check;
mod disable;
mod enable;
mod list;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Load a component as the host would: its world version, hooks, imports and exports, or
    /// why it is refused (exit 1)
    Check(check::Args),
    /// Enable a plugin for a tenant, with its configuration and limits (replaces the tenant's
    /// plugin of the same name)
    Enable(enable::Args),
    /// Disable a tenant's plugin
    Disable(disable::Args),
    /// List a tenant's plugins
    List(list::Args),
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let result = match a.command {
        Command::Check(a) => check::run(a, s),
        Command::Enable(a) => enable::run(a, s),
        Command::Disable(a) => disable::run(a, s),
        Command::List(a) => list::run(a, s),
    };
    match result {
        Ok(()) => super::EXIT_OK,
        Err(f) => exit_code(f, s),
    }
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

/// The line that says a plugin's call failed: which plugin, which hook, why (the error says how
/// to fix it, or whom to ask).
pub(crate) fn call_error_message(
    plugin: &missions_plugins::TenantPlugin,
    hook: missions_plugins::Hook,
    e: &missions_plugins::PluginError,
) -> String {
    format!("plugin `{}` failed in `{hook}`: {e}", plugin.name())
}

/// Print why a plugin's call failed (exit 1): the message on stderr, and with `--json` the error
/// object (`kind`, `plugin`, `hook`, `code`, `message`, `messages` in fr, nl and en) on stdout.
pub(crate) fn report_call_error(
    s: &mut Streams<'_>,
    json: bool,
    plugin: &missions_plugins::TenantPlugin,
    hook: missions_plugins::Hook,
    e: &missions_plugins::PluginError,
) -> Failure {
    let message = call_error_message(plugin, hook, e);
    let _ = writeln!(s.stderr, "error: {message}");
    if json {
        let error = serde_json::json!({"kind": "plugin", "plugin": plugin.name(), "hook": hook.as_str(),
            "code": e.code(), "message": message, "messages": e.messages()});
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "error": error }));
    }
    Failure::Reported
}
