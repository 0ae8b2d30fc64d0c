//! Following a mission: its state (actions done or open, key points raised) in, dashboard
//! figures out — progress, overdue work, load per person, each supervisor's team (n-1), open
//! key points and their escalations. "Today" is part of the input, never the clock.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::Value;

use missions_base::diag::{Diagnostic, Diagnostics, Said, did_you_mean};
use missions_base::said;
use missions_calendar::Calendar;

use super::figures::{
    Dashboard, DueAction, Escalation, KeyPointFigures, KindFigures, OpenKeyPoint, PersonLoad, PhaseProgress, Progress,
    SeverityCount, Team, Week,
};
use super::inputs::{Problems, at};
use super::plan::schedule;
use super::state::{ActionStatus, MissionState};
use super::types::Model;

fn unknown(
    r: &mut Problems,
    code: &'static str,
    what: Said,
    name: &str,
    path: &str,
    candidates: impl IntoIterator<Item = String>,
) {
    let candidates: Vec<String> = candidates.into_iter().collect();
    let mut message = said!("models-unknown-at-path", what, name, path);
    message.push(&Said::did_you_mean(did_you_mean(name, candidates.iter().map(String::as_str))));
    r.error_at(code, path, message);
}

fn action_word() -> Said {
    said!("models-action")
}

