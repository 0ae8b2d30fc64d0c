#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde_json::{Value, json};

use missions_base::lang::Lang;
use missions_calendar::{Calendar, CalendarSpec};

use super::*;
use crate::load_model;

fn models_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules/models")
}

/// The standard model, and the example firm's (which removes `nbb-filing`, re-times
/// `engagement-letter` and adds a phase and actions).
fn versions() -> (Model, Model) {
    (
        load_model(&models_dir().join("isqm-standard.yaml")).unwrap(),
        load_model(&models_dir().join("example-firm.yaml")).unwrap(),
    )
}

fn input() -> Value {
    json!({"client": "Brasserie SA", "start": "2026-11-02", "closing": "2027-03-31",
           "people": {"partner": ["An"], "manager": ["Bo"], "staff": ["Cy"], "supervisor": ["Di"], "eqr": ["Ed"],
                      "quality": ["Fa"]}})
}

fn run(old: &Model, new: &Model, state: &Value, req: &MigrationRequest, lang: Lang) -> MissionChanges {
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap();
    let input = input();
    let m = MissionToMigrate {
        from: old,
        to: new,
        input: &input,
        state: Some(state),
        from_calendar: &cal,
        to_calendar: &cal,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    migrate_mission(&m, req, lang)
}

#[test]
fn the_model_diff_names_every_kind_of_change() {
    let (old, new) = versions();
    let changes = diff_models(&old, &new);
    let has = |c: &ModelChange| changes.contains(c);
    assert!(has(&ModelChange::ActionRemoved { id: "nbb-filing".into(), phase: "reporting".into() }), "{changes:#?}");
    assert!(has(&ModelChange::PhaseAdded { id: "client-feedback".into() }));
    assert!(has(&ModelChange::Added { what: EntryKind::Role, id: "it-auditor".into() }));
    assert!(has(&ModelChange::DueChanged {
        id: "engagement-letter".into(),
        from: Some("10 working days after start".into()),
        to: Some("8 working days after start".into()),
    }));
    assert!(changes.iter().any(|c| matches!(c, ModelChange::DocumentAdded { id, .. } if id == "it-controls-memo")));
    let removed = ModelChange::ActionRemoved { id: "nbb-filing".into(), phase: "reporting".into() };
    assert_eq!(removed.describe(Lang::Fr), "action `nbb-filing` retirée de la phase `reporting`");
    assert_eq!(removed.describe(Lang::Nl), "actie `nbb-filing` verwijderd uit fase `reporting`");
    // Nothing changed, nothing said.
    assert!(diff_models(&old, &old).is_empty());
}

#[test]
fn recorded_work_on_a_removed_action_blocks_until_mapped_or_dropped() {
    let (old, new) = versions();
    let state = json!({"actions": [{"id": "nbb-filing", "status": "in_progress"},
                                   {"id": "engagement-letter", "done_on": "2026-11-10"}],
                       "key_points": [{"id": "kp1", "kind": "anomaly", "severity": "minor",
                                       "raised_on": "2026-11-05", "action": "nbb-filing"}]});
    let blocked = run(&old, &new, &state, &MigrationRequest::default(), Lang::Nl);
    assert!(!blocked.applicable());
    assert!(blocked.state.is_none());
    let codes: Vec<&str> = blocked.problems.0.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["migrate.orphaned-work", "migrate.orphaned-key-point"]);
    assert!(
        blocked.problems.0[0].message.starts_with("`state.actions[0]`: actie `nbb-filing`"),
        "{:?}",
        blocked.problems
    );
    assert_eq!(blocked.orphaned.len(), 2);
    // The rest of the report is there all the same.
    assert!(blocked.redated.iter().any(|r| r.id == "engagement-letter"), "{:?}", blocked.redated);
    assert!(blocked.added.iter().any(|a| a.id == "satisfaction-survey"));

    // Dropped on purpose: the action's state goes, the key point stays without its action.
    let drop = MigrationRequest { drop: vec!["nbb-filing".into()], ..MigrationRequest::default() };
    let dropped = run(&old, &new, &state, &drop, Lang::En);
    assert!(dropped.applicable(), "{:?}", dropped.problems);
    assert!(dropped.orphaned.iter().all(|o| o.dropped));
    let moved = dropped.state.unwrap();
    assert_eq!(moved["actions"].as_array().unwrap().len(), 1);
    assert_eq!(moved["key_points"][0].get("action"), None);
    assert_eq!(moved["key_points"][0]["id"], "kp1");

    // Mapped: the state and the key point follow onto the new action.
    let map = MigrationRequest { map: [("nbb-filing".into(), "satisfaction-survey".into())].into(), drop: vec![] };
    let mapped = run(&old, &new, &state, &map, Lang::En);
    assert!(mapped.applicable(), "{:?}", mapped.problems);
    let moved = mapped.state.unwrap();
    assert_eq!(moved["actions"][0]["id"], "satisfaction-survey");
    assert_eq!(moved["key_points"][0]["action"], "satisfaction-survey");
    assert_eq!(mapped.mapped, [MappedAction { from: "nbb-filing".into(), to: "satisfaction-survey".into() }]);
    assert!(mapped.moved.iter().any(|m| m.id == "satisfaction-survey" && m.to == "client-feedback"));
    assert!(!mapped.added.iter().any(|a| a.id == "satisfaction-survey"));
}

