//! The model format as a Master writes it: serde decodes it, schemars describes it for editors.
//! Most fields are optional here because an extending model states only what it changes; what a
//! complete model must have is checked once `extends` is resolved (see `check.rs`), with locations.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// A text in each of the model's languages: `{fr: "…", nl: "…", en: "…"}`.
pub(crate) type RawLabel = BTreeMap<String, String>;

/// A procedural mission model: phases of actions, the roles that carry them out, and what can go wrong.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mission model: a mapping with `id`, `languages`, `label`, `roles`, `phases` …"
)]
#[schemars(title = "Missions-Manager mission model", rename = "MissionModel")]
pub(crate) struct RawModel {
    /// A model this one builds on, as a path relative to this file (`isqm-standard.yaml`). This file
    /// then adds phases and actions, overrides what it restates (matched by `id`) and `remove`s actions.
    pub extends: Option<String>,
    /// The model's identifier, such as `isqm-standard`.
    pub id: Option<String>,
    /// The model's version, free text (`2026.1`).
    pub version: Option<String>,
    /// The languages every label is written in, such as `[fr, nl, en]`.
    pub languages: Option<Vec<String>>,
    /// The model's name, per language.
    pub label: Option<RawLabel>,
    /// A longer description, per language.
    pub description: Option<RawLabel>,
    /// Mission dates besides the built-in `start` and `closing`, such as the report's `signing`.
    #[serde(default)]
    pub dates: Vec<RawDate>,
    /// Who does the work: partner, manager, supervisor, staff, or the firm's own roles.
    #[serde(default)]
    pub roles: Vec<RawRole>,
    /// The kinds of action (procedure, review, sign-off …) that actions name in their `type`.
    #[serde(default)]
    pub action_types: Vec<RawItem>,
    /// The quality objectives and risks that actions address.
    pub library: Option<RawLibrary>,
    /// The mission's phases, in order, each with its actions.
    #[serde(default)]
    pub phases: Vec<RawPhase>,
    /// What can be raised during a mission (anomalies, incidents), how bad it is, who hears of it.
    pub key_points: Option<RawKeyPoints>,
    /// Actions of the extended model that this model drops (only with `extends`).
    #[serde(default)]
    pub remove: Vec<String>,
}

/// An identified, labelled entry: an action type, an objective.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an entry: `{id, label}`")]
#[schemars(rename = "Entry")]
pub(crate) struct RawItem {
    /// Identifier, unique among its kind.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
}

/// A mission date that temporalities may be relative to.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a date: `{id, label, default}`")]
#[schemars(rename = "MissionDate")]
pub(crate) struct RawDate {
    /// Identifier (`signing`); `start` and `closing` are built in.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
    /// When the plan input does not give this date: a temporality relative to `start` or `closing`.
    pub default: Option<RawDue>,
}

/// A role in the mission team.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a role: `{id, label, reports_to}`")]
#[schemars(rename = "Role")]
pub(crate) struct RawRole {
    /// Identifier, such as `manager`.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
    /// The role that supervises this one (for the supervisor's "n-1" dashboard).
    pub reports_to: Option<String>,
}

/// The library of objectives and risks.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "the library: `{objectives, risks}`")]
#[schemars(rename = "Library")]
pub(crate) struct RawLibrary {
    /// Quality objectives (ISQM 1 style).
    #[serde(default)]
    pub objectives: Vec<RawItem>,
    /// Quality risks, each threatening some objectives.
    #[serde(default)]
    pub risks: Vec<RawRisk>,
}

/// A quality risk.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a risk: `{id, label, objectives}`")]
#[schemars(rename = "Risk")]
pub(crate) struct RawRisk {
    /// Identifier, unique among risks.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
    /// The objectives this risk threatens.
    pub objectives: Option<Vec<String>>,
}

/// A phase of the mission.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a phase: `{id, label, actions}`")]
#[schemars(rename = "Phase")]
pub(crate) struct RawPhase {
    /// Identifier, unique among phases.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
    /// The phase's actions, in order.
    #[serde(default)]
    pub actions: Vec<RawAction>,
}

