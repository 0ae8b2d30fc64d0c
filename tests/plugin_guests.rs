//! The guest plugins of `plugins/` build from source into components, and import nothing the
//! host does not offer (except the guests written to break that rule). The host's behaviour
//! with each guest is tested with the host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_tests::plugins::{EXAMPLES, TEST_GUESTS, guest_wasm};

/// A component's binary starts with the wasm magic and the component-layer version.
const COMPONENT_HEADER: [u8; 8] = [0x00, b'a', b's', b'm', 0x0d, 0x00, 0x01, 0x00];

/// What the host offers; the types instance is imported by every component whose exported
/// `guest` interface uses the contract's types, and holds no function.
const ALLOWED: &[&str] = &["missions:plugin/host@0.1.0", "missions:plugin/types@0.1.0"];

fn all_guests() -> impl Iterator<Item = &'static str> {
    EXAMPLES.iter().chain(TEST_GUESTS).copied()
}

#[test]
fn every_guest_builds_into_a_component() {
    for name in all_guests() {
        let bytes = std::fs::read(guest_wasm(name)).unwrap();
        assert!(bytes.starts_with(&COMPONENT_HEADER), "{name}: not a component: {:02x?}", &bytes[..bytes.len().min(8)]);
    }
}

#[test]
fn guests_import_only_what_the_host_offers() {
    for name in all_guests() {
        let imports =
            component_imports(&std::fs::read(guest_wasm(name)).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        match name {
            "unknown-import" => assert!(
                imports.iter().any(|i| i == "acme:outside/files"),
                "{name} should import an interface the host does not know: {imports:?}"
            ),
            "later-patch" => assert_eq!(
                imports,
                ["missions:plugin/host@0.1.1", "missions:plugin/types@0.1.1"],
                "{name} should import the 0.1.1 world"
            ),
            "std-wasi" => assert!(
                imports.iter().any(|i| i.starts_with("wasi:filesystem/")),
                "{name} should import the WASI of the standard library: {imports:?}"
            ),
            "future-version" => assert!(
                imports.iter().any(|i| i.starts_with("missions:plugin/") && i.ends_with("@0.2.0")),
                "{name} should import the 0.2.0 world: {imports:?}"
            ),
            _ => assert!(
                imports.iter().all(|i| ALLOWED.contains(&i.as_str())),
                "{name} imports more than the host offers: {imports:?}"
            ),
        }
    }
}

/// The names of a component's top-level imports. Enough of the component binary format to
/// read its import sections (id 10), skipping every other section.
fn component_imports(bytes: &[u8]) -> Result<Vec<String>, String> {
    struct Reader<'a> {
        bytes: &'a [u8],
        at: usize,
    }
    impl Reader<'_> {
        fn byte(&mut self) -> Result<u8, String> {
            let b = *self.bytes.get(self.at).ok_or("unexpected end")?;
            self.at += 1;
            Ok(b)
        }
        fn leb(&mut self) -> Result<u64, String> {
            let (mut value, mut shift) = (0u64, 0);
            loop {
                let b = self.byte()?;
                value |= u64::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    return Ok(value);
                }
                shift += 7;
                if shift > 63 {
                    return Err("LEB128 too long".into());
                }
            }
        }
        fn len(&mut self) -> Result<usize, String> {
            usize::try_from(self.leb()?).map_err(|e| e.to_string())
        }
        fn name(&mut self) -> Result<String, String> {
            let len = self.len()?;
            let end = self.at.checked_add(len).filter(|e| *e <= self.bytes.len()).ok_or("name past end")?;
            let name = std::str::from_utf8(&self.bytes[self.at..end]).map_err(|e| e.to_string())?;
            self.at = end;
            Ok(name.to_owned())
        }
    }

    if !bytes.starts_with(&COMPONENT_HEADER) {
        return Err("not a component".into());
    }
    let mut r = Reader { bytes, at: 8 };
    let mut imports = Vec::new();
    while r.at < bytes.len() {
        let id = r.byte()?;
        let size = r.len()?;
        let end = r.at.checked_add(size).filter(|e| *e <= bytes.len()).ok_or("section past end")?;
        if id == 10 {
            for _ in 0..r.leb()? {
                // importname: 0x00 name, or 0x01 name version-suffix
                let tag = r.byte()?;
                imports.push(r.name()?);
                if tag == 0x01 {
                    r.name()?;
                }
                // externdesc
                match r.byte()? {
                    0x00 => {
                        r.byte()?;
                        r.leb()?;
                    }
                    0x01 | 0x04 | 0x05 => {
                        r.leb()?;
                    }
                    0x02 => {
                        r.byte()?;
                        r.leb()?;
                    }
                    0x03 => {
                        if r.byte()? == 0x00 {
                            r.leb()?;
                        }
                    }
                    other => return Err(format!("unknown extern kind {other:#x}")),
                }
            }
        }
        r.at = end;
    }
    Ok(imports)
}

/// The SDK builds from its own folder with its own copy of the contract; the copy must stay the
/// contract the host speaks, byte for byte.
#[test]
fn the_sdk_and_the_templates_carry_the_same_contract_as_the_host() {
    let repo = missions_tests::repo();
    let contract = std::fs::read_to_string(repo.join("plugins/wit/plugin.wit")).unwrap();
    for holder in ["sdk", "templates/rust", "templates/python", "templates/js"] {
        let copy = std::fs::read_to_string(repo.join(format!("plugins/{holder}/wit/plugin.wit"))).unwrap();
        assert!(
            copy == contract,
            "plugins/{holder}/wit/plugin.wit differs from plugins/wit/plugin.wit: copy the contract again"
        );
    }
    let version = format!("package missions:plugin@{};", missions_plugins::WIT_VERSION);
    assert!(contract.lines().any(|l| l.trim() == version), "the contract declares `{version}`");
    let sdk = std::fs::read_to_string(repo.join("plugins/sdk/src/lib.rs")).unwrap();
    assert!(sdk.contains("path: \"wit\""), "the SDK reads its own copy");
}
