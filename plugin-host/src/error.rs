//! Why a plugin cannot be loaded ([`LoadError`]) or why a call failed ([`PluginError`]). Display
//! is the English message for logs and the CLI; `messages()` gives the text a client reads, in
//! fr, nl and en, and `code()` a stable code.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// A text per language (`fr`, `nl`, `en`).
pub type Labels = BTreeMap<String, String>;

pub(crate) fn labels(fr: impl Into<String>, nl: impl Into<String>, en: impl Into<String>) -> Labels {
    [("fr".to_owned(), fr.into()), ("nl".to_owned(), nl.into()), ("en".to_owned(), en.into())].into_iter().collect()
}

fn mib(bytes: usize) -> String {
    let m = bytes as f64 / f64::from(1 << 20);
    if m.fract() == 0.0 { format!("{m:.0} MiB") } else { format!("{m:.1} MiB") }
}

/// Why a component cannot be loaded as a plugin.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The process's wasmtime engine could not be built.
    #[error("the plugin engine cannot start: {message}")]
    Engine {
        /// What wasmtime said.
        message: String,
    },
    /// The file cannot be read.
    #[error("cannot read `{}`: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The bytes are not WebAssembly.
    #[error("not a WebAssembly component: the file does not start with the `\\0asm` header")]
    NotWasm,
    /// A core module, not a component.
    #[error(
        "this is a core WebAssembly module, not a component: build the plugin with `cargo build --target wasm32-wasip2` and the plugin SDK, which produce a component of the world `missions:plugin/plugin@{0}`",
        crate::WIT_VERSION
    )]
    CoreModule,
    /// A precompiled artifact: the host compiles plugins itself and never loads compiled code it did not produce.
    #[error("this is precompiled machine code, not a component: send the `.wasm` file the plugin's build produced")]
    Precompiled,
    /// The component uses the component model's async ABI, which this host does not run.
    #[error(
        "the component uses the component model's async ABI ({message}), which this host does not run: build a synchronous component (componentize-qjs: add `--sync`)"
    )]
    AsyncAbi {
        /// What the validator said.
        message: String,
    },
    /// The component does not validate or compile.
    #[error("the component is invalid: {message}")]
    Invalid {
        /// What the validator said.
        message: String,
    },
    /// The component is built against a version of the contract this host does not speak.
    #[error(
        "the plugin is built against `{found}`, but this host speaks `missions:plugin@{speaks}` (0.1.x): rebuild it with an SDK for {speaks}",
        speaks = crate::WIT_VERSION
    )]
    WorldVersion {
        /// The interface and version the plugin uses (`missions:plugin/guest@0.2.0`).
        found: String,
    },
    /// The component imports something the host does not offer.
    #[error(
        "the plugin imports `{name}`, which this host does not offer: a plugin may import `missions:plugin/host@{speaks}` (log and config) and the WASI 0.2 interfaces of wasi:io, wasi:cli, wasi:clocks, wasi:random, wasi:filesystem, wasi:sockets and wasi:http (served by stand-ins that grant nothing); remove the dependency that needs it",
        speaks = crate::WIT_VERSION
    )]
    UnknownImport {
        /// The import's name.
        name: String,
    },
    /// The component imports WASI of a release the host does not serve.
    #[error(
        "the plugin imports `{name}`, of a WASI release this host does not serve: it serves WASI 0.2 (build for the target wasm32-wasip2, or with your toolchain's WASI 0.2 setting)"
    )]
    WasiRelease {
        /// The import's name.
        name: String,
    },
    /// The component does not export the guest interface.
    #[error(
        "the plugin does not export `missions:plugin/guest@{speaks}` (it exports {}): implement the world `missions:plugin/plugin` with the plugin SDK",
        if .exports.is_empty() { "nothing".to_owned() } else { .exports.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ") },
        speaks = crate::WIT_VERSION
    )]
    NoGuestExport {
        /// What it exports.
        exports: Vec<String>,
    },
    /// The component's imports or exports do not have the types of the contract.
    #[error("the plugin does not match the contract `missions:plugin@{speaks}`: {message}", speaks = crate::WIT_VERSION)]
    Link {
        /// What wasmtime said.
        message: String,
    },
    /// `describe` failed.
    #[error("the plugin's `describe` failed: {0}")]
    Describe(#[source] PluginError),
    /// `describe` answered something the host refuses.
    #[error("the plugin describes itself badly: {message}")]
    Info {
        /// What is wrong.
        message: String,
    },
}

