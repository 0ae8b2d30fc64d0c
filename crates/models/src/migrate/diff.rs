//! What changed between two versions of a model, entry by entry, said in the Master's language:
//! phases, actions (added, removed, moved to another phase, re-timed, handed to another role,
//! with other dependencies), documents, roles, mission dates and key point kinds and severities.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use missions_base::diag::Said;
use missions_base::lang::Lang;
use missions_base::said;

use crate::types::Model;

/// One change between two versions of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ModelChange {
    /// A phase only the new version has.
    PhaseAdded {
        /// The phase.
        id: String,
    },
    /// A phase only the old version has.
    PhaseRemoved {
        /// The phase.
        id: String,
    },
    /// An action only the new version has.
    ActionAdded {
        /// The action.
        id: String,
        /// Its phase.
        phase: String,
    },
    /// An action only the old version has.
    ActionRemoved {
        /// The action.
        id: String,
        /// Its phase.
        phase: String,
    },
    /// An action in another phase.
    ActionMoved {
        /// The action.
        id: String,
        /// Its old phase.
        from: String,
        /// Its new phase.
        to: String,
    },
    /// An action due at another time (`null`: not dated).
    DueChanged {
        /// The action.
        id: String,
        /// The old temporality, as written (`10 working days after start`).
        from: Option<String>,
        /// The new one.
        to: Option<String>,
    },
    /// An action another role is responsible for.
    RoleChanged {
        /// The action.
        id: String,
        /// The old role.
        from: String,
        /// The new role.
        to: String,
    },
    /// An action with other prerequisites.
    DependenciesChanged {
        /// The action.
        id: String,
        /// Prerequisites it gained.
        added: Vec<String>,
        /// Prerequisites it lost.
        removed: Vec<String>,
    },
    /// A document only the new version has.
    DocumentAdded {
        /// The document.
        id: String,
        /// The action producing it.
        action: String,
    },
    /// A document only the old version has.
    DocumentRemoved {
        /// The document.
        id: String,
        /// The action that produced it.
        action: String,
    },
    /// A document that became required or optional.
    DocumentRequired {
        /// The document.
        id: String,
        /// Whether it is required now.
        required: bool,
    },
    /// An entry of another kind (role, mission date, key point kind or severity) only the new
    /// version has.
    Added {
        /// `role`, `date`, `key_point_kind` or `severity`.
        what: EntryKind,
        /// Its id.
        id: String,
    },
    /// An entry of another kind only the old version has.
    Removed {
        /// `role`, `date`, `key_point_kind` or `severity`.
        what: EntryKind,
        /// Its id.
        id: String,
    },
}

/// The entries [`ModelChange::Added`] and [`ModelChange::Removed`] speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A role of the team.
    Role,
    /// A mission date.
    Date,
    /// A kind of key point.
    KeyPointKind,
    /// A severity of key points.
    Severity,
}

/// Ids only in `new`, then ids only in `old`, each in their model's order.
fn added_removed<'a>(old: &[&'a str], new: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>) {
    let o: BTreeSet<&str> = old.iter().copied().collect();
    let n: BTreeSet<&str> = new.iter().copied().collect();
    (
        new.iter().copied().filter(|id| !o.contains(id)).collect(),
        old.iter().copied().filter(|id| !n.contains(id)).collect(),
    )
}

/// The ids of one kind of entry of a model.
type EntryIds = fn(&Model) -> Vec<&str>;

