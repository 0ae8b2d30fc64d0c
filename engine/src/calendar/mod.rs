//! Business calendar (being written).
