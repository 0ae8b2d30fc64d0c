//! The HTTP host's state (tenants, keys, pack versions, models, missions, the ticket ledger and
//! the audit log) behind one trait, [`Store`], with two implementations: the embedded SQLite one
//! ([`SqliteStore`], one process) and PostgreSQL ([`PgStore`], several replicas). Methods are blocking: the HTTP layer calls them from
//! `spawn_blocking`, and every tenant-scoped method takes the tenant and filters on it. The store
//! knows nothing of the engine: it keeps records, and the host gives them meaning.
#![deny(missing_docs)]

#[cfg(test)]
mod contract;
mod migrations;
mod missions;
mod postgres;
mod record;
mod sqlite;
mod tickets;
mod url;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

pub use missions::{MissionHead, MissionMigration, MissionRecord, ModelRecord, ModelSaved, ModelVersionInfo};
pub use postgres::PgStore;
pub use record::Record;
pub use sqlite::SqliteStore;
pub use tickets::{
    LedgerState, NewTicket, NewTicketEvent, TicketClock, TicketDecision, TicketEvent, TicketRecord, TicketWithEvents,
};
pub use url::{StoreUrl, open, parse_url};

/// An error raised by the `decide` callback of [`Store::record_ticket`], handed back unchanged.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The `--db` URL names no store this build supports.
    #[error("unsupported store URL `{0}`")]
    UnsupportedUrl(String),
    /// The database could not be opened or migrated.
    #[error("cannot open the store at `{path}`: {message}")]
    Open {
        /// The file or URL.
        path: String,
        /// Why.
        message: String,
    },
    /// The database was written by a newer build.
    #[error("the store's schema version is {found}, newer than the {known} this build knows")]
    TooNew {
        /// The schema version found.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// Something with the same key exists already.
    #[error("{0} already exists")]
    Conflict(Record),
    /// The record a change refers to does not exist.
    #[error("{0} does not exist")]
    NotFound(Record),
    /// The record changed since the version the change was made from (`If-Match`).
    #[error("{0} changed since it was read")]
    Stale(Record),
    /// The `decide` callback of [`Store::record_ticket`] refused; nothing was written.
    #[error("{0}")]
    Aborted(BoxError),
    /// The database failed.
    #[error("store failure: {0}")]
    Backend(String),
}

/// Results of store calls.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A customer firm using the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tenant {
    /// Its identifier (`dupont-peeters`).
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The start of its Missions-Manager subscription (the helpdesk quota depends on it).
    #[schema(value_type = String, example = "2026-03-02")]
    pub subscription_start: NaiveDate,
    /// Its NORRIQ SLA contract (`nav` or `crm`), for ticket deadlines.
    pub sla_contract: String,
    /// When it was created.
    #[schema(value_type = String)]
    pub created_at: DateTime<Utc>,
}

/// A tenant to create.
#[derive(Debug, Clone)]
pub struct NewTenant {
    /// Its identifier.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The start of its subscription.
    pub subscription_start: NaiveDate,
    /// Its SLA contract.
    pub sla_contract: String,
    /// Prepaid parametrisation hours it holds (over-quota helpdesk requests draw on them).
    pub prepaid_hours: Decimal,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A tenant API key as stored: its public id and the SHA-256 of the whole key, never the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// The public part of the key, used to find it.
    pub key_id: String,
    /// SHA-256 of the key.
    pub hash: [u8; 32],
    /// The tenant it acts for.
    pub tenant_id: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}

