//! `missions plan --model FILE --input JSON`: dated actions with assignees for one mission, and
//! what the model commands (`plan`, `dashboard`, `validate`) share: reading a model, the calendar.

use std::path::{Path, PathBuf};

use missions_engine::{
    Calendar, CalendarSpec, Diagnostics, Label, Model, Plan, PlanInput, load_model, looks_like_model, plan,
};

use crate::service::closures::{read_closures, year_without_working_day};

use crate::service::hooks::{self, Finding};
use missions_engine::Lang;

use super::io::{EXIT_OK, render};
use super::io::{Failure, Streams, exit_code, print_json, read_input, render_diagnostic, report_diagnostics};
use super::plugin::args::{PluginArgs, plugins};

/// Options shared by the commands that evaluate a mission model.
#[derive(Debug, clap::Args)]
pub(crate) struct ModelArgs {
    /// The mission model (a YAML file)
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    /// The input: inline JSON, `@file`, or `-` for stdin
    #[arg(long, value_name = "JSON")]
    pub input: String,
    /// Print exactly one JSON document (the result, or `{"error": …}`)
    #[arg(long)]
    pub json: bool,
    /// Language of labels in human-readable output (one of the model's languages), and of the
    /// diagnostics (a language of the catalogues, `locales/`; English otherwise)
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// The firm's closure days, skipped like legal holidays: a JSON file
    /// `{"closures": ["2026-11-02", {"from": "2026-12-24", "to": "2026-12-31"}]}`
    #[arg(long, value_name = "FILE")]
    pub closures: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    common: ModelArgs,
    /// Plugins whose `lint-model` hook checks the model first (an error finding stops the plan)
    #[command(flatten)]
    plugins: PluginArgs,
}

/// The plan, and what the plugins' `lint-model` found when `--plugin` or `--tenant` is given.
#[derive(serde::Serialize)]
struct Checked {
    #[serde(flatten)]
    plan: Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugin_findings: Option<Vec<Finding>>,
}

/// What the plugins' `lint-model` finds, each printed on stderr; `None` without plugins, a
/// failure when one of them is an error.
fn lint(a: &PluginArgs, model: &Model, s: &mut Streams<'_>, json: bool) -> Result<Option<Vec<Finding>>, Failure> {
    if a.plugins.is_empty() && a.tenant.is_none() && a.configs.is_empty() {
        return Ok(None);
    }
    let found = hooks::lint(&plugins(a, s, json)?, model, s.lang);
    for f in &found {
        let _ = writeln!(s.stderr, "{}", render(&f.severity, &f.code, &f.message, None, f.help.as_deref()));
    }
    if found.iter().any(Finding::is_error) {
        if json {
            print_json(s, &serde_json::json!({"error": {"kind": "lint", "plugin_findings": found}}));
        }
        return Err(Failure::Reported);
    }
    Ok(Some(found))
}

/// Load the model, printing its diagnostics on failure and its warnings on stderr otherwise.
pub(crate) fn load(path: &Path, s: &mut Streams<'_>, json: bool) -> Result<Model, Failure> {
    match load_model(path) {
        Ok(model) => {
            for w in &model.warnings().0 {
                let _ = writeln!(s.stderr, "{}", render_diagnostic(w, s.lang));
            }
            Ok(model)
        }
        Err(d) => {
            report_diagnostics(s, json, &d);
            Err(Failure::Reported)
        }
    }
}

/// The business calendar missions are planned with: Belgian office hours and legal holidays,
/// and the firm's closure days when `closures` names their file.
pub(crate) fn calendar(s: &mut Streams<'_>, json: bool, closures: Option<&Path>) -> Result<Calendar, Failure> {
    let lang = s.lang;
    let mut fail = |kind: &str, message: String| {
        let _ = writeln!(s.stderr, "error: {message}");
        if json {
            let _ = writeln!(s.stdout, "{}", serde_json::json!({"error": {"kind": kind, "message": message}}));
        }
        Failure::Reported
    };
    let mut spec = CalendarSpec::belgian_office_hours();
    if let Some(path) = closures {
        let days = read_closures_file(path, lang).map_err(|m| fail("closures", m))?;
        spec.closures = days;
    }
    let days = spec.closures.clone();
    let calendar = Calendar::new(spec).map_err(|e| fail("calendar", e.to_string()))?;
    match year_without_working_day(&calendar, &days) {
        Ok(None) => Ok(calendar),
        Ok(Some(year)) => Err(fail("closures", format!("the closure days leave no working day in {year}"))),
        Err(e) => Err(fail("calendar", e.to_string())),
    }
}

