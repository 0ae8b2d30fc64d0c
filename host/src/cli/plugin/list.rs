//! `missions plugin list --tenant T [--db URL] [--json]`: a tenant's plugins, in the order they run.

use super::support::open_store;
use crate::cli::io::{Failure, Streams, print_json};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The tenant
    #[arg(long, value_name = "TENANT")]
    tenant: String,
    /// The store
    #[arg(long, value_name = "URL", default_value = "sqlite://./data/missions.db")]
    db: String,
    /// Print one JSON document
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> Result<(), Failure> {
    let store = open_store(&a.db)?;
    let plugins = store.plugins(&a.tenant).map_err(|e| Failure::Usage(e.to_string()))?;
    if a.json {
        print_json(s, &serde_json::json!({"tenant": a.tenant, "plugins": plugins}));
        return Ok(());
    }
    if plugins.is_empty() {
        let _ = writeln!(s.stdout, "tenant `{}` has no plugins", a.tenant);
    }
    for p in &plugins {
        let short = p.digest.get(..12).unwrap_or(&p.digest);
        let _ = writeln!(
            s.stdout,
            "{} {}  sha256 {short}…  config {}  limits {}",
            p.name,
            p.version,
            p.config,
            serde_json::json!(p.limits)
        );
    }
    Ok(())
}
