//! `missions plugin history --tenant T NAME [--db URL] [--json]` and
//! `missions plugin rollback --tenant T NAME [--to N] [--db URL] [--json]`: every change to a
//! tenant's plugin, and enabling an earlier one again.

use missions_store::{PluginChange, PluginHistoryEntry};

use super::support::{TenantPluginArgs, open_store};
use crate::cli::io::{Failure, Streams, print_json};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    of: TenantPluginArgs,
    /// Print one JSON document
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RollbackArgs {
    #[command(flatten)]
    of: Args,
    /// The history entry to enable again (default: the one before the current state)
    #[arg(long, value_name = "N")]
    to: Option<u64>,
}

fn line(e: &PluginHistoryEntry) -> String {
    let p = &e.plugin;
    let short = p.digest.get(..12).unwrap_or(&p.digest);
    let what = match (e.change, e.restored) {
        (PluginChange::Enabled, _) => "enabled".to_owned(),
        (PluginChange::Disabled, _) => "disabled".to_owned(),
        (PluginChange::RolledBack, Some(seq)) => format!("rolled back to {seq}"),
        (PluginChange::RolledBack, None) => "rolled back".to_owned(),
    };
    format!(
        "{:>3}  {}  {what:<16} {} sha256 {short}…  config {}  limits {}",
        e.seq,
        p.enabled_at.format("%Y-%m-%d %H:%M:%S"),
        p.version,
        p.config,
        serde_json::json!(p.limits)
    )
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> Result<(), Failure> {
    let TenantPluginArgs { tenant, name, db } = &a.of;
    let store = open_store(db)?;
    let history = store.plugin_history(tenant, name).map_err(|e| Failure::Usage(e.to_string()))?;
    if history.is_empty() {
        let _ = writeln!(s.stderr, "error: tenant `{tenant}` never had a plugin `{name}`");
        return Err(Failure::Reported);
    }
    if a.json {
        print_json(s, &serde_json::json!({"tenant": tenant, "plugin": name, "history": history}));
        return Ok(());
    }
    for e in &history {
        let _ = writeln!(s.stdout, "{}", line(e));
    }
    Ok(())
}

pub(crate) fn rollback(a: RollbackArgs, s: &mut Streams<'_>) -> Result<(), Failure> {
    let TenantPluginArgs { tenant, name, db } = &a.of.of;
    let store = open_store(db)?;
    match crate::service::plugins::rollback(&*store, tenant, name, a.to, chrono::Utc::now()) {
        Ok((plugin, restored)) => {
            if a.of.json {
                print_json(s, &serde_json::json!({"plugin": plugin, "restored": restored}));
            } else {
                let _ = writeln!(
                    s.stdout,
                    "rolled back: {} {} for tenant `{tenant}` (history entry {restored})",
                    plugin.name, plugin.version
                );
            }
            Ok(())
        }
        Err(e) => {
            let _ = writeln!(s.stderr, "error: {e}");
            if a.of.json {
                print_json(s, &serde_json::json!({"error": {"message": e.to_string()}}));
            }
            Err(Failure::Reported)
        }
    }
}