/// The closure days of a JSON file, or a message naming the file and each problem's path.
fn read_closures_file(path: &Path, lang: missions_engine::Lang) -> Result<Vec<chrono::NaiveDate>, String> {
    let shown = path.display();
    let len = std::fs::metadata(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?.len();
    if len > 1 << 20 {
        return Err(format!("`{shown}` is {len} bytes; a closure list is at most 1 MiB"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{shown}:{}:{}: {e}", e.line(), e.column()))?;
    read_closures(&value).map_err(|problems| {
        let each: Vec<String> =
            problems.iter().map(|p| format!("{shown}: at `{}`: {}", p.path, p.message.get(lang))).collect();
        each.join("\n")
    })
}

/// Print problems with the input (exit 1): each on stderr, and the JSON error object with `--json`.
pub(crate) fn report_input(s: &mut Streams<'_>, json: bool, diags: &Diagnostics) {
    let diags = &diags.localized(s.lang);
    for d in &diags.0 {
        let _ = writeln!(s.stderr, "{}", render_diagnostic(d, s.lang));
    }
    if json {
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "error": { "kind": "input", "diagnostics": diags } }));
    }
}

/// [`report_input`], as the failure a computation stops with.
pub(crate) fn input_failure(s: &mut Streams<'_>, json: bool, diags: &Diagnostics) -> Failure {
    report_input(s, json, diags);
    Failure::Reported
}

/// The text of a label in `lang`, or in the first language it has.
pub(crate) fn text<'l>(label: &'l Label, lang: &str) -> &'l str {
    label.get(lang).or_else(|| label.0.values().next().map(String::as_str)).unwrap_or("")
}

/// Whether `missions validate` should read `path` as a mission model: a YAML file with a
/// top-level `phases:`, `roles:` or `extends:` (or one too large to look into, which loading
/// then refuses with a clear error).
pub(crate) fn is_model_file(path: &Path) -> bool {
    use std::io::Read;
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if !yaml || !path.is_file() {
        return false;
    }
    let mut head = Vec::new();
    let Ok(file) = std::fs::File::open(path) else {
        return true;
    };
    if file.take(64 * 1024).read_to_end(&mut head).is_err() {
        return true;
    }
    let head = String::from_utf8_lossy(&head);
    looks_like_model(&head) || head.len() >= 64 * 1024
}

/// `missions validate`'s line for a model that loads.
pub(crate) fn summary(m: &Model) -> String {
    format!(
        "model {}{} ({} phases, {} actions, languages {})",
        m.id(),
        m.version().map(|v| format!(" {v}")).unwrap_or_default(),
        m.phases().len(),
        m.actions().len(),
        m.languages().join(", ")
    )
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    run_with_model(
        &a.common,
        s,
        |model, input, cal, s| {
            let plugin_findings = lint(&a.plugins, model, s, a.common.json)?;
            let mut plan = PlanInput::from_json(input)
                .and_then(|i| plan(model, &i, cal))
                .map_err(|d| input_failure(s, a.common.json, &d))?;
            plan.warnings = plan.warnings.localized(s.lang);
            Ok(Checked { plan, plugin_findings })
        },
        |c| &c.plan.warnings,
        |s, model, c, lang| print_plan(s, model, &c.plan, lang),
    )
}

