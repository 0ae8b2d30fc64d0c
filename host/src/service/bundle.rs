//! A pack as a bundle of files: read from a folder within the limits, each uploaded path
//! checked, and the whole identified by one digest. The registry stores and activates bundles.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use missions_engine::Diagnostic;
use missions_engine::crates::base::yaml::{self, SourceText, YamlLimits};
use sha2::{Digest, Sha256};

/// Most files a pack may hold.
pub const MAX_PACK_FILES: usize = 256;
/// Largest file of a pack.
pub const MAX_PACK_FILE_BYTES: usize = 1024 * 1024;
/// Largest pack, all files together.
pub const MAX_PACK_BYTES: usize = 8 * 1024 * 1024;

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 over every file (path and text), in path order.
pub fn bundle_digest(files: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    for (path, text) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Check a path of an uploaded pack file: relative, inside the pack, no hidden parts, a known
/// kind of file. The error says what is wrong with it.
pub fn check_pack_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.len() > 200 {
        return Err("must be 1 to 200 characters long".into());
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err("must be a relative path with `/` separators (no absolute path, no drive, no `\\`)".into());
    }
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 3 {
        return Err("may be at most 3 levels deep (`tests/case.yaml`)".into());
    }
    for p in &parts {
        if p.is_empty() || *p == "." || *p == ".." {
            return Err("may not contain empty, `.` or `..` parts".into());
        }
        if p.starts_with('.') {
            return Err(format!("may not contain hidden parts like `{p}`"));
        }
        if !p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            return Err(format!("`{p}` may hold only letters, digits, `-`, `_` and `.`"));
        }
    }
    let ext = path.rsplit('.').next().unwrap_or("");
    if !["yaml", "yml", "rhai", "md", "txt", "json"].contains(&ext) || !path.contains('.') {
        return Err("must end in `.yaml`, `.yml`, `.rhai`, `.md`, `.txt` or `.json`".into());
    }
    Ok(())
}

/// Read every file of a pack folder (hidden files and editor backups skipped), within the limits.
pub fn read_bundle(dir: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut files = BTreeMap::new();
    let mut total = 0usize;
    read_into(dir, dir, 0, &mut files, &mut total)?;
    Ok(files)
}

fn read_into(
    root: &Path,
    dir: &Path,
    depth: usize,
    files: &mut BTreeMap<String, String>,
    total: &mut usize,
) -> Result<(), Diagnostic> {
    let unreadable = |p: &Path, e: std::io::Error| {
        Diagnostic::error("file.unreadable", format!("cannot read `{}`: {e}", p.display()))
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))?.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
            continue;
        }
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| unreadable(&path, e))?;
        if ft.is_dir() {
            if depth < 2 {
                read_into(root, &path, depth + 1, files, total)?;
            }
            continue;
        }
        if !ft.is_file() {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let len = usize::try_from(entry.metadata().map_err(|e| unreadable(&path, e))?.len()).unwrap_or(usize::MAX);
        if len > MAX_PACK_FILE_BYTES {
            return Err(Diagnostic::error(
                "file.too-large",
                format!("`{}` is {len} bytes; a pack file may have {MAX_PACK_FILE_BYTES}", path.display()),
            ));
        }
        *total = total.saturating_add(len);
        if *total > MAX_PACK_BYTES || files.len() >= MAX_PACK_FILES {
            return Err(Diagnostic::error(
                "pack.too-large",
                format!("`{}` holds more than {MAX_PACK_FILES} files or {MAX_PACK_BYTES} bytes", root.display()),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
        let Ok(text) = String::from_utf8(bytes) else {
            // Binary files (images for docs …) play no part in a pack; keep them out of its digest.
            continue;
        };
        files.insert(rel, text);
    }
    Ok(())
}

/// The pack folders directly under `rules_dir`, by name.
pub fn pack_dirs(rules_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(rules_dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("pack.yaml").is_file()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// The pack name and `effective_from` a folder's `pack.yaml` declares, read without loading the
/// pack; `None` when it cannot be read.
pub fn declared_version(dir: &Path) -> Option<(String, NaiveDate)> {
    #[derive(serde::Deserialize)]
    struct Header {
        name: String,
        effective_from: String,
    }
    let src = SourceText::read(&dir.join("pack.yaml"), MAX_PACK_FILE_BYTES).ok()?;
    yaml::check(&src, YamlLimits::default()).ok()?;
    let h: Header = yaml::decode(&src.text).ok()?;
    Some((h.name, NaiveDate::parse_from_str(&h.effective_from, "%Y-%m-%d").ok()?))
}

/// The pack folders in `parent` that declare `version` (pack name and `effective_from`), but
/// `except`: two folders may hold two versions of a pack, but not the same one twice.
pub fn folders_holding(parent: &Path, version: &(String, NaiveDate), except: Option<&Path>) -> Vec<PathBuf> {
    let canonical = |d: &Path| d.canonicalize().unwrap_or_else(|_| d.to_path_buf());
    let except = except.map(canonical);
    pack_dirs(parent)
        .into_iter()
        .filter(|d| except.as_ref() != Some(&canonical(d)))
        .filter(|d| declared_version(d).as_ref() == Some(version))
        .collect()
}

/// The pack folder under `rules_dir` that a changed `path` belongs to.
pub fn pack_dir_of(rules_dir: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(rules_dir).ok()?;
    match rel.components().next()? {
        Component::Normal(first) => {
            let dir = rules_dir.join(first);
            dir.join("pack.yaml").is_file().then_some(dir)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_paths() {
        for ok in ["pack.yaml", "tests/quote.yaml", "quote.rhai", "docs/notes.md"] {
            assert_eq!(check_pack_path(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.yaml",
            "a/../b.yaml",
            "tests/./x.yaml",
            ".hidden.yaml",
            "c:x.yaml",
            "a\\b.yaml",
            "x.exe",
            "a/b/c/d.yaml",
            "noext",
            "sp ace.yaml",
        ] {
            assert!(check_pack_path(bad).is_err(), "{bad}");
        }
    }
}
