//! Countries and the VAT treatment of a Belgian seller's services to a client abroad. The country
//! lists are data in Rust (ISO 3166-1 alpha-2, EU membership) because they are law, not tariff;
//! the rates are pack parameters. Scripts reach this through `vat_regime(…)` (`helpers::vat`).

use missions_base::diag::clip;

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
pub fn vat_prefix(country: &str) -> &str {
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
            return Err(VatError::UnknownCountry(clip(country)));
        }
        let number = vat_number.map(normalise_vat_number).filter(|n| !n.is_empty());
        if let Some(n) = &number
            && is_eu_member(country)
            && !looks_like_vat_number(country, n)
        {
            return Err(VatError::BadVatNumber { number: clip(n), country: country.to_owned() });
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
