//! Tenants' plugins in PostgreSQL: `tenant_plugins` (what each tenant has enabled now),
//! `plugin_history` (every change, never changed) and `plugin_code` (each component's bytes once
//! by sha256). Every change to one plugin takes the same advisory lock, so two replicas cannot
//! give two history entries the same number.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgConnection};

use super::rows::{FOREIGN_KEY, backend, get, get_json, is_code, json_text, lock_key};
use crate::{PluginChange, PluginHistoryEntry, PluginRecord, Result, StoreError};

/// A history number as stored; numbers start at 1 and stay far below 2^63.
fn seq_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn seq_of(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or(0)
}

fn plugin_row(r: &PgRow, at: usize) -> Result<PluginRecord> {
    Ok(PluginRecord {
        name: get(r, at)?,
        version: get(r, at + 1)?,
        digest: get(r, at + 2)?,
        config: get_json(r, at + 3)?,
        limits: get_json(r, at + 4)?,
        enabled_at: get(r, at + 5)?,
    })
}

fn change(text: &str) -> Result<PluginChange> {
    match text {
        "enabled" => Ok(PluginChange::Enabled),
        "disabled" => Ok(PluginChange::Disabled),
        "rolled_back" => Ok(PluginChange::RolledBack),
        other => Err(StoreError::Backend(format!("unknown plugin history event `{other}`"))),
    }
}

async fn lock_plugin(c: &mut PgConnection, tenant: &str, name: &str) -> Result<()> {
    lock_key(c, &format!("plugin:{}:{tenant}:{name}", tenant.len())).await
}

/// Append `p` to the plugin's history as `event`.
async fn record(
    c: &mut PgConnection,
    tenant: &str,
    p: &PluginRecord,
    event: PluginChange,
    restored: Option<u64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO plugin_history (tenant_id, name, seq, event, version, digest, config, limits, at, restored)
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9
         FROM plugin_history WHERE tenant_id = $1 AND name = $2",
    )
    .bind(tenant)
    .bind(&p.name)
    .bind(event.as_str())
    .bind(&p.version)
    .bind(&p.digest)
    .bind(p.config.to_string())
    .bind(json_text(&p.limits)?)
    .bind(p.enabled_at)
    .bind(restored.map(seq_sql))
    .execute(c)
    .await
    .map_err(backend)
    .map(drop)
}

/// Make `p` the tenant's plugin of its name.
async fn upsert(c: &mut PgConnection, tenant: &str, p: &PluginRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO tenant_plugins (tenant_id, name, version, digest, config, limits, enabled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, name) DO UPDATE SET version = excluded.version, digest = excluded.digest,
           config = excluded.config, limits = excluded.limits, enabled_at = excluded.enabled_at",
    )
    .bind(tenant)
    .bind(&p.name)
    .bind(&p.version)
    .bind(&p.digest)
    .bind(p.config.to_string())
    .bind(json_text(&p.limits)?)
    .bind(p.enabled_at)
    .execute(c)
    .await
    .map_err(|e| match is_code(&e, FOREIGN_KEY) {
        true => StoreError::NotFound(crate::Record::Tenant(tenant.to_owned())),
        false => backend(e),
    })
    .map(drop)
}

const PLUGIN_COLUMNS: &str = "name, version, digest, config, limits, enabled_at";

async fn current(c: &mut PgConnection, tenant: &str, name: &str) -> Result<Option<PluginRecord>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PLUGIN_COLUMNS} FROM tenant_plugins WHERE tenant_id = $1 AND name = $2"
    )))
    .bind(tenant)
    .bind(name)
    .fetch_optional(c)
    .await
    .map_err(backend)?;
    row.as_ref().map(|r| plugin_row(r, 0)).transpose()
}

