//! The helpers scripts may call, one module per domain, each registering its functions with a
//! pack's rhai engine: dates and the business calendar, texts and rounding, pricing (invoice lines,
//! notes), VAT regimes, and off-hours surcharges. Their bodies are plain Rust over the domain
//! crates and [`crate::money`]; the direct evaluation calls the same bodies.

mod dates;
mod fail;
pub(crate) mod pricing;
mod surcharge;
mod texts;
pub(crate) mod vat;

use std::sync::Arc;

use rhai::Engine;

use crate::context::PackContext;

/// Register every helper with `engine`, for the pack `ctx` describes.
pub(crate) fn register(engine: &mut Engine, ctx: &Arc<PackContext>) {
    dates::register_dates(engine, ctx);
    dates::register_calendar(engine, ctx);
    texts::register_money(engine);
    texts::register_fast_paths(engine);
    texts::register_texts(engine, ctx);
    vat::register(engine);
    surcharge::register(engine, ctx.calendar.clone());
    pricing::register(engine, ctx);
}
