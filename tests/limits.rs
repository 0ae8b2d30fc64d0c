//! Every sandbox limit fires, with a clear error, and the pack keeps serving afterwards
//! (after regorus `tests/execution_limits.rs`). Also: scripts cannot reach files, modules,
//! `eval` or the clock, and a pack can lower its limits but never raise them past the host's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use missions_engine::{EvalError, Pack, ScriptLimits};
use missions_tests::temp_pack;
use serde_json::json;

fn pack_with(script_body: &str, extra_yaml: &str) -> (tempfile::TempDir, Result<Pack, missions_engine::Diagnostics>) {
    let yaml = format!(
        "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\n{extra_yaml}entries:\n  run:\n    script: run.rhai\n    input:\n      n: integer?\n"
    );
    let script = format!("fn run(input, params) {{\n{script_body}\n}}\n");
    let dir = temp_pack(&[("pack.yaml", &yaml), ("run.rhai", &script)]);
    let pack = Pack::load(dir.path());
    (dir, pack)
}

fn limit_hit(script_body: &str, extra_yaml: &str) -> (&'static str, String) {
    // The body's value is the entry's result, so the optimiser cannot drop the work.
    let (_dir, pack) =
        pack_with(&format!("if input.n == 1 {{\n{script_body}\n}} else {{ #{{ ok: true }} }}"), extra_yaml);
    let pack = pack.unwrap();
    let err = pack.eval("run", &json!({"n": 1})).unwrap_err();
    // The same pack serves the next request normally.
    assert_eq!(pack.eval("run", &json!({"n": 0})).unwrap().output, json!({"ok": true}));
    match err {
        EvalError::Limit { limit, what } => (limit, what),
        other => panic!("expected a limit error, got {}", other.kind()),
    }
}

#[test]
fn endless_loop_hits_max_operations() {
    let (limit, what) = limit_hit("loop { }", "");
    assert_eq!(limit, "max_operations");
    assert!(what.contains("more than 1000000 operations"), "{what}");
}

#[test]
fn growing_string_hits_max_string_size() {
    let (limit, _) = limit_hit("let s = \"x\"; loop { s += s; } s", "");
    assert_eq!(limit, "max_string_size");
}

#[test]
fn growing_array_hits_max_array_size() {
    let (limit, _) = limit_hit("let a = []; loop { a.push(1); } a", "");
    assert_eq!(limit, "max_array_size");
}

#[test]
fn growing_map_hits_max_map_size() {
    let (limit, what) = limit_hit("let m = #{}; let i = 0; while i < 20000 { m[`k${i}`] = i; i += 1; } m", "");
    assert!(what.contains("exceeds 10000"), "{what}");
    assert_eq!(limit, "max_map_size");
}

/// The same limits with scripts the engine evaluates directly (see `crates/rules/src/direct/`): the
/// direct evaluation stops where rhai would and leaves the error to rhai.
fn direct_limit_hit(script_body: &str, extra_yaml: &str) -> &'static str {
    let (_dir, pack) =
        pack_with(&format!("if input.n == 1 {{\n{script_body}\n}} else {{ #{{ ok: true }} }}"), extra_yaml);
    let pack = pack.unwrap();
    assert!(pack.runs_directly("run"), "{:?}", pack.why_interpreted("run"));
    let err = pack.eval("run", &json!({"n": 1})).unwrap_err();
    assert_eq!(pack.eval("run", &json!({"n": 0})).unwrap().output, json!({"ok": true}));
    match err {
        EvalError::Limit { limit, .. } => limit,
        other => panic!("expected a limit error, got {}", other.kind()),
    }
}

#[test]
fn directly_evaluated_scripts_hit_the_same_limits() {
    assert_eq!(direct_limit_hit("let i = 0; while i >= 0 { i += 1; } i", ""), "max_operations");
    assert_eq!(direct_limit_hit("let s = \"x\"; while true { s += s; } s", ""), "max_string_size");
    assert_eq!(direct_limit_hit("let a = []; while true { a.push(1); } a", ""), "max_array_size");
    let maps = "limits:\n  max_map_size: 100\n";
    assert_eq!(direct_limit_hit("let a = []; while true { a.push(#{ k: 1 }); } a", maps), "max_map_size");
}

