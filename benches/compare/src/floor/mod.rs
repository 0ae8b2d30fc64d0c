//! The hand-written plain-Rust implementations: the floor every other row is compared with.

pub mod esomus;
pub mod sla;
pub mod tier;
