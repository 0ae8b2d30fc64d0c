//! WASI 0.2 stand-ins: what a plugin built with an ordinary toolchain (std Rust on
//! `wasm32-wasip2`, componentize-py, componentize-js or jco) imports, served so that it grants
//! nothing real. wasmtime-wasi implements the interfaces; each call's context is configured here:
//!
//! - no preopened directory, so every path fails to open (an error inside the plugin);
//! - no network: TCP, UDP and name lookup are denied (an error inside the plugin);
//! - empty environment and arguments, stdin closed;
//! - both clocks fixed to the instant the call started, and sleeping returns at once (time does
//!   not pass inside a call, so a sleep can never hold a host thread past the deadline);
//! - random numbers from a generator seeded by the plugin's digest and the tenant: the same call
//!   draws the same numbers (nothing a plugin computes is a secret);
//! - stdout and stderr kept up to [`STDIO_BYTES`] each and written to the host's log after the
//!   call; what is written past that is counted and dropped;
//! - `exit` ends the call as a `plugin.trap` naming the status.
//!
//! `wasi:http` (which componentize-js imports by default) is linked, per component, to functions
//! that trap when called, so a plugin that never sends a request loads and runs. Which import is
//! served how is [`offer`]'s decision, read before anything is compiled.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use rand::SeedableRng as _;
use rand::rngs::StdRng;
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker, Resource, ResourceTable, ResourceType};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::clocks::{HostMonotonicClock, HostWallClock};
use wasmtime_wasi::p2::{DynPollable, OutputStream, Pollable, StreamResult};
use wasmtime_wasi::{WasiCtx, WasiCtxView};

/// What stdout and stderr each keep of one call.
pub const STDIO_BYTES: usize = 64 << 10;
/// Resources (streams, pollables, descriptors) one call may hold at once.
const MAX_RESOURCES: usize = 10_000;
/// The most random bytes one `get-random-bytes` call returns.
const MAX_RANDOM_BYTES: u64 = 1 << 20;
/// The WASI packages the host serves with stand-ins.
const STAND_INS: [&str; 6] = ["io", "cli", "clocks", "random", "filesystem", "sockets"];
/// The WASI packages linked to trapping functions.
const TRAPPED: [&str; 1] = ["http"];
/// The WASI release the stand-ins implement (any 0.2.x import links to it).
const WASI_MINOR: &str = "0.2";
/// The monotonic-clock interface whose waits are replaced, at wasmtime-wasi's version.
const MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

/// How the host answers one import of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offer {
    /// A WASI interface served by a stand-in.
    StandIn,
    /// A WASI interface whose every function traps when called.
    Trap,
    /// A WASI interface of a release the host does not serve (`wasi:cli/…@0.3.0`).
    OtherRelease,
    /// Not WASI.
    NotWasi,
}

/// How the host answers the import `name` (`wasi:cli/environment@0.2.3`).
pub(crate) fn offer(name: &str) -> Offer {
    let Some(rest) = name.strip_prefix("wasi:") else { return Offer::NotWasi };
    let (package, version) = match rest.split_once('/') {
        Some((package, tail)) => (package, tail.split_once('@').map(|(_, v)| v)),
        None => (rest, None),
    };
    let known = STAND_INS.contains(&package) || TRAPPED.contains(&package);
    let release_ok = version
        .and_then(|v| v.strip_prefix(WASI_MINOR))
        .is_some_and(|patch| patch.is_empty() || patch.starts_with('.'));
    match (known, release_ok) {
        (false, _) => Offer::NotWasi,
        (true, false) => Offer::OtherRelease,
        (true, true) if TRAPPED.contains(&package) => Offer::Trap,
        (true, true) => Offer::StandIn,
    }
}

/// Link every stand-in into `linker`, waits included.
pub(crate) fn add_to_linker<T: wasmtime_wasi::WasiView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    // wasmtime-wasi's waits sleep on the real clock, where the epoch deadline cannot interrupt
    // them; these answer at once, as a clock that does not move implies.
    linker.allow_shadowing(true);
    let mut clock = linker.instance(MONOTONIC_CLOCK)?;
    clock.func_wrap("subscribe-duration", |mut store: wasmtime::StoreContextMut<'_, T>, (_,): (u64,)| {
        elapsed(store.data_mut().ctx().table).map(|p| (p,))
    })?;
    clock.func_wrap("subscribe-instant", |mut store: wasmtime::StoreContextMut<'_, T>, (_,): (u64,)| {
        elapsed(store.data_mut().ctx().table).map(|p| (p,))
    })?;
    linker.allow_shadowing(false);
    Ok(())
}

/// A wait that is over as soon as it starts.
struct Elapsed;

#[async_trait::async_trait]
impl Pollable for Elapsed {
    async fn ready(&mut self) {}
}