/// A tenant API key as listed: never its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiKeyInfo {
    /// The public part of the key (`mk_<key_id>_…`).
    pub key_id: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it was revoked; absent while it is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// One activated version of a rule pack, with every file it was activated from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PackVersionRecord {
    /// Activation number, increasing: the order versions were activated in.
    pub seq: i64,
    /// The pack's name.
    pub name: String,
    /// Its version as written in `pack.yaml`.
    pub version: String,
    /// The first day it applies to.
    pub effective_from: NaiveDate,
    /// The engine's digest of the pack (what evaluation results carry).
    pub digest: String,
    /// SHA-256 over every file, golden cases included.
    pub bundle_digest: String,
    /// The files, by path relative to the pack folder.
    #[serde(skip)]
    #[schema(ignore)]
    pub files: BTreeMap<String, String>,
    /// Where it came from (`api`, `files:<folder>`).
    pub source: String,
    /// When it was activated.
    pub activated_at: DateTime<Utc>,
    /// When it was rolled back, if it was.
    pub rolled_back_at: Option<DateTime<Utc>>,
}

impl PackVersionRecord {
    /// `v` as recorded under activation number `seq` (instants kept to the microsecond, as the
    /// stores keep them).
    pub(crate) fn recorded(seq: i64, v: &NewPackVersion) -> Self {
        Self {
            seq,
            name: v.name.clone(),
            version: v.version.clone(),
            effective_from: v.effective_from,
            digest: v.digest.clone(),
            bundle_digest: v.bundle_digest.clone(),
            files: v.files.clone(),
            source: v.source.clone(),
            activated_at: chrono::SubsecRound::trunc_subsecs(v.activated_at, 6),
            rolled_back_at: None,
        }
    }
}

/// A pack version to record.
#[derive(Debug, Clone)]
pub struct NewPackVersion {
    /// The pack's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The first day it applies to.
    pub effective_from: NaiveDate,
    /// The engine's digest.
    pub digest: String,
    /// SHA-256 over every file.
    pub bundle_digest: String,
    /// The files.
    pub files: BTreeMap<String, String>,
    /// Where it came from.
    pub source: String,
    /// When.
    pub activated_at: DateTime<Utc>,
}

/// One evaluation, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`admin` or a tenant id).
    pub tenant: String,
    /// The pack.
    pub pack: String,
    /// The entry.
    pub entry: String,
    /// The pack version used.
    pub version: String,
    /// Its digest.
    pub digest: String,
    /// SHA-256 of the input JSON.
    pub input_sha256: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// The output, or the error, as JSON text (serialised once, for the response and the log).
    pub result: String,
    /// The id of the request it came from (`X-Request-Id`), when it came over HTTP.
    pub request_id: Option<String>,
    /// The input as JSON text, with the fields its schema marks personal masked; `None` when it
    /// is not kept.
    pub input: Option<String>,
}

/// Which recorded inputs to read back ([`Store::recorded_inputs`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputQuery {
    /// Only this pack's.
    pub pack: Option<String>,
    /// Only this entry's.
    pub entry: Option<String>,
    /// Only those recorded at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only the newest this many of those the other filters select (still read oldest first).
    pub newest: Option<u32>,
}

/// An evaluation's input as the audit log kept it, to replay it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedInput {
    /// Position in the log; page with `after`.
    pub id: i64,
    /// When it was evaluated.
    pub at: DateTime<Utc>,
    /// Who sent it (`admin` or a tenant id).
    pub tenant: String,
    /// The pack.
    pub pack: String,
    /// The entry.
    pub entry: String,
    /// The input (personal fields masked).
    pub input: serde_json::Value,
}

/// An audit record as read back, with its position in the log.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Position in the log, increasing; page with `after`.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`admin` or a tenant id).
    pub tenant: String,
    /// The pack.
    pub pack: String,
    /// The entry.
    pub entry: String,
    /// The pack version used.
    pub version: String,
    /// Its digest.
    pub digest: String,
    /// SHA-256 of the input JSON.
    pub input_sha256: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// The output, or the error.
    pub result: serde_json::Value,
    /// The id of the request it came from (`X-Request-Id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A plugin a tenant enabled: which component (by the sha256 of its bytes), with which
