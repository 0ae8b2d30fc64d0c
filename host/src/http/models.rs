//! A tenant's mission models and missions. A model is stored only once it validates (its
//! diagnostics, with line and column, come back otherwise); `extends:` finds the tenant's other
//! models by id (or `id.yaml`) and the shipped models of `--rules`/`models/` by file name. A
//! mission is planned from a stored model; its state (`{actions, key_points}`) is replaced with
//! `PUT /v1/missions/{id}/state` and its dashboard computed on demand for any day.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use chrono::NaiveDate;
use missions_engine::{Diagnostic, MemModelFiles, Model, SourceText, clip, dashboard_json, parse_model, plan_json};
use missions_store::{MissionRecord, ModelRecord, Store};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::AppState;
use super::answers::{MissionCreated, MissionView, ModelList, ModelListed, ModelSummary};
use super::auth::TenantKey;
use super::blocking::blocking;
use super::body::{self, Body, QueryParams, YamlBody};
use super::error::{ApiError, ProblemKind};
use super::etag::{IfMatch, etag};
use super::keys::random_id;
use crate::service::sha256_hex;

/// Query of a dashboard.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DashboardQuery {
    /// The day of the figures (`YYYY-MM-DD`); default today in Europe/Brussels.
    as_of: Option<String>,
}

fn check_id(what: &str, id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            ProblemKind::InvalidInput,
            format!("{what} id `{id}` must be 1 to 64 letters, digits, `-` or `_`"),
        ))
    }
}

fn digest(text: &str) -> String {
    sha256_hex(text.as_bytes())
}

/// The models `extends:` may name: the shipped ones, then the tenant's (which win on a clash).
fn model_files(store: &dyn Store, tenant: &str, rules_dir: &std::path::Path) -> Result<MemModelFiles, ApiError> {
    let mut files = HashMap::new();
    if let Ok(rd) = std::fs::read_dir(rules_dir.join("models")) {
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if (name.ends_with(".yaml") || name.ends_with(".yml"))
                && let Ok(text) = std::fs::read_to_string(e.path())
            {
                files.insert(name, text);
            }
        }
    }
    for m in store.models(tenant)? {
        files.insert(format!("{}.yaml", m.id), m.text.clone());
        files.insert(m.id, m.text);
    }
    Ok(MemModelFiles(files))
}

fn model_problem(id: &str, diags: &[Diagnostic]) -> ApiError {
    ApiError::diagnostics(ProblemKind::InvalidModel, format!("model `{id}` has errors"), diags)
}

fn parse(id: &str, text: &str, files: &MemModelFiles) -> Result<Model, ApiError> {
    let src =
        SourceText::from_bytes(format!("{id}.yaml"), text.as_bytes().to_vec()).map_err(|d| model_problem(id, &[d]))?;
    parse_model(src, files).map_err(|d| model_problem(id, &d.0))
}

fn load(
    store: &dyn Store,
    tenant: &str,
    id: &str,
    rules_dir: &std::path::Path,
) -> Result<(Model, ModelRecord), ApiError> {
    let rec = store.model(tenant, id)?.ok_or_else(|| {
        ApiError::new(ProblemKind::NotFound, format!("no model `{id}`"))
            .help("`PUT /v1/models/{id}` stores one; `GET /v1/models` lists yours")
    })?;
    let files = model_files(store, tenant, rules_dir)?;
    let model = parse(id, &rec.text, &files)?;
    Ok((model, rec))
}

fn summary(m: &Model, rec: &ModelRecord) -> ModelSummary {
    ModelSummary {
        id: rec.id.clone(),
        version: m.version().map(str::to_owned),
        digest: rec.digest.clone(),
        languages: m.languages().to_vec(),
        phases: m.phases().len(),
        actions: m.actions().len(),
        updated_at: rec.updated_at,
        warnings: m.warnings().0.clone(),
        text: None,
    }
}

