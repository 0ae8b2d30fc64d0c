//! A tenant's calendar: the days its firm is closed (24 to 31 December …). Due dates in working
//! days skip them as they skip legal holidays. A mission keeps the closure days it was planned
//! with; new ones reach it only through a migration, whose dry run shows the re-dated actions.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use missions_engine::{Calendar, clip};
use serde::Serialize;
use serde_json::Value;

use super::AppState;
use super::auth::TenantKey;
use super::blocking::blocking;
use super::body::{self, Body, object};
use super::error::{ApiError, FieldError, ProblemKind};

/// Most closure days a tenant may declare, all ranges together (ten years of a fortnight each
/// would be 140: this leaves room, and bounds the work of checking them).
pub(crate) const MAX_CLOSURE_DAYS: usize = 1_000;

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
    let mut spec = base.spec().clone();
    spec.closures.extend_from_slice(closures);
    Calendar::new(spec).map(Arc::new).map_err(|e| ApiError::internal("building the tenant's calendar", e))
}

fn date(v: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let parsed = v.as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    match parsed {
        Some(d) if (1900..=2200).contains(&d.year()) => Some(d),
        Some(_) => {
            errors.push(FieldError::new(path, "a closure day must be between 1900 and 2200"));
            None
        }
        None => {
            let shown = v.as_str().map_or_else(|| v.to_string(), clip);
            errors.push(FieldError::new(path, format!("`{}` is not a date; write `YYYY-MM-DD`", clip(&shown))));
            None
        }
    }
}

/// Read `{"closures": ["2026-12-24", {"from": "2026-12-24", "to": "2026-12-31"}]}`: days and
/// ranges (both ends included), every problem with its JSON path.
pub(crate) fn read_closures(body: &Value) -> Result<Vec<NaiveDate>, ApiError> {
    let map = object(body.clone(), "the calendar")?;
    if let Some(k) = map.keys().find(|k| *k != "closures") {
        return Err(ApiError::new(
            ProblemKind::InvalidInput,
            format!("unknown field `{}`, expected `closures`", clip(k)),
        )
        .at(clip(k)));
    }
    let Some(Value::Array(items)) = map.get("closures") else {
        return Err(ApiError::new(ProblemKind::InvalidInput, "`closures` must be an array of days and ranges")
            .at("closures")
            .help("write `{\"closures\": [\"2026-11-02\", {\"from\": \"2026-12-24\", \"to\": \"2026-12-31\"}]}`"));
    };
    let mut errors = Vec::new();
    let mut days = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("closures[{i}]");
        match item {
            Value::Object(range) => {
                if let Some(k) = range.keys().find(|k| *k != "from" && *k != "to") {
                    errors.push(FieldError::new(format!("{path}.{}", clip(k)), "a range has only `from` and `to`"));
                    continue;
                }
                let missing = Value::Null;
                let from = date(range.get("from").unwrap_or(&missing), &format!("{path}.from"), &mut errors);
                let to = date(range.get("to").unwrap_or(&missing), &format!("{path}.to"), &mut errors);
                let (Some(from), Some(to)) = (from, to) else { continue };
                if to < from {
                    errors.push(FieldError::new(
                        format!("{path}.to"),
                        format!("the range ends ({to}) before it starts ({from})"),
                    ));
                    continue;
                }
                let mut d = from;
                while d <= to && days.len() <= MAX_CLOSURE_DAYS {
                    days.push(d);
                    let Some(next) = d.succ_opt() else { break };
                    d = next;
                }
            }
            other => days.extend(date(other, &path, &mut errors)),
        }
        if days.len() > MAX_CLOSURE_DAYS {
            errors.push(FieldError::new(path, format!("more than {MAX_CLOSURE_DAYS} closure days in all")));
            break;
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::new(ProblemKind::InvalidInput, "the closure days are not valid").fields(errors));
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// Refuse closure days that leave a year without a single working day.
fn check_working_days(base: &Arc<Calendar>, days: &[NaiveDate]) -> Result<(), ApiError> {
    let calendar = calendar_with(base, days)?;
    let mut years: Vec<i32> = days.iter().map(Datelike::year).collect();
    years.dedup();
    for year in years {
        let mut d = NaiveDate::from_ymd_opt(year, 1, 1);
        let mut open = false;
        while let Some(day) = d.filter(|d| d.year() == year) {
            if calendar.is_working_day(day).map_err(|e| ApiError::internal("checking the closure days", e))? {
                open = true;
                break;
            }
            d = day.succ_opt();
        }
        if !open {
            return Err(ApiError::new(
                ProblemKind::InvalidInput,
                format!("these closure days leave no working day in {year}"),
            )
            .at("closures")
            .help("a firm closed all year cannot date any action; keep at least one working day"));
        }
    }
    Ok(())
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
    let mut n = 0;
    for model in store.models(tenant)? {
        n += store.missions_of_model(tenant, &model.id)?.iter().filter(|m| m.closures != closures).count();
    }
    Ok(n)
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
    let closures = read_closures(&body::parse_value(&bytes)?)?;
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
