//! What is wrong with one value of an input or parameter file, with its message in fr, nl and en.

use std::fmt;

use serde::Serialize;

use crate::diag::{Diagnostic, Said};

/// What is wrong with one value of an input or parameter file. Rendered in fr, nl and en, since
/// a client of the host may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum InputProblem {
    /// A field the schema does not have.
    UnknownField {
        /// The closest known field, when the name looks like a typo.
        suggestion: Option<String>,
    },
    /// A required field is absent.
    MissingField,
    /// The value has the wrong JSON type.
    WrongType {
        /// What the schema wants (`a decimal string`, `an integer` …).
        expected: String,
        /// What was given.
        found: String,
    },
    /// The value is not one of an enumeration.
    NotOneOf {
        /// The value given.
        value: String,
        /// The values allowed.
        allowed: Vec<String>,
    },
    /// A string that should be a date, an instant or a decimal and is not.
    Malformed {
        /// The value given.
        value: String,
        /// What it should be.
        expected: String,
        /// A correct example.
        example: String,
    },
    /// A number below its minimum.
    TooSmall {
        /// The value given.
        value: String,
        /// The smallest allowed (or the bound to exceed, with `exclusive`).
        min: String,
        /// Whether the value must be strictly greater than `min`.
        exclusive: bool,
    },
    /// A number above its maximum.
    TooLarge {
        /// The value given.
        value: String,
        /// The largest allowed.
        max: String,
    },
    /// A list or string outside its size bounds.
    BadLength {
        /// The length given.
        len: usize,
        /// The smallest allowed.
        min: usize,
        /// The largest allowed.
        max: Option<usize>,
    },
    /// A date or instant outside 1900–2200.
    OutOfRange {
        /// The value given.
        value: String,
    },
    /// An instant earlier than one it must follow (`opened`, the previous event).
    TooEarly {
        /// The value given.
        value: String,
        /// The field it must not precede (`opened`, `events[2].at`).
        after: String,
        /// That field's value.
        bound: String,
    },
    /// A value the schema accepts but that takes a calculation of the rules out of range: an
    /// integer overflow, a date past 2200, a division by zero.
    OutOfBounds {
        /// What overflowed, as the calculation reports it.
        detail: String,
    },
}

impl InputProblem {
    /// Its diagnostic code: `input.unknown-field`, `input.missing-field`, `input.not-one-of`, or
    /// `input.invalid` for a value of the wrong kind or out of its bounds.
    pub fn code(&self) -> &'static str {
        match self {
            InputProblem::UnknownField { .. } => "input.unknown-field",
            InputProblem::MissingField => "input.missing-field",
            InputProblem::NotOneOf { .. } => "input.not-one-of",
            _ => "input.invalid",
        }
    }

    /// The problem in one language (`fr`, `nl` or `en`; anything else gives English).
    pub fn message(&self, lang: &str) -> String {
        use InputProblem as P;
        let list = |v: &[String]| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        match (lang, self) {
            ("fr", P::UnknownField { suggestion: Some(s) }) => format!("champ inconnu (vouliez-vous dire `{s}` ?)"),
            ("fr", P::UnknownField { suggestion: None }) => "champ inconnu".into(),
            ("fr", P::MissingField) => "champ obligatoire manquant".into(),
            ("fr", P::WrongType { expected, found }) => {
                format!("attendu {}, reçu {}", fr_kind(expected), fr_kind(found))
            }
            ("fr", P::NotOneOf { value, allowed }) => format!("`{value}` ne fait pas partie de {}", list(allowed)),
            ("fr", P::Malformed { value, expected, example }) => {
                format!("`{value}` n'est pas {} valide (exemple : `{example}`)", fr_kind(expected))
            }
            ("fr", P::TooSmall { value, min, exclusive: true }) => format!("`{value}` doit être supérieur à {min}"),
            ("fr", P::TooSmall { value, min, .. }) => format!("`{value}` doit être au moins {min}"),
            ("fr", P::TooLarge { value, max }) => format!("`{value}` doit être au plus {max}"),
            ("fr", P::BadLength { len, min, max }) => {
                format!("longueur {len} hors des limites ({min} à {})", max.map_or("∞".into(), |m| m.to_string()))
            }
            ("fr", P::OutOfRange { value }) => format!("`{value}` est hors de la plage 1900–2200"),
            ("fr", P::TooEarly { value, after, bound }) => {
                format!("`{value}` est antérieur à `{after}` ({bound}) : les instants doivent se suivre")
            }
            ("fr", P::OutOfBounds { detail }) => format!("cette valeur mène un calcul hors limites ({detail})"),
            ("nl", P::UnknownField { suggestion: Some(s) }) => format!("onbekend veld (bedoelde u `{s}`?)"),
            ("nl", P::UnknownField { suggestion: None }) => "onbekend veld".into(),
            ("nl", P::MissingField) => "verplicht veld ontbreekt".into(),
            ("nl", P::WrongType { expected, found }) => {
                format!("verwacht {}, gekregen {}", nl_kind(expected), nl_kind(found))
            }
            ("nl", P::NotOneOf { value, allowed }) => format!("`{value}` is niet een van {}", list(allowed)),
            ("nl", P::Malformed { value, expected, example }) => {
                format!("`{value}` is {} (voorbeeld: `{example}`)", nl_not_valid(expected))
            }
            ("nl", P::TooSmall { value, min, exclusive: true }) => format!("`{value}` moet groter zijn dan {min}"),
            ("nl", P::TooSmall { value, min, .. }) => format!("`{value}` moet minstens {min} zijn"),
            ("nl", P::TooLarge { value, max }) => format!("`{value}` mag hoogstens {max} zijn"),
            ("nl", P::BadLength { len, min, max }) => {
                format!("lengte {len} buiten de grenzen ({min} tot {})", max.map_or("∞".into(), |m| m.to_string()))
            }
            ("nl", P::OutOfRange { value }) => format!("`{value}` valt buiten het bereik 1900–2200"),
            ("nl", P::TooEarly { value, after, bound }) => {
                format!("`{value}` ligt vóór `{after}` ({bound}): de tijdstippen moeten elkaar opvolgen")
            }
            ("nl", P::OutOfBounds { detail }) => {
                format!("deze waarde brengt een berekening buiten de grenzen ({detail})")
            }
            (_, P::UnknownField { suggestion: Some(s) }) => format!("unknown field (did you mean `{s}`?)"),
            (_, P::UnknownField { suggestion: None }) => "unknown field".into(),
            (_, P::MissingField) => "missing required field".into(),
            (_, P::WrongType { expected, found }) => format!("expected {expected}, found {found}"),
            (_, P::NotOneOf { value, allowed }) => format!("`{value}` is not one of {}", list(allowed)),
            (_, P::Malformed { value, expected, example }) => {
                format!("`{value}` is not a valid {expected} (example: `{example}`)")
            }
            (_, P::TooSmall { value, min, exclusive: true }) => format!("`{value}` must be greater than {min}"),
            (_, P::TooSmall { value, min, .. }) => format!("`{value}` must be at least {min}"),
            (_, P::TooLarge { value, max }) => format!("`{value}` must be at most {max}"),
            (_, P::BadLength { len, min, max }) => {
                format!("length {len} is outside {min}..{}", max.map_or("".into(), |m| m.to_string()))
            }
            (_, P::OutOfRange { value }) => format!("`{value}` is outside the supported range 1900–2200"),
            (_, P::TooEarly { value, after, bound }) => {
                format!("`{value}` is earlier than `{after}` ({bound}): the instants must follow one another")
            }
            (_, P::OutOfBounds { detail }) => format!("this value takes a calculation out of range ({detail})"),
        }
    }
}

