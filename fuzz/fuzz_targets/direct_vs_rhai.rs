//! Direct evaluation against rhai's interpreter, on any input to the shipped entries that run
//! directly: both must answer the same output, or both fail with the same kind of error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use missions_engine::{EvalOptions, Pack};

fn direct_entries() -> &'static [(Pack, String)] {
    static ENTRIES: OnceLock<Vec<(Pack, String)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        ["esomus", "norriq"]
            .iter()
            .flat_map(|name| {
                let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules").join(name);
                let pack = Pack::load(&dir).unwrap_or_else(|d| panic!("the shipped pack {name} does not load: {d}"));
                let entries: Vec<String> =
                    pack.entries().filter(|e| pack.runs_directly(e)).map(str::to_owned).collect();
                entries.into_iter().map(move |e| (pack.clone(), e))
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else { return };
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let all = direct_entries();
    let (pack, entry) = &all[usize::from(*pick) % all.len()];
    let direct = pack.eval(entry, &input);
    let rhai = pack.eval_interpreted(entry, &input, EvalOptions::default());
    match (&direct, &rhai) {
        (Ok(a), Ok(b)) => assert_eq!(a.output, b.output, "{entry} on {input}"),
        (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind(), "{entry} on {input}: {a} / {b}"),
        _ => panic!("{entry} on {input}: direct {direct:?}, rhai {rhai:?}"),
    }
});
