//! Reading an invoice entry's script result into an [`Invoice`]: each line and note checked at
//! its path, adjusters (plugins) applied, then amounts, VAT and totals computed and written as the
//! output's JSON text.

use rhai::{Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;

use super::adjust::Adjusting;
use super::amount::number;
use super::context::Context;
use crate::error::EvalError;
use crate::template::ScriptVars;
use crate::value_json::{OutputError, write_json};
use missions_base::json as output;
use missions_money::{COMPUTED, Invoice, InvoiceError, InvoiceLine, InvoiceNote, LINE_KEYS, MENTIONS, err};

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
        notes.push(InvoiceNote { code: code.to_owned(), label: template.fill(&ScriptVars(&vars)) });
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
