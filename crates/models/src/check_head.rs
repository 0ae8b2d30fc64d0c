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
                ck.error("model.invalid-id", said!("models-invalid-model-id", v), at);
            }
            f.v.clone()
        }
        None => {
            ck.error("model.missing-field", said!("models-no-id"), d.loc(main, ""))
                .set_help_said(said!("models-help-id"));
            String::new()
        }
    };
    match &d.languages {
        Some(f) if !f.v.is_empty() => {
            for (i, lang) in f.v.iter().enumerate() {
                if f.v[..i].contains(lang) {
                    let at = d.loc(&f.src, &format!("languages[{i}]"));
                    ck.error("model.duplicate-id", said!("models-language-declared-twice", lang), at);
                } else {
                    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
                        let at = d.loc(&f.src, &format!("languages[{i}]"));
                        let lang = clip(lang);
                        ck.warning("model.invalid-language", said!("models-not-two-three-letter-language", lang), at)
                            .set_help_said(said!("models-use-iso-639-codes-such"));
                    }
                    ck.langs.push(lang.clone());
                }
            }
        }
        _ => {
            let at = d.languages.as_ref().map_or_else(|| d.loc(main, ""), |f| d.loc(&f.src, "languages"));
            ck.error("model.missing-field", said!("models-model-declares-no"), at)
                .set_help_said(said!("models-help-languages"));
        }
    }
    let label = match &d.label {
        Some(l) => ck.texts(None, "", "label", l),
        None => {
            ck.error("model.missing-label", said!("models-model-has-no-label"), d.loc(main, ""))
                .set_help_said(said!("models-help-model-label"));
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
                ck.error("model.invalid-due", said!("models-date-comes-from-mission-takes", id), at);
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
        let from = said!("models-default-date", id);
        if let Some((due, ix)) = ck.due(raw, "default", &from, &date_names) {
            if ix.date > 1 {
                let at = d.loc(&raw.src, "default");
                let date = &due.date;
                ck.error("model.invalid-due", said!("models-must-relative-not", from, date), at);
            } else if let (Some(m), Some(slot)) = (dates.get_mut(i), date_default.get_mut(i)) {
                m.default = Some(due);
                *slot = Some(ix);
            }
        }
    }

    (dates, date_names, date_default)
}
