//! The helpdesk ledger in SQLite: `tickets` (one row per request, with the decision and the SLA
//! it was filed under) and `ticket_events` (its status changes, appended and never changed).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use rust_decimal::Decimal;

use super::rows::{Checked, TICKET_COLUMNS, conversion, get_decimal, get_opt_json, get_ts, ticket_row, ts};
use crate::{
    BoxError, LedgerState, NewTicket, NewTicketEvent, StoreError, TicketClock, TicketDecision, TicketEvent,
    TicketRecord, TicketWithEvents,
};

/// Read the ledger, let `decide` rule, then write the ticket and draw the prepaid hours, in the
/// caller's write transaction.
pub(super) fn record_ticket(
    tx: &Transaction<'_>,
    t: &NewTicket,
    decide: &mut dyn FnMut(&LedgerState) -> std::result::Result<TicketDecision, BoxError>,
) -> Checked<TicketRecord> {
    let used: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM tickets WHERE tenant_id = ?1 AND month = ?2 AND counted = 1")?
        .query_row([&t.tenant_id, &t.month], |r| r.get(0))?;
    let prepaid = tx
        .prepare_cached("SELECT prepaid_hours FROM tenants WHERE id = ?1")?
        .query_row([&t.tenant_id], |r| get_decimal(r, 0))
        .optional()?;
    let Some(prepaid_hours) = prepaid else {
        return Ok(Err(StoreError::NotFound(crate::Record::Tenant(t.tenant_id.clone()))));
    };
    let ledger = LedgerState { used_this_month: u32::try_from(used).unwrap_or(u32::MAX), prepaid_hours };
    let d = match decide(&ledger) {
        Ok(d) => d,
        Err(e) => return Ok(Err(StoreError::Aborted(e))),
    };
    let sla = t.sla.as_ref().map(ToString::to_string);
    let sla_input = t.sla_input.as_ref().map(ToString::to_string);
    tx.prepare_cached(
        "INSERT INTO tickets (tenant_id, month, at, type, filed_by, subject, allowed, counted, over_quota, charge, deducted_hours, decision, sla, created_at, sla_input)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        t.tenant_id,
        t.month,
        t.at,
        t.kind,
        t.filed_by,
        t.subject,
        d.allowed,
        d.counted,
        d.over_quota,
        d.charge.to_string(),
        d.deducted_hours.to_string(),
        d.decision.to_string(),
        sla,
        ts(t.created_at),
        sla_input
    ])?;
    let id = tx.last_insert_rowid();
    if !d.deducted_hours.is_zero() {
        let left = prepaid_hours - d.deducted_hours;
        tx.execute("UPDATE tenants SET prepaid_hours = ?2 WHERE id = ?1", params![t.tenant_id, left.to_string()])?;
    }
    Ok(Ok(TicketRecord::recorded(id, t, d)))
}

pub(super) fn tickets(c: &Connection, tenant: &str, month: &str) -> rusqlite::Result<(Vec<TicketRecord>, Decimal)> {
    let tickets = c
        .prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = ?1 AND month = ?2 ORDER BY id"
        ))?
        .query_map([tenant, month], ticket_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let prepaid = c
        .prepare_cached("SELECT prepaid_hours FROM tenants WHERE id = ?1")?
        .query_row([tenant], |r| get_decimal(r, 0))
        .optional()?;
    Ok((tickets, prepaid.unwrap_or_default()))
}

const EVENT_COLUMNS: &str = "ticket_id, seq, at, status, recorded_at";
const EVENT_ORDER: &str = "ORDER BY ticket_id, at_us, seq";

fn event_row(row: &Row<'_>) -> rusqlite::Result<(i64, TicketEvent)> {
    let at: String = row.get(2)?;
    let at = DateTime::parse_from_rfc3339(&at).map_err(|e| conversion(2, e))?;
    let seq: i64 = row.get(1)?;
    Ok((
        row.get(0)?,
        TicketEvent {
            seq: u32::try_from(seq).map_err(|e| conversion(1, e))?,
            at,
            status: row.get(3)?,
            recorded_at: get_ts(row, 4)?,
        },
    ))
}

/// Microseconds since the epoch: the events' sort key (instants with different offsets compare
/// as instants).
fn at_us(at: &DateTime<FixedOffset>) -> i64 {
    at.timestamp_micros()
}

fn events_of(c: &Connection, ticket: i64) -> rusqlite::Result<Vec<TicketEvent>> {
    c.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = ?1 {EVENT_ORDER}"))?
        .query_map([ticket], event_row)?
        .map(|r| r.map(|(_, e)| e))
        .collect()
}