/// What `plan` and `dashboard` share: load the model, read the input, compute (printing its own
/// errors), then print the warnings and the result (JSON with `--json`, `print` otherwise).
pub(crate) fn run_with_model<T: serde::Serialize>(
    a: &ModelArgs,
    s: &mut Streams<'_>,
    compute: impl FnOnce(&Model, &serde_json::Value, &Calendar, &mut Streams<'_>) -> Result<T, Failure>,
    warnings: impl Fn(&T) -> &Diagnostics,
    print: impl FnOnce(&mut Streams<'_>, &Model, &T, &str),
) -> u8 {
    s.lang = Lang::from_code(&a.lang).unwrap_or(Lang::En);
    let result = (|| {
        let model = load(&a.model, s, a.json)?;
        let input = read_input(&a.input, s, a.json)?;
        let cal = calendar(s, a.json, a.closures.as_deref())?;
        compute(&model, &input, &cal, s).map(|r| (model, r))
    })();
    let (model, r) = match result {
        Ok(r) => r,
        Err(f) => return exit_code(f, s),
    };
    for w in &warnings(&r).0 {
        let _ = writeln!(s.stderr, "{}", render_diagnostic(w, s.lang));
    }
    if a.json {
        print_json(s, &serde_json::to_value(&r).unwrap_or_default());
    } else {
        print(s, &model, &r, &a.lang);
    }
    EXIT_OK
}

fn print_plan(s: &mut Streams<'_>, model: &Model, p: &Plan, lang: &str) {
    let _ = writeln!(s.stdout, "{} — {} ({})", p.client, text(model.label(), lang), p.model);
    let dates: Vec<String> =
        model.dates().iter().filter_map(|m| p.dates.get(&m.id).map(|d| format!("{} {d}", m.id))).collect();
    let _ = writeln!(s.stdout, "dates: {}", dates.join(", "));
    let width = p.actions.iter().map(|a| a.id.chars().count()).max().unwrap_or(0);
    for phase in model.phases() {
        let _ = writeln!(s.stdout, "\n{}", text(&phase.label, lang));
        for a in p.actions.iter().filter(|a| a.phase == phase.id) {
            let due = a.due.map_or_else(|| "          ".to_owned(), |d| d.to_string());
            let who = if a.assignees.is_empty() { format!("({})", a.role) } else { a.assignees.join(", ") };
            let _ = writeln!(s.stdout, "  {due}  {:width$}  {}  — {who}", a.id, text(&a.label, lang));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::cli::run;

    fn models() -> String {
        format!("{}/../rules/models", env!("CARGO_MANIFEST_DIR"))
    }

    fn missions(args: &[&str]) -> (u8, String, String) {
        let mut stdin = std::io::Cursor::new(Vec::new());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let argv = std::iter::once("missions").chain(args.iter().copied());
        let code = run(argv, &mut stdin, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    const INPUT: &str = r#"{"client": "ACME", "start": "2026-01-05", "closing": "2026-06-30",
        "people": {"partner": ["Anne"], "eqr": ["Marc"], "quality": ["Sofie"], "manager": ["Pieter"],
                   "supervisor": ["Julie"], "staff": ["Tom"]}}"#;

    #[test]
    fn plan_prints_dated_actions() {
        let model = format!("{}/isqm-standard.yaml", models());
        let (code, out, err) = missions(&["plan", "--model", &model, "--input", INPUT, "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["dates"]["signing"], "2026-06-09");
        assert_eq!(v["actions"][0]["id"], "client-identification");
        assert_eq!(v["actions"][0]["due"], "2026-01-07");
        assert_eq!(v["actions"][0]["assignees"][0], "Tom");

        let (code, out, _) = missions(&["plan", "--model", &model, "--input", INPUT, "--lang", "nl"]);
        assert_eq!(code, 0);
        assert!(out.contains("2026-06-09  report-signing"), "{out}");
        assert!(out.contains("Het verslag ondertekenen"), "{out}");
    }

    #[test]
    fn plan_input_errors_exit_1_with_one_json_document() {
        let model = format!("{}/isqm-standard.yaml", models());
        let input = INPUT.replace("\"eqr\"", "\"reviewer\"");
        let (code, out, err) = missions(&["plan", "--model", &model, "--input", &input, "--json"]);
        assert_eq!(code, 1);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["kind"], "input");
        assert_eq!(v["error"]["diagnostics"][0]["message"], "unknown role `reviewer` at `people.reviewer`");
        assert!(err.contains("input.unknown-role"), "{err}");
        // A usage error is 2.
        let (code, _, _) = missions(&["plan", "--model", &model]);
        assert_eq!(code, 2);
    }

    #[test]
    fn dashboard_prints_figures() {
        let model = format!("{}/isqm-standard.yaml", models());
        let state = format!(
            r#"{{"as_of": "2026-05-20", "mission": {INPUT}, "actions": [{{"id": "client-identification", "done_on": "2026-01-07"}}],
                "key_points": [{{"id": "KP-1", "kind": "anomaly", "severity": "major", "raised_on": "2026-05-11"}}]}}"#
        );
        let (code, out, err) = missions(&["dashboard", "--model", &model, "--input", &state, "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["progress"]["done"], 1);
        assert_eq!(v["key_points"]["escalations_due"][0]["people"][0], "Anne");
        let (code, out, _) = missions(&["dashboard", "--model", &model, "--input", &state]);
        assert_eq!(code, 0);
        assert!(out.contains("escalation due: KP-1 (anomaly, major) since 2026-05-19 → Anne"), "{out}");
        assert!(out.contains("Julie (supervisor): Tom"), "{out}");

        let bad = state.replace("client-identification", "client-identifcation");
        let (code, _, err) = missions(&["dashboard", "--model", &model, "--input", &bad]);
        assert_eq!(code, 1);
        assert!(err.contains("unknown action `client-identifcation` at `actions[0].id`"), "{err}");
    }

    #[test]
    fn validate_reads_models_and_schema_prints_json() {
        let (code, out, err) = missions(&[
            "validate",
            &format!("{}/isqm-standard.yaml", models()),
            &format!("{}/example-firm.yaml", models()),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("ok: ") && out.contains("model example-firm"), "{out}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.yaml");
        std::fs::write(&path, "id: x\nlanguages: [en]\nlabel: {en: X}\nroles: []\nphases:\n  - id: p\n    label: {en: P}\n    actions:\n      - id: a\n        role: nobody\n        label: {en: A}\n").unwrap();
        let (code, out, err) = missions(&["validate", path.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(err.contains("broken.yaml:10:15"), "{err}");

        let (code, out, _) = missions(&["schema", "model"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v["properties"]["phases"].is_object());
    }
}
