//! The audit log and `Idempotency-Key`s in PostgreSQL.
//!
//! Audit ids come from a sequence, and with several writers a sequence's numbers commit out of
//! order: a reader paging by id could pass an id whose transaction commits a moment later, and
//! never see it. So every append takes one advisory lock before it draws its ids and keeps it
//! until it commits: ids become visible in their order, and `id > after` skips nothing. Appends
//! are batched by the host, so the lock is taken once per batch.

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgConnection};

use super::rows::{backend, get, get_json, lock_key};
use crate::{AuditEntry, AuditRecord, Claim, IdempotentRequest, InputQuery, RecordedInput, Result};

pub(super) async fn append(c: &mut PgConnection, records: &[AuditRecord]) -> Result<()> {
    lock_key(c, "audit").await?;
    for r in records {
        sqlx::query(
            "INSERT INTO audit (at, tenant, pack, entry, version, digest, input_sha256, ok, result, request_id, input)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r.at)
        .bind(&r.tenant)
        .bind(&r.pack)
        .bind(&r.entry)
        .bind(&r.version)
        .bind(&r.digest)
        .bind(&r.input_sha256)
        .bind(r.ok)
        .bind(&r.result)
        .bind(&r.request_id)
        .bind(&r.input)
        .execute(&mut *c)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

fn entry_row(r: &PgRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: get(r, 0)?,
        at: get(r, 1)?,
        tenant: get(r, 2)?,
        pack: get(r, 3)?,
        entry: get(r, 4)?,
        version: get(r, 5)?,
        digest: get(r, 6)?,
        input_sha256: get(r, 7)?,
        ok: get(r, 8)?,
        result: get_json(r, 9)?,
        request_id: get(r, 10)?,
    })
}

pub(super) async fn entries(
    c: &mut PgConnection,
    after: i64,
    limit: u32,
    tenant: Option<&str>,
) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT id, at, tenant, pack, entry, version, digest, input_sha256, ok, result, request_id FROM audit
         WHERE id > $1 AND ($3::text IS NULL OR tenant = $3) ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(i64::from(limit))
    .bind(tenant)
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter().map(entry_row).collect()
}

pub(super) async fn inputs(c: &mut PgConnection, q: &InputQuery, after: i64, limit: u32) -> Result<Vec<RecordedInput>> {
    // $1 pack, $2 entry, $3 since: a filter left out is NULL and selects everything.
    const FILTER: &str = "input IS NOT NULL AND ($1::text IS NULL OR pack = $1) AND ($2::text IS NULL OR entry = $2)
         AND ($3::timestamptz IS NULL OR at >= $3)";
    let mut start = after;
    if let Some(n) = q.newest {
        // The newest N start at the N-th id from the end; none selected, nothing to read.
        let Some(offset) = n.checked_sub(1) else { return Ok(Vec::new()) };
        let nth: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM audit WHERE {FILTER} ORDER BY id DESC LIMIT 1 OFFSET $4"
        )))
        .bind(&q.pack)
        .bind(&q.entry)
        .bind(q.since)
        .bind(i64::from(offset))
        .fetch_optional(&mut *c)
        .await
        .map_err(backend)?;
        if let Some(id) = nth {
            start = start.max(id - 1);
        }
    }
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT id, at, tenant, pack, entry, input FROM audit WHERE id > $4 AND {FILTER} ORDER BY id LIMIT $5"
    )))
    .bind(&q.pack)
    .bind(&q.entry)
    .bind(q.since)
    .bind(start)
    .bind(i64::from(limit))
    .fetch_all(c)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|r| {
            Ok(RecordedInput {
                id: get(r, 0)?,
                at: get(r, 1)?,
                tenant: get(r, 2)?,
                pack: get(r, 3)?,
                entry: get(r, 4)?,
                input: get_json(r, 5)?,
            })
        })
        .collect()
}

/// Claim an idempotency key: under the key's own advisory lock, so two retries racing each
/// other (on one replica or two) cannot both run.
pub(super) async fn claim(
    c: &mut PgConnection,
    req: &IdempotentRequest,
    now: DateTime<Utc>,
    ttl: TimeDelta,
) -> Result<Claim> {
    lock_key(c, &format!("idempotency:{}:{}:{}", req.principal.len(), req.principal, req.key)).await?;
    sqlx::query("DELETE FROM idempotency WHERE created_at < $1")
        .bind(now - ttl)
        .execute(&mut *c)
        .await
        .map_err(backend)?;
    let seen =
        sqlx::query("SELECT route, body_sha256, status, response FROM idempotency WHERE principal = $1 AND key = $2")
            .bind(&req.principal)
            .bind(&req.key)
            .fetch_optional(&mut *c)
            .await
            .map_err(backend)?;
    if let Some(r) = seen {
        let status: Option<i32> = get(&r, 2)?;
        let response: Option<String> = get(&r, 3)?;
        let status = status.and_then(|s| u16::try_from(s).ok());
        return Ok(Claim::Seen { route: get(&r, 0)?, body_sha256: get(&r, 1)?, answer: status.zip(response) });
    }
    sqlx::query("INSERT INTO idempotency (principal, key, route, body_sha256, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&req.principal)
        .bind(&req.key)
        .bind(&req.route)
        .bind(&req.body_sha256)
        .bind(now)
        .execute(c)
        .await
        .map_err(backend)?;
    Ok(Claim::New)
}