fn ticket_of(c: &Connection, tenant: &str, number: i64) -> rusqlite::Result<Option<TicketRecord>> {
    c.prepare_cached(&format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = ?1 AND id = ?2"))?
        .query_row(params![tenant, number], ticket_row)
        .optional()
}

pub(super) fn ticket(c: &Connection, tenant: &str, number: i64) -> rusqlite::Result<Option<TicketWithEvents>> {
    let Some(ticket) = ticket_of(c, tenant, number)? else { return Ok(None) };
    Ok(Some(TicketWithEvents { events: events_of(c, number)?, ticket }))
}

pub(super) fn append_event(
    tx: &Transaction<'_>,
    tenant: &str,
    number: i64,
    event: &NewTicketEvent,
    max_events: usize,
) -> Checked<TicketWithEvents> {
    let Some(ticket) = ticket_of(tx, tenant, number)? else {
        return Ok(Err(StoreError::NotFound(crate::Record::Ticket(number))));
    };
    let count: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ?1")?
        .query_row([number], |r| r.get(0))?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= max_events {
        return Ok(Err(StoreError::Conflict(crate::Record::TicketEvents { ticket: number, max: max_events })));
    }
    tx.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, seq, at, at_us, status, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        number,
        count + 1,
        event.at.to_rfc3339(),
        at_us(&event.at),
        event.status,
        ts(event.recorded_at)
    ])?;
    Ok(Ok(TicketWithEvents { events: events_of(tx, number)?, ticket }))
}

/// Every ticket of a tenant with its events: two queries, whatever the number of tickets.
pub(super) fn clocks(c: &Connection, tenant: &str) -> rusqlite::Result<Vec<TicketClock>> {
    let mut events: HashMap<i64, Vec<TicketEvent>> = HashMap::new();
    let mut stmt = c.prepare_cached(
        "SELECT e.ticket_id, e.seq, e.at, e.status, e.recorded_at FROM ticket_events e
         JOIN tickets t ON t.id = e.ticket_id WHERE t.tenant_id = ?1 ORDER BY e.ticket_id, e.at_us, e.seq",
    )?;
    for row in stmt.query_map([tenant], event_row)? {
        let (id, e) = row?;
        events.entry(id).or_default().push(e);
    }
    c.prepare_cached("SELECT id, at, type, subject, sla_input FROM tickets WHERE tenant_id = ?1 ORDER BY id")?
        .query_map([tenant], |r| {
            let id: i64 = r.get(0)?;
            Ok(TicketClock {
                id,
                at: r.get(1)?,
                kind: r.get(2)?,
                subject: r.get(3)?,
                sla_input: get_opt_json(r, 4)?,
                events: events.remove(&id).unwrap_or_default(),
            })
        })?
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use rusqlite::Connection;
    use serde_json::json;

    use crate::migrations::MIGRATIONS;
    use crate::{SqliteStore, Store};

    #[test]
    fn tickets_filed_before_events_existed_take_their_sla_input_from_their_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut c = Connection::open(&path).unwrap();
            let tx = c.transaction().unwrap();
            for sql in &MIGRATIONS[..7] {
                tx.execute_batch(sql).unwrap();
            }
            tx.pragma_update(None, "user_version", 7).unwrap();
            tx.execute_batch(
                r#"INSERT INTO tenants VALUES ('a', 'A', '2026-03-02', 'nav', '0', '2026-11-01T00:00:00Z');
                INSERT INTO tickets (tenant_id, month, at, type, filed_by, allowed, counted, over_quota, charge, deducted_hours, decision, sla, created_at)
                VALUES ('a', '2026-11', '2026-11-20T10:00:00+01:00', 2, 'master', 1, 0, 0, '0', '0', '{}',
                    '{"contract":"nav","category":"software_incident","priority":"P2","opened":"2026-11-20T10:00:00+01:00","deadline":"x"}',
                    '2026-11-20T09:00:00Z'),
                ('a', '2026-11', '2026-11-20T10:00:00+01:00', 1, 'user', 0, 0, 0, '0', '0', '{}', NULL, '2026-11-20T09:00:00Z');"#,
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let s = SqliteStore::open(&path).unwrap();
        let clocks = s.ticket_clocks("a").unwrap();
        assert_eq!(
            clocks[0].sla_input,
            Some(
                json!({"contract": "nav", "category": "software_incident", "priority": "P2", "opened": "2026-11-20T10:00:00+01:00"})
            )
        );
        assert_eq!(clocks[1].sla_input, None);
    }
}
