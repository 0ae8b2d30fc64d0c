//! What every subcommand shares: reading `--input`, loading `--pack`, and printing diagnostics and
//! errors the same way (human text on stderr; one JSON document on stdout with `--json`).

use std::io::{BufRead, Read, Write};
use std::path::Path;

use missions_engine::{Diagnostic, Diagnostics, EvalError, Lang, Pack};

/// Success.
pub const EXIT_OK: u8 = 0;
/// A rule, validation or input error.
pub const EXIT_ERROR: u8 = 1;
/// The command line itself is wrong.
pub const EXIT_USAGE: u8 = 2;

/// Largest `--input` accepted (inline, file or stdin).
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The standard streams a command runs with.
#[allow(missing_debug_implementations)]
pub struct Streams<'a> {
    /// Standard input (for `--input -`).
    pub stdin: &'a mut dyn BufRead,
    /// Results.
    pub stdout: &'a mut dyn Write,
    /// Messages for people.
    pub stderr: &'a mut dyn Write,
    /// The language diagnostics are written in (`--lang` of the commands that take it).
    pub lang: Lang,
}

type FilterHandle = tracing_subscriber::reload::Handle<tracing_subscriber::EnvFilter, tracing_subscriber::Registry>;

/// Lets a command that runs long (`serve`) log more by default than the one-shot commands.
static FILTER: std::sync::OnceLock<FilterHandle> = std::sync::OnceLock::new();

/// Send the engine's and scripts' logs to stderr; `MISSIONS_LOG=debug` shows script `print`s.
pub fn init_tracing() {
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("MISSIONS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let (filter, handle) = tracing_subscriber::reload::Layer::new(filter);
    // `MISSIONS_LOG_FORMAT=json`: one JSON object per line, with the request's span (its id),
    // for a log collector; otherwise lines for people.
    let fmt = if std::env::var("MISSIONS_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        tracing_subscriber::fmt::layer().json().with_current_span(true).with_writer(std::io::stderr).boxed()
    } else {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
        tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(ansi).boxed()
    };
    if tracing_subscriber::registry().with(filter).with(fmt).try_init().is_ok() {
        let _ = FILTER.set(handle);
    }
}

/// Use `directives` as the log filter unless `MISSIONS_LOG` chose one.
pub(crate) fn set_default_log_filter(directives: &str) {
    if std::env::var_os("MISSIONS_LOG").is_some() {
        return;
    }
    if let Some(h) = FILTER.get() {
        let _ = h.reload(tracing_subscriber::EnvFilter::new(directives));
    }
}

/// Why a command stopped early: the exit code is decided by the kind.
pub(crate) enum Failure {
    /// The command line is wrong (exit 2).
    Usage(String),
    /// Input, rule or validation error (exit 1), already printed.
    Reported,
}

/// Read `--input`: inline JSON, `@file`, or `-` for stdin.
pub(crate) fn read_input(arg: &str, s: &mut Streams<'_>, json: bool) -> Result<serde_json::Value, Failure> {
    let (text, origin) = if arg == "-" {
        let mut buf = String::new();
        if let Err(e) = s.stdin.take(MAX_INPUT_BYTES + 1).read_to_string(&mut buf) {
            return Err(Failure::Usage(format!("cannot read the input from stdin: {e}")));
        }
        (buf, "stdin".to_owned())
    } else if let Some(path) = arg.strip_prefix('@') {
        let meta =
            std::fs::metadata(path).map_err(|e| Failure::Usage(format!("cannot read input file `{path}`: {e}")))?;
        if meta.len() > MAX_INPUT_BYTES {
            return Err(Failure::Usage(format!(
                "input file `{path}` is {} bytes; the limit is {MAX_INPUT_BYTES}",
                meta.len()
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| Failure::Usage(format!("cannot read input file `{path}`: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("input file `{path}` is not UTF-8")))?;
        (text, format!("`{path}`"))
    } else {
        (arg.to_owned(), "`--input`".to_owned())
    };
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::Usage(format!("the input is larger than {MAX_INPUT_BYTES} bytes")));
    }
    serde_json::from_str(&text).map_err(|e| {
        let message = format!("the input in {origin} is not valid JSON: {e}");
        report_plain(
            s,
            json,
            "input",
            &message,
            Some("write the input as a JSON object, e.g. '{\"contract\":\"nav\"}'"),
        );
        Failure::Reported
    })
}

/// Load `--pack`, printing its diagnostics on failure.
pub(crate) fn load_pack(dir: &Path, s: &mut Streams<'_>, json: bool) -> Result<Pack, Failure> {
    Pack::load(dir).map_err(|d| {
        report_diagnostics(s, json, &d);
        Failure::Reported
    })
}

/// Print an evaluation error: text on stderr, and the JSON error object on stdout with `--json`.
pub(crate) fn report_eval_error(s: &mut Streams<'_>, json: bool, e: &EvalError) {
    match e {
        // Input errors are written in the reader's language (`--lang`), from the catalogues.
        EvalError::Input(errs) => {
            let each: Vec<String> = errs.iter().map(|err| err.message(s.lang.code())).collect();
            let problems = each.join("; ");
            let _ = writeln!(s.stderr, "error: {}", missions_engine::said!("input-invalid", problems).get(s.lang));
            if each.len() > 1 {
                for err in &each {
                    let _ = writeln!(s.stderr, "  - {err}");
                }
            }
        }
        _ => {
            let _ = writeln!(s.stderr, "error: {e}");
        }
    }
    if json {
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "error": e.to_json() }));
    }
}

fn report_plain(s: &mut Streams<'_>, json: bool, kind: &str, message: &str, help: Option<&str>) {
    let _ = writeln!(s.stderr, "error: {message}");
    if let Some(h) = help {
        let _ = writeln!(s.stderr, "  help: {h}");
    }
    if json {
        let _ = writeln!(s.stdout, "{}", serde_json::json!({ "error": { "kind": kind, "message": message } }));
    }
}

/// Print diagnostics with the offending source line under each.
pub(crate) fn report_diagnostics(s: &mut Streams<'_>, json: bool, diags: &Diagnostics) {
    let diags = &diags.localized(s.lang);
    for d in &diags.0 {
        let _ = writeln!(s.stderr, "{}", render_diagnostic(d, s.lang));
    }
    if json {
        let _ =
            writeln!(s.stdout, "{}", serde_json::json!({ "error": { "kind": "validation", "diagnostics": diags } }));
    }
}

/// A diagnostic as people read it, in `lang` when it has a text in it: the message, where, the
/// source line with a caret, the help.
pub(crate) fn render_diagnostic(d: &Diagnostic, lang: Lang) -> String {
    let d = d.localized(lang);
    let level = if d.is_error() { "error" } else { "warning" };
    render(level, d.code, &d.message, d.location.as_deref(), d.help.as_deref())
}

/// A diagnostic from its parts (a plugin's findings have codes of their own, not the engine's).
pub(crate) fn render(
    level: &str,
    code: &str,
    message: &str,
    location: Option<&missions_engine::Location>,
    help: Option<&str>,
) -> String {
    let mut out = format!("{level}[{code}]: {message}");
    if let Some(loc) = location {
        out.push_str(&format!("\n  --> {loc}"));
        let line = std::fs::read_to_string(&loc.file)
            .ok()
            .and_then(|t| t.lines().nth(loc.line.saturating_sub(1)).map(str::to_owned));
        if let Some(line) = line {
            let (shown, caret_at) = excerpt(&line, loc.column);
            let n = loc.line.to_string();
            let pad = " ".repeat(n.len());
            let caret = " ".repeat(caret_at);
            out.push_str(&format!("\n {pad} |\n {n} | {shown}\n {pad} | {caret}^"));
        }
    }
    if let Some(h) = help {
        out.push_str(&format!("\n  = help: {h}"));
    }
    out
}

/// Widest source excerpt shown under a diagnostic, in characters.
const EXCERPT_WIDTH: usize = 120;

/// The part of `line` to show around `column` (from 1), and where the caret goes in it. A long
/// line (a minified or generated file) is cut to a window around the column, marked with `…`.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    if chars.len() <= EXCERPT_WIDTH {
        return (line.to_owned(), at);
    }
    let start = at.saturating_sub(EXCERPT_WIDTH / 2).min(chars.len() - EXCERPT_WIDTH);
    let end = start + EXCERPT_WIDTH;
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, at - start + usize::from(start > 0))
}

