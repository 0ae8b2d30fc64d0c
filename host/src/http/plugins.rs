//! Tenants' plugins over HTTP. Admin routes enable (`PUT`), show, list and disable (`DELETE`) a
//! tenant's plugin; a tenant's evaluations run the plugins it enabled, loaded from the store
//! (each distinct component is compiled once per process, then found by its sha256).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use missions_plugins::TenantPlugin;
use missions_store::PluginLimits;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::answers::{PluginAnswer, PluginHistory, PluginList, PluginRolledBack};
use super::auth::{Admin, Principal};
use super::blocking::blocking;
use super::body::{Body, JsonBody};
use super::error::{ApiError, ProblemKind};
use crate::service::plugins::TenantPluginError;
use missions_engine::said;

/// A plugin to enable for a tenant.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PluginRequest {
    /// The component (`.wasm`), base64-encoded (standard alphabet, padding optional).
    wasm: String,
    /// The tenant's configuration of the plugin; default `{}`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    config: Option<Value>,
    /// Its limits for this tenant; unset ones are the host's defaults (50 ms, 32 MiB, no fuel).
    #[serde(default)]
    limits: PluginLimits,
}

/// Decode standard base64; `None` if `text` is not base64.
fn base64(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let digits = digits.strip_suffix(b"==").or_else(|| digits.strip_suffix(b"=")).unwrap_or(&digits);
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

fn plugin_error(e: TenantPluginError) -> ApiError {
    match e {
        TenantPluginError::Load(e) => {
            let messages = e.messages();
            let why = match crate::service::hooks::in_lang(&messages, super::lang::current()) {
                text if text.is_empty() => e.to_string(),
                text => text,
            };
            ApiError::new(ProblemKind::InvalidInput, said!("host-plugin-refused", why))
                .at("wasm")
                .with("code", e.code())
                .with("messages", messages)
                .help(said!("host-help-plugin-refused"))
        }
        TenantPluginError::Config => {
            let most = crate::service::plugins::MAX_CONFIG_BYTES;
            ApiError::new(ProblemKind::InvalidInput, said!("host-plugin-config", most)).at("config")
        }
        TenantPluginError::TooLarge(bytes) => {
            let most = crate::service::plugins::MAX_PLUGIN_BYTES;
            ApiError::new(ProblemKind::InvalidInput, said!("host-plugin-too-large", bytes, most)).at("wasm")
        }
        // The history's entries and the host's reasons are the admin's, in English.
        TenantPluginError::NoRollback(why) => {
            ApiError::new(ProblemKind::Conflict, said!("host-plugin-no-rollback", why))
                .help(said!("host-help-plugin-no-rollback"))
        }
        TenantPluginError::Store(e) => e.into(),
        TenantPluginError::Stored { tenant, name, message } => {
            ApiError::new(ProblemKind::PluginFailed, said!("host-plugin-stored", name, tenant, message))
                .help(said!("host-help-plugin-stored"))
        }
    }
}

/// Enable a plugin for a tenant, or replace it (admin). The component is checked first (world
/// version, imports, `describe`); its name must be the `{name}` of the path.
#[utoipa::path(
    put,
    path = "/v1/admin/tenants/{id}/plugins/{name}",
    tag = "admin",
    params(("id" = String, Path, description = "tenant"), ("name" = String, Path, description = "the plugin's name (`volume-discount`)")),
    request_body(content = PluginRequest, example = json!({"wasm": "AGFzbQ0AAQA…", "config": {"tiers": [{"from": "10000.00", "percent": "5"}]}, "limits": {"deadline_ms": 50}})),
    responses(
        (status = 201, description = "enabled", body = PluginAnswer),
        (status = 200, description = "replaced", body = PluginAnswer),
        (status = 404, description = "no such tenant", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the component is refused, or the request is invalid", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn put(
    State(st): State<AppState>,
    _admin: Admin,
    Path((tenant, name)): Path<(String, String)>,
    JsonBody(req): JsonBody<PluginRequest>,
) -> Result<(StatusCode, Json<PluginAnswer>), ApiError> {
    let wasm = base64(&req.wasm).ok_or_else(|| {
        ApiError::new(ProblemKind::InvalidInput, said!("host-wasm-not-base64"))
            .at("wasm")
            .help(said!("host-help-wasm-not-base64"))
    })?;
    let config = req.config.unwrap_or_else(|| json!({}));
    let (store, now) = (st.store().clone(), st.now());
    let (limits, who) = (req.limits, tenant.clone());
    let (record, created) = blocking(move || {
        if store.tenant(&who)?.is_none() {
            return Err(TenantPluginError::Store(missions_store::StoreError::NotFound(
                missions_store::Record::Tenant(who.clone()),
            )));
        }
        crate::service::plugins::check_size(&wasm)?;
        let plugin = crate::service::plugins::plugin_host()?.load(&wasm)?;
        if plugin.info().name != name {
            return Ok(Err(plugin.info().name.clone()));
        }
        crate::service::plugins::enable(&*store, &who, &wasm, config, limits, now).map(Ok)
    })
    .await?
    .map_err(|found| {
        ApiError::new(ProblemKind::InvalidInput, said!("host-plugin-other-name", found)).at("wasm").help(said!(
            "host-help-plugin-other-name",
            tenant,
            found
        ))
    })?;
    tracing::info!(tenant = %tenant, plugin = %record.name, version = %record.version, digest = %record.digest, "plugin enabled");
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(PluginAnswer { plugin: record })))
}

