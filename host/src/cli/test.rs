//! `missions test [PACK_DIR...] [--update] [--filter TEXT] [--format human|json|junit]`: run the
//! packs' golden cases; with no folder, every pack under `./rules`. Each failing field shows its
//! expected and actual values; `--update` accepts the outputs as the new expectations where that
//! is safe (see `missions_rules::golden::update`) and says what it changed and what it left.

use std::path::{Path, PathBuf};

use missions_engine::{
    CaseFileReport, CaseFilter, Diagnostic, FileUpdate, Pack, case_files, run_case_file_matching, update_case_file,
};

use super::io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE, Streams, print_json, render_diagnostic};

mod junit;

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

/// One pack folder's run.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PackRun {
    pub(crate) dir: PathBuf,
    /// Why the pack or one of its case files could not run.
    pub(crate) problems: Vec<Diagnostic>,
    pub(crate) files: Vec<CaseFileReport>,
    /// With `--update`: what was rewritten and what was left, per file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) updates: Vec<FileUpdate>,
}

impl PackRun {
    fn failed(&self) -> usize {
        self.files.iter().map(CaseFileReport::failed).sum()
    }

    fn passed(&self) -> usize {
        self.files.iter().map(|f| f.cases.len() - f.failed()).sum()
    }
}

fn run_pack(dir: &Path, filter: CaseFilter<'_>, update: bool) -> PackRun {
    let mut run = PackRun { dir: dir.to_path_buf(), problems: Vec::new(), files: Vec::new(), updates: Vec::new() };
    let pack = match Pack::load(dir) {
        Ok(p) => p,
        Err(d) => {
            // `--update` on a pack that does not load changes nothing: there is no output to accept.
            run.problems = d.0;
            return run;
        }
    };
    let files = case_files(dir);
    if files.is_empty() {
        run.problems.push(
            Diagnostic::error("pack.no-cases", format!("`{}` has no test cases", dir.display()))
                .help("add a case file under `tests/`: `entry:`, `cases: [{name, input, expect}]`"),
        );
    }
    for file in files {
        let report = match run_case_file_matching(&pack, &file, filter) {
            Ok(r) => r,
            Err(d) => {
                run.problems.push(d);
                continue;
            }
        };
        if update && report.failed() > 0 {
            match update_case_file(&pack, &report, filter) {
                Ok(u) => {
                    // Report the file as it is now: the rewritten cases pass.
                    let now = if u.rewritten() > 0 { run_case_file_matching(&pack, &file, filter) } else { Ok(report) };
                    match now {
                        Ok(r) => run.files.push(r),
                        Err(d) => run.problems.push(d),
                    }
                    run.updates.push(u);
                }
                Err(d) => {
                    run.problems.push(d);
                    run.files.push(report);
                }
            }
            continue;
        }
        run.files.push(report);
    }
    run
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
    let runs: Vec<PackRun> = packs.iter().map(|d| run_pack(d, filter, a.update)).collect();
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
            let _ = writeln!(s.stderr, "{}", render_diagnostic(d));
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
    }
}
