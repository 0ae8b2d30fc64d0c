//! Invoices and quotes: the money arithmetic no script may get wrong. An entry declared with
//! `output: invoice` returns lines (code, quantity, unit price, VAT category and rate, labels);
//! this module checks them and computes every amount, the VAT breakdown and the totals with the
//! EN 16931 rounding: each line half away from zero to cents, VAT per (category, rate) on the sum
//! of the line amounts, totals as sums of rounded figures. Legal VAT mentions are added here too.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use rhai::{Dynamic, Engine, INT, ImmutableString, Map};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::adjust::Adjusting;
use crate::output;
use crate::pack::EvalError;
use crate::script::{Labels, OutputError, PackContext, ScriptLimits, round_half_away, write_json};
use crate::template::{Template, Templates, Texts, write_labels};

/// EN 16931 (UNCL 5305) VAT category codes, and whether the category carries a positive rate.
const CATEGORIES: [(&str, bool); 9] = [
    ("S", true),
    ("Z", false),
    ("E", false),
    ("AE", false),
    ("K", false),
    ("G", false),
    ("O", false),
    ("L", true),
    ("M", true),
];

/// The label of the note a document must carry for a VAT category (`{vat_number}` is the buyer's).
const MENTIONS: [(&str, &str); 2] = [("AE", "vat_reverse_charge"), ("O", "vat_out_of_scope")];

/// Labels a pack with an invoice entry must define: the legal VAT mentions.
pub(crate) const REQUIRED_LABELS: [&str; 2] = ["vat_reverse_charge", "vat_out_of_scope"];

/// Output keys the engine computes; a script that sets one is refused.
const COMPUTED: [&str; 5] = ["net_total", "vat", "vat_total", "total", "currency"];

const LINE_KEYS: [&str; 9] =
    ["code", "label", "quantity", "unit_price", "base_quantity", "unit", "vat_category", "vat_rate", "amount"];

/// What an entry's script returns, as declared by `output:` in `pack.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum OutputKind {
    /// Any JSON value.
    #[default]
    Plain,
    /// Invoice lines and notes; the engine computes amounts, VAT and totals.
    Invoice,
}

impl OutputKind {
    /// The kind named in `pack.yaml`.
    pub(crate) fn parse(name: Option<&str>) -> Result<Self, String> {
        match name {
            None | Some("plain") => Ok(OutputKind::Plain),
            Some("invoice") => Ok(OutputKind::Invoice),
            Some(other) => Err(format!("unknown output kind `{other}` (kinds: `plain`, `invoice`)")),
        }
    }
}

/// One invoice line with its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// A stable code (`setup`, `license`, `work`).
    pub code: String,
    /// What the client reads, per language: see [`InvoiceLine::label`].
    label: Texts,
    /// How many units (may be negative for a deduction).
    pub quantity: Decimal,
    /// Price per `base_quantity` units, never negative.
    pub unit_price: Decimal,
    /// How many units `unit_price` is for (EN 16931 BT-149), usually 1.
    pub base_quantity: Decimal,
    /// The unit of the quantity, when it helps the reader (`h`, `min`).
    pub unit: Option<String>,
    /// EN 16931 VAT category (`S`, `AE`, `O` …).
    pub vat_category: String,
    /// VAT rate in percent (`21`).
    pub vat_rate: Decimal,
    /// `quantity × unit_price ÷ base_quantity`, rounded half away from zero to cents.
    pub amount: Decimal,
}

/// The VAT of one (category, rate) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatSubtotal {
    /// EN 16931 VAT category.
    pub category: String,
    /// Rate in percent.
    pub rate: Decimal,
    /// Sum of the line amounts of this category and rate.
    pub base: Decimal,
    /// `base × rate ÷ 100`, rounded half away from zero to cents.
    pub amount: Decimal,
}

/// A note printed on the document (a legal mention, a condition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceNote {
    /// A stable code (`vat_reverse_charge`).
    pub code: String,
    /// The text per language.
    pub label: Labels,
}

/// A priced document: lines, VAT per category and rate, totals and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// The lines, in order.
    pub lines: Vec<InvoiceLine>,
    /// VAT per (category, rate), in order of first appearance.
    pub vat: Vec<VatSubtotal>,
    /// Sum of the line amounts.
    pub net_total: Decimal,
    /// Sum of the VAT amounts.
    pub vat_total: Decimal,
    /// `net_total + vat_total`.
    pub total: Decimal,
    /// Notes, legal mentions included.
    pub notes: Vec<InvoiceNote>,
    /// The buyer's VAT number, when the document must show it.
    pub buyer_vat_number: Option<String>,
}

