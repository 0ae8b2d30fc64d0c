//! The comparison harness: `cargo run --release` (in benches/compare).
//!
//! 1. Evaluates every input of every decision with every implementation and checks the
//!    comparable projections agree (and that tracing changes no output); on the first mismatch
//!    it prints the input and both outputs and exits with status 1.
//! 2. Times them interleaved in one run, tracing off then on, and prints a markdown table with
//!    ratios to the hand-written floor and to ZEN.
//!
//! Options: `--budget SECONDS` per decision and trace mode (default 6), `--csv FILE` to also
//! write the rows as CSV, `--only quote|tier|sla`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Duration;

use missions_compare::timing::{Contender, Stats, fmt_count, fmt_duration, loadavg, measure};
use missions_compare::zen::{self, Zen};
use missions_compare::{crate_path, floor, inputs, locked_version, project, repo_path};
use missions_engine::{EvalOptions, Pack};
use serde_json::Value;

struct Args {
    budget: Duration,
    csv: Option<String>,
    only: Option<String>,
    count: usize,
}

fn args() -> Args {
    let mut a = Args { budget: Duration::from_secs(6), csv: None, only: None, count: 1000 };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--budget" => a.budget = Duration::from_secs_f64(it.next().and_then(|v| v.parse().ok()).unwrap_or(6.0)),
            "--csv" => a.csv = it.next(),
            "--only" => a.only = it.next(),
            "--count" => a.count = it.next().and_then(|v| v.parse().ok()).unwrap_or(1000),
            _ => {
                eprintln!("usage: compare [--budget SECONDS] [--csv FILE] [--only quote|tier|sla] [--count N]");
                std::process::exit(2);
            }
        }
    }
    a
}

/// One implementation's output for the equality check, as its comparable projection.
type Projected = Result<Value, String>;

/// Check that every implementation agrees with the first on every input.
fn check(decision: &str, inputs: &[Value], impls: &[(&str, &dyn Fn(&Value) -> (Projected, Value))]) -> bool {
    for input in inputs {
        let (want, want_full) = (impls[0].1)(input);
        for (name, f) in &impls[1..] {
            let (got, got_full) = f(input);
            if got != want {
                eprintln!("MISMATCH in {decision}: `{}` and `{name}` differ on input\n{}", impls[0].0, input);
                eprintln!(
                    "--- {} (projection)\n{}\n--- {name} (projection)\n{}",
                    impls[0].0,
                    show(&want),
                    show(&got)
                );
                eprintln!("--- {} (full output)\n{want_full:#}\n--- {name} (full output)\n{got_full:#}", impls[0].0);
                return false;
            }
        }
    }
    println!("- {decision}: the {} implementations agree on all {} inputs", impls.len(), inputs.len());
    true
}

fn show(p: &Projected) -> String {
    match p {
        Ok(v) => format!("{v:#}"),
        Err(e) => format!("error: {e}"),
    }
}

/// The output of one of our evaluations as a `serde_json::Value`.
fn output(e: &missions_engine::Evaluation) -> Value {
    let v: &Value = &e.output;
    v.clone()
}

fn zen_of(z: &Zen, p: fn(&Value) -> Value, trace: bool) -> impl Fn(&Value) -> (Projected, Value) + '_ {
    move |i: &Value| match z.eval(i, trace) {
        Ok(v) => {
            let j = zen::to_json(&v);
            (Ok(p(&j)), j)
        }
        Err(e) => (Err(e), Value::Null),
    }
}

struct Row {
    decision: &'static str,
    trace: bool,
    stats: Vec<Stats>,
    floor: usize,
    zen: Option<usize>,
    missing_zen: bool,
}

