//! The helpdesk ledger. `POST /v1/tickets` records a request: the SLA deadline comes from the
//! `norriq` `sla` entry, and the esomus `helpdesk` decision is taken inside the store's write
//! transaction with the count of the tenant's requests already counted that month, so two
//! simultaneous requests can never both take the last included slot. `GET /v1/usage` sums a
//! month.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat, Utc};
use missions_engine::{EvalError, EvalOptions, clip, said};
use missions_store::{BoxError, NewTicket, TicketDecision};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::answers::{TicketFiled, Usage};
use super::auth::TenantKey;
use super::blocking::blocking;
use super::body::{JsonBody, QueryParams};
use super::error::{ApiError, ProblemKind};
use super::packs::{AuditInput, audit_input, pack_json};
use super::packs::{audit, run, select};
use super::{AppState, TicketRules};

/// A helpdesk request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TicketRequest {
    /// 1 usage or configuration help (counted against the monthly quota), 2 bug (unlimited),
    /// 3 emergency (whole system blocked).
    #[serde(rename = "type")]
    kind: u8,
    /// `master` (the client's Master) or `user`.
    filed_by: String,
    /// When it was filed (RFC 3339 with offset); default now.
    #[serde(default)]
    at: Option<String>,
    /// A short description (at most 500 characters).
    #[serde(default)]
    subject: Option<String>,
    /// SLA priority (`P1`, `P2`, `P3`); default by type: bug P2, emergency P1.
    #[serde(default)]
    priority: Option<String>,
    /// SLA category; default by type: help `support`, bug and emergency `software_incident`.
    #[serde(default)]
    category: Option<String>,
    /// Emergency off hours: the caller is a person the client recognised.
    #[serde(default)]
    caller_recognised: Option<bool>,
}

/// Query of `GET /v1/usage`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct UsageQuery {
    /// The month, `YYYY-MM`; default the current one.
    month: Option<String>,
}

