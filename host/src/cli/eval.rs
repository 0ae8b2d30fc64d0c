//! `missions eval --pack DIR ENTRY --input JSON`: run any entry of a pack.

use std::path::PathBuf;

use missions_engine::{EvalOptions, Evaluation, InvoiceAdjuster, Pack, clip};

use super::io::EXIT_OK;
use super::io::{Failure, Streams, exit_code, load_pack, print_json, read_input, report_eval_error};

/// Options shared by every evaluating command.
#[derive(Debug, clap::Args)]
pub(crate) struct EvalArgs {
    /// The rule pack folder (the one holding `pack.yaml`)
    #[arg(long, value_name = "DIR")]
    pub pack: PathBuf,
    /// The input: inline JSON, `@file`, or `-` for stdin
    #[arg(long, value_name = "JSON")]
    pub input: String,
    /// Print exactly one JSON document (the result, or `{"error": …}`)
    #[arg(long)]
    pub json: bool,
    /// Include the rules that fired
    #[arg(long)]
    pub trace: bool,
    /// Language of labels in human-readable output: one of the pack's `languages` (`fr`, `nl`,
    /// `en`, and any other the pack's labels are written in)
    #[arg(long, default_value = "en")]
    pub lang: String,
    #[command(flatten)]
    pub plugins: super::plugin::args::PluginArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The entry to evaluate (`sla`, `quote`, …)
    entry: String,
    #[command(flatten)]
    common: EvalArgs,
}

/// Load the pack, read the input and evaluate `entry`; errors are already printed on `Err`.
pub(crate) fn evaluate(entry: &str, a: &EvalArgs, s: &mut Streams<'_>) -> Result<(Pack, Evaluation), Failure> {
    let pack = load_pack(&a.pack, s, a.json)?;
    if !a.json && !pack.languages().contains(&a.lang) {
        let name = &pack.id().name;
        return Err(Failure::Usage(format!(
            "`--lang {}`: pack `{name}` writes its labels in {}",
            clip(&a.lang),
            pack.languages().join(", ")
        )));
    }
    if let Some(lang) = missions_engine::Lang::from_code(&a.lang) {
        s.lang = lang;
    }
    let input = read_input(&a.input, s, a.json)?;
    let plugins = super::plugin::args::plugins(&a.plugins, s, a.json)?;
    let adjusters: Vec<&dyn InvoiceAdjuster> = plugins.iter().map(|p| p as &dyn InvoiceAdjuster).collect();
    match pack.eval_adjusted(entry, &input, EvalOptions { trace: a.trace }, &adjusters) {
        Ok(ev) => Ok((pack, ev)),
        Err(e) => {
            report_eval_error(s, a.json, &e);
            Err(Failure::Reported)
        }
    }
}

/// The JSON document `--json` prints: the output, plus the pack version and trace.
pub(crate) fn json_result(pack: &Pack, ev: &Evaluation) -> serde_json::Value {
    let mut out = ev.output.value().clone();
    if let serde_json::Value::Object(o) = &mut out {
        let id = pack.id();
        o.insert("pack".into(), serde_json::json!({"name": id.name, "version": id.version, "digest": id.digest}));
        if let Some(t) = &ev.trace {
            o.insert("trace".into(), serde_json::Value::Array(t.clone()));
        }
    }
    out
}

/// Human-readable rendering of any output: one `key: value` per line, nested by indentation; a
/// label (an object whose keys are all among the pack's `languages`) shows only `lang`'s text.
pub(crate) fn print_human(s: &mut Streams<'_>, v: &serde_json::Value, lang: &str, languages: &[String]) {
    let _ = writeln!(s.stdout, "{}", human(v, lang, languages, 0).trim_end());
}

fn human(v: &serde_json::Value, lang: &str, languages: &[String], indent: usize) -> String {
    use serde_json::Value as J;
    let pad = "  ".repeat(indent);
    match v {
        J::Object(o) => {
            if is_label(v, languages) {
                // The text in `lang`, else in English (a plugin's texts have fr, nl and en only).
                let text = o.get(lang).or_else(|| o.get("en")).or_else(|| o.values().next());
                return format!("{}\n", text.and_then(J::as_str).unwrap_or(""));
            }
            let width = o.keys().map(String::len).max().unwrap_or(0);
            o.iter()
                .map(|(k, v)| match v {
                    J::Object(_) | J::Array(_) if !is_label(v, languages) => {
                        format!("{pad}{k}:\n{}", human(v, lang, languages, indent + 1))
                    }
                    _ => format!("{pad}{k:width$}  {}", human(v, lang, languages, 0)),
                })
                .collect()
        }
        J::Array(a) if a.is_empty() => "(none)\n".into(),
        J::Array(a) => {
            a.iter().map(|v| format!("{pad}- {}", human(v, lang, languages, indent + 1).trim_start())).collect()
        }
        J::String(t) => format!("{t}\n"),
        J::Null => "—\n".into(),
        other => format!("{other}\n"),
    }
}

/// Whether `v` is a label: texts keyed by languages of the pack.
fn is_label(v: &serde_json::Value, languages: &[String]) -> bool {
    v.as_object().is_some_and(|o| !o.is_empty() && o.iter().all(|(k, t)| t.is_string() && languages.contains(k)))
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    match evaluate(&a.entry, &a.common, s) {
        Ok((pack, ev)) => {
            if a.common.json {
                print_json(s, &json_result(&pack, &ev));
            } else {
                print_human(s, &json_result(&pack, &ev), &a.common.lang, pack.languages());
            }
            EXIT_OK
        }
        Err(f) => exit_code(f, s),
    }
}
