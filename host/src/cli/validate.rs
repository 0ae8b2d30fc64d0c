//! `missions validate PATH...`: check rule packs and mission models and report every problem with
//! its place.

use std::path::PathBuf;

use missions_engine::{Diagnostics, Pack};

use super::io::{Streams, render_diagnostic};
use super::{EXIT_ERROR, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Rule pack folders (holding `pack.yaml`) or mission model files
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print one JSON document with every path's diagnostics
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let mut failed = false;
    let mut results = Vec::new();
    for path in &a.paths {
        let outcome: Result<String, Diagnostics> = if path.is_dir() || !path.exists() {
            Pack::load(path).map(|p| {
                let id = p.id();
                format!("{} {} (from {}, {} entries)", id.name, id.version, id.effective_from, p.entries().count())
            })
        } else if super::plan::is_model_file(path) {
            super::plan::validate(path)
        } else {
            let _ = writeln!(s.stderr, "error: `{}` is neither a rule pack folder nor a mission model", path.display());
            return EXIT_USAGE;
        };
        match outcome {
            Ok(summary) => {
                if !a.json {
                    let _ = writeln!(s.stdout, "ok: {}: {summary}", path.display());
                }
                results.push(serde_json::json!({"path": path, "ok": true, "summary": summary, "diagnostics": []}));
            }
            Err(d) => {
                failed |= d.has_errors();
                for diag in &d.0 {
                    let _ = writeln!(s.stderr, "{}", render_diagnostic(diag));
                }
                if !a.json && d.has_errors() {
                    let _ = writeln!(s.stdout, "failed: {}: {} error(s)", path.display(), d.errors().count());
                } else if !a.json {
                    let _ = writeln!(s.stdout, "ok: {}: {} warning(s)", path.display(), d.0.len());
                }
                results.push(serde_json::json!({"path": path, "ok": !d.has_errors(), "diagnostics": d}));
            }
        }
    }
    if a.json {
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "results": results }));
    }
    if failed { EXIT_ERROR } else { EXIT_OK }
}
