//! Models, their versions, missions and tenant calendars in PostgreSQL. `models` holds each
//! model's latest version for quick reads; `model_versions` every version, never changed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgConnection};

use super::rows::{backend, get, get_json, get_opt_json, json_text, lock_key};
use crate::missions::{ModelWrite, check_migration, check_state_write, model_write};
use crate::{
    MissionHead, MissionMigration, MissionRecord, ModelRecord, ModelSaved, ModelVersionInfo, Result, StoreError,
};

fn model_row(r: &PgRow) -> Result<ModelRecord> {
    Ok(ModelRecord {
        id: get(r, 0)?,
        version: get(r, 1)?,
        text: get(r, 2)?,
        digest: get(r, 3)?,
        parents: get_json::<BTreeMap<String, String>>(r, 4)?,
        updated_at: get(r, 5)?,
        saved_by: get(r, 6)?,
    })
}

pub(super) async fn put_model(
    c: &mut PgConnection,
    tenant: &str,
    m: &ModelRecord,
    if_digest: Option<&str>,
) -> Result<ModelSaved> {
    // The model's first save has no row to lock: every save of it takes the same key instead.
    lock_key(c, &format!("model:{}:{tenant}:{}", tenant.len(), m.id)).await?;
    let latest: Option<(String, i64)> =
        sqlx::query_as("SELECT digest, version FROM models WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(&m.id)
            .fetch_optional(&mut *c)
            .await
            .map_err(backend)?;
    let version = match model_write(latest.as_ref().map(|(d, v)| (d.as_str(), *v)), m, if_digest)? {
        ModelWrite::New(version) => version,
        ModelWrite::Unchanged(saved) => return Ok(saved),
    };
    let parents = json_text(&m.parents)?;
    sqlx::query(
        "INSERT INTO model_versions (tenant_id, model_id, version, text, digest, parents, saved_at, saved_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant)
    .bind(&m.id)
    .bind(version)
    .bind(&m.text)
    .bind(&m.digest)
    .bind(&parents)
    .bind(m.updated_at)
    .bind(&m.saved_by)
    .execute(&mut *c)
    .await
    .map_err(|e| match super::rows::is_code(&e, super::rows::FOREIGN_KEY) {
        true => StoreError::NotFound(crate::Record::Tenant(tenant.to_owned())),
        false => backend(e),
    })?;
    sqlx::query(
        "INSERT INTO models (tenant_id, id, text, digest, updated_at, version, parents, saved_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, id) DO UPDATE SET text = excluded.text, digest = excluded.digest,
             updated_at = excluded.updated_at, version = excluded.version, parents = excluded.parents,
             saved_by = excluded.saved_by",
    )
    .bind(tenant)
    .bind(&m.id)
    .bind(&m.text)
    .bind(&m.digest)
    .bind(m.updated_at)
    .bind(version)
    .bind(&parents)
    .bind(&m.saved_by)
    .execute(&mut *c)
    .await
    .map_err(backend)?;
    Ok(ModelSaved { created: latest.is_none(), version, new_version: true })
}

const LATEST: &str = "SELECT id, version, text, digest, parents, updated_at, saved_by FROM models WHERE tenant_id = $1";

pub(super) async fn model(c: &mut PgConnection, tenant: &str, id: &str) -> Result<Option<ModelRecord>> {
    let row = sqlx::query(AssertSqlSafe(format!("{LATEST} AND id = $2")))
        .bind(tenant)
        .bind(id)
        .fetch_optional(c)
        .await
        .map_err(backend)?;
    row.as_ref().map(model_row).transpose()
}

pub(super) async fn models(c: &mut PgConnection, tenant: &str) -> Result<Vec<ModelRecord>> {
    let rows =
        sqlx::query(AssertSqlSafe(format!("{LATEST} ORDER BY id"))).bind(tenant).fetch_all(c).await.map_err(backend)?;
    rows.iter().map(model_row).collect()
}

pub(super) async fn model_versions(c: &mut PgConnection, tenant: &str, id: &str) -> Result<Vec<ModelVersionInfo>> {
    let rows = sqlx::query(
        "SELECT version, digest, saved_at, saved_by FROM model_versions
         WHERE tenant_id = $1 AND model_id = $2 ORDER BY version",
    )
    .bind(tenant)
    .bind(id)
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|r| {
            Ok(ModelVersionInfo { version: get(r, 0)?, digest: get(r, 1)?, saved_at: get(r, 2)?, saved_by: get(r, 3)? })
        })
        .collect()
}

pub(super) async fn model_version(
    c: &mut PgConnection,
    tenant: &str,
    id: &str,
    version: i64,
) -> Result<Option<ModelRecord>> {
    let row = sqlx::query(
        "SELECT model_id, version, text, digest, parents, saved_at, saved_by FROM model_versions
         WHERE tenant_id = $1 AND model_id = $2 AND version = $3",
    )
    .bind(tenant)
    .bind(id)
    .bind(version)
    .fetch_optional(c)
    .await
    .map_err(backend)?;
    row.as_ref().map(model_row).transpose()
}

const MISSION_COLUMNS: &str =
    "id, model_id, model_version, model_digest, input, plan, state, closures, history, created_at, updated_at";

fn mission_row(r: &PgRow) -> Result<MissionRecord> {
    Ok(MissionRecord {
        id: get(r, 0)?,
        model_id: get(r, 1)?,
        model_version: get(r, 2)?,
        model_digest: get(r, 3)?,
        input: get_json(r, 4)?,
        plan: get_json(r, 5)?,
        state: get_opt_json(r, 6)?,
        closures: get_json(r, 7)?,
        history: get_json(r, 8)?,
        created_at: get(r, 9)?,
        updated_at: get(r, 10)?,
    })
}

pub(super) async fn create_mission(c: &mut PgConnection, tenant: &str, m: &MissionRecord) -> Result<()> {
    let inserted = sqlx::query(
        "INSERT INTO missions (tenant_id, id, model_id, model_version, model_digest, input, plan, state, closures,
                               history, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id, id) DO NOTHING",
    )
    .bind(tenant)
    .bind(&m.id)
    .bind(&m.model_id)
    .bind(m.model_version)
    .bind(&m.model_digest)
    .bind(m.input.to_string())
    .bind(m.plan.to_string())
    .bind(m.state.as_ref().map(ToString::to_string))
    .bind(json_text(&m.closures)?)
    .bind(json_text(&m.history)?)
    .bind(m.created_at)
    .bind(m.updated_at)
    .execute(c)
    .await
    .map_err(backend)?;
    match inserted.rows_affected() {
        0 => Err(StoreError::Conflict(crate::Record::Mission(m.id.clone()))),
        _ => Ok(()),
    }
}

