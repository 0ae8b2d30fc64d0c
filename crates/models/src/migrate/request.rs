//! What a migration request asks besides its target: removed actions mapped onto new ones
//! (`map`) and removed actions whose recorded work is given up (`drop`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use missions_base::diag::{Diagnostic, Diagnostics, Said, clip, did_you_mean};
use missions_base::said;

use crate::types::Model;

/// `map` and `drop` of a migration request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct MigrationRequest {
    /// A removed action → the action of the new version that takes its recorded state.
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    /// Removed actions whose recorded work is given up on purpose.
    #[serde(default)]
    pub drop: Vec<String>,
}

/// A migration's body, as `inputs.yaml` declares it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct MigrationBody {
    /// The version to move to; the latest when absent.
    #[serde(default)]
    pub to: Option<i64>,
    /// Say what would change, change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `map` and `drop`.
    #[serde(flatten)]
    pub request: MigrationRequest,
}

impl MigrationBody {
    /// Read a migration's body (`inputs.yaml`, `migration`):
    /// `{"to": 3, "map": {"old-action": "new-action"}, "drop": ["old-action"]}`.
    pub fn from_json(body: &Value) -> Result<Self, Diagnostics> {
        crate::inputs::read(crate::Input::Migration, body).map_err(Diagnostics)
    }
}

impl MigrationRequest {
    /// Check the request against the versions missions move from and the one they move to: a
    /// mapped or dropped action must be one of an old version that the new one removes, and a
    /// mapping must lead to an action of the new version. The messages are in every language
    /// ([`Diagnostics::localized`]).
    pub fn check(&self, olds: &[&Model], new: &Model) -> Result<(), Diagnostics> {
        let mut diags = Vec::new();
        let in_old = |id: &str| olds.iter().any(|m| m.action(id).is_some());
        let old_ids = || olds.iter().flat_map(|m| m.actions.iter().map(|a| a.id.as_str()));
        let removed = |path: String, id: &str, diags: &mut Vec<Diagnostic>| {
            if !in_old(id) {
                diags.push(unknown(&path, id, did_you_mean(id, old_ids()), Side::Old));
            } else if new.action(id).is_some() {
                diags.push(still_there(&path, id));
            }
        };
        for (k, v) in &self.map {
            removed(format!("map.{}", clip(k)), k, &mut diags);
            if new.action(v).is_none() {
                let best = did_you_mean(v, new.actions.iter().map(|a| a.id.as_str()));
                diags.push(unknown(&format!("map.{}", clip(k)), v, best, Side::New));
            }
        }
        for (i, d) in self.drop.iter().enumerate() {
            removed(format!("drop[{i}]"), d, &mut diags);
            if self.map.contains_key(d) {
                diags.push(both(&format!("drop[{i}]"), d));
            }
        }
        if diags.is_empty() { Ok(()) } else { Err(Diagnostics(diags)) }
    }
}

enum Side {
    Old,
    New,
}

fn unknown(path: &str, id: &str, best: Option<&str>, side: Side) -> Diagnostic {
    let id = clip(id);
    let mut message = match side {
        Side::Old => said!("models-not-action-version-missions-follow", path, id),
        Side::New => said!("models-not-action-new-version", path, id),
    };
    message.push(&Said::did_you_mean(best));
    Diagnostic::error_said("migrate.unknown-action", message)
}

fn still_there(path: &str, id: &str) -> Diagnostic {
    Diagnostic::error_said("migrate.not-removed", said!("models-action-still-new-version-only", path, id))
}

fn both(path: &str, id: &str) -> Diagnostic {
    Diagnostic::error_said("migrate.mapped-and-dropped", said!("models-action-both-mapped-dropped-choose", path, id))
}
