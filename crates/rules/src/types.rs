//! The date and instant types scripts see. They wrap chrono so that no chrono or rhai detail leaks
//! into script-facing names, and so both print the way the JSON contract writes them.

use chrono::{DateTime, NaiveDate, Utc};

/// A calendar date (`2026-12-24`), as scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date(pub NaiveDate);

/// An instant in time, as scripts see it. Stored in UTC; shown in the pack's timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Instant(pub DateTime<Utc>);

pub(crate) use missions_base::schema::in_range;

/// A ticket's status changes, `(at, status)` in the input's order: what an entry's `events` list
/// is typed into when the entry only hands it to `sla_clock` (see `direct::uses`), so a change
/// costs no map. Scripts never see inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StatusChanges(pub Vec<(DateTime<Utc>, rhai::ImmutableString)>);
