//! What changed between two outputs, field by field: `lines[1].unit_price 35.00 → 36.00`.

use serde::Serialize;
use serde_json::Value;

/// One field whose value differs between the base's output and the candidate's.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FieldChange {
    /// Its path in the output (`lines[1].unit_price`; empty for the whole output).
    pub path: String,
    /// Its value under the base; `None` when the base's output has no such field.
    pub before: Option<Value>,
    /// Its value under the candidate; `None` when the candidate's output has no such field.
    pub after: Option<Value>,
}

impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| match v {
            None => "(none)".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => missions_base::clip(&other.to_string()),
        };
        let path = if self.path.is_empty() { "(output)" } else { &self.path };
        write!(f, "{path} {} → {}", show(&self.before), show(&self.after))
    }
}

/// Every field that differs between `before` and `after`, at most `max` of them; objects by key
/// (the base's keys in their order, alphabetical, then the keys only the candidate has), arrays by
/// position.
pub(super) fn changes(before: &Value, after: &Value, max: usize) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk(Some(before), Some(after), &mut String::new(), max, &mut out);
    out
}

fn walk(before: Option<&Value>, after: Option<&Value>, path: &mut String, max: usize, out: &mut Vec<FieldChange>) {
    if out.len() >= max {
        return;
    }
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for k in keys {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(a.get(k), b.get(k), path, max, out);
                path.truncate(len);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(a.get(i), b.get(i), path, max, out);
                path.truncate(len);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(FieldChange { path: path.clone(), before: a.cloned(), after: b.cloned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_added_and_removed_fields_are_listed_by_path() {
        let before = json!({"lines": [{"code": "license", "unit_price": "35.00"}], "total": "12314.17", "note": "x"});
        let after = json!({"lines": [{"code": "license", "unit_price": "36.00"}, {"code": "extra"}], "total": "12488.41", "mention": "y"});
        let shown: Vec<String> = changes(&before, &after, 100).iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "lines[0].unit_price 35.00 → 36.00",
                "lines[1] (none) → {\"code\":\"extra\"}",
                "note x → (none)",
                "total 12314.17 → 12488.41",
                "mention (none) → y"
            ]
        );
    }

    #[test]
    fn equal_outputs_have_no_changes_and_the_list_is_bounded() {
        let v = json!({"a": [1, 2, {"b": null}]});
        assert!(changes(&v, &v, 100).is_empty());
        let many = |d: i64| Value::Array((0..50).map(|i| json!(i + d)).collect());
        assert_eq!(changes(&many(0), &many(1), 10).len(), 10);
    }
}
