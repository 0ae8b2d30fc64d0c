//! `missions serve` as a real process over TCP: startup output, requests, graceful shutdown on
//! SIGTERM (the audit log is flushed), and a SIGKILL in the middle of ticket writes that loses no
//! acknowledged ticket.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;

const ADMIN: &str = "process-test-admin-key-0123456789abcdef0123456789";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Server {
    child: Child,
    addr: String,
    stdout: Arc<Mutex<String>>,
}

/// Start `missions serve` on a free port with its store in `dir`; returns once it listens.
fn start(dir: &Path) -> Server {
    start_with(dir, &[])
}

/// The same, with more command-line arguments.
fn start_with(dir: &Path, extra: &[&str]) -> Server {
    launch(command(dir, extra))
}

/// The command that starts `missions serve` in `dir`, stderr ignored.
fn command(dir: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_missions"));
    c.current_dir(dir)
        .args(["serve", "--addr", "127.0.0.1:0", "--rules"])
        .arg(repo().join("rules"))
        .args(["--db", "sqlite://state/missions.db"])
        .args(extra)
        .env("MISSIONS_ADMIN_KEY", ADMIN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    c
}

/// Run `cmd` and wait until it listens.
fn launch(mut cmd: Command) -> Server {
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("missions serve: listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    let out = Arc::new(Mutex::new(format!("{first}\n")));
    let o = out.clone();
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            o.lock().unwrap().push_str(&format!("{l}\n"));
        }
    });
    Server { child, addr, stdout: out }
}

/// One HTTP/1.1 request; returns the status and the body as JSON.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    common::request(addr, method, path, key, &body.map(Value::to_string).unwrap_or_default())
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < within {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn serves_over_tcp_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = start(dir.path());
    let out = srv.stdout.lock().unwrap().clone();
    assert!(out.starts_with("missions serve: listening on http://127.0.0.1:"), "{out}");
    assert!(dir.path().join("state/missions.db").is_file(), "the store and its folder are created");

    let (status, v) = http(&srv.addr, "GET", "/healthz", None, None).unwrap();
    assert_eq!((status, &v["status"]), (200, &json!("ok")));
    let (status, v) = http(
        &srv.addr,
        "POST",
        "/v1/admin/tenants",
        Some(ADMIN),
        Some(&json!({"id": "dupont", "subscription_start": "2026-03-02"})),
    )
    .unwrap();
    assert_eq!(status, 201, "{v}");
    let key = v["api_key"].as_str().unwrap().to_owned();
    let input = json!({"contract": "nav", "priority": "P1", "opened": "2026-12-24T16:00:00+01:00"});
    let (status, v) = http(&srv.addr, "POST", "/v1/packs/norriq/sla", Some(&key), Some(&input)).unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["deadline"], "2026-12-28T11:00:00+01:00");

    let pid = srv.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = wait_exit(&mut srv.child, Duration::from_secs(20)).expect("the server stops after SIGTERM");
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(srv.stdout.lock().unwrap().contains("missions serve: stopped"));

    // The evaluation acknowledged before SIGTERM is in the audit log after a restart.
    let mut srv = start(dir.path());
    let (status, v) = http(&srv.addr, "GET", "/v1/admin/audit?tenant=dupont", Some(ADMIN), None).unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["entries"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["entries"][0]["entry"], "sla");
    // The tenant and its key survived too.
    let (status, _) = http(&srv.addr, "GET", "/v1/packs", Some(&key), None).unwrap();
    assert_eq!(status, 200);
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
}