/// Why a line or a document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid output at `{path}`: {message}")]
pub struct InvoiceError {
    /// Where, as a JSON path of the output (`lines[2].unit_price`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn err<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, InvoiceError> {
    Err(InvoiceError { path: path.into(), message: message.into() })
}

/// Two decimals at least, so prices read as money (`35.00`, `0.125`).
fn money_scale(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

impl InvoiceLine {
    /// What the client reads, per language.
    pub fn label(&self) -> Cow<'_, Labels> {
        self.label.labels()
    }

    /// The texts, to change.
    pub fn label_mut(&mut self) -> &mut Labels {
        self.label.labels_mut()
    }

    /// A line of `quantity` units at `unit_price` per `base_quantity`; computes its amount.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        code: impl Into<String>,
        label: Labels,
        quantity: Decimal,
        unit_price: Decimal,
        base_quantity: Decimal,
        vat_category: impl Into<String>,
        vat_rate: Decimal,
    ) -> Result<InvoiceLine, InvoiceError> {
        Self::with_texts(code, Texts::written(label), quantity, unit_price, base_quantity, vat_category, vat_rate)
    }

    #[allow(clippy::too_many_arguments)]
    fn with_texts(
        code: impl Into<String>,
        label: Texts,
        quantity: Decimal,
        unit_price: Decimal,
        base_quantity: Decimal,
        vat_category: impl Into<String>,
        vat_rate: Decimal,
    ) -> Result<InvoiceLine, InvoiceError> {
        let (code, vat_category) = (code.into(), vat_category.into());
        if code.trim().is_empty() {
            return err("code", "a line needs a non-empty `code`");
        }
        if unit_price < Decimal::ZERO {
            return err("unit_price", format!("`{unit_price}` is negative; deduct with a negative quantity"));
        }
        if base_quantity <= Decimal::ZERO {
            return err("base_quantity", format!("`{base_quantity}` must be greater than 0"));
        }
        let Some(&(_, positive)) = CATEGORIES.iter().find(|(c, _)| *c == vat_category) else {
            let known = CATEGORIES.map(|(c, _)| format!("`{c}`")).join(", ");
            return err("vat_category", format!("`{vat_category}` is not an EN 16931 VAT category ({known})"));
        };
        if vat_rate < Decimal::ZERO || vat_rate >= Decimal::ONE_HUNDRED {
            return err("vat_rate", format!("`{vat_rate}` is not a rate in percent"));
        }
        if positive != (vat_rate > Decimal::ZERO) {
            let want = if positive { "a rate above 0" } else { "rate 0" };
            return err("vat_rate", format!("category `{vat_category}` needs {want}, not `{vat_rate}`"));
        }
        let amount =
            quantity.checked_mul(unit_price).and_then(|x| x.checked_div(base_quantity)).map(|x| round_half_away(x, 2));
        let Some(amount) = amount else { return err("amount", "the amount is too large") };
        Ok(InvoiceLine {
            code,
            label,
            quantity,
            unit_price: money_scale(unit_price),
            base_quantity,
            unit: None,
            vat_category,
            vat_rate: vat_rate.normalize(),
            amount,
        })
    }

    /// The line as a JSON value (for traces).
    pub(crate) fn into_json(self) -> Value {
        let mut out = String::new();
        self.write_json(&mut out);
        serde_json::from_str(&out).unwrap_or(Value::Null)
    }

    /// Append the line's JSON object to `out`, keys sorted; `base_quantity` only when not 1.
    fn write_json(&self, out: &mut String) {
        let mut o = output::Object::open(out);
        o.decimal("amount", self.amount);
        if self.base_quantity != Decimal::ONE {
            o.decimal("base_quantity", self.base_quantity);
        }
        o.str("code", &self.code);
        self.label.write_json(o.key("label"));
        o.decimal("quantity", self.quantity);
        if let Some(u) = &self.unit {
            o.str("unit", u);
        }
        o.decimal("unit_price", self.unit_price);
        o.str("vat_category", &self.vat_category);
        o.decimal("vat_rate", self.vat_rate);
        o.close();
    }
}

