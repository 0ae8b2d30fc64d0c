//! `missions test [PACK_DIR...] [--update] [--coverage] [--filter TEXT] [--format human|json|junit]`:
//! run the packs' golden cases; with no folder, every pack under `./rules`. Each failing field
//! shows its expected and actual values; `--update` accepts the outputs as the new expectations
//! where that is safe (see `missions_rules::golden::update`) and says what it changed and what it
//! left; `--coverage` adds what the cases leave untested (script lines, parameter values).

use std::path::{Path, PathBuf};

use missions_engine::{CaseFilter, Coverage, FileUpdate};

use super::io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE, Streams, print_json, render_diagnostic};

mod junit;
mod run;

use run::{Also, PackRun, run_pack};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Lines for people.
    Human,
    /// One JSON document on stdout.
    Json,
    /// JUnit XML on stdout, for CI servers.
    Junit,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Rule pack folders; default: every folder under `./rules` with a `pack.yaml`
    #[arg(value_name = "PACK_DIR")]
    packs: Vec<PathBuf>,
    /// Print every case, not only failures
    #[arg(long, short)]
    verbose: bool,
    /// Rewrite the expected values that changed to the outputs the pack gives now
    #[arg(long)]
    update: bool,
    /// Also report what the cases leave untested: script lines no case runs, and parameter values
    /// no case's result depends on (human and json formats)
    #[arg(long)]
    coverage: bool,
    /// Run only the cases whose name contains TEXT (ignoring case)
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// How to print the results
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// The `--format json` document.
#[derive(Debug, serde::Serialize)]
struct TestDoc<'a> {
    passed: usize,
    failed: usize,
    packs_not_run: usize,
    packs: &'a [PackRun],
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let packs = if a.packs.is_empty() { crate::service::pack_dirs(Path::new("rules")) } else { a.packs };
    if packs.is_empty() {
        let _ = writeln!(
            s.stderr,
            "error: no rule packs found under `./rules`\n  help: name pack folders, e.g. `missions test rules/norriq`"
        );
        return EXIT_USAGE;
    }
    let filter = a.filter.as_deref().map_or(CaseFilter::All, CaseFilter::NameContains);
    let also = Also { update: a.update, coverage: a.coverage };
    let runs: Vec<PackRun> = packs.iter().map(|d| run_pack(d, filter, also)).collect();
    let passed: usize = runs.iter().map(PackRun::passed).sum();
    let failed: usize = runs.iter().map(PackRun::failed).sum();
    let broken = runs.iter().filter(|r| !r.problems.is_empty()).count();
    match a.format {
        Format::Human => print_human(&runs, a.verbose, a.filter.is_some(), s),
        Format::Json => print_json(s, &TestDoc { passed, failed, packs_not_run: broken, packs: &runs }),
        Format::Junit => {
            let _ = s.stdout.write_all(junit::render(&runs).as_bytes());
        }
    }
    if a.format == Format::Human {
        let extra =
            if broken > 0 { format!(" ({broken} pack(s) or case file(s) could not run)") } else { String::new() };
        let rewritten: usize = runs.iter().flat_map(|r| &r.updates).map(FileUpdate::rewritten).sum();
        let updated = if a.update { format!(", {rewritten} case(s) rewritten") } else { String::new() };
        let _ = writeln!(s.stdout, "\n{passed} passed, {failed} failed{updated}{extra}");
    }
    if a.filter.is_some() && passed + failed == 0 && broken == 0 {
        let _ = writeln!(s.stderr, "error: no case name contains `{}`", a.filter.as_deref().unwrap_or_default());
        return EXIT_ERROR;
    }
    if failed > 0 || broken > 0 { EXIT_ERROR } else { EXIT_OK }
}

fn print_human(runs: &[PackRun], verbose: bool, filtered: bool, s: &mut Streams<'_>) {
    for run in runs {
        for d in &run.problems {
            let _ = writeln!(s.stderr, "{}", render_diagnostic(d, s.lang));
        }
        if run.files.is_empty() && !run.problems.is_empty() {
            let _ = writeln!(s.stdout, "{}: does not load", run.dir.display());
        }
        for u in &run.updates {
            for c in &u.cases {
                match &c.left_because {
                    None => {
                        let _ = writeln!(s.stdout, "updated {} — {} ({})", u.file.display(), c.name, c.location);
                        for f in &c.fields {
                            let _ = writeln!(s.stdout, "    {}: {} → {}", f.path, f.expected, f.actual);
                        }
                    }
                    Some(why) => {
                        let _ = writeln!(s.stdout, "left    {} — {}: {why}", u.file.display(), c.name);
                    }
                }
            }
        }
        for r in &run.files {
            if r.cases.is_empty() && filtered {
                continue;
            }
            let f = r.failed();
            let status = if f == 0 { "ok" } else { "FAILED" };
            let _ = writeln!(s.stdout, "{} ({} cases, entry `{}`): {status}", r.file.display(), r.cases.len(), r.entry);
            for c in &r.cases {
                match &c.failure {
                    Some(why) => {
                        let _ = writeln!(s.stdout, "  FAIL {} — {why}\n       at {}", c.name, c.location);
                        for d in c.diffs.iter().skip(1) {
                            let _ = writeln!(s.stdout, "       {d}");
                        }
                    }
                    None if verbose => {
                        let _ = writeln!(s.stdout, "  ok   {}", c.name);
                    }
                    None => {}
                }
            }
        }
        if let Some(c) = &run.coverage {
            print_coverage(&run.dir, c, s);
        }
    }
}

/// `--coverage`, for people: each script's lines never run, then the parameter values no case
/// depends on.
fn print_coverage(dir: &Path, c: &Coverage, s: &mut Streams<'_>) {
    let _ = writeln!(s.stdout, "coverage of {} by {} case(s):", dir.display(), c.cases);
    for script in &c.scripts {
        let run = script.lines - script.missed.len();
        let lines = if script.lines == 1 { "line" } else { "lines" };
        let _ = match script.missed.is_empty() {
            true => writeln!(s.stdout, "  {}: all {} {lines} run", script.file, script.lines),
            false => writeln!(
                s.stdout,
                "  {}: {run} of {} {lines} run; never run: {}",
                script.file,
                script.lines,
                script.missed_ranges()
            ),
        };
    }
    let read = c.param_values - c.unread_params.len();
    let _ = match (c.param_values, c.unread_params.is_empty()) {
        (0, _) => writeln!(s.stdout, "  parameters: the pack has none"),
        (_, true) => writeln!(s.stdout, "  parameters: every one of {} values is read by a case", c.param_values),
        (_, false) => writeln!(
            s.stdout,
            "  parameters: {read} of {} values read; no case depends on: {}",
            c.param_values,
            c.unread_params.join(", ")
        ),
    };
}
