//! What a pack's golden cases leave untested (`missions test --coverage`): the script lines no
//! case runs, and the parameter values no case depends on.
//!
//! - **Lines.** Every case runs in rhai's interpreter on an engine with a debugger that records
//!   the line of each statement and expression it steps through, credited to the script file that
//!   defines the function running (read from the call stack): the entry's own script when it
//!   defines it, else the last of the pack's shared `scripts:` that does, as merging them makes
//!   it. A line counts when a statement starts on it.
//! - **Parameters.** Each value of the parameter tree (a leaf: a price, a bound, one item of a
//!   list) is taken away in turn, and the cases run again: a value whose absence changes no case's
//!   result is one no case reads, or one no case would catch a mistake in. Either way, a case is
//!   missing. The comparison is on the whole result, not only the fields a case expects.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rhai::debugger::{DebuggerCommand, DebuggerEvent};
use rhai::{ASTNode, Array, Dynamic, Engine, EvalContext, Map, Position};
use serde::Serialize;

use missions_base::value::Node;

use super::{EvalOptions, Pack, Route, Runtime};
use crate::script::build_engine;

/// The coverage of one script file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScriptCoverage {
    /// The file, as `pack.yaml` names it.
    pub file: String,
    /// Lines where a statement starts.
    pub lines: usize,
    /// Those of them no case ran, in order.
    pub missed: Vec<usize>,
}

impl ScriptCoverage {
    /// The missed lines as people read them: `12, 15-17`.
    pub fn missed_ranges(&self) -> String {
        let mut out = String::new();
        let mut i = 0;
        while let Some(&start) = self.missed.get(i) {
            let mut end = start;
            while self.missed.get(i + 1).is_some_and(|&next| next == end + 1) {
                end += 1;
                i += 1;
            }
            if !out.is_empty() {
                out.push_str(", ");
            }
            // Writing to a String cannot fail.
            let _ = if end == start { write!(out, "{start}") } else { write!(out, "{start}-{end}") };
            i += 1;
        }
        out
    }
}

/// What a pack's cases leave untested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The cases run.
    pub cases: usize,
    /// Each script file of the pack, in the order `pack.yaml` names them.
    pub scripts: Vec<ScriptCoverage>,
    /// The values of the parameter tree.
    pub param_values: usize,
    /// The paths of the values no case's result depends on (`setup_fee_tiers[3].price`).
    pub unread_params: Vec<String>,
}

/// One step down the parameter tree.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            // Writing to a String cannot fail.
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// Every leaf of `v` that holds a value (an empty one, such as a last tier's missing bound, has
/// nothing to take away): its path from the root.
fn leaves(v: &Dynamic, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    if v.is_unit() {
        return;
    }
    if let Some(map) = v.read_lock::<Map>() {
        for (k, item) in map.iter() {
            path.push(Step::Key(k.to_string()));
            leaves(item, path, out);
            path.pop();
        }
    } else if let Some(array) = v.read_lock::<Array>() {
        for (i, item) in array.iter().enumerate() {
            path.push(Step::Index(i));
            leaves(item, path, out);
            path.pop();
        }
    } else {
        out.push(path.clone());
    }
}

/// `v` with the leaf at `path` taken away (unit); every other value as it is.
fn without(v: &Dynamic, path: &[Step]) -> Dynamic {
    match path.split_first() {
        None => Dynamic::UNIT,
        Some((Step::Key(k), rest)) => {
            let mut map = v.read_lock::<Map>().map(|m| m.clone()).unwrap_or_default();
            if let Some(item) = map.get_mut(k.as_str()) {
                *item = without(item, rest);
            }
            Dynamic::from_map(map)
        }
        Some((Step::Index(i), rest)) => {
            let mut array = v.read_lock::<Array>().map(|a| a.clone()).unwrap_or_default();
            if let Some(item) = array.get_mut(*i) {
                *item = without(item, rest);
            }
            Dynamic::from_array(array)
        }
    }
}

/// The lines each script file ran, by index into the pack's script files.
type Hits = Arc<Mutex<BTreeSet<(usize, usize)>>>;

