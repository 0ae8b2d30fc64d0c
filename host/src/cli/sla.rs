//! `missions sla --pack DIR --input JSON`: the `sla` entry, with a short human summary.

use super::eval::{EvalArgs, evaluate, json_result, print_human};
use super::io::EXIT_OK;
use super::io::{Streams, exit_code, print_json};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    common: EvalArgs,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    let (pack, ev) = match evaluate("sla", &a.common, s) {
        Ok(r) => r,
        Err(f) => return exit_code(f, s),
    };
    let out = json_result(&pack, &ev);
    if a.common.json {
        print_json(s, &out);
        return EXIT_OK;
    }
    let text = |k: &str| out.get(k).and_then(|v| v.as_str()).unwrap_or("—");
    let label = out.get("label").and_then(|l| l.get(&a.common.lang)).and_then(|v| v.as_str()).unwrap_or("");
    if out.get("deadline").is_some() {
        let _ = writeln!(s.stdout, "{} {}  {label}", text("contract"), text("priority"));
        let _ = writeln!(s.stdout, "  opened           {}", text("opened"));
        let _ = writeln!(s.stdout, "  starts counting  {}", text("starts_counting"));
        let _ = writeln!(
            s.stdout,
            "  deadline         {}  ({} working hours)",
            text("deadline"),
            text("target_working_hours")
        );
    } else {
        print_human(s, &out, &a.common.lang, pack.languages());
    }
    EXIT_OK
}