impl LoadError {
    /// A stable code for programs (`plugin.core_module`, `plugin.unknown_import` …).
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::Engine { .. } => "plugin.engine",
            LoadError::Read { .. } => "plugin.read",
            LoadError::NotWasm => "plugin.not_wasm",
            LoadError::CoreModule => "plugin.core_module",
            LoadError::Precompiled => "plugin.precompiled",
            LoadError::Invalid { .. } => "plugin.invalid",
            LoadError::AsyncAbi { .. } => "plugin.async_abi",
            LoadError::WorldVersion { .. } => "plugin.world_version",
            LoadError::UnknownImport { .. } => "plugin.unknown_import",
            LoadError::WasiRelease { .. } => "plugin.wasi_release",
            LoadError::NoGuestExport { .. } => "plugin.no_guest_export",
            LoadError::Link { .. } => "plugin.link",
            LoadError::Describe(_) => "plugin.describe",
            LoadError::Info { .. } => "plugin.info",
        }
    }

    /// The message in fr, nl and en.
    pub fn messages(&self) -> Labels {
        let v = crate::WIT_VERSION;
        let en = self.to_string();
        match self {
            LoadError::CoreModule => labels(
                format!(
                    "c'est un module WebAssembly, pas un composant : construisez le plugin avec `cargo build --target wasm32-wasip2` et le SDK des plugins (monde `missions:plugin/plugin@{v}`)"
                ),
                format!(
                    "dit is een WebAssembly-module, geen component: bouw de plugin met `cargo build --target wasm32-wasip2` en de plugin-SDK (wereld `missions:plugin/plugin@{v}`)"
                ),
                en,
            ),
            LoadError::WorldVersion { found } => labels(
                format!(
                    "le plugin est construit pour `{found}`, mais cet hôte parle `missions:plugin@{v}` (0.1.x) : reconstruisez-le avec un SDK {v}"
                ),
                format!(
                    "de plugin is gebouwd voor `{found}`, maar deze host spreekt `missions:plugin@{v}` (0.1.x): bouw hem opnieuw met een SDK voor {v}"
                ),
                en,
            ),
            LoadError::UnknownImport { name } => labels(
                format!(
                    "le plugin importe `{name}`, que cet hôte n'offre pas : un plugin peut importer `missions:plugin/host@{v}` (journal et configuration) et les interfaces WASI 0.2 de wasi:io, wasi:cli, wasi:clocks, wasi:random, wasi:filesystem, wasi:sockets et wasi:http (des substituts qui n'accordent rien) ; retirez la dépendance qui en a besoin"
                ),
                format!(
                    "de plugin importeert `{name}`, wat deze host niet aanbiedt: een plugin mag `missions:plugin/host@{v}` (log en configuratie) importeren en de WASI 0.2-interfaces van wasi:io, wasi:cli, wasi:clocks, wasi:random, wasi:filesystem, wasi:sockets en wasi:http (vervangers die niets toestaan); verwijder de afhankelijkheid die het nodig heeft"
                ),
                en,
            ),
            LoadError::WasiRelease { name } => labels(
                format!(
                    "le plugin importe `{name}`, d'une version de WASI que cet hôte ne sert pas : il sert WASI 0.2 (compilez pour la cible wasm32-wasip2, ou avec le réglage WASI 0.2 de votre outil)"
                ),
                format!(
                    "de plugin importeert `{name}`, uit een WASI-versie die deze host niet bedient: hij bedient WASI 0.2 (bouw voor het doel wasm32-wasip2, of met de WASI 0.2-instelling van uw toolchain)"
                ),
                en,
            ),
            LoadError::AsyncAbi { .. } => labels(
                "le composant utilise l'ABI asynchrone du modèle de composants, que cet hôte n'exécute pas : construisez un composant synchrone (componentize-qjs : ajoutez `--sync`)",
                "de component gebruikt de asynchrone ABI van het componentmodel, die deze host niet uitvoert: bouw een synchrone component (componentize-qjs: voeg `--sync` toe)",
                en,
            ),
            LoadError::NoGuestExport { .. } => labels(
                format!(
                    "le plugin n'exporte pas `missions:plugin/guest@{v}` : implémentez le monde `missions:plugin/plugin` avec le SDK"
                ),
                format!(
                    "de plugin exporteert `missions:plugin/guest@{v}` niet: implementeer de wereld `missions:plugin/plugin` met de SDK"
                ),
                en,
            ),
            LoadError::NotWasm | LoadError::Precompiled | LoadError::Invalid { .. } | LoadError::Link { .. } => labels(
                format!("ce fichier n'est pas un plugin valide ({})", self.code()),
                format!("dit bestand is geen geldige plugin ({})", self.code()),
                en,
            ),
            LoadError::Describe(e) => e.messages(),
            LoadError::Engine { .. } | LoadError::Read { .. } | LoadError::Info { .. } => labels(
                format!("le plugin ne peut pas être chargé ({})", self.code()),
                format!("de plugin kan niet geladen worden ({})", self.code()),
                en,
            ),
        }
    }
}

