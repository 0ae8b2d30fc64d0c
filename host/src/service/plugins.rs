//! Tenants' plugins in the host, for the command line and the HTTP host alike: the process's
//! plugin host and its disk cache, enabling a plugin for a tenant (checked before it is stored),
//! and the plugins a tenant enabled, loaded from the store and bound to its configuration.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use missions_plugins::{Limits, LoadError, PluginHost, TenantPlugin};
use missions_store::{PluginChange, PluginHistoryEntry, PluginLimits, PluginRecord, Store, StoreError};

/// Largest component accepted, in bytes: a Python (componentize-py) component is about 18 MiB,
/// a JavaScript (componentize-js) one about 12 MiB.
pub const MAX_PLUGIN_BYTES: usize = 32 << 20;

/// Largest configuration, as JSON text.
pub const MAX_CONFIG_BYTES: usize = 64 << 10;

/// Where compiled components are cached: `MISSIONS_PLUGIN_CACHE` (`off` for nowhere), else the
/// user's cache folder (`$XDG_CACHE_HOME/missions/plugins` or `~/.cache/missions/plugins`).
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("MISSIONS_PLUGIN_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|c| c.join("missions").join("plugins")),
    }
}

/// The size limit of the compile cache: `MISSIONS_PLUGIN_CACHE_MAX_MB` (MiB), else
/// [`DEFAULT_CACHE_BYTES`](missions_plugins::DEFAULT_CACHE_BYTES).
pub fn cache_max_bytes() -> u64 {
    let configured = std::env::var("MISSIONS_PLUGIN_CACHE_MAX_MB").ok().and_then(|v| v.trim().parse::<u64>().ok());
    match configured {
        Some(mib) => mib.saturating_mul(1 << 20),
        None => {
            if std::env::var_os("MISSIONS_PLUGIN_CACHE_MAX_MB").is_some() {
                tracing::warn!("MISSIONS_PLUGIN_CACHE_MAX_MB is not a whole number of MiB; using the default");
            }
            missions_plugins::DEFAULT_CACHE_BYTES
        }
    }
}

/// The process's plugin host, with the disk cache of [`cache_dir`] (none if it cannot be created)
/// bounded by [`cache_max_bytes`].
pub fn plugin_host() -> Result<&'static PluginHost, LoadError> {
    static HOST: OnceLock<Result<PluginHost, String>> = OnceLock::new();
    let host = HOST.get_or_init(|| {
        let cached = cache_dir().and_then(|dir| match PluginHost::with_bounded_cache(&dir, cache_max_bytes()) {
            Ok(h) => Some(h),
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "no disk cache for compiled plugins");
                None
            }
        });
        match cached {
            Some(h) => Ok(h),
            None => PluginHost::new().map_err(|e| e.to_string()),
        }
    });
    host.as_ref().map_err(|message| LoadError::Engine { message: message.clone() })
}

/// The plugin limits a tenant's record asks for.
pub fn limits(l: &PluginLimits) -> Limits {
    let d = Limits::default();
    Limits {
        deadline: l.deadline_ms.map_or(d.deadline, Duration::from_millis),
        memory_bytes: l
            .memory_mib
            .map_or(d.memory_bytes, |m| usize::try_from(m.saturating_mul(1 << 20)).unwrap_or(usize::MAX)),
        fuel: l.fuel.or(d.fuel),
        ..d
    }
    .clamped()
}

/// Why a tenant's plugin cannot be enabled or run.
#[derive(Debug, thiserror::Error)]
pub enum TenantPluginError {
    /// The component is refused.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The configuration is not a JSON object, or too large.
    #[error("the plugin configuration must be a JSON object of at most {MAX_CONFIG_BYTES} bytes")]
    Config,
    /// The component is too large.
    #[error("the component has {0} bytes, more than the {MAX_PLUGIN_BYTES} accepted")]
    TooLarge(usize),
    /// A rollback has no earlier entry to go back to, or is asked for one it cannot enable.
    #[error("{0}")]
    NoRollback(String),
    /// The store failed, or the tenant does not exist.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored plugin cannot be loaded any more (its code is missing, or this host refuses it).
    #[error("plugin `{name}` of tenant `{tenant}` cannot be loaded: {message}; enable it again or disable it")]
    Stored {
        /// The tenant.
        tenant: String,
        /// The plugin.
        name: String,
        /// Why.
        message: String,
    },
}

/// Refuse a component over [`MAX_PLUGIN_BYTES`] before anything reads it.
pub fn check_size(wasm: &[u8]) -> Result<(), TenantPluginError> {
    match wasm.len() > MAX_PLUGIN_BYTES {
        true => Err(TenantPluginError::TooLarge(wasm.len())),
        false => Ok(()),
    }
}

