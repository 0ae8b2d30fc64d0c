//! SLA clocks of the helpdesk ledger. A ticket's status changes are appended to the ledger
//! (`POST /v1/tickets/{number}/events`), never edited; its clock is the norriq `sla` entry
//! evaluated on the input the ticket was filed with, all its events in time order and `as_of`
//! now. Nothing of the clock is stored: a late event, or a new version of the pack, is just
//! another evaluation. `GET /v1/tickets` evaluates the clocks of all the tenant's tickets to
//! filter them by state or warning.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, Utc};
use missions_store::{NewTicketEvent, StoreError, TicketEvent, TicketWithEvents};
use serde::Deserialize;
use serde_json::Value;

use super::AppState;
use super::answers::{ClockProblem, ListedTicket, PackRef, TicketList, TicketView};
use super::auth::TenantKey;
use super::blocking::blocking;
use super::body::{JsonBody, QueryParams};
use super::error::{ApiError, FieldError, ProblemKind};
use super::packs::{run, select, select_error};
use super::tickets::{parse_at, tickets_unavailable};
use crate::service::clocks::{
    ClockSource, ListedClock, ListingError, SlaState, as_of, clock_input, filed_on, listed_clocks,
};
use missions_engine::said;

/// The most status changes a ticket holds (the `sla` entry's limit).
pub(crate) const MAX_TICKET_EVENTS: usize = 1000;
/// How far in the future a status change may be dated: the clocks of the client and the
/// service may differ by that much.
const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// A status change of a ticket.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventRequest {
    /// The new status, as the SLA rules name it: `waiting_customer` (pauses the clock),
    /// `in_progress` (resumes it), `analysis_started` (stops it).
    status: String,
    /// When the status changed (RFC 3339 with offset); default now. It may be earlier than
    /// changes already recorded; not later than now.
    #[serde(default)]
    at: Option<String>,
}

/// Query of `GET /v1/tickets`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct TicketQuery {
    /// Only the tickets whose clock is in this state now.
    sla_state: Option<SlaState>,
    /// Only the tickets whose clock has passed this warning (a percent of the target the pack
    /// warns at, 50 or 80) and whose analysis has not started.
    warning: Option<u8>,
    /// Return tickets numbered after this one (the `next_after` of the previous page).
    after: Option<i64>,
    /// Page size, 1 to 10000; default 100.
    limit: Option<usize>,
}

fn number(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
        let number = missions_engine::clip(text);
        ApiError::new(ProblemKind::InvalidInput, said!("host-not-a-ticket-number", number))
            .at("number")
            .help(said!("host-help-ticket-number"))
    })
}

/// An instant without its fraction of a second.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t - chrono::TimeDelta::nanoseconds(i64::from(t.timestamp_subsec_nanos()))
}

/// A listed clock as the answer shows it.
fn listed_ticket(l: ListedClock) -> ListedTicket {
    let t = l.ticket;
    let (clock, error) = match l.clock {
        Ok(c) => (Some(c), None),
        Err(e) => {
            let pack = e.pack.map(|id| PackRef {
                name: id.name,
                version: id.version,
                effective_from: id.effective_from,
                digest: id.digest,
            });
            (None, Some(ClockProblem { kind: e.kind, message: e.message, pack }))
        }
    };
    ListedTicket { number: t.id, at: t.at, kind: t.kind, subject: t.subject, events: t.events.len(), clock, error }
}

fn no_ticket(n: i64) -> ApiError {
    ApiError::new(ProblemKind::NotFound, said!("host-no-ticket", n)).help(said!("host-help-no-ticket"))
}

/// The clock of one ticket as of now, evaluated (and audited) like any evaluation.
async fn clock(st: &AppState, tenant: &str, t: &TicketWithEvents) -> Result<Option<Value>, ApiError> {
    let rules = &st.0.tickets;
    let Some(filed) = &t.ticket.sla_input else { return Ok(None) };
    let pack = select(st, &rules.sla_pack, filed_on(&t.ticket.at)).map_err(|e| tickets_unavailable(rules, e))?;
    let input = clock_input(filed, &t.events, &as_of(st.now()));
    Ok(Some(run(st, tenant, pack, &rules.sla_entry, input, false).await?.value()?))
}

