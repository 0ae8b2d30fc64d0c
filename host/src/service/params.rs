//! Changing a pack's parameters without editing its files by hand: each value is named by its
//! path (`license_per_user_month`, `setup.tiers[2].price`) and written over the old one in the
//! parameter file that holds it, in place (comments, order and layout stay); the version can be
//! made a new one in force from a later date; and the golden cases' expectations can be accepted
//! as the new outputs, as `missions test --update` does. The tariff console and
//! `POST /v1/admin/packs/{pack}/params` use it; what comes out is a pack upload like any other.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use missions_engine::crates::base::yaml::{Quoting, SourceText, YamlLimits, scalar_spans, splice};
use missions_engine::{CaseFilter, FileUpdate, Pack, PackId, case_files, run_case_file_matching, update_case_file};
use serde::Serialize;
use serde_json::Value;

use super::bundle::read_bundle;

/// One value written over another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, schemars::JsonSchema)]
pub struct ParamChange {
    /// The parameter file it is in.
    pub file: String,
    /// Its path.
    pub path: String,
    /// The value as it was written.
    pub from: String,
    /// The value as it is written now.
    pub to: String,
}

/// Why a value cannot be set: the path, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRefused {
    /// The path as given.
    pub path: String,
    /// What is wrong.
    pub why: String,
}

/// Write every value of `set` over the one at its path in the parameter files of `files`.
/// Nothing is written unless every value can be.
pub fn set_params(
    files: &mut BTreeMap<String, String>,
    param_files: &[String],
    set: &BTreeMap<String, Value>,
) -> Result<Vec<ParamChange>, Vec<ParamRefused>> {
    let mut spans = Vec::new();
    let mut refused = Vec::new();
    for rel in param_files {
        let Some(text) = files.get(rel) else { continue };
        match scalar_spans(&SourceText::new(rel.as_str(), text.as_str()), YamlLimits::default()) {
            Ok(s) => spans.push((rel.clone(), s)),
            Err(d) => refused.push(ParamRefused { path: String::new(), why: format!("`{rel}` does not read: {d}") }),
        }
    }
    let mut edits: BTreeMap<String, Vec<_>> = BTreeMap::new();
    let mut changes = Vec::new();
    for (path, value) in set {
        let found = spans.iter().find_map(|(rel, s)| s.get(path).map(|span| (rel, *span)));
        let Some((rel, span)) = found else {
            refused.push(ParamRefused {
                path: path.clone(),
                why: format!(
                    "no parameter file writes a value at `{path}` on one line (a list or a mapping is changed one value at a time, by the path of each)"
                ),
            });
            continue;
        };
        let Some(text) = files.get(rel) else { continue };
        let Some(from) = text.get(span.start..span.end) else { continue };
        match yaml_scalar(value, span.quoting) {
            Ok(to) => {
                changes.push(ParamChange {
                    file: rel.clone(),
                    path: path.clone(),
                    from: from.to_owned(),
                    to: to.clone(),
                });
                edits.entry(rel.clone()).or_default().push((span, to));
            }
            Err(why) => refused.push(ParamRefused { path: path.clone(), why }),
        }
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    for (rel, e) in edits {
        if let Some(text) = files.get_mut(&rel) {
            *text = splice(text, e);
        }
    }
    Ok(changes)
}

/// `value` as a one-line YAML scalar: numbers and booleans plainly, text as it was quoted (plain
/// only when it reads back as the same text, else in double quotes).
fn yaml_scalar(value: &Value, quoting: Quoting) -> Result<String, String> {
    match value {
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::String(s) if s.contains('\n') => Err("a value is written on one line".into()),
        Value::String(s) => {
            let plain_number = !s.is_empty() && s.parse::<rust_decimal::Decimal>().is_ok() && !s.starts_with('+');
            let plain_text = !s.is_empty()
                && s.chars().all(|c| c.is_alphanumeric() || " -_./".contains(c))
                && !s.starts_with([' ', '-'])
                && !s.ends_with(' ')
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
                );
            match quoting {
                Quoting::Plain if plain_number || plain_text => Ok(s.clone()),
                Quoting::Single if !s.contains('\'') => Ok(format!("'{s}'")),
                _ => serde_json::to_string(s).map_err(|e| e.to_string()),
            }
        }
        Value::Null => Err("a parameter cannot be removed here; give its new value".into()),
        Value::Array(_) | Value::Object(_) => {
            Err("give each value of a list or a mapping by its own path (`tiers[0].price`)".into())
        }
    }
}

