//! Test guest: a plugin in ordinary std Rust, built for `wasm32-wasip2`, so its component imports
//! the WASI interfaces the standard library uses. Its configuration, `{"do": "…"}`, says what
//! `adjust-quote` reaches for; it answers with a `plugin-error` of code `observed` whose English
//! message reports what it saw, so that the host's tests can read it:
//!
//! - `passwd`: read `/etc/passwd`; `socket`: connect to 127.0.0.1:80; `env`: count the
//!   environment variables, arguments and preopened directories;
//! - `clock`: read the wall and monotonic clocks twice; `sleep`: sleep an hour, then the same;
//! - `random`: hash a fixed value with a fresh `RandomState` (seeded from WASI random);
//! - `stdout`: write 100 MB to stdout, then answer; `exit`: exit with status 3;
//! - `loop`: spin forever; `alloc`: allocate 1 GiB; `panic`: panic;
//! - anything else: no change.

use std::fmt::Write as _;
use std::hash::BuildHasher as _;
use std::io::Write as _;
use std::time::{Duration, Instant, SystemTime};

wit_bindgen::generate!({ world: "plugin", path: "../../wit" });

use exports::missions::plugin::guest::{
    Adjustment, Dashboard, Figure, Guest, Model, ModelDiagnostic, PluginError, PluginInfo, Quote,
};
use missions::plugin::host;
use missions::plugin::types::{Hook, Label};

fn observed(what: String) -> Result<Vec<Adjustment>, PluginError> {
    Err(PluginError {
        code: "observed".into(),
        message: Label { fr: what.clone(), nl: what.clone(), en: what },
    })
}

fn clocks() -> (u128, Instant) {
    let wall = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    (wall, Instant::now())
}

struct StdWasi;

impl Guest for StdWasi {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "std-wasi".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            hooks: vec![Hook::AdjustQuote],
            description: Label {
                fr: "Essaie ce que la bibliothèque standard permet.".into(),
                nl: "Probeert wat de standaardbibliotheek toelaat.".into(),
                en: "Tries what the standard library allows.".into(),
            },
        }
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let config: serde_json::Value = serde_json::from_str(&host::config()).unwrap_or(serde_json::Value::Null);
        match config.get("do").and_then(|d| d.as_str()).unwrap_or("") {
            "passwd" => observed(match std::fs::read_to_string("/etc/passwd") {
                Ok(text) => format!("read {} bytes", text.len()),
                Err(e) => format!("error: {e}"),
            }),
            "socket" => observed(match std::net::TcpStream::connect("127.0.0.1:80") {
                Ok(_) => "connected".into(),
                Err(e) => format!("error: {e}"),
            }),
            "env" => observed(format!(
                "vars={} args={} cwd={}",
                std::env::vars().count(),
                std::env::args().count(),
                std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_else(|e| format!("error: {e}"))
            )),
            "clock" => {
                let (w1, m1) = clocks();
                let mut spin = 0u64;
                for i in 0..1_000_000u64 {
                    spin = std::hint::black_box(spin.wrapping_add(i));
                }
                let (w2, m2) = clocks();
                observed(format!("wall {w1} {w2} elapsed_ns={}", m2.duration_since(m1).as_nanos()))
            }
            "sleep" => {
                let (w1, m1) = clocks();
                std::thread::sleep(Duration::from_secs(3600));
                let (w2, m2) = clocks();
                observed(format!("wall {w1} {w2} elapsed_ns={}", m2.duration_since(m1).as_nanos()))
            }
            "random" => {
                let a = std::collections::hash_map::RandomState::new().hash_one(42u64);
                observed(format!("hash={a}"))
            }
            "stdout" => {
                let chunk = vec![b'x'; 1 << 20];
                let mut out = std::io::stdout().lock();
                for _ in 0..100 {
                    let _ = out.write_all(&chunk);
                }
                let _ = out.flush();
                eprintln!("wrote 100 MB to stdout");
                observed("wrote 100 MB".into())
            }
            "exit" => std::process::exit(3),
            "loop" => loop {
                std::hint::black_box(());
            },
            "alloc" => {
                let mut hoard = Vec::new();
                for _ in 0..1024 {
                    hoard.push(std::hint::black_box(vec![1u8; 1 << 20]));
                }
                let mut report = String::new();
                let _ = write!(report, "allocated {} MiB", hoard.len());
                observed(report)
            }
            "panic" => panic!("the std-wasi guest panics on purpose"),
            _ => Ok(Vec::new()),
        }
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        Ok(Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        Ok(Vec::new())
    }
}

export!(StdWasi);
