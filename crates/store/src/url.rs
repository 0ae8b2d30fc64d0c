//! The `--db` URL: which store to open, and opening it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::{Result, Store, StoreError};

/// Open the store a `--db` URL names: `sqlite://PATH` (the folder is created, migrations run),
/// `sqlite::memory:`, or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (migrations run).
pub fn open(url: &str) -> Result<Arc<dyn Store>> {
    match parse_url(url)? {
        StoreUrl::SqliteFile(path) => Ok(Arc::new(SqliteStore::open(&path)?)),
        StoreUrl::SqliteMemory => Ok(Arc::new(SqliteStore::open_in_memory()?)),
        StoreUrl::Postgres(url) => Ok(Arc::new(PgStore::open(&url)?)),
    }
}

/// A parsed `--db` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// An SQLite file.
    SqliteFile(PathBuf),
    /// A private in-memory SQLite database (gone when the process ends).
    SqliteMemory,
    /// A PostgreSQL database (`postgres://` or `postgresql://`).
    Postgres(String),
}

impl StoreUrl {
    /// Whether several processes may share the store (PostgreSQL): then the host expects other
    /// replicas to change pack versions and keys too.
    pub fn is_shared(&self) -> bool {
        matches!(self, StoreUrl::Postgres(_))
    }
}

/// Parse a `--db` URL.
pub fn parse_url(url: &str) -> Result<StoreUrl> {
    if url == "sqlite::memory:" || url == "sqlite://:memory:" {
        return Ok(StoreUrl::SqliteMemory);
    }
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        if path.is_empty() {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        }
        return Ok(StoreUrl::SqliteFile(PathBuf::from(path)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(StoreUrl::Postgres(url.to_owned()));
    }
    Err(StoreError::UnsupportedUrl(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("sqlite://./data/missions.db").ok(),
            Some(StoreUrl::SqliteFile("./data/missions.db".into()))
        );
        assert_eq!(parse_url("sqlite:///var/lib/m.db").ok(), Some(StoreUrl::SqliteFile("/var/lib/m.db".into())));
        assert_eq!(parse_url("sqlite::memory:").ok(), Some(StoreUrl::SqliteMemory));
        assert_eq!(parse_url("postgres://app@db/m").ok(), Some(StoreUrl::Postgres("postgres://app@db/m".into())));
        assert!(parse_url("postgresql://db/m").is_ok_and(|u| u.is_shared()));
        assert!(matches!(parse_url("mysql://x"), Err(StoreError::UnsupportedUrl(_))));
        assert!(matches!(parse_url("sqlite://"), Err(StoreError::UnsupportedUrl(_))));
    }
}
