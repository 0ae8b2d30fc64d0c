//! One pack folder's golden cases run (and, with `--update`, rewritten): what `missions test`
//! prints in each of its formats.

use std::path::{Path, PathBuf};

use missions_engine::{
    CaseFileReport, CaseFilter, Coverage, Diagnostic, FileUpdate, Pack, case_files, pack_coverage,
    run_case_file_matching, update_case_file,
};

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
    /// With `--coverage`: what the cases leave untested (after `--update`'s rewrites).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) coverage: Option<Coverage>,
}

impl PackRun {
    pub(super) fn failed(&self) -> usize {
        self.files.iter().map(CaseFileReport::failed).sum()
    }

    pub(super) fn passed(&self) -> usize {
        self.files.iter().map(|f| f.cases.len() - f.failed()).sum()
    }
}

/// What to do besides running the cases.
#[derive(Debug, Clone, Copy)]
pub(super) struct Also {
    pub(super) update: bool,
    pub(super) coverage: bool,
}

pub(super) fn run_pack(dir: &Path, filter: CaseFilter<'_>, also: Also) -> PackRun {
    let mut run = PackRun {
        dir: dir.to_path_buf(),
        problems: Vec::new(),
        files: Vec::new(),
        updates: Vec::new(),
        coverage: None,
    };
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
        if also.update && report.failed() > 0 {
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
    if also.coverage {
        match pack_coverage(&pack, filter) {
            Ok(c) => run.coverage = Some(c),
            Err(d) => run.problems.push(d),
        }
    }
    run
}
