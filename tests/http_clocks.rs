//! SLA clocks over HTTP: status changes appended to a ticket, its clock recomputed from all of
//! them (late ones included), and the tenant's tickets listed by clock state and warning.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod http_common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use http_common::Service;
use missions_store::{LedgerState, NewTicket, NewTicketEvent, TicketDecision};
use serde_json::{Value, json};

/// Brussels local time on 2026-12-01 (a Tuesday, UTC+1).
fn dec_1(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h - 1, m, 0).unwrap()
}

/// A P1 incident (target 4 working hours on `nav`) filed at `at`; returns its number.
async fn incident(s: &Service, key: &str, at: &str) -> i64 {
    let body = json!({"type": 2, "filed_by": "master", "priority": "P1", "at": at, "subject": "the export hangs"});
    let (status, v) = s.post("/v1/tickets", key, &body.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    v["ticket"]["id"].as_i64().unwrap()
}

async fn event(s: &Service, key: &str, n: i64, status: &str, at: &str) -> (StatusCode, Value) {
    s.post(&format!("/v1/tickets/{n}/events"), key, &json!({"status": status, "at": at}).to_string()).await
}

fn warnings(sla: &Value) -> Vec<Value> {
    sla["warnings"].as_array().unwrap().iter().map(|w| w["at"].clone()).collect()
}

/// The SPEC's example: a pause from 10:00 to 14:00 moves the 13:00 deadline to 17:00.
fn assert_spec_example(sla: &Value) {
    assert_eq!(sla["deadline"], "2026-12-01T17:00:00+01:00", "{sla:#}");
    assert_eq!(warnings(sla), [json!("2026-12-01T15:00:00+01:00"), json!("2026-12-01T16:12:00+01:00")]);
    assert_eq!(sla["paused_working_minutes"], 180);
    assert_eq!(sla["elapsed_working_minutes"], 120);
    assert_eq!(sla["remaining_working_minutes"], 120);
    assert_eq!(sla["state"], "running");
    assert_eq!(sla["as_of"], "2026-12-01T15:00:00+01:00");
    assert_eq!(sla["pack"]["name"], "norriq");
}

#[tokio::test]
async fn status_changes_move_the_clock_and_a_late_one_is_recomputed_in_its_place() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    s.clock.set(dec_1(9, 0));
    let n = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;

    // Left out, `at` is now in whole seconds, and the answer's clock (as of now, to the fraction
    // of a second) counts it.
    s.clock.set(dec_1(10, 0) + chrono::TimeDelta::milliseconds(700));
    let (status, v) = s.post(&format!("/v1/tickets/{n}/events"), &key, r#"{"status": "waiting_customer"}"#).await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["sla"]["state"], "paused", "{v:#}");
    assert_eq!(v["events"][0]["at"], "2026-12-01T09:00:00Z", "{v:#}");
    assert_eq!(v["sla"]["deadline"], Value::Null, "an open pause never ends");
    s.clock.set(dec_1(14, 0));
    let (status, v) = event(&s, &key, n, "in_progress", "2026-12-01T14:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["events"].as_array().unwrap().len(), 2);
    s.clock.set(dec_1(15, 0));
    let (status, v) = s.get(&format!("/v1/tickets/{n}"), &key).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_spec_example(&v["sla"]);
    assert_eq!(v["ticket"]["id"], n);
    assert_eq!(v["events"][0]["status"], "waiting_customer");

    // A retried change (same `Idempotency-Key`) is recorded once; the same key on another
    // ticket is another request.
    s.clock.set(dec_1(14, 30));
    let retry = [("idempotency-key", "resume-1430")];
    let body = r#"{"status": "in_progress", "at": "2026-12-01T14:30:00+01:00"}"#;
    let uri = format!("/v1/tickets/{n}/events");
    let (status, _, first) = s.call_with(Method::POST, &uri, &key, &retry, Some(body)).await;
    let (again, _, replayed) = s.call_with(Method::POST, &uri, &key, &retry, Some(body)).await;
    assert_eq!(
        (status, again, first["events"].as_array().unwrap().len()),
        (StatusCode::CREATED, StatusCode::CREATED, 3)
    );
    assert_eq!(replayed["events"], first["events"], "answered again, not recorded twice");
    let (other, _, _) = s.call_with(Method::POST, "/v1/tickets/999/events", &key, &retry, Some(body)).await;
    assert_eq!(other, StatusCode::UNPROCESSABLE_ENTITY);

    // The same changes on a second ticket, the pause's start recorded last (late): same clock.
    s.clock.set(dec_1(9, 0));
    let m = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;
    s.clock.set(dec_1(14, 0));
    event(&s, &key, m, "in_progress", "2026-12-01T14:00:00+01:00").await;
    s.clock.set(dec_1(15, 0));
    let (status, v) = event(&s, &key, m, "waiting_customer", "2026-12-01T09:00:00Z").await;
    assert_eq!(status, StatusCode::CREATED, "a late change is accepted: {v:#}");
    assert_spec_example(&v["sla"]);
    let seqs: Vec<Value> = v["events"].as_array().unwrap().iter().map(|e| e["seq"].clone()).collect();
    assert_eq!(seqs, [json!(2), json!(1)], "in time order, each with its recording number");

    // Analysis starts at 16:00, before the 17:00 deadline: met, and the clock stops.
    s.clock.set(dec_1(18, 0));
    let (_, v) = event(&s, &key, n, "analysis_started", "2026-12-01T16:00:00+01:00").await;
    assert_eq!((v["sla"]["state"].clone(), v["sla"]["met"].clone()), (json!("met"), json!(true)), "{v:#}");
    assert_eq!(v["sla"]["elapsed_working_minutes"], 180);
}

#[tokio::test]
async fn bad_status_changes_are_refused_at_their_field_and_nothing_is_written() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    let other = s.tenant("peeters", "2026-03-02").await;
    s.clock.set(dec_1(9, 0));
    let n = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;
    s.clock.set(dec_1(12, 0));

    let (status, v) = event(&s, &key, n, "on_hold", "2026-12-01T10:00:00+01:00").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert_eq!(v["errors"][0]["path"], "status", "{v:#}");
    for lang in ["fr", "nl", "en"] {
        assert!(v["errors"][0]["messages"][lang].as_str().unwrap().contains("on_hold"), "{lang}: {v:#}");
    }
    let (status, v) = event(&s, &key, n, "waiting_customer", "2026-12-01T08:00:00+01:00").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "before the ticket was opened: {v:#}");
    assert_eq!(v["errors"][0]["path"], "at", "{v:#}");
    let (status, v) = event(&s, &key, n, "waiting_customer", "2026-12-01T13:00:00+01:00").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an hour ahead of now: {v:#}");
    assert_eq!(v["path"], "at");
    let (status, v) = event(&s, &key, n, "waiting_customer", "tuesday").await;
    assert_eq!((status, v["path"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("at")), "{v:#}");
    let (status, v) = s.post(&format!("/v1/tickets/{n}/events"), &key, r#"{"status":"in_progress","by":"me"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown field: {v:#}");
    let (status, v) = s.post("/v1/tickets/first/events", &key, r#"{"status":"in_progress"}"#).await;
    assert_eq!((status, v["path"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("number")), "{v:#}");

    // Another tenant's ticket does not exist for it, to read or to change.
    let (status, _) = event(&s, &other, n, "waiting_customer", "2026-12-01T10:00:00+01:00").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.get(&format!("/v1/tickets/{n}"), &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.get("/v1/tickets/999", &key).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, v) = s.get(&format!("/v1/tickets/{n}"), &key).await;
    assert_eq!(v["events"], json!([]), "no refused change was written: {v:#}");
    assert_eq!(v["sla"]["state"], "running");

    // A ticket holds at most 1000 changes.
    for i in 0..1000 {
        let at = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00").unwrap() + chrono::TimeDelta::seconds(i);
        let status = if i % 2 == 0 { "waiting_customer" } else { "in_progress" };
        let e = NewTicketEvent { at, status: status.into(), recorded_at: dec_1(12, 0) };
        http_common::off_runtime(|| s.state.store().append_ticket_event("dupont", n, &e, 1000)).unwrap();
    }
    let (status, v) = event(&s, &key, n, "in_progress", "2026-12-01T11:30:00+01:00").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:#}");
    assert!(v["detail"].as_str().unwrap().contains("1000"), "{v:#}");
    let (status, v) = s.get(&format!("/v1/tickets/{n}"), &key).await;
    assert_eq!((status, v["events"].as_array().unwrap().len()), (StatusCode::OK, 1000));
}

#[tokio::test]
async fn tickets_are_listed_by_the_state_of_their_clock_and_the_warnings_they_passed() {
    let s = Service::new();
    let key = s.tenant("dupont", "2026-03-02").await;
    s.clock.set(dec_1(9, 0));
    let running = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;
    let paused = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;
    let met = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;
    let late = incident(&s, &key, "2026-12-01T09:00:00+01:00").await;
    s.clock.set(dec_1(10, 0));
    let fresh = incident(&s, &key, "2026-12-01T10:00:00+01:00").await;
    s.clock.set(dec_1(11, 0));
    let (status, _) = event(&s, &key, paused, "waiting_customer", "2026-12-01T10:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = event(&s, &key, met, "analysis_started", "2026-12-01T10:30:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    // 09:00 + 4 working hours with the 12:30–13:30 lunch break: the deadline is 14:00.
    s.clock.set(dec_1(14, 30));
    let (status, v) = event(&s, &key, late, "analysis_started", "2026-12-01T14:15:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["sla"]["deadline"], "2026-12-01T14:00:00+01:00");

    // As of 13:00: `running` has consumed 3 h 30 of 4 h (past 80 % at 12:12), `fresh` 2 h 30
    // (past 50 % at 12:00, 80 % comes at 14:12).
    s.clock.set(dec_1(13, 0));
    let numbers = |v: &Value| -> Vec<i64> {
        v["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect()
    };
    let (status, v) = s.get("/v1/tickets", &key).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(numbers(&v), [running, paused, met, late, fresh]);
    assert_eq!((v["count"].clone(), v["as_of"].clone()), (json!(5), json!("2026-12-01T12:00:00Z")));
    assert_eq!(v["tickets"][0]["deadline"], "2026-12-01T14:00:00+01:00", "{v:#}");
    assert_eq!(v["tickets"][0]["remaining_working_minutes"], 30);
    let (_, v) = s.get("/v1/tickets?sla_state=running", &key).await;
    assert_eq!(numbers(&v), [running, late, fresh], "`late` started after 13:00: still running then");
    let (_, v) = s.get("/v1/tickets?sla_state=paused", &key).await;
    assert_eq!(numbers(&v), [paused]);
    let (_, v) = s.get("/v1/tickets?sla_state=met", &key).await;
    assert_eq!(numbers(&v), [met]);
    let (_, v) = s.get("/v1/tickets?warning=80", &key).await;
    assert_eq!(numbers(&v), [running, late], "past 80 % and not started");
    let (_, v) = s.get("/v1/tickets?warning=50", &key).await;
    assert_eq!(numbers(&v), [running, late, fresh]);
    assert_eq!(v["tickets"][2]["deadline"], "2026-12-01T15:00:00+01:00", "{v:#}");
    let (_, v) = s.get("/v1/tickets?sla_state=running&warning=80&limit=1", &key).await;
    assert_eq!((numbers(&v), v["count"].clone(), v["next_after"].clone()), (vec![running], json!(2), json!(running)));
    let (_, v) = s.get(&format!("/v1/tickets?sla_state=running&warning=80&limit=1&after={running}"), &key).await;
    assert_eq!((numbers(&v), v["next_after"].clone()), (vec![late], Value::Null));

    // At 15:00 the first two are breached; `fresh` reaches its deadline then, not past it.
    s.clock.set(dec_1(15, 0));
    let (_, v) = s.get("/v1/tickets?sla_state=breached", &key).await;
    assert_eq!(numbers(&v), [running, late], "{v:#}");

    // A ticket recorded without an SLA (as an old ledger may hold) is listed with why it has no
    // clock, matches no filter, and takes no status change.
    let bare = NewTicket {
        tenant_id: "dupont".into(),
        month: "2026-12".into(),
        at: "2026-12-01T09:30:00+01:00".into(),
        kind: 1,
        filed_by: "master".into(),
        subject: None,
        sla: None,
        sla_input: None,
        created_at: dec_1(9, 30),
    };
    let decide = &mut |_: &LedgerState| {
        Ok(TicketDecision {
            allowed: true,
            counted: false,
            over_quota: false,
            charge: Default::default(),
            deducted_hours: Default::default(),
            decision: json!({}),
        })
    };
    let bare = http_common::off_runtime(|| s.state.store().record_ticket(&bare, decide)).unwrap().id;
    let (_, v) = s.get("/v1/tickets", &key).await;
    let listed = v["tickets"].as_array().unwrap().iter().find(|t| t["number"] == bare).unwrap().clone();
    assert_eq!((listed["error"]["kind"].clone(), listed.get("state")), (json!("no_sla"), None), "{listed:#}");
    let (_, v) = s.get("/v1/tickets?sla_state=breached", &key).await;
    assert_eq!(numbers(&v), [running, late]);
    let (status, v) = event(&s, &key, bare, "waiting_customer", "2026-12-01T10:00:00+01:00").await;
    assert_eq!((status, v["path"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("number")), "{v:#}");

    // Other tenants see none of them.
    let other = s.tenant("peeters", "2026-03-02").await;
    let (_, v) = s.get("/v1/tickets", &other).await;
    assert_eq!((v["count"].clone(), v["tickets"].clone()), (json!(0), json!([])));

    for (query, path) in [
        ("sla_state=late", None),
        ("warning=0", Some("warning")),
        ("warning=70", Some("warning")),
        ("limit=0", Some("limit")),
        ("colour=red", None),
    ] {
        let (status, v) = s.get(&format!("/v1/tickets?{query}"), &key).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {v:#}");
        if let Some(p) = path {
            assert_eq!(v["path"], p, "{query}: {v:#}");
        }
    }
    let (_, v) = s.get("/v1/tickets?warning=70", &key).await;
    assert!(v["detail"].as_str().unwrap().contains("50, 80"), "{v:#}");
}
