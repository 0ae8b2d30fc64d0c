//! `missions plugin disable --tenant T NAME [--db URL]`: remove a tenant's plugin.

use super::support::{TenantPluginArgs, open_store};
use crate::cli::io::{Failure, Streams};

pub(crate) type Args = TenantPluginArgs;

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> Result<(), Failure> {
    let store = open_store(&a.db)?;
    match store.delete_plugin(&a.tenant, &a.name, chrono::Utc::now()) {
        Ok(true) => {
            let _ = writeln!(s.stdout, "disabled: {} for tenant `{}`", a.name, a.tenant);
            Ok(())
        }
        Ok(false) => {
            let _ = writeln!(
                s.stderr,
                "error: tenant `{}` has no plugin `{}` (see `missions plugin list`)",
                a.tenant, a.name
            );
            Err(Failure::Reported)
        }
        Err(e) => Err(Failure::Usage(e.to_string())),
    }
}
