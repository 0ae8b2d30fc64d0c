//! The pack loader on a folder made from bytes: the input is split at NUL bytes into
//! `pack.yaml`, a parameter file, a script and a case file, written to a scratch folder, loaded,
//! and its golden cases run. Loading must answer a pack or diagnostics; a loaded pack's cases run
//! to a report or an error; nothing panics.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use missions_engine::{Pack, run_pack_cases};

const FILES: [&str; 4] = ["pack.yaml", "params.yaml", "entry.rhai", "tests/cases.yaml"];

fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no scratch folder: {e}"));
        std::fs::create_dir_all(dir.path().join("tests")).unwrap_or_else(|e| panic!("{e}"));
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch().path();
    let mut parts = data.split(|b| *b == 0);
    for name in FILES {
        let part = parts.next().unwrap_or_default();
        std::fs::write(dir.join(name), part).unwrap_or_else(|e| panic!("{e}"));
    }
    if let Ok(pack) = Pack::load(dir) {
        let _ = run_pack_cases(&pack);
    }
});