fn decimal(v: &Value, key: &str) -> Decimal {
    match v.get(key) {
        Some(Value::String(s)) => s.parse().unwrap_or_default(),
        Some(Value::Number(n)) => n.to_string().parse().unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

/// The day the month of `day` closes for billing: `grace` days after its last day.
fn closed_since(day: NaiveDate, grace: u32) -> Option<NaiveDate> {
    let next_month = day.with_day(1)?.checked_add_months(chrono::Months::new(1))?;
    next_month.checked_add_days(chrono::Days::new(u64::from(grace)))
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Record a helpdesk request and return the decision and the SLA deadline.
///
/// `decision` is the esomus `helpdesk` output for this request, given the requests already
/// counted this month in the ledger (`included_this_month`, `over_quota`, `charge`, or prepaid
/// `deducted_hours`); `sla` is the norriq `sla` output for the tenant's contract. A request the
/// rules do not allow (`decision.allowed` false) is recorded too, and counts for nothing.
#[utoipa::path(
    post,
    path = "/v1/tickets",
    tag = "tickets",
    request_body(content = TicketRequest, example = json!({"type": 1, "filed_by": "master", "subject": "how do I add a phase?"})),
    responses(
        (status = 201, description = "the ticket, the helpdesk decision and the SLA deadline", body = TicketFiled),
        (status = 422, description = "invalid request", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the helpdesk or SLA pack is not loaded", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn create(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    JsonBody(req): JsonBody<TicketRequest>,
) -> Result<(StatusCode, Json<TicketFiled>), ApiError> {
    let rules = st.0.tickets.clone();
    if !(1..=3).contains(&req.kind) {
        let kind = req.kind;
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-ticket-type", kind)).at("type"));
    }
    if req.subject.as_ref().is_some_and(|s| s.chars().count() > 500) {
        let most = 500;
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-subject-too-long", most)).at("subject"));
    }
    let now = st.now();
    let at = parse_at(req.at.as_deref(), now)?;
    if (at.to_utc() - now).abs() > rules.at_window {
        let (at, days, now) = (
            at.to_rfc3339_opts(SecondsFormat::Secs, true),
            rules.at_window.num_days(),
            now.to_rfc3339_opts(SecondsFormat::Secs, true),
        );
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-ticket-at-far", at, days, now))
            .at("at")
            .help(said!("host-help-ticket-at-far")));
    }
    let unavailable = |e: ApiError| tickets_unavailable(&rules, e);
    let helpdesk = select(&st, &rules.helpdesk_pack, Some(at.with_timezone(&chrono_tz::Europe::Brussels).date_naive()))
        .map_err(unavailable)?;
    let tz = helpdesk.timezone();
    let local = at.with_timezone(&tz);
    let helpdesk = select(&st, &rules.helpdesk_pack, Some(local.date_naive())).map_err(unavailable)?;
    let sla_pack = select(&st, &rules.sla_pack, Some(local.date_naive())).map_err(unavailable)?;
    let month = format!("{:04}-{:02}", local.year(), local.month());
    if let Some(closed) = closed_since(local.date_naive(), rules.billing_grace_days)
        && now.with_timezone(&tz).date_naive() >= closed
    {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-month-closed", month, closed))
            .at("at")
            .help(said!("host-help-month-closed")));
    }
    let at_text = local.fixed_offset().to_rfc3339_opts(SecondsFormat::Secs, true);

    // The deadline does not depend on the ledger: computed first, outside the transaction.
    let (category, priority) = match req.kind {
        1 => ("support", None),
        2 => ("software_incident", Some("P2")),
        _ => ("software_incident", Some("P1")),
    };
    let mut sla_input = json!({"contract": tenant.sla_contract, "category": req.category.as_deref().unwrap_or(category), "opened": at_text});
    if let Some(p) = req.priority.as_deref().or(priority) {
        sla_input["priority"] = json!(p);
    }
    let sla = run(&st, &tenant.id, sla_pack, &rules.sla_entry, sla_input.clone(), false).await?.value()?;

    let new = NewTicket {
        tenant_id: tenant.id.clone(),
        month: month.clone(),
        at: at_text.clone(),
        kind: req.kind,
        filed_by: req.filed_by.clone(),
        subject: req.subject.clone(),
        sla: Some(sla.clone()),
        sla_input: Some(sla_input),
        created_at: st.now(),
    };
    let store = st.store().clone();
    let pack = helpdesk.clone();
    let entry = rules.helpdesk_entry.clone();
    let subscription_start = tenant.subscription_start;
    let (kind, filed_by, caller_recognised) = (req.kind, req.filed_by.clone(), req.caller_recognised.unwrap_or(false));
    let metrics = st.metrics().clone();
    let recorded = blocking(move || {
        let mut evaluated: Option<(AuditInput, Result<Value, EvalError>)> = None;
        let result = store.record_ticket(&new, &mut |ledger| {
            let input = json!({
                "subscription_start": subscription_start,
                "at": new.at,
                "type": kind,
                "filed_by": filed_by,
                "used_this_month": ledger.used_this_month,
                "prepaid_hours": ledger.prepaid_hours.to_string(),
                "ticket_filed": kind == 3,
                "caller_recognised": caller_recognised,
            });
            let digest = audit_input(&pack, &entry, &input);
            let started = std::time::Instant::now();
            let out = pack.eval_with(&entry, &input, EvalOptions::default()).map(|e| e.output.into_value());
            metrics.evaluation_time(&pack.id().name, &entry, started.elapsed().as_secs_f64());
            evaluated = Some((digest, out.clone()));
            let output = out.map_err(|e| -> BoxError { Box::new(ApiError::eval(&e)) })?;
            let allowed = flag(&output, "allowed");
            Ok(TicketDecision {
                allowed,
                counted: allowed && flag(&output, "counts_against_quota"),
                over_quota: allowed && flag(&output, "over_quota"),
                charge: if allowed { decimal(&output, "charge") } else { Decimal::ZERO },
                deducted_hours: if allowed { decimal(&output, "deducted_hours") } else { Decimal::ZERO },
                decision: output,
            })
        });
        Ok::<_, ApiError>((result, evaluated))
    })
    .await?;
    let (result, evaluated) = recorded;
    let id = helpdesk.id();
    if let Some((digest, out)) = evaluated {
        let (ok, res, outcome) = match &out {
            Ok(v) => (true, v.to_string(), "ok"),
            Err(e) => (false, e.to_json().to_string(), e.kind()),
        };
        st.metrics().evaluation(&id.name, &rules.helpdesk_entry, outcome);
        audit(&st, &tenant.id, id, &rules.helpdesk_entry, digest, ok, res).await;
    }
    let ticket = result.map_err(|e| {
        let mut api: ApiError = e.into();
        if api.kind() != ProblemKind::Internal {
            api = api.with("pack", pack_json(id));
        }
        api
    })?;
    st.metrics().ticket();
    let mut decision = ticket.decision.clone();
    if let Value::Object(o) = &mut decision {
        o.insert("pack".into(), pack_json(id));
    }
    Ok((StatusCode::CREATED, Json(TicketFiled { ticket, decision, sla })))
}

/// `at` of a request: an RFC 3339 instant with offset, or now when absent.
pub(super) fn parse_at(at: Option<&str>, now: DateTime<Utc>) -> Result<DateTime<FixedOffset>, ApiError> {
    match at {
        Some(s) => DateTime::parse_from_rfc3339(s).map_err(|e| {
            let at = clip(s);
            ApiError::new(ProblemKind::InvalidInput, said!("host-bad-instant", at, e))
                .at("at")
                .help(said!("host-help-bad-instant"))
        }),
        None => Ok(now.fixed_offset()),
    }
}

/// A missing helpdesk or SLA pack, as the service being unavailable rather than a bad request.
pub(super) fn tickets_unavailable(rules: &TicketRules, e: ApiError) -> ApiError {
    if e.kind() == ProblemKind::UnknownPack {
        let (helpdesk, sla, missing) = (&rules.helpdesk_pack, &rules.sla_pack, &e.problem.detail);
        ApiError::new(ProblemKind::Unavailable, said!("host-tickets-need-packs", helpdesk, sla, missing))
            .help(said!("host-help-tickets-need-packs"))
    } else {
        e
    }
}

fn month_ok(m: &str) -> bool {
    NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok() && m.len() == 7
}

/// A tenant's helpdesk usage in a month: requests by type, how many counted against the quota,
/// how many were beyond it, what they cost, and the prepaid hours they took.
#[utoipa::path(
    get,
    path = "/v1/usage",
    tag = "tickets",
    params(UsageQuery),
    responses((status = 200, description = "the month's requests, what they counted and cost", body = Usage), (status = 422, description = "bad month", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn usage(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    QueryParams(q): QueryParams<UsageQuery>,
) -> Result<Json<Usage>, ApiError> {
    let month = match q.month {
        Some(m) if month_ok(&m) => m,
        Some(m) => {
            return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-month", m)).at("month"));
        }
        None => st.now().with_timezone(&chrono_tz::Europe::Brussels).format("%Y-%m").to_string(),
    };
    let store = st.store().clone();
    let (t, m) = (tenant.id.clone(), month.clone());
    let (tickets, prepaid_left) = blocking(move || store.tickets(&t, &m)).await?;
    let mut by_type: BTreeMap<String, u32> = BTreeMap::new();
    let (mut counted, mut over, mut refused) = (0u32, 0u32, 0u32);
    let (mut charges, mut hours) = (Decimal::ZERO, Decimal::ZERO);
    for t in &tickets {
        *by_type.entry(t.kind.to_string()).or_default() += 1;
        counted += u32::from(t.counted);
        over += u32::from(t.over_quota);
        refused += u32::from(!t.allowed);
        charges += t.charge;
        hours += t.deducted_hours;
    }
    Ok(Json(Usage {
        tenant: tenant.id.clone(),
        month,
        requests: tickets.len(),
        by_type,
        counted,
        over_quota: over,
        refused,
        charges: format!("{charges:.2}"),
        deducted_hours: hours.to_string(),
        prepaid_hours_left: prepaid_left.to_string(),
        tickets,
    }))
}
