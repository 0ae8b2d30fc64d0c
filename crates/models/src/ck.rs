//! What checking a model keeps at hand: the names declared so far, the diagnostics found, and
//! small helpers to word them.

use std::collections::HashMap;

use missions_base::diag::{Diagnostic, Location, Said, clip, did_you_mean};
use missions_base::said;

use super::draft::{DItem, Draft, F, Src};
use super::due;
use super::raw::{RawDue, RawLabel};
use super::types::{DueIx, Label, MissionDate};

/// Names of one kind of entry, in declaration order (so suggestions are deterministic).
#[derive(Default)]
pub(super) struct Names<'a> {
    pub(super) map: HashMap<&'a str, usize>,
    pub(super) list: Vec<&'a str>,
}

impl<'a> Names<'a> {
    pub(super) fn insert(&mut self, id: &'a str) -> usize {
        let i = self.list.len();
        self.map.entry(id).or_insert(i);
        self.list.push(id);
        i
    }

    pub(super) fn get(&self, id: &str) -> Option<usize> {
        self.map.get(id).copied()
    }
}

/// The kinds of entries a model declares, named in the Master's language in diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names, reason = "`KeyPointKind` is what the model calls it")]
pub(super) enum Kind {
    Date,
    Role,
    ActionType,
    Objective,
    Risk,
    Severity,
    KeyPointKind,
    Phase,
    Action,
    Document,
}

impl Kind {
    /// The noun: `action`, `action`, `actie`.
    pub(super) fn noun(self) -> Said {
        match self {
            Kind::Date => said!("models-date"),
            Kind::Role => said!("models-role"),
            Kind::ActionType => said!("models-action-type"),
            Kind::Objective => said!("models-objective"),
            Kind::Risk => said!("models-risk"),
            Kind::Severity => said!("models-severity"),
            Kind::KeyPointKind => said!("models-key-point-kind"),
            Kind::Phase => said!("models-phase"),
            Kind::Action => said!("models-action"),
            Kind::Document => said!("models-document"),
        }
    }

    /// The plural: `actions`, `actions`, `acties`.
    pub(super) fn plural(self) -> Said {
        match self {
            Kind::Date => said!("models-dates"),
            Kind::Role => said!("models-roles"),
            Kind::ActionType => said!("models-action-types"),
            Kind::Objective => said!("models-objectives"),
            Kind::Risk => said!("models-risks"),
            Kind::Severity => said!("models-severities"),
            Kind::KeyPointKind => said!("models-key-point-kinds"),
            Kind::Phase => said!("models-phases"),
            Kind::Action => said!("models-actions"),
            Kind::Document => said!("models-documents"),
        }
    }

    /// `unknown action`, `action inconnue`, `onbekende actie`: each language agrees the words as
    /// its grammar wants, in its catalogue.
    pub(super) fn unknown(self) -> Said {
        match self {
            Kind::Date => said!("models-kind-unknown-date"),
            Kind::Role => said!("models-kind-unknown-role"),
            Kind::ActionType => said!("models-kind-unknown-action-type"),
            Kind::Objective => said!("models-kind-unknown-objective"),
            Kind::Risk => said!("models-kind-unknown-risk"),
            Kind::Severity => said!("models-kind-unknown-severity"),
            Kind::KeyPointKind => said!("models-kind-unknown-key-point-kind"),
            Kind::Phase => said!("models-kind-unknown-phase"),
            Kind::Action => said!("models-kind-unknown-action"),
            Kind::Document => said!("models-kind-unknown-document"),
        }
    }
}

/// Who a diagnostic is about: `action `x``, or the model itself when `id` is empty.
pub(super) fn owner(kind: Option<Kind>, id: &str) -> Said {
    match kind {
        None => said!("models-model"),
        Some(Kind::Date) => said!("models-owner-date", id),
        Some(Kind::Role) => said!("models-owner-role", id),
        Some(Kind::ActionType) => said!("models-owner-action-type", id),
        Some(Kind::Objective) => said!("models-owner-objective", id),
        Some(Kind::Risk) => said!("models-owner-risk", id),
        Some(Kind::Severity) => said!("models-owner-severity", id),
        Some(Kind::KeyPointKind) => said!("models-owner-key-point-kind", id),
        Some(Kind::Phase) => said!("models-owner-phase", id),
        Some(Kind::Action) => said!("models-owner-action", id),
        Some(Kind::Document) => said!("models-owner-document", id),
    }
}

pub(super) fn ticks<'s>(names: impl IntoIterator<Item = &'s str>) -> String {
    names.into_iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Whether an id is a plain name: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
pub(super) fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub(super) struct Ck<'a> {
    pub(super) d: &'a Draft,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) langs: Vec<String>,
}

