//! Decimal text, as the contract writes money and quantities: an optional `-`, digits, and an
//! optional `.` followed by digits (`"12.50"`, `"-1"`, `"0.125"`). No exponent, no thousands
//! separator, no `+`, no comma.
//!
//! Parse with [`parse`], compute with [`Decimal`] (exact, 28 significant digits), write back with
//! [`text`]. Never go through `f64`: `0.1 + 0.2` is not `0.3` in binary floating point.

use alloc::format;
use alloc::string::{String, ToString};
use core::str::FromStr;

pub use rust_decimal::Decimal;

use crate::{Label, PluginError};

/// Whether `text` is decimal text as the contract defines it.
pub fn is_valid(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// Parse decimal text; `Err` with code `decimal.invalid` for anything else, or for a number
/// beyond 28 significant digits.
pub fn parse(text: &str) -> Result<Decimal, PluginError> {
    if is_valid(text)
        && let Ok(value) = Decimal::from_str(text)
    {
        return Ok(value);
    }
    Err(PluginError::new(
        "decimal.invalid",
        Label::new(
            format!("« {text} » n'est pas un nombre décimal (par exemple « 12.50 »)."),
            format!("„{text}” is geen decimaal getal (bijvoorbeeld „12.50”)."),
            format!("\"{text}\" is not a decimal number (for example \"12.50\")."),
        ),
    ))
}

/// Write `value` as decimal text, keeping its scale (`12.50` stays `"12.50"`).
pub fn text(value: Decimal) -> String {
    // Decimal's Display never uses an exponent; a negative zero is written as zero.
    if value.is_zero() {
        let mut zero = value;
        zero.set_sign_positive(true);
        return zero.to_string();
    }
    value.to_string()
}

/// For `#[serde(deserialize_with = "missions_plugin_sdk::decimal::deserialize")]` on a
/// [`Decimal`] field of a configuration: reads a JSON string of decimal text (`"10000.00"`).
/// A JSON number is refused, because it may have been rounded on its way through a float.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Decimal;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a decimal written as a string, such as \"12.50\"")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse(v).map_err(|_| E::custom(format!("\"{v}\" is not a decimal such as \"12.50\"")))
        }
    }
    deserializer.deserialize_str(Visitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        for ok in ["0", "12", "-12.50", "0.125", "10000.00"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in ["", "-", "12,5", "1e3", "+1", ".5", "5.", "1_000", " 1", "NaN"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn round_trip_keeps_scale() {
        assert_eq!(text(parse("12.50").unwrap()), "12.50");
        assert_eq!(text(parse("-0.00").unwrap()), "0.00");
        assert!(parse("12,5").is_err());
    }
}
