//! Models, their versions, missions and tenant calendars in SQLite. `models` holds each model's
//! latest version for quick reads; `model_versions` holds every version, never changed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::rows::{Checked, get_json, get_opt_json, get_ts, json_text, ts};
use crate::missions::{ModelWrite, check_migration, model_write};
use crate::{MissionHead, MissionMigration, MissionRecord, ModelRecord, ModelSaved, ModelVersionInfo, StoreError};

const MODEL_COLUMNS: &str = "model_id, version, text, digest, parents, saved_at, saved_by";

fn model_row(r: &Row<'_>) -> rusqlite::Result<ModelRecord> {
    Ok(ModelRecord {
        id: r.get(0)?,
        version: r.get(1)?,
        text: r.get(2)?,
        digest: r.get(3)?,
        parents: get_json::<BTreeMap<String, String>>(r, 4)?,
        updated_at: get_ts(r, 5)?,
        saved_by: r.get(6)?,
    })
}

pub(super) fn put_model(
    tx: &Transaction<'_>,
    tenant: &str,
    m: &ModelRecord,
    if_digest: Option<&str>,
) -> Checked<ModelSaved> {
    let latest: Option<(String, i64)> = tx
        .prepare_cached("SELECT digest, version FROM models WHERE tenant_id = ?1 AND id = ?2")?
        .query_row([tenant, &m.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let version = match model_write(latest.as_ref().map(|(d, v)| (d.as_str(), *v)), m, if_digest) {
        Ok(ModelWrite::New(version)) => version,
        Ok(ModelWrite::Unchanged(saved)) => return Ok(Ok(saved)),
        Err(e) => return Ok(Err(e)),
    };
    let parents = json_text(&m.parents)?;
    tx.execute(
        "INSERT INTO model_versions (tenant_id, model_id, version, text, digest, parents, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![tenant, m.id, version, m.text, m.digest, parents, ts(m.updated_at), m.saved_by],
    )?;
    tx.execute(
        "INSERT INTO models (tenant_id, id, text, digest, updated_at, version, parents, saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tenant_id, id) DO UPDATE SET text = excluded.text, digest = excluded.digest,
             updated_at = excluded.updated_at, version = excluded.version, parents = excluded.parents,
             saved_by = excluded.saved_by",
        params![tenant, m.id, m.text, m.digest, ts(m.updated_at), version, parents, m.saved_by],
    )?;
    Ok(Ok(ModelSaved { created: latest.is_none(), version, new_version: true }))
}

const LATEST: &str = "SELECT id, version, text, digest, parents, updated_at, saved_by FROM models WHERE tenant_id = ?1";

pub(super) fn model(c: &Connection, tenant: &str, id: &str) -> rusqlite::Result<Option<ModelRecord>> {
    c.prepare_cached(&format!("{LATEST} AND id = ?2"))?.query_row([tenant, id], model_row).optional()
}

pub(super) fn models(c: &Connection, tenant: &str) -> rusqlite::Result<Vec<ModelRecord>> {
    c.prepare_cached(&format!("{LATEST} ORDER BY id"))?.query_map([tenant], model_row)?.collect()
}

pub(super) fn model_versions(c: &Connection, tenant: &str, id: &str) -> rusqlite::Result<Vec<ModelVersionInfo>> {
    c.prepare_cached(
        "SELECT version, digest, saved_at, saved_by FROM model_versions
         WHERE tenant_id = ?1 AND model_id = ?2 ORDER BY version",
    )?
    .query_map([tenant, id], |r| {
        Ok(ModelVersionInfo { version: r.get(0)?, digest: r.get(1)?, saved_at: get_ts(r, 2)?, saved_by: r.get(3)? })
    })?
    .collect()
}

pub(super) fn model_version(
    c: &Connection,
    tenant: &str,
    id: &str,
    version: i64,
) -> rusqlite::Result<Option<ModelRecord>> {
    c.prepare_cached(&format!(
        "SELECT {MODEL_COLUMNS} FROM model_versions WHERE tenant_id = ?1 AND model_id = ?2 AND version = ?3"
    ))?
    .query_row(params![tenant, id, version], model_row)
    .optional()
}

const MISSION_COLUMNS: &str =
    "id, model_id, model_version, model_digest, input, plan, state, closures, history, created_at, updated_at";

fn mission_row(r: &Row<'_>) -> rusqlite::Result<MissionRecord> {
    Ok(MissionRecord {
        id: r.get(0)?,
        model_id: r.get(1)?,
        model_version: r.get(2)?,
        model_digest: r.get(3)?,
        input: get_json(r, 4)?,
        plan: get_json(r, 5)?,
        state: get_opt_json(r, 6)?,
        closures: get_json(r, 7)?,
        history: get_json(r, 8)?,
        created_at: get_ts(r, 9)?,
        updated_at: get_ts(r, 10)?,
    })
}

/// Inserts a mission; `Ok(false)` when its id is taken.
pub(super) fn create_mission(tx: &Transaction<'_>, tenant: &str, m: &MissionRecord) -> rusqlite::Result<bool> {
    let inserted = tx.execute(
        "INSERT INTO missions (tenant_id, id, model_id, model_version, model_digest, input, plan, state, closures,
                               history, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (tenant_id, id) DO NOTHING",
        params![
            tenant,
            m.id,
            m.model_id,
            m.model_version,
            m.model_digest,
            m.input.to_string(),
            m.plan.to_string(),
            m.state.as_ref().map(ToString::to_string),
            json_text(&m.closures)?,
            json_text(&m.history)?,
            ts(m.created_at),
            ts(m.updated_at)
        ],
    )?;
    Ok(inserted == 1)
}

pub(super) fn mission(c: &Connection, tenant: &str, id: &str) -> rusqlite::Result<Option<MissionRecord>> {
    c.prepare_cached(&format!("SELECT {MISSION_COLUMNS} FROM missions WHERE tenant_id = ?1 AND id = ?2"))?
        .query_row([tenant, id], mission_row)
        .optional()
}

pub(super) fn mission_heads(c: &Connection, tenant: &str, model: Option<&str>) -> rusqlite::Result<Vec<MissionHead>> {
    c.prepare_cached(
        "SELECT id, model_id, model_version, closures FROM missions
         WHERE tenant_id = ?1 AND (?2 IS NULL OR model_id = ?2) ORDER BY id",
    )?
    .query_map(params![tenant, model], |r| {
        Ok(MissionHead { id: r.get(0)?, model_id: r.get(1)?, model_version: r.get(2)?, closures: get_json(r, 3)? })
    })?
    .collect()
}

pub(super) fn migrate_missions(tx: &Transaction<'_>, tenant: &str, all: &[MissionMigration]) -> Checked<()> {
    for m in all {
        let current: Option<(i64, Option<serde_json::Value>, Vec<serde_json::Value>)> = tx
            .prepare_cached("SELECT model_version, state, history FROM missions WHERE tenant_id = ?1 AND id = ?2")?
            .query_row([tenant, &m.id], |r| Ok((r.get(0)?, get_opt_json(r, 1)?, get_json(r, 2)?)))
            .optional()?;
        let Some((version, state, mut history)) = current else {
            return Ok(Err(StoreError::NotFound(crate::Record::Mission(m.id.clone()))));
        };
        if let Err(e) = check_migration(m, version, &state) {
            return Ok(Err(e));
        }
        history.push(m.history.clone());
        tx.execute(
            "UPDATE missions SET model_version = ?3, model_digest = ?4, plan = ?5, state = ?6, closures = ?7,
                 history = ?8, updated_at = ?9
             WHERE tenant_id = ?1 AND id = ?2",
            params![
                tenant,
                m.id,
                m.to_version,
                m.to_digest,
                m.plan.to_string(),
                m.state.as_ref().map(ToString::to_string),
                json_text(&m.closures)?,
                json_text(&history)?,
                ts(m.at)
            ],
        )?;
    }
    Ok(Ok(()))
}

pub(super) fn tenant_closures(c: &Connection, tenant: &str) -> rusqlite::Result<Vec<NaiveDate>> {
    let found = c
        .prepare_cached("SELECT closures FROM tenant_calendars WHERE tenant_id = ?1")?
        .query_row([tenant], |r| get_json::<Vec<NaiveDate>>(r, 0))
        .optional()?;
    Ok(found.unwrap_or_default())
}

pub(super) fn set_tenant_closures(
    tx: &Transaction<'_>,
    tenant: &str,
    closures: &[NaiveDate],
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO tenant_calendars (tenant_id, closures, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (tenant_id) DO UPDATE SET closures = excluded.closures, updated_at = excluded.updated_at",
        params![tenant, json_text(&closures)?, ts(at)],
    )?;
    Ok(())
}
