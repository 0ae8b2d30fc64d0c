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

/// One decision's measurements: the floor first, then each implementation off and on.
struct Table {
    decision: &'static str,
    stats: Vec<Stats>,
    /// Whether ZEN can express the decision.
    zen: bool,
}

const OURS: &str = "rhai pack (missions-engine)";
const TRACE_ON: &str = " [trace]";

fn name(base: &str, trace: bool) -> String {
    if trace { format!("{base}{TRACE_ON}") } else { base.to_owned() }
}

fn main() -> ExitCode {
    let a = args();
    let want = |d: &str| a.only.as_deref().is_none_or(|o| o == d);
    let load_before = loadavg();

    let esomus = Pack::load(repo_path("rules/esomus")).unwrap_or_else(|d| panic!("{d}"));
    let norriq = Pack::load(repo_path("rules/norriq")).unwrap_or_else(|d| panic!("{d}"));
    let tier_pack = Pack::load(crate_path("packs/tier")).unwrap_or_else(|d| panic!("{d}"));
    let zen_quote = Zen::load("esomus-quote.json").unwrap_or_else(|e| panic!("jdm/esomus-quote.json: {e}"));
    let zen_figures = Zen::load("esomus-quote-figures.json").unwrap_or_else(|e| panic!("jdm/esomus-quote-figures.json: {e}"));
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
        let zf = zen_of(&zen_figures, project::quote, false);
        ok &= check(
            "esomus quote",
            &quotes,
            &[
                ("rhai pack", &o),
                ("hand-written Rust", &floor_quote),
                ("ZEN JDM", &z),
                ("ZEN JDM, figures only", &zf),
                ("rhai pack, trace on", &ot),
                ("ZEN JDM, trace on", &zt),
            ],
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

    // ---- 2. timing: per decision, every implementation with tracing off and on, interleaved in
    // one measurement so that the machine's load falls on all of them alike.
    let mut tables: Vec<Table> = Vec::new();
    let (esomus, norriq, tier_pack) = (&esomus, &norriq, &tier_pack);
    let (zen_quote, zen_figures, zen_tier) = (&zen_quote, &zen_figures, &zen_tier);
    if want("quote") {
        let mut c = vec![Contender::new("hand-written Rust", |i| {
            black_box(floor::esomus::quote_by_hand(i, &tariff).ok());
        })];
        for trace in [false, true] {
            c.push(Contender::new(name("ZEN JDM", trace), move |i| {
                black_box(zen_quote.eval(i, trace).ok());
            }));
            c.push(Contender::new(name(OURS, trace), move |i| {
                black_box(esomus.eval_with("quote", i, EvalOptions { trace }).ok());
            }));
            c.push(Contender::new(name("ZEN JDM, figures only (no labels, no notes)", trace), move |i| {
                black_box(zen_figures.eval(i, trace).ok());
            }));
        }
        tables.push(Table { decision: "esomus `quote`, 1 000 varied inputs", stats: measure(&mut c, &quotes, a.budget), zen: true });
    }
    if want("tier") {
        let mut c = vec![Contender::new("hand-written Rust", |i| {
            black_box(floor::tier::tier(i).ok());
        })];
        for trace in [false, true] {
            c.push(Contender::new(name("ZEN JDM", trace), move |i| {
                black_box(zen_tier.eval(i, trace).ok());
            }));
            c.push(Contender::new(name(OURS, trace), move |i| {
                black_box(tier_pack.eval_with("tier", i, EvalOptions { trace }).ok());
            }));
        }
        tables.push(Table { decision: "5-row tier decision", stats: measure(&mut c, &tiers, a.budget / 2), zen: true });
    }
    if want("sla") {
        let mut c = vec![Contender::new("hand-written Rust", |i| {
            black_box(floor::sla::sla(i, &cal).ok());
        })];
        for trace in [false, true] {
            c.push(Contender::new(name(OURS, trace), move |i| {
                black_box(norriq.eval_with("sla", i, EvalOptions { trace }).ok());
            }));
        }
        tables.push(Table { decision: "norriq `sla`, 1 000 varied tickets", stats: measure(&mut c, &slas, a.budget / 2), zen: false });
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
    for t in &tables {
        let floor = &t.stats[0];
        for trace in [false, true] {
            // ZEN with the same trace setting is the reference of the "× ZEN" column.
            let zen = t.stats.iter().find(|s| s.name == name("ZEN JDM", trace));
            for s in t.stats.iter().filter(|s| s.name.ends_with(TRACE_ON) == trace && !(trace && s.name == floor.name)) {
                let xf = floor.per_sec / s.per_sec;
                let xz = zen.map(|z| z.per_sec / s.per_sec);
                let shown = s.name.trim_end_matches(TRACE_ON);
                writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} | {:.2}× | {} |",
                    t.decision,
                    shown,
                    if trace { "on" } else { "off" },
                    fmt_count(s.per_sec),
                    fmt_duration(s.p50),
                    fmt_duration(s.p99),
                    xf,
                    xz.map_or("—".into(), |x| format!("{x:.2}×"))
                )
                .ok();
                writeln!(
                    csv,
                    "\"{}\",\"{}\",{},{:.0},{},{},{:.3},{}",
                    t.decision.replace('`', ""),
                    shown,
                    trace,
                    s.per_sec,
                    s.p50.as_nanos(),
                    s.p99.as_nanos(),
                    xf,
                    xz.map_or(String::new(), |x| format!("{x:.3}"))
                )
                .ok();
            }
            if !t.zen {
                writeln!(
                    md,
                    "| {} | ZEN JDM | {} | not expressible: ZEN has no business calendar (working hours, holidays) | | | | |",
                    t.decision,
                    if trace { "on" } else { "off" }
                )
                .ok();
            }
        }
    }
    writeln!(md, "\nTrace on ÷ trace off (time per evaluation, same interleaved run):\n").ok();
    for t in &tables {
        for off in t.stats.iter().skip(1).filter(|s| !s.name.ends_with(TRACE_ON)) {
            if let Some(on) = t.stats.iter().find(|s| s.name == format!("{}{TRACE_ON}", off.name)) {
                writeln!(md, "- {} — {}: **{:.2}×**", t.decision, off.name, off.per_sec / on.per_sec).ok();
            }
        }
    }
    writeln!(
        md,
        "\nCalls timed; calls left out of the mean as interruptions (over {}× the median); the slowest input's best time ÷ the median:\n",
        missions_compare::timing::OUTLIER
    )
    .ok();
    for t in &tables {
        let parts: Vec<String> = t
            .stats
            .iter()
            .map(|s| {
                format!(
                    "{} {} / {:.2} % / {:.1}×",
                    s.name,
                    fmt_count(s.evals as f64),
                    100.0 * s.left_out as f64 / s.evals as f64,
                    s.slowest_input
                )
            })
            .collect();
        writeln!(md, "- {}: {}", t.decision, parts.join("; ")).ok();
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
