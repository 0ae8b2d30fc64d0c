//! The on-disk cache of compiled components, so a restart does not compile every plugin again.
//! A file is keyed by the sha256 of the component's bytes and the engine's compatibility hash,
//! and only a file this host wrote is ever deserialised: the sha256 of the compiled bytes is
//! written next to them and checked before loading; on any mismatch the plugin is compiled again.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A directory of compiled components.
#[derive(Debug)]
pub(crate) struct DiskCache {
    dir: PathBuf,
    /// The engine's compatibility hash, in every file name.
    engine_key: String,
}

impl DiskCache {
    pub(crate) fn new(dir: &Path, engine: &Engine) -> std::io::Result<DiskCache> {
        std::fs::create_dir_all(dir)?;
        let mut h = DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        Ok(DiskCache { dir: dir.to_owned(), engine_key: format!("{:016x}", h.finish()) })
    }

    fn paths(&self, digest: &str) -> (PathBuf, PathBuf) {
        let stem = format!("{digest}-{}", self.engine_key);
        (self.dir.join(format!("{stem}.cwasm")), self.dir.join(format!("{stem}.cwasm.sha256")))
    }

    /// The compiled component for `digest`, if this host cached it and it is intact.
    pub(crate) fn load(&self, engine: &Engine, digest: &str) -> Option<Component> {
        let (code, sum) = self.paths(digest);
        let recorded = std::fs::read_to_string(&sum).ok()?;
        let bytes = std::fs::read(&code).ok()?;
        if hex(&Sha256::digest(&bytes)) != recorded.trim() {
            tracing::warn!(file = %code.display(), "compiled plugin does not match its recorded sha256; compiling again");
            return None;
        }
        match deserialize_own(engine, &bytes) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(file = %code.display(), error = %e, "cached plugin does not load; compiling again");
                None
            }
        }
    }

    /// Record `component` for `digest`. A failure only costs a compilation on the next start.
    pub(crate) fn store(&self, digest: &str, component: &Component) {
        let result = component.serialize().map_err(|e| std::io::Error::other(e.to_string())).and_then(|bytes| {
            let (code, sum) = self.paths(digest);
            write_atomic(&code, &bytes)?;
            write_atomic(&sum, hex(&Sha256::digest(&bytes)).as_bytes())
        });
        if let Err(e) = result {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot cache a compiled plugin");
        }
    }
}

/// Write to a temporary file and rename it, so no reader sees half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static N: AtomicU64 = AtomicU64::new(0);
    let tmp = path.with_extension(format!("tmp{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Deserialise compiled code this host wrote.
#[expect(unsafe_code, reason = "wasmtime marks loading compiled code unsafe; the proof is below")]
fn deserialize_own(engine: &Engine, bytes: &[u8]) -> wasmtime::Result<Component> {
    // SAFETY: `Component::deserialize` runs the bytes as machine code, so they must come from
    // `Component::serialize` of a compatible engine. They do: `DiskCache::load` only passes the
    // bytes of a file in the host's own cache directory whose sha256 matches the one recorded
    // when `DiskCache::store` wrote it from `Component::serialize`, and the file name carries the
    // engine's compatibility hash (wasmtime checks its own header and version again). Bytes a
    // partner or a client sent are never passed here: they go through `Component::new`.
    unsafe { Component::deserialize(engine, bytes) }
}
