//! What changed between two versions of a model, entry by entry, said in the Master's language:
//! phases, actions (added, removed, moved to another phase, re-timed, handed to another role,
//! with other dependencies), documents, roles, mission dates and key point kinds and severities.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use missions_base::lang::Lang;

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

fn entry_name(what: EntryKind, lang: Lang) -> &'static str {
    match (what, lang) {
        (EntryKind::Role, Lang::En) => "role",
        (EntryKind::Role, Lang::Fr) => "rôle",
        (EntryKind::Role, Lang::Nl) => "rol",
        (EntryKind::Date, Lang::En) => "mission date",
        (EntryKind::Date, Lang::Fr) => "date de mission",
        (EntryKind::Date, Lang::Nl) => "opdrachtdatum",
        (EntryKind::KeyPointKind, Lang::En) => "key point kind",
        (EntryKind::KeyPointKind, Lang::Fr) => "type de point clé",
        (EntryKind::KeyPointKind, Lang::Nl) => "soort kernpunt",
        (EntryKind::Severity, Lang::En) => "severity",
        (EntryKind::Severity, Lang::Fr) => "gravité",
        (EntryKind::Severity, Lang::Nl) => "ernst",
    }
}

fn undated(d: Option<&str>, lang: Lang) -> &str {
    d.unwrap_or(match lang {
        Lang::En => "not dated",
        Lang::Fr => "sans échéance",
        Lang::Nl => "zonder vervaldag",
    })
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() { "—".into() } else { ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ") }
}

impl ModelChange {
    /// The change in a sentence, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        use ModelChange as C;
        match (self, lang) {
            (C::PhaseAdded { id }, Lang::En) => format!("phase `{id}` added"),
            (C::PhaseAdded { id }, Lang::Fr) => format!("phase `{id}` ajoutée"),
            (C::PhaseAdded { id }, Lang::Nl) => format!("fase `{id}` toegevoegd"),
            (C::PhaseRemoved { id }, Lang::En) => format!("phase `{id}` removed"),
            (C::PhaseRemoved { id }, Lang::Fr) => format!("phase `{id}` supprimée"),
            (C::PhaseRemoved { id }, Lang::Nl) => format!("fase `{id}` verwijderd"),
            (C::ActionAdded { id, phase }, Lang::En) => format!("action `{id}` added to phase `{phase}`"),
            (C::ActionAdded { id, phase }, Lang::Fr) => format!("action `{id}` ajoutée à la phase `{phase}`"),
            (C::ActionAdded { id, phase }, Lang::Nl) => format!("actie `{id}` toegevoegd aan fase `{phase}`"),
            (C::ActionRemoved { id, phase }, Lang::En) => format!("action `{id}` removed from phase `{phase}`"),
            (C::ActionRemoved { id, phase }, Lang::Fr) => format!("action `{id}` retirée de la phase `{phase}`"),
            (C::ActionRemoved { id, phase }, Lang::Nl) => format!("actie `{id}` verwijderd uit fase `{phase}`"),
            (C::ActionMoved { id, from, to }, Lang::En) => format!("action `{id}` moved from phase `{from}` to `{to}`"),
            (C::ActionMoved { id, from, to }, Lang::Fr) => {
                format!("action `{id}` déplacée de la phase `{from}` vers `{to}`")
            }
            (C::ActionMoved { id, from, to }, Lang::Nl) => {
                format!("actie `{id}` verplaatst van fase `{from}` naar `{to}`")
            }
            (C::DueChanged { id, from, to }, l) => {
                let (f, t) = (undated(from.as_deref(), l), undated(to.as_deref(), l));
                match l {
                    Lang::En => format!("action `{id}` is due {t} (was {f})"),
                    Lang::Fr => format!("l'échéance de l'action `{id}` devient « {t} » (au lieu de « {f} »)"),
                    Lang::Nl => format!("de vervaldag van actie `{id}` wordt „{t}” (was „{f}”)"),
                }
            }
            (C::RoleChanged { id, from, to }, Lang::En) => format!("action `{id}` goes from role `{from}` to `{to}`"),
            (C::RoleChanged { id, from, to }, Lang::Fr) => format!("l'action `{id}` passe du rôle `{from}` à `{to}`"),
            (C::RoleChanged { id, from, to }, Lang::Nl) => format!("actie `{id}` gaat van rol `{from}` naar `{to}`"),
            (C::DependenciesChanged { id, added, removed }, l) => {
                let (gained, lost) = (!added.is_empty(), !removed.is_empty());
                let (a, r) = (list(added), list(removed));
                match (l, gained, lost) {
                    (Lang::En, true, true) => format!("action `{id}` now also waits for {a}, and no longer for {r}"),
                    (Lang::En, true, false) => format!("action `{id}` now also waits for {a}"),
                    (Lang::En, false, _) => format!("action `{id}` no longer waits for {r}"),
                    (Lang::Fr, true, true) => format!("l'action `{id}` attend désormais aussi {a}, et plus {r}"),
                    (Lang::Fr, true, false) => format!("l'action `{id}` attend désormais aussi {a}"),
                    (Lang::Fr, false, _) => format!("l'action `{id}` n'attend plus {r}"),
                    (Lang::Nl, true, true) => format!("actie `{id}` wacht nu ook op {a}, en niet meer op {r}"),
                    (Lang::Nl, true, false) => format!("actie `{id}` wacht nu ook op {a}"),
                    (Lang::Nl, false, _) => format!("actie `{id}` wacht niet meer op {r}"),
                }
            }
            (C::DocumentAdded { id, action }, Lang::En) => format!("document `{id}` added to action `{action}`"),
            (C::DocumentAdded { id, action }, Lang::Fr) => format!("document `{id}` ajouté à l'action `{action}`"),
            (C::DocumentAdded { id, action }, Lang::Nl) => format!("document `{id}` toegevoegd aan actie `{action}`"),
            (C::DocumentRemoved { id, action }, Lang::En) => format!("document `{id}` of action `{action}` removed"),
            (C::DocumentRemoved { id, action }, Lang::Fr) => format!("document `{id}` de l'action `{action}` supprimé"),
            (C::DocumentRemoved { id, action }, Lang::Nl) => {
                format!("document `{id}` van actie `{action}` verwijderd")
            }
            (C::DocumentRequired { id, required: true }, Lang::En) => format!("document `{id}` is now required"),
            (C::DocumentRequired { id, required: true }, Lang::Fr) => format!("le document `{id}` devient obligatoire"),
            (C::DocumentRequired { id, required: true }, Lang::Nl) => format!("document `{id}` wordt verplicht"),
            (C::DocumentRequired { id, required: false }, Lang::En) => format!("document `{id}` is now optional"),
            (C::DocumentRequired { id, required: false }, Lang::Fr) => format!("le document `{id}` devient facultatif"),
            (C::DocumentRequired { id, required: false }, Lang::Nl) => format!("document `{id}` wordt optioneel"),
            (C::Added { what, id }, Lang::En) => format!("{} `{id}` added", entry_name(*what, lang)),
            (C::Added { what, id }, Lang::Fr) => format!("{} `{id}` ajouté(e)", entry_name(*what, lang)),
            (C::Added { what, id }, Lang::Nl) => format!("{} `{id}` toegevoegd", entry_name(*what, lang)),
            (C::Removed { what, id }, Lang::En) => format!("{} `{id}` removed", entry_name(*what, lang)),
            (C::Removed { what, id }, Lang::Fr) => format!("{} `{id}` supprimé(e)", entry_name(*what, lang)),
            (C::Removed { what, id }, Lang::Nl) => format!("{} `{id}` verwijderd", entry_name(*what, lang)),
        }
    }
}
