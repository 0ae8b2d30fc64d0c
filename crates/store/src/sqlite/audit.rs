//! The audit log in SQLite: appended in batches, paged by id, and its kept inputs read back for
//! replay (`missions diff --inputs`, the dry run of a pack upload).

use rusqlite::{Connection, Row, Transaction, params};

use super::rows::{get_json, get_ts, ts};
use crate::{AuditEntry, AuditRecord, InputQuery, RecordedInput};

pub(super) fn append(tx: &Transaction<'_>, records: &[AuditRecord]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO audit (at, tenant, pack, entry, version, digest, input_sha256, ok, result, request_id, input) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for r in records {
        stmt.execute(params![
            ts(r.at),
            r.tenant,
            r.pack,
            r.entry,
            r.version,
            r.digest,
            r.input_sha256,
            r.ok,
            r.result,
            r.request_id,
            r.input
        ])?;
    }
    Ok(())
}

pub(super) fn entries(
    c: &Connection,
    after: i64,
    limit: u32,
    tenant: Option<&str>,
) -> rusqlite::Result<Vec<AuditEntry>> {
    let row = |r: &Row<'_>| {
        Ok(AuditEntry {
            id: r.get(0)?,
            at: get_ts(r, 1)?,
            tenant: r.get(2)?,
            pack: r.get(3)?,
            entry: r.get(4)?,
            version: r.get(5)?,
            digest: r.get(6)?,
            input_sha256: r.get(7)?,
            ok: r.get(8)?,
            result: get_json(r, 9)?,
            request_id: r.get(10)?,
        })
    };
    const COLUMNS: &str = "id, at, tenant, pack, entry, version, digest, input_sha256, ok, result, request_id";
    match tenant {
        Some(t) => c
            .prepare_cached(&format!("SELECT {COLUMNS} FROM audit WHERE id > ?1 AND tenant = ?3 ORDER BY id LIMIT ?2"))?
            .query_map(params![after, limit, t], row)?
            .collect(),
        None => c
            .prepare_cached(&format!("SELECT {COLUMNS} FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2"))?
            .query_map(params![after, limit], row)?
            .collect(),
    }
}

pub(super) fn inputs(c: &Connection, q: &InputQuery, after: i64, limit: u32) -> rusqlite::Result<Vec<RecordedInput>> {
    // One statement for every combination of filters: a filter left out matches everything.
    // `newest` starts at the id of the newest N-th selected record.
    c.prepare_cached(
        "WITH selected AS (
            SELECT id FROM audit
            WHERE input IS NOT NULL
              AND (?3 IS NULL OR pack = ?3) AND (?4 IS NULL OR entry = ?4) AND (?5 IS NULL OR at >= ?5))
         SELECT id, at, tenant, pack, entry, input FROM audit
         WHERE id > ?1 AND id IN (SELECT id FROM selected)
           AND (?6 IS NULL OR id >= (SELECT min(id) FROM (SELECT id FROM selected ORDER BY id DESC LIMIT ?6)))
         ORDER BY id LIMIT ?2",
    )?
    .query_map(params![after, limit, q.pack, q.entry, q.since.map(ts), q.newest], |r| {
        Ok(RecordedInput {
            id: r.get(0)?,
            at: get_ts(r, 1)?,
            tenant: r.get(2)?,
            pack: r.get(3)?,
            entry: r.get(4)?,
            input: get_json(r, 5)?,
        })
    })?
    .collect()
}
