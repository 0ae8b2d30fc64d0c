//! The schema language (in `missions_base::schema`) as rules use it: an entry's input and a
//! pack's parameters are typed into the script's values (Decimal, Date, Instant …), and an
//! enumeration's values are rhai's shared strings, so a typed value is one of them, not a copy.

#[cfg(test)]
mod tests;

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rhai::{Array, Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;

use missions_base::schema::{Build, Shape};
pub(crate) use missions_base::schema::{
    DefError, InputError, InputProblem, Tree, has_personal, in_range, json_schema, mask, parse_date, parse_instant,
    yaml_schema,
};

use crate::types::{Date, Instant, StatusChanges};

/// A field of an input, an output or a parameter file, as rules compile it.
pub(crate) type Field = missions_base::schema::Field<ImmutableString>;
/// A type of the schema language, as rules compile it.
pub(crate) type Type = missions_base::schema::Type<ImmutableString>;

/// The script's values.
struct ScriptValues;

impl Build for ScriptValues {
    type Atom = ImmutableString;
    type Value = Dynamic;
    type Map = Map;
    fn unit() -> Dynamic {
        Dynamic::UNIT
    }
    fn string(s: &str) -> Dynamic {
        Dynamic::from(s.to_owned())
    }
    fn boolean(b: bool) -> Dynamic {
        Dynamic::from(b)
    }
    fn integer(i: i64) -> Dynamic {
        Dynamic::from(i)
    }
    fn decimal(d: Decimal, _: &str) -> Dynamic {
        Dynamic::from_decimal(d)
    }
    fn date(d: NaiveDate, _: &str) -> Dynamic {
        Dynamic::from(Date(d))
    }
    fn instant(t: DateTime<Utc>, _: &str) -> Dynamic {
        Dynamic::from(Instant(t))
    }
    fn choice(value: &ImmutableString) -> Dynamic {
        Dynamic::from(value.clone())
    }
    fn any<T: Tree>(node: &T) -> Dynamic {
        any_to_dynamic(node)
    }
    fn map() -> Map {
        Map::new()
    }
    fn insert(map: &mut Map, key: &str, value: Dynamic) {
        map.insert(key.into(), value);
    }
    fn object(map: Map) -> Dynamic {
        Dynamic::from_map(map)
    }
    fn list(items: Vec<Dynamic>) -> Dynamic {
        Dynamic::from_array(items)
    }
    type Rows = ChangeRows;
    fn rows(list: Cell) -> Dynamic {
        match list {
            Cell::Changes(changes) => Dynamic::from(StatusChanges(changes)),
            _ => Dynamic::UNIT,
        }
    }
}

/// A ticket's status changes taken whole ([`check_entry`]'s `rows`): each change an instant and
/// a shared string, the list one vector. Only lists of objects with exactly `at` (an instant)
/// and `status` (a string or an enumeration) are taken so (see [`is_status_changes`]); anything
/// else in them would be lost.
pub(crate) struct ChangeRows;

/// A value of [`ChangeRows`].
pub(crate) enum Cell {
    Unit,
    Instant(DateTime<Utc>),
    Text(ImmutableString),
    Change(Option<DateTime<Utc>>, Option<ImmutableString>),
    Changes(Vec<(DateTime<Utc>, ImmutableString)>),
}

impl Build for ChangeRows {
    type Atom = ImmutableString;
    type Value = Cell;
    type Map = (Option<DateTime<Utc>>, Option<ImmutableString>);
    fn unit() -> Cell {
        Cell::Unit
    }
    fn string(s: &str) -> Cell {
        Cell::Text(s.into())
    }
    fn boolean(_: bool) -> Cell {
        Cell::Unit
    }
    fn integer(_: i64) -> Cell {
        Cell::Unit
    }
    fn decimal(_: Decimal, _: &str) -> Cell {
        Cell::Unit
    }
    fn date(_: NaiveDate, _: &str) -> Cell {
        Cell::Unit
    }
    fn instant(t: DateTime<Utc>, _: &str) -> Cell {
        Cell::Instant(t)
    }
    fn choice(value: &ImmutableString) -> Cell {
        Cell::Text(value.clone())
    }
    fn any<T: Tree>(_: &T) -> Cell {
        Cell::Unit
    }
    fn map() -> Self::Map {
        (None, None)
    }
    fn insert(map: &mut Self::Map, key: &str, value: Cell) {
        match (key, value) {
            ("at", Cell::Instant(t)) => map.0 = Some(t),
            ("status", Cell::Text(s)) => map.1 = Some(s),
            _ => {}
        }
    }
    fn object(map: Self::Map) -> Cell {
        Cell::Change(map.0, map.1)
    }
    fn list(items: Vec<Cell>) -> Cell {
        let changes = items.into_iter().filter_map(|c| match c {
            Cell::Change(Some(at), Some(status)) => Some((at, status)),
            _ => None,
        });
        Cell::Changes(changes.collect())
    }
    type Rows = Self;
    fn rows(list: Cell) -> Cell {
        list
    }
    /// Each change read straight from its two fields; anything unusual (another field, a value of
    /// another type, an instant or a status the checker would refuse) is left to the checker.
    fn rows_fast<T: Tree>(field: &Field, node: &T) -> Option<Cell> {
        let Type::List { items, min_items, max_items } = &field.ty else { return None };
        let Type::Object(fields) = &items.ty else { return None };
        let status = &fields.iter().find(|(name, _)| name == "status")?.1.ty;
        let list = node.items();
        if !matches!(node.shape(), Shape::List) || list.len() < *min_items || max_items.is_some_and(|m| list.len() > m)
        {
            return None;
        }
        let mut changes = Vec::with_capacity(list.len());
        for item in list {
            if !matches!(item.shape(), Shape::Map) {
                return None;
            }
            let (mut at, mut to) = (None, None);
            for (key, value) in item.entries() {
                let Shape::Str(text) = value.shape() else { return None };
                match key {
                    "at" => at = Some(parse_instant(text).filter(|t| in_range(t.date_naive()))?),
                    "status" => {
                        to = Some(match status {
                            Type::Enum(allowed) => allowed.iter().find(|a| a.as_str() == text)?.clone(),
                            Type::String { max_len } if max_len.is_none_or(|m| text.chars().count() <= m) => {
                                text.into()
                            }
                            _ => return None,
                        });
                    }
                    _ => return None,
                }
            }
            changes.push((at?, to?));
        }
        Some(Cell::Changes(changes))
    }
}

/// Whether `field` is a list of status changes [`ChangeRows`] can take whole: objects with
/// exactly a required instant `at` and a required string or enumeration `status`.
pub(crate) fn is_status_changes(field: &Field) -> bool {
    let Type::List { items, .. } = &field.ty else { return false };
    let Type::Object(fields) = &items.ty else { return false };
    let required = |f: &Field| !f.optional && f.default.is_none();
    matches!(
        fields.as_slice(),
        [(a, at), (s, status)] | [(s, status), (a, at)]
            if a == "at" && s == "status" && required(at) && required(status)
                && matches!(at.ty, Type::Instant)
                && matches!(status.ty, Type::Enum(_) | Type::String { .. })
    )
}

/// Type an entry's input: [`check`], with the root's list field `rows` taken whole as
/// [`StatusChanges`] when given.
pub(crate) fn check_entry<T: Tree>(
    field: &Field,
    node: Option<&T>,
    rows: Option<&str>,
    errors: &mut Vec<InputError>,
) -> Dynamic {
    match rows {
        Some(rows) => missions_base::schema::check_rows::<ScriptValues, T>(field, node, rows, errors),
        None => check(field, node, errors),
    }
}

/// Type `node` against `field` into the script's values; problems go to `errors` and the
/// returned value is then unit.
pub(crate) fn check<T: Tree>(field: &Field, node: Option<&T>, errors: &mut Vec<InputError>) -> Dynamic {
    missions_base::schema::check::<ScriptValues, T>(field, node, errors)
}

/// Compile the fields of an object type (an input or parameter file root).
pub(crate) fn compile_fields(
    map: &missions_base::yaml::Mapping,
    path: &str,
    errors: &mut Vec<DefError>,
) -> Vec<(String, Field)> {
    missions_base::schema::compile_fields(map, path, errors)
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
        Shape::List => Dynamic::from_array(n.items().iter().map(any_to_dynamic).collect::<Array>()),
        Shape::Map => Dynamic::from_map(n.entries().map(|(k, v)| (k.into(), any_to_dynamic(v))).collect()),
    }
}
