//! The helpdesk ledger in PostgreSQL. Recording a ticket locks the tenant's row first, so two
//! replicas filing for one tenant take turns: the count of the month's requests, the decision
//! and the insert happen with no other ticket of the tenant in between.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgConnection};

use super::rows::{TICKET_COLUMNS, backend, get, get_opt_json, ticket_row};
use crate::{
    BoxError, LedgerState, NewTicket, NewTicketEvent, Result, StoreError, TicketClock, TicketDecision, TicketEvent,
    TicketRecord, TicketWithEvents,
};

pub(super) async fn record_ticket(
    c: &mut PgConnection,
    t: &NewTicket,
    decide: &mut dyn FnMut(&LedgerState) -> std::result::Result<TicketDecision, BoxError>,
) -> Result<TicketRecord> {
    let prepaid: Option<Decimal> = sqlx::query_scalar("SELECT prepaid_hours FROM tenants WHERE id = $1 FOR UPDATE")
        .bind(&t.tenant_id)
        .fetch_optional(&mut *c)
        .await
        .map_err(backend)?;
    let Some(prepaid_hours) = prepaid else {
        return Err(StoreError::NotFound(crate::Record::Tenant(t.tenant_id.clone())));
    };
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE tenant_id = $1 AND month = $2 AND counted")
        .bind(&t.tenant_id)
        .bind(&t.month)
        .fetch_one(&mut *c)
        .await
        .map_err(backend)?;
    let ledger = LedgerState { used_this_month: u32::try_from(used).unwrap_or(u32::MAX), prepaid_hours };
    let d = decide(&ledger).map_err(StoreError::Aborted)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (tenant_id, month, at, type, filed_by, subject, allowed, counted, over_quota, charge,
                              deducted_hours, decision, sla, created_at, sla_input)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(&t.tenant_id)
    .bind(&t.month)
    .bind(&t.at)
    .bind(i16::from(t.kind))
    .bind(&t.filed_by)
    .bind(&t.subject)
    .bind(d.allowed)
    .bind(d.counted)
    .bind(d.over_quota)
    .bind(d.charge)
    .bind(d.deducted_hours)
    .bind(d.decision.to_string())
    .bind(t.sla.as_ref().map(ToString::to_string))
    .bind(t.created_at)
    .bind(t.sla_input.as_ref().map(ToString::to_string))
    .fetch_one(&mut *c)
    .await
    .map_err(backend)?;
    if !d.deducted_hours.is_zero() {
        sqlx::query("UPDATE tenants SET prepaid_hours = $2 WHERE id = $1")
            .bind(&t.tenant_id)
            .bind(prepaid_hours - d.deducted_hours)
            .execute(&mut *c)
            .await
            .map_err(backend)?;
    }
    Ok(TicketRecord::recorded(id, t, d))
}

pub(super) async fn tickets(c: &mut PgConnection, tenant: &str, month: &str) -> Result<(Vec<TicketRecord>, Decimal)> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND month = $2 ORDER BY id"
    )))
    .bind(tenant)
    .bind(month)
    .fetch_all(&mut *c)
    .await
    .map_err(backend)?;
    let tickets = rows.iter().map(ticket_row).collect::<Result<Vec<_>>>()?;
    let prepaid: Option<Decimal> = sqlx::query_scalar("SELECT prepaid_hours FROM tenants WHERE id = $1")
        .bind(tenant)
        .fetch_optional(c)
        .await
        .map_err(backend)?;
    Ok((tickets, prepaid.unwrap_or(Decimal::ZERO)))
}

fn event_row(row: &PgRow) -> Result<(i64, TicketEvent)> {
    let at: String = get(row, 2)?;
    let at = DateTime::parse_from_rfc3339(&at).map_err(|e| StoreError::Backend(format!("event time `{at}`: {e}")))?;
    let seq: i32 = get(row, 1)?;
    Ok((
        get(row, 0)?,
        TicketEvent {
            seq: u32::try_from(seq).map_err(|e| StoreError::Backend(format!("event number {seq}: {e}")))?,
            at,
            status: get(row, 3)?,
            recorded_at: get(row, 4)?,
        },
    ))
}

