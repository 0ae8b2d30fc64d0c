//! `missions diff BASE_DIR CANDIDATE_DIR [--inputs FILE.jsonl] [--json]`: what a candidate version
//! of a pack changes, before it goes live. Both versions evaluate every golden case of either
//! pack and the recorded requests in FILE (JSON lines of `{"entry", "input", "tenant"}`, as
//! `GET /v1/admin/audit/inputs` will export them); see `missions_rules::impact`.
//!
//! Exit status: 0 when nothing changed, 1 when something did, 2 when the comparison could not
//! run (a usage error, a pack that does not load, an unreadable inputs file).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use missions_engine::crates::base::Node;
use missions_engine::{ImpactLimits, ImpactReport, Pack, ReplayInput, case_inputs, impact};

use super::io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE, Streams, print_json, render_diagnostic};

/// Longest line of an inputs file.
const MAX_LINE_BYTES: usize = 1024 * 1024;
/// Most recorded inputs replayed from one file.
const MAX_RECORDED: usize = 1_000_000;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The version in force (a pack folder)
    #[arg(value_name = "BASE_DIR")]
    base: PathBuf,
    /// The version to compare with it (a pack folder)
    #[arg(value_name = "CANDIDATE_DIR")]
    candidate: PathBuf,
    /// Recorded requests to replay as well: JSON lines of `{"entry": …, "input": …, "tenant": …}`
    #[arg(long, value_name = "FILE.jsonl")]
    inputs: Option<PathBuf>,
    /// One machine-readable JSON document on stdout
    #[arg(long)]
    json: bool,
}

/// A version compared, in `--json`.
#[derive(Debug, serde::Serialize)]
struct Version<'a> {
    dir: &'a Path,
    pack: &'a str,
    version: &'a str,
    effective_from: chrono::NaiveDate,
}

impl<'a> Version<'a> {
    fn of(p: &'a Pack, dir: &'a Path) -> Self {
        Self { dir, pack: &p.id().name, version: &p.id().version, effective_from: p.id().effective_from }
    }
}

/// The `--json` document: the versions, where the inputs came from, and the impact report.
#[derive(Debug, serde::Serialize)]
struct DiffDoc<'a> {
    base: Version<'a>,
    candidate: Version<'a>,
    golden_cases: usize,
    recorded_requests: usize,
    skipped_lines: &'a [SkippedLine],
    changed_anything: bool,
    #[serde(flatten)]
    report: &'a ImpactReport,
}

/// A line of the inputs file that was not replayed.
#[derive(Debug, serde::Serialize)]
struct SkippedLine {
    line: usize,
    reason: String,
}

/// A line of the inputs file. Other members (`pack`, `at`, `id` of the export) are ignored.
#[derive(serde::Deserialize)]
struct Recorded {
    entry: String,
    input: serde_json::Value,
    #[serde(default)]
    tenant: Option<String>,
}

fn read_recorded(path: &Path, out: &mut Vec<ReplayInput>) -> Result<Vec<SkippedLine>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("error: cannot read `{}`: {e}", path.display()))?;
    let mut reader = std::io::BufReader::new(file);
    let mut skipped = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0usize;
    let name = path.display().to_string();
    loop {
        buf.clear();
        let n = std::io::Read::take(&mut reader, (MAX_LINE_BYTES + 1) as u64)
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("error: cannot read `{name}`: {e}"))?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.len() > MAX_LINE_BYTES && !buf.ends_with(b"\n") {
            return Err(format!("error: `{name}` line {line} is longer than {MAX_LINE_BYTES} bytes"));
        }
        let text = String::from_utf8_lossy(&buf);
        if text.trim().is_empty() {
            continue;
        }
        if out.len() >= MAX_RECORDED {
            return Err(format!("error: `{name}` holds more than {MAX_RECORDED} inputs; split it"));
        }
        match serde_json::from_str::<Recorded>(&text) {
            Ok(r) => out.push(ReplayInput {
                entry: r.entry,
                input: Node::from_json(&r.input),
                source: format!("{name}:{line}"),
                tenant: r.tenant,
            }),
            Err(e) => skipped.push(SkippedLine {
                line,
                reason: format!("not a recorded request (`{{\"entry\", \"input\", \"tenant\"}}`): {e}"),
            }),
        }
    }
    Ok(skipped)
}

