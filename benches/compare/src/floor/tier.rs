//! The 5-row tier decision by hand: a `match` on the number of users.

use serde_json::{Value, json};

/// `{"users": n}` → `{"tier": 1..=5, "price": "…"}`, the same rows as `packs/tier/tier.yaml`
/// and `jdm/tier.json`.
pub fn tier(input: &Value) -> Result<Value, String> {
    let obj = input.as_object().ok_or("not an object")?;
    if obj.len() != 1 {
        return Err("only `users` is expected".into());
    }
    let users = input["users"].as_i64().filter(|u| *u >= 1).ok_or("users: an integer ≥ 1")?;
    let (tier, price) = match users {
        ..=5 => (1, "750.00"),
        6..=15 => (2, "1250.00"),
        16..=50 => (3, "2000.00"),
        51..=200 => (4, "3000.00"),
        _ => (5, "4500.00"),
    };
    Ok(json!({"tier": tier, "price": price}))
}
