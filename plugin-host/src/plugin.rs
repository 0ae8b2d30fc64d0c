//! Loading plugins and calling them. A [`PluginHost`] compiles each distinct component once
//! (memory, then disk cache) and pre-links it; a [`Plugin`] is that compiled component; a
//! [`TenantPlugin`] is a plugin bound to a tenant's configuration and limits. Every call runs in
//! a fresh store and instance, so nothing survives a call: not memory, not globals, not tables.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use missions_engine::{AdjustError, InvoiceAdjuster, LineAdjustment, QuoteDraft};
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store, Trap};

use crate::bindings::{self, CallState, guest, types};
use crate::cache::{DiskCache, hex};
use crate::check::{self, ComponentReport};
use crate::convert;
use crate::error::{Labels, LoadError, PluginError};
use crate::limits::{Hit, Limiter, Limits};
use crate::runtime::{self, MAX_CONCURRENT_CALLS};
use crate::wasi::{self, Sandbox};

/// A hook of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hook {
    /// `adjust-quote`.
    AdjustQuote,
    /// `lint-model`.
    LintModel,
    /// `dashboard-figures`.
    DashboardFigures,
}

impl Hook {
    /// The hook's name in the WIT (`adjust-quote`).
    pub fn as_str(self) -> &'static str {
        match self {
            Hook::AdjustQuote => "adjust-quote",
            Hook::LintModel => "lint-model",
            Hook::DashboardFigures => "dashboard-figures",
        }
    }
}

impl std::fmt::Display for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a plugin says of itself (checked by the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// Lowercase letters, digits and `-` (`volume-discount`).
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// The hooks it implements; the host calls no other.
    pub hooks: Vec<Hook>,
    /// One sentence per language.
    pub description: Labels,
}

/// How the host got a plugin's compiled code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Compiled from the component's bytes.
    Compiled,
    /// Loaded from the disk cache.
    DiskCache,
    /// Already loaded by this host.
    Memory,
}

struct Inner {
    /// The plugin's name, as its calls log it.
    name: Arc<str>,
    digest: Arc<str>,
    pre: bindings::PluginPre<CallState>,
    info: PluginInfo,
    report: ComponentReport,
}

/// A loaded, checked, compiled plugin. Cheap to clone; shared by every tenant that enables it.
#[derive(Clone)]
pub struct Plugin {
    inner: Arc<Inner>,
    origin: Origin,
    load_time: Duration,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("name", &self.inner.info.name)
            .field("version", &self.inner.info.version)
            .field("digest", &self.inner.digest)
            .finish_non_exhaustive()
    }
}

/// Loads plugins: compiles each distinct component once, keeps it, and caches the compiled code
/// on disk when given a directory. Every host of the process shares one wasmtime engine.
pub struct PluginHost {
    engine: &'static Engine,
    linker: Linker<CallState>,
    cache: Option<DiskCache>,
    loaded: Mutex<HashMap<String, Arc<Inner>>>,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHost").field("cache", &self.cache).finish_non_exhaustive()
    }
}

