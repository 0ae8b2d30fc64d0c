//! The `missions` binary: hands the process's arguments and streams to the CLI.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    missions_host::cli::init_tracing();
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = missions_host::cli::run(std::env::args_os(), &mut stdin.lock(), &mut stdout, &mut stderr);
    let _ = stdout.flush();
    ExitCode::from(code)
}