/// Why a call of a plugin failed. The host stays up; the next call runs in a fresh instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PluginError {
    /// The call ran past the tenant's deadline.
    #[error(
        "the plugin ran past its deadline of {} ms and was stopped: make the hook do less, or raise the tenant's deadline",
        .deadline.as_millis()
    )]
    Deadline {
        /// The deadline.
        deadline: Duration,
    },
    /// The plugin asked for more memory than the tenant's cap.
    #[error(
        "the plugin asked for {} of memory, more than its cap of {}: make the hook use less, or raise the tenant's memory cap",
        mib(*.desired), mib(*.cap)
    )]
    Memory {
        /// The cap.
        cap: usize,
        /// What it asked for.
        desired: usize,
    },
    /// A table would grow past the tenant's cap of elements.
    #[error("the plugin asked for a table of {desired} elements, more than its cap of {cap}")]
    TableElements {
        /// The cap.
        cap: usize,
        /// What it asked for.
        desired: usize,
    },
    /// The component creates more instances, tables or memories than the tenant's cap.
    #[error("the plugin needs more {what} than its cap of {cap}: {detail}")]
    Count {
        /// `instances`, `tables` or `memories`.
        what: &'static str,
        /// The cap.
        cap: usize,
        /// What wasmtime said.
        detail: String,
    },
    /// The call burnt all the fuel the tenant allows.
    #[error(
        "the plugin used all of its {fuel} units of fuel and was stopped: make the hook do less, or raise the tenant's fuel"
    )]
    Fuel {
        /// The fuel it had.
        fuel: u64,
    },
    /// The plugin recursed too deep.
    #[error("the plugin overflowed its stack (too deep a recursion) and was stopped")]
    StackOverflow,
    /// The plugin trapped: a panic, an abort or a wasm fault.
    #[error("the plugin crashed: {message}; the partner who built it must fix it")]
    Trap {
        /// What the trap says (`wasm trap: wasm 'unreachable' instruction executed` for a panic).
        message: String,
    },
    /// Every slot of the instance pool is in use.
    #[error("too many plugin calls run at the same time (at most {max}): retry")]
    Busy {
        /// The pool's size.
        max: u32,
    },
    /// The plugin refused, with its own code and message.
    #[error("the plugin refused ({code}): {}", .message.get("en").map_or("", String::as_str))]
    Refused {
        /// The plugin's code (`config.invalid`).
        code: String,
        /// Its message, per language.
        message: Labels,
    },
    /// The plugin answered something the host refuses.
    #[error("the plugin's answer is refused at `{path}`: {message}")]
    InvalidOutput {
        /// Where in the answer (`adjustments[2].change.add.quantity`).
        path: String,
        /// What is wrong (in English; `messages()` gives the three languages).
        message: String,
        /// The message per language.
        messages: Labels,
    },
    /// The host could not run the call (a bug or a resource problem of the host).
    #[error("the host could not run the plugin: {message}")]
    Host {
        /// What went wrong.
        message: String,
    },
}

