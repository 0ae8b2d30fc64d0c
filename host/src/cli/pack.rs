//! `missions pack new-version PACK_DIR --effective DATE --out DIR [--version V]`: start next
//! year's price list beside this year's. The folder is copied file for file; in the copy's
//! `pack.yaml` only the values of `version` and `effective_from` change (comments and layout
//! stay). Served from the same `--rules` folder, the two are two versions of one pack: a request
//! dated before DATE gets the old one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use missions_engine::Pack;
use missions_engine::crates::base::yaml::{SourceText, YamlLimits, scalar_spans, splice};

use super::io::{EXIT_ERROR, EXIT_OK, Streams, render_diagnostic};
use crate::service::{folders_holding, read_bundle};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Copy a pack as its next version, in force from a later date
    NewVersion(NewVersion),
}

#[derive(Debug, clap::Args)]
struct NewVersion {
    /// The pack folder to copy
    #[arg(value_name = "PACK_DIR")]
    pack: PathBuf,
    /// The day the new version comes into force (`2027-01-01`)
    #[arg(long, value_name = "DATE")]
    effective: NaiveDate,
    /// The folder to create; it must not exist
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The new version number; default: the next one (`2026.1.0` → `2027.1.0` for a 2027 date,
    /// `1.4.2` → `1.5.0`)
    #[arg(long, value_name = "VERSION")]
    version: Option<String>,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let Command::NewVersion(a) = a.command;
    match new_version(&a) {
        Ok(msg) => {
            let _ = writeln!(s.stdout, "{msg}");
            EXIT_OK
        }
        Err(msg) => {
            let _ = writeln!(s.stderr, "{msg}");
            EXIT_ERROR
        }
    }
}

fn new_version(a: &NewVersion) -> Result<String, String> {
    if a.out.exists() {
        return Err(format!(
            "error: `{}` already exists; nothing was changed\n  help: choose another `--out` folder, or remove that one first",
            a.out.display()
        ));
    }
    let base = Pack::load(&a.pack).map_err(|d| {
        let shown: Vec<String> = d.0.iter().map(|d| render_diagnostic(d, missions_engine::Lang::En)).collect();
        format!(
            "{}\nerror: `{}` does not load, so it cannot be copied as a new version",
            shown.join("\n"),
            a.pack.display()
        )
    })?;
    let id = base.id();
    if a.effective <= id.effective_from {
        return Err(format!(
            "error: the new version must come into force after the one it follows: `{}` is in force from {}\n  help: use `--effective` later than {}",
            a.pack.display(),
            id.effective_from,
            id.effective_from
        ));
    }
    // `--out esomus-2027` has an empty parent: the folder it lands in is the current one.
    let parent = a.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Some(d) = folders_holding(parent, &(id.name.clone(), a.effective), None).first() {
        return Err(format!(
            "error: `{}` already holds pack `{}` in force from {}; nothing was changed",
            d.display(),
            id.name,
            a.effective
        ));
    }
    let version = match &a.version {
        Some(v) => v.clone(),
        None => next_version(&id.version, a.effective).ok_or_else(|| {
            format!("error: cannot tell the version after `{}`\n  help: give it with `--version`", id.version)
        })?,
    };
    let mut files = read_bundle(&a.pack).map_err(|d| render_diagnostic(&d, missions_engine::Lang::En))?;
    let manifest =
        files.get("pack.yaml").cloned().ok_or_else(|| format!("error: `{}` has no `pack.yaml`", a.pack.display()))?;
    let edited = set_values(&manifest, &[("version", &version), ("effective_from", &a.effective.to_string())])?;
    files.insert("pack.yaml".into(), edited);
    write_folder(&a.out, &files)
        .map_err(|e| format!("error: cannot write `{}`: {e}; nothing was kept", a.out.display()))?;
    if let Err(d) = Pack::load(&a.out) {
        let _ = std::fs::remove_dir_all(&a.out);
        let shown: Vec<String> = d.0.iter().map(|d| render_diagnostic(d, missions_engine::Lang::En)).collect();
        return Err(format!("{}\nerror: the copy does not load; nothing was kept", shown.join("\n")));
    }
    Ok(format!(
        "created `{out}`: pack `{name}` version {version}, in force from {eff} (copied from version {old}, in force from {old_eff})\n\
         next: edit its parameters, then compare it with the version in force:\n  missions diff {base} {out}",
        out = a.out.display(),
        name = id.name,
        eff = a.effective,
        old = id.version,
        old_eff = id.effective_from,
        base = a.pack.display(),
    ))
}

/// The version after `v` for a version in force from `effective`: a calendar version
/// (`2026.1.0`) moves to the new year (`2027.1.0`), or to its next minor within the same year; a
/// semantic version (`1.4.2`) to its next minor (`1.5.0`).
fn next_version(v: &str, effective: NaiveDate) -> Option<String> {
    let parts: Vec<u64> = v.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (&first, rest) = parts.split_first()?;
    let year = u64::try_from(chrono::Datelike::year(&effective)).ok()?;
    let calendar = (2000..=9999).contains(&first);
    let mut next = if calendar && year > first {
        vec![year, 1]
    } else {
        vec![first, rest.first().copied().unwrap_or(0).checked_add(1)?]
    };
    next.resize(parts.len().max(2), 0);
    Some(next.iter().map(u64::to_string).collect::<Vec<_>>().join("."))
}

/// `text` with the values of top-level `keys` replaced, everything else as it was written.
fn set_values(text: &str, keys: &[(&str, &str)]) -> Result<String, String> {
    let src = SourceText::new("pack.yaml", text);
    let spans =
        scalar_spans(&src, YamlLimits::default()).map_err(|d| render_diagnostic(&d, missions_engine::Lang::En))?;
    let mut edits = Vec::new();
    for (key, value) in keys {
        let span = spans.get(*key).ok_or_else(|| format!("error: `pack.yaml` has no one-line `{key}:` to change"))?;
        edits.push((*span, *value));
    }
    Ok(splice(text, edits))
}

fn write_folder(dir: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    let result = files.iter().try_for_each(|(rel, text)| {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn versions_follow_the_calendar_or_their_minor() {
        assert_eq!(next_version("2026.1.0", d("2027-01-01")).as_deref(), Some("2027.1.0"));
        assert_eq!(next_version("2026.1.0", d("2026-07-01")).as_deref(), Some("2026.2.0"));
        assert_eq!(next_version("1.4.2", d("2027-01-01")).as_deref(), Some("1.5.0"));
        assert_eq!(next_version("3", d("2027-01-01")).as_deref(), Some("3.1"));
        assert_eq!(next_version("v1-beta", d("2027-01-01")), None);
    }

    #[test]
    fn only_the_named_values_change() {
        let text = "# header\nname: esomus\nversion: 2026.1.0   # bumped each year\neffective_from: 2026-01-01\n";
        let out = set_values(text, &[("version", "2027.1.0"), ("effective_from", "2027-01-01")]).unwrap();
        assert_eq!(out, "# header\nname: esomus\nversion: 2027.1.0   # bumped each year\neffective_from: 2027-01-01\n");
    }
}
