//! Watch `--rules` and activate a pack folder again when its files change. Editors save in
//! bursts (temporary file, rename, metadata), so changes are debounced: a folder is reloaded once
//! no event touched it for [`DEBOUNCE`]. A half-saved pack that fails is refused like any broken
//! version, and the next event reloads it again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::bundle::pack_dir_of;
use super::registry::PackRegistry;

/// Quiet time after the last change before a folder is reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// A running watcher; dropping it stops watching.
#[derive(Debug)]
pub struct RulesWatcher {
    _watcher: notify::RecommendedWatcher,
    task: JoinHandle<()>,
}

impl Drop for RulesWatcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Start watching `rules_dir` (inside a tokio runtime).
pub fn watch(registry: Arc<PackRegistry>, rules_dir: &Path) -> notify::Result<RulesWatcher> {
    let root = rules_dir.canonicalize().unwrap_or_else(|_| rules_dir.to_path_buf());
    let (tx, rx) = mpsc::unbounded_channel::<Vec<PathBuf>>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
        Ok(ev) if !matches!(ev.kind, EventKind::Access(_)) => {
            let _ = tx.send(ev.paths);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "file watcher error"),
    })?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    let task = tokio::spawn(reload_loop(registry, root, rx));
    Ok(RulesWatcher { _watcher: watcher, task })
}

async fn reload_loop(registry: Arc<PackRegistry>, root: PathBuf, mut rx: mpsc::UnboundedReceiver<Vec<PathBuf>>) {
    while let Some(paths) = rx.recv().await {
        let mut dirs: BTreeSet<PathBuf> = paths.iter().filter_map(|p| pack_dir_of(&root, p)).collect();
        // Gather the rest of the burst.
        loop {
            match tokio::time::timeout(DEBOUNCE, rx.recv()).await {
                Ok(Some(more)) => dirs.extend(more.iter().filter_map(|p| pack_dir_of(&root, p))),
                Ok(None) => return,
                Err(_) => break,
            }
        }
        for dir in dirs {
            let reg = registry.clone();
            let source = format!("files:{}", dir.display());
            let _ = tokio::task::spawn_blocking(move || reg.activate_dir(&dir, &source, None)).await;
        }
    }
}
