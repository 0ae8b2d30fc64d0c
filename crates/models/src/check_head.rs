//! The first part of checking a model: its identity (id, languages, label) and its mission
//! dates, which every later part refers to.

use missions_base::diag::clip;
use missions_base::said;

use super::ck::{Ck, Kind, Names, builtin_date, valid_id};
use super::draft::{Draft, F, Src};
use super::raw::RawDue;
use super::types::{DueIx, Label, MissionDate};

/// The model's id and label; its languages go into `ck.langs`.
pub(super) fn head(ck: &mut Ck<'_>, d: &Draft, main: &Src) -> (String, Label) {
    // The model itself.
    let id = match &d.id {
        Some(f) => {
            if !valid_id(&f.v) {
                let at = d.loc(&f.src, "id");
                let v = clip(&f.v);
                ck.error(
                    "model.invalid-id",
                    said!("invalid model id `{v}`", "identifiant de modèle invalide `{v}`", "ongeldige model-id `{v}`"),
                    at,
                );
            }
            f.v.clone()
        }
        None => {
            ck.error(
                "model.missing-field",
                said!("the model has no `id`", "le modèle n'a pas d'`id`", "het model heeft geen `id`"),
                d.loc(main, ""),
            )
            .set_help_said(said!(
                "add `id: <name>` at the top of the file",
                "ajoutez `id: <nom>` en tête du fichier",
                "voeg `id: <naam>` bovenaan het bestand toe"
            ));
            String::new()
        }
    };
    match &d.languages {
        Some(f) if !f.v.is_empty() => {
            for (i, lang) in f.v.iter().enumerate() {
                if f.v[..i].contains(lang) {
                    let at = d.loc(&f.src, &format!("languages[{i}]"));
                    ck.error(
                        "model.duplicate-id",
                        said!(
                            "language `{lang}` is declared twice",
                            "la langue `{lang}` est déclarée deux fois",
                            "taal `{lang}` is twee keer gedeclareerd"
                        ),
                        at,
                    );
                } else {
                    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
                        let at = d.loc(&f.src, &format!("languages[{i}]"));
                        let lang = clip(lang);
                        ck.warning(
                            "model.invalid-language",
                            said!(
                                "`{lang}` is not a two- or three-letter language code",
                                "`{lang}` n'est pas un code de langue de deux ou trois lettres",
                                "`{lang}` is geen taalcode van twee of drie letters"
                            ),
                            at,
                        )
                        .set_help_said(said!(
                            "use ISO 639 codes such as `fr`, `nl`, `en`, `de`",
                            "utilisez des codes ISO 639 comme `fr`, `nl`, `en`, `de`",
                            "gebruik ISO 639-codes zoals `fr`, `nl`, `en`, `de`"
                        ));
                    }
                    ck.langs.push(lang.clone());
                }
            }
        }
        _ => {
            let at = d.languages.as_ref().map_or_else(|| d.loc(main, ""), |f| d.loc(&f.src, "languages"));
            ck.error(
                "model.missing-field",
                said!(
                    "the model declares no `languages`",
                    "le modèle ne déclare pas de `languages`",
                    "het model declareert geen `languages`"
                ),
                at,
            )
            .set_help_said(said!(
                "add `languages: [fr, nl, en]`",
                "ajoutez `languages: [fr, nl, en]`",
                "voeg `languages: [fr, nl, en]` toe"
            ));
        }
    }
    let label = match &d.label {
        Some(l) => ck.texts(None, "", "label", l),
        None => {
            ck.error(
                "model.missing-label",
                said!("the model has no label", "le modèle n'a pas de libellé", "het model heeft geen label"),
                d.loc(main, ""),
            )
            .set_help_said(said!(
                "add `label: {{fr: …, nl: …, en: …}}` at the top of the file",
                "ajoutez `label: {{fr: …, nl: …, en: …}}` en tête du fichier",
                "voeg `label: {{fr: …, nl: …, en: …}}` bovenaan het bestand toe"
            ));
            Label::default()
        }
    };
    if let Some(desc) = &d.description {
        ck.texts(None, "", "description", desc);
    }

    (id, label)
}

/// The mission dates (`start`, `closing`, then the model's), their names, and each one's default.
pub(super) fn mission_dates<'d>(ck: &mut Ck<'_>, d: &'d Draft) -> (Vec<MissionDate>, Names<'d>, Vec<Option<DueIx>>) {
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
        ck.id(Kind::Date, &dd.item);
        let (label, description) = if dd.item.label.is_some() || !matches!(dd.item.id.as_str(), "start" | "closing") {
            ck.labels(Kind::Date, &dd.item)
        } else {
            (Label::default(), None)
        };
        if let Some(i) = date_names.get(&dd.item.id) {
            // Declaring a built-in date only renames it.
            if let Some(def) = &dd.default {
                let at = d.key_loc(&def.src, "default");
                let id = &dd.item.id;
                ck.error(
                    "model.invalid-due",
                    said!(
                        "date `{id}` comes from the mission; it takes no `default`",
                        "la date `{id}` vient de la mission ; elle ne prend pas de `default`",
                        "datum `{id}` komt van de opdracht; ze neemt geen `default`"
                    ),
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
        let id = dates.get(i).map_or("", |m| m.id.as_str());
        let from = said!(
            "the default of date `{id}`",
            "la valeur par défaut de la date `{id}`",
            "de standaardwaarde van datum `{id}`"
        );
        if let Some((due, ix)) = ck.due(raw, "default", &from, &date_names) {
            if ix.date > 1 {
                let at = d.loc(&raw.src, "default");
                let (fe, ff, fnl, date) = (&from.en, &from.fr, &from.nl, &due.date);
                ck.error(
                    "model.invalid-due",
                    said!(
                        "{fe} must be relative to `start` or `closing`, not `{date}`",
                        "{ff} doit être relative à `start` ou `closing`, pas à `{date}`",
                        "{fnl} moet relatief zijn tegenover `start` of `closing`, niet `{date}`"
                    ),
                    at,
                );
            } else if let (Some(m), Some(slot)) = (dates.get_mut(i), date_default.get_mut(i)) {
                m.default = Some(due);
                *slot = Some(ix);
            }
        }
    }

    (dates, date_names, date_default)
}