#[test]
fn deep_recursion_hits_max_call_levels() {
    let yaml = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nentries:\n  run:\n    script: run.rhai\n    input:\n      n: integer?\n";
    let script =
        "fn down(i) { down(i + 1) }\nfn run(input, params) { if input.n == 1 { down(0) } else { #{ ok: true } } }\n";
    let dir = temp_pack(&[("pack.yaml", yaml), ("run.rhai", script)]);
    let pack = Pack::load(dir.path()).unwrap();
    match pack.eval("run", &json!({"n": 1})).unwrap_err() {
        EvalError::Limit { limit, .. } => assert_eq!(limit, "max_call_levels"),
        other => panic!("expected max_call_levels, got {other:?}"),
    }
    assert!(pack.eval("run", &json!({"n": 0})).is_ok());
}

#[test]
fn too_many_variables_hits_max_variables() {
    // Variables are used, so the optimiser cannot drop them.
    let lets: String = (0..300).map(|i| format!("let v{i} = input.n + {i};\n")).collect();
    let (limit, _) = limit_hit(&format!("{lets}\nv0 + v299"), "");
    assert_eq!(limit, "max_variables");
}

#[test]
fn deep_expression_is_refused_at_load() {
    let expr = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let (_dir, pack) = pack_with(&format!("let x = {expr}; #{{ ok: true }}"), "");
    let diags = pack.unwrap_err();
    assert_eq!(diags.0[0].code, "pack.limit", "{diags}");
    assert!(diags.to_string().contains("run.rhai:2:"), "{diags}");
}

#[test]
fn a_pack_may_lower_its_limits() {
    let body = "let i = 0; while i < 5000 { i += 1; } i";
    // Within the default…
    let (_dir, pack) = pack_with(&format!("{body};\n#{{ ok: true }}"), "");
    assert!(pack.unwrap().eval("run", &json!({})).is_ok());
    // …but not within the pack's own, lower limit.
    let (limit, what) = limit_hit(body, "limits:\n  max_operations: 2000\n");
    assert_eq!(limit, "max_operations");
    assert!(what.contains("2000"), "{what}");
}

#[test]
fn a_pack_cannot_raise_limits_past_the_host_maximum() {
    let (_dir, pack) = pack_with("#{ ok: true }", "limits:\n  max_operations: 999999999\n  max_call_levels: 10\n");
    let diags = pack.unwrap_err();
    let d = &diags.0[0];
    assert_eq!(d.code, "pack.limit-above-max");
    assert_eq!(
        d.message,
        format!(
            "`limits.max_operations` is 999999999, above the host maximum of {}",
            ScriptLimits::HOST_MAX.max_operations
        )
    );
    assert_eq!(d.location.as_ref().unwrap().line, 8);
}

#[test]
fn unknown_limit_names_are_refused() {
    let (_dir, pack) = pack_with("#{ ok: true }", "limits:\n  max_opertions: 10\n");
    let diags = pack.unwrap_err();
    assert_eq!(diags.0[0].help.as_deref(), Some("did you mean `max_operations`?"));
}

#[test]
fn scripts_have_no_eval_modules_or_clock() {
    let (_dir, pack) = pack_with("eval(\"1\")", "");
    assert!(pack.is_err(), "eval must not compile");
    let (_dir, pack) = pack_with("import \"os\" as os; 1", "");
    assert!(pack.is_err(), "import must not compile");
    let (_dir, pack) = pack_with("timestamp()", "");
    match pack.unwrap().eval("run", &json!({})).unwrap_err() {
        EvalError::Script { message, .. } => assert!(message.contains("timestamp"), "{message}"),
        other => panic!("expected a script error, got {other:?}"),
    }
}