fn elapsed(table: &mut ResourceTable) -> wasmtime::Result<Resource<DynPollable>> {
    let wait = table.push(Elapsed)?;
    wasmtime_wasi::p2::subscribe(table, wait)
}

/// `linker`, with the component's imports that [`offer`] traps linked to trapping functions, or
/// `None` when it has none (the shared linker serves it as is).
pub(crate) fn with_traps<T: 'static>(
    linker: &Linker<T>,
    engine: &wasmtime::Engine,
    component: &Component,
) -> wasmtime::Result<Option<Linker<T>>> {
    use wasmtime::component::types::ComponentItem;
    let ty = component.component_type();
    let trapped: Vec<_> = ty.imports(engine).filter(|(name, _)| offer(name) == Offer::Trap).collect();
    if trapped.is_empty() {
        return Ok(None);
    }
    // A trapped interface uses resources of the served ones (`wasi:http/types` takes wasi:io's
    // streams): those must stay the served resources, or the types do not match.
    let mut served = Vec::new();
    for (name, item) in ty.imports(engine) {
        let ComponentItem::ComponentInstance(instance) = item.ty else { continue };
        let interface = name.split('@').next().unwrap_or(name);
        for (export, item) in instance.exports(engine) {
            if let (ComponentItem::Resource(guest), Some(host)) = (item.ty, io_resource(interface, export)) {
                served.push((guest, host));
            }
        }
    }
    let mut linker = linker.clone();
    for (name, item) in trapped {
        let ComponentItem::ComponentInstance(instance) = item.ty else { continue };
        let mut stubs = linker.instance(name)?;
        for (export, item) in instance.exports(engine) {
            match item.ty {
                ComponentItem::ComponentFunc(_) => {
                    let what = format!("{name}#{export}");
                    stubs.func_new(export, move |_, _, _, _| {
                        Err(wasmtime::format_err!(
                            "the plugin called `{what}`: the host offers no network, so `wasi:http` traps"
                        ))
                    })?;
                }
                ComponentItem::Resource(guest) => {
                    let host = served.iter().find(|(g, _)| *g == guest).map(|(_, h)| *h);
                    stubs.resource(export, host.unwrap_or_else(ResourceType::host::<Trapped>), |_, _| Ok(()))?;
                }
                _ => {}
            }
        }
    }
    Ok(Some(linker))
}

/// The resource a trapped interface's functions would take: it is never created.
struct Trapped;

/// The host type of a wasi:io resource, as wasmtime-wasi links it.
fn io_resource(interface: &str, name: &str) -> Option<ResourceType> {
    use wasmtime_wasi::p2::{DynInputStream, DynOutputStream};
    Some(match (interface, name) {
        ("wasi:io/poll", "pollable") => ResourceType::host::<DynPollable>(),
        ("wasi:io/streams", "input-stream") => ResourceType::host::<DynInputStream>(),
        ("wasi:io/streams", "output-stream") => ResourceType::host::<DynOutputStream>(),
        ("wasi:io/error", "error") => ResourceType::host::<wasmtime::Error>(),
        _ => return None,
    })
}

/// One call's WASI state: built on the plugin's first WASI call, so a plugin that imports none
/// (an SDK plugin) pays for a clock reading and two reference counts, nothing more.
pub(crate) struct Sandbox {
    started: SystemTime,
    digest: Arc<str>,
    tenant: Arc<str>,
    table: ResourceTable,
    built: Option<Built>,
}

/// What the first WASI call builds.
struct Built {
    ctx: WasiCtx,
    stdout: Capture,
    stderr: Capture,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("started", &self.started).field("built", &self.built.is_some()).finish()
    }
}

impl Sandbox {
    /// The sandbox of a call of the plugin whose component has `digest`, for `tenant`.
    pub(crate) fn new(digest: &Arc<str>, tenant: &Arc<str>) -> Sandbox {
        Sandbox {
            started: SystemTime::now(),
            digest: digest.clone(),
            tenant: tenant.clone(),
            table: ResourceTable::new(),
            built: None,
        }
    }

    /// The context and resource table of this call, the context built on first use.
    pub(crate) fn view(&mut self) -> WasiCtxView<'_> {
        let Sandbox { started, digest, tenant, table, built } = self;
        let built = built.get_or_insert_with(|| {
            table.set_max_capacity(MAX_RESOURCES);
            let (stdout, stderr) = (Capture::default(), Capture::default());
            let ctx = build(*started, &seed(digest, tenant), &stdout, &stderr);
            Built { ctx, stdout, stderr }
        });
        WasiCtxView { ctx: &mut built.ctx, table }
    }

    /// What the plugin wrote to stdout and stderr, as the host logs it after the call.
    pub(crate) fn output(&self) -> [(&'static str, Captured); 2] {
        match &self.built {
            Some(b) => [("stdout", b.stdout.take()), ("stderr", b.stderr.take())],
            None => [("stdout", Captured::default()), ("stderr", Captured::default())],
        }
    }
}

