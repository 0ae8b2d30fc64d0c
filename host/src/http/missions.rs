//! A tenant's missions. A mission is planned from the latest version of a stored model, with the
//! tenant's closure days, and keeps both: its state is checked and its dashboard computed against
//! that version and those days until it is migrated (see [`super::migrate`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use chrono::NaiveDate;
use missions_engine::{Input, dashboard_json, plan_json, read_input, said};
use missions_store::MissionRecord;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::answers::{MissionCreated, MissionView};
use super::auth::TenantKey;
use super::blocking::blocking;
use super::body::{self, Body, QueryParams, object};
use super::calendar::calendar_with;
use super::error::{ApiError, ProblemKind};
use super::etag::{IfMatch, etag};
use super::keys::random_id;
use super::lang::ClientLang;
use super::models::{check_id, digest, load};
use crate::service::plugins::TenantPluginError;

/// Query of a dashboard.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DashboardQuery {
    /// The day of the figures (`YYYY-MM-DD`); default today in Europe/Brussels.
    as_of: Option<String>,
}

/// Plan a mission from a stored model.
///
/// Body: `{"model": "<model id>", "id": "<optional mission id>", "client", "start", "closing",
/// "dates", "people"}` — the fields after `model` and `id` are `missions plan`'s input. The
/// mission follows the model's latest version, dated with the tenant's closure days.
#[utoipa::path(
    post,
    path = "/v1/missions",
    tag = "missions",
    request_body(content = Object, example = json!({"model": "isqm-audit", "client": "Brasserie Lambic SA", "start": "2026-11-02", "closing": "2026-12-31", "people": {"partner": ["An Peeters"]}})),
    responses(
        (status = 201, description = "the mission, planned", body = MissionCreated),
        (status = 404, description = "no such model", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "a mission with this id exists", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid input: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn create_mission(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    ClientLang(lang): ClientLang,
    Body(bytes): Body,
) -> Result<(StatusCode, Json<MissionCreated>), ApiError> {
    let body = body::parse_value(&bytes)?;
    let head: NewMission = read_input(Input::NewMission, &body)
        .map_err(|d| ApiError::input_diagnostics(said!("host-mission-input-invalid"), &d, lang))?;
    let mut input = object(body, said!("host-what-the-mission"))?;
    input.remove("model");
    input.remove("id");
    let model_id = head.model;
    let id = match head.id {
        Some(s) => {
            check_id(said!("host-what-mission"), &s).map_err(|e| e.at("id"))?;
            s
        }
        None => random_id("m_")?,
    };
    let input = Value::Object(input);
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let base = st.0.calendar.clone();
    let now = st.now();
    blocking(move || {
        let (model, rec) = load(&*store, &tenant.id, &model_id, None, &rules_dir, lang)?;
        let closures = store.tenant_closures(&tenant.id)?;
        let calendar = calendar_with(&base, &closures)?;
        let mut plan = plan_json(&model, &input, &calendar)
            .map_err(|d| ApiError::input_diagnostics(said!("host-mission-input-does-not-fit"), &d.0, lang))?;
        plan.warnings = plan.warnings.localized(lang);
        let plan = serde_json::to_value(&plan).map_err(|e| ApiError::internal("writing the plan", e))?;
        let mission = MissionRecord {
            id: id.clone(),
            model_id: model_id.clone(),
            model_version: rec.version,
            model_digest: rec.digest,
            input,
            plan: plan.clone(),
            state: None,
            closures,
            history: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        store.create_mission(&tenant.id, &mission)?;
        let created = MissionCreated { id, model: model_id, model_version: rec.version, plan };
        Ok::<_, ApiError>((StatusCode::CREATED, Json(created)))
    })
    .await
}

/// A mission's `ETag`: the SHA-256 of the model version it follows and of its state's JSON
/// (`null` before any), so that a migration, too, makes an older `ETag` stale.
pub(super) fn mission_tag(m: &MissionRecord) -> String {
    digest(&format!("{}:{}", m.model_version, m.state.as_ref().unwrap_or(&Value::Null)))
}

fn mission_view(m: MissionRecord) -> MissionView {
    MissionView {
        id: m.id,
        model: m.model_id,
        model_version: m.model_version,
        model_digest: m.model_digest,
        input: m.input,
        plan: m.plan,
        state: m.state,
        closures: m.closures,
        history: m.history,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

pub(super) fn no_mission(id: &str) -> ApiError {
    ApiError::new(ProblemKind::NotFound, said!("host-no-mission", id)).help(said!("host-help-no-mission"))
}

/// Which missions to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct MissionQuery {
    /// Only the missions of this model.
    model: Option<String>,
}

/// One mission as listed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct MissionHeadView {
    /// Its id.
    id: String,
    /// The model it follows.
    model: String,
    /// The version of the model it follows.
    model_version: i64,
}

/// `GET /v1/missions`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct MissionList {
    /// The tenant's missions (of one model with `model=`), by id.
    missions: Vec<MissionHeadView>,
}

/// The tenant's missions, by id: which model and version each follows.
#[utoipa::path(
    get,
    path = "/v1/missions",
    tag = "missions",
    params(MissionQuery),
    responses((status = 200, description = "the missions", body = MissionList)),
    security(("api_key" = []))
)]
pub(crate) async fn list_missions(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    QueryParams(q): QueryParams<MissionQuery>,
) -> Result<Json<MissionList>, ApiError> {
    let store = st.store().clone();
    let heads = blocking(move || Ok::<_, ApiError>(store.mission_heads(&tenant.id, q.model.as_deref())?)).await?;
    let missions = heads
        .into_iter()
        .map(|h| MissionHeadView { id: h.id, model: h.model_id, model_version: h.model_version })
        .collect();
    Ok(Json(MissionList { missions }))
}

