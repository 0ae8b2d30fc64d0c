//! Diagnostics about files users write (packs, parameters, scripts, models): what is wrong, where
//! (file, line, column) and how to fix it. Every loader and validator in the crate reports through
//! this one type so the CLI and the HTTP host render them the same way.

use std::fmt;

use serde::Serialize;

use crate::lang::Lang;

/// Most characters of a value a message may echo back.
pub const ECHO_MAX_CHARS: usize = 200;

/// A value the user sent, as a message may echo it: whole when short, otherwise its first
/// [`ECHO_MAX_CHARS`] characters, an ellipsis and its length in characters. A megabyte sent in
/// one field must not come back, or be logged, several times over.
pub fn clip(value: &str) -> String {
    match value.char_indices().nth(ECHO_MAX_CHARS) {
        None => value.to_owned(),
        Some((end, _)) => format!("{}… ({} chars)", &value[..end], value.chars().count()),
    }
}

/// A position in a source file. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Location {
    /// The file as the user named it (a path relative to where they ran the command, usually).
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1 (in characters).
    pub column: usize,
}

impl Location {
    /// A location in `file` at `line`:`column`.
    pub fn new(file: impl Into<String>, line: usize, column: usize) -> Self {
        Self { file: file.into(), line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// How bad a diagnostic is: errors stop a pack or model from being used, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// The file can be used, but probably does not say what its author meant.
    Warning,
}

/// A text a client or a Master reads, in whichever language they read: one or more messages of
/// the catalogues ([`crate::catalogue`]) with the values they put in their places. Build one with
/// [`said!`](crate::said); render it with [`Said::get`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Said {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// A value put in a message: a text as it is in every language, or another message, written in
/// the reader's language too (`action` / `actie` in "unknown action").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// The same in every language: a name, a number, a date.
    Text(String),
    /// A text of its own, in the reader's language.
    Said(Said),
}

/// What may be put in a message: anything written the same in every language, or a [`Said`].
pub trait ToArg {
    /// The value as a message's argument.
    fn to_arg(&self) -> Arg;
}

impl<T: fmt::Display + ?Sized> ToArg for T {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.to_string())
    }
}

impl ToArg for Said {
    fn to_arg(&self) -> Arg {
        Arg::Said(self.clone())
    }
}

impl ToArg for &Said {
    fn to_arg(&self) -> Arg {
        Arg::Said((*self).clone())
    }
}

impl Said {
    /// Message `id` of the catalogues with its arguments.
    pub fn msg(id: &'static str, args: Vec<(&'static str, Arg)>) -> Said {
        Said { parts: vec![Part { id, args }] }
    }

    /// The text in `lang` (English where `lang`'s catalogue lacks a message).
    pub fn get(&self, lang: Lang) -> String {
        let mut out = String::new();
        for part in &self.parts {
            let args: Vec<(&str, String)> = part
                .args
                .iter()
                .map(|(name, arg)| {
                    let value = match arg {
                        Arg::Text(t) => t.clone(),
                        Arg::Said(s) => s.get(lang),
                    };
                    (*name, value)
                })
                .collect();
            out.push_str(&crate::catalogue::text(lang.code(), part.id, &args));
        }
        out
    }

    /// The text in every language of the catalogues, by code (`{"fr": …, "nl": …, "en": …}`).
    pub fn everywhere(&self) -> std::collections::BTreeMap<String, String> {
        Lang::all().iter().map(|l| (l.code().to_owned(), self.get(*l))).collect()
    }

    /// Whether it says nothing.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Append `more`, in every language.
    pub fn push(&mut self, more: &Said) {
        self.parts.extend(more.parts.iter().cloned());
    }

    /// `did you mean `best`?` in each language: a help of its own.
    pub fn did_you_mean_help(best: &str) -> Said {
        crate::said!("base-did-you-mean", best)
    }

    /// ` (did you mean `best`?)` in each language, or nothing.
    pub fn did_you_mean(best: Option<&str>) -> Said {
        match best {
            None => Said::default(),
            Some(b) => crate::said!("base-did-you-mean-after", b),
        }
    }
}

/// A [`Said`]: message `id` of the catalogues, and the variables in scope that it puts in its
/// places, by name (`said!("models-unknown-role", role, path)` fills `{ $role }` and `{ $path }`).
#[macro_export]
macro_rules! said {
    ($id:literal $(, $arg:ident)* $(,)?) => {
        $crate::diag::Said::msg($id, vec![$((stringify!($arg), $crate::diag::ToArg::to_arg(&$arg))),*])
    };
}

/// A diagnostic's texts in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    message: Said,
    help: Option<Said>,
}

