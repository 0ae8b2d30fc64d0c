//! Example plugin: a volume discount on a quote.
//!
//! The tenant's configuration lists discount tiers and the line codes they apply to:
//!
//! ```json
//! {"tiers": [{"from": "10000.00", "percent": "5"}, {"from": "25000.00", "percent": "8"}],
//!  "codes": ["license", "hosting"]}
//! ```
//!
//! The lines with those codes (`license` and `hosting` when `codes` is left out) are summed; the
//! highest tier whose `from` that sum reaches gives the percentage. For each VAT category and
//! rate among those lines, the plugin adds a `volume_discount` line of `-percent %` of their sum:
//! quantity `-5`, unit price the sum, base quantity `100`, unit `%`. The unit price stays
//! positive, as the host requires, and the host computes and rounds the amount and its VAT like
//! any other line. Nothing is discounted below the first tier, on a quote without those lines,
//! or twice (a quote that already has a `volume_discount` line is left alone).
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use missions_plugin_sdk::decimal::{self, Decimal};
use missions_plugin_sdk::{
    Adjustment, Hook, Label, NewLine, Plugin, PluginError, PluginInfo, Quote, config, export_plugin, log,
};
use serde::Deserialize;

/// The code of the line this plugin adds.
pub const CODE: &str = "volume_discount";

/// The tenant's configuration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The tiers, in any order.
    pub tiers: Vec<Tier>,
    /// The codes of the lines discounted and summed to choose the tier.
    #[serde(default = "default_codes")]
    pub codes: Vec<String>,
}

/// From a sum, a percentage off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The sum of the discounted lines from which this tier applies.
    #[serde(deserialize_with = "decimal::deserialize")]
    pub from: Decimal,
    /// The discount, in percent (`5`, `7.5`).
    #[serde(deserialize_with = "decimal::deserialize")]
    pub percent: Decimal,
}

fn default_codes() -> Vec<String> {
    vec![String::from("license"), String::from("hosting")]
}

struct VolumeDiscount;

impl Plugin for VolumeDiscount {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "volume-discount",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote],
            Label::new(
                "Accorde une remise par paliers sur le volume des lignes configurées.",
                "Geeft een getrapte volumekorting op de geconfigureerde lijnen.",
                "Grants a tiered volume discount on the configured lines.",
            ),
        )
    }

    fn adjust_quote(quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let config: Config = config::config()?;
        let adjustments = adjust(&config, &quote)?;
        if adjustments.is_empty() {
            log::debug("no volume discount for this quote");
        }
        Ok(adjustments)
    }
}

export_plugin!(VolumeDiscount);

/// The discount lines `config` gives `quote`.
pub fn adjust(config: &Config, quote: &Quote) -> Result<Vec<Adjustment>, PluginError> {
    check(config)?;
    if quote.lines.iter().any(|l| l.code == CODE) {
        return Ok(Vec::new());
    }

    // The discounted lines' amounts, summed overall and per VAT category and rate, in the order
    // the groups first appear so that the added lines follow the quote's order.
    let mut total = Decimal::ZERO;
    let mut groups: Vec<(&str, &str, Decimal)> = Vec::new();
    for line in quote.lines.iter().filter(|l| config.codes.contains(&l.code)) {
        let amount = decimal::parse(&line.amount)?;
        total += amount;
        let rate = decimal::parse(&line.vat_rate)?;
        match groups
            .iter_mut()
            .find(|(cat, r, _)| *cat == line.vat_category && decimal::parse(r).is_ok_and(|r| r == rate))
        {
            Some(group) => group.2 += amount,
            None => groups.push((&line.vat_category, &line.vat_rate, amount)),
        }
    }

    let Some(tier) = config.tiers.iter().filter(|t| t.from <= total).max_by_key(|t| t.from) else {
        return Ok(Vec::new());
    };
    let percent = tier.percent;
    let codes = config.codes.join(", ");
    let (sum, from) = (decimal::text(total), decimal::text(tier.from));
    let currency = &quote.currency;
    let pct = decimal::text(percent);
    let reason = Label::new(
        format!(
            "Les lignes {codes} totalisent {sum} {currency}, ce qui atteint le palier de {from} {currency} : remise de {pct} %."
        ),
        format!(
            "De lijnen {codes} bedragen samen {sum} {currency}, wat de schijf vanaf {from} {currency} bereikt: {pct} % korting."
        ),
        format!(
            "The lines {codes} add up to {sum} {currency}, which reaches the tier from {from} {currency}: {pct} % off."
        ),
    );

    Ok(groups
        .into_iter()
        .filter(|(_, _, base)| *base > Decimal::ZERO)
        .map(|(category, rate, base)| {
            let mut line = NewLine::new(
                CODE,
                Label::new(
                    format!("Remise de volume ({pct} %)"),
                    format!("Volumekorting ({pct} %)"),
                    format!("Volume discount ({pct} %)"),
                ),
                -percent,
                base,
                category,
                rate,
            );
            line.base_quantity = Some(String::from("100"));
            line.unit = Some(String::from("%"));
            Adjustment::add(line, reason.clone())
        })
        .collect())
}

/// Refuse a configuration that cannot be meant: a percentage outside (0, 100], a negative tier.
fn check(config: &Config) -> Result<(), PluginError> {
    for tier in &config.tiers {
        let (from, pct) = (decimal::text(tier.from), decimal::text(tier.percent));
        if tier.percent <= Decimal::ZERO || tier.percent > Decimal::ONE_HUNDRED {
            return Err(invalid(format!("tier from {from}: percent {pct} is not between 0 and 100")));
        }
        if tier.from < Decimal::ZERO {
            return Err(invalid(format!("tier from {from}: the threshold is negative")));
        }
    }
    Ok(())
}

