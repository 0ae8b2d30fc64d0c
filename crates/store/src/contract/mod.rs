//! The store's contract: every test here runs on SQLite and on PostgreSQL, through `&dyn Store`
//! only, so both implementations are held to one behaviour. The PostgreSQL runs need a server:
//! `MISSIONS_TEST_POSTGRES=postgres://user@host/db` (each test works in a schema of its own,
//! dropped after). Without it they are skipped with a message, except under CI, where they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod replicas;
mod support;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::{
    ApiKeyRecord, AuditRecord, Claim, IdempotentRequest, InputQuery, LedgerState, MissionMigration, MissionRecord,
    ModelRecord, ModelSaved, NewTenant, NewTicket, NewTicketEvent, PluginChange, PluginLimits, PluginRecord, Store,
    StoreError, TicketDecision, TicketWithEvents,
};

/// Each contract test, once per store: `sqlite::NAME` and `postgres::NAME`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&super::support::sqlite());
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(db) = super::support::PgSchema::create() {
                    super::$name(&db.open());
                }
            })*
        }
    };
}

contract!(
    tickets_count_per_tenant_and_month_and_draw_prepaid_hours,
    audit_pages,
    kept_inputs_are_read_back_by_pack_entry_and_age_and_purged_by_age,
    keys_are_added_listed_and_revoked_per_tenant,
    each_changed_save_is_a_new_immutable_version,
    missions_migrate_all_or_none_and_only_as_read,
    tenant_closures_are_per_tenant,
    events_are_kept_in_time_order_whatever_order_and_offset_they_come_in,
    a_tenant_reaches_only_its_own_tickets_and_a_full_ticket_takes_no_more,
    a_key_is_claimed_once_answered_then_forgotten_after_its_time,
    tenants_settings_and_pack_versions,
    plugins_keep_their_history_and_roll_back,
);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 10, minute, 0).unwrap()
}

pub(crate) fn tenant(store: &dyn Store, id: &str) {
    let t = NewTenant {
        id: id.into(),
        name: id.into(),
        subscription_start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        sla_contract: "nav".into(),
        prepaid_hours: Decimal::new(50, 2),
        created_at: now(),
    };
    let key = ApiKeyRecord { key_id: format!("k-{id}"), hash: [7; 32], tenant_id: id.into(), created_at: now() };
    store.create_tenant(&t, &key).unwrap();
}

fn ticket(id: &str) -> NewTicket {
    NewTicket {
        tenant_id: id.into(),
        month: "2026-11".into(),
        at: "2026-11-20T10:00:00+01:00".into(),
        kind: 1,
        filed_by: "master".into(),
        subject: None,
        sla: None,
        sla_input: None,
        created_at: now(),
    }
}

fn key(tenant: &str, id: &str, day: u32) -> ApiKeyRecord {
    ApiKeyRecord {
        key_id: id.into(),
        hash: [1; 32],
        tenant_id: tenant.into(),
        created_at: Utc.with_ymd_and_hms(2026, 12, day, 9, 0, 0).unwrap(),
    }
}

fn model(text: &str) -> ModelRecord {
    ModelRecord {
        id: "firm".into(),
        version: 0,
        text: text.into(),
        digest: format!("d-{text}"),
        parents: BTreeMap::from([("isqm-standard.yaml".into(), "parent".into())]),
        updated_at: at(0),
        saved_by: Some("k1".into()),
    }
}

fn mission(id: &str) -> MissionRecord {
    MissionRecord {
        id: id.into(),
        model_id: "firm".into(),
        model_version: 1,
        model_digest: "d-one".into(),
        input: json!({"client": "c"}),
        plan: json!({"actions": []}),
        state: None,
        closures: vec![NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()],
        history: Vec::new(),
        created_at: at(1),
        updated_at: at(1),
    }
}

fn migration(id: &str, from_state: Option<serde_json::Value>) -> MissionMigration {
    MissionMigration {
        id: id.into(),
        from_version: 1,
        from_state,
        to_version: 2,
        to_digest: "d-two".into(),
        plan: json!({"actions": [1]}),
        state: Some(json!({"actions": []})),
        closures: Vec::new(),
        history: json!({"from": 1, "to": 2}),
        at: at(5),
    }
}

