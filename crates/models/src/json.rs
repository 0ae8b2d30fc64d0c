//! Reading the JSON a caller sends to `plan` and `dashboard`, by hand rather than with serde, so
//! that every problem names its JSON path (`people.reviewer`, `actions[3].id`) and all of them
//! are reported at once.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use missions_base::diag::{Diagnostic, did_you_mean};

/// Collects the problems of one input.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    pub diags: Vec<Diagnostic>,
}

/// `path.key`, or `key` at the top.
pub(crate) fn at(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Reader {
    pub fn error(&mut self, code: &'static str, message: String) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(code, message));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn wrong(&mut self, path: &str, expected: &str, v: &Value) {
        self.error("input.invalid", format!("`{path}` must be {expected}, not {}", kind(v)));
    }

    /// An object whose keys are all among `allowed`.
    pub fn object<'v>(&mut self, v: &'v Value, path: &str, allowed: &[&str]) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            let p = if path.is_empty() { "the input" } else { path };
            self.error("input.invalid", format!("`{p}` must be an object, not {}", kind(v)));
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let d = self.error("input.unknown-field", format!("unknown field `{}`", at(path, key)));
                d.help = Some(match did_you_mean(key, allowed.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "the fields here are {}",
                        allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        Some(map)
    }

    fn field<'v>(&mut self, map: &'v Map<String, Value>, path: &str, key: &str, required: bool) -> Option<&'v Value> {
        match map.get(key) {
            Some(Value::Null) | None => {
                if required {
                    self.error("input.missing-field", format!("missing field `{}`", at(path, key)));
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    pub fn string(&mut self, map: &Map<String, Value>, path: &str, key: &str, required: bool) -> Option<String> {
        let v = self.field(map, path, key, required)?;
        match v {
            Value::String(s) => Some(s.clone()),
            v => {
                self.wrong(&at(path, key), "a string", v);
                None
            }
        }
    }

    pub fn date_value(&mut self, v: &Value, path: &str) -> Option<NaiveDate> {
        match v {
            Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    self.error("input.invalid", format!("`{path}` must be a date like `2026-12-24`, not `{s}`"));
                    None
                }
            },
            v => {
                self.wrong(path, "a date like `2026-12-24`", v);
                None
            }
        }
    }

    pub fn date(&mut self, map: &Map<String, Value>, path: &str, key: &str, required: bool) -> Option<NaiveDate> {
        let v = self.field(map, path, key, required)?;
        self.date_value(v, &at(path, key))
    }

    pub fn strings(&mut self, v: &Value, path: &str) -> Option<Vec<String>> {
        let Value::Array(items) = v else {
            self.wrong(path, "an array of strings", v);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                Value::String(_) => {
                    self.error("input.invalid", format!("`{path}[{i}]` is empty"));
                }
                v => self.wrong(&format!("{path}[{i}]"), "a string", v),
            }
        }
        Some(out)
    }

    pub fn map_of<T>(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        mut each: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> BTreeMap<String, T> {
        let mut out = BTreeMap::new();
        let Some(v) = self.field(map, path, key, false) else {
            return out;
        };
        let p = at(path, key);
        let Value::Object(m) = v else {
            self.wrong(&p, "an object", v);
            return out;
        };
        for (k, v) in m {
            if let Some(x) = each(self, v, &at(&p, k)) {
                out.insert(k.clone(), x);
            }
        }
        out
    }

    pub fn list<'v>(&mut self, map: &'v Map<String, Value>, path: &str, key: &str) -> Vec<(String, &'v Value)> {
        let Some(v) = self.field(map, path, key, false) else {
            return Vec::new();
        };
        let p = at(path, key);
        let Value::Array(items) = v else {
            self.wrong(&p, "an array", v);
            return Vec::new();
        };
        items.iter().enumerate().map(|(i, v)| (format!("{p}[{i}]"), v)).collect()
    }
}
