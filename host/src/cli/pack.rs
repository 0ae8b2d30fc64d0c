//! `missions pack new-version PACK_DIR --effective DATE --out DIR [--version V]`: start next
//! year's price list beside this year's. The folder is copied file for file; in the copy's
//! `pack.yaml` only the values of `version` and `effective_from` change (comments and layout
//! stay). Served from the same `--rules` folder, the two are two versions of one pack: a request
//! dated before DATE gets the old one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use missions_engine::Pack;

use super::io::{EXIT_ERROR, EXIT_OK, Streams, render_diagnostic};
use crate::service::params::{next_version, set_top_values};
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
    let edited = set_top_values(&manifest, &[("version", &version), ("effective_from", &a.effective.to_string())])
        .map_err(|e| format!("error: {e}"))?;
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
