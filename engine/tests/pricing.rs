//! Pricing packs as ESOMUS edits them: a tariff with a typo or a missing price is refused at
//! load with its file and line; a changed price is used by the next quote without a rebuild; a
//! script cannot set an amount, a total or skip a language, and cannot get the VAT mention wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use missions_engine::{Diagnostic, EvalError, Pack};
use serde_json::json;

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules").join(name)
}

/// A copy of a shipped pack in a temporary folder, with `edit` applied to one of its files.
fn copy_with(name: &str, file: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&shipped(name), tmp.path());
    let path = tmp.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit changed nothing in {file}");
    fs::write(&path, edited).unwrap();
    tmp
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).unwrap_or_else(|| panic!("`{needle}` not in {file}"))
}

fn errors(dir: &Path) -> Vec<Diagnostic> {
    match Pack::load(dir) {
        Ok(_) => panic!("the pack in {} loaded", dir.display()),
        Err(d) => d.0,
    }
}

fn at<'a>(diags: &'a [Diagnostic], file: &str, line: usize) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.location.as_ref().is_some_and(|l| l.file.ends_with(file) && l.line == line))
        .unwrap_or_else(|| panic!("no diagnostic at {file}:{line} in {diags:#?}"))
}

fn spec_quote() -> serde_json::Value {
    json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
           "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
           "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}})
}

#[test]
fn a_typo_in_a_tariff_key_names_the_file_and_line() {
    let tmp = copy_with("esomus", "tariff.yaml", |t| t.replace("license_per_user_month:", "licence_per_user_month:"));
    let diags = errors(tmp.path());
    let line = line_of(tmp.path(), "tariff.yaml", "licence_per_user_month");
    let d = at(&diags, "tariff.yaml", line);
    assert!(
        d.message.contains("`licence_per_user_month`") && d.message.contains("did you mean `license_per_user_month`?"),
        "{}",
        d.message
    );
    // The price it should have been is reported missing too.
    assert!(
        diags.iter().any(|d| d.message.contains("license_per_user_month") && d.message.contains("missing")),
        "{diags:#?}"
    );
}

#[test]
fn a_missing_price_names_the_file_and_line() {
    let tmp = copy_with("esomus", "tariff.yaml", |t| t.replace("{max_users: 15, price: 1250.00}", "{max_users: 15}"));
    let diags = errors(tmp.path());
    let d = at(&diags, "tariff.yaml", line_of(tmp.path(), "tariff.yaml", "{max_users: 15}"));
    assert!(d.message.contains("setup.tiers[1].price") && d.message.contains("missing"), "{}", d.message);
}

#[test]
fn a_price_that_is_not_a_number_names_the_file_and_line() {
    let tmp = copy_with("norriq", "billing.yaml", |t| t.replace("min_per_trip: 100.00", "min_per_trip: 100,00"));
    let diags = errors(tmp.path());
    let d = at(&diags, "billing.yaml", line_of(tmp.path(), "billing.yaml", "min_per_trip"));
    assert!(d.message.contains("travel_belgium.min_per_trip") && d.message.contains("`100,00`"), "{}", d.message);
}

#[test]
fn a_changed_price_is_used_by_the_next_quote() {
    let tmp = copy_with("esomus", "tariff.yaml", |t| {
        t.replace("license_per_user_month: 35.00", "license_per_user_month: 36.00")
    });
    let out = Pack::load(tmp.path()).unwrap().eval("quote", &spec_quote()).unwrap().output;
    // 144 × 36.00 = 5184.00 instead of 5040.00: net 10321.00, VAT 2167.41
    assert_eq!(out["lines"][1]["amount"], "5184.00");
    assert_eq!(
        (out["net_total"].as_str(), out["vat_total"].as_str(), out["total"].as_str()),
        (Some("10321.00"), Some("2167.41"), Some("12488.41"))
    );
}

