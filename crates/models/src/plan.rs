//! Planning a mission from a model: mission dates and people in, dated actions with assignees
//! out. Working days come from the business calendar; the planner never reads the clock.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use missions_base::diag::{Diagnostic, Diagnostics, Said, clip, did_you_mean};
use missions_base::said;
use missions_calendar::Calendar;

use super::inputs::{Input, Problems, at, read};
use super::raw::DayUnit;
use super::types::{Document, DueIx, Label, Model};

/// What a mission is planned from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanInput {
    /// The client's name.
    pub client: String,
    /// The mission's start.
    pub start: NaiveDate,
    /// The mission's closing.
    pub closing: NaiveDate,
    /// Other mission dates the model declares (those with a default may be left out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dates: BTreeMap<String, NaiveDate>,
    /// The people in each role: `{"manager": ["An Peeters"]}`.
    pub people: BTreeMap<String, Vec<String>>,
}

impl PlanInput {
    /// Read the JSON input (`{client, start, closing, dates, people}`, declared in
    /// `inputs.yaml`); unknown fields are errors, and every problem names its JSON path.
    pub fn from_json(v: &Value) -> Result<Self, Diagnostics> {
        let input: PlanInput = read(Input::Plan, v).map_err(Diagnostics)?;
        let mut r = Problems::default();
        input.check_names(&mut r, "");
        if r.diags.is_empty() { Ok(input) } else { Err(Diagnostics(r.diags)) }
    }

    /// Every person named must have a name (the input sits at `path`).
    pub(crate) fn check_names(&self, r: &mut Problems, path: &str) {
        let people = at(path, "people");
        for (role, names) in &self.people {
            r.blank_names(names, &at(&people, role));
        }
    }
}

/// A planned mission.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Plan {
    /// The model's id.
    pub model: String,
    /// The client.
    pub client: String,
    /// Every mission date, given or defaulted.
    pub dates: BTreeMap<String, NaiveDate>,
    /// The actions, phase after phase, in the model's order.
    pub actions: Vec<PlannedAction>,
    /// What may be wrong with the plan without preventing it (an unstaffed role …).
    #[serde(skip_serializing_if = "is_empty")]
    pub warnings: Diagnostics,
}

fn is_empty(d: &Diagnostics) -> bool {
    d.0.is_empty()
}

/// An action of a planned mission.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlannedAction {
    /// The action's id.
    pub id: String,
    /// Its phase.
    pub phase: String,
    /// Its name.
    pub label: Label,
    /// Its action type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The responsible role.
    pub role: String,
    /// The people of that role.
    pub assignees: Vec<String>,
    /// The due date, when the model dates the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Actions to be done first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Documents to produce.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
}

/// Dates and people resolved against a model, by index (shared by the plan and the dashboard).
#[derive(Debug)]
pub(crate) struct Schedule {
    pub dates: Vec<Option<NaiveDate>>,
    pub due: Vec<Option<NaiveDate>>,
    /// People per role index.
    pub people: Vec<Vec<String>>,
    pub warnings: Vec<Diagnostic>,
}

/// A mission date plus or minus days; calendar days that land on a non-working day move to the
/// nearest working day on the side of the mission date's direction.
struct Dater<'c> {
    cal: &'c Calendar,
    memo: HashMap<(NaiveDate, DayUnit, i64), NaiveDate>,
}

