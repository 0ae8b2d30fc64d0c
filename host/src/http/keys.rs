//! API keys: a key is 256 random bits; the service keeps only its SHA-256 and compares digests
//! in constant time. Tenant keys look like `mk_<key id>_<secret>`: the public key id finds the
//! stored hash without scanning. Checked keys are cached for a second, so the hot path rarely
//! queries the database and a revoked key is refused everywhere within that second.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use missions_store::{ApiKeyRecord, Tenant};
use sha2::{Digest, Sha256};

use super::error::ApiError;

/// A key just issued: the key itself (shown once) and what is stored.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    /// The key to hand to the client.
    pub key: String,
    /// What the store keeps.
    pub record: ApiKeyRecord,
}

/// SHA-256 of a key.
pub fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub(crate) fn random_hex(n: usize) -> Result<String, ApiError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal("drawing a random key", e))?;
    Ok(hex(&bytes))
}

/// A new random identifier (`m_3f9a…`, 48 random bits).
pub(crate) fn random_id(prefix: &str) -> Result<String, ApiError> {
    Ok(format!("{prefix}{}", random_hex(6)?))
}

/// A new tenant key.
pub fn issue_key(tenant_id: &str, now: DateTime<Utc>) -> Result<IssuedKey, ApiError> {
    let key_id = random_hex(6)?;
    let key = format!("mk_{key_id}_{}", random_hex(32)?);
    let record = ApiKeyRecord { key_id, hash: hash_key(&key), tenant_id: tenant_id.to_owned(), created_at: now };
    Ok(IssuedKey { key, record })
}

/// A new admin key (256 random bits).
pub fn new_admin_key() -> Result<String, ApiError> {
    Ok(format!("mk_admin_{}", random_hex(32)?))
}

/// The hex form of a key hash, as settings store it.
pub fn hash_hex(hash: &[u8; 32]) -> String {
    hex(hash)
}

/// Read a hash back from its hex form.
pub fn hash_from_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[derive(Debug)]
pub(super) struct CachedKey {
    pub(super) hash: [u8; 32],
    pub(super) tenant: Arc<Tenant>,
    /// When the store last said the key is valid.
    checked_at: DateTime<Utc>,
}

/// How long a checked key is trusted without asking the store again. A key revoked through this
/// process is forgotten at once; revoked through another process on the same database, it is
/// refused here within this delay.
pub(crate) const KEY_RECHECK: chrono::TimeDelta = chrono::TimeDelta::seconds(1);

/// Tenant keys already checked against the store, by key id: the hot path asks the database
/// about a key at most once per [`KEY_RECHECK`].
#[derive(Debug, Default)]
pub struct KeyCache {
    keys: RwLock<HashMap<String, Arc<CachedKey>>>,
}

impl KeyCache {
    /// The key, when it was checked within [`KEY_RECHECK`] of `now`.
    pub(super) fn get(&self, key_id: &str, now: DateTime<Utc>) -> Option<Arc<CachedKey>> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.get(key_id).filter(|k| now - k.checked_at <= KEY_RECHECK).cloned()
    }

    pub(super) fn put(
        &self,
        key_id: String,
        hash: [u8; 32],
        tenant: Arc<Tenant>,
        now: DateTime<Utc>,
    ) -> Arc<CachedKey> {
        let k = Arc::new(CachedKey { hash, tenant, checked_at: now });
        self.keys.write().unwrap_or_else(PoisonError::into_inner).insert(key_id, k.clone());
        k
    }

    /// Forget a key (revoked, or no longer in the store).
    pub(super) fn forget(&self, key_id: &str) {
        self.keys.write().unwrap_or_else(PoisonError::into_inner).remove(key_id);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_are_unique_and_hashes_round_trip() {
        let a = issue_key("t", Utc::now()).unwrap();
        let b = issue_key("t", Utc::now()).unwrap();
        assert_ne!(a.key, b.key);
        assert!(a.key.starts_with(&format!("mk_{}_", a.record.key_id)));
        assert_eq!(a.key.len(), 3 + 12 + 1 + 64);
        assert_eq!(hash_from_hex(&hash_hex(&a.record.hash)), Some(a.record.hash));
        assert_eq!(a.record.hash, hash_key(&a.key));
    }
}
