//! The rule packs the service evaluates, and how they change without a redeploy. A new version,
//! from files under `--rules` or from `PUT /v1/admin/packs/{pack}`, is loaded, compiled and run
//! against its own golden cases first; only then is it recorded in the store (files, digest,
//! time) and swapped in with one atomic pointer store. Requests that already hold the previous
//! snapshot finish on it. A version that fails is refused with its diagnostics and changes
//! nothing. Several versions of a pack live side by side; a request dated D gets the newest one
//! whose `effective_from` ≤ D, so a version with a future date simply waits.
//!
//! Versions ever activated are rows in the store; each is unpacked under
//! `<data dir>/packs/<name>/<bundle digest>/` (content-addressed, written once) to be loaded.
//! Rolling back undoes the last activation of a pack: the version it replaced (same
//! `effective_from`) comes back, or the version it added goes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use arc_swap::ArcSwap;
use chrono::{DateTime, NaiveDate, Utc};
use missions_engine::{Diagnostic, Location, Pack, PackSet, case_files, did_you_mean, run_pack_cases};
use missions_store::{NewPackVersion, PackVersionRecord, Store, StoreError};

use super::bundle::{bundle_digest, declared_version, folders_holding, pack_dirs, read_bundle};
use super::metrics::Metrics;
use super::versions::{Activated, FailedCase, LiveVersion, Rejection, RollbackError, SelectError};

mod dry_run;
mod follow;

pub use dry_run::{ComparedWith, DryRun};

/// What is being served: one immutable snapshot, replaced whole on every change.
#[derive(Debug, Default)]
pub struct Snapshot {
    set: PackSet,
    live: HashMap<String, LiveVersion>,
}

impl Snapshot {
    /// The names of the loaded packs.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.set.names()
    }

    /// The versions of a pack, oldest `effective_from` first, with what the store knows of them.
    pub fn versions(&self, name: &str) -> Vec<(&Pack, Option<&LiveVersion>)> {
        self.set.versions(name).iter().map(|p| (p, self.live.get(&p.id().digest))).collect()
    }

    /// The version of `name` in force on `date`.
    pub fn get(&self, name: &str, date: NaiveDate) -> Option<&Pack> {
        self.set.get(name, date)
    }
}

/// The packs being served and their history.
pub struct PackRegistry {
    snapshot: ArcSwap<Snapshot>,
    store: Arc<dyn Store>,
    cache_dir: PathBuf,
    /// Serialises changes (activations, rollbacks): reads never take it.
    changes: Mutex<()>,
    /// Compiled versions by activation number, so a rollback does not recompile.
    compiled: Mutex<HashMap<i64, Pack>>,
    /// The latest refused save of each pack's folder under `--rules`, until a save activates.
    refused: Mutex<HashMap<String, RefusedSave>>,
    /// The store's pack log head ([`Store::pack_log_head`]) the snapshot was last loaded at.
    head: Mutex<(i64, i64)>,
    metrics: Metrics,
}

/// A save of a pack folder that was refused: the person who saved it can see why
/// (`GET /v1/admin/packs/{pack}/candidate`).
#[derive(Debug, Clone)]
pub struct RefusedSave {
    /// The folder.
    pub dir: PathBuf,
    /// When it was refused.
    pub at: DateTime<Utc>,
    /// Why.
    pub rejection: Rejection,
}

impl std::fmt::Debug for PackRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackRegistry").field("cache_dir", &self.cache_dir).finish_non_exhaustive()
    }
}

/// Make locations relative to the pack folder, so a client sees `tariff.yaml:12:5`.
fn relative(loc: &mut Location, dir: &Path) {
    let prefix = dir.display().to_string();
    if let Some(rest) = loc.file.strip_prefix(&prefix) {
        loc.file = rest.trim_start_matches('/').to_owned();
    }
}

