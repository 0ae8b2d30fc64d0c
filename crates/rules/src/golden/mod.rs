//! Golden cases: the YAML files in a pack's `tests/` folder, each an input with its expected
//! output or expected error. They are how ESOMUS proves a tariff change before it goes live, and
//! they run under `missions test`, under `cargo test`, and before the host activates a pack.
//!
//! ```yaml
//! entry: sla
//! cases:
//!   - name: P1 opened on Christmas eve
//!     input: {contract: nav, priority: P1, opened: "2026-12-24T16:00:00+01:00"}
//!     expect: {deadline: "2026-12-28T11:00:00+01:00"}   # the fields listed must match
//!   - name: unknown priority
//!     input: {contract: nav, priority: P7, opened: "2026-12-24T16:00:00+01:00"}
//!     error: {kind: input, path: priority}
//! ```
//! Numbers written plainly (`interest: 23.00`) compare by their text with the output's decimal
//! strings, so expectations can be written the way people write amounts.

use std::path::{Path, PathBuf};

use serde::Serialize;

use missions_base::diag::{Diagnostic, Location};
use missions_base::value::Node;
use missions_base::yaml::{SourceText, YamlLimits};

use crate::error::{EvalError, EvalOptions, Evaluation};
use crate::pack::{Coverage, Pack};

mod compare;
mod update;

pub use compare::{DiffKind, FieldDiff};
pub use update::{CaseUpdate, FileUpdate, update_case_file};

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Where the case is written.
    pub location: Location,
    /// `None` when it passed; otherwise why it failed.
    pub failure: Option<String>,
    /// When an output was expected and one came: each expected field it does not match.
    pub diffs: Vec<FieldDiff>,
    /// Its position in the file's `cases:` (0 for the first).
    pub index: usize,
}

impl CaseResult {
    /// Whether the output can replace the failing expectations as they are written: an output
    /// came where one was expected, and every differing field is a scalar for a scalar.
    pub fn replaceable(&self) -> bool {
        self.failure.is_some() && !self.diffs.is_empty() && self.diffs.iter().all(|d| d.replacement.is_some())
    }
}

/// The results of one case file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFileReport {
    /// The file.
    pub file: PathBuf,
    /// The entry its cases evaluate.
    pub entry: String,
    /// One result per case, in file order.
    pub cases: Vec<CaseResult>,
}

