//! The records of mission models and missions: every saved version of a model, kept immutable,
//! and the missions planned on one of them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

/// One saved version of a tenant's mission model, as its Master wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRecord {
    /// The model's id.
    pub id: String,
    /// Its version number: 1 for the first save, then one more for each save that changed the
    /// text. Assigned by the store ([`Store::put_model`](crate::Store::put_model) ignores it).
    pub version: i64,
    /// The YAML text.
    pub text: String,
    /// SHA-256 of the text.
    pub digest: String,
    /// The texts of the models it extends, by the name `extends:` gives them, as they were when
    /// it was saved: a version reads the same parents for ever (empty for versions saved before
    /// versions were kept, which read their parents as they are now).
    pub parents: BTreeMap<String, String>,
    /// When this version was saved.
    pub updated_at: DateTime<Utc>,
    /// The public id of the API key that saved it.
    pub saved_by: Option<String>,
}

/// What [`Store::put_model`](crate::Store::put_model) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSaved {
    /// Whether the model is new.
    pub created: bool,
    /// The version the text now has: a new one, or the latest when the text is unchanged.
    pub version: i64,
    /// Whether a new version was recorded (false when the text is the latest version's).
    pub new_version: bool,
}

/// A saved version of a model, without its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ModelVersionInfo {
    /// The version number.
    pub version: i64,
    /// SHA-256 of its text.
    pub digest: String,
    /// When it was saved.
    #[schema(value_type = String)]
    pub saved_at: DateTime<Utc>,
    /// The public id of the API key that saved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_by: Option<String>,
}

/// A planned mission.
#[derive(Debug, Clone, PartialEq)]
pub struct MissionRecord {
    /// The mission's id.
    pub id: String,
    /// The model it was planned from.
    pub model_id: String,
    /// The version of the model it follows: its state and dashboard are read against it until
    /// the mission is migrated.
    pub model_version: i64,
    /// That version's digest.
    pub model_digest: String,
    /// The planning input (`{client, start, closing, dates, people}`).
    pub input: serde_json::Value,
    /// The plan.
    pub plan: serde_json::Value,
    /// Its progress (`{actions, key_points}`), once the tenant has sent one.
    pub state: Option<serde_json::Value>,
    /// The tenant's closure days the mission is dated with (those in force when it was planned
    /// or last migrated).
    pub closures: Vec<NaiveDate>,
    /// Its migrations, oldest first, as the host wrote them.
    pub history: Vec<serde_json::Value>,
    /// Creation.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// What decides whether a mission is up to date with its model and calendar, read without its
/// plan and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionHead {
    /// The mission's id.
    pub id: String,
    /// Its model.
    pub model_id: String,
    /// The version of the model it follows.
    pub model_version: i64,
    /// The closure days it is dated with.
    pub closures: Vec<NaiveDate>,
}

/// A mission moved to another version of its model, applied only if the mission is still as it
/// was read (`from_version`, `from_state`).
#[derive(Debug, Clone, PartialEq)]
pub struct MissionMigration {
    /// The mission's id.
    pub id: String,
    /// The version it was read on.
    pub from_version: i64,
    /// The state it was read with.
    pub from_state: Option<serde_json::Value>,
    /// The version it moves to.
    pub to_version: i64,
    /// That version's digest.
    pub to_digest: String,
    /// The plan on the new version.
    pub plan: serde_json::Value,
    /// The state on the new version.
    pub state: Option<serde_json::Value>,
    /// The closure days it is dated with from now on.
    pub closures: Vec<NaiveDate>,
    /// What to append to its history.
    pub history: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

/// What saving a model does, decided the same way by every store from the latest version it
/// holds (`(digest, version)`), in the write's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModelWrite {
    /// The text is the latest version's: nothing to write.
    Unchanged(ModelSaved),
    /// Write it as this version.
    New(i64),
}

/// Decide a model save: [`crate::StoreError::Stale`] when `if_digest` is not the latest digest.
pub(crate) fn model_write(
    latest: Option<(&str, i64)>,
    m: &ModelRecord,
    if_digest: Option<&str>,
) -> crate::Result<ModelWrite> {
    if if_digest.is_some_and(|d| latest.map(|(digest, _)| digest) != Some(d)) {
        return Err(crate::StoreError::Stale(crate::Record::Model(m.id.clone())));
    }
    Ok(match latest {
        Some((digest, version)) if digest == m.digest => {
            ModelWrite::Unchanged(ModelSaved { created: false, version, new_version: false })
        }
        Some((_, version)) => ModelWrite::New(version + 1),
        None => ModelWrite::New(1),
    })
}

/// Whether a state checked against `model_version` (and, with `if_state`, read as that state)
/// may replace the state of mission `id`, which now follows `version` with `stored`.
pub(crate) fn check_state_write(
    id: &str,
    version: i64,
    stored: Option<&serde_json::Value>,
    model_version: i64,
    if_state: Option<&serde_json::Value>,
) -> crate::Result<()> {
    let moved = version != model_version;
    let changed = if_state.is_some_and(|expected| stored.unwrap_or(&serde_json::Value::Null) != expected);
    if moved || changed {
        return Err(crate::StoreError::Stale(crate::Record::MissionState(id.to_owned())));
    }
    Ok(())
}

/// Whether migration `m` may move its mission, which now follows `version` with `state`.
pub(crate) fn check_migration(
    m: &MissionMigration,
    version: i64,
    state: &Option<serde_json::Value>,
) -> crate::Result<()> {
    if version != m.from_version || *state != m.from_state {
        return Err(crate::StoreError::Stale(crate::Record::Mission(m.id.clone())));
    }
    Ok(())
}