fn main() -> ExitCode {
    let a = args();
    let want = |d: &str| a.only.as_deref().is_none_or(|o| o == d);
    let load_before = loadavg();

    let esomus = Pack::load(repo_path("rules/esomus")).unwrap_or_else(|d| panic!("{d}"));
    let norriq = Pack::load(repo_path("rules/norriq")).unwrap_or_else(|d| panic!("{d}"));
    let tier_pack = Pack::load(crate_path("packs/tier")).unwrap_or_else(|d| panic!("{d}"));
    let zen_quote = Zen::load("esomus-quote.json").unwrap_or_else(|e| panic!("jdm/esomus-quote.json: {e}"));
    let zen_tier = Zen::load("tier.json").unwrap_or_else(|e| panic!("jdm/tier.json: {e}"));
    let tariff = floor::esomus::tariff();
    let cal = floor::sla::calendar();

    let quotes = inputs::esomus_quotes(a.count);
    let tiers = inputs::tiers(a.count);
    let slas = inputs::slas(a.count);

    // ---- 1. equality
    println!("## Equality check\n");
    let ours = |pack: &Pack, entry: &str, p: fn(&Value) -> Value, trace: bool| {
        let pack = pack.clone();
        let entry = entry.to_owned();
        move |i: &Value| match pack.eval_with(&entry, i, EvalOptions { trace }) {
            Ok(e) => {
                let out = output(&e);
                (Ok(p(&out)), out)
            }
            Err(e) => (Err(e.to_string()), Value::Null),
        }
    };
    let floor_quote = |i: &Value| match floor::esomus::quote_by_hand(i, &tariff) {
        Ok(v) => (Ok(project::quote(&v)), v),
        Err(e) => (Err(e), Value::Null),
    };
    let floor_tier = |i: &Value| match floor::tier::tier(i) {
        Ok(v) => (Ok(project::tier(&v)), v),
        Err(e) => (Err(e), Value::Null),
    };
    let floor_sla = |i: &Value| match floor::sla::sla(i, &cal) {
        Ok(v) => (Ok(project::sla(&v)), v),
        Err(e) => (Err(e), Value::Null),
    };
    let mut ok = true;
    if want("quote") {
        let (o, ot) = (ours(&esomus, "quote", project::quote, false), ours(&esomus, "quote", project::quote, true));
        let (z, zt) = (zen_of(&zen_quote, project::quote, false), zen_of(&zen_quote, project::quote, true));
        ok &= check(
            "esomus quote",
            &quotes,
            &[("rhai pack", &o), ("hand-written Rust", &floor_quote), ("ZEN JDM", &z), ("rhai pack, trace on", &ot), ("ZEN JDM, trace on", &zt)],
        );
    }
    if want("tier") {
        let (o, ot) = (ours(&tier_pack, "tier", project::tier, false), ours(&tier_pack, "tier", project::tier, true));
        let (z, zt) = (zen_of(&zen_tier, project::tier, false), zen_of(&zen_tier, project::tier, true));
        ok &= check(
            "5-row tier",
            &tiers,
            &[("rhai pack", &o), ("hand-written Rust", &floor_tier), ("ZEN JDM", &z), ("rhai pack, trace on", &ot), ("ZEN JDM, trace on", &zt)],
        );
    }
    if want("sla") {
        let (o, ot) = (ours(&norriq, "sla", project::sla, false), ours(&norriq, "sla", project::sla, true));
        ok &= check("norriq sla", &slas, &[("rhai pack", &o), ("hand-written Rust", &floor_sla), ("rhai pack, trace on", &ot)]);
    }
    if !ok {
        eprintln!("\nThe implementations disagree: nothing was timed.");
        return ExitCode::FAILURE;
    }
    // The sets must exercise every branch, or agreement proves little.
    if want("quote") {
        let mut codes = std::collections::BTreeSet::new();
        let mut cats = std::collections::BTreeSet::new();
        for q in &quotes {
            let out = esomus.eval("quote", q).map(|e| output(&e)).unwrap_or_default();
            for l in out["lines"].as_array().into_iter().flatten() {
                codes.insert(l["code"].as_str().unwrap_or("").to_owned());
            }
            for v in out["vat"].as_array().into_iter().flatten() {
                cats.insert(v["category"].as_str().unwrap_or("").to_owned());
            }
        }
        println!("- esomus quote set covers line codes {codes:?} and VAT categories {cats:?}");
    }

    // ---- 2. timing
    let mut rows = Vec::new();
    for trace in [false, true] {
        if want("quote") {
            let mut c = vec![
                Contender::new("hand-written Rust", |i| {
                    black_box(floor::esomus::quote_by_hand(i, &tariff).ok());
                }),
                Contender::new("ZEN JDM", |i| {
                    black_box(zen_quote.eval(i, trace).ok());
                }),
                Contender::new("rhai pack (missions-engine)", |i| {
                    black_box(esomus.eval_with("quote", i, EvalOptions { trace }).ok());
                }),
            ];
            rows.push(Row {
                decision: "esomus `quote`, 1 000 varied inputs",
                trace,
                stats: measure(&mut c, &quotes, a.budget),
                floor: 0,
                zen: Some(1),
                missing_zen: false,
            });
        }
        if want("tier") {
            let mut c = vec![
                Contender::new("hand-written Rust", |i| {
                    black_box(floor::tier::tier(i).ok());
                }),
                Contender::new("ZEN JDM", |i| {
                    black_box(zen_tier.eval(i, trace).ok());
                }),
                Contender::new("rhai pack (missions-engine)", |i| {
                    black_box(tier_pack.eval_with("tier", i, EvalOptions { trace }).ok());
                }),
            ];
            rows.push(Row {
                decision: "5-row tier decision",
                trace,
                stats: measure(&mut c, &tiers, a.budget / 2),
                floor: 0,
                zen: Some(1),
                missing_zen: false,
            });
        }
        if want("sla") {
            let mut c = vec![
                Contender::new("hand-written Rust", |i| {
                    black_box(floor::sla::sla(i, &cal).ok());
                }),
                Contender::new("rhai pack (missions-engine)", |i| {
                    black_box(norriq.eval_with("sla", i, EvalOptions { trace }).ok());
                }),
            ];
            rows.push(Row {
                decision: "norriq `sla`, 1 000 varied tickets",
                trace,
                stats: measure(&mut c, &slas, a.budget / 2),
                floor: 0,
                zen: None,
                missing_zen: true,
            });
        }
    }

    // ---- 3. report
    let mut md = String::new();
    let mut csv = String::from("decision,implementation,trace,evals_per_sec,p50_ns,p99_ns,x_floor,x_zen\n");
    writeln!(md, "\n## Timing\n").ok();
    writeln!(
        md,
        "zen-engine {}, missions-engine {}, {} inputs per decision, mimalloc, {} CPUs, load average before {} / after {}.\n",
        locked_version("zen-engine"),
        locked_version("missions-engine"),
        a.count,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_before,
        loadavg()
    )
    .ok();
    writeln!(md, "| decision | implementation | trace | evals/s | p50 | p99 | time × floor | time × ZEN |").ok();
    writeln!(md, "|---|---|---|---:|---:|---:|---:|---:|").ok();
    // The floor has no trace: trace-on rows are compared with the floor's (only) figures.
    let floor_of = |decision: &str| rows.iter().find(|r| r.decision == decision && !r.trace).map(|r| r.stats[r.floor].clone());
    for r in &rows {
        let fl = floor_of(r.decision);
        for (k, s) in r.stats.iter().enumerate() {
            if r.trace && k == r.floor {
                continue;
            }
            let xf = fl.as_ref().map(|f| f.per_sec / s.per_sec).unwrap_or(f64::NAN);
            let xz = r.zen.map(|z| r.stats[z].per_sec / s.per_sec);
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {:.2}× | {} |",
                r.decision,
                s.name,
                if r.trace { "on" } else { "off" },
                fmt_count(s.per_sec),
                fmt_duration(s.p50),
                fmt_duration(s.p99),
                xf,
                xz.map_or("—".into(), |x| format!("{x:.2}×"))
            )
            .ok();
            writeln!(
                csv,
                "\"{}\",{},{},{:.0},{},{},{:.3},{}",
                r.decision.replace('`', ""),
                s.name,
                r.trace,
                s.per_sec,
                s.p50.as_nanos(),
                s.p99.as_nanos(),
                xf,
                xz.map_or(String::new(), |x| format!("{x:.3}"))
            )
            .ok();
        }
        if r.missing_zen {
            writeln!(
                md,
                "| {} | ZEN JDM | {} | not expressible: ZEN has no business calendar (working hours, holidays) | | | | |",
                r.decision,
                if r.trace { "on" } else { "off" }
            )
            .ok();
        }
    }
    writeln!(md, "\nTrace on ÷ trace off (time per evaluation, same run):\n").ok();
    for r in rows.iter().filter(|r| !r.trace) {
        if let Some(on) = rows.iter().find(|x| x.trace && x.decision == r.decision) {
            for (k, s) in r.stats.iter().enumerate() {
                if k == r.floor {
                    continue;
                }
                if let Some(t) = on.stats.iter().find(|t| t.name == s.name) {
                    writeln!(md, "- {} — {}: **{:.2}×**", r.decision, s.name, s.per_sec / t.per_sec).ok();
                }
            }
        }
    }
    writeln!(md, "\nZEN's `block_on` of a ready future on its current-thread runtime: {} per evaluation (included above).", fmt_duration(zen_quote.block_on_overhead())).ok();
    print!("{md}");
    if let Some(path) = a.csv {
        if let Err(e) = std::fs::write(&path, csv) {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