impl Dater<'_> {
    fn date(&mut self, anchor: NaiveDate, due: DueIx) -> Result<NaiveDate, String> {
        let key = (anchor, due.unit, due.days);
        if let Some(d) = self.memo.get(&key) {
            return Ok(*d);
        }
        let d = match due.unit {
            DayUnit::Working => self.cal.add_working_days(anchor, due.days).map_err(|e| e.to_string())?,
            DayUnit::Calendar => {
                let raw = if due.days >= 0 {
                    anchor.checked_add_days(Days::new(due.days.unsigned_abs()))
                } else {
                    anchor.checked_sub_days(Days::new(due.days.unsigned_abs()))
                };
                let mut d = raw.ok_or_else(|| format!("{anchor} plus {} days is out of range", due.days))?;
                let forward = due.days >= 0;
                let mut steps = 0;
                while !self.cal.is_working_day(d).map_err(|e| e.to_string())? {
                    steps += 1;
                    let next = if forward { d.succ_opt() } else { d.pred_opt() };
                    d = match (next, steps > 400) {
                        (Some(n), false) => n,
                        _ => return Err(format!("no working day near {d}")),
                    };
                }
                d
            }
        };
        self.memo.insert(key, d);
        Ok(d)
    }
}

/// Resolve the input against the model: unknown roles and dates are errors naming their path
/// (`prefix` is where the input sits in a larger document).
pub(crate) fn schedule(
    model: &Model,
    input: &PlanInput,
    cal: &Calendar,
    prefix: &str,
) -> Result<Schedule, Vec<Diagnostic>> {
    let mut r = Problems::default();
    let ix = &model.ix;
    let mut people = vec![Vec::new(); model.roles.len()];
    for (role, names) in &input.people {
        match ix.role.get(role) {
            Some(&i) => {
                if let Some(slot) = people.get_mut(i) {
                    slot.clone_from(names);
                }
            }
            None => {
                let path = at(&at(prefix, "people"), role);
                let role = clip(role);
                let mut message = said!("models-unknown-role", role, path);
                message.push(&Said::did_you_mean(did_you_mean(&role, model.roles.iter().map(|r| r.id.as_str()))));
                let roles = model.roles.iter().map(|r| format!("`{}`", r.id)).collect::<Vec<_>>().join(", ");
                r.error_at("input.unknown-role", &path, message)
                    .set_help_said(said!("models-model-s-roles-are", roles));
            }
        }
    }
    let mut dates: Vec<Option<NaiveDate>> = vec![None; model.dates.len()];
    if let Some(d) = dates.get_mut(0) {
        *d = Some(input.start);
    }
    if let Some(d) = dates.get_mut(1) {
        *d = Some(input.closing);
    }
    if input.closing < input.start {
        let (c, cd, st, sd) = (at(prefix, "closing"), input.closing, at(prefix, "start"), input.start);
        r.error_at("input.invalid-dates", &c, said!("models-closing-before-start", c, cd, st, sd));
    }
    for (name, value) in &input.dates {
        let path = at(&at(prefix, "dates"), name);
        match ix.date.get(name) {
            Some(0 | 1) => {
                r.error_at("input.invalid", &path, said!("models-repeats-top-level-field-give", path, name));
            }
            Some(&i) => {
                if let Some(d) = dates.get_mut(i) {
                    *d = Some(*value);
                }
            }
            None => {
                let declared: Vec<&str> = model.dates.iter().skip(2).map(|d| d.id.as_str()).collect();
                let name = clip(name);
                let mut message = said!("models-unknown-date", name, path);
                message.push(&Said::did_you_mean(did_you_mean(&name, declared.iter().copied())));
                let dates = declared.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ");
                r.error_at("input.unknown-date", &path, message).set_help_said(if declared.is_empty() {
                    said!("models-model-declares-no-dates-besides")
                } else {
                    said!("models-model-s-dates-are", dates)
                });
            }
        }
    }
    if !r.diags.is_empty() {
        return Err(r.diags);
    }

    let mut dater = Dater { cal, memo: HashMap::new() };
    let mut errors = Vec::new();
    let calendar_error =
        |what: Said, why: String| Diagnostic::error_said("plan.calendar", said!("models-cannot-date", what, why));
    for (i, default) in ix.date_default.iter().enumerate() {
        if let (Some(due), Some(None)) = (default, dates.get(i)) {
            let anchor = dates.get(due.date).copied().flatten();
            if let Some(anchor) = anchor {
                match dater.date(anchor, *due) {
                    Ok(d) => dates[i] = Some(d),
                    Err(why) => {
                        let id = &model.dates[i].id;
                        errors.push(calendar_error(said!("models-calendar-date", id), why));
                    }
                }
            }
        }
    }
    let mut due = vec![None; model.actions.len()];
    let mut missing = vec![false; model.dates.len()];
    for (i, d) in ix.action_due.iter().enumerate() {
        let Some(d) = d else { continue };
        match dates.get(d.date).copied().flatten() {
            Some(anchor) => match dater.date(anchor, *d) {
                Ok(date) => due[i] = Some(date),
                Err(why) => {
                    let id = &model.actions[i].id;
                    errors.push(calendar_error(said!("models-calendar-action", id), why));
                }
            },
            None => {
                if !missing[d.date] {
                    missing[d.date] = true;
                    let name = &model.dates[d.date].id;
                    let (field, action) = (at(&at(prefix, "dates"), name), &model.actions[i].id);
                    errors.push(
                        Diagnostic::error_said(
                            "input.missing-date",
                            said!("models-missing-date-action-due-relative", field, action),
                        )
                        .at_path(&field)
                        .help_said(said!("models-add-input-give-date-model", name)),
                    );
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut warnings = Vec::new();
    let mut unstaffed = vec![0usize; model.roles.len()];
    for &role in &ix.action_role {
        if people.get(role).is_some_and(Vec::is_empty) {
            unstaffed[role] += 1;
        }
    }
    for (i, count) in unstaffed.iter().enumerate() {
        if *count > 0 {
            let role = &model.roles[i].id;
            let people = at(prefix, "people");
            warnings.push(
                Diagnostic::warning_said(
                    "plan.unassigned",
                    said!("models-nobody-plays-role-responsible-action", role, count),
                )
                .help_said(said!("models-help-staff-role", role, people)),
            );
        }
    }
    for (i, deps) in ix.action_deps.iter().enumerate() {
        let Some(a) = due[i] else { continue };
        for &j in deps {
            if let Some(b) = due.get(j).copied().flatten()
                && a < b
            {
                let (x, y) = (&model.actions[i].id, &model.actions[j].id);
                warnings.push(Diagnostic::warning_said(
                    "plan.due-before-dependency",
                    said!("models-due-before-dependency", x, a, y, b),
                ));
            }
        }
    }
    for (name, d) in [("start", input.start), ("closing", input.closing)] {
        if !cal.is_working_day(d).unwrap_or(true) {
            let field = at(prefix, name);
            warnings.push(
                Diagnostic::warning_said("plan.non-working-date", said!("models-not-working-day", field, d))
                    .at_path(&field),
            );
        }
    }
    Ok(Schedule { dates, due, people, warnings })
}

/// Plan a mission: every action of the model with its due date and the people responsible.
pub fn plan(model: &Model, input: &PlanInput, calendar: &Calendar) -> Result<Plan, Diagnostics> {
    let s = schedule(model, input, calendar, "").map_err(Diagnostics)?;
    let actions = model
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| PlannedAction {
            id: a.id.clone(),
            phase: a.phase.clone(),
            label: a.label.clone(),
            kind: a.kind.clone(),
            role: a.role.clone(),
            assignees: model.ix.action_role.get(i).and_then(|&r| s.people.get(r)).cloned().unwrap_or_default(),
            due: s.due.get(i).copied().flatten(),
            depends_on: a.depends_on.clone(),
            documents: a.documents.clone(),
        })
        .collect();
    let dates = model.dates.iter().zip(&s.dates).filter_map(|(m, d)| d.map(|d| (m.id.clone(), d))).collect();
    Ok(Plan {
        model: model.id.clone(),
        client: input.client.clone(),
        dates,
        actions,
        warnings: Diagnostics(s.warnings),
    })
}

/// Plan a mission from its JSON input.
pub fn plan_json(model: &Model, input: &Value, calendar: &Calendar) -> Result<Plan, Diagnostics> {
    plan(model, &PlanInput::from_json(input)?, calendar)
}
