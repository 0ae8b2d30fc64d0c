//! The architecture's rules (docs/architecture.md), checked on the source of every crate:
//!
//! - inside each crate, no module imports a module that imports it back;
//! - no source file is longer than 600 lines, unit tests aside;
//! - the engine's crates depend downwards only, as the table in docs/architecture.md says.
//!
//! The import graph is read from the text: `use` statements and `crate::`, `super::`, `self::`
//! or child-module paths in code, with a parent's re-exports (`pub use child::Item`) followed to
//! the module that defines the item. Comments and `#[cfg(test)]` modules are left out: tests may
//! use anything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const CRATES: [&str; 9] = [
    "crates/base",
    "crates/calendar",
    "crates/models",
    "crates/money",
    "crates/rules",
    "crates/store",
    "engine",
    "host",
    "plugin-host",
];

/// Longest source file allowed, in lines.
const MAX_LINES: usize = 600;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The module path of a file under a crate's `src/`: `money::read` for `money/read.rs`,
/// `money` for `money/mod.rs`, `` for `lib.rs`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib") {
        parts.push(stem.to_owned());
    }
    parts
}

/// The code of a file without comments and without its `#[cfg(test)] mod …` tail.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut skip_next = false;
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && let Some(next) = lines.get(i + 1).map(|n| n.trim())
            && next.starts_with("mod ")
        {
            if next.ends_with(';') {
                // A test module in a file of its own: not this file's code; the rest is.
                skip_next = true;
                continue;
            }
            break;
        }
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    // `x as y` names `x`: drop the alias before the spaces go.
    let mut plain = String::new();
    let mut words = tree.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "as" {
            let alias = words.next().unwrap_or("");
            plain.push_str(alias.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'));
        } else {
            plain.push_str(w);
        }
    }
    expand(&plain)
}

fn expand(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.trim_end_matches("::").to_owned()];
    };
    let prefix = &tree[..open];
    let inner = tree[open + 1..].strip_suffix('}').unwrap_or(&tree[open + 1..]);
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |s| format!("{prefix}{s}")))
        .collect()
}

#[derive(Default)]
struct Module {
    /// Child modules declared with `mod x;`.
    children: BTreeSet<String>,
    /// Items this module re-exports, by name, with the path they come from.
    reexports: BTreeMap<String, Vec<String>>,
    /// Paths this module uses, as written (absolute from the crate root once resolved).
    uses: Vec<Vec<String>>,
}

/// Turn a path as written in `module` into segments from the crate root.
fn absolute(module: &[String], children: &BTreeSet<String>, path: &str) -> Option<Vec<String>> {
    let segs: Vec<String> = path.split("::").map(str::to_owned).collect();
    let (first, rest) = segs.split_first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop();
            let mut rest = rest;
            while rest.first().is_some_and(|s| s == "super") {
                m.pop();
                rest = &rest[1..];
            }
            m.extend(rest.iter().cloned());
            return Some(m);
        }
        child if children.contains(child) => {
            let mut m = module.to_vec();
            m.push(child.to_owned());
            m
        }
        _ => return None,
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

fn read_crate(src: &Path) -> BTreeMap<Vec<String>, Module> {
    let mut modules = BTreeMap::new();
    for file in sources(src) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name == "main.rs" || name == "tests.rs" || name == "build.rs" {
            continue;
        }
        let module = module_of(src, &file);
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let mut m = Module::default();
        for line in code.lines() {
            let t = line.trim_start();
            let t = t
                .strip_prefix("pub ")
                .or_else(|| t.split_once(") ").filter(|_| t.starts_with("pub(")).map(|x| x.1))
                .unwrap_or(t);
            if let Some(name) = t.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                m.children.insert(name.trim().to_owned());
            }
        }
        // `use` statements, which may span lines.
        let mut rest = code.as_str();
        let mut statements = Vec::new();
        while let Some(i) = rest.find("use ") {
            let before = &rest[..i];
            let at_start = before.is_empty() || before.ends_with(['\n', ' ', '\t']) || before.ends_with(") ");
            let Some(end) = rest[i..].find(';') else { break };
            if at_start {
                let line_start = before.rfind('\n').map_or(0, |n| n + 1);
                let head = before[line_start..].trim();
                let reexport = head.starts_with("pub");
                statements.push((reexport, rest[i + 4..i + end].to_owned()));
            }
            rest = &rest[i + end..];
        }
        for (reexport, tree) in statements {
            for path in expand_use(&tree) {
                let Some(abs) = absolute(&module, &m.children, &path) else { continue };
                if reexport {
                    let item = abs.last().cloned().unwrap_or_default();
                    m.reexports.insert(item, abs.clone());
                    if abs.starts_with(&module) {
                        continue; // a parent listing what its children hold
                    }
                }
                m.uses.push(abs);
            }
        }
        // Paths written in code: `crate::money::round_half_away(…)`, `dates::register(…)`.
        let bytes = code.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let starts_word =
                i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
            if starts_word && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') {
                let mut j = i;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] == b':') {
                    j += 1;
                }
                let word = code[i..j].trim_end_matches(':');
                if word.contains("::")
                    && !code[..i].trim_end().ends_with("use")
                    && let Some(abs) = absolute(&module, &m.children, word)
                {
                    m.uses.push(abs);
                }
                i = j;
            } else {
                i += 1;
            }
        }
        modules.insert(module, m);
    }
    modules
}

