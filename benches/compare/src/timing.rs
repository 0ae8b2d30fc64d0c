//! Timing several implementations of one decision in one run, interleaved: every round runs each
//! implementation once over the whole input set, so a burst of load from elsewhere on the
//! machine falls on all of them alike and the ratios stay meaningful.

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
    /// Evaluations per second over whole passes (one clock read per pass of the input set).
    pub per_sec: f64,
    /// Per-call latency percentiles (one clock read per call; includes ≈ 20–40 ns of clock).
    pub p50: Duration,
    pub p99: Duration,
    pub evals: u64,
}

impl Stats {
    /// Mean time per evaluation, from the throughput.
    pub fn mean(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.per_sec)
    }
}

/// Time every contender over `inputs` for about `budget` in all. Each round: for each contender,
/// one timed pass for throughput and one pass timing each call for latency.
pub fn measure(contenders: &mut [Contender<'_>], inputs: &[Value], budget: Duration) -> Vec<Stats> {
    // Warm-up round (caches, lazily built tables, allocator pools), also sizing the rounds.
    let t = Instant::now();
    for c in contenders.iter_mut() {
        for i in inputs {
            (c.run)(black_box(i));
        }
    }
    let round = t.elapsed() * 2; // a round is a throughput pass and a latency pass
    let rounds = (budget.as_secs_f64() / round.as_secs_f64().max(1e-9)).clamp(3.0, 10_000.0) as usize;

    let n = contenders.len();
    let mut batch = vec![Duration::ZERO; n];
    let mut lat: Vec<Vec<u32>> = vec![Vec::with_capacity(rounds * inputs.len()); n];
    for _ in 0..rounds {
        for (k, c) in contenders.iter_mut().enumerate() {
            let t = Instant::now();
            for i in inputs {
                (c.run)(black_box(i));
            }
            batch[k] += t.elapsed();
            for i in inputs {
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
            let l = &mut lat[k];
            l.sort_unstable();
            let pct = |p: f64| Duration::from_nanos(l[((l.len() - 1) as f64 * p).round() as usize] as u64);
            let evals = (rounds * inputs.len()) as u64;
            Stats { name: c.name.clone(), per_sec: evals as f64 / batch[k].as_secs_f64(), p50: pct(0.50), p99: pct(0.99), evals }
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
