//! Load-time checks, before any code of the plugin runs: the bytes are a component (not a core
//! module, not precompiled code), it speaks a version of `missions:plugin` this host speaks, and
//! it imports nothing but what the world offers. Each refusal names what it found.

use wasmtime::Engine;
use wasmtime::component::Component;

use crate::error::LoadError;
use crate::wasi::{self, Offer};

/// The package every plugin import and export must belong to.
const PACKAGE: &str = "missions:plugin";
/// The interfaces a plugin may import: the host's functions and the shared types.
const IMPORTABLE: [&str; 2] = ["host", "types"];

/// What a component imports and exports, as `plugin check` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentReport {
    /// The version of `missions:plugin` the guest interface is built against (`0.1.0`).
    pub world_version: String,
    /// Every import, by name (`missions:plugin/host@0.1.0`).
    pub imports: Vec<String>,
    /// Every export, by name (`missions:plugin/guest@0.1.0`).
    pub exports: Vec<String>,
}

impl ComponentReport {
    /// The imports the host serves with WASI stand-ins that grant nothing (files, sockets, clocks…).
    pub fn wasi_stand_ins(&self) -> Vec<&str> {
        self.imports.iter().map(String::as_str).filter(|i| wasi::offer(i) == Offer::StandIn).collect()
    }

    /// The imports whose every function traps when called (`wasi:http`).
    pub fn trapping(&self) -> Vec<&str> {
        self.imports.iter().map(String::as_str).filter(|i| wasi::offer(i) == Offer::Trap).collect()
    }
}

/// Refuse bytes that are not a component before compiling them.
pub(crate) fn sniff(bytes: &[u8]) -> Result<(), LoadError> {
    if Engine::detect_precompiled(bytes).is_some() {
        return Err(LoadError::Precompiled);
    }
    match bytes.get(..8) {
        Some([0, b'a', b's', b'm', 1, 0, 0, 0]) => Err(LoadError::CoreModule),
        Some([0, b'a', b's', b'm', _, _, 1, 0]) => Ok(()),
        Some([0, b'a', b's', b'm', ..]) => {
            Err(LoadError::Invalid { message: "unknown WebAssembly binary version or layer".into() })
        }
        _ => Err(LoadError::NotWasm),
    }
}

/// Read the component's own imports (not those of the modules and components nested in it) and
/// refuse any outside the world, before anything is compiled: a refusal costs the time of reading
/// the bytes, not of a Cranelift compilation. The full check runs again on the compiled type.
pub(crate) fn imports(bytes: &[u8]) -> Result<(), LoadError> {
    use wasmparser::{Parser, Payload};
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    let mut unreadable = None;
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        let names = match payload {
            Err(e) => {
                // What was read before the error may already explain the refusal.
                unreadable = Some(e.to_string());
                break;
            }
            Ok(Payload::ModuleSection { .. } | Payload::ComponentSection { .. }) => {
                depth += 1;
                continue;
            }
            Ok(Payload::End(_)) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Ok(Payload::ComponentImportSection(r)) if depth == 0 => {
                r.into_iter().map(|i| i.map(|i| (true, i.name.name))).collect::<Result<Vec<_>, _>>()
            }
            Ok(Payload::ComponentExportSection(r)) if depth == 0 => {
                r.into_iter().map(|e| e.map(|e| (false, e.name.name))).collect::<Result<Vec<_>, _>>()
            }
            Ok(_) => continue,
        };
        match names {
            Ok(names) => {
                for (import, name) in names {
                    if import { imports.push(name) } else { exports.push(name) }
                }
            }
            Err(e) => {
                unreadable = Some(e.to_string());
                break;
            }
        }
    }
    // As after compiling: a version mismatch explains every other difference, so it comes first.
    for name in exports.iter().chain(&imports) {
        if let Some((_, Some(version))) = split(name)
            && !speaks(version)
        {
            return Err(LoadError::WorldVersion { found: (*name).to_owned() });
        }
    }
    for name in &imports {
        importable(name)?;
    }
    match unreadable {
        Some(message) => Err(LoadError::Invalid { message }),
        None => Ok(()),
    }
}

