//! `missions test [PACK_DIR...]`: run the packs' golden cases; with no folder, every pack under
//! `./rules`.

use std::path::{Path, PathBuf};

use missions_engine::{Pack, run_pack_cases};

use super::io::{EXIT_ERROR, EXIT_OK};
use super::io::{Streams, render_diagnostic};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Rule pack folders; default: every folder under `./rules` with a `pack.yaml`
    #[arg(value_name = "PACK_DIR")]
    packs: Vec<PathBuf>,
    /// Print every case, not only failures
    #[arg(long, short)]
    verbose: bool,
}

fn default_packs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new("rules"))
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("pack.yaml").is_file()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let packs = if a.packs.is_empty() { default_packs() } else { a.packs };
    if packs.is_empty() {
        let _ = writeln!(
            s.stderr,
            "error: no rule packs found under `./rules`\n  help: name pack folders, e.g. `missions test rules/norriq`"
        );
        return EXIT_ERROR;
    }
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    for dir in &packs {
        let pack = match Pack::load(dir) {
            Ok(p) => p,
            Err(d) => {
                for diag in &d.0 {
                    let _ = writeln!(s.stderr, "{}", render_diagnostic(diag));
                }
                let _ = writeln!(s.stdout, "{}: does not load", dir.display());
                broken += 1;
                continue;
            }
        };
        let reports = match run_pack_cases(&pack) {
            Ok(r) => r,
            Err(d) => {
                let _ = writeln!(s.stderr, "{}", render_diagnostic(&d));
                broken += 1;
                continue;
            }
        };
        if reports.is_empty() {
            let _ = writeln!(s.stdout, "{}: no test cases (add some under `tests/`)", dir.display());
            broken += 1;
        }
        for r in &reports {
            let f = r.failed();
            let _ = writeln!(
                s.stdout,
                "{} ({} cases, entry `{}`): {}",
                r.file.display(),
                r.cases.len(),
                r.entry,
                if f == 0 { "ok" } else { "FAILED" }
            );
            for c in &r.cases {
                match &c.failure {
                    Some(why) => {
                        failed += 1;
                        let _ = writeln!(s.stdout, "  FAIL {} — {}\n       at {}", c.name, why, c.location);
                    }
                    None => {
                        passed += 1;
                        if a.verbose {
                            let _ = writeln!(s.stdout, "  ok   {}", c.name);
                        }
                    }
                }
            }
        }
    }
    let extra = if broken > 0 { format!(" ({broken} pack(s) or case file(s) could not run)") } else { String::new() };
    let _ = writeln!(s.stdout, "\n{passed} passed, {failed} failed{extra}");
    if failed > 0 || broken > 0 { EXIT_ERROR } else { EXIT_OK }
}
