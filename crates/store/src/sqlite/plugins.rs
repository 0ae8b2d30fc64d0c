//! Tenants' plugins in SQLite. `tenant_plugins` holds what each tenant has enabled now;
//! `plugin_history` every change, never changed; `plugin_code` each component's bytes once by
//! sha256, kept while any history entry names it, so that every version can be enabled again.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::rows::{Checked, conversion, get_json, get_ts, json_text, ts};
use crate::{PluginChange, PluginHistoryEntry, PluginRecord, StoreError};

/// A history number as SQLite stores it (an integer); numbers start at 1 and stay far below 2^63.
fn seq_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn seq_of(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or(0)
}

fn plugin_row(r: &Row<'_>, at: usize) -> rusqlite::Result<PluginRecord> {
    let limits: String = r.get(at + 4)?;
    Ok(PluginRecord {
        name: r.get(at)?,
        version: r.get(at + 1)?,
        digest: r.get(at + 2)?,
        config: get_json(r, at + 3)?,
        limits: serde_json::from_str(&limits).map_err(|e| conversion(at + 4, e))?,
        enabled_at: get_ts(r, at + 5)?,
    })
}

fn change(text: &str) -> rusqlite::Result<PluginChange> {
    match text {
        "enabled" => Ok(PluginChange::Enabled),
        "disabled" => Ok(PluginChange::Disabled),
        "rolled_back" => Ok(PluginChange::RolledBack),
        other => Err(conversion(1, StoreError::Backend(format!("unknown plugin history event `{other}`")))),
    }
}

/// Append `p` to the plugin's history as `event`.
fn record(
    tx: &Transaction<'_>,
    tenant: &str,
    p: &PluginRecord,
    event: PluginChange,
    restored: Option<u64>,
) -> rusqlite::Result<()> {
    let limits = json_text(&p.limits)?;
    let next: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM plugin_history WHERE tenant_id = ?1 AND name = ?2")?
        .query_row([tenant, &p.name], |r| r.get(0))?;
    tx.execute(
        "INSERT INTO plugin_history (tenant_id, name, seq, event, version, digest, config, limits, at, restored)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            tenant,
            p.name,
            next,
            event.as_str(),
            p.version,
            p.digest,
            p.config.to_string(),
            limits,
            ts(p.enabled_at),
            restored.map(seq_sql)
        ],
    )?;
    Ok(())
}

/// Make `p` the tenant's plugin of its name.
fn upsert(tx: &Transaction<'_>, tenant: &str, p: &PluginRecord) -> rusqlite::Result<()> {
    let limits = json_text(&p.limits)?;
    tx.execute(
        "INSERT INTO tenant_plugins (tenant_id, name, version, digest, config, limits, enabled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (tenant_id, name) DO UPDATE SET version = excluded.version, digest = excluded.digest,
           config = excluded.config, limits = excluded.limits, enabled_at = excluded.enabled_at",
        params![tenant, p.name, p.version, p.digest, p.config.to_string(), limits, ts(p.enabled_at)],
    )?;
    Ok(())
}

pub(super) fn put_plugin(tx: &Transaction<'_>, tenant: &str, p: &PluginRecord, wasm: &[u8]) -> rusqlite::Result<bool> {
    tx.execute(
        "INSERT INTO plugin_code (digest, wasm, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (digest) DO NOTHING",
        params![p.digest, wasm, ts(p.enabled_at)],
    )?;
    let before = current(tx, tenant, &p.name)?;
    upsert(tx, tenant, p)?;
    // Enabling the same code with the same configuration and limits again changes nothing.
    if !before.as_ref().is_some_and(|b| b.same_state(p)) {
        record(tx, tenant, p, PluginChange::Enabled, None)?;
    }
    Ok(before.is_none())
}

const PLUGIN_COLUMNS: &str = "name, version, digest, config, limits, enabled_at";

fn current(c: &Connection, tenant: &str, name: &str) -> rusqlite::Result<Option<PluginRecord>> {
    c.prepare_cached(&format!("SELECT {PLUGIN_COLUMNS} FROM tenant_plugins WHERE tenant_id = ?1 AND name = ?2"))?
        .query_row([tenant, name], |r| plugin_row(r, 0))
        .optional()
}

pub(super) fn plugins(c: &Connection, tenant: &str) -> rusqlite::Result<Vec<PluginRecord>> {
    c.prepare_cached(&format!("SELECT {PLUGIN_COLUMNS} FROM tenant_plugins WHERE tenant_id = ?1 ORDER BY name"))?
        .query_map([tenant], |r| plugin_row(r, 0))?
        .collect()
}

pub(super) fn plugin_code(c: &Connection, digest: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    c.prepare_cached("SELECT wasm FROM plugin_code WHERE digest = ?1")?.query_row([digest], |r| r.get(0)).optional()
}

pub(super) fn delete_plugin(
    tx: &Transaction<'_>,
    tenant: &str,
    name: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    let Some(mut current) = current(tx, tenant, name)? else { return Ok(false) };
    tx.execute("DELETE FROM tenant_plugins WHERE tenant_id = ?1 AND name = ?2", [tenant, name])?;
    current.enabled_at = now;
    record(tx, tenant, &current, PluginChange::Disabled, None)?;
    Ok(true)
}

const HISTORY_COLUMNS: &str = "seq, event, restored, name, version, digest, config, limits, at";

fn history_row(r: &Row<'_>) -> rusqlite::Result<PluginHistoryEntry> {
    Ok(PluginHistoryEntry {
        seq: seq_of(r.get(0)?),
        change: change(&r.get::<_, String>(1)?)?,
        restored: r.get::<_, Option<i64>>(2)?.map(seq_of),
        plugin: plugin_row(r, 3)?,
    })
}

pub(super) fn plugin_history(c: &Connection, tenant: &str, name: &str) -> rusqlite::Result<Vec<PluginHistoryEntry>> {
    c.prepare_cached(&format!(
        "SELECT {HISTORY_COLUMNS} FROM plugin_history WHERE tenant_id = ?1 AND name = ?2 ORDER BY seq"
    ))?
    .query_map([tenant, name], history_row)?
    .collect()
}

pub(super) fn rollback_plugin(
    tx: &Transaction<'_>,
    tenant: &str,
    name: &str,
    seq: u64,
    now: DateTime<Utc>,
) -> Checked<PluginRecord> {
    let entry = tx
        .prepare_cached(&format!(
            "SELECT {HISTORY_COLUMNS} FROM plugin_history WHERE tenant_id = ?1 AND name = ?2 AND seq = ?3"
        ))?
        .query_row(params![tenant, name, seq_sql(seq)], history_row)
        .optional()?;
    let Some(entry) = entry else {
        return Ok(Err(StoreError::NotFound(crate::Record::PluginEntry { plugin: name.to_owned(), seq })));
    };
    if entry.change == PluginChange::Disabled {
        return Ok(Err(StoreError::Conflict(crate::Record::PluginDisablingEntry { plugin: name.to_owned(), seq })));
    }
    if current(tx, tenant, name)?.is_some_and(|p| p.same_state(&entry.plugin)) {
        return Ok(Err(StoreError::Conflict(crate::Record::PluginEnabledAsEntry { plugin: name.to_owned(), seq })));
    }
    let restored = PluginRecord { enabled_at: now, ..entry.plugin };
    upsert(tx, tenant, &restored)?;
    record(tx, tenant, &restored, PluginChange::RolledBack, Some(seq))?;
    Ok(Ok(restored))
}