impl From<TenantPluginError> for ApiError {
    fn from(e: TenantPluginError) -> Self {
        plugin_error(e)
    }
}

/// A tenant's plugins, in the order they run (admin).
#[utoipa::path(get, path = "/v1/admin/tenants/{id}/plugins", tag = "admin", params(("id" = String, Path, description = "tenant")), responses((status = 200, description = "the tenant's plugins", body = PluginList)), security(("api_key" = [])))]
pub(crate) async fn list(
    State(st): State<AppState>,
    _admin: Admin,
    Path(tenant): Path<String>,
) -> Result<Json<PluginList>, ApiError> {
    let store = st.store().clone();
    let plugins = blocking(move || store.plugins(&tenant)).await?;
    Ok(Json(PluginList { plugins }))
}

/// One of a tenant's plugins (admin).
#[utoipa::path(get, path = "/v1/admin/tenants/{id}/plugins/{name}", tag = "admin", params(("id" = String, Path, description = "tenant"), ("name" = String, Path, description = "plugin")), responses((status = 200, description = "the plugin", body = PluginAnswer), (status = 404, description = "not enabled", body = super::error::Problem, content_type = "application/problem+json")), security(("api_key" = [])))]
pub(crate) async fn show(
    State(st): State<AppState>,
    _admin: Admin,
    Path((tenant, name)): Path<(String, String)>,
) -> Result<Json<PluginAnswer>, ApiError> {
    let store = st.store().clone();
    let who = tenant.clone();
    let plugins = blocking(move || store.plugins(&who)).await?;
    match plugins.into_iter().find(|p| p.name == name) {
        Some(p) => Ok(Json(PluginAnswer { plugin: p })),
        None => Err(ApiError::new(ProblemKind::NotFound, said!("host-no-plugin", tenant, name))),
    }
}

