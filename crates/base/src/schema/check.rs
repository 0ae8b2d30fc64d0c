//! Checking a value against a compiled schema, and building the typed value as it goes. What
//! the typed value is depends on who reads it: a [`Build`] says how each kind of value is made
//! (rules makes the script's values, models plain JSON), so one checker serves every input and
//! every caller gets the same errors, at the same paths, in the same words.

use std::fmt::Write;
use std::marker::PhantomData;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::problem::{InputError, InputProblem};
use super::tree::{Shape, Tree};
use super::types::{Atom, Field, Type};
use crate::diag::{ECHO_MAX_CHARS, clip, did_you_mean};
use crate::value::Node;

/// The first year the engine accepts in a date (the business calendar's range).
pub const MIN_YEAR: i32 = 1900;
/// The last year the engine accepts in a date.
pub const MAX_YEAR: i32 = 2200;

/// Whether `d` lies in the years the engine accepts.
pub fn in_range(d: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&d.year())
}

/// How a checked input's values are made. Each method gets a value already checked; `unit` stands
/// for a value that is absent or has a problem.
pub trait Build {
    /// The text of an enumeration's value.
    type Atom: Atom;
    /// A typed value.
    type Value;
    /// An object under construction.
    type Map;

    /// No value (an optional field left out, or a value with a problem).
    fn unit() -> Self::Value;
    /// A string.
    fn string(s: &str) -> Self::Value;
    /// A boolean.
    fn boolean(b: bool) -> Self::Value;
    /// An integer.
    fn integer(i: i64) -> Self::Value;
    /// A decimal, and its text as written.
    fn decimal(d: Decimal, text: &str) -> Self::Value;
    /// A date, and its text as written.
    fn date(d: NaiveDate, text: &str) -> Self::Value;
    /// An instant, and its text as written.
    fn instant(t: DateTime<Utc>, text: &str) -> Self::Value;
    /// One of an enumeration's values: the schema's own text.
    fn choice(value: &Self::Atom) -> Self::Value;
    /// An `any` field's value, untyped.
    fn any<T: Tree>(node: &T) -> Self::Value;
    /// A new object.
    fn map() -> Self::Map;
    /// Set `key` of an object.
    fn insert(map: &mut Self::Map, key: &str, value: Self::Value);
    /// The finished object.
    fn object(map: Self::Map) -> Self::Value;
    /// A list.
    fn list(items: Vec<Self::Value>) -> Self::Value;

    /// How the items of a list taken whole are built (see [`check_rows`]): a builder that keeps
    /// a list of small records in a form of its own, not one object each.
    type Rows: Build<Atom = Self::Atom>;
    /// A list taken whole, as [`Build::Rows`] built it (unit when it had a problem).
    fn rows(list: <Self::Rows as Build>::Value) -> Self::Value;
    /// A list taken whole, built straight from `node` when it is plainly valid against `field`;
    /// `None` leaves it to the checker, which then builds it item by item or finds its problems.
    /// A builder of [`Build::Rows`] may read a long list of small records faster this way: it
    /// must build exactly what the checker would, and give up on anything else.
    fn rows_fast<T: Tree>(_field: &Field<Self::Atom>, _node: &T) -> Option<Self::Value> {
        None
    }
}

/// Check only: the typed value is thrown away (a schema's default, a document's shape).
#[derive(Debug, Clone, Copy)]
pub struct CheckOnly<S = String>(PhantomData<S>);

impl<S: Atom> Build for CheckOnly<S> {
    type Atom = S;
    type Value = ();
    type Map = ();
    fn unit() {}
    fn string(_: &str) {}
    fn boolean(_: bool) {}
    fn integer(_: i64) {}
    fn decimal(_: Decimal, _: &str) {}
    fn date(_: NaiveDate, _: &str) {}
    fn instant(_: DateTime<Utc>, _: &str) {}
    fn choice(_: &S) {}
    fn any<T: Tree>(_: &T) {}
    fn map() {}
    fn insert(_: &mut (), _: &str, _: ()) {}
    fn object(_: ()) {}
    fn list(_: Vec<()>) {}
    type Rows = Self;
    fn rows(_: ()) {}
}

