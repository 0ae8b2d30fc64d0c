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

use crate::error::{EvalError, EvalOptions};
use crate::pack::Pack;

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Where the case is written.
    pub location: Location,
    /// `None` when it passed; otherwise why it failed.
    pub failure: Option<String>,
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

fn field<'a>(entries: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Run the cases of one file against `pack`. A file that cannot be read or has the wrong shape is
/// an error; a case that does not match is a failure in the report.
pub fn run_case_file(pack: &Pack, file: &Path) -> Result<CaseFileReport, Diagnostic> {
    // A case file of the pack's own `tests/` must not be a link out of the pack (an uploaded pack
    // is untrusted); a file named on the command line is the user's to choose.
    if let Ok(rel) = file.strip_prefix(pack.dir())
        && let Err(why) = missions_base::path::within(pack.dir(), &rel.to_string_lossy())
    {
        return Err(Diagnostic::error("pack.path-outside", format!("`{}` {}", rel.display(), why.reason()))
            .help("keep the case files of a pack inside its `tests/` folder"));
    }
    let src = SourceText::read(file, 4 * 1024 * 1024)?;
    let (root, idx) = Node::from_yaml(&src, YamlLimits::default())?;
    let shape = |path: &str, msg: String| {
        Diagnostic::error("cases.invalid", msg)
            .at(idx.value(path))
            .help("a case file has `entry:` and `cases:`, each case `name`, `input` and `expect` or `error`")
    };
    let Node::Map(top) = &root else { return Err(shape("", "a case file must be a mapping".into())) };
    for (k, _) in top {
        if !["entry", "cases", "description"].contains(&k.as_str()) {
            return Err(shape(k, format!("unknown key `{k}` in a case file")));
        }
    }
    let Some(Node::Str(entry)) = field(top, "entry") else {
        return Err(shape("entry", "`entry:` must name the entry the cases evaluate".into()));
    };
    let Some(Node::List(cases)) = field(top, "cases") else {
        return Err(shape("cases", "`cases:` must be a list".into()));
    };

    let mut results = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let path = format!("cases[{i}]");
        let Node::Map(c) = case else { return Err(shape(&path, format!("case {} must be a mapping", i + 1))) };
        for (k, _) in c {
            if !["name", "input", "expect", "error", "doc"].contains(&k.as_str()) {
                return Err(shape(&format!("{path}.{k}"), format!("unknown key `{k}` in a case")));
            }
        }
        let name = match field(c, "name") {
            Some(Node::Str(s)) => s.clone(),
            _ => format!("case {}", i + 1),
        };
        let input = field(c, "input").ok_or_else(|| shape(&path, format!("case `{name}` has no `input:`")))?;
        let expect = field(c, "expect");
        let error = field(c, "error");
        if expect.is_some() == error.is_some() {
            return Err(shape(&path, format!("case `{name}` needs exactly one of `expect:` and `error:`")));
        }
        let outcome = pack.eval_node(entry, input, EvalOptions::default());
        let failure = match (outcome, expect, error) {
            (Ok(ev), Some(exp), _) => mismatch(exp, &ev.output, &mut String::new()),
            (Ok(ev), None, _) => Some(format!("expected an error, got {}", ev.output)),
            (Err(e), Some(_), _) => Some(format!("expected an output, got an error: {e}")),
            (Err(e), None, Some(exp)) => error_mismatch(exp, &e),
            (Err(e), None, None) => Some(e.to_string()),
        };
        results.push(CaseResult { name, location: idx.value(&path), failure });
    }
    Ok(CaseFileReport { file: file.to_path_buf(), entry: entry.clone(), cases: results })
}

/// Compare an expectation with an output: every key of an expected object must match, arrays
/// match element by element and in length, numbers match by their text.
fn mismatch(exp: &Node, got: &serde_json::Value, path: &mut String) -> Option<String> {
    use serde_json::Value as J;
    let here = || if path.is_empty() { "the output".to_owned() } else { format!("`{path}`") };
    match (exp, got) {
        (Node::Null, J::Null) => None,
        (Node::Bool(a), J::Bool(b)) if a == b => None,
        (Node::Number(a), J::Number(b)) if *a == b.to_string() => None,
        (Node::Number(a) | Node::Str(a), J::String(b)) if a == b => None,
        (Node::Map(entries), J::Object(obj)) => {
            for (k, v) in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let r = match obj.get(k) {
                    Some(g) => mismatch(v, g, path),
                    None => Some(format!("`{path}` is missing from the output")),
                };
                path.truncate(len);
                if r.is_some() {
                    return r;
                }
            }
            None
        }
        (Node::List(items), J::Array(arr)) => {
            if items.len() != arr.len() {
                return Some(format!("{} has {} elements, expected {}", here(), arr.len(), items.len()));
            }
            for (i, (e, g)) in items.iter().zip(arr).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let r = mismatch(e, g, path);
                path.truncate(len);
                if r.is_some() {
                    return r;
                }
            }
            None
        }
        (e, g) => Some(format!("{} is {g}, expected {}", here(), show(e))),
    }
}

fn show(n: &Node) -> String {
    match n {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(t) | Node::Float(t) => t.clone(),
        Node::Str(s) => format!("{s:?}"),
        Node::List(_) => "a list".into(),
        Node::Map(_) => "an object".into(),
    }
}

/// An expected error: `{kind: input|rule|limit|script|unknown_entry, path: …, code: …, contains: …}`.
fn error_mismatch(exp: &Node, got: &EvalError) -> Option<String> {
    let Node::Map(e) = exp else {
        return Some("`error:` must be a mapping such as `{kind: input, path: priority}`".into());
    };
    let text = |k: &str| match field(e, k) {
        Some(Node::Str(s) | Node::Number(s)) => Some(s.clone()),
        _ => None,
    };
    if let Some(kind) = text("kind")
        && kind != got.kind()
    {
        return Some(format!("expected a `{kind}` error, got `{}`: {got}", got.kind()));
    }
    if let Some(path) = text("path") {
        let paths: Vec<String> = match got {
            EvalError::Input(errs) => errs.iter().map(|e| e.path.clone()).collect(),
            EvalError::Rule { path: Some(p), .. } => vec![p.clone()],
            _ => Vec::new(),
        };
        if !paths.contains(&path) {
            return Some(format!("expected an error at `{path}`, got: {got}"));
        }
    }
    if let Some(code) = text("code") {
        let ok = match got {
            EvalError::Rule { code: c, .. } => *c == code,
            EvalError::Limit { limit, .. } => *limit == code,
            _ => false,
        };
        if !ok {
            return Some(format!("expected error code `{code}`, got: {got}"));
        }
    }
    if let Some(needle) = text("contains")
        && !got.to_string().contains(&needle)
    {
        return Some(format!("expected the error to contain `{needle}`, got: {got}"));
    }
    None
}