/// The random seed of a call: the plugin's digest and the tenant's id, hashed.
fn seed(digest: &str, tenant: &str) -> [u8; 32] {
    Sha256::new().chain_update(digest).chain_update([0]).chain_update(tenant).finalize().into()
}

/// The WASI context of a call that started at `started`.
fn build(started: SystemTime, seed: &[u8; 32], stdout: &Capture, stderr: &Capture) -> WasiCtx {
    let since_epoch = started.duration_since(SystemTime::UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let mut insecure = *seed;
    insecure[0] ^= 1;
    WasiCtx::builder()
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .wall_clock(FixedWall(since_epoch))
        .monotonic_clock(FixedMonotonic(u64::try_from(since_epoch.as_nanos()).unwrap_or(u64::MAX)))
        .secure_random(StdRng::from_seed(*seed))
        .insecure_random(StdRng::from_seed(insecure))
        .insecure_random_seed(seed.iter().take(16).fold(0, |s, b| s << 8 | u128::from(*b)))
        .max_random_size(MAX_RANDOM_BYTES)
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .build()
}

/// The wall clock of a call: the instant it started.
struct FixedWall(Duration);

impl HostWallClock for FixedWall {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }
    fn now(&self) -> Duration {
        self.0
    }
}

/// The monotonic clock of a call: it does not move.
struct FixedMonotonic(u64);

impl HostMonotonicClock for FixedMonotonic {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        self.0
    }
}

/// The bytes a stream kept, and how many it dropped past [`STDIO_BYTES`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Captured {
    pub kept: Vec<u8>,
    pub dropped: u64,
}

/// stdout or stderr of one call; every stream the plugin opens on it writes to the same buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Captured>>);

impl Capture {
    fn write(&self, bytes: &[u8]) {
        let mut c = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let room = STDIO_BYTES.saturating_sub(c.kept.len()).min(bytes.len());
        let (kept, dropped) = bytes.split_at(room);
        c.kept.extend_from_slice(kept);
        c.dropped = c.dropped.saturating_add(dropped.len() as u64);
    }

    fn take(&self) -> Captured {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

/// How much one write may carry: the plugin writes in pieces of this size at most.
const WRITE_PERMIT: usize = 1 << 20;

#[async_trait::async_trait]
impl Pollable for Capture {
    async fn ready(&mut self) {}
}

impl OutputStream for Capture {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        Capture::write(self, &bytes);
        Ok(())
    }
    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(WRITE_PERMIT)
    }
}

impl tokio::io::AsyncWrite for Capture {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        Capture::write(&self, buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_offered_by_package_and_release() {
        assert_eq!(offer("wasi:cli/environment@0.2.3"), Offer::StandIn);
        assert_eq!(offer("wasi:io/streams@0.2.12"), Offer::StandIn);
        assert_eq!(offer("wasi:sockets/tcp@0.2.0"), Offer::StandIn);
        assert_eq!(offer("wasi:http/outgoing-handler@0.2.3"), Offer::Trap);
        assert_eq!(offer("wasi:cli/environment@0.3.0"), Offer::OtherRelease);
        assert_eq!(offer("wasi:cli/environment"), Offer::OtherRelease);
        assert_eq!(offer("wasi:keyvalue/store@0.2.0"), Offer::NotWasi);
        assert_eq!(offer("missions:plugin/host@0.1.0"), Offer::NotWasi);
        assert_eq!(offer("wasi:clocks/wall-clock@0.20.0"), Offer::OtherRelease);
    }

    #[test]
    fn a_capture_keeps_its_bound_and_counts_the_rest() {
        let c = Capture::default();
        c.write(&vec![b'x'; STDIO_BYTES - 10]);
        c.write(&[b'y'; 25]);
        let got = c.take();
        assert_eq!(got.kept.len(), STDIO_BYTES);
        assert_eq!(&got.kept[STDIO_BYTES - 10..], &[b'y'; 10]);
        assert_eq!(got.dropped, 15);
        assert_eq!(c.take(), Captured::default(), "taking empties it");
    }

    #[test]
    fn the_same_plugin_and_tenant_draw_the_same_seed() {
        assert_eq!(seed("abc", "t1"), seed("abc", "t1"));
        assert_ne!(seed("abc", "t1"), seed("abc", "t2"));
        assert_ne!(seed("abc", "t1"), seed("abd", "t1"));
    }

    #[test]
    fn a_call_without_wasi_builds_nothing() {
        let (digest, tenant): (Arc<str>, Arc<str>) = ("abc".into(), "t1".into());
        let mut sandbox = Sandbox::new(&digest, &tenant);
        assert!(sandbox.built.is_none());
        assert_eq!(sandbox.output(), [("stdout", Captured::default()), ("stderr", Captured::default())]);
        let _ = sandbox.view();
        assert!(sandbox.built.is_some());
    }
}