/// Plain JSON, each value as the input wrote it (decimals, dates and instants keep their text; a
/// default takes its place): what serde then reads into a caller's own types.
#[derive(Debug, Clone, Copy)]
pub struct Json;

impl Build for Json {
    type Atom = String;
    type Value = serde_json::Value;
    type Map = serde_json::Map<String, serde_json::Value>;
    fn unit() -> serde_json::Value {
        serde_json::Value::Null
    }
    fn string(s: &str) -> serde_json::Value {
        serde_json::Value::String(s.to_owned())
    }
    fn boolean(b: bool) -> serde_json::Value {
        serde_json::Value::Bool(b)
    }
    fn integer(i: i64) -> serde_json::Value {
        serde_json::Value::from(i)
    }
    fn decimal(_: Decimal, text: &str) -> serde_json::Value {
        serde_json::Value::String(text.to_owned())
    }
    fn date(_: NaiveDate, text: &str) -> serde_json::Value {
        serde_json::Value::String(text.to_owned())
    }
    fn instant(_: DateTime<Utc>, text: &str) -> serde_json::Value {
        serde_json::Value::String(text.to_owned())
    }
    fn choice(value: &String) -> serde_json::Value {
        serde_json::Value::String(value.clone())
    }
    fn any<T: Tree>(node: &T) -> serde_json::Value {
        node.to_node().to_json()
    }
    fn map() -> Self::Map {
        serde_json::Map::new()
    }
    fn insert(map: &mut Self::Map, key: &str, value: serde_json::Value) {
        if !value.is_null() {
            map.insert(key.to_owned(), value);
        }
    }
    fn object(map: Self::Map) -> serde_json::Value {
        serde_json::Value::Object(map)
    }
    fn list(items: Vec<serde_json::Value>) -> serde_json::Value {
        serde_json::Value::Array(items)
    }
    type Rows = Self;
    fn rows(list: serde_json::Value) -> serde_json::Value {
        list
    }
}

/// Where a value is in the input, built as the checker descends and written out only for an
/// error: a valid input never pays for its paths.
#[derive(Debug, Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The path as errors give it: `events[3].at`. A key too long to echo is clipped.
    fn path(&self) -> String {
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

/// A decimal written as digits with an optional fraction (`120.00`), exactly.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let ok = !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && parts.next().is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    if ok { Decimal::from_str_exact(s).ok() } else { None }
}

/// A date written `2026-12-24`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub use super::instant::parse_instant;

/// Type `node` against `field`; problems go to `errors` and the returned value is then unit.
pub fn check<B: Build, T: Tree>(field: &Field<B::Atom>, node: Option<&T>, errors: &mut Vec<InputError>) -> B::Value {
    check_at::<B, T>(field, node, &At::Root, errors)
}

/// [`check`], with the root object's field `rows` (a list) built whole by [`Build::Rows`] and
/// handed over through [`Build::rows`]: the same checks, the same errors at the same paths, only
/// the typed list differs. rules gives a ticket's status changes to its clock that way, without
/// a map per change.
pub fn check_rows<B: Build, T: Tree>(
    field: &Field<B::Atom>,
    node: Option<&T>,
    rows: &str,
    errors: &mut Vec<InputError>,
) -> B::Value {
    match (&field.ty, node) {
        (Type::Object(fields), Some(n)) if matches!(n.shape(), Shape::Map) => {
            let before = errors.len();
            let value = object::<B, T>(fields, n, &At::Root, Some(rows), errors);
            if errors.len() > before { B::unit() } else { value }
        }
        _ => check::<B, T>(field, node, errors),
    }
}

