//! Blocking work (the store, pack loading, model validation) run off the async threads, under a
//! flag raised when nobody waits for it any more (see `missions_base::interrupt`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use missions_engine::crates::base::interrupt;
use missions_engine::said;

use super::error::{ApiError, ProblemKind};

/// Raises its flag when dropped: the request's future went away before the work finished (the
/// client disconnected, or shutdown gave up waiting), or it finished (then nobody looks).
struct RaiseOnDrop(Arc<AtomicBool>);

impl Drop for RaiseOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Run blocking work on tokio's blocking pool. If the request is dropped meanwhile, the work's
/// long loops stop at their next item (`interrupt::interrupted`) instead of running to the end
/// for nobody.
pub(crate) async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    let abandoned = Arc::new(AtomicBool::new(false));
    let raise = RaiseOnDrop(abandoned.clone());
    let lang = super::lang::current();
    let result =
        tokio::task::spawn_blocking(move || super::lang::within(lang, || interrupt::under(&[abandoned], f))).await;
    drop(raise);
    match result {
        Ok(r) => r.map_err(Into::into),
        Err(e) => Err(ApiError::internal("a background task", e)),
    }
}

/// The answer of work that stopped because nobody waited for it (seen only when the server
/// gives up during shutdown; a client that left reads nothing).
pub(crate) fn stopped() -> ApiError {
    ApiError::new(ProblemKind::Unavailable, said!("host-stopped")).help(said!("host-help-send-again"))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// Work whose request is dropped stops at its next check; work whose request waits runs to
    /// its end.
    #[tokio::test]
    async fn work_stops_when_its_request_is_dropped() {
        let (tx, rx) = std::sync::mpsc::channel();
        let work = move || {
            // At most a minute if nothing stopped it.
            for _ in 0..6_000 {
                if interrupt::interrupted() {
                    let _ = tx.send("interrupted");
                    return Ok::<_, ApiError>(());
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = tx.send("ran to the end");
            Ok(())
        };
        // The client goes away after 50 ms: the request's future is dropped.
        assert!(tokio::time::timeout(Duration::from_millis(50), blocking(work)).await.is_err());
        let said = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(30))).await.unwrap();
        assert_eq!(said, Ok("interrupted"));

        let finished = blocking(|| Ok::<_, ApiError>(interrupt::interrupted())).await.unwrap();
        assert!(!finished, "a request that waits is never interrupted");
    }
}
