//! Write a Missions Engine plugin in Rust.
//!
//! A plugin is a WebAssembly component built against the `missions:plugin@0.1.0` world of
//! `plugins/wit/plugin.wit`, of which this crate carries its own copy (`wit/plugin.wit`, kept
//! identical by a test) so that it builds from its own folder. It generates the bindings for that
//! world and puts a Rust
//! trait in front of them: implement [`Plugin`] on a type of yours, answering only the hooks you
//! use, and name the type with [`export_plugin!`].
//!
//! ```ignore
//! #![no_std]
//! extern crate alloc;
//!
//! use alloc::vec::Vec;
//! use missions_plugin_sdk::{export_plugin, Adjustment, Hook, Label, Plugin, PluginError, PluginInfo, Quote};
//!
//! struct Hello;
//!
//! impl Plugin for Hello {
//!     fn describe() -> PluginInfo {
//!         PluginInfo::new("hello", env!("CARGO_PKG_VERSION"), &[Hook::AdjustQuote],
//!             Label::new("Ne change rien.", "Verandert niets.", "Changes nothing."))
//!     }
//!     fn adjust_quote(_quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
//!         Ok(Vec::new())
//!     }
//! }
//!
//! export_plugin!(Hello);
//! ```
//!
//! # No standard library
//!
//! The host offers a plugin exactly one import, `missions:plugin/host@0.1.0`: no files, clock,
//! environment, randomness or standard output, so no WASI. Rust's standard library imports WASI
//! on `wasm32-wasip2` as soon as it is linked (to print a panic, to read arguments), and the host
//! refuses such a component at load. A plugin is therefore `#![no_std]`, with `extern crate
//! alloc;` for `String`, `Vec` and `format!`. With its default `rt` feature this crate supplies
//! what `no_std` leaves out on `wasm32`: a global allocator (dlmalloc) and a panic handler that
//! logs the panic through the host and traps. Build in a profile with `panic = "abort"`.
//!
//! # Money
//!
//! Amounts cross the boundary as decimal text (`"-12.50"`), never floats; [`decimal`] parses and
//! writes them with [`Decimal`] (rust_decimal), which is exact. The host prices what a plugin
//! proposes: VAT, amounts and rounding stay there.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

/// The bindings `wit-bindgen` generates for the `plugin` world. The types a plugin needs are
/// re-exported at the crate root; reach in here only for what is not.
#[allow(missing_docs, clippy::all)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "plugin",
        path: "wit",
        pub_export_macro: true,
        export_macro_name: "__export_plugin_world",
    });
}

pub use bindings::missions::plugin::host::Level;
pub use bindings::missions::plugin::types::{
    Adjustment, Dashboard, Figure, Hook, Label, LineChange, Model, ModelAction, ModelDiagnostic, ModelDocument,
    NewLine, PhaseFigures, PluginError, PluginInfo, Quote, QuoteLine, Severity,
};
pub use rust_decimal::Decimal;

pub mod config;
pub mod decimal;
pub mod log;
#[cfg(all(target_arch = "wasm32", feature = "rt"))]
mod rt;

/// The world version this SDK builds plugins against.
pub const WORLD_VERSION: &str = "0.1.0";

/// A plugin: what it says of itself, and the hooks it implements.
///
/// Every hook has a default that changes nothing, so implement only the ones you list in
/// [`Plugin::describe`]; the host calls no other. A hook answers `Err` to refuse (bad
/// configuration, an input it cannot handle): the host reports the error to the user and the
/// evaluation fails. A panic traps the instance, which the host reports too, but without your
/// explanation, so prefer `Err`.
///
/// Each call runs in a fresh instance: nothing a hook stores (in a `static`, say) survives to the
/// next call.
pub trait Plugin {
    /// The plugin's name, version, hooks and a one-sentence description.
    fn describe() -> PluginInfo;

    /// Add, replace or remove quote lines; each change carries its reason.
    fn adjust_quote(quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        let _ = quote;
        Ok(Vec::new())
    }

    /// Diagnostics about a mission model.
    fn lint_model(model: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        let _ = model;
        Ok(Vec::new())
    }

    /// Figures to add to a mission's dashboard.
    fn dashboard_figures(dashboard: Dashboard) -> Result<Vec<Figure>, PluginError> {
        let _ = dashboard;
        Ok(Vec::new())
    }
}

