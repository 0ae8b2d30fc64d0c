//! What an entry returns (`returns:` in `pack.yaml`): the JSON Schema the HTTP host publishes
//! for its answers, and the check golden cases hold every output to.

use crate::money::{self, OutputKind};
use crate::schema::{self, InputError};

use super::Pack;

impl Pack {
    /// The JSON Schema (2020-12) of the output of `entry`: its `returns:` fields (with, for an
    /// invoice entry, the invoice's own). `None` for a plain entry that declares no `returns:`.
    pub fn output_schema(&self, entry: &str) -> Option<serde_json::Value> {
        let e = self.inner.entries.get(entry)?;
        let declared = e.returns.as_ref().map(schema::json_schema);
        match e.output {
            OutputKind::Invoice => Some(money::invoice_schema(declared.as_ref())),
            OutputKind::Plain => declared,
        }
    }

    /// Whether an output of `entry` has the shape its `returns:` declares (for an invoice entry,
    /// the script's own fields): each problem with its path; none when nothing is declared.
    /// Golden cases check every output they get.
    pub fn check_output(&self, entry: &str, output: &serde_json::Value) -> Vec<InputError> {
        let Some(e) = self.inner.entries.get(entry) else { return Vec::new() };
        let Some(returns) = &e.returns else { return Vec::new() };
        let mut errors = Vec::new();
        // Only the problems matter: the typed value is dropped.
        let _ = match (e.output, output.as_object()) {
            (OutputKind::Invoice, Some(members)) => {
                let own: serde_json::Map<String, serde_json::Value> = members
                    .iter()
                    .filter(|(k, _)| !money::INVOICE_MEMBERS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                schema::check(returns, Some(&serde_json::Value::Object(own)), &mut errors)
            }
            _ => schema::check(returns, Some(output), &mut errors),
        };
        errors
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pack(manifest_entries: &str, scripts: &[(&str, &str)]) -> (tempfile::TempDir, Pack) {
        let dir = tempfile::tempdir().unwrap();
        let manifest = format!(
            "name: t\nversion: 1.0.0\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\n\
             languages: [fr, nl, en]\nlabels: labels.yaml\nentries:\n{manifest_entries}"
        );
        std::fs::write(dir.path().join("pack.yaml"), manifest).unwrap();
        let labels = crate::money::REQUIRED_LABELS
            .iter()
            .map(|code| format!("{code}: {{fr: x, nl: x, en: x}}\n"))
            .collect::<String>();
        std::fs::write(dir.path().join("labels.yaml"), labels).unwrap();
        for (name, text) in scripts {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let pack = Pack::load(dir.path()).unwrap();
        (dir, pack)
    }

    #[test]
    fn an_output_is_held_to_its_returns_and_its_schema_published() {
        let (_dir, pack) = pack(
            "  plain:\n    script: plain.rhai\n    input: {}\n    returns:\n      total: decimal\n      when: date?\n\
             \x20 loose:\n    script: plain.rhai\n    input: {}\n",
            &[("plain.rhai", "fn plain(input, params) { #{ total: 1 } }\nfn loose(input, params) { #{ any: 1 } }\n")],
        );
        assert!(pack.check_output("plain", &json!({"total": "12.50", "when": "2026-12-24"})).is_empty());
        assert!(pack.check_output("plain", &json!({"total": "12.50"})).is_empty(), "`when` is optional");
        let problems: Vec<(String, String)> = pack
            .check_output("plain", &json!({"total": 1.5, "extra": true}))
            .iter()
            .map(|e| (e.path.clone(), e.problem.message("en")))
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, "extra");
        assert_eq!(problems[1].0, "total");
        assert!(pack.check_output("loose", &json!({"anything": 1})).is_empty(), "nothing declared, nothing checked");

        let schema = pack.output_schema("plain").unwrap();
        assert_eq!(schema["required"], json!(["total"]));
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(pack.output_schema("loose"), None);
    }

    #[test]
    fn an_invoice_declares_only_what_its_script_adds() {
        let script = "fn quote(input, params) {\n  #{ lines: [#{ code: \"x\", quantity: 1, unit_price: 10, vat_category: \"S\", \
                      vat_rate: 21, label: \"line_x\" }], users: 3 }\n}\n";
        let (_dir, pack) = pack(
            "  quote:\n    script: quote.rhai\n    output: invoice\n    input: {}\n    returns:\n      users: integer\n",
            &[("quote.rhai", script)],
        );
        let schema = pack.output_schema("quote").unwrap();
        for member in ["lines", "vat", "net_total", "vat_total", "total", "notes", "currency", "users"] {
            assert!(schema["properties"][member].is_object(), "{member}: {schema:#}");
        }
        assert!(schema["required"].as_array().unwrap().contains(&json!("users")));
        // The invoice's own members are the engine's to write; only `users` is checked.
        assert!(pack.check_output("quote", &json!({"lines": [], "total": "0.00", "users": 3})).is_empty());
        let problems = pack.check_output("quote", &json!({"lines": [], "users": "three"}));
        assert_eq!(problems.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["users"]);
    }
}
