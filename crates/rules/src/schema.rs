//! A small schema language, written in `pack.yaml`, that types entry inputs and parameter files.
//! It turns an untyped [`Node`] into the script's values (Decimal, Date, Instant …) and reports
//! every problem with its path, so a request with three mistakes gets three precise errors.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rhai::{Array, Dynamic, Map};
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use missions_base::diag::did_you_mean;
use missions_base::value::Node;
use missions_base::yaml;

use crate::types::{Date, Instant, in_range};

/// A typed field of an input or parameter file.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Node>,
}

#[derive(Debug, Clone)]
pub(crate) enum Type {
    Any,
    String { max_len: Option<usize> },
    Bool,
    Integer { min: Option<i64>, max: Option<i64> },
    Decimal { min: Option<Decimal>, max: Option<Decimal>, greater_than: Option<Decimal> },
    Date,
    Instant,
    Enum(Vec<String>),
    Object(Vec<(String, Field)>),
    List { items: Box<Field>, min_items: usize, max_items: Option<usize> },
    MapOf(Box<Field>),
}

/// A field as written in `pack.yaml`: either a type name (`decimal`, `date?` for optional) or a
/// mapping with `type:` and its options.
#[derive(Debug, Clone)]
pub(crate) enum FieldDef {
    Short(String),
    Full(Box<FullDef>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FullDef {
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
    /// What the field means, for people reading the pack.
    #[serde(default)]
    #[allow(dead_code)]
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
pub(crate) struct DefError {
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

const TYPE_NAMES: [&str; 11] =
    ["any", "string", "bool", "integer", "decimal", "date", "instant", "enum", "object", "list", "map"];

fn yaml_decimal(v: &yaml::Value) -> Option<Decimal> {
    match v {
        yaml::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        yaml::Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

fn yaml_to_node(v: &yaml::Value) -> Node {
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
    pub(crate) fn compile(&self, path: &str, errors: &mut Vec<DefError>) -> Field {
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
                Field { ty, optional, default: None }
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
                        Some(v) if !v.is_empty() => Type::Enum(v.clone()),
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
                };
                if let Some(def) = &field.default {
                    let mut probs = Vec::new();
                    let mut p = String::new();
                    let _ = check(
                        &Field { optional: false, default: None, ..field.clone() },
                        Some(def),
                        &mut p,
                        &mut probs,
                    );
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
pub(crate) fn compile_fields(map: &yaml::Mapping, path: &str, errors: &mut Vec<DefError>) -> Vec<(String, Field)> {
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

/// What is wrong with one value of an input or parameter file. Rendered in fr, nl and en, since
/// a client of the host may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum InputProblem {
    /// A field the schema does not have.
    UnknownField {
        /// The closest known field, when the name looks like a typo.
        suggestion: Option<String>,
    },
    /// A required field is absent.
    MissingField,
    /// The value has the wrong JSON type.
    WrongType {
        /// What the schema wants (`a decimal string`, `an integer` …).
        expected: String,
        /// What was given.
        found: String,
    },
    /// The value is not one of an enumeration.
    NotOneOf {
        /// The value given.
        value: String,
        /// The values allowed.
        allowed: Vec<String>,
    },
    /// A string that should be a date, an instant or a decimal and is not.
    Malformed {
        /// The value given.
        value: String,
        /// What it should be.
        expected: String,
        /// A correct example.
        example: String,
    },
    /// A number below its minimum.
    TooSmall {
        /// The value given.
        value: String,
        /// The smallest allowed (or the bound to exceed, with `exclusive`).
        min: String,
        /// Whether the value must be strictly greater than `min`.
        exclusive: bool,
    },
    /// A number above its maximum.
    TooLarge {
        /// The value given.
        value: String,
        /// The largest allowed.
        max: String,
    },
    /// A list or string outside its size bounds.
    BadLength {
        /// The length given.
        len: usize,
        /// The smallest allowed.
        min: usize,
        /// The largest allowed.
        max: Option<usize>,
    },
    /// A date or instant outside 1900–2200.
    OutOfRange {
        /// The value given.
        value: String,
    },
}

impl InputProblem {
    /// The problem in one language (`fr`, `nl` or `en`; anything else gives English).
    pub fn message(&self, lang: &str) -> String {
        use InputProblem as P;
        let list = |v: &[String]| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        match (lang, self) {
            ("fr", P::UnknownField { suggestion: Some(s) }) => format!("champ inconnu (vouliez-vous dire `{s}` ?)"),
            ("fr", P::UnknownField { suggestion: None }) => "champ inconnu".into(),
            ("fr", P::MissingField) => "champ obligatoire manquant".into(),
            ("fr", P::WrongType { expected, found }) => {
                format!("attendu {}, reçu {}", fr_kind(expected), fr_kind(found))
            }
            ("fr", P::NotOneOf { value, allowed }) => format!("`{value}` ne fait pas partie de {}", list(allowed)),
            ("fr", P::Malformed { value, expected, example }) => {
                format!("`{value}` n'est pas {} valide (exemple : `{example}`)", fr_kind(expected))
            }
            ("fr", P::TooSmall { value, min, exclusive: true }) => format!("`{value}` doit être supérieur à {min}"),
            ("fr", P::TooSmall { value, min, .. }) => format!("`{value}` doit être au moins {min}"),
            ("fr", P::TooLarge { value, max }) => format!("`{value}` doit être au plus {max}"),
            ("fr", P::BadLength { len, min, max }) => {
                format!("longueur {len} hors des limites ({min} à {})", max.map_or("∞".into(), |m| m.to_string()))
            }
            ("fr", P::OutOfRange { value }) => format!("`{value}` est hors de la plage 1900–2200"),
            ("nl", P::UnknownField { suggestion: Some(s) }) => format!("onbekend veld (bedoelde u `{s}`?)"),
            ("nl", P::UnknownField { suggestion: None }) => "onbekend veld".into(),
            ("nl", P::MissingField) => "verplicht veld ontbreekt".into(),
            ("nl", P::WrongType { expected, found }) => {
                format!("verwacht {}, gekregen {}", nl_kind(expected), nl_kind(found))
            }
            ("nl", P::NotOneOf { value, allowed }) => format!("`{value}` is niet een van {}", list(allowed)),
            ("nl", P::Malformed { value, expected, example }) => {
                format!("`{value}` is {} (voorbeeld: `{example}`)", nl_not_valid(expected))
            }
            ("nl", P::TooSmall { value, min, exclusive: true }) => format!("`{value}` moet groter zijn dan {min}"),
            ("nl", P::TooSmall { value, min, .. }) => format!("`{value}` moet minstens {min} zijn"),
            ("nl", P::TooLarge { value, max }) => format!("`{value}` mag hoogstens {max} zijn"),
            ("nl", P::BadLength { len, min, max }) => {
                format!("lengte {len} buiten de grenzen ({min} tot {})", max.map_or("∞".into(), |m| m.to_string()))
            }
            ("nl", P::OutOfRange { value }) => format!("`{value}` valt buiten het bereik 1900–2200"),
            (_, P::UnknownField { suggestion: Some(s) }) => format!("unknown field (did you mean `{s}`?)"),
            (_, P::UnknownField { suggestion: None }) => "unknown field".into(),
            (_, P::MissingField) => "missing required field".into(),
            (_, P::WrongType { expected, found }) => format!("expected {expected}, found {found}"),
            (_, P::NotOneOf { value, allowed }) => format!("`{value}` is not one of {}", list(allowed)),
            (_, P::Malformed { value, expected, example }) => {
                format!("`{value}` is not a valid {expected} (example: `{example}`)")
            }
            (_, P::TooSmall { value, min, exclusive: true }) => format!("`{value}` must be greater than {min}"),
            (_, P::TooSmall { value, min, .. }) => format!("`{value}` must be at least {min}"),
            (_, P::TooLarge { value, max }) => format!("`{value}` must be at most {max}"),
            (_, P::BadLength { len, min, max }) => {
                format!("length {len} is outside {min}..{}", max.map_or("".into(), |m| m.to_string()))
            }
            (_, P::OutOfRange { value }) => format!("`{value}` is outside the supported range 1900–2200"),
        }
    }
}

fn fr_kind(k: &str) -> &str {
    match k {
        "a decimal string" => "un décimal en texte",
        "an integer" => "un entier",
        "a string" => "un texte",
        "a boolean" => "un booléen",
        "a list" => "une liste",
        "an object" => "un objet",
        "a number" => "un nombre",
        "null" => "null",
        "date" => "une date",
        "instant" => "un instant",
        "decimal" => "un décimal",
        "integer" => "un entier",
        "ISO 3166-1 alpha-2 country code" => "un code pays ISO 3166-1 alpha-2",
        "VAT number" => "un numéro de TVA",
        other => other,
    }
}

/// "not a valid X" in Dutch: the adjective agrees with the noun (`geldige datum`, `geldig tijdstip`).
fn nl_not_valid(k: &str) -> String {
    match k {
        "date" => "geen geldige datum".into(),
        "instant" => "geen geldig tijdstip".into(),
        "decimal" => "geen geldig decimaal getal".into(),
        "integer" => "geen geldig geheel getal".into(),
        "ISO 3166-1 alpha-2 country code" => "geen geldige ISO 3166-1 alpha-2-landcode".into(),
        "VAT number" => "geen geldig btw-nummer".into(),
        other => format!("geen geldige {other}"),
    }
}

fn nl_kind(k: &str) -> &str {
    match k {
        "a decimal string" => "een decimaal getal als tekst",
        "an integer" => "een geheel getal",
        "a string" => "een tekst",
        "a boolean" => "een booleaanse waarde",
        "a list" => "een lijst",
        "an object" => "een object",
        "a number" => "een getal",
        "null" => "null",
        "date" => "datum",
        "instant" => "tijdstip",
        "decimal" => "decimaal getal",
        "ISO 3166-1 alpha-2 country code" => "ISO 3166-1 alpha-2-landcode",
        "VAT number" => "btw-nummer",
        other => other,
    }
}

/// One problem with one value, at a JSON path such as `work[0].start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// Where: a JSON path (`client.country`, `work[0].start`); empty for the document itself.
    pub path: String,
    /// What.
    #[serde(flatten)]
    pub problem: InputProblem,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem.message("en"))
        } else {
            write!(f, "`{}`: {}", self.path, self.problem.message("en"))
        }
    }
}

fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

fn wrong(path: &str, expected: &str, node: &Node) -> InputError {
    InputError {
        path: path.to_owned(),
        problem: InputProblem::WrongType { expected: expected.into(), found: node.kind().into() },
    }
}

pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let ok = !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && parts.next().is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    if ok { Decimal::from_str_exact(s).ok() } else { None }
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub(crate) fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

/// Type `node` against `field`; problems go to `errors` and the returned value is then unit.
pub(crate) fn check(field: &Field, node: Option<&Node>, path: &mut String, errors: &mut Vec<InputError>) -> Dynamic {
    let node = match node {
        None | Some(Node::Null) => {
            if let Some(def) = &field.default {
                return check(&Field { default: None, ..field.clone() }, Some(def), path, errors);
            }
            if field.optional {
                return Dynamic::UNIT;
            }
            errors.push(InputError { path: path.clone(), problem: InputProblem::MissingField });
            return Dynamic::UNIT;
        }
        Some(n) => n,
    };
    let before = errors.len();
    let value = check_value(&field.ty, node, path, errors);
    if errors.len() > before { Dynamic::UNIT } else { value }
}

fn check_value(ty: &Type, node: &Node, path: &mut String, errors: &mut Vec<InputError>) -> Dynamic {
    match (ty, node) {
        (Type::Any, n) => any_to_dynamic(n),
        (Type::String { max_len }, Node::Str(s)) => {
            let len = s.chars().count();
            if max_len.is_some_and(|m| len > m) {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::BadLength { len, min: 0, max: *max_len },
                });
            }
            Dynamic::from(s.clone())
        }
        (Type::Bool, Node::Bool(b)) => Dynamic::from(*b),
        (Type::Integer { min, max }, Node::Number(text)) => match text.parse::<i64>() {
            Ok(i) => {
                if min.is_some_and(|m| i < m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooSmall {
                            value: text.clone(),
                            min: min.unwrap_or_default().to_string(),
                            exclusive: false,
                        },
                    });
                } else if max.is_some_and(|m| i > m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooLarge {
                            value: text.clone(),
                            max: max.unwrap_or_default().to_string(),
                        },
                    });
                }
                Dynamic::from(i)
            }
            Err(_) => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: text.clone(),
                        expected: "integer".into(),
                        example: "12".into(),
                    },
                });
                Dynamic::UNIT
            }
        },
        (Type::Integer { .. }, Node::Float(text)) => {
            errors.push(InputError {
                path: path.clone(),
                problem: InputProblem::Malformed {
                    value: text.clone(),
                    expected: "integer".into(),
                    example: "12".into(),
                },
            });
            Dynamic::UNIT
        }
        (Type::Integer { .. }, n) => {
            errors.push(wrong(path, "an integer", n));
            Dynamic::UNIT
        }
        (Type::Decimal { min, max, greater_than }, Node::Str(text) | Node::Number(text)) => match parse_decimal(text) {
            Some(d) => {
                if let Some(m) = greater_than.filter(|m| d <= *m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooSmall { value: text.clone(), min: m.to_string(), exclusive: true },
                    });
                } else if let Some(m) = min.filter(|m| d < *m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooSmall { value: text.clone(), min: m.to_string(), exclusive: false },
                    });
                } else if let Some(m) = max.filter(|m| d > *m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooLarge { value: text.clone(), max: m.to_string() },
                    });
                }
                Dynamic::from_decimal(d)
            }
            None => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: text.clone(),
                        expected: "decimal".into(),
                        example: "120.00".into(),
                    },
                });
                Dynamic::UNIT
            }
        },
        (Type::Decimal { .. }, n @ Node::Float(_)) => {
            errors.push(wrong(path, "a decimal string", n));
            Dynamic::UNIT
        }
        (Type::Date, Node::Str(s)) => match parse_date(s) {
            Some(d) if in_range(d) => Dynamic::from(Date(d)),
            Some(_) => {
                errors.push(InputError { path: path.clone(), problem: InputProblem::OutOfRange { value: s.clone() } });
                Dynamic::UNIT
            }
            None => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: s.clone(),
                        expected: "date".into(),
                        example: "2026-12-24".into(),
                    },
                });
                Dynamic::UNIT
            }
        },
        (Type::Instant, Node::Str(s)) => match parse_instant(s) {
            Some(t) if in_range(t.date_naive()) => Dynamic::from(Instant(t)),
            Some(_) => {
                errors.push(InputError { path: path.clone(), problem: InputProblem::OutOfRange { value: s.clone() } });
                Dynamic::UNIT
            }
            None => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: s.clone(),
                        expected: "instant".into(),
                        example: "2026-12-24T16:00:00+01:00".into(),
                    },
                });
                Dynamic::UNIT
            }
        },
        (Type::Enum(allowed), Node::Str(s) | Node::Number(s)) => {
            if allowed.iter().any(|a| a == s) {
                Dynamic::from(s.clone())
            } else {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::NotOneOf { value: s.clone(), allowed: allowed.clone() },
                });
                Dynamic::UNIT
            }
        }
        (Type::Object(fields), Node::Map(entries)) => {
            let mut map = Map::new();
            for (key, _) in entries {
                if !fields.iter().any(|(f, _)| f == key) {
                    let len = push_key(path, key);
                    let suggestion = did_you_mean(key, fields.iter().map(|(f, _)| f.as_str())).map(str::to_owned);
                    errors.push(InputError { path: path.clone(), problem: InputProblem::UnknownField { suggestion } });
                    path.truncate(len);
                }
            }
            for (name, field) in fields {
                let len = push_key(path, name);
                let found = entries.iter().find(|(k, _)| k == name).map(|(_, v)| v);
                let v = check(field, found, path, errors);
                path.truncate(len);
                map.insert(name.as_str().into(), v);
            }
            Dynamic::from_map(map)
        }
        (Type::MapOf(items), Node::Map(entries)) => {
            let mut map = Map::new();
            for (key, v) in entries {
                let len = push_key(path, key);
                let v = check(items, Some(v), path, errors);
                path.truncate(len);
                map.insert(key.as_str().into(), v);
            }
            Dynamic::from_map(map)
        }
        (Type::List { items, min_items, max_items }, Node::List(list)) => {
            if list.len() < *min_items || max_items.is_some_and(|m| list.len() > m) {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::BadLength { len: list.len(), min: *min_items, max: *max_items },
                });
                return Dynamic::UNIT;
            }
            let mut out = Array::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                out.push(check(items, Some(v), path, errors));
                path.truncate(len);
            }
            Dynamic::from_array(out)
        }
        (ty, n) => {
            let expected = match ty {
                Type::String { .. } | Type::Enum(_) => "a string",
                Type::Bool => "a boolean",
                Type::Date => "a date string",
                Type::Instant => "an instant string",
                Type::Object(_) | Type::MapOf(_) => "an object",
                Type::List { .. } => "a list",
                Type::Decimal { .. } => "a decimal string",
                Type::Integer { .. } => "an integer",
                Type::Any => "a value",
            };
            errors.push(wrong(path, expected, n));
            Dynamic::UNIT
        }
    }
}

