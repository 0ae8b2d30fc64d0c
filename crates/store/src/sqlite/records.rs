//! Changes to a mission's state that may carry a precondition: the
//! version the change was made from. The check and the write share one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{get_opt_json, ts};
use crate::{Result, StoreError};

/// The outcome of a checked change: the store's error when the precondition fails.
type Checked<T> = rusqlite::Result<Result<T>>;

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