/// Disable one of a tenant's plugins (admin).
#[utoipa::path(delete, path = "/v1/admin/tenants/{id}/plugins/{name}", tag = "admin", params(("id" = String, Path, description = "tenant"), ("name" = String, Path, description = "plugin")), responses((status = 204, description = "disabled"), (status = 404, description = "not enabled", body = super::error::Problem, content_type = "application/problem+json")), security(("api_key" = [])))]
pub(crate) async fn delete(
    State(st): State<AppState>,
    _admin: Admin,
    Path((tenant, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let store = st.store().clone();
    let (who, what) = (tenant.clone(), name.clone());
    let now = st.now();
    if blocking(move || store.delete_plugin(&who, &what, now)).await? {
        tracing::info!(tenant = %tenant, plugin = %name, "plugin disabled");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(ProblemKind::NotFound, said!("host-no-plugin", tenant, name)))
    }
}

/// Every change to one of a tenant's plugins, oldest first (admin): each enabling, replacement,
/// disabling and rollback, with the plugin's version, digest, configuration and limits after it.
#[utoipa::path(get, path = "/v1/admin/tenants/{id}/plugins/{name}/history", operation_id = "admin_plugin_history", tag = "admin", params(("id" = String, Path, description = "tenant"), ("name" = String, Path, description = "plugin")), responses((status = 200, description = "the plugin's history", body = PluginHistory), (status = 404, description = "the tenant never had this plugin", body = super::error::Problem, content_type = "application/problem+json")), security(("api_key" = [])))]
pub(crate) async fn history(
    State(st): State<AppState>,
    _admin: Admin,
    Path((tenant, name)): Path<(String, String)>,
) -> Result<Json<PluginHistory>, ApiError> {
    let store = st.store().clone();
    let (who, what) = (tenant.clone(), name.clone());
    let history = blocking(move || store.plugin_history(&who, &what)).await?;
    if history.is_empty() {
        return Err(ApiError::new(ProblemKind::NotFound, said!("host-never-plugin", tenant, name)));
    }
    Ok(Json(PluginHistory { history }))
}

/// Which entry of its history to enable again.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RollbackRequest {
    /// The history entry (`seq`); default: the one before the current state (for a disabled
    /// plugin, the state it was disabled in).
    #[serde(default)]
    to: Option<u64>,
}

/// Enable an earlier version of a tenant's plugin again, with the configuration and limits it
/// had then (admin). Its code is checked to load in this host first; the rollback is a new entry
/// of the history.
#[utoipa::path(
    post,
    path = "/v1/admin/tenants/{id}/plugins/{name}/rollback",
    operation_id = "admin_plugin_rollback",
    tag = "admin",
    params(("id" = String, Path, description = "tenant"), ("name" = String, Path, description = "plugin")),
    request_body(content = Option<RollbackRequest>, description = "optional; an empty body rolls back one step", example = json!({"to": 1})),
    responses(
        (status = 200, description = "rolled back", body = PluginRolledBack),
        (status = 404, description = "the tenant never had this plugin", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "nothing to roll back to, or no such entry", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the earlier code is refused by this host", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn rollback(
    State(st): State<AppState>,
    _admin: Admin,
    Path((tenant, name)): Path<(String, String)>,
    Body(bytes): Body,
) -> Result<Json<PluginRolledBack>, ApiError> {
    let ask: RollbackRequest = if bytes.iter().all(u8::is_ascii_whitespace) {
        RollbackRequest::default()
    } else {
        super::body::parse(&bytes)?
    };
    let (store, now) = (st.store().clone(), st.now());
    let (who, what) = (tenant.clone(), name.clone());
    let (plugin, restored) =
        blocking(move || crate::service::plugins::rollback(&*store, &who, &what, ask.to, now)).await?;
    tracing::info!(tenant = %tenant, plugin = %name, restored, digest = %plugin.digest, "plugin rolled back");
    Ok(Json(PluginRolledBack { plugin, restored }))
}

/// The plugins that run for `who`'s evaluations: the tenant's, none for the admin.
pub(crate) async fn of(st: &AppState, who: &Principal) -> Result<Vec<TenantPlugin>, ApiError> {
    let Principal::Tenant(t) = who else { return Ok(Vec::new()) };
    let (store, tenant) = (st.store().clone(), t.id.clone());
    blocking(move || crate::service::plugins::tenant_plugins(&*store, &tenant)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(super::base64("AGFzbQ==").as_deref(), Some(&b"\0asm"[..]));
        assert_eq!(super::base64("AGFzbQ").as_deref(), Some(&b"\0asm"[..]));
        assert_eq!(super::base64("AGFzbQ0AAQA=").as_deref(), Some(&b"\0asm\x0d\0\x01\0"[..]));
        assert_eq!(super::base64("aGVsbG8gd29ybGQ").as_deref(), Some(&b"hello world"[..]));
        assert_eq!(super::base64("").as_deref(), Some(&b""[..]));
        assert!(super::base64("a").is_none() && super::base64("ab!d").is_none());
    }
}
