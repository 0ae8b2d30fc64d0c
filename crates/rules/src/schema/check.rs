//! Checking a value against a compiled schema, and typing it into the script's values.

use std::fmt::Write;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rhai::{Array, Dynamic, Map};
use rust_decimal::Decimal;

use missions_base::diag::{ECHO_MAX_CHARS, clip, did_you_mean};
use missions_base::value::Node;

use super::problem::{InputError, InputProblem};
use super::types::{Field, Type};
use crate::types::{Date, Instant, in_range};

/// Add `key` to `path`; returns the length to truncate back to. A key too long to echo is
/// clipped: the path only ever names a field in an error.
pub(super) fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    if key.len() > ECHO_MAX_CHARS {
        path.push_str(&clip(key))
    } else {
        path.push_str(key)
    }
    len
}

pub(super) fn wrong(path: &str, expected: &str, node: &Node) -> InputError {
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

pub(super) fn check_value(ty: &Type, node: &Node, path: &mut String, errors: &mut Vec<InputError>) -> Dynamic {
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
                            value: clip(text),
                            min: min.unwrap_or_default().to_string(),
                            exclusive: false,
                        },
                    });
                } else if max.is_some_and(|m| i > m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooLarge { value: clip(text), max: max.unwrap_or_default().to_string() },
                    });
                }
                Dynamic::from(i)
            }
            Err(_) => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: clip(text),
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
                    value: clip(text),
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
                        problem: InputProblem::TooSmall { value: clip(text), min: m.to_string(), exclusive: true },
                    });
                } else if let Some(m) = min.filter(|m| d < *m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooSmall { value: clip(text), min: m.to_string(), exclusive: false },
                    });
                } else if let Some(m) = max.filter(|m| d > *m) {
                    errors.push(InputError {
                        path: path.clone(),
                        problem: InputProblem::TooLarge { value: clip(text), max: m.to_string() },
                    });
                }
                Dynamic::from_decimal(d)
            }
            None => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: clip(text),
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
                errors.push(InputError { path: path.clone(), problem: InputProblem::OutOfRange { value: clip(s) } });
                Dynamic::UNIT
            }
            None => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: clip(s),
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
                errors.push(InputError { path: path.clone(), problem: InputProblem::OutOfRange { value: clip(s) } });
                Dynamic::UNIT
            }
            None => {
                errors.push(InputError {
                    path: path.clone(),
                    problem: InputProblem::Malformed {
                        value: clip(s),
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
                    problem: InputProblem::NotOneOf { value: clip(s), allowed: allowed.clone() },
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
                // Writing to a String cannot fail.
                let _ = write!(path, "[{i}]");
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