fn invalid(detail: String) -> PluginError {
    PluginError::new(
        "config.invalid",
        Label::new(
            format!("Configuration de la remise de volume non valide : {detail}"),
            format!("Ongeldige configuratie van de volumekorting: {detail}"),
            format!("Invalid volume discount configuration: {detail}"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use missions_plugin_sdk::{LineChange, QuoteLine};

    fn line(code: &str, amount: &str, vat_category: &str, vat_rate: &str) -> QuoteLine {
        QuoteLine {
            code: code.into(),
            label: Label::new(code, code, code),
            quantity: "1".into(),
            unit_price: amount.into(),
            base_quantity: "1".into(),
            unit: None,
            vat_category: vat_category.into(),
            vat_rate: vat_rate.into(),
            amount: amount.into(),
        }
    }

    fn quote(lines: Vec<QuoteLine>) -> Quote {
        Quote {
            pack: "esomus".into(),
            pack_version: "1.0.0".into(),
            entry: "quote".into(),
            currency: "EUR".into(),
            lines,
            net_total: "0".into(),
        }
    }

    fn config(json: &str) -> Config {
        config::parse(json).unwrap()
    }

    const TIERS: &str = r#"{"tiers":[{"from":"25000.00","percent":"8"},{"from":"10000.00","percent":"5"}]}"#;

    fn added(adjustments: &[Adjustment]) -> Vec<&NewLine> {
        adjustments
            .iter()
            .map(|a| match &a.change {
                LineChange::Add(l) => l,
                other => panic!("expected an added line, got {other:?}"),
            })
            .collect()
    }

    #[test]
    fn below_the_first_tier_nothing_changes() {
        let q = quote(vec![line("license", "5040.00", "S", "21"), line("hosting", "1152.00", "S", "21")]);
        assert!(adjust(&config(TIERS), &q).unwrap().is_empty());
    }

    #[test]
    fn the_highest_tier_reached_applies_to_the_configured_codes_only() {
        // 50 users: setup 2000.00, license 21000.00, hosting 4800.00, maintenance 600.00;
        // license + hosting = 25800.00 ≥ 25000.00 → 8 %.
        let q = quote(vec![
            line("setup", "2000.00", "S", "21"),
            line("license", "21000.00", "S", "21"),
            line("hosting", "4800.00", "S", "21"),
            line("maintenance", "600.00", "S", "21"),
        ]);
        let adjustments = adjust(&config(TIERS), &q).unwrap();
        let lines = added(&adjustments);
        assert_eq!(lines.len(), 1);
        let l = lines[0];
        assert_eq!((l.code.as_str(), l.quantity.as_str(), l.unit_price.as_str()), (CODE, "-8", "25800.00"));
        assert_eq!(l.base_quantity.as_deref(), Some("100"));
        assert_eq!((l.vat_category.as_str(), l.vat_rate.as_str()), ("S", "21"));
        assert!(adjustments[0].reason.en.contains("25800.00 EUR"), "{}", adjustments[0].reason.en);
        assert!(!l.label.fr.is_empty() && !l.label.nl.is_empty() && !l.label.en.is_empty());
    }

    #[test]
    fn one_discount_line_per_vat_category_and_rate() {
        let q = quote(vec![
            line("license", "9000.00", "S", "21"),
            line("hosting", "1500.50", "AE", "0"),
            line("license", "100.00", "S", "21.0"),
        ]);
        let adjustments = adjust(&config(TIERS), &q).unwrap();
        let lines = added(&adjustments);
        let got: Vec<_> = lines
            .iter()
            .map(|l| (l.vat_category.as_str(), l.vat_rate.as_str(), l.unit_price.as_str(), l.quantity.as_str()))
            .collect();
        assert_eq!(got, vec![("S", "21", "9100.00", "-5"), ("AE", "0", "1500.50", "-5")]);
    }

    #[test]
    fn codes_and_fractional_percentages_come_from_the_configuration() {
        let c = config(r#"{"tiers":[{"from":"0","percent":"2.5"}],"codes":["maintenance"]}"#);
        let q = quote(vec![line("license", "21000.00", "S", "21"), line("maintenance", "600.00", "S", "21")]);
        let lines = adjust(&c, &q).unwrap();
        assert_eq!(added(&lines)[0].quantity, "-2.5");
        assert_eq!(added(&lines)[0].unit_price, "600.00");
    }

    #[test]
    fn never_twice() {
        let q = quote(vec![line("license", "21000.00", "S", "21"), line(CODE, "-1050.00", "S", "21")]);
        assert!(adjust(&config(TIERS), &q).unwrap().is_empty());
    }

    #[test]
    fn bad_configurations_are_refused_with_a_reason() {
        let err = config::parse::<Config>(r#"{"tiers":[{"from":10000,"percent":"5"}]}"#).unwrap_err();
        assert_eq!(err.code, "config.invalid");
        let err = config::parse::<Config>(r#"{"tier":[]}"#).unwrap_err();
        assert!(err.message.en.contains("tier"), "{}", err.message.en);
        let c = config(r#"{"tiers":[{"from":"1","percent":"150"}]}"#);
        let err = adjust(&c, &quote(vec![])).unwrap_err();
        assert!(err.message.en.contains("150"), "{}", err.message.en);
    }
}
