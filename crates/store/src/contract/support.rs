//! The stores the contract runs on: a private SQLite database, and a schema of its own on the
//! PostgreSQL server `MISSIONS_TEST_POSTGRES` names.

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

use crate::{PgStore, SqliteStore};

pub(super) fn sqlite() -> SqliteStore {
    SqliteStore::open_in_memory().unwrap()
}

/// The test server's URL; `None` (with a message) when it is not set, and a failure under CI,
/// where the PostgreSQL tests must run.
pub(super) fn postgres_url() -> Option<String> {
    match std::env::var("MISSIONS_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("MISSIONS_TEST_POSTGRES is not set: CI must run the PostgreSQL store tests")
        }
        _ => {
            // Written to the stream itself, past the test harness's capture, so a plain
            // `cargo test` shows which tests did not run.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED on PostgreSQL: set MISSIONS_TEST_POSTGRES=postgres://user@host/db to run it"
            );
            None
        }
    }
}

/// A schema of its own on the test server, dropped with everything in it when this is.
pub(super) struct PgSchema {
    url: String,
    name: String,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

impl PgSchema {
    pub(super) fn create() -> Option<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = postgres_url()?;
        let name = format!("contract_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        runtime().block_on(async {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            let sql = format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
        });
        Some(Self { url, name })
    }

    /// A store on the schema: each call is another replica of one database.
    pub(super) fn open(&self) -> PgStore {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        PgStore::open(&format!("{}{sep}options=-c%20search_path%3D{}", self.url, self.name)).unwrap()
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        runtime().block_on(async {
            if let Ok(mut c) = sqlx::PgConnection::connect(&self.url).await {
                let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
            }
        });
    }
}
