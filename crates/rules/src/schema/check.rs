//! Checking a value against a compiled schema, and typing it into the script's values.

use std::fmt::Write;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rhai::{Array, Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;

use missions_base::diag::{ECHO_MAX_CHARS, clip, did_you_mean};
use missions_base::value::Node;

use super::problem::{InputError, InputProblem};
use super::tree::{Shape, Tree};
use super::types::{Field, Type};
use crate::types::{Date, Instant, in_range};

/// Where a value is in the input, built as the checker descends and written out only for an
/// error: a valid input never pays for its paths.
#[derive(Debug, Clone, Copy)]
pub(super) enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The path as errors give it: `events[3].at`. A key too long to echo is clipped.
    pub(super) fn path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            At::Root => {}
            At::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                if key.len() > ECHO_MAX_CHARS { out.push_str(&clip(key)) } else { out.push_str(key) }
            }
            At::Index(parent, i) => {
                parent.write(out);
                // Writing to a String cannot fail.
                let _ = write!(out, "[{i}]");
            }
        }
    }
}

fn problem(at: &At<'_>, problem: InputProblem) -> InputError {
    InputError { path: at.path(), problem }
}

fn wrong(at: &At<'_>, expected: &str, node: &impl Tree) -> InputError {
    problem(at, InputProblem::WrongType { expected: expected.into(), found: node.kind().into() })
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
pub(crate) fn check<T: Tree>(field: &Field, node: Option<&T>, errors: &mut Vec<InputError>) -> Dynamic {
    check_at(field, node, &At::Root, errors)
}

fn check_at<T: Tree>(field: &Field, node: Option<&T>, at: &At<'_>, errors: &mut Vec<InputError>) -> Dynamic {
    match node.filter(|n| !matches!(n.shape(), Shape::Null)) {
        Some(n) => present(&field.ty, n, at, errors),
        None => match field.default.as_ref().filter(|d| !matches!(d, Node::Null)) {
            Some(def) => present(&field.ty, def, at, errors),
            None if field.optional => Dynamic::UNIT,
            None => {
                errors.push(problem(at, InputProblem::MissingField));
                Dynamic::UNIT
            }
        },
    }
}

/// Type a value that is there: unit when it has a problem.
fn present<T: Tree>(ty: &Type, node: &T, at: &At<'_>, errors: &mut Vec<InputError>) -> Dynamic {
    let before = errors.len();
    let value = check_value(ty, node, at, errors);
    if errors.len() > before { Dynamic::UNIT } else { value }
}

fn malformed(at: &At<'_>, value: &str, expected: &str, example: &str) -> InputError {
    problem(at, InputProblem::Malformed { value: clip(value), expected: expected.into(), example: example.into() })
}

fn check_value<T: Tree>(ty: &Type, node: &T, at: &At<'_>, errors: &mut Vec<InputError>) -> Dynamic {
    match (ty, node.shape()) {
        (Type::Any, _) => any_to_dynamic(node),
        (Type::String { max_len }, Shape::Str(s)) => {
            if let Some(max) = *max_len {
                let len = s.chars().count();
                if len > max {
                    errors.push(problem(at, InputProblem::BadLength { len, min: 0, max: Some(max) }));
                }
            }
            Dynamic::from(s.to_owned())
        }
        (Type::Bool, Shape::Bool(b)) => Dynamic::from(b),
        (Type::Integer { min, max }, Shape::Number(n)) => match n.as_i64() {
            Some(i) => {
                if let Some(m) = min.filter(|m| i < *m) {
                    let (value, min) = (clip(&n.text()), m.to_string());
                    errors.push(problem(at, InputProblem::TooSmall { value, min, exclusive: false }));
                } else if let Some(m) = max.filter(|m| i > *m) {
                    let (value, max) = (clip(&n.text()), m.to_string());
                    errors.push(problem(at, InputProblem::TooLarge { value, max }));
                }
                Dynamic::from(i)
            }
            None => {
                errors.push(malformed(at, &n.text(), "integer", "12"));
                Dynamic::UNIT
            }
        },
        (Type::Integer { .. }, Shape::Float(n)) => {
            errors.push(malformed(at, &n.text(), "integer", "12"));
            Dynamic::UNIT
        }
        (Type::Decimal { min, max, greater_than }, Shape::Str(s)) => decimal(s, *min, *max, *greater_than, at, errors),
        (Type::Decimal { min, max, greater_than }, Shape::Number(n)) => {
            decimal(&n.text(), *min, *max, *greater_than, at, errors)
        }
        (Type::Decimal { .. }, Shape::Float(_)) => {
            errors.push(wrong(at, "a decimal string", node));
            Dynamic::UNIT
        }
        (Type::Date, Shape::Str(s)) => match parse_date(s) {
            Some(d) if in_range(d) => Dynamic::from(Date(d)),
            Some(_) => {
                errors.push(problem(at, InputProblem::OutOfRange { value: clip(s) }));
                Dynamic::UNIT
            }
            None => {
                errors.push(malformed(at, s, "date", "2026-12-24"));
                Dynamic::UNIT
            }
        },
        (Type::Instant, Shape::Str(s)) => match parse_instant(s) {
            Some(t) if in_range(t.date_naive()) => Dynamic::from(Instant(t)),
            Some(_) => {
                errors.push(problem(at, InputProblem::OutOfRange { value: clip(s) }));
                Dynamic::UNIT
            }
            None => {
                errors.push(malformed(at, s, "instant", "2026-12-24T16:00:00+01:00"));
                Dynamic::UNIT
            }
        },
        (Type::Enum(allowed), Shape::Str(s)) => one_of(allowed, s, at, errors),
        (Type::Enum(allowed), Shape::Number(n)) => one_of(allowed, &n.text(), at, errors),
        (Type::Object(fields), Shape::Map) => {
            for (key, _) in node.entries() {
                if !fields.iter().any(|(f, _)| f == key) {
                    let suggestion = did_you_mean(key, fields.iter().map(|(f, _)| f.as_str())).map(str::to_owned);
                    errors.push(problem(&At::Key(at, key), InputProblem::UnknownField { suggestion }));
                }
            }
            let mut map = Map::new();
            for (name, field) in fields {
                let v = check_at(field, node.get(name), &At::Key(at, name), errors);
                map.insert(name.as_str().into(), v);
            }
            Dynamic::from_map(map)
        }
        (Type::MapOf(items), Shape::Map) => {
            let mut map = Map::new();
            for (key, v) in node.entries() {
                map.insert(key.into(), check_at(items, Some(v), &At::Key(at, key), errors));
            }
            Dynamic::from_map(map)
        }
        (Type::List { items, min_items, max_items }, Shape::List) => {
            let list = node.items();
            if list.len() < *min_items || max_items.is_some_and(|m| list.len() > m) {
                let (len, min, max) = (list.len(), *min_items, *max_items);
                errors.push(problem(at, InputProblem::BadLength { len, min, max }));
                return Dynamic::UNIT;
            }
            let out: Array =
                list.iter().enumerate().map(|(i, v)| check_at(items, Some(v), &At::Index(at, i), errors)).collect();
            Dynamic::from_array(out)
        }
        (ty, _) => {
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
            errors.push(wrong(at, expected, node));
            Dynamic::UNIT
        }
    }
}

/// A decimal written `text` (a string, or a number as written), within its bounds.
fn decimal(
    text: &str,
    min: Option<Decimal>,
    max: Option<Decimal>,
    greater_than: Option<Decimal>,
    at: &At<'_>,
    errors: &mut Vec<InputError>,
) -> Dynamic {
    let Some(d) = parse_decimal(text) else {
        errors.push(malformed(at, text, "decimal", "120.00"));
        return Dynamic::UNIT;
    };
    if let Some(m) = greater_than.filter(|m| d <= *m) {
        errors.push(problem(at, InputProblem::TooSmall { value: clip(text), min: m.to_string(), exclusive: true }));
    } else if let Some(m) = min.filter(|m| d < *m) {
        errors.push(problem(at, InputProblem::TooSmall { value: clip(text), min: m.to_string(), exclusive: false }));
    } else if let Some(m) = max.filter(|m| d > *m) {
        errors.push(problem(at, InputProblem::TooLarge { value: clip(text), max: m.to_string() }));
    }
    Dynamic::from_decimal(d)
}

/// One of an enumeration's values, written `text`. The allowed values are shared strings: the
/// typed value is one of them, not a copy.
fn one_of(allowed: &[ImmutableString], text: &str, at: &At<'_>, errors: &mut Vec<InputError>) -> Dynamic {
    match allowed.iter().find(|a| a.as_str() == text) {
        Some(value) => Dynamic::from(value.clone()),
        None => {
            let allowed = allowed.iter().map(ToString::to_string).collect();
            errors.push(problem(at, InputProblem::NotOneOf { value: clip(text), allowed }));
            Dynamic::UNIT
        }
    }
}

/// Untyped conversion, for `any` fields: numbers with a point become decimals, others integers.
pub(crate) fn any_to_dynamic<T: Tree>(n: &T) -> Dynamic {
    match n.shape() {
        Shape::Null => Dynamic::UNIT,
        Shape::Bool(b) => Dynamic::from(b),
        Shape::Number(t) | Shape::Float(t) => {
            let text = t.text();
            match text.parse::<i64>() {
                Ok(i) => Dynamic::from(i),
                Err(_) => {
                    Decimal::from_str(&text).map_or_else(|_| Dynamic::from(text.into_owned()), Dynamic::from_decimal)
                }
            }
        }
        Shape::Str(s) => Dynamic::from(s.to_owned()),
        Shape::List => Dynamic::from_array(n.items().iter().map(any_to_dynamic).collect()),
        Shape::Map => Dynamic::from_map(n.entries().map(|(k, v)| (k.into(), any_to_dynamic(v))).collect()),
    }
}
