//! The audit log in SQLite: appended in batches, paged by id, and its kept inputs read back for
//! replay (`missions diff --inputs`, the dry run of a pack upload).

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

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
    // Only the filters given are written, so the indexes by pack and by time serve them.
    let mut filters = vec!["input IS NOT NULL".to_owned()];
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut add = |sql: &str, v: rusqlite::types::Value| {
        args.push(v);
        filters.push(format!("{sql} ?{}", args.len() + 2));
    };
    if let Some(p) = &q.pack {
        add("pack =", p.clone().into());
    }
    if let Some(e) = &q.entry {
        add("entry =", e.clone().into());
    }
    if let Some(t) = q.since {
        add("at >=", ts(t).into());
    }
    let filter = filters.join(" AND ");
    let mut start = after;
    if let Some(n) = q.newest {
        // The newest N start at the N-th id from the end; none selected, nothing to read.
        let Some(offset) = n.checked_sub(1) else { return Ok(Vec::new()) };
        // ?1 the offset, ?2 unused (the page query's limit), then the filters' values.
        let mut nth_args: Vec<rusqlite::types::Value> = vec![i64::from(offset).into(), rusqlite::types::Value::Null];
        nth_args.extend(args.iter().cloned());
        let nth: Option<i64> = c
            .prepare_cached(&format!(
                "SELECT id FROM audit WHERE {filter} AND ?2 IS NULL ORDER BY id DESC LIMIT 1 OFFSET ?1"
            ))?
            .query_row(rusqlite::params_from_iter(nth_args), |r| r.get(0))
            .optional()?;
        if let Some(id) = nth {
            start = start.max(id - 1);
        }
    }
    let sql =
        format!("SELECT id, at, tenant, pack, entry, input FROM audit WHERE id > ?1 AND {filter} ORDER BY id LIMIT ?2");
    let mut all: Vec<rusqlite::types::Value> = vec![start.into(), i64::from(limit).into()];
    all.extend(args);
    c.prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(all), |r| {
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
