//! Example plugin: a firm's rule that a review leaves a trace in the file.
//!
//! Every action of a mission model whose kind is `review` must produce at least one required
//! document; the plugin reports each one that does not, as a warning naming the action. The
//! configuration may change the kinds checked and the severity:
//!
//! ```json
//! {"kinds": ["review", "approval"], "severity": "error"}
//! ```
//!
//! On the shipped models it finds eight review actions of `rules/models/isqm-standard.yaml`
//! without one (`integrity-assessment`, `team-competence`, `eqr-need`, `supervisor-review`,
//! `manager-review`, `partner-review`, `time-review`, `monitoring-selection`), and the same eight
//! in `example-firm.yaml`, which extends it; `going-concern` and `eqr-review` pass.
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use missions_plugin_sdk::{
    Hook, Label, Model, ModelDiagnostic, Plugin, PluginError, PluginInfo, Severity, config, export_plugin,
};
use serde::Deserialize;

/// The diagnostic's code; the host prefixes it with the plugin's name.
pub const CODE: &str = "review-without-document";

/// The tenant's configuration; `{}` checks `review` actions and warns.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The action kinds that must produce a required document.
    pub kinds: Vec<String>,
    /// How serious a missing document is.
    pub severity: Level,
}

/// [`Severity`], as the configuration writes it.
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Default for Config {
    fn default() -> Self {
        Config { kinds: vec![String::from("review")], severity: Level::Warning }
    }
}

struct ReviewDocsLint;

impl Plugin for ReviewDocsLint {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "review-docs-lint",
            env!("CARGO_PKG_VERSION"),
            &[Hook::LintModel],
            Label::new(
                "Vérifie que chaque action de revue produit un document obligatoire.",
                "Controleert dat elke beoordelingsactie een verplicht document oplevert.",
                "Checks that every review action produces a required document.",
            ),
        )
    }

    fn lint_model(model: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        Ok(lint(&config::config()?, &model))
    }
}

export_plugin!(ReviewDocsLint);

/// The diagnostics `config` finds in `model`, in the model's order of actions.
pub fn lint(config: &Config, model: &Model) -> Vec<ModelDiagnostic> {
    let severity = match config.severity {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    model
        .actions
        .iter()
        .filter(|a| a.kind.as_ref().is_some_and(|k| config.kinds.contains(k)))
        .filter(|a| !a.documents.iter().any(|d| d.required))
        .map(|a| {
            let kind = a.kind.as_deref().unwrap_or_default();
            let optional = a.documents.len();
            let (fr, nl, en) = if optional == 0 {
                (
                    String::from("ne produit aucun document"),
                    String::from("levert geen enkel document op"),
                    String::from("produces no document"),
                )
            } else {
                (
                    format!("ne produit que des documents facultatifs ({optional})"),
                    format!("levert enkel facultatieve documenten op ({optional})"),
                    format!("produces only optional documents ({optional})"),
                )
            };
            ModelDiagnostic::new(
                severity,
                CODE,
                Some(&a.id),
                Label::new(
                    format!(
                        "L'action « {} » ({}, de type {kind}) {fr} : une revue doit laisser au dossier au moins un document obligatoire.",
                        a.label.fr, a.id
                    ),
                    format!(
                        "De actie „{}” ({}, van het type {kind}) {nl}: een beoordeling moet minstens één verplicht document in het dossier achterlaten.",
                        a.label.nl, a.id
                    ),
                    format!(
                        "The action \"{}\" ({}, of kind {kind}) {en}: a review must leave at least one required document in the file.",
                        a.label.en, a.id
                    ),
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use missions_plugin_sdk::{ModelAction, ModelDocument};

    fn action(id: &str, kind: Option<&str>, documents: &[(&str, bool)]) -> ModelAction {
        ModelAction {
            id: id.into(),
            phase: "completion".into(),
            kind: kind.map(String::from),
            role: "manager".into(),
            label: Label::new(id, id, id),
            documents: documents
                .iter()
                .map(|(id, required)| ModelDocument { id: (*id).into(), required: *required })
                .collect(),
            depends_on: Vec::new(),
        }
    }

    fn model(actions: Vec<ModelAction>) -> Model {
        Model {
            id: "m".into(),
            version: None,
            phases: vec!["completion".into()],
            roles: vec!["manager".into()],
            actions,
        }
    }

    #[test]
    fn reviews_without_a_required_document_are_reported() {
        let m = model(vec![
            action("manager-review", Some("review"), &[]),
            action("eqr-review", Some("review"), &[("eqr-report", true)]),
            action("time-review", Some("review"), &[("timesheet", false)]),
            action("fieldwork", Some("procedure"), &[]),
            action("untyped", None, &[]),
        ]);
        let found = lint(&Config::default(), &m);
        let ids: Vec<_> = found.iter().map(|d| d.action.as_deref().unwrap()).collect();
        assert_eq!(ids, ["manager-review", "time-review"]);
        assert!(found.iter().all(|d| d.code == CODE && d.severity == Severity::Warning));
        assert!(found[1].message.en.contains("only optional documents (1)"), "{}", found[1].message.en);
        assert!(found.iter().all(|d| !d.message.fr.is_empty() && !d.message.nl.is_empty()));
    }

    #[test]
    fn kinds_and_severity_come_from_the_configuration() {
        let c: Config = config::parse(r#"{"kinds":["procedure"],"severity":"error"}"#).unwrap();
        let m = model(vec![action("manager-review", Some("review"), &[]), action("fieldwork", Some("procedure"), &[])]);
        let found = lint(&c, &m);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].action.as_deref(), found[0].severity), (Some("fieldwork"), Severity::Error));
        assert!(config::parse::<Config>(r#"{"severity":"fatal"}"#).is_err());
    }

    /// The shipped standard model, read as plain YAML: an action's `type` is its kind, and a
    /// document is required unless it says `required: false`.
    #[test]
    fn the_shipped_standard_model_has_eight_reviews_without_a_required_document() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../rules/models/isqm-standard.yaml");
        let yaml: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut actions = Vec::new();
        for phase in yaml["phases"].as_sequence().unwrap() {
            for a in phase["actions"].as_sequence().into_iter().flatten() {
                let documents: Vec<_> = a["documents"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .map(|d| (d["id"].as_str().unwrap(), d["required"].as_bool().unwrap_or(true)))
                    .collect();
                actions.push(action(a["id"].as_str().unwrap(), a["type"].as_str(), &documents));
            }
        }
        let found = lint(&Config::default(), &model(actions));
        let ids: Vec<_> = found.iter().map(|d| d.action.as_deref().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "integrity-assessment",
                "team-competence",
                "eqr-need",
                "supervisor-review",
                "manager-review",
                "partner-review",
                "time-review",
                "monitoring-selection"
            ]
        );
    }
}
