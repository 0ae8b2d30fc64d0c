//! The host's domain services, shared by the command line and the HTTP layer, with no axum in
//! them: the registry of pack versions and how they change, the bundle a pack travels as, the
//! watcher of `--rules`, the evaluation pool, the metrics, tenants' plugins, and tickets' SLA
//! clocks. The HTTP handlers
//! in [`crate::http`] authenticate, parse, call these, and answer.

mod bundle;
pub mod clocks;
pub mod closures;
pub mod hooks;
mod metrics;
pub mod params;
pub mod plugins;
pub mod pool;
mod registry;
mod versions;
mod watch;

pub(crate) use bundle::sha256_hex;
pub use bundle::{
    MAX_PACK_BYTES, MAX_PACK_FILE_BYTES, MAX_PACK_FILES, bundle_digest, check_pack_path, declared_version,
    folders_holding, pack_dir_of, pack_dirs, read_bundle,
};
pub use metrics::Metrics;
pub use registry::{ComparedWith, DryRun, PackRegistry, RefusedSave, Snapshot};
pub use versions::{Activated, FailedCase, LiveVersion, Rejection, RollbackError, SelectError};
pub use watch::{DEBOUNCE, RulesWatcher, watch};
