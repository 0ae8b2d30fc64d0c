//! Crossing the boundary: the engine's values into the contract's records, and a plugin's answer
//! back, checked field by field. Nothing a plugin returns reaches the engine unchecked: decimals
//! are exact, codes are present, every label has its three languages, indices are in range,
//! counts and sizes are capped. Amounts, VAT and rounding are the engine's.

use missions_engine::{InvoiceLine, LineAdjustment, LineChange, QuoteDraft};
use rust_decimal::Decimal;

use crate::bindings::types;
use missions_engine::Said;
use missions_engine::{Lang, said};

use crate::error::{Labels, PluginError};

/// Most changes one answer may hold.
pub const MAX_CHANGES: usize = 256;
/// Longest code, in bytes.
pub const MAX_CODE: usize = 64;
/// Longest text of a label or of a unit, in bytes.
pub const MAX_TEXT: usize = 2000;
/// Longest decimal, in characters.
const MAX_DECIMAL: usize = 40;

const LANGUAGES: [&str; 3] = ["fr", "nl", "en"];

/// A refused part of a plugin's answer: its path, and what is wrong in every language.
pub(crate) fn invalid(path: impl Into<String>, problem: Said) -> PluginError {
    let path = path.into();
    let message = problem.get(Lang::En);
    PluginError::InvalidOutput { messages: said!("plugins-at-path", path, problem).everywhere(), path, message }
}

pub(crate) fn label_of(l: &Labels) -> types::Label {
    let text = |lang: &str| l.get(lang).cloned().unwrap_or_default();
    types::Label { fr: text("fr"), nl: text("nl"), en: text("en") }
}

pub(crate) fn quote_of(q: &QuoteDraft<'_>) -> types::Quote {
    let lines = q
        .lines
        .iter()
        .map(|l| types::QuoteLine {
            code: l.code.clone(),
            label: label_of(&l.label()),
            quantity: l.quantity.to_string(),
            unit_price: l.unit_price.to_string(),
            base_quantity: l.base_quantity.to_string(),
            unit: l.unit.clone(),
            vat_category: l.vat_category.clone(),
            vat_rate: l.vat_rate.to_string(),
            amount: l.amount.to_string(),
        })
        .collect();
    types::Quote {
        pack: q.pack.name.clone(),
        pack_version: q.pack.version.clone(),
        entry: q.entry.to_owned(),
        currency: q.currency.to_owned(),
        lines,
        net_total: q.net_total().to_string(),
    }
}

/// A count within `max`.
pub(crate) fn count(path: &str, n: usize, max: usize) -> Result<(), PluginError> {
    if n <= max {
        return Ok(());
    }
    Err(invalid(path, said!("plugins-too-many-items", n, max)))
}

/// A code: non-empty, short, printable, without spaces.
pub(crate) fn code(path: &str, c: &str) -> Result<(), PluginError> {
    if c.trim().is_empty() {
        return Err(invalid(path, said!("plugins-code-empty")));
    }
    if c.len() > MAX_CODE || c.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        return Err(invalid(path, said!("plugins-code-too-long", MAX_CODE)));
    }
    Ok(())
}

/// A text of at most [`MAX_TEXT`] bytes; `required` texts may not be blank.
pub(crate) fn text(path: &str, t: &str, required: bool) -> Result<(), PluginError> {
    if required && t.trim().is_empty() {
        return Err(invalid(path, said!("plugins-text-empty")));
    }
    if t.len() > MAX_TEXT {
        let len = t.len();
        return Err(invalid(path, said!("plugins-text-too-long", len, MAX_TEXT)));
    }
    Ok(())
}

/// A label with its three languages.
pub(crate) fn labels_from(path: &str, l: types::Label) -> Result<Labels, PluginError> {
    let texts = [l.fr, l.nl, l.en];
    for (lang, t) in LANGUAGES.iter().zip(&texts) {
        text(&format!("{path}.{lang}"), t, true)?;
    }
    Ok(LANGUAGES.iter().map(|l| (*l).to_owned()).zip(texts).collect())
}

/// An exact decimal: an optional `-`, digits, an optional `.` and digits; no float, no exponent.
pub(crate) fn decimal(path: &str, s: &str) -> Result<Decimal, PluginError> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let well_formed = s.len() <= MAX_DECIMAL
        && !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    let parsed = if well_formed { Decimal::from_str_exact(s).ok() } else { None };
    parsed.ok_or_else(|| {
        let shown: String = s.chars().take(MAX_DECIMAL).collect();
        invalid(path, said!("plugins-not-decimal", shown))
    })
}

