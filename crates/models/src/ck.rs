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
            Kind::Date => said!("date", "date", "datum"),
            Kind::Role => said!("role", "rôle", "rol"),
            Kind::ActionType => said!("action type", "type d'action", "actietype"),
            Kind::Objective => said!("objective", "objectif", "doelstelling"),
            Kind::Risk => said!("risk", "risque", "risico"),
            Kind::Severity => said!("severity", "gravité", "ernst"),
            Kind::KeyPointKind => said!("key point kind", "type de point clé", "soort kernpunt"),
            Kind::Phase => said!("phase", "phase", "fase"),
            Kind::Action => said!("action", "action", "actie"),
            Kind::Document => said!("document", "document", "document"),
        }
    }

    /// The plural: `actions`, `actions`, `acties`.
    pub(super) fn plural(self) -> Said {
        match self {
            Kind::Date => said!("dates", "dates", "datums"),
            Kind::Role => said!("roles", "rôles", "rollen"),
            Kind::ActionType => said!("action types", "types d'action", "actietypes"),
            Kind::Objective => said!("objectives", "objectifs", "doelstellingen"),
            Kind::Risk => said!("risks", "risques", "risico's"),
            Kind::Severity => said!("severities", "gravités", "ernstniveaus"),
            Kind::KeyPointKind => said!("key point kinds", "types de points clés", "soorten kernpunten"),
            Kind::Phase => said!("phases", "phases", "fasen"),
            Kind::Action => said!("actions", "actions", "acties"),
            Kind::Document => said!("documents", "documents", "documenten"),
        }
    }

    /// `unknown action`, `action inconnue`, `onbekende actie`.
    pub(super) fn unknown(self) -> Said {
        let n = self.noun();
        let (e, f, d) = (&n.en, &n.fr, &n.nl);
        let feminine = matches!(self, Kind::Date | Kind::Phase | Kind::Action | Kind::Severity);
        let neuter = matches!(self, Kind::Risk | Kind::Document | Kind::ActionType);
        match (feminine, neuter) {
            (true, _) => said!("unknown {e}", "{f} inconnue", "onbekende {d}"),
            (false, true) => said!("unknown {e}", "{f} inconnu", "onbekend {d}"),
            (false, false) => said!("unknown {e}", "{f} inconnu", "onbekende {d}"),
        }
    }
}