/// The version after `v` for one in force from `effective`: a calendar version (`2026.1.0`)
/// moves to the new year (`2027.1.0`), or to its next release within the same year; any other
/// dotted number gets its second part raised (`3.4` → `3.5`).
pub fn next_version(v: &str, effective: NaiveDate) -> Option<String> {
    let parts: Vec<u64> = v.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (&first, rest) = parts.split_first()?;
    let year = u64::try_from(chrono::Datelike::year(&effective)).ok()?;
    let calendar = (2000..=9999).contains(&first);
    let mut next = if calendar && year > first {
        vec![year, 1]
    } else {
        vec![first, rest.first().copied().unwrap_or(0).checked_add(1)?]
    };
    next.resize(parts.len().max(2), 0);
    Some(next.iter().map(u64::to_string).collect::<Vec<_>>().join("."))
}

/// `text` (a `pack.yaml`) with the values of top-level `keys` replaced, everything else as it was
/// written.
pub fn set_top_values(text: &str, keys: &[(&str, &str)]) -> Result<String, String> {
    let src = SourceText::new("pack.yaml", text);
    let spans = scalar_spans(&src, YamlLimits::default()).map_err(|d| d.to_string())?;
    let mut edits = Vec::new();
    for (key, value) in keys {
        let span = spans.get(*key).ok_or_else(|| format!("`pack.yaml` has no one-line `{key}:` to change"))?;
        edits.push((*span, *value));
    }
    Ok(splice(text, edits))
}

/// Make `files` (a version of `current`) the next version, in force from `effective`; returns
/// the new version number.
pub fn as_new_version(
    files: &mut BTreeMap<String, String>,
    current: &PackId,
    effective: NaiveDate,
) -> Result<String, String> {
    if effective <= current.effective_from {
        return Err(format!(
            "a new version must come into force after the one it follows, in force from {}",
            current.effective_from
        ));
    }
    let version = next_version(&current.version, effective)
        .ok_or_else(|| format!("cannot tell the version after `{}`", current.version))?;
    let manifest = files.get("pack.yaml").ok_or("the pack has no `pack.yaml`")?;
    let edited = set_top_values(manifest, &[("version", &version), ("effective_from", &effective.to_string())])?;
    files.insert("pack.yaml".into(), edited);
    Ok(version)
}