/// The pack's engine with a debugger that records, for every node it steps through, the line and
/// the script file defining the function that runs it. `running` is the index of the running
/// entry's own script file.
fn tracing_engine(pack: &Pack, hits: &Hits, running: &Arc<AtomicUsize>) -> Engine {
    let inner = &*pack.inner;
    let mut engine = build_engine(&inner.limits, inner.ctx.clone());
    let files: Vec<(bool, Vec<(String, usize)>)> =
        inner.scripts.iter().map(|s| (s.shared, s.functions.clone())).collect();
    // The entry's own script first, then the shared ones, the last merged first.
    let owner = move |running: usize, name: &str, arity: usize| {
        let defines =
            |file: usize| files.get(file).is_some_and(|(_, fns)| fns.iter().any(|(n, a)| n == name && *a == arity));
        let shared = (0..files.len()).rev().filter(|f| files.get(*f).is_some_and(|(s, _)| *s));
        std::iter::once(running).chain(shared).find(|f| defines(*f))
    };
    let (hits, running) = (hits.clone(), running.clone());
    let record = move |ctx: EvalContext<'_, '_, '_, '_, '_, '_>,
                       _: DebuggerEvent<'_>,
                       _: ASTNode<'_>,
                       _: Option<&str>,
                       pos: Position| {
        let entry = running.load(Ordering::Relaxed);
        let file = ctx.debugger().and_then(|d| {
            d.call_stack().iter().rev().find_map(|frame| owner(entry, frame.fn_name.as_str(), frame.args.len()))
        });
        if let (Some(file), Some(line)) = (file, pos.line()) {
            hits.lock().unwrap_or_else(PoisonError::into_inner).insert((file, line));
        }
        Ok(DebuggerCommand::StepInto)
    };
    // rhai marks its debugger interface as volatile; rhai is pinned to one release for this and
    // for the direct evaluation (Cargo.toml).
    #[allow(deprecated)]
    engine.register_debugger(|_, debugger| debugger, record);
    engine
}

/// A case's result, to compare: the output's text or the error's.
fn outcome(pack: &Pack, runtime: Runtime<'_>, entry: &str, input: &Node) -> Result<String, String> {
    pack.eval_on(runtime, entry, input, EvalOptions::default(), &[], Route::Rhai)
        .map(|(ev, _)| ev.output.into_string())
        .map_err(|e| e.to_string())
}

