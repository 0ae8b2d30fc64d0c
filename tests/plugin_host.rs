//! The plugin host with real components built from `plugins/`: refusals at load, every hostile
//! guest stopped with a clear error while the host keeps serving, each limit firing, the disk
//! cache, and the volume-discount example on a real esomus quote.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;
use std::time::Duration;

use missions_engine::{EvalError, EvalOptions, Evaluation, InvoiceAdjuster, Pack};
use missions_plugins::{Hook, Limits, LoadError, Origin, Plugin, PluginError, PluginHost, TenantPlugin};
use missions_tests::{pack_dir, plugins::guest_wasm};
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn host() -> &'static PluginHost {
    static HOST: OnceLock<PluginHost> = OnceLock::new();
    HOST.get_or_init(|| PluginHost::new().unwrap())
}

fn load(name: &str) -> Plugin {
    host().load_file(guest_wasm(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refusal(name: &str) -> LoadError {
    host().load_file(guest_wasm(name)).unwrap_err()
}

fn bind(name: &str, config: Value, limits: Limits) -> TenantPlugin {
    load(name).bind("tenant-a", &config, limits)
}

/// The default limits with a deadline no busy test machine reaches, for the tests that are not
/// about the deadline (it is wall-clock time).
fn relaxed() -> Limits {
    Limits { deadline: Duration::from_secs(5), ..Limits::default() }
}

fn esomus() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::load(pack_dir("esomus")).unwrap())
}

fn quote_input() -> Value {
    json!({"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
        "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
        "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}})
}

fn quote(plugins: &[&TenantPlugin]) -> Result<Evaluation, EvalError> {
    let adjusters: Vec<&dyn InvoiceAdjuster> = plugins.iter().map(|p| *p as &dyn InvoiceAdjuster).collect();
    esomus().eval_adjusted("quote", &quote_input(), EvalOptions { trace: true }, &adjusters)
}

/// The plugin's error on an esomus quote, after checking that the host still serves: the same
/// plugin's `describe` and a quote through another plugin both succeed right after.
fn fails(plugin: &TenantPlugin) -> PluginError {
    let draft_err = match quote(&[plugin]).unwrap_err() {
        EvalError::Plugin { plugin: name, code, message } => {
            assert_eq!(name, plugin.name());
            (code, message)
        }
        other => panic!("expected a plugin error, got {other:?}"),
    };
    let err = direct_error(plugin);
    assert_eq!(draft_err.0, err.code());
    assert_eq!(draft_err.1, err.messages());
    for lang in ["fr", "nl", "en"] {
        assert!(!err.messages()[lang].is_empty(), "no {lang} message for {err:?}");
    }
    assert_eq!(plugin.describe().unwrap().name, plugin.name(), "a failed call leaves the plugin usable");
    let noop = bind("noop", json!({}), relaxed());
    assert_eq!(quote(&[&noop]).unwrap().output["total"], "12314.17", "the host serves the next call");
    err
}

/// The same failure through the library call, without the engine.
fn direct_error(plugin: &TenantPlugin) -> PluginError {
    struct Capture<'a>(&'a TenantPlugin, std::cell::RefCell<Option<PluginError>>);
    impl InvoiceAdjuster for Capture<'_> {
        fn name(&self) -> &str {
            self.0.name()
        }
        fn adjust(
            &self,
            q: &missions_engine::QuoteDraft<'_>,
        ) -> Result<Vec<missions_engine::LineAdjustment>, missions_engine::AdjustError> {
            let e = self.0.adjust_quote(q).unwrap_err();
            *self.1.borrow_mut() = Some(e.clone());
            Err(missions_engine::AdjustError { code: e.code().into(), message: e.messages() })
        }
    }
    let capture = Capture(plugin, std::cell::RefCell::new(None));
    esomus().eval_adjusted("quote", &quote_input(), EvalOptions::default(), &[&capture]).unwrap_err();
    capture.1.into_inner().unwrap()
}

// ---- load-time refusals ----

#[test]
fn a_core_module_is_refused_with_how_to_build_a_component() {
    let e = host().load(b"\0asm\x01\0\0\0").unwrap_err();
    assert!(matches!(e, LoadError::CoreModule), "{e:?}");
    assert!(e.to_string().contains("core WebAssembly module, not a component"), "{e}");
    assert!(e.to_string().contains("wasm32-wasip2"), "{e}");
    assert!(e.messages()["fr"].contains("pas un composant"), "{:?}", e.messages());
    assert_eq!(e.code(), "plugin.core_module");
}

#[test]
fn bytes_that_are_not_wasm_are_refused() {
    let e = host().load(b"#!/bin/sh\nrm -rf /\n").unwrap_err();
    assert!(matches!(e, LoadError::NotWasm), "{e:?}");
    let e = host().load(b"\0asm\x0d\0\x01\0garbage").unwrap_err();
    assert!(matches!(e, LoadError::Invalid { .. }), "{e:?}");
}

#[test]
fn a_future_world_version_is_refused_naming_both_versions() {
    let e = refusal("future-version");
    assert!(matches!(&e, LoadError::WorldVersion { found } if found.ends_with("@0.2.0")), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("missions:plugin/guest@0.2.0") && text.contains("missions:plugin@0.1.0"), "{text}");
    assert!(e.messages()["nl"].contains("0.2.0"), "{:?}", e.messages());
}

#[test]
fn a_guest_built_against_a_later_0_1_x_loads_and_runs() {
    let p = load("later-patch");
    assert_eq!(p.report().world_version, "0.1.1");
    assert!(p.report().imports.iter().all(|i| i.ends_with("@0.1.1")), "{:?}", p.report());
    let plugin = p.bind("tenant-a", &json!({}), relaxed());
    match direct_error(&plugin) {
        PluginError::Refused { code, message } => {
            assert_eq!((code.as_str(), message["en"].as_str()), ("observed", "9 lines"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_import_outside_the_world_is_refused_by_name() {
    let e = refusal("unknown-import");
    let LoadError::UnknownImport { name } = &e else { panic!("{e:?}") };
    assert!(!name.starts_with("missions:plugin/"), "{name}");
    assert!(e.to_string().contains(&format!("imports `{name}`")), "{e}");
    assert!(e.messages()["fr"].contains(name.as_str()));
}

#[test]
fn an_import_outside_the_world_is_refused_before_compiling() {
    // Trailing junk makes the component impossible to compile: the refusal names the import, so
    // it came from reading the imports first, not from a compilation.
    let mut bytes = std::fs::read(guest_wasm("unknown-import")).unwrap();
    bytes.extend_from_slice(b"\x7f junk that no compiler accepts");
    let e = host().load(&bytes).unwrap_err();
    assert!(matches!(&e, LoadError::UnknownImport { name } if name == "acme:outside/files"), "{e:?}");
    // The same junk after an acceptable component is only found by the compiler.
    let mut ok = std::fs::read(guest_wasm("noop")).unwrap();
    ok.extend_from_slice(b"\x7f junk that no compiler accepts");
    assert!(matches!(host().load(&ok), Err(LoadError::Invalid { .. })));
}

#[test]
fn a_loaded_plugin_reports_its_world_hooks_imports_and_exports() {
    let p = load("volume-discount");
    assert_eq!(p.info().name, "volume-discount");
    assert_eq!(p.info().hooks, [Hook::AdjustQuote]);
    assert_eq!(p.report().world_version, "0.1.0");
    assert!(p.report().exports.contains(&"missions:plugin/guest@0.1.0".to_owned()));
    assert!(p.report().imports.iter().all(|i| i.starts_with("missions:plugin/") && i.ends_with("@0.1.0")));
    assert_eq!(p.digest().len(), 64);
    // Loading the same bytes again compiles nothing.
    assert_eq!(load("volume-discount").origin(), Origin::Memory);
}

// ---- hostile guests ----

#[test]
fn an_infinite_loop_is_stopped_at_the_deadline() {
    let deadline = Duration::from_millis(20);
    let e = fails(&bind("infinite-loop", json!({}), Limits { deadline, ..Limits::default() }));
    assert_eq!(e, PluginError::Deadline { deadline });
    assert!(e.to_string().contains("deadline of 20 ms"), "{e}");
}

#[test]
fn fuel_stops_an_infinite_loop_deterministically() {
    let limits = Limits { fuel: Some(1_000_000), deadline: Duration::from_secs(10), ..Limits::default() };
    let e = fails(&bind("infinite-loop", json!({}), limits));
    assert_eq!(e, PluginError::Fuel { fuel: 1_000_000 });
}

#[test]
fn a_memory_bomb_hits_the_memory_cap() {
    let e = fails(&bind("memory-bomb", json!({}), Limits { deadline: Duration::from_secs(5), ..Limits::default() }));
    let PluginError::Memory { cap, desired } = e else { panic!("{e:?}") };
    assert_eq!(cap, 32 << 20);
    assert!(desired > cap);
    let small = Limits { memory_bytes: 4 << 20, deadline: Duration::from_secs(5), ..Limits::default() };
    let e = fails(&bind("memory-bomb", json!({"mebibytes": 8}), small));
    assert!(matches!(e, PluginError::Memory { cap, .. } if cap == 4 << 20), "{e:?}");
    assert!(e.to_string().contains("more than its cap of 4 MiB"), "{e}");
}

#[test]
fn memory_does_not_carry_over_from_one_call_to_the_next() {
    // Each call allocates 20 MiB under a 32 MiB cap: if an instance were reused, the second
    // call would start with the first one's 20 MiB and fail.
    let limits = Limits { deadline: Duration::from_secs(5), ..Limits::default() };
    let p = bind("memory-bomb", json!({"mebibytes": 20}), limits);
    for _ in 0..3 {
        quote(&[&p]).unwrap();
    }
}

#[test]
fn a_panic_is_a_clear_error_and_the_next_call_succeeds() {
    let e = fails(&bind("trap", json!({}), relaxed()));
    assert_eq!(e.code(), "plugin.trap");
    assert!(e.to_string().contains("the plugin crashed: wasm trap: wasm `unreachable` instruction executed"), "{e}");
}

#[test]
fn a_stack_overflow_is_a_clear_error() {
    let e = fails(&bind("stack-overflow", json!({}), relaxed()));
    // Rust keeps big frames in linear memory; whichever stack runs out first, the error says so.
    match &e {
        PluginError::StackOverflow => {}
        PluginError::Trap { message } => assert!(message.contains("stack"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_huge_output_is_refused_by_the_host_caps() {
    let roomy = Limits { deadline: Duration::from_secs(20), memory_bytes: 128 << 20, ..Limits::default() };
    let e = fails(&bind("huge-output", json!({"lines": 20000}), roomy));
    assert!(matches!(&e, PluginError::InvalidOutput { path, .. } if path == "adjustments"), "{e:?}");
    assert!(e.to_string().contains("20000 items, at most 256"), "{e}");
    let e = fails(&bind("huge-output", json!({"adjust": "long-text", "text_bytes": 100000}), roomy));
    assert!(matches!(&e, PluginError::InvalidOutput { path, .. } if path == "adjustments[0].add.label.fr"), "{e:?}");
    assert!(e.to_string().contains("the text has 100000 bytes, at most 2000"), "{e}");
    // Under the default limits: the output caps refuse the default answer, and the deadline or
    // the memory cap stops a far larger one before it is even produced.
    let e = fails(&bind("huge-output", json!({}), relaxed()));
    assert!(e.to_string().contains("1000 items, at most 256"), "{e}");
    let e = fails(&bind("huge-output", json!({"lines": 2_000_000}), Limits::default()));
    assert!(matches!(e, PluginError::Deadline { .. } | PluginError::Memory { .. }), "{e:?}");
    let p = bind("huge-output", json!({}), relaxed());
    let e = p.dashboard_figures(&dashboard()).unwrap_err();
    assert!(matches!(&e, PluginError::InvalidOutput { path, .. } if path == "figures"), "{e:?}");
    let e = p.lint_model(&isqm()).unwrap_err();
    assert!(matches!(&e, PluginError::InvalidOutput { path, .. } if path == "diagnostics[0].message.fr"), "{e:?}");
}

#[test]
fn invalid_output_records_are_refused_with_their_path() {
    for (case, path, says) in [
        ("comma-decimal", "adjustments[0].add.quantity", "`12,5` is not an exact decimal"),
        ("empty-code", "adjustments[0].add.code", "the code is empty"),
        ("missing-language", "adjustments[0].add.label.nl", "the text is empty"),
        ("negative-unit-price", "adjustments[0].add.unit-price", "is negative"),
        ("bad-vat", "adjustments[0].add.vat-category", "the code is empty"),
        ("bad-index", "adjustments[0].remove", "line 4294967295 does not exist: the quote has"),
    ] {
        let e = fails(&bind("invalid-output", json!({ "case": case }), relaxed()));
        let PluginError::InvalidOutput { path: at, message, messages } = &e else { panic!("{case}: {e:?}") };
        assert!(at.starts_with(path), "{case}: {at}");
        assert!(message.contains(says), "{case}: {message}");
        assert!(messages["fr"].starts_with(&format!("`{at}`")), "{case}: {messages:?}");
    }
}

// ---- ordinary std Rust: the WASI stand-ins ----

/// What the `std-wasi` guest observed doing `what` for `tenant` (its `observed` refusal); the
/// host serves the next call.
fn observed_by(tenant: &str, what: &str) -> String {
    let p = load("std-wasi").bind(tenant, &json!({"do": what}), relaxed());
    let seen = direct_error(&p);
    let noop = bind("noop", json!({}), relaxed());
    assert_eq!(quote(&[&noop]).unwrap().output["total"], "12314.17", "the host serves the next call");
    match seen {
        PluginError::Refused { code, message } if code == "observed" => message["en"].clone(),
        other => panic!("{what}: expected an observation, got {other:?}"),
    }
}

#[test]
fn a_std_plugin_loads_and_runs_with_its_wasi_imports_served() {
    let p = load("std-wasi");
    assert!(p.report().imports.iter().any(|i| i.starts_with("wasi:filesystem/")), "{:?}", p.report());
    let plugin = p.bind("tenant-a", &json!({}), relaxed());
    assert_eq!(quote(&[&plugin]).unwrap().output["total"], "12314.17");
}

#[test]
fn a_std_plugin_opens_no_file_and_no_socket_and_sees_no_environment() {
    let passwd = observed_by("tenant-a", "passwd");
    assert!(passwd.starts_with("error: "), "reading /etc/passwd must fail inside the plugin: {passwd}");
    let socket = observed_by("tenant-a", "socket");
    assert!(socket.starts_with("error: "), "connecting must fail inside the plugin: {socket}");
    assert_eq!(observed_by("tenant-a", "env"), "vars=0 args=0 cwd=/");
}

#[test]
fn a_std_plugin_reads_one_fixed_instant_and_its_sleep_returns_at_once() {
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    for what in ["clock", "sleep"] {
        let seen = observed_by("tenant-a", what);
        let parts: Vec<&str> = seen.split(' ').collect();
        let [_, first, second, elapsed] = parts[..] else { panic!("{seen}") };
        assert_eq!(first, second, "{what}: the wall clock moved within a call: {seen}");
        assert_eq!(elapsed, "elapsed_ns=0", "{what}: the monotonic clock moved within a call: {seen}");
        // The fixed instant is the call's: not 1970, not a constant.
        let at: u128 = first.parse().unwrap();
        assert!(at >= before - 1_000_000_000 && at <= before + 600_000_000_000, "{what}: {at} vs {before}");
    }
}

#[test]
fn a_std_plugin_draws_seeded_random_numbers() {
    let a = observed_by("tenant-a", "random");
    assert_eq!(a, observed_by("tenant-a", "random"), "the same plugin and tenant draw the same numbers");
    assert_ne!(a, observed_by("tenant-b", "random"), "another tenant draws others");
}

#[test]
fn a_std_plugin_writing_100_mb_to_stdout_keeps_a_bounded_log() {
    // The host keeps 64 KiB of each stream and counts the rest; the call ends normally.
    assert_eq!(observed_by("tenant-a", "stdout"), "wrote 100 MB");
}

#[test]
fn a_std_plugin_that_exits_loops_allocates_or_panics_fails_cleanly() {
    let call = |what: &str, limits: Limits| fails(&load("std-wasi").bind("tenant-a", &json!({"do": what}), limits));
    let e = call("exit", relaxed());
    assert_eq!(e.code(), "plugin.trap");
    assert!(e.to_string().contains("the plugin called exit with status"), "{e}");
    let deadline = Duration::from_millis(20);
    assert_eq!(call("loop", Limits { deadline, ..Limits::default() }), PluginError::Deadline { deadline });
    let e = call("alloc", relaxed());
    assert!(matches!(e, PluginError::Memory { cap, .. } if cap == 32 << 20), "{e:?}");
    assert_eq!(call("panic", relaxed()).code(), "plugin.trap");
}

// ---- limits ----

#[test]
fn the_instance_table_and_element_caps_fire() {
    let e = direct_error(&bind("noop", json!({}), Limits { instances: 1, ..Limits::default() }));
    assert!(matches!(&e, PluginError::Count { what: "instances", cap: 1, .. }), "{e:?}");
    assert_eq!(e.code(), "plugin.instances");
    let e = direct_error(&bind("noop", json!({}), Limits { tables: 0, ..Limits::default() }));
    assert!(matches!(&e, PluginError::Count { what: "tables", cap: 0, .. }), "{e:?}");
    let e = direct_error(&bind("noop", json!({}), Limits { table_elements: 1, ..Limits::default() }));
    assert!(matches!(e, PluginError::TableElements { cap: 1, .. }), "{e:?}");
    // The defaults leave room for a plugin built with the SDK.
    quote(&[&bind("noop", json!({}), relaxed())]).unwrap();
}

#[test]
fn limits_are_brought_within_the_engine_ceilings() {
    let l = Limits { memory_bytes: usize::MAX, deadline: Duration::from_secs(3600), ..Limits::default() }.clamped();
    assert_eq!(l.memory_bytes, missions_plugins::MAX_MEMORY_BYTES);
    assert_eq!(l.deadline, missions_plugins::MAX_DEADLINE);
}

// ---- the quote hook ----

fn d(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn volume_discount_changes_a_real_esomus_quote_and_the_host_recomputes_vat() {
    let plain = esomus().eval("quote", &quote_input()).unwrap().output;
    let config = json!({"tiers": [{"from": "1000.00", "percent": "5"}, {"from": "1000000", "percent": "50"}]});
    let p = bind("volume-discount", config, relaxed());
    let eval = quote(&[&p]).unwrap();
    let out = &eval.output;
    let lines = out["lines"].as_array().unwrap();
    let discount = lines.iter().find(|l| l["code"] == "volume_discount").expect("a discount line");
    let discounted: Decimal = plain["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["code"] == "license" || l["code"] == "hosting")
        .map(|l| d(&l["amount"]))
        .sum();
    assert!(discounted > Decimal::ZERO);
    assert_eq!(d(&discount["amount"]), (discounted * Decimal::new(-5, 2)).round_dp(2));
    // VAT and totals are the host's: recomputed over the new lines.
    let net: Decimal = lines.iter().map(|l| d(&l["amount"])).sum();
    assert_eq!(d(&out["net_total"]), net);
    assert_eq!(d(&out["net_total"]), d(&plain["net_total"]) + d(&discount["amount"]));
    assert_eq!(d(&out["vat_total"]), (net * Decimal::new(21, 2)).round_dp(2));
    assert_eq!(d(&out["total"]), d(&out["net_total"]) + d(&out["vat_total"]));
    assert_ne!(out["total"], plain["total"]);
    // The trace says what the plugin changed and why.
    let change = eval.trace.unwrap().into_iter().find(|t| t["rule"] == "plugin").unwrap();
    assert_eq!(change["detail"]["plugin"], "volume-discount");
    assert_eq!(change["detail"]["change"], "add");
    assert_eq!(change["detail"]["line"]["code"], "volume_discount");
    assert!(change["detail"]["reason"]["en"].as_str().unwrap().contains("5 % off"), "{change}");
}

#[test]
fn each_tenant_runs_with_its_own_configuration() {
    let plugin = load("volume-discount");
    let five = plugin.bind("tenant-a", &json!({"tiers": [{"from": "0", "percent": "5"}]}), relaxed());
    let ten = plugin.bind("tenant-b", &json!({"tiers": [{"from": "0", "percent": "10"}]}), relaxed());
    let amount = |p: &TenantPlugin| {
        let out = quote(&[p]).unwrap().output;
        let lines = out["lines"].as_array().unwrap().clone();
        d(&lines.iter().find(|l| l["code"] == "volume_discount").unwrap()["amount"])
    };
    // Interleaved, so a leak of configuration or state between calls would show.
    let (a1, b1, a2) = (amount(&five), amount(&ten), amount(&five));
    assert_eq!(a1, a2);
    assert_eq!((a1 * Decimal::TWO).round_dp(1), b1.round_dp(1));
    // A configuration the plugin refuses is the plugin's error, in three languages.
    let bad = plugin.bind("tenant-c", &json!({"tier": []}), relaxed());
    let e = fails(&bad);
    assert!(matches!(&e, PluginError::Refused { code, .. } if code == "config.invalid"), "{e:?}");
}

#[test]
fn plugins_run_concurrently_each_in_its_own_instance() {
    let p = bind("volume-discount", json!({"tiers": [{"from": "0", "percent": "5"}]}), relaxed());
    let expected = quote(&[&p]).unwrap().output;
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..8).map(|_| s.spawn(|| (0..5).map(|_| quote(&[&p]).unwrap().output).collect::<Vec<_>>())).collect();
        for h in handles {
            for out in h.join().unwrap() {
                assert_eq!(out, expected);
            }
        }
    });
}

// ---- the disk cache ----

#[test]
fn compiled_components_are_cached_on_disk_and_a_tampered_file_is_compiled_again() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(guest_wasm("noop")).unwrap();
    let first = PluginHost::with_cache_dir(dir.path()).unwrap().load(&bytes).unwrap();
    assert_eq!(first.origin(), Origin::Compiled);
    // A new host (a restart) loads the compiled code instead of compiling.
    let second = PluginHost::with_cache_dir(dir.path()).unwrap().load(&bytes).unwrap();
    assert_eq!(second.origin(), Origin::DiskCache);
    assert_eq!(second.info(), first.info());
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    let code = files.iter().find(|p| p.extension().is_some_and(|e| e == "cwasm")).unwrap();
    assert!(code.file_name().unwrap().to_str().unwrap().starts_with(first.digest()));
    // Compiled code is never accepted as a plugin: only the host's own cache is deserialised.
    let e = host().load(&std::fs::read(code).unwrap()).unwrap_err();
    assert!(matches!(e, LoadError::Precompiled), "{e:?}");
    // One flipped byte: the recorded sha256 no longer matches, so the host compiles again.
    let mut compiled = std::fs::read(code).unwrap();
    let middle = compiled.len() / 2;
    compiled[middle] ^= 0xff;
    std::fs::write(code, &compiled).unwrap();
    let third = PluginHost::with_cache_dir(dir.path()).unwrap().load(&bytes).unwrap();
    assert_eq!(third.origin(), Origin::Compiled);
    quote(&[&third.bind("t", &json!({}), relaxed())]).unwrap();
}

#[test]
fn the_compile_cache_keeps_its_size_by_evicting_the_least_recently_used() {
    let dir = tempfile::tempdir().unwrap();
    let cached = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".cwasm"))
            .collect();
        names.sort();
        names
    };
    let noop = std::fs::read(guest_wasm("noop")).unwrap();
    let trap = std::fs::read(guest_wasm("trap")).unwrap();
    // Room for one compiled component, not two.
    let one = PluginHost::with_cache_dir(dir.path()).unwrap();
    one.load(&noop).unwrap();
    let size = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
        .map(|e| e.metadata().unwrap().len())
        .sum::<u64>();
    let bounded = |d: &std::path::Path| PluginHost::with_bounded_cache(d, size + size / 2).unwrap();
    let noop_digest = missions_plugins::digest(&noop);
    let trap_digest = missions_plugins::digest(&trap);
    assert_eq!(bounded(dir.path()).load(&trap).unwrap().origin(), Origin::Compiled);
    // The older one went; the one just written stays, with its checksum.
    let left = cached(dir.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(&trap_digest), "{left:?}");
    assert!(dir.path().join(format!("{}.sha256", left[0])).is_file());
    assert!(
        !std::fs::read_dir(dir.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(&noop_digest))
    );
    assert_eq!(bounded(dir.path()).load(&trap).unwrap().origin(), Origin::DiskCache);
    assert_eq!(bounded(dir.path()).load(&noop).unwrap().origin(), Origin::Compiled);
}

// ---- lint-model and dashboard-figures ----

fn isqm() -> missions_engine::Model {
    missions_engine::load_model(&missions_tests::repo().join("rules/models/isqm-standard.yaml")).unwrap()
}

fn dashboard() -> missions_engine::Dashboard {
    let model = isqm();
    let state = json!({
        "as_of": "2026-11-20",
        "mission": {"client": "Brasserie SA", "start": "2026-11-02", "closing": "2027-03-31",
                    "people": {"partner": ["An Peeters"], "manager": ["Bo Maes"], "staff": ["Cy"], "supervisor": ["Di"],
                               "eqr": ["Ed"], "quality": ["Fa"]}},
        "actions": [{"id": model.actions()[0].id, "done_on": "2026-11-03"}],
    });
    let calendar = missions_engine::Calendar::new(missions_engine::CalendarSpec::belgian_office_hours()).unwrap();
    missions_engine::dashboard_json(&model, &state, &calendar).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn review_docs_lint_reports_reviews_without_a_required_document() {
    let p = bind("review-docs-lint", json!({}), relaxed());
    assert!(p.implements(Hook::LintModel) && !p.implements(Hook::AdjustQuote));
    let found = p.lint_model(&isqm()).unwrap();
    let actions: Vec<&str> = found.iter().filter_map(|f| f.action.as_deref()).collect();
    assert_eq!(
        actions,
        [
            "integrity-assessment",
            "team-competence",
            "eqr-need",
            "supervisor-review",
            "manager-review",
            "partner-review",
            "time-review",
            "monitoring-selection"
        ]
    );
    for f in &found {
        assert_eq!(f.code, "review-docs-lint.review-without-document");
        assert_eq!(f.severity, missions_plugins::FindingSeverity::Warning);
        assert!(["fr", "nl", "en"].iter().all(|l| !f.message[*l].is_empty()));
    }
    let strict = bind("review-docs-lint", json!({"severity": "error"}), relaxed());
    assert!(strict.lint_model(&isqm()).unwrap().iter().all(|f| f.severity == missions_plugins::FindingSeverity::Error));
    // A quote is not its business: it is not called, and nothing changes.
    let plain = esomus().eval("quote", &quote_input()).unwrap().output;
    assert_eq!(quote(&[&p]).unwrap().output, plain);
}

#[test]
fn hostile_guests_fail_the_model_and_dashboard_hooks_too() {
    let model = isqm();
    let board = dashboard();
    let deadline = Limits { deadline: Duration::from_millis(20), ..Limits::default() };
    let looping = bind("infinite-loop", json!({}), deadline);
    assert_eq!(looping.lint_model(&model).unwrap_err(), PluginError::Deadline { deadline: deadline.deadline });
    assert_eq!(looping.dashboard_figures(&board).unwrap_err(), PluginError::Deadline { deadline: deadline.deadline });
    let trap = bind("trap", json!({}), relaxed());
    let e = trap.lint_model(&model).unwrap_err();
    assert!(e.to_string().contains("`unreachable` instruction executed"), "{e}");
    // A division by zero traps, whether the guest's code divides or panics on the check.
    let e = trap.dashboard_figures(&board).unwrap_err();
    assert_eq!(e.code(), "plugin.trap");
    assert!(e.to_string().contains("the plugin crashed: wasm trap: "), "{e}");
    let bomb = bind("memory-bomb", json!({}), Limits { deadline: Duration::from_secs(5), ..Limits::default() });
    assert!(matches!(bomb.dashboard_figures(&board).unwrap_err(), PluginError::Memory { .. }));
    // Plugins without the hooks are not called and add nothing.
    let noop = bind("noop", json!({}), relaxed());
    assert!(noop.lint_model(&model).unwrap().is_empty() && noop.dashboard_figures(&board).unwrap().is_empty());
}

#[test]
fn invalid_diagnostics_and_figures_are_refused() {
    let p = bind("invalid-output", json!({ "case": "comma-decimal" }), relaxed());
    let e = p.dashboard_figures(&dashboard()).unwrap_err();
    assert!(matches!(&e, PluginError::InvalidOutput { path, .. } if path.starts_with("figures[0]")), "{e:?}");
    for case in ["empty-code", "missing-language", "bad-index"] {
        let p = bind("invalid-output", json!({ "case": case }), relaxed());
        let e = p.lint_model(&isqm()).unwrap_err();
        assert!(
            matches!(&e, PluginError::InvalidOutput { path, .. } if path.starts_with("diagnostics[0]")),
            "{case}: {e:?}"
        );
    }
}
