//! Checking a merged model and compiling it into a [`Model`]: every problem is collected (never
//! first-error-only), located in the file that caused it, with a suggestion for misspelt names.

use std::collections::HashMap;

use missions_base::diag::{Diagnostics, did_you_mean};

use super::ck::{Ck, Names, builtin_date, owner, valid_id};
use super::draft::{DAction, DItem, Draft, F, Src};
use super::graph::{cycles, due_order, inputs_reachable};
use super::raw::RawDue;
use super::types::{
    Action, Document, DueIx, Ix, KeyPointKind, KeyPointSeverity, Label, MissionDate, Model, ModelEntry, Phase, Risk,
    Role,
};

/// Check the merged model; on success the model carries the warnings.
pub(crate) fn check(d: Draft) -> Result<Model, Diagnostics> {
    let mut ck = Ck { d: &d, diags: d.diags.clone(), langs: Vec::new() };
    let main = Src { file: d.files.len().saturating_sub(1), item: "".into() };

    // The model itself.
    let id = match &d.id {
        Some(f) => {
            if !valid_id(&f.v) {
                let at = d.loc(&f.src, "id");
                ck.error("model.invalid-id", format!("invalid model id `{}`", f.v), at);
            }
            f.v.clone()
        }
        None => {
            ck.error("model.missing-field", "the model has no `id`".into(), d.loc(&main, "")).help =
                Some("add `id: <name>` at the top of the file".into());
            String::new()
        }
    };
    match &d.languages {
        Some(f) if !f.v.is_empty() => {
            for (i, lang) in f.v.iter().enumerate() {
                if f.v[..i].contains(lang) {
                    let at = d.loc(&f.src, &format!("languages[{i}]"));
                    ck.error("model.duplicate-id", format!("language `{lang}` is declared twice"), at);
                } else {
                    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
                        let at = d.loc(&f.src, &format!("languages[{i}]"));
                        ck.warning(
                            "model.invalid-language",
                            format!("`{lang}` is not a two- or three-letter language code"),
                            at,
                        )
                        .help = Some("use ISO 639 codes such as `fr`, `nl`, `en`, `de`".into());
                    }
                    ck.langs.push(lang.clone());
                }
            }
        }
        _ => {
            let at = d.languages.as_ref().map_or_else(|| d.loc(&main, ""), |f| d.loc(&f.src, "languages"));
            ck.error("model.missing-field", "the model declares no `languages`".into(), at).help =
                Some("add `languages: [fr, nl, en]`".into());
        }
    }
    let label = match &d.label {
        Some(l) => ck.texts("the model", "", "label", l),
        None => {
            ck.error("model.missing-label", "the model has no label".into(), d.loc(&main, "")).help =
                Some("add `label: {fr: …, nl: …, en: …}` at the top of the file".into());
            Label::default()
        }
    };
    if let Some(desc) = &d.description {
        ck.texts("the model", "", "description", desc);
    }

    // Mission dates.
    let mut dates = vec![
        builtin_date("start", "Début de la mission", "Start van de opdracht", "Mission start", &ck.langs),
        builtin_date("closing", "Clôture de la mission", "Afsluiting van de opdracht", "Mission closing", &ck.langs),
    ];
    let mut date_names = Names::default();
    date_names.insert("start");
    date_names.insert("closing");
    let mut date_srcs: Vec<Option<&F<RawDue>>> = vec![None, None];
    for dd in &d.dates {
        ck.id("date", &dd.item);
        let (label, description) = if dd.item.label.is_some() || !matches!(dd.item.id.as_str(), "start" | "closing") {
            ck.labels("date", &dd.item)
        } else {
            (Label::default(), None)
        };
        if let Some(i) = date_names.get(&dd.item.id) {
            // Declaring a built-in date only renames it.
            if let Some(def) = &dd.default {
                let at = d.key_loc(&def.src, "default");
                ck.error(
                    "model.invalid-due",
                    format!("date `{}` comes from the mission; it takes no `default`", dd.item.id),
                    at,
                );
            }
            if let Some(m) = dates.get_mut(i) {
                if dd.item.label.is_some() {
                    m.label = label;
                }
                m.description = description;
            }
            continue;
        }
        date_names.insert(&dd.item.id);
        dates.push(MissionDate { id: dd.item.id.clone(), label, description, default: None });
        date_srcs.push(dd.default.as_ref());
    }
    let mut date_default = vec![None; dates.len()];
    for (i, raw) in date_srcs.iter().enumerate() {
        let Some(raw) = raw else { continue };
        let from = owner("the default of date", dates.get(i).map_or("", |m| m.id.as_str()));
        if let Some((due, ix)) = ck.due(raw, "default", &from, &date_names) {
            if ix.date > 1 {
                let at = d.loc(&raw.src, "default");
                ck.error(
                    "model.invalid-due",
                    format!("{from} must be relative to `start` or `closing`, not `{}`", due.date),
                    at,
                );
            } else if let (Some(m), Some(slot)) = (dates.get_mut(i), date_default.get_mut(i)) {
                m.default = Some(due);
                *slot = Some(ix);
            }
        }
    }

    // Roles.
    let mut role_names = Names::default();
    let mut roles = Vec::with_capacity(d.roles.len());
    for r in &d.roles {
        ck.id("role", &r.item);
        let (label, description) = ck.labels("role", &r.item);
        role_names.insert(&r.item.id);
        roles.push(Role { id: r.item.id.clone(), label, description, reports_to: None });
    }
    if d.roles.is_empty() {
        ck.error("model.missing-field", "the model has no `roles`".into(), d.loc(&main, "")).help =
            Some("add `roles:`, a list of `{id, label}`".into());
    }
    let mut role_reports_to = vec![None; roles.len()];
    for (i, r) in d.roles.iter().enumerate() {
        if let Some(to) = &r.reports_to {
            let from = owner("role", &r.item.id);
            if let Some(j) =
                ck.resolve("model.unknown-role", "role", &role_names, &to.v, &from, &to.src, ("reports_to", None))
            {
                role_reports_to[i] = Some(j);
                if let Some(role) = roles.get_mut(i) {
                    role.reports_to = Some(to.v.clone());
                }
            }
        }
    }
    for start in 0..roles.len() {
        // Report each cycle once, from its first role.
        let mut path = vec![start];
        let mut at = start;
        while let Some(next) = role_reports_to[at] {
            if next == start {
                if path.iter().all(|&p| p >= start) {
                    let names: Vec<&str> =
                        path.iter().chain([&start]).filter_map(|&p| roles.get(p).map(|r| r.id.as_str())).collect();
                    let at =
                        d.roles.get(start).and_then(|r| r.reports_to.as_ref()).map(|t| d.loc(&t.src, "reports_to"));
                    if let Some(at) = at {
                        ck.error(
                            "model.cycle",
                            format!(
                                "roles report to each other in a cycle: {}",
                                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" → ")
                            ),
                            at,
                        );
                    }
                }
                break;
            }
            if path.contains(&next) || path.len() > roles.len() {
                break;
            }
            path.push(next);
            at = next;
        }
    }

    // Action types and the library.
    let mut type_names = Names::default();
    let mut action_types = Vec::new();
    for t in &d.action_types {
        ck.id("action type", t);
        let (label, description) = ck.labels("action type", t);
        type_names.insert(&t.id);
        action_types.push(ModelEntry { id: t.id.clone(), label, description });
    }
    let mut objective_names = Names::default();
    let mut objectives = Vec::new();
    for o in &d.objectives {
        ck.id("objective", o);
        let (label, description) = ck.labels("objective", o);
        objective_names.insert(&o.id);
        objectives.push(ModelEntry { id: o.id.clone(), label, description });
    }
    let mut objective_used = vec![false; objectives.len()];
    let mut risk_names = Names::default();
    let mut risks = Vec::new();
    for r in &d.risks {
        ck.id("risk", &r.item);
        let (label, description) = ck.labels("risk", &r.item);
        risk_names.insert(&r.item.id);
        let from = owner("risk", &r.item.id);
        let objs = ck.resolve_list(
            "model.unknown-objective",
            "objective",
            &objective_names,
            &r.objectives,
            &from,
            "objectives",
        );
        for &o in &objs {
            objective_used[o] = true;
        }
        risks.push(Risk {
            id: r.item.id.clone(),
            label,
            description,
            objectives: objs.iter().filter_map(|&o| objectives.get(o).map(|e| e.id.clone())).collect(),
        });
    }

    // Key points.
    let mut severity_names = Names::default();
    let mut severities = Vec::new();
    for s in &d.severities {
        ck.id("severity", &s.item);
        let (label, description) = ck.labels("severity", &s.item);
        severity_names.insert(&s.item.id);
        severities.push(KeyPointSeverity {
            id: s.item.id.clone(),
            label,
            description,
            escalate_after: s.escalate_after.as_ref().map(|e| e.v),
        });
    }
    let mut kind_names = Names::default();
    let mut kinds = Vec::new();
    let mut kind_alert = Vec::new();
    let mut kind_escalate_to = Vec::new();
    for k in &d.kinds {
        ck.id("key point kind", &k.item);
        let (label, description) = ck.labels("key point kind", &k.item);
        kind_names.insert(&k.item.id);
        let from = owner("key point kind", &k.item.id);
        let alert = ck.resolve_list("model.unknown-role", "role", &role_names, &k.alert, &from, "alert");
        let escalate_to =
            ck.resolve_list("model.unknown-role", "role", &role_names, &k.escalate_to, &from, "escalate_to");
        if let Some(after) = &k.escalate_after
            && k.escalate_to.as_ref().is_none_or(|t| t.v.is_empty())
        {
            let at = d.loc(&after.src, "escalate_after");
            ck.warning(
                "model.escalates-to-nobody",
                format!("{from} escalates after {} working days, but to no role", after.v),
                at,
            )
            .help = Some("add `escalate_to: [<roles>]`".into());
        }
        let role_ids = |v: &[usize]| v.iter().filter_map(|&r| roles.get(r).map(|r| r.id.clone())).collect();
        kinds.push(KeyPointKind {
            id: k.item.id.clone(),
            label,
            description,
            alert: role_ids(&alert),
            escalate_after: k.escalate_after.as_ref().map(|e| e.v),
            escalate_to: role_ids(&escalate_to),
        });
        kind_alert.push(alert);
        kind_escalate_to.push(escalate_to);
    }
    if !d.kinds.is_empty() && d.severities.is_empty() {
        let at = d.key_loc(&d.kinds[0].item.src, "");
        ck.error("model.missing-field", "key points declare kinds but no `severities`".into(), at).help =
            Some("add `severities:` under `key_points`, the least severe first".into());
    }

    // Phases, actions and their documents: names first, since references may point forward.
    let mut action_names = Names::default();
    let mut doc_names = Names::default();
    let mut doc_owner: Vec<usize> = Vec::new();
    let mut doc_src: Vec<(&Src, usize)> = Vec::new();
    for p in &d.phases {
        for a in &p.actions {
            let ai = action_names.insert(&a.item.id);
            if let Some(docs) = &a.documents {
                for (k, doc) in docs.v.iter().enumerate() {
                    if let Some(first) = doc_names.get(&doc.id) {
                        let at = d.loc(&docs.src, &format!("documents[{k}].id"));
                        let first_at = doc_src
                            .get(first)
                            .map(|(s, k)| d.loc(s, &format!("documents[{k}].id")).to_string())
                            .unwrap_or_default();
                        ck.error("model.duplicate-id", format!("duplicate document id `{}`", doc.id), at).help =
                            Some(format!("the first is at {first_at}; ids must be unique"));
                        continue;
                    }
                    doc_names.insert(&doc.id);
                    doc_owner.push(ai);
                    doc_src.push((&docs.src, k));
                }
            }
        }
    }
    if d.phases.is_empty() {
        ck.error("model.missing-field", "the model has no `phases`".into(), d.loc(&main, "")).help =
            Some("add `phases:`, a list of `{id, label, actions}`".into());
    }
    let removed: HashMap<&str, &Src> = d.removed.iter().map(|r| (r.id.as_str(), &r.src)).collect();
    let removed_docs: HashMap<&str, (&str, &Src)> = d
        .removed
        .iter()
        .flat_map(|r| r.documents.iter().map(move |doc| (doc.as_str(), (r.id.as_str(), &r.src))))
        .collect();

    let n = action_names.list.len();
    let mut phases = Vec::with_capacity(d.phases.len());
    let mut actions: Vec<Action> = Vec::with_capacity(n);
    let mut action_role = Vec::with_capacity(n);
    let mut action_phase = Vec::with_capacity(n);
    let mut action_deps: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut dep_pos: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut action_due: Vec<Option<DueIx>> = Vec::with_capacity(n);
    let mut action_inputs: Vec<Vec<(usize, usize)>> = Vec::with_capacity(n);
    let mut risk_used = vec![false; risks.len()];
    for (pi, p) in d.phases.iter().enumerate() {
        ck.id("phase", &p.item);
        let (label, description) = ck.labels("phase", &p.item);
        if p.actions.is_empty() {
            let at = d.loc(&p.item.src, "id");
            ck.warning("model.empty-phase", format!("phase `{}` has no actions", p.item.id), at);
        }
        for a in &p.actions {
            let from = owner("action", &a.item.id);
            ck.id("action", &a.item);
            let (label, description) = ck.labels("action", &a.item);
            let role = match &a.role {
                Some(r) => ck.resolve("model.unknown-role", "role", &role_names, &r.v, &from, &r.src, ("role", None)),
                None => {
                    let at = d.loc(&a.item.src, "id");
                    let help = if a.item.label.is_none() {
                        let others = action_names.list.iter().copied().filter(|x| *x != a.item.id);
                        did_you_mean(&a.item.id, others)
                            .map(|best| format!("to change action `{best}`, use its exact id"))
                    } else {
                        None
                    };
                    ck.error("model.missing-field", format!("{from} has no `role`"), at).help =
                        Some(help.unwrap_or_else(|| "add `role: <the responsible role>`".into()));
                    None
                }
            };
            if let Some(t) = &a.kind {
                ck.resolve("model.unknown-type", "action type", &type_names, &t.v, &from, &t.src, ("type", None));
            }
            let mut documents = Vec::new();
            if let Some(docs) = &a.documents {
                for (k, doc) in docs.v.iter().enumerate() {
                    let src = Src {
                        file: docs.src.file,
                        item: super::draft::join(&docs.src.item, &format!("documents[{k}]")).into(),
                    };
                    let item = DItem {
                        id: doc.id.clone(),
                        src: src.clone(),
                        label: doc.label.clone().map(|v| F { v, src: src.clone() }),
                        description: None,
                    };
                    ck.id("document", &item);
                    let (dlabel, _) = ck.labels("document", &item);
                    documents.push(Document {
                        id: doc.id.clone(),
                        label: dlabel,
                        template: doc.template.clone(),
                        required: doc.required.unwrap_or(true),
                    });
                }
            }
            let mut deps = Vec::new();
            let mut pos = Vec::new();
            if let Some(list) = &a.depends_on {
                for (k, dep) in list.v.iter().enumerate() {
                    if let Some(rm) = removed.get(dep.as_str()) {
                        let at = d.loc(rm, "");
                        let file = d.file_name(list.src.file).to_owned();
                        ck.error(
                            "model.removed-dependency",
                            format!("cannot remove action `{dep}`: action `{}` depends on it", a.item.id),
                            at,
                        )
                        .help =
                            Some(format!("remove `{}` as well, or change its `depends_on` (in `{file}`)", a.item.id));
                        continue;
                    }
                    if let Some(x) = ck.resolve(
                        "model.unknown-action",
                        "action",
                        &action_names,
                        dep,
                        &from,
                        &list.src,
                        ("depends_on", Some(k)),
                    ) {
                        deps.push(x);
                        pos.push(k);
                    }
                }
            }
            let mut inputs = Vec::new();
            if let Some(list) = &a.inputs {
                for (k, doc) in list.v.iter().enumerate() {
                    if let (None, Some((gone, rm))) = (doc_names.get(doc), removed_docs.get(doc.as_str())) {
                        let at = d.loc(rm, "");
                        let file = d.file_name(list.src.file).to_owned();
                        ck.error(
                            "model.removed-dependency",
                            format!(
                                "cannot remove action `{gone}`: action `{}` works from its document `{doc}`",
                                a.item.id
                            ),
                            at,
                        )
                        .help = Some(format!("remove `{}` as well, or change its `inputs` (in `{file}`)", a.item.id));
                        continue;
                    }
                    if let Some(x) = ck.resolve(
                        "model.unknown-document",
                        "document",
                        &doc_names,
                        doc,
                        &from,
                        &list.src,
                        ("inputs", Some(k)),
                    ) {
                        inputs.push((x, k));
                    }
                }
            }
            let objs = ck.resolve_list(
                "model.unknown-objective",
                "objective",
                &objective_names,
                &a.objectives,
                &from,
                "objectives",
            );
            for &o in &objs {
                objective_used[o] = true;
            }
            let rsks = ck.resolve_list("model.unknown-risk", "risk", &risk_names, &a.risks, &from, "risks");
            for &r in &rsks {
                risk_used[r] = true;
            }
            let due = a.due.as_ref().and_then(|raw| ck.due(raw, "due", &from, &date_names));
            actions.push(Action {
                id: a.item.id.clone(),
                phase: p.item.id.clone(),
                kind: a.kind.as_ref().map(|t| t.v.clone()),
                role: a.role.as_ref().map(|r| r.v.clone()).unwrap_or_default(),
                label,
                description,
                documents,
                inputs: a.inputs.as_ref().map(|i| i.v.clone()).unwrap_or_default(),
                depends_on: a.depends_on.as_ref().map(|x| x.v.clone()).unwrap_or_default(),
                objectives: a.objectives.as_ref().map(|x| x.v.clone()).unwrap_or_default(),
                risks: a.risks.as_ref().map(|x| x.v.clone()).unwrap_or_default(),
                due: due.as_ref().map(|(d, _)| d.clone()),
            });
            action_role.push(role.unwrap_or(0));
            action_phase.push(pi);
            action_deps.push(deps);
            dep_pos.push(pos);
            action_due.push(due.map(|(_, ix)| ix));
            action_inputs.push(inputs);
        }
        phases.push(Phase {
            id: p.item.id.clone(),
            label,
            description,
            actions: p.actions.iter().map(|a| a.item.id.clone()).collect(),
        });
    }
    // `action_names` may hold duplicates that merging already reported; positions then differ.
    let aligned = actions.len() == n;
    let action_src: Vec<&DAction> = d.phases.iter().flat_map(|p| p.actions.iter()).collect();

    if aligned {
        cycles(&mut ck, &actions, &action_deps, &dep_pos, &action_src);
        due_order(&mut ck, &actions, &action_deps, &action_src);
        inputs_reachable(&mut ck, &actions, &action_deps, &action_inputs, &doc_owner, &doc_names, &action_src);
    }
    for (i, used) in objective_used.iter().enumerate() {
        if let (false, Some(o)) = (used, d.objectives.get(i)) {
            let at = d.loc(&o.src, "id");
            ck.warning("model.unused", format!("objective `{}` is served by no action or risk", o.id), at);
        }
    }
    for (i, used) in risk_used.iter().enumerate() {
        if let (false, Some(r)) = (used, d.risks.get(i)) {
            let at = d.loc(&r.item.src, "id");
            ck.warning("model.unused", format!("risk `{}` is addressed by no action", r.item.id), at);
        }
    }

    let mut diags = ck.diags;
    let order: HashMap<&str, usize> = d.files.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect();
    diags.sort_by_key(|x| {
        x.location.as_ref().map(|l| (order.get(l.file.as_str()).copied().unwrap_or(0), l.line, l.column))
    });
    let diags = Diagnostics(diags);
    if diags.has_errors() {
        return Err(diags);
    }

    let ix = Ix {
        role: role_names.map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        action: action_names.map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        date: date_names.map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        kind: kind_names.map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        severity: severity_names.map.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        action_role,
        action_phase,
        action_deps,
        action_due,
        role_reports_to,
        date_default,
        kind_alert,
        kind_escalate_to,
    };
    Ok(Model {
        id,
        version: d.version.as_ref().map(|v| v.v.clone()),
        languages: ck.langs,
        label,
        files: d.files.iter().map(|f| f.name.clone()).collect(),
        dates,
        roles,
        action_types,
        objectives,
        risks,
        phases,
        actions,
        severities,
        kinds,
        warnings: diags,
        ix,
    })
}
