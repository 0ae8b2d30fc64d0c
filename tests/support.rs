//! Helpers shared by the integration tests: where the repository's files are.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;

/// The guest plugins of `plugins/`, built for the tests that load them.
#[path = "support/plugins.rs"]
pub mod plugins;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap()
}

/// A shipped rule pack's folder.
pub fn pack_dir(name: &str) -> PathBuf {
    repo().join("rules").join(name)
}

/// Every shipped pack folder (those under `rules/` with a `pack.yaml`).
pub fn shipped_packs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("rules"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("pack.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Copy a folder and everything in it.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Run the `missions` CLI in-process; returns (exit code, stdout, stderr).
pub fn missions(args: &[&str]) -> (u8, String, String) {
    missions_with_stdin(args, "")
}

/// Run the `missions` CLI in-process with `stdin` as standard input.
pub fn missions_with_stdin(args: &[&str], stdin: &str) -> (u8, String, String) {
    let mut input = std::io::Cursor::new(stdin.as_bytes().to_vec());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = std::iter::once("missions").chain(args.iter().copied());
    let code = missions_host::cli::run(argv, &mut input, &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

/// The smallest valid pack with one entry `run(input, params)`; `files` add to or replace its files.
pub fn temp_pack(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let defaults = [
        (
            "pack.yaml",
            "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer?\n",
        ),
        ("run.rhai", "fn run(input, params) { #{ ok: true } }\n"),
    ];
    for (name, text) in defaults {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }
    dir
}
