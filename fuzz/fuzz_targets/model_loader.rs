//! The model loader on any bytes: a model that `extends` the shipped standard one, or stands
//! alone. It must answer a model or diagnostics, never panic, hang or blow up memory.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use missions_engine::{MemModelFiles, SourceText, parse_model};

const STANDARD: &str = include_str!("../../rules/models/isqm-standard.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(src) = SourceText::from_bytes("fuzz.yaml".into(), data.to_vec()) else { return };
    let files = MemModelFiles(HashMap::from([("isqm-standard.yaml".to_owned(), STANDARD.to_owned())]));
    let _ = parse_model(src, &files);
});
