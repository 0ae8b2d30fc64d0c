//! Side-by-side benchmarks of the same decisions three ways: the shipped rhai packs through
//! `missions-engine`, GoRules ZEN JDM graphs (`jdm/`), and hand-written plain Rust (the floor).
//! `cargo run --release` checks they agree on every input, then times them; see
//! docs/performance.md.

pub mod floor;
pub mod inputs;
pub mod project;
pub mod timing;
pub mod zen;

use std::path::PathBuf;

/// A folder of the repository, from this crate's manifest.
pub fn repo_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

/// A folder of this crate (`packs/tier`, `jdm`).
pub fn crate_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The version of a dependency, read from this workspace's Cargo.lock at build time.
pub fn locked_version(name: &str) -> String {
    let lock = include_str!("../Cargo.lock");
    let needle = format!("name = \"{name}\"\nversion = \"");
    lock.find(&needle)
        .map(|i| lock[i + needle.len()..].split('"').next().unwrap_or("?").to_owned())
        .unwrap_or_else(|| "?".into())
}
