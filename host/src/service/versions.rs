//! What the pack registry answers: the versions it serves, and what an activation, a rollback or
//! the choice of a version for a request did or why it did not.

use chrono::{DateTime, NaiveDate, Utc};
use missions_engine::{Diagnostic, Location};
use missions_store::StoreError;
use serde::Serialize;

/// A loaded version, as `GET /v1/packs` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LiveVersion {
    /// Activation number in the store.
    pub seq: i64,
    /// The pack's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The first day it applies to.
    pub effective_from: NaiveDate,
    /// The engine's digest (results carry it).
    pub digest: String,
    /// SHA-256 over all its files, golden cases included.
    pub bundle_digest: String,
    /// When it was activated.
    pub activated_at: DateTime<Utc>,
    /// Where it came from (`api`, `files:<folder>`).
    pub source: String,
    /// Its entries.
    pub entries: Vec<String>,
}

/// A golden case that failed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FailedCase {
    /// The case file, relative to the pack.
    pub file: String,
    /// The entry it evaluates.
    pub entry: String,
    /// The case's name.
    pub name: String,
    /// Where the case is written.
    pub location: Location,
    /// Why it failed.
    pub failure: String,
    /// Each expected field that differs, with its expected and actual value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diffs: Vec<missions_engine::FieldDiff>,
}

/// Why a version was not activated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// The pack (its name when known, else its folder).
    pub pack: String,
    /// In one sentence.
    pub reason: String,
    /// Load and compile problems, each with file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Golden cases that failed.
    pub failed_cases: Vec<FailedCase>,
    /// Refused because the version in force is not the one the change was made from.
    pub stale: bool,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.reason)?;
        for d in &self.diagnostics {
            write!(f, "\n  {d}")?;
        }
        for c in &self.failed_cases {
            write!(f, "\n  case `{}` ({}): {}", c.name, c.location, c.failure)?;
        }
        Ok(())
    }
}

/// What an activation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activated {
    /// The version now loaded.
    pub version: LiveVersion,
    /// False when the same files were already active (nothing changed).
    pub changed: bool,
    /// Golden cases run and passed.
    pub cases: usize,
}

/// Why a rollback did not happen.
#[derive(Debug)]
pub enum RollbackError {
    /// No version of the pack is loaded.
    UnknownPack(String),
    /// The pack has one version only.
    NothingToRollBackTo(Box<LiveVersion>),
    /// The version to go back to no longer loads with this build.
    Broken(Box<Rejection>),
    /// The store failed.
    Store(StoreError),
}

/// Which version a request gets, or why none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// No pack of that name; the closest name, if any.
    UnknownPack(String, Option<String>),
    /// The pack's first version starts after the date.
    NoVersion {
        /// The pack.
        pack: String,
        /// The date asked for.
        date: NaiveDate,
        /// The first `effective_from`.
        first: NaiveDate,
    },
}
