//! The quote hook: an adjuster changes an invoice entry's lines between the script and the
//! totals, the engine recomputes VAT and totals, and the trace says what changed and why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_engine::{
    AdjustError, EvalError, EvalOptions, InvoiceAdjuster, InvoiceLine, LineAdjustment, LineChange, Pack, QuoteDraft,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn esomus() -> Pack {
    Pack::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/esomus")).unwrap()
}

fn input() -> Value {
    json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
        "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
        "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}})
}

fn labels(text: &str) -> std::collections::BTreeMap<String, String> {
    ["fr", "nl", "en"].into_iter().map(|l| (l.to_owned(), format!("{text} ({l})"))).collect()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Returns fixed changes, computed from the quote it receives.
struct Fixed<F>(&'static str, F);

impl<F: Fn(&QuoteDraft<'_>) -> Result<Vec<LineAdjustment>, AdjustError>> InvoiceAdjuster for Fixed<F> {
    fn name(&self) -> &str {
        self.0
    }
    fn adjust(&self, quote: &QuoteDraft<'_>) -> Result<Vec<LineAdjustment>, AdjustError> {
        (self.1)(quote)
    }
}

fn discount(quantity: &str, price: &str) -> InvoiceLine {
    InvoiceLine::new("discount", labels("discount"), d(quantity), d(price), Decimal::ONE, "S", d("21")).unwrap()
}

#[test]
fn an_added_line_changes_vat_and_totals_and_is_traced() {
    let pack = esomus();
    let plain = pack.eval("quote", &input()).unwrap().output;
    assert_eq!(plain["net_total"], "10177.00");
    let seen = std::cell::Cell::new(0);
    let adj = Fixed("volume", |q: &QuoteDraft<'_>| {
        seen.set(q.lines.len());
        assert_eq!((q.pack.name.as_str(), q.entry, q.currency), ("esomus", "quote", "EUR"));
        assert_eq!(q.net_total(), d("10177.00"));
        Ok(vec![LineAdjustment { change: LineChange::Add(discount("-1", "177.00")), reason: labels("volume") }])
    });
    let eval = pack.eval_adjusted("quote", &input(), EvalOptions { trace: true }, &[&adj]).unwrap();
    let out = &eval.output;
    let lines = out["lines"].as_array().unwrap();
    assert_eq!(lines.len(), seen.get() + 1);
    assert_eq!(lines.last().unwrap()["amount"], "-177.00");
    // The plugin contract writes fr, nl and en; esomus also speaks German, where the line shows
    // its English text.
    let label = &lines.last().unwrap()["label"];
    assert_eq!((&label["de"], &label["nl"]), (&label["en"], &serde_json::json!("discount (nl)")), "{label}");
    assert_eq!(out["net_total"], "10000.00");
    assert_eq!(out["vat_total"], "2100.00");
    assert_eq!(out["total"], "12100.00");
    let change = eval.trace.unwrap().into_iter().rfind(|t| t["rule"] == "plugin").unwrap();
    assert_eq!(change["detail"]["plugin"], "volume");
    assert_eq!(change["detail"]["change"], "add");
    assert_eq!(change["detail"]["line"]["code"], "discount");
    assert_eq!(change["detail"]["reason"]["nl"], "volume (nl)");
}

#[test]
fn replace_and_remove_use_the_indices_received_and_chain_adjusters() {
    let pack = esomus();
    let plain = pack.eval("quote", &input()).unwrap().output;
    let before: Vec<Value> = plain["lines"].as_array().unwrap().clone();
    let first = Fixed("first", |q: &QuoteDraft<'_>| {
        let mut l = q.lines[0].clone();
        l = InvoiceLine::new(
            l.code.clone(),
            l.label().into_owned(),
            l.quantity,
            d("1000"),
            l.base_quantity,
            l.vat_category,
            l.vat_rate,
        )
        .unwrap();
        Ok(vec![
            LineAdjustment { change: LineChange::Remove(1), reason: labels("gone") },
            LineAdjustment { change: LineChange::Replace(0, l), reason: labels("cheaper") },
        ])
    });
    let second = Fixed("second", |q: &QuoteDraft<'_>| {
        // Sees the first adjuster's work: one line fewer.
        assert_eq!(q.lines.len(), before.len() - 1);
        Ok(Vec::new())
    });
    let eval = pack.eval_adjusted("quote", &input(), EvalOptions { trace: true }, &[&first, &second]).unwrap();
    let lines = eval.output["lines"].as_array().unwrap();
    assert_eq!(lines.len(), before.len() - 1);
    assert_eq!(lines[0]["code"], before[0]["code"]);
    assert_eq!(lines[0]["unit_price"], "1000.00");
    assert_eq!(lines[1]["code"], before[2]["code"]);
    let changes: Vec<_> = eval.trace.unwrap().into_iter().filter(|t| t["rule"] == "plugin").collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["detail"]["change"], "remove");
    assert_eq!(changes[0]["detail"]["before"]["code"], before[1]["code"]);
    assert_eq!(changes[1]["detail"]["change"], "replace");
    assert_eq!(changes[1]["detail"]["before"]["unit_price"], before[0]["unit_price"]);
}

