//! The `missions` binary: hands the process's arguments and streams to the CLI.

use std::io::Write;
use std::process::ExitCode;

/// Rule evaluation allocates many small, short-lived values; under `serve`'s concurrent load
/// mimalloc spends a fraction of what the system allocator does on them (measured with
/// `scripts/load/run.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    missions_host::cli::init_tracing();
    let stdin = std::io::stdin();
    // Not locked for the whole run: `serve` logs from other threads through the same stderr.
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let code = missions_host::cli::run(std::env::args_os(), &mut stdin.lock(), &mut stdout, &mut stderr);
    let _ = stdout.flush();
    ExitCode::from(code)
}