async fn events_of(c: &mut PgConnection, ticket: i64) -> Result<Vec<TicketEvent>> {
    let rows = sqlx::query(
        "SELECT ticket_id, seq, at, status, recorded_at FROM ticket_events WHERE ticket_id = $1 ORDER BY at_us, seq",
    )
    .bind(ticket)
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter().map(|r| event_row(r).map(|(_, e)| e)).collect()
}

async fn ticket_of(c: &mut PgConnection, tenant: &str, number: i64, lock: bool) -> Result<Option<TicketRecord>> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2{lock}"
    )))
    .bind(tenant)
    .bind(number)
    .fetch_optional(c)
    .await
    .map_err(backend)?;
    row.as_ref().map(ticket_row).transpose()
}

pub(super) async fn ticket(c: &mut PgConnection, tenant: &str, number: i64) -> Result<Option<TicketWithEvents>> {
    let Some(ticket) = ticket_of(c, tenant, number, false).await? else { return Ok(None) };
    Ok(Some(TicketWithEvents { events: events_of(c, number).await?, ticket }))
}

/// Microseconds since the epoch: the events' sort key (instants with different offsets compare
/// as instants).
fn at_us(at: &DateTime<FixedOffset>) -> i64 {
    at.timestamp_micros()
}

pub(super) async fn append_event(
    c: &mut PgConnection,
    tenant: &str,
    number: i64,
    event: &NewTicketEvent,
    max_events: usize,
) -> Result<TicketWithEvents> {
    // The ticket's row is the lock: two changes to one ticket cannot both take the same number.
    let Some(ticket) = ticket_of(c, tenant, number, true).await? else {
        return Err(StoreError::NotFound(crate::Record::Ticket(number)));
    };
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1")
        .bind(number)
        .fetch_one(&mut *c)
        .await
        .map_err(backend)?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= max_events {
        return Err(StoreError::Conflict(crate::Record::TicketEvents { ticket: number, max: max_events }));
    }
    let seq = i32::try_from(count + 1).map_err(|e| StoreError::Backend(e.to_string()))?;
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, seq, at, at_us, status, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(number)
    .bind(seq)
    .bind(event.at.to_rfc3339())
    .bind(at_us(&event.at))
    .bind(&event.status)
    .bind(event.recorded_at)
    .execute(&mut *c)
    .await
    .map_err(backend)?;
    Ok(TicketWithEvents { events: events_of(c, number).await?, ticket })
}

/// Every ticket of a tenant with its events: two queries, whatever the number of tickets.
pub(super) async fn clocks(c: &mut PgConnection, tenant: &str) -> Result<Vec<TicketClock>> {
    let mut events: HashMap<i64, Vec<TicketEvent>> = HashMap::new();
    let rows = sqlx::query(
        "SELECT e.ticket_id, e.seq, e.at, e.status, e.recorded_at FROM ticket_events e
         JOIN tickets t ON t.id = e.ticket_id WHERE t.tenant_id = $1 ORDER BY e.ticket_id, e.at_us, e.seq",
    )
    .bind(tenant)
    .fetch_all(&mut *c)
    .await
    .map_err(backend)?;
    for row in &rows {
        let (id, e) = event_row(row)?;
        events.entry(id).or_default().push(e);
    }
    let rows = sqlx::query("SELECT id, at, type, subject, sla_input FROM tickets WHERE tenant_id = $1 ORDER BY id")
        .bind(tenant)
        .fetch_all(c)
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|r| {
            let id: i64 = get(r, 0)?;
            let kind: i16 = get(r, 2)?;
            Ok(TicketClock {
                id,
                at: get(r, 1)?,
                kind: u8::try_from(kind).map_err(|e| StoreError::Backend(format!("ticket type {kind}: {e}")))?,
                subject: get(r, 3)?,
                sla_input: get_opt_json(r, 4)?,
                events: events.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}
