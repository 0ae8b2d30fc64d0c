//! Why a plugin cannot be loaded ([`LoadError`]) or why a call failed ([`PluginError`]). Display
//! is the English message for logs and the CLI; `messages()` gives the text a client reads, in
//! every language of the catalogues (`locales/*/plugins.ftl`), and `code()` a stable code.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use missions_engine::Said;
use missions_engine::said;

/// A text per language (`fr`, `nl`, `en`).
pub type Labels = BTreeMap<String, String>;

/// A message in every language of the catalogues (`locales/*/plugins.ftl`), its English the
/// error's own text (what logs and the CLI show).
fn with_english(message: &Said, en: String) -> Labels {
    let mut texts = message.everywhere();
    texts.insert("en".to_owned(), en);
    texts
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

    /// The message in every language of the catalogues.
    pub fn messages(&self) -> Labels {
        let v = crate::WIT_VERSION;
        let code = self.code();
        let message = match self {
            LoadError::CoreModule => said!("plugins-core-module", v),
            LoadError::WorldVersion { found } => said!("plugins-world-version", found, v),
            LoadError::UnknownImport { name } => said!("plugins-unknown-import", name, v),
            LoadError::WasiRelease { name } => said!("plugins-wasi-release", name),
            LoadError::AsyncAbi { .. } => said!("plugins-async-abi"),
            LoadError::NoGuestExport { .. } => said!("plugins-no-guest-export", v),
            LoadError::NotWasm | LoadError::Precompiled | LoadError::Invalid { .. } | LoadError::Link { .. } => {
                said!("plugins-not-a-plugin", code)
            }
            LoadError::Describe(e) => return e.messages(),
            LoadError::Engine { .. } | LoadError::Read { .. } | LoadError::Info { .. } => {
                said!("plugins-cannot-load", code)
            }
        };
        with_english(&message, self.to_string())
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

    /// The message in every language of the catalogues.
    pub fn messages(&self) -> Labels {
        let message = match self {
            PluginError::Deadline { deadline } => {
                let ms = deadline.as_millis();
                said!("plugins-deadline", ms)
            }
            PluginError::Memory { cap, .. } => {
                let cap = mib(*cap);
                said!("plugins-memory", cap)
            }
            PluginError::TableElements { cap, .. } => said!("plugins-table-elements", cap),
            PluginError::Count { what, cap, .. } => said!("plugins-count", what, cap),
            PluginError::Fuel { fuel } => said!("plugins-fuel", fuel),
            PluginError::StackOverflow => said!("plugins-stack-overflow"),
            PluginError::Trap { .. } => said!("plugins-trap"),
            PluginError::Busy { max } => said!("plugins-busy", max),
            PluginError::Refused { message, .. } => return message.clone(),
            PluginError::InvalidOutput { messages, .. } => return messages.clone(),
            PluginError::Host { .. } => said!("plugins-host"),
        };
        with_english(&message, self.to_string())
    }
}