impl PackRegistry {
    /// The registry of a store: every version activated earlier is loaded back (the newest
    /// activation of each pack and `effective_from`, rolled-back ones left out). Versions that no
    /// longer load with this build are skipped and returned.
    pub fn open(
        store: Arc<dyn Store>,
        cache_dir: PathBuf,
        metrics: Metrics,
    ) -> Result<(Self, Vec<Rejection>), StoreError> {
        let reg = Self {
            snapshot: ArcSwap::from_pointee(Snapshot::default()),
            store,
            cache_dir,
            changes: Mutex::new(()),
            compiled: Mutex::new(HashMap::new()),
            refused: Mutex::new(HashMap::new()),
            head: Mutex::new((0, 0)),
            metrics,
        };
        let rejected = reg.reload()?;
        Ok((reg, rejected))
    }

    fn lock_changes(&self) -> MutexGuard<'_, ()> {
        self.changes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The snapshot being served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// The version of `name` for a request dated `date` (today in the pack's timezone when
    /// `None`, `now` giving the instant).
    pub fn select(&self, name: &str, date: Option<NaiveDate>, now: DateTime<Utc>) -> Result<Pack, SelectError> {
        let snap = self.snapshot.load();
        let versions = snap.set.versions(name);
        let (Some(first), Some(last)) = (versions.first(), versions.last()) else {
            let suggestion = did_you_mean(name, snap.set.names()).map(str::to_owned);
            return Err(SelectError::UnknownPack(name.to_owned(), suggestion));
        };
        let date = date.unwrap_or_else(|| now.with_timezone(&last.timezone()).date_naive());
        snap.set.get(name, date).cloned().ok_or_else(|| SelectError::NoVersion {
            pack: name.to_owned(),
            date,
            first: first.id().effective_from,
        })
    }

    /// The folder a stored version is unpacked in.
    fn unpack_dir(&self, name: &str, bundle_digest: &str) -> PathBuf {
        self.cache_dir.join(name).join(bundle_digest.get(..24).unwrap_or(bundle_digest))
    }

    /// Write `files` under their content-addressed folder unless it is there already.
    fn unpack(&self, name: &str, files: &BTreeMap<String, String>) -> std::io::Result<PathBuf> {
        let digest = bundle_digest(files);
        let dir = self.unpack_dir(name, &digest);
        if dir.join("pack.yaml").is_file() {
            return Ok(dir);
        }
        let parent = self.cache_dir.join(name);
        std::fs::create_dir_all(&parent)?;
        let tmp = tempfile::Builder::new().prefix(".unpack-").tempdir_in(&parent)?;
        for (rel, text) in files {
            let path = tmp.path().join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            std::fs::write(path, text)?;
        }
        let tmp = tmp.keep();
        if let Err(e) = std::fs::rename(&tmp, &dir) {
            let _ = std::fs::remove_dir_all(&tmp);
            // Someone else unpacked the same content meanwhile: that copy is as good.
            if !dir.join("pack.yaml").is_file() {
                return Err(e);
            }
        }
        Ok(dir)
    }

    fn compile(&self, r: &PackVersionRecord) -> Result<Pack, Rejection> {
        if let Some(p) = self.compiled.lock().unwrap_or_else(PoisonError::into_inner).get(&r.seq) {
            return Ok(p.clone());
        }
        let reject = |reason: String, diagnostics: Vec<Diagnostic>| Rejection {
            pack: r.name.clone(),
            reason,
            diagnostics,
            failed_cases: Vec::new(),
            stale: false,
        };
        let dir = self
            .unpack(&r.name, &r.files)
            .map_err(|e| reject(format!("cannot unpack version #{} of pack `{}`: {e}", r.seq, r.name), Vec::new()))?;
        let pack = Pack::load(&dir).map_err(|d| {
            reject(format!("stored version #{} of pack `{}` ({}) no longer loads", r.seq, r.name, r.version), d.0)
        })?;
        self.compiled.lock().unwrap_or_else(PoisonError::into_inner).insert(r.seq, pack.clone());
        Ok(pack)
    }

