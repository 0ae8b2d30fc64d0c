//! Reading PostgreSQL rows into the store's records and its errors into [`StoreError`], and the
//! advisory locks writers take.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use crate::{PackVersionRecord, Result, StoreError, Tenant, TicketRecord};

/// SQLSTATE of a unique violation.
pub(super) const UNIQUE: &str = "23505";
/// SQLSTATE of a foreign key violation.
pub(super) const FOREIGN_KEY: &str = "23503";

pub(super) fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Whether `e` is the database refusing with SQLSTATE `code`.
pub(super) fn is_code(e: &sqlx::Error, code: &str) -> bool {
    e.as_database_error().and_then(|d| d.code()).is_some_and(|c| c == code)
}

/// An instant as the database keeps it: to the microsecond.
pub(super) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// Column `idx` of `row`.
pub(super) fn get<'r, T>(row: &'r PgRow, idx: usize) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(idx).map_err(backend)
}

/// Column `idx` of `row`, a JSON text, read as `T`.
pub(super) fn get_json<T: serde::de::DeserializeOwned>(row: &PgRow, idx: usize) -> Result<T> {
    let text: String = get(row, idx)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Backend(format!("column {idx} holds no valid JSON: {e}")))
}

/// Column `idx` of `row`, a JSON text or NULL.
pub(super) fn get_opt_json(row: &PgRow, idx: usize) -> Result<Option<serde_json::Value>> {
    let text: Option<String> = get(row, idx)?;
    text.map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| StoreError::Backend(format!("column {idx} holds no valid JSON: {e}")))
}

/// `v` as JSON text.
pub(super) fn json_text<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

pub(super) const TENANT_COLUMNS: &str = "id, name, subscription_start, sla_contract, created_at";

pub(super) fn tenant_row(row: &PgRow) -> Result<Tenant> {
    Ok(Tenant {
        id: get(row, 0)?,
        name: get(row, 1)?,
        subscription_start: get(row, 2)?,
        sla_contract: get(row, 3)?,
        created_at: get(row, 4)?,
    })
}

pub(super) const VERSION_COLUMNS: &str =
    "seq, name, version, effective_from, digest, bundle_digest, files, source, activated_at, rolled_back_at";

pub(super) fn version_row(row: &PgRow) -> Result<PackVersionRecord> {
    Ok(PackVersionRecord {
        seq: get(row, 0)?,
        name: get(row, 1)?,
        version: get(row, 2)?,
        effective_from: get(row, 3)?,
        digest: get(row, 4)?,
        bundle_digest: get(row, 5)?,
        files: get_json::<BTreeMap<String, String>>(row, 6)?,
        source: get(row, 7)?,
        activated_at: get(row, 8)?,
        rolled_back_at: get(row, 9)?,
    })
}

pub(super) const TICKET_COLUMNS: &str = "id, tenant_id, month, at, type, filed_by, subject, allowed, counted, over_quota, charge, deducted_hours, decision, sla, created_at, sla_input";

pub(super) fn ticket_row(row: &PgRow) -> Result<TicketRecord> {
    let kind: i16 = get(row, 4)?;
    Ok(TicketRecord {
        id: get(row, 0)?,
        tenant_id: get(row, 1)?,
        month: get(row, 2)?,
        at: get(row, 3)?,
        kind: u8::try_from(kind).map_err(|e| StoreError::Backend(format!("ticket type {kind}: {e}")))?,
        filed_by: get(row, 5)?,
        subject: get(row, 6)?,
        allowed: get(row, 7)?,
        counted: get(row, 8)?,
        over_quota: get(row, 9)?,
        charge: get(row, 10)?,
        deducted_hours: get(row, 11)?,
        decision: get_json(row, 12)?,
        sla: get_opt_json(row, 13)?,
        created_at: get(row, 14)?,
        sla_input: get_opt_json(row, 15)?,
    })
}

/// Serialise, in the current transaction, every writer that passes the same `key`: for checks
/// on rows that may not exist yet. Released at commit or rollback.
pub(super) async fn lock_key(c: &mut PgConnection, key: &str) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(key)
        .execute(c)
        .await
        .map_err(backend)
        .map(drop)
}
