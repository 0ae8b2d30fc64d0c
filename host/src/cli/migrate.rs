//! `missions model diff OLD.yaml NEW.yaml`: what changed between two versions of a model, in
//! words; and `missions migrate --from OLD.yaml --to NEW.yaml --state STATE.json`: a mission's
//! state moved to the new version (with `--dry-run`, what the move does instead).
//!
//! STATE.json is what `missions dashboard` reads: `{as_of, mission, actions, key_points}`.
//! `model diff` exits 0 when nothing changed and 1 when something did; `migrate` exits 1 when
//! recorded work would be lost (a removed action that is done or started, or a key point on one,
//! neither mapped with `--map` nor dropped with `--drop`). Both exit 2 on a usage error.

use std::path::PathBuf;

use missions_engine::{Lang, MigrationRequest, MissionChanges, MissionToMigrate, diff_models, migrate_mission};
use serde_json::{Value, json};

use super::io::{
    EXIT_ERROR, EXIT_OK, EXIT_USAGE, Failure, Streams, exit_code, print_json, read_input, render_diagnostic,
};
use super::plan::{calendar, load};

#[derive(Debug, clap::Args)]
pub(crate) struct ModelArgs {
    #[command(subcommand)]
    command: ModelCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ModelCommand {
    /// What changed between two versions of a model: actions, documents, roles, due rules, phases
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The version before
    #[arg(value_name = "OLD.yaml")]
    old: PathBuf,
    /// The version after
    #[arg(value_name = "NEW.yaml")]
    new: PathBuf,
    /// Language of the sentences: fr, nl, en, or another of the catalogues (`locales/`)
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    /// One machine-readable JSON document on stdout
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MigrateArgs {
    /// The model version the mission follows
    #[arg(long, value_name = "OLD.yaml")]
    from: PathBuf,
    /// The model version to move it to
    #[arg(long, value_name = "NEW.yaml")]
    to: PathBuf,
    /// The mission's state, as `missions dashboard` reads it: inline JSON, `@file`, or `-`
    #[arg(long, value_name = "STATE.json")]
    state: String,
    /// A removed action whose recorded state moves onto an action of the new version (repeatable)
    #[arg(long, value_name = "OLD=NEW")]
    map: Vec<String>,
    /// A removed action whose recorded work is given up on purpose (repeatable)
    #[arg(long, value_name = "ACTION")]
    drop: Vec<String>,
    /// Print what the migration does instead of the new state
    #[arg(long)]
    dry_run: bool,
    /// The firm's closure days (JSON file, as `missions plan --closures` reads it)
    #[arg(long, value_name = "FILE")]
    closures: Option<PathBuf>,
    /// Language of the messages: fr, nl, en, or another of the catalogues (`locales/`)
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    /// One machine-readable JSON document on stdout
    #[arg(long)]
    json: bool,
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| format!("`{s}` is not one of the catalogues' languages: {}", Lang::listed()))
}

pub(crate) fn run_model(a: ModelArgs, s: &mut Streams<'_>) -> u8 {
    let ModelCommand::Diff(a) = a.command;
    s.lang = a.lang;
    let models = load(&a.old, s, a.json).and_then(|old| load(&a.new, s, a.json).map(|new| (old, new)));
    let (old, new) = match models {
        Ok(m) => m,
        Err(f) => return exit_code(f, s),
    };
    let changes = diff_models(&old, &new);
    if a.json {
        let said: Vec<String> = changes.iter().map(|c| c.describe(a.lang)).collect();
        print_json(s, &json!({"changes": changes, "said": said}));
    } else if changes.is_empty() {
        let _ = writeln!(s.stdout, "{}", nothing(a.lang));
    } else {
        for c in &changes {
            let _ = writeln!(s.stdout, "- {}", c.describe(a.lang));
        }
    }
    if changes.is_empty() { EXIT_OK } else { EXIT_ERROR }
}

fn nothing(lang: Lang) -> String {
    missions_engine::said!("host-no-change").get(lang)
}

pub(crate) fn run_migrate(a: MigrateArgs, s: &mut Streams<'_>) -> u8 {
    s.lang = a.lang;
    match migrate(&a, s) {
        Ok(code) => code,
        Err(f) => exit_code(f, s),
    }
}

fn migrate(a: &MigrateArgs, s: &mut Streams<'_>) -> Result<u8, Failure> {
    let mut request = MigrationRequest { drop: a.drop.clone(), ..MigrationRequest::default() };
    for m in &a.map {
        let Some((old, new)) = m.split_once('=').filter(|(o, n)| !o.is_empty() && !n.is_empty()) else {
            return Err(Failure::Usage(format!("`--map {m}`: write `--map OLD-ACTION=NEW-ACTION`")));
        };
        request.map.insert(old.to_owned(), new.to_owned());
    }
    let from = load(&a.from, s, a.json)?;
    let to = load(&a.to, s, a.json)?;
    if let Err(d) = request.check(&[&from], &to) {
        return Ok(blocked(s, a.json, &d.0));
    }
    let doc = read_input(&a.state, s, a.json)?;
    let Some(input) = doc.get("mission").filter(|m| m.is_object()) else {
        return Err(Failure::Usage(
            "the state has no `mission` object: give the document `missions dashboard` reads ({as_of, mission, actions, key_points})".into(),
        ));
    };
    let as_of = doc
        .get("as_of")
        .and_then(Value::as_str)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| Failure::Usage("the state has no `as_of` date (`YYYY-MM-DD`)".into()))?;
    let state = json!({"actions": doc.get("actions").cloned().unwrap_or(json!([])),
                       "key_points": doc.get("key_points").cloned().unwrap_or(json!([]))});
    let cal = calendar(s, a.json, a.closures.as_deref())?;
    let changes = migrate_mission(
        &MissionToMigrate {
            from: &from,
            to: &to,
            input,
            state: Some(&state),
            from_calendar: &cal,
            to_calendar: &cal,
            as_of,
        },
        &request,
        a.lang,
    );
    if a.dry_run {
        if a.json {
            print_json(s, &changes);
        } else {
            print_changes(s, &changes);
        }
        return Ok(if changes.applicable() { EXIT_OK } else { EXIT_ERROR });
    }
    let Some(moved) = changes.state.filter(|_| changes.problems.errors().next().is_none()) else {
        return Ok(blocked(s, a.json, &changes.problems.0));
    };
    let mut out = doc.clone();
    if let Some(o) = out.as_object_mut() {
        o.insert("actions".into(), moved["actions"].clone());
        o.insert("key_points".into(), moved["key_points"].clone());
    }
    print_json(s, &out);
    Ok(EXIT_OK)
}

