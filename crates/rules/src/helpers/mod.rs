//! The helpers scripts may call, declared once in [`HELPERS`]: each entry names a function,
//! the numbers of arguments it takes, how to register it with a pack's rhai engine, and whether
//! the direct evaluation may call it (and through which Rust body). rhai's registration and the
//! lowering both read the table, so a helper cannot be registered without being declared, nor
//! bound for direct evaluation without being registered (the test below checks both against the
//! engine rhai actually builds). One module per domain holds its entries: dates and the business
//! calendar, texts and rounding, pricing (invoice lines, notes), VAT regimes, and off-hours
//! surcharges. Their bodies are plain Rust over the domain crates and [`crate::money`].

pub(crate) mod clock;
pub(crate) mod dates;
mod fail;
pub(crate) mod pricing;
pub(crate) mod surcharge;
mod table;
pub(crate) mod texts;
pub(crate) mod vat;

use std::sync::Arc;

use rhai::Engine;

pub(crate) use fail::bounds_error;
pub(crate) use table::{Bound, Helper};

use crate::context::PackContext;

/// Every helper, by domain.
pub(crate) const HELPERS: [&[Helper]; 6] =
    [dates::HELPERS, clock::HELPERS, texts::HELPERS, pricing::HELPERS, vat::HELPERS, surcharge::HELPERS];

/// Every helper.
pub(crate) fn helpers() -> impl Iterator<Item = &'static Helper> {
    HELPERS.iter().flat_map(|domain| domain.iter())
}

/// How a lowered entry may call `name` with `args` arguments directly, if it may.
pub(crate) fn bound(name: &str, args: usize) -> Option<Bound> {
    helpers().find(|h| h.name == name && h.arities.contains(&args)).and_then(|h| h.direct)
}

/// Register every helper with `engine`, for the pack `ctx` describes, and the types their values
/// have (dates, instants, invoice lines and notes, VAT treatments).
pub(crate) fn register(engine: &mut Engine, ctx: &Arc<PackContext>) {
    dates::register_types(engine, ctx);
    pricing::register_types(engine);
    for h in helpers() {
        (h.register)(engine, h.name, ctx);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Arc;

    use missions_calendar::{Calendar, CalendarSpec};

    use super::*;
    use crate::limits::ScriptLimits;
    use crate::script::{build_engine, standard_engine};

    /// What a pack's engine registers beyond rhai's standard packages: (name, number of
    /// arguments), read from rhai's own list of signatures (`add_days(d: Date, n: i64) -> …`),
    /// less those of an engine with the standard packages only.
    fn registered() -> BTreeSet<(String, usize)> {
        let calendar = Calendar::new(CalendarSpec::belgian_office_hours()).unwrap();
        let ctx = Arc::new(PackContext::new(Arc::new(calendar), chrono_tz::Europe::Brussels, BTreeMap::new()));
        let standard: BTreeSet<String> =
            standard_engine(&ScriptLimits::DEFAULT).gen_fn_signatures(false).into_iter().collect();
        build_engine(&ScriptLimits::DEFAULT, ctx)
            .gen_fn_signatures(false)
            .into_iter()
            .filter(|sig| !standard.contains(sig))
            .map(|sig| {
                let (name, rest) = sig.split_once('(').unwrap();
                let params = &rest[..rest.find(')').unwrap()];
                let arity = if params.trim().is_empty() { 0 } else { params.split(", ").count() };
                (name.to_owned(), arity)
            })
            .collect()
    }

    /// Properties, setters, operators and text conversions of the engine's own types: what their
    /// values answer to, not helpers called by name.
    fn is_type_member(name: &str) -> bool {
        name.starts_with("get$")
            || name.starts_with("set$")
            || name == "to_string"
            || name == "to_debug"
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    #[test]
    fn every_registered_helper_is_declared_in_the_table_and_the_reverse() {
        let registered = registered();
        let declared: BTreeSet<(String, usize)> =
            helpers().flat_map(|h| h.arities.iter().map(|a| (h.name.to_owned(), *a))).collect();
        let undeclared: Vec<_> =
            registered.iter().filter(|(n, _)| !is_type_member(n)).filter(|f| !declared.contains(*f)).collect();
        assert!(undeclared.is_empty(), "registered with rhai but not in HELPERS: {undeclared:?}");
        let unregistered: Vec<_> = declared.iter().filter(|f| !registered.contains(*f)).collect();
        assert!(unregistered.is_empty(), "in HELPERS but not registered with rhai: {unregistered:?}");
        // The check sees what it checks: helpers of every domain, and members of every type.
        assert!(registered.contains(&("add_working_hours".to_owned(), 2)));
        assert!(registered.contains(&("invoice_line".to_owned(), 6)));
        assert!(registered.iter().any(|(n, _)| n == "get$year"));
    }

    #[test]
    fn each_helper_is_declared_once() {
        let mut seen = BTreeSet::new();
        for h in helpers() {
            assert!(seen.insert(h.name), "`{}` is declared twice", h.name);
            assert!(!h.arities.is_empty(), "`{}` takes no number of arguments", h.name);
        }
    }

    #[test]
    fn the_lowering_binds_through_the_table() {
        assert_eq!(bound("invoice_line", 6), Some(Bound::InvoiceLine));
        assert_eq!(bound("invoice_line", 4), None, "an arity the table does not declare");
        assert_eq!(bound("is_iso_country", 1), None, "declared, not bound: keeps an entry in rhai");
        assert_eq!(bound("no_such_helper", 1), None);
    }
}
