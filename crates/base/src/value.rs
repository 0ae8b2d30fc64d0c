//! The untyped tree that YAML parameter files, golden cases and schema defaults arrive as, before
//! a schema types them (JSON request bodies are checked as serde_json parsed them, by the same
//! validator); numbers keep their literal text so a price written `35.00` is never rounded
//! through f64.

use yaml_rust2::parser::{Event, MarkedEventReceiver};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diag::{Diagnostic, Location};
use crate::yaml::{self, SourceText, SpanIndex, YamlLimits};

/// A value before typing. Map keys keep the order they were written in.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`, or an empty YAML value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (`12`, `35.00`, `-1e3`).
    Number(String),
    /// A JSON number that is not exact in binary (serde_json parsed it as f64).
    Float(String),
    /// A string.
    Str(String),
    /// A list, in order.
    List(Vec<Node>),
    /// A map, its keys in the order they were written.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// What a plain (unquoted) YAML scalar written `text` reads as: `null`, a boolean, a number
    /// with its exact text, or a string.
    pub fn from_plain_scalar(text: &str) -> Node {
        plain_scalar(text)
    }

    /// The tree of a JSON value; numbers keep serde_json's text of them.
    pub fn from_json(v: &serde_json::Value) -> Node {
        match v {
            serde_json::Value::Null => Node::Null,
            serde_json::Value::Bool(b) => Node::Bool(*b),
            serde_json::Value::Number(n) => {
                if n.is_i64() || n.is_u64() {
                    Node::Number(n.to_string())
                } else {
                    Node::Float(n.to_string())
                }
            }
            serde_json::Value::String(s) => Node::Str(s.clone()),
            serde_json::Value::Array(a) => Node::List(a.iter().map(Node::from_json).collect()),
            serde_json::Value::Object(o) => Node::Map(o.iter().map(|(k, v)| (k.clone(), Node::from_json(v))).collect()),
        }
    }

    /// The JSON value of the tree: a number as written becomes a JSON number when JSON can hold
    /// its text exactly as written, a string otherwise (`1e999`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Node::Null => J::Null,
            Node::Bool(b) => J::Bool(*b),
            Node::Number(s) | Node::Float(s) => match serde_json::from_str::<serde_json::Number>(s) {
                Ok(n) if n.to_string() == *s => J::Number(n),
                _ => J::String(s.clone()),
            },
            Node::Str(s) => J::String(s.clone()),
            Node::List(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Node::Map(entries) => J::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }

    /// Read a YAML document into a tree, with the position of every value. Plain scalars that
    /// look like numbers stay numbers with their exact text; quoted scalars stay strings. Aliases
    /// are refused: parameter files have no use for them and they are the way to a
    /// billion-laughs file.
    pub fn from_yaml(src: &SourceText, limits: YamlLimits) -> Result<(Node, SpanIndex), Diagnostic> {
        let mut b = Builder { stack: Vec::new(), root: None, error: None, file: src.name.clone() };
        yaml::check_size(src, limits)?;
        let index = yaml::index_with(src, limits, &mut b)?;
        if let Some(e) = b.error {
            return Err(e);
        }
        Ok((b.root.unwrap_or(Node::Null), index))
    }
}

fn plain_scalar(s: &str) -> Node {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => Node::Null,
        "true" | "True" | "TRUE" => Node::Bool(true),
        "false" | "False" | "FALSE" => Node::Bool(false),
        _ if looks_numeric(s) => Node::Number(s.to_owned()),
        _ => Node::Str(s.to_owned()),
    }
}

fn looks_numeric(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()))
}

enum Open {
    List(Vec<Node>),
    Map(Vec<(String, Node)>, Option<String>),
}

struct Builder {
    stack: Vec<Open>,
    root: Option<Node>,
    error: Option<Diagnostic>,
    file: String,
}

impl Builder {
    fn push(&mut self, node: Node, mark: Marker) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::List(items)) => items.push(node),
            Some(Open::Map(entries, key)) => match key.take() {
                Some(k) => {
                    if entries.iter().any(|(e, _)| *e == k) && self.error.is_none() {
                        self.error = Some(
                            Diagnostic::error("yaml.duplicate-key", format!("key `{k}` is written twice"))
                                .at(Location::new(self.file.clone(), mark.line(), mark.col() + 1))
                                .help("keep one of the two"),
                        );
                    }
                    entries.push((k, node));
                }
                None => match node {
                    Node::Str(s) | Node::Number(s) => *key = Some(s),
                    Node::Bool(b) => *key = Some(b.to_string()),
                    Node::Null => *key = Some(String::new()),
                    _ => {
                        if self.error.is_none() {
                            self.error = Some(
                                Diagnostic::error("yaml.complex-key", "a key must be a plain word or number")
                                    .at(Location::new(self.file.clone(), mark.line(), mark.col() + 1)),
                            );
                        }
                        *key = Some("?".to_owned());
                    }
                },
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(s, style, ..) => {
                let node = if style == TScalarStyle::Plain { plain_scalar(&s) } else { Node::Str(s) };
                self.push(node, mark);
            }
            Event::Alias(_) => {
                self.error = Some(
                    Diagnostic::error("yaml.alias", "aliases (`*name`) are not allowed in this file")
                        .at(Location::new(self.file.clone(), mark.line(), mark.col() + 1))
                        .help("write the value out in full"),
                );
            }
            Event::SequenceStart(..) => self.stack.push(Open::List(Vec::new())),
            Event::MappingStart(..) => self.stack.push(Open::Map(Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::List(items)) => Node::List(items),
                    Some(Open::Map(entries, _)) => Node::Map(entries),
                    None => return,
                };
                self.push(node, mark);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers_keep_their_text() {
        let n = Node::from_yaml(
            &SourceText::new("t.yaml", "a: 35.00\nb: '35.00'\nc: [1, x, true, ~]\n"),
            YamlLimits::default(),
        )
        .unwrap()
        .0;
        assert_eq!(
            n,
            Node::Map(vec![
                ("a".into(), Node::Number("35.00".into())),
                ("b".into(), Node::Str("35.00".into())),
                (
                    "c".into(),
                    Node::List(vec![Node::Number("1".into()), Node::Str("x".into()), Node::Bool(true), Node::Null])
                ),
            ])
        );
    }

    #[test]
    fn aliases_and_duplicate_keys_are_refused() {
        let e = Node::from_yaml(&SourceText::new("t.yaml", "a: &x 1\nb: *x\n"), YamlLimits::default()).unwrap_err();
        assert_eq!((e.code, e.location.map(|l| l.line)), ("yaml.alias", Some(2)));
        let e = Node::from_yaml(&SourceText::new("t.yaml", "a: 1\na: 2\n"), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.duplicate-key");
    }

    #[test]
    fn json_floats_are_marked_inexact() {
        let n = Node::from_json(&serde_json::json!({"x": 1.5, "y": 2}));
        assert_eq!(n, Node::Map(vec![("x".into(), Node::Float("1.5".into())), ("y".into(), Node::Number("2".into()))]));
    }
}
