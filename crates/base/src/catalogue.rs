//! The message catalogues: every text a client or a Master reads, one Fluent file per domain and
//! language (`locales/<language>/<domain>.ftl`, embedded at build time). A text is found by its
//! id in the reader's language, else in English, so a language whose catalogue is partial still
//! answers every message. A fourth language is its folder of files: no Rust change.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// The catalogues of one language.
struct Language {
    code: &'static str,
    bundle: FluentBundle<FluentResource>,
    /// The ids of its messages, by domain.
    ids: BTreeMap<&'static str, Vec<String>>,
}

struct Catalogues {
    languages: Vec<Language>,
    codes: Vec<&'static str>,
    /// What could not be read: a file that does not parse, a message given twice.
    problems: Vec<String>,
}

static CATALOGUES: LazyLock<Catalogues> = LazyLock::new(load);

fn load() -> Catalogues {
    let mut by_lang: BTreeMap<&'static str, Vec<(&'static str, &'static str)>> = BTreeMap::new();
    for &(code, domain, text) in FILES {
        by_lang.entry(code).or_default().push((domain, text));
    }
    // The engine's own three languages always exist, even with no file (every text then falls
    // back to its id).
    for code in ["fr", "nl", "en"] {
        by_lang.entry(code).or_default();
    }
    let mut problems = Vec::new();
    let mut languages = Vec::new();
    for (code, files) in by_lang {
        let Ok(id) = LanguageIdentifier::from_str(code) else {
            problems.push(format!("`locales/{code}`: not a language code"));
            continue;
        };
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Texts are plain: no Unicode isolation marks around the values put in them.
        bundle.set_use_isolating(false);
        let mut ids = BTreeMap::new();
        for (domain, text) in files {
            let resource = match FluentResource::try_new(text.to_owned()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    problems.extend(errors.iter().map(|e| format!("`locales/{code}/{domain}.ftl`: {e}")));
                    r
                }
            };
            let names: Vec<String> = resource
                .entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect();
            ids.insert(domain, names);
            if let Err(errors) = bundle.add_resource(resource) {
                problems.extend(errors.iter().map(|e| format!("`locales/{code}/{domain}.ftl`: {e}")));
            }
        }
        languages.push(Language { code, bundle, ids });
    }
    let rank = |l: &Language| match l.code {
        "fr" => (0, ""),
        "nl" => (1, ""),
        "en" => (2, ""),
        other => (3, other),
    };
    languages.sort_by_key(rank);
    let codes = languages.iter().map(|l| l.code).collect();
    Catalogues { languages, codes, problems }
}

/// The code of every language of the catalogues (`fr`, `nl`, `en`, then the others).
pub fn languages() -> &'static [&'static str] {
    &CATALOGUES.codes
}

fn language(code: &str) -> Option<&'static Language> {
    CATALOGUES.languages.iter().find(|l| l.code == code)
}

/// The text of message `id` in language `lang` (a code; else in English, else the id itself),
/// with `args` put in its `{ $name }` places.
pub fn text(lang: &str, id: &str, args: &[(&str, String)]) -> String {
    for l in [lang, "en"] {
        let Some(language) = language(l) else { continue };
        let Some(pattern) = language.bundle.get_message(id).and_then(|m| m.value()) else { continue };
        let mut values = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            // A whole number written plainly is a number to Fluent, so a message may choose its
            // plural form (`{ $count -> [one] … *[other] … }`); anything else is text as given.
            let value = match value.parse::<i64>() {
                Ok(n) if n.to_string() == *value => FluentValue::from(n),
                _ => FluentValue::from(value.as_str()),
            };
            values.set(*name, value);
        }
        // A missing argument is written as its name in braces, and reported by the catalogue
        // tests; a reader still gets the rest of the text.
        let mut errors = Vec::new();
        return language.bundle.format_pattern(pattern, Some(&values), &mut errors).into_owned();
    }
    id.to_owned()
}

/// Whether language `lang`'s own catalogue has message `id` (without falling back to English).
pub fn has(lang: &str, id: &str) -> bool {
    language(lang).is_some_and(|l| l.bundle.has_message(id))
}

/// The ids of language `lang`'s messages, by domain (file).
pub fn ids(lang: &str) -> BTreeMap<&'static str, Vec<String>> {
    language(lang).map(|l| l.ids.clone()).unwrap_or_default()
}

/// What could not be read in the catalogues; empty when they are sound (a test holds them to it).
pub fn problems() -> &'static [String] {
    &CATALOGUES.problems
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn every_catalogue_reads_cleanly() {
        assert!(problems().is_empty(), "{:#?}", problems());
        assert_eq!(&languages()[..3], &["fr", "nl", "en"]);
    }

    /// French and Dutch say everything English says; any other language says a part of it (the
    /// rest falls back to English), never a message English does not have. (Which values each
    /// message may use is checked against the code that gives them, in `tests/catalogues.rs`.)
    #[test]
    fn every_language_says_what_english_says() {
        let ids = |text: &str| -> BTreeSet<String> {
            let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(r, _)| r);
            resource
                .body
                .iter()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect()
        };
        let by = |code: &str| -> BTreeMap<&str, BTreeSet<String>> {
            FILES.iter().filter(|(c, _, _)| *c == code).map(|(_, d, t)| (*d, ids(t))).collect()
        };
        let en = by("en");
        assert!(!en.is_empty(), "no English catalogue");
        let codes: BTreeSet<&str> = FILES.iter().map(|(c, _, _)| *c).collect();
        for code in codes {
            let theirs = by(code);
            for (domain, messages) in &theirs {
                let Some(english) = en.get(domain) else {
                    panic!("`locales/{code}/{domain}.ftl` has no English counterpart");
                };
                for id in messages {
                    assert!(english.contains(id), "`{code}/{domain}.ftl`: `{id}` is not an English message");
                }
                if ["fr", "nl"].contains(&code) {
                    let missing: Vec<&String> = english.iter().filter(|id| !messages.contains(*id)).collect();
                    assert!(missing.is_empty(), "`{code}/{domain}.ftl` lacks {missing:?}");
                }
            }
            if ["fr", "nl"].contains(&code) {
                let missing: Vec<&&str> = en.keys().filter(|d| !theirs.contains_key(*d)).collect();
                assert!(missing.is_empty(), "`locales/{code}/` lacks {missing:?}");
            }
        }
    }

    #[test]
    fn a_text_falls_back_to_english_then_to_its_id() {
        assert_eq!(text("fr", "input-missing-field", &[]), "champ obligatoire manquant");
        assert_eq!(text("fr", "no-such-message", &[]), "no-such-message");
        let value = [("value", "x".to_owned())];
        assert_eq!(text("nl", "input-out-of-range", &value), "`x` valt buiten het bereik 1900–2200");
    }
}
