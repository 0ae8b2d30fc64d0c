//! What counts as a number to the money rules, among a script's values.

use rhai::Dynamic;
use rust_decimal::Decimal;

/// An integer or a decimal, as a decimal (nothing else is a number to the money rules).
pub(crate) fn number(v: &Dynamic) -> Option<Decimal> {
    v.as_decimal().ok().or_else(|| v.as_int().ok().map(Decimal::from))
}