/// Whether the host links the import `name`: an interface of the world, or a WASI 0.2 interface
/// it serves with a stand-in or a trap (see `wasi.rs`).
fn importable(name: &str) -> Result<(), LoadError> {
    if let Some((iface, _)) = split(name) {
        return match IMPORTABLE.contains(&iface) {
            true => Ok(()),
            false => Err(LoadError::UnknownImport { name: name.to_owned() }),
        };
    }
    match wasi::offer(name) {
        Offer::StandIn | Offer::Trap => Ok(()),
        Offer::OtherRelease => Err(LoadError::WasiRelease { name: name.to_owned() }),
        Offer::NotWasi => Err(LoadError::UnknownImport { name: name.to_owned() }),
    }
}

/// `missions:plugin/host@0.1.0` → (`host`, `0.1.0`); `None` for a name of another package.
fn split(name: &str) -> Option<(&str, Option<&str>)> {
    let rest = name.strip_prefix(PACKAGE)?.strip_prefix('/')?;
    Some(match rest.split_once('@') {
        Some((iface, version)) => (iface, Some(version)),
        None => (rest, None),
    })
}

/// Whether this host speaks `version`: before 1.0, the same minor version (0.1.x).
pub(crate) fn speaks(version: &str) -> bool {
    let mut ours = crate::WIT_VERSION.split('.');
    let mut theirs = version.split(['.', '-', '+']);
    let (Some(om), Some(on)) = (ours.next(), ours.next()) else { return false };
    match (theirs.next(), theirs.next()) {
        (Some(m), _) if om != "0" => m == om,
        (Some(m), Some(n)) => m == om && n == on,
        _ => false,
    }
}

/// Why wasmtime refused to compile a component: the async ABI, which components built for
/// concurrency use (componentize-qjs's default), named as such; anything else as invalid.
pub(crate) fn invalid(e: &wasmtime::Error) -> LoadError {
    let message = format!("{e:#}");
    match message.contains("requires the component model async feature") {
        true => LoadError::AsyncAbi { message },
        false => LoadError::Invalid { message },
    }
}

/// Check the imports and exports of a compiled component against the world.
pub(crate) fn check(engine: &Engine, component: &Component) -> Result<ComponentReport, LoadError> {
    let ty = component.component_type();
    let imports: Vec<String> = ty.imports(engine).map(|(name, _)| name.to_owned()).collect();
    let exports: Vec<String> = ty.exports(engine).map(|(name, _)| name.to_owned()).collect();
    // A version mismatch explains every other difference, so it is reported first.
    for name in exports.iter().chain(&imports) {
        if let Some((_, version)) = split(name)
            && !version.is_some_and(speaks)
        {
            return Err(LoadError::WorldVersion { found: name.clone() });
        }
    }
    let guest = exports.iter().find_map(|e| match split(e) {
        Some(("guest", Some(v))) => Some(v.to_owned()),
        _ => None,
    });
    let Some(world_version) = guest else { return Err(LoadError::NoGuestExport { exports }) };
    for name in &imports {
        importable(name)?;
    }
    Ok(ComponentReport { world_version, imports, exports })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_of_the_same_minor_are_spoken_before_1_0() {
        assert!(speaks("0.1.0") && speaks("0.1.7") && speaks("0.1.0-rc1"));
        assert!(!speaks("0.2.0") && !speaks("1.0.0") && !speaks("0") && !speaks(""));
    }

    #[test]
    fn headers_tell_modules_components_and_junk_apart() {
        assert!(matches!(sniff(b"\0asm\x01\0\0\0"), Err(LoadError::CoreModule)));
        assert!(sniff(b"\0asm\x0d\0\x01\0").is_ok());
        assert!(matches!(sniff(b"\x7fELF\x02\x01\x01\0"), Err(LoadError::NotWasm)));
        assert!(matches!(sniff(b"\0as"), Err(LoadError::NotWasm)));
    }

    #[test]
    fn names_split_into_interface_and_version() {
        assert_eq!(split("missions:plugin/host@0.1.0"), Some(("host", Some("0.1.0"))));
        assert_eq!(split("missions:plugin/guest"), Some(("guest", None)));
        assert_eq!(split("wasi:cli/environment@0.2.0"), None);
        assert_eq!(split("missions:plugins/host@0.1.0"), None);
    }
}
