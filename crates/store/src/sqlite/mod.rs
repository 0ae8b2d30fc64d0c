//! [`Store`] on an embedded SQLite file (bundled: no system library needed). One writer
//! connection behind a mutex takes every write, each in a `BEGIN IMMEDIATE` transaction so that
//! other processes on the same file are excluded too; a few read connections serve reads
//! concurrently thanks to WAL. `synchronous = NORMAL`: a committed transaction survives the
//! process being killed (only a power loss may lose the last ones).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use rust_decimal::Decimal;

mod audit;
mod idempotency;
mod keys;
mod missions;
mod plugins;
mod records;
mod rows;
mod tickets;

use rows::{TENANT_COLUMNS, VERSION_COLUMNS, backend, configure, get_ts, lock, migrate, tenant_row, ts, version_row};

use crate::{
    ApiKeyInfo, ApiKeyRecord, AuditEntry, AuditRecord, BoxError, Claim, IdempotentRequest, InputQuery, LedgerState,
    MissionHead, MissionMigration, MissionRecord, ModelRecord, ModelSaved, ModelVersionInfo, NewPackVersion, NewTenant,
    NewTicket, NewTicketEvent, PackVersionRecord, PluginHistoryEntry, PluginRecord, RecordedInput, Result, Store,
    StoreError, Tenant, TicketClock, TicketDecision, TicketRecord, TicketWithEvents,
};

/// How many read connections a file store keeps.
const READERS: usize = 4;

/// The embedded SQLite store.
#[derive(Debug)]
pub struct SqliteStore {
    what: String,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl SqliteStore {
    /// Open (creating it and its folder if needed) the database file at `path`, and migrate it.
    pub fn open(path: &Path) -> Result<Self> {
        let open_err = |message: String| StoreError::Open { path: path.display().to_string(), message };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| open_err(format!("cannot create the folder `{}`: {e}", dir.display())))?;
        }
        let mut writer = Connection::open(path).map_err(|e| open_err(e.to_string()))?;
        let mode: String =
            writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| open_err(e.to_string()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_err(format!("the database cannot use write-ahead logging (journal mode `{mode}`)")));
        }
        configure(&writer).map_err(|e| open_err(e.to_string()))?;
        migrate(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let r = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
            r.busy_timeout(Duration::from_secs(10)).map_err(|e| open_err(e.to_string()))?;
            r.set_prepared_statement_cache_capacity(64);
            readers.push(Mutex::new(r));
        }
        Ok(Self {
            what: format!("sqlite://{}", path.display()),
            writer: Mutex::new(writer),
            readers,
            next: AtomicUsize::new(0),
        })
    }

    /// A private in-memory database, for tests and trials.
    pub fn open_in_memory() -> Result<Self> {
        let open_err = |e: rusqlite::Error| StoreError::Open { path: ":memory:".into(), message: e.to_string() };
        let mut writer = Connection::open_in_memory().map_err(open_err)?;
        configure(&writer).map_err(open_err)?;
        migrate(&mut writer)?;
        Ok(Self {
            what: "sqlite::memory:".into(),
            writer: Mutex::new(writer),
            readers: Vec::new(),
            next: AtomicUsize::new(0),
        })
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        if self.readers.is_empty() {
            return f(&lock(&self.writer)).map_err(backend);
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        // Take the first free reader from a rotating start; wait on one only when all are busy.
        for i in 0..self.readers.len() {
            if let Some(m) = self.readers.get((start + i) % self.readers.len())
                && let Ok(conn) = m.try_lock()
            {
                return f(&conn).map_err(backend);
            }
        }
        match self.readers.get(start % self.readers.len()) {
            Some(m) => f(&lock(m)).map_err(backend),
            None => f(&lock(&self.writer)).map_err(backend),
        }
    }

    /// Like [`Self::write`], for a change that checks a precondition first: an `Err` from `f`
    /// rolls the transaction back and is returned as is.
    fn write_checked<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<Result<T>>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
        let out = f(&tx).map_err(backend)??;
        tx.commit().map_err(backend)?;
        Ok(out)
    }

    fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
        let out = f(&tx).map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(out)
    }
}