/// configuration and limits. The tenant's plugins adjust its quotes in the order of their names.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PluginRecord {
    /// The name the plugin gives itself (`volume-discount`).
    pub name: String,
    /// The version it gives itself.
    pub version: String,
    /// SHA-256 of the component's bytes, in hex.
    pub digest: String,
    /// The tenant's configuration of it (what the plugin's `config()` reads).
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// Its limits for this tenant (defaults where unset).
    pub limits: PluginLimits,
    /// When it was enabled or last changed.
    #[schema(value_type = String)]
    pub enabled_at: DateTime<Utc>,
}

impl PluginRecord {
    /// Whether `other` enables the same code with the same configuration and limits (when or
    /// under which version label aside).
    pub fn same_state(&self, other: &PluginRecord) -> bool {
        self.digest == other.digest && self.config == other.config && self.limits == other.limits
    }
}

/// What changed a tenant's plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PluginChange {
    /// Enabled, or its code, configuration or limits replaced.
    Enabled,
    /// Disabled.
    Disabled,
    /// An earlier entry of its history enabled again (`restored` names it).
    RolledBack,
}

impl PluginChange {
    fn as_str(self) -> &'static str {
        match self {
            PluginChange::Enabled => "enabled",
            PluginChange::Disabled => "disabled",
            PluginChange::RolledBack => "rolled_back",
        }
    }
}

/// One entry of a tenant's plugin history: the change and the plugin as it was after it (for
/// `disabled`, as it was when disabled). Entries are never changed or removed.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PluginHistoryEntry {
    /// Its number in the plugin's history, from 1.
    pub seq: u64,
    /// What happened.
    pub change: PluginChange,
    /// The entry a rollback enabled again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<u64>,
    /// The plugin: name, version, digest, configuration and limits; `enabled_at` is when the
    /// change was made.
    pub plugin: PluginRecord,
}

/// A tenant's limits for one plugin; an unset limit takes the host's default (50 ms, 32 MiB,
/// no fuel).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PluginLimits {
    /// The deadline of a call, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u64>,
    /// The memory cap, in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u64>,
    /// The fuel of a call (a deterministic cost meter), unlimited when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuel: Option<u64>,
}

/// A request that carries an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentRequest {
    /// Whose key: a tenant id, or `admin`.
    pub principal: String,
    /// The key the client chose.
    pub key: String,
    /// The method and route (`POST /v1/tickets`).
    pub route: String,
    /// SHA-256 of the body.
    pub body_sha256: String,
}

/// What the store knows of an idempotency key when it is claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First seen now; the request may run.
    New,
    /// Seen before, for this route and body (or not: compare them).
    Seen {
        /// The route of the first request.
        route: String,
        /// The body digest of the first request.
        body_sha256: String,
        /// Its answer, once it has one: status and body.
        answer: Option<(u16, String)>,
    },
}

/// The service's persistent state. Implementations are shared between threads; each method is
/// atomic on its own.
pub trait Store: Send + Sync + fmt::Debug {
    /// What the store is, for people (`sqlite://data/missions.db`).
    fn describe(&self) -> String;
    /// Check the store answers.
    fn ping(&self) -> Result<()>;

    /// A setting (`admin_key_hash` …).
    fn setting(&self, key: &str) -> Result<Option<String>>;
    /// Set a setting unless it is set; returns whether it was written.
    fn set_setting_if_absent(&self, key: &str, value: &str) -> Result<bool>;

    /// Create a tenant and its first API key together.
    fn create_tenant(&self, tenant: &NewTenant, key: &ApiKeyRecord) -> Result<Tenant>;
    /// Every tenant, by id.
    fn tenants(&self) -> Result<Vec<Tenant>>;
    /// One tenant.
    fn tenant(&self, id: &str) -> Result<Option<Tenant>>;
    /// An API key by its public id (revoked keys are not returned).
    fn api_key(&self, key_id: &str) -> Result<Option<ApiKeyRecord>>;
    /// Issue another key to an existing tenant (`NotFound` when there is no such tenant).
    fn add_api_key(&self, key: &ApiKeyRecord) -> Result<()>;
    /// Every key of a tenant, valid and revoked, oldest first.
    fn api_keys(&self, tenant: &str) -> Result<Vec<ApiKeyInfo>>;
    /// Revoke a tenant's key at `at`, and answer it as now listed: `NotFound` when the tenant
    /// has no such key, `Conflict` when it is revoked already.
    fn revoke_api_key(&self, tenant: &str, key_id: &str, at: DateTime<Utc>) -> Result<ApiKeyInfo>;