impl<T: Plugin> bindings::exports::missions::plugin::guest::Guest for T {
    fn describe() -> PluginInfo {
        <T as Plugin>::describe()
    }
    fn adjust_quote(quote: Quote) -> Result<Vec<Adjustment>, PluginError> {
        <T as Plugin>::adjust_quote(quote)
    }
    fn lint_model(model: Model) -> Result<Vec<ModelDiagnostic>, PluginError> {
        <T as Plugin>::lint_model(model)
    }
    fn dashboard_figures(dashboard: Dashboard) -> Result<Vec<Figure>, PluginError> {
        <T as Plugin>::dashboard_figures(dashboard)
    }
}

/// Export a type implementing [`Plugin`] as the component's `guest` interface.
///
/// Write it once, at the root of the plugin crate: `export_plugin!(MyPlugin);`.
#[macro_export]
macro_rules! export_plugin {
    ($ty:ident) => {
        $crate::bindings::__export_plugin_world!($ty with_types_in $crate::bindings);
    };
}

impl Label {
    /// A label in the three languages; none may be empty (the host refuses an empty one).
    pub fn new(fr: impl Into<String>, nl: impl Into<String>, en: impl Into<String>) -> Self {
        Label { fr: fr.into(), nl: nl.into(), en: en.into() }
    }
}

impl PluginInfo {
    /// What a plugin says of itself: its `name` (lowercase letters, digits and `-`), its
    /// `version` (semver; `env!("CARGO_PKG_VERSION")` is a good one), the `hooks` it implements
    /// and a one-sentence `description`.
    pub fn new(name: &str, version: &str, hooks: &[Hook], description: Label) -> Self {
        PluginInfo { name: name.into(), version: version.into(), hooks: hooks.to_vec(), description }
    }
}

impl PluginError {
    /// A refusal with a stable `code` (`config.invalid`) and what to do about it.
    pub fn new(code: impl Into<String>, message: Label) -> Self {
        PluginError { code: code.into(), message }
    }
}

impl NewLine {
    /// A line of `quantity × unit_price` with no unit and a base quantity of 1; set `unit` and
    /// `base_quantity` on the result when they matter. The VAT category and rate are usually
    /// those of the line it relates to ([`NewLine::with_vat_of`]).
    pub fn new(
        code: impl Into<String>,
        label: Label,
        quantity: Decimal,
        unit_price: Decimal,
        vat_category: impl Into<String>,
        vat_rate: impl Into<String>,
    ) -> Self {
        NewLine {
            code: code.into(),
            label,
            quantity: decimal::text(quantity),
            unit_price: decimal::text(unit_price),
            base_quantity: None,
            unit: None,
            vat_category: vat_category.into(),
            vat_rate: vat_rate.into(),
        }
    }

    /// This line with the VAT category and rate of `line`.
    pub fn with_vat_of(mut self, line: &QuoteLine) -> Self {
        self.vat_category = line.vat_category.clone();
        self.vat_rate = line.vat_rate.clone();
        self
    }
}

impl Adjustment {
    /// Append `line` to the quote, because of `reason`.
    pub fn add(line: NewLine, reason: Label) -> Self {
        Adjustment { change: LineChange::Add(line), reason }
    }

    /// Replace the line at `index` (in the quote as received) by `line`, because of `reason`.
    pub fn replace(index: u32, line: NewLine, reason: Label) -> Self {
        Adjustment { change: LineChange::Replace((index, line)), reason }
    }

    /// Remove the line at `index` (in the quote as received), because of `reason`.
    pub fn remove(index: u32, reason: Label) -> Self {
        Adjustment { change: LineChange::Remove(index), reason }
    }
}

impl ModelDiagnostic {
    /// A diagnostic with a stable `code` (the host prefixes it with the plugin's name), about
    /// `action` when it concerns one.
    pub fn new(severity: Severity, code: impl Into<String>, action: Option<&str>, message: Label) -> Self {
        ModelDiagnostic { severity, code: code.into(), action: action.map(String::from), message }
    }
}

impl Figure {
    /// A dashboard figure with a stable `code` (the host prefixes it with the plugin's name).
    pub fn new(code: impl Into<String>, label: Label, value: Decimal, unit: Option<&str>) -> Self {
        Figure { code: code.into(), label, value: decimal::text(value), unit: unit.map(String::from) }
    }
}
