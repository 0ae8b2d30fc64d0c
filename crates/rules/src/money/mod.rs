//! Money: invoice lines, VAT regimes, EN 16931 totals and rounding, off-hours surcharge bands, and
//! the adjusting of a quote by plugins. Scripts reach it through the helpers in
//! the `helpers` module; nothing here registers anything with rhai.

mod adjust;
mod amount;
mod context;
mod country;
mod invoice;
mod read;
mod schema;
mod surcharge;

pub(crate) use adjust::Adjusting;
pub use adjust::{AdjustError, InvoiceAdjuster, LineAdjustment, LineChange, QuoteDraft};
pub(crate) use amount::{number, round_half_away};
pub(crate) use context::Context;
pub use country::{VatError, VatRegime, is_eu_member, is_iso_country};
pub(crate) use country::{VatTreatment, vat_prefix};
pub use invoice::{Invoice, InvoiceError, InvoiceLine, InvoiceNote, VatSubtotal};
pub(crate) use invoice::{OutputKind, REQUIRED_LABELS};
pub(crate) use read::finish;
pub(crate) use schema::{INVOICE_MEMBERS, invoice_schema};
pub use surcharge::{MAX_PERIOD_DAYS, Segment, SurchargeBands, SurchargeError};
