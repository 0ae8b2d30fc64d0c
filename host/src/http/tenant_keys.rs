//! Rotating and revoking tenant keys (admin). A tenant may hold several valid keys, so a client
//! rotates without downtime: issue a new key, move to it, revoke the old one. A revoked key is
//! refused within [`KEY_RECHECK`](super::keys::KEY_RECHECK) by every process on the database
//! (this one forgets it at once).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use missions_store::{ApiKeyInfo, StoreError};

use super::AppState;
use super::answers::{KeyIssued, KeyList};
use super::auth::Admin;
use super::blocking::blocking;
use super::error::{ApiError, ProblemKind};
use super::keys::issue_key;
use missions_engine::said;

fn no_tenant(id: &str) -> ApiError {
    ApiError::new(ProblemKind::NotFound, said!("host-no-tenant", id)).help(said!("host-help-no-tenant"))
}

/// Issue another key to a tenant (admin). Its other keys stay valid until revoked.
#[utoipa::path(
    post,
    path = "/v1/admin/tenants/{id}/keys",
    tag = "admin",
    operation_id = "admin_issue_key",
    params(("id" = String, Path, description = "tenant id")),
    responses(
        (status = 201, description = "the new key, shown this once", body = KeyIssued),
        (status = 404, description = "no such tenant", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn issue(
    State(st): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<KeyIssued>), ApiError> {
    let key = issue_key(&id, st.now())?;
    let (store, record, tenant) = (st.store().clone(), key.record.clone(), id.clone());
    blocking(move || match store.add_api_key(&record) {
        Err(StoreError::NotFound(_)) => Err(no_tenant(&tenant)),
        other => other.map_err(ApiError::from),
    })
    .await?;
    tracing::info!(tenant = %id, key_id = %key.record.key_id, "tenant key issued");
    let issued =
        KeyIssued { tenant: id, key_id: key.record.key_id, api_key: key.key, created_at: key.record.created_at };
    Ok((StatusCode::CREATED, Json(issued)))
}

/// A tenant's keys, valid and revoked (admin): their public ids and dates, never the keys.
#[utoipa::path(
    get,
    path = "/v1/admin/tenants/{id}/keys",
    tag = "admin",
    operation_id = "admin_list_keys",
    params(("id" = String, Path, description = "tenant id")),
    responses(
        (status = 200, description = "the tenant's keys", body = KeyList),
        (status = 404, description = "no such tenant", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn list(
    State(st): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> Result<Json<KeyList>, ApiError> {
    let (store, tenant) = (st.store().clone(), id.clone());
    let keys = blocking(move || match store.tenant(&tenant)? {
        None => Err(no_tenant(&tenant)),
        Some(_) => store.api_keys(&tenant).map_err(ApiError::from),
    })
    .await?;
    Ok(Json(KeyList { tenant: id, keys }))
}

/// Revoke one of a tenant's keys (admin): refused from now on, kept in the list with the date.
#[utoipa::path(
    delete,
    path = "/v1/admin/tenants/{id}/keys/{key_id}",
    tag = "admin",
    operation_id = "admin_revoke_key",
    params(("id" = String, Path, description = "tenant id"), ("key_id" = String, Path, description = "the key's public id")),
    responses(
        (status = 200, description = "the key, revoked", body = ApiKeyInfo),
        (status = 404, description = "the tenant has no such key", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the key is revoked already", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn revoke(
    State(st): State<AppState>,
    _admin: Admin,
    Path((id, key_id)): Path<(String, String)>,
) -> Result<Json<ApiKeyInfo>, ApiError> {
    let now = st.now();
    let (store, tenant, key) = (st.store().clone(), id.clone(), key_id.clone());
    let revoked = blocking(move || match store.revoke_api_key(&tenant, &key, now) {
        Err(StoreError::NotFound(_)) => Err(ApiError::new(ProblemKind::NotFound, said!("host-no-key", tenant, key))
            .help(said!("host-help-no-key", tenant))),
        Err(StoreError::Conflict(_)) => {
            Err(ApiError::new(ProblemKind::Conflict, said!("host-key-revoked", key, tenant)))
        }
        other => other.map_err(ApiError::from),
    })
    .await?;
    st.keys().forget(&key_id);
    tracing::info!(tenant = %id, key_id = %key_id, "tenant key revoked");
    Ok(Json(revoked))
}
