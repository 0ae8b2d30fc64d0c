//! [`Store`] on PostgreSQL, for several `missions serve` replicas sharing one database. sqlx's
//! pool holds the connections; the trait is blocking, so each call runs its query on the store's
//! own small tokio runtime and waits for it (the HTTP layer calls the store from
//! `spawn_blocking`, never from an async task). Migrations run on open, under sqlx's advisory
//! lock, so replicas starting together migrate once.
//!
//! Every check-then-write runs in one transaction that locks what it checks (`FOR UPDATE` on the
//! row, or a transaction-scoped advisory lock where the row may not exist yet), so two replicas
//! behave as the one SQLite writer does.

use std::borrow::Cow;
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Row};

mod audit;
mod missions;
mod plugins;
mod rows;
mod tickets;

use rows::{TENANT_COLUMNS, VERSION_COLUMNS, backend, is_code, tenant_row, version_row};

use crate::{
    ApiKeyInfo, ApiKeyRecord, AuditEntry, AuditRecord, BoxError, Claim, IdempotentRequest, InputQuery, LedgerState,
    MissionHead, MissionMigration, MissionRecord, ModelRecord, ModelSaved, ModelVersionInfo, NewPackVersion, NewTenant,
    NewTicket, NewTicketEvent, PackVersionRecord, PluginHistoryEntry, PluginRecord, RecordedInput, Result, Store,
    StoreError, Tenant, TicketClock, TicketDecision, TicketRecord, TicketWithEvents,
};

/// The schema, in order. Never edit a released migration: add the next one.
const MIGRATIONS: &[(i64, &str, &str)] = &[(1, "schema", include_str!("../../migrations/postgres/0001_schema.sql"))];

/// How many connections one replica keeps at most.
const POOL_SIZE: u32 = 8;

/// The PostgreSQL store. Its methods block until the database answered: call them from a
/// thread (the HTTP host calls them from `spawn_blocking`), never from inside an async task, where
/// tokio refuses to block.
#[derive(Debug)]
pub struct PgStore {
    what: String,
    pool: PgPool,
    /// Runs the queries; `None` only while dropping.
    rt: Option<tokio::runtime::Runtime>,
}