fn phase_ids(m: &Model) -> Vec<&str> {
    m.phases.iter().map(|p| p.id.as_str()).collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Every change from `old` to `new`, phases first, then actions in the new version's order
/// (removed ones in the old order), documents, and the other entries.
pub fn diff_models(old: &Model, new: &Model) -> Vec<ModelChange> {
    let mut out = Vec::new();
    let (added, removed) = added_removed(&phase_ids(old), &phase_ids(new));
    out.extend(added.into_iter().map(|id| ModelChange::PhaseAdded { id: id.into() }));
    out.extend(removed.into_iter().map(|id| ModelChange::PhaseRemoved { id: id.into() }));

    for a in &new.actions {
        let Some(o) = old.action(&a.id) else {
            out.push(ModelChange::ActionAdded { id: a.id.clone(), phase: a.phase.clone() });
            continue;
        };
        if o.phase != a.phase {
            out.push(ModelChange::ActionMoved { id: a.id.clone(), from: o.phase.clone(), to: a.phase.clone() });
        }
        if o.due != a.due {
            let text = |d: &Option<crate::due::Due>| d.as_ref().map(ToString::to_string);
            out.push(ModelChange::DueChanged { id: a.id.clone(), from: text(&o.due), to: text(&a.due) });
        }
        if o.role != a.role {
            out.push(ModelChange::RoleChanged { id: a.id.clone(), from: o.role.clone(), to: a.role.clone() });
        }
        let (gained, lost) = added_removed(&strs(&o.depends_on), &strs(&a.depends_on));
        if !gained.is_empty() || !lost.is_empty() {
            out.push(ModelChange::DependenciesChanged {
                id: a.id.clone(),
                added: gained.into_iter().map(str::to_owned).collect(),
                removed: lost.into_iter().map(str::to_owned).collect(),
            });
        }
    }
    for o in &old.actions {
        if new.action(&o.id).is_none() {
            out.push(ModelChange::ActionRemoved { id: o.id.clone(), phase: o.phase.clone() });
        }
    }

    let documents = |m: &Model| -> BTreeMap<String, (String, bool)> {
        m.actions.iter().flat_map(|a| a.documents.iter().map(|d| (d.id.clone(), (a.id.clone(), d.required)))).collect()
    };
    let (od, nd) = (documents(old), documents(new));
    for (id, (action, required)) in &nd {
        match od.get(id) {
            None => out.push(ModelChange::DocumentAdded { id: id.clone(), action: action.clone() }),
            Some((_, was)) if was != required => {
                out.push(ModelChange::DocumentRequired { id: id.clone(), required: *required });
            }
            Some(_) => {}
        }
    }
    for (id, (action, _)) in &od {
        if !nd.contains_key(id) {
            out.push(ModelChange::DocumentRemoved { id: id.clone(), action: action.clone() });
        }
    }

    let entries: [(EntryKind, EntryIds); 4] = [
        (EntryKind::Role, |m| m.roles.iter().map(|r| r.id.as_str()).collect()),
        (EntryKind::Date, |m| m.dates.iter().map(|d| d.id.as_str()).collect()),
        (EntryKind::KeyPointKind, |m| m.kinds.iter().map(|k| k.id.as_str()).collect()),
        (EntryKind::Severity, |m| m.severities.iter().map(|s| s.id.as_str()).collect()),
    ];
    for (what, ids) in entries {
        let (added, removed) = added_removed(&ids(old), &ids(new));
        out.extend(added.into_iter().map(|id| ModelChange::Added { what, id: id.into() }));
        out.extend(removed.into_iter().map(|id| ModelChange::Removed { what, id: id.into() }));
    }
    out
}

fn entry_name(what: EntryKind) -> Said {
    match what {
        EntryKind::Role => said!("models-diff-entry-role"),
        EntryKind::Date => said!("models-diff-entry-date"),
        EntryKind::KeyPointKind => said!("models-diff-entry-key-point-kind"),
        EntryKind::Severity => said!("models-diff-entry-severity"),
    }
}

fn undated(d: Option<&str>) -> Said {
    match d {
        Some(d) => said!("models-diff-due", d),
        None => said!("models-diff-not-dated"),
    }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() { "—".into() } else { ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ") }
}

impl ModelChange {
    /// The change in a sentence, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        self.said().get(lang)
    }

    /// The change in a sentence, in every language of the catalogues.
    pub fn said(&self) -> Said {
        use ModelChange as C;
        match self {
            C::PhaseAdded { id } => said!("models-diff-phase-added", id),
            C::PhaseRemoved { id } => said!("models-diff-phase-removed", id),
            C::ActionAdded { id, phase } => said!("models-diff-action-added", id, phase),
            C::ActionRemoved { id, phase } => said!("models-diff-action-removed", id, phase),
            C::ActionMoved { id, from, to } => said!("models-diff-action-moved", id, from, to),
            C::DueChanged { id, from, to } => {
                let (from, to) = (undated(from.as_deref()), undated(to.as_deref()));
                said!("models-diff-due-changed", id, from, to)
            }
            C::RoleChanged { id, from, to } => said!("models-diff-role-changed", id, from, to),
            C::DependenciesChanged { id, added, removed } => {
                let (gained, lost) = (!added.is_empty(), !removed.is_empty());
                let (added, removed) = (list(added), list(removed));
                match (gained, lost) {
                    (true, true) => said!("models-diff-waits-also-and-no-longer", id, added, removed),
                    (true, false) => said!("models-diff-waits-also", id, added),
                    (false, _) => said!("models-diff-waits-no-longer", id, removed),
                }
            }
            C::DocumentAdded { id, action } => said!("models-diff-document-added", id, action),
            C::DocumentRemoved { id, action } => said!("models-diff-document-removed", id, action),
            C::DocumentRequired { id, required: true } => said!("models-diff-document-required", id),
            C::DocumentRequired { id, required: false } => said!("models-diff-document-optional", id),
            C::Added { what, id } => {
                let what = entry_name(*what);
                said!("models-diff-entry-added", what, id)
            }
            C::Removed { what, id } => {
                let what = entry_name(*what);
                said!("models-diff-entry-removed", what, id)
            }
        }
    }
}
