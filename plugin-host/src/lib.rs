#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod bindings;
mod cache;
mod check;
mod convert;
mod error;
mod limits;
mod plugin;
mod runtime;
mod wasi;

/// The version of the `missions:plugin` WIT package this host speaks (and every 0.1.x).
pub const WIT_VERSION: &str = "0.1.0";

pub use cache::DEFAULT_CACHE_BYTES;
pub use check::ComponentReport;
pub use convert::{FindingSeverity, MAX_CHANGES, MAX_CODE, MAX_TEXT, ModelFinding, PluginFigure};
pub use error::{Labels, LoadError, PluginError};
pub use limits::Limits;
pub use plugin::{Hook, Origin, Plugin, PluginHost, PluginInfo, TenantPlugin, digest};
pub use runtime::{MAX_CONCURRENT_CALLS, MAX_DEADLINE, MAX_MEMORY_BYTES, MAX_TABLE_ELEMENTS};
pub use wasi::STDIO_BYTES;