fn refusal(changes: Vec<LineAdjustment>) -> EvalError {
    let adj = Fixed("bad", move |_: &QuoteDraft<'_>| Ok(changes.clone()));
    esomus().eval_adjusted("quote", &input(), EvalOptions::default(), &[&adj]).unwrap_err()
}

#[test]
fn changes_the_engine_cannot_apply_are_refused_in_three_languages() {
    let e = refusal(vec![LineAdjustment { change: LineChange::Remove(99), reason: labels("x") }]);
    let EvalError::Plugin { plugin, code, message } = &e else { panic!("{e:?}") };
    assert_eq!((plugin.as_str(), code.as_str()), ("bad", "plugin.invalid_output"));
    assert!(message["en"].contains("line 99"), "{message:?}");
    assert!(message["fr"].contains("ligne 99") && message["nl"].contains("lijn 99"), "{message:?}");
    assert_eq!(e.kind(), "plugin");
    assert_eq!(e.to_json()["plugin"], "bad");

    let twice = vec![
        LineAdjustment { change: LineChange::Remove(0), reason: labels("x") },
        LineAdjustment { change: LineChange::Replace(0, discount("1", "1")), reason: labels("x") },
    ];
    assert!(refusal(twice).to_string().contains("line 0 is changed twice"));

    let mut no_dutch = discount("1", "1");
    no_dutch.label_mut().remove("nl");
    let e = refusal(vec![LineAdjustment { change: LineChange::Add(no_dutch), reason: labels("x") }]);
    assert!(e.to_string().contains("has no text at `changes[0].label.nl`"), "{e}");
}

#[test]
fn an_adjuster_error_fails_the_evaluation_with_its_code() {
    let adj = Fixed("cfg", |_: &QuoteDraft<'_>| {
        Err(AdjustError { code: "config.invalid".into(), message: labels("bad config") })
    });
    let e = esomus().eval_adjusted("quote", &input(), EvalOptions::default(), &[&adj]).unwrap_err();
    assert_eq!(e.to_string(), "plugin `cfg`: bad config (en) (config.invalid)");
}

#[test]
fn entries_that_are_not_invoices_ignore_adjusters() {
    let adj = Fixed("never", |_: &QuoteDraft<'_>| panic!("called on a plain entry"));
    let pack = esomus();
    let input = json!({"first_invoice_paid": "2026-03-02", "access_codes_received": "2026-03-10"});
    let with = pack.eval_adjusted("dates", &input, EvalOptions::default(), &[&adj]).unwrap();
    assert_eq!(with, pack.eval("dates", &input).unwrap());
}
