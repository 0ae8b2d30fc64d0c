//! The `missions` binary as a real process: what scripts and CI see, exit codes included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn missions() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_missions"));
    c.current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    c
}

#[test]
fn sla_as_a_process() {
    let out = missions()
        .args(["sla", "--pack", "rules/norriq", "--json", "--input"])
        .arg(r#"{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["deadline"], "2026-12-28T11:00:00+01:00");
}

#[test]
fn an_endless_script_ends_the_process_cleanly_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pack.yaml"),
        "name: spin\nversion: 1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nentries:\n  run:\n    script: run.rhai\n    input: {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("run.rhai"), "fn run(input, params) { loop { } }\n").unwrap();
    let out =
        missions().args(["eval", "--pack"]).arg(dir.path()).args(["run", "--input", "{}", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "limit");
    assert_eq!(v["error"]["limit"], "max_operations");
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit exceeded"));
}

#[test]
fn usage_error_is_exit_2_on_stderr() {
    let out = missions().args(["sla", "--pack", "rules/norriq"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input"));
}
