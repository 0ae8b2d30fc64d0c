//! The typed answers of the routes whose shape is fixed: the handlers serialise these very
//! structs, so the OpenAPI document describes what is sent. (Entry outputs, dashboards and plans
//! are documents of their own, described where they are produced.)

use chrono::{DateTime, NaiveDate, Utc};
use missions_engine::Diagnostic;
use missions_store::{AuditEntry, PackVersionRecord, PluginRecord, Tenant, TicketRecord};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::service::LiveVersion;

/// `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// `GET /readyz`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Ready {
    /// Always `ready` (a service that is not answers 503).
    pub status: &'static str,
    /// How many packs are loaded.
    pub packs: usize,
    /// The kind of store that answered (`sqlite` or `postgres`); its address is not shown.
    pub store: String,
}

/// `POST /v1/admin/tenants`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TenantCreated {
    /// The tenant.
    pub tenant: Tenant,
    /// Its API key, shown this once: only its hash is stored.
    pub api_key: String,
}

/// `GET /v1/admin/tenants`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TenantList {
    /// Every tenant.
    pub tenants: Vec<Tenant>,
}

/// `GET /v1/admin/audit`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditPage {
    /// The records, oldest first.
    pub entries: Vec<AuditEntry>,
    /// Pass it as `after` for the next page; `null` on the last page.
    pub next_after: Option<i64>,
}

/// `PUT` and `GET` of one tenant's plugin.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PluginAnswer {
    /// The plugin.
    pub plugin: PluginRecord,
}

/// `GET /v1/admin/tenants/{id}/plugins`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PluginList {
    /// The tenant's plugins, by name.
    pub plugins: Vec<PluginRecord>,
}

/// `GET /v1/admin/tenants/{id}/plugins/{name}/history`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PluginHistory {
    /// Every change, oldest first.
    pub history: Vec<missions_store::PluginHistoryEntry>,
}

/// `POST /v1/admin/tenants/{id}/plugins/{name}/rollback`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PluginRolledBack {
    /// The plugin as it is enabled now.
    pub plugin: PluginRecord,
    /// The history entry it was enabled again from.
    pub restored: u64,
}

/// One model in `GET /v1/models`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ModelListed {
    /// Its id.
    pub id: String,
    /// Its latest version's number.
    pub version: i64,
    /// SHA-256 of its text: its `ETag`.
    pub digest: String,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// `GET /v1/models/{id}/versions`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ModelVersions {
    /// The model.
    pub model: String,
    /// Its saved versions, oldest first.
    pub versions: Vec<missions_store::ModelVersionInfo>,
}

/// `GET /v1/models`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ModelList {
    /// The tenant's models, by id.
    pub models: Vec<ModelListed>,
}

/// A loaded version of a pack, in `GET /v1/packs`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VersionView {
    /// Its version, as `pack.yaml` writes it.
    pub version: String,
    /// The first day it applies to.
    pub effective_from: NaiveDate,
    /// The engine's digest (results carry it).
    pub digest: String,
    /// Its entries.
    pub entries: Vec<String>,
    /// Its activation number in the store (versions loaded from the store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    /// When it was activated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activated_at: Option<DateTime<Utc>>,
    /// Where it came from (`api`, `files:<folder>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `active` (in force today), `scheduled` (later `effective_from`) or `superseded`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
}

/// A pack's loaded versions (`GET /v1/packs/{pack}`; each of `GET /v1/packs`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PackView {
    /// The pack.
    pub name: String,
    /// The version in force today, if one is.
    pub active: Option<String>,
    /// Its loaded versions, oldest `effective_from` first.
    pub versions: Vec<VersionView>,
    /// For the admin key only: every version ever activated, rolled-back ones included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<PackVersionRecord>>,
}

/// `GET /v1/packs`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PackList {
    /// Every loaded pack.
    pub packs: Vec<PackView>,
}

