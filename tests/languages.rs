//! A fourth language added as data: `locales/de/` (the engine's messages) and the `de` texts of
//! the esomus pack's labels, with no Rust change. A quote, an input error and a model diagnostic
//! come out in German; what the German catalogue does not have comes out in English.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_engine::{Lang, said};
use missions_tests::{missions, repo};

fn path(p: &str) -> String {
    repo().join(p).to_string_lossy().into_owned()
}

/// The SPEC's worked quote, from the esomus golden case.
const SPEC_QUOTE: &str = r#"{"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1, "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25}, "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}}"#;

#[test]
fn german_is_a_language_of_the_catalogues() {
    let de = Lang::from_code("de").expect("locales/de makes German a language");
    assert!(Lang::all().contains(&de));
    assert_eq!(&Lang::all()[..3], &[Lang::Fr, Lang::Nl, Lang::En], "the engine's own three come first");
}

#[test]
fn a_quote_comes_out_in_german() {
    let (code, out, err) = missions(&["quote", "--pack", &path("rules/esomus"), "--input", SPEC_QUOTE, "--lang", "de"]);
    assert_eq!(code, 0, "{err}");
    for text in [
        "Angebot — esomus",
        "Beschreibung",
        "Missions-Manager-Lizenzen: 12 Benutzer × 12 Monate",
        "Summe netto  10177,00",
        "MwSt. S 21 % auf 10177,00   2137,17",
        "Summe inkl. MwSt.  12314,17  EUR",
        "Jährlich im Voraus berechnet",
    ] {
        assert!(out.contains(text), "`{text}` missing from:\n{out}");
    }
    // `eval`'s generic rendering shows each label in German too, recognised by the pack's
    // languages, not by fr, nl and en.
    let (code, out, err) =
        missions(&["eval", "--pack", &path("rules/esomus"), "quote", "--input", SPEC_QUOTE, "--lang", "de"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("label         Missions-Manager-Lizenzen: 12 Benutzer × 12 Monate"), "{out}");
    assert!(!out.contains("de:") && !out.contains("fr:"), "{out}");
    // A pack whose labels have no German text says so, and which languages it has.
    let (code, _, err) = missions(&["quote", "--pack", &path("rules/norriq"), "--input", "{}", "--lang", "de"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pack `norriq` writes its labels in fr, nl, en"), "{err}");
}

#[test]
fn an_input_error_comes_out_in_german() {
    let (code, _, err) = missions(&[
        "quote",
        "--pack",
        &path("rules/esomus"),
        "--input",
        r#"{"date": "2026-02-30", "year": 1}"#,
        "--lang",
        "de",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with("error: ungültige Eingabe: "), "{err}");
    assert!(err.contains("`date`: `2026-02-30` ist kein gültiges Datum (Beispiel: `2026-12-24`)"), "{err}");
    assert!(err.contains("`users`: Pflichtfeld fehlt"), "{err}");
}

#[test]
fn a_model_diagnostic_comes_out_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let broken = std::fs::read_to_string(path("rules/models/example-firm.yaml"))
        .unwrap()
        .replace("role: it-auditor", "role: it-auditr");
    let file = dir.path().join("example-firm.yaml");
    std::fs::write(&file, broken).unwrap();
    std::fs::copy(path("rules/models/isqm-standard.yaml"), dir.path().join("isqm-standard.yaml")).unwrap();
    let (code, _, err) = missions(&["validate", &file.to_string_lossy(), "--lang", "de"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[model.unknown-role]: unbekannte Rolle `it-auditr` in Aktion `it-controls-review` (meinten Sie `it-auditor`?)"),
        "{err}"
    );
    let input = r#"{"client": "ACME", "start": "2026-11-02", "closing": "2026-10-01", "people": {}}"#;
    let (code, _, err) =
        missions(&["plan", "--model", &path("rules/models/example-firm.yaml"), "--input", input, "--lang", "de"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`closing` (2026-10-01) liegt vor `start` (2026-11-02)"), "{err}");
}

/// A message the German catalogue lacks is written in English rather than left out.
#[test]
fn what_german_lacks_comes_out_in_english() {
    let de = Lang::from_code("de").unwrap();
    let best = "the-reference";
    let message = said!("base-did-you-mean", best);
    assert_eq!(message.get(de), "meinten Sie `the-reference`?");
    assert_eq!(missions_engine::catalogue::text("de", "no-such-message-anywhere", &[]), "no-such-message-anywhere");
    // Every German message is one English has; German may have fewer.
    let english: usize = missions_engine::catalogue::ids("en").values().map(Vec::len).sum();
    let german: usize = missions_engine::catalogue::ids("de").values().map(Vec::len).sum();
    assert!(german > 0 && german <= english, "{german} German messages, {english} English ones");
}
