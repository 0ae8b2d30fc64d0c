//! Runs every golden case file of every shipped pack as its own test, so `cargo test` fails on
//! exactly the file (and names the case) that a tariff or rule change broke.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use libtest_mimic::{Arguments, Failed, Trial};
use missions_engine::{Pack, case_files, run_case_file};

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for dir in missions_tests::shipped_packs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        // One pack load per pack, shared by its case files, as in production.
        let pack = Pack::load(&dir);
        if let Err(e) = &pack {
            let msg = e.to_string();
            trials.push(Trial::test(format!("{name}::load"), move || Err(Failed::from(msg))));
            continue;
        }
        let pack = pack.unwrap();
        for file in case_files(&dir) {
            let test = format!("{name}::{}", file.file_stem().unwrap().to_string_lossy());
            let pack = pack.clone();
            trials.push(Trial::test(test, move || {
                let report = run_case_file(&pack, &file).map_err(|d| Failed::from(d.to_string()))?;
                if report.cases.is_empty() {
                    return Err(Failed::from(format!("{} has no cases", file.display())));
                }
                let failures: Vec<String> = report
                    .cases
                    .iter()
                    .filter_map(|c| c.failure.as_ref().map(|f| format!("{}: case `{}`: {f}", c.location, c.name)))
                    .collect();
                if failures.is_empty() { Ok(()) } else { Err(Failed::from(failures.join("\n"))) }
            }));
        }
    }
    assert!(!trials.is_empty(), "no golden case files found under rules/");
    libtest_mimic::run(&args, trials).exit();
}