#[test]
fn the_spec_examples_through_the_library() {
    let out = Pack::load(shipped("esomus")).unwrap().eval("quote", &spec_quote()).unwrap().output;
    assert_eq!(
        (out["net_total"].as_str(), out["vat_total"].as_str(), out["total"].as_str()),
        (Some("10177.00"), Some("2137.17"), Some("12314.17"))
    );
    let norriq = Pack::load(shipped("norriq")).unwrap();
    let out = norriq
        .eval("quote", &json!({"hourly_rate": "120.00", "country": "BE",
            "work": [{"start": "2026-12-05T16:00:00+01:00", "end": "2026-12-05T19:00:00+01:00"}], "travel": {"km": 40, "trips": 1}}))
        .unwrap()
        .output;
    assert_eq!(
        (out["net_total"].as_str(), out["vat_total"].as_str(), out["total"].as_str()),
        (Some("760.00"), Some("159.60"), Some("919.60"))
    );
}

#[test]
fn bad_input_names_the_field_in_three_languages() {
    let pack = Pack::load(shipped("esomus")).unwrap();
    let mut input = spec_quote();
    input["client"]["country"] = json!("XX");
    let err = pack.eval("quote", &input).unwrap_err();
    let EvalError::Input(errs) = &err else { panic!("{err:?}") };
    assert_eq!(errs[0].path, "client.country");
    let j = err.to_json();
    assert_eq!(j["kind"], "input");
    assert_eq!(
        j["errors"][0]["messages"]["fr"],
        "`XX` n'est pas un code pays ISO 3166-1 alpha-2 valide (exemple : `BE`)"
    );
    assert_eq!(j["errors"][0]["messages"]["nl"], "`XX` is geen geldige ISO 3166-1 alpha-2-landcode (voorbeeld: `BE`)");

    input["client"] = json!({"country": "DE"});
    let err = pack.eval("quote", &input).unwrap_err();
    let EvalError::Rule { path, code, message } = &err else { panic!("{err:?}") };
    assert_eq!((path.as_deref(), code.as_str()), (Some("client.vat_number"), "eu_client_without_vat_number"));
    assert!(
        message["fr"].contains("numéro de TVA")
            && message["nl"].contains("btw-nummer")
            && message["en"].contains("VAT number")
    );
}

/// A minimal pack whose `quote` script is `body`, to prove what the engine refuses.
fn scripted(body: &str, labels: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("pack.yaml"),
        "name: t\nversion: '1'\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nlabels: labels.yaml\nentries:\n  quote:\n    script: quote.rhai\n    output: invoice\n    input: {country: string}\n",
    )
    .unwrap();
    fs::write(tmp.path().join("labels.yaml"), labels).unwrap();
    fs::write(tmp.path().join("quote.rhai"), format!("fn quote(input, params) {{\n{body}\n}}\n")).unwrap();
    tmp
}

const LABELS: &str = "x: {fr: x, nl: x, en: x}\nvat_reverse_charge: {fr: 'AL {vat_number}', nl: 'VH {vat_number}', en: 'RC {vat_number}'}\nvat_out_of_scope: {fr: hors, nl: buiten, en: out}\n";

fn output_error(body: &str) -> (String, String) {
    let tmp = scripted(body, LABELS);
    match Pack::load(tmp.path()).unwrap().eval("quote", &json!({"country": "BE"})) {
        Err(EvalError::Output { path, message }) => (path, message),
        other => panic!("expected an output error, got {other:?}"),
    }
}