fn file(store: &dyn Store, tenant: &str) -> i64 {
    let t = NewTicket {
        tenant_id: tenant.into(),
        month: "2026-12".into(),
        at: "2026-12-01T09:00:00+01:00".into(),
        kind: 2,
        filed_by: "master".into(),
        subject: Some("the export hangs".into()),
        sla: Some(json!({"deadline": "2026-12-01T13:00:00+01:00"})),
        sla_input: Some(json!({"contract": "nav", "priority": "P1", "opened": "2026-12-01T09:00:00+01:00"})),
        created_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
    };
    let decide = &mut |_: &LedgerState| {
        Ok(TicketDecision {
            allowed: true,
            counted: false,
            over_quota: false,
            charge: Decimal::ZERO,
            deducted_hours: Decimal::ZERO,
            decision: json!({}),
        })
    };
    store.record_ticket(&t, decide).unwrap().id
}

fn event(at: &str, status: &str) -> NewTicketEvent {
    NewTicketEvent {
        at: DateTime::parse_from_rfc3339(at).unwrap(),
        status: status.into(),
        recorded_at: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
    }
}

fn statuses(t: &TicketWithEvents) -> Vec<(u32, String)> {
    t.events.iter().map(|e| (e.seq, e.status.clone())).collect()
}

pub(super) fn tickets_count_per_tenant_and_month_and_draw_prepaid_hours(s: &dyn Store) {
    tenant(s, "a");
    tenant(s, "b");
    let mut seen = Vec::new();
    for _ in 0..3 {
        s.record_ticket(&ticket("a"), &mut |l| {
            seen.push(l.used_this_month);
            Ok(TicketDecision {
                allowed: true,
                counted: true,
                over_quota: false,
                charge: Decimal::ZERO,
                deducted_hours: Decimal::new(25, 2),
                decision: serde_json::json!({}),
            })
        })
        .unwrap();
    }
    assert_eq!(seen, [0, 1, 2]);
    let mut b_used = None;
    s.record_ticket(&ticket("b"), &mut |l| {
        b_used = Some(l.used_this_month);
        Err("refused".into())
    })
    .unwrap_err();
    assert_eq!(b_used, Some(0));
    let (a, left) = s.tickets("a", "2026-11").unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(left, Decimal::new(-25, 2));
    assert!(s.tickets("b", "2026-11").unwrap().0.is_empty());
    assert!(s.tickets("a", "2026-12").unwrap().0.is_empty());
}

pub(super) fn audit_pages(s: &dyn Store) {
    let rec = |tenant: &str| AuditRecord {
        at: now(),
        tenant: tenant.into(),
        pack: "p".into(),
        entry: "e".into(),
        version: "1".into(),
        digest: "d".into(),
        input_sha256: "i".into(),
        ok: true,
        result: r#"{"x":1}"#.into(),
        request_id: Some("req-1".into()),
        input: None,
    };
    s.append_audit(&[rec("a"), rec("b"), rec("a")]).unwrap();
    let page = s.audit(0, 2, None).unwrap();
    assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(s.audit(2, 10, None).unwrap().len(), 1);
    assert_eq!(s.audit(0, 10, Some("a")).unwrap().len(), 2);
    assert_eq!(page[0].request_id.as_deref(), Some("req-1"));
}

