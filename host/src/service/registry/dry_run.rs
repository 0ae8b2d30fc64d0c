//! What a version would do if it were activated, without activating it: whether it loads,
//! which golden cases fail (each field with its expected and actual value), and its impact
//! against the version it would replace or join, over both versions' golden cases and the
//! recorded requests. Nothing is recorded and the served snapshot is not touched.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use missions_engine::{Diagnostic, ImpactLimits, ImpactReport, Location, Pack, ReplayInput, case_inputs, impact};
use serde::Serialize;

use super::{PackRegistry, case_results, relative};
use crate::service::versions::{FailedCase, Rejection};

/// The version a candidate was compared with, and how it relates to it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ComparedWith {
    /// `replaces` (same `effective_from`) or `follows` (the version in force on the candidate's
    /// `effective_from`, which it would take over from on that day).
    pub relation: &'static str,
    /// Its version.
    pub version: String,
    /// Its first day.
    pub effective_from: NaiveDate,
    /// Its digest.
    pub digest: String,
}

/// The report of a dry run.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DryRun {
    /// The pack.
    pub pack: String,
    /// The candidate's version, when it loads.
    pub version: Option<String>,
    /// The candidate's first day, when it loads.
    pub effective_from: Option<NaiveDate>,
    /// Whether activating it would succeed: it loads and every golden case passes.
    pub would_activate: bool,
    /// Load and compile problems, each with file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Golden cases run.
    pub cases: usize,
    /// Golden cases that fail, with each differing field.
    pub failed_cases: Vec<FailedCase>,
    /// The version it was compared with; `None` for a pack's first version.
    pub compared_with: Option<ComparedWith>,
    /// Recorded requests replayed (besides the golden cases).
    pub recorded_requests: usize,
    /// Its impact, when it loads and there is a version to compare with.
    pub impact: Option<ImpactReport>,
}

impl PackRegistry {
    /// Dry-run the version whose files are `files`: see the module. `recorded` are the requests
    /// to replay; `limits` bound the report and its time.
    pub fn dry_run_files(
        &self,
        name: &str,
        files: &BTreeMap<String, String>,
        recorded: &[ReplayInput],
        limits: ImpactLimits,
    ) -> Result<DryRun, Rejection> {
        let unpack_failed = |e: std::io::Error| Rejection {
            pack: name.to_owned(),
            reason: format!("cannot unpack the files of pack `{name}`: {e}"),
            diagnostics: Vec::new(),
            failed_cases: Vec::new(),
            stale: false,
        };
        let parent = self.cache_dir.join(".dry-runs");
        std::fs::create_dir_all(&parent).map_err(unpack_failed)?;
        // Removed when the report is made: a dry run leaves nothing behind.
        let tmp = tempfile::Builder::new().prefix("dry-run-").tempdir_in(&parent).map_err(unpack_failed)?;
        for (rel, text) in files {
            let path = tmp.path().join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(unpack_failed)?;
            }
            std::fs::write(path, text).map_err(unpack_failed)?;
        }
        Ok(self.dry_run_dir(name, tmp.path(), recorded, limits))
    }

    /// Dry-run the version in the folder `dir` (see [`Self::dry_run_files`]).
    pub fn dry_run_dir(&self, name: &str, dir: &Path, recorded: &[ReplayInput], limits: ImpactLimits) -> DryRun {
        let mut run = DryRun {
            pack: name.to_owned(),
            version: None,
            effective_from: None,
            would_activate: false,
            diagnostics: Vec::new(),
            cases: 0,
            failed_cases: Vec::new(),
            compared_with: None,
            recorded_requests: 0,
            impact: None,
        };
        let candidate = match Pack::load(dir) {
            Ok(p) => p,
            Err(d) => {
                run.diagnostics = d.0;
                for loc in run.diagnostics.iter_mut().filter_map(|d| d.location.as_mut()) {
                    relative(loc, dir);
                }
                return run;
            }
        };
        let id = candidate.id().clone();
        run.version = Some(id.version.clone());
        run.effective_from = Some(id.effective_from);
        if id.name != name {
            run.diagnostics.push(
                Diagnostic::error("pack.name-mismatch", format!("the pack is `{}`, expected `{name}`", id.name))
                    .at(Location::new("pack.yaml", 1, 1)),
            );
            return run;
        }
        match case_results(&candidate, dir) {
            Ok((total, failed)) => {
                run.cases = total;
                run.failed_cases = failed;
                run.would_activate = run.failed_cases.is_empty();
            }
            Err(rej) => run.diagnostics.extend(rej.diagnostics),
        }
        let snapshot = self.snapshot();
        let versions = snapshot.versions(name);
        let same_date = versions.iter().find(|(p, _)| p.id().effective_from == id.effective_from);
        let (relation, base) = match same_date {
            Some((p, _)) => ("replaces", Some(*p)),
            None => ("follows", snapshot.get(name, id.effective_from)),
        };
        let Some(base) = base else { return run };
        let b = base.id();
        run.compared_with = Some(ComparedWith {
            relation,
            version: b.version.clone(),
            effective_from: b.effective_from,
            digest: b.digest.clone(),
        });
        let mut inputs: Vec<ReplayInput> = Vec::new();
        for d in [base.dir(), dir] {
            match case_inputs(d) {
                Ok(cases) => inputs.extend(cases.into_iter().map(ReplayInput::from_case)),
                Err(mut e) => {
                    if let Some(l) = e.location.as_mut() {
                        relative(l, d);
                    }
                    run.diagnostics.push(e);
                }
            }
        }
        // Golden cases read from the unpacked copies are named by their path inside the pack.
        let prefixes = [format!("{}/", base.dir().display()), format!("{}/", dir.display())];
        for i in &mut inputs {
            for p in &prefixes {
                i.source = i.source.replace(p.as_str(), "");
            }
        }
        run.recorded_requests = recorded.len();
        inputs.extend(recorded.iter().cloned());
        run.impact = Some(impact(base, &candidate, &inputs, limits));
        run
    }
}
