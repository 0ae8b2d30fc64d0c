//! Loading the snapshot from the store: on open, and again whenever another process sharing the
//! store (a replica on the same PostgreSQL database) activated or rolled back a version.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError};

use chrono::NaiveDate;
use missions_store::{PackVersionRecord, StoreError};

use super::{PackRegistry, Snapshot, live_version};
use crate::service::versions::Rejection;

impl PackRegistry {
    /// Serve what the store holds, when another process (a replica on the same database)
    /// activated or rolled back a version since this one last loaded: `Some` with the versions
    /// that no longer load, `None` when nothing changed. Cheap when nothing did: one small query.
    pub fn refresh(&self) -> Result<Option<Vec<Rejection>>, StoreError> {
        let _guard = self.lock_changes();
        let head = self.store.pack_log_head()?;
        if *self.head.lock().unwrap_or_else(PoisonError::into_inner) == head {
            return Ok(None);
        }
        let rejected = self.reload()?;
        self.metrics.reload("*", "store");
        tracing::info!(seq = head.0, rolled_back = head.1, "pack versions reloaded from the store");
        Ok(Some(rejected))
    }

    /// Build the snapshot from every version in the store (the newest activation of each pack
    /// and `effective_from`, rolled-back ones left out).
    pub(super) fn reload(&self) -> Result<Vec<Rejection>, StoreError> {
        // The head first: a change landing while the history is read is seen by the next refresh.
        let head = self.store.pack_log_head()?;
        let history = self.store.pack_versions(None)?;
        let mut winners: BTreeMap<(String, NaiveDate), &PackVersionRecord> = BTreeMap::new();
        for r in history.iter().filter(|r| r.rolled_back_at.is_none()) {
            winners.insert((r.name.clone(), r.effective_from), r);
        }
        let mut rejected = Vec::new();
        let mut snap = Snapshot::default();
        for r in winners.values() {
            match self.compile(r) {
                Ok(pack) => {
                    snap.live.insert(pack.id().digest.clone(), live_version(r, &pack));
                    snap.set.insert(pack);
                }
                Err(rej) => rejected.push(rej),
            }
        }
        self.snapshot.store(Arc::new(snap));
        *self.head.lock().unwrap_or_else(PoisonError::into_inner) = head;
        Ok(rejected)
    }
}
