//! Reading and writing SQLite rows: timestamps, dates, decimals and JSON columns, the row readers
//! of each record, the connection's settings and its migrations.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, Row, TransactionBehavior};
use rust_decimal::Decimal;

use crate::migrations::MIGRATIONS;
use crate::{PackVersionRecord, Result, StoreError, Tenant, TicketRecord};

pub(super) fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

pub(super) fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic cannot leave a transaction open (rusqlite rolls back on drop), so the connection
    // behind a poisoned lock is still sound.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The outcome of a checked change (`SqliteStore::write_checked`): the store's error when the
/// precondition fails, the database's when it does.
pub(super) type Checked<T> = rusqlite::Result<Result<T>>;

/// A value as the JSON text a column holds.
pub(super) fn json_text<T: serde::Serialize>(v: &T) -> rusqlite::Result<String> {
    serde_json::to_string(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(super) fn conversion(idx: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
}

pub(super) fn get_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = row.get(idx)?;
    DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).map_err(|e| conversion(idx, e))
}

pub(super) fn get_opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).map_err(|e| conversion(idx, e)))
        .transpose()
}

pub(super) fn get_date(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = row.get(idx)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| conversion(idx, e))
}

pub(super) fn get_decimal(row: &Row<'_>, idx: usize) -> rusqlite::Result<Decimal> {
    let s: String = row.get(idx)?;
    s.parse::<Decimal>().map_err(|e| conversion(idx, e))
}

/// A JSON column read as `T` (a `serde_json::Value`, or a typed record).
pub(super) fn get_json<T: serde::de::DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let s: String = row.get(idx)?;
    serde_json::from_str(&s).map_err(|e| conversion(idx, e))
}

pub(super) fn get_opt_json(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<serde_json::Value>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| conversion(idx, e))).transpose()
}

pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(backend)?;
    if current > known {
        return Err(StoreError::TooNew { found: current, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(current).unwrap_or(0)) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
        tx.execute_batch(sql).map_err(backend)?;
        tx.pragma_update(None, "user_version", i64::try_from(i + 1).unwrap_or(i64::MAX)).map_err(backend)?;
        tx.commit().map_err(backend)?;
    }
    Ok(())
}

pub(super) const TENANT_COLUMNS: &str = "id, name, subscription_start, sla_contract, created_at";

pub(super) fn tenant_row(row: &Row<'_>) -> rusqlite::Result<Tenant> {
    Ok(Tenant {
        id: row.get(0)?,
        name: row.get(1)?,
        subscription_start: get_date(row, 2)?,
        sla_contract: row.get(3)?,
        created_at: get_ts(row, 4)?,
    })
}

pub(super) const VERSION_COLUMNS: &str =
    "seq, name, version, effective_from, digest, bundle_digest, files, source, activated_at, rolled_back_at";

pub(super) fn version_row(row: &Row<'_>) -> rusqlite::Result<PackVersionRecord> {
    let files: String = row.get(6)?;
    let files: BTreeMap<String, String> = serde_json::from_str(&files).map_err(|e| conversion(6, e))?;
    Ok(PackVersionRecord {
        seq: row.get(0)?,
        name: row.get(1)?,
        version: row.get(2)?,
        effective_from: get_date(row, 3)?,
        digest: row.get(4)?,
        bundle_digest: row.get(5)?,
        files,
        source: row.get(7)?,
        activated_at: get_ts(row, 8)?,
        rolled_back_at: get_opt_ts(row, 9)?,
    })
}

pub(super) const TICKET_COLUMNS: &str = "id, tenant_id, month, at, type, filed_by, subject, allowed, counted, over_quota, charge, deducted_hours, decision, sla, created_at, sla_input";

pub(super) fn ticket_row(row: &Row<'_>) -> rusqlite::Result<TicketRecord> {
    Ok(TicketRecord {
        id: row.get(0)?,
        tenant_id: row.get(1)?,
        month: row.get(2)?,
        at: row.get(3)?,
        kind: row.get(4)?,
        filed_by: row.get(5)?,
        subject: row.get(6)?,
        allowed: row.get(7)?,
        counted: row.get(8)?,
        over_quota: row.get(9)?,
        charge: get_decimal(row, 10)?,
        deducted_hours: get_decimal(row, 11)?,
        decision: get_json(row, 12)?,
        sla: get_opt_json(row, 13)?,
        created_at: get_ts(row, 14)?,
        sla_input: get_opt_json(row, 15)?,
    })
}
