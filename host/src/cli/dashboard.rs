//! `missions dashboard --model FILE --input JSON`: a mission's figures on a day — progress,
//! overdue work, load per person, each supervisor's team, open key points and escalations.

use missions_engine::{Dashboard, MissionState, Model, dashboard};

use super::io::Streams;
use super::plan::{ModelArgs, run_with_model, text};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    common: ModelArgs,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    run_with_model(
        &a.common,
        s,
        |model, input, cal| MissionState::from_json(input).and_then(|st| dashboard(model, &st, cal)),
        |d| &d.warnings,
        print_dashboard,
    )
}

fn print_dashboard(s: &mut Streams<'_>, model: &Model, d: &Dashboard, lang: &str) {
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
    let _ = write!(s.stdout, "{out}");
}