/// rhai's standard `sleep` would hold an evaluation thread without spending operations, beyond
/// every limit: a script that calls it fails at once.
#[test]
fn scripts_cannot_sleep() {
    let (_dir, pack) = pack_with("sleep(30); #{ ok: true }", "");
    match pack.unwrap().eval("run", &json!({})).unwrap_err() {
        EvalError::Script { message, .. } => assert!(message.contains("`sleep` is not available"), "{message}"),
        other => panic!("expected a script error, got {other:?}"),
    }
}

#[test]
fn output_nesting_is_bounded() {
    let (_dir, pack) = pack_with("let a = []; for i in 0..100 { a = [a]; } a", "");
    match pack.unwrap().eval("run", &json!({})).unwrap_err() {
        EvalError::Output { message, .. } => assert!(message.contains("deeper than 64"), "{message}"),
        other => panic!("expected an output error, got {other:?}"),
    }
}

#[test]
fn script_errors_carry_their_location() {
    let (_dir, pack) = pack_with("let x = 1;\nx.nope", "");
    match pack.unwrap().eval("run", &json!({})).unwrap_err() {
        EvalError::Script { location: Some(loc), .. } => {
            assert!(loc.file.ends_with("run.rhai"), "{loc}");
            assert_eq!(loc.line, 3);
        }
        other => panic!("expected a located script error, got {other:?}"),
    }
}

#[test]
fn parameters_cannot_be_changed_by_a_script() {
    let yaml = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nparams:\n  files: [p.yaml]\nentries:\n  run:\n    script: run.rhai\n    input:\n      how: integer\n";
    let params = "price: 10.00\nnested: {inner: {value: 1}}\nlist: [a, b]\n";
    let script = r#"
fn run(input, params) {
    let before = `${params.price}/${params.nested.inner.value}/${params.list.len()}`;
    switch input.how {
        0 => {}
        1 => { params.price = 99.00; }
        2 => { params.nested.inner.value = 99; }
        3 => { params.list.push("c"); }
        4 => { params.list += ["d"]; }
        5 => { let p = params; p.price = 99.00; p.nested.inner.value = 99; p.list.push("e"); }
        6 => { let n = params.nested; n.inner.value = 99; let l = params.list; l.push("f"); }
        7 => { params.list.clear(); params.nested.clear(); }
        8 => { let p = params; p.clear(); }
        9 => { params.nested.inner.value += 1; }
    }
    #{ before: before }
}
"#;
    let dir = temp_pack(&[("pack.yaml", yaml), ("p.yaml", params), ("run.rhai", script)]);
    let pack = Pack::load(dir.path()).unwrap();
    for how in 1..=9 {
        // Whether the attempt errors or silently changes a copy, the next call sees the original.
        let _ = pack.eval("run", &json!({"how": how}));
        let out = pack.eval("run", &json!({"how": 0})).unwrap().output;
        assert_eq!(out["before"], "10.00/1/2", "attempt {how} changed the shared parameters");
    }
}

/// The same with a script the engine evaluates directly.
#[test]
fn parameters_cannot_be_changed_by_a_directly_evaluated_script() {
    let yaml = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nparams:\n  files: [p.yaml]\nentries:\n  run:\n    script: run.rhai\n    input:\n      how: integer\n";
    let params = "price: 10.00\nlist: [a, b]\n";
    let script = r#"
fn run(input, params) {
    let before = params.price;
    if input.how == 1 { params.price = 99.00; }
    if input.how == 2 { let p = params; p.price = 98.00; }
    if input.how == 3 { let l = params.list; l.push("c"); }
    #{ before: before, after: params.price, list: params.list }
}
"#;
    let dir = temp_pack(&[("pack.yaml", yaml), ("p.yaml", params), ("run.rhai", script)]);
    let pack = Pack::load(dir.path()).unwrap();
    assert!(pack.runs_directly("run"), "{:?}", pack.why_interpreted("run"));
    for how in 1..=3 {
        let _ = pack.eval("run", &json!({"how": how}));
        let out = pack.eval("run", &json!({"how": 0})).unwrap().output;
        assert_eq!(out, json!({"before": "10.00", "after": "10.00", "list": ["a", "b"]}), "attempt {how}");
    }
}