/// Accept the outputs of the pack in `files` as the expectations of its failing golden cases
/// (only scalars replaced by scalars, as `missions test --update`); returns what changed in each
/// case file, or `None` (and changes nothing) when the pack does not load: there is no output to
/// accept, and loading it again reports why. The pack is unpacked in a scratch folder to run.
pub fn accept_expectations(files: &mut BTreeMap<String, String>) -> Result<Option<Vec<FileUpdate>>, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a scratch folder: {e}"))?;
    for (rel, text) in files.iter() {
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot write `{rel}`: {e}"))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write `{rel}`: {e}"))?;
    }
    let Ok(pack) = Pack::load(dir.path()) else { return Ok(None) };
    let mut updates = Vec::new();
    for file in case_files(dir.path()) {
        let report = run_case_file_matching(&pack, &file, CaseFilter::All).map_err(|d| d.to_string())?;
        if report.failed() > 0 {
            let mut u = update_case_file(&pack, &report, CaseFilter::All).map_err(|d| d.to_string())?;
            if let Ok(rel) = u.file.strip_prefix(dir.path()) {
                u.file = rel.to_path_buf();
            }
            updates.push(u);
        }
    }
    *files = read_bundle(dir.path()).map_err(|d| d.to_string())?;
    Ok(Some(updates))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn files() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("pack.yaml".into(), "name: p\nversion: 2026.1.0\neffective_from: 2026-01-01\n".into()),
            (
                "tariff.yaml".into(),
                "# prices\nlicense: 35.00   # per user\nsetup:\n  tiers:\n    - {max: 5, price: 900.00}\n    - max: 10\n      price: 1250.00\nname: \"ESOMUS\"\n".into(),
            ),
        ])
    }

    #[test]
    fn values_are_written_in_place_by_path() {
        let mut f = files();
        let set = BTreeMap::from([
            ("license".into(), json!("36.00")),
            ("setup.tiers[1].price".into(), json!(1300)),
            ("setup.tiers[0].price".into(), json!("950.00")),
            ("name".into(), json!("ESOMUS SRL")),
        ]);
        let changes = set_params(&mut f, &["tariff.yaml".into()], &set).unwrap();
        assert_eq!(changes.len(), 4);
        assert_eq!(
            f["tariff.yaml"],
            "# prices\nlicense: 36.00   # per user\nsetup:\n  tiers:\n    - {max: 5, price: 950.00}\n    - max: 10\n      price: 1300\nname: \"ESOMUS SRL\"\n"
        );
        assert_eq!(
            changes[0],
            ParamChange {
                file: "tariff.yaml".into(),
                path: "license".into(),
                from: "35.00".into(),
                to: "36.00".into()
            }
        );
    }

    #[test]
    fn nothing_is_written_when_one_value_cannot_be() {
        let mut f = files();
        let set = BTreeMap::from([
            ("license".into(), json!("36.00")),
            ("setup.tiers".into(), json!([])),
            ("nope".into(), json!(1)),
            ("name".into(), json!("two\nlines")),
        ]);
        let refused = set_params(&mut f, &["tariff.yaml".into()], &set).unwrap_err();
        let paths: Vec<&str> = refused.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["name", "nope", "setup.tiers"]);
        assert_eq!(f, files(), "nothing changed");
    }

    #[test]
    fn text_that_would_read_back_otherwise_is_quoted() {
        assert_eq!(yaml_scalar(&json!("yes"), Quoting::Plain).unwrap(), "\"yes\"");
        assert_eq!(yaml_scalar(&json!("a: b"), Quoting::Plain).unwrap(), "\"a: b\"");
        assert_eq!(yaml_scalar(&json!("12.50"), Quoting::Plain).unwrap(), "12.50");
        assert_eq!(yaml_scalar(&json!("Liège"), Quoting::Plain).unwrap(), "Liège");
        assert_eq!(yaml_scalar(&json!("it's"), Quoting::Single).unwrap(), "\"it's\"");
    }

    #[test]
    fn a_new_version_is_dated_later_and_numbered_next() {
        let mut f = files();
        let id = PackId {
            name: "p".into(),
            version: "2026.1.0".into(),
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            digest: String::new(),
        };
        assert!(as_new_version(&mut f, &id, NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()).is_err());
        assert_eq!(as_new_version(&mut f, &id, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).unwrap(), "2027.1.0");
        assert_eq!(f["pack.yaml"], "name: p\nversion: 2027.1.0\neffective_from: 2027-01-01\n");
    }

    #[test]
    fn versions_follow_the_calendar_or_their_minor() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(next_version("2026.1.0", d("2027-01-01")).as_deref(), Some("2027.1.0"));
        assert_eq!(next_version("2026.1.0", d("2026-07-01")).as_deref(), Some("2026.2.0"));
        assert_eq!(next_version("1.4.2", d("2027-01-01")).as_deref(), Some("1.5.0"));
        assert_eq!(next_version("3", d("2027-01-01")).as_deref(), Some("3.1"));
        assert_eq!(next_version("v1-beta", d("2027-01-01")), None);
    }

    #[test]
    fn only_the_named_top_values_change() {
        let text = "# header\nname: esomus\nversion: 2026.1.0   # bumped each year\neffective_from: 2026-01-01\n";
        let out = set_top_values(text, &[("version", "2027.1.0"), ("effective_from", "2027-01-01")]).unwrap();
        assert_eq!(out, "# header\nname: esomus\nversion: 2027.1.0   # bumped each year\neffective_from: 2027-01-01\n");
    }
}
