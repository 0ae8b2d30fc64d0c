//! `missions serve` as a library: open the store, build the state, bind the socket, watch
//! `--rules`, serve until a shutdown signal, then drain: in-flight requests finish, the audit log
//! writes what it accepted, and only then does [`Server::run`] return.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use missions_store::{self as store, StoreUrl};
use tokio::net::TcpListener;

use super::router;
use super::state::{AppState, ServiceConfig, StartError, Startup};
use crate::service::{RulesWatcher, watch};

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
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self { rules: None, db: "sqlite://./data/missions.db".into(), addr: "127.0.0.1:8080".into(), admin_key: None }
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
    _scratch: Option<tempfile::TempDir>,
}

fn unpack_shipped(dir: &Path) -> std::io::Result<()> {
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
            ServeError::Usage(format!("`--db {}` is not a store URL this build supports: use `sqlite://PATH` (e.g. `sqlite://./data/missions.db`) or `sqlite::memory:`", opts.db))
        })?;
        let mut scratch = None;
        let data_dir = match &url {
            StoreUrl::SqliteFile(p) => {
                p.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
            }
            StoreUrl::SqliteMemory => {
                let t =
                    tempfile::tempdir().map_err(|e| ServeError::Io(format!("cannot create a scratch folder: {e}")))?;
                let p = t.path().to_path_buf();
                scratch = Some(t);
                p
            }
        };
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
        let dd = data_dir.clone();
        let rd = rules_dir.clone();
        let (state, startup) = tokio::task::spawn_blocking(move || -> Result<_, ServeError> {
            let store = store::open(&db)?;
            let mut config = ServiceConfig::new(store, rd, dd);
            config.admin_key = admin_key;
            Ok(AppState::open(config)?)
        })
        .await
        .map_err(|e| ServeError::Io(e.to_string()))??;
        let listener = TcpListener::bind(&opts.addr)
            .await
            .map_err(|e| ServeError::Io(format!("cannot listen on `{}`: {e}", opts.addr)))?;
        let watcher = match &origin {
            RulesOrigin::Folder(dir) => match watch(Arc::clone(state.packs()), dir) {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::warn!(error = %e, folder = %dir.display(), "cannot watch the rules folder; use `PUT /v1/admin/packs/{{pack}}` to change packs");
                    None
                }
            },
            RulesOrigin::Embedded(_) => None,
        };
        Ok(Server { listener, state, startup, origin, watcher, _scratch: scratch })
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

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until `shutdown` completes, then drain and stop.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let state = self.state.clone();
        let st = state.clone();
        let app = router(state.clone());
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(async move {
                shutdown.await;
                st.begin_shutdown();
                tracing::info!("shutting down: finishing in-flight requests");
            })
            .await;
        drop(self.watcher);
        state.audit().close().await;
        tracing::info!("stopped");
        served
    }
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