/// One problem found in a file the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, machine-readable code such as `pack.unknown-key` or `model.cycle`.
    pub code: &'static str,
    /// What is wrong, lowercase, with the user's input in backticks.
    pub message: String,
    /// Where, when the problem is tied to a place in a file. Boxed: most diagnostics of a JSON
    /// input have none, and a `Result` with a small error stays cheap to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Box<Location>>,
    /// Where, when the problem is tied to a value of a JSON input: its path (`people.manager`,
    /// `actions[2].done_on`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The message and help in every language, when the diagnostic has them: see
    /// [`Diagnostic::localized`]. `message` and `help` are English.
    #[serde(skip)]
    pub translated: Option<Box<Texts>>,
}

impl Diagnostic {
    /// A new error whose message is written in every language.
    pub fn error_said(code: &'static str, message: Said) -> Self {
        Self::error(code, String::new()).with_said(message)
    }

    /// A new warning whose message is written in every language.
    pub fn warning_said(code: &'static str, message: Said) -> Self {
        Self::warning(code, String::new()).with_said(message)
    }

    fn with_said(mut self, m: Said) -> Self {
        self.message = m.get(Lang::En);
        self.translated = Some(Box::new(Texts { message: m, help: None }));
        self
    }

    /// Attach a hint on how to fix the problem, in every language.
    #[must_use]
    pub fn help_said(mut self, help: Said) -> Self {
        self.set_help_said(help);
        self
    }

    /// Set the hint, in every language, on a diagnostic already made.
    pub fn set_help_said(&mut self, help: Said) {
        self.help = Some(help.get(Lang::En));
        if let Some(t) = &mut self.translated {
            t.help = Some(help);
        }
    }

    /// The message in `lang` (English when the diagnostic was written in English only).
    pub fn message_in(&self, lang: Lang) -> String {
        match &self.translated {
            Some(t) if lang != Lang::En => t.message.get(lang),
            _ => self.message.clone(),
        }
    }

    /// The diagnostic as a reader of `lang` sees it: its message and help in that language when
    /// it has them, in English otherwise.
    #[must_use]
    pub fn localized(&self, lang: Lang) -> Diagnostic {
        let mut d = self.clone();
        if let Some(t) = &self.translated
            && lang != Lang::En
        {
            d.message = self.message_in(lang);
            if let Some(help) = &t.help {
                d.help = Some(help.get(lang));
            }
        }
        d
    }

    /// A new error with a code and a message.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message.into())
    }

    /// A new warning with a code and a message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message.into())
    }

    fn new(severity: Severity, code: &'static str, message: String) -> Self {
        Self { severity, code, message, location: None, path: None, help: None, translated: None }
    }

    /// Attach the JSON path of the input value it is about.
    #[must_use]
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Attach a location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Attach a location when there is one.
    #[must_use]
    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        if let Some(location) = location {
            self.location = Some(Box::new(location));
        }
        self
    }

    /// Attach a hint on how to fix the problem.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{level}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Several diagnostics about one input, reported together so the user fixes everything in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// Every diagnostic as a reader of `lang` sees it (see [`Diagnostic::localized`]).
    #[must_use]
    pub fn localized(&self, lang: Lang) -> Diagnostics {
        Diagnostics(self.0.iter().map(|d| d.localized(lang)).collect())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

/// The closest of `candidates` to `input`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A name several times longer or shorter than another is no typo of it; skipping those also
    // keeps a megabyte-long unknown key from costing seconds of string comparison.
    let near = |c: &str| input.len() <= 3 * c.len() + 3 && c.len() <= 3 * input.len() + 3;
    candidates
        .into_iter()
        .filter(|c| near(c))
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_reads_in_each_language_and_falls_back_to_english() {
        let name = "x.yaml";
        let d = Diagnostic::error_said("t.code", crate::said!("base-empty", name))
            .help_said(crate::said!("base-save-file-as-utf-8"));
        assert_eq!(d.message, "`x.yaml` is empty");
        let fr = d.localized(Lang::Fr);
        assert_eq!(
            (fr.message.as_str(), fr.help.as_deref()),
            ("`x.yaml` est vide", Some("enregistrez le fichier en UTF-8"))
        );
        assert_eq!(d.localized(Lang::Nl).message, "`x.yaml` is leeg");
        assert_eq!(d.localized(Lang::En), d);
        // A diagnostic written in English only stays English.
        let plain = Diagnostic::error("t.code", "plain").help("help");
        assert_eq!(plain.localized(Lang::Fr).message, "plain");
        let mut m = crate::said!("base-empty", name);
        m.push(&Said::did_you_mean(Some("y.yaml")));
        assert_eq!(
            (m.get(Lang::En).as_str(), m.get(Lang::Fr).as_str()),
            ("`x.yaml` is empty (did you mean `y.yaml`?)", "`x.yaml` est vide (vouliez-vous dire `y.yaml` ?)")
        );
    }
}
