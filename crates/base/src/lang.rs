//! The languages the engine writes user-facing texts in: those its message catalogues have
//! (`locales/<code>/`, see [`crate::catalogue`]). Belgium's French and Dutch, and English, are
//! always there; another language is added as data, by its catalogue files.

use std::fmt;
use std::sync::LazyLock;

/// The languages of the catalogues.
static LANGUAGES: LazyLock<Vec<Lang>> =
    LazyLock::new(|| crate::catalogue::languages().iter().map(|&code| Lang(code)).collect());

/// A language for user-facing texts: one the message catalogues have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(&'static str);

#[allow(non_upper_case_globals)]
impl Lang {
    /// French (`fr`).
    pub const Fr: Lang = Lang("fr");
    /// Dutch (`nl`).
    pub const Nl: Lang = Lang("nl");
    /// English (`en`), the language every catalogue falls back to.
    pub const En: Lang = Lang("en");

    /// The ISO 639-1 code: `fr`, `nl`, `en`, `de` …
    pub const fn code(self) -> &'static str {
        self.0
    }

    /// The language with this ISO 639-1 code (exact, lowercase), if the catalogues have it.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::all().iter().copied().find(|lang| lang.code() == code)
    }

    /// Every language of the catalogues: French, Dutch and English first, then the others in
    /// the order of their codes.
    pub fn all() -> &'static [Lang] {
        &LANGUAGES
    }

    /// The languages as their codes, for a message listing them (`fr, nl, en, de`).
    pub fn listed() -> String {
        Lang::all().iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Lang::from_code(&code).ok_or_else(|| {
            serde::de::Error::custom(format!("`{code}` is not a language of the catalogues ({})", Lang::listed()))
        })
    }
}
