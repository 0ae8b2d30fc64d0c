//! A driver for callgrind: evaluates one decision's whole input set `ROUNDS` times with one
//! implementation, and nothing else. Instruction counts do not depend on the machine's load, so
//! they compare implementations where wall-clock times on a shared machine are noisy.
//!
//! `profile IMPL DECISION ROUNDS [trace]` with IMPL `rhai`, `zen`, `zen-figures` or `floor` and DECISION
//! `quote`, `tier` or `sla`; see docs/performance.md for the callgrind commands.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use missions_compare::zen::Zen;
use missions_compare::{crate_path, floor, inputs, repo_path};
use missions_engine::{EvalOptions, Pack};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let (imp, decision) = (a.first().map_or("rhai", String::as_str), a.get(1).map_or("quote", String::as_str));
    let rounds: usize = a.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let trace = a.get(3).is_some_and(|t| t == "trace");
    let set = match decision {
        "quote" => inputs::esomus_quotes(1000),
        "tier" => inputs::tiers(1000),
        "sla" => inputs::slas(1000),
        _ => panic!("decision: quote, tier or sla"),
    };
    match imp {
        "rhai" => {
            let (dir, entry) = match decision {
                "quote" => (repo_path("rules/esomus"), "quote"),
                "tier" => (crate_path("packs/tier"), "tier"),
                _ => (repo_path("rules/norriq"), "sla"),
            };
            let pack = Pack::load(dir).unwrap_or_else(|d| panic!("{d}"));
            for _ in 0..rounds {
                for i in &set {
                    black_box(pack.eval_with(entry, i, EvalOptions { trace }).ok());
                }
            }
        }
        "zen" | "zen-figures" => {
            let z = Zen::load(match decision {
                "quote" if imp == "zen-figures" => "esomus-quote-figures.json",
                "quote" => "esomus-quote.json",
                "tier" => "tier.json",
                _ => panic!("ZEN has no business calendar: no sla"),
            })
            .unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..rounds {
                for i in &set {
                    black_box(z.eval(i, trace).ok());
                }
            }
        }
        "floor" => {
            let (t, cal) = (floor::esomus::tariff(), floor::sla::calendar());
            for _ in 0..rounds {
                for i in &set {
                    match decision {
                        "quote" => drop(black_box(floor::esomus::quote_by_hand(i, &t))),
                        "tier" => drop(black_box(floor::tier::tier(i))),
                        _ => drop(black_box(floor::sla::sla(i, &cal))),
                    }
                }
            }
        }
        _ => panic!("impl: rhai, zen or floor"),
    }
}
