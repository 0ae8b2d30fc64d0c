//! Two handles on one database, as two `missions serve` replicas (or two processes on one SQLite
//! file) have: what one writes the other reads, the helpdesk quota holds across both, and the
//! audit log pages without a gap while both write.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};

use rust_decimal::Decimal;
use serde_json::json;

use super::{at, key, now, tenant, ticket};
use crate::{AuditRecord, LedgerState, Store, TicketDecision};

/// Each test, on two SQLite handles on one file and on two PostgreSQL stores on one schema.
macro_rules! replicas {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("missions.db");
                let a = crate::SqliteStore::open(&path).unwrap();
                let b = crate::SqliteStore::open(&path).unwrap();
                super::$name(&a, &b);
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(db) = super::super::support::PgSchema::create() {
                    super::$name(&db.open(), &db.open());
                }
            })*
        }
    };
}

replicas!(
    what_one_replica_writes_the_other_reads,
    the_quota_holds_across_replicas,
    audit_pages_skip_nothing_while_replicas_write
);

fn what_one_replica_writes_the_other_reads(a: &dyn Store, b: &dyn Store) {
    tenant(a, "t");
    assert!(b.tenant("t").unwrap().is_some());
    b.add_api_key(&key("t", "k-2", 2)).unwrap();
    a.revoke_api_key("t", "k-2", at(1)).unwrap();
    assert!(b.api_key("k-2").unwrap().is_none(), "a key revoked on one is refused by the other");
    assert!(b.set_setting_if_absent("s", "from b").unwrap());
    assert!(!a.set_setting_if_absent("s", "from a").unwrap());
    let saved = a.put_model("t", &super::model("one"), None).unwrap();
    assert_eq!(saved.version, 1);
    // b read version 1 before a saved version 2: its save from version 1 is stale.
    a.put_model("t", &super::model("two"), Some("d-one")).unwrap();
    assert!(matches!(b.put_model("t", &super::model("three"), Some("d-one")), Err(crate::StoreError::Stale(_))));
}

/// How many of the month's requests the test's quota includes.
const INCLUDED: u32 = 10;

fn the_quota_holds_across_replicas(a: &dyn Store, b: &dyn Store) {
    tenant(a, "t");
    let quarter = Decimal::new(25, 2);
    std::thread::scope(|scope| {
        for i in 0..100 {
            let store = if i % 2 == 0 { a } else { b };
            scope.spawn(move || {
                let decide = &mut |l: &LedgerState| {
                    let counted = l.used_this_month < INCLUDED;
                    Ok(TicketDecision {
                        allowed: true,
                        counted,
                        over_quota: !counted,
                        charge: Decimal::ZERO,
                        deducted_hours: if counted { Decimal::ZERO } else { quarter },
                        decision: json!({"used": l.used_this_month}),
                    })
                };
                store.record_ticket(&ticket("t"), decide).unwrap();
            });
        }
    });
    let (tickets, left) = b.tickets("t", "2026-11").unwrap();
    assert_eq!(tickets.len(), 100);
    assert_eq!(tickets.iter().filter(|t| t.counted).count(), INCLUDED as usize, "exactly the included requests");
    // Each decision saw the count before it: 0 to 9 once each, then 10 for every other one.
    let mut seen: Vec<u64> = tickets.iter().map(|t| t.decision["used"].as_u64().unwrap()).collect();
    seen.sort_unstable();
    assert_eq!(seen[..10], (0..10).collect::<Vec<u64>>()[..]);
    assert!(seen[10..].iter().all(|&u| u == u64::from(INCLUDED)));
    // 0.50 prepaid, 90 requests drew a quarter of an hour each, none lost.
    assert_eq!(left, Decimal::new(50, 2) - Decimal::from(90) * quarter);
}

fn audit_pages_skip_nothing_while_replicas_write(a: &dyn Store, b: &dyn Store) {
    let record = |n: usize| AuditRecord {
        at: now(),
        tenant: "t".into(),
        pack: "p".into(),
        entry: "e".into(),
        version: "1".into(),
        digest: "d".into(),
        input_sha256: format!("{n}"),
        ok: true,
        result: "{}".into(),
        request_id: None,
        input: None,
    };
    let batch_size = |writer: usize, n: usize| 1 + (n + writer) % 3;
    let written: usize = (0..4).flat_map(|w| (0..40).map(move |n| batch_size(w, n))).sum();
    let done = AtomicBool::new(false);
    let read: Vec<i64> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let store = if w % 2 == 0 { a } else { b };
                scope.spawn(move || {
                    for n in 0..40 {
                        let batch: Vec<AuditRecord> = (0..batch_size(w, n)).map(record).collect();
                        store.append_audit(&batch).unwrap();
                    }
                })
            })
            .collect();
        let reader = scope.spawn(|| {
            let mut seen = Vec::new();
            let mut after = 0;
            loop {
                // Read the flag first: a page read after the writers ended sees everything.
                let last = done.load(Ordering::Acquire);
                let page = a.audit(after, 7, None).unwrap();
                if let Some(e) = page.last() {
                    after = e.id;
                }
                let empty = page.is_empty();
                seen.extend(page.into_iter().map(|e| e.id));
                if last && empty {
                    return seen;
                }
            }
        });
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, Ordering::Release);
        reader.join().unwrap()
    });
    let all: BTreeSet<i64> = a.audit(0, 10_000, None).unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(all.len(), written, "every record written");
    assert!(read.windows(2).all(|w| w[0] < w[1]), "paged in order, none twice");
    assert_eq!(read.into_iter().collect::<BTreeSet<_>>(), all, "paging while replicas wrote skipped none");
}