/// What `PUT /v1/admin/packs/{pack}` did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PackActivated {
    /// The version now loaded.
    pub activated: LiveVersion,
    /// False when the same files were already active (nothing changed).
    pub changed: bool,
    /// Golden cases run and passed.
    pub cases: usize,
    /// `active`, `scheduled` or `superseded`.
    pub status: &'static str,
}

/// `GET /v1/admin/packs/{pack}`: the files of the newest version still in force.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PackFiles {
    /// The pack.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The first day it applies to.
    pub effective_from: NaiveDate,
    /// The engine's digest: the `ETag` to send back in `If-Match`.
    pub digest: String,
    /// Its activation number.
    pub seq: i64,
    /// Every file, by path relative to the pack folder.
    pub files: std::collections::BTreeMap<String, String>,
}

/// What `POST /v1/admin/packs/{pack}/rollback` did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RolledBack {
    /// The activation undone.
    pub rolled_back: LiveVersion,
    /// The pack's versions served now.
    pub serving: Vec<LiveVersion>,
}

/// A mission: `GET /v1/missions/{id}`, and the answer to a change of its state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MissionView {
    /// Its id.
    pub id: String,
    /// The model it was planned from.
    pub model: String,
    /// The version of the model it follows (its state and dashboard are read against it).
    pub model_version: i64,
    /// That version's digest.
    pub model_digest: String,
    /// The planning input (client, dates, people).
    #[schema(value_type = Object)]
    pub input: Value,
    /// The plan: every action with its due date and assignees.
    #[schema(value_type = Object)]
    pub plan: Value,
    /// The recorded state (`actions`, `key_points`), `null` before any.
    #[schema(value_type = Option<Object>)]
    pub state: Option<Value>,
    /// The tenant's closure days it is dated with.
    #[schema(value_type = Vec<String>)]
    pub closures: Vec<chrono::NaiveDate>,
    /// Its migrations, oldest first.
    #[schema(value_type = Vec<MigrationRecord>)]
    pub history: Vec<Value>,
    /// When it was planned.
    pub created_at: DateTime<Utc>,
    /// When its state last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /v1/missions`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MissionCreated {
    /// Its id.
    pub id: String,
    /// The model it was planned from.
    pub model: String,
    /// The version of the model it follows.
    pub model_version: i64,
    /// The plan, as `missions plan --json` prints it.
    #[schema(value_type = Object)]
    pub plan: Value,
}

/// A stored model, as `PUT` and `GET /v1/models/{id}` answer it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ModelSummary {
    /// Its id.
    pub id: String,
    /// Its `version:`, when it has one.
    pub version: Option<String>,
    /// The number of this saved version (1 for the first save).
    pub saved_version: i64,
    /// SHA-256 of its text: its `ETag`.
    pub digest: String,
    /// The languages its labels are written in.
    pub languages: Vec<String>,
    /// How many phases, all `extends` merged.
    pub phases: usize,
    /// How many actions.
    pub actions: usize,
    /// When it was saved.
    pub updated_at: DateTime<Utc>,
    /// What validation warns about (it is stored all the same).
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<Diagnostic>,
    /// How many of the tenant's missions on this model stay on older versions (`PUT` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missions_on_older_versions: Option<usize>,
    /// What the tenant's `lint-model` plugins found (`PUT` only; in the `Accept-Language`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plugin_findings: Vec<crate::service::hooks::Finding>,
    /// The YAML text (`GET` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `POST /v1/tickets`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketFiled {
    /// The ticket as the ledger keeps it.
    pub ticket: TicketRecord,
    /// The esomus `helpdesk` output for it, with `pack`.
    #[schema(value_type = Object)]
    pub decision: Value,
    /// The norriq `sla` output for the tenant's contract, with `pack`.
    #[schema(value_type = Object)]
    pub sla: Value,
}

