//! Masking the fields a schema marks `personal: true` in a JSON input, before it is stored.

use serde_json::Value;

use super::types::{Field, Type};

/// Mask, in place, every value of `value` that `field` (or a field inside it) marks personal.
pub fn mask<S>(field: &Field<S>, value: &mut Value) {
    if field.personal {
        mask_value(value);
        return;
    }
    match (&field.ty, value) {
        (Type::Object(fields), Value::Object(obj)) => {
            for (name, f) in fields {
                if let Some(v) = obj.get_mut(name) {
                    mask(f, v);
                }
            }
        }
        (Type::List { items, .. }, Value::Array(arr)) => arr.iter_mut().for_each(|v| mask(items, v)),
        (Type::MapOf(items), Value::Object(obj)) => obj.values_mut().for_each(|v| mask(items, v)),
        _ => {}
    }
}

/// Whether `field` or a field inside it is personal.
pub fn has_personal<S>(field: &Field<S>) -> bool {
    field.personal
        || match &field.ty {
            Type::Object(fields) => fields.iter().any(|(_, f)| has_personal(f)),
            Type::List { items, .. } | Type::MapOf(items) => has_personal(items),
            _ => false,
        }
}

/// Keep the first two characters (a country prefix) and the punctuation; digits become `0` and
/// letters `X`. Numbers become 0; anything else is dropped to null.
fn mask_value(v: &mut Value) {
    *v = match v {
        Value::String(s) => Value::String(
            s.chars()
                .enumerate()
                .map(|(i, c)| match c {
                    _ if i < 2 => c,
                    c if c.is_ascii_digit() => '0',
                    c if c.is_alphanumeric() => 'X',
                    c => c,
                })
                .collect(),
        ),
        Value::Number(_) => Value::from(0),
        Value::Null => Value::Null,
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => Value::Null,
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;
    use crate::schema::compile_fields;

    fn fields(yaml: &str) -> Field {
        let map: crate::yaml::Mapping = crate::yaml::decode(yaml).unwrap();
        let mut errors = Vec::new();
        let f = compile_fields(&map, "input", &mut errors);
        assert!(errors.is_empty());
        Field::object(f)
    }

    #[test]
    fn personal_fields_are_masked_at_any_depth_and_the_rest_is_kept() {
        let f = fields(
            "client: {type: object, fields: {vat_number: {type: string, optional: true, personal: true}, country: string}}\ncontacts: {type: list, items: {type: object, fields: {email: {type: string, personal: true}}}}\nusers: integer\n",
        );
        let mut v = json!({"client": {"vat_number": "BE 0123.456.789", "country": "BE"}, "contacts": [{"email": "ann@firm.be"}], "users": 12});
        assert!(has_personal(&f));
        mask(&f, &mut v);
        assert_eq!(
            v,
            json!({"client": {"vat_number": "BE 0000.000.000", "country": "BE"}, "contacts": [{"email": "anX@XXXX.XX"}], "users": 12})
        );
    }
}
