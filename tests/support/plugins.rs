//! The guest plugins of `plugins/`, built from source for the tests that load them.
//!
//! `plugins/` is a cargo workspace of its own, built for `wasm32-wasip2`. [`guest_wasm`] builds it
//! once per test process (cargo's own lock on `plugins/target` serialises concurrent test
//! binaries) and returns the component of one crate. `.ci/run` builds the same workspace before
//! the tests, so in CI this only checks the build is up to date.
//!
//! Every guest but `unknown-import`, `future-version`, `later-patch` (built against 0.1.1) and
//! `std-wasi` (which imports the WASI of Rust's standard library) imports exactly
//! `missions:plugin/host@0.1.0` (when it logs or reads its configuration) and the type-only
//! instance `missions:plugin/types@0.1.0`, which a component imports because the exported
//! `guest` interface uses its types.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The target the guests are built for.
pub const TARGET: &str = "wasm32-wasip2";

/// The example plugins a partner reads (`plugins/examples/`).
pub const EXAMPLES: &[&str] = &["volume-discount", "review-docs-lint"];

/// The guests of the host's tests (`plugins/test-guests/`): `noop` for the overhead benchmark,
/// the others hostile.
pub const TEST_GUESTS: &[&str] = &[
    "noop",
    "infinite-loop",
    "memory-bomb",
    "trap",
    "stack-overflow",
    "huge-output",
    "invalid-output",
    "future-version",
    "unknown-import",
    "std-wasi",
    "later-patch",
];

/// The guest workspace's folder.
pub fn plugins_dir() -> PathBuf {
    crate::repo().join("plugins")
}

/// The component built from the guest crate `name` (`volume-discount`, `noop`, `trap` …),
/// building the guest workspace first if this process has not yet.
///
/// Panics with the build's error output when the build fails, and says how to install the
/// target when it is missing.
pub fn guest_wasm(name: &str) -> PathBuf {
    if let Err(message) = build_guests() {
        panic!("{message}");
    }
    let path =
        plugins_dir().join("target").join(TARGET).join("release").join(format!("{}.wasm", name.replace('-', "_")));
    assert!(path.is_file(), "no guest crate `{name}` in plugins/ (looked for {})", path.display());
    path
}

/// Build the guest workspace, once per process.
pub fn build_guests() -> Result<(), String> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT.get_or_init(build).clone()
}

/// Variables the outer `cargo test` may have set that would send the inner build to the wrong
/// target directory or target, or give it flags, a jobserver or a wrapper meant for the host.
const CLEARED: &[&str] = &[
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_ENCODED_RUSTDOCFLAGS",
    "RUSTFLAGS",
    "RUSTDOCFLAGS",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_PKG_NAME",
    "CARGO_CRATE_NAME",
    "CARGO_TARGET_TMPDIR",
    "CARGO_PROFILE_RELEASE_PANIC",
    "CARGO_PROFILE_RELEASE_LTO",
    "CARGO_PROFILE_RELEASE_OPT_LEVEL",
    "CARGO_PROFILE_RELEASE_DEBUG",
    "CARGO_PROFILE_RELEASE_STRIP",
];

fn build() -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = plugins_dir().join("Cargo.toml");
    let mut command = Command::new(&cargo);
    command
        .args(["build", "--release", "--locked", "--target", TARGET, "--manifest-path"])
        .arg(&manifest)
        .current_dir(plugins_dir());
    for name in CLEARED {
        command.env_remove(name);
    }
    let output = command.output().map_err(|e| format!("could not run {}: {e}", PathBuf::from(&cargo).display()))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let hint = if stderr.contains("may not be installed") || stderr.contains("can't find crate for `core`") {
        "\nThe wasm32-wasip2 target is missing: run `rustup target add wasm32-wasip2`.\n"
    } else {
        ""
    };
    Err(format!(
        "building the guest plugins failed ({}): cargo build --release --locked --target {TARGET} --manifest-path plugins/Cargo.toml\n{hint}\n{stderr}",
        output.status
    ))
}
