//! Checking a merged model and compiling it into a [`Model`]: every problem is collected (never
//! first-error-only), located in the file that caused it, with a suggestion for misspelt names.

use std::collections::HashMap;

use missions_base::diag::{Diagnostics, clip, did_you_mean};
use missions_base::said;

use super::check_head::{head, mission_dates};
use super::ck::{Ck, Kind, Names, owner};
use super::draft::{DAction, DItem, Draft, F, Src};
use super::graph::{cycles, due_order, inputs_reachable};
use super::types::{Action, Document, DueIx, Ix, KeyPointKind, KeyPointSeverity, Model, ModelEntry, Phase, Risk, Role};

/// Check the merged model; on success the model carries the warnings.
pub(crate) fn check(d: Draft) -> Result<Model, Diagnostics> {
    let mut ck = Ck { d: &d, diags: d.diags.clone(), langs: Vec::new() };
    let main = Src { file: d.files.len().saturating_sub(1), item: "".into() };

    let (id, label) = head(&mut ck, &d, &main);
    let (dates, date_names, date_default) = mission_dates(&mut ck, &d);

    // Roles.
    let mut role_names = Names::default();
    let mut roles = Vec::with_capacity(d.roles.len());
    for r in &d.roles {
        ck.id(Kind::Role, &r.item);
        let (label, description) = ck.labels(Kind::Role, &r.item);
        role_names.insert(&r.item.id);
        roles.push(Role { id: r.item.id.clone(), label, description, reports_to: None });
    }
    if d.roles.is_empty() {
        ck.error("model.missing-field", said!("models-no-roles"), d.loc(&main, ""))
            .set_help_said(said!("models-help-roles"));
    }
    let mut role_reports_to = vec![None; roles.len()];
    for (i, r) in d.roles.iter().enumerate() {
        if let Some(to) = &r.reports_to {
            let from = owner(Some(Kind::Role), &r.item.id);
            if let Some(j) =
                ck.resolve("model.unknown-role", Kind::Role, &role_names, &to.v, &from, &to.src, ("reports_to", None))
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
                        let cycle = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" → ");
                        ck.error("model.cycle", said!("models-roles-report-each-other-cycle", cycle), at);
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
        ck.id(Kind::ActionType, t);
        let (label, description) = ck.labels(Kind::ActionType, t);
        type_names.insert(&t.id);
        action_types.push(ModelEntry { id: t.id.clone(), label, description });
    }
    let mut objective_names = Names::default();
    let mut objectives = Vec::new();
    for o in &d.objectives {
        ck.id(Kind::Objective, o);
        let (label, description) = ck.labels(Kind::Objective, o);
        objective_names.insert(&o.id);
        objectives.push(ModelEntry { id: o.id.clone(), label, description });
    }
    let mut objective_used = vec![false; objectives.len()];
    let mut risk_names = Names::default();
    let mut risks = Vec::new();
    for r in &d.risks {
        ck.id(Kind::Risk, &r.item);
        let (label, description) = ck.labels(Kind::Risk, &r.item);
        risk_names.insert(&r.item.id);
        let from = owner(Some(Kind::Risk), &r.item.id);
        let objs = ck.resolve_list(
            "model.unknown-objective",
            Kind::Objective,
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
        ck.id(Kind::Severity, &s.item);
        let (label, description) = ck.labels(Kind::Severity, &s.item);
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
        ck.id(Kind::KeyPointKind, &k.item);
        let (label, description) = ck.labels(Kind::KeyPointKind, &k.item);
        kind_names.insert(&k.item.id);
        let from = owner(Some(Kind::KeyPointKind), &k.item.id);
        let alert = ck.resolve_list("model.unknown-role", Kind::Role, &role_names, &k.alert, &from, "alert");
        let escalate_to =
            ck.resolve_list("model.unknown-role", Kind::Role, &role_names, &k.escalate_to, &from, "escalate_to");
        if let Some(after) = &k.escalate_after
            && k.escalate_to.as_ref().is_none_or(|t| t.v.is_empty())
        {
            let at = d.loc(&after.src, "escalate_after");
            let n = after.v;
            ck.warning("model.escalates-to-nobody", said!("models-escalates-after-working-days-but", from, n), at)
                .set_help_said(said!("models-help-escalate-to"));
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
        ck.error("model.missing-field", said!("models-key-points-declare-kinds-but"), at)
            .set_help_said(said!("models-add-under-least-severe-first"));
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
                        let id = clip(&doc.id);
                        ck.error("model.duplicate-id", said!("models-duplicate-document-id", id), at)
                            .set_help_said(said!("models-first-ids-must-unique", first_at));
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
        ck.error("model.missing-field", said!("models-no-phases"), d.loc(&main, ""))
            .set_help_said(said!("models-help-phases"));
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
        ck.id(Kind::Phase, &p.item);
        let (label, description) = ck.labels(Kind::Phase, &p.item);
        if p.actions.is_empty() {
            let at = d.loc(&p.item.src, "id");
            let id = &p.item.id;
            ck.warning("model.empty-phase", said!("models-phase-has-no-actions", id), at);
        }
        for a in &p.actions {
            let from = owner(Some(Kind::Action), &a.item.id);
            ck.id(Kind::Action, &a.item);
            let (label, description) = ck.labels(Kind::Action, &a.item);
            let role = match &a.role {
                Some(r) => {
                    ck.resolve("model.unknown-role", Kind::Role, &role_names, &r.v, &from, &r.src, ("role", None))
                }
                None => {
                    let at = d.loc(&a.item.src, "id");
                    let help = if a.item.label.is_none() {
                        let others = action_names.list.iter().copied().filter(|x| *x != a.item.id);
                        did_you_mean(&a.item.id, others).map(|best| said!("models-change-action-use-exact-id", best))
                    } else {
                        None
                    };
                    ck.error("model.missing-field", said!("models-no-role", from), at)
                        .set_help_said(help.unwrap_or_else(|| said!("models-help-role")));
                    None
                }
            };
            if let Some(t) = &a.kind {
                ck.resolve("model.unknown-type", Kind::ActionType, &type_names, &t.v, &from, &t.src, ("type", None));
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
                    ck.id(Kind::Document, &item);
                    let (dlabel, _) = ck.labels(Kind::Document, &item);
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
                        let id = &a.item.id;
                        ck.error(
                            "model.removed-dependency",
                            said!("models-cannot-remove-action-action-depends", dep, id),
                            at,
                        )
                        .set_help_said(said!("models-remove-as-well-change", id, file));
                        continue;
                    }
                    if let Some(x) = ck.resolve(
                        "model.unknown-action",
                        Kind::Action,
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
                        let id = &a.item.id;
                        ck.error(
                            "model.removed-dependency",
                            said!("models-cannot-remove-action-action-works", gone, id, doc),
                            at,
                        )
                        .set_help_said(said!("models-help-remove-input-too", id, file));
                        continue;
                    }
                    if let Some(x) = ck.resolve(
                        "model.unknown-document",
                        Kind::Document,
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
                Kind::Objective,
                &objective_names,
                &a.objectives,
                &from,
                "objectives",
            );
            for &o in &objs {
                objective_used[o] = true;
            }
            let rsks = ck.resolve_list("model.unknown-risk", Kind::Risk, &risk_names, &a.risks, &from, "risks");
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
            let id = &o.id;
            ck.warning("model.unused", said!("models-objective-served-no-action-risk", id), at);
        }
    }
    for (i, used) in risk_used.iter().enumerate() {
        if let (false, Some(r)) = (used, d.risks.get(i)) {
            let at = d.loc(&r.item.src, "id");
            let id = &r.item.id;
            ck.warning("model.unused", said!("models-risk-addressed-no-action", id), at);
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