fn blocked(s: &mut Streams<'_>, json: bool, diags: &[missions_engine::Diagnostic]) -> u8 {
    let diags: Vec<_> = diags.iter().map(|d| d.localized(s.lang)).collect();
    for d in &diags {
        let _ = writeln!(s.stderr, "{}", render_diagnostic(d, s.lang));
    }
    if json {
        print_json(s, &json!({"error": {"kind": "migration", "diagnostics": diags}}));
    }
    if diags.iter().any(|d| d.is_error()) { EXIT_ERROR } else { EXIT_USAGE }
}

fn print_changes(s: &mut Streams<'_>, c: &MissionChanges) {
    let list = |ids: Vec<String>| if ids.is_empty() { "—".to_owned() } else { ids.join(", ") };
    let _ =
        writeln!(s.stdout, "added:    {}", list(c.added.iter().map(|a| format!("{} ({})", a.id, a.phase)).collect()));
    let _ =
        writeln!(s.stdout, "removed:  {}", list(c.removed.iter().map(|a| format!("{} ({})", a.id, a.phase)).collect()));
    let _ =
        writeln!(s.stdout, "mapped:   {}", list(c.mapped.iter().map(|m| format!("{} → {}", m.from, m.to)).collect()));
    let _ = writeln!(
        s.stdout,
        "moved:    {}",
        list(c.moved.iter().map(|m| format!("{} {} → {}", m.id, m.from, m.to)).collect())
    );
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_owned(), |d| d.to_string());
    let _ = writeln!(
        s.stdout,
        "re-dated: {}",
        list(c.redated.iter().map(|r| format!("{} {} → {}", r.id, date(r.from), date(r.to))).collect())
    );
    let orphan = |o: &missions_engine::Orphan| {
        let how = if o.dropped { ", dropped" } else { "" };
        format!("{} {} ({}{how})", o.what, o.id, o.detail.as_deref().unwrap_or(""))
    };
    let _ = writeln!(s.stdout, "orphaned: {}", list(c.orphaned.iter().map(orphan).collect()));
    for d in &c.problems.0 {
        let _ = writeln!(s.stdout, "{}", render_diagnostic(d, s.lang));
    }
}
