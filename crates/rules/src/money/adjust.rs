//! Adjusting a quote between its script and its totals. A caller (the plugin host) receives the
//! priced lines of an `output: invoice` entry and proposes changes with a reason; the engine
//! applies them, checks them as it checks a script's lines, and only then adds the legal VAT
//! mentions and computes VAT and totals. An adjuster never touches money rules.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::context::Context;
use crate::error::{EvalError, PackId};
use crate::template::Labels;
use missions_base::diag::Said;
use missions_base::said;
use missions_money::InvoiceLine;

/// A quote as the pack priced it, before VAT: what an [`InvoiceAdjuster`] sees.
#[derive(Debug, Clone, Copy)]
pub struct QuoteDraft<'a> {
    /// The pack that priced it.
    pub pack: &'a PackId,
    /// The entry that priced it (`quote`).
    pub entry: &'a str,
    /// ISO 4217 (`EUR`).
    pub currency: &'a str,
    /// The lines, each with its amount; earlier adjusters' changes included.
    pub lines: &'a [InvoiceLine],
}

impl QuoteDraft<'_> {
    /// The sum of the line amounts.
    pub fn net_total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// One change to a quote's lines. Indices are those of the lines the adjuster received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineChange {
    /// Append a line.
    Add(InvoiceLine),
    /// Replace the line at this index.
    Replace(usize, InvoiceLine),
    /// Remove the line at this index.
    Remove(usize),
}

/// A change and why it was made; the reason appears in the evaluation's trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineAdjustment {
    /// What changes.
    pub change: LineChange,
    /// Why, per language.
    pub reason: Labels,
}

/// Why an adjuster gave no answer. It fails the evaluation as [`EvalError::Plugin`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .message.get("en").map_or(.code.as_str(), String::as_str))]
pub struct AdjustError {
    /// A stable code (`config.invalid`, `plugin.deadline`).
    pub code: String,
    /// What went wrong and how to fix it, per language.
    pub message: Labels,
}

/// Something that may change an invoice entry's lines before VAT and totals (a plugin).
pub trait InvoiceAdjuster {
    /// Who adjusts (a plugin's name), for the trace and for errors.
    fn name(&self) -> &str;

    /// The changes to make to `quote`, in order.
    fn adjust(&self, quote: &QuoteDraft<'_>) -> Result<Vec<LineAdjustment>, AdjustError>;
}

/// The adjusters of one evaluation, and the trace of what they changed.
pub(crate) struct Adjusting<'a> {
    pub adjusters: &'a [&'a dyn InvoiceAdjuster],
    pub pack: &'a PackId,
    pub entry: &'a str,
    /// `Some` when the caller asked for a trace: one entry per change.
    pub trace: Option<Vec<Value>>,
}

/// The plugin contract writes a line's text in fr, nl and en; in a pack that also speaks another
/// language (added as data, German say), the line shows its English text there.
fn beyond_the_contract(label: &mut Labels, languages: &[String]) {
    let Some(en) = label.get("en").cloned() else { return };
    for lang in languages.iter().filter(|l| !matches!(l.as_str(), "fr" | "nl" | "en")) {
        label.entry(lang.clone()).or_insert_with(|| en.clone());
    }
}

fn refused(plugin: &str, code: &str, message: Labels) -> EvalError {
    EvalError::Plugin { plugin: plugin.to_owned(), code: code.to_owned(), message }
}

impl Adjusting<'_> {
    /// Run every adjuster in turn on `lines`; each sees the lines as the previous one left them.
    pub(crate) fn apply(
        &mut self,
        ctx: &Context<'_>,
        mut lines: Vec<InvoiceLine>,
    ) -> Result<Vec<InvoiceLine>, EvalError> {
        for adjuster in self.adjusters {
            let name = adjuster.name();
            let draft = QuoteDraft { pack: self.pack, entry: self.entry, currency: ctx.currency, lines: &lines };
            let changes = adjuster.adjust(&draft).map_err(|e| refused(name, &e.code, e.message))?;
            lines = self.apply_one(ctx, name, lines, changes)?;
        }
        Ok(lines)
    }

    fn apply_one(
        &mut self,
        ctx: &Context<'_>,
        name: &str,
        lines: Vec<InvoiceLine>,
        changes: Vec<LineAdjustment>,
    ) -> Result<Vec<InvoiceLine>, EvalError> {
        let invalid = |message: Said| refused(name, "plugin.invalid_output", message.everywhere());
        let n = lines.len();
        let mut slots: Vec<Option<Option<InvoiceLine>>> = vec![None; n];
        let mut added = Vec::new();
        for (k, adj) in changes.into_iter().enumerate() {
            let (index, mut new) = match adj.change {
                LineChange::Add(l) => (None, Some(l)),
                LineChange::Replace(i, l) => (Some(i), Some(l)),
                LineChange::Remove(i) => (Some(i), None),
            };
            if let Some(l) = &mut new {
                beyond_the_contract(l.label_mut(), ctx.languages);
            }
            if let Some(l) = &new
                && let Err(e) = ctx.check_languages(&l.label(), &format!("changes[{k}]"))
            {
                let (code, path) = (&l.code, &e.path);
                return Err(invalid(said!("rules-adjusted-line-without-text", code, path)));
            }
            if let Some(i) = index {
                let Some(slot) = slots.get_mut(i) else {
                    return Err(invalid(said!("rules-adjusted-no-such-line", k, i, n)));
                };
                if slot.is_some() {
                    return Err(invalid(said!("rules-adjusted-line-twice", i)));
                }
                *slot = Some(new.clone());
            } else if let Some(l) = &new {
                added.push(l.clone());
            }
            if let Some(trace) = &mut self.trace {
                let mut detail = json!({"plugin": name, "reason": adj.reason});
                match (index, &new) {
                    (None, Some(l)) => {
                        detail["change"] = json!("add");
                        detail["line"] = l.clone().into_json();
                    }
                    (Some(i), Some(l)) => {
                        detail["change"] = json!("replace");
                        detail["index"] = json!(i);
                        detail["before"] = lines[i].clone().into_json();
                        detail["line"] = l.clone().into_json();
                    }
                    (Some(i), None) => {
                        detail["change"] = json!("remove");
                        detail["index"] = json!(i);
                        detail["before"] = lines[i].clone().into_json();
                    }
                    (None, None) => {}
                }
                trace.push(json!({"rule": "plugin", "detail": detail}));
            }
        }
        let mut out: Vec<InvoiceLine> = lines
            .into_iter()
            .zip(slots)
            .filter_map(|(line, slot)| match slot {
                None => Some(line),
                Some(replacement) => replacement,
            })
            .collect();
        out.extend(added);
        if out.len() > ctx.limits.max_array_size {
            let (len, max) = (out.len(), ctx.limits.max_array_size);
            return Err(invalid(said!("rules-adjusted-too-many-lines", len, max)));
        }
        Ok(out)
    }
}