#[test]
fn dates_and_instants_compare_and_shift_in_scripts() {
    let body = r#"let d = date(2026, 1, 31);
let a = parse_instant("2026-12-24T16:00:00+01:00");
let b = parse_instant("2026-12-24T15:00:00Z");
#{
    months: d.add_months(1), back: d.add_months(-2), years: date(2028, 2, 29).add_years(1),
    date_order: [d < d.add_days(1), d <= d, d > d, d >= d, d == date(2026, 1, 31), d != d],
    instant_order: [a == b, a != b, a < b.add_minutes(1), a <= b, a > b, a >= b],
}"#;
    let (_dir, pack) = pack_with(body, "");
    let out = pack.unwrap().eval("run", &json!({})).unwrap().output;
    assert_eq!(out["months"], "2026-02-28");
    assert_eq!(out["back"], "2025-11-30");
    assert_eq!(out["years"], "2029-02-28");
    assert_eq!(out["date_order"], json!([true, true, false, true, true, false]));
    assert_eq!(out["instant_order"], json!([true, false, true, true, false, true]));
}

#[test]
fn a_parameter_set_in_two_files_is_refused_where_it_is_repeated() {
    let yaml = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [en]\nparams:\n  files: [a.yaml, b.yaml]\nentries:\n  run:\n    script: run.rhai\n    input: {}\n";
    let dir = temp_pack(&[
        ("pack.yaml", yaml),
        ("a.yaml", "price: 10.00\nvat: 21\n"),
        ("b.yaml", "other: 1\nprice: 12.00\n"),
    ]);
    let diags = Pack::load(dir.path()).unwrap_err();
    let d = &diags.0[0];
    assert_eq!(d.code, "params.duplicate");
    assert!(d.message.starts_with("parameter `price` is also set in `") && d.message.ends_with("a.yaml`"), "{d}");
    let loc = d.location.as_ref().unwrap();
    assert!(loc.file.ends_with("b.yaml"), "{loc}");
    assert_eq!(loc.line, 2);
}

/// Small scripts at the edges of rhai's semantics, each evaluated directly and in rhai's
/// interpreter on the same inputs: the results (or errors) must be the same text. Where the
/// direct walk gives up (an overflow, a missing key, a negative index …) rhai answers, so this
/// also shows that giving up loses nothing.
/// The date helpers and the date type's operators and properties, both ways, at month ends, on
/// 29 February and with the date left out.
#[test]
fn dates_agree_both_ways() {
    let yaml = "name: scratch\nversion: 0.0.1\neffective_from: 2026-01-01\ncurrency: EUR\ntimezone: Europe/Brussels\nlanguages: [fr, nl, en]\nentries:\n  run:\n    script: run.rhai\n    input:\n      d: date?\n";
    let bodies = [
        "#{ eq: input.d == (), ne: input.d != (), rev: () == input.d }",
        "let d = input.d; #{ y: d.year, m: d.month, day: d.day, wd: d.weekday, s: d.to_string() }",
        "let d = input.d; #{ months: add_months(d, 1), back: add_months(d, -13), years: add_years(d, 1), days: add_days(d, -1), first: first_of_month(d) }",
        "let d = input.d; #{ diff: d - add_days(d, -40), lt: d < add_days(d, 1), ge: d >= d, eq: d == add_days(d, 0) }",
        "let d = input.d; add_working_days(d, 3)",
        "let d = input.d; add_years(d, 500)",
    ];
    for body in bodies {
        let script = format!("fn run(input, params) {{ {body} }}\n");
        let dir = temp_pack(&[("pack.yaml", yaml), ("run.rhai", &script)]);
        let pack = Pack::load(dir.path()).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert!(pack.runs_directly("run"), "{body}: {:?}", pack.why_interpreted("run"));
        for input in [json!({}), json!({"d": "2024-02-29"}), json!({"d": "2026-01-31"}), json!({"d": "2026-12-24"})] {
            let show = |r: Result<missions_engine::Evaluation, EvalError>| match r {
                Ok(ev) => ev.output.to_string(),
                Err(e) => format!("error: {e}"),
            };
            let direct = show(pack.eval("run", &input));
            let rhai = show(pack.eval_interpreted("run", &input, Default::default()));
            assert_eq!(direct, rhai, "{body} on {input}");
        }
    }
}

