//! A decoder's error as a located diagnostic in every language, with a "did you mean" for an
//! unknown key and every quoted value clipped.

use super::{DecodeError, SourceText};
use crate::diag::{Diagnostic, Said, did_you_mean};

/// Turn a decoding error into a located diagnostic, with a "did you mean" for unknown keys.
pub fn located(src: &SourceText, e: &DecodeError) -> Diagnostic {
    let full = e.to_string();
    // The decoder appends " at line L column C" to its message; the location is carried separately.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full.clone(),
    };
    let code = if message.contains("unknown field `") {
        "yaml.unknown-key"
    } else if message.contains("missing field `") {
        "yaml.missing-key"
    } else {
        "yaml.invalid"
    };
    let message = clip_quoted(&message);
    let mut d = Diagnostic::error_said(code, said_decode_error(code, &message));
    if let Some(loc) = e.location() {
        d = d.at(src.location(loc.line(), loc.column()));
    }
    if code == "yaml.unknown-key" {
        if let Some(help) = unknown_key_help(&message) {
            d = d.help_said(help);
        }
    } else if code == "yaml.missing-key" {
        d = d.help_said(crate::said!("base-add-key-see-documentation-this"));
    }
    d
}

/// The decoder's message in each language: English as the decoder wrote it; in French and Dutch
/// its frame translated, the details (types, names) as the decoder wrote them.
fn said_decode_error(code: &str, message: &str) -> Said {
    let first = message.split('`').nth(1).unwrap_or("");
    match code {
        "yaml.unknown-key" => crate::said!("base-yaml-unknown-key", message, first),
        "yaml.missing-key" => crate::said!("base-yaml-missing-key", message, first),
        _ => crate::said!("base-yaml-invalid-value", message),
    }
}

/// The decoder quotes the value it could not type (`invalid type: string "…"`), which may be a
/// whole file: clip every quoted part.
pub(super) fn clip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        // The quoted text ends at the next `"` not escaped by a backslash.
        let mut escaped = false;
        let close = after.char_indices().find(|&(_, c)| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        });
        match close {
            Some((i, _)) => {
                out.push_str(&crate::diag::clip(&after[..i]));
                out.push('"');
                rest = &after[i + 1..];
            }
            None => {
                out.push_str(&crate::diag::clip(after));
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// serde's message reads: unknown field `x`, expected one of `a`, `b` (or: expected `a` or `b`).
fn unknown_key_help(message: &str) -> Option<Said> {
    let mut ticks = message.split('`').skip(1).step_by(2);
    let unknown = ticks.next()?;
    let expected: Vec<&str> = ticks.collect();
    if expected.is_empty() {
        return Some(crate::said!("base-remove-this-key-this-place"));
    }
    Some(match did_you_mean(unknown, expected.iter().copied()) {
        Some(best) => Said::did_you_mean_help(best),
        None => {
            let keys = expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            crate::said!("base-keys-allowed-here-are", keys)
        }
    })
}
