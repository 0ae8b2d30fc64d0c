//! Tenant API keys in SQLite: issued, listed and revoked. A revoked key stays, with when it was
//! revoked; only its hash was ever stored.

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::rows::{Checked, get_opt_ts, get_ts, ts};
use crate::{ApiKeyInfo, ApiKeyRecord, StoreError};

pub(super) fn add(tx: &Transaction<'_>, key: &ApiKeyRecord) -> Checked<()> {
    let tenant: Option<String> = tx
        .prepare_cached("SELECT id FROM tenants WHERE id = ?1")?
        .query_row([&key.tenant_id], |r| r.get(0))
        .optional()?;
    if tenant.is_none() {
        return Ok(Err(StoreError::NotFound(crate::Record::Tenant(key.tenant_id.clone()))));
    }
    tx.prepare_cached("INSERT INTO api_keys (key_id, tenant_id, hash, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![key.key_id, key.tenant_id, key.hash.as_slice(), ts(key.created_at)])?;
    Ok(Ok(()))
}

pub(super) fn list(c: &Connection, tenant: &str) -> rusqlite::Result<Vec<ApiKeyInfo>> {
    c.prepare_cached(
        "SELECT key_id, created_at, revoked_at FROM api_keys WHERE tenant_id = ?1 ORDER BY created_at, rowid",
    )?
    .query_map([tenant], |r| {
        Ok(ApiKeyInfo { key_id: r.get(0)?, created_at: get_ts(r, 1)?, revoked_at: get_opt_ts(r, 2)? })
    })?
    .collect()
}

pub(super) fn revoke(tx: &Transaction<'_>, tenant: &str, key_id: &str, at: DateTime<Utc>) -> Checked<ApiKeyInfo> {
    let found = tx
        .prepare_cached("SELECT created_at, revoked_at FROM api_keys WHERE tenant_id = ?1 AND key_id = ?2")?
        .query_row([tenant, key_id], |r| Ok((get_ts(r, 0)?, get_opt_ts(r, 1)?)))
        .optional()?;
    match found {
        None => Ok(Err(StoreError::NotFound(crate::Record::Key {
            key: key_id.to_owned(),
            tenant: Some(tenant.to_owned()),
        }))),
        Some((_, Some(_))) => Ok(Err(StoreError::Conflict(crate::Record::KeyRevocation(key_id.to_owned())))),
        Some((created_at, None)) => {
            tx.prepare_cached("UPDATE api_keys SET revoked_at = ?3 WHERE tenant_id = ?1 AND key_id = ?2")?
                .execute(params![tenant, key_id, ts(at)])?;
            // As it is stored and listed: to the microsecond.
            let revoked_at = Some(at.trunc_subsecs(6));
            Ok(Ok(ApiKeyInfo { key_id: key_id.to_owned(), created_at, revoked_at }))
        }
    }
}