pub(super) async fn mission(c: &mut PgConnection, tenant: &str, id: &str) -> Result<Option<MissionRecord>> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT {MISSION_COLUMNS} FROM missions WHERE tenant_id = $1 AND id = $2")))
            .bind(tenant)
            .bind(id)
            .fetch_optional(c)
            .await
            .map_err(backend)?;
    row.as_ref().map(mission_row).transpose()
}

pub(super) async fn mission_heads(c: &mut PgConnection, tenant: &str, model: Option<&str>) -> Result<Vec<MissionHead>> {
    let rows = sqlx::query(
        "SELECT id, model_id, model_version, closures FROM missions
         WHERE tenant_id = $1 AND ($2::text IS NULL OR model_id = $2) ORDER BY id",
    )
    .bind(tenant)
    .bind(model)
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|r| {
            Ok(MissionHead {
                id: get(r, 0)?,
                model_id: get(r, 1)?,
                model_version: get(r, 2)?,
                closures: get_json(r, 3)?,
            })
        })
        .collect()
}

pub(super) async fn set_mission_state(
    c: &mut PgConnection,
    tenant: &str,
    id: &str,
    state: &serde_json::Value,
    at: DateTime<Utc>,
    model_version: i64,
    if_state: Option<&serde_json::Value>,
) -> Result<bool> {
    let current = sqlx::query("SELECT model_version, state FROM missions WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
        .bind(tenant)
        .bind(id)
        .fetch_optional(&mut *c)
        .await
        .map_err(backend)?;
    let Some(current) = current else { return Ok(false) };
    let version: i64 = get(&current, 0)?;
    let stored = get_opt_json(&current, 1)?;
    check_state_write(id, version, stored.as_ref(), model_version, if_state)?;
    sqlx::query("UPDATE missions SET state = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant)
        .bind(id)
        .bind(state.to_string())
        .bind(at)
        .execute(c)
        .await
        .map_err(backend)?;
    Ok(true)
}

pub(super) async fn migrate_missions(c: &mut PgConnection, tenant: &str, all: &[MissionMigration]) -> Result<()> {
    for m in all {
        let current = sqlx::query(
            "SELECT model_version, state, history FROM missions WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
        )
        .bind(tenant)
        .bind(&m.id)
        .fetch_optional(&mut *c)
        .await
        .map_err(backend)?;
        let Some(current) = current else {
            return Err(StoreError::NotFound(crate::Record::Mission(m.id.clone())));
        };
        let version: i64 = get(&current, 0)?;
        let state = get_opt_json(&current, 1)?;
        let mut history: Vec<serde_json::Value> = get_json(&current, 2)?;
        check_migration(m, version, &state)?;
        history.push(m.history.clone());
        sqlx::query(
            "UPDATE missions SET model_version = $3, model_digest = $4, plan = $5, state = $6, closures = $7,
                 history = $8, updated_at = $9
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(&m.id)
        .bind(m.to_version)
        .bind(&m.to_digest)
        .bind(m.plan.to_string())
        .bind(m.state.as_ref().map(ToString::to_string))
        .bind(json_text(&m.closures)?)
        .bind(json_text(&history)?)
        .bind(m.at)
        .execute(&mut *c)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

pub(super) async fn tenant_closures(c: &mut PgConnection, tenant: &str) -> Result<Vec<NaiveDate>> {
    let found: Option<String> = sqlx::query_scalar("SELECT closures FROM tenant_calendars WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_optional(c)
        .await
        .map_err(backend)?;
    match found {
        Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Backend(format!("closure days: {e}"))),
        None => Ok(Vec::new()),
    }
}

pub(super) async fn set_tenant_closures(
    c: &mut PgConnection,
    tenant: &str,
    closures: &[NaiveDate],
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO tenant_calendars (tenant_id, closures, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET closures = excluded.closures, updated_at = excluded.updated_at",
    )
    .bind(tenant)
    .bind(json_text(&closures)?)
    .bind(at)
    .execute(c)
    .await
    .map_err(backend)
    .map(drop)
}
