//! Money as scripts reach it: the `missions-money` crate (invoice lines, VAT regimes, EN 16931
//! totals and rounding, surcharge bands, labels), and here what joins it to the script's values:
//! reading an invoice entry's result, the labels' values, the VAT treatment scripts hold, and the
//! adjusting of a quote by plugins. Nothing here registers anything with rhai.

mod adjust;
mod amount;
mod context;
mod read;
mod treatment;

pub(crate) use adjust::Adjusting;
pub use adjust::{AdjustError, InvoiceAdjuster, LineAdjustment, LineChange, QuoteDraft};
pub(crate) use amount::number;
pub(crate) use context::Context;
pub(crate) use missions_money::{
    INVOICE_MEMBERS, OutputKind, REQUIRED_LABELS, invoice_schema, round_half_away, vat_prefix,
};
pub use missions_money::{
    Invoice, InvoiceError, InvoiceLine, InvoiceNote, MAX_PERIOD_DAYS, Segment, SurchargeBands, SurchargeError,
    VatError, VatRegime, VatSubtotal, is_eu_member, is_iso_country,
};
pub(crate) use read::finish;
pub(crate) use treatment::VatTreatment;
