//! Money: invoice lines, VAT regimes, EN 16931 totals and rounding, off-hours surcharge bands,
//! and the labels a client reads, filled per language. Exact decimals throughout; no script
//! runtime (the rules crate joins these to its scripts' values).
//!
//! Modules import downwards only: `invoice` → `labels`, `amount`; `surcharge`, `country` and
//! `schema` stand alone.
#![deny(missing_docs)]

mod amount;
mod country;
mod invoice;
mod labels;
mod schema;
mod surcharge;

pub use amount::round_half_away;
pub use country::{VatError, VatRegime, is_eu_member, is_iso_country, vat_prefix};
pub use invoice::{
    COMPUTED, Invoice, InvoiceError, InvoiceLine, InvoiceNote, LINE_KEYS, MENTIONS, OutputKind, REQUIRED_LABELS,
    VatSubtotal, err,
};
pub use labels::{Labels, Template, Templates, Texts, Vars, decimal_point, parse_all, write_labels};
pub use schema::{INVOICE_MEMBERS, invoice_schema};
pub use surcharge::{MAX_PERIOD_DAYS, Segment, SurchargeBands, SurchargeError};
