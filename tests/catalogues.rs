//! The message catalogues (`locales/<language>/<domain>.ftl`) against the code that uses them:
//! every message the code names exists in French, Dutch and English, each language puts in its
//! places only values the code gives, and no message is left that nothing names.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `said!("id", a, b)` of the sources: the id and the values it gives.
fn said_in_code() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    for dir in ["crates", "host", "engine", "plugin-host"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (start, _) in text.match_indices("said!(\"") {
            let rest = &text[start + 7..];
            let Some(end) = rest.find(')') else { continue };
            let call = &rest[..end];
            let mut parts = call.split(',').map(str::trim).filter(|p| !p.is_empty());
            let Some(id) = parts.next().map(|p| p.trim_matches('"')) else { continue };
            let args = out.entry(id.to_owned()).or_default();
            args.extend(parts.map(str::to_owned));
        }
    }
    out
}

fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let ast::PatternElement::Placeable { expression } = e {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    let inline = |i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>| match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    };
    match e {
        ast::Expression::Inline(i) => inline(i, out),
        ast::Expression::Select { selector, variants } => {
            inline(selector, out);
            variants.iter().for_each(|v| variables(&v.value, out));
        }
    }
}

/// Each language's messages and the values they put in their places.
fn catalogues() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for lang in fs::read_dir(root().join("locales")).unwrap().flatten() {
        let code = lang.file_name().to_string_lossy().into_owned();
        for file in fs::read_dir(lang.path()).unwrap().flatten() {
            let text = fs::read_to_string(file.path()).unwrap();
            let resource = fluent_syntax::parser::parse(text.as_str())
                .unwrap_or_else(|(_, e)| panic!("{}: {e:?}", file.path().display()));
            for entry in &resource.body {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        variables(p, &mut vars);
                    }
                    out.entry(code.clone()).or_default().insert(m.id.name.to_owned(), vars);
                }
            }
        }
    }
    out
}

#[test]
fn every_message_the_code_names_is_written_in_each_language_with_the_values_it_is_given() {
    let code = said_in_code();
    let catalogues = catalogues();
    assert!(code.len() > 150, "the sources name {} messages", code.len());
    for (id, given) in &code {
        for lang in ["fr", "nl", "en"] {
            let Some(vars) = catalogues[lang].get(id) else { panic!("`{id}` is not in locales/{lang}/") };
            assert!(vars.is_subset(given), "locales/{lang}: `{id}` uses {vars:?}; the code gives {given:?}");
        }
        for (lang, messages) in &catalogues {
            if let Some(vars) = messages.get(id) {
                assert!(vars.is_subset(given), "locales/{lang}: `{id}` uses {vars:?}; the code gives {given:?}");
            }
        }
    }
}

#[test]
fn no_message_is_left_that_nothing_names() {
    let code = said_in_code();
    let sources: String = {
        let mut files = Vec::new();
        for dir in ["crates", "host", "engine", "plugin-host"] {
            rust_files(&root().join(dir), &mut files);
        }
        files.iter().map(|f| fs::read_to_string(f).unwrap()).collect()
    };
    // The pages name theirs by key (`data-t="net_total"`, `t("net_total")`, a list of keys a
    // table's headings take, `TEXTS.language_name`): message `ui-net-total`.
    let mut pages = String::new();
    for page in fs::read_dir(root().join("host/ui")).unwrap().flatten() {
        pages.push_str(&fs::read_to_string(page.path()).unwrap());
    }
    let on_a_page = |id: &str| {
        id.strip_prefix("ui-")
            .map(|k| k.replace('-', "_"))
            .is_some_and(|k| pages.contains(&format!("\"{k}\"")) || pages.contains(&format!(".{k}")))
    };
    // Ids a function builds from a code (a holiday's name, a problem's kind) are named by their
    // prefix.
    let built = ["calendar-holiday-", "host-problem-"];
    for id in catalogues()["en"].keys() {
        let named = code.contains_key(id)
            || on_a_page(id)
            || sources.contains(&format!("\"{id}\""))
            || built.iter().any(|p| id.starts_with(p) && sources.contains(p));
        assert!(named, "`{id}` is in the catalogues but no code names it");
    }
}