/// `GET /v1/usage`: a month of the tenant's ledger.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Usage {
    /// The tenant.
    pub tenant: String,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Requests filed.
    pub requests: usize,
    /// Requests by type (`"1"`, `"2"`, `"3"`).
    pub by_type: std::collections::BTreeMap<String, u32>,
    /// Requests counted against the quota.
    pub counted: u32,
    /// Counted requests past the included ones.
    pub over_quota: u32,
    /// Requests the rules did not allow.
    pub refused: u32,
    /// What the month's requests cost, a decimal string.
    pub charges: String,
    /// Prepaid hours they used, a decimal string.
    pub deducted_hours: String,
    /// Prepaid hours left, a decimal string.
    pub prepaid_hours_left: String,
    /// The month's tickets.
    pub tickets: Vec<TicketRecord>,
}

/// A ticket, its status changes and its clock.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketView {
    /// The ticket as the ledger keeps it.
    pub ticket: TicketRecord,
    /// Its status changes, in time order.
    pub events: Vec<missions_store::TicketEvent>,
    /// The norriq `sla` output for its events as of now (`as_of`), with `pack`: deadline,
    /// warnings, elapsed and remaining working minutes, `state`; null for a ticket filed without
    /// an SLA.
    #[schema(value_type = Option<Object>)]
    pub sla: Option<Value>,
}

/// A ticket in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListedTicket {
    /// Its number.
    pub number: i64,
    /// When it was filed.
    pub at: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// How many status changes it has.
    pub events: usize,
    /// Its clock; absent when it has none (`error` then says why).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub clock: Option<crate::service::clocks::ClockSummary>,
    /// Why its clock could not be computed, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ClockProblem>,
}

/// Why a listed ticket has no clock.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ClockProblem {
    /// `no_sla` (filed without an SLA), `output` (the pack version answers no clock), or the kind
    /// of the evaluation's error (`invalid_input`, `rule_refused`, …).
    pub kind: String,
    /// What went wrong.
    pub message: String,
    /// The pack version that answered, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pack: Option<PackRef>,
}

/// A pack version, as answers name it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PackRef {
    /// The pack's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The first day it applies to.
    #[schema(value_type = String, example = "2026-01-01")]
    pub effective_from: chrono::NaiveDate,
    /// SHA-256 over its files.
    pub digest: String,
}

/// `GET /v1/tickets`: a page of the tenant's tickets and their clocks.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketList {
    /// The instant the clocks were read at.
    pub as_of: String,
    /// How many tickets match, over all pages.
    pub count: usize,
    /// This page, by number.
    pub tickets: Vec<ListedTicket>,
    /// The `after` of the next page; null on the last.
    pub next_after: Option<i64>,
}

/// `POST /v1/admin/tenants/{id}/keys`: a new key, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KeyIssued {
    /// The tenant.
    pub tenant: String,
    /// The key's public id, to revoke it later.
    pub key_id: String,
    /// The key, shown this once: only its hash is stored.
    pub api_key: String,
    /// When it was issued.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /v1/admin/tenants/{id}/keys`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KeyList {
    /// The tenant.
    pub tenant: String,
    /// Its keys, valid and revoked, oldest first (never the keys themselves).
    pub keys: Vec<missions_store::ApiKeyInfo>,
}

/// One migration of a mission, as its history keeps it (oldest first).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct MigrationRecord {
    /// When it was applied.
    pub migrated_at: chrono::DateTime<chrono::Utc>,
    /// The model version it left.
    pub from_version: i64,
    /// The model version it moved to.
    pub to_version: i64,
    /// Whether the tenant's closure days changed with it.
    pub closures_changed: bool,
    /// Old action → new action, as asked.
    pub map: std::collections::BTreeMap<String, String>,
    /// Old actions whose recorded work was to be dropped, as asked.
    pub drop: Vec<String>,
    /// The actions whose recorded work was dropped.
    pub dropped_work: Vec<String>,
    /// The key that migrated it (its id), when known.
    pub by: Option<String>,
}
