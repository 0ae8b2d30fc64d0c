//! `missions test --update`: accept the outputs of a pack as the new expectations of its failing
//! cases, by rewriting only the expected values that changed. The rest of the file (comments,
//! order, quoting, layout) stays byte for byte as written.
//!
//! It is deliberately narrow. A case is rewritten only when an output came where one was
//! expected and every differing field is a scalar for a scalar. An error where an output was
//! expected (or the reverse), a field the output no longer has, a list of another length, and a
//! value written over several lines are left for a person, with the reason. Nothing is ever
//! added. Before the file is replaced, the new text is run again: the rewritten cases must pass
//! and every other case must keep its result, or nothing is written. So a second run changes
//! nothing.

use std::path::{Path, PathBuf};

use serde::Serialize;

use missions_base::diag::{Diagnostic, Location};
use missions_base::value::Node;
use missions_base::yaml::{Quoting, ScalarSpan, SourceText, YamlLimits, scalar_spans, splice};

use super::{CaseFileReport, CaseFilter, FieldDiff, MAX_CASE_FILE_BYTES, run_source};
use crate::pack::Pack;

/// What `--update` did with one failing case.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CaseUpdate {
    /// The case's name.
    pub name: String,
    /// Where it is written.
    pub location: Location,
    /// The fields whose expected values were (or would have been) replaced.
    pub fields: Vec<FieldDiff>,
    /// `None` when the case was rewritten; otherwise why it was left as it is.
    pub left_because: Option<String>,
}

/// What `--update` did with one case file.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FileUpdate {
    /// The case file.
    pub file: PathBuf,
    /// Its failing cases, rewritten or left.
    pub cases: Vec<CaseUpdate>,
}

impl FileUpdate {
    /// How many cases were rewritten.
    pub fn rewritten(&self) -> usize {
        self.cases.iter().filter(|c| c.left_because.is_none()).count()
    }
}

/// Rewrite the expected values of the failing cases of `report` to the outputs they got.
/// `report` is a run of `pack` over one case file with `filter`; cases the filter left out are
/// not touched.
pub fn update_case_file(
    pack: &Pack,
    report: &CaseFileReport,
    filter: CaseFilter<'_>,
) -> Result<FileUpdate, Diagnostic> {
    let file = &report.file;
    let mut out = FileUpdate { file: file.clone(), cases: Vec::new() };
    if report.failed() == 0 {
        return Ok(out);
    }
    let src = SourceText::read(file, MAX_CASE_FILE_BYTES)?;
    let spans = scalar_spans(&src, YamlLimits::default())?;
    let mut edits: Vec<(ScalarSpan, String)> = Vec::new();
    for case in report.cases.iter().filter(|c| c.failure.is_some()) {
        let mut update = CaseUpdate {
            name: case.name.clone(),
            location: case.location.clone(),
            fields: case.diffs.clone(),
            left_because: None,
        };
        let mut planned = Vec::new();
        if let Some(why) = not_replaceable(case) {
            update.left_because = Some(why);
        } else {
            for d in &case.diffs {
                let sep = if d.path.is_empty() || d.path.starts_with('[') { "" } else { "." };
                let at = format!("cases[{}].expect{sep}{}", case.index, d.path);
                match (spans.get(&at), &d.replacement) {
                    (Some(span), Some(value)) => planned.push((*span, render(value, span.quoting))),
                    _ => {
                        update.left_because = Some(format!(
                            "`{}` is written over several lines: change it by hand",
                            if d.path.is_empty() { "expect" } else { &d.path }
                        ));
                        break;
                    }
                }
            }
        }
        if update.left_because.is_none() {
            edits.extend(planned);
        }
        out.cases.push(update);
    }
    if edits.is_empty() {
        return Ok(out);
    }
    let text = splice(&src.text, edits);
    verify(pack, report, &out, filter, &src.name, text.clone())?;
    write_atomically(file, &text)
        .map_err(|e| Diagnostic::error("file.unwritable", format!("cannot write `{}`: {e}", file.display())))?;
    Ok(out)
}

