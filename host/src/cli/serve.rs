//! `missions serve [--rules DIR] [--db URL] [--addr HOST:PORT]`: the HTTP host. Prints where it
//! listens and how to get the admin key, then serves until ctrl-c or SIGTERM.

use std::path::PathBuf;
use std::time::Duration;

use crate::http::server::{ConnectionLimits, RulesOrigin, ServeError, ServeOptions, Server, shutdown_signal};
use crate::http::{AdminKey, TicketRules};

use super::io::{EXIT_ERROR, EXIT_OK, EXIT_USAGE};
use super::io::{Streams, set_default_log_filter};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Folder of rule packs to serve and watch for changes [default: ./rules, or the shipped
    /// packs built into the binary when there is no ./rules]
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Where the service keeps its state: `sqlite://PATH` (created with its folder),
    /// `sqlite::memory:`, or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (shared by
    /// several replicas)
    #[arg(long, value_name = "URL", default_value = "sqlite://./data/missions.db")]
    db: String,
    /// Activate the packs of the rules folder and watch it [default: on SQLite; on PostgreSQL
    /// only the replica given --watch does, and the others serve what the store holds]
    #[arg(long, overrides_with = "no_watch")]
    watch: bool,
    /// Serve what the store holds without activating or watching the rules folder
    #[arg(long, overrides_with = "watch")]
    no_watch: bool,
    /// Folder where stored pack versions are unpacked to be loaded [default: beside an SQLite
    /// file; else a private temporary folder]
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Connections served at once; more wait in the listen backlog
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// Seconds a client has to send a request's head; also how long an idle connection stays open
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a request body has to arrive, in all
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
    /// Days from now, either way, within which a ticket's `at` may lie
    #[arg(long, value_name = "DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=366))]
    ticket_window_days: u32,
    /// Days after a month's end during which tickets may still be dated in it
    #[arg(long, value_name = "DAYS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=31))]
    billing_grace_days: u32,
    /// Days the audit log keeps each evaluation and its input (personal fields masked) for
    /// replaying against a new tariff; older records are purged
    #[arg(long, value_name = "DAYS", default_value_t = crate::http::DEFAULT_AUDIT_RETENTION_DAYS, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    audit_retention_days: u32,
}

pub(crate) fn run(a: Args, s: &mut Streams<'_>) -> u8 {
    set_default_log_filter("warn,missions_host=info,missions_plugins=info");
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("missions-serve").build() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(s.stderr, "error: cannot start the async runtime: {e}");
            return EXIT_ERROR;
        }
    };
    let admin_key = std::env::var("MISSIONS_ADMIN_KEY").ok().filter(|k| !k.is_empty());
    let connections = ConnectionLimits {
        max_connections: usize::try_from(a.max_connections).unwrap_or(usize::MAX),
        header_timeout: Duration::from_secs(a.header_timeout),
        body_timeout: Duration::from_secs(a.body_timeout),
        ..ConnectionLimits::default()
    };
    let tickets = TicketRules {
        at_window: chrono::TimeDelta::days(i64::from(a.ticket_window_days)),
        billing_grace_days: a.billing_grace_days,
        ..TicketRules::default()
    };
    let opts = ServeOptions {
        rules: a.rules,
        db: a.db,
        addr: a.addr,
        admin_key,
        connections,
        tickets,
        audit_retention_days: a.audit_retention_days,
        watch: match (a.watch, a.no_watch) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        cache_dir: a.cache_dir,
    };
    let code = runtime.block_on(async {
        let server = match Server::start(opts.clone()).await {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(s.stderr, "error: {e}");
                return if matches!(e, ServeError::Usage(_)) { EXIT_USAGE } else { EXIT_ERROR };
            }
        };
        let url = match server.local_addr() {
            Ok(addr) => format!("http://{addr}"),
            Err(_) => format!("http://{}", opts.addr),
        };
        let start = server.startup();
        let _ = writeln!(s.stdout, "missions serve: listening on {url}");
        let rules = match server.origin() {
            _ if !server.watching() => "what the store holds (another replica activates; changes are served within a second)".into(),
            RulesOrigin::Folder(d) => format!("{} (watched: saved changes are activated once their golden cases pass)", d.display()),
            RulesOrigin::Embedded(_) => "the shipped packs built into this binary (no ./rules folder; pass --rules DIR to serve and watch your own)".into(),
        };
        let _ = writeln!(s.stdout, "  rules: {rules}");
        let _ = writeln!(s.stdout, "  store: {}", server.state().store().describe());
        let packs: Vec<String> = start.packs.iter().map(|p| format!("{} {} (from {})", p.name, p.version, p.effective_from)).collect();
        let _ = writeln!(s.stdout, "  packs: {}", if packs.is_empty() { "none".into() } else { packs.join(", ") });
        for r in &start.rejected {
            let _ = writeln!(s.stderr, "warning: pack `{}` not loaded: {r}", r.pack);
        }
        match &start.admin_key {
            AdminKey::Generated(key) => {
                let _ = writeln!(s.stdout, "  admin key (shown this once; only its hash is stored): {key}");
                let _ = writeln!(s.stdout, "  try: curl -s {url}/v1/packs -H 'Authorization: Bearer {key}'");
            }
            AdminKey::Environment => {
                let _ = writeln!(s.stdout, "  admin key: the value of MISSIONS_ADMIN_KEY");
                let _ = writeln!(s.stdout, "  try: curl -s {url}/v1/packs -H \"Authorization: Bearer $MISSIONS_ADMIN_KEY\"");
            }
            AdminKey::Stored => {
                let _ = writeln!(
                    s.stdout,
                    "  admin key: generated and printed on the first start with this store; lost it? restart with MISSIONS_ADMIN_KEY set to a new key (at least 32 characters, e.g. `openssl rand -hex 32`)"
                );
            }
        }
        let _ = writeln!(s.stdout, "  API: {url}/openapi.json; stop with ctrl-c");
        let _ = s.stdout.flush();
        match server.run(shutdown_signal()).await {
            Ok(()) => {
                let _ = writeln!(s.stdout, "missions serve: stopped");
                EXIT_OK
            }
            Err(e) => {
                let _ = writeln!(s.stderr, "error: the server failed: {e}");
                EXIT_ERROR
            }
        }
    });
    // Work still running on the blocking pool (a long validation whose client left) must not keep
    // the process alive after shutdown.
    runtime.shutdown_timeout(Duration::from_secs(1));
    code
}
