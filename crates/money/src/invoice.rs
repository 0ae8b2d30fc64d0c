//! Invoices and quotes: the money arithmetic no script may get wrong. An entry declared with
//! `output: invoice` returns lines (code, quantity, unit price, VAT category and rate, labels);
//! this module checks them and computes every amount, the VAT breakdown and the totals with the
//! EN 16931 rounding: each line half away from zero to cents, VAT per (category, rate) on the sum
//! of the line amounts, totals as sums of rounded figures. Legal VAT mentions are added here too.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::amount::round_half_away;
use crate::labels::{Labels, Texts, write_labels};
use missions_base::json as output;

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
pub const MENTIONS: [(&str, &str); 2] = [("AE", "vat_reverse_charge"), ("O", "vat_out_of_scope")];

/// Labels a pack with an invoice entry must define: the legal VAT mentions.
pub const REQUIRED_LABELS: [&str; 2] = ["vat_reverse_charge", "vat_out_of_scope"];

/// Output keys the engine computes; a script that sets one is refused.
pub const COMPUTED: [&str; 5] = ["net_total", "vat", "vat_total", "total", "currency"];

/// The keys a script may give a line.
pub const LINE_KEYS: [&str; 9] =
    ["code", "label", "quantity", "unit_price", "base_quantity", "unit", "vat_category", "vat_rate", "amount"];

/// What an entry's script returns, as declared by `output:` in `pack.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputKind {
    /// Any JSON value.
    #[default]
    Plain,
    /// Invoice lines and notes; the engine computes amounts, VAT and totals.
    Invoice,
}

impl OutputKind {
    /// The kind named in `pack.yaml`.
    pub fn parse(name: Option<&str>) -> Result<Self, String> {
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

/// `quantity` × `unit_price` ÷ `base_quantity`, rounded to cents; `None` when too large.
fn amount_of(quantity: Decimal, unit_price: Decimal, base_quantity: Decimal) -> Option<Decimal> {
    quantity.checked_mul(unit_price).and_then(|x| x.checked_div(base_quantity)).map(|x| round_half_away(x, 2))
}

/// An [`InvoiceError`] at `path`.
pub fn err<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, InvoiceError> {
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

    /// [`InvoiceLine::new`], with a label still to fill (see [`Texts`]).
    #[allow(clippy::too_many_arguments)]
    pub fn with_texts(
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
        let Some(amount) = amount_of(quantity, unit_price, base_quantity) else {
            return err("amount", "the amount is too large");
        };
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

    /// Price the line per `base_quantity` units (above 0) and compute its amount again.
    pub fn set_base_quantity(&mut self, base_quantity: Decimal) -> Result<(), InvoiceError> {
        if base_quantity <= Decimal::ZERO {
            return err("base_quantity", format!("`{base_quantity}` must be greater than 0"));
        }
        let Some(amount) = amount_of(self.quantity, self.unit_price, base_quantity) else {
            return err("amount", "the amount is too large");
        };
        (self.base_quantity, self.amount) = (base_quantity, amount);
        Ok(())
    }

    /// The line as a JSON value (for traces).
    pub fn into_json(self) -> Value {
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
    pub fn write_json(&self, out: &mut String, extra: &[(&str, &str)]) {
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