impl CaseFileReport {
    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

/// The case files of a pack (`tests/*.yaml`), sorted by name.
pub fn case_files(pack_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(pack_dir.join("tests"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Run every case of every case file of `pack`.
pub fn run_pack_cases(pack: &Pack) -> Result<Vec<CaseFileReport>, Diagnostic> {
    case_files(pack.dir()).iter().map(|f| run_case_file(pack, f)).collect()
}

/// What the cases of `pack` that `filter` keeps leave untested: the script lines none of them
/// runs and the parameter values none of them depends on (see [`Pack::coverage`]).
pub fn pack_coverage(pack: &Pack, filter: CaseFilter<'_>) -> Result<Coverage, Diagnostic> {
    let cases: Vec<(String, Node)> =
        case_inputs(pack.dir())?.into_iter().filter(|c| filter.keeps(&c.name)).map(|c| (c.entry, c.input)).collect();
    Ok(pack.coverage(&cases))
}

/// Which cases of a file run.
#[derive(Debug, Clone, Copy, Default)]
pub enum CaseFilter<'a> {
    /// Every case.
    #[default]
    All,
    /// The cases whose name contains this text (ignoring case).
    NameContains(&'a str),
}

impl CaseFilter<'_> {
    fn keeps(&self, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::NameContains(t) => name.to_lowercase().contains(&t.to_lowercase()),
        }
    }
}

fn field<'a>(entries: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Run the cases of one file against `pack`. A file that cannot be read or has the wrong shape is
/// an error; a case that does not match is a failure in the report.
pub fn run_case_file(pack: &Pack, file: &Path) -> Result<CaseFileReport, Diagnostic> {
    run_case_file_matching(pack, file, CaseFilter::All)
}

/// [`run_case_file`], only the cases `filter` keeps.
pub fn run_case_file_matching(pack: &Pack, file: &Path, filter: CaseFilter<'_>) -> Result<CaseFileReport, Diagnostic> {
    let src = read_case_file(pack.dir(), file)?;
    run_source(pack, file, &src, filter)
}

/// Read a case file. One of the pack's own `tests/` must not be a link out of the pack (an
/// uploaded pack is untrusted); a file named on the command line is the user's to choose.
fn read_case_file(pack_dir: &Path, file: &Path) -> Result<SourceText, Diagnostic> {
    if let Ok(rel) = file.strip_prefix(pack_dir)
        && let Err(why) = missions_base::path::within(pack_dir, &rel.to_string_lossy())
    {
        return Err(Diagnostic::error("pack.path-outside", format!("`{}` {}", rel.display(), why.reason()))
            .help("keep the case files of a pack inside its `tests/` folder"));
    }
    SourceText::read(file, MAX_CASE_FILE_BYTES)
}

/// Largest case file read, in bytes.
const MAX_CASE_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A case as written: its input and what it expects.
#[derive(Debug, Clone)]
struct Case {
    index: usize,
    name: String,
    location: Location,
    input: Node,
    expect: Option<Node>,
    error: Option<Node>,
    /// For a plugin's cases: its configuration in this case (else the file's `config:`).
    config: Option<Node>,
}

/// How a case file is read: a pack's own, or a plugin's (which may give a `config:`, for the whole
/// file and per case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Pack,
    Plugin,
}

/// Read and check the shape of a case file: its entry and its cases.
fn read_cases(src: &SourceText, flavour: Flavour) -> Result<(String, Vec<Case>), Diagnostic> {
    let (root, idx) = Node::from_yaml(src, YamlLimits::default())?;
    let shape = |path: &str, msg: String| {
        Diagnostic::error("cases.invalid", msg)
            .at(idx.value(path))
            .help("a case file has `entry:` and `cases:`, each case `name`, `input` and `expect` or `error`")
    };
    let Node::Map(top) = root else { return Err(shape("", "a case file must be a mapping".into())) };
    let plugin = flavour == Flavour::Plugin;
    // A plugin's cases may also give the plugin's configuration.
    let known = |k: &str, keys: &[&str]| keys.contains(&k) || (plugin && k == "config");
    for (k, _) in &top {
        if !known(k, &["entry", "cases", "description"]) {
            return Err(shape(k, format!("unknown key `{k}` in a case file")));
        }
    }
    let Some(Node::Str(entry)) = field(&top, "entry") else {
        return Err(shape("entry", "`entry:` must name the entry the cases evaluate".into()));
    };
    let Some(Node::List(cases)) = field(&top, "cases") else {
        return Err(shape("cases", "`cases:` must be a list".into()));
    };
    let mut out = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let path = format!("cases[{i}]");
        let Node::Map(c) = case else { return Err(shape(&path, format!("case {} must be a mapping", i + 1))) };
        for (k, _) in c {
            if !known(k, &["name", "input", "expect", "error", "doc"]) {
                return Err(shape(&format!("{path}.{k}"), format!("unknown key `{k}` in a case")));
            }
        }
        let name = match field(c, "name") {
            Some(Node::Str(s)) => s.clone(),
            _ => format!("case {}", i + 1),
        };
        let input = field(c, "input").ok_or_else(|| shape(&path, format!("case `{name}` has no `input:`")))?;
        let expect = field(c, "expect").cloned();
        let error = field(c, "error").cloned();
        if expect.is_some() == error.is_some() {
            return Err(shape(&path, format!("case `{name}` needs exactly one of `expect:` and `error:`")));
        }
        let config = field(c, "config").or_else(|| field(&top, "config")).cloned();
        out.push(Case { index: i, name, location: idx.value(&path), input: input.clone(), expect, error, config });
    }
    Ok((entry.clone(), out))
}

fn run_source(
    pack: &Pack,
    file: &Path,
    src: &SourceText,
    filter: CaseFilter<'_>,
) -> Result<CaseFileReport, Diagnostic> {
    let (entry, cases) = read_cases(src, Flavour::Pack)?;
    // Every output is also held to the entry's `returns:`: a case passes only when the output
    // has the shape the pack publishes.
    Ok(run_cases(file, entry, cases, filter, &mut |entry, case| {
        let ev = pack.eval_node(entry, &case.input, EvalOptions::default())?;
        match pack.check_output(entry, ev.output.value()).first() {
            None => Ok(ev),
            Some(e) => Err(EvalError::Output {
                path: e.path.clone(),
                message: format!("not what the entry's `returns:` declares: {}", e.problem.message("en")),
            }),
        }
    }))
}

/// What evaluates a plugin's case: the entry, the case's input, and the plugin's configuration
/// (`{}` when the case gives none).
pub type PluginEval<'a> = dyn FnMut(&str, &serde_json::Value, &serde_json::Value) -> Result<Evaluation, EvalError> + 'a;

