//! `missions serve` as a library: open the store, build the state, bind the socket, watch
//! `--rules`, serve until a shutdown signal, then drain: in-flight requests finish, the audit log
//! writes what it accepted, and only then does [`Server::run`] return.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use include_dir::{Dir, include_dir};
use missions_store::{self as store, StoreUrl};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::router;
use super::state::{AppState, ServiceConfig, StartError, Startup};
use crate::service::{PackRegistry, RulesWatcher, watch};

/// The shipped `rules/` folder, built into the binary: served when there is no `./rules`.
static SHIPPED_RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../rules");

/// How to run the service.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `--rules`: the pack folder; `None` means `./rules`, or the shipped rules when it is absent.
    pub rules: Option<PathBuf>,
    /// `--db`: the store URL.
    pub db: String,
    /// `--addr`: where to listen.
    pub addr: String,
    /// `MISSIONS_ADMIN_KEY`.
    pub admin_key: Option<String>,
    /// What one connection may hold and how long it may take.
    pub connections: ConnectionLimits,
    /// How tickets are decided and how far their `at` may lie from now.
    pub tickets: super::state::TicketRules,
    /// `--audit-retention-days`: how long the audit log keeps a record (and its input).
    pub audit_retention_days: u32,
    /// `--watch` / `--no-watch`: whether this process activates the packs of its rules folder
    /// and watches it; `None` means yes on SQLite and no on PostgreSQL, where one replica
    /// watches and the others serve what the store holds.
    pub watch: Option<bool>,
    /// `--cache-dir`: where stored pack versions are unpacked; `None` means beside an SQLite
    /// file, else a private temporary folder.
    pub cache_dir: Option<PathBuf>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            rules: None,
            db: "sqlite://./data/missions.db".into(),
            addr: "127.0.0.1:8080".into(),
            admin_key: None,
            connections: ConnectionLimits::default(),
            tickets: super::state::TicketRules::default(),
            audit_retention_days: super::state::DEFAULT_AUDIT_RETENTION_DAYS,
            watch: None,
            cache_dir: None,
        }
    }
}

/// Bounds on connections, so that clients that connect and send nothing, or send slowly, cannot
/// hold the server's sockets and file descriptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once (`--max-connections`). Further clients wait in the listen
    /// backlog until one closes; the process never runs out of file descriptors for them.
    pub max_connections: usize,
    /// Longest the server waits for a request's complete head (`--header-timeout`): from the
    /// connection's start, or from the previous response on a kept-alive connection. So it is
    /// also the idle timeout: a connection that sends nothing is closed after it.
    pub header_timeout: Duration,
    /// Longest a request body may take to arrive, in all (`--body-timeout`); then 408.
    pub body_timeout: Duration,
    /// On shutdown, longest the server waits for requests in flight before it stops anyway.
    pub drain_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            drain_timeout: Duration::from_secs(10),
        }
    }
}

/// Where the served packs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesOrigin {
    /// A folder, watched for changes.
    Folder(PathBuf),
    /// The shipped rules built into the binary, unpacked here (not watched).
    Embedded(PathBuf),
}

/// Why the service did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
    /// Building the state failed.
    #[error(transparent)]
    Start(#[from] StartError),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// Files or sockets.
    #[error("{0}")]
    Io(String),
}

/// A service bound to its socket, ready to run.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
    startup: Startup,
    origin: RulesOrigin,
    watcher: Option<RulesWatcher>,
    /// Polls a shared store for other replicas' activations and rollbacks.
    follower: Option<tokio::task::JoinHandle<()>>,
    watching: bool,
    connections: ConnectionLimits,
    _scratch: Option<tempfile::TempDir>,
}

/// Write the shipped `rules/` folder into `dir` (replacing what is there).
pub(crate) fn unpack_shipped(dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    SHIPPED_RULES.extract(dir)
}

