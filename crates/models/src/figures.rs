//! The figures of a dashboard: progress per phase, due and overdue actions, load per person and
//! team, key points by kind and severity, escalations.

use chrono::NaiveDate;
use serde::Serialize;

use missions_base::diag::Diagnostics;

use super::state::ActionStatus;
use super::types::Label;

/// How far a set of actions has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Progress {
    /// Actions, skipped ones included.
    pub total: usize,
    /// Done.
    pub done: usize,
    /// Not applicable.
    pub skipped: usize,
    /// Neither done nor skipped.
    pub open: usize,
    /// Done out of the applicable ones, in whole percent rounded down (100 when none applies).
    pub percent: u32,
}

impl Progress {
    pub(super) fn add(&mut self, status: ActionStatus) {
        self.total += 1;
        match status {
            ActionStatus::Done => self.done += 1,
            ActionStatus::Skipped => self.skipped += 1,
            ActionStatus::Open | ActionStatus::InProgress => self.open += 1,
        }
    }

    pub(super) fn finish(&mut self) {
        let applicable = self.total - self.skipped;
        self.percent = (self.done * 100).checked_div(applicable).map_or(100, |p| u32::try_from(p).unwrap_or(100));
    }
}

/// Progress of one phase.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PhaseProgress {
    /// The phase's id.
    pub id: String,
    /// Its name.
    pub label: Label,
    /// Its actions' progress.
    #[serde(flatten)]
    pub progress: Progress,
    /// Its overdue actions.
    pub overdue: usize,
}

/// An action due soon or late.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DueAction {
    /// The action's id.
    pub id: String,
    /// Its phase.
    pub phase: String,
    /// Its name.
    pub label: Label,
    /// Its due date.
    pub due: NaiveDate,
    /// Calendar days past the due date (0 when not late).
    pub days_late: i64,
    /// Who is on it.
    pub assignees: Vec<String>,
}

/// The work of one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PersonLoad {
    /// Their name.
    pub name: String,
    /// Their roles in the mission.
    pub roles: Vec<String>,
    /// Actions assigned and not finished (in progress included).
    pub open: usize,
    /// Of those, started.
    pub in_progress: usize,
    /// Of those, overdue.
    pub overdue: usize,
    /// Of those, due between today and the end of the week.
    pub due_this_week: usize,
    /// Actions assigned and done.
    pub done: usize,
}

/// A supervisor's view of their team, the "n-1": people in the roles that report to theirs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Team {
    /// The supervisor.
    pub supervisor: String,
    /// The supervisor's role.
    pub role: String,
    /// The team members' load.
    pub members: Vec<PersonLoad>,
    /// Open actions of the team.
    pub open: usize,
    /// Overdue actions of the team.
    pub overdue: usize,
    /// Actions of the team due this week.
    pub due_this_week: usize,
    /// Ids of the team's overdue actions.
    pub overdue_actions: Vec<String>,
}

/// Open key points of one kind, by severity.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct KindFigures {
    /// The kind's id.
    pub kind: String,
    /// Its name.
    pub label: Label,
    /// Open key points of this kind.
    pub open: usize,
    /// Open ones per severity, the least severe first (every severity listed).
    pub by_severity: Vec<SeverityCount>,
}

/// A count for one severity.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SeverityCount {
    /// The severity's id.
    pub severity: String,
    /// How many.
    pub open: usize,
}

/// An open key point whose escalation date has come.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Escalation {
    /// The key point's reference.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its severity.
    pub severity: String,
    /// When it was raised.
    pub raised_on: NaiveDate,
    /// When it escalated (working days after it was raised).
    pub escalate_on: NaiveDate,
    /// The action it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Roles it escalates to.
    pub roles: Vec<String>,
    /// The people in those roles.
    pub people: Vec<String>,
}

/// An open key point.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OpenKeyPoint {
    /// Its reference.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its severity.
    pub severity: String,
    /// When it was raised.
    pub raised_on: NaiveDate,
    /// The action it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The people alerted when it was raised (the kind's `alert` roles).
    pub alerted: Vec<String>,
    /// When it escalates, if its kind or severity escalates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate_on: Option<NaiveDate>,
}

/// Key point figures.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct KeyPointFigures {
    /// Open key points.
    pub open: usize,
    /// The open key points, the most severe first, then the oldest.
    pub items: Vec<OpenKeyPoint>,
    /// Per kind and severity.
    pub by_kind: Vec<KindFigures>,
    /// Open key points due for escalation.
    pub escalations_due: Vec<Escalation>,
}

/// The first and last day (Monday to Sunday) of the week of `as_of`.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct Week {
    /// Monday.
    pub first: NaiveDate,
    /// Sunday.
    pub last: NaiveDate,
}

/// A mission's dashboard figures.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Dashboard {
    /// The model's id.
    pub model: String,
    /// The client.
    pub client: String,
    /// The day of the figures.
    pub as_of: NaiveDate,
    /// Its week.
    pub week: Week,
    /// The whole mission's progress.
    pub progress: Progress,
    /// Progress per phase, in order.
    pub phases: Vec<PhaseProgress>,
    /// Unfinished actions past their due date, the oldest first.
    pub overdue: Vec<DueAction>,
    /// Unfinished actions due from today to the end of the week.
    pub due_this_week: Vec<DueAction>,
    /// Load per person.
    pub people: Vec<PersonLoad>,
    /// Each supervisor's team.
    pub teams: Vec<Team>,
    /// Key points.
    pub key_points: KeyPointFigures,
    /// What may be wrong without preventing the figures.
    #[serde(skip_serializing_if = "is_empty")]
    pub warnings: Diagnostics,
}

fn is_empty(d: &Diagnostics) -> bool {
    d.0.is_empty()
}
