//! Mission models (being written).