pub(super) fn fr_kind(k: &str) -> &str {
    match k {
        "a decimal string" => "un décimal en texte",
        "an integer" => "un entier",
        "a string" => "un texte",
        "a boolean" => "un booléen",
        "a list" => "une liste",
        "an object" => "un objet",
        "a number" => "un nombre",
        "null" => "null",
        "date" => "une date",
        "instant" => "un instant",
        "decimal" => "un décimal",
        "integer" => "un entier",
        "ISO 3166-1 alpha-2 country code" => "un code pays ISO 3166-1 alpha-2",
        "VAT number" => "un numéro de TVA",
        other => other,
    }
}

/// "not a valid X" in Dutch: the adjective agrees with the noun (`geldige datum`, `geldig tijdstip`).
pub(super) fn nl_not_valid(k: &str) -> String {
    match k {
        "date" => "geen geldige datum".into(),
        "instant" => "geen geldig tijdstip".into(),
        "decimal" => "geen geldig decimaal getal".into(),
        "integer" => "geen geldig geheel getal".into(),
        "ISO 3166-1 alpha-2 country code" => "geen geldige ISO 3166-1 alpha-2-landcode".into(),
        "VAT number" => "geen geldig btw-nummer".into(),
        other => format!("geen geldige {other}"),
    }
}

pub(super) fn nl_kind(k: &str) -> &str {
    match k {
        "a decimal string" => "een decimaal getal als tekst",
        "an integer" => "een geheel getal",
        "a string" => "een tekst",
        "a boolean" => "een booleaanse waarde",
        "a list" => "een lijst",
        "an object" => "een object",
        "a number" => "een getal",
        "null" => "null",
        "date" => "datum",
        "instant" => "tijdstip",
        "decimal" => "decimaal getal",
        "ISO 3166-1 alpha-2 country code" => "ISO 3166-1 alpha-2-landcode",
        "VAT number" => "btw-nummer",
        other => other,
    }
}

/// One problem with one value, at a JSON path such as `work[0].start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// Where: a JSON path (`client.country`, `work[0].start`); empty for the document itself.
    pub path: String,
    /// What.
    #[serde(flatten)]
    pub problem: InputProblem,
}

impl InputError {
    /// The problem with its path, in one language (`fr`, `nl` or `en`).
    pub fn message(&self, lang: &str) -> String {
        match self.path.is_empty() {
            true => self.problem.message(lang),
            false => format!("`{}`: {}", self.path, self.problem.message(lang)),
        }
    }

    /// As a diagnostic, for callers that report input problems beside others (a mission that does
    /// not fit its model): its code, its path, and its message in fr, nl and en.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let said = Said { en: self.message("en"), fr: self.message("fr"), nl: self.message("nl") };
        Diagnostic::error_said(self.problem.code(), said).at_path(self.path.clone())
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("en"))
    }
}
