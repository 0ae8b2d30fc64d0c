//! The trees an input is checked in: JSON as serde_json parsed it (what the host and the library
//! API receive), or a [`Node`] read from YAML (parameter files, golden cases, defaults). The
//! schema reads either in place, so a request is not copied into another tree before it is typed.

use std::borrow::Cow;

use crate::value::Node;

/// A number as the tree holds it: its text as written (YAML), or serde_json's number.
#[derive(Debug, Clone, Copy)]
pub enum Num<'a> {
    /// The text of a number read from YAML.
    Text(&'a str),
    /// A number serde_json parsed.
    Json(&'a serde_json::Number),
}

impl<'a> Num<'a> {
    /// The number as written: YAML's text, or serde_json's shortest form.
    pub fn text(self) -> Cow<'a, str> {
        match self {
            Num::Text(t) => Cow::Borrowed(t),
            Num::Json(n) => Cow::Owned(n.to_string()),
        }
    }

    /// The integer it is, if it is one that fits an `i64`.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Num::Text(t) => t.parse().ok(),
            Num::Json(n) => n.as_i64(),
        }
    }
}

/// What a value of the tree is. Lists and maps are read with [`Tree::items`] and
/// [`Tree::entries`].
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer (JSON) or a number as written (YAML).
    Number(Num<'a>),
    /// A JSON number that is not exact in binary.
    Float(Num<'a>),
    /// A string.
    Str(&'a str),
    /// A list: see [`Tree::items`].
    List,
    /// A map: see [`Tree::entries`].
    Map,
}

/// An input tree the schema can check in place.
pub trait Tree: Sized {
    /// What the value is.
    fn shape(&self) -> Shape<'_>;
    /// The items of a list; empty for anything else.
    fn items(&self) -> &[Self];
    /// The entries of a map, in the tree's order; none for anything else.
    fn entries(&self) -> impl Iterator<Item = (&str, &Self)>;
    /// The value of `key` in a map.
    fn get(&self, key: &str) -> Option<&Self>;
    /// The tree as a [`Node`], for the rare paths that need one (blaming an input in an error).
    fn to_node(&self) -> Cow<'_, Node>;

    /// What it is, as an error message names it ("a string").
    fn kind(&self) -> &'static str {
        match self.shape() {
            Shape::Null => "null",
            Shape::Bool(_) => "a boolean",
            Shape::Number(_) | Shape::Float(_) => "a number",
            Shape::Str(_) => "a string",
            Shape::List => "a list",
            Shape::Map => "an object",
        }
    }
}

impl Tree for Node {
    fn shape(&self) -> Shape<'_> {
        match self {
            Node::Null => Shape::Null,
            Node::Bool(b) => Shape::Bool(*b),
            Node::Number(t) => Shape::Number(Num::Text(t)),
            Node::Float(t) => Shape::Float(Num::Text(t)),
            Node::Str(s) => Shape::Str(s),
            Node::List(_) => Shape::List,
            Node::Map(_) => Shape::Map,
        }
    }

    fn items(&self) -> &[Node] {
        match self {
            Node::List(items) => items,
            _ => &[],
        }
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &Node)> {
        let entries: &[(String, Node)] = match self {
            Node::Map(entries) => entries,
            _ => &[],
        };
        entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn get(&self, key: &str) -> Option<&Node> {
        self.entries().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn to_node(&self) -> Cow<'_, Node> {
        Cow::Borrowed(self)
    }
}

impl Tree for serde_json::Value {
    fn shape(&self) -> Shape<'_> {
        use serde_json::Value as J;
        match self {
            J::Null => Shape::Null,
            J::Bool(b) => Shape::Bool(*b),
            J::Number(n) if n.is_i64() || n.is_u64() => Shape::Number(Num::Json(n)),
            J::Number(n) => Shape::Float(Num::Json(n)),
            J::String(s) => Shape::Str(s),
            J::Array(_) => Shape::List,
            J::Object(_) => Shape::Map,
        }
    }

    fn items(&self) -> &[serde_json::Value] {
        self.as_array().map_or(&[], Vec::as_slice)
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.as_object().into_iter().flatten().map(|(k, v)| (k.as_str(), v))
    }

    fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.as_object().and_then(|o| o.get(key))
    }

    fn to_node(&self) -> Cow<'_, Node> {
        Cow::Owned(Node::from_json(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two trees read the same JSON alike: the checker cannot tell them apart.
    #[test]
    fn json_and_its_node_have_the_same_shape() {
        let json = serde_json::json!({"a": [1, -2, 1.5, 18446744073709551615u64, "x", true, null], "b": {"c": {}}});
        let node = Node::from_json(&json);
        fn walk<A: Tree, B: Tree>(a: &A, b: &B) {
            assert_eq!(a.kind(), b.kind());
            match (a.shape(), b.shape()) {
                (Shape::Number(x), Shape::Number(y)) | (Shape::Float(x), Shape::Float(y)) => {
                    assert_eq!(x.text(), y.text());
                    assert_eq!(x.as_i64(), y.as_i64());
                }
                (Shape::Str(x), Shape::Str(y)) => assert_eq!(x, y),
                (Shape::Bool(x), Shape::Bool(y)) => assert_eq!(x, y),
                (Shape::List, Shape::List) => {
                    assert_eq!(a.items().len(), b.items().len());
                    a.items().iter().zip(b.items()).for_each(|(x, y)| walk(x, y));
                }
                (Shape::Map, Shape::Map) => {
                    let (ka, kb): (Vec<_>, Vec<_>) =
                        (a.entries().map(|e| e.0).collect(), b.entries().map(|e| e.0).collect());
                    assert_eq!(ka, kb);
                    for k in ka {
                        walk(a.get(k).unwrap(), b.get(k).unwrap());
                    }
                }
                (Shape::Null, Shape::Null) => {}
                (x, y) => panic!("{x:?} against {y:?}"),
            }
        }
        walk(&json, &node);
        assert_eq!(*json.to_node(), node);
        assert!(json.get("a").unwrap().entries().next().is_none());
        assert!(json.items().is_empty());
    }
}
