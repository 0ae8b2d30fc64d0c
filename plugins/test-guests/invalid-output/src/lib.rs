//! Test guest: hooks answer records the host must refuse, whatever it does with them next. The
//! configuration chooses the fault (`{"case": "comma-decimal"}`, the default):
//!
//! | `case` | `adjust-quote` adds a line … | `lint-model` answers a diagnostic … | `dashboard-figures` answers a figure … |
//! |---|---|---|---|
//! | `comma-decimal` | of quantity `12,5` | (as `empty-code`) | of value `12,5` |
//! | `empty-code` | with code `""` | with code `""` | with code `""` |
//! | `missing-language` | whose label's `nl` is empty | whose message's `nl` is empty | whose label's `nl` is empty |
//! | `negative-unit-price` | of unit price `-1.00` | (as `empty-code`) | (as `comma-decimal`) |
//! | `bad-vat` | with VAT rate `21%` and category `""` | (as `empty-code`) | (as `comma-decimal`) |
//! | `bad-index` | no: removes line 4294967295 | (as `empty-code`) | (as `comma-decimal`) |
//!
//! Every other field of each record is valid, so each case tests one rule.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use missions_plugin_sdk::{
    Adjustment, Dashboard, Figure, Hook, Label, Model, ModelDiagnostic, NewLine, Plugin, PluginError, PluginInfo,
    Quote, Severity, config, export_plugin,
};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Config {
    case: Case,
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Case {
    #[default]
    CommaDecimal,
    EmptyCode,
    MissingLanguage,
    NegativeUnitPrice,
    BadVat,
    BadIndex,
}

fn label() -> Label {
    Label::new("Ligne invalide", "Ongeldige lijn", "Invalid line")
}

fn without_dutch() -> Label {
    Label { nl: String::new(), ..label() }
}

fn valid_line() -> NewLine {
    NewLine {
        code: "invalid_output".into(),
        label: label(),
        quantity: "1".into(),
        unit_price: "10.00".into(),
        base_quantity: None,
        unit: None,
        vat_category: "S".into(),
        vat_rate: "21".into(),
    }
}

struct InvalidOutput;

impl Plugin for InvalidOutput {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "invalid-output",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote, Hook::LintModel, Hook::DashboardFigures],
            Label::new("Répond des valeurs invalides.", "Antwoordt ongeldige waarden.", "Answers invalid values."),
        )
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let Config { case } = config::config()?;
        let mut line = valid_line();
        match case {
            Case::CommaDecimal => line.quantity = "12,5".into(),
            Case::EmptyCode => line.code = String::new(),
            Case::MissingLanguage => line.label = without_dutch(),
            Case::NegativeUnitPrice => line.unit_price = "-1.00".into(),
            Case::BadVat => {
                line.vat_rate = "21%".into();
                line.vat_category = String::new();
            }
            Case::BadIndex => return Ok(Vec::from([Adjustment::remove(u32::MAX, label())])),
        }
        Ok(Vec::from([Adjustment::add(line, label())]))
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        let Config { case } = config::config()?;
        let mut diagnostic = ModelDiagnostic::new(Severity::Warning, "", None, label());
        if case == Case::MissingLanguage {
            diagnostic.code = "invalid_output".into();
            diagnostic.message = without_dutch();
        }
        Ok(Vec::from([diagnostic]))
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        let Config { case } = config::config()?;
        let mut figure = Figure { code: "invalid_output".into(), label: label(), value: "12.5".into(), unit: None };
        match case {
            Case::EmptyCode => figure.code = String::new(),
            Case::MissingLanguage => figure.label = without_dutch(),
            _ => figure.value = "12,5".into(),
        }
        Ok(Vec::from([figure]))
    }
}

export_plugin!(InvalidOutput);
