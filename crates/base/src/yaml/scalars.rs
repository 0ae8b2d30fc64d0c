//! Where each scalar of a YAML document is written, byte for byte, so that a tool can rewrite one
//! value and keep everything else of the file as its author wrote it: comments, key order,
//! quoting and layout (`missions test --update` rewrites expected amounts this way).
//!
//! Only scalars written on one line get a span: a block scalar (`|`, `>`) or a quoted or plain
//! scalar folded over several lines is left out, and a tool must say it cannot rewrite it.

use std::collections::HashMap;

use yaml_rust2::scanner::TScalarStyle;

use super::{Ignore, Pos, SourceText, YamlLimits, check_size, index_into};
use crate::diag::Diagnostic;

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// `35.00`, `nav`.
    Plain,
    /// `'it''s'`.
    Single,
    /// `"P1"`.
    Double,
}

/// A scalar written on one line: its bytes are `text[start..end]`, quotes included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalarSpan {
    /// Byte offset of its first character (the opening quote of a quoted scalar).
    pub start: usize,
    /// Byte offset just past its last character (past the closing quote).
    pub end: usize,
    /// How it is written.
    pub quoting: Quoting,
}

/// The span of every one-line scalar value of `src`, by the paths [`super::SpanIndex`] uses
/// (`cases[3].expect.lines[1].amount`). Mapping keys are not included.
pub fn scalar_spans(src: &SourceText, limits: YamlLimits) -> Result<HashMap<String, ScalarSpan>, Diagnostic> {
    check_size(src, limits)?;
    let indexer = index_into(src, limits, &mut Ignore, Some(HashMap::new()))?;
    let line_starts: Vec<usize> = std::iter::once(0).chain(src.text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let mut spans = HashMap::new();
    for (path, (pos, style, value)) in indexer.scalars.unwrap_or_default() {
        if let Some(span) = span_of(&src.text, &line_starts, pos, style, &value) {
            spans.insert(path, span);
        }
    }
    Ok(spans)
}

fn span_of(text: &str, line_starts: &[usize], pos: Pos, style: TScalarStyle, value: &str) -> Option<ScalarSpan> {
    let line_start = *line_starts.get(pos.line.checked_sub(1)?)?;
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let col = line.char_indices().nth(pos.column.checked_sub(1)?).map(|(i, _)| i)?;
    let rest = &line[col..];
    let (len, quoting) = match style {
        // A plain scalar on one line is its value verbatim; a folded one is not, and is left out.
        TScalarStyle::Plain => (rest.starts_with(value).then_some(value.len())?, Quoting::Plain),
        TScalarStyle::SingleQuoted => (closing(rest, '\'')?, Quoting::Single),
        TScalarStyle::DoubleQuoted => (closing(rest, '"')?, Quoting::Double),
        _ => return None,
    };
    Some(ScalarSpan { start: line_start + col, end: line_start + col + len, quoting })
}

/// `text` with each span replaced by its new text (written as YAML, quotes included), and
/// everything else kept byte for byte. Spans come from [`scalar_spans`] of `text`.
pub fn splice<S: AsRef<str>>(text: &str, mut edits: Vec<(ScalarSpan, S)>) -> String {
    // From the end, so each span's offsets still hold when it is replaced.
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_owned();
    for (span, new) in edits {
        out.replace_range(span.start..span.end, new.as_ref());
    }
    out
}

/// The length of a quoted scalar at the start of `rest`, quotes included, if it closes on this
/// line: `\` escapes in double quotes, `''` in single quotes.
fn closing(rest: &str, quote: char) -> Option<usize> {
    let mut chars = rest.char_indices();
    if chars.next()?.1 != quote {
        return None;
    }
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && rest[i + 1..].starts_with('\'') {
                chars.next();
                continue;
            }
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn spans(text: &str) -> HashMap<String, ScalarSpan> {
        scalar_spans(&SourceText::new("cases.yaml", text), YamlLimits::default()).unwrap()
    }

    fn written<'a>(text: &'a str, s: &HashMap<String, ScalarSpan>, path: &str) -> &'a str {
        let span = s[path];
        &text[span.start..span.end]
    }

    #[test]
    fn block_and_flow_scalars_have_their_exact_bytes() {
        let text = "cases:\n  - name: \"it's\"   # a comment\n    expect:\n      total: 12314.17\n      lines:\n        - {code: setup, amount: 1250.00, note: 'l''été'}\n      vat: [\"S\", 21]\n";
        let s = spans(text);
        assert_eq!(written(text, &s, "cases[0].name"), "\"it's\"");
        assert_eq!(s["cases[0].name"].quoting, Quoting::Double);
        assert_eq!(written(text, &s, "cases[0].expect.total"), "12314.17");
        assert_eq!(written(text, &s, "cases[0].expect.lines[0].code"), "setup");
        assert_eq!(written(text, &s, "cases[0].expect.lines[0].amount"), "1250.00");
        assert_eq!(written(text, &s, "cases[0].expect.lines[0].note"), "'l''été'");
        assert_eq!(s["cases[0].expect.lines[0].note"].quoting, Quoting::Single);
        assert_eq!(written(text, &s, "cases[0].expect.vat[0]"), "\"S\"");
        assert_eq!(written(text, &s, "cases[0].expect.vat[1]"), "21");
        assert!(!s.contains_key("cases"), "keys and containers have no span");
    }

    #[test]
    fn escapes_and_non_ascii_text_before_the_scalar_are_handled() {
        let text = "a: \"x\\\"y\"\nété: [é, \"ü\", 3]\n";
        let s = spans(text);
        assert_eq!(written(text, &s, "a"), "\"x\\\"y\"");
        assert_eq!(written(text, &s, "été[0]"), "é");
        assert_eq!(written(text, &s, "été[1]"), "\"ü\"");
        assert_eq!(written(text, &s, "été[2]"), "3");
    }

    #[test]
    fn scalars_over_several_lines_have_no_span() {
        let text = "a: |\n  one\n  two\nb: plain\n  folded\nc: \"over\n  lines\"\nd: ok\n";
        let s = spans(text);
        assert!(!s.contains_key("a"));
        assert!(!s.contains_key("b"));
        assert!(!s.contains_key("c"));
        assert_eq!(written(text, &s, "d"), "ok");
    }
}