impl Invoice {
    /// The document for `lines` and `notes`: VAT per (category, rate) and totals.
    pub fn new(lines: Vec<InvoiceLine>, notes: Vec<InvoiceNote>) -> Result<Invoice, InvoiceError> {
        let overflow = || InvoiceError { path: "net_total".into(), message: "the total is too large".into() };
        let mut vat: Vec<VatSubtotal> = Vec::new();
        let mut net_total = Decimal::ZERO;
        for l in &lines {
            net_total = net_total.checked_add(l.amount).ok_or_else(overflow)?;
            match vat.iter_mut().find(|v| v.category == l.vat_category && v.rate == l.vat_rate) {
                Some(v) => v.base = v.base.checked_add(l.amount).ok_or_else(overflow)?,
                None => vat.push(VatSubtotal {
                    category: l.vat_category.clone(),
                    rate: l.vat_rate,
                    base: l.amount,
                    amount: Decimal::ZERO,
                }),
            }
        }
        let mut vat_total = Decimal::ZERO;
        for v in &mut vat {
            let amount = v.base.checked_mul(v.rate).ok_or_else(overflow)? / Decimal::ONE_HUNDRED;
            v.amount = round_half_away(amount, 2);
            vat_total += v.amount;
        }
        let total = net_total.checked_add(vat_total).ok_or_else(overflow)?;
        Ok(Invoice {
            lines,
            vat,
            net_total: money_scale(net_total),
            vat_total: money_scale(vat_total),
            total: money_scale(total),
            notes,
            buyer_vat_number: None,
        })
    }

    /// The JSON of the SPEC: `lines`, `net_total`, `vat`, `vat_total`, `total`, `notes`
    /// (amounts as decimal strings).
    pub fn to_json(&self) -> Value {
        let mut out = String::new();
        self.write_json(&mut out, &[]);
        serde_json::from_str(&out).unwrap_or(Value::Null)
    }

    /// Append the document's JSON object to `out`, with `extra` members (already JSON text,
    /// none named as a member of the document), every key in sorted order.
    pub(crate) fn write_json(&self, out: &mut String, extra: &[(&str, &str)]) {
        const KEYS: [&str; 7] = ["buyer_vat_number", "lines", "net_total", "notes", "total", "vat", "vat_total"];
        let mut keys: Vec<(&str, Option<&str>)> = KEYS.iter().map(|k| (*k, None)).collect();
        keys.extend(extra.iter().map(|(k, v)| (*k, Some(*v))));
        keys.sort_unstable_by_key(|(k, _)| *k);
        let mut o = output::Object::open(out);
        for (key, text) in keys {
            match (key, text) {
                (_, Some(text)) => o.key(key).push_str(text),
                ("buyer_vat_number", None) => {
                    if let Some(n) = &self.buyer_vat_number {
                        o.str(key, n);
                    }
                }
                ("lines", None) => output::push_array(o.key(key), &self.lines, |out, l| l.write_json(out)),
                ("net_total", None) => o.decimal(key, self.net_total),
                ("notes", None) => output::push_array(o.key(key), &self.notes, |out, n| {
                    let mut note = output::Object::open(out);
                    note.str("code", &n.code);
                    write_labels(note.key("label"), &n.label);
                    note.close();
                }),
                ("total", None) => o.decimal(key, self.total),
                ("vat", None) => output::push_array(o.key(key), &self.vat, |out, v| {
                    let mut sub = output::Object::open(out);
                    sub.decimal("amount", v.amount);
                    sub.decimal("base", money_scale(v.base));
                    sub.str("category", &v.category);
                    sub.decimal("rate", v.rate);
                    sub.close();
                }),
                ("vat_total", None) => o.decimal(key, self.vat_total),
                _ => {}
            }
        }
        o.close();
    }

