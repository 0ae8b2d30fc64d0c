//! The host's log. Each line is tagged by the host with the tenant and the plugin; `fields` add
//! structured key-value pairs (`("tier", "10000.00")`).
//!
//! The log is for operators, not for the client: keep labels for what the client reads.

use alloc::string::String;
use alloc::vec::Vec;

use crate::Level;
use crate::bindings::missions::plugin::host;

/// Write `message` at `level`, with `fields`.
pub fn log(level: Level, message: &str, fields: &[(&str, &str)]) {
    let fields: Vec<(String, String)> = fields.iter().map(|(k, v)| (String::from(*k), String::from(*v))).collect();
    host::log(level, message, &fields);
}

/// Write `message` at level `trace`.
pub fn trace(message: &str) {
    log(Level::Trace, message, &[]);
}

/// Write `message` at level `debug`.
pub fn debug(message: &str) {
    log(Level::Debug, message, &[]);
}

/// Write `message` at level `info`.
pub fn info(message: &str) {
    log(Level::Info, message, &[]);
}

/// Write `message` at level `warn`.
pub fn warn(message: &str) {
    log(Level::Warn, message, &[]);
}

/// Write `message` at level `error`.
pub fn error(message: &str) {
    log(Level::Error, message, &[]);
}