impl Pack {
    /// What `cases` (each an entry and an input) leave untested in this pack; see the module's
    /// documentation. Runs every case once with a debugger, then once more per parameter value
    /// until one case's result changes.
    pub fn coverage(&self, cases: &[(String, Node)]) -> Coverage {
        let inner = &*self.inner;
        let (hits, running) = (Hits::default(), Arc::new(AtomicUsize::new(usize::MAX)));
        let engine = tracing_engine(self, &hits, &running);
        let traced = Runtime { engine: &engine, params: &inner.params };
        let expected: Vec<Result<String, String>> = cases
            .iter()
            .map(|(entry, input)| {
                let script = inner.entries.get(entry).map(|e| e.script.as_str());
                let own = inner.scripts.iter().position(|s| Some(s.rel.as_str()) == script);
                running.store(own.unwrap_or(usize::MAX), Ordering::Relaxed);
                outcome(self, traced, entry, input)
            })
            .collect();
        let hits = std::mem::take(&mut *hits.lock().unwrap_or_else(PoisonError::into_inner));
        let scripts = inner
            .scripts
            .iter()
            .enumerate()
            .map(|(i, s)| ScriptCoverage {
                file: s.rel.clone(),
                lines: s.lines.len(),
                missed: s.lines.iter().copied().filter(|line| !hits.contains(&(i, *line))).collect(),
            })
            .collect();

        let mut paths = Vec::new();
        leaves(&inner.params, &mut Vec::new(), &mut paths);
        let unread_params = paths
            .iter()
            .filter(|path| {
                // Shared and read-only, as the loader hands parameters to scripts.
                let params = without(&inner.params, path).into_read_only().into_shared().into_read_only();
                let runtime = Runtime { engine: &inner.engine, params: &params };
                cases
                    .iter()
                    .zip(&expected)
                    .all(|((entry, input), before)| outcome(self, runtime, entry, input) == *before)
            })
            .map(|path| render(path))
            .collect();
        Coverage { cases: cases.len(), scripts, param_values: paths.len(), unread_params }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(files: &[(&str, &str)]) -> (tempfile::TempDir, Pack) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            std::fs::create_dir_all(dir.path().join(path).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(path), text).unwrap();
        }
        let pack = Pack::load(dir.path()).unwrap();
        (dir, pack)
    }

    const MANIFEST: &str = "name: t\nversion: 1.0.0\neffective_from: 2026-01-01\ncurrency: EUR\n\
        timezone: Europe/Brussels\nlanguages: [fr, nl, en]\nparams:\n  files: [p.yaml]\n\
        scripts: [shared.rhai]\nentries:\n  price:\n    script: price.rhai\n    input: {n: integer}\n\
        \x20 other:\n    script: other.rhai\n    input: {}\n";

    /// A branch no case takes, a function of a shared file, a tier no case reaches, a value no
    /// script reads, and an entry no case calls: each is reported, and nothing else is.
    #[test]
    fn lines_never_run_and_values_no_case_depends_on_are_reported() {
        let shared = "fn double(x) {\n    x * 2\n}\n\nfn never() {\n    0\n}\n";
        let price = "fn price(input, params) {\n    let n = input.n;\n    if n > 100 {\n        throw \"too many\";\n    }\n    for tier in params.tiers {\n        if n <= tier.up_to {\n            return double(tier.price);\n        }\n    }\n    0\n}\n";
        let other = "fn other(input, params) {\n    params.unused\n}\n";
        let params =
            "tiers:\n  - {up_to: 10, price: 5}\n  - {up_to: 20, price: 4}\n  - {up_to: 30, price: 3}\nunused: 7\n";
        let (_dir, pack) = pack(&[
            ("pack.yaml", MANIFEST),
            ("shared.rhai", shared),
            ("price.rhai", price),
            ("other.rhai", other),
            ("p.yaml", params),
        ]);
        let case = |n: i64| ("price".to_owned(), Node::from_json(&serde_json::json!({ "n": n })));
        let c = pack.coverage(&[case(3), case(15)]);
        assert_eq!(c.cases, 2);
        let files: Vec<(&str, usize, &[usize])> =
            c.scripts.iter().map(|s| (s.file.as_str(), s.lines, s.missed.as_slice())).collect();
        assert_eq!(
            files,
            [("shared.rhai", 2, &[6][..]), ("price.rhai", 7, &[4, 11][..]), ("other.rhai", 1, &[2][..])],
            "{c:#?}"
        );
        // The third tier is never reached, and nothing reads `unused` through a case.
        assert_eq!(c.param_values, 7);
        assert_eq!(c.unread_params, ["tiers[2].price", "tiers[2].up_to", "unused"]);

        // A case for every branch and every entry leaves nothing out.
        let c =
            pack.coverage(&[case(3), case(15), case(25), case(50), case(101), ("other".to_owned(), Node::Map(vec![]))]);
        assert_eq!(c.unread_params, Vec::<String>::new());
        assert_eq!(c.scripts.iter().map(|s| s.missed.clone()).collect::<Vec<_>>(), [vec![6], vec![], vec![]]);
    }

    /// Two entry scripts defining a function of the same name: each entry's calls count for its
    /// own file, as each entry runs its own.
    #[test]
    fn a_function_two_entry_scripts_define_is_each_entrys_own() {
        let (_dir, pack) = pack(&[
            ("pack.yaml", MANIFEST),
            ("shared.rhai", "fn double(x) { x * 2 }\n"),
            ("price.rhai", "fn price(input, params) {\n    helper()\n}\nfn helper() {\n    1\n}\n"),
            ("other.rhai", "fn other(input, params) {\n    0\n}\nfn helper() {\n    2\n}\n"),
            ("p.yaml", "tiers: []"),
        ]);
        let c = pack.coverage(&[("price".to_owned(), Node::from_json(&serde_json::json!({"n": 1})))]);
        let missed: Vec<(&str, &[usize])> = c.scripts.iter().map(|s| (s.file.as_str(), s.missed.as_slice())).collect();
        assert_eq!(missed, [("shared.rhai", &[1][..]), ("price.rhai", &[][..]), ("other.rhai", &[2, 5][..])]);
    }

    /// The debugger that traces coverage runs is not something scripts can call.
    #[test]
    fn scripts_cannot_call_the_debugging_functions() {
        let (_dir, pack) = pack(&[
            ("pack.yaml", MANIFEST),
            ("shared.rhai", "fn double(x) { x * 2 }"),
            ("price.rhai", "fn price(input, params) { back_trace() }"),
            ("other.rhai", "fn other(input, params) { 1 }"),
            ("p.yaml", "tiers: []"),
        ]);
        let err = pack.eval("price", &serde_json::json!({"n": 1})).unwrap_err();
        assert!(err.to_string().contains("back_trace"), "{err}");
    }

    #[test]
    fn missed_lines_read_as_ranges() {
        let c = ScriptCoverage { file: "a.rhai".into(), lines: 9, missed: vec![3, 5, 6, 7, 10, 12, 13] };
        assert_eq!(c.missed_ranges(), "3, 5-7, 10, 12-13");
        assert_eq!(ScriptCoverage { missed: vec![], ..c }.missed_ranges(), "");
    }
}