#[test]
fn scripts_cannot_set_amounts_or_totals() {
    let line = "code: \"x\", quantity: 1, unit_price: 10.00, vat_category: \"S\", vat_rate: 21, label: \"x\"";
    let (path, msg) = output_error(&format!("#{{ lines: [#{{ {line}, amount: 9.99 }}] }}"));
    assert_eq!(path, "lines[0].amount");
    assert!(msg.contains("computed by the engine"), "{msg}");
    let (path, _) = output_error(&format!("#{{ lines: [#{{ {line} }}], net_total: 1.00 }}"));
    assert_eq!(path, "net_total");
    let (path, _) = output_error(
        "#{ lines: [#{ code: \"x\", quantity: 1, unit_price: -10.00, vat_category: \"S\", vat_rate: 21, label: \"x\" }] }",
    );
    assert_eq!(path, "lines[0].unit_price");
    let (path, _) = output_error(
        "#{ lines: [#{ code: \"x\", quantity: 1, unit_price: 10.00, vat_category: \"S\", vat_rate: 21, label: #{ fr: \"x\", en: \"x\" } }] }",
    );
    assert_eq!(path, "lines[0].label.nl");
    let (path, _) = output_error(
        "#{ lines: [#{ code: \"\", quantity: 1, unit_price: 10.00, vat_category: \"S\", vat_rate: 21, label: \"x\" }] }",
    );
    assert_eq!(path, "lines[0].code");
    let (path, _) = output_error(
        "#{ lines: [#{ code: \"x\", quantity: \"1\", unit_price: 10.00, vat_category: \"S\", vat_rate: 21, label: \"x\" }] }",
    );
    assert_eq!(path, "lines[0].quantity");
    let (path, _) = output_error(
        "#{ lines: [#{ code: \"x\", quantity: 1, unit_price: 10.00, vat_category: \"AE\", vat_rate: 0, label: \"x\" }] }",
    );
    assert_eq!(path, "buyer_vat_number", "a reverse-charge document must show the buyer's VAT number");
}

#[test]
fn a_blank_label_text_is_refused_where_it_is_written() {
    let tmp = scripted("#{ lines: [] }", &format!("{LABELS}blank: {{fr: x, nl: '  ', en: x}}\n"));
    let diags = errors(tmp.path());
    let d = at(&diags, "labels.yaml", 4);
    assert_eq!(d.code, "labels.empty-text");
    assert!(d.message.contains("`blank` in `nl`"), "{}", d.message);
}

#[test]
fn the_engine_adds_the_vat_mention() {
    let tmp = scripted(
        "#{ lines: [#{ code: \"x\", quantity: 3, unit_price: 0.335, vat_category: \"AE\", vat_rate: 0, label: \"x\" }], buyer_vat_number: \"DE123456789\" }",
        LABELS,
    );
    let out = Pack::load(tmp.path()).unwrap().eval("quote", &json!({"country": "DE"})).unwrap().output;
    assert_eq!(out["lines"][0]["amount"], "1.01", "3 × 0.335 = 1.005 rounds away from zero");
    assert_eq!(out["notes"][0]["code"], "vat_reverse_charge");
    assert_eq!(out["notes"][0]["label"]["en"], "RC DE123456789");
    assert_eq!(out["total"], "1.01");
}

#[test]
fn an_invoice_entry_needs_the_vat_mentions_and_a_known_output_kind() {
    let tmp = scripted("#{ lines: [] }", "x: {fr: x, nl: x, en: x}\n");
    let diags = errors(tmp.path());
    assert!(
        diags.iter().any(|d| d.code == "pack.missing-label" && d.message.contains("`vat_reverse_charge`")),
        "{diags:#?}"
    );
    let tmp = scripted("#{ lines: [] }", LABELS);
    let yaml = fs::read_to_string(tmp.path().join("pack.yaml")).unwrap().replace("output: invoice", "output: invoise");
    fs::write(tmp.path().join("pack.yaml"), yaml).unwrap();
    let diags = errors(tmp.path());
    let d = at(&diags, "pack.yaml", 11);
    assert!(d.message.contains("unknown output kind `invoise`"), "{}", d.message);
}

