//! `missions plugin check FILE.wasm [--json]`: load a component as the host would and report its
//! world version, hooks, imports (and which are WASI stand-ins or trap) and exports, or why it
//! cannot be loaded (exit 1).

use std::path::PathBuf;

use super::support::load;
use crate::cli::io::{Failure, Streams, print_json};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The component (`.wasm`) to check
    file: PathBuf,
    /// Print one JSON document
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> Result<(), Failure> {
    let p = load(&a.file, s, a.json)?;
    let (info, report) = (p.info(), p.report());
    let hooks: Vec<&str> = info.hooks.iter().map(|h| h.as_str()).collect();
    if a.json {
        print_json(
            s,
            &serde_json::json!({
                "name": info.name,
                "version": info.version,
                "description": info.description,
                "world": format!("missions:plugin/plugin@{}", report.world_version),
                "hooks": hooks,
                "imports": report.imports,
                "wasi_stand_ins": report.wasi_stand_ins(),
                "trapping": report.trapping(),
                "exports": report.exports,
                "sha256": p.digest(),
            }),
        );
        return Ok(());
    }
    let list = |v: &[String]| if v.is_empty() { "(none)".to_owned() } else { v.join(", ") };
    let hooks = if hooks.is_empty() { "(none)".to_owned() } else { hooks.join(", ") };
    let description = info.description.get("en").map_or("", String::as_str);
    let _ = writeln!(
        s.stdout,
        "ok: {} {} can be loaded\n  description  {description}\n  world        missions:plugin/plugin@{}\n  hooks        {hooks}\n  imports      {}\n  exports      {}\n  sha256       {}",
        info.name,
        info.version,
        report.world_version,
        list(&report.imports),
        list(&report.exports),
        p.digest(),
    );
    let (stand_ins, traps) = (report.wasi_stand_ins(), report.trapping());
    if !stand_ins.is_empty() {
        let _ = writeln!(
            s.stdout,
            "  wasi         {} interface(s) served by stand-ins that grant nothing: no files, no network, empty environment, fixed clocks, seeded random numbers, stdout and stderr to the log",
            stand_ins.len()
        );
    }
    if !traps.is_empty() {
        let _ = writeln!(s.stdout, "  traps        calls to {} trap (the host offers no network)", traps.join(", "));
    }
    Ok(())
}
