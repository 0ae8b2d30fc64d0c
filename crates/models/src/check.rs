//! Checking a merged model and compiling it into a [`Model`]: every problem is collected (never
//! first-error-only), located in the file that caused it, with a suggestion for misspelt names.

use std::collections::{HashMap, HashSet};

use missions_base::diag::{Diagnostic, Diagnostics, Location, did_you_mean};

use super::due::{self, DUE_HELP, certainly_before};
use super::load::{DItem, Draft, F, Src};
use super::raw::{RawDue, RawLabel};
use super::types::{
    Action, Document, DueIx, Ix, KeyPointKind, KeyPointSeverity, Label, MissionDate, Model, ModelEntry, Phase, Risk,
    Role,
};

/// Names of one kind of entry, in declaration order (so suggestions are deterministic).
#[derive(Default)]
struct Names<'a> {
    map: HashMap<&'a str, usize>,
    list: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn insert(&mut self, id: &'a str) -> usize {
        let i = self.list.len();
        self.map.entry(id).or_insert(i);
        self.list.push(id);
        i
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.map.get(id).copied()
    }
}

fn owner(what: &str, id: &str) -> String {
    if id.is_empty() { what.to_owned() } else { format!("{what} `{id}`") }
}

fn ticks<'s>(names: impl IntoIterator<Item = &'s str>) -> String {
    names.into_iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Whether an id is a plain name: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

struct Ck<'a> {
    d: &'a Draft,
    diags: Vec<Diagnostic>,
    langs: Vec<String>,
}