/// The schema allows 200 work periods; a quote of 200 seven-hour days, each split into several
/// surcharge runs, is priced whole. Lines built as rhai maps with their label texts once added
/// up past `max_string_size` near 190 periods (rhai sums every string of a list it checks).
#[test]
fn a_quote_of_the_most_work_periods_the_schema_allows_is_priced() {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let work: Vec<serde_json::Value> = (0..200)
        .map(|i| {
            let day = start + chrono::TimeDelta::days(i);
            json!({"start": format!("{day}T06:00:00Z"), "end": format!("{day}T13:00:00Z")})
        })
        .collect();
    let input = json!({"hourly_rate": "100.00", "country": "BE", "vat_number": "BE0123456789", "work": work});
    let out = Pack::load(shipped("norriq")).unwrap().eval("quote", &input).unwrap().output;
    let lines = out["lines"].as_array().unwrap();
    assert!(lines.len() >= 400, "{} lines", lines.len());
    assert!(lines.iter().all(|l| l["label"]["fr"].as_str().is_some_and(|t| !t.is_empty())));
    let net: rust_decimal::Decimal =
        lines.iter().map(|l| l["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum();
    assert_eq!(out["net_total"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), net);
}

// ----- a pack reads only its own folder (an uploaded pack is untrusted) -----

/// Found by probing the host: `params.files`, `labels` and `script` could name `/etc/…` or
/// `../…`, and the file's content was served through an entry's output.
#[test]
fn paths_in_pack_yaml_must_stay_inside_the_pack() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.yaml"), "secret: root-password\n").unwrap();
    let secret = outside.path().join("secret.yaml").display().to_string();
    for (from, to, key) in [
        ("files: [tariff.yaml,", format!("files: [{secret},"), "params.files[0]"),
        ("labels: labels.yaml", "labels: ../labels.yaml".to_owned(), "labels"),
        ("script: quote.rhai", "script: /etc/hostname.rhai".to_owned(), "entries.quote.script"),
    ] {
        let dir = copy_with("esomus", "pack.yaml", |t| t.replacen(from, &to, 1));
        let diags = errors(dir.path());
        let d = diags.iter().find(|d| d.code == "pack.path-outside").unwrap_or_else(|| panic!("{diags:#?}"));
        assert!(d.message.starts_with(&format!("`{key}` ")), "{d}");
        let line = line_of(dir.path(), "pack.yaml", &to);
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(line), "{d}");
        // Nothing says whether the file exists, and no diagnostic quotes it.
        let all = format!("{diags:?}");
        assert!(!all.contains("root-password") && !all.contains(&secret) && !all.contains("/etc/"), "{all}");
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_pack_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("tariff.yaml"), "license_per_user_month: 1.00\n").unwrap();
    fs::write(outside.path().join("passwd"), "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    // A parameter file that is a link out.
    let dir = copy_with("esomus", "tariff.yaml", |t| t + "\n");
    fs::remove_file(dir.path().join("tariff.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("tariff.yaml"), dir.path().join("tariff.yaml")).unwrap();
    let diags = errors(dir.path());
    let d = diags.iter().find(|d| d.code == "pack.path-outside").unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d.message, "`params.files[0]` is a link that leads out of the folder");
    // `pack.yaml` itself a link to a foreign file: refused before it is read, so never quoted.
    let dir = copy_with("esomus", "pack.yaml", |t| t + "\n");
    fs::remove_file(dir.path().join("pack.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("passwd"), dir.path().join("pack.yaml")).unwrap();
    let diags = errors(dir.path());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].message, "`pack.yaml` is a link that leads out of the folder");
    // A case file that is a link out is refused too.
    let dir = copy_with("esomus", "pack.yaml", |t| t + "\n");
    std::os::unix::fs::symlink(outside.path().join("passwd"), dir.path().join("tests/leak.yaml")).unwrap();
    let pack = Pack::load(dir.path()).unwrap();
    let e = missions_engine::run_pack_cases(&pack).unwrap_err();
    assert_eq!(e.code, "pack.path-outside", "{e}");
    assert!(!e.message.contains("root:x"), "{e}");
}