    /// Load, test and activate the pack in `dir`. `expect_name` refuses a pack with another name.
    pub fn activate_dir(&self, dir: &Path, source: &str, expect_name: Option<&str>) -> Result<Activated, Rejection> {
        let declared = declared_version(dir);
        let result = self.activate_folder(dir, declared.as_ref(), source, expect_name);
        let name = declared.map(|(n, _)| n);
        let mut refused = self.refused.lock().unwrap_or_else(PoisonError::into_inner);
        match (&result, name) {
            (Err(rej), name) if !rej.stale => {
                let name = name.unwrap_or_else(|| rej.pack.clone());
                refused.insert(name, RefusedSave { dir: dir.to_path_buf(), at: Utc::now(), rejection: rej.clone() });
            }
            (Ok(_), Some(name)) => {
                refused.remove(&name);
            }
            _ => {}
        }
        result
    }

    /// The latest refused save of `name`'s folder, if no save activated since.
    pub fn refused_save(&self, name: &str) -> Option<RefusedSave> {
        self.refused.lock().unwrap_or_else(PoisonError::into_inner).get(name).cloned()
    }

    /// [`Self::activate_dir`], refusing a folder that holds the same version (`declared`, as its
    /// `pack.yaml` says) as another folder beside it.
    fn activate_folder(
        &self,
        dir: &Path,
        declared: Option<&(String, NaiveDate)>,
        source: &str,
        expect_name: Option<&str>,
    ) -> Result<Activated, Rejection> {
        let twins = match (dir.parent(), declared) {
            (Some(parent), Some(version)) => folders_holding(parent, version, Some(dir)),
            _ => Vec::new(),
        };
        if let (false, Some((name, date))) = (twins.is_empty(), declared) {
            let (name, date) = (name.clone(), *date);
            let folder =
                |d: &Path| d.file_name().map_or_else(|| d.display().to_string(), |f| f.to_string_lossy().into_owned());
            let mut all: Vec<String> = twins.iter().map(|d| format!("`{}`", folder(d))).collect();
            all.insert(0, format!("`{}`", folder(dir)));
            let reason = format!("folders {} all hold pack `{name}` in force from {date}", all.join(", "));
            self.metrics.rejected_reload(&name, "files");
            tracing::warn!(pack = %name, source, "pack version rejected: {reason}");
            return Err(Rejection {
                pack: name,
                diagnostics: vec![
                    Diagnostic::error("pack.duplicate-version", reason.clone())
                        .at(Location::new("pack.yaml", 1, 1))
                        .help("give the new version a later `effective_from` (`missions pack new-version` does it), or remove one of the folders"),
                ],
                reason,
                failed_cases: Vec::new(),
                stale: false,
            });
        }
        self.activate(dir, source, expect_name, None)
    }

    /// [`Self::activate_dir`], only if the newest version of the pack still in force has the
    /// digest `if_digest` (when given): checked under the lock that serialises changes.
    fn activate(
        &self,
        dir: &Path,
        source: &str,
        expect_name: Option<&str>,
        if_digest: Option<&str>,
    ) -> Result<Activated, Rejection> {
        let kind = source.split(':').next().unwrap_or(source).to_owned();
        let folder = dir.file_name().map_or_else(|| dir.display().to_string(), |f| f.to_string_lossy().into_owned());
        let result = self.try_activate(dir, source, expect_name, &folder, if_digest);
        match &result {
            Ok(a) if a.changed => {
                self.metrics.reload(&a.version.name, &kind);
                tracing::info!(pack = %a.version.name, version = %a.version.version, effective_from = %a.version.effective_from, digest = %a.version.digest, source, cases = a.cases, "pack version activated");
            }
            Ok(_) => {}
            Err(rej) => {
                self.metrics.rejected_reload(&rej.pack, &kind);
                tracing::warn!(pack = %rej.pack, source, "pack version rejected: {rej}");
            }
        }
        result
    }

