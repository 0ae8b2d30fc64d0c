//! `missions validate PATH...`: check rule packs and mission models and report every problem with
//! its place. With `--plugin` (or `--tenant`), each model that loads also goes through the
//! plugins' `lint-model` hook, whose diagnostics are reported with the others.

use std::path::PathBuf;

use missions_engine::Lang;
use missions_engine::{Diagnostics, Model, Pack, load_model};
use missions_plugins::TenantPlugin;

use super::io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE};
use super::io::{Streams, exit_code, render, render_diagnostic};
use super::plugin::args::{PluginArgs, plugins};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Rule pack folders (holding `pack.yaml`) or mission model files
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print one JSON document with every path's diagnostics
    #[arg(long)]
    json: bool,
    /// Plugins whose `lint-model` hook checks each model too
    #[command(flatten)]
    plugins: PluginArgs,
    /// Language of the diagnostics: fr, nl, en, or another of the catalogues (`locales/`)
    #[arg(long, default_value = "en", value_parser = super::migrate::parse_lang)]
    lang: Lang,
}

/// What one path came to: a summary when it loaded, and every diagnostic (as JSON, already
/// printed on stderr).
struct Checked {
    summary: Option<String>,
    /// A pack's entries and how each runs (`direct`, `why_interpreted`).
    entries: Vec<serde_json::Value>,
    diagnostics: Vec<serde_json::Value>,
    errors: usize,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    s.lang = a.lang;
    let plugins = match plugins(&a.plugins, s, a.json) {
        Ok(p) => p,
        Err(f) => return exit_code(f, s),
    };
    let mut failed = false;
    let mut results = Vec::new();
    for path in &a.paths {
        let checked = if path.is_dir() || !path.exists() {
            match Pack::load(path) {
                Ok(p) => {
                    let id = p.id();
                    let summary = format!(
                        "{} {} (from {}, {} entries)",
                        id.name,
                        id.version,
                        id.effective_from,
                        p.entries().count()
                    );
                    // How each entry will run: directly, or in rhai's interpreter and why.
                    let entries = p
                        .entries()
                        .map(|e| serde_json::json!({"entry": e, "direct": p.runs_directly(e), "why_interpreted": p.why_interpreted(e)}))
                        .collect();
                    Checked { summary: Some(summary), entries, diagnostics: Vec::new(), errors: 0 }
                }
                Err(d) => engine_diagnostics(s, &d),
            }
        } else if super::plan::is_model_file(path) {
            match load_model(path) {
                Ok(model) => lint(s, &model, &plugins),
                Err(d) => engine_diagnostics(s, &d),
            }
        } else {
            let _ = writeln!(s.stderr, "error: `{}` is neither a rule pack folder nor a mission model", path.display());
            return EXIT_USAGE;
        };
        failed |= checked.errors > 0;
        if !a.json {
            let line = match (checked.errors, checked.diagnostics.len()) {
                (0, 0) => format!("ok: {}: {}", path.display(), checked.summary.as_deref().unwrap_or_default()),
                (0, n) => format!("ok: {}: {n} warning(s)", path.display()),
                (e, _) => format!("failed: {}: {e} error(s)", path.display()),
            };
            let _ = writeln!(s.stdout, "{line}");
            for e in &checked.entries {
                let name = e["entry"].as_str().unwrap_or_default();
                let _ = match e["why_interpreted"].as_str() {
                    None => writeln!(s.stdout, "  {name}: evaluated directly"),
                    Some(why) => writeln!(s.stdout, "  {name}: interpreted by rhai ({why})"),
                };
            }
        }
        let mut result =
            serde_json::json!({"path": path, "ok": checked.errors == 0, "diagnostics": checked.diagnostics});
        if let Some(summary) = checked.summary {
            result["summary"] = summary.into();
        }
        if !checked.entries.is_empty() {
            result["entries"] = checked.entries.into();
        }
        results.push(result);
    }
    if a.json {
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "results": results }));
    }
    if failed { EXIT_ERROR } else { EXIT_OK }
}

/// Print the engine's diagnostics of a path.
fn engine_diagnostics(s: &mut Streams<'_>, d: &Diagnostics) -> Checked {
    for diag in &d.0 {
        let _ = writeln!(s.stderr, "{}", render_diagnostic(diag, s.lang));
    }
    let diagnostics = d.0.iter().map(|diag| serde_json::to_value(diag.localized(s.lang)).unwrap_or_default()).collect();
    Checked { summary: None, entries: Vec::new(), diagnostics, errors: d.errors().count() }
}

/// A loaded model's warnings, then what each plugin with the `lint-model` hook finds in it. A
/// plugin that fails (crashes, runs out of time, answers what the host refuses) is an error of
/// the model's check, reported like the others.
fn lint(s: &mut Streams<'_>, model: &Model, plugins: &[TenantPlugin]) -> Checked {
    let mut checked = engine_diagnostics(s, model.warnings());
    checked.summary = Some(super::plan::summary(model));
    for f in crate::service::hooks::lint(plugins, model, s.lang) {
        let _ = writeln!(s.stderr, "{}", render(&f.severity, &f.code, &f.message, None, f.help.as_deref()));
        checked.errors += usize::from(f.is_error());
        checked.diagnostics.push(serde_json::json!({"severity": f.severity, "code": f.code, "message": f.message,
            "plugin": f.plugin, "action": f.action, "help": f.help, "messages": f.messages}));
    }
    checked
}