impl<'a> Ck<'a> {
    pub(super) fn error(&mut self, code: &'static str, message: Said, at: Location) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error_said(code, message).at(at));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    pub(super) fn warning(&mut self, code: &'static str, message: Said, at: Location) -> &mut Diagnostic {
        self.diags.push(Diagnostic::warning_said(code, message).at(at));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    pub(super) fn id(&mut self, kind: Kind, item: &DItem) {
        if !valid_id(&item.id) {
            let at = self.d.loc(&item.src, "id");
            let (n, id) = (kind.noun(), clip(&item.id));
            self.error("model.invalid-id", said!("models-invalid-id", n, id), at)
                .set_help_said(said!("models-use-letters-digits-starting-with"));
        }
    }

    /// The item's label (required) and description (optional), checked against the languages.
    pub(super) fn labels(&mut self, kind: Kind, item: &DItem) -> (Label, Option<Label>) {
        let label = match &item.label {
            Some(l) => self.texts(Some(kind), &item.id, "label", l),
            None => {
                let at = self.d.loc(&item.src, "id");
                let langs = self.langs.iter().map(|l| format!("{l}: …")).collect::<Vec<_>>().join(", ");
                let o = owner(Some(kind), &item.id);
                self.error("model.missing-label", said!("models-has-no-label", o), at)
                    .set_help_said(said!("models-help-label", langs));
                Label::default()
            }
        };
        let description = item.description.as_ref().map(|l| self.texts(Some(kind), &item.id, "description", l));
        (label, description)
    }

    pub(super) fn texts(&mut self, kind: Option<Kind>, id: &str, field: &str, l: &F<RawLabel>) -> Label {
        let langs = std::mem::take(&mut self.langs);
        let o = owner(kind, id);
        for lang in &langs {
            match l.v.get(lang) {
                None => {
                    let at = self.d.loc(&l.src, field);
                    let all = ticks(langs.iter().map(String::as_str));
                    self.error("model.missing-label", said!("models-has-no-text", field, o, lang), at)
                        .set_help_said(said!("models-add-every-needs-text-each", lang, field, all));
                }
                Some(t) if t.trim().is_empty() => {
                    let at = self.d.loc(&l.src, &format!("{field}.{lang}"));
                    self.error("model.empty-label", said!("models-text-empty", field, o, lang), at);
                }
                Some(_) => {}
            }
        }
        self.langs = langs;
        for lang in l.v.keys() {
            if !self.langs.iter().any(|l| l == lang) {
                let at = self.d.key_loc(&l.src, &format!("{field}.{lang}"));
                let lang = clip(lang);
                let help = match did_you_mean(&lang, self.langs.iter().map(String::as_str)) {
                    Some(best) => Said::did_you_mean_help(best),
                    None => said!("models-add-model-s-remove-this", lang),
                };
                self.warning("model.undeclared-language", said!("models-has-text-which-not-one", field, o, lang), at)
                    .set_help_said(help);
            }
        }
        Label(l.v.iter().filter(|(k, _)| self.langs.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// Resolve a reference, reporting an unknown one with a suggestion.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn resolve(
        &mut self,
        code: &'static str,
        kind: Kind,
        names: &Names<'_>,
        name: &str,
        from: &Said,
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
        let (u, name) = (kind.unknown(), clip(name));
        let mut message = said!("models-unknown-in", u, name, from);
        let (p, n) = (kind.plural(), kind.noun());
        let help = match did_you_mean(&name, names.list.iter().copied()) {
            Some(best) => {
                message.push(&Said::did_you_mean(Some(best)));
                None
            }
            None if names.list.is_empty() => Some(said!("models-declares-none", n)),
            None if names.list.len() <= 12 => {
                let all = ticks(names.list.iter().copied());
                Some(said!("models-model-s-are", p, all))
            }
            None => None,
        };
        let d = self.error(code, message, at);
        if let Some(h) = help {
            d.set_help_said(h);
        }
        None
    }

    pub(super) fn resolve_list(
        &mut self,
        code: &'static str,
        kind: Kind,
        names: &Names<'_>,
        list: &Option<F<Vec<String>>>,
        from: &Said,
        field: &str,
    ) -> Vec<usize> {
        let Some(list) = list else { return Vec::new() };
        let mut out = Vec::with_capacity(list.v.len());
        for (i, name) in list.v.iter().enumerate() {
            if let Some(x) = self.resolve(code, kind, names, name, from, &list.src, (field, Some(i))) {
                out.push(x);
            }
        }
        out
    }

    pub(super) fn due(
        &mut self,
        raw: &F<RawDue>,
        field: &str,
        from: &Said,
        dates: &Names<'_>,
    ) -> Option<(due::Due, DueIx)> {
        match due::parse(&raw.v) {
            Ok(d) => {
                let date = self.resolve(
                    "model.unknown-date",
                    Kind::Date,
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
                self.error("model.invalid-due", said!("models-invalid-due-in", why, from), at)
                    .set_help_said(due::due_help());
                None
            }
        }
    }
}

/// The place of the date name inside a temporality.
pub(super) fn due_date_field(raw: &RawDue, field: &str) -> String {
    match raw {
        RawDue::Text(_) => field.to_owned(),
        RawDue::Map(m) if m.after.is_some() => format!("{field}.after"),
        RawDue::Map(_) => format!("{field}.before"),
    }
}

pub(super) fn builtin_date(id: &str, fr: &str, nl: &str, en: &str, langs: &[String]) -> MissionDate {
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
