//! Any JSON input to every entry of the shipped packs: the input schema, then the rules. Each
//! evaluation answers an output or an error; nothing panics, and errors are of a known kind.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use missions_engine::Pack;

fn packs() -> &'static [(Pack, Vec<String>)] {
    static PACKS: OnceLock<Vec<(Pack, Vec<String>)>> = OnceLock::new();
    PACKS.get_or_init(|| {
        ["esomus", "norriq"]
            .iter()
            .map(|name| {
                let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules").join(name);
                let pack = Pack::load(&dir).unwrap_or_else(|d| panic!("the shipped pack {name} does not load: {d}"));
                let entries = pack.entries().map(str::to_owned).collect();
                (pack, entries)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the entry; the rest is the input.
    let Some((pick, rest)) = data.split_first() else { return };
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let all: Vec<(&Pack, &str)> =
        packs().iter().flat_map(|(p, entries)| entries.iter().map(move |e| (p, e.as_str()))).collect();
    let (pack, entry) = all[usize::from(*pick) % all.len()];
    if let Err(e) = pack.eval(entry, &input) {
        // A script error on client input is a 500: the input must be refused before that.
        assert!(e.kind() != "script", "{entry}: a script error from input {input}: {e}");
    }
});