/// A mission: its input, plan, state and history.
#[utoipa::path(
    get,
    path = "/v1/missions/{id}",
    tag = "missions",
    params(("id" = String, Path, description = "mission id")),
    responses((status = 200, description = "the mission; its `ETag` is the version of its state", body = MissionView), (status = 404, description = "no such mission for this tenant", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn show_mission(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(id): Path<String>,
) -> Result<([(HeaderName, HeaderValue); 1], Json<MissionView>), ApiError> {
    let store = st.store().clone();
    let m = blocking(move || {
        let found = store.mission(&tenant.id, &id)?;
        found.ok_or_else(|| no_mission(&id))
    })
    .await?;
    Ok(([etag(&mission_tag(&m))], Json(mission_view(m))))
}

fn state_doc(as_of: NaiveDate, m: &MissionRecord, state: Option<&Value>) -> Value {
    let empty = json!({});
    let s = state.unwrap_or(&empty);
    json!({
        "as_of": as_of,
        "mission": m.input,
        "actions": s.get("actions").cloned().unwrap_or_else(|| json!([])),
        "key_points": s.get("key_points").cloned().unwrap_or_else(|| json!([])),
    })
}

/// The head of a new mission's body (`inputs.yaml`, `new_mission`); the rest is the plan's input.
#[derive(Debug, serde::Deserialize)]
struct NewMission {
    model: String,
    id: Option<String>,
}

/// Replace a mission's state: `{"actions": [{id, status, done_on, due, assignees}], "key_points":
/// [{id, kind, severity, raised_on, closed_on, action}]}`, checked against the model version the
/// mission follows.
#[utoipa::path(
    put,
    path = "/v1/missions/{id}/state",
    tag = "missions",
    params(("id" = String, Path, description = "mission id")),
    request_body(content = Object, example = json!({"actions": [{"id": "accept-client", "done_on": "2026-11-03"}], "key_points": []})),
    responses((status = 200, description = "the mission, with its new state", body = MissionView), (status = 404, description = "no such mission", body = super::error::Problem, content_type = "application/problem+json"), (status = 412, description = "`If-Match` names another version of the mission", body = super::error::Problem, content_type = "application/problem+json"), (status = 422, description = "invalid state: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn put_state(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    ClientLang(lang): ClientLang,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<([(HeaderName, HeaderValue); 1], Json<MissionView>), ApiError> {
    let if_match = IfMatch::from_headers(&headers)?;
    let state = body::parse_value(&bytes)?;
    read_input::<Value>(Input::RecordedState, &state)
        .map_err(|d| ApiError::input_diagnostics(said!("host-mission-state-invalid"), &d, lang))?;
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let base = st.0.calendar.clone();
    let now = st.now();
    let today = now.with_timezone(&chrono_tz::Europe::Brussels).date_naive();
    blocking(move || {
        let mut m = store.mission(&tenant.id, &id)?.ok_or_else(|| no_mission(&id))?;
        if_match.check(Some(&mission_tag(&m)), said!("host-the-mission", id))?;
        let (model, _) = load(&*store, &tenant.id, &m.model_id, Some(m.model_version), &rules_dir, lang)?;
        let calendar = calendar_with(&base, &m.closures)?;
        dashboard_json(&model, &state_doc(today, &m, Some(&state)), &calendar)
            .map_err(|d| ApiError::input_diagnostics(said!("host-mission-state-does-not-fit"), &d.0, lang))?;
        // The conditions again, in the write: another change may have landed since the read, and
        // the state was checked against the version the mission followed then.
        let read = m.state.clone().unwrap_or(Value::Null);
        let condition = (if_match != IfMatch::Any).then_some(&read);
        if !store.set_mission_state(&tenant.id, &id, &state, now, m.model_version, condition)? {
            return Err(no_mission(&id));
        }
        m.state = Some(state);
        m.updated_at = now;
        let tag = etag(&mission_tag(&m));
        Ok::<_, ApiError>(([tag], Json(mission_view(m))))
    })
    .await
}

/// A mission's dashboard figures on a day: progress, overdue work, load per person, teams, open
/// key points and escalations, against the model version the mission follows. When the tenant
/// has plugins with the `dashboard-figures` hook, their figures come in `plugin_figures`, and the
/// failures of those that could not answer in `plugin_failures` (the dashboard is served anyway).
#[utoipa::path(
    get,
    path = "/v1/missions/{id}/dashboard",
    tag = "missions",
    params(("id" = String, Path, description = "mission id"), DashboardQuery),
    responses((status = 200, description = "the dashboard, as `missions dashboard --json` prints it", body = Object), (status = 404, description = "no such mission", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn dashboard(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    ClientLang(lang): ClientLang,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<DashboardQuery>,
) -> Result<Json<Value>, ApiError> {
    let as_of = match q.as_of {
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| ApiError::new(ProblemKind::InvalidInput, said!("host-bad-as-of", s)).at("as_of"))?,
        None => st.now().with_timezone(&chrono_tz::Europe::Brussels).date_naive(),
    };
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let base = st.0.calendar.clone();
    blocking(move || {
        let m = store.mission(&tenant.id, &id)?.ok_or_else(|| no_mission(&id))?;
        let (model, _) = load(&*store, &tenant.id, &m.model_id, Some(m.model_version), &rules_dir, lang)?;
        let calendar = calendar_with(&base, &m.closures)?;
        let mut d = dashboard_json(&model, &state_doc(as_of, &m, m.state.as_ref()), &calendar).map_err(|d| {
            let d = d.localized(lang);
            ApiError::diagnostics(ProblemKind::InvalidModel, said!("host-mission-does-not-fit"), &d.0)
        })?;
        d.warnings = d.warnings.localized(lang);
        let mut v = serde_json::to_value(&d).map_err(|e| ApiError::internal("writing the dashboard", e))?;
        let (figures, failures) = match crate::service::plugins::tenant_plugins(&*store, &tenant.id) {
            Ok(plugins) if plugins.iter().any(|p| p.implements(missions_plugins::Hook::DashboardFigures)) => {
                let (figures, failures) = crate::service::hooks::figures(&plugins, &d);
                (Some(figures), failures)
            }
            Ok(_) => (None, Vec::new()),
            // A stored plugin that no longer loads does not take the dashboard down with it.
            Err(TenantPluginError::Stored { name, message, .. }) => {
                (None, vec![crate::service::hooks::unloadable(&name, &message)])
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(o) = v.as_object_mut() {
            let write = |e| ApiError::internal("writing the plugins' figures", e);
            if let Some(figures) = figures {
                o.insert("plugin_figures".into(), serde_json::to_value(&figures).map_err(write)?);
            }
            if !failures.is_empty() {
                o.insert("plugin_failures".into(), serde_json::to_value(&failures).map_err(write)?);
            }
        }
        Ok::<_, ApiError>(Json(v))
    })
    .await
}
