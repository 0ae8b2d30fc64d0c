//! The helpdesk ledger's records: tickets with the decision and the SLA they were filed under,
//! and their status changes, which drive their SLA clocks. Events are appended and never edited:
//! a late one (earlier than the last recorded) is kept in its place in time, and the clock is
//! recomputed from all of them by the host.

use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// What the ledger says before a ticket is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerState {
    /// Requests of the tenant already counted against the quota in the ticket's month.
    pub used_this_month: u32,
    /// Prepaid hours the tenant has left.
    pub prepaid_hours: Decimal,
}

/// What the rules decided about a ticket; the store records it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketDecision {
    /// The request may be filed.
    pub allowed: bool,
    /// It counts against the monthly quota.
    pub counted: bool,
    /// It is beyond the quota.
    pub over_quota: bool,
    /// What it costs.
    pub charge: Decimal,
    /// Prepaid hours it takes.
    pub deducted_hours: Decimal,
    /// The full decision, as the rules returned it.
    pub decision: serde_json::Value,
}

/// A helpdesk request to record.
#[derive(Debug, Clone)]
pub struct NewTicket {
    /// The tenant.
    pub tenant_id: String,
    /// Its calendar month (`2026-11`) in the rules' timezone.
    pub month: String,
    /// When it was filed (RFC 3339).
    pub at: String,
    /// Its type (1 usage help, 2 bug, 3 emergency).
    pub kind: u8,
    /// Who filed it (`master`, `user`).
    pub filed_by: String,
    /// A short description.
    pub subject: Option<String>,
    /// The SLA the ticket runs under.
    pub sla: Option<serde_json::Value>,
    /// The input of the SLA entry that gave `sla`, to recompute its clock from its events.
    pub sla_input: Option<serde_json::Value>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A recorded helpdesk request.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TicketRecord {
    /// Its number in the ledger.
    pub id: i64,
    /// The tenant.
    #[serde(skip)]
    #[schema(ignore)]
    pub tenant_id: String,
    /// Its month.
    pub month: String,
    /// When it was filed.
    pub at: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Who filed it.
    pub filed_by: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// It could be filed.
    pub allowed: bool,
    /// It counted against the quota.
    pub counted: bool,
    /// It was beyond the quota.
    pub over_quota: bool,
    /// What it cost.
    #[serde(serialize_with = "decimal_string")]
    #[schema(value_type = String)]
    pub charge: Decimal,
    /// The prepaid hours it took.
    #[serde(serialize_with = "decimal_string")]
    #[schema(value_type = String)]
    pub deducted_hours: Decimal,
    /// The rules' decision.
    #[serde(skip)]
    #[schema(ignore)]
    pub decision: serde_json::Value,
    /// The SLA.
    #[serde(skip)]
    #[schema(ignore)]
    pub sla: Option<serde_json::Value>,
    /// The input of the SLA entry that gave `sla`.
    #[serde(skip)]
    #[schema(ignore)]
    pub sla_input: Option<serde_json::Value>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

impl TicketRecord {
    /// `t` as recorded under number `id` with decision `d`.
    pub(crate) fn recorded(id: i64, t: &NewTicket, d: TicketDecision) -> Self {
        Self {
            id,
            tenant_id: t.tenant_id.clone(),
            month: t.month.clone(),
            at: t.at.clone(),
            kind: t.kind,
            filed_by: t.filed_by.clone(),
            subject: t.subject.clone(),
            allowed: d.allowed,
            counted: d.counted,
            over_quota: d.over_quota,
            charge: d.charge,
            deducted_hours: d.deducted_hours,
            decision: d.decision,
            sla: t.sla.clone(),
            sla_input: t.sla_input.clone(),
            created_at: chrono::SubsecRound::trunc_subsecs(t.created_at, 6),
        }
    }
}

fn decimal_string<S: serde::Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(d)
}

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
