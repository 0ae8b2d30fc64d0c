//! The status changes of helpdesk tickets, which drive their SLA clocks. Events are appended and
//! never edited: a late one (earlier than the last recorded) is kept in its place in time, and
//! the clock is recomputed from all of them by the host.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::TicketRecord;

/// A status change to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicketEvent {
    /// When the status changed, with the offset it was given in.
    pub at: DateTime<FixedOffset>,
    /// The new status, as the SLA rules name it (`waiting_customer`, `in_progress`, …).
    pub status: String,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A recorded status change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TicketEvent {
    /// Its number among the ticket's events, in the order they were recorded (from 1).
    pub seq: u32,
    /// When the status changed.
    #[schema(value_type = String, example = "2026-12-01T10:00:00+01:00")]
    pub at: DateTime<FixedOffset>,
    /// The new status.
    pub status: String,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A ticket with its status changes, in time order (events at the same instant in the order
/// they were recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct TicketWithEvents {
    /// The ticket.
    pub ticket: TicketRecord,
    /// Its status changes.
    pub events: Vec<TicketEvent>,
}

/// What an SLA clock needs of a ticket, for listing many: lighter than [`TicketWithEvents`].
#[derive(Debug, Clone, PartialEq)]
pub struct TicketClock {
    /// Its number in the ledger.
    pub id: i64,
    /// When it was filed.
    pub at: String,
    /// Its type.
    pub kind: u8,
    /// Its description.
    pub subject: Option<String>,
    /// The input of the SLA entry it was filed with (`contract`, `category`, `priority`,
    /// `opened`); `None` for a ticket recorded without an SLA.
    pub sla_input: Option<serde_json::Value>,
    /// Its status changes, in time order.
    pub events: Vec<TicketEvent>,
}