fn check_at<B: Build, T: Tree>(
    field: &Field<B::Atom>,
    node: Option<&T>,
    at: &At<'_>,
    errors: &mut Vec<InputError>,
) -> B::Value {
    match node.filter(|n| !matches!(n.shape(), Shape::Null)) {
        Some(n) => present::<B, T>(&field.ty, n, at, errors),
        None => match field.default.as_ref().filter(|d| !matches!(d, Node::Null)) {
            Some(def) => present::<B, Node>(&field.ty, def, at, errors),
            None if field.optional => B::unit(),
            None => {
                errors.push(problem(at, InputProblem::MissingField));
                B::unit()
            }
        },
    }
}

/// Type a value that is there: unit when it has a problem.
fn present<B: Build, T: Tree>(ty: &Type<B::Atom>, node: &T, at: &At<'_>, errors: &mut Vec<InputError>) -> B::Value {
    let before = errors.len();
    let value = check_value::<B, T>(ty, node, at, errors);
    if errors.len() > before { B::unit() } else { value }
}

fn malformed(at: &At<'_>, value: &str, expected: &str, example: &str) -> InputError {
    problem(at, InputProblem::Malformed { value: clip(value), expected: expected.into(), example: example.into() })
}

fn check_value<B: Build, T: Tree>(ty: &Type<B::Atom>, node: &T, at: &At<'_>, errors: &mut Vec<InputError>) -> B::Value {
    match (ty, node.shape()) {
        (Type::Any, _) => B::any(node),
        (Type::String { max_len }, Shape::Str(s)) => {
            if let Some(max) = *max_len {
                let len = s.chars().count();
                if len > max {
                    errors.push(problem(at, InputProblem::BadLength { len, min: 0, max: Some(max) }));
                }
            }
            B::string(s)
        }
        (Type::Bool, Shape::Bool(b)) => B::boolean(b),
        (Type::Integer { min, max }, Shape::Number(n)) => match n.as_i64() {
            Some(i) => {
                if let Some(m) = min.filter(|m| i < *m) {
                    let (value, min) = (clip(&n.text()), m.to_string());
                    errors.push(problem(at, InputProblem::TooSmall { value, min, exclusive: false }));
                } else if let Some(m) = max.filter(|m| i > *m) {
                    let (value, max) = (clip(&n.text()), m.to_string());
                    errors.push(problem(at, InputProblem::TooLarge { value, max }));
                }
                B::integer(i)
            }
            None => {
                errors.push(malformed(at, &n.text(), "integer", "12"));
                B::unit()
            }
        },
        (Type::Integer { .. }, Shape::Float(n)) => {
            errors.push(malformed(at, &n.text(), "integer", "12"));
            B::unit()
        }
        (Type::Decimal { min, max, greater_than }, Shape::Str(s)) => {
            decimal::<B>(s, *min, *max, *greater_than, at, errors)
        }
        (Type::Decimal { min, max, greater_than }, Shape::Number(n)) => {
            decimal::<B>(&n.text(), *min, *max, *greater_than, at, errors)
        }
        (Type::Decimal { .. }, Shape::Float(_)) => {
            errors.push(wrong(at, "a decimal string", node));
            B::unit()
        }
        (Type::Date, Shape::Str(s)) => match parse_date(s) {
            Some(d) if in_range(d) => B::date(d, s),
            Some(_) => {
                errors.push(problem(at, InputProblem::OutOfRange { value: clip(s) }));
                B::unit()
            }
            None => {
                errors.push(malformed(at, s, "date", "2026-12-24"));
                B::unit()
            }
        },
        (Type::Instant, Shape::Str(s)) => match parse_instant(s) {
            Some(t) if in_range(t.date_naive()) => B::instant(t, s),
            Some(_) => {
                errors.push(problem(at, InputProblem::OutOfRange { value: clip(s) }));
                B::unit()
            }
            None => {
                errors.push(malformed(at, s, "instant", "2026-12-24T16:00:00+01:00"));
                B::unit()
            }
        },
        (Type::Enum(allowed), Shape::Str(s)) => one_of::<B>(allowed, s, at, errors),
        (Type::Enum(allowed), Shape::Number(n)) => one_of::<B>(allowed, &n.text(), at, errors),
        (Type::Object(fields), Shape::Map) => object::<B, T>(fields, node, at, None, errors),
        (Type::MapOf(items), Shape::Map) => {
            let mut map = B::map();
            for (key, v) in node.entries() {
                let value = check_at::<B, T>(items, Some(v), &At::Key(at, key), errors);
                B::insert(&mut map, key, value);
            }
            B::object(map)
        }
        (Type::List { items, min_items, max_items }, Shape::List) => {
            let list = node.items();
            if list.len() < *min_items || max_items.is_some_and(|m| list.len() > m) {
                let (len, min, max) = (list.len(), *min_items, *max_items);
                errors.push(problem(at, InputProblem::BadLength { len, min, max }));
                return B::unit();
            }
            let out = list.iter().enumerate().map(|(i, v)| check_at::<B, T>(items, Some(v), &At::Index(at, i), errors));
            B::list(out.collect())
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
            B::unit()
        }
    }
}