/// An action of a phase.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an action: `{id, type, role, label, depends_on, due …}`")]
#[schemars(rename = "Action")]
pub(crate) struct RawAction {
    /// Identifier, unique in the whole model.
    pub id: String,
    /// Its kind, one of `action_types`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The responsible role.
    pub role: Option<String>,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Instructions, per language.
    pub description: Option<RawLabel>,
    /// Documents this action produces.
    pub documents: Option<Vec<RawDocument>>,
    /// Documents produced by other actions that this action works from.
    pub inputs: Option<Vec<String>>,
    /// Actions that must be done before this one.
    pub depends_on: Option<Vec<String>>,
    /// Objectives of the library this action serves.
    pub objectives: Option<Vec<String>>,
    /// Risks of the library this action responds to.
    pub risks: Option<Vec<String>>,
    /// When it is due: `10 working days after start`, `5 days before closing`, or
    /// `{days: 10, unit: working, after: start}`.
    pub due: Option<RawDue>,
}

/// A document an action produces.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a document: `{id, label, template, required}`")]
#[schemars(rename = "Document")]
pub(crate) struct RawDocument {
    /// Identifier, unique in the whole model.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// The template to start from (a path or a reference in the document store).
    pub template: Option<String>,
    /// Whether the action cannot be done without it (default: true).
    pub required: Option<bool>,
}

/// Key points: what can be raised during a mission.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "key points: `{severities, kinds}`")]
#[schemars(rename = "KeyPoints")]
pub(crate) struct RawKeyPoints {
    /// Severities, from the least to the most severe.
    #[serde(default)]
    pub severities: Vec<RawSeverity>,
    /// Kinds of key point, such as `anomaly` and `incident`.
    #[serde(default)]
    pub kinds: Vec<RawKind>,
}

/// A severity of key points.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a severity: `{id, label, escalate_after}`")]
#[schemars(rename = "Severity")]
pub(crate) struct RawSeverity {
    /// Identifier, such as `major`.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
    /// Escalate an open key point of this severity after this many working days (the earlier of
    /// this and its kind's delay applies).
    pub escalate_after: Option<u32>,
}

/// A kind of key point.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a key point kind: `{id, label, alert, escalate_after, escalate_to}`")]
#[schemars(rename = "KeyPointKind")]
pub(crate) struct RawKind {
    /// Identifier, such as `anomaly`.
    pub id: String,
    /// Name, per language.
    pub label: Option<RawLabel>,
    /// Longer description, per language.
    pub description: Option<RawLabel>,
    /// Roles alerted when one is raised.
    pub alert: Option<Vec<String>>,
    /// Escalate one still open after this many working days.
    pub escalate_after: Option<u32>,
    /// Roles it is escalated to.
    pub escalate_to: Option<Vec<String>>,
}

/// Calendar days or working days (business calendar: weekends, legal holidays and closures excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DayUnit {
    /// Days of the business calendar only.
    Working,
    /// Every day; a due date that lands on a non-working day moves to the nearest working day on
    /// the side of its mission date (earlier for `before`, later for `after`).
    Calendar,
}

/// A temporality as written: the compact text, or the explicit mapping.
#[derive(Debug, Clone)]
pub(crate) enum RawDue {
    Text(String),
    Map(RawDueMap),
}

/// The explicit form of a temporality.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a temporality: `{days, unit, after}` or `{days, unit, before}`")]
#[schemars(rename = "DueMapping")]
pub(crate) struct RawDueMap {
    /// How many days.
    pub days: u32,
    /// `working` or `calendar` days.
    pub unit: DayUnit,
    /// The mission date it is after (give `after` or `before`).
    pub after: Option<String>,
    /// The mission date it is before (give `after` or `before`).
    pub before: Option<String>,
}

impl<'de> Deserialize<'de> for RawDue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a temporality such as `10 working days after start` or `{days: 5, unit: calendar, before: closing}`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDue, E> {
                Ok(RawDue::Text(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDue, A::Error> {
                RawDueMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawDue::Map)
            }
        }
        d.deserialize_any(V)
    }
}

/// The grammar of the compact form, for editors.
pub(crate) const DUE_PATTERN: &str =
    r"^\s*((\d+\s+((working|calendar)\s+)?days?\s+(after|before)\s+)|(on\s+))?[A-Za-z0-9][A-Za-z0-9_.-]*\s*$";

impl JsonSchema for RawDue {
    fn schema_name() -> Cow<'static, str> {
        "Due".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = serde_json::json!({
            "type": "string",
            "pattern": DUE_PATTERN,
            "description": "`10 working days after start`, `5 days before closing`, `on signing`",
            "examples": ["10 working days after start", "5 days before closing"],
        });
        let map = generator.subschema_for::<RawDueMap>().to_value();
        let mut obj = serde_json::Map::new();
        obj.insert(
            "description".into(),
            "When an action is due, relative to a mission date, in working or calendar days".into(),
        );
        obj.insert("oneOf".into(), serde_json::Value::Array(vec![text, map]));
        Schema::from(obj)
    }
}