    fn try_activate(
        &self,
        dir: &Path,
        source: &str,
        expect_name: Option<&str>,
        folder: &str,
        if_digest: Option<&str>,
    ) -> Result<Activated, Rejection> {
        let reject = |pack: &str, reason: String, diagnostics: Vec<Diagnostic>| Rejection {
            pack: pack.to_owned(),
            reason,
            diagnostics,
            failed_cases: Vec::new(),
            stale: false,
        };
        let files =
            read_bundle(dir).map_err(|d| reject(folder, format!("cannot read the pack in `{folder}`"), vec![d]))?;
        let pack = Pack::load(dir).map_err(|d| {
            let mut diags = d.0;
            for loc in diags.iter_mut().filter_map(|d| d.location.as_mut()) {
                relative(loc, dir);
            }
            let errors = diags.iter().filter(|d| d.is_error()).count();
            reject(
                expect_name.unwrap_or(folder),
                format!("the pack in `{folder}` does not load ({errors} error{})", if errors == 1 { "" } else { "s" }),
                diags,
            )
        })?;
        let id = pack.id().clone();
        if let Some(expected) = expect_name.filter(|e| *e != id.name) {
            return Err(reject(
                expected,
                format!("`pack.yaml` names the pack `{}`, but it was sent for `{expected}`", id.name),
                vec![
                    Diagnostic::error(
                        "pack.name-mismatch",
                        format!("the pack is `{}`, expected `{expected}`", id.name),
                    )
                    .at(Location::new("pack.yaml", 1, 1))
                    .help(format!(
                        "set `name: {expected}` in `pack.yaml`, or send it to `/v1/admin/packs/{}`",
                        id.name
                    )),
                ],
            ));
        }
        let cases = self.run_cases(&pack, dir)?;
        let bundle = bundle_digest(&files);

        let _guard = self.lock_changes();
        if let Some(expected) = if_digest {
            let in_force = self.files(&id.name).ok().flatten().map(|r| r.digest);
            if in_force.as_deref() != Some(expected) {
                return Err(Rejection {
                    stale: true,
                    ..reject(
                        &id.name,
                        format!("pack `{}` changed since the version `If-Match` names", id.name),
                        Vec::new(),
                    )
                });
            }
        }
        let current = self.snapshot.load_full();
        let same_date = current
            .set
            .versions(&id.name)
            .iter()
            .find(|p| p.id().effective_from == id.effective_from)
            .and_then(|p| current.live.get(&p.id().digest));
        if let Some(live) = same_date
            && live.bundle_digest == bundle
        {
            return Ok(Activated { version: live.clone(), changed: false, cases });
        }
        let record = self
            .store
            .add_pack_version(&NewPackVersion {
                name: id.name.clone(),
                version: id.version.clone(),
                effective_from: id.effective_from,
                digest: id.digest.clone(),
                bundle_digest: bundle,
                files,
                source: source.to_owned(),
                activated_at: Utc::now(),
            })
            .map_err(|e| {
                reject(
                    &id.name,
                    format!("cannot record version `{}` of pack `{}` in the store: {e}", id.version, id.name),
                    Vec::new(),
                )
            })?;
        // Keep a copy that outlives the source folder, for rollbacks after a restart.
        if let Err(e) = self.unpack(&record.name, &record.files) {
            tracing::warn!(pack = %record.name, error = %e, "cannot unpack a copy of the activated version");
        }
        self.compiled.lock().unwrap_or_else(PoisonError::into_inner).insert(record.seq, pack.clone());
        let live = live_version(&record, &pack);
        let mut set = current.set.clone();
        let mut map = current.live.clone();
        map.insert(id.digest.clone(), live.clone());
        set.insert(pack);
        self.snapshot.store(Arc::new(Snapshot { set, live: map }));
        Ok(Activated { version: live, changed: true, cases })
    }

