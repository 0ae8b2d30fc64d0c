//! The plugin flags of the evaluating commands: `--plugin FILE` (repeatable) with
//! `--plugin-config JSON` at the same position, or `--tenant T --db URL` for the plugins a
//! tenant enabled in the store. The plugins adjust an invoice entry's lines, in order.

use std::path::PathBuf;

use missions_plugins::{Limits, TenantPlugin};

use super::support::{json_arg, load, open_store};
use crate::cli::io::{Failure, Streams};

/// The tenant `--plugin` runs for, in its logs.
const CLI_TENANT: &str = "cli";

#[derive(Debug, Default, clap::Args)]
pub(crate) struct PluginArgs {
    /// Run the result through this plugin (a `.wasm` component); repeat for several, applied in order
    #[arg(long = "plugin", value_name = "FILE")]
    pub plugins: Vec<PathBuf>,
    /// The configuration of the `--plugin` at the same position: inline JSON or `@file` (default `{}`)
    #[arg(long = "plugin-config", value_name = "JSON")]
    pub configs: Vec<String>,
    /// Run the plugins this tenant enabled in the store of `--db`
    #[arg(long, value_name = "TENANT", conflicts_with = "plugins")]
    pub tenant: Option<String>,
    /// The store of `--tenant`
    #[arg(long, value_name = "URL", default_value = "sqlite://./data/missions.db", requires = "tenant")]
    pub db: String,
}

/// The plugins the flags name, bound to their configuration; errors are printed.
pub(crate) fn plugins(a: &PluginArgs, s: &mut Streams<'_>, json: bool) -> Result<Vec<TenantPlugin>, Failure> {
    if let Some(tenant) = &a.tenant {
        let store = open_store(&a.db)?;
        return crate::service::plugins::tenant_plugins(&*store, tenant).map_err(|e| Failure::Usage(e.to_string()));
    }
    if a.configs.len() > a.plugins.len() {
        return Err(Failure::Usage(format!(
            "{} `--plugin-config` for {} `--plugin`: give each configuration after its plugin",
            a.configs.len(),
            a.plugins.len()
        )));
    }
    a.plugins
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let config = match a.configs.get(i) {
                Some(c) => json_arg("`--plugin-config`", c)?,
                None => serde_json::json!({}),
            };
            Ok(load(path, s, json)?.bind(CLI_TENANT, &config, Limits::default()))
        })
        .collect()
}
