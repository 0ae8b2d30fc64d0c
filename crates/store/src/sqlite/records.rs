//! Changes to the records people edit (models, mission state) that may carry a precondition: the
//! version the change was made from. The check and the write share one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{get_opt_json, ts};
use crate::{ModelRecord, Result, StoreError};

/// The outcome of a checked change: the store's error when the precondition fails.
type Checked<T> = rusqlite::Result<Result<T>>;

pub(super) fn put_model(tx: &Transaction<'_>, tenant: &str, m: &ModelRecord, if_digest: Option<&str>) -> Checked<bool> {
    let current: Option<String> = tx
        .prepare_cached("SELECT digest FROM models WHERE tenant_id = ?1 AND id = ?2")?
        .query_row([tenant, &m.id], |r| r.get(0))
        .optional()?;
    if if_digest.is_some_and(|d| current.as_deref() != Some(d)) {
        return Ok(Err(StoreError::Stale(format!("model `{}`", m.id))));
    }
    tx.execute(
        "INSERT INTO models (tenant_id, id, text, digest, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tenant_id, id) DO UPDATE SET text = excluded.text, digest = excluded.digest, updated_at = excluded.updated_at",
        params![tenant, m.id, m.text, m.digest, ts(m.updated_at)],
    )?;
    Ok(Ok(current.is_none()))
}

pub(super) fn set_mission_state(
    tx: &Transaction<'_>,
    tenant: &str,
    id: &str,
    state: &serde_json::Value,
    at: DateTime<Utc>,
    if_state: Option<&serde_json::Value>,
) -> Checked<bool> {
    if let Some(expected) = if_state {
        let current: Option<Option<serde_json::Value>> = tx
            .prepare_cached("SELECT state FROM missions WHERE tenant_id = ?1 AND id = ?2")?
            .query_row([tenant, id], |r| get_opt_json(r, 0))
            .optional()?;
        match current {
            None => return Ok(Ok(false)),
            Some(s) if s.as_ref().unwrap_or(&serde_json::Value::Null) != expected => {
                return Ok(Err(StoreError::Stale(format!("the state of mission `{id}`"))));
            }
            Some(_) => {}
        }
    }
    let updated = tx.execute(
        "UPDATE missions SET state = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2",
        params![tenant, id, state.to_string(), ts(at)],
    )?;
    Ok(Ok(updated == 1))
}