#[test]
fn two_recorded_states_never_merge_into_one_action() {
    let (old, new) = versions();
    let state = json!({"actions": [{"id": "nbb-filing", "status": "in_progress"},
                                   {"id": "engagement-letter", "done_on": "2026-11-10"}]});
    let map = MigrationRequest { map: [("nbb-filing".into(), "engagement-letter".into())].into(), drop: vec![] };
    let merged = run(&old, &new, &state, &map, Lang::Fr);
    assert!(!merged.applicable());
    assert_eq!(merged.problems.0[0].code, "migrate.merged-state");
    assert!(merged.problems.0[0].message.contains("aboutiraient"), "{:?}", merged.problems);
}

#[test]
fn a_request_naming_unknown_or_kept_actions_is_refused_with_its_path() {
    let (old, new) = versions();
    let req = MigrationRequest {
        map: [("nbb-filing".into(), "satisfaction-survy".into()), ("engagement-letter".into(), "report-issue".into())]
            .into(),
        drop: vec!["no-such".into()],
    };
    let err = req.check(&[&old], &new).unwrap_err();
    let messages: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"`map.engagement-letter`: action `engagement-letter` is still in the new version; only removed actions are mapped or dropped"), "{messages:#?}");
    assert!(messages.contains(&"`map.nbb-filing`: `satisfaction-survy` is not an action of the new version (did you mean `satisfaction-survey`?)"), "{messages:#?}");
    assert!(messages.iter().any(|m| m.starts_with("`drop[0]`: `no-such` is not an action")), "{messages:#?}");
    let err = MigrationBody::from_json(&json!({"map": {"a": 3}, "drop": "x", "to": 0})).unwrap_err();
    let paths: Vec<_> = err.0.iter().map(|d| d.path.as_deref().unwrap_or_default()).collect();
    assert_eq!(paths, ["to", "map.a", "drop"], "{err:?}");
    assert!(
        MigrationRequest { map: [("nbb-filing".into(), "satisfaction-survey".into())].into(), drop: vec![] }
            .check(&[&old], &new)
            .is_ok()
    );
}

#[test]
fn closure_days_redate_through_the_migration_only() {
    let (old, _) = versions();
    let plain = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap();
    let mut spec = CalendarSpec::belgian_office_hours();
    spec.closures = (3..=13).map(|d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap()).collect();
    let closed = Calendar::new(spec).unwrap();
    let input = input();
    let m = MissionToMigrate {
        from: &old,
        to: &old,
        input: &input,
        state: None,
        from_calendar: &plain,
        to_calendar: &closed,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    let changes = migrate_mission(&m, &MigrationRequest::default(), Lang::En);
    let letter = changes.redated.iter().find(|r| r.id == "engagement-letter").unwrap();
    assert!(letter.to > letter.from, "{letter:?}");
    assert!(changes.added.is_empty() && changes.removed.is_empty() && changes.applicable());
}
