//! The evaluation pool: a fixed set of threads that run rule evaluations, fed through a bounded
//! queue. Evaluations are CPU work (tens of microseconds, up to the pack's operation limit), so
//! they stay off the async threads that serve sockets; and unlike tokio's blocking pool, which
//! grows a thread per concurrent call, the pool never runs more evaluations at once than it has
//! threads, so a burst queues instead of thrashing the CPU. A full queue refuses at once (the
//! client gets 503 and may retry) rather than let latency grow without bound.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// Why a job did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolError {
    /// The queue is full.
    Busy,
    /// The pool stopped, or the job panicked.
    Failed,
}

/// A fixed pool of evaluation threads.
#[derive(Debug)]
pub struct EvalPool {
    tx: SyncSender<Job>,
    threads: usize,
}

fn worker(rx: &Mutex<Receiver<Job>>) {
    loop {
        // One thread waits on the channel, the others on the lock: same effect, one queue.
        let job = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match job {
            Ok(job) => {
                if catch_unwind(AssertUnwindSafe(job)).is_err() {
                    tracing::error!("an evaluation panicked; the pool thread carries on");
                }
            }
            Err(_) => return,
        }
    }
}

impl EvalPool {
    /// A pool of `threads` threads (at least 1) and room for `queue` waiting jobs.
    pub fn new(threads: usize, queue: usize) -> std::io::Result<Self> {
        let threads = threads.max(1);
        let (tx, rx) = sync_channel::<Job>(queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            std::thread::Builder::new().name(format!("eval-{i}")).spawn(move || worker(&rx))?;
        }
        Ok(Self { tx, threads })
    }

    /// Threads in the pool: `MISSIONS_EVAL_THREADS`, else one per CPU but one (at least one).
    /// The CPU left over parses requests, writes responses and the audit log: on 2 cores under
    /// wrk, 1 evaluation thread gave the same throughput as 2 and a p99 of 3 ms instead of 11.
    pub fn default_threads() -> usize {
        std::env::var("MISSIONS_EVAL_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1)))
    }

    /// How many threads it has.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Run `f` on the pool and wait for its result. A job whose caller stopped waiting (a
    /// timeout) before it started is skipped.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, PoolError> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            if !done.is_closed() {
                let _ = done.send(f());
            }
        });
        self.tx.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => PoolError::Busy,
            TrySendError::Disconnected(_) => PoolError::Failed,
        })?;
        result.await.map_err(|_| PoolError::Failed)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn runs_jobs_refuses_when_full_and_survives_panics() {
        let pool = EvalPool::new(1, 1).unwrap();
        assert_eq!(pool.run(|| 2 + 2).await, Ok(4));
        assert_eq!(pool.run(|| -> i32 { std::panic::panic_any("boom") }).await, Err(PoolError::Failed));
        assert_eq!(pool.run(|| 5).await, Ok(5), "the thread survived the panic");
        // One job running, one queued: the third is refused.
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let wait = Mutex::new(wait);
        let first = pool.run(move || wait.lock().unwrap().recv().is_ok());
        let second = pool.run(|| true);
        let (mut first, mut second) = (Box::pin(first), Box::pin(second));
        assert!(futures_poll(&mut first).is_none(), "the first job is sent and runs");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(futures_poll(&mut second).is_none(), "the second job waits in the queue");
        assert_eq!(pool.run(|| true).await, Err(PoolError::Busy));
        go.send(()).unwrap();
        assert_eq!(first.await, Ok(true));
        assert_eq!(second.await, Ok(true));
    }

    fn futures_poll<F: std::future::Future + Unpin>(f: &mut F) -> Option<F::Output> {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        match std::pin::Pin::new(f).poll(&mut cx) {
            std::task::Poll::Ready(v) => Some(v),
            std::task::Poll::Pending => None,
        }
    }
}
