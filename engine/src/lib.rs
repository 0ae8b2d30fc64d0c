//! placeholder facade, filled in below
#![deny(missing_docs)]

mod calendar;
mod model;

pub use calendar::*;