/// Validate and store a mission model (the body is its YAML text).
///
/// The model's `id:` must be the id in the URL. A model with errors is not stored: the problem
/// lists every diagnostic with file, line, column and a suggestion.
#[utoipa::path(
    put,
    path = "/v1/models/{id}",
    tag = "models",
    params(("id" = String, Path, description = "the model's id, as in its `id:`")),
    request_body(content = String, content_type = "application/yaml", description = "the model, YAML"),
    responses(
        (status = 201, description = "stored (new); its `ETag` is `digest`", body = ModelSummary),
        (status = 200, description = "stored (replaced)", body = ModelSummary),
        (status = 422, description = "the model has errors: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn put(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(id): Path<String>,
    headers: HeaderMap,
    YamlBody(bytes): YamlBody,
) -> Result<(StatusCode, [(HeaderName, HeaderValue); 1], Json<ModelSummary>), ApiError> {
    check_id("model", &id)?;
    let if_match = IfMatch::from_headers(&headers)?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::new(ProblemKind::InvalidInput, "the model is not UTF-8 text").help("send the YAML file as UTF-8")
    })?;
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let now = st.now();
    let (created, summary, version) = blocking(move || {
        let files = model_files(&*store, &tenant.id, &rules_dir)?;
        let model = parse(&id, &text, &files)?;
        if model.id() != id {
            return Err(ApiError::new(
                ProblemKind::InvalidModel,
                format!("the model's `id` is `{}` but the URL names `{id}`", model.id()),
            )
            .help(format!("send it to `/v1/models/{}`, or set `id: {id}`", model.id())));
        }
        if if_match == IfMatch::Exists {
            if_match
                .check(store.model(&tenant.id, &id)?.as_ref().map(|m| m.digest.as_str()), &format!("model `{id}`"))?;
        }
        let rec = ModelRecord { id: id.clone(), digest: digest(&text), text, updated_at: now };
        let created = store.put_model(&tenant.id, &rec, if_match.version())?;
        Ok::<_, ApiError>((created, summary(&model, &rec), rec.digest))
    })
    .await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, [etag(&version)], Json(summary)))
}

/// A stored model: its summary and YAML text.
#[utoipa::path(
    get,
    path = "/v1/models/{id}",
    tag = "models",
    params(("id" = String, Path, description = "model id")),
    responses((status = 200, description = "the model, with its YAML `text`; its `ETag` is `digest`", body = ModelSummary), (status = 404, description = "no such model for this tenant", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn show(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(id): Path<String>,
) -> Result<([(HeaderName, HeaderValue); 1], Json<ModelSummary>), ApiError> {
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    blocking(move || {
        let (model, rec) = load(&*store, &tenant.id, &id, &rules_dir)?;
        let mut v = summary(&model, &rec);
        v.text = Some(rec.text);
        Ok::<_, ApiError>(([etag(&rec.digest)], Json(v)))
    })
    .await
}

/// The tenant's models.
#[utoipa::path(get, path = "/v1/models", tag = "models", responses((status = 200, description = "the tenant's models", body = ModelList)), security(("api_key" = [])))]
pub(crate) async fn list(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
) -> Result<Json<ModelList>, ApiError> {
    let store = st.store().clone();
    let models = blocking(move || store.models(&tenant.id)).await?;
    let models =
        models.into_iter().map(|m| ModelListed { id: m.id, digest: m.digest, updated_at: m.updated_at }).collect();
    Ok(Json(ModelList { models }))
}

fn object(v: Value, what: &str) -> Result<Map<String, Value>, ApiError> {
    match v {
        Value::Object(o) => Ok(o),
        _ => Err(ApiError::new(ProblemKind::InvalidInput, format!("{what} must be a JSON object")).at("")),
    }
}

/// Plan a mission from a stored model.
///
/// Body: `{"model": "<model id>", "id": "<optional mission id>", "client", "start", "closing",
/// "dates", "people"}` — the fields after `model` and `id` are `missions plan`'s input.
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
    Body(bytes): Body,
) -> Result<(StatusCode, Json<MissionCreated>), ApiError> {
    let mut input = object(body::parse_value(&bytes)?, "the mission")?;
    let model_id = match input.remove("model") {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(ApiError::new(ProblemKind::InvalidInput, "`model` must be the id of a stored model, a string")
                .at("model"));
        }
        None => {
            return Err(ApiError::new(
                ProblemKind::InvalidInput,
                "missing field `model`: the id of the model to plan from",
            )
            .at("model"));
        }
    };
    let id = match input.remove("id") {
        Some(Value::String(s)) => {
            check_id("mission", &s).map_err(|e| e.at("id"))?;
            s
        }
        Some(_) => return Err(ApiError::new(ProblemKind::InvalidInput, "`id` must be a string").at("id")),
        None => random_id("m_")?,
    };
    let input = Value::Object(input);
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let calendar = st.0.calendar.clone();
    let now = st.now();
    blocking(move || {
        let (model, rec) = load(&*store, &tenant.id, &model_id, &rules_dir)?;
        let plan = plan_json(&model, &input, &calendar).map_err(|d| {
            ApiError::diagnostics(ProblemKind::InvalidModel, "the mission's input does not fit the model", &d.0)
        })?;
        let plan = serde_json::to_value(&plan).map_err(|e| ApiError::internal("writing the plan", e))?;
        let mission = MissionRecord {
            id: id.clone(),
            model_id: model_id.clone(),
            model_digest: rec.digest,
            input,
            plan: plan.clone(),
            state: None,
            created_at: now,
            updated_at: now,
        };
        store.create_mission(&tenant.id, &mission)?;
        Ok::<_, ApiError>((StatusCode::CREATED, Json(MissionCreated { id, model: model_id, plan })))
    })
    .await
}

