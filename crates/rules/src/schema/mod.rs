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
    DefError, InputError, InputProblem, Tree, has_personal, json_schema, mask, parse_date, parse_instant, yaml_schema,
};

use crate::types::{Date, Instant};

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