/// The sha256 of a component's bytes, in hex: how the host names a plugin's code.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl PluginHost {
    /// A host without a disk cache: each process compiles each plugin once.
    pub fn new() -> Result<PluginHost, LoadError> {
        let engine = runtime::engine()?;
        let mut linker = Linker::new(engine);
        bindings::Plugin::add_to_linker::<CallState, HasSelf<CallState>>(&mut linker, |s| s)
            .and_then(|()| wasi::add_to_linker(&mut linker))
            .map_err(|e| LoadError::Engine { message: format!("{e:#}") })?;
        Ok(PluginHost { engine, linker, cache: None, loaded: Mutex::new(HashMap::new()) })
    }

    /// A host that caches compiled components in `dir` (created if missing), up to
    /// [`DEFAULT_CACHE_BYTES`](crate::DEFAULT_CACHE_BYTES).
    pub fn with_cache_dir(dir: impl AsRef<Path>) -> Result<PluginHost, LoadError> {
        PluginHost::with_bounded_cache(dir, crate::DEFAULT_CACHE_BYTES)
    }

    /// A host that caches compiled components in `dir` (created if missing), keeping at most
    /// `max_bytes` of them: past it, the least recently used are removed.
    pub fn with_bounded_cache(dir: impl AsRef<Path>, max_bytes: u64) -> Result<PluginHost, LoadError> {
        let mut host = PluginHost::new()?;
        let dir = dir.as_ref();
        let cache = DiskCache::new(dir, host.engine, max_bytes)
            .map_err(|source| LoadError::Read { path: dir.to_owned(), source })?;
        host.cache = Some(cache);
        Ok(host)
    }

    /// The plugin whose component has this sha256, if this host loaded it: no bytes to hash again.
    pub fn loaded(&self, digest: &str) -> Option<Plugin> {
        let inner = self.loaded.lock().ok()?.get(digest).cloned()?;
        Some(Plugin { inner, origin: Origin::Memory, load_time: Duration::ZERO })
    }

    /// Load the component in `path`.
    pub fn load_file(&self, path: impl AsRef<Path>) -> Result<Plugin, LoadError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| LoadError::Read { path: path.to_owned(), source })?;
        self.load(&bytes)
    }

    /// Load a component: check it, compile it (or take it from a cache), pre-link it and ask it to
    /// describe itself.
    pub fn load(&self, bytes: &[u8]) -> Result<Plugin, LoadError> {
        let started = Instant::now();
        let digest = digest(bytes);
        if let Some(inner) = self.loaded.lock().ok().and_then(|m| m.get(&digest).cloned()) {
            return Ok(Plugin { inner, origin: Origin::Memory, load_time: started.elapsed() });
        }
        check::sniff(bytes)?;
        check::imports(bytes)?;
        let cached = self.cache.as_ref().and_then(|c| c.load(self.engine, &digest));
        let origin = if cached.is_some() { Origin::DiskCache } else { Origin::Compiled };
        let component = match cached {
            Some(c) => c,
            None => {
                let c = Component::new(self.engine, bytes).map_err(|e| check::invalid(&e))?;
                // Checked before caching: a refused component leaves nothing behind.
                check::check(self.engine, &c)?;
                if let Some(cache) = &self.cache {
                    cache.store(&digest, &c);
                }
                c
            }
        };
        let report = check::check(self.engine, &component)?;
        let pre = wasi::with_traps(&self.linker, self.engine, &component)
            .and_then(|trapping| trapping.as_ref().unwrap_or(&self.linker).instantiate_pre(&component))
            .and_then(bindings::PluginPre::new)
            .map_err(|e| LoadError::Link { message: format!("{e:#}") })?;
        let shared: Arc<str> = digest.as_str().into();
        let info = describe_at_load(&pre, &shared).map_err(LoadError::Describe)?;
        check_info(&info)?;
        let inner = Arc::new(Inner { name: info.name.as_str().into(), digest: shared, pre, info, report });
        if let Ok(mut m) = self.loaded.lock() {
            m.insert(digest, inner.clone());
        }
        Ok(Plugin { inner, origin, load_time: started.elapsed() })
    }
}

fn check_info(info: &PluginInfo) -> Result<(), LoadError> {
    let bad = |message: String| Err(LoadError::Info { message });
    let n = &info.name;
    if n.is_empty() || n.len() > 64 || !n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return bad(format!("the name `{n}` must be 1 to 64 lowercase letters, digits or `-`"));
    }
    if info.version.trim().is_empty() || info.version.len() > 64 {
        return bad(format!("the version `{}` must be 1 to 64 characters", info.version));
    }
    Ok(())
}

impl Plugin {
    /// What the plugin says of itself.
    pub fn info(&self) -> &PluginInfo {
        &self.inner.info
    }

    /// The sha256 of the component's bytes, in hex.
    pub fn digest(&self) -> &str {
        &self.inner.digest
    }

    /// The component's world version, imports and exports.
    pub fn report(&self) -> &ComponentReport {
        &self.inner.report
    }

    /// Whether this load compiled the component, read it from the disk cache or found it loaded.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// How long this load took (compilation or cache load included).
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// The plugin bound to a tenant: its configuration (JSON, `{}` for none) and its limits.
    pub fn bind(&self, tenant: &str, config: &serde_json::Value, limits: Limits) -> TenantPlugin {
        TenantPlugin {
            plugin: self.inner.clone(),
            tenant: tenant.into(),
            config: config.to_string().into(),
            limits: limits.clamped(),
        }
    }
}

