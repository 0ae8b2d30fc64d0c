//! Test guest: hooks answer far more, and far longer, than any host should accept. The host must
//! refuse the answer with a clear error (or stop the instance at its memory cap), and serve the
//! next call.
//!
//! Configuration, every field optional:
//!
//! ```json
//! {"lines": 1000, "text_bytes": 1048576, "adjust": "lines"}
//! ```
//!
//! - `adjust-quote` with `"adjust": "lines"` adds `lines` valid lines; with `"adjust": "long-text"`
//!   it adds one line whose label and reason are `text_bytes` long in each language.
//! - `lint-model` answers one diagnostic whose message is `text_bytes` long in each language.
//! - `dashboard-figures` answers `lines` figures.
//!
//! The defaults (four times the host's 256 changes, 500 times its 2000-byte texts) are quick to
//! produce and stay far under the 32 MiB memory cap, so that the host's output limits, not its
//! deadline or memory cap, are what refuses them. Raise `lines` to reach the others.
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use missions_plugin_sdk::{
    Adjustment, Dashboard, Decimal, Figure, Hook, Label, Model, ModelDiagnostic, NewLine, Plugin, PluginError,
    PluginInfo, Quote, Severity, config, export_plugin,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Config {
    lines: u32,
    text_bytes: u32,
    adjust: Adjust,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Adjust {
    Lines,
    LongText,
}

impl Default for Config {
    fn default() -> Self {
        Config { lines: 1000, text_bytes: 1 << 20, adjust: Adjust::Lines }
    }
}

fn long(bytes: u32) -> Label {
    let text = || "x".repeat(bytes as usize);
    Label::new(text(), text(), text())
}

fn line(i: u32) -> NewLine {
    NewLine::new(
        format!("extra_{i}"),
        Label::new(format!("Ligne {i}"), format!("Lijn {i}"), format!("Line {i}")),
        Decimal::ONE,
        Decimal::ONE,
        "S",
        "21",
    )
}

struct HugeOutput;

impl Plugin for HugeOutput {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "huge-output",
            env!("CARGO_PKG_VERSION"),
            &[Hook::AdjustQuote, Hook::LintModel, Hook::DashboardFigures],
            Label::new("Répond beaucoup trop.", "Antwoordt veel te veel.", "Answers far too much."),
        )
    }

    fn adjust_quote(_: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let config: Config = config::config()?;
        let reason = || Label::new("Pour voir.", "Om te zien.", "To see.");
        Ok(match config.adjust {
            Adjust::Lines => (0..config.lines).map(|i| Adjustment::add(line(i), reason())).collect(),
            Adjust::LongText => {
                let mut one = line(0);
                one.label = long(config.text_bytes);
                Vec::from([Adjustment::add(one, long(config.text_bytes))])
            }
        })
    }

    fn lint_model(_: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        let config: Config = config::config()?;
        Ok(Vec::from([ModelDiagnostic::new(Severity::Info, "long", None, long(config.text_bytes))]))
    }

    fn dashboard_figures(_: Dashboard) -> Result<Vec<Figure>, PluginError> {
        let config: Config = config::config()?;
        Ok((0..config.lines)
            .map(|i| {
                let code: String = format!("figure_{i}");
                Figure::new(code, Label::new("Chiffre", "Cijfer", "Figure"), Decimal::from(i), None)
            })
            .collect())
    }
}

export_plugin!(HugeOutput);
