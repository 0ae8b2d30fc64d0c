//! The one wasmtime `Engine` of the process and its epoch ticker. Every plugin of every tenant is
//! compiled and run by this engine, so compiled code, the instance pool and the ticker are shared;
//! its configuration is fixed, and per-tenant limits are applied per call, inside its ceilings.

use std::sync::OnceLock;
use std::time::Duration;

use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::error::LoadError;

/// How often the ticker advances the engine's epoch: the resolution of every deadline.
pub(crate) const TICK: Duration = Duration::from_millis(1);

/// The largest memory cap a tenant may be given; the pool reserves this much address space per slot.
pub const MAX_MEMORY_BYTES: usize = 128 << 20;

/// The longest deadline a tenant may be given.
pub const MAX_DEADLINE: Duration = Duration::from_secs(10);

/// How many plugin calls may run at the same time in the process; one more waits for none and fails.
pub const MAX_CONCURRENT_CALLS: u32 = 64;

/// Core instances, tables and memories one component may hold. A plugin built with the SDK
/// needs a few of each (its module plus the adapter shims the component model adds).
const CORE_INSTANCES_PER_COMPONENT: u32 = 16;
const TABLES_PER_COMPONENT: u32 = 8;
const MEMORIES_PER_COMPONENT: u32 = 2;

/// The most elements one table may have, in any plugin.
pub const MAX_TABLE_ELEMENTS: usize = 100_000;

/// Wasm stack a call may use before it traps as a stack overflow.
const MAX_WASM_STACK: usize = 512 << 10;

/// What of an instance's linear memory stays mapped in its pool slot between calls:
/// `MISSIONS_PLUGIN_KEEP_RESIDENT_KB`, else 256 KiB (an SDK plugin's whole memory).
fn keep_resident() -> Result<usize, String> {
    match std::env::var("MISSIONS_PLUGIN_KEEP_RESIDENT_KB") {
        Err(_) => Ok(256 << 10),
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(kb) => Ok(kb.saturating_mul(1024).min(MAX_MEMORY_BYTES)),
            Err(_) => Err(format!("MISSIONS_PLUGIN_KEEP_RESIDENT_KB must be a whole number of KiB, not `{v}`")),
        },
    }
}

fn config() -> Result<Config, String> {
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(MAX_CONCURRENT_CALLS)
        .total_core_instances(MAX_CONCURRENT_CALLS * CORE_INSTANCES_PER_COMPONENT)
        .total_memories(MAX_CONCURRENT_CALLS * MEMORIES_PER_COMPONENT)
        .total_tables(MAX_CONCURRENT_CALLS * TABLES_PER_COMPONENT)
        .max_core_instances_per_component(CORE_INSTANCES_PER_COMPONENT)
        .max_memories_per_component(MEMORIES_PER_COMPONENT)
        .max_tables_per_component(TABLES_PER_COMPONENT)
        .max_memory_size(MAX_MEMORY_BYTES)
        .table_elements(MAX_TABLE_ELEMENTS)
        // Resetting a slot between calls was a quarter of a no-op call. With PAGEMAP_SCAN (Linux
        // 6.7+; without it, `Auto` falls back) only the pages the call dirtied are restored, by
        // memset, instead of madvise-ing the memory and faulting it in again on the next call.
        // Up to this much stays mapped: a guest built with plugins/.cargo/config.toml starts
        // below 256 KiB. The contents are still reset to the module's image on every call.
        .pagemap_scan(Enabled::Auto)
        .linear_memory_keep_resident(keep_resident()?)
        .table_keep_resident(16 << 10);
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .epoch_interruption(true)
        // Fuel is metered in every call (a tenant without a fuel limit gets u64::MAX); enabling it
        // per tenant would need a second engine and a second compilation of each plugin.
        .consume_fuel(true)
        .max_wasm_stack(MAX_WASM_STACK)
        .memory_reservation(MAX_MEMORY_BYTES as u64)
        .memory_reservation_for_growth(0)
        .memory_guard_size(64 << 10)
        .memory_may_move(false)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Ok(config)
}

/// The process's engine, built on first use, with its ticker thread started.
pub(crate) fn engine() -> Result<&'static Engine, LoadError> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        let engine = Engine::new(&config()?).map_err(|e| format!("{e:#}"))?;
        let ticking = engine.clone();
        std::thread::Builder::new()
            .name("plugin-epoch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(TICK);
                    ticking.increment_epoch();
                }
            })
            .map_err(|e| format!("cannot start the epoch thread: {e}"))?;
        Ok(engine)
    });
    engine.as_ref().map_err(|e| LoadError::Engine { message: e.clone() })
}

/// How many ticks make `deadline` (at least one).
pub(crate) fn ticks(deadline: Duration) -> u64 {
    let tick = TICK.as_micros().max(1);
    u64::try_from(deadline.as_micros().div_ceil(tick)).unwrap_or(u64::MAX).max(1)
}
