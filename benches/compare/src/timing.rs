//! Timing several implementations of one decision in one run, interleaved: every round runs each
//! implementation once over the whole input set, so a burst of load from elsewhere on the
//! machine falls on all of them alike and the ratios stay meaningful.
//!
//! Throughput is not taken from whole passes: on a shared 2-core machine a 30 ms pass is
//! interrupted more often than not, and one 10 ms interruption doubles a pass's time. Every call
//! is timed instead; the calls the scheduler interrupted (over [`OUTLIER`] × the median, about
//! 0.3 % of them) are left out of the mean, and the run reports how many.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::Value;

/// One implementation under test: a name and a closure that evaluates one input.
pub struct Contender<'a> {
    pub name: String,
    pub run: Box<dyn FnMut(&Value) + 'a>,
}

impl<'a> Contender<'a> {
    pub fn new(name: impl Into<String>, run: impl FnMut(&Value) + 'a) -> Self {
        Contender { name: name.into(), run: Box::new(run) }
    }
}

#[derive(Debug, Clone)]
pub struct Stats {
    pub name: String,
    /// Evaluations per second: 1 / the mean time per call, leaving out calls over
    /// [`OUTLIER`] × the median (see [`measure`]), with the clock's own cost taken off.
    pub per_sec: f64,
    /// Per-call latency percentiles, all calls (the clock's ≈ 20–40 ns included).
    pub p50: Duration,
    pub p99: Duration,
    /// Calls timed, and how many were left out of the mean as interruptions.
    pub evals: u64,
    pub left_out: u64,
    /// The slowest input's best time over the rounds, ÷ the median: how far an input's own cost
    /// reaches (so [`OUTLIER`] never cuts a real one).
    pub slowest_input: f64,
}

/// A call slower than this many medians was interrupted (the machine is shared): on these input
/// sets no input's own cost comes near it (see [`Stats::slowest_input`]).
pub const OUTLIER: u32 = 10;

/// What reading the clock twice costs, measured here.
fn clock_cost() -> Duration {
    let mut v: Vec<Duration> = (0..10_001)
        .map(|_| {
            let t = Instant::now();
            black_box(());
            t.elapsed()
        })
        .collect();
    v.sort_unstable();
    v[v.len() / 2]
}

/// Time every contender over `inputs` for about `budget` in all. Each round runs every contender
/// once over the whole set, timing each call, so the machine's load falls on all alike.
pub fn measure(contenders: &mut [Contender<'_>], inputs: &[Value], budget: Duration) -> Vec<Stats> {
    // Warm-up round (caches, lazily built tables, allocator pools), also sizing the rounds.
    let t = Instant::now();
    for c in contenders.iter_mut() {
        for i in inputs {
            (c.run)(black_box(i));
        }
    }
    let round = t.elapsed();
    let rounds = (budget.as_secs_f64() / round.as_secs_f64().max(1e-9)).clamp(3.0, 10_000.0) as usize;
    let clock = clock_cost().as_nanos() as f64;

    let n = contenders.len();
    let mut lat: Vec<Vec<u32>> = vec![Vec::with_capacity(rounds * inputs.len()); n];
    for _ in 0..rounds {
        for (k, c) in contenders.iter_mut().enumerate() {
            // The first call of a pass runs with the caches the previous contender left (up to
            // 8× slower for the rhai pack): run it untimed, so every timed call is warm.
            (c.run)(black_box(&inputs[0]));
            for i in &inputs[1..] {
                let t = Instant::now();
                (c.run)(black_box(i));
                lat[k].push(t.elapsed().as_nanos().min(u32::MAX as u128) as u32);
            }
        }
    }
    contenders
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let by_call = &lat[k];
            // Each input's best time over the rounds.
            let per = inputs.len() - 1;
            let best: Vec<u32> =
                (0..per).map(|i| (0..rounds).map(|r| by_call[r * per + i]).min().unwrap_or(0)).collect();
            let mut l = by_call.clone();
            l.sort_unstable();
            let pct = |p: f64| Duration::from_nanos(l[((l.len() - 1) as f64 * p).round() as usize] as u64);
            let median = l[l.len() / 2].max(1);
            let kept: Vec<u32> = l.iter().copied().filter(|&x| x <= median * OUTLIER).collect();
            let mean = kept.iter().map(|&x| x as f64).sum::<f64>() / kept.len() as f64;
            Stats {
                name: c.name.clone(),
                per_sec: 1e9 / (mean - clock).max(1.0),
                p50: pct(0.50),
                p99: pct(0.99),
                evals: l.len() as u64,
                left_out: (l.len() - kept.len()) as u64,
                slowest_input: best.iter().copied().max().unwrap_or(0) as f64 / median as f64,
            }
        })
        .collect()
}

/// `12.3 µs`, `850 ns`, `1.20 ms`.
pub fn fmt_duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1_000.0 {
        format!("{ns:.0} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

/// `1 234 567` with thin grouping, as the rest of the docs write numbers.
pub fn fmt_count(x: f64) -> String {
    let s = format!("{:.0}", x);
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The machine's load average (1, 5, 15 min), when /proc says.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}
