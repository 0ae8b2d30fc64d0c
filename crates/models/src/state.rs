//! A mission's state as the firm records it: where each action stands, and its key points.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use missions_base::diag::Diagnostics;
use missions_base::said;

use super::inputs::{Input, Problems, at, read};
use super::plan::PlanInput;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Not started.
    Open,
    /// Started, not finished.
    InProgress,
    /// Finished (on `done_on`).
    Done,
    /// Not applicable to this mission; left out of progress.
    Skipped,
}

/// The state of one action; actions not listed are open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionState {
    /// The action's id.
    pub id: String,
    /// Its status (default: `done` when `done_on` is given, else `open`).
    pub status: ActionStatus,
    /// When it was done.
    pub done_on: Option<NaiveDate>,
    /// A due date that replaces the planned one.
    pub due: Option<NaiveDate>,
    /// People that replace the planned assignees.
    pub assignees: Option<Vec<String>>,
}

/// A key point raised during the mission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPointState {
    /// Its reference.
    pub id: String,
    /// Its kind (`anomaly`, `incident` …).
    pub kind: String,
    /// Its severity.
    pub severity: String,
    /// When it was raised.
    pub raised_on: NaiveDate,
    /// When it was closed; open while absent.
    pub closed_on: Option<NaiveDate>,
    /// The action it concerns.
    pub action: Option<String>,
}

/// A mission as it stands on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissionState {
    /// The day the figures are computed for.
    pub as_of: NaiveDate,
    /// The mission as planned: client, dates, people.
    pub mission: PlanInput,
    /// Actions that are not simply open.
    pub actions: Vec<ActionState>,
    /// Key points raised.
    pub key_points: Vec<KeyPointState>,
}

impl MissionState {
    /// Read the JSON state (`{as_of, mission, actions, key_points}`, declared in `inputs.yaml`);
    /// unknown fields are errors, and every problem names its JSON path.
    pub fn from_json(v: &Value) -> Result<Self, Diagnostics> {
        let raw: RawState = read(Input::State, v).map_err(Diagnostics)?;
        let mut r = Problems::default();
        raw.mission.check_names(&mut r, "mission");
        let mut actions = Vec::with_capacity(raw.actions.len());
        for (i, a) in raw.actions.into_iter().enumerate() {
            let path = format!("actions[{i}]");
            if let Some(names) = &a.assignees {
                r.blank_names(names, &at(&path, "assignees"));
            }
            let status = a.status.unwrap_or(if a.done_on.is_some() { ActionStatus::Done } else { ActionStatus::Open });
            let field = at(&path, "done_on");
            match (status, a.done_on) {
                (ActionStatus::Done, None) => {
                    r.error_at("input.missing-field", &field, said!("models-missing-field-done-action-needs", field));
                }
                (s, Some(_)) if s != ActionStatus::Done => {
                    r.error_at("input.invalid", &field, said!("models-given-but-action-not-done", field));
                }
                _ => {}
            }
            actions.push(ActionState { id: a.id, status, done_on: a.done_on, due: a.due, assignees: a.assignees });
        }
        for (i, k) in raw.key_points.iter().enumerate() {
            if let Some(closed) = k.closed_on
                && closed < k.raised_on
            {
                let (c, r0, raised) =
                    (format!("key_points[{i}].closed_on"), format!("key_points[{i}].raised_on"), k.raised_on);
                r.error_at("input.invalid", &c, said!("models-closed-before-raised", c, closed, r0, raised));
            }
        }
        match r.diags.is_empty() {
            true => Ok(Self { as_of: raw.as_of, mission: raw.mission, actions, key_points: raw.key_points }),
            false => Err(Diagnostics(r.diags)),
        }
    }
}

/// The state as `inputs.yaml` declares it, before the status of each action is settled.
#[derive(Debug, Deserialize)]
struct RawState {
    as_of: NaiveDate,
    mission: PlanInput,
    #[serde(default)]
    actions: Vec<RawAction>,
    #[serde(default)]
    key_points: Vec<KeyPointState>,
}

#[derive(Debug, Deserialize)]
struct RawAction {
    id: String,
    status: Option<ActionStatus>,
    done_on: Option<NaiveDate>,
    due: Option<NaiveDate>,
    assignees: Option<Vec<String>>,
}