fn line_from(path: &str, l: types::NewLine) -> Result<InvoiceLine, PluginError> {
    code(&format!("{path}.code"), &l.code)?;
    let label = labels_from(&format!("{path}.label"), l.label)?;
    let quantity = decimal(&format!("{path}.quantity"), &l.quantity)?;
    let unit_price = decimal(&format!("{path}.unit-price"), &l.unit_price)?;
    if unit_price < Decimal::ZERO {
        return Err(invalid(format!("{path}.unit-price"), said!("plugins-negative-unit-price", unit_price)));
    }
    let base = match &l.base_quantity {
        Some(b) => decimal(&format!("{path}.base-quantity"), b)?,
        None => Decimal::ONE,
    };
    if let Some(u) = &l.unit {
        text(&format!("{path}.unit"), u, false)?;
    }
    code(&format!("{path}.vat-category"), &l.vat_category)?;
    let rate = decimal(&format!("{path}.vat-rate"), &l.vat_rate)?;
    let code = l.code.clone();
    let mut line = InvoiceLine::new(l.code, label, quantity, unit_price, base, l.vat_category, rate).map_err(|e| {
        let field = e.path.replace('_', "-");
        let why = e.message;
        invalid(format!("{path}.{field}"), said!("plugins-line-refused", code, why))
    })?;
    line.unit = l.unit;
    Ok(line)
}

fn index(path: &str, i: u32, len: usize) -> Result<usize, PluginError> {
    match usize::try_from(i) {
        Ok(i) if i < len => Ok(i),
        _ => Err(invalid(path, said!("plugins-no-such-line", i, len))),
    }
}

/// A plugin's answer to `adjust-quote`, checked, as the engine's changes.
pub(crate) fn adjustments_from(
    answer: Vec<types::Adjustment>,
    lines: usize,
) -> Result<Vec<LineAdjustment>, PluginError> {
    count("adjustments", answer.len(), MAX_CHANGES)?;
    answer
        .into_iter()
        .enumerate()
        .map(|(k, a)| {
            let at = format!("adjustments[{k}]");
            let change = match a.change {
                types::LineChange::Add(l) => LineChange::Add(line_from(&format!("{at}.add"), l)?),
                types::LineChange::Replace((i, l)) => LineChange::Replace(
                    index(&format!("{at}.replace.0"), i, lines)?,
                    line_from(&format!("{at}.replace.1"), l)?,
                ),
                types::LineChange::Remove(i) => LineChange::Remove(index(&format!("{at}.remove"), i, lines)?),
            };
            Ok(LineAdjustment { change, reason: labels_from(&format!("{at}.reason"), a.reason)? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_decimals_pass() {
        for ok in ["0", "-12.50", "0.125", "1250.00", "79228162514264337593543950335"] {
            assert_eq!(decimal("x", ok).unwrap().to_string(), ok);
        }
        for bad in ["", "-", "1.", ".5", "1e3", "1.5e2", "NaN", "inf", " 1", "1,5", "+1", "0x10", "1.2.3"] {
            assert!(decimal("x", bad).is_err(), "{bad:?} passed");
        }
        // More digits than a decimal holds would be rounded: refused, not rounded.
        assert!(decimal("x", "0.12345678901234567890123456789").is_err());
        let e = decimal("adjustments[0].add.quantity", "1e3").unwrap_err();
        assert_eq!(e.code(), "plugin.invalid_output");
        assert_eq!(
            e.messages()["nl"],
            "`adjustments[0].add.quantity`: `1e3` is geen exact decimaal getal (bijvoorbeeld `-12.50`)"
        );
    }

    #[test]
    fn labels_need_three_languages_and_codes_need_text() {
        let l = |fr: &str, nl: &str, en: &str| types::Label { fr: fr.into(), nl: nl.into(), en: en.into() };
        assert!(labels_from("r", l("a", "b", "c")).is_ok());
        let e = labels_from("r", l("a", " ", "c")).unwrap_err();
        assert!(matches!(&e, PluginError::InvalidOutput { path, .. } if path == "r.nl"), "{e:?}");
        assert!(labels_from("r", l("a", "b", &"x".repeat(MAX_TEXT + 1))).is_err());
        assert!(code("c", "").is_err() && code("c", "a b").is_err() && code("c", &"a".repeat(65)).is_err());
        assert!(code("c", "volume-discount").is_ok());
    }
}

// ---- lint-model and dashboard-figures ----

/// How serious a plugin's finding on a model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingSeverity {
    /// The model should not be used as it is.
    Error,
    /// Worth fixing.
    Warning,
    /// For information.
    Info,
}

impl FindingSeverity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSeverity::Error => "error",
            FindingSeverity::Warning => "warning",
            FindingSeverity::Info => "info",
        }
    }
}