/// Forget a component no tenant uses any more.
fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

impl Store for SqliteStore {
    fn describe(&self) -> String {
        self.what.clone()
    }

    fn ping(&self) -> Result<()> {
        self.read(|c| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))).map(|_| ())
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| {
            c.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()
        })
    }

    fn set_setting_if_absent(&self, key: &str, value: &str) -> Result<bool> {
        self.write(|tx| {
            tx.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)", [key, value]).map(|n| n == 1)
        })
    }

    fn create_tenant(&self, t: &NewTenant, key: &ApiKeyRecord) -> Result<Tenant> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
        let inserted = tx.execute(
            "INSERT INTO tenants (id, name, subscription_start, sla_contract, prepaid_hours, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![t.id, t.name, t.subscription_start.to_string(), t.sla_contract, t.prepaid_hours.to_string(), ts(t.created_at)],
        );
        match inserted {
            Err(e) if is_constraint(&e) => return Err(StoreError::Conflict(crate::Record::Tenant(t.id.clone()))),
            Err(e) => return Err(backend(e)),
            Ok(_) => {}
        }
        tx.execute(
            "INSERT INTO api_keys (key_id, tenant_id, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![key.key_id, key.tenant_id, key.hash.as_slice(), ts(key.created_at)],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        Ok(Tenant {
            id: t.id.clone(),
            name: t.name.clone(),
            subscription_start: t.subscription_start,
            sla_contract: t.sla_contract.clone(),
            created_at: t.created_at,
        })
    }

    fn tenants(&self) -> Result<Vec<Tenant>> {
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id"))?
                .query_map([], tenant_row)?
                .collect()
        })
    }

    fn tenant(&self, id: &str) -> Result<Option<Tenant>> {
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE id = ?1"))?
                .query_row([id], tenant_row)
                .optional()
        })
    }

    fn api_key(&self, key_id: &str) -> Result<Option<ApiKeyRecord>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT key_id, hash, tenant_id, created_at FROM api_keys WHERE key_id = ?1 AND revoked_at IS NULL",
            )?
            .query_row([key_id], |row| {
                let hash: Vec<u8> = row.get(1)?;
                let hash: [u8; 32] = hash
                    .try_into()
                    .map_err(|_| rusqlite::Error::InvalidColumnType(1, "hash".into(), rusqlite::types::Type::Blob))?;
                Ok(ApiKeyRecord { key_id: row.get(0)?, hash, tenant_id: row.get(2)?, created_at: get_ts(row, 3)? })
            })
            .optional()
        })
    }

    fn add_api_key(&self, key: &ApiKeyRecord) -> Result<()> {
        self.write_checked(|tx| keys::add(tx, key))
    }

    fn api_keys(&self, tenant: &str) -> Result<Vec<ApiKeyInfo>> {
        self.read(|c| keys::list(c, tenant))
    }

    fn revoke_api_key(&self, tenant: &str, key_id: &str, at: DateTime<Utc>) -> Result<ApiKeyInfo> {
        self.write_checked(|tx| keys::revoke(tx, tenant, key_id, at))
    }

    fn pack_versions(&self, name: Option<&str>) -> Result<Vec<PackVersionRecord>> {
        self.read(|c| match name {
            Some(n) => c
                .prepare_cached(&format!("SELECT {VERSION_COLUMNS} FROM pack_versions WHERE name = ?1 ORDER BY seq"))?
                .query_map([n], version_row)?
                .collect(),
            None => c
                .prepare_cached(&format!("SELECT {VERSION_COLUMNS} FROM pack_versions ORDER BY seq"))?
                .query_map([], version_row)?
                .collect(),
        })
    }

    fn add_pack_version(&self, v: &NewPackVersion) -> Result<PackVersionRecord> {
        let files = serde_json::to_string(&v.files).map_err(|e| StoreError::Backend(e.to_string()))?;
        let seq = self.write(|tx| {
            tx.execute(
                "INSERT INTO pack_versions (name, version, effective_from, digest, bundle_digest, files, source, activated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![v.name, v.version, v.effective_from.to_string(), v.digest, v.bundle_digest, files, v.source, ts(v.activated_at)],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(PackVersionRecord::recorded(seq, v))
    }

    fn mark_rolled_back(&self, seq: i64, at: DateTime<Utc>) -> Result<()> {
        let n = self.write(|tx| {
            tx.execute(
                "UPDATE pack_versions SET rolled_back_at = ?2 WHERE seq = ?1 AND rolled_back_at IS NULL",
                params![seq, ts(at)],
            )
        })?;
        if n == 0 {
            return Err(StoreError::NotFound(crate::Record::PackVersion(seq)));
        }
        Ok(())
    }

    fn pack_log_head(&self) -> Result<(i64, i64)> {
        self.read(|c| {
            c.prepare_cached("SELECT COALESCE(MAX(seq), 0), COUNT(rolled_back_at) FROM pack_versions")?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        })
    }

    fn put_model(&self, tenant: &str, m: &ModelRecord, if_digest: Option<&str>) -> Result<ModelSaved> {
        self.write_checked(|tx| missions::put_model(tx, tenant, m, if_digest))
    }

    fn model(&self, tenant: &str, id: &str) -> Result<Option<ModelRecord>> {
        self.read(|c| missions::model(c, tenant, id))
    }

    fn models(&self, tenant: &str) -> Result<Vec<ModelRecord>> {
        self.read(|c| missions::models(c, tenant))
    }

    fn model_versions(&self, tenant: &str, id: &str) -> Result<Vec<ModelVersionInfo>> {
        self.read(|c| missions::model_versions(c, tenant, id))
    }

    fn model_version(&self, tenant: &str, id: &str, version: i64) -> Result<Option<ModelRecord>> {
        self.read(|c| missions::model_version(c, tenant, id, version))
    }

    fn put_plugin(&self, tenant: &str, p: &PluginRecord, wasm: &[u8]) -> Result<bool> {
        match self.write(|tx| plugins::put_plugin(tx, tenant, p, wasm)) {
            Err(StoreError::Backend(m)) if m.contains("FOREIGN KEY") => {
                Err(StoreError::NotFound(crate::Record::Tenant(tenant.to_owned())))
            }
            other => other,
        }
    }

    fn plugins(&self, tenant: &str) -> Result<Vec<PluginRecord>> {
        self.read(|c| plugins::plugins(c, tenant))
    }

    fn plugin_code(&self, digest: &str) -> Result<Option<Vec<u8>>> {
        self.read(|c| plugins::plugin_code(c, digest))
    }

    fn delete_plugin(&self, tenant: &str, name: &str, now: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| plugins::delete_plugin(tx, tenant, name, now))
    }

    fn plugin_history(&self, tenant: &str, name: &str) -> Result<Vec<PluginHistoryEntry>> {
        self.read(|c| plugins::plugin_history(c, tenant, name))
    }

    fn rollback_plugin(&self, tenant: &str, name: &str, seq: u64, now: DateTime<Utc>) -> Result<PluginRecord> {
        self.write_checked(|tx| plugins::rollback_plugin(tx, tenant, name, seq, now))
    }

    fn create_mission(&self, tenant: &str, m: &MissionRecord) -> Result<()> {
        if self.write(|tx| missions::create_mission(tx, tenant, m))? {
            Ok(())
        } else {
            Err(StoreError::Conflict(crate::Record::Mission(m.id.clone())))
        }
    }

    fn mission(&self, tenant: &str, id: &str) -> Result<Option<MissionRecord>> {
        self.read(|c| missions::mission(c, tenant, id))
    }

    fn mission_heads(&self, tenant: &str, model_id: Option<&str>) -> Result<Vec<MissionHead>> {
        self.read(|c| missions::mission_heads(c, tenant, model_id))
    }

    fn migrate_missions(&self, tenant: &str, all: &[MissionMigration]) -> Result<()> {
        self.write_checked(|tx| missions::migrate_missions(tx, tenant, all))
    }

    fn tenant_closures(&self, tenant: &str) -> Result<Vec<NaiveDate>> {
        self.read(|c| missions::tenant_closures(c, tenant))
    }

    fn set_tenant_closures(&self, tenant: &str, closures: &[NaiveDate], at: DateTime<Utc>) -> Result<()> {
        self.write(|tx| missions::set_tenant_closures(tx, tenant, closures, at))
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
        self.write_checked(|tx| records::set_mission_state(tx, tenant, id, state, at, model_version, if_state))
    }

    fn record_ticket(
        &self,
        t: &NewTicket,
        decide: &mut dyn FnMut(&LedgerState) -> Result<TicketDecision, BoxError>,
    ) -> Result<TicketRecord> {
        // IMMEDIATE takes the database's write lock before the count is read, so no other
        // connection (in this process or another) can record a ticket between count and insert.
        self.write_checked(|tx| tickets::record_ticket(tx, t, decide))
    }

    fn tickets(&self, tenant: &str, month: &str) -> Result<(Vec<TicketRecord>, Decimal)> {
        self.read(|c| tickets::tickets(c, tenant, month))
    }

    fn ticket(&self, tenant: &str, number: i64) -> Result<Option<TicketWithEvents>> {
        self.read(|c| tickets::ticket(c, tenant, number))
    }

    fn append_ticket_event(
        &self,
        tenant: &str,
        number: i64,
        event: &NewTicketEvent,
        max_events: usize,
    ) -> Result<TicketWithEvents> {
        self.write_checked(|tx| tickets::append_event(tx, tenant, number, event, max_events))
    }

    fn ticket_clocks(&self, tenant: &str) -> Result<Vec<TicketClock>> {
        self.read(|c| tickets::clocks(c, tenant))
    }

    fn append_audit(&self, records: &[AuditRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.write(|tx| audit::append(tx, records))
    }

    fn claim_idempotency(&self, req: &IdempotentRequest, now: DateTime<Utc>, ttl: chrono::TimeDelta) -> Result<Claim> {
        self.write(|tx| idempotency::claim(tx, req, now, ttl))
    }

    fn finish_idempotency(&self, principal: &str, key: &str, status: u16, response: &str) -> Result<()> {
        self.write(|tx| idempotency::finish(tx, principal, key, status, response))
    }

    fn release_idempotency(&self, principal: &str, key: &str) -> Result<()> {
        self.write(|tx| idempotency::release(tx, principal, key))
    }

    fn audit(&self, after: i64, limit: u32, tenant: Option<&str>) -> Result<Vec<AuditEntry>> {
        self.read(|c| audit::entries(c, after, limit, tenant))
    }

    fn recorded_inputs(&self, query: &InputQuery, after: i64, limit: u32) -> Result<Vec<RecordedInput>> {
        self.read(|c| audit::inputs(c, query, after, limit))
    }

    fn purge_audit(&self, before: DateTime<Utc>) -> Result<u64> {
        self.write(|tx| {
            tx.execute("DELETE FROM audit WHERE at < ?1", [ts(before)]).map(|n| u64::try_from(n).unwrap_or(u64::MAX))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::contract::tenant;
    use chrono::{NaiveDate, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_file_store_migrates_once_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/missions.db");
        {
            let s = SqliteStore::open(&path).unwrap();
            tenant(&s, "a");
            assert!(matches!(
                s.create_tenant(
                    &NewTenant {
                        id: "a".into(),
                        name: "a".into(),
                        subscription_start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                        sla_contract: "nav".into(),
                        prepaid_hours: Decimal::ZERO,
                        created_at: now()
                    },
                    &ApiKeyRecord { key_id: "other".into(), hash: [0; 32], tenant_id: "a".into(), created_at: now() }
                ),
                Err(StoreError::Conflict(_))
            ));
        }
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.tenants().unwrap().len(), 1);
        assert_eq!(s.api_key("k-a").unwrap().unwrap().hash, [7; 32]);
        assert!(s.api_key("nope").unwrap().is_none());
    }
}
