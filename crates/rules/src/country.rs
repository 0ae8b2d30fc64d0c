//! Countries and the VAT treatment of a Belgian seller's services to a client abroad. The country
//! lists are data in Rust (ISO 3166-1 alpha-2, EU membership) because they are law, not tariff;
//! the rates are pack parameters. Scripts reach this through `vat_regime(…)`.

use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Map, Position};
use rust_decimal::Decimal;

use crate::invoice::VatTreatment;
use crate::schema::{InputError, InputProblem};
use crate::script::REJECT_MARK;

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted (binary-searched).
const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", //
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", //
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", //
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", //
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", //
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", //
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", //
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", //
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", //
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", //
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", //
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", //
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", //
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", //
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", //
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// The 27 member states of the European Union (since 1 February 2020), sorted.
const EU_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", //
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 country code (upper case, `BE`).
pub fn is_iso_country(code: &str) -> bool {
    ISO_3166_ALPHA2.binary_search(&code).is_ok()
}

/// Whether `code` is a member state of the European Union.
pub fn is_eu_member(code: &str) -> bool {
    EU_MEMBERS.binary_search(&code).is_ok()
}

/// The prefix of a country's VAT numbers: its ISO code, except Greece (`EL`).
fn vat_prefix(country: &str) -> &str {
    if country == "GR" { "EL" } else { country }
}

/// How a Belgian seller's services to one client are taxed (EN 16931 VAT category codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VatRegime {
    /// Client in the seller's country: standard rate, category `S`.
    Domestic,
    /// Business client in another EU state with a VAT number: reverse charge, category `AE`, 0 %.
    ReverseCharge {
        /// The client's VAT number, as it must appear on the document.
        vat_number: String,
    },
    /// Client outside the EU: outside the scope of the seller's VAT, category `O`.
    OutOfScope,
}

/// Why no VAT regime applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    /// The country is not an ISO 3166-1 alpha-2 code.
    #[error("`{0}` is not an ISO 3166-1 alpha-2 country code")]
    UnknownCountry(String),
    /// The VAT number does not look like one of the client's country.
    #[error("`{number}` is not a VAT number of `{country}`")]
    BadVatNumber {
        /// The number given.
        number: String,
        /// The client's country.
        country: String,
    },
    /// An EU client without a VAT number: the seller would have to charge its own VAT as to a
    /// consumer, which the terms refuse.
    #[error("a client in `{0}` (EU) needs a VAT number")]
    EuWithoutVatNumber(String),
}

impl VatRegime {
    /// The regime for a client in `country` with an optional VAT number, for a seller in
    /// `seller_country`. VAT numbers are compared without spaces, dots and dashes.
    pub fn for_client(seller_country: &str, country: &str, vat_number: Option<&str>) -> Result<VatRegime, VatError> {
        if !is_iso_country(country) {
            return Err(VatError::UnknownCountry(country.to_owned()));
        }
        let number = vat_number.map(normalise_vat_number).filter(|n| !n.is_empty());
        if let Some(n) = &number
            && is_eu_member(country)
            && !looks_like_vat_number(country, n)
        {
            return Err(VatError::BadVatNumber { number: n.clone(), country: country.to_owned() });
        }
        if country == seller_country {
            return Ok(VatRegime::Domestic);
        }
        if !is_eu_member(country) {
            return Ok(VatRegime::OutOfScope);
        }
        match number {
            Some(vat_number) => Ok(VatRegime::ReverseCharge { vat_number }),
            None => Err(VatError::EuWithoutVatNumber(country.to_owned())),
        }
    }

    /// The EN 16931 VAT category code (`S`, `AE`, `O`).
    pub fn category(&self) -> &'static str {
        match self {
            VatRegime::Domestic => "S",
            VatRegime::ReverseCharge { .. } => "AE",
            VatRegime::OutOfScope => "O",
        }
    }
}

fn normalise_vat_number(n: &str) -> String {
    n.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).flat_map(char::to_uppercase).collect()
}

/// The common shape of EU VAT numbers: the country prefix, then 2 to 13 letters or digits.
fn looks_like_vat_number(country: &str, n: &str) -> bool {
    let Some(rest) = n.strip_prefix(vat_prefix(country)) else { return false };
    (2..=13).contains(&rest.len()) && rest.bytes().all(|c| c.is_ascii_alphanumeric())
}

type FnResult<T> = Result<T, Box<EvalAltResult>>;

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

/// Register the country functions scripts may call.
pub(crate) fn register(engine: &mut Engine) {
    engine.register_fn("vat_regime", vat_regime);
    engine.register_fn("is_eu_member", |c: &str| is_eu_member(c));
    engine.register_fn("is_iso_country", |c: &str| is_iso_country(c));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_complete() {
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(EU_MEMBERS.windows(2).all(|w| w[0] < w[1]));
        assert!(EU_MEMBERS.iter().all(|c| is_iso_country(c)));
        assert!(is_iso_country("BE") && is_iso_country("CH") && is_iso_country("GB"));
        assert!(!is_iso_country("XX") && !is_iso_country("be") && !is_iso_country("UK") && !is_iso_country("BEL"));
        assert!(is_eu_member("DE") && !is_eu_member("GB") && !is_eu_member("CH") && !is_eu_member("NO"));
    }

    #[test]
    fn regimes() {
        assert_eq!(VatRegime::for_client("BE", "BE", None), Ok(VatRegime::Domestic));
        assert_eq!(VatRegime::for_client("BE", "BE", Some("BE0123456789")), Ok(VatRegime::Domestic));
        assert_eq!(
            VatRegime::for_client("BE", "FR", Some("fr 12 345678901")),
            Ok(VatRegime::ReverseCharge { vat_number: "FR12345678901".into() })
        );
        assert_eq!(
            VatRegime::for_client("BE", "GR", Some("EL123456789")),
            Ok(VatRegime::ReverseCharge { vat_number: "EL123456789".into() })
        );
        assert_eq!(VatRegime::for_client("BE", "DE", None), Err(VatError::EuWithoutVatNumber("DE".into())));
        assert_eq!(VatRegime::for_client("BE", "DE", Some("  ")), Err(VatError::EuWithoutVatNumber("DE".into())));
        assert!(matches!(VatRegime::for_client("BE", "DE", Some("FR123456789")), Err(VatError::BadVatNumber { .. })));
        assert_eq!(VatRegime::for_client("BE", "CH", None), Ok(VatRegime::OutOfScope));
        assert_eq!(VatRegime::for_client("BE", "US", Some("12-3456789")), Ok(VatRegime::OutOfScope));
        assert_eq!(VatRegime::for_client("BE", "ZZ", None), Err(VatError::UnknownCountry("ZZ".into())));
    }
}
