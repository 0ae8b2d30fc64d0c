//! The schema language as written in YAML (`pack.yaml`'s `input:`, a parameter file's schema),
//! read and compiled into [`Field`]s, every mistake reported with its path.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::diag::did_you_mean;
use crate::value::Node;
use crate::yaml;

use super::check::{CheckOnly, check};
use super::types::{Atom, Field, Type};

/// A field as written in `pack.yaml`: either a type name (`decimal`, `date?` for optional) or a
/// mapping with `type:` and its options.
#[derive(Debug, Clone)]
pub enum FieldDef {
    /// A type name, `?` at the end for optional: `decimal`, `date?`.
    Short(String),
    /// A mapping with `type:` and its options.
    Full(Box<FullDef>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullDef {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    default: Option<yaml::Value>,
    #[serde(default)]
    values: Option<Vec<String>>,
    #[serde(default)]
    fields: Option<yaml::Mapping>,
    #[serde(default)]
    items: Option<Box<FieldDef>>,
    #[serde(default)]
    min: Option<yaml::Value>,
    #[serde(default)]
    max: Option<yaml::Value>,
    #[serde(default)]
    greater_than: Option<yaml::Value>,
    #[serde(default)]
    min_items: Option<usize>,
    #[serde(default)]
    max_items: Option<usize>,
    #[serde(default)]
    max_len: Option<usize>,
    /// Personal data, masked in stored inputs.
    #[serde(default)]
    personal: bool,
    /// What the field means, for people reading the pack.
    #[serde(default)]
    doc: Option<String>,
}

impl<'de> Deserialize<'de> for FieldDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldDef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a type name such as `decimal` or `date?`, or a mapping with `type:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldDef, E> {
                Ok(FieldDef::Short(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldDef, A::Error> {
                FullDef::deserialize(de::value::MapAccessDeserializer::new(map)).map(|f| FieldDef::Full(Box::new(f)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A problem in a schema definition: the path inside the definition and what is wrong.
#[derive(Debug, Clone)]
pub struct DefError {
    /// Where, inside the definition (`input.fields.priority`).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is a likely fix.
    pub help: Option<String>,
}

pub(super) const TYPE_NAMES: [&str; 11] =
    ["any", "string", "bool", "integer", "decimal", "date", "instant", "enum", "object", "list", "map"];

pub(super) fn yaml_decimal(v: &yaml::Value) -> Option<Decimal> {
    match v {
        yaml::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        yaml::Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

pub(super) fn yaml_to_node(v: &yaml::Value) -> Node {
    match v {
        yaml::Value::Null => Node::Null,
        yaml::Value::Bool(b) => Node::Bool(*b),
        yaml::Value::Number(n) => Node::Number(n.to_string()),
        yaml::Value::String(s) => Node::Str(s.clone()),
        yaml::Value::Sequence(s) => Node::List(s.iter().map(yaml_to_node).collect()),
        yaml::Value::Mapping(m) => Node::Map(
            m.iter()
                .map(|(k, v)| (k.as_str().map_or_else(|| format!("{k:?}"), str::to_owned), yaml_to_node(v)))
                .collect(),
        ),
        yaml::Value::Tagged(t) => yaml_to_node(&t.value),
    }
}

impl FieldDef {
    /// Check the definition and build the field; `path` is where it sits in `pack.yaml`.
    pub fn compile<S: Atom>(&self, path: &str, errors: &mut Vec<DefError>) -> Field<S> {
        let err = |errors: &mut Vec<DefError>, p: String, message: String, help: Option<String>| {
            errors.push(DefError { path: p, message, help });
        };
        match self {
            FieldDef::Short(s) => {
                let (name, optional) = match s.strip_suffix('?') {
                    Some(n) => (n, true),
                    None => (s.as_str(), false),
                };
                let ty = match name {
                    "any" => Type::Any,
                    "string" => Type::String { max_len: None },
                    "bool" => Type::Bool,
                    "integer" => Type::Integer { min: None, max: None },
                    "decimal" => Type::Decimal { min: None, max: None, greater_than: None },
                    "date" => Type::Date,
                    "instant" => Type::Instant,
                    _ => {
                        let help = match did_you_mean(name, TYPE_NAMES) {
                            Some(t) => format!("did you mean `{t}`?"),
                            None if ["enum", "object", "list", "map"].contains(&name) => {
                                format!("`{name}` needs options: write `{{type: {name}, ...}}`")
                            }
                            None => format!("the types are {}", TYPE_NAMES.map(|t| format!("`{t}`")).join(", ")),
                        };
                        err(errors, path.to_owned(), format!("unknown type `{name}`"), Some(help));
                        Type::Any
                    }
                };
                Field { ty, optional, default: None, personal: false, doc: None }
            }
            FieldDef::Full(d) => {
                let bound = |errors: &mut Vec<DefError>, key: &str, v: &Option<yaml::Value>| -> Option<Decimal> {
                    let v = v.as_ref()?;
                    let parsed = yaml_decimal(v);
                    if parsed.is_none() {
                        err(errors, format!("{path}.{key}"), format!("`{key}` must be a number"), None);
                    }
                    parsed
                };
                let ty = match d.ty.as_str() {
                    "any" => Type::Any,
                    "string" => Type::String { max_len: d.max_len },
                    "bool" => Type::Bool,
                    "integer" => {
                        let min = bound(errors, "min", &d.min).and_then(|m| i64::try_from(m).ok());
                        let max = bound(errors, "max", &d.max).and_then(|m| i64::try_from(m).ok());
                        Type::Integer { min, max }
                    }
                    "decimal" => Type::Decimal {
                        min: bound(errors, "min", &d.min),
                        max: bound(errors, "max", &d.max),
                        greater_than: bound(errors, "greater_than", &d.greater_than),
                    },
                    "date" => Type::Date,
                    "instant" => Type::Instant,
                    "enum" => match &d.values {
                        Some(v) if !v.is_empty() => Type::Enum(v.iter().map(|s| S::from(s.as_str())).collect()),
                        _ => {
                            err(
                                errors,
                                path.to_owned(),
                                "an `enum` needs `values:`".into(),
                                Some("list the allowed values, e.g. `values: [P1, P2, P3]`".into()),
                            );
                            Type::Any
                        }
                    },
                    "object" => match &d.fields {
                        Some(f) => Type::Object(compile_fields(f, &format!("{path}.fields"), errors)),
                        None => {
                            err(errors, path.to_owned(), "an `object` needs `fields:`".into(), None);
                            Type::Any
                        }
                    },
                    "list" | "map" => match &d.items {
                        Some(i) => {
                            let items = Box::new(i.compile(&format!("{path}.items"), errors));
                            if d.ty == "list" {
                                Type::List { items, min_items: d.min_items.unwrap_or(0), max_items: d.max_items }
                            } else {
                                Type::MapOf(items)
                            }
                        }
                        None => {
                            err(
                                errors,
                                path.to_owned(),
                                format!("a `{}` needs `items:`", d.ty),
                                Some("give the type of its elements, e.g. `items: decimal`".into()),
                            );
                            Type::Any
                        }
                    },
                    other => {
                        let help = did_you_mean(other, TYPE_NAMES).map(|t| format!("did you mean `{t}`?"));
                        err(errors, format!("{path}.type"), format!("unknown type `{other}`"), help);
                        Type::Any
                    }
                };
                let field = Field {
                    ty,
                    optional: d.optional || d.default.is_some(),
                    default: d.default.as_ref().map(yaml_to_node),
                    personal: d.personal,
                    doc: d.doc.clone(),
                };
                if let Some(def) = &field.default {
                    let mut probs = Vec::new();
                    let required = Field { optional: false, default: None, ..field.clone() };
                    check::<CheckOnly<S>, Node>(&required, Some(def), &mut probs);
                    if let Some(first) = probs.first() {
                        err(
                            errors,
                            format!("{path}.default"),
                            format!("the default does not fit the type: {}", first.problem.message("en")),
                            None,
                        );
                    }
                }
                field
            }
        }
    }
}

/// Compile the fields of an object type (an input or parameter file root).
pub fn compile_fields<S: Atom>(map: &yaml::Mapping, path: &str, errors: &mut Vec<DefError>) -> Vec<(String, Field<S>)> {
    let mut out = Vec::with_capacity(map.len());
    for (k, v) in map {
        let Some(name) = k.as_str() else {
            errors.push(DefError {
                path: path.to_owned(),
                message: format!("field names must be words, not `{k:?}`"),
                help: None,
            });
            continue;
        };
        let p = format!("{path}.{name}");
        match yaml::from_value::<FieldDef>(v.clone()) {
            Ok(def) => out.push((name.to_owned(), def.compile(&p, errors))),
            Err(e) => errors.push(DefError { path: p, message: e.to_string(), help: None }),
        }
    }
    out
}
