//! `missions plugin test FILE.wasm CASES.yaml [--pack DIR] [--deadline-ms MS] [--memory-mib MIB] [--json]`: a partner's golden cases,
//! run through its plugin without a server. The case file is a rule pack's (`entry:`, `cases:`
//! with `name`, `input` and `expect` or `error`), plus the plugin's `config:` for the whole file
//! or per case; each case evaluates the pack's entry (the shipped esomus pack by default) with the
//! plugin adjusting its quote, and `expect` is compared with the adjusted output field by field.
//! Exit 0 when every case passes, 1 when one fails or the plugin or cases cannot be read.

use std::path::PathBuf;

use missions_engine::{EvalOptions, InvoiceAdjuster, Pack, run_plugin_cases};

use super::support::load;
use crate::cli::io::{Failure, Streams, print_json, render_diagnostic};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The component (`.wasm`)
    file: PathBuf,
    /// The golden cases (YAML)
    cases: PathBuf,
    /// The rule pack whose entry the cases evaluate (default: the shipped esomus pack)
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
    /// Each call's deadline, in milliseconds, as the tenant's limits will set it (default 50)
    #[arg(long, value_name = "MS")]
    deadline_ms: Option<u64>,
    /// Each call's memory cap, in MiB, as the tenant's limits will set it (default 32)
    #[arg(long, value_name = "MIB")]
    memory_mib: Option<usize>,
    /// Print one JSON document
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> Result<(), Failure> {
    let plugin = load(&a.file, s, a.json)?;
    let mut shipped = None;
    let dir = match &a.pack {
        Some(d) => d.clone(),
        None => {
            let t = tempfile::tempdir().map_err(|e| Failure::Usage(format!("cannot create a scratch folder: {e}")))?;
            crate::http::server::unpack_shipped(t.path())
                .map_err(|e| Failure::Usage(format!("cannot unpack the shipped rules: {e}")))?;
            let d = t.path().join("esomus");
            shipped = Some(t);
            d
        }
    };
    let pack = Pack::load(&dir).map_err(|d| {
        for diag in &d.0 {
            let _ = writeln!(s.stderr, "{}", render_diagnostic(diag, s.lang));
        }
        Failure::Reported
    })?;
    let mut limits = missions_plugins::Limits::default();
    if let Some(ms) = a.deadline_ms {
        limits.deadline = std::time::Duration::from_millis(ms);
    }
    if let Some(mib) = a.memory_mib {
        limits.memory_bytes = mib.saturating_mul(1 << 20);
    }
    let report = run_plugin_cases(&a.cases, &mut |entry, input, config| {
        let bound = plugin.bind("plugin-test", config, limits);
        let with: [&dyn InvoiceAdjuster; 1] = [&bound];
        pack.eval_adjusted(entry, input, EvalOptions::default(), &with)
    })
    .map_err(|d| {
        let _ = writeln!(s.stderr, "{}", render_diagnostic(&d, s.lang));
        if a.json {
            print_json(s, &serde_json::json!({"error": {"kind": "cases", "diagnostics": [d]}}));
        }
        Failure::Reported
    })?;
    drop(shipped);
    let failed = report.failed();
    if a.json {
        let cases: Vec<serde_json::Value> = report
            .cases
            .iter()
            .map(|c| serde_json::json!({"name": c.name, "ok": c.failure.is_none(), "failure": c.failure, "diffs": c.diffs}))
            .collect();
        print_json(
            s,
            &serde_json::json!({"plugin": plugin.info().name, "entry": report.entry, "passed": report.cases.len() - failed,
                                "failed": failed, "cases": cases}),
        );
    } else {
        for c in &report.cases {
            match &c.failure {
                None => {
                    let _ = writeln!(s.stdout, "ok: {}", c.name);
                }
                Some(why) => {
                    let _ = writeln!(s.stdout, "FAILED: {} ({})", c.name, c.location);
                    if c.diffs.is_empty() {
                        let _ = writeln!(s.stdout, "  {why}");
                    }
                    for d in &c.diffs {
                        let _ = writeln!(s.stdout, "  - {d}");
                    }
                }
            }
        }
        let _ = writeln!(
            s.stdout,
            "{} case(s) of plugin `{}`: {} passed, {failed} failed",
            report.cases.len(),
            plugin.info().name,
            report.cases.len() - failed
        );
    }
    if failed == 0 { Ok(()) } else { Err(Failure::Reported) }
}
