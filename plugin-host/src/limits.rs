//! What one call of a tenant's plugin may use, and the store limiter that enforces it. Each limit
//! that fires is recorded, so the error names the limit rather than the trap it caused.

use std::time::Duration;

use crate::runtime::{MAX_DEADLINE, MAX_MEMORY_BYTES, MAX_TABLE_ELEMENTS};

/// Per-tenant limits of one plugin call (instantiation included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time a call may take, enforced by epoch interruption (default 50 ms).
    pub deadline: Duration,
    /// Linear memory the plugin may use, all memories together (default 32 MiB).
    pub memory_bytes: usize,
    /// Core instances the plugin's component may create (default 16).
    pub instances: usize,
    /// Tables the plugin's component may create (default 8).
    pub tables: usize,
    /// Elements one table may hold (default 10 000).
    pub table_elements: usize,
    /// Fuel a call may burn: a deterministic cost meter (about one unit per wasm instruction);
    /// `None` (the default) meters nothing but the deadline.
    pub fuel: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_millis(50),
            memory_bytes: 32 << 20,
            instances: 16,
            tables: 8,
            table_elements: 10_000,
            fuel: None,
        }
    }
}

impl Limits {
    /// The limits, with each one brought within what the process's engine allows.
    pub fn clamped(self) -> Limits {
        Limits {
            deadline: self.deadline.clamp(Duration::from_millis(1), MAX_DEADLINE),
            memory_bytes: self.memory_bytes.min(MAX_MEMORY_BYTES),
            table_elements: self.table_elements.min(MAX_TABLE_ELEMENTS),
            ..self
        }
    }
}

/// Which limit stopped a call, when the limiter saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    Memory { desired: usize },
    TableElements { desired: usize },
}

/// The store's resource limiter: [`Limits`] plus what was refused.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub limits: Limits,
    pub hit: Option<Hit>,
    memory: usize,
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Limiter { limits, hit: None, memory: 0 }
    }
}

impl wasmtime::ResourceLimiter for Limiter {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        // The cap is for all the plugin's memories together.
        let total = self.memory.saturating_sub(current).saturating_add(desired);
        if total > self.limits.memory_bytes {
            self.hit = Some(Hit::Memory { desired: total });
            return Ok(false);
        }
        self.memory = total;
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limits.table_elements {
            self.hit = Some(Hit::TableElements { desired });
            return Ok(false);
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        self.limits.instances
    }

    fn tables(&self) -> usize {
        self.limits.tables
    }

    fn memories(&self) -> usize {
        // A plugin has one memory; the component model's shims may add none. Two leaves room.
        2
    }
}