/// Why a failing case cannot be rewritten from its output, if it cannot.
fn not_replaceable(case: &super::CaseResult) -> Option<String> {
    if case.replaceable() {
        return None;
    }
    let Some(d) = case.diffs.iter().find(|d| d.replacement.is_none()) else {
        let why = case.failure.as_deref().unwrap_or("it failed");
        return Some(format!("{why}: only a person can decide whether that is intended"));
    };
    Some(format!("{d}: change the expectation by hand, nothing is added or removed automatically"))
}

/// The YAML text of a new expected value, in the quoting the old one was written in when that
/// still reads back as the same value.
fn render(value: &serde_json::Value, quoting: Quoting) -> String {
    let serde_json::Value::String(s) = value else {
        // Numbers, booleans and null compare with plain scalars only.
        return value.to_string();
    };
    match quoting {
        Quoting::Plain if plain_safe(s) => s.clone(),
        Quoting::Single if !s.contains(['\n', '\r']) => format!("'{}'", s.replace('\'', "''")),
        _ => value.to_string(),
    }
}

/// Whether `s` written plain, in a block or a flow collection, reads back as the same text.
fn plain_safe(s: &str) -> bool {
    let numeric = matches!(Node::from_plain_scalar(s), Node::Number(_));
    let reads_as_text = numeric || matches!(Node::from_plain_scalar(s), Node::Str(_));
    let indicator =
        s.starts_with(['-', '?', ':', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']);
    reads_as_text
        && !s.is_empty()
        && s.trim() == s
        && (numeric || !indicator)
        && !s.contains([',', '[', ']', '{', '}', '\n', '\r', '\t'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
}

/// Run the new text: the rewritten cases must pass and every other case keep its result.
fn verify(
    pack: &Pack,
    before: &CaseFileReport,
    update: &FileUpdate,
    filter: CaseFilter<'_>,
    name: &str,
    text: String,
) -> Result<(), Diagnostic> {
    let unsafe_update = |why: String| {
        Diagnostic::error("cases.update-refused", format!("`{name}` was not changed: {why}"))
            .help("change the expected values of this file by hand")
    };
    let after = run_source(pack, &before.file, &SourceText::new(name, text), filter)?;
    for (old, new) in before.cases.iter().zip(&after.cases) {
        let rewritten = update.cases.iter().any(|c| c.location == old.location && c.left_because.is_none());
        let expected = if rewritten { None } else { old.failure.as_ref() };
        if new.failure.as_ref() != expected {
            return Err(unsafe_update(format!("case `{}` would not give the same result after the rewrite", old.name)));
        }
    }
    if before.cases.len() != after.cases.len() {
        return Err(unsafe_update("the rewrite changed the number of cases".into()));
    }
    Ok(())
}

fn write_atomically(file: &Path, text: &str) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(file) {
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.persist(file).map(drop).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn new_values_keep_the_quoting_they_were_written_in() {
        assert_eq!(render(&json!("36.00"), Quoting::Plain), "36.00");
        assert_eq!(render(&json!("-3.50"), Quoting::Plain), "-3.50");
        assert_eq!(render(&json!("2027-01-01"), Quoting::Plain), "2027-01-01");
        assert_eq!(render(&json!("21"), Quoting::Double), "\"21\"");
        assert_eq!(render(&json!("l'été"), Quoting::Single), "'l''été'");
        assert_eq!(render(&json!(4), Quoting::Double), "4");
        assert_eq!(render(&json!(true), Quoting::Plain), "true");
    }

    #[test]
    fn text_that_would_read_back_otherwise_is_quoted() {
        for s in ["true", "null", "a: b", "x # y", "[1]", "- item", "", " padded", "a,b", "*ref", "line\nbreak"] {
            assert!(render(&json!(s), Quoting::Plain).starts_with('"'), "{s:?} must be quoted");
        }
    }
}
