//! A schema of the schema language as JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), so
//! the HTTP host can publish each entry's input and clients can check or generate inputs.

use serde_json::{Map, Value, json};

use super::types::{Atom, Field, Type};

/// Digits, an optional fraction: how a decimal is written as a string.
const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// How values are written where the schema applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// JSON request bodies: decimals as strings of digits (or integers), never JSON fractions.
    Json,
    /// Hand-written YAML files (parameters): a decimal is written plainly, `35.00`, which YAML
    /// reads as a number.
    Yaml,
}

/// The JSON Schema of `field`. Bounds the schema language checks but JSON Schema cannot say (a
/// decimal string's minimum, dates' range 1900–2200) are in `description`, after the field's
/// `doc:` when it has one.
pub fn json_schema<S: Atom>(field: &Field<S>) -> Value {
    schema_of(field, Flavour::Json)
}

/// [`json_schema`] for values written in YAML.
pub fn yaml_schema<S: Atom>(field: &Field<S>) -> Value {
    schema_of(field, Flavour::Yaml)
}

fn schema_of<S: Atom>(field: &Field<S>, flavour: Flavour) -> Value {
    let mut schema = of_type(&field.ty, flavour);
    if let Some(doc) = &field.doc {
        let described = match schema.get("description").and_then(Value::as_str) {
            Some(d) => format!("{doc} — {d}"),
            None => doc.clone(),
        };
        schema["description"] = json!(described);
    }
    if field.personal {
        // Tells clients and editors that the host masks this value in what it stores.
        schema["x-personal"] = json!(true);
    }
    if field.optional || field.default.is_some() { json!({"anyOf": [schema, {"type": "null"}]}) } else { schema }
}

fn of_type<S: Atom>(ty: &Type<S>, flavour: Flavour) -> Value {
    match ty {
        Type::Any => json!({}),
        Type::String { max_len } => {
            let mut s = json!({"type": "string"});
            if let Some(m) = max_len {
                s["maxLength"] = json!(m);
            }
            s
        }
        Type::Bool => json!({"type": "boolean"}),
        Type::Integer { min, max } => {
            json!({"type": "integer", "minimum": min.unwrap_or(i64::MIN), "maximum": max.unwrap_or(i64::MAX)})
        }
        Type::Decimal { min, max, greater_than } => {
            let mut bounds = Vec::new();
            if let Some(m) = min {
                bounds.push(format!("at least {m}"));
            }
            if let Some(m) = greater_than {
                bounds.push(format!("greater than {m}"));
            }
            if let Some(m) = max {
                bounds.push(format!("at most {m}"));
            }
            if flavour == Flavour::Yaml {
                let description = if bounds.is_empty() {
                    "a decimal".to_owned()
                } else {
                    format!("a decimal, {}", bounds.join(", "))
                };
                return json!({"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_PATTERN}], "description": description});
            }
            let description = if bounds.is_empty() {
                "a decimal, exact: a string of digits (`\"12.50\"`) or an integer".to_owned()
            } else {
                format!("a decimal, exact: a string of digits (`\"12.50\"`) or an integer, {}", bounds.join(", "))
            };
            json!({
                "anyOf": [{"type": "string", "pattern": DECIMAL_PATTERN}, {"type": "integer"}],
                "description": description,
            })
        }
        Type::Date => json!({
            "type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "a date between 1900 and 2200",
        }),
        Type::Instant => json!({
            "type": "string", "format": "date-time",
            "description": "an RFC 3339 instant with its offset, between 1900 and 2200",
        }),
        Type::Enum(values) => json!({"enum": values.iter().map(|v| v.as_ref()).collect::<Vec<_>>()}),
        Type::Object(fields) => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for (name, f) in fields {
                properties.insert(name.clone(), schema_of(f, flavour));
                if !f.optional && f.default.is_none() {
                    required.push(json!(name));
                }
            }
            json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
        }
        Type::List { items, min_items, max_items } => {
            let mut s = json!({"type": "array", "items": schema_of(items, flavour), "minItems": min_items});
            if let Some(m) = max_items {
                s["maxItems"] = json!(m);
            }
            s
        }
        Type::MapOf(items) => json!({"type": "object", "additionalProperties": schema_of(items, flavour)}),
    }
}