/// The module a path lands in: its longest prefix that is a module, following re-exports.
fn target(modules: &BTreeMap<Vec<String>, Module>, path: &[String], hops: usize) -> Option<Vec<String>> {
    let n = (0..=path.len()).rev().find(|n| modules.contains_key(&path[..*n]))?;
    let module = path[..n].to_vec();
    if hops < 8
        && let Some(item) = path.get(n)
        && let Some(from) = modules[&module].reexports.get(item)
    {
        return target(modules, from, hops + 1);
    }
    Some(module)
}

fn show(m: &[String]) -> String {
    if m.is_empty() { "(crate root)".into() } else { m.join("::") }
}

/// Edges between modules of one crate, each with one path that makes it.
fn graph(modules: &BTreeMap<Vec<String>, Module>) -> BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> {
    let mut edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
    for (name, m) in modules {
        let out = edges.entry(name.clone()).or_default();
        for path in &m.uses {
            if let Some(t) = target(modules, path, 0)
                && t != *name
            {
                out.entry(t).or_insert_with(|| path.join("::"));
            }
        }
    }
    edges
}

fn cycles(edges: &BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>>) -> Vec<String> {
    let mut found = Vec::new();
    for (a, outs) in edges {
        for (b, via_ab) in outs {
            if a < b
                && let Some(via_ba) = edges.get(b).and_then(|o| o.get(a))
            {
                found.push(format!("{} uses {} (`{via_ab}`) and back (`{via_ba}`)", show(a), show(b)));
            }
        }
    }
    // Longer circles: a module that reaches itself.
    for start in edges.keys() {
        let mut stack: Vec<(Vec<String>, Vec<Vec<String>>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(&at).into_iter().flat_map(BTreeMap::keys) {
                if next == start && trail.len() > 2 && trail.iter().min() == Some(start) {
                    let names: Vec<String> = trail.iter().map(|m| show(m)).collect();
                    found.push(format!("{} → {}", names.join(" → "), show(start)));
                } else if seen.insert(next.clone()) {
                    let mut t = trail.clone();
                    t.push(next.clone());
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    found
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let mut problems = Vec::new();
    for krate in CRATES {
        let modules = read_crate(&root().join(krate).join("src"));
        assert!(modules.len() > 1 || krate == "engine", "{krate}: no modules read");
        for c in cycles(&graph(&modules)) {
            problems.push(format!("{krate}: {c}"));
        }
    }
    assert!(problems.is_empty(), "circles between modules:\n{}", problems.join("\n"));
}

/// The checker itself finds a circle when there is one, follows re-exports, and leaves tests out.
#[test]
fn the_circle_check_sees_circles() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir(src.join("money")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod money;\nmod pack;\npub use pack::Pack;\n").unwrap();
    std::fs::write(src.join("money/mod.rs"), "mod read;\npub use read::finish;\n").unwrap();
    std::fs::write(src.join("money/read.rs"), "use crate::Pack;\npub fn finish() {}\n").unwrap();
    std::fs::write(
        src.join("pack.rs"),
        "pub struct Pack;\nfn f() { crate::money::finish() }\n#[cfg(test)]\nmod tests {\n    use crate::money::*;\n}\n",
    )
    .unwrap();
    let found = cycles(&graph(&read_crate(src)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("money::read uses pack") || found[0].contains("pack uses money::read"), "{found:?}");

    // Without the use in `read.rs`, nothing: the test module's use does not count.
    std::fs::write(src.join("money/read.rs"), "// use crate::Pack;\npub fn finish() {}\n").unwrap();
    assert!(cycles(&graph(&read_crate(src))).is_empty());
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let mut problems = Vec::new();
    for krate in CRATES {
        for file in sources(&root().join(krate).join("src")) {
            let rel = file.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            if rel.ends_with("/tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            // Unit tests at the end of a file do not count.
            let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or(&text);
            let lines = code.lines().count();
            if lines > MAX_LINES {
                problems.push(format!("{rel}: {lines} lines (at most {MAX_LINES})"));
            }
        }
    }
    assert!(problems.is_empty(), "files too long; split them:\n{}", problems.join("\n"));
}

/// The engine's crates depend downwards only: the `[dependencies]` of each crate's Cargo.toml
/// name only crates below it.
#[test]
fn crates_depend_downwards() {
    let allowed: [(&str, &[&str]); 7] = [
        ("crates/base", &[]),
        ("crates/calendar", &["missions-base"]),
        ("crates/money", &["missions-base", "missions-calendar"]),
        ("crates/models", &["missions-base", "missions-calendar"]),
        ("crates/rules", &["missions-base", "missions-calendar", "missions-money"]),
        ("crates/store", &[]),
        ("engine", &["missions-base", "missions-calendar", "missions-models", "missions-money", "missions-rules"]),
    ];
    for (krate, may) in allowed {
        let manifest = std::fs::read_to_string(root().join(krate).join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
        for line in deps.lines() {
            let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
            if name.starts_with("missions-") {
                assert!(may.contains(&name), "{krate} depends on {name}; it may depend on {may:?} only");
            }
        }
        if krate != "crates/rules" && krate != "engine" {
            assert!(!deps.lines().any(|l| l.trim_start().starts_with("rhai")), "{krate} depends on rhai");
        }
    }
}

/// CI runs the HTTP tests a second time on PostgreSQL, naming each test file: a new one must be
/// named there too, or it would run on SQLite only.
#[test]
fn ci_runs_every_http_test_file_on_postgres() {
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root().join("tests")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".rs").filter(|s| s.starts_with("http") && *s != "http_common")
            && !ci.contains(&format!("--test {stem} "))
            && !ci.contains(&format!("--test {stem}\n"))
        {
            missing.push(stem.to_owned());
        }
    }
    assert!(missing.is_empty(), "`.ci/run` does not run these HTTP tests on PostgreSQL: {missing:?}");
}