    /// Read back a document written by [`Invoice::to_json`] (for display); `None` if `v` is not one.
    pub fn from_json(v: &Value) -> Option<Invoice> {
        let dec = |v: &Value| v.as_str().and_then(|s| s.parse::<Decimal>().ok());
        let labels = |v: &Value| -> Option<Labels> {
            v.as_object()?.iter().map(|(k, t)| Some((k.clone(), t.as_str()?.to_owned()))).collect()
        };
        let lines = v["lines"]
            .as_array()?
            .iter()
            .map(|l| {
                Some(InvoiceLine {
                    code: l["code"].as_str()?.to_owned(),
                    label: Texts::written(labels(&l["label"])?),
                    quantity: dec(&l["quantity"])?,
                    unit_price: dec(&l["unit_price"])?,
                    base_quantity: if l["base_quantity"].is_null() { Decimal::ONE } else { dec(&l["base_quantity"])? },
                    unit: l["unit"].as_str().map(str::to_owned),
                    vat_category: l["vat_category"].as_str()?.to_owned(),
                    vat_rate: dec(&l["vat_rate"])?,
                    amount: dec(&l["amount"])?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let vat = v["vat"]
            .as_array()?
            .iter()
            .map(|s| {
                Some(VatSubtotal {
                    category: s["category"].as_str()?.to_owned(),
                    rate: dec(&s["rate"])?,
                    base: dec(&s["base"])?,
                    amount: dec(&s["amount"])?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let notes = match v.get("notes") {
            None | Some(Value::Null) => Vec::new(),
            Some(n) => n
                .as_array()?
                .iter()
                .map(|n| Some(InvoiceNote { code: n["code"].as_str()?.to_owned(), label: labels(&n["label"])? }))
                .collect::<Option<Vec<_>>>()?,
        };
        Some(Invoice {
            lines,
            vat,
            net_total: dec(&v["net_total"])?,
            vat_total: dec(&v["vat_total"])?,
            total: dec(&v["total"])?,
            notes,
            buyer_vat_number: v["buyer_vat_number"].as_str().map(str::to_owned),
        })
    }
}

/// Everything [`finish`] needs from the pack.
pub(crate) struct Context<'a> {
    pub languages: &'a [String],
    pub labels: &'a BTreeMap<String, Labels>,
    pub templates: &'a Templates,
    pub currency: &'a str,
    pub tz: Tz,
    pub limits: &'a ScriptLimits,
}

impl Context<'_> {
    fn labels_of(&self, v: &Dynamic, path: &str) -> Result<Labels, InvoiceError> {
        if let Some(code) = v.read_lock::<ImmutableString>() {
            return match self.labels.get(code.as_str()) {
                Some(l) => Ok(l.clone()),
                None => err(path, format!("no label `{}` in the pack's labels", code.as_str())),
            };
        }
        let Some(m) = v.read_lock::<Map>() else {
            return err(path, "a label is a label code or a map of texts per language");
        };
        let mut out = Labels::new();
        for lang in self.languages {
            match m.get(lang.as_str()).and_then(|t| t.read_lock::<ImmutableString>().map(|t| t.to_string())) {
                Some(t) if !t.trim().is_empty() => {
                    out.insert(lang.clone(), t);
                }
                _ => return err(format!("{path}.{lang}"), format!("the label has no `{lang}` text")),
            }
        }
        Ok(out)
    }

    /// Whether a label written outside the pack's labels (an adjuster's) has every language.
    pub(crate) fn check_languages(&self, label: &Labels, path: &str) -> Result<(), InvoiceError> {
        match self.languages.iter().find(|l| label.get(l.as_str()).is_none_or(|t| t.trim().is_empty())) {
            Some(lang) => err(format!("{path}.label.{lang}"), format!("the label has no `{lang}` text")),
            None => Ok(()),
        }
    }
}

fn decimal_of(v: Option<&Dynamic>, path: &str, required: bool) -> Result<Option<Decimal>, InvoiceError> {
    match v {
        None => {
            if required {
                err(path, "is missing")
            } else {
                Ok(None)
            }
        }
        Some(v) if v.is_unit() && !required => Ok(None),
        Some(v) => match number(v) {
            Some(d) => Ok(Some(d)),
            None => err(path, format!("must be a decimal, not a value of type `{}`", v.type_name())),
        },
    }
}

/// An integer or a decimal, as a decimal.
fn number(v: &Dynamic) -> Option<Decimal> {
    v.as_decimal().ok().or_else(|| v.as_int().ok().map(Decimal::from))
}

/// A line the script wrote as a map.
fn line_of(ctx: &Context<'_>, v: Dynamic, path: &str) -> Result<InvoiceLine, InvoiceError> {
    let Some(m) = v.read_lock::<Map>() else {
        return err(
            path,
            "a line is `invoice_line(…)` or a map `#{code, quantity, unit_price, vat_category, vat_rate, label}`",
        );
    };
    for k in m.keys() {
        if k == "amount" {
            return err(format!("{path}.amount"), "line amounts are computed by the engine; remove `amount`");
        }
        if !LINE_KEYS.contains(&k.as_str()) {
            return err(format!("{path}.{k}"), format!("unknown line field `{k}`"));
        }
    }
    let at = |k: &str| format!("{path}.{k}");
    let text = |k: &str| -> Result<String, InvoiceError> {
        match m.get(k).and_then(|t| t.read_lock::<ImmutableString>().map(|t| t.to_string())) {
            Some(t) => Ok(t),
            None => err(at(k), "must be a string"),
        }
    };
    let code = text("code")?;
    let label = ctx.labels_of(m.get("label").unwrap_or(&Dynamic::UNIT), &at("label"))?;
    let quantity = decimal_of(m.get("quantity"), &at("quantity"), true)?.unwrap_or_default();
    let unit_price = decimal_of(m.get("unit_price"), &at("unit_price"), true)?.unwrap_or_default();
    let base = decimal_of(m.get("base_quantity"), &at("base_quantity"), false)?.unwrap_or(Decimal::ONE);
    let category = text("vat_category")?;
    let rate = decimal_of(m.get("vat_rate"), &at("vat_rate"), true)?.unwrap_or_default();
    let unit = match m.get("unit") {
        None => None,
        Some(u) if u.is_unit() => None,
        Some(_) => Some(text("unit")?),
    };
    let mut line = InvoiceLine::new(code, label, quantity, unit_price, base, category, rate)
        .map_err(|e| InvoiceError { path: at(&e.path), message: e.message })?;
    line.unit = unit;
    Ok(line)
}

/// A note the script wrote as a label code or a map.
fn note_of(ctx: &Context<'_>, v: Dynamic, path: &str) -> Result<InvoiceNote, InvoiceError> {
    if let Some(code) = v.read_lock::<ImmutableString>() {
        return Ok(InvoiceNote { code: code.to_string(), label: ctx.labels_of(&v, path)? });
    }
    let Some(m) = v.read_lock::<Map>() else {
        return err(path, "a note is `note(…)`, a label code or `#{code, label}`");
    };
    let code = match m.get("code").and_then(|c| c.read_lock::<ImmutableString>().map(|c| c.to_string())) {
        Some(c) if !c.is_empty() => c,
        _ => return err(format!("{path}.code"), "a note needs a `code`"),
    };
    let label = match m.get("label") {
        Some(l) => ctx.labels_of(l, &format!("{path}.label"))?,
        None => ctx.labels_of(&Dynamic::from(code.clone()), &format!("{path}.label"))?,
    };
    Ok(InvoiceNote { code, label })
}

/// The script's priced lines, before any adjuster and the document's notes and totals.
///
/// Lines from `invoice_line(…)` and notes from `note(…)` are complete as they are: they are
/// priced when built, and their texts come from the pack's labels, which have every language of
/// the pack (a label missing one does not load).
fn lines_of(ctx: &Context<'_>, out: &mut Map) -> Result<Vec<InvoiceLine>, InvoiceError> {
    for k in COMPUTED {
        if out.contains_key(k) {
            return err(k, format!("`{k}` is computed by the engine; a script returns only lines and notes"));
        }
    }
    let Some(Ok(lines)) = out.remove("lines").map(Dynamic::into_array) else {
        return err("lines", "an invoice entry must return `lines`, a list");
    };
    if lines.len() > ctx.limits.max_array_size {
        return err(
            "lines",
            format!("{} lines exceed the pack's `max_array_size` of {}", lines.len(), ctx.limits.max_array_size),
        );
    }
    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| if l.is::<InvoiceLine>() { Ok(l.cast()) } else { line_of(ctx, l, &format!("lines[{i}]")) })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lines)
}

/// The document for `lines` (adjusted): the script's notes, the legal VAT mentions, the totals.
fn invoice_of(ctx: &Context<'_>, out: &mut Map, lines: Vec<InvoiceLine>) -> Result<Invoice, InvoiceError> {
    let mut notes = match out.remove("notes") {
        None => Vec::new(),
        Some(n) if n.is_unit() => Vec::new(),
        Some(n) => match n.into_array() {
            Ok(a) => a
                .into_iter()
                .enumerate()
                .map(
                    |(i, n)| if n.is::<InvoiceNote>() { Ok(n.cast()) } else { note_of(ctx, n, &format!("notes[{i}]")) },
                )
                .collect::<Result<Vec<_>, _>>()?,
            Err(_) => return err("notes", "must be a list"),
        },
    };
    let buyer = match out.remove("buyer_vat_number") {
        Some(b) if b.is_unit() => None,
        Some(b) => match b.read_lock::<ImmutableString>() {
            Some(t) if !t.trim().is_empty() => Some(t.to_string()),
            Some(_) => None,
            None => return err("buyer_vat_number", "must be a string"),
        },
        None => None,
    };
    // The legal mention of each VAT category used, once, after the script's own notes.
    for (category, code) in MENTIONS {
        if !lines.iter().any(|l| l.vat_category == category) || notes.iter().any(|n| n.code == code) {
            continue;
        }
        let mut vars = Map::new();
        if category == "AE" {
            let Some(b) = &buyer else {
                return err("buyer_vat_number", "a reverse-charge document must show the buyer's VAT number");
            };
            vars.insert("vat_number".into(), b.as_str().into());
        }
        let Some(template) = ctx.templates.get(code) else {
            return err("notes", format!("the pack has no label `{code}` for the VAT mention"));
        };
        notes.push(InvoiceNote { code: code.to_owned(), label: template.fill(&vars) });
    }
    let mut invoice = Invoice::new(lines, notes)?;
    invoice.buyer_vat_number = buyer;
    Ok(invoice)
}

/// Turn an invoice entry's script result into the output's JSON text: the computed document, plus the
/// script's other fields unchanged. `adjust` may change the lines before VAT and totals.
pub(crate) fn finish(
    result: Dynamic,
    ctx: &Context<'_>,
    adjust: Option<&mut Adjusting<'_>>,
) -> Result<String, EvalError> {
    let output_err = |e: InvoiceError| EvalError::Output { path: e.path, message: e.message };
    let Some(mut out) = result.try_cast::<Map>() else {
        return Err(EvalError::Output {
            path: String::new(),
            message: "an invoice entry must return a map with `lines`".into(),
        });
    };
    let mut lines = lines_of(ctx, &mut out).map_err(output_err)?;
    if let Some(adjust) = adjust {
        lines = adjust.apply(ctx, lines)?;
    }
    let invoice = invoice_of(ctx, &mut out, lines).map_err(output_err)?;
    // The script's other fields, each as JSON text, then the document around them.
    let mut extra_text = Vec::with_capacity(out.len() + 1);
    let mut currency = String::new();
    output::push_str(&mut currency, ctx.currency);
    extra_text.push(("currency", currency));
    for (k, v) in &out {
        let mut text = String::new();
        write_json(v, ctx.tz, ctx.limits, k.as_str(), &mut text).map_err(|e| match e {
            OutputError::Invalid { path, message } => EvalError::Output { path, message },
            OutputError::Limit { limit, what } => EvalError::Limit { limit, what },
        })?;
        extra_text.push((k.as_str(), text));
    }
    let extra: Vec<(&str, &str)> = extra_text.iter().map(|(k, t)| (*k, t.as_str())).collect();
    let mut text = String::with_capacity(256 * (invoice.lines.len() + invoice.notes.len()) + 256);
    invoice.write_json(&mut text, &extra);
    Ok(text)
}

// ---- script functions ----

type FnResult<T> = Result<T, Box<rhai::EvalAltResult>>;

fn runtime(msg: String) -> Box<rhai::EvalAltResult> {
    msg.into()
}

/// What `vat_regime(…)` returns: the VAT category and rate every line of the document carries.
#[derive(Debug, Clone)]
pub(crate) struct VatTreatment {
    pub category: &'static str,
    pub rate: Decimal,
    pub country: ImmutableString,
    pub eu: bool,
    pub buyer_vat_number: Option<ImmutableString>,
}

fn template<'c>(c: &'c PackContext, code: &str) -> FnResult<&'c Arc<Template>> {
    c.templates.get(code).ok_or_else(|| runtime(format!("no label `{code}` in the pack's labels")))
}

fn texts(c: &PackContext, code: &str, vars: &Map) -> FnResult<Labels> {
    Ok(template(c, code)?.fill(vars))
}

/// A line's label is filled when the output is written, not here: most are never read before.
fn make_line(
    code: &str,
    quantity: &Dynamic,
    unit_price: &Dynamic,
    vat: &VatTreatment,
    label: Texts,
) -> FnResult<InvoiceLine> {
    let q = number(quantity).ok_or_else(|| {
        runtime(format!("line `{code}`: the quantity must be a number, not `{}`", quantity.type_name()))
    })?;
    let p = number(unit_price).ok_or_else(|| {
        runtime(format!("line `{code}`: the unit price must be a number, not `{}`", unit_price.type_name()))
    })?;
    InvoiceLine::with_texts(code, label, q, p, Decimal::ONE, vat.category, vat.rate)
        .map_err(|e| runtime(format!("line `{code}`: `{}` {}", e.path, e.message)))
}

/// `invoice_line(code, quantity, unit_price, vat, label_code, vars)`: what scripts and the direct
/// evaluator call.
pub(crate) fn invoice_line(
    c: &PackContext,
    code: &str,
    quantity: &Dynamic,
    unit_price: &Dynamic,
    vat: &VatTreatment,
    label: &str,
    vars: Map,
) -> FnResult<InvoiceLine> {
    make_line(code, quantity, unit_price, vat, Texts::to_fill(template(c, label)?.clone(), vars))
}

/// `note(code, vars)`.
pub(crate) fn note(c: &PackContext, code: &str, vars: &Map) -> FnResult<InvoiceNote> {
    Ok(InvoiceNote { code: code.to_owned(), label: texts(c, code, vars)? })
}

/// Reads one property of a VAT treatment.
type VatGetter = fn(&VatTreatment) -> Dynamic;

/// The properties of a VAT treatment scripts read (`vat.rate`, `vat.buyer_vat_number` …): one
/// table for rhai's getters and the direct evaluation.
const VAT_PROPERTIES: [(&str, VatGetter); 5] = [
    ("category", |v| Dynamic::from(ImmutableString::from(v.category))),
    ("rate", |v| Dynamic::from_decimal(v.rate)),
    ("country", |v| Dynamic::from(v.country.clone())),
    ("eu", |v| Dynamic::from_bool(v.eu)),
    ("buyer_vat_number", |v| v.buyer_vat_number.clone().map_or(Dynamic::UNIT, Dynamic::from)),
];

/// The property `name` of a VAT treatment, if it has one.
pub(crate) fn vat_property(v: &VatTreatment, name: &str) -> Option<Dynamic> {
    VAT_PROPERTIES.iter().find(|(n, _)| *n == name).map(|(_, get)| get(v))
}

/// `line.unit = "h"` and `line.base_quantity = 60`.
pub(crate) fn set_line_property(l: &mut InvoiceLine, name: &str, value: Dynamic) -> FnResult<()> {
    match name {
        "unit" => {
            let unit = value
                .into_immutable_string()
                .map_err(|t| runtime(format!("line `{}`: the unit must be a string, not `{t}`", l.code)))?;
            l.unit = Some(unit.to_string());
        }
        "base_quantity" => {
            let b = number(&value)
                .filter(|b| *b > Decimal::ZERO)
                .ok_or_else(|| runtime(format!("line `{}`: the base quantity must be a number above 0", l.code)))?;
            let relined = InvoiceLine::with_texts(
                l.code.clone(),
                std::mem::take(&mut l.label),
                l.quantity,
                l.unit_price,
                b,
                l.vat_category.clone(),
                l.vat_rate,
            )
            .map_err(|e| runtime(format!("line `{}`: `{}` {}", l.code, e.path, e.message)))?;
            let unit = l.unit.take();
            *l = InvoiceLine { unit, ..relined };
        }
        _ => return Err(runtime(format!("an invoice line has no property `{name}` to set"))),
    }
    Ok(())
}

/// `invoice_line(code, quantity, unit_price, vat, label_code[, vars])` for quantities of type `Q`
/// and prices of type `P`.
fn register_invoice_line<Q, P>(engine: &mut Engine, ctx: &std::sync::Arc<PackContext>)
where
    Q: Into<Dynamic> + Clone + Send + Sync + 'static,
    P: Into<Dynamic> + Clone + Send + Sync + 'static,
{
    let c = ctx.clone();
    engine.register_fn(
        "invoice_line",
        move |code: &str, q: Q, p: P, vat: VatTreatment, label: &str| -> FnResult<InvoiceLine> {
            invoice_line(&c, code, &q.into(), &p.into(), &vat, label, Map::new())
        },
    );
    let c = ctx.clone();
    engine.register_fn(
        "invoice_line",
        move |code: &str, q: Q, p: P, vat: VatTreatment, label: &str, vars: Map| -> FnResult<InvoiceLine> {
            invoice_line(&c, code, &q.into(), &p.into(), &vat, label, vars)
        },
    );
}

/// Register the invoice helpers scripts may call:
/// * `label(code, vars)`: the label's texts with `{name}` filled from `vars`;
/// * `invoice_line(code, quantity, unit_price, vat, label_code[, vars])`: a line priced by the
///   engine on the spot (its `amount` can be read), `vat` being what `vat_regime(…)` returned;
///   `line.unit = "h"` and `line.base_quantity = 60` refine it;
/// * `note(code[, vars])`: a note with the label's texts.
pub(crate) fn register(engine: &mut Engine, ctx: &std::sync::Arc<PackContext>) {
    let c = ctx.clone();
    engine.register_fn("label", move |code: &str, vars: Map| -> FnResult<Map> {
        Ok(texts(&c, code, &vars)?
            .into_iter()
            .map(|(k, v)| (k.as_str().into(), Dynamic::from(ImmutableString::from(v))))
            .collect())
    });

    engine.register_type_with_name::<VatTreatment>("VatTreatment");
    for (name, get) in VAT_PROPERTIES {
        engine.register_get(name, move |v: &mut VatTreatment| get(v));
    }

    engine.register_type_with_name::<InvoiceLine>("InvoiceLine");
    register_invoice_line::<Dynamic, Dynamic>(engine, ctx);
    // The same with the number types spelt out: rhai finds an exact signature at once, where
    // `Dynamic` parameters make it try every combination of them first (a cost on each call).
    register_invoice_line::<INT, INT>(engine, ctx);
    register_invoice_line::<INT, Decimal>(engine, ctx);
    register_invoice_line::<Decimal, INT>(engine, ctx);
    register_invoice_line::<Decimal, Decimal>(engine, ctx);
    engine.register_get("code", |l: &mut InvoiceLine| ImmutableString::from(l.code.as_str()));
    engine.register_get("quantity", |l: &mut InvoiceLine| Dynamic::from_decimal(l.quantity));
    engine.register_get("unit_price", |l: &mut InvoiceLine| Dynamic::from_decimal(l.unit_price));
    engine.register_get("amount", |l: &mut InvoiceLine| Dynamic::from_decimal(l.amount));
    engine.register_get("vat_category", |l: &mut InvoiceLine| ImmutableString::from(l.vat_category.as_str()));
    engine.register_get("vat_rate", |l: &mut InvoiceLine| Dynamic::from_decimal(l.vat_rate));
    engine.register_set("unit", |l: &mut InvoiceLine, unit: ImmutableString| {
        set_line_property(l, "unit", Dynamic::from(unit))
    });
    engine.register_set("base_quantity", |l: &mut InvoiceLine, base: Dynamic| {
        set_line_property(l, "base_quantity", base)
    });

    engine.register_type_with_name::<InvoiceNote>("InvoiceNote");
    let c = ctx.clone();
    engine.register_fn("note", move |code: &str| note(&c, code, &Map::new()));
    let c = ctx.clone();
    engine.register_fn("note", move |code: &str, vars: Map| note(&c, code, &vars));
    engine.register_get("code", |n: &mut InvoiceNote| ImmutableString::from(n.code.as_str()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn labels() -> Labels {
        [("en".to_owned(), "x".to_owned())].into_iter().collect()
    }

    fn line(q: &str, p: &str, cat: &str, rate: &str) -> InvoiceLine {
        InvoiceLine::new("x", labels(), d(q), d(p), Decimal::ONE, cat, d(rate)).unwrap()
    }

    #[test]
    fn lines_round_half_away_from_zero() {
        assert_eq!(line("1", "0.125", "S", "21").amount.to_string(), "0.13");
        assert_eq!(line("-1", "0.125", "S", "21").amount.to_string(), "-0.13");
        assert_eq!(line("3", "0.333", "S", "21").amount.to_string(), "1.00");
        let l = InvoiceLine::new("work", labels(), d("20"), d("180.00"), d("60"), "S", d("21")).unwrap();
        assert_eq!(l.amount.to_string(), "60.00");
        assert_eq!(line("1", "1250", "S", "21.00").unit_price.to_string(), "1250.00");
        assert_eq!(line("1", "1250", "S", "21.00").vat_rate.to_string(), "21");
    }

    #[test]
    fn vat_is_computed_on_the_sum_of_rounded_lines() {
        // Lines 0.07 + 0.07: VAT per line would be 0.01 + 0.01 = 0.02; on the sum it is 0.14 × 21 % = 0.0294 → 0.03.
        let inv = Invoice::new(vec![line("1", "0.07", "S", "21"), line("1", "0.07", "S", "21")], Vec::new()).unwrap();
        assert_eq!(
            (inv.net_total.to_string(), inv.vat_total.to_string(), inv.total.to_string()),
            ("0.14".into(), "0.03".into(), "0.17".into())
        );
        let inv = Invoice::new(
            vec![
                line("1", "100", "S", "21"),
                line("1", "50", "S", "6"),
                line("2", "10", "S", "21.00"),
                line("1", "7", "O", "0"),
            ],
            Vec::new(),
        )
        .unwrap();
        let vat: Vec<_> = inv
            .vat
            .iter()
            .map(|v| (v.category.as_str(), v.rate.to_string(), v.base.to_string(), v.amount.to_string()))
            .collect();
        assert_eq!(
            vat,
            [
                ("S", "21".into(), "120.00".into(), "25.20".into()),
                ("S", "6".into(), "50.00".into(), "3.00".into()),
                ("O", "0".into(), "7.00".into(), "0.00".into())
            ]
        );
        assert_eq!(inv.total.to_string(), "205.20");
        assert_eq!(Invoice::from_json(&inv.to_json()), Some(inv));
    }

    #[test]
    fn bad_lines_are_refused() {
        let e = |q: &str, p: &str, c: &str, r: &str| {
            InvoiceLine::new("x", labels(), d(q), d(p), Decimal::ONE, c, d(r)).unwrap_err().path
        };
        assert_eq!(e("1", "-1", "S", "21"), "unit_price");
        assert_eq!(e("1", "1", "X", "21"), "vat_category");
        assert_eq!(e("1", "1", "S", "0"), "vat_rate");
        assert_eq!(e("1", "1", "AE", "21"), "vat_rate");
        assert_eq!(e("1", "1", "S", "100"), "vat_rate");
        assert!(InvoiceLine::new(" ", labels(), Decimal::ONE, Decimal::ONE, Decimal::ONE, "S", d("21")).is_err());
        assert!(InvoiceLine::new("x", labels(), Decimal::MAX, Decimal::MAX, Decimal::ONE, "S", d("21")).is_err());
    }
}
