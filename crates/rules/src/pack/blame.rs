//! Which input field a calculation out of range is about. The calculation reports what
//! overflowed (`9223372036854775807 * 12`, an instant in UTC), not the field it came from; the
//! client needs the field.

use missions_base::value::Node;

use crate::error::EvalError;
use crate::schema::InputProblem;

/// Integer digits from which a number is beyond any business quantity, and the likely cause of an
/// overflow whose report does not quote it (it was scaled first).
const HUGE_DIGITS: usize = 16;

/// Tie each calculation out of range in `err` to the input field that caused it: the field whose
/// value the report quotes, else the input's one number past [`HUGE_DIGITS`] digits (the
/// largest). Left on the whole input when neither applies.
pub(super) fn blame(err: EvalError, input: &Node) -> EvalError {
    let EvalError::Input(mut errors) = err else { return err };
    for e in &mut errors {
        if let (true, InputProblem::OutOfBounds { detail }) = (e.path.is_empty(), &e.problem)
            && let Some(path) = quoted(input, detail).or_else(|| huge_number(input))
        {
            e.path = path;
        }
    }
    EvalError::Input(errors)
}

/// Visit every scalar of `node` with its path, in document order.
fn leaves(node: &Node, path: &mut String, visit: &mut impl FnMut(&str, &str)) {
    match node {
        Node::Number(t) | Node::Float(t) | Node::Str(t) => visit(path, t),
        Node::List(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                leaves(v, path, visit);
                path.truncate(len);
            }
        }
        Node::Map(entries) => {
            for (k, v) in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                leaves(v, path, visit);
                path.truncate(len);
            }
        }
        Node::Null | Node::Bool(_) => {}
    }
}

/// The first field whose value (or, for an instant, its UTC form) the report quotes.
fn quoted(input: &Node, detail: &str) -> Option<String> {
    let found = |text: &str| text.len() >= 4 && detail.contains(text);
    let mut hit = None;
    leaves(input, &mut String::new(), &mut |path, text| {
        if hit.is_some() {
            return;
        }
        let utc = chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string());
        if found(text) || utc.as_deref().is_some_and(found) {
            hit = Some(path.to_owned());
        }
    });
    hit
}

/// The number with the most integer digits, when it has at least [`HUGE_DIGITS`].
fn huge_number(input: &Node) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    leaves(input, &mut String::new(), &mut |path, text| {
        let int = text.trim_start_matches(['-', '+']).split(['.', 'e', 'E']).next().unwrap_or("");
        let digits = int.trim_start_matches('0').len();
        if !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && digits >= HUGE_DIGITS
            && best.as_ref().is_none_or(|(d, _)| digits > *d)
        {
            best = Some((digits, path.to_owned()));
        }
    });
    best.map(|(_, path)| path)
}
