//! Helpers shared by the integration tests: where the repository's files are.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;

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
