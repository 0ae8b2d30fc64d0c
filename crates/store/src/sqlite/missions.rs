//! Models, their versions, missions and tenant calendars in SQLite. `models` holds each model's
//! latest version for quick reads; `model_versions` holds every version, never changed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::rows::{Checked, get_json, get_opt_json, get_ts, json_text, ts};
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
    if if_digest.is_some_and(|d| latest.as_ref().map(|(digest, _)| digest.as_str()) != Some(d)) {
        return Ok(Err(StoreError::Stale(format!("model `{}`", m.id))));
    }
    if let Some((digest, version)) = &latest
        && *digest == m.digest
    {
        return Ok(Ok(ModelSaved { created: false, version: *version, new_version: false }));
    }
    let version = latest.as_ref().map_or(1, |(_, v)| v + 1);
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
            return Ok(Err(StoreError::NotFound(format!("mission `{}`", m.id))));
        };
        if version != m.from_version || state != m.from_state {
            return Ok(Err(StoreError::Stale(format!("mission `{}`", m.id))));
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;
    use serde_json::json;

    use super::super::tests::tenant;
    use super::*;
    use crate::{SqliteStore, Store};

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 10, minute, 0).unwrap()
    }

    fn model(text: &str) -> ModelRecord {
        ModelRecord {
            id: "firm".into(),
            version: 0,
            text: text.into(),
            digest: format!("d-{text}"),
            parents: BTreeMap::from([("isqm-standard.yaml".into(), "parent".into())]),
            updated_at: at(0),
            saved_by: Some("k1".into()),
        }
    }

    #[test]
    fn each_changed_save_is_a_new_immutable_version() {
        let s = SqliteStore::open_in_memory().unwrap();
        tenant(&s, "a");
        tenant(&s, "b");
        let first = s.put_model("a", &model("one"), None).unwrap();
        assert_eq!(first, ModelSaved { created: true, version: 1, new_version: true });
        // The same text again is no new version.
        assert!(!s.put_model("a", &model("one"), None).unwrap().new_version);
        let second = s.put_model("a", &model("two"), Some("d-one")).unwrap();
        assert_eq!(second, ModelSaved { created: false, version: 2, new_version: true });
        assert!(matches!(s.put_model("a", &model("three"), Some("d-one")), Err(StoreError::Stale(_))));
        let versions = s.model_versions("a", "firm").unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(versions[0].saved_by.as_deref(), Some("k1"));
        let v1 = s.model_version("a", "firm", 1).unwrap().unwrap();
        assert_eq!((v1.text.as_str(), v1.parents.len()), ("one", 1));
        assert_eq!(s.model("a", "firm").unwrap().unwrap().version, 2);
        // Another tenant sees none of it.
        assert!(s.model_versions("b", "firm").unwrap().is_empty());
        assert!(s.model_version("b", "firm", 1).unwrap().is_none());
    }

    fn mission(id: &str) -> MissionRecord {
        MissionRecord {
            id: id.into(),
            model_id: "firm".into(),
            model_version: 1,
            model_digest: "d-one".into(),
            input: json!({"client": "c"}),
            plan: json!({"actions": []}),
            state: None,
            closures: vec![NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()],
            history: Vec::new(),
            created_at: at(1),
            updated_at: at(1),
        }
    }

    fn migration(id: &str, from_state: Option<serde_json::Value>) -> MissionMigration {
        MissionMigration {
            id: id.into(),
            from_version: 1,
            from_state,
            to_version: 2,
            to_digest: "d-two".into(),
            plan: json!({"actions": [1]}),
            state: Some(json!({"actions": []})),
            closures: Vec::new(),
            history: json!({"from": 1, "to": 2}),
            at: at(5),
        }
    }

    #[test]
    fn missions_migrate_all_or_none_and_only_as_read() {
        let s = SqliteStore::open_in_memory().unwrap();
        tenant(&s, "a");
        s.create_mission("a", &mission("m1")).unwrap();
        s.create_mission("a", &mission("m2")).unwrap();
        assert!(matches!(s.create_mission("a", &mission("m1")), Err(StoreError::Conflict(_))));
        let heads = s.mission_heads("a", None).unwrap();
        assert_eq!(heads.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["m1", "m2"]);
        assert_eq!((heads[0].model_version, heads[0].closures.len()), (1, 1));
        assert!(s.mission_heads("a", Some("other")).unwrap().is_empty());
        assert!(s.mission_heads("b", None).unwrap().is_empty());
        s.set_mission_state("a", "m2", &json!({"actions": [{"id": "x"}]}), at(2), 1, None).unwrap();
        // m2's state changed since it was read as `None`: neither moves.
        let stale = s.migrate_missions("a", &[migration("m1", None), migration("m2", None)]);
        assert!(matches!(stale, Err(StoreError::Stale(m)) if m.contains("m2")));
        assert_eq!(s.mission("a", "m1").unwrap().unwrap().model_version, 1);
        let read = Some(json!({"actions": [{"id": "x"}]}));
        s.migrate_missions("a", &[migration("m1", None), migration("m2", read)]).unwrap();
        let m1 = s.mission("a", "m1").unwrap().unwrap();
        assert_eq!((m1.model_version, m1.model_digest.as_str(), m1.history.len()), (2, "d-two", 1));
        assert!(m1.closures.is_empty());
        assert_eq!(m1.updated_at, at(5));
        // Migrating again from version 1 is stale.
        assert!(matches!(s.migrate_missions("a", &[migration("m1", None)]), Err(StoreError::Stale(_))));
        assert!(matches!(s.migrate_missions("a", &[migration("nope", None)]), Err(StoreError::NotFound(_))));
        // A state checked against version 1 no longer lands on a mission that moved to 2.
        let late = s.set_mission_state("a", "m1", &json!({"actions": []}), at(6), 1, None);
        assert!(matches!(late, Err(StoreError::Stale(_))));
        assert!(s.set_mission_state("a", "m1", &json!({"actions": []}), at(6), 2, None).unwrap());
        assert!(!s.set_mission_state("a", "nope", &json!({}), at(6), 1, None).unwrap());
    }

    #[test]
    fn tenant_closures_are_per_tenant() {
        let s = SqliteStore::open_in_memory().unwrap();
        tenant(&s, "a");
        tenant(&s, "b");
        assert!(s.tenant_closures("a").unwrap().is_empty());
        let days = [NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()];
        s.set_tenant_closures("a", &days, at(0)).unwrap();
        assert_eq!(s.tenant_closures("a").unwrap(), days);
        assert!(s.tenant_closures("b").unwrap().is_empty());
    }
}