/// Compute a mission's dashboard.
pub fn dashboard(model: &Model, state: &MissionState, calendar: &Calendar) -> Result<Dashboard, Diagnostics> {
    let mut r = Problems::default();
    let ix = &model.ix;
    let n = model.actions.len();
    let mut status = vec![ActionStatus::Open; n];
    let mut due_override: Vec<Option<NaiveDate>> = vec![None; n];
    let mut who_override: Vec<Option<&Vec<String>>> = vec![None; n];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, a) in state.actions.iter().enumerate() {
        let path = format!("actions[{i}]");
        match ix.action.get(&a.id) {
            Some(&k) => {
                if let Some(first) = seen.insert(&a.id, i) {
                    let id = &a.id;
                    r.error_at("input.duplicate", &path, said!("models-action-listed-twice", id, first, path));
                }
                status[k] = a.status;
                due_override[k] = a.due;
                who_override[k] = a.assignees.as_ref();
                if let Some(done) = a.done_on
                    && done > state.as_of
                {
                    let as_of = state.as_of;
                    r.error_at(
                        "input.invalid",
                        &at(&path, "done_on"),
                        said!("models-done-after-as-of", path, done, as_of),
                    );
                }
            }
            None => unknown(
                &mut r,
                "input.unknown-action",
                action_word(),
                &a.id,
                &at(&path, "id"),
                model.actions.iter().map(|a| a.id.clone()),
            ),
        }
    }
    let mut kp = Vec::with_capacity(state.key_points.len());
    for (i, k) in state.key_points.iter().enumerate() {
        let path = format!("key_points[{i}]");
        let kind = ix.kind.get(&k.kind).copied();
        if kind.is_none() {
            unknown(
                &mut r,
                "input.unknown-kind",
                said!("models-key-point-kind"),
                &k.kind,
                &at(&path, "kind"),
                model.kinds.iter().map(|k| k.id.clone()),
            );
        }
        let severity = ix.severity.get(&k.severity).copied();
        if severity.is_none() {
            unknown(
                &mut r,
                "input.unknown-severity",
                said!("models-severity"),
                &k.severity,
                &at(&path, "severity"),
                model.severities.iter().map(|s| s.id.clone()),
            );
        }
        if let Some(action) = &k.action
            && !ix.action.contains_key(action)
        {
            unknown(
                &mut r,
                "input.unknown-action",
                action_word(),
                action,
                &at(&path, "action"),
                model.actions.iter().map(|a| a.id.clone()),
            );
        }
        if let (Some(kind), Some(severity)) = (kind, severity) {
            kp.push((k, kind, severity));
        }
    }
    let sched = schedule(model, &state.mission, calendar, "mission");
    let sched = match sched {
        Ok(s) if r.diags.is_empty() => s,
        Ok(_) => return Err(Diagnostics(r.diags)),
        Err(mut more) => {
            r.diags.append(&mut more);
            return Err(Diagnostics(r.diags));
        }
    };

    let as_of = state.as_of;
    let back = u64::from(as_of.weekday().num_days_from_monday());
    let first = as_of.checked_sub_days(Days::new(back)).unwrap_or(as_of);
    let last = first.checked_add_days(Days::new(6)).unwrap_or(as_of);

    // People, in the order of the model's roles, then anyone else named in the state.
    let mut people: Vec<PersonLoad> = Vec::new();
    let mut person: HashMap<&str, usize> = HashMap::new();
    for (role, names) in model.roles.iter().zip(&sched.people) {
        for name in names {
            let p = *person.entry(name.as_str()).or_insert_with(|| {
                people.push(PersonLoad { name: name.clone(), ..PersonLoad::default() });
                people.len() - 1
            });
            if !people[p].roles.contains(&role.id) {
                people[p].roles.push(role.id.clone());
            }
        }
    }

    let mut total = Progress::default();
    let mut phases: Vec<PhaseProgress> = model
        .phases
        .iter()
        .map(|p| PhaseProgress { id: p.id.clone(), label: p.label.clone(), progress: Progress::default(), overdue: 0 })
        .collect();
    let mut overdue = Vec::new();
    let mut this_week = Vec::new();
    let mut late_by_person: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    let empty = Vec::new();
    for (i, a) in model.actions.iter().enumerate() {
        let st = status[i];
        let phase = ix.action_phase[i];
        total.add(st);
        phases[phase].progress.add(st);
        let assignees = who_override[i].unwrap_or_else(|| sched.people.get(ix.action_role[i]).unwrap_or(&empty));
        let due = due_override[i].or(sched.due[i]);
        let open = matches!(st, ActionStatus::Open | ActionStatus::InProgress);
        let is_late = open && due.is_some_and(|d| d < as_of);
        let is_this_week = open && due.is_some_and(|d| d >= as_of && d <= last);
        for name in assignees {
            let p = match person.get(name.as_str()) {
                Some(&p) => p,
                None => {
                    people.push(PersonLoad { name: name.clone(), ..PersonLoad::default() });
                    late_by_person.push(Vec::new());
                    person.insert(name.as_str(), people.len() - 1);
                    people.len() - 1
                }
            };
            let load = &mut people[p];
            match st {
                ActionStatus::Done => load.done += 1,
                ActionStatus::Skipped => {}
                ActionStatus::Open | ActionStatus::InProgress => {
                    load.open += 1;
                    load.in_progress += usize::from(st == ActionStatus::InProgress);
                    load.overdue += usize::from(is_late);
                    load.due_this_week += usize::from(is_this_week);
                    if is_late {
                        late_by_person[p].push(i);
                    }
                }
            }
        }
        if let (Some(due), true) = (due, is_late || is_this_week) {
            let item = DueAction {
                id: a.id.clone(),
                phase: a.phase.clone(),
                label: a.label.clone(),
                due,
                days_late: if is_late { (as_of - due).num_days() } else { 0 },
                assignees: assignees.clone(),
            };
            if is_late {
                phases[phase].overdue += 1;
                overdue.push(item);
            } else {
                this_week.push(item);
            }
        }
    }
    total.finish();
    for p in &mut phases {
        p.progress.finish();
    }
    overdue.sort_by_key(|d| d.due);
    this_week.sort_by_key(|d| d.due);

    // The n-1: for each role that others report to, each of its people sees those others.
    let mut teams = Vec::new();
    for (ri, role) in model.roles.iter().enumerate() {
        let mut members: Vec<usize> = Vec::new();
        for (si, to) in ix.role_reports_to.iter().enumerate() {
            if *to == Some(ri) && si != ri {
                for name in sched.people.get(si).unwrap_or(&empty) {
                    if let Some(&p) = person.get(name.as_str())
                        && !members.contains(&p)
                    {
                        members.push(p);
                    }
                }
            }
        }
        if !ix.role_reports_to.iter().enumerate().any(|(si, to)| *to == Some(ri) && si != ri) {
            continue;
        }
        for supervisor in sched.people.get(ri).unwrap_or(&empty) {
            let members: Vec<usize> = members.iter().copied().filter(|&p| people[p].name != *supervisor).collect();
            let mut late: Vec<usize> = members.iter().flat_map(|&p| late_by_person[p].iter().copied()).collect();
            late.sort_unstable();
            late.dedup();
            teams.push(Team {
                supervisor: supervisor.clone(),
                role: role.id.clone(),
                members: members.iter().map(|&p| people[p].clone()).collect(),
                open: members.iter().map(|&p| people[p].open).sum(),
                overdue: members.iter().map(|&p| people[p].overdue).sum(),
                due_this_week: members.iter().map(|&p| people[p].due_this_week).sum(),
                overdue_actions: late.iter().map(|&i| model.actions[i].id.clone()).collect(),
            });
        }
    }

    // Key points.
    let mut by_kind: Vec<KindFigures> = model
        .kinds
        .iter()
        .map(|k| KindFigures {
            kind: k.id.clone(),
            label: k.label.clone(),
            open: 0,
            by_severity: model.severities.iter().map(|s| SeverityCount { severity: s.id.clone(), open: 0 }).collect(),
        })
        .collect();
    let mut open_kp = 0;
    let mut items: Vec<(usize, OpenKeyPoint)> = Vec::new();
    let mut escalations = Vec::new();
    let mut errors = Vec::new();
    for (k, kind, severity) in kp {
        if k.closed_on.is_some_and(|c| c <= as_of) {
            continue;
        }
        open_kp += 1;
        by_kind[kind].open += 1;
        by_kind[kind].by_severity[severity].open += 1;
        let after = match (model.kinds[kind].escalate_after, model.severities[severity].escalate_after) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let escalate_on = match after.map(|n| calendar.add_working_days(k.raised_on, i64::from(n))) {
            None => None,
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => {
                let id = &k.id;
                errors.push(Diagnostic::error_said(
                    "plan.calendar",
                    said!("models-cannot-date-escalation-key-point", id, e),
                ));
                continue;
            }
        };
        let people_of = |roles: &[usize]| {
            let mut out: Vec<String> = Vec::new();
            for &role in roles {
                for name in sched.people.get(role).unwrap_or(&empty) {
                    if !out.contains(name) {
                        out.push(name.clone());
                    }
                }
            }
            out
        };
        items.push((
            severity,
            OpenKeyPoint {
                id: k.id.clone(),
                kind: k.kind.clone(),
                severity: k.severity.clone(),
                raised_on: k.raised_on,
                action: k.action.clone(),
                alerted: people_of(&ix.kind_alert[kind]),
                escalate_on,
            },
        ));
        let Some(escalate_on) = escalate_on else {
            continue;
        };
        if escalate_on <= as_of {
            let to_people = people_of(&ix.kind_escalate_to[kind]);
            escalations.push(Escalation {
                id: k.id.clone(),
                kind: k.kind.clone(),
                severity: k.severity.clone(),
                raised_on: k.raised_on,
                escalate_on,
                action: k.action.clone(),
                roles: model.kinds[kind].escalate_to.clone(),
                people: to_people,
            });
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    escalations.sort_by_key(|e| e.escalate_on);
    items.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.raised_on.cmp(&b.1.raised_on)));

    Ok(Dashboard {
        model: model.id.clone(),
        client: state.mission.client.clone(),
        as_of,
        week: Week { first, last },
        progress: total,
        phases,
        overdue,
        due_this_week: this_week,
        people,
        teams,
        key_points: KeyPointFigures {
            open: open_kp,
            items: items.into_iter().map(|(_, k)| k).collect(),
            by_kind,
            escalations_due: escalations,
        },
        warnings: Diagnostics(sched.warnings),
    })
}

/// Compute a mission's dashboard from its JSON state.
pub fn dashboard_json(model: &Model, state: &Value, calendar: &Calendar) -> Result<Dashboard, Diagnostics> {
    dashboard(model, &MissionState::from_json(state)?, calendar)
}