pub(super) async fn put_plugin(c: &mut PgConnection, tenant: &str, p: &PluginRecord, wasm: &[u8]) -> Result<bool> {
    lock_plugin(c, tenant, &p.name).await?;
    sqlx::query(
        "INSERT INTO plugin_code (digest, wasm, created_at) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING",
    )
    .bind(&p.digest)
    .bind(wasm)
    .bind(p.enabled_at)
    .execute(&mut *c)
    .await
    .map_err(backend)?;
    let before = current(c, tenant, &p.name).await?;
    upsert(c, tenant, p).await?;
    // Enabling the same code with the same configuration and limits again changes nothing.
    if !before.as_ref().is_some_and(|b| b.same_state(p)) {
        record(c, tenant, p, PluginChange::Enabled, None).await?;
    }
    Ok(before.is_none())
}

pub(super) async fn plugins(c: &mut PgConnection, tenant: &str) -> Result<Vec<PluginRecord>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PLUGIN_COLUMNS} FROM tenant_plugins WHERE tenant_id = $1 ORDER BY name"
    )))
    .bind(tenant)
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter().map(|r| plugin_row(r, 0)).collect()
}

pub(super) async fn delete_plugin(c: &mut PgConnection, tenant: &str, name: &str, now: DateTime<Utc>) -> Result<bool> {
    lock_plugin(c, tenant, name).await?;
    let Some(mut current) = current(c, tenant, name).await? else { return Ok(false) };
    sqlx::query("DELETE FROM tenant_plugins WHERE tenant_id = $1 AND name = $2")
        .bind(tenant)
        .bind(name)
        .execute(&mut *c)
        .await
        .map_err(backend)?;
    current.enabled_at = now;
    record(c, tenant, &current, PluginChange::Disabled, None).await?;
    Ok(true)
}

const HISTORY_COLUMNS: &str = "seq, event, restored, name, version, digest, config, limits, at";

fn history_row(r: &PgRow) -> Result<PluginHistoryEntry> {
    let event: String = get(r, 1)?;
    let restored: Option<i64> = get(r, 2)?;
    Ok(PluginHistoryEntry {
        seq: seq_of(get(r, 0)?),
        change: change(&event)?,
        restored: restored.map(seq_of),
        plugin: plugin_row(r, 3)?,
    })
}

pub(super) async fn plugin_history(c: &mut PgConnection, tenant: &str, name: &str) -> Result<Vec<PluginHistoryEntry>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {HISTORY_COLUMNS} FROM plugin_history WHERE tenant_id = $1 AND name = $2 ORDER BY seq"
    )))
    .bind(tenant)
    .bind(name)
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter().map(history_row).collect()
}

pub(super) async fn rollback_plugin(
    c: &mut PgConnection,
    tenant: &str,
    name: &str,
    seq: u64,
    now: DateTime<Utc>,
) -> Result<PluginRecord> {
    lock_plugin(c, tenant, name).await?;
    let entry = sqlx::query(AssertSqlSafe(format!(
        "SELECT {HISTORY_COLUMNS} FROM plugin_history WHERE tenant_id = $1 AND name = $2 AND seq = $3"
    )))
    .bind(tenant)
    .bind(name)
    .bind(seq_sql(seq))
    .fetch_optional(&mut *c)
    .await
    .map_err(backend)?;
    let Some(entry) = entry.as_ref().map(history_row).transpose()? else {
        return Err(StoreError::NotFound(crate::Record::PluginEntry { plugin: name.to_owned(), seq }));
    };
    if entry.change == PluginChange::Disabled {
        return Err(StoreError::Conflict(crate::Record::PluginDisablingEntry { plugin: name.to_owned(), seq }));
    }
    if current(c, tenant, name).await?.is_some_and(|p| p.same_state(&entry.plugin)) {
        return Err(StoreError::Conflict(crate::Record::PluginEnabledAsEntry { plugin: name.to_owned(), seq }));
    }
    let restored = PluginRecord { enabled_at: now, ..entry.plugin };
    upsert(c, tenant, &restored).await?;
    record(c, tenant, &restored, PluginChange::RolledBack, Some(seq)).await?;
    Ok(restored)
}
