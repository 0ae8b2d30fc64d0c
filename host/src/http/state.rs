//! What every handler shares: the store, the packs, the clock, the audit log, the metrics, the
//! admin key's hash. [`AppState::open`] builds it from a [`ServiceConfig`]: it settles the admin
//! key, reloads every stored pack version, activates the packs of `--rules` that are new, and
//! starts the audit writer.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use missions_engine::{Calendar, CalendarSpec, PackId};
use missions_store::{Store, StoreError};

use super::audit::AuditLog;
use super::keys::{KeyCache, hash_from_hex, hash_hex, hash_key, new_admin_key};
use crate::service::Metrics;
use crate::service::pool::EvalPool;
use crate::service::{PackRegistry, Rejection};

/// Where "now" comes from. Tests fix it; the service reads the system clock.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock stopped at `t`.
    pub fn new(t: DateTime<Utc>) -> Self {
        Self(Mutex::new(t))
    }

    /// Move it to `t`.
    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = t;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Bounds on what one request may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, in bytes (pack uploads excepted).
    pub body_bytes: usize,
    /// Largest pack upload (`PUT /v1/admin/packs/{pack}`), in bytes.
    pub pack_body_bytes: usize,
    /// Longest an evaluation may wait and run before the request gets `evaluation-timeout`.
    pub eval_timeout: Duration,
    /// Threads that run evaluations (see [`super::pool`]).
    pub eval_threads: usize,
    /// Evaluations that may wait for a thread before requests are refused with 503.
    pub eval_queue: usize,
    /// Longest a request body may take to arrive, in all; then 408 `body-timeout`.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 1024 * 1024,
            pack_body_bytes: 16 * 1024 * 1024,
            eval_timeout: Duration::from_secs(2),
            eval_threads: EvalPool::default_threads(),
            eval_queue: 4096,
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// The packs and entries tickets are decided with.
#[derive(Debug, Clone)]
pub struct TicketRules {
    /// The pack with the helpdesk entry (`esomus`).
    pub helpdesk_pack: String,
    /// Its entry (`helpdesk`).
    pub helpdesk_entry: String,
    /// The pack with the SLA entry (`norriq`).
    pub sla_pack: String,
    /// Its entry (`sla`).
    pub sla_entry: String,
    /// How far from now a ticket's `at` may lie, either way (`--ticket-window-days`).
    pub at_window: chrono::TimeDelta,
    /// Days after a month's end during which tickets may still be dated in it; then the month is
    /// closed for billing (`--billing-grace-days`).
    pub billing_grace_days: u32,
}

impl Default for TicketRules {
    fn default() -> Self {
        Self {
            helpdesk_pack: "esomus".into(),
            helpdesk_entry: "helpdesk".into(),
            sla_pack: "norriq".into(),
            sla_entry: "sla".into(),
            at_window: chrono::TimeDelta::days(7),
            billing_grace_days: 5,
        }
    }
}

/// Everything the service is built from.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The folder of rule packs (and `models/`, the shipped mission models).
    pub rules_dir: PathBuf,
    /// Where stored pack versions are unpacked.
    pub data_dir: PathBuf,
    /// The admin key from `MISSIONS_ADMIN_KEY`; without it a key is generated on first start.
    pub admin_key: Option<String>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Request bounds.
    pub limits: Limits,
    /// Ticket rules.
    pub tickets: TicketRules,
    /// Days the audit log keeps a record and its input; older ones are purged.
    pub audit_retention_days: u32,
    /// Whether to activate the packs of `rules_dir` on start. Off, the service serves what the
    /// store holds (another replica activates), unless the store holds no pack yet.
    pub sync_rules: bool,
}

/// How long the audit log keeps records by default: a year and a month, so last year's requests
/// can be replayed against next year's tariff.
pub const DEFAULT_AUDIT_RETENTION_DAYS: u32 = 400;

impl ServiceConfig {
    /// A configuration with the system clock, default limits and ticket rules.
    pub fn new(store: Arc<dyn Store>, rules_dir: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            store,
            rules_dir: rules_dir.into(),
            data_dir: data_dir.into(),
            admin_key: None,
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
            tickets: TicketRules::default(),
            audit_retention_days: DEFAULT_AUDIT_RETENTION_DAYS,
            sync_rules: true,
        }
    }
}

/// Where the admin key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminKey {
    /// `MISSIONS_ADMIN_KEY`.
    Environment,
    /// Generated now, on first start: the only time it is shown.
    Generated(String),
    /// Generated on an earlier start; only its hash is kept.
    Stored,
}

/// What happened while starting.
#[derive(Debug, Clone)]
pub struct Startup {
    /// The admin key's origin.
    pub admin_key: AdminKey,
    /// The versions being served.
    pub packs: Vec<PackId>,
    /// Versions refused (stored ones that no longer load, folders that fail).
    pub rejected: Vec<Rejection>,
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `MISSIONS_ADMIN_KEY` is unusable.
    #[error(
        "`MISSIONS_ADMIN_KEY` is too short ({0} characters): use at least 32 random characters, e.g. `openssl rand -hex 32`"
    )]
    WeakAdminKey(usize),
    /// Something else (randomness, threads, the calendar).
    #[error("{0}")]
    Other(String),
}