/// Untyped conversion, for `any` fields: numbers with a point become decimals, others integers.
pub(crate) fn any_to_dynamic(n: &Node) -> Dynamic {
    match n {
        Node::Null => Dynamic::UNIT,
        Node::Bool(b) => Dynamic::from(*b),
        Node::Number(t) | Node::Float(t) => match t.parse::<i64>() {
            Ok(i) => Dynamic::from(i),
            Err(_) => Decimal::from_str(t).map_or_else(|_| Dynamic::from(t.clone()), Dynamic::from_decimal),
        },
        Node::Str(s) => Dynamic::from(s.clone()),
        Node::List(l) => Dynamic::from_array(l.iter().map(any_to_dynamic).collect()),
        Node::Map(m) => Dynamic::from_map(m.iter().map(|(k, v)| (k.as_str().into(), any_to_dynamic(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(yaml: &str) -> Field {
        let def: FieldDef = yaml::decode(yaml).unwrap();
        let mut errs = Vec::new();
        let f = def.compile("f", &mut errs);
        assert!(errs.is_empty(), "{errs:?}");
        f
    }

    fn run(f: &Field, json: serde_json::Value) -> Result<Dynamic, Vec<InputError>> {
        let mut errs = Vec::new();
        let v = check(f, Some(&Node::from_json(&json)), &mut String::new(), &mut errs);
        if errs.is_empty() { Ok(v) } else { Err(errs) }
    }

    #[test]
    fn objects_report_every_problem_with_its_path() {
        let f = field(
            "{type: object, fields: {priority: {type: enum, values: [P1, P2, P3]}, opened: instant, n: integer?}}",
        );
        let errs = run(&f, serde_json::json!({"priority": "P7", "openned": "x"})).unwrap_err();
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "`openned`: unknown field (did you mean `opened`?)",
                "`priority`: `P7` is not one of `P1`, `P2`, `P3`",
                "`opened`: missing required field",
            ]
        );
    }

    #[test]
    fn decimals_are_exact_and_bounded() {
        let f = field("{type: decimal, greater_than: 0}");
        let v = run(&f, serde_json::json!("120.00")).unwrap();
        assert_eq!(v.as_decimal().unwrap().to_string(), "120.00");
        let e = run(&f, serde_json::json!("0")).unwrap_err();
        assert_eq!(e[0].problem.message("fr"), "`0` doit être supérieur à 0");
        let e = run(&f, serde_json::json!(1.5)).unwrap_err();
        assert!(matches!(e[0].problem, InputProblem::WrongType { .. }));
        let e = run(&f, serde_json::json!("1,5")).unwrap_err();
        assert!(matches!(e[0].problem, InputProblem::Malformed { .. }));
    }

    #[test]
    fn dates_and_instants_are_strict() {
        let f = field("date");
        assert!(run(&f, serde_json::json!("2026-02-30")).is_err());
        assert!(run(&f, serde_json::json!("2026-2-3")).is_err());
        let e = run(&f, serde_json::json!("2201-01-01")).unwrap_err();
        assert!(matches!(e[0].problem, InputProblem::OutOfRange { .. }));
        let f = field("instant");
        assert!(run(&f, serde_json::json!("2026-12-24T16:00:00+01:00")).is_ok());
        assert!(run(&f, serde_json::json!("2026-12-24T16:00:00")).is_err(), "an instant needs its offset");
    }

    #[test]
    fn lists_index_their_paths() {
        let f = field("{type: list, items: {type: object, fields: {start: instant}}, max_items: 3}");
        let e = run(&f, serde_json::json!([{"start": "2026-01-01T00:00:00Z"}, {"start": "bad"}])).unwrap_err();
        assert_eq!(e[0].path, "[1].start");
        let e = run(&f, serde_json::json!([{}, {}, {}, {}])).unwrap_err();
        assert!(matches!(e[0].problem, InputProblem::BadLength { len: 4, .. }));
    }

    #[test]
    fn malformed_values_read_well_in_every_language() {
        let cases = [
            ("date", "une date", "geen geldige datum"),
            ("instant", "un instant", "geen geldig tijdstip"),
            ("decimal", "un décimal", "geen geldig decimaal getal"),
            ("integer", "un entier", "geen geldig geheel getal"),
            ("VAT number", "un numéro de TVA", "geen geldig btw-nummer"),
            (
                "ISO 3166-1 alpha-2 country code",
                "un code pays ISO 3166-1 alpha-2",
                "geen geldige ISO 3166-1 alpha-2-landcode",
            ),
        ];
        for (kind, fr, nl) in cases {
            let p = InputProblem::Malformed { value: "x".into(), expected: kind.into(), example: "e".into() };
            assert_eq!(p.message("en"), format!("`x` is not a valid {kind} (example: `e`)"));
            assert_eq!(p.message("fr"), format!("`x` n'est pas {fr} valide (exemple : `e`)"));
            assert_eq!(p.message("nl"), format!("`x` is {nl} (voorbeeld: `e`)"));
        }
    }

    #[test]
    fn bad_definitions_are_reported() {
        let def: FieldDef = yaml::decode("{type: decmial}").unwrap();
        let mut errs = Vec::new();
        def.compile("entries.x.input.y", &mut errs);
        assert_eq!(errs[0].message, "unknown type `decmial`");
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `decimal`?"));
    }
}
