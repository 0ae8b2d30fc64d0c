//! `missions plugin enable --tenant T FILE.wasm [--config JSON] [--deadline-ms N] [--memory-mib N]
//! [--fuel N] [--db URL]`: check the component, then store it as the tenant's plugin.

use missions_store::PluginLimits;
use std::path::PathBuf;

use super::support::{json_arg, open_store, report_load_error};
use crate::cli::io::{Failure, Streams, print_json};
use crate::service::plugins::TenantPluginError;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The tenant
    #[arg(long, value_name = "TENANT")]
    tenant: String,
    /// The component (`.wasm`)
    file: PathBuf,
    /// The tenant's configuration of the plugin: inline JSON or `@file` (default `{}`)
    #[arg(long, value_name = "JSON", default_value = "{}")]
    config: String,
    /// Deadline of each call, in milliseconds (default 50)
    #[arg(long, value_name = "MS")]
    deadline_ms: Option<u64>,
    /// Memory cap, in MiB (default 32)
    #[arg(long, value_name = "MIB")]
    memory_mib: Option<u64>,
    /// Fuel of each call, a deterministic cost meter (default unlimited)
    #[arg(long, value_name = "UNITS")]
    fuel: Option<u64>,
    /// The store
    #[arg(long, value_name = "URL", default_value = "sqlite://./data/missions.db")]
    db: String,
    /// Print one JSON document
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> Result<(), Failure> {
    let config = json_arg("`--config`", &a.config)?;
    let wasm =
        std::fs::read(&a.file).map_err(|e| Failure::Usage(format!("cannot read `{}`: {e}", a.file.display())))?;
    let store = open_store(&a.db)?;
    let limits = PluginLimits { deadline_ms: a.deadline_ms, memory_mib: a.memory_mib, fuel: a.fuel };
    match crate::service::plugins::enable(&*store, &a.tenant, &wasm, config, limits, chrono::Utc::now()) {
        Ok((record, created)) => {
            if a.json {
                print_json(s, &serde_json::json!({"tenant": a.tenant, "plugin": record, "created": created}));
            } else {
                let verb = if created { "enabled" } else { "replaced" };
                let _ = writeln!(s.stdout, "{verb}: {} {} for tenant `{}`", record.name, record.version, a.tenant);
            }
            Ok(())
        }
        Err(TenantPluginError::Load(e)) => Err(report_load_error(s, a.json, &e)),
        Err(e) => Err(Failure::Usage(e.to_string())),
    }
}