pub(crate) struct Inner {
    pub store: Arc<dyn Store>,
    pub packs: Arc<PackRegistry>,
    pub clock: Arc<dyn Clock>,
    pub audit: AuditLog,
    pub evals: EvalPool,
    pub metrics: Metrics,
    pub keys: KeyCache,
    pub admin: [u8; 32],
    pub calendar: Arc<Calendar>,
    pub rules_dir: PathBuf,
    pub limits: Limits,
    pub tickets: TicketRules,
    pub stopping: AtomicBool,
    /// Dry runs of pack versions: one at a time.
    pub dry_runs: tokio::sync::Semaphore,
}

/// The state handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("store", &self.0.store.describe()).finish_non_exhaustive()
    }
}

fn admin_key(store: &dyn Store, from_env: Option<&str>) -> Result<([u8; 32], AdminKey), StartError> {
    if let Some(k) = from_env {
        if k.len() < 32 {
            return Err(StartError::WeakAdminKey(k.len()));
        }
        return Ok((hash_key(k), AdminKey::Environment));
    }
    if let Some(h) = store.setting("admin_key_hash")?.as_deref().and_then(hash_from_hex) {
        return Ok((h, AdminKey::Stored));
    }
    let key = new_admin_key().map_err(|e| StartError::Other(e.to_string()))?;
    let hash = hash_key(&key);
    if store.set_setting_if_absent("admin_key_hash", &hash_hex(&hash))? {
        return Ok((hash, AdminKey::Generated(key)));
    }
    // Another process generated one first.
    let h = store
        .setting("admin_key_hash")?
        .as_deref()
        .and_then(hash_from_hex)
        .ok_or_else(|| StartError::Other("the stored admin key hash is unreadable".into()))?;
    Ok((h, AdminKey::Stored))
}

impl AppState {
    /// Build the service's state. Blocking: it loads and tests packs.
    pub fn open(config: ServiceConfig) -> Result<(AppState, Startup), StartError> {
        let metrics = Metrics::new();
        let (admin, admin_origin) = admin_key(&*config.store, config.admin_key.as_deref())?;
        let (registry, mut rejected) =
            PackRegistry::open(config.store.clone(), config.data_dir.join("packs"), metrics.clone())?;
        let empty = registry.snapshot().names().next().is_none();
        let sync = if config.sync_rules || empty { registry.sync_dir(&config.rules_dir) } else { Vec::new() };
        for (dir, result) in sync {
            if let Err(mut rej) = result {
                if rej.pack.is_empty() {
                    rej.pack = dir.display().to_string();
                }
                rejected.push(rej);
            }
        }
        let snapshot = registry.snapshot();
        let packs =
            snapshot.names().flat_map(|n| snapshot.versions(n).into_iter().map(|(p, _)| p.id().clone())).collect();
        let calendar = Calendar::new(CalendarSpec::belgian_office_hours())
            .map_err(|e| StartError::Other(format!("cannot build the business calendar: {e}")))?;
        let retention = chrono::TimeDelta::days(i64::from(config.audit_retention_days));
        let audit = AuditLog::start(config.store.clone(), metrics.clone(), retention)
            .map_err(|e| StartError::Other(format!("cannot start the audit writer: {e}")))?;
        let evals = EvalPool::new(config.limits.eval_threads, config.limits.eval_queue)
            .map_err(|e| StartError::Other(format!("cannot start the evaluation threads: {e}")))?;
        let state = AppState(Arc::new(Inner {
            store: config.store,
            packs: Arc::new(registry),
            clock: config.clock,
            audit,
            evals,
            metrics,
            keys: KeyCache::default(),
            admin,
            calendar: Arc::new(calendar),
            rules_dir: config.rules_dir,
            limits: config.limits,
            tickets: config.tickets,
            stopping: AtomicBool::new(false),
            dry_runs: tokio::sync::Semaphore::new(1),
        }));
        Ok((state, Startup { admin_key: admin_origin, packs, rejected }))
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.0.store
    }

    /// The packs.
    pub fn packs(&self) -> &Arc<PackRegistry> {
        &self.0.packs
    }

    /// The audit log.
    pub fn audit(&self) -> &AuditLog {
        &self.0.audit
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Now, by the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.0.clock.now()
    }

    /// The folder of rule packs.
    pub fn rules_dir(&self) -> &std::path::Path {
        &self.0.rules_dir
    }

    pub(crate) fn keys(&self) -> &KeyCache {
        &self.0.keys
    }

    pub(crate) fn admin_hash(&self) -> &[u8; 32] {
        &self.0.admin
    }

    /// Mark the service as stopping: `/readyz` answers 503 so load balancers stop sending.
    pub fn begin_shutdown(&self) {
        self.0.stopping.store(true, Ordering::SeqCst);
    }

    pub(crate) fn stopping(&self) -> bool {
        self.0.stopping.load(Ordering::SeqCst)
    }
}