/// Turn a failure into its exit code, printing a usage error.
pub(crate) fn exit_code(f: Failure, s: &mut Streams<'_>) -> u8 {
    match f {
        Failure::Usage(m) => {
            let _ = writeln!(s.stderr, "error: {m}");
            EXIT_USAGE
        }
        Failure::Reported => EXIT_ERROR,
    }
}

/// Print a JSON document on stdout.
pub(crate) fn print_json<T: serde::Serialize + ?Sized>(s: &mut Streams<'_>, v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(text) => {
            let _ = writeln!(s.stdout, "{text}");
        }
        Err(e) => {
            let _ = writeln!(s.stderr, "error: cannot write the result as JSON: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(excerpt("    scirpt: sla.rhai", 5), ("    scirpt: sla.rhai".to_owned(), 4));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("x: {}{}", "[".repeat(1000), "]".repeat(1000));
        let (shown, caret) = excerpt(&line, 500);
        assert_eq!(shown.chars().count(), 122, "120 characters and two ellipses");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(caret), line.chars().nth(499));
        assert_eq!(caret, 61);
        // Near the start: no leading ellipsis, the caret where it was.
        let (shown, caret) = excerpt(&line, 2);
        assert!(!shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(caret, 1);
        // Near the end: the window ends at the line's end.
        let (shown, caret) = excerpt(&line, line.chars().count());
        assert!(shown.starts_with('…') && !shown.ends_with('…'));
        assert_eq!(shown.chars().nth(caret), line.chars().last());
    }
}
