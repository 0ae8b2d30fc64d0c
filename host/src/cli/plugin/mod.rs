//! `missions plugin …`: check and test a partner's component, and enable, disable, list, trace
//! and roll back a tenant's plugins in the store. `args.rs` holds the `--plugin`, `--plugin-config` and `--tenant` flags
//! the evaluating commands share.

use super::io::{Streams, exit_code};

pub(crate) mod args;
mod check;
mod disable;
mod enable;
mod history;
mod list;
mod support;
mod test;

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
    /// Every change to a tenant's plugin: enabled, replaced, disabled, rolled back
    History(history::Args),
    /// Enable an earlier entry of a tenant's plugin history again (default: the one before the
    /// current state)
    Rollback(history::RollbackArgs),
    /// Run a plugin's golden cases (a quote input, its configuration, the expected output or
    /// error) without a server
    Test(test::Args),
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let result = match a.command {
        Command::Check(a) => check::run(a, s),
        Command::Enable(a) => enable::run(a, s),
        Command::Disable(a) => disable::run(a, s),
        Command::List(a) => list::run(a, s),
        Command::History(a) => history::run(a, s),
        Command::Rollback(a) => history::rollback(a, s),
        Command::Test(a) => test::run(a, s),
    };
    match result {
        Ok(()) => super::io::EXIT_OK,
        Err(f) => exit_code(f, s),
    }
}
