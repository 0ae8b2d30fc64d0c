//! `Idempotency-Key`s in SQLite: claimed in one immediate transaction, so two retries racing
//! each other cannot both run.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::ts;
use crate::{Claim, IdempotentRequest};

pub(super) fn claim(
    tx: &Transaction<'_>,
    req: &IdempotentRequest,
    now: DateTime<Utc>,
    ttl: TimeDelta,
) -> rusqlite::Result<Claim> {
    tx.execute("DELETE FROM idempotency WHERE created_at < ?1", [ts(now - ttl)])?;
    let seen = tx
        .query_row(
            "SELECT route, body_sha256, status, response FROM idempotency WHERE principal = ?1 AND key = ?2",
            params![req.principal, req.key],
            |r| {
                let status: Option<u16> = r.get(2)?;
                let response: Option<String> = r.get(3)?;
                Ok(Claim::Seen { route: r.get(0)?, body_sha256: r.get(1)?, answer: status.zip(response) })
            },
        )
        .optional()?;
    if let Some(seen) = seen {
        return Ok(seen);
    }
    tx.execute(
        "INSERT INTO idempotency (principal, key, route, body_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![req.principal, req.key, req.route, req.body_sha256, ts(now)],
    )?;
    Ok(Claim::New)
}

pub(super) fn finish(
    tx: &Transaction<'_>,
    principal: &str,
    key: &str,
    status: u16,
    response: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE idempotency SET status = ?3, response = ?4 WHERE principal = ?1 AND key = ?2",
        params![principal, key, status, response],
    )
    .map(drop)
}

pub(super) fn release(tx: &Transaction<'_>, principal: &str, key: &str) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM idempotency WHERE principal = ?1 AND key = ?2 AND status IS NULL", params![principal, key])
        .map(drop)
}