/// Run a plugin's golden cases: a case file as a pack's (`entry:`, `cases:` with `name`, `input`
/// and `expect` or `error`), where the file and each case may also give the plugin's `config:`.
/// `eval` evaluates each case through the plugin under test.
pub fn run_plugin_cases(file: &Path, eval: &mut PluginEval<'_>) -> Result<CaseFileReport, Diagnostic> {
    let src = SourceText::read(file, MAX_CASE_FILE_BYTES)?;
    let (entry, cases) = read_cases(&src, Flavour::Plugin)?;
    let empty = serde_json::Value::Object(serde_json::Map::new());
    Ok(run_cases(file, entry, cases, CaseFilter::All, &mut |entry, case| {
        let config = case.config.as_ref().map_or_else(|| empty.clone(), Node::to_json);
        eval(entry, &case.input.to_json(), &config)
    }))
}

fn run_cases(
    file: &Path,
    entry: String,
    cases: Vec<Case>,
    filter: CaseFilter<'_>,
    eval: &mut dyn FnMut(&str, &Case) -> Result<Evaluation, EvalError>,
) -> CaseFileReport {
    let mut results = Vec::with_capacity(cases.len());
    for case in cases.into_iter().filter(|c| filter.keeps(&c.name)) {
        // Work nobody waits for stops; a case left unrun fails, so it never passes for one run.
        if missions_base::interrupt::interrupted() {
            let failure = Some(format!("not run: {}", missions_base::interrupt::STOPPED));
            results.push(CaseResult {
                name: case.name,
                location: case.location,
                failure,
                diffs: Vec::new(),
                index: case.index,
            });
            continue;
        }
        let outcome = eval(&entry, &case);
        let mut diffs = Vec::new();
        let failure = match (outcome, &case.expect, &case.error) {
            (Ok(ev), Some(exp), _) => {
                diffs = compare::diffs(exp, &ev.output);
                summary(&diffs)
            }
            (Ok(ev), None, _) => {
                Some(format!("expected an error, got {}", missions_base::clip(&ev.output.to_string())))
            }
            (Err(e), Some(_), _) => Some(format!("expected an output, got an error: {e}")),
            (Err(e), None, Some(exp)) => compare::error_mismatch(exp, &e),
            (Err(e), None, None) => Some(e.to_string()),
        };
        results.push(CaseResult { name: case.name, location: case.location, failure, diffs, index: case.index });
    }
    CaseFileReport { file: file.to_path_buf(), entry, cases: results }
}

/// The input of one golden case, for replaying it elsewhere (`missions diff`).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInput {
    /// The entry it evaluates.
    pub entry: String,
    /// The case's name.
    pub name: String,
    /// Where it is written.
    pub location: Location,
    /// Its input.
    pub input: Node,
}

/// The inputs of every golden case of the pack in `dir`, in file order.
pub fn case_inputs(dir: &Path) -> Result<Vec<CaseInput>, Diagnostic> {
    let mut out = Vec::new();
    for file in case_files(dir) {
        let (entry, cases) = read_cases(&read_case_file(dir, &file)?, Flavour::Pack)?;
        out.extend(cases.into_iter().map(|c| CaseInput {
            entry: entry.clone(),
            name: c.name,
            location: c.location,
            input: c.input,
        }));
    }
    Ok(out)
}

/// The first differing field, and how many more there are.
fn summary(diffs: &[FieldDiff]) -> Option<String> {
    let first = diffs.first()?;
    Some(match diffs.len() {
        1 => first.to_string(),
        n => format!("{first} (and {} more field{})", n - 1, if n == 2 { "" } else { "s" }),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use missions_base::interrupt;

    use super::*;
    use crate::impact::{ImpactLimits, ReplayInput, impact};
    use crate::test_support::shipped;

    /// Work nobody waits for stops: under a raised flag, no golden case runs (each fails, so a
    /// version is never activated on an unfinished run) and no input is replayed.
    #[test]
    fn interrupted_work_runs_no_case_and_replays_no_input() {
        let pack = shipped("norriq");
        let raised = Arc::new(AtomicBool::new(true));
        let reports = interrupt::under(std::slice::from_ref(&raised), || run_pack_cases(&pack)).unwrap();
        let cases: Vec<&CaseResult> = reports.iter().flat_map(|r| &r.cases).collect();
        assert!(cases.len() > 100);
        assert!(cases.iter().all(|c| c.failure.as_deref() == Some(&format!("not run: {}", interrupt::STOPPED)[..])));

        let inputs: Vec<ReplayInput> =
            case_inputs(pack.dir()).unwrap().into_iter().map(ReplayInput::from_case).collect();
        let report = interrupt::under(&[raised], || impact(&pack, &pack, &inputs, ImpactLimits::default()));
        assert_eq!((report.inputs, report.not_compared), (0, inputs.len()));
        // Not interrupted, every case runs and passes.
        assert!(run_pack_cases(&pack).unwrap().iter().all(|r| r.failed() == 0));
    }
}
