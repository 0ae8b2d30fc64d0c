//! Growth measurements: how cost grows with the size of the work. Writes CSV files into
//! `docs/perf-data/` (the HTTP sweep is `scripts/perf-growth.sh`, with wrk); `plots` draws them.
//!
//! `cargo run --release --bin growth [-- --quick]`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use missions_compare::repo_path;
use missions_engine::{Calendar, CalendarSpec, MemModelFiles, Pack, PlanInput, SourceText, parse_model, plan};
use serde_json::json;

/// The median of `batches` timed batches of `f`, per call; each batch lasts about `batch`.
fn time_per_call(mut f: impl FnMut(), batch: Duration, batches: usize) -> Duration {
    // Calibrate: how many calls fill a batch.
    let t = Instant::now();
    f();
    let one = t.elapsed().max(Duration::from_nanos(20));
    let n = ((batch.as_secs_f64() / one.as_secs_f64()) as u32).clamp(1, 10_000_000);
    let mut per = Vec::with_capacity(batches);
    for _ in 0..batches {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        per.push(t.elapsed() / n);
    }
    per.sort();
    per[per.len() / 2]
}

fn write(name: &str, csv: &str) {
    let path = repo_path("docs/perf-data").join(name);
    std::fs::create_dir_all(path.parent().unwrap_or(&path)).ok();
    std::fs::write(&path, csv).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("wrote docs/perf-data/{name}");
}

/// norriq `quote` with `n` work periods, one per working day from Monday 4 January 2027, each
/// 16:00–19:00: two segments (office hours, then the +25 % evening band), so two lines each.
fn norriq_work(n: usize) -> serde_json::Value {
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap_or_else(|e| panic!("{e}"));
    let mut day = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
    let mut work = Vec::new();
    while work.len() < n {
        if cal.is_working_day(day).unwrap_or(false) {
            work.push(json!({"start": format!("{day}T16:00:00+01:00"), "end": format!("{day}T19:00:00+01:00")}));
        }
        day = day + Days::new(1);
    }
    json!({"hourly_rate": "120.00", "country": "BE", "work": work, "travel": {"km": 40, "trips": 1}})
}

fn quote_lines(batch: Duration, batches: usize) {
    let pack = Pack::load(repo_path("rules/norriq")).unwrap_or_else(|d| panic!("{d}"));
    let mut csv = String::from("work_periods,lines,quote_us,per_line_us,error\n");
    for n in [1, 2, 5, 10, 20, 50, 100, 150, 175, 200] {
        let input = norriq_work(n);
        match pack.eval("quote", &input) {
            Ok(e) => {
                let lines = e.output["lines"].as_array().map_or(0, Vec::len);
                let t = time_per_call(|| drop(black_box(pack.eval("quote", black_box(&input)))), batch, batches);
                let us = t.as_secs_f64() * 1e6;
                println!("quote: {n:>4} work periods, {lines:>4} lines: {us:>10.1} µs");
                writeln!(csv, "{n},{lines},{us:.2},{:.3},", us / lines as f64).ok();
            }
            Err(e) => {
                let msg = e.to_string().replace([',', '\n'], " ");
                println!("quote: {n:>4} work periods: error {msg}");
                writeln!(csv, "{n},,,,{msg}").ok();
            }
        }
    }
    write("quote-lines.csv", &csv);
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d).and_then(|x| x.and_hms_opt(h, 15, 0)).unwrap_or_default().and_utc()
}

fn calendar_span(batch: Duration, batches: usize) {
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap_or_else(|e| panic!("{e}"));
    let start = utc(2026, 3, 3, 9);
    // Warm every year table the spans touch (a first use of a year builds its table once).
    cal.working_between(utc(2026, 1, 1, 0), utc(2037, 1, 1, 0)).ok();
    let mut csv = String::from("span_days,working_hours,working_between_ns,add_working_ns\n");
    for days in [1u64, 7, 30, 90, 180, 365, 730, 1461, 2922, 3652] {
        let end = start + TimeDelta::days(days as i64);
        let hours = cal.working_between(start, end).unwrap_or_default();
        let between =
            time_per_call(|| drop(black_box(cal.working_between(black_box(start), black_box(end)))), batch, batches);
        let add = time_per_call(|| drop(black_box(cal.add_working(black_box(start), black_box(hours)))), batch, batches);
        println!(
            "calendar: {days:>5} days ({:>6} working h): working_between {:>7} ns, add_working {:>7} ns",
            hours.num_hours(),
            between.as_nanos(),
            add.as_nanos()
        );
        writeln!(csv, "{days},{},{},{}", hours.num_hours(), between.as_nanos(), add.as_nanos()).ok();
    }
    write("calendar-span.csv", &csv);
}

/// The generated model of engine/benches/models.rs: one generator for both.
#[path = "../../../../engine/benches/support/model_gen.rs"]
mod model_gen;
use model_gen::generated_model;

fn model_actions(batch: Duration, batches: usize) {
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap_or_else(|e| panic!("{e}"));
    let files = MemModelFiles::default();
    let input = PlanInput::from_json(&json!({
        "client": "Generated SA", "start": "2026-01-05", "closing": "2026-12-18",
        "people": {"partner": ["Anne"], "manager": ["Pieter", "Sofie"], "staff": ["Tom", "Léa", "Karim", "Julie"]}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut csv = String::from("actions,yaml_kib,validate_ms,plan_ms,error\n");
    // 100 actions a phase, as in the engine bench; below 100, one phase.
    for actions in [50usize, 100, 200, 500, 1000, 2000, 4000, 8000] {
        let (phases, per) = if actions < 100 { (1, actions) } else { (actions / 100, 100) };
        let text = generated_model(phases, per);
        let load = || parse_model(SourceText::new("generated.yaml", text.as_str()), &files);
        match load() {
            Ok(model) => {
                let v = time_per_call(|| drop(black_box(load())), batch, batches);
                let p = time_per_call(|| drop(black_box(plan(&model, black_box(&input), &cal))), batch, batches);
                println!(
                    "models: {actions:>5} actions ({:>5} KiB): validate {:>8.2} ms, plan {:>7.3} ms",
                    text.len() / 1024,
                    v.as_secs_f64() * 1e3,
                    p.as_secs_f64() * 1e3
                );
                writeln!(csv, "{actions},{},{:.3},{:.4},", text.len() / 1024, v.as_secs_f64() * 1e3, p.as_secs_f64() * 1e3).ok();
            }
            Err(e) => {
                let msg = e.to_string().lines().next().unwrap_or("").replace(',', " ");
                println!("models: {actions:>5} actions: error {msg}");
                writeln!(csv, "{actions},{},,,{msg}", text.len() / 1024).ok();
            }
        }
    }
    write("model-actions.csv", &csv);
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (batch, batches) = if quick { (Duration::from_millis(20), 5) } else { (Duration::from_millis(100), 11) };
    println!("load average {}", missions_compare::timing::loadavg());
    quote_lines(batch, batches);
    calendar_span(batch, batches);
    model_actions(batch, batches);
    println!("load average {}", missions_compare::timing::loadavg());
}