    fn run_cases(&self, pack: &Pack, dir: &Path) -> Result<usize, Rejection> {
        let name = &pack.id().name;
        let (total, failed) = case_results(pack, dir)?;
        if failed.is_empty() {
            Ok(total)
        } else {
            Err(Rejection {
                pack: name.clone(),
                reason: format!("{} of {total} golden cases of pack `{name}` fail", failed.len()),
                diagnostics: Vec::new(),
                failed_cases: failed,
                stale: false,
            })
        }
    }

    /// Activate a version sent as files (`PUT /v1/admin/packs/{name}`). Paths must already be
    /// checked with [`check_pack_path`].
    pub fn activate_files(
        &self,
        name: &str,
        files: &BTreeMap<String, String>,
        if_digest: Option<&str>,
    ) -> Result<Activated, Rejection> {
        let dir = self.unpack(name, files).map_err(|e| Rejection {
            pack: name.to_owned(),
            reason: format!("cannot unpack the files of pack `{name}`: {e}"),
            diagnostics: Vec::new(),
            failed_cases: Vec::new(),
            stale: false,
        })?;
        let result = self.activate(&dir, "api", Some(name), if_digest);
        if result.is_err() {
            // Nothing recorded refers to it (an activated version with these files would have
            // been unchanged, not refused), so the unpacked copy can go.
            let _ = std::fs::remove_dir_all(&dir);
        }
        result
    }

    /// Activate every pack folder under `rules_dir` (those with a `pack.yaml`) whose files were
    /// never activated before. Files the store already knows, rolled back or not, are left: the
    /// store's history wins over a folder that did not change.
    pub fn sync_dir(&self, rules_dir: &Path) -> Vec<(PathBuf, Result<Activated, Rejection>)> {
        let mut known: BTreeSet<String> = BTreeSet::new();
        match self.store.pack_versions(None) {
            Ok(h) => known.extend(h.into_iter().map(|r| r.bundle_digest)),
            Err(e) => tracing::error!(error = %e, "cannot read the pack history"),
        }
        let mut out = Vec::new();
        for dir in pack_dirs(rules_dir) {
            if let Ok(files) = read_bundle(&dir)
                && known.contains(&bundle_digest(&files))
            {
                continue;
            }
            let source = format!("files:{}", dir.display());
            let r = self.activate_dir(&dir, &source, None);
            out.push((dir, r));
        }
        out
    }

    /// Undo the last activation of `name`.
    pub fn rollback(&self, name: &str) -> Result<(LiveVersion, Vec<LiveVersion>), RollbackError> {
        let _guard = self.lock_changes();
        let history = self.store.pack_versions(Some(name)).map_err(RollbackError::Store)?;
        let active: Vec<&PackVersionRecord> = history.iter().filter(|r| r.rolled_back_at.is_none()).collect();
        let Some((last, earlier)) = active.split_last() else {
            return Err(RollbackError::UnknownPack(name.to_owned()));
        };
        let current = self.snapshot.load_full();
        if earlier.is_empty() {
            let pack = current.set.versions(name).last().cloned();
            let live = pack.as_ref().and_then(|p| current.live.get(&p.id().digest)).cloned();
            return Err(RollbackError::NothingToRollBackTo(Box::new(
                live.unwrap_or_else(|| record_version(last, Vec::new())),
            )));
        }
        let mut winners: BTreeMap<NaiveDate, &PackVersionRecord> = BTreeMap::new();
        for r in earlier {
            winners.insert(r.effective_from, r);
        }
        let mut packs = Vec::new();
        for r in winners.values() {
            let pack = self.compile(r).map_err(|rej| RollbackError::Broken(Box::new(rej)))?;
            packs.push((live_version(r, &pack), pack));
        }
        self.store.mark_rolled_back(last.seq, Utc::now()).map_err(RollbackError::Store)?;
        let mut set = PackSet::new();
        let mut live = HashMap::new();
        for other in current.set.names().filter(|n| *n != name) {
            for p in current.set.versions(other) {
                if let Some(l) = current.live.get(&p.id().digest) {
                    live.insert(p.id().digest.clone(), l.clone());
                }
                set.insert(p.clone());
            }
        }
        let now_serving: Vec<LiveVersion> = packs.iter().map(|(l, _)| l.clone()).collect();
        for (l, p) in packs {
            live.insert(p.id().digest.clone(), l);
            set.insert(p);
        }
        self.snapshot.store(Arc::new(Snapshot { set, live }));
        self.metrics.reload(name, "rollback");
        let undone = record_version(last, Vec::new());
        tracing::info!(pack = name, undone = %undone.version, seq = undone.seq, "pack version rolled back");
        Ok((undone, now_serving))
    }

