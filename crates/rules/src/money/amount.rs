//! Amounts: the EN 16931 rounding, and what counts as a number to the money rules.

use rhai::Dynamic;
use rust_decimal::{Decimal, RoundingStrategy};

/// EN 16931 rounding: half away from zero, to `dp` decimals, always showing `dp` decimals.
pub(crate) fn round_half_away(x: Decimal, dp: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    r
}

/// An integer or a decimal, as a decimal (nothing else is a number to the money rules).
pub(crate) fn number(v: &Dynamic) -> Option<Decimal> {
    v.as_decimal().ok().or_else(|| v.as_int().ok().map(Decimal::from))
}
