//! Amounts: the EN 16931 rounding.

use rust_decimal::{Decimal, RoundingStrategy};

/// EN 16931 rounding: half away from zero, to `dp` decimals, always showing `dp` decimals.
pub fn round_half_away(x: Decimal, dp: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    r
}
