//! Direct evaluation against rhai, on generated scripts: every script uses only what direct
//! evaluation lowers (expressions, statements, loops, lists, maps, integers and decimals at their
//! edges), must be lowered, and must give the same output text, or the same error, both ways on
//! every input.
//!
//! The direct walk must also count at least the operations rhai counts (so it stops wherever rhai
//! would; see `direct::extra_ops`).
//!
//! `cargo test` runs a fixed number of scripts under a fixed seed, so a failure is reproducible.
//! For a longer run: `MISSIONS_DIFF_SCRIPTS=200000 MISSIONS_DIFF_SEED=7 cargo test --release
//! -p missions-rules differential`. A failing script is printed in full.

use missions_base::value::Node;
use serde_json::{Value, json};

use crate::error::{EvalError, EvalOptions, Evaluation};
use crate::pack::Pack;

/// A pack folder with these files.
fn temp_pack(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

/// Scripts per `cargo test` run, and per pack.
const DEFAULT_SCRIPTS: usize = 2_000;
const PER_PACK: usize = 50;
/// The generated packs' operation limit: loops are short, and some scripts reach it.
const MAX_OPERATIONS: u64 = 10_000;

/// SplitMix64: a small, well-mixed generator; the same seed gives the same scripts everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Integers at the edges of i64 and small ones that make loops and indices interesting.
const INTS: [&str; 12] = [
    "0",
    "1",
    "-1",
    "2",
    "3",
    "7",
    "100",
    "-100",
    "9223372036854775807",
    "(-9223372036854775807 - 1)",
    "4611686018427387904",
    "1000000007",
];

/// Decimals at rhai's edges: the largest, the smallest step, negative zero-ish, halves.
const DECIMALS: [&str; 10] = [
    "0.0",
    "1.5",
    "-2.25",
    "0.1",
    "0.0000000000000000000000000001",
    "79228162514264337593543950335.0",
    "-79228162514264337593543950335.0",
    "12.345",
    "-0.5",
    "100.00",
];

struct Gen {
    rng: Rng,
    /// Variables in scope that hold integers (by name).
    ints: Vec<String>,
    decs: Vec<String>,
    fresh: usize,
    loops: usize,
}

impl Gen {
    fn int(&mut self, depth: usize) -> String {
        let r = self.rng.below(if depth == 0 { 3 } else { 9 });
        match r {
            0 => self.rng.pick(&INTS).to_owned(),
            1 | 2 => {
                let i = self.rng.below(self.ints.len());
                self.ints[i].clone()
            }
            3 | 4 => {
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                format!("({} {op} {})", self.int(depth - 1), self.int(depth - 1))
            }
            5 => format!("-({})", self.int(depth - 1)),
            6 => format!("m.{}", self.rng.pick(&["k", "j"])),
            7 => format!("l[{}]", self.rng.pick(&["0", "1", "2", "-1", "a"])),
            _ => format!("{}.{}()", self.dec(depth - 1), self.rng.pick(&["to_int", "ceiling", "floor"])),
        }
    }

    fn dec(&mut self, depth: usize) -> String {
        let r = self.rng.below(if depth == 0 { 3 } else { 9 });
        match r {
            0 => self.rng.pick(&DECIMALS).to_owned(),
            1 | 2 => {
                let i = self.rng.below(self.decs.len());
                self.decs[i].clone()
            }
            3 | 4 => {
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                // Mixed integer and decimal operands as often as not.
                let right = if self.rng.chance(30) { self.int(depth - 1) } else { self.dec(depth - 1) };
                format!("({} {op} {right})", self.dec(depth - 1))
            }
            5 => format!("-({})", self.dec(depth - 1)),
            6 => format!(
                "round_half_away({}, {})",
                self.dec(depth - 1),
                self.rng.pick(&["0", "2", "12", "13", "-1", "a"])
            ),
            7 => format!("to_decimal({})", self.int(depth - 1)),
            _ => format!("{}.{}()", self.dec(depth - 1), self.rng.pick(&["ceiling", "floor"])),
        }
    }

    fn any(&mut self, depth: usize) -> String {
        match self.rng.below(8) {
            0 | 1 => self.int(depth),
            2 => self.dec(depth),
            3 => self.boolean(depth),
            4 => format!("(s + \"é0123\").sub_string({}, {})", self.int(1), self.int(1)),
            5 => format!(
                "date({}, {}, {}).to_string()",
                self.rng.pick(&["2026", "1900", "2200", "a"]),
                self.int(1),
                self.int(1)
            ),
            6 => format!("`n${{{}}}/${{s}}:${{{}}}`", self.int(1), self.rng.pick(&["s", "b", "l", "true"])),
            _ => format!("s + {}", self.rng.pick(&["\"!\"", "s"])),
        }
    }

    fn boolean(&mut self, depth: usize) -> String {
        match self.rng.below(if depth == 0 { 2 } else { 8 }) {
            0 => self.rng.pick(&["true", "false"]).to_owned(),
            1 => {
                let op = self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                let (x, y) = match self.rng.below(3) {
                    0 => (self.int(1), self.int(1)),
                    1 => (self.dec(1), self.dec(1)),
                    _ => (self.int(1), self.dec(1)),
                };
                format!("({x} {op} {y})")
            }
            2 => format!("({} && {})", self.boolean(depth - 1), self.boolean(depth - 1)),
            3 => format!("({} || {})", self.boolean(depth - 1), self.boolean(depth - 1)),
            4 => format!("!{}", self.boolean(depth - 1)),
            5 => format!("(\"{}\" in m)", self.rng.pick(&["k", "j", "z"])),
            6 => format!("{}.is_empty()", self.rng.pick(&["l", "m", "s", "[]", "#{}", "\"\""])),
            _ => format!("({} in l)", self.int(1)),
        }
    }

    fn block(&mut self, depth: usize, n: usize) -> String {
        let (ints, decs) = (self.ints.len(), self.decs.len());
        let body: Vec<String> = (0..n).map(|_| self.stmt(depth)).collect();
        // Variables declared inside the block go out of scope with it.
        self.ints.truncate(ints);
        self.decs.truncate(decs);
        body.join("\n")
    }

    fn stmt(&mut self, depth: usize) -> String {
        let r = self.rng.below(if depth == 0 { 6 } else { 11 });
        match r {
            0 => {
                let v = format!("v{}", self.fresh);
                self.fresh += 1;
                let s = format!("let {v} = {};", self.int(2));
                self.ints.push(v);
                s
            }
            1 => {
                let v = format!("d{}", self.fresh);
                self.fresh += 1;
                let s = format!("let {v} = {};", self.dec(2));
                self.decs.push(v);
                s
            }
            2 => {
                let op = self.rng.pick(&["=", "+=", "-=", "*="]);
                let v = self.rng.pick(&["a", "c"]);
                format!("{v} {op} {};", self.int(2))
            }
            3 => {
                let op = self.rng.pick(&["=", "+=", "-=", "*=", "/="]);
                format!("b {op} {};", self.dec(2))
            }
            4 => format!("l.push({});", self.int(1)),
            5 => format!("m.{} = {};", self.rng.pick(&["k", "j"]), self.int(1)),
            6 | 7 => {
                let (t, e) = (self.block(depth - 1, 2), self.block(depth - 1, 1));
                format!("if {} {{\n{t}\n}} else {{\n{e}\n}}", self.boolean(2))
            }
            8 => {
                let i = format!("i{}", self.loops);
                self.loops += 1;
                let limit = self.rng.below(5);
                let exit = match self.rng.below(3) {
                    0 => format!("if {} {{ break; }}", self.boolean(1)),
                    1 => format!("if {} {{ continue; }}", self.boolean(1)),
                    _ => String::new(),
                };
                let body = self.block(depth - 1, 2);
                // The counter moves first, so `continue` can never make the loop endless.
                format!("let {i} = 0;\nwhile {i} < {limit} {{\n{i} += 1;\n{exit}\n{body}\n}}")
            }
            9 => {
                let x = format!("x{}", self.loops);
                self.loops += 1;
                self.ints.push(x.clone());
                let body = self.block(depth - 1, 1);
                self.ints.retain(|v| *v != x);
                format!("for {x} in l {{\nc += {x};\n{body}\n}}")
            }
            _ => format!("if {} {{ return #{{ early: {} }}; }}", self.boolean(1), self.any(1)),
        }
    }

    fn script(&mut self, name: &str) -> String {
        self.ints = vec!["a".into(), "c".into()];
        self.decs = vec!["b".into()];
        self.fresh = 0;
        self.loops = 0;
        let c = self.rng.pick(&INTS);
        let n = 1 + self.rng.below(6);
        let body = self.block(3, n);
        let result = self.any(3);
        format!(
            "fn {name}(input, params) {{\nlet a = input.a;\nlet b = input.b;\nlet c = {c};\nlet s = \"x\";\nlet l = [1, 2, 3];\nlet m = #{{ k: 1, j: 2 }};\n{body}\n#{{ a: a, b: b, c: c, l: l, m: m, r: {result} }}\n}}\n"
        )
    }
}

fn inputs() -> Vec<Value> {
    vec![
        json!({"a": 3, "b": "1.5"}),
        json!({"a": 0, "b": "0"}),
        json!({"a": -1, "b": "-0.01"}),
        json!({"a": i64::MAX, "b": "79228162514264337593543950335"}),
        json!({"a": i64::MIN, "b": "-7.125"}),
    ]
}

fn shown(r: &Result<Evaluation, EvalError>) -> String {
    match r {
        Ok(ev) => ev.output.as_str().to_owned(),
        Err(e) => format!("error ({}): {e}", e.kind()),
    }
}

#[test]
fn generated_scripts_give_the_same_results_and_no_fewer_operations_directly() {
    let total: usize =
        std::env::var("MISSIONS_DIFF_SCRIPTS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_SCRIPTS);
    let seed: u64 = std::env::var("MISSIONS_DIFF_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_261_203);
    let mut g = Gen { rng: Rng(seed), ints: Vec::new(), decs: Vec::new(), fresh: 0, loops: 0 };
    let inputs = inputs();
    let (mut successes, mut errors) = (0usize, 0usize);
    let mut kinds: std::collections::BTreeMap<&'static str, usize> = std::collections::BTreeMap::new();
    let mut done = 0;
    while done < total {
        let n = PER_PACK.min(total - done);
        let mut files: Vec<(String, String)> = Vec::new();
        let mut entries = String::new();
        for i in 0..n {
            let name = format!("e{i}");
            entries.push_str(&format!(
                "  {name}:\n    script: {name}.rhai\n    input:\n      a: integer\n      b: decimal\n"
            ));
            files.push((format!("{name}.rhai"), g.script(&name)));
        }
        let manifest = format!(
            "name: generated\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nlimits:\n  max_operations: {MAX_OPERATIONS}\nentries:\n{entries}"
        );
        let mut all: Vec<(&str, &str)> = vec![("pack.yaml", &manifest)];
        all.extend(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let dir = temp_pack(&all);
        let pack = Pack::load(dir.path()).unwrap_or_else(|e| panic!("a generated pack does not load: {e}"));
        // Counted under the pack's own limit: a script that reaches it is a limit error both ways.
        let (counting, counter) = pack.with_max_operations(MAX_OPERATIONS);
        for (i, (_, script)) in files.iter().enumerate() {
            let entry = format!("e{i}");
            assert!(
                pack.runs_directly(&entry),
                "generated script not lowered ({:?}):\n{script}",
                pack.why_interpreted(&entry)
            );
            for input in &inputs {
                let direct = pack.eval(&entry, input);
                let rhai = pack.eval_interpreted(&entry, input, EvalOptions::default());
                let (rhai_ops, direct_ops) = counting.count_operations(&counter, &entry, &Node::from_json(input));
                if let Some(direct_ops) = direct_ops {
                    assert!(
                        direct_ops >= rhai_ops,
                        "the direct walk counted {direct_ops} operations, rhai {rhai_ops}, on input {input} (seed {seed}, script {}):\n{script}",
                        done + i
                    );
                }
                assert_eq!(
                    shown(&direct),
                    shown(&rhai),
                    "direct and rhai differ on input {input} (seed {seed}, script {}):\n{script}",
                    done + i
                );
                match &rhai {
                    Ok(_) => successes += 1,
                    Err(e) => {
                        errors += 1;
                        *kinds.entry(e.kind()).or_default() += 1;
                    }
                }
            }
        }
        done += n;
    }
    eprintln!("{done} scripts, {successes} evaluations succeeded and {errors} failed the same way both ways {kinds:?}");
    // A generator whose scripts all fail (or all succeed) would test little.
    let all = successes + errors;
    assert!(successes * 4 > all && errors * 20 > all, "{successes} successes, {errors} errors");
}
