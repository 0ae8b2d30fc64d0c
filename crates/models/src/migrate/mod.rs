//! Moving a running mission to another version of its model: what the move does to it (actions
//! added, removed, moved to another phase, re-dated; recorded work that would be orphaned), and
//! its new plan and state. Recorded work (a done or started action, a key point) is never lost
//! silently: a removed action that carries some must be mapped onto an action of the new version
//! or dropped explicitly.

mod diff;
mod request;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value, json};

use missions_base::diag::{Diagnostic, Diagnostics};
use missions_base::lang::Lang;
use missions_calendar::Calendar;

use crate::plan::{Plan, PlanInput, plan};
use crate::state::{ActionStatus, MissionState};
use crate::types::Model;

pub use diff::{EntryKind, ModelChange, diff_models};
pub use request::{MigrationBody, MigrationRequest};

/// A mission as it stands, and the two versions of its model with the calendars each dates it with.
#[derive(Debug, Clone, Copy)]
pub struct MissionToMigrate<'a> {
    /// The version the mission follows.
    pub from: &'a Model,
    /// The version it moves to.
    pub to: &'a Model,
    /// Its planning input (`{client, start, closing, dates, people}`).
    pub input: &'a Value,
    /// Its state (`{actions, key_points}`), if any was recorded.
    pub state: Option<&'a Value>,
    /// The calendar it was dated with.
    pub from_calendar: &'a Calendar,
    /// The calendar it will be dated with.
    pub to_calendar: &'a Calendar,
    /// The day of the migration: the moved state is checked as a state update of that day is.
    pub as_of: NaiveDate,
}

/// An action and its phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PhasedAction {
    /// The action.
    pub id: String,
    /// Its phase.
    pub phase: String,
}

/// A removed action whose recorded state moves onto an action of the new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MappedAction {
    /// The removed action.
    pub from: String,
    /// The action that takes its state.
    pub to: String,
}

/// An action in another phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MovedAction {
    /// The action (its new id when it was mapped).
    pub id: String,
    /// Its phase before.
    pub from: String,
    /// Its phase after.
    pub to: String,
}

/// An action planned for another day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RedatedAction {
    /// The action (its new id when it was mapped).
    pub id: String,
    /// Its due date before (`null`: not dated).
    pub from: Option<NaiveDate>,
    /// Its due date after.
    pub to: Option<NaiveDate>,
}

/// Recorded work that the migration would leave without a place in the new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Orphan {
    /// `action` (its recorded state) or `key_point`.
    pub what: &'static str,
    /// The action's or the key point's id.
    pub id: String,
    /// For an action, its status (`done`, `in_progress`); for a key point, the removed action it
    /// concerns, if that is why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Whether the request drops it explicitly (it is then lost on purpose, not orphaned).
    pub dropped: bool,
}

/// What moving one mission to another version does.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MissionChanges {
    /// Actions only the new version has.
    pub added: Vec<PhasedAction>,
    /// Actions only the old version has (mapped ones included).
    pub removed: Vec<PhasedAction>,
    /// Removed actions whose recorded state moves onto another.
    pub mapped: Vec<MappedAction>,
    /// Actions in another phase.
    pub moved: Vec<MovedAction>,
    /// Actions planned for another day (new temporality, new calendar or new closure days).
    pub redated: Vec<RedatedAction>,
    /// Recorded work without a place in the new version: orphaned unless dropped on purpose.
    pub orphaned: Vec<Orphan>,
    /// Why the migration cannot be applied as asked, if it cannot (each with its JSON path).
    pub problems: Diagnostics,
    /// The mission's plan on the new version (absent when it cannot be planned on it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// Its state on the new version (absent when none was recorded or it cannot move).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
}

impl MissionChanges {
    /// Whether it can be applied: no problem is an error.
    pub fn applicable(&self) -> bool {
        !self.problems.has_errors()
    }
}

/// Whether an action's recorded state is work done or started.
fn is_work(status: ActionStatus) -> bool {
    matches!(status, ActionStatus::Done | ActionStatus::InProgress)
}

fn status_name(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Open => "open",
        ActionStatus::InProgress => "in_progress",
        ActionStatus::Done => "done",
        ActionStatus::Skipped => "skipped",
    }
}

/// The due date of each action of a plan.
fn due_by_id(plan: &Plan) -> HashMap<&str, (Option<NaiveDate>, &str)> {
    plan.actions.iter().map(|a| (a.id.as_str(), (a.due, a.phase.as_str()))).collect()
}