impl PluginError {
    /// A stable code for programs (`plugin.deadline`, `plugin.memory` … or the plugin's own).
    pub fn code(&self) -> &str {
        match self {
            PluginError::Deadline { .. } => "plugin.deadline",
            PluginError::Memory { .. } => "plugin.memory",
            PluginError::TableElements { .. } => "plugin.table_elements",
            PluginError::Count { what: "instances", .. } => "plugin.instances",
            PluginError::Count { what: "tables", .. } => "plugin.tables",
            PluginError::Count { .. } => "plugin.memories",
            PluginError::Fuel { .. } => "plugin.fuel",
            PluginError::StackOverflow => "plugin.stack_overflow",
            PluginError::Trap { .. } => "plugin.trap",
            PluginError::Busy { .. } => "plugin.busy",
            PluginError::Refused { code, .. } => code,
            PluginError::InvalidOutput { .. } => "plugin.invalid_output",
            PluginError::Host { .. } => "plugin.host",
        }
    }

    /// The message in fr, nl and en.
    pub fn messages(&self) -> Labels {
        let en = self.to_string();
        match self {
            PluginError::Deadline { deadline } => {
                let ms = deadline.as_millis();
                labels(
                    format!("le plugin a dépassé son délai de {ms} ms et a été arrêté"),
                    format!("de plugin overschreed zijn limiet van {ms} ms en werd gestopt"),
                    en,
                )
            }
            PluginError::Memory { cap, .. } => labels(
                format!("le plugin a demandé plus de mémoire que sa limite de {}", mib(*cap)),
                format!("de plugin vroeg meer geheugen dan zijn limiet van {}", mib(*cap)),
                en,
            ),
            PluginError::TableElements { cap, .. } => labels(
                format!("le plugin a demandé une table plus grande que sa limite de {cap} éléments"),
                format!("de plugin vroeg een tabel groter dan zijn limiet van {cap} elementen"),
                en,
            ),
            PluginError::Count { what, cap, .. } => labels(
                format!("le plugin crée plus de {what} que sa limite de {cap}"),
                format!("de plugin maakt meer {what} aan dan zijn limiet van {cap}"),
                en,
            ),
            PluginError::Fuel { fuel } => labels(
                format!("le plugin a consommé tout son carburant ({fuel} unités) et a été arrêté"),
                format!("de plugin verbruikte al zijn brandstof ({fuel} eenheden) en werd gestopt"),
                en,
            ),
            PluginError::StackOverflow => labels(
                "le plugin a débordé sa pile (récursion trop profonde) et a été arrêté",
                "de plugin liep over zijn stapel (te diepe recursie) en werd gestopt",
                en,
            ),
            PluginError::Trap { .. } => labels(
                "le plugin a planté ; son auteur doit le corriger",
                "de plugin is gecrasht; zijn auteur moet hem herstellen",
                en,
            ),
            PluginError::Busy { max } => labels(
                format!("trop d'appels de plugins simultanés (au plus {max}) : réessayez"),
                format!("te veel gelijktijdige plugin-oproepen (hoogstens {max}): probeer opnieuw"),
                en,
            ),
            PluginError::Refused { message, .. } => message.clone(),
            PluginError::InvalidOutput { messages, .. } => messages.clone(),
            PluginError::Host { .. } => {
                labels("l'hôte n'a pas pu exécuter le plugin", "de host kon de plugin niet uitvoeren", en)
            }
        }
    }
}
