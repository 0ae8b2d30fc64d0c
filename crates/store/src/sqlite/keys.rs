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
        return Ok(Err(StoreError::NotFound(format!("tenant `{}`", key.tenant_id))));
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
        None => Ok(Err(StoreError::NotFound(format!("key `{key_id}` of tenant `{tenant}`")))),
        Some((_, Some(_))) => Ok(Err(StoreError::Conflict(format!("the revocation of key `{key_id}`")))),
        Some((created_at, None)) => {
            tx.prepare_cached("UPDATE api_keys SET revoked_at = ?3 WHERE tenant_id = ?1 AND key_id = ?2")?
                .execute(params![tenant, key_id, ts(at)])?;
            // As it is stored and listed: to the microsecond.
            let revoked_at = Some(at.trunc_subsecs(6));
            Ok(Ok(ApiKeyInfo { key_id: key_id.to_owned(), created_at, revoked_at }))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use chrono::TimeZone;

    use super::super::tests::tenant;
    use crate::{SqliteStore, Store};

    use super::*;

    fn key(tenant: &str, id: &str, day: u32) -> ApiKeyRecord {
        ApiKeyRecord {
            key_id: id.into(),
            hash: [1; 32],
            tenant_id: tenant.into(),
            created_at: Utc.with_ymd_and_hms(2026, 12, day, 9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn keys_are_added_listed_and_revoked_per_tenant() {
        let s = SqliteStore::open_in_memory().unwrap();
        tenant(&s, "a");
        tenant(&s, "b");
        assert!(matches!(s.add_api_key(&key("nobody", "k1", 1)), Err(StoreError::NotFound(_))));
        s.add_api_key(&key("a", "k-new", 2)).unwrap();
        assert!(s.add_api_key(&key("a", "k-new", 2)).is_err(), "a key id is unique");
        let ids: Vec<String> = s.api_keys("a").unwrap().into_iter().map(|k| k.key_id).collect();
        assert_eq!(ids, ["k-a", "k-new"]);
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        assert!(matches!(s.revoke_api_key("b", "k-a", at), Err(StoreError::NotFound(_))), "another tenant's key");
        let revoked = s.revoke_api_key("a", "k-a", at).unwrap();
        assert_eq!(revoked, s.api_keys("a").unwrap()[0], "it answers the key as listed");
        assert!(matches!(s.revoke_api_key("a", "k-a", at), Err(StoreError::Conflict(_))));
        assert!(s.api_key("k-a").unwrap().is_none(), "a revoked key authenticates nothing");
        assert!(s.api_key("k-new").unwrap().is_some());
        let listed = s.api_keys("a").unwrap();
        assert_eq!((listed[0].revoked_at, listed[1].revoked_at), (Some(at), None));
        assert_eq!(s.api_keys("b").unwrap().len(), 1);
    }
}