impl PgStore {
    /// Connect to the database a `postgres://` URL names and migrate it.
    pub fn open(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Open { path: redact(url), message: format!("not a PostgreSQL URL: {e}") })?;
        let what = format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let open_err = |message: String| StoreError::Open { path: what.clone(), message };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("missions-store")
            .enable_all()
            .build()
            .map_err(|e| open_err(format!("cannot start the store's runtime: {e}")))?;
        let pool = rt
            .block_on(
                PgPoolOptions::new()
                    .max_connections(POOL_SIZE)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options),
            )
            .map_err(|e| open_err(e.to_string()))?;
        rt.block_on(migrator().run(&pool)).map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(found) => {
                StoreError::TooNew { found, known: MIGRATIONS.len().try_into().unwrap_or(i64::MAX) }
            }
            other => open_err(format!("cannot migrate: {other}")),
        })?;
        Ok(Self { what, pool, rt: Some(rt) })
    }

    /// Run `fut` on the store's runtime and wait for it.
    fn block<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        match &self.rt {
            Some(rt) => rt.block_on(fut),
            None => Err(StoreError::Backend("the store is closed".into())),
        }
    }

    /// Run `f` in a transaction: committed when it returns `Ok`, rolled back otherwise.
    fn write<T>(&self, f: impl AsyncFnOnce(&mut PgConnection) -> Result<T>) -> Result<T> {
        self.block(async {
            let mut tx = self.pool.begin().await.map_err(backend)?;
            let out = f(&mut tx).await?;
            tx.commit().await.map_err(backend)?;
            Ok(out)
        })
    }

    /// Run `f` on a pooled connection, outside any transaction.
    fn read<T>(&self, f: impl AsyncFnOnce(&mut PgConnection) -> Result<T>) -> Result<T> {
        self.block(async {
            let mut conn = self.pool.acquire().await.map_err(backend)?;
            f(&mut conn).await
        })
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Never blocks, so the store may be dropped from async code too.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, what, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*what),
                MigrationType::Simple,
                sqlx::SqlSafeStr::into_sql_str(*sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl Store for PgStore {
    fn describe(&self) -> String {
        self.what.clone()
    }

    fn ping(&self) -> Result<()> {
        self.read(async |c| sqlx::query("SELECT 1").execute(c).await.map_err(backend).map(drop))
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(async |c| {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(c)
                .await
                .map_err(backend)
        })
    }

    fn set_setting_if_absent(&self, key: &str, value: &str) -> Result<bool> {
        self.write(async |c| {
            let done = sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(value)
                .execute(c)
                .await
                .map_err(backend)?;
            Ok(done.rows_affected() == 1)
        })
    }

    fn create_tenant(&self, t: &NewTenant, key: &ApiKeyRecord) -> Result<Tenant> {
        self.write(async |c| {
            let inserted = sqlx::query(
                "INSERT INTO tenants (id, name, subscription_start, sla_contract, prepaid_hours, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&t.id)
            .bind(&t.name)
            .bind(t.subscription_start)
            .bind(&t.sla_contract)
            .bind(t.prepaid_hours)
            .bind(t.created_at)
            .execute(&mut *c)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 0 {
                return Err(StoreError::Conflict(crate::Record::Tenant(t.id.clone())));
            }
            sqlx::query("INSERT INTO api_keys (key_id, tenant_id, hash, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&key.key_id)
                .bind(&key.tenant_id)
                .bind(key.hash.as_slice())
                .bind(key.created_at)
                .execute(&mut *c)
                .await
                .map_err(backend)?;
            Ok(())
        })?;
        Ok(Tenant {
            id: t.id.clone(),
            name: t.name.clone(),
            subscription_start: t.subscription_start,
            sla_contract: t.sla_contract.clone(),
            created_at: rows::micros(t.created_at),
        })
    }

    fn tenants(&self) -> Result<Vec<Tenant>> {
        self.read(async |c| {
            let sql = format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(c).await.map_err(backend)?;
            rows.iter().map(tenant_row).collect()
        })
    }

    fn tenant(&self, id: &str) -> Result<Option<Tenant>> {
        self.read(async |c| {
            let sql = format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE id = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await.map_err(backend)?;
            row.as_ref().map(tenant_row).transpose()
        })
    }

    fn api_key(&self, key_id: &str) -> Result<Option<ApiKeyRecord>> {
        self.read(async |c| {
            let row = sqlx::query(
                "SELECT key_id, hash, tenant_id, created_at FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL",
            )
            .bind(key_id)
            .fetch_optional(c)
            .await
            .map_err(backend)?;
            let Some(row) = row else { return Ok(None) };
            let hash: Vec<u8> = row.try_get(1).map_err(backend)?;
            let hash: [u8; 32] = hash
                .try_into()
                .map_err(|_| StoreError::Backend(format!("the hash of key `{key_id}` is not 32 bytes")))?;
            Ok(Some(ApiKeyRecord {
                key_id: row.try_get(0).map_err(backend)?,
                hash,
                tenant_id: row.try_get(2).map_err(backend)?,
                created_at: row.try_get(3).map_err(backend)?,
            }))
        })
    }

    fn add_api_key(&self, key: &ApiKeyRecord) -> Result<()> {
        self.write(async |c| {
            let added = sqlx::query(
                "INSERT INTO api_keys (key_id, tenant_id, hash, created_at)
                 SELECT $1, id, $3, $4 FROM tenants WHERE id = $2",
            )
            .bind(&key.key_id)
            .bind(&key.tenant_id)
            .bind(key.hash.as_slice())
            .bind(key.created_at)
            .execute(c)
            .await
            .map_err(|e| match is_code(&e, rows::UNIQUE) {
                true => StoreError::Conflict(crate::Record::Key { key: key.key_id.clone(), tenant: None }),
                false => backend(e),
            })?;
            match added.rows_affected() {
                0 => Err(StoreError::NotFound(crate::Record::Tenant(key.tenant_id.clone()))),
                _ => Ok(()),
            }
        })
    }

    fn api_keys(&self, tenant: &str) -> Result<Vec<ApiKeyInfo>> {
        self.read(async |c| {
            let rows = sqlx::query(
                "SELECT key_id, created_at, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, added",
            )
            .bind(tenant)
            .fetch_all(c)
            .await
            .map_err(backend)?;
            rows.iter()
                .map(|r| {
                    Ok(ApiKeyInfo {
                        key_id: r.try_get(0).map_err(backend)?,
                        created_at: r.try_get(1).map_err(backend)?,
                        revoked_at: r.try_get(2).map_err(backend)?,
                    })
                })
                .collect()
        })
    }

    fn revoke_api_key(&self, tenant: &str, key_id: &str, at: DateTime<Utc>) -> Result<ApiKeyInfo> {
        self.write(async |c| {
            let found = sqlx::query(
                "SELECT created_at, revoked_at FROM api_keys WHERE tenant_id = $1 AND key_id = $2 FOR UPDATE",
            )
            .bind(tenant)
            .bind(key_id)
            .fetch_optional(&mut *c)
            .await
            .map_err(backend)?;
            let Some(found) = found else {
                return Err(StoreError::NotFound(crate::Record::Key {
                    key: key_id.to_owned(),
                    tenant: Some(tenant.to_owned()),
                }));
            };
            let revoked: Option<DateTime<Utc>> = found.try_get(1).map_err(backend)?;
            if revoked.is_some() {
                return Err(StoreError::Conflict(crate::Record::KeyRevocation(key_id.to_owned())));
            }
            sqlx::query("UPDATE api_keys SET revoked_at = $3 WHERE tenant_id = $1 AND key_id = $2")
                .bind(tenant)
                .bind(key_id)
                .bind(at)
                .execute(&mut *c)
                .await
                .map_err(backend)?;
            Ok(ApiKeyInfo {
                key_id: key_id.to_owned(),
                created_at: found.try_get(0).map_err(backend)?,
                revoked_at: Some(rows::micros(at)),
            })
        })
    }

    fn pack_versions(&self, name: Option<&str>) -> Result<Vec<PackVersionRecord>> {
        self.read(async |c| {
            let sql =
                format!("SELECT {VERSION_COLUMNS} FROM pack_versions WHERE $1::text IS NULL OR name = $1 ORDER BY seq");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_all(c).await.map_err(backend)?;
            rows.iter().map(version_row).collect()
        })
    }

    fn add_pack_version(&self, v: &NewPackVersion) -> Result<PackVersionRecord> {
        let files = serde_json::to_string(&v.files).map_err(|e| StoreError::Backend(e.to_string()))?;
        let seq: i64 = self.write(async |c| {
            sqlx::query_scalar(
                "INSERT INTO pack_versions (name, version, effective_from, digest, bundle_digest, files, source, activated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
            )
            .bind(&v.name)
            .bind(&v.version)
            .bind(v.effective_from)
            .bind(&v.digest)
            .bind(&v.bundle_digest)
            .bind(files)
            .bind(&v.source)
            .bind(v.activated_at)
            .fetch_one(c)
            .await
            .map_err(backend)
        })?;
        Ok(PackVersionRecord::recorded(seq, v))
    }

    fn mark_rolled_back(&self, seq: i64, at: DateTime<Utc>) -> Result<()> {
        let n = self.write(async |c| {
            sqlx::query("UPDATE pack_versions SET rolled_back_at = $2 WHERE seq = $1 AND rolled_back_at IS NULL")
                .bind(seq)
                .bind(at)
                .execute(c)
                .await
                .map_err(backend)
        })?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound(crate::Record::PackVersion(seq)));
        }
        Ok(())
    }

    fn pack_log_head(&self) -> Result<(i64, i64)> {
        self.read(async |c| {
            sqlx::query_as("SELECT COALESCE(MAX(seq), 0)::bigint, COUNT(rolled_back_at) FROM pack_versions")
                .fetch_one(c)
                .await
                .map_err(backend)
        })
    }

    fn put_model(&self, tenant: &str, m: &ModelRecord, if_digest: Option<&str>) -> Result<ModelSaved> {
        self.write(async |c| missions::put_model(c, tenant, m, if_digest).await)
    }

    fn model(&self, tenant: &str, id: &str) -> Result<Option<ModelRecord>> {
        self.read(async |c| missions::model(c, tenant, id).await)
    }

    fn models(&self, tenant: &str) -> Result<Vec<ModelRecord>> {
        self.read(async |c| missions::models(c, tenant).await)
    }

    fn model_versions(&self, tenant: &str, id: &str) -> Result<Vec<ModelVersionInfo>> {
        self.read(async |c| missions::model_versions(c, tenant, id).await)
    }

    fn model_version(&self, tenant: &str, id: &str, version: i64) -> Result<Option<ModelRecord>> {
        self.read(async |c| missions::model_version(c, tenant, id, version).await)
    }

    fn create_mission(&self, tenant: &str, m: &MissionRecord) -> Result<()> {
        self.write(async |c| missions::create_mission(c, tenant, m).await)
    }

    fn mission(&self, tenant: &str, id: &str) -> Result<Option<MissionRecord>> {
        self.read(async |c| missions::mission(c, tenant, id).await)
    }

    fn mission_heads(&self, tenant: &str, model_id: Option<&str>) -> Result<Vec<MissionHead>> {
        self.read(async |c| missions::mission_heads(c, tenant, model_id).await)
    }

    fn set_mission_state(
        &self,
        tenant: &str,
        id: &str,
        state: &serde_json::Value,
        at: DateTime<Utc>,
        model_version: i64,
        if_state: Option<&serde_json::Value>,
    ) -> Result<bool> {
        self.write(async |c| missions::set_mission_state(c, tenant, id, state, at, model_version, if_state).await)
    }

    fn migrate_missions(&self, tenant: &str, all: &[MissionMigration]) -> Result<()> {
        self.write(async |c| missions::migrate_missions(c, tenant, all).await)
    }

    fn tenant_closures(&self, tenant: &str) -> Result<Vec<NaiveDate>> {
        self.read(async |c| missions::tenant_closures(c, tenant).await)
    }

    fn set_tenant_closures(&self, tenant: &str, closures: &[NaiveDate], at: DateTime<Utc>) -> Result<()> {
        self.write(async |c| missions::set_tenant_closures(c, tenant, closures, at).await)
    }

    fn record_ticket(
        &self,
        t: &NewTicket,
        decide: &mut dyn FnMut(&LedgerState) -> Result<TicketDecision, BoxError>,
    ) -> Result<TicketRecord> {
        self.write(async |c| tickets::record_ticket(c, t, decide).await)
    }

    fn tickets(&self, tenant: &str, month: &str) -> Result<(Vec<TicketRecord>, Decimal)> {
        self.read(async |c| tickets::tickets(c, tenant, month).await)
    }

    fn ticket(&self, tenant: &str, number: i64) -> Result<Option<TicketWithEvents>> {
        self.read(async |c| tickets::ticket(c, tenant, number).await)
    }

    fn append_ticket_event(
        &self,
        tenant: &str,
        number: i64,
        event: &NewTicketEvent,
        max_events: usize,
    ) -> Result<TicketWithEvents> {
        self.write(async |c| tickets::append_event(c, tenant, number, event, max_events).await)
    }

    fn ticket_clocks(&self, tenant: &str) -> Result<Vec<TicketClock>> {
        self.read(async |c| tickets::clocks(c, tenant).await)
    }

    fn put_plugin(&self, tenant: &str, p: &PluginRecord, wasm: &[u8]) -> Result<bool> {
        self.write(async |c| plugins::put_plugin(c, tenant, p, wasm).await)
    }

    fn plugins(&self, tenant: &str) -> Result<Vec<PluginRecord>> {
        self.read(async |c| plugins::plugins(c, tenant).await)
    }

    fn plugin_code(&self, digest: &str) -> Result<Option<Vec<u8>>> {
        self.read(async |c| {
            sqlx::query_scalar("SELECT wasm FROM plugin_code WHERE digest = $1")
                .bind(digest)
                .fetch_optional(c)
                .await
                .map_err(backend)
        })
    }

    fn delete_plugin(&self, tenant: &str, name: &str, now: DateTime<Utc>) -> Result<bool> {
        self.write(async |c| plugins::delete_plugin(c, tenant, name, now).await)
    }

    fn plugin_history(&self, tenant: &str, name: &str) -> Result<Vec<PluginHistoryEntry>> {
        self.read(async |c| plugins::plugin_history(c, tenant, name).await)
    }

    fn rollback_plugin(&self, tenant: &str, name: &str, seq: u64, now: DateTime<Utc>) -> Result<PluginRecord> {
        self.write(async |c| plugins::rollback_plugin(c, tenant, name, seq, now).await)
    }

    fn claim_idempotency(&self, req: &IdempotentRequest, now: DateTime<Utc>, ttl: chrono::TimeDelta) -> Result<Claim> {
        self.write(async |c| audit::claim(c, req, now, ttl).await)
    }

    fn finish_idempotency(&self, principal: &str, key: &str, status: u16, response: &str) -> Result<()> {
        self.write(async |c| {
            sqlx::query("UPDATE idempotency SET status = $3, response = $4 WHERE principal = $1 AND key = $2")
                .bind(principal)
                .bind(key)
                .bind(i32::from(status))
                .bind(response)
                .execute(c)
                .await
                .map_err(backend)
                .map(drop)
        })
    }

    fn release_idempotency(&self, principal: &str, key: &str) -> Result<()> {
        self.write(async |c| {
            sqlx::query("DELETE FROM idempotency WHERE principal = $1 AND key = $2 AND status IS NULL")
                .bind(principal)
                .bind(key)
                .execute(c)
                .await
                .map_err(backend)
                .map(drop)
        })
    }

    fn append_audit(&self, records: &[AuditRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.write(async |c| audit::append(c, records).await)
    }

    fn audit(&self, after: i64, limit: u32, tenant: Option<&str>) -> Result<Vec<AuditEntry>> {
        self.read(async |c| audit::entries(c, after, limit, tenant).await)
    }

    fn recorded_inputs(&self, query: &InputQuery, after: i64, limit: u32) -> Result<Vec<RecordedInput>> {
        self.read(async |c| audit::inputs(c, query, after, limit).await)
    }

    fn purge_audit(&self, before: DateTime<Utc>) -> Result<u64> {
        self.write(async |c| {
            sqlx::query("DELETE FROM audit WHERE at < $1")
                .bind(before)
                .execute(c)
                .await
                .map_err(backend)
                .map(|d| d.rows_affected())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn messages_never_show_the_password() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/missions"), "postgres://app@db:5432/missions");
        assert_eq!(redact("postgres://app@db/missions"), "postgres://app@db/missions");
        assert_eq!(redact("postgres:///missions"), "postgres:///missions");
    }
}