fn load(dir: &Path, s: &mut Streams<'_>) -> Option<Pack> {
    match Pack::load(dir) {
        Ok(p) => Some(p),
        Err(d) => {
            for diag in &d.0 {
                let _ = writeln!(s.stderr, "{}", render_diagnostic(diag, s.lang));
            }
            let _ = writeln!(s.stderr, "error: `{}` does not load, so it cannot be compared", dir.display());
            None
        }
    }
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let (Some(base), Some(candidate)) = (load(&a.base, s), load(&a.candidate, s)) else { return EXIT_USAGE };
    let mut inputs = Vec::new();
    for dir in [&a.base, &a.candidate] {
        match case_inputs(dir) {
            Ok(cases) => inputs.extend(cases.into_iter().map(ReplayInput::from_case)),
            Err(d) => {
                let _ = writeln!(s.stderr, "{}", render_diagnostic(&d, s.lang));
                return EXIT_USAGE;
            }
        }
    }
    let golden = inputs.len();
    let skipped = match &a.inputs {
        Some(path) => match read_recorded(path, &mut inputs) {
            Ok(sk) => sk,
            Err(msg) => {
                let _ = writeln!(s.stderr, "{msg}");
                return EXIT_USAGE;
            }
        },
        None => Vec::new(),
    };
    let recorded = inputs.len() - golden;
    let report = impact(&base, &candidate, &inputs, ImpactLimits::default());
    if a.json {
        let doc = DiffDoc {
            base: Version::of(&base, &a.base),
            candidate: Version::of(&candidate, &a.candidate),
            golden_cases: golden,
            recorded_requests: recorded,
            skipped_lines: &skipped,
            changed_anything: report.anything_changed(),
            report: &report,
        };
        print_json(s, &doc);
    } else {
        let head = |p: &Pack, dir: &Path| {
            format!("{} {}, in force from {} ({})", p.id().name, p.id().version, p.id().effective_from, dir.display())
        };
        let _ = writeln!(s.stdout, "base:      {}", head(&base, &a.base));
        let _ = writeln!(s.stdout, "candidate: {}", head(&candidate, &a.candidate));
        let _ = writeln!(
            s.stdout,
            "inputs:    {golden} golden cases, {recorded} recorded requests; {} distinct",
            report.inputs
        );
        for sk in &skipped {
            let _ = writeln!(s.stdout, "  skipped line {}: {}", sk.line, sk.reason);
        }
        print_human(&report, s);
    }
    if report.anything_changed() { EXIT_ERROR } else { EXIT_OK }
}

fn signed(d: &str) -> String {
    if d.starts_with('-') || d == "0" || d.trim_start_matches(['0', '.']).is_empty() {
        d.to_owned()
    } else {
        format!("+{d}")
    }
}

fn print_human(r: &ImpactReport, s: &mut Streams<'_>) {
    for (entry, c) in &r.entries {
        let _ = writeln!(
            s.stdout,
            "\nentry `{entry}`: {} replayed, {} changed, {} now fail, {} now succeed, {} fail under both",
            c.replayed, c.changed, c.now_failing, c.now_succeeding, c.failing_under_both
        );
        for ch in r.changed.iter().filter(|ch| &ch.entry == entry) {
            let tenant = ch.tenant.as_deref().map(|t| format!(" [tenant {t}]")).unwrap_or_default();
            let _ = writeln!(s.stdout, "  {}{tenant}", ch.source);
            for f in &ch.fields {
                let _ = writeln!(s.stdout, "    {f}");
            }
        }
    }
    for (title, list) in [
        ("now failing (succeeded under the base)", &r.now_failing),
        ("now succeeding (failed under the base)", &r.now_succeeding),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s.stdout, "\n{title}:");
            for x in list {
                let _ = writeln!(s.stdout, "  `{}` {}: {}", x.entry, x.source, x.error);
            }
        }
    }
    if !r.not_replayed.is_empty() {
        let _ = writeln!(s.stdout, "\nnot replayed:");
        for x in &r.not_replayed {
            let _ = writeln!(s.stdout, "  `{}` {}: {}", x.entry, x.source, x.reason);
        }
    }
    if let Some(m) = &r.money {
        let t = &m.total;
        let _ = writeln!(
            s.stdout,
            "\nmoney (net totals of the {} inputs both versions priced):\n  before {}  after {}  difference {}",
            t.inputs,
            t.before,
            t.after,
            signed(&t.difference)
        );
        if !m.largest_increases.is_empty() {
            let _ = writeln!(s.stdout, "  largest increases:");
            for x in &m.largest_increases {
                let tenant = x.tenant.as_deref().map(|t| format!(" [tenant {t}]")).unwrap_or_default();
                let _ = writeln!(
                    s.stdout,
                    "    {} ({} → {})  {}{tenant}",
                    signed(&x.difference),
                    x.before,
                    x.after,
                    x.source
                );
            }
        }
        if !m.per_tenant.is_empty() {
            let _ = writeln!(s.stdout, "  per tenant:");
            for x in &m.per_tenant {
                let _ = writeln!(
                    s.stdout,
                    "    {}: {} inputs, before {}  after {}  difference {}",
                    x.tenant.as_deref().unwrap_or(""),
                    x.inputs,
                    x.before,
                    x.after,
                    signed(&x.difference)
                );
            }
        }
    }
    let verdict = if r.anything_changed() { "the candidate changes the results above" } else { "nothing changed" };
    let _ = writeln!(s.stdout, "\n{verdict}");
}
