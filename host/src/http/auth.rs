//! Who a request acts for: the bearer key checked against the admin key or a tenant's stored
//! key (see [`super::keys`]). Extractors: [`Principal`] (any valid key), [`Admin`], [`TenantKey`].

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use missions_store::Tenant;
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::{ApiError, ProblemKind};
use super::keys::hash_key;
use missions_engine::said;

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

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Err(ApiError::unauthorized(said!("host-no-authorization")));
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized(said!("host-authorization-unreadable")))?;
    let (scheme, key) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || key.trim().is_empty() {
        return Err(ApiError::unauthorized(said!("host-authorization-not-bearer", scheme)));
    }
    Ok(key.trim())
}

/// The public part of a tenant key (`mk_<id>_<secret>`).
fn public_id(key: &str) -> Option<&str> {
    key.strip_prefix("mk_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| id)
        .filter(|id| !id.is_empty() && id.len() <= 32)
}

/// The public id of the request's tenant key, to record who saved what. It authenticates
/// nothing: take it beside [`TenantKey`].
#[derive(Debug, Clone)]
pub struct KeyId(pub Option<String>);

impl FromRequestParts<AppState> for KeyId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(KeyId(bearer(parts).ok().and_then(public_id).map(str::to_owned)))
    }
}

/// Resolve the request's key.
pub(crate) async fn authenticate(st: &AppState, parts: &Parts) -> Result<Principal, ApiError> {
    let key = bearer(parts)?;
    let hash = hash_key(key);
    if bool::from(hash.ct_eq(st.admin_hash())) {
        return Ok(Principal::Admin);
    }
    let unknown = || ApiError::unauthorized(said!("host-key-unknown"));
    let key_id = public_id(key).ok_or_else(unknown)?;
    let now = st.now();
    let cached = match st.keys().get(key_id, now) {
        Some(c) => c,
        None => {
            let store = st.store().clone();
            let id = key_id.to_owned();
            let found = super::blocking::blocking(move || -> Result<_, missions_store::StoreError> {
                let Some(rec) = store.api_key(&id)? else { return Ok(None) };
                let tenant = store.tenant(&rec.tenant_id)?;
                Ok(tenant.map(|t| (rec, t)))
            })
            .await?;
            let Some((rec, tenant)) = found else {
                st.keys().forget(key_id);
                return Err(unknown());
            };
            st.keys().put(rec.key_id, rec.hash, Arc::new(tenant), now)
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
                let tenant = &t.id;
                Err(ApiError::new(ProblemKind::Forbidden, said!("host-tenant-not-admin", tenant))
                    .help(said!("host-help-tenant-not-admin")))
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
            Principal::Admin => Err(ApiError::new(ProblemKind::Forbidden, said!("host-admin-not-tenant"))
                .help(said!("host-help-admin-not-tenant"))),
        }
    }
}
