//! `missions schema model|pack|cases|params PACK_DIR [--out FILE]`: the JSON Schemas of the files
//! people edit, for editor completion and checking as they type (`# yaml-language-server:
//! $schema=…` at the top of a file). `params` is generated from the pack's own parameter schema,
//! with its `doc:` texts.

use std::path::PathBuf;

use missions_engine::{CASE_FILE_SCHEMA, PACK_FILE_SCHEMA, model_schema};

use super::io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE, Streams, load_pack};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum What {
    /// Mission models
    Model,
    /// A rule pack's `pack.yaml`
    Pack,
    /// Golden case files (`tests/*.yaml`)
    Cases,
    /// The parameter files of the pack in PACK_DIR
    Params,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Which format
    #[arg(value_enum)]
    what: What,
    /// The pack folder (for `params`)
    #[arg(value_name = "PACK_DIR")]
    pack: Option<PathBuf>,
    /// Write the schema to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    if (a.what == What::Params) != a.pack.is_some() {
        let _ = writeln!(
            s.stderr,
            "error: `missions schema params` takes the pack folder (`missions schema params rules/esomus`); the other formats take none"
        );
        return EXIT_USAGE;
    }
    let text = match (a.what, &a.pack) {
        (What::Model, _) => serde_json::to_string_pretty(&model_schema()).map_err(|e| e.to_string()),
        (What::Pack, _) => Ok(PACK_FILE_SCHEMA.trim_end().to_owned()),
        (What::Cases, _) => Ok(CASE_FILE_SCHEMA.trim_end().to_owned()),
        (What::Params, Some(dir)) => {
            let Ok(pack) = load_pack(dir, s, false) else { return EXIT_ERROR };
            match pack.params_schema() {
                Some(schema) => serde_json::to_string_pretty(&schema).map_err(|e| e.to_string()),
                None => {
                    let _ = writeln!(
                        s.stderr,
                        "error: pack `{}` has no parameters (`params:` in `pack.yaml`)",
                        pack.id().name
                    );
                    return EXIT_ERROR;
                }
            }
        }
        (What::Params, None) => return EXIT_USAGE,
    };
    let text = match text {
        Ok(t) => t + "\n",
        Err(e) => {
            let _ = writeln!(s.stderr, "error: cannot write the schema: {e}");
            return EXIT_ERROR;
        }
    };
    match a.out {
        None => {
            let _ = s.stdout.write_all(text.as_bytes());
            EXIT_OK
        }
        Some(path) => match std::fs::write(&path, text) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(s.stderr, "error: cannot write `{}`: {e}", path.display());
                EXIT_ERROR
            }
        },
    }
}