    /// Every recorded version of `name` (of every pack when `None`), in activation order.
    fn pack_versions(&self, name: Option<&str>) -> Result<Vec<PackVersionRecord>>;
    /// Record a newly activated version.
    fn add_pack_version(&self, version: &NewPackVersion) -> Result<PackVersionRecord>;
    /// Mark the version activated as `seq` rolled back.
    fn mark_rolled_back(&self, seq: i64, at: DateTime<Utc>) -> Result<()>;
    /// Where the pack log stands: the last activation number and how many versions were rolled
    /// back. Any activation or rollback, by any process, changes it; replicas poll it.
    fn pack_log_head(&self) -> Result<(i64, i64)>;

    /// Save a tenant's model as its next version (its `version` field is ignored); a text equal
    /// to the latest version's records no new one. With `if_digest`, only if the latest version
    /// has that digest (else [`StoreError::Stale`]), checked in the write.
    fn put_model(&self, tenant: &str, model: &ModelRecord, if_digest: Option<&str>) -> Result<ModelSaved>;
    /// A tenant's model, its latest version.
    fn model(&self, tenant: &str, id: &str) -> Result<Option<ModelRecord>>;
    /// Every model of a tenant, each its latest version.
    fn models(&self, tenant: &str) -> Result<Vec<ModelRecord>>;
    /// Every saved version of a tenant's model, oldest first (empty when there is no such model).
    fn model_versions(&self, tenant: &str, id: &str) -> Result<Vec<ModelVersionInfo>>;
    /// One saved version of a tenant's model.
    fn model_version(&self, tenant: &str, id: &str, version: i64) -> Result<Option<ModelRecord>>;

    /// Record a new mission.
    fn create_mission(&self, tenant: &str, mission: &MissionRecord) -> Result<()>;
    /// A tenant's mission.
    fn mission(&self, tenant: &str, id: &str) -> Result<Option<MissionRecord>>;
    /// The model, version and closure days of a tenant's missions (of one model when `model_id`
    /// is given), by id: enough to count those behind, without reading plans and states.
    fn mission_heads(&self, tenant: &str, model_id: Option<&str>) -> Result<Vec<MissionHead>>;
    /// Replace a mission's state, checked against version `model_version` of its model; returns
    /// whether the mission exists. The mission must still follow that version, and with
    /// `if_state` still have that state (`null` for none yet); else [`StoreError::Stale`],
    /// checked in the write.
    fn set_mission_state(
        &self,
        tenant: &str,
        id: &str,
        state: &serde_json::Value,
        at: DateTime<Utc>,
        model_version: i64,
        if_state: Option<&serde_json::Value>,
    ) -> Result<bool>;
    /// Move missions to other versions of their model, all or none: each only if it is still on
    /// the version and state it was read with (else [`StoreError::Stale`], and nothing changes).
    fn migrate_missions(&self, tenant: &str, migrations: &[MissionMigration]) -> Result<()>;

    /// A tenant's closure days (its firm is closed), sorted.
    fn tenant_closures(&self, tenant: &str) -> Result<Vec<NaiveDate>>;
    /// Replace a tenant's closure days.
    fn set_tenant_closures(&self, tenant: &str, closures: &[NaiveDate], at: DateTime<Utc>) -> Result<()>;

