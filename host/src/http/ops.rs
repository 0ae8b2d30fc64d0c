//! Operations: liveness, readiness, Prometheus metrics, the OpenAPI document, and the problem+json
//! answers for unknown routes and methods. These routes need no key.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;
use super::answers::{Health, Ready};
use super::blocking::blocking;
use super::error::{ApiError, ProblemKind};
use missions_engine::said;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "the process answers", body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: the store answers and the service is not shutting down.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "ops",
    responses((status = 200, description = "ready, with the number of packs loaded", body = Ready), (status = 503, description = "not ready", body = super::error::Problem, content_type = "application/problem+json"))
)]
pub(crate) async fn readyz(State(st): State<AppState>) -> Result<Json<Ready>, ApiError> {
    if st.stopping() {
        return Err(
            ApiError::new(ProblemKind::Unavailable, said!("host-shutting-down")).help(said!("host-help-shutting-down"))
        );
    }
    let store = st.store().clone();
    blocking(move || store.ping())
        .await
        .map_err(|_| ApiError::new(ProblemKind::Unavailable, said!("host-store-down")))?;
    let packs = st.packs().snapshot().names().count();
    let described = st.store().describe();
    let store = described.split(':').next().unwrap_or_default().to_owned();
    Ok(Json(Ready { status: "ready", packs, store }))
}

/// Prometheus metrics (OpenMetrics text).
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "OpenMetrics text", body = String, content_type = "application/openmetrics-text")))]
pub(crate) async fn metrics(State(st): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], st.metrics().encode())
}

/// Any route that does not exist: 404 in problem+json.
pub(crate) async fn not_found(req: Request) -> ApiError {
    let (method, path) = (req.method(), req.uri().path());
    ApiError::new(ProblemKind::NotFound, said!("host-no-route", method, path)).help(said!("host-help-no-route"))
}

pub(crate) async fn method_not_allowed(req: Request) -> ApiError {
    let (method, path) = (req.method(), req.uri().path());
    ApiError::new(ProblemKind::MethodNotAllowed, said!("host-method-not-allowed", method, path))
        .help(said!("host-help-method-not-allowed"))
}
