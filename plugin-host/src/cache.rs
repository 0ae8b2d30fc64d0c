//! The on-disk cache of compiled components, so a restart does not compile every plugin again.
//! A file is keyed by the sha256 of the component's bytes and the engine's compatibility hash,
//! and only a file this host wrote is ever deserialised: the sha256 of the compiled bytes is
//! written next to them and checked before loading; on any mismatch the plugin is compiled again.
//! The directory is bounded: past its size limit, the least recently used compiled components
//! (by modification time, which a load refreshes) are removed, so a host serving Python and JS
//! components of 35–50 MB compiled each does not fill its disk.

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

/// The default size limit of the compile cache: 1 GiB, room for some twenty Python or JS plugins.
pub const DEFAULT_CACHE_BYTES: u64 = 1 << 30;

/// A directory of compiled components.
#[derive(Debug)]
pub(crate) struct DiskCache {
    dir: PathBuf,
    /// The engine's compatibility hash, in every file name.
    engine_key: String,
    /// Most bytes of compiled code kept.
    max_bytes: u64,
}

impl DiskCache {
    pub(crate) fn new(dir: &Path, engine: &Engine, max_bytes: u64) -> std::io::Result<DiskCache> {
        std::fs::create_dir_all(dir)?;
        let mut h = DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        Ok(DiskCache { dir: dir.to_owned(), engine_key: format!("{:016x}", h.finish()), max_bytes })
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
            Ok(c) => {
                // Recently used: the last to be evicted.
                let _ = std::fs::File::options()
                    .write(true)
                    .open(&code)
                    .and_then(|f| f.set_modified(std::time::SystemTime::now()));
                Some(c)
            }
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
            write_atomic(&sum, hex(&Sha256::digest(&bytes)).as_bytes())?;
            self.evict(&code)
        });
        if let Err(e) = result {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot cache a compiled plugin");
        }
    }

    /// Remove the least recently used compiled components (never `keep`, the one just written)
    /// until the directory holds at most `max_bytes` of them.
    fn evict(&self, keep: &Path) -> std::io::Result<()> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "cwasm") {
                let meta = entry.metadata()?;
                files.push((meta.modified()?, meta.len(), path));
            }
        }
        let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
        files.sort();
        for (_, len, path) in files {
            if total <= self.max_bytes {
                break;
            }
            if path == keep {
                continue;
            }
            std::fs::remove_file(&path)?;
            let _ = std::fs::remove_file(path.with_extension("cwasm.sha256"));
            total = total.saturating_sub(len);
            tracing::info!(file = %path.display(), "compiled plugin evicted from the cache");
        }
        Ok(())
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