/// A plugin as one tenant enabled it. Each call instantiates it afresh under the tenant's limits.
#[derive(Clone)]
pub struct TenantPlugin {
    plugin: Arc<Inner>,
    tenant: Arc<str>,
    config: Arc<str>,
    limits: Limits,
}

impl std::fmt::Debug for TenantPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantPlugin")
            .field("plugin", &self.plugin.info.name)
            .field("tenant", &self.tenant)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

fn classify(e: wasmtime::Error, hit: Option<Hit>, limits: &Limits) -> PluginError {
    match hit {
        Some(Hit::Memory { desired }) => return PluginError::Memory { cap: limits.memory_bytes, desired },
        Some(Hit::TableElements { desired }) => {
            return PluginError::TableElements { cap: limits.table_elements, desired };
        }
        None => {}
    }
    if let Some(trap) = e.downcast_ref::<Trap>() {
        return match trap {
            Trap::Interrupt => PluginError::Deadline { deadline: limits.deadline },
            Trap::OutOfFuel => PluginError::Fuel { fuel: limits.fuel.unwrap_or(u64::MAX) },
            Trap::StackOverflow => PluginError::StackOverflow,
            // A Rust guest keeps part of its stack in linear memory: when that stack overflows,
            // the first sign is a write below address 0.
            Trap::MemoryOutOfBounds => PluginError::Trap {
                message: format!(
                    "{trap} (its stack in linear memory may have overflowed, for example by a too deep recursion)"
                ),
            },
            other => PluginError::Trap { message: other.to_string() },
        };
    }
    if let Some(exit) = e.downcast_ref::<wasmtime_wasi::I32Exit>() {
        return PluginError::Trap {
            message: format!(
                "the plugin called exit with status {}: a plugin returns its answer, it does not exit",
                exit.0
            ),
        };
    }
    if e.downcast_ref::<wasmtime::PoolConcurrencyLimitError>().is_some() {
        return PluginError::Busy { max: MAX_CONCURRENT_CALLS };
    }
    let detail = format!("{e:#}");
    for (what, needle, cap) in [
        ("instances", "instance count too high", limits.instances),
        ("tables", "table count too high", limits.tables),
        ("memories", "memory count too high", 2),
    ] {
        if detail.contains(needle) {
            return PluginError::Count { what, cap, detail };
        }
    }
    PluginError::Trap { message: detail }
}

/// Run `f` on a fresh instance of `pre`, in a store of its own, under `limits`.
fn run<R>(
    pre: &bindings::PluginPre<CallState>,
    digest: &Arc<str>,
    plugin: &Arc<str>,
    tenant: &Arc<str>,
    config: &Arc<str>,
    limits: &Limits,
    f: impl FnOnce(&guest::Guest, &mut Store<CallState>) -> wasmtime::Result<R>,
) -> Result<R, PluginError> {
    let state = CallState {
        limiter: Limiter::new(*limits),
        tenant: tenant.clone(),
        plugin: plugin.clone(),
        config: config.clone(),
        log_calls: 0,
        sandbox: Sandbox::new(digest, tenant),
    };
    let mut store = Store::new(pre.engine(), state);
    store.limiter(|s| &mut s.limiter);
    // The deadline counts from here: instantiation is part of the call.
    store.set_epoch_deadline(runtime::ticks(limits.deadline));
    store.set_fuel(limits.fuel.unwrap_or(u64::MAX)).map_err(|e| PluginError::Host { message: format!("{e:#}") })?;
    let result = pre.instantiate(&mut store).and_then(|instance| f(instance.missions_plugin_guest(), &mut store));
    store.data().log_output();
    result.map_err(|e| {
        let err = classify(e, store.data().limiter.hit, limits);
        tracing::info!(tenant = %tenant, plugin = %plugin, code = err.code(), error = %err, "plugin call failed");
        err
    })
}

fn info_from(info: types::PluginInfo) -> Result<PluginInfo, PluginError> {
    let types::PluginInfo { name, version, hooks, description } = info;
    convert::count("hooks", hooks.len(), 16)?;
    convert::text("name", &name, true)?;
    convert::text("version", &version, true)?;
    let mut hooks: Vec<Hook> = hooks
        .into_iter()
        .map(|h| match h {
            types::Hook::AdjustQuote => Hook::AdjustQuote,
            types::Hook::LintModel => Hook::LintModel,
            types::Hook::DashboardFigures => Hook::DashboardFigures,
        })
        .collect();
    hooks.sort();
    hooks.dedup();
    Ok(PluginInfo { name, version, hooks, description: convert::labels_from("description", description)? })
}

