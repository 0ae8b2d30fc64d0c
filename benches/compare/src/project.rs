//! The comparable projection of each decision's output: what all implementations must agree on,
//! with every decimal normalised (`"1250.00"`, `1250` and `"1250"` are the same amount) and
//! every instant in UTC. Labels, notes and extra fields are not part of it (see
//! docs/performance.md, "What is compared").

use chrono::DateTime;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A decimal from a JSON string or number, normalised; `None` if neither.
fn dec(v: &Value) -> Value {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return json!(format!("not a decimal: {other}")),
    };
    match text.parse::<Decimal>() {
        Ok(d) => Value::String(d.normalize().to_string()),
        Err(_) => json!(format!("not a decimal: {text}")),
    }
}

fn text(v: &Value) -> Value {
    v.as_str().map_or_else(|| json!(format!("not a string: {v}")), |s| json!(s))
}

/// esomus `quote`: for each line in order its code, quantity, unit price, amount, VAT category
/// and VAT rate; the VAT breakdown (category, rate, base, amount); net total, VAT total, total.
pub fn quote(out: &Value) -> Value {
    let lines: Vec<Value> = out["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| {
                    json!([text(&l["code"]), dec(&l["quantity"]), dec(&l["unit_price"]), dec(&l["amount"]),
                           text(&l["vat_category"]), dec(&l["vat_rate"])])
                })
                .collect()
        })
        .unwrap_or_default();
    let vat: Vec<Value> = out["vat"]
        .as_array()
        .map(|vs| {
            vs.iter()
                .map(|v| json!([text(&v["category"]), dec(&v["rate"]), dec(&v["base"]), dec(&v["amount"])]))
                .collect()
        })
        .unwrap_or_default();
    json!({"lines": lines, "vat": vat, "net_total": dec(&out["net_total"]), "vat_total": dec(&out["vat_total"]),
           "total": dec(&out["total"])})
}

/// The tier decision: the row number and its price.
pub fn tier(out: &Value) -> Value {
    json!({"tier": dec(&out["tier"]), "price": dec(&out["price"])})
}

fn instant(v: &Value) -> Value {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map_or_else(|| json!(format!("not an instant: {v}")), |t| json!(t.to_utc().to_rfc3339()))
}

/// norriq `sla`: the priority applied, the target in working hours, when counting starts and the
/// deadline (as UTC instants).
pub fn sla(out: &Value) -> Value {
    json!({"priority": text(&out["priority"]), "target_working_hours": dec(&out["target_working_hours"]),
           "starts_counting": instant(&out["starts_counting"]), "deadline": instant(&out["deadline"])})
}