/// Check `wasm` and store it as `tenant`'s plugin with `config` and `limits`; returns the record
/// and whether it was newly enabled (rather than replaced).
pub fn enable(
    store: &dyn Store,
    tenant: &str,
    wasm: &[u8],
    config: serde_json::Value,
    limits: PluginLimits,
    now: DateTime<Utc>,
) -> Result<(PluginRecord, bool), TenantPluginError> {
    check_size(wasm)?;
    if !config.is_object() || config.to_string().len() > MAX_CONFIG_BYTES {
        return Err(TenantPluginError::Config);
    }
    let plugin = plugin_host()?.load(wasm)?;
    let record = PluginRecord {
        name: plugin.info().name.clone(),
        version: plugin.info().version.clone(),
        digest: plugin.digest().to_owned(),
        config,
        limits,
        enabled_at: now,
    };
    let created = store.put_plugin(tenant, &record, wasm)?;
    Ok((record, created))
}

/// The plugins `tenant` enabled, in the order they run (by name), each bound to the tenant's
/// configuration and limits. Components already loaded by this process are not read again.
pub fn tenant_plugins(store: &dyn Store, tenant: &str) -> Result<Vec<TenantPlugin>, TenantPluginError> {
    let records = store.plugins(tenant)?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let host = plugin_host()?;
    records
        .iter()
        .map(|r| {
            let stored = |message: String| TenantPluginError::Stored {
                tenant: tenant.to_owned(),
                name: r.name.clone(),
                message,
            };
            let plugin = match host.loaded(&r.digest) {
                Some(p) => p,
                None => {
                    let wasm = store.plugin_code(&r.digest)?.ok_or_else(|| stored("its code is missing".into()))?;
                    host.load(&wasm).map_err(|e| stored(e.to_string()))?
                }
            };
            Ok(plugin.bind(tenant, &r.config, limits(&r.limits)))
        })
        .collect()
}

/// The entry of `history` a rollback enables when none is named: the last entry before the
/// current state that left the plugin otherwise (code, configuration or limits); for a disabled
/// plugin, the state it was disabled in.
fn rollback_target(history: &[PluginHistoryEntry]) -> Option<&PluginHistoryEntry> {
    let last = history.last()?;
    let enabling = |e: &&PluginHistoryEntry| e.change != PluginChange::Disabled;
    if last.change == PluginChange::Disabled {
        return history.iter().rev().find(enabling);
    }
    let same = |e: &PluginHistoryEntry| {
        e.plugin.digest == last.plugin.digest
            && e.plugin.config == last.plugin.config
            && e.plugin.limits == last.plugin.limits
    };
    history.iter().rev().skip(1).filter(enabling).find(|e| !same(e))
}

/// Enable an earlier entry of `tenant`'s plugin `name` again: entry `to`, or by default the one
/// before the current state (see [`rollback_target`]). Its code is checked to load in this host
/// first. Returns the plugin as enabled now and the entry it restored.
pub fn rollback(
    store: &dyn Store,
    tenant: &str,
    name: &str,
    to: Option<u64>,
    now: DateTime<Utc>,
) -> Result<(PluginRecord, u64), TenantPluginError> {
    let history = store.plugin_history(tenant, name)?;
    if history.is_empty() {
        let record = missions_store::Record::PluginHistory { plugin: name.to_owned(), tenant: tenant.to_owned() };
        return Err(StoreError::NotFound(record).into());
    }
    let target = match to {
        Some(seq) => history.iter().find(|e| e.seq == seq).ok_or_else(|| {
            TenantPluginError::NoRollback(format!(
                "plugin `{name}` of tenant `{tenant}` has no history entry {seq} (its entries are 1 to {})",
                history.len()
            ))
        })?,
        None => rollback_target(&history).ok_or_else(|| {
            TenantPluginError::NoRollback(format!(
                "plugin `{name}` of tenant `{tenant}` has no earlier version, configuration or limits to roll back to"
            ))
        })?,
    };
    let code = store.plugin_code(&target.plugin.digest)?.ok_or_else(|| TenantPluginError::Stored {
        tenant: tenant.into(),
        name: name.into(),
        message: format!("the code of history entry {} is missing from the store", target.seq),
    })?;
    plugin_host()?.load(&code)?;
    let seq = target.seq;
    match store.rollback_plugin(tenant, name, seq, now) {
        Ok(record) => Ok((record, seq)),
        Err(StoreError::Conflict(why)) => Err(TenantPluginError::NoRollback(why.to_string())),
        Err(e) => Err(e.into()),
    }
}