/// A diagnostic a plugin adds to a mission model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFinding {
    /// How serious.
    pub severity: FindingSeverity,
    /// The plugin's code, prefixed with its name (`review-docs-lint.review-without-document`).
    pub code: String,
    /// The action it is about, an action of the model.
    pub action: Option<String>,
    /// What is wrong, per language.
    pub message: Labels,
}

/// A figure a plugin adds to a mission's dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginFigure {
    /// The plugin's code, prefixed with its name.
    pub code: String,
    /// What it is, per language.
    pub label: Labels,
    /// Its value, exact.
    pub value: Decimal,
    /// Its unit, when it helps (`%`, `h`).
    pub unit: Option<String>,
}

pub(crate) fn model_of(m: &missions_engine::Model) -> types::Model {
    types::Model {
        id: m.id().to_owned(),
        version: m.version().map(str::to_owned),
        phases: m.phases().iter().map(|p| p.id.clone()).collect(),
        roles: m.roles().iter().map(|r| r.id.clone()).collect(),
        actions: m
            .actions()
            .iter()
            .map(|a| types::ModelAction {
                id: a.id.clone(),
                phase: a.phase.clone(),
                kind: a.kind.clone(),
                role: a.role.clone(),
                label: label_of(&a.label.0),
                documents: a
                    .documents
                    .iter()
                    .map(|d| types::ModelDocument { id: d.id.clone(), required: d.required })
                    .collect(),
                depends_on: a.depends_on.clone(),
            })
            .collect(),
    }
}

fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn dashboard_of(d: &missions_engine::Dashboard) -> types::Dashboard {
    types::Dashboard {
        model: d.model.clone(),
        client: d.client.clone(),
        as_of: d.as_of.to_string(),
        total_actions: small(d.progress.total),
        done_actions: small(d.progress.done),
        overdue_actions: small(d.overdue.len()),
        open_key_points: small(d.key_points.open),
        phases: d
            .phases
            .iter()
            .map(|p| types::PhaseFigures {
                phase: p.id.clone(),
                total: small(p.progress.total),
                done: small(p.progress.done),
            })
            .collect(),
    }
}

pub(crate) fn findings_from(
    plugin: &str,
    answer: Vec<types::ModelDiagnostic>,
    model: &missions_engine::Model,
) -> Result<Vec<ModelFinding>, PluginError> {
    count("diagnostics", answer.len(), MAX_CHANGES)?;
    answer
        .into_iter()
        .enumerate()
        .map(|(k, d)| {
            let at = format!("diagnostics[{k}]");
            code(&format!("{at}.code"), &d.code)?;
            if let Some(a) = &d.action
                && !model.actions().iter().any(|x| x.id == *a)
            {
                let shown: String = a.chars().take(MAX_CODE).collect();
                return Err(invalid(format!("{at}.action"), said!("plugins-model-has-no-action", shown)));
            }
            let severity = match d.severity {
                types::Severity::Error => FindingSeverity::Error,
                types::Severity::Warning => FindingSeverity::Warning,
                types::Severity::Info => FindingSeverity::Info,
            };
            Ok(ModelFinding {
                severity,
                code: format!("{plugin}.{}", d.code),
                action: d.action,
                message: labels_from(&format!("{at}.message"), d.message)?,
            })
        })
        .collect()
}

pub(crate) fn figures_from(plugin: &str, answer: Vec<types::Figure>) -> Result<Vec<PluginFigure>, PluginError> {
    count("figures", answer.len(), MAX_CHANGES)?;
    answer
        .into_iter()
        .enumerate()
        .map(|(k, f)| {
            let at = format!("figures[{k}]");
            code(&format!("{at}.code"), &f.code)?;
            if let Some(u) = &f.unit {
                text(&format!("{at}.unit"), u, false)?;
            }
            Ok(PluginFigure {
                code: format!("{plugin}.{}", f.code),
                label: labels_from(&format!("{at}.label"), f.label)?,
                value: decimal(&format!("{at}.value"), &f.value)?,
                unit: f.unit,
            })
        })
        .collect()
}
