//! `missions schema model`: the JSON Schema of mission models, for editor completion
//! (`# yaml-language-server: $schema=model.schema.json` at the top of a model).

use std::path::PathBuf;

use missions_engine::model_schema;

use super::io::{EXIT_ERROR, EXIT_OK};
use super::io::{Streams, print_json};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Which format
    #[arg(value_parser = ["model"])]
    what: String,
    /// Write the schema to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    // `what` can only be `model` (clap checks it); more formats would branch here.
    let _ = a.what;
    let schema = model_schema();
    match a.out {
        None => {
            print_json(s, &schema);
            EXIT_OK
        }
        Some(path) => {
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
            match std::fs::write(&path, text) {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    let _ = writeln!(s.stderr, "error: cannot write `{}`: {e}", path.display());
                    EXIT_ERROR
                }
            }
        }
    }
}