/// Plan the mission on its current and its new version, and move its state across; every
/// problem is written in `lang`.
pub fn migrate_mission(m: &MissionToMigrate<'_>, req: &MigrationRequest, lang: Lang) -> MissionChanges {
    let mut out = changes(m, req);
    out.problems = out.problems.localized(lang);
    out
}

fn changes(m: &MissionToMigrate<'_>, req: &MigrationRequest) -> MissionChanges {
    let mut out = MissionChanges {
        added: Vec::new(),
        removed: Vec::new(),
        mapped: Vec::new(),
        moved: Vec::new(),
        redated: Vec::new(),
        orphaned: Vec::new(),
        problems: Diagnostics::default(),
        plan: None,
        state: None,
    };
    let input = match PlanInput::from_json(m.input) {
        Ok(i) => i,
        Err(d) => {
            out.problems = d;
            return out;
        }
    };
    let old_plan = plan(m.from, &input, m.from_calendar);
    let new_plan = plan(m.to, &input, m.to_calendar);
    // The mapping, restricted to the actions this mission's version has.
    let map: BTreeMap<&str, &str> = req
        .map
        .iter()
        .filter(|(k, _)| m.from.action(k).is_some() && m.to.action(k).is_none())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // Which old action each new action continues: itself, or the removed ones mapped onto it.
    for a in &m.to.actions {
        if m.from.action(&a.id).is_none() && !map.values().any(|v| *v == a.id) {
            out.added.push(PhasedAction { id: a.id.clone(), phase: a.phase.clone() });
        }
    }
    for a in &m.from.actions {
        if m.to.action(&a.id).is_none() {
            out.removed.push(PhasedAction { id: a.id.clone(), phase: a.phase.clone() });
            if let Some(to) = map.get(a.id.as_str()) {
                out.mapped.push(MappedAction { from: a.id.clone(), to: (*to).to_owned() });
            }
        }
    }
    let continues = |old: &str| -> Option<String> {
        if m.to.action(old).is_some() { Some(old.to_owned()) } else { map.get(old).map(|s| (*s).to_owned()) }
    };
    for a in &m.from.actions {
        let Some(new_id) = continues(&a.id) else { continue };
        if let Some(n) = m.to.action(&new_id)
            && n.phase != a.phase
        {
            out.moved.push(MovedAction { id: new_id.clone(), from: a.phase.clone(), to: n.phase.clone() });
        }
    }
    match (&old_plan, &new_plan) {
        (Ok(old), Ok(new)) => {
            let (before, after) = (due_by_id(old), due_by_id(new));
            for a in &m.from.actions {
                let Some(new_id) = continues(&a.id) else { continue };
                let (Some((from, _)), Some((to, _))) = (before.get(a.id.as_str()), after.get(new_id.as_str())) else {
                    continue;
                };
                if from != to {
                    out.redated.push(RedatedAction { id: new_id, from: *from, to: *to });
                }
            }
        }
        (Err(d), _) => out.problems.0.extend(d.errors().cloned()),
        (_, Err(d)) => out.problems.0.extend(d.errors().cloned()),
    }
    if let Some(state) = m.state {
        out.state = move_state(m, state, &map, req, &mut out);
    }
    out.plan = new_plan.ok();
    out
}