/// `describe`, run at load time with the default limits and no configuration.
fn describe_at_load(pre: &bindings::PluginPre<CallState>, digest: &Arc<str>) -> Result<PluginInfo, PluginError> {
    let loading: Arc<str> = "(loading)".into();
    let info =
        run(pre, digest, &loading, &loading, &"{}".into(), &Limits::default(), |g, store| g.call_describe(store))?;
    info_from(info)
}

impl TenantPlugin {
    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.plugin.info.name
    }

    /// The tenant it runs for.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The limits of each call.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether the plugin implements `hook`.
    pub fn implements(&self, hook: Hook) -> bool {
        self.plugin.info.hooks.contains(&hook)
    }

    fn run<R>(
        &self,
        f: impl FnOnce(&guest::Guest, &mut Store<CallState>) -> wasmtime::Result<R>,
    ) -> Result<R, PluginError> {
        run(&self.plugin.pre, &self.plugin.digest, &self.plugin.name, &self.tenant, &self.config, &self.limits, f)
    }

    /// Call `describe` (a fresh instance, as every call).
    pub fn describe(&self) -> Result<PluginInfo, PluginError> {
        info_from(self.run(|g, store| g.call_describe(store))?)
    }

    /// Call `adjust-quote` on a quote's priced lines; the changes are checked, not yet applied.
    /// A plugin without the hook is not called and changes nothing.
    pub fn adjust_quote(&self, quote: &QuoteDraft<'_>) -> Result<Vec<LineAdjustment>, PluginError> {
        if !self.implements(Hook::AdjustQuote) {
            return Ok(Vec::new());
        }
        let q = convert::quote_of(quote);
        let answer = self.run(|g, store| g.call_adjust_quote(store, &q))?;
        match answer {
            Ok(changes) => convert::adjustments_from(changes, quote.lines.len()),
            Err(e) => Err(refusal(e)),
        }
    }
}

impl TenantPlugin {
    /// Call `lint-model` on a mission model; its diagnostics are checked and their codes
    /// prefixed with the plugin's name. A plugin without the hook is not called.
    pub fn lint_model(&self, model: &missions_engine::Model) -> Result<Vec<convert::ModelFinding>, PluginError> {
        if !self.implements(Hook::LintModel) {
            return Ok(Vec::new());
        }
        let m = convert::model_of(model);
        match self.run(|g, store| g.call_lint_model(store, &m))? {
            Ok(found) => convert::findings_from(self.name(), found, model),
            Err(e) => Err(refusal(e)),
        }
    }

    /// Call `dashboard-figures` on a mission's dashboard; the figures are checked and their
    /// codes prefixed with the plugin's name. A plugin without the hook is not called.
    pub fn dashboard_figures(
        &self,
        dashboard: &missions_engine::Dashboard,
    ) -> Result<Vec<convert::PluginFigure>, PluginError> {
        if !self.implements(Hook::DashboardFigures) {
            return Ok(Vec::new());
        }
        let d = convert::dashboard_of(dashboard);
        match self.run(|g, store| g.call_dashboard_figures(store, &d))? {
            Ok(figures) => convert::figures_from(self.name(), figures),
            Err(e) => Err(refusal(e)),
        }
    }
}

/// A plugin's own `plugin-error`, checked like any answer.
fn refusal(e: types::PluginError) -> PluginError {
    let checked = convert::code("error.code", &e.code).and_then(|()| convert::labels_from("error.message", e.message));
    match checked {
        Ok(message) => PluginError::Refused { code: e.code, message },
        Err(invalid) => invalid,
    }
}

impl InvoiceAdjuster for TenantPlugin {
    fn name(&self) -> &str {
        &self.plugin.info.name
    }

    fn adjust(&self, quote: &QuoteDraft<'_>) -> Result<Vec<LineAdjustment>, AdjustError> {
        self.adjust_quote(quote).map_err(|e| AdjustError { code: e.code().to_owned(), message: e.messages() })
    }
}