pub(super) fn kept_inputs_are_read_back_by_pack_entry_and_age_and_purged_by_age(s: &dyn Store) {
    let rec = |days_ago: i64, pack: &str, entry: &str, input: Option<&str>| AuditRecord {
        at: now() - chrono::TimeDelta::days(days_ago),
        tenant: "t".into(),
        pack: pack.into(),
        entry: entry.into(),
        version: "1".into(),
        digest: "d".into(),
        input_sha256: "i".into(),
        ok: true,
        result: "{}".into(),
        request_id: None,
        input: input.map(str::to_owned),
    };
    s.append_audit(&[
        rec(500, "esomus", "quote", Some(r#"{"users":1}"#)),
        rec(10, "esomus", "quote", Some(r#"{"users":2}"#)),
        rec(5, "esomus", "dates", Some("{}")),
        rec(3, "norriq", "sla", Some("{}")),
        rec(1, "esomus", "quote", None),
    ])
    .unwrap();
    let q = |pack: Option<&str>, entry: Option<&str>, since: Option<i64>| InputQuery {
        pack: pack.map(str::to_owned),
        entry: entry.map(str::to_owned),
        since: since.map(|d| now() - chrono::TimeDelta::days(d)),
        newest: None,
    };
    let ids = |q: InputQuery| s.recorded_inputs(&q, 0, 100).unwrap().iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(q(None, None, None)), [1, 2, 3, 4], "records without an input are left out");
    assert_eq!(ids(q(Some("esomus"), Some("quote"), None)), [1, 2]);
    assert_eq!(ids(q(Some("esomus"), None, Some(30))), [2, 3]);
    assert_eq!(s.recorded_inputs(&q(None, None, None), 2, 1).unwrap()[0].id, 3, "pages by id");
    let newest = |n: u32| InputQuery { newest: Some(n), ..q(Some("esomus"), None, None) };
    assert_eq!(ids(newest(2)), [2, 3], "the newest 2, oldest first");
    assert_eq!(ids(newest(9)), [1, 2, 3]);
    assert_eq!(s.recorded_inputs(&newest(2), 2, 10).unwrap().len(), 1, "paging within the newest");
    assert_eq!(s.recorded_inputs(&q(None, None, None), 0, 1).unwrap()[0].input, serde_json::json!({"users": 1}));
    assert_eq!(s.purge_audit(now() - chrono::TimeDelta::days(400)).unwrap(), 1);
    assert_eq!(ids(q(None, None, None)), [2, 3, 4]);
}

pub(super) fn keys_are_added_listed_and_revoked_per_tenant(s: &dyn Store) {
    tenant(s, "a");
    tenant(s, "b");
    assert!(matches!(s.add_api_key(&key("nobody", "k1", 1)), Err(StoreError::NotFound(_))));
    s.add_api_key(&key("a", "k-new", 2)).unwrap();
    assert!(s.add_api_key(&key("a", "k-new", 2)).is_err(), "a key id is unique");
    let ids: Vec<String> = s.api_keys("a").unwrap().into_iter().map(|k| k.key_id).collect();
    assert_eq!(ids, ["k-a", "k-new"]);
    let at = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
    assert!(matches!(s.revoke_api_key("b", "k-a", at), Err(StoreError::NotFound(_))), "another tenant's key");
    let revoked = s.revoke_api_key("a", "k-a", at).unwrap();
    assert_eq!(revoked, s.api_keys("a").unwrap()[0], "it answers the key as listed");
    assert!(matches!(s.revoke_api_key("a", "k-a", at), Err(StoreError::Conflict(_))));
    assert!(s.api_key("k-a").unwrap().is_none(), "a revoked key authenticates nothing");
    assert!(s.api_key("k-new").unwrap().is_some());
    let listed = s.api_keys("a").unwrap();
    assert_eq!((listed[0].revoked_at, listed[1].revoked_at), (Some(at), None));
    assert_eq!(s.api_keys("b").unwrap().len(), 1);
}

pub(super) fn each_changed_save_is_a_new_immutable_version(s: &dyn Store) {
    tenant(s, "a");
    tenant(s, "b");
    let first = s.put_model("a", &model("one"), None).unwrap();
    assert_eq!(first, ModelSaved { created: true, version: 1, new_version: true });
    // The same text again is no new version.
    assert!(!s.put_model("a", &model("one"), None).unwrap().new_version);
    let second = s.put_model("a", &model("two"), Some("d-one")).unwrap();
    assert_eq!(second, ModelSaved { created: false, version: 2, new_version: true });
    assert!(matches!(s.put_model("a", &model("three"), Some("d-one")), Err(StoreError::Stale(_))));
    let versions = s.model_versions("a", "firm").unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(versions[0].saved_by.as_deref(), Some("k1"));
    let v1 = s.model_version("a", "firm", 1).unwrap().unwrap();
    assert_eq!((v1.text.as_str(), v1.parents.len()), ("one", 1));
    assert_eq!(s.model("a", "firm").unwrap().unwrap().version, 2);
    // Another tenant sees none of it.
    assert!(s.model_versions("b", "firm").unwrap().is_empty());
    assert!(s.model_version("b", "firm", 1).unwrap().is_none());
}

pub(super) fn missions_migrate_all_or_none_and_only_as_read(s: &dyn Store) {
    tenant(s, "a");
    s.create_mission("a", &mission("m1")).unwrap();
    s.create_mission("a", &mission("m2")).unwrap();
    assert!(matches!(s.create_mission("a", &mission("m1")), Err(StoreError::Conflict(_))));
    let heads = s.mission_heads("a", None).unwrap();
    assert_eq!(heads.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["m1", "m2"]);
    assert_eq!((heads[0].model_version, heads[0].closures.len()), (1, 1));
    assert!(s.mission_heads("a", Some("other")).unwrap().is_empty());
    assert!(s.mission_heads("b", None).unwrap().is_empty());
    s.set_mission_state("a", "m2", &json!({"actions": [{"id": "x"}]}), at(2), 1, None).unwrap();
    // m2's state changed since it was read as `None`: neither moves.
    let stale = s.migrate_missions("a", &[migration("m1", None), migration("m2", None)]);
    assert!(matches!(&stale, Err(StoreError::Stale(r)) if r.to_string().contains("m2")), "{stale:?}");
    assert_eq!(s.mission("a", "m1").unwrap().unwrap().model_version, 1);
    let read = Some(json!({"actions": [{"id": "x"}]}));
    s.migrate_missions("a", &[migration("m1", None), migration("m2", read)]).unwrap();
    let m1 = s.mission("a", "m1").unwrap().unwrap();
    assert_eq!((m1.model_version, m1.model_digest.as_str(), m1.history.len()), (2, "d-two", 1));
    assert!(m1.closures.is_empty());
    assert_eq!(m1.updated_at, at(5));
    // Migrating again from version 1 is stale.
    assert!(matches!(s.migrate_missions("a", &[migration("m1", None)]), Err(StoreError::Stale(_))));
    assert!(matches!(s.migrate_missions("a", &[migration("nope", None)]), Err(StoreError::NotFound(_))));
    // A state checked against version 1 no longer lands on a mission that moved to 2.
    let late = s.set_mission_state("a", "m1", &json!({"actions": []}), at(6), 1, None);
    assert!(matches!(late, Err(StoreError::Stale(_))));
    assert!(s.set_mission_state("a", "m1", &json!({"actions": []}), at(6), 2, None).unwrap());
    assert!(!s.set_mission_state("a", "nope", &json!({}), at(6), 1, None).unwrap());
}

pub(super) fn tenant_closures_are_per_tenant(s: &dyn Store) {
    tenant(s, "a");
    tenant(s, "b");
    assert!(s.tenant_closures("a").unwrap().is_empty());
    let days = [NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()];
    s.set_tenant_closures("a", &days, at(0)).unwrap();
    assert_eq!(s.tenant_closures("a").unwrap(), days);
    assert!(s.tenant_closures("b").unwrap().is_empty());
}

pub(super) fn events_are_kept_in_time_order_whatever_order_and_offset_they_come_in(s: &dyn Store) {
    tenant(s, "a");
    let n = file(s, "a");
    s.append_ticket_event("a", n, &event("2026-12-01T14:00:00+01:00", "in_progress"), 10).unwrap();
    // Late, and in UTC: 09:00Z is 10:00 in Brussels, before the first one.
    let t = s.append_ticket_event("a", n, &event("2026-12-01T09:00:00Z", "waiting_customer"), 10).unwrap();
    assert_eq!(statuses(&t), [(2, "waiting_customer".into()), (1, "in_progress".into())]);
    assert_eq!(t.events[0].at.to_rfc3339(), "2026-12-01T09:00:00+00:00", "the offset given is kept");
    // Same instant as an earlier one: after it, in the order recorded.
    let t = s.append_ticket_event("a", n, &event("2026-12-01T14:00:00+01:00", "waiting_customer"), 10).unwrap();
    assert_eq!(
        statuses(&t),
        [(2, "waiting_customer".into()), (1, "in_progress".into()), (3, "waiting_customer".into())]
    );
    assert_eq!(s.ticket("a", n).unwrap().unwrap().events, t.events);
    assert_eq!(t.ticket.sla_input.as_ref().unwrap()["priority"], "P1");
    let clocks = s.ticket_clocks("a").unwrap();
    assert_eq!(clocks.len(), 1);
    assert_eq!(clocks[0].events, t.events);
    assert_eq!(clocks[0].subject.as_deref(), Some("the export hangs"));
}

pub(super) fn a_tenant_reaches_only_its_own_tickets_and_a_full_ticket_takes_no_more(s: &dyn Store) {
    tenant(s, "a");
    tenant(s, "b");
    let n = file(s, "a");
    let m = file(s, "b");
    let e = event("2026-12-01T10:00:00+01:00", "waiting_customer");
    assert!(matches!(s.append_ticket_event("b", n, &e, 10), Err(StoreError::NotFound(_))));
    assert!(s.ticket("b", n).unwrap().is_none());
    assert!(matches!(s.append_ticket_event("a", 999, &e, 10), Err(StoreError::NotFound(_))));
    s.append_ticket_event("a", n, &e, 2).unwrap();
    s.append_ticket_event("a", n, &e, 2).unwrap();
    assert!(matches!(s.append_ticket_event("a", n, &e, 2), Err(StoreError::Conflict(_))));
    assert_eq!(s.ticket("a", n).unwrap().unwrap().events.len(), 2, "the refused one was not written");
    let b = s.ticket_clocks("b").unwrap();
    assert_eq!((b.len(), b[0].id, b[0].events.len()), (1, m, 0));
}

pub(super) fn a_key_is_claimed_once_answered_then_forgotten_after_its_time(s: &dyn Store) {
    let t0 = chrono::Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let day = chrono::TimeDelta::hours(24);
    let req = IdempotentRequest {
        principal: "a".into(),
        key: "k".into(),
        route: "POST /v1/tickets".into(),
        body_sha256: "d".into(),
    };
    assert_eq!(s.claim_idempotency(&req, t0, day).unwrap(), Claim::New);
    let seen = |answer| Claim::Seen { route: req.route.clone(), body_sha256: "d".into(), answer };
    assert_eq!(s.claim_idempotency(&req, t0, day).unwrap(), seen(None));
    s.finish_idempotency("a", "k", 201, "{}").unwrap();
    // Released only while unanswered: an answer stays.
    s.release_idempotency("a", "k").unwrap();
    assert_eq!(s.claim_idempotency(&req, t0, day).unwrap(), seen(Some((201, "{}".into()))));
    let other = IdempotentRequest { principal: "b".into(), ..req.clone() };
    assert_eq!(s.claim_idempotency(&other, t0, day).unwrap(), Claim::New);
    s.release_idempotency("b", "k").unwrap();
    assert_eq!(s.claim_idempotency(&other, t0, day).unwrap(), Claim::New, "released, so claimable again");
    assert_eq!(s.claim_idempotency(&req, t0 + day + day, day).unwrap(), Claim::New, "forgotten after a day");
}

pub(super) fn tenants_settings_and_pack_versions(s: &dyn Store) {
    s.ping().unwrap();
    assert_eq!(s.setting("admin_key_hash").unwrap(), None);
    assert!(s.set_setting_if_absent("admin_key_hash", "h1").unwrap());
    assert!(!s.set_setting_if_absent("admin_key_hash", "h2").unwrap(), "set once");
    assert_eq!(s.setting("admin_key_hash").unwrap().as_deref(), Some("h1"));
    tenant(s, "b");
    tenant(s, "a");
    let again = s.create_tenant(
        &NewTenant {
            id: "a".into(),
            name: "A".into(),
            subscription_start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            sla_contract: "crm".into(),
            prepaid_hours: Decimal::ZERO,
            created_at: now(),
        },
        &key("a", "k-other", 1),
    );
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    assert!(s.api_key("k-other").unwrap().is_none(), "a refused tenant leaves no key behind");
    let all = s.tenants().unwrap();
    assert_eq!(all.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(s.tenant("a").unwrap().unwrap(), all[0]);
    assert_eq!(all[0].created_at, now());
    assert!(s.tenant("nobody").unwrap().is_none());
    let k = s.api_key("k-a").unwrap().unwrap();
    assert_eq!((k.tenant_id.as_str(), k.hash, k.created_at), ("a", [7; 32], now()));

    let version = |name: &str, v: &str| crate::NewPackVersion {
        name: name.into(),
        version: v.into(),
        effective_from: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        digest: format!("d-{v}"),
        bundle_digest: format!("b-{v}"),
        files: BTreeMap::from([("pack.yaml".into(), format!("version: {v}"))]),
        source: "api".into(),
        activated_at: at(3),
    };
    assert_eq!(s.pack_log_head().unwrap(), (0, 0));
    let one = s.add_pack_version(&version("esomus", "1.0")).unwrap();
    let two = s.add_pack_version(&version("norriq", "2.0")).unwrap();
    let three = s.add_pack_version(&version("esomus", "1.1")).unwrap();
    assert!(one.seq < two.seq && two.seq < three.seq, "activation numbers increase");
    assert_eq!(s.pack_versions(None).unwrap(), [one.clone(), two, three.clone()], "read back as written");
    assert_eq!(s.pack_log_head().unwrap(), (three.seq, 0));
    s.mark_rolled_back(three.seq, at(4)).unwrap();
    assert_eq!(s.pack_log_head().unwrap(), (three.seq, 1), "a rollback moves the head too");
    assert!(matches!(s.mark_rolled_back(three.seq, at(5)), Err(StoreError::NotFound(_))), "rolled back once");
    let esomus = s.pack_versions(Some("esomus")).unwrap();
    assert_eq!(
        esomus.iter().map(|v| (v.version.as_str(), v.rolled_back_at)).collect::<Vec<_>>(),
        [("1.0", None), ("1.1", Some(at(4)))]
    );
    assert_eq!(esomus[0].files, one.files);
}

pub(super) fn plugins_keep_their_history_and_roll_back(s: &dyn Store) {
    tenant(s, "a");
    tenant(s, "b");
    let plugin = |digest: &str, factor: u32| PluginRecord {
        name: "volume-discount".into(),
        version: "1.0.0".into(),
        digest: digest.into(),
        config: json!({"factor": factor}),
        limits: PluginLimits { deadline_ms: Some(20), memory_mib: None, fuel: None },
        enabled_at: at(1),
    };
    assert!(matches!(s.put_plugin("nobody", &plugin("d1", 1), b"wasm-1"), Err(StoreError::NotFound(_))));
    assert!(s.put_plugin("a", &plugin("d1", 1), b"wasm-1").unwrap(), "newly enabled");
    assert!(!s.put_plugin("a", &plugin("d1", 1), b"wasm-1").unwrap(), "the same again: no change");
    assert!(!s.put_plugin("a", &plugin("d2", 2), b"wasm-2").unwrap());
    assert_eq!(s.plugin_code("d1").unwrap().as_deref(), Some(&b"wasm-1"[..]));
    assert!(s.plugin_code("d9").unwrap().is_none());
    assert_eq!(s.plugins("a").unwrap(), [plugin("d2", 2)]);
    assert!(s.plugins("b").unwrap().is_empty(), "per tenant");
    assert!(s.delete_plugin("a", "volume-discount", at(2)).unwrap());
    assert!(!s.delete_plugin("a", "volume-discount", at(2)).unwrap(), "disabled once");
    let history = s.plugin_history("a", "volume-discount").unwrap();
    let changes: Vec<(u64, PluginChange)> = history.iter().map(|h| (h.seq, h.change)).collect();
    assert_eq!(changes, [(1, PluginChange::Enabled), (2, PluginChange::Enabled), (3, PluginChange::Disabled)]);
    assert_eq!(history[2].plugin.enabled_at, at(2));
    assert!(matches!(s.rollback_plugin("a", "volume-discount", 3, at(3)), Err(StoreError::Conflict(_))));
    assert!(matches!(s.rollback_plugin("a", "volume-discount", 9, at(3)), Err(StoreError::NotFound(_))));
    let back = s.rollback_plugin("a", "volume-discount", 1, at(3)).unwrap();
    assert_eq!((back.digest.as_str(), back.enabled_at), ("d1", at(3)));
    assert_eq!(s.plugins("a").unwrap(), [back]);
    assert!(matches!(s.rollback_plugin("a", "volume-discount", 1, at(4)), Err(StoreError::Conflict(_))));
    let last = s.plugin_history("a", "volume-discount").unwrap().pop().unwrap();
    assert_eq!((last.seq, last.change, last.restored), (4, PluginChange::RolledBack, Some(1)));
    assert!(s.plugin_history("b", "volume-discount").unwrap().is_empty());
}
