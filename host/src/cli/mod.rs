//! Subcommands of `missions`, one file each. Exit codes are part of the contract scripts rely on:
//! 0 success, 1 a rule or validation error (message on stderr, a JSON error object on stdout with
//! `--json`), 2 a usage error.

use std::ffi::OsString;
use std::io::{BufRead, Write};

use clap::{Parser, Subcommand};

mod dashboard;
mod diff;
mod eval;
mod io;
mod migrate;
mod pack;
mod plan;
mod plugin;
mod quote;
mod schema;
mod serve;
mod sla;
mod test;
mod validate;

pub use io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE, Streams, init_tracing};

#[derive(Debug, Parser)]
#[command(name = "missions", version, about = "Missions Engine: rule packs, SLA, pricing and mission models", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate any entry of a rule pack
    Eval(eval::Args),
    /// When must analysis of a ticket start (the `sla` entry)
    Sla(sla::Args),
    /// Price a quote: lines, VAT and totals (the `quote` entry)
    Quote(quote::Args),
    /// Check rule packs (folders) for errors, with file, line and column
    Validate(validate::Args),
    /// Run the golden test cases of rule packs; `--update` accepts intended changes
    Test(test::Args),
    /// What a candidate version of a pack changes: golden cases and recorded requests replayed
    Diff(diff::Args),
    /// Rule pack versions: `new-version` copies a pack as its next, dated version
    Pack(pack::Args),
    /// Plan a mission from a model: dated actions with assignees
    Plan(plan::Args),
    /// A mission's dashboard figures from its state
    Dashboard(dashboard::Args),
    /// Mission models: `diff` says what changed between two versions
    Model(migrate::ModelArgs),
    /// Move a mission's state to another version of its model (`--dry-run`: what it does)
    Migrate(migrate::MigrateArgs),
    /// Print the JSON Schema of a file format (`model`), for editor completion
    Schema(schema::Args),
    /// Run the HTTP host: evaluations, hot-reloaded packs, tickets, models and missions
    Serve(serve::Args),
    /// Partners' WASM plugins: check a component, enable, disable or list a tenant's plugins
    Plugin(plugin::Args),
}

/// Run `missions` with `args` (the first one is the program name) and return the exit code.
pub fn run<I, T>(args: I, stdin: &mut dyn BufRead, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let rendered = e.render();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = write!(stdout, "{rendered}");
                    EXIT_OK
                }
                _ => {
                    let _ = write!(stderr, "{rendered}");
                    EXIT_USAGE
                }
            };
        }
    };
    let mut s = Streams { stdin, stdout, stderr, lang: missions_engine::Lang::En };
    match cli.command {
        Command::Eval(a) => eval::run(a, &mut s),
        Command::Sla(a) => sla::run(a, &mut s),
        Command::Quote(a) => quote::run(a, &mut s),
        Command::Validate(a) => validate::run(a, &mut s),
        Command::Test(a) => test::run(a, &mut s),
        Command::Pack(a) => pack::run(a, &mut s),
        Command::Diff(a) => diff::run(a, &mut s),
        Command::Plan(a) => plan::run(a, &mut s),
        Command::Dashboard(a) => dashboard::run(a, &mut s),
        Command::Model(a) => migrate::run_model(a, &mut s),
        Command::Migrate(a) => migrate::run_migrate(a, &mut s),
        Command::Schema(a) => schema::run(a, &mut s),
        Command::Serve(a) => serve::run(a, &mut s),
        Command::Plugin(a) => plugin::run(a, &mut s),
    }
}
