//! `missions dashboard --model FILE --input JSON`: a mission's figures on a day — progress,
//! overdue work, load per person, each supervisor's team, open key points and escalations. With
//! `--plugin` (or `--tenant`), the plugins' `dashboard-figures` hook adds figures of its own.

use missions_engine::{Dashboard, MissionState, Model, dashboard};

use super::io::{Failure, Streams};
use super::plan::{ModelArgs, input_failure, run_with_model, text};
use super::plugin::args::{PluginArgs, plugins};
use crate::service::hooks::{self, Figure};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    common: ModelArgs,
    /// Plugins whose `dashboard-figures` hook adds figures
    #[command(flatten)]
    plugins: PluginArgs,
}

/// The dashboard, and the plugins' figures when `--plugin` or `--tenant` is given.
#[derive(serde::Serialize)]
struct WithFigures {
    #[serde(flatten)]
    dashboard: Dashboard,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugin_figures: Option<Vec<Figure>>,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let json = a.common.json;
    run_with_model(
        &a.common,
        s,
        |model, input, cal, s| {
            let mut board = MissionState::from_json(input)
                .and_then(|st| dashboard(model, &st, cal))
                .map_err(|d| input_failure(s, json, &d))?;
            board.warnings = board.warnings.localized(s.lang);
            let plugin_figures = figures(&a.plugins, &board, s, json)?;
            Ok(WithFigures { dashboard: board, plugin_figures })
        },
        |d| &d.dashboard.warnings,
        print_dashboard,
    )
}

/// What the plugins with the `dashboard-figures` hook add, in their order; `None` without plugins.
/// A plugin that fails stops the command (exit 1) with its error.
fn figures(
    args: &PluginArgs,
    board: &Dashboard,
    s: &mut Streams<'_>,
    json: bool,
) -> Result<Option<Vec<Figure>>, Failure> {
    if args.plugins.is_empty() && args.tenant.is_none() && args.configs.is_empty() {
        return Ok(None);
    }
    let (found, failures) = hooks::figures(&plugins(args, s, json)?, board);
    if let Some(f) = failures.first() {
        let _ = writeln!(s.stderr, "error: {}", f.message);
        if json {
            let _ = writeln!(
                s.stdout,
                "{}",
                serde_json::json!({"error": {"kind": "plugin", "plugin": f.plugin,
                "hook": f.hook, "code": f.code, "message": f.message, "messages": f.messages}})
            );
        }
        return Err(Failure::Reported);
    }
    Ok(Some(found))
}

fn print_dashboard(s: &mut Streams<'_>, model: &Model, w: &WithFigures, lang: &str) {
    let d = &w.dashboard;
    let mut out = String::new();
    let p = &d.progress;
    out.push_str(&format!(
        "{} — {} — as of {} (week {} to {})\n",
        d.client,
        text(model.label(), lang),
        d.as_of,
        d.week.first,
        d.week.last
    ));
    out.push_str(&format!(
        "progress: {}/{} done ({} %), {} open, {} skipped\n",
        p.done,
        p.total - p.skipped,
        p.percent,
        p.open,
        p.skipped
    ));
    out.push_str("\nphases:\n");
    for ph in &d.phases {
        let late = if ph.overdue > 0 { format!(", {} overdue", ph.overdue) } else { String::new() };
        let pr = &ph.progress;
        out.push_str(&format!(
            "  {:3} %  {}/{}  {}{late}\n",
            pr.percent,
            pr.done,
            pr.total - pr.skipped,
            text(&ph.label, lang)
        ));
    }
    for (title, list) in [("overdue", &d.overdue), ("due this week", &d.due_this_week)] {
        out.push_str(&format!("\n{title} ({}):\n", list.len()));
        for a in list {
            let late = if a.days_late > 0 { format!(" ({} days late)", a.days_late) } else { String::new() };
            out.push_str(&format!("  {}  {}{late}  — {}\n", a.due, a.id, a.assignees.join(", ")));
        }
    }
    out.push_str("\npeople:\n");
    let width = d.people.iter().map(|p| p.name.chars().count()).max().unwrap_or(0);
    for person in &d.people {
        out.push_str(&format!(
            "  {:width$}  open {:3}  overdue {:3}  this week {:3}  done {:3}  ({})\n",
            person.name,
            person.open,
            person.overdue,
            person.due_this_week,
            person.done,
            person.roles.join(", ")
        ));
    }
    out.push_str("\nteams (n-1):\n");
    for t in &d.teams {
        let members: Vec<&str> = t.members.iter().map(|m| m.name.as_str()).collect();
        out.push_str(&format!(
            "  {} ({}): {} — open {}, overdue {}, this week {}\n",
            t.supervisor,
            t.role,
            members.join(", "),
            t.open,
            t.overdue,
            t.due_this_week
        ));
    }
    let kp = &d.key_points;
    out.push_str(&format!("\nkey points: {} open\n", kp.open));
    for k in kp.by_kind.iter().filter(|k| k.open > 0) {
        let counts: Vec<String> =
            k.by_severity.iter().filter(|c| c.open > 0).map(|c| format!("{} {}", c.severity, c.open)).collect();
        out.push_str(&format!("  {}: {}\n", text(&k.label, lang), counts.join(", ")));
    }
    for e in &kp.escalations_due {
        out.push_str(&format!(
            "  escalation due: {} ({}, {}) since {} → {}\n",
            e.id,
            e.kind,
            e.severity,
            e.escalate_on,
            if e.people.is_empty() { e.roles.join(", ") } else { e.people.join(", ") }
        ));
    }
    if let Some(figures) = &w.plugin_figures {
        out.push_str(&format!("\nplugin figures ({}):\n", figures.len()));
        for f in figures {
            let label = f.label.get(lang).or_else(|| f.label.get("en")).map_or("", String::as_str);
            let unit = f.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            out.push_str(&format!("  {label}: {}{unit}  ({}, {})\n", f.value, f.code, f.plugin));
        }
    }
    let _ = write!(s.stdout, "{out}");
}
