//! A tenant's calendar: the days its firm is closed (24 to 31 December …). Due dates in working
//! days skip them as they skip legal holidays. A mission keeps the closure days it was planned
//! with; new ones reach it only through a migration, whose dry run shows the re-dated actions.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use missions_engine::{Calendar, said};
use serde::Serialize;
use serde_json::Value;

use super::AppState;
use super::auth::TenantKey;
use super::blocking::blocking;
use super::body::{self, Body};
use super::error::{ApiError, FieldError, ProblemKind};
use crate::service::closures;

/// `GET` and `PUT /v1/tenant/calendar`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct TenantCalendar {
    /// Every closure day, sorted.
    #[schema(value_type = Vec<String>)]
    pub closures: Vec<NaiveDate>,
    /// How many of the tenant's missions are dated with other closure days: they are re-dated
    /// only by migrating them (`POST /v1/models/{id}/migrate`, whose dry run shows the new dates).
    pub missions_with_other_closures: usize,
}

/// The business calendar with a tenant's closure days added to the host's.
pub(crate) fn calendar_with(base: &Arc<Calendar>, closures: &[NaiveDate]) -> Result<Arc<Calendar>, ApiError> {
    if closures.is_empty() {
        return Ok(base.clone());
    }
    closures::calendar_with(base, closures)
        .map(Arc::new)
        .map_err(|e| ApiError::internal("building the tenant's calendar", e))
}

/// Read the body's closure days, every problem with its JSON path.
fn read(body: &Value) -> Result<Vec<NaiveDate>, ApiError> {
    closures::read_closures(body).map_err(|problems| {
        let fields = problems.into_iter().map(|p| FieldError::said(p.path, &p.message)).collect();
        ApiError::new(ProblemKind::InvalidInput, said!("host-closures-invalid"))
            .fields(fields)
            .help(said!("host-help-closures-invalid"))
    })
}

/// Refuse closure days that leave a year without a single working day.
fn check_working_days(base: &Arc<Calendar>, days: &[NaiveDate]) -> Result<(), ApiError> {
    let calendar = calendar_with(base, days)?;
    match closures::year_without_working_day(&calendar, days) {
        Ok(None) => Ok(()),
        Ok(Some(year)) => Err(ApiError::new(ProblemKind::InvalidInput, said!("host-closures-no-working-day", year))
            .at("closures")
            .help(said!("host-help-closures-no-working-day"))),
        Err(e) => Err(ApiError::internal("checking the closure days", e)),
    }
}

/// The tenant's closure days.
#[utoipa::path(get, path = "/v1/tenant/calendar", tag = "missions", responses((status = 200, description = "the closure days", body = TenantCalendar)), security(("api_key" = [])))]
pub(crate) async fn show(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
) -> Result<Json<TenantCalendar>, ApiError> {
    let store = st.store().clone();
    blocking(move || {
        let closures = store.tenant_closures(&tenant.id)?;
        let missions_with_other_closures = missions_with_other(&*store, &tenant.id, &closures)?;
        Ok::<_, ApiError>(Json(TenantCalendar { closures, missions_with_other_closures }))
    })
    .await
}

fn missions_with_other(
    store: &dyn missions_store::Store,
    tenant: &str,
    closures: &[NaiveDate],
) -> Result<usize, ApiError> {
    Ok(store.mission_heads(tenant, None)?.iter().filter(|m| m.closures != closures).count())
}

/// Replace the tenant's closure days: `{"closures": ["2026-11-02", {"from": "2026-12-24", "to":
/// "2026-12-31"}]}`. New missions are dated with them; running ones keep theirs until migrated.
#[utoipa::path(
    put,
    path = "/v1/tenant/calendar",
    tag = "missions",
    request_body(content = Object, example = json!({"closures": [{"from": "2026-12-24", "to": "2026-12-31"}]})),
    responses((status = 200, description = "the closure days now", body = TenantCalendar), (status = 422, description = "invalid days, or no working day left in a year", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn put(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Body(bytes): Body,
) -> Result<Json<TenantCalendar>, ApiError> {
    let closures = read(&body::parse_value(&bytes)?)?;
    let store = st.store().clone();
    let base = st.0.calendar.clone();
    let now = st.now();
    blocking(move || {
        check_working_days(&base, &closures)?;
        store.set_tenant_closures(&tenant.id, &closures, now)?;
        let missions_with_other_closures = missions_with_other(&*store, &tenant.id, &closures)?;
        Ok::<_, ApiError>(Json(TenantCalendar { closures, missions_with_other_closures }))
    })
    .await
}
