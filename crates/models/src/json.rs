//! Reading the JSON a caller sends to `plan` and `dashboard`, by hand rather than with serde, so
//! that every problem names its JSON path (`people.reviewer`, `actions[3].id`) and all of them
//! are reported at once.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use missions_base::diag::{Diagnostic, Said, clip, did_you_mean};
use missions_base::said;

/// Collects the problems of one input.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    pub diags: Vec<Diagnostic>,
}

/// `path.key`, or `key` at the top.
pub(crate) fn at(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

fn kind(v: &Value) -> Said {
    match v {
        Value::Null => said!("null", "null", "null"),
        Value::Bool(_) => said!("a boolean", "un booléen", "een booleaanse waarde"),
        Value::Number(_) => said!("a number", "un nombre", "een getal"),
        Value::String(_) => said!("a string", "une chaîne", "een tekenreeks"),
        Value::Array(_) => said!("an array", "un tableau", "een lijst"),
        Value::Object(_) => said!("an object", "un objet", "een object"),
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

impl Reader {
    /// An error written in every language.
    pub fn error_said(&mut self, code: &'static str, message: Said) -> &mut Diagnostic {
        self.push(Diagnostic::error_said(code, message))
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn wrong(&mut self, path: &str, expected: Said, v: &Value) {
        let (e, k) = (expected, kind(v));
        let (ee, ef, en) = (&e.en, &e.fr, &e.nl);
        let (ke, kf, kn) = (&k.en, &k.fr, &k.nl);
        self.error_said(
            "input.invalid",
            said!(
                "`{path}` must be {ee}, not {ke}",
                "`{path}` doit être {ef}, pas {kf}",
                "`{path}` moet {en} zijn, geen {kn}"
            ),
        );
    }

    /// An object whose keys are all among `allowed`.
    pub fn object<'v>(&mut self, v: &'v Value, path: &str, allowed: &[&str]) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            let k = kind(v);
            let (ke, kf, kn) = (&k.en, &k.fr, &k.nl);
            self.error_said(
                "input.invalid",
                if path.is_empty() {
                    said!(
                        "the input must be an object, not {ke}",
                        "l'entrée doit être un objet, pas {kf}",
                        "de invoer moet een object zijn, geen {kn}"
                    )
                } else {
                    said!(
                        "`{path}` must be an object, not {ke}",
                        "`{path}` doit être un objet, pas {kf}",
                        "`{path}` moet een object zijn, geen {kn}"
                    )
                },
            );
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let field = at(path, key);
                let d = self.error_said(
                    "input.unknown-field",
                    said!("unknown field `{field}`", "champ inconnu `{field}`", "onbekend veld `{field}`"),
                );
                let fields = quoted(allowed);
                d.set_help_said(match did_you_mean(key, allowed.iter().copied()) {
                    Some(best) => Said::did_you_mean_help(best),
                    None => said!(
                        "the fields here are {fields}",
                        "les champs permis ici sont {fields}",
                        "de velden hier zijn {fields}"
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
                    let field = at(path, key);
                    self.error_said(
                        "input.missing-field",
                        said!("missing field `{field}`", "champ manquant `{field}`", "ontbrekend veld `{field}`"),
                    );
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
                self.wrong(&at(path, key), said!("a string", "une chaîne", "een tekenreeks"), v);
                None
            }
        }
    }

    pub fn date_value(&mut self, v: &Value, path: &str) -> Option<NaiveDate> {
        match v {
            Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    let s = clip(s);
                    self.error_said(
                        "input.invalid",
                        said!(
                            "`{path}` must be a date like `2026-12-24`, not `{s}`",
                            "`{path}` doit être une date comme `2026-12-24`, pas `{s}`",
                            "`{path}` moet een datum zijn zoals `2026-12-24`, niet `{s}`"
                        ),
                    );
                    None
                }
            },
            v => {
                self.wrong(
                    path,
                    said!("a date like `2026-12-24`", "une date comme `2026-12-24`", "een datum zoals `2026-12-24`"),
                    v,
                );
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
            self.wrong(path, said!("an array of strings", "un tableau de chaînes", "een lijst van tekenreeksen"), v);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                Value::String(_) => {
                    self.error_said(
                        "input.invalid",
                        said!("`{path}[{i}]` is empty", "`{path}[{i}]` est vide", "`{path}[{i}]` is leeg"),
                    );
                }
                v => self.wrong(&format!("{path}[{i}]"), said!("a string", "une chaîne", "een tekenreeks"), v),
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
            self.wrong(&p, said!("an object", "un objet", "een object"), v);
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
            self.wrong(&p, said!("an array", "un tableau", "een lijst"), v);
            return Vec::new();
        };
        items.iter().enumerate().map(|(i, v)| (format!("{p}[{i}]"), v)).collect()
    }
}