/// An object's fields; the field named `rows`, when there is one, is built by [`Build::Rows`].
fn object<B: Build, T: Tree>(
    fields: &[(String, Field<B::Atom>)],
    node: &T,
    at: &At<'_>,
    rows: Option<&str>,
    errors: &mut Vec<InputError>,
) -> B::Value {
    for (key, _) in node.entries() {
        if !fields.iter().any(|(f, _)| f == key) {
            let suggestion = did_you_mean(key, fields.iter().map(|(f, _)| f.as_str())).map(str::to_owned);
            errors.push(problem(&At::Key(at, key), InputProblem::UnknownField { suggestion }));
        }
    }
    let mut map = B::map();
    for (name, field) in fields {
        let (node, at) = (node.get(name), &At::Key(at, name));
        let v = match rows == Some(name.as_str()) {
            true => match node.and_then(|n| B::Rows::rows_fast(field, n)) {
                Some(list) => B::rows(list),
                None => B::rows(check_at::<B::Rows, T>(field, node, at, errors)),
            },
            false => check_at::<B, T>(field, node, at, errors),
        };
        B::insert(&mut map, name, v);
    }
    B::object(map)
}

/// A decimal written `text` (a string, or a number as written), within its bounds.
fn decimal<B: Build>(
    text: &str,
    min: Option<Decimal>,
    max: Option<Decimal>,
    greater_than: Option<Decimal>,
    at: &At<'_>,
    errors: &mut Vec<InputError>,
) -> B::Value {
    let Some(d) = parse_decimal(text) else {
        errors.push(malformed(at, text, "decimal", "120.00"));
        return B::unit();
    };
    if let Some(m) = greater_than.filter(|m| d <= *m) {
        errors.push(problem(at, InputProblem::TooSmall { value: clip(text), min: m.to_string(), exclusive: true }));
    } else if let Some(m) = min.filter(|m| d < *m) {
        errors.push(problem(at, InputProblem::TooSmall { value: clip(text), min: m.to_string(), exclusive: false }));
    } else if let Some(m) = max.filter(|m| d > *m) {
        errors.push(problem(at, InputProblem::TooLarge { value: clip(text), max: m.to_string() }));
    }
    B::decimal(d, text)
}

/// One of an enumeration's values, written `text`. The allowed values are shared strings: the
/// typed value is one of them, not a copy.
fn one_of<B: Build>(allowed: &[B::Atom], text: &str, at: &At<'_>, errors: &mut Vec<InputError>) -> B::Value {
    match allowed.iter().find(|a| a.as_ref() == text) {
        Some(value) => B::choice(value),
        None => {
            let allowed = allowed.iter().map(|a| a.as_ref().to_owned()).collect();
            errors.push(problem(at, InputProblem::NotOneOf { value: clip(text), allowed }));
            B::unit()
        }
    }
}