/// An input error of the clock at `events[k]`, where `k` is the new event, rewritten at the
/// request body's field.
fn at_body(mut e: ApiError, k: usize) -> ApiError {
    let prefix = format!("events[{k}].");
    let mut moved = false;
    for f in &mut e.problem.errors {
        if let Some(rest) = f.path.strip_prefix(&prefix) {
            let mut g = FieldError::new(rest, f.message.replacen(&prefix, "", 1));
            g.messages = f.messages.take();
            *f = g;
            moved = true;
        }
    }
    if moved {
        e = e.help(said!("host-help-event-field"));
    }
    e
}

/// Record a status change of a ticket, and answer the ticket with its clock as of now.
///
/// The change is checked by evaluating the clock with it first (an unknown status, or an
/// instant before the ticket was opened, is refused at its field and nothing is written). A
/// change dated before changes already recorded is accepted: the clock is recomputed from all of
/// them in time order.
#[utoipa::path(
    post,
    path = "/v1/tickets/{number}/events",
    tag = "tickets",
    params(("number" = i64, Path, description = "the ticket's number")),
    request_body(content = EventRequest, example = json!({"status": "waiting_customer", "at": "2026-12-01T10:00:00+01:00"})),
    responses(
        (status = 201, description = "the ticket, its status changes and its clock as of now", body = TicketView),
        (status = 404, description = "no such ticket for this tenant", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid status change, or the ticket holds 1000 already", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the SLA pack is not loaded, the evaluation threads are busy, or the clock took too long", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn add_event(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(n): Path<String>,
    JsonBody(req): JsonBody<EventRequest>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let n = number(&n)?;
    let now = st.now();
    // Left out, `at` is now in whole seconds, as the ledger dates tickets.
    let at: DateTime<FixedOffset> = parse_at(req.at.as_deref(), whole_seconds(now))?;
    if at.to_utc() > now + CLOCK_SKEW {
        let (at, now) = (at.to_rfc3339(), as_of(now));
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-event-in-future", at, now))
            .at("at")
            .help(said!("host-help-event-in-future")));
    }
    let store = st.store().clone();
    let t = (tenant.id.clone(), n);
    let Some(mut current) = blocking(move || store.ticket(&t.0, t.1)).await? else { return Err(no_ticket(n)) };
    if current.ticket.sla_input.is_none() {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-ticket-without-sla", n)).at("number"));
    }
    if current.events.len() >= MAX_TICKET_EVENTS {
        return Err(full(n));
    }
    let event = NewTicketEvent { at, status: req.status.clone(), recorded_at: now };
    // Where the change falls in time: after every change at the same instant or earlier.
    let k = current.events.partition_point(|e| e.at <= at);
    current.events.insert(k, TicketEvent { seq: 0, at, status: req.status, recorded_at: now });
    let sla = clock(&st, &tenant.id, &current).await.map_err(|e| at_body(e, k))?;
    let store = st.store().clone();
    let id = tenant.id.clone();
    let recorded = blocking(move || match store.append_ticket_event(&id, n, &event, MAX_TICKET_EVENTS) {
        Err(StoreError::Conflict(_)) => Err(full(n)),
        other => other.map_err(ApiError::from),
    })
    .await?;
    // Another change recorded meanwhile: the answer includes it.
    let sla =
        if recorded.events.len() == current.events.len() { sla } else { clock(&st, &tenant.id, &recorded).await? };
    Ok((StatusCode::CREATED, Json(TicketView { ticket: recorded.ticket, events: recorded.events, sla })))
}

fn full(n: i64) -> ApiError {
    let most = MAX_TICKET_EVENTS;
    ApiError::new(ProblemKind::InvalidInput, said!("host-ticket-full", n, most))
        .at("status")
        .help(said!("host-help-ticket-full"))
}

/// A ticket with its status changes and its SLA clock as of now.
#[utoipa::path(
    get,
    path = "/v1/tickets/{number}",
    tag = "tickets",
    params(("number" = i64, Path, description = "the ticket's number")),
    responses(
        (status = 200, description = "the ticket, its status changes and its clock as of now", body = TicketView),
        (status = 404, description = "no such ticket for this tenant", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the SLA pack is not loaded, the evaluation threads are busy, or the clock took too long", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn show(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(n): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    let n = number(&n)?;
    let store = st.store().clone();
    let id = tenant.id.clone();
    let Some(t) = blocking(move || store.ticket(&id, n)).await? else { return Err(no_ticket(n)) };
    let sla = clock(&st, &tenant.id, &t).await?;
    Ok(Json(TicketView { ticket: t.ticket, events: t.events, sla }))
}

/// The tenant's tickets with their SLA clocks as of now, by number; filtered by the clock's
/// state, or by a warning passed before analysis started (`?warning=80`: the tickets past 80 %
/// of their target and not started yet).
///
/// Every ticket's clock is computed from its events at each call (the state changes with time);
/// a ticket whose clock cannot be computed is listed with `error` and matches no filter.
#[utoipa::path(
    get,
    path = "/v1/tickets",
    tag = "tickets",
    params(TicketQuery),
    responses(
        (status = 200, description = "a page of the tenant's tickets with their clocks", body = TicketList),
        (status = 422, description = "bad query", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the SLA pack is not loaded, the evaluation threads are busy, or the clock took too long", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn list(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    QueryParams(q): QueryParams<TicketQuery>,
) -> Result<Json<TicketList>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=10_000).contains(&limit) {
        let most = 10_000;
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-limit", limit, most)).at("limit"));
    }
    if let Some(w) = q.warning.filter(|w| !(1..=100).contains(w)) {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-warning", w)).at("warning"));
    }
    let now = st.now();
    let store = st.store().clone();
    let id = tenant.id.clone();
    let tickets = blocking(move || store.ticket_clocks(&id)).await?;
    let rules = &st.0.tickets;
    let src =
        ClockSource { registry: st.packs().clone(), pack: rules.sla_pack.clone(), entry: rules.sla_entry.clone(), now };
    let listed =
        match tokio::time::timeout(st.0.limits.eval_timeout * 4, listed_clocks(&src, tickets, &as_of(now))).await {
            Ok(Ok(listed)) => listed,
            Ok(Err(ListingError::Select(e))) => return Err(tickets_unavailable(rules, select_error(e))),
            Ok(Err(ListingError::Thread(e))) => return Err(ApiError::internal("listing tickets", e)),
            Err(_) => {
                return Err(ApiError::new(ProblemKind::EvaluationTimeout, said!("host-clocks-too-long"))
                    .help(said!("host-help-retry-later")));
            }
        };
    if let Some(w) = q.warning {
        let offered: std::collections::BTreeSet<u8> = listed
            .iter()
            .filter_map(|t| t.clock.as_ref().ok())
            .flat_map(|c| c.warnings.iter().map(|x| x.percent))
            .collect();
        if !offered.is_empty() && !offered.contains(&w) {
            let list = offered.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-warning-not-offered", w, list))
                .at("warning")
                .help(said!("host-help-warning-not-offered", list)));
        }
    }
    let after = q.after.unwrap_or(0);
    let mut selected: Vec<ListedTicket> = listed
        .into_iter()
        .filter(|t| {
            if q.sla_state.is_none() && q.warning.is_none() {
                return true;
            }
            t.clock.as_ref().is_ok_and(|c| c.matches(q.sla_state, q.warning, now))
        })
        .map(listed_ticket)
        .collect();
    let count = selected.len();
    selected.retain(|t| t.number > after);
    let next_after = if selected.len() > limit { selected.get(limit - 1).map(|t| t.number) } else { None };
    selected.truncate(limit);
    Ok(Json(TicketList { as_of: as_of(now), count, tickets: selected, next_after }))
}
