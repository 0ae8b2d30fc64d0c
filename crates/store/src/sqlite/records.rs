//! Changes to a mission's state that may carry a precondition: the
//! version the change was made from. The check and the write share one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{Checked, get_opt_json, ts};
use crate::missions::check_state_write;

pub(super) fn set_mission_state(
    tx: &Transaction<'_>,
    tenant: &str,
    id: &str,
    state: &serde_json::Value,
    at: DateTime<Utc>,
    model_version: i64,
    if_state: Option<&serde_json::Value>,
) -> Checked<bool> {
    let current: Option<(i64, Option<serde_json::Value>)> = tx
        .prepare_cached("SELECT model_version, state FROM missions WHERE tenant_id = ?1 AND id = ?2")?
        .query_row([tenant, id], |r| Ok((r.get(0)?, get_opt_json(r, 1)?)))
        .optional()?;
    let Some((version, stored)) = current else { return Ok(Ok(false)) };
    if let Err(e) = check_state_write(id, version, stored.as_ref(), model_version, if_state) {
        return Ok(Err(e));
    }
    tx.execute(
        "UPDATE missions SET state = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2",
        params![tenant, id, state.to_string(), ts(at)],
    )?;
    Ok(Ok(true))
}
