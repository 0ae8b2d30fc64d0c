//! The languages the engine writes user-facing labels in: Belgium's French and Dutch, plus English.

use std::fmt;

/// A language for user-facing labels (holiday names, and elsewhere in the engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French (`fr`).
    Fr,
    /// Dutch (`nl`).
    Nl,
    /// English (`en`).
    En,
}

impl Lang {
    /// Every language, in the order French, Dutch, English.
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];

    /// The ISO 639-1 code: `fr`, `nl` or `en`.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language with this ISO 639-1 code (exact, lowercase), if it is one of ours.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
