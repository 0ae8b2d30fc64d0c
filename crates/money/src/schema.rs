//! The JSON Schema of an invoice entry's output: what [`super::Invoice`] writes, plus the
//! script's own fields. Published by the HTTP host for each invoice entry.

use serde_json::{Value, json};

/// The members the engine writes; the script writes the others.
pub const INVOICE_MEMBERS: [&str; 8] =
    ["buyer_vat_number", "currency", "lines", "net_total", "notes", "total", "vat", "vat_total"];

/// An amount or a quantity: a decimal written as a string (`"10177.00"`).
fn decimal(description: &str) -> Value {
    json!({"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "description": description})
}

/// A text in each of the pack's languages.
fn texts() -> Value {
    json!({"type": "object", "additionalProperties": {"type": "string"}, "description": "the text in each of the pack's languages (`fr`, `nl`, `en` …)"})
}

/// The schema of an invoice entry's output. `script` is the JSON Schema of the fields the script
/// adds (an object schema from the entry's `returns:`); without it, any other member may appear.
pub fn invoice_schema(script: Option<&Value>) -> Value {
    let line = json!({
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "label": texts(),
            "quantity": decimal("billed quantity"),
            "base_quantity": decimal("the quantity `unit_price` is for, when not 1"),
            "unit": {"type": "string", "description": "UN/ECE rec. 20 unit code, when not a piece"},
            "unit_price": decimal("net price of `base_quantity`"),
            "amount": decimal("`quantity` × `unit_price` ÷ `base_quantity`, rounded to cents"),
            "vat_category": {"type": "string", "description": "EN 16931 VAT category code (S, AE, K, O, E, Z)"},
            "vat_rate": decimal("VAT rate in percent"),
        },
        "required": ["code", "label", "quantity", "unit_price", "amount", "vat_category", "vat_rate"],
        "additionalProperties": false,
    });
    let subtotal = json!({
        "type": "object",
        "properties": {
            "category": {"type": "string"},
            "rate": decimal("VAT rate in percent"),
            "base": decimal("the lines' net amount in this category and rate"),
            "amount": decimal("the VAT"),
        },
        "required": ["category", "rate", "base", "amount"],
        "additionalProperties": false,
    });
    let note = json!({
        "type": "object",
        "properties": {"code": {"type": "string"}, "label": texts()},
        "required": ["code", "label"],
        "additionalProperties": false,
    });
    let mut schema = json!({
        "type": "object",
        "properties": {
            "currency": {"type": "string", "description": "ISO 4217 code"},
            "lines": {"type": "array", "items": line},
            "vat": {"type": "array", "items": subtotal, "description": "VAT per category and rate, in order of first appearance"},
            "net_total": decimal("sum of the line amounts"),
            "vat_total": decimal("sum of the VAT amounts"),
            "total": decimal("`net_total` + `vat_total`"),
            "notes": {"type": "array", "items": note, "description": "notes, legal mentions included"},
            "buyer_vat_number": {"type": "string", "description": "the buyer's VAT number, when the document must show it"},
        },
        "required": ["currency", "lines", "vat", "net_total", "vat_total", "total", "notes"],
        "additionalProperties": script.is_none(),
    });
    if let Some(script) = script {
        if let (Some(all), Some(own)) = (schema["properties"].as_object_mut(), script["properties"].as_object()) {
            all.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let (Some(all), Some(own)) = (schema["required"].as_array_mut(), script["required"].as_array()) {
            all.extend(own.iter().cloned());
        }
    }
    schema
}
