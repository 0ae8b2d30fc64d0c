//! What is wrong with one value of an input or parameter file, with its message in fr, nl and en.

use std::fmt;

use serde::Serialize;

use crate::diag::{Diagnostic, Said};
use crate::lang::Lang;
use crate::said;

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

    /// The problem in one language (a code of the catalogues; anything else gives English).
    pub fn message(&self, lang: &str) -> String {
        self.said().get(Lang::from_code(lang).unwrap_or(Lang::En))
    }

    /// The problem in every language of the catalogues (`locales/*/input.ftl`).
    pub fn said(&self) -> Said {
        use InputProblem as P;
        match self {
            P::UnknownField { suggestion: Some(suggestion) } => said!("input-unknown-field-suggestion", suggestion),
            P::UnknownField { suggestion: None } => said!("input-unknown-field"),
            P::MissingField => said!("input-missing-field"),
            P::WrongType { expected, found } => {
                let (expected, found) = (kind(expected), kind(found));
                said!("input-wrong-type", expected, found)
            }
            P::NotOneOf { value, allowed } => {
                let allowed = allowed.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
                said!("input-not-one-of", value, allowed)
            }
            P::Malformed { value, expected, example } => {
                let valid = valid(expected);
                said!("input-malformed", value, valid, example)
            }
            P::TooSmall { value, min, exclusive: true } => said!("input-too-small-exclusive", value, min),
            P::TooSmall { value, min, .. } => said!("input-too-small", value, min),
            P::TooLarge { value, max } => said!("input-too-large", value, max),
            P::BadLength { len, min, max: Some(max) } => said!("input-bad-length", len, min, max),
            P::BadLength { len, min, max: None } => said!("input-bad-length-unbounded", len, min),
            P::OutOfRange { value } => said!("input-out-of-range", value),
            P::TooEarly { value, after, bound } => said!("input-too-early", value, after, bound),
            P::OutOfBounds { detail } => said!("input-out-of-bounds", detail),
        }
    }
}

/// A kind of value as the checker names it in English (`a decimal string`), in every language.
fn kind(k: &str) -> Said {
    match k {
        "a decimal string" => said!("input-kind-decimal-string"),
        "an integer" => said!("input-kind-integer"),
        "a string" => said!("input-kind-string"),
        "a boolean" => said!("input-kind-boolean"),
        "a list" => said!("input-kind-list"),
        "an object" => said!("input-kind-object"),
        "a number" => said!("input-kind-number"),
        "a date string" => said!("input-kind-date-string"),
        "an instant string" => said!("input-kind-instant-string"),
        "a value" => said!("input-kind-value"),
        other => said!("input-kind-other", other),
    }
}

/// "a valid X", as each language says that a value is not one.
fn valid(k: &str) -> Said {
    match k {
        "date" => said!("input-valid-date"),
        "instant" => said!("input-valid-instant"),
        "decimal" => said!("input-valid-decimal"),
        "integer" => said!("input-valid-integer"),
        "ISO 3166-1 alpha-2 country code" => said!("input-valid-country"),
        "VAT number" => said!("input-valid-vat-number"),
        other => said!("input-valid-other", other),
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
        let (path, problem) = (&self.path, self.problem.said());
        let said = if path.is_empty() { problem } else { said!("input-at-path", path, problem) };
        Diagnostic::error_said(self.problem.code(), said).at_path(self.path.clone())
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("en"))
    }
}
