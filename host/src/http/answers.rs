//! The typed answers of the routes whose shape is fixed: the handlers serialise these very
//! structs, so the OpenAPI document describes what is sent. (Entry outputs, dashboards and plans
//! are documents of their own, described where they are produced.)

use chrono::{DateTime, NaiveDate, Utc};
use missions_store::{AuditEntry, PackVersionRecord, PluginRecord, Tenant};
use serde::Serialize;
use utoipa::ToSchema;

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

/// One model in `GET /v1/models`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ModelListed {
    /// Its id.
    pub id: String,
    /// SHA-256 of its text: its `ETag`.
    pub digest: String,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
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
