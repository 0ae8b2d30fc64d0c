//! Embeds every message catalogue of `locales/<language>/<domain>.ftl` (at the workspace's root)
//! in the library, so a language is added by adding its folder of catalogue files: no Rust change.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Ok(langs) = fs::read_dir(&root) {
        for lang in langs.flatten() {
            println!("cargo:rerun-if-changed={}", lang.path().display());
            let Ok(entries) = fs::read_dir(lang.path()) else { continue };
            for file in entries.flatten() {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "ftl") {
                    println!("cargo:rerun-if-changed={}", path.display());
                    let code = lang.file_name().to_string_lossy().into_owned();
                    let domain = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    files.push((code, domain, path));
                }
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Every catalogue file: (language, domain, text).\npub(crate) static FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (code, domain, path) in &files {
        let path = path.canonicalize().unwrap_or_else(|_| path.clone());
        let _ = writeln!(out, "    ({code:?}, {domain:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("catalogues.rs");
    if let Err(e) = fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}
