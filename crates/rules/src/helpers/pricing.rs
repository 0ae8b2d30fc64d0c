//! The pricing helpers scripts call: `invoice_line`, `note`, the VAT treatment's properties and
//! the line setters. Each has one named Rust body, which rhai's registration and the direct
//! evaluation both call.

use std::sync::Arc;

use rhai::{Dynamic, Engine, INT, ImmutableString, Map};
use rust_decimal::Decimal;

use super::fail::{FnResult, runtime};
use super::table::{Bound, Helper};
use crate::context::PackContext;
use crate::money::{InvoiceLine, InvoiceNote, VatTreatment, number};
use crate::template::{Labels, ScriptVars, Template, Texts};

fn template<'c>(c: &'c PackContext, code: &str) -> FnResult<&'c Arc<Template>> {
    c.templates.get(code).ok_or_else(|| runtime(format!("no label `{code}` in the pack's labels")))
}

/// The texts of label `code`, with `{name}` filled from `vars`.
pub(super) fn texts(c: &PackContext, code: &str, vars: &Map) -> FnResult<Labels> {
    Ok(template(c, code)?.fill(&ScriptVars(vars)))
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
    make_line(code, quantity, unit_price, vat, Texts::to_fill(template(c, label)?.clone(), Arc::new(ScriptVars(vars))))
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
            l.set_base_quantity(b).map_err(|e| runtime(format!("line `{}`: `{}` {}", l.code, e.path, e.message)))?;
        }
        _ => return Err(runtime(format!("an invoice line has no property `{name}` to set"))),
    }
    Ok(())
}

/// `invoice_line(code, quantity, unit_price, vat, label_code[, vars])` for quantities of type `Q`
/// and prices of type `P`.
fn register_invoice_line<Q, P>(engine: &mut Engine, name: &'static str, ctx: &Arc<PackContext>)
where
    Q: Into<Dynamic> + Clone + Send + Sync + 'static,
    P: Into<Dynamic> + Clone + Send + Sync + 'static,
{
    let c = ctx.clone();
    engine.register_fn(name, move |code: &str, q: Q, p: P, vat: VatTreatment, label: &str| -> FnResult<InvoiceLine> {
        invoice_line(&c, code, &q.into(), &p.into(), &vat, label, Map::new())
    });
    let c = ctx.clone();
    engine.register_fn(
        name,
        move |code: &str, q: Q, p: P, vat: VatTreatment, label: &str, vars: Map| -> FnResult<InvoiceLine> {
            invoice_line(&c, code, &q.into(), &p.into(), &vat, label, vars)
        },
    );
}

/// The types invoice helpers return, with their properties: not helpers scripts call by name,
/// but what their values answer to. `line.unit = "h"` and `line.base_quantity = 60` refine a line.
pub(super) fn register_types(engine: &mut Engine) {
    engine.register_type_with_name::<VatTreatment>("VatTreatment");
    for (name, get) in VAT_PROPERTIES {
        engine.register_get(name, move |v: &mut VatTreatment| get(v));
    }
    engine.register_type_with_name::<InvoiceLine>("InvoiceLine");
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
    engine.register_get("code", |n: &mut InvoiceNote| ImmutableString::from(n.code.as_str()));
}

/// The invoice helpers.
pub(super) const HELPERS: &[Helper] = &[
    // `invoice_line(code, quantity, unit_price, vat, label_code[, vars])`: a line priced by the
    // engine on the spot (its `amount` can be read), `vat` being what `vat_regime(…)` returned.
    Helper {
        name: "invoice_line",
        arities: &[5, 6],
        register: |e, name, ctx| {
            register_invoice_line::<Dynamic, Dynamic>(e, name, ctx);
            // The same with the number types spelt out: rhai finds an exact signature at once,
            // where `Dynamic` parameters make it try every combination of them first.
            register_invoice_line::<INT, INT>(e, name, ctx);
            register_invoice_line::<INT, Decimal>(e, name, ctx);
            register_invoice_line::<Decimal, INT>(e, name, ctx);
            register_invoice_line::<Decimal, Decimal>(e, name, ctx);
        },
        direct: Some(Bound::InvoiceLine),
    },
    // `note(code[, vars])`: a note with the label's texts.
    Helper {
        name: "note",
        arities: &[1, 2],
        register: |e, name, ctx| {
            let c = ctx.clone();
            e.register_fn(name, move |code: &str| note(&c, code, &Map::new()));
            let c = ctx.clone();
            e.register_fn(name, move |code: &str, vars: Map| note(&c, code, &vars));
        },
        direct: Some(Bound::Note),
    },
];
