//! Template plugin: a loyalty discount, in ordinary (std) Rust.
//!
//! The tenant's configuration gives the percentage: `{"percent": "3"}`. For every line of the
//! quote with a positive amount, the plugin adds a `loyalty_discount` line of `-percent %` of that
//! amount, in the line's VAT category and rate: quantity `-3`, unit price the amount, base
//! quantity `100`, unit `%`. The host computes and rounds the amounts and VAT, as for any line. A
//! quote that already has a `loyalty_discount` line is left alone.
//!
//! The Python and JavaScript templates do the same and pass the same `cases.yaml`.

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::missions::plugin::guest::Guest;
use missions::plugin::host::{self, Level};
use missions::plugin::types::{
    Adjustment, Dashboard, Figure, Hook, Label, LineChange, Model, ModelDiagnostic, NewLine, PluginError, PluginInfo,
    Quote,
};

/// The code of the lines this plugin adds.
const CODE: &str = "loyalty_discount";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// The discount in percent, as decimal text (`"3"`, `"2.5"`).
    percent: String,
}

fn label(fr: String, nl: String, en: String) -> Label {
    Label { fr, nl, en }
}

fn invalid(detail: &str) -> PluginError {
    PluginError {
        code: "config.invalid".into(),
        message: label(
            format!("Configuration de la remise de fidélité non valide : {detail}"),
            format!("Ongeldige configuratie van de getrouwheidskorting: {detail}"),
            format!("Invalid loyalty discount configuration: {detail}"),
        ),
    }
}

/// The percentage the configuration gives, checked to be decimal text in (0, 100].
fn percent() -> Result<String, PluginError> {
    let config: Config = serde_json::from_str(&host::config()).map_err(|e| invalid(&e.to_string()))?;
    let p = config.percent.trim();
    let decimal = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || b == b'.') && p.matches('.').count() <= 1;
    match p.parse::<f64>() {
        Ok(v) if decimal && v > 0.0 && v <= 100.0 => Ok(p.to_owned()),
        _ => Err(invalid(&format!("percent `{p}` is not a number between 0 and 100"))),
    }
}

/// Whether decimal text is above zero.
fn positive(amount: &str) -> bool {
    !amount.starts_with('-') && amount.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

struct LoyaltyDiscount;

impl Guest for LoyaltyDiscount {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "loyalty-discount".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            hooks: vec![Hook::AdjustQuote],
            description: label(
                "Accorde une remise de fidélité sur chaque ligne du devis.".into(),
                "Geeft een getrouwheidskorting op elke lijn van de offerte.".into(),
                "Grants a loyalty discount on every line of the quote.".into(),
            ),
        }
    }

    fn adjust_quote(quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let pct = percent()?;
        if quote.lines.iter().any(|l| l.code == CODE) {
            host::log(Level::Debug, "the quote already has a loyalty discount", &[]);
            return Ok(Vec::new());
        }
        let reason = label(
            format!("Remise de fidélité de {pct} %."),
            format!("Getrouwheidskorting van {pct} %."),
            format!("Loyalty discount of {pct} %."),
        );
        Ok(quote
            .lines
            .iter()
            .filter(|line| positive(&line.amount))
            .map(|line| Adjustment {
                change: LineChange::Add(NewLine {
                    code: CODE.into(),
                    label: label(
                        format!("Remise de fidélité ({pct} %) : {}", line.label.fr),
                        format!("Getrouwheidskorting ({pct} %): {}", line.label.nl),
                        format!("Loyalty discount ({pct} %): {}", line.label.en),
                    ),
                    quantity: format!("-{pct}"),
                    unit_price: line.amount.clone(),
                    base_quantity: Some("100".into()),
                    unit: Some("%".into()),
                    vat_category: line.vat_category.clone(),
                    vat_rate: line.vat_rate.clone(),
                }),
                reason: reason.clone(),
            })
            .collect())
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        Ok(Vec::new())
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        Ok(Vec::new())
    }
}

export!(LoyaltyDiscount);
