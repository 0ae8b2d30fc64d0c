//! What every part of the rules crate shares about an evaluation: which pack version ran it, the
//! options it ran with, its result, and why it failed.

use chrono::NaiveDate;
use missions_base::diag::Location;
use serde::Serialize;

use crate::schema::InputError;
use crate::template::Labels;
use missions_base::json::Output;

/// Identifies one loaded version of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackId {
    /// The pack's name (`norriq`).
    pub name: String,
    /// Its version as written in `pack.yaml`.
    pub version: String,
    /// The first day this version applies to.
    pub effective_from: NaiveDate,
    /// SHA-256 over every file of the pack: two loads with the same digest behave the same.
    pub digest: String,
}

/// Options for one evaluation.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// Record the rules that fired (`trace(…)` calls in scripts) in [`Evaluation::trace`].
    pub trace: bool,
}

/// The result of evaluating an entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The entry's output: JSON text, read as a [`serde_json::Value`] through
    /// [`Output::value`] or `*` (amounts as decimal strings).
    pub output: Output,
    /// The rules that fired, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<serde_json::Value>>,
}

/// Why an evaluation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The pack has no such entry.
    #[error("pack `{pack}` has no entry `{entry}`{}", suggestion_text(.suggestion, .available))]
    UnknownEntry {
        /// The pack.
        pack: String,
        /// The entry asked for.
        entry: String,
        /// The entries the pack has.
        available: Vec<String>,
        /// The closest entry name, if the name looks misspelt.
        suggestion: Option<String>,
    },
    /// The input does not match the entry's schema.
    #[error("invalid input: {}", join_input(.0))]
    Input(Vec<InputError>),
    /// The rules refused the request (for example an EU client without a VAT number).
    #[error("{}{}", .path.as_ref().map(|p| format!("`{p}`: ")).unwrap_or_default(), .message.get("en").cloned().unwrap_or_else(|| .code.clone()))]
    Rule {
        /// The input field the refusal is about, when there is one.
        path: Option<String>,
        /// A stable code for the refusal (`eu_client_without_vat_number`).
        code: String,
        /// The message in each of the pack's languages.
        message: Labels,
    },
    /// The script hit a sandbox limit.
    #[error("limit exceeded: {what}")]
    Limit {
        /// Which limit (`max_operations`, `max_call_levels`, `max_string_size` …).
        limit: &'static str,
        /// What happened, in words.
        what: String,
    },
    /// The script failed (a bug in the pack, not in the input).
    #[error("script error{}: {message}", .location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default())]
    Script {
        /// Where in the script.
        location: Option<Location>,
        /// What went wrong.
        message: String,
    },
    /// The script returned something that cannot be turned into the output JSON.
    #[error("invalid output at `{path}`: {message}")]
    Output {
        /// Where in the output.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No version of the pack is in force on the requested date.
    #[error("no version of pack `{pack}` is in force on {date}")]
    NoVersion {
        /// The pack.
        pack: String,
        /// The date asked for.
        date: NaiveDate,
    },
    /// An adjuster (a plugin) refused, failed, or proposed changes the engine cannot apply.
    #[error("plugin `{plugin}`: {} ({code})", .message.get("en").map_or("", String::as_str))]
    Plugin {
        /// The plugin's name.
        plugin: String,
        /// A stable code (`plugin.deadline`, `plugin.invalid_output`, or the plugin's own).
        code: String,
        /// What went wrong and how to fix it, in fr, nl and en.
        message: Labels,
    },
}

fn suggestion_text(s: &Option<String>, available: &[String]) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => format!(" (entries: {})", available.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")),
    }
}

fn join_input(errs: &[InputError]) -> String {
    errs.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl EvalError {
    /// A stable kind, for programs: `unknown_entry`, `input`, `rule`, `limit`, `script`, `output`, `no_version`,
    /// `plugin`.
    pub fn kind(&self) -> &'static str {
        match self {
            EvalError::UnknownEntry { .. } => "unknown_entry",
            EvalError::Input(_) => "input",
            EvalError::Rule { .. } => "rule",
            EvalError::Limit { .. } => "limit",
            EvalError::Script { .. } => "script",
            EvalError::Output { .. } => "output",
            EvalError::NoVersion { .. } => "no_version",
            EvalError::Plugin { .. } => "plugin",
        }
    }

    /// The error as a JSON object, with messages in fr, nl and en where a client may read them.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let mut v = json!({"kind": self.kind(), "message": self.to_string()});
        match self {
            EvalError::Input(errs) => {
                v["errors"] = errs
                    .iter()
                    .map(|e| {
                        let mut o = serde_json::to_value(e).unwrap_or_default();
                        o["messages"] = json!({"fr": e.problem.message("fr"), "nl": e.problem.message("nl"), "en": e.problem.message("en")});
                        o
                    })
                    .collect();
            }
            EvalError::Rule { path, code, message } => {
                v["path"] = json!(path);
                v["code"] = json!(code);
                v["messages"] = json!(message);
            }
            EvalError::Limit { limit, .. } => v["limit"] = json!(limit),
            EvalError::Script { location: Some(l), .. } => v["location"] = json!(l),
            EvalError::Output { path, .. } => v["path"] = json!(path),
            EvalError::Plugin { plugin, code, message } => {
                v["plugin"] = json!(plugin);
                v["code"] = json!(code);
                v["messages"] = json!(message);
            }
            _ => {}
        }
        v
    }
}
