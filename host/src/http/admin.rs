//! Admin routes: tenants (and their first key) and the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use missions_store::NewTenant;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::AppState;
use super::answers::{AuditPage, TenantCreated, TenantList};
use super::auth::Admin;
use super::blocking::blocking;
use super::body::{JsonBody, QueryParams};
use super::error::{ApiError, ProblemKind};
use super::keys::issue_key;
use missions_engine::said;

/// A tenant to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TenantRequest {
    /// Its id: lowercase letters, digits, `-` (`dupont-peeters`).
    id: String,
    /// Its display name; default the id.
    #[serde(default)]
    name: Option<String>,
    /// The start of its subscription (`YYYY-MM-DD`); default today.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "2026-03-02")]
    subscription_start: Option<NaiveDate>,
    /// Its NORRIQ SLA contract, `nav` (default) or `crm`.
    #[serde(default)]
    sla_contract: Option<String>,
    /// Prepaid hours it holds (a decimal string); default `"0"`.
    #[serde(default)]
    prepaid_hours: Option<String>,
}

/// Query of `GET /v1/admin/audit`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    /// Return entries after this position (the `next_after` of the previous page); default 0.
    after: Option<i64>,
    /// Page size, 1 to 1000; default 100.
    limit: Option<u32>,
    /// Only this tenant's evaluations (`admin` for the admin key's).
    tenant: Option<String>,
}

/// Create a tenant and its API key (admin). The key is in the response only: store it.
#[utoipa::path(
    post,
    path = "/v1/admin/tenants",
    tag = "admin",
    request_body(content = TenantRequest, example = json!({"id": "dupont-peeters", "name": "Dupont & Peeters", "subscription_start": "2026-03-02"})),
    responses(
        (status = 201, description = "the tenant and its API key, shown this once", body = TenantCreated),
        (status = 409, description = "the id is taken", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid request", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn create_tenant(
    State(st): State<AppState>,
    _admin: Admin,
    JsonBody(req): JsonBody<TenantRequest>,
) -> Result<(StatusCode, Json<TenantCreated>), ApiError> {
    let id = req.id;
    if id.is_empty()
        || id.len() > 64
        || !id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        || id.starts_with('-')
        || id == "admin"
    {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-tenant-id", id)).at("id"));
    }
    let contract = req.sla_contract.unwrap_or_else(|| "nav".into());
    if !["nav", "crm"].contains(&contract.as_str()) {
        return Err(
            ApiError::new(ProblemKind::InvalidInput, said!("host-bad-sla-contract", contract)).at("sla_contract")
        );
    }
    let prepaid = match req.prepaid_hours.as_deref() {
        None => Decimal::ZERO,
        Some(s) => match s.parse::<Decimal>() {
            Ok(d) if !d.is_sign_negative() => d,
            _ => {
                return Err(
                    ApiError::new(ProblemKind::InvalidInput, said!("host-bad-prepaid-hours", s)).at("prepaid_hours")
                );
            }
        },
    };
    let now = st.now();
    let tenant = NewTenant {
        name: req.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| id.clone()),
        subscription_start: req
            .subscription_start
            .unwrap_or_else(|| now.with_timezone(&chrono_tz::Europe::Brussels).date_naive()),
        sla_contract: contract,
        prepaid_hours: prepaid,
        created_at: now,
        id,
    };
    let key = issue_key(&tenant.id, now)?;
    let store = st.store().clone();
    let record = key.record.clone();
    let created = blocking(move || store.create_tenant(&tenant, &record)).await?;
    tracing::info!(tenant = %created.id, "tenant created");
    Ok((StatusCode::CREATED, Json(TenantCreated { tenant: created, api_key: key.key })))
}

/// Every tenant (admin).
#[utoipa::path(get, path = "/v1/admin/tenants", tag = "admin", responses((status = 200, description = "every tenant", body = TenantList)), security(("api_key" = [])))]
pub(crate) async fn list_tenants(State(st): State<AppState>, _admin: Admin) -> Result<Json<TenantList>, ApiError> {
    let store = st.store().clone();
    let tenants = blocking(move || store.tenants()).await?;
    Ok(Json(TenantList { tenants }))
}