    /// Record a helpdesk request atomically: read the ledger (requests already counted in the
    /// ticket's month, prepaid hours left), let `decide` rule on it, then write the ticket and
    /// draw the prepaid hours, all in one transaction that no other ticket of the tenant can
    /// interleave with. When `decide` fails nothing is written and its error comes back as
    /// [`StoreError::Aborted`].
    fn record_ticket(
        &self,
        ticket: &NewTicket,
        decide: &mut dyn FnMut(&LedgerState) -> Result<TicketDecision, BoxError>,
    ) -> Result<TicketRecord>;
    /// A tenant's tickets of a month, in order, with its prepaid hours left.
    fn tickets(&self, tenant: &str, month: &str) -> Result<(Vec<TicketRecord>, Decimal)>;
    /// A tenant's ticket by its number, with its status changes in time order.
    fn ticket(&self, tenant: &str, number: i64) -> Result<Option<TicketWithEvents>>;
    /// Append a status change to a tenant's ticket, and return the ticket with all its changes
    /// in time order. `NotFound` when the tenant has no such ticket, `Conflict` when it holds
    /// `max_events` already.
    fn append_ticket_event(
        &self,
        tenant: &str,
        number: i64,
        event: &NewTicketEvent,
        max_events: usize,
    ) -> Result<TicketWithEvents>;
    /// Every ticket of a tenant, by number, with what its SLA clock needs.
    fn ticket_clocks(&self, tenant: &str) -> Result<Vec<TicketClock>>;

    /// Enable a plugin for a tenant, or replace its code, configuration or limits; the
    /// component's bytes are stored once per digest. Returns whether it was newly enabled.
    fn put_plugin(&self, tenant: &str, plugin: &PluginRecord, wasm: &[u8]) -> Result<bool>;
    /// A tenant's enabled plugins, by name.
    fn plugins(&self, tenant: &str) -> Result<Vec<PluginRecord>>;
    /// The bytes of a stored component.
    fn plugin_code(&self, digest: &str) -> Result<Option<Vec<u8>>>;
    /// Disable a tenant's plugin at `now` (recorded in its history); returns whether it was enabled.
    fn delete_plugin(&self, tenant: &str, name: &str, now: DateTime<Utc>) -> Result<bool>;
    /// Every change to a tenant's plugin `name`, oldest first; empty when it never had one.
    fn plugin_history(&self, tenant: &str, name: &str) -> Result<Vec<PluginHistoryEntry>>;
    /// Enable entry `seq` of the plugin's history again, as it was, from `now`: recorded as a
    /// `rolled_back` entry. `NotFound` when there is no such entry, `Conflict` when it is a
    /// `disabled` one or the plugin is enabled as that entry left it already.
    fn rollback_plugin(&self, tenant: &str, name: &str, seq: u64, now: DateTime<Utc>) -> Result<PluginRecord>;

    // Idempotency keys.
    /// Claim `req`'s key for its principal: a key seen within `ttl` returns what is known of its
    /// first request; a new one is recorded as in progress. Keys older than `ttl` are forgotten.
    fn claim_idempotency(&self, req: &IdempotentRequest, now: DateTime<Utc>, ttl: chrono::TimeDelta) -> Result<Claim>;
    /// Keep the answer to a claimed key, for the retries.
    fn finish_idempotency(&self, principal: &str, key: &str, status: u16, response: &str) -> Result<()>;
    /// Forget a claimed key whose request failed inside the service, so a retry runs again.
    fn release_idempotency(&self, principal: &str, key: &str) -> Result<()>;

    /// Append evaluations to the audit log, all or none.
    fn append_audit(&self, records: &[AuditRecord]) -> Result<()>;
    /// Audit entries after position `after`, oldest first, at most `limit`.
    fn audit(&self, after: i64, limit: u32, tenant: Option<&str>) -> Result<Vec<AuditEntry>>;
    /// The kept inputs of the evaluations `query` selects, after position `after`, oldest first,
    /// at most `limit`.
    fn recorded_inputs(&self, query: &InputQuery, after: i64, limit: u32) -> Result<Vec<RecordedInput>>;
    /// Delete the audit records older than `before`; returns how many went.
    fn purge_audit(&self, before: DateTime<Utc>) -> Result<u64>;
}