/// The state on the new version, or `None` (with problems) when recorded work cannot move.
fn move_state(
    m: &MissionToMigrate<'_>,
    state: &Value,
    map: &BTreeMap<&str, &str>,
    req: &MigrationRequest,
    out: &mut MissionChanges,
) -> Option<Value> {
    let doc = |s: &Value| {
        json!({
            "as_of": m.as_of,
            "mission": m.input,
            "actions": s.get("actions").cloned().unwrap_or_else(|| json!([])),
            "key_points": s.get("key_points").cloned().unwrap_or_else(|| json!([])),
        })
    };
    let typed = match MissionState::from_json(&doc(state)) {
        Ok(t) => t,
        Err(d) => {
            out.problems.0.extend(d.0);
            return None;
        }
    };
    let dropped = |id: &str| req.drop.iter().any(|d| d == id);
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut actions = Vec::new();
    let raw_actions = state.get("actions").and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, (raw, a)) in raw_actions.into_iter().zip(&typed.actions).enumerate() {
        let path = format!("state.actions[{i}]");
        let new_id = if m.to.action(&a.id).is_some() {
            a.id.clone()
        } else if let Some(to) = map.get(a.id.as_str()) {
            (*to).to_owned()
        } else {
            let work = is_work(a.status);
            let on_purpose = dropped(&a.id);
            if work {
                out.orphaned.push(Orphan {
                    what: "action",
                    id: a.id.clone(),
                    detail: Some(status_name(a.status).into()),
                    dropped: on_purpose,
                });
                if !on_purpose {
                    out.problems.0.push(messages::orphaned_action(&a.id, status_name(a.status), &path));
                }
            }
            continue;
        };
        if let Some(first) = taken.insert(new_id.clone(), a.id.clone()) {
            out.problems.0.push(messages::merged(&first, &a.id, &new_id));
            continue;
        }
        let mut raw = raw;
        if let Some(o) = raw.as_object_mut() {
            o.insert("id".into(), Value::String(new_id));
        }
        actions.push(raw);
    }
    let mut key_points = Vec::new();
    let raw_kps = state.get("key_points").and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, (raw, k)) in raw_kps.into_iter().zip(&typed.key_points).enumerate() {
        let path = format!("state.key_points[{i}]");
        let mut raw: Map<String, Value> = match raw {
            Value::Object(o) => o,
            _ => continue,
        };
        if let Some(action) = &k.action
            && m.to.action(action).is_none()
        {
            if let Some(to) = map.get(action.as_str()) {
                raw.insert("action".into(), Value::String((*to).to_owned()));
            } else {
                let on_purpose = dropped(action);
                out.orphaned.push(Orphan {
                    what: "key_point",
                    id: k.id.clone(),
                    detail: Some(action.clone()),
                    dropped: on_purpose,
                });
                if on_purpose {
                    // The key point stays; only its link to the dropped action goes.
                    raw.remove("action");
                } else {
                    out.problems.0.push(messages::orphaned_key_point(&k.id, action, &path));
                }
            }
        }
        let kind_gone = !m.to.kinds.iter().any(|x| x.id == k.kind);
        let severity_gone = !m.to.severities.iter().any(|x| x.id == k.severity);
        if kind_gone || severity_gone {
            let (field, value) = if kind_gone { ("kind", &k.kind) } else { ("severity", &k.severity) };
            out.orphaned.push(Orphan {
                what: "key_point",
                id: k.id.clone(),
                detail: Some(value.clone()),
                dropped: false,
            });
            out.problems.0.push(messages::key_point_entry_gone(&k.id, field, value, &path));
        }
        key_points.push(Value::Object(raw));
    }
    if out.problems.has_errors() {
        return None;
    }
    let moved = json!({"actions": actions, "key_points": key_points});
    // The moved state must fit the new version as any state update must.
    if let Err(d) = crate::dashboard::dashboard_json(m.to, &doc(&moved), m.to_calendar) {
        out.problems.0.extend(d.0);
        return None;
    }
    Some(moved)
}

mod messages {
    //! The migration's own messages, in every language.

    use missions_base::said;

    use super::Diagnostic;

    pub(super) fn orphaned_action(id: &str, status: &str, path: &str) -> Diagnostic {
        Diagnostic::error_said("migrate.orphaned-work", said!("models-action-new-version-removes", path, id, status))
            .help_said(said!("models-map-onto-action-new-version", id))
    }

    pub(super) fn orphaned_key_point(id: &str, action: &str, path: &str) -> Diagnostic {
        Diagnostic::error_said(
            "migrate.orphaned-key-point",
            said!("models-key-point-concerns-action-which", path, id, action),
        )
        .help_said(said!("models-help-map-key-point-action", action))
    }

    pub(super) fn key_point_entry_gone(id: &str, field: &str, value: &str, path: &str) -> Diagnostic {
        Diagnostic::error_said(
            "migrate.orphaned-key-point",
            said!("models-key-point-which-new-version", path, field, id, value),
        )
        .help_said(said!("models-keep-new-version-model", field, value))
    }

    pub(super) fn merged(first: &str, second: &str, to: &str) -> Diagnostic {
        Diagnostic::error_said(
            "migrate.merged-state",
            said!("models-recorded-states-would-both-land", first, second, to),
        )
        .help_said(said!("models-action-has-one-state-map"))
    }
}

#[cfg(test)]
mod tests;
