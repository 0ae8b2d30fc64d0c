//! `vat_regime(client, path, vat)`, `is_eu_member` and `is_iso_country`, as scripts see them.

use rhai::{Dynamic, EvalAltResult, ImmutableString, Map, Position};
use rust_decimal::Decimal;

use super::fail::FnResult;
use super::table::{Bound, Helper};
use crate::context::REJECT_MARK;
use crate::money::{VatError, VatRegime, VatTreatment, is_eu_member, is_iso_country, vat_prefix};
use crate::schema::{InputError, InputProblem};

fn raise(v: Dynamic) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(v, Position::NONE))
}

fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() { field.to_owned() } else { format!("{prefix}.{field}") }
}

/// `vat_regime(client, path, vat)`: the VAT treatment of the client map (`country`, optional
/// `vat_number`) whose input path is `path` (`""` when the fields are at the top of the input),
/// with the rates of the pack's `vat` parameters (`seller_country`, `standard_rate`).
/// Returns the category, rate, country, EU membership and the buyer's VAT number to print; a bad
/// country or VAT number is an input error on its field, an EU client without VAT number a
/// refusal (`eu_client_without_vat_number`).
fn vat_regime(client: &mut Map, path: &str, vat: Map) -> FnResult<VatTreatment> {
    vat_regime_of(client, path, &vat)
}

/// `vat_regime(client, path, vat_params)`: the VAT treatment of a client, or an input error at
/// `path`.
pub(crate) fn vat_regime_of(client: &Map, path: &str, vat: &Map) -> FnResult<VatTreatment> {
    let text = |m: &Map, k: &str| m.get(k).and_then(|v| v.read_lock::<ImmutableString>().map(|s| s.clone()));
    let seller =
        text(vat, "seller_country").ok_or_else(|| raise("`vat.seller_country` must be a country code".into()))?;
    let standard =
        vat.get("standard_rate").and_then(|v| v.as_decimal().ok().or_else(|| v.as_int().ok().map(Decimal::from)));
    let standard = standard.ok_or_else(|| raise("`vat.standard_rate` must be a number".into()))?;
    let country =
        text(client, "country").ok_or_else(|| raise(format!("`{}` must be a string", join(path, "country")).into()))?;
    let number = text(client, "vat_number");
    let input_error = |field: &str, value: String, expected: &str, example: &str| {
        raise(Dynamic::from(InputError {
            path: join(path, field),
            problem: InputProblem::Malformed { value, expected: expected.into(), example: example.into() },
        }))
    };
    match VatRegime::for_client(&seller, &country, number.as_ref().map(|n| n.as_str())) {
        Ok(regime) => {
            let rate = if regime == VatRegime::Domestic { standard } else { Decimal::ZERO };
            let category = regime.category();
            let buyer_vat_number = match regime {
                VatRegime::ReverseCharge { vat_number } => Some(vat_number.into()),
                _ => number,
            };
            Ok(VatTreatment { category, rate, eu: is_eu_member(&country), country, buyer_vat_number })
        }
        Err(VatError::UnknownCountry(c)) => Err(input_error("country", c, "ISO 3166-1 alpha-2 country code", "BE")),
        Err(VatError::BadVatNumber { number, country }) => {
            // The example carries the country's prefix: that is what a wrong number usually lacks.
            let example = format!("{}0123456789", vat_prefix(&country));
            Err(input_error("vat_number", number, "VAT number", &example))
        }
        Err(VatError::EuWithoutVatNumber(c)) => {
            let mut m = Map::new();
            m.insert(REJECT_MARK.into(), Dynamic::TRUE);
            m.insert("path".into(), join(path, "vat_number").into());
            m.insert("code".into(), "eu_client_without_vat_number".into());
            let mut vars = Map::new();
            vars.insert("country".into(), c.into());
            m.insert("vars".into(), Dynamic::from_map(vars));
            Err(raise(Dynamic::from_map(m)))
        }
    }
}

/// Countries and VAT.
pub(super) const HELPERS: &[Helper] = &[
    Helper {
        name: "vat_regime",
        arities: &[3],
        register: |e, name, _| {
            e.register_fn(name, vat_regime);
        },
        direct: Some(Bound::VatRegime),
    },
    Helper {
        name: "is_eu_member",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |c: &str| is_eu_member(c));
        },
        direct: Some(Bound::IsEuMember),
    },
    Helper {
        name: "is_iso_country",
        arities: &[1],
        register: |e, name, _| {
            e.register_fn(name, |c: &str| is_iso_country(c));
        },
        direct: None,
    },
];
