//! Prometheus metrics (`GET /metrics`, OpenMetrics text): requests and their latency by route,
//! evaluations by pack, entry and outcome, pack reloads and rejected reloads, tickets, and the
//! audit log's backlog. Counting is lock-free on the hot path once a label set exists.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EvalLabels {
    pack: String,
    entry: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PackEntryLabels {
    pack: String,
    entry: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    pack: String,
    source: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new([0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
}

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    evaluations: Family<EvalLabels, Counter>,
    eval_seconds: Family<PackEntryLabels, Histogram, fn() -> Histogram>,
    reloads: Family<ReloadLabels, Counter>,
    rejected: Family<ReloadLabels, Counter>,
    tickets: Counter,
    audit_written: Counter,
    audit_backlog: Gauge<i64, std::sync::atomic::AtomicI64>,
}

/// The service's metrics. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh set of metrics.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("missions");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let evaluations = Family::<EvalLabels, Counter>::default();
        let eval_seconds = Family::<PackEntryLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let reloads = Family::<ReloadLabels, Counter>::default();
        let rejected = Family::<ReloadLabels, Counter>::default();
        let tickets = Counter::<u64, AtomicU64>::default();
        let audit_written = Counter::<u64, AtomicU64>::default();
        let audit_backlog = Gauge::<i64, std::sync::atomic::AtomicI64>::default();
        registry.register("http_requests", "HTTP requests by method, route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by method and route", latency.clone());
        registry.register(
            "evaluations",
            "Rule evaluations by pack, entry and outcome (ok or the error kind)",
            evaluations.clone(),
        );
        registry.register(
            "evaluation_duration_seconds",
            "Time spent evaluating, by pack and entry (the engine alone, without HTTP)",
            eval_seconds.clone(),
        );
        registry.register(
            "pack_reloads",
            "Pack versions activated, by pack and source (files, api, rollback)",
            reloads.clone(),
        );
        registry.register(
            "pack_reloads_rejected",
            "Pack versions refused (load errors or failing golden cases), by pack and source",
            rejected.clone(),
        );
        registry.register("tickets", "Helpdesk requests recorded in the ledger", tickets.clone());
        registry.register("audit_records_written", "Evaluations written to the audit log", audit_written.clone());
        registry.register("audit_backlog", "Audit records accepted but not yet written", audit_backlog.clone());
        Self {
            inner: Arc::new(Inner {
                registry,
                requests,
                latency,
                evaluations,
                eval_seconds,
                reloads,
                rejected,
                tickets,
                audit_written,
                audit_backlog,
            }),
        }
    }

    /// Count an evaluation; `outcome` is `ok` or the error's kind.
    pub fn evaluation(&self, pack: &str, entry: &str, outcome: &str) {
        self.inner
            .evaluations
            .get_or_create(&EvalLabels { pack: pack.into(), entry: entry.into(), outcome: outcome.into() })
            .inc();
    }

    /// Time an evaluation.
    pub fn evaluation_time(&self, pack: &str, entry: &str, seconds: f64) {
        self.inner
            .eval_seconds
            .get_or_create(&PackEntryLabels { pack: pack.into(), entry: entry.into() })
            .observe(seconds);
    }

    /// Count an activated pack version.
    pub fn reload(&self, pack: &str, source: &str) {
        self.inner.reloads.get_or_create(&ReloadLabels { pack: pack.into(), source: source.into() }).inc();
    }

    /// Count a refused pack version.
    pub fn rejected_reload(&self, pack: &str, source: &str) {
        self.inner.rejected.get_or_create(&ReloadLabels { pack: pack.into(), source: source.into() }).inc();
    }

    /// Count a recorded ticket.
    pub fn ticket(&self) {
        self.inner.tickets.inc();
    }

    /// Audit records accepted into the queue (+) or written (−).
    pub(crate) fn audit_queued(&self, n: i64) {
        self.inner.audit_backlog.inc_by(n);
    }

    pub(crate) fn audit_written(&self, n: u64) {
        self.inner.audit_written.inc_by(n);
        self.inner.audit_backlog.dec_by(i64::try_from(n).unwrap_or(i64::MAX));
    }

    pub(crate) fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.inner.requests.get_or_create(&RequestLabels { method: method.into(), route: route.into(), status }).inc();
        self.inner.latency.get_or_create(&RouteLabels { method: method.into(), route: route.into() }).observe(seconds);
    }

    /// The OpenMetrics text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.inner.registry) {
            tracing::error!(error = %e, "cannot encode metrics");
        }
        out
    }
}
