//! The `missions` command line and HTTP host on top of `missions-engine`.
//!
//! [`cli::run`] takes the arguments and the three standard streams, so tests drive the whole
//! command line in-process; `main.rs` only hands it the real ones.
#![deny(missing_docs)]

pub mod cli;
pub mod http;
pub mod service;
