//! How a case's expectation is compared with an output: every key of an expected object must
//! match, arrays match element by element and in length, numbers match by their text. Every
//! differing field is reported, each with what was expected and what came, so a person (or
//! `missions test --update`) sees the whole change at once.

use serde::Serialize;

use missions_base::value::Node;

use crate::error::EvalError;

/// At most this many differing fields are reported for one case.
pub(super) const MAX_DIFFS: usize = 100;

/// How an expected field differs from the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// Both have a value, and they differ.
    Value,
    /// The output has no such field.
    Missing,
    /// A list has another number of elements.
    Length,
}

/// One expected field the output does not match.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FieldDiff {
    /// Its path in the output: `lines[1].unit_price`, or empty for the whole output.
    pub path: String,
    /// How it differs.
    pub kind: DiffKind,
    /// What the case expects, as written (`35.00`, `"P1"`, `a list`).
    pub expected: String,
    /// What the output has (`36.00`, `missing`, `3 elements`).
    pub actual: String,
    /// The output's value when it can replace the expectation as it is (a scalar for a scalar);
    /// `None` when only a person can decide (a missing field, a list of another length).
    #[serde(skip)]
    pub replacement: Option<serde_json::Value>,
}

impl std::fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() { "the output".to_owned() } else { format!("`{}`", self.path) };
        match self.kind {
            DiffKind::Value => write!(f, "{at} is {}, expected {}", self.actual, self.expected),
            DiffKind::Missing => write!(f, "{at} is missing from the output"),
            DiffKind::Length => write!(f, "{at} has {}, expected {}", self.actual, self.expected),
        }
    }
}

/// Every field of `exp` that `got` does not match (at most [`MAX_DIFFS`]).
pub(super) fn diffs(exp: &Node, got: &serde_json::Value) -> Vec<FieldDiff> {
    let mut out = Vec::new();
    walk(exp, got, &mut String::new(), &mut out);
    out
}

fn walk(exp: &Node, got: &serde_json::Value, path: &mut String, out: &mut Vec<FieldDiff>) {
    use serde_json::Value as J;
    if out.len() >= MAX_DIFFS {
        return;
    }
    match (exp, got) {
        (Node::Null, J::Null) => {}
        (Node::Bool(a), J::Bool(b)) if a == b => {}
        (Node::Number(a), J::Number(b)) if *a == b.to_string() => {}
        (Node::Number(a) | Node::Str(a), J::String(b)) if a == b => {}
        (Node::Map(entries), J::Object(obj)) => {
            for (k, v) in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                match obj.get(k) {
                    Some(g) => walk(v, g, path, out),
                    None => out.push(FieldDiff {
                        path: path.clone(),
                        kind: DiffKind::Missing,
                        expected: show(v),
                        actual: "missing".into(),
                        replacement: None,
                    }),
                }
                path.truncate(len);
            }
        }
        (Node::List(items), J::Array(arr)) => {
            if items.len() != arr.len() {
                out.push(FieldDiff {
                    path: path.clone(),
                    kind: DiffKind::Length,
                    expected: format!("{} elements", items.len()),
                    actual: format!("{} elements", arr.len()),
                    replacement: None,
                });
                return;
            }
            for (i, (e, g)) in items.iter().zip(arr).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(e, g, path, out);
                path.truncate(len);
            }
        }
        (e, g) => {
            let scalar = |n: &Node| !matches!(n, Node::List(_) | Node::Map(_));
            let replaceable = scalar(e) && !matches!(g, J::Array(_) | J::Object(_));
            out.push(FieldDiff {
                path: path.clone(),
                kind: DiffKind::Value,
                expected: show(e),
                actual: match g {
                    // An amount written plainly reads best beside the output's amount unquoted.
                    J::String(t) if matches!(e, Node::Number(_)) => t.clone(),
                    _ => g.to_string(),
                },
                replacement: replaceable.then(|| g.clone()),
            });
        }
    }
}

fn show(n: &Node) -> String {
    match n {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(t) | Node::Float(t) => t.clone(),
        Node::Str(s) => format!("{s:?}"),
        Node::List(_) => "a list".into(),
        Node::Map(_) => "an object".into(),
    }
}

fn field<'a>(entries: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// An expected error: `{kind: input|rule|limit|script|unknown_entry, path: …, code: …, contains: …}`.
pub(super) fn error_mismatch(exp: &Node, got: &EvalError) -> Option<String> {
    let Node::Map(e) = exp else {
        return Some("`error:` must be a mapping such as `{kind: input, path: priority}`".into());
    };
    let text = |k: &str| match field(e, k) {
        Some(Node::Str(s) | Node::Number(s)) => Some(s.clone()),
        _ => None,
    };
    if let Some(kind) = text("kind")
        && kind != got.kind()
    {
        return Some(format!("expected a `{kind}` error, got `{}`: {got}", got.kind()));
    }
    if let Some(path) = text("path") {
        let paths: Vec<String> = match got {
            EvalError::Input(errs) => errs.iter().map(|e| e.path.clone()).collect(),
            EvalError::Rule { path: Some(p), .. } => vec![p.clone()],
            _ => Vec::new(),
        };
        if !paths.contains(&path) {
            return Some(format!("expected an error at `{path}`, got: {got}"));
        }
    }
    if let Some(code) = text("code") {
        let ok = match got {
            EvalError::Rule { code: c, .. } | EvalError::Plugin { code: c, .. } => *c == code,
            EvalError::Limit { limit, .. } => *limit == code,
            _ => false,
        };
        if !ok {
            return Some(format!("expected error code `{code}`, got: {got}"));
        }
    }
    if let Some(needle) = text("contains")
        && !got.to_string().contains(&needle)
    {
        return Some(format!("expected the error to contain `{needle}`, got: {got}"));
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn node(yaml: &str) -> Node {
        let src = missions_base::SourceText::new("t.yaml", yaml);
        Node::from_yaml(&src, missions_base::YamlLimits::default()).unwrap().0
    }

    #[test]
    fn every_differing_field_is_reported_with_both_values() {
        let exp = node("lines: [{unit_price: 35.00, amount: 5040.00}]\ntotal: 12314.17\ncurrency: EUR\n");
        let got =
            json!({"lines": [{"unit_price": "36.00", "amount": "5184.00"}], "total": "12488.41", "currency": "EUR"});
        let d = diffs(&exp, &got);
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "`lines[0].unit_price` is 36.00, expected 35.00",
                "`lines[0].amount` is 5184.00, expected 5040.00",
                "`total` is 12488.41, expected 12314.17"
            ]
        );
        assert!(d.iter().all(|f| f.replacement.is_some()));
    }

    #[test]
    fn missing_fields_and_other_lengths_cannot_be_replaced() {
        let exp = node("lines: [a, b]\nnote: x\nshape: {a: 1}\n");
        let got = json!({"lines": ["a"], "shape": 3});
        let d = diffs(&exp, &got);
        assert_eq!(d.len(), 3);
        assert_eq!((d[0].kind, d[0].actual.as_str()), (DiffKind::Length, "1 elements"));
        assert_eq!(d[1].kind, DiffKind::Missing);
        assert_eq!(d[2].kind, DiffKind::Value);
        assert!(d.iter().all(|f| f.replacement.is_none()), "{d:?}");
    }

    #[test]
    fn the_report_is_bounded() {
        let exp = Node::List((0..500).map(|i| Node::Number(i.to_string())).collect());
        let got = serde_json::Value::Array((0..500).map(|i| json!(i + 1)).collect());
        assert_eq!(diffs(&exp, &got).len(), MAX_DIFFS);
    }
}