/// Who a diagnostic is about: `action `x``, or the model itself when `id` is empty.
pub(super) fn owner(kind: Option<Kind>, id: &str) -> Said {
    match kind {
        None => said!("the model", "le modèle", "het model"),
        Some(k) => {
            let n = k.noun();
            let (e, f, d) = (&n.en, &n.fr, &n.nl);
            let article_fr =
                if matches!(k, Kind::Date | Kind::Phase | Kind::Action | Kind::Severity) { "la" } else { "le" };
            let fr = if f.starts_with(['a', 'e', 'é', 'o']) { format!("l'{f}") } else { format!("{article_fr} {f}") };
            said!("{e} `{id}`", "{fr} `{id}`", "{d} `{id}`")
        }
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
            let (e, f, d) = (&n.en, &n.fr, &n.nl);
            self.error(
                "model.invalid-id",
                said!("invalid {e} id `{id}`", "identifiant de {f} invalide `{id}`", "ongeldige id van {d} `{id}`"),
                at,
            )
            .set_help_said(said!(
                "use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
                "utilisez des lettres, des chiffres, `-`, `_` et `.`, en commençant par une lettre ou un chiffre",
                "gebruik letters, cijfers, `-`, `_` en `.`, te beginnen met een letter of cijfer"
            ));
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
                let (e, f, d) = (&o.en, &o.fr, &o.nl);
                self.error(
                    "model.missing-label",
                    said!("{e} has no label", "{f} n'a pas de libellé", "{d} heeft geen label"),
                    at,
                )
                .set_help_said(said!(
                    "add `label: {{{langs}}}`",
                    "ajoutez `label: {{{langs}}}`",
                    "voeg `label: {{{langs}}}` toe"
                ));
                Label::default()
            }
        };
        let description = item.description.as_ref().map(|l| self.texts(Some(kind), &item.id, "description", l));
        (label, description)
    }

    pub(super) fn texts(&mut self, kind: Option<Kind>, id: &str, field: &str, l: &F<RawLabel>) -> Label {
        let langs = std::mem::take(&mut self.langs);
        let o = owner(kind, id);
        let (oe, of, on) = (&o.en, &o.fr, &o.nl);
        for lang in &langs {
            match l.v.get(lang) {
                None => {
                    let at = self.d.loc(&l.src, field);
                    let all = ticks(langs.iter().map(String::as_str));
                    self.error(
                        "model.missing-label",
                        said!(
                            "{field} of {oe} has no `{lang}` text",
                            "le champ {field} de {of} n'a pas de texte `{lang}`",
                            "{field} van {on} heeft geen tekst in `{lang}`"
                        ),
                        at,
                    )
                    .set_help_said(said!(
                        "add `{lang}: …`; every {field} needs a text in each of the model's languages ({all})",
                        "ajoutez `{lang}: …` ; chaque {field} a besoin d'un texte dans chaque langue du modèle ({all})",
                        "voeg `{lang}: …` toe; elk {field} heeft een tekst nodig in elke taal van het model ({all})"
                    ));
                }
                Some(t) if t.trim().is_empty() => {
                    let at = self.d.loc(&l.src, &format!("{field}.{lang}"));
                    self.error(
                        "model.empty-label",
                        said!(
                            "{field} of {oe} is empty in `{lang}`",
                            "le champ {field} de {of} est vide en `{lang}`",
                            "{field} van {on} is leeg in `{lang}`"
                        ),
                        at,
                    );
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
                    None => said!(
                        "add `{lang}` to the model's `languages`, or remove this text",
                        "ajoutez `{lang}` aux `languages` du modèle, ou retirez ce texte",
                        "voeg `{lang}` toe aan de `languages` van het model, of verwijder deze tekst"
                    ),
                };
                self.warning(
                    "model.undeclared-language",
                    said!(
                        "{field} of {oe} has a text in `{lang}`, which is not one of the model's languages",
                        "le champ {field} de {of} a un texte en `{lang}`, qui n'est pas une langue du modèle",
                        "{field} van {on} heeft een tekst in `{lang}`, wat geen taal van het model is"
                    ),
                    at,
                )
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
        let (ue, uf, un) = (&u.en, &u.fr, &u.nl);
        let (fe, ff, fnl) = (&from.en, &from.fr, &from.nl);
        let mut message = said!("{ue} `{name}` in {fe}", "{uf} `{name}` dans {ff}", "{un} `{name}` in {fnl}");
        let (p, n) = (kind.plural(), kind.noun());
        let (pe, pf, pn) = (&p.en, &p.fr, &p.nl);
        let (ne, nf, nn) = (&n.en, &n.fr, &n.nl);
        let help = match did_you_mean(&name, names.list.iter().copied()) {
            Some(best) => {
                message.push(&Said::did_you_mean(Some(best)));
                None
            }
            None if names.list.is_empty() => Some(said!(
                "the model declares no {ne}",
                "le modèle ne déclare aucun(e) {nf}",
                "het model declareert geen {nn}"
            )),
            None if names.list.len() <= 12 => {
                let all = ticks(names.list.iter().copied());
                Some(said!(
                    "the model's {pe} are {all}",
                    "les {pf} du modèle sont {all}",
                    "de {pn} van het model zijn {all}"
                ))
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
                let (we, wf, wn) = (&why.en, &why.fr, &why.nl);
                let (fe, ff, fnl) = (&from.en, &from.fr, &from.nl);
                self.error("model.invalid-due", said!("{we} in {fe}", "{wf} dans {ff}", "{wn} in {fnl}"), at)
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
