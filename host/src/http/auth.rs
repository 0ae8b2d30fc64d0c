//! API keys and who a request acts for. A key is 256 random bits; the service keeps only its
//! SHA-256 and compares digests in constant time. Tenant keys look like
//! `mk_<key id>_<secret>`: the public key id finds the stored hash without scanning.
//! Extractors: [`Principal`] (any valid key), [`Admin`], [`TenantKey`].

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use missions_store::{ApiKeyRecord, Tenant};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::{ApiError, ProblemKind};

/// Who a request acts for.
#[derive(Debug, Clone)]
pub enum Principal {
    /// The operator: packs, tenants, audit.
    Admin,
    /// A customer firm: evaluations, its own models, missions, tickets.
    Tenant(Arc<Tenant>),
}

impl Principal {
    /// `admin` or the tenant's id, as the audit log records it.
    pub fn name(&self) -> &str {
        match self {
            Principal::Admin => "admin",
            Principal::Tenant(t) => &t.id,
        }
    }
}

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

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn random_hex(n: usize) -> Result<String, ApiError> {
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
struct CachedKey {
    hash: [u8; 32],
    tenant: Arc<Tenant>,
}

/// Tenant keys already checked against the store, by key id: the hot path does not query the
/// database. Keys are never revoked behind the cache's back in this version (there is no
/// revocation route yet).
#[derive(Debug, Default)]
pub struct KeyCache {
    keys: RwLock<HashMap<String, Arc<CachedKey>>>,
}

impl KeyCache {
    fn get(&self, key_id: &str) -> Option<Arc<CachedKey>> {
        self.keys.read().unwrap_or_else(PoisonError::into_inner).get(key_id).cloned()
    }

    fn put(&self, key_id: String, hash: [u8; 32], tenant: Arc<Tenant>) -> Arc<CachedKey> {
        let k = Arc::new(CachedKey { hash, tenant });
        self.keys.write().unwrap_or_else(PoisonError::into_inner).insert(key_id, k.clone());
        k
    }
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "this route needs an API key and the request has no `Authorization` header",
        ));
    };
    let value =
        value.to_str().map_err(|_| ApiError::unauthorized("the `Authorization` header is not readable text"))?;
    let (scheme, key) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || key.trim().is_empty() {
        return Err(ApiError::unauthorized(format!(
            "the `Authorization` header must be `Bearer <key>`, not `{scheme} …`"
        )));
    }
    Ok(key.trim())
}

/// Resolve the request's key.
pub(crate) async fn authenticate(st: &AppState, parts: &Parts) -> Result<Principal, ApiError> {
    let key = bearer(parts)?;
    let hash = hash_key(key);
    if bool::from(hash.ct_eq(st.admin_hash())) {
        return Ok(Principal::Admin);
    }
    let unknown = || ApiError::unauthorized("the API key is not valid (unknown, revoked, or mistyped)");
    let key_id = key
        .strip_prefix("mk_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| id)
        .filter(|id| !id.is_empty() && id.len() <= 32)
        .ok_or_else(unknown)?;
    let cached = match st.keys().get(key_id) {
        Some(c) => c,
        None => {
            let store = st.store().clone();
            let id = key_id.to_owned();
            let found = super::blocking(move || -> Result<_, missions_store::StoreError> {
                let Some(rec) = store.api_key(&id)? else { return Ok(None) };
                let tenant = store.tenant(&rec.tenant_id)?;
                Ok(tenant.map(|t| (rec, t)))
            })
            .await?;
            let Some((rec, tenant)) = found else { return Err(unknown()) };
            st.keys().put(rec.key_id, rec.hash, Arc::new(tenant))
        }
    };
    if bool::from(hash.ct_eq(&cached.hash)) { Ok(Principal::Tenant(cached.tenant.clone())) } else { Err(unknown()) }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(st, parts).await
    }
}

/// The request carries the admin key.
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        match authenticate(st, parts).await? {
            Principal::Admin => Ok(Admin),
            Principal::Tenant(t) => {
                Err(ApiError::new(ProblemKind::Forbidden, format!("tenant `{}` may not use admin routes", t.id))
                    .help("packs, tenants and the audit log are managed with the admin key"))
            }
        }
    }
}

/// The request carries a tenant key.
#[derive(Debug, Clone)]
pub struct TenantKey(pub Arc<Tenant>);

impl FromRequestParts<AppState> for TenantKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        match authenticate(st, parts).await? {
            Principal::Tenant(t) => Ok(TenantKey(t)),
            Principal::Admin => Err(ApiError::new(
                ProblemKind::Forbidden,
                "this route acts for a tenant and the admin key belongs to none",
            )
            .help("use the tenant's key; `POST /v1/admin/tenants` creates a tenant and returns its key")),
        }
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