impl<'a> Ck<'a> {
    fn error(&mut self, code: &'static str, message: String, at: Location) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(code, message).at(at));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn warning(&mut self, code: &'static str, message: String, at: Location) -> &mut Diagnostic {
        self.diags.push(Diagnostic::warning(code, message).at(at));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn id(&mut self, what: &str, item: &DItem) {
        if !valid_id(&item.id) {
            let at = self.d.loc(&item.src, "id");
            self.error("model.invalid-id", format!("invalid {what} id `{}`", item.id), at).help =
                Some("use letters, digits, `-`, `_` and `.`, starting with a letter or digit".into());
        }
    }

    /// The item's label (required) and description (optional), checked against the languages.
    fn labels(&mut self, what: &str, item: &DItem) -> (Label, Option<Label>) {
        let label = match &item.label {
            Some(l) => self.texts(what, &item.id, "label", l),
            None => {
                let at = self.d.loc(&item.src, "id");
                let langs = self.langs.iter().map(|l| format!("{l}: …")).collect::<Vec<_>>().join(", ");
                self.error("model.missing-label", format!("{} has no label", owner(what, &item.id)), at).help =
                    Some(format!("add `label: {{{langs}}}`"));
                Label::default()
            }
        };
        let description = item.description.as_ref().map(|l| self.texts(what, &item.id, "description", l));
        (label, description)
    }

    fn texts(&mut self, what: &str, id: &str, field: &str, l: &F<RawLabel>) -> Label {
        let langs = std::mem::take(&mut self.langs);
        for lang in &langs {
            match l.v.get(lang) {
                None => {
                    let at = self.d.loc(&l.src, field);
                    self.error(
                        "model.missing-label",
                        format!("{field} of {} has no `{lang}` text", owner(what, id)),
                        at,
                    )
                    .help = Some(format!(
                        "add `{lang}: …`; every {field} needs a text in each of the model's languages ({})",
                        ticks(langs.iter().map(String::as_str))
                    ));
                }
                Some(t) if t.trim().is_empty() => {
                    let at = self.d.loc(&l.src, &format!("{field}.{lang}"));
                    self.error("model.empty-label", format!("{field} of {} is empty in `{lang}`", owner(what, id)), at);
                }
                Some(_) => {}
            }
        }
        self.langs = langs;
        for lang in l.v.keys() {
            if !self.langs.iter().any(|l| l == lang) {
                let at = self.d.key_loc(&l.src, &format!("{field}.{lang}"));
                let help = match did_you_mean(lang, self.langs.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("add `{lang}` to the model's `languages`, or remove this text"),
                };
                self.warning(
                    "model.undeclared-language",
                    format!(
                        "{field} of {} has a text in `{lang}`, which is not one of the model's languages",
                        owner(what, id)
                    ),
                    at,
                )
                .help = Some(help);
            }
        }
        Label(l.v.iter().filter(|(k, _)| self.langs.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// Resolve a reference, reporting an unknown one with a suggestion.
    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        code: &'static str,
        what: &str,
        names: &Names<'_>,
        name: &str,
        from: &str,
        src: &Src,
        field: (&str, Option<usize>),
    ) -> Option<usize> {
        if let Some(i) = names.get(name) {
            return Some(i);
        }
        let at = match field {
            (f, Some(i)) => self.d.loc(src, &format!("{f}[{i}]")),
            (f, None) => self.d.loc(src, f),
        };
        let mut message = format!("unknown {what} `{name}` in {from}");
        let help = match did_you_mean(name, names.list.iter().copied()) {
            Some(best) => {
                message.push_str(&format!(" (did you mean `{best}`?)"));
                None
            }
            None if names.list.is_empty() => Some(format!("the model declares no {what}")),
            None if names.list.len() <= 12 => {
                Some(format!("the model's {what}s are {}", ticks(names.list.iter().copied())))
            }
            None => None,
        };
        self.error(code, message, at).help = help;
        None
    }

    fn resolve_list(
        &mut self,
        code: &'static str,
        what: &str,
        names: &Names<'_>,
        list: &Option<F<Vec<String>>>,
        from: &str,
        field: &str,
    ) -> Vec<usize> {
        let Some(list) = list else { return Vec::new() };
        let mut out = Vec::with_capacity(list.v.len());
        for (i, name) in list.v.iter().enumerate() {
            if let Some(x) = self.resolve(code, what, names, name, from, &list.src, (field, Some(i))) {
                out.push(x);
            }
        }
        out
    }

    fn due(&mut self, raw: &F<RawDue>, field: &str, from: &str, dates: &Names<'_>) -> Option<(due::Due, DueIx)> {
        match due::parse(&raw.v) {
            Ok(d) => {
                let date = self.resolve(
                    "model.unknown-date",
                    "date",
                    dates,
                    &d.date,
                    from,
                    &raw.src,
                    (&due_date_field(&raw.v, field), None),
                )?;
                Some((d.clone(), DueIx { date, unit: d.unit, days: d.signed_days() }))
            }
            Err(why) => {
                let at = self.d.loc(&raw.src, field);
                self.error("model.invalid-due", format!("{why} in {from}"), at).help = Some(DUE_HELP.into());
                None
            }
        }
    }
}

/// The place of the date name inside a temporality.
fn due_date_field(raw: &RawDue, field: &str) -> String {
    match raw {
        RawDue::Text(_) => field.to_owned(),
        RawDue::Map(m) if m.after.is_some() => format!("{field}.after"),
        RawDue::Map(_) => format!("{field}.before"),
    }
}

fn builtin_date(id: &str, fr: &str, nl: &str, en: &str, langs: &[String]) -> MissionDate {
    let text = |l: &str| match l {
        "fr" => fr,
        "nl" => nl,
        _ => en,
    };
    MissionDate {
        id: id.into(),
        label: Label(langs.iter().map(|l| (l.clone(), text(l).to_owned())).collect()),
        description: None,
        default: None,
    }
}

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
                        item: super::load::join(&docs.src.item, &format!("documents[{k}]")).into(),
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

use super::load::DAction;

/// Report every dependency cycle once, with its path, at the first action's dependency.
fn cycles(ck: &mut Ck<'_>, actions: &[Action], deps: &[Vec<usize>], pos: &[Vec<usize>], src: &[&DAction]) {
    for comp in strongly_connected(deps) {
        let Some(&start) = comp.iter().min() else {
            continue;
        };
        let is_cycle = comp.len() > 1 || deps.get(start).is_some_and(|d| d.contains(&start));
        if !is_cycle {
            continue;
        }
        let in_comp: HashSet<usize> = comp.iter().copied().collect();
        let Some(path) = cycle_path(start, deps, &in_comp) else {
            continue;
        };
        let names: Vec<String> =
            path.iter().chain([&start]).filter_map(|&i| actions.get(i)).map(|a| format!("`{}`", a.id)).collect();
        // Locate at the entry of `start`'s `depends_on` that leads along the cycle.
        let next = path.get(1).copied().unwrap_or(start);
        let k = deps
            .get(start)
            .and_then(|d| d.iter().position(|&x| x == next))
            .and_then(|i| pos.get(start).and_then(|p| p.get(i)).copied())
            .unwrap_or(0);
        let Some(a) = src.get(start) else { continue };
        let Some(list) = &a.depends_on else { continue };
        let at = ck.d.loc(&list.src, &format!("depends_on[{k}]"));
        ck.error("model.cycle", format!("dependency cycle: {}", names.join(" → ")), at).help =
            Some("an action cannot depend, even indirectly, on itself; remove one of these dependencies".into());
    }
}

/// The shortest path from `start` along dependencies inside one component back to `start`
/// (without repeating `start` at the end).
fn cycle_path(start: usize, deps: &[Vec<usize>], comp: &HashSet<usize>) -> Option<Vec<usize>> {
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in deps.get(v)? {
            if w == start {
                let mut path = vec![v];
                let mut at = v;
                while at != start {
                    at = *parent.get(&at)?;
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            if comp.contains(&w) && !parent.contains_key(&w) && w != start {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    None
}

/// Tarjan's strongly connected components, iteratively (a long dependency chain must not
/// overflow the stack).
pub(crate) fn strongly_connected(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    let mut call: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        call.push((root, 0));
        while let Some(&mut (v, ref mut edge)) = call.last_mut() {
            if let Some(&w) = adj[v].get(*edge) {
                *edge += 1;
                if w >= n {
                    continue;
                }
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(comp);
                }
            }
        }
    }
    out
}

/// No action may be due before an action it depends on.
fn due_order(ck: &mut Ck<'_>, actions: &[Action], deps: &[Vec<usize>], src: &[&DAction]) {
    for (i, a) in actions.iter().enumerate() {
        let Some(due) = &a.due else { continue };
        for &j in deps.get(i).map_or(&[][..], Vec::as_slice) {
            let Some(dep) = actions.get(j) else { continue };
            let Some(dep_due) = &dep.due else { continue };
            if certainly_before(due, dep_due) {
                let Some(raw) = src.get(i).and_then(|s| s.due.as_ref()) else {
                    continue;
                };
                let at = ck.d.loc(&raw.src, "due");
                ck.error(
                    "model.due-before-dependency",
                    format!("action `{}` is due {due}, before action `{}` it depends on ({dep_due})", a.id, dep.id),
                    at,
                )
                .help = Some(format!("make `{}` due later, or `{}` earlier", a.id, dep.id));
            }
        }
    }
}

/// An action that works from another action's document should depend on that action.
fn inputs_reachable(
    ck: &mut Ck<'_>,
    actions: &[Action],
    deps: &[Vec<usize>],
    inputs: &[Vec<(usize, usize)>],
    doc_owner: &[usize],
    docs: &Names<'_>,
    src: &[&DAction],
) {
    let mut seen = vec![0usize; actions.len()];
    let mut stamp = 0usize;
    for (i, ins) in inputs.iter().enumerate() {
        for &(doc, k) in ins {
            let Some(&producer) = doc_owner.get(doc) else {
                continue;
            };
            let doc_id = docs.list.get(doc).copied().unwrap_or_default();
            let (Some(a), Some(p)) = (actions.get(i), actions.get(producer)) else {
                continue;
            };
            let Some(list) = src.get(i).and_then(|s| s.inputs.as_ref()) else {
                continue;
            };
            if producer == i {
                let at = ck.d.loc(&list.src, &format!("inputs[{k}]"));
                ck.warning(
                    "model.input-not-dependency",
                    format!("action `{}` works from its own document `{doc_id}`", a.id),
                    at,
                );
                continue;
            }
            // Depth-first search over dependencies; `seen` is stamped per (action, input).
            stamp += 1;
            let mut todo = vec![i];
            let mut found = false;
            while let Some(v) = todo.pop() {
                for &w in deps.get(v).map_or(&[][..], Vec::as_slice) {
                    if w == producer {
                        found = true;
                        break;
                    }
                    if seen.get(w) != Some(&stamp) {
                        if let Some(s) = seen.get_mut(w) {
                            *s = stamp;
                        }
                        todo.push(w);
                    }
                }
                if found {
                    break;
                }
            }
            if !found {
                let at = ck.d.loc(&list.src, &format!("inputs[{k}]"));
                ck.warning(
                    "model.input-not-dependency",
                    format!(
                        "action `{}` works from document `{doc_id}` of action `{}`, but does not depend on it",
                        a.id, p.id
                    ),
                    at,
                )
                .help = Some(format!("add `{}` to the `depends_on` of `{}`", p.id, a.id));
            }
        }
    }
}