#[test]
fn direct_and_interpreted_evaluation_agree_at_the_edges() {
    let bodies = [
        "#{ q: 7 / 2, r: 7 % 3, neg: -(3 - 5), dec: 2.50 * 3, mixed: 1 + 0.5, cmp: [3 < 3.5, 2.0 == 2, 1 <= 1] }",
        "let big = 9223372036854775807; big + input.n",
        "10 / input.n",
        "let x = 1.5; x / input.n",
        "#{ unit: input.n == (), not_unit: input.n != (), both: () == (), text: \"a\" == 1, order: input.n < () }",
        "let s = \"ab\" + \"c\"; #{ s: s, lt: s < \"b\", eq: s == \"abc\", unit: () + s }",
        "let kind = if input.n == () { \"none\" } else if input.n > 2 { \"big\" } else { \"small\" }; kind",
        "let i = 0; let odd = []; while true { i += 1; if i > 9 { break; } if i % 2 == 0 { continue; } odd.push(i); } odd",
        "for x in [1, 2, 3, 4] { if x == input.n { return x * 10; } } -1",
        "let m = #{ a: 1 }; m[\"b\"]",
        "let list = [1, 2, 3]; list[-1]",
        "let codes = [\"a\", \"b\"]; let m = #{ k: 1 }; #{ in_list: \"b\" in codes, not_in: !(\"z\" in codes), key: \"k\" in m, method: codes.contains(\"a\") }",
        "let d = 123456789012345678901234567.0; d.to_int()",
        "#{ up: (7.2).ceiling().to_int(), down: (7.8).floor(), text: input.n.to_string() }",
        "let a = [1]; let b = take(a); #{ a: a, b: b }",
        "let m = #{ a: 1 }; m.a = 2; m",
        "let m = #{ a: 1 }; m.b = 2; m",
        "let n = input.n; n += 0.5; n -= 2; n *= 3; n",
        "!input.n",
        "throw \"stop\"",
    ];
    for body in bodies {
        let (_dir, pack) = pack_with(body, "");
        let pack = pack.unwrap_or_else(|e| panic!("{body}: {e}"));
        assert!(pack.runs_directly("run"), "{body}: {:?}", pack.why_interpreted("run"));
        for input in [json!({}), json!({"n": 0}), json!({"n": 1}), json!({"n": 5})] {
            let show = |r: Result<missions_engine::Evaluation, EvalError>| match r {
                Ok(ev) => ev.output.to_string(),
                Err(e) => format!("error: {e}"),
            };
            let direct = show(pack.eval("run", &input));
            let interpreted = show(pack.eval_interpreted("run", &input, Default::default()));
            assert_eq!(direct, interpreted, "{body} on {input}");
        }
    }
}

/// Where the direct walk would read operands out of rhai's order and one of them changes a
/// variable, the entry stays in rhai.
#[test]
fn an_operand_with_effects_keeps_the_entry_interpreted() {
    let (_dir, pack) = pack_with("let l = [\"a\"]; \"a\" in take(l)", "");
    let pack = pack.unwrap();
    let why = pack.why_interpreted("run").unwrap_or_default();
    assert!(why.contains("changes a variable"), "{why}");
    assert_eq!(pack.eval("run", &json!({})).unwrap().output, json!(true));
}
