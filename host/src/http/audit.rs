//! The audit log's writer. Handlers hand records to a bounded queue and answer without waiting
//! for the disk; one thread drains the queue and writes whatever has piled up in a single
//! transaction, so the log costs one commit per batch, not per evaluation. A full queue makes
//! handlers wait (back-pressure) rather than drop records; a failed write is retried, never
//! dropped; `close` writes everything queued before it returns, so graceful shutdown loses
//! nothing that was acknowledged. The same thread purges records older than the retention
//! (`--audit-retention-days`): when it starts, then at most once an hour.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};

use missions_store::{AuditRecord, Store};
use tokio::sync::{mpsc, oneshot};

use crate::service::Metrics;

/// Records queued before handlers have to wait.
const QUEUE: usize = 16 * 1024;
/// Most records written in one transaction.
const BATCH: usize = 2048;
/// How often old records are purged.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

enum Msg {
    Record(Box<AuditRecord>),
    /// Answer once everything queued before is written.
    Flush(oneshot::Sender<()>),
    /// Write everything queued before, answer, and stop.
    Close(oneshot::Sender<()>),
}

/// Handle on the audit log writer. Cheap to share.
#[derive(Debug)]
pub struct AuditLog {
    tx: mpsc::Sender<Msg>,
    thread: Mutex<Option<JoinHandle<()>>>,
    metrics: Metrics,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Msg::Record(r) => f.debug_tuple("Record").field(r).finish(),
            Msg::Flush(_) => f.write_str("Flush"),
            Msg::Close(_) => f.write_str("Close"),
        }
    }
}

impl AuditLog {
    /// Start the writer thread; records older than `retention` are purged.
    pub fn start(
        store: Arc<dyn missions_store::Store>,
        metrics: Metrics,
        retention: TimeDelta,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let m = metrics.clone();
        let thread =
            std::thread::Builder::new().name("audit-writer".into()).spawn(move || writer(store, rx, m, retention))?;
        Ok(Self { tx, thread: Mutex::new(Some(thread)), metrics })
    }

    /// Queue a record. Returns once the record is queued; it reaches the store shortly after.
    pub async fn append(&self, record: AuditRecord) {
        self.metrics.audit_queued(1);
        if self.tx.send(Msg::Record(Box::new(record))).await.is_err() {
            self.metrics.audit_queued(-1);
            tracing::error!("the audit log is closed; an evaluation was not recorded");
        }
    }

    /// Wait until every record queued so far is in the store.
    pub async fn flush(&self) {
        let (ack, done) = oneshot::channel();
        if self.tx.send(Msg::Flush(ack)).await.is_ok() {
            let _ = done.await;
        }
    }

    /// Write every queued record and stop the writer. Later records are refused (and logged).
    pub async fn close(&self) {
        let (ack, done) = oneshot::channel();
        if self.tx.send(Msg::Close(ack)).await.is_ok() {
            let _ = done.await;
        }
        let thread = self.thread.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(t) = thread {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
    }
}

fn purge(store: &dyn Store, retention: TimeDelta) {
    match store.purge_audit(Utc::now() - retention) {
        Ok(0) => {}
        Ok(n) => tracing::info!(records = n, days = retention.num_days(), "audit records past their retention purged"),
        Err(e) => tracing::error!(error = %e, "cannot purge the audit log; retrying later"),
    }
}

fn writer(store: Arc<dyn Store>, mut rx: mpsc::Receiver<Msg>, metrics: Metrics, retention: TimeDelta) {
    let mut batch: Vec<AuditRecord> = Vec::with_capacity(BATCH);
    let mut acks: Vec<oneshot::Sender<()>> = Vec::new();
    purge(&*store, retention);
    let mut purged = Instant::now();
    loop {
        if purged.elapsed() >= PURGE_EVERY {
            purge(&*store, retention);
            purged = Instant::now();
        }
        let Some(first) = rx.blocking_recv() else {
            write(&*store, &mut batch, &metrics);
            return;
        };
        let mut closing = false;
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Record(r) => batch.push(*r),
                Msg::Flush(ack) => acks.push(ack),
                Msg::Close(ack) => {
                    acks.push(ack);
                    closing = true;
                    break;
                }
            }
            if batch.len() >= BATCH {
                break;
            }
            next = rx.try_recv().ok();
        }
        write(&*store, &mut batch, &metrics);
        for ack in acks.drain(..) {
            let _ = ack.send(());
        }
        if closing {
            rx.close();
            // Anything that slipped in between is still written.
            while let Ok(msg) = rx.try_recv() {
                if let Msg::Record(r) = msg {
                    batch.push(*r);
                }
            }
            write(&*store, &mut batch, &metrics);
            return;
        }
    }
}

fn write(store: &dyn Store, batch: &mut Vec<AuditRecord>, metrics: &Metrics) {
    if batch.is_empty() {
        return;
    }
    let mut delay = Duration::from_millis(10);
    loop {
        match store.append_audit(batch) {
            Ok(()) => break,
            Err(e) => {
                tracing::error!(error = %e, records = batch.len(), "cannot write the audit log; retrying");
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(1));
            }
        }
    }
    metrics.audit_written(u64::try_from(batch.len()).unwrap_or(u64::MAX));
    batch.clear();
}
