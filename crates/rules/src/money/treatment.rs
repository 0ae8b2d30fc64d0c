//! What `vat_regime(…)` gives scripts: a VAT regime as every line of one document carries it.

use rhai::ImmutableString;
use rust_decimal::Decimal;

/// What `vat_regime(…)` returns: the VAT category and rate every line of the document carries.
#[derive(Debug, Clone)]
pub(crate) struct VatTreatment {
    pub category: &'static str,
    pub rate: Decimal,
    pub country: ImmutableString,
    pub eu: bool,
    pub buyer_vat_number: Option<ImmutableString>,
}