/// The version of a mission's state, its `ETag`: the SHA-256 of its JSON (of `null` before any).
fn state_version(state: Option<&Value>) -> String {
    digest(&state.unwrap_or(&Value::Null).to_string())
}

fn mission_view(m: MissionRecord) -> MissionView {
    MissionView {
        id: m.id,
        model: m.model_id,
        model_digest: m.model_digest,
        input: m.input,
        plan: m.plan,
        state: m.state,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn no_mission(id: &str) -> ApiError {
    ApiError::new(ProblemKind::NotFound, format!("no mission `{id}`")).help("`POST /v1/missions` plans one")
}

/// A mission: its input, plan and state.
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
    Ok(([etag(&state_version(m.state.as_ref()))], Json(mission_view(m))))
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

/// Replace a mission's state: `{"actions": [{id, status, done_on, due, assignees}], "key_points":
/// [{id, kind, severity, raised_on, closed_on, action}]}`, checked against the model.
#[utoipa::path(
    put,
    path = "/v1/missions/{id}/state",
    tag = "missions",
    params(("id" = String, Path, description = "mission id")),
    request_body(content = Object, example = json!({"actions": [{"id": "accept-client", "done_on": "2026-11-03"}], "key_points": []})),
    responses((status = 200, description = "the mission, with its new state", body = MissionView), (status = 404, description = "no such mission", body = super::error::Problem, content_type = "application/problem+json"), (status = 422, description = "invalid state: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn put_state(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<([(HeaderName, HeaderValue); 1], Json<MissionView>), ApiError> {
    let if_match = IfMatch::from_headers(&headers)?;
    let state = object(body::parse_value(&bytes)?, "the mission state")?;
    if let Some(k) = state.keys().find(|k| *k != "actions" && *k != "key_points") {
        return Err(ApiError::new(
            ProblemKind::InvalidInput,
            format!("unknown field `{}`, expected `actions` or `key_points`", clip(k)),
        )
        .at(clip(k)));
    }
    let state = Value::Object(state);
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let calendar = st.0.calendar.clone();
    let now = st.now();
    let today = now.with_timezone(&chrono_tz::Europe::Brussels).date_naive();
    blocking(move || {
        let mut m = store.mission(&tenant.id, &id)?.ok_or_else(|| no_mission(&id))?;
        let what = format!("the state of mission `{id}`");
        if_match.check(Some(&state_version(m.state.as_ref())), &what)?;
        let (model, _) = load(&*store, &tenant.id, &m.model_id, &rules_dir)?;
        dashboard_json(&model, &state_doc(today, &m, Some(&state)), &calendar).map_err(|d| {
            ApiError::diagnostics(ProblemKind::InvalidModel, "the mission state does not fit the model", &d.0)
        })?;
        // The condition again, in the write: another change may have landed since the read.
        let read = m.state.clone().unwrap_or(Value::Null);
        let condition = (if_match != IfMatch::Any).then_some(&read);
        if !store.set_mission_state(&tenant.id, &id, &state, now, condition)? {
            return Err(no_mission(&id));
        }
        m.state = Some(state);
        m.updated_at = now;
        let tag = etag(&state_version(m.state.as_ref()));
        Ok::<_, ApiError>(([tag], Json(mission_view(m))))
    })
    .await
}

/// A mission's dashboard figures on a day: progress, overdue work, load per person, teams, open
/// key points and escalations.
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
    Path(id): Path<String>,
    QueryParams(q): QueryParams<DashboardQuery>,
) -> Result<Json<Value>, ApiError> {
    let as_of = match q.as_of {
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
            ApiError::new(ProblemKind::InvalidInput, format!("`as_of` is `{s}`; write a date as `YYYY-MM-DD`"))
                .at("as_of")
        })?,
        None => st.now().with_timezone(&chrono_tz::Europe::Brussels).date_naive(),
    };
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let calendar = st.0.calendar.clone();
    blocking(move || {
        let m = store.mission(&tenant.id, &id)?.ok_or_else(|| no_mission(&id))?;
        let (model, _) = load(&*store, &tenant.id, &m.model_id, &rules_dir)?;
        let d = dashboard_json(&model, &state_doc(as_of, &m, m.state.as_ref()), &calendar).map_err(|d| {
            ApiError::diagnostics(ProblemKind::InvalidModel, "the mission no longer fits its model", &d.0)
        })?;
        let v = serde_json::to_value(&d).map_err(|e| ApiError::internal("writing the dashboard", e))?;
        Ok::<_, ApiError>(Json(v))
    })
    .await
}