/// Page through the audit log (admin): every evaluation with tenant, pack, entry, version,
/// digest, input SHA-256, result and time, oldest first.
#[utoipa::path(
    get,
    path = "/v1/admin/audit",
    tag = "admin",
    params(AuditQuery),
    responses((status = 200, description = "a page of the log; `next_after` is null on the last page", body = AuditPage)),
    security(("api_key" = []))
)]
pub(crate) async fn audit(
    State(st): State<AppState>,
    _admin: Admin,
    QueryParams(q): QueryParams<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err({
            let most = 1000;
            ApiError::new(ProblemKind::InvalidInput, said!("host-bad-limit", limit, most)).at("limit")
        });
    }
    let after = q.after.unwrap_or(0);
    let store = st.store().clone();
    let tenant = q.tenant;
    let entries = blocking(move || store.audit(after, limit, tenant.as_deref())).await?;
    let next = if entries.len() == limit as usize { entries.last().map(|e| e.id) } else { None };
    Ok(Json(AuditPage { entries, next_after: next }))
}

/// Query of `GET /v1/admin/audit/inputs`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct InputsQuery {
    /// Only this pack's evaluations.
    pack: Option<String>,
    /// Only this entry's evaluations.
    entry: Option<String>,
    /// Only those evaluated on or after this day (`2026-11-01`) or instant (RFC 3339).
    since: Option<String>,
    /// Return inputs after this log position (the `X-Next-After` of the previous call); default 0.
    after: Option<i64>,
    /// Most lines returned, 1 to 100000; default 10000.
    limit: Option<u32>,
}

/// The `since` query parameter: a day (`2026-11-01`, from its midnight UTC) or an RFC 3339
/// instant; a problem naming the parameter otherwise.
pub(crate) fn since_param(value: Option<&str>) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    let Some(s) = value else { return Ok(None) };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&chrono::Utc)));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0));
    day.map(|t| Some(t.and_utc())).ok_or_else(|| {
        let since = missions_engine::clip(s);
        ApiError::new(ProblemKind::InvalidInput, said!("host-bad-since", since))
            .at("since")
            .help(said!("host-help-bad-since"))
    })
}

/// The inputs the audit log kept, as JSON lines for `missions diff --inputs` (admin).
///
/// One line per evaluation, oldest first: `{"entry", "input", "tenant", "pack", "at", "id"}`, the
/// fields a pack marks `personal` masked. When `limit` lines came back, `X-Next-After` gives the
/// `after` of the next call. Records older than the retention (`--audit-retention-days`) are gone.
#[utoipa::path(
    get,
    path = "/v1/admin/audit/inputs",
    tag = "admin",
    params(InputsQuery),
    responses((status = 200, description = "JSON lines, one recorded input each", content_type = "application/x-ndjson", body = String)),
    security(("api_key" = []))
)]
pub(crate) async fn audit_inputs(
    State(st): State<AppState>,
    _admin: Admin,
    QueryParams(q): QueryParams<InputsQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let limit = q.limit.unwrap_or(10_000);
    if !(1..=100_000).contains(&limit) {
        let most = 100_000;
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-limit", limit, most))
            .at("limit")
            .help(said!("host-help-bad-limit-page")));
    }
    let since = since_param(q.since.as_deref())?;
    let query = missions_store::InputQuery { pack: q.pack, entry: q.entry, since, newest: None };
    let after = q.after.unwrap_or(0);
    let store = st.store().clone();
    let (body, next) = blocking(move || {
        let mut body = String::new();
        let mut last = after;
        let mut count = 0u32;
        // Read in pages so a large export never holds two copies of the log in memory.
        while count < limit {
            let page = store.recorded_inputs(&query, last, (limit - count).min(1000))?;
            let Some(end) = page.last().map(|r| r.id) else { break };
            for r in &page {
                let line = serde_json::json!({"entry": r.entry, "input": r.input, "tenant": r.tenant, "pack": r.pack, "at": r.at, "id": r.id});
                body.push_str(&line.to_string());
                body.push('\n');
            }
            count += u32::try_from(page.len()).unwrap_or(u32::MAX);
            last = end;
        }
        Ok::<_, ApiError>((body, (count == limit).then_some(last)))
    })
    .await?;
    let mut resp = ([(axum::http::header::CONTENT_TYPE, "application/x-ndjson")], body).into_response();
    if let Some(n) = next
        && let Ok(v) = axum::http::HeaderValue::from_str(&n.to_string())
    {
        resp.headers_mut().insert("x-next-after", v);
    }
    Ok(resp)
}
