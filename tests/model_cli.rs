//! The model-version commands: `missions model diff` says what changed in words, `missions
//! migrate` moves a state across versions (never losing recorded work silently), and
//! `--closures` dates a plan around the firm's closure days.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_tests::{missions, repo};
use serde_json::{Value, json};

fn model(name: &str) -> String {
    repo().join("rules/models").join(name).to_string_lossy().into_owned()
}

fn state(dir: &tempfile::TempDir, actions: Value) -> String {
    let doc = json!({"as_of": "2026-12-01",
        "mission": {"client": "ACME", "start": "2026-11-02", "closing": "2027-03-31",
                    "people": {"partner": ["An"], "manager": ["Bo"], "staff": ["Cy"], "supervisor": ["Di"],
                               "eqr": ["Ed"], "quality": ["Fa"]}},
        "actions": actions, "key_points": []});
    let path = dir.path().join("state.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    format!("@{}", path.display())
}

#[test]
fn model_diff_says_what_changed_in_the_masters_language() {
    let (code, out, err) =
        missions(&["model", "diff", &model("isqm-standard.yaml"), &model("example-firm.yaml"), "--lang", "fr"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("- action `nbb-filing` retirée de la phase `reporting`"), "{out}");
    assert!(out.contains("- rôle `it-auditor` ajouté(e)"), "{out}");
    assert!(out.contains("l'échéance de l'action `engagement-letter`"), "{out}");
    let (code, out, _) =
        missions(&["model", "diff", &model("example-firm.yaml"), &model("example-firm.yaml"), "--lang", "nl"]);
    assert_eq!((code, out.trim()), (0, "geen wijziging"));
    let (code, out, _) =
        missions(&["model", "diff", &model("isqm-standard.yaml"), &model("example-firm.yaml"), "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["changes"].as_array().unwrap().iter().any(|c| c["change"] == "action_removed" && c["id"] == "nbb-filing")
    );
    let (code, _, err) = missions(&["model", "diff", &model("isqm-standard.yaml"), &model("nope.yaml")]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) =
        missions(&["model", "diff", &model("isqm-standard.yaml"), &model("example-firm.yaml"), "--lang", "xx"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`xx` is not one of the catalogues' languages: fr, nl, en, de"), "{err}");
    // German is a language of the catalogues (`locales/de/`), added as data.
    let (code, out, _) =
        missions(&["model", "diff", &model("isqm-standard.yaml"), &model("example-firm.yaml"), "--lang", "de"]);
    assert_eq!(code, 1);
    assert!(out.contains("- Rolle `it-auditor` hinzugefügt"), "{out}");
}

#[test]
fn migrate_moves_a_state_and_refuses_to_lose_work() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(&dir, json!([{"id": "nbb-filing", "status": "in_progress"}]));
    let (old, new) = (model("isqm-standard.yaml"), model("example-firm.yaml"));
    let args = |extra: &[&str]| {
        let mut a = vec!["migrate", "--from", &old, "--to", &new, "--state", &st];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        missions(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (code, out, err) = run(&["--lang", "nl"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(err.contains("actie `nbb-filing` is in_progress en de nieuwe versie verwijdert ze"), "{err}");

    let (code, out, err) = run(&["--map", "nbb-filing=satisfaction-survey"]);
    assert_eq!(code, 0, "{err}");
    let moved: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(moved["actions"][0]["id"], "satisfaction-survey");
    assert_eq!(moved["as_of"], "2026-12-01");

    let (code, out, err) = run(&["--drop", "nbb-filing", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("orphaned: action nbb-filing (in_progress, dropped)"), "{out}");
    assert!(out.contains("re-dated: engagement-letter 2026-11-17 → 2026-11-13"), "{out}");

    let (code, _, err) = run(&["--map", "nbb-filing=nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("`map.nbb-filing`: `nope` is not an action of the new version"), "{err}");
    let (code, _, err) = run(&["--map", "nbb-filing"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn closures_move_due_dates_and_a_closed_year_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = r#"{"client": "ACME", "start": "2026-11-02", "closing": "2027-03-31",
        "people": {"partner": ["An"], "manager": ["Bo"], "staff": ["Cy"], "supervisor": ["Di"], "eqr": ["Ed"], "quality": ["Fa"]}}"#;
    let due = |out: &str| -> String {
        let v: Value = serde_json::from_str(out).unwrap();
        v["actions"].as_array().unwrap().iter().find(|a| a["id"] == "engagement-letter").unwrap()["due"].to_string()
    };
    let m = model("example-firm.yaml");
    let (code, plain, err) = missions(&["plan", "--model", &m, "--input", input, "--json"]);
    assert_eq!(code, 0, "{err}");
    let closed = dir.path().join("closures.json");
    std::fs::write(&closed, r#"{"closures": [{"from": "2026-11-03", "to": "2026-11-13"}]}"#).unwrap();
    let closed = closed.to_string_lossy().into_owned();
    let (code, shifted, err) = missions(&["plan", "--model", &m, "--input", input, "--json", "--closures", &closed]);
    assert_eq!(code, 0, "{err}");
    assert!(due(&shifted) > due(&plain), "{} vs {}", due(&shifted), due(&plain));

    let year = dir.path().join("year.json");
    std::fs::write(&year, r#"{"closures": [{"from": "2026-01-01", "to": "2026-12-31"}]}"#).unwrap();
    let (code, _, err) = missions(&["plan", "--model", &m, "--input", input, "--closures", &year.to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(err.contains("no working day in 2026"), "{err}");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"closures": ["2026-13-01"]}"#).unwrap();
    let (code, _, err) = missions(&["plan", "--model", &m, "--input", input, "--closures", &bad.to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(err.contains("at `closures[0]`"), "{err}");
}

#[test]
fn validate_and_plan_speak_the_masters_language() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        std::fs::read_to_string(model("example-firm.yaml")).unwrap().replace("role: it-auditor", "role: it-auditr");
    let path = dir.path().join("example-firm.yaml");
    std::fs::write(&path, broken).unwrap();
    std::fs::copy(model("isqm-standard.yaml"), dir.path().join("isqm-standard.yaml")).unwrap();
    let path = path.to_string_lossy().into_owned();
    let (code, _, err) = missions(&["validate", &path, "--lang", "nl"]);
    assert_eq!(code, 1);
    assert!(err.contains("error[model.unknown-role]: onbekende rol `it-auditr` in actie `it-controls-review` (bedoelde u `it-auditor`?)"), "{err}");
    assert!(err.contains("example-firm.yaml:"), "the location is kept: {err}");
    let (code, out, _) = missions(&["validate", &path, "--lang", "fr", "--json"]);
    assert_eq!(code, 1);
    assert!(out.contains("rôle inconnu `it-auditr`"), "{out}");

    let input = r#"{"client": "ACME", "start": "2026-11-02", "closing": "2026-10-01", "people": {}}"#;
    let (code, _, err) = missions(&["plan", "--model", &model("example-firm.yaml"), "--input", input, "--lang", "fr"]);
    assert_eq!(code, 1);
    assert!(err.contains("`closing` (2026-10-01) est antérieur à `start` (2026-11-02)"), "{err}");
}