#[test]
fn a_sigkill_during_ticket_writes_loses_no_acknowledged_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = start(dir.path());
    let (status, v) = http(
        &srv.addr,
        "POST",
        "/v1/admin/tenants",
        Some(ADMIN),
        Some(&json!({"id": "dupont", "subscription_start": "2026-03-02"})),
    )
    .unwrap();
    assert_eq!(status, 201, "{v}");
    let key = v["api_key"].as_str().unwrap().to_owned();

    let acked = Arc::new(Mutex::new(Vec::<i64>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for _ in 0..6 {
        let (addr, key, acked, stop) = (srv.addr.clone(), key.clone(), acked.clone(), stop.clone());
        writers.push(std::thread::spawn(move || {
            let ticket = json!({"type": 1, "filed_by": "master"});
            while !stop.load(Ordering::Relaxed) {
                match http(&addr, "POST", "/v1/tickets", Some(&key), Some(&ticket)) {
                    Ok((201, v)) => acked.lock().unwrap().push(v["ticket"]["id"].as_i64().unwrap()),
                    Ok((status, v)) => panic!("unexpected {status}: {v}"),
                    Err(_) => break,
                }
            }
        }));
    }
    // Let writes pile up, then kill the server without warning.
    let start_at = Instant::now();
    while acked.lock().unwrap().len() < 150 && start_at.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 100, "only {} tickets were acknowledged", acked.len());

    let mut srv = start(dir.path());
    let (status, v) = http(&srv.addr, "GET", "/v1/usage", Some(&key), None).unwrap();
    assert_eq!(status, 200, "{v}");
    let stored: std::collections::BTreeSet<i64> =
        v["tickets"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let missing: Vec<i64> = acked.iter().filter(|id| !stored.contains(id)).copied().collect();
    assert!(missing.is_empty(), "acknowledged tickets missing after SIGKILL: {missing:?}");
    // The ledger stayed consistent: exactly the 2 included requests are free.
    let free = v["tickets"].as_array().unwrap().iter().filter(|t| t["over_quota"] == false).count();
    assert_eq!(free, 2, "{v}");
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
}

/// Found by probing the host: it closed no connection, so 1 099 idle ones made `/healthz` time
/// out. Idle connections and half-sent heads are now closed after `--header-timeout`, slow bodies
/// get 408 after `--body-timeout`, and at most `--max-connections` are served at once.
#[test]
fn idle_half_sent_and_slow_clients_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut server =
        start_with(dir.path(), &["--max-connections", "16", "--header-timeout", "1", "--body-timeout", "2"]);
    let addr = server.addr.clone();

    // Three times the cap of connections that send nothing.
    let idle: Vec<TcpStream> = (0..48).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    // They hold every slot for a second at most: a real request still gets through.
    let (status, _) = http(&addr, "GET", "/healthz", None, None).unwrap();
    assert_eq!(status, 200);
    // And the server has closed the idle ones it took (each reads end of file).
    let mut closed = 0;
    for mut c in idle {
        c.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut buf = [0u8; 64];
        // End of file or a reset; a read timeout would mean the connection was left open.
        match c.read(&mut buf) {
            Ok(0) => closed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
            other => panic!("an idle connection is still open: {other:?}"),
        }
    }
    assert_eq!(closed, 48, "every idle connection is closed");

    // A head that never ends.
    let mut half = TcpStream::connect(&addr).unwrap();
    half.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(half, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1").unwrap();
    let mut rest = Vec::new();
    let read = half.read_to_end(&mut rest);
    assert!(read.is_ok(), "the server closes a half-sent head: {read:?}");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));

    // A body that stops arriving: 408, with a problem.
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(
        slow,
        "POST /v1/packs/norriq/indexation HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"price\":"
    )
    .unwrap();
    let mut resp = String::new();
    let _ = slow.read_to_string(&mut resp);
    assert!(resp.starts_with("HTTP/1.1 408"), "{resp}");
    assert!(resp.contains("body-timeout"), "{resp}");

    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

/// `MISSIONS_LOG_FORMAT=json` logs one JSON object per line, each request's lines carrying its
/// id, the one echoed in `X-Request-Id`.
#[test]
fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path(), &[]);
    cmd.env("MISSIONS_LOG_FORMAT", "json").env("MISSIONS_LOG", "missions_host=debug").stderr(Stdio::piped());
    let mut server = launch(cmd);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(s, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-me-42\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(resp.to_ascii_lowercase().contains("x-request-id: trace-me-42"), "{resp}");
    let pid = i32::try_from(server.child.id()).unwrap();
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    assert!(wait_exit(&mut server.child, Duration::from_secs(20)).is_some());
    let mut err = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let lines: Vec<Value> = err
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!lines.is_empty());
    assert!(lines.iter().any(|l| l["span"]["id"] == "trace-me-42" && l["fields"]["message"] == "request"), "{err}");
}