impl Server {
    /// Open everything and bind; nothing is served until [`Server::run`].
    pub async fn start(opts: ServeOptions) -> Result<Server, ServeError> {
        let url = store::parse_url(&opts.db).map_err(|_| {
            ServeError::Usage(format!("`--db {}` is not a store URL this build supports: use `sqlite://PATH` (e.g. `sqlite://./data/missions.db`), `sqlite::memory:` or `postgres://USER@HOST/DATABASE`", opts.db))
        })?;
        let mut scratch = None;
        let data_dir = match (&opts.cache_dir, &url) {
            (Some(dir), _) => dir.clone(),
            (None, StoreUrl::SqliteFile(p)) => {
                p.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
            }
            (None, StoreUrl::SqliteMemory | StoreUrl::Postgres(_)) => {
                let t =
                    tempfile::tempdir().map_err(|e| ServeError::Io(format!("cannot create a scratch folder: {e}")))?;
                let p = t.path().to_path_buf();
                scratch = Some(t);
                p
            }
        };
        let watching = opts.watch.unwrap_or(!url.is_shared());
        let origin = match &opts.rules {
            Some(dir) if dir.is_dir() => RulesOrigin::Folder(dir.clone()),
            Some(dir) => {
                return Err(ServeError::Usage(format!(
                    "`--rules {}` is not a folder; give the folder that holds the pack folders (e.g. `rules`)",
                    dir.display()
                )));
            }
            None if Path::new("rules").is_dir() => RulesOrigin::Folder(PathBuf::from("rules")),
            None => {
                let dir = data_dir.join("shipped-rules");
                let d = dir.clone();
                tokio::task::spawn_blocking(move || unpack_shipped(&d))
                    .await
                    .map_err(|e| ServeError::Io(e.to_string()))?
                    .map_err(|e| {
                        ServeError::Io(format!("cannot unpack the shipped rules into `{}`: {e}", dir.display()))
                    })?;
                RulesOrigin::Embedded(dir)
            }
        };
        let rules_dir = match &origin {
            RulesOrigin::Folder(d) | RulesOrigin::Embedded(d) => d.clone(),
        };
        let db = opts.db.clone();
        let admin_key = opts.admin_key.clone();
        let tickets = opts.tickets.clone();
        let dd = data_dir.clone();
        let rd = rules_dir.clone();
        let (state, startup) = tokio::task::spawn_blocking(move || -> Result<_, ServeError> {
            let store = store::open(&db)?;
            let mut config = ServiceConfig::new(store, rd, dd);
            config.sync_rules = watching;
            config.admin_key = admin_key;
            config.limits.body_timeout = opts.connections.body_timeout;
            config.tickets = tickets;
            config.audit_retention_days = opts.audit_retention_days;
            Ok(AppState::open(config)?)
        })
        .await
        .map_err(|e| ServeError::Io(e.to_string()))??;
        let listener = TcpListener::bind(&opts.addr)
            .await
            .map_err(|e| ServeError::Io(format!("cannot listen on `{}`: {e}", opts.addr)))?;
        let watcher = match &origin {
            RulesOrigin::Folder(dir) if watching => match watch(Arc::clone(state.packs()), dir) {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::warn!(error = %e, folder = %dir.display(), "cannot watch the rules folder; use `PUT /v1/admin/packs/{{pack}}` to change packs");
                    None
                }
            },
            RulesOrigin::Folder(_) | RulesOrigin::Embedded(_) => None,
        };
        // On a shared store, other replicas activate and roll back too: follow the store.
        let follower = url.is_shared().then(|| follow_store(Arc::clone(state.packs())));
        Ok(Server {
            listener,
            state,
            startup,
            origin,
            watcher,
            follower,
            watching,
            connections: opts.connections,
            _scratch: scratch,
        })
    }

    /// The address it listens on (the real port when `--addr` asked for port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// What happened while starting.
    pub fn startup(&self) -> &Startup {
        &self.startup
    }

    /// Where the packs come from.
    pub fn origin(&self) -> &RulesOrigin {
        &self.origin
    }

    /// Whether this process activates and watches its rules folder.
    pub fn watching(&self) -> bool {
        self.watching
    }

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until `shutdown` completes, then drain and stop: connections stop being accepted,
    /// requests in flight get up to [`ConnectionLimits::drain_timeout`] to finish, the audit log
    /// writes what it accepted.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Server { listener, state, watcher, follower, connections: limits, .. } = self;
        let app = router(state.clone());
        let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
        let graceful = GracefulShutdown::new();
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
        tokio::pin!(shutdown);
        loop {
            // Take a slot before accepting: at the cap, new clients wait in the backlog.
            let permit = tokio::select! {
                () = &mut shutdown => break,
                p = Arc::clone(&permits).acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break,
                },
            };
            let stream = tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        accept_failed(&e).await;
                        continue;
                    }
                },
            };
            let _ = stream.set_nodelay(true);
            let conn =
                graceful.watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone())));
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    tracing::debug!(error = %e, "connection closed with an error");
                }
                drop(permit);
            });
        }
        state.begin_shutdown();
        tracing::info!("shutting down: finishing in-flight requests");
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(limits.drain_timeout) => {
                tracing::warn!(seconds = limits.drain_timeout.as_secs(), "requests still running after the drain timeout; stopping anyway");
            }
        }
        drop(watcher);
        if let Some(f) = follower {
            f.abort();
        }
        state.audit().close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// How often a replica asks a shared store whether pack versions changed: an activation on one
/// replica is served by the others within this (and the reload's own time).
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// Reload `packs` from the store whenever another process changed them.
fn follow_store(packs: Arc<PackRegistry>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FOLLOW_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let p = Arc::clone(&packs);
            match tokio::task::spawn_blocking(move || p.refresh()).await {
                Ok(Ok(Some(rejected))) => {
                    for r in rejected {
                        tracing::warn!(pack = %r.pack, "stored pack version not loaded: {r}");
                    }
                }
                Ok(Ok(None)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "cannot read pack versions from the store"),
                Err(e) => tracing::error!(error = %e, "the store follower failed"),
            }
        }
    })
}

/// An accept that failed: out of file descriptors, or a connection reset before it was taken.
/// Wait a little so a persistent failure does not spin a core, and log it.
async fn accept_failed(e: &std::io::Error) {
    tracing::warn!(error = %e, "cannot accept a connection");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