    /// The files of the newest activation of `name` that is still in force.
    pub fn files(&self, name: &str) -> Result<Option<PackVersionRecord>, StoreError> {
        Ok(self.store.pack_versions(Some(name))?.into_iter().rfind(|r| r.rolled_back_at.is_none()))
    }

    /// Every version of `name` ever activated, oldest first.
    pub fn history(&self, name: &str) -> Result<Vec<PackVersionRecord>, StoreError> {
        self.store.pack_versions(Some(name))
    }
}

/// Run the golden cases of `pack` (unpacked in `dir`): how many ran, and those that failed. A
/// pack without any, or with a case file that cannot be read, is refused.
fn case_results(pack: &Pack, dir: &Path) -> Result<(usize, Vec<FailedCase>), Rejection> {
    let name = &pack.id().name;
    if case_files(dir).is_empty() {
        return Err(Rejection {
            pack: name.clone(),
            reason: format!("pack `{name}` has no golden cases, so nothing proves the version works"),
            diagnostics: vec![
                Diagnostic::error("pack.no-cases", "the pack has no `tests/*.yaml` case file")
                    .help("add a case file with at least one case: `entry:`, `cases: [{name, input, expect}]`"),
            ],
            failed_cases: Vec::new(),
            stale: false,
        });
    }
    let reports = run_pack_cases(pack).map_err(|mut d| {
        if let Some(l) = d.location.as_mut() {
            relative(l, dir);
        }
        Rejection {
            pack: name.clone(),
            reason: format!("a golden case file of pack `{name}` cannot be read"),
            diagnostics: vec![d],
            failed_cases: Vec::new(),
            stale: false,
        }
    })?;
    let total = reports.iter().map(|r| r.cases.len()).sum();
    let failed = reports
        .iter()
        .flat_map(|r| {
            let file = r.file.strip_prefix(dir).unwrap_or(&r.file).display().to_string();
            r.cases.iter().filter_map(move |c| {
                c.failure.as_ref().map(|f| {
                    let mut location = c.location.clone();
                    relative(&mut location, dir);
                    FailedCase {
                        file: file.clone(),
                        entry: r.entry.clone(),
                        name: c.name.clone(),
                        location,
                        failure: f.clone(),
                        diffs: c.diffs.clone(),
                    }
                })
            })
        })
        .collect();
    Ok((total, failed))
}

fn record_version(r: &PackVersionRecord, entries: Vec<String>) -> LiveVersion {
    LiveVersion {
        seq: r.seq,
        name: r.name.clone(),
        version: r.version.clone(),
        effective_from: r.effective_from,
        digest: r.digest.clone(),
        bundle_digest: r.bundle_digest.clone(),
        activated_at: r.activated_at,
        source: r.source.clone(),
        entries,
    }
}

fn live_version(r: &PackVersionRecord, pack: &Pack) -> LiveVersion {
    record_version(r, pack.entries().map(str::to_owned).collect())
}
