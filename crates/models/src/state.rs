//! A mission's state as the firm records it: where each action stands, and its key points.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use missions_base::diag::{Diagnostics, Said, clip, did_you_mean};
use missions_base::said;

use super::json::{Reader, at};
use super::plan::PlanInput;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// Read the JSON state (`{as_of, mission, actions, key_points}`); unknown fields are errors,
    /// and every problem names its JSON path.
    pub fn from_json(v: &Value) -> Result<Self, Diagnostics> {
        let mut r = Reader::default();
        let state = Self::read(&mut r, v);
        match state {
            Some(s) if r.diags.is_empty() => Ok(s),
            _ => Err(Diagnostics(r.diags)),
        }
    }

    fn read(r: &mut Reader, v: &Value) -> Option<Self> {
        let map = r.object(v, "", &["as_of", "mission", "actions", "key_points"])?;
        let as_of = r.date(map, "", "as_of", true);
        let mission = match map.get("mission") {
            Some(m) => PlanInput::read(r, m, "mission"),
            None => {
                r.error_said(
                    "input.missing-field",
                    said!("missing field `mission`", "champ manquant `mission`", "ontbrekend veld `mission`"),
                );
                None
            }
        };
        let mut actions = Vec::new();
        for (path, v) in r.list(map, "", "actions") {
            let Some(m) = r.object(v, &path, &["id", "status", "done_on", "due", "assignees"]) else {
                continue;
            };
            let id = r.string(m, &path, "id", true);
            let status = match r.string(m, &path, "status", false).as_deref() {
                None => None,
                Some("open") => Some(ActionStatus::Open),
                Some("in_progress") => Some(ActionStatus::InProgress),
                Some("done") => Some(ActionStatus::Done),
                Some("skipped") => Some(ActionStatus::Skipped),
                Some(other) => {
                    let allowed = ["open", "in_progress", "done", "skipped"];
                    let (other, field) = (clip(other), at(&path, "status"));
                    let mut message = said!(
                        "unknown status `{other}` at `{field}`",
                        "statut inconnu `{other}` à `{field}`",
                        "onbekende status `{other}` op `{field}`"
                    );
                    message.push(&Said::did_you_mean(did_you_mean(&other, allowed)));
                    r.error_said("input.invalid", message).set_help_said(said!(
                        "the statuses are `open`, `in_progress`, `done`, `skipped`",
                        "les statuts sont `open`, `in_progress`, `done`, `skipped`",
                        "de statussen zijn `open`, `in_progress`, `done`, `skipped`"
                    ));
                    continue;
                }
            };
            let done_on = r.date(m, &path, "done_on", false);
            let due = r.date(m, &path, "due", false);
            let assignees = m.get("assignees").and_then(|v| r.strings(v, &at(&path, "assignees")));
            let status = status.unwrap_or(if done_on.is_some() { ActionStatus::Done } else { ActionStatus::Open });
            match (status, done_on) {
                (ActionStatus::Done, None) => {
                    let field = at(&path, "done_on");
                    r.error_said(
                        "input.missing-field",
                        said!(
                            "missing field `{field}`: a done action needs its date",
                            "champ manquant `{field}` : une action faite a besoin de sa date",
                            "ontbrekend veld `{field}`: een uitgevoerde actie heeft haar datum nodig"
                        ),
                    );
                }
                (s, Some(_)) if s != ActionStatus::Done => {
                    let field = at(&path, "done_on");
                    r.error_said(
                        "input.invalid",
                        said!(
                            "`{field}` is given but the action is not done",
                            "`{field}` est donné mais l'action n'est pas faite",
                            "`{field}` is opgegeven maar de actie is niet uitgevoerd"
                        ),
                    );
                }
                _ => {}
            }
            if let Some(id) = id {
                actions.push(ActionState { id, status, done_on, due, assignees });
            }
        }
        let mut key_points = Vec::new();
        for (path, v) in r.list(map, "", "key_points") {
            let Some(m) = r.object(v, &path, &["id", "kind", "severity", "raised_on", "closed_on", "action"]) else {
                continue;
            };
            let id = r.string(m, &path, "id", true);
            let kind = r.string(m, &path, "kind", true);
            let severity = r.string(m, &path, "severity", true);
            let raised_on = r.date(m, &path, "raised_on", true);
            let closed_on = r.date(m, &path, "closed_on", false);
            let action = r.string(m, &path, "action", false);
            if let (Some(raised), Some(closed)) = (raised_on, closed_on)
                && closed < raised
            {
                let (c, r0) = (at(&path, "closed_on"), at(&path, "raised_on"));
                r.error_said(
                    "input.invalid",
                    said!(
                        "`{c}` ({closed}) is before `{r0}` ({raised})",
                        "`{c}` ({closed}) est antérieur à `{r0}` ({raised})",
                        "`{c}` ({closed}) valt vóór `{r0}` ({raised})"
                    ),
                );
            }
            if let (Some(id), Some(kind), Some(severity), Some(raised_on)) = (id, kind, severity, raised_on) {
                key_points.push(KeyPointState { id, kind, severity, raised_on, closed_on, action });
            }
        }
        Some(Self { as_of: as_of?, mission: mission?, actions, key_points })
    }
}
