//! What checking a model keeps at hand: the names declared so far, the diagnostics found, and
//! small helpers to word them.

use std::collections::HashMap;

use missions_base::diag::{Diagnostic, Location, did_you_mean};

use super::draft::{DItem, Draft, F, Src};
use super::due::{self, DUE_HELP};
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

pub(super) fn owner(what: &str, id: &str) -> String {
    if id.is_empty() { what.to_owned() } else { format!("{what} `{id}`") }
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
    pub(super) fn error(&mut self, code: &'static str, message: String, at: Location) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(code, message).at(at));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    pub(super) fn warning(&mut self, code: &'static str, message: String, at: Location) -> &mut Diagnostic {
        self.diags.push(Diagnostic::warning(code, message).at(at));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    pub(super) fn id(&mut self, what: &str, item: &DItem) {
        if !valid_id(&item.id) {
            let at = self.d.loc(&item.src, "id");
            self.error("model.invalid-id", format!("invalid {what} id `{}`", item.id), at).help =
                Some("use letters, digits, `-`, `_` and `.`, starting with a letter or digit".into());
        }
    }

    /// The item's label (required) and description (optional), checked against the languages.
    pub(super) fn labels(&mut self, what: &str, item: &DItem) -> (Label, Option<Label>) {
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

    pub(super) fn texts(&mut self, what: &str, id: &str, field: &str, l: &F<RawLabel>) -> Label {
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
    pub(super) fn resolve(
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

    pub(super) fn resolve_list(
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

    pub(super) fn due(
        &mut self,
        raw: &F<RawDue>,
        field: &str,
        from: &str,
        dates: &Names<'_>,
    ) -> Option<(due::Due, DueIx)> {
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
