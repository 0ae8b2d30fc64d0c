//! A checked mission model: what the planner and the dashboard read. Every reference in it
//! resolves, so the parts kept private here hold indices instead of names.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use missions_base::diag::Diagnostics;

use super::due::Due;
use super::raw::DayUnit;

/// A text in each of a model's languages (`fr`, `nl`, `en` …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Label(pub BTreeMap<String, String>);

impl Label {
    /// The text in `lang`, if there is one.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }
}

/// A mission date that temporalities refer to: `start`, `closing`, or one the model declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissionDate {
    /// Identifier.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Its value when a plan's input does not give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Due>,
}

/// A role in the mission team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// Identifier, such as `manager`.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// The supervising role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports_to: Option<String>,
}

/// An identified, labelled entry of the model: an action type or an objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelEntry {
    /// Identifier.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
}

/// A quality risk of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// Identifier.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Objectives it threatens.
    pub objectives: Vec<String>,
}

/// A phase of the mission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    /// Identifier.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Its actions' ids, in order.
    pub actions: Vec<String>,
}

/// An action of a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// Identifier, unique in the model.
    pub id: String,
    /// The phase it belongs to.
    pub phase: String,
    /// Its action type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The responsible role.
    pub role: String,
    /// Name.
    pub label: Label,
    /// Instructions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Documents it produces.
    pub documents: Vec<Document>,
    /// Documents of other actions it works from.
    pub inputs: Vec<String>,
    /// Actions to be done first.
    pub depends_on: Vec<String>,
    /// Objectives it serves.
    pub objectives: Vec<String>,
    /// Risks it responds to.
    pub risks: Vec<String>,
    /// When it is due; an action without one is not dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Due>,
}

/// A document an action produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Document {
    /// Identifier, unique in the model.
    pub id: String,
    /// Name.
    pub label: Label,
    /// The template to start from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Whether the action cannot be done without it.
    pub required: bool,
}

/// A severity of key points, the least severe first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyPointSeverity {
    /// Identifier.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Working days after which an open key point of this severity escalates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<u32>,
}

/// A kind of key point (anomaly, incident …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyPointKind {
    /// Identifier.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Roles alerted when one is raised.
    pub alert: Vec<String>,
    /// Working days after which one still open escalates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<u32>,
    /// Roles it escalates to.
    pub escalate_to: Vec<String>,
}

/// A checked mission model, with its `extends` chain resolved. Build one with
/// [`load_model`](crate::load_model) or [`parse_model`](crate::parse_model); plan missions from it
/// with [`plan`](crate::plan) and follow them with [`dashboard`](crate::dashboard).
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub(crate) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) label: Label,
    pub(crate) files: Vec<String>,
    pub(crate) dates: Vec<MissionDate>,
    pub(crate) roles: Vec<Role>,
    pub(crate) action_types: Vec<ModelEntry>,
    pub(crate) objectives: Vec<ModelEntry>,
    pub(crate) risks: Vec<Risk>,
    pub(crate) phases: Vec<Phase>,
    pub(crate) actions: Vec<Action>,
    pub(crate) severities: Vec<KeyPointSeverity>,
    pub(crate) kinds: Vec<KeyPointKind>,
    #[serde(skip)]
    pub(crate) warnings: Diagnostics,
    #[serde(skip)]
    pub(crate) ix: Ix,
}

/// A temporality with its date resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DueIx {
    pub date: usize,
    pub unit: DayUnit,
    /// Negative before the date.
    pub days: i64,
}

/// Resolved references, by position in the model's vectors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ix {
    pub role: HashMap<String, usize>,
    pub action: HashMap<String, usize>,
    pub date: HashMap<String, usize>,
    pub kind: HashMap<String, usize>,
    pub severity: HashMap<String, usize>,
    pub action_role: Vec<usize>,
    pub action_phase: Vec<usize>,
    pub action_deps: Vec<Vec<usize>>,
    pub action_due: Vec<Option<DueIx>>,
    pub role_reports_to: Vec<Option<usize>>,
    pub date_default: Vec<Option<DueIx>>,
    pub kind_alert: Vec<Vec<usize>>,
    pub kind_escalate_to: Vec<Vec<usize>>,
}

impl Model {
    /// The model's identifier.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its version, if it states one.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Its languages; every label has a text in each.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Its name.
    pub fn label(&self) -> &Label {
        &self.label
    }

    /// The files it was read from, the most basic model first.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Mission dates: `start`, `closing`, then those the model declares.
    pub fn dates(&self) -> &[MissionDate] {
        &self.dates
    }

    /// Roles.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Action types.
    pub fn action_types(&self) -> &[ModelEntry] {
        &self.action_types
    }

    /// The library's objectives.
    pub fn objectives(&self) -> &[ModelEntry] {
        &self.objectives
    }

    /// The library's risks.
    pub fn risks(&self) -> &[Risk] {
        &self.risks
    }

    /// Phases, in order.
    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// Every action, phase after phase.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The action with this id.
    pub fn action(&self, id: &str) -> Option<&Action> {
        self.ix.action.get(id).and_then(|&i| self.actions.get(i))
    }

    /// Key point severities, the least severe first.
    pub fn key_point_severities(&self) -> &[KeyPointSeverity] {
        &self.severities
    }

    /// Key point kinds.
    pub fn key_point_kinds(&self) -> &[KeyPointKind] {
        &self.kinds
    }

    /// What validation found worth saying that does not stop the model from being used.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }
}
