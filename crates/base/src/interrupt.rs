//! Stopping long work nobody waits for any more. The HTTP host runs each request's blocking work
//! under a flag it raises when the client goes away (the request's future is dropped) or when the
//! server shuts down; the loops of long work (replaying inputs, running golden cases, migrating
//! many missions) ask [`interrupted`] between items and stop there, reporting what they did not do.
//!
//! The flag is the calling thread's, so the libraries need no extra parameter; outside
//! [`under`] nothing is ever interrupted (the CLI, tests, benchmarks).

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    static FLAGS: RefCell<Vec<Arc<AtomicBool>>> = const { RefCell::new(Vec::new()) };
}

/// Restores the thread's flags as they were, even if the work panics.
struct Restore(usize);

impl Drop for Restore {
    fn drop(&mut self) {
        FLAGS.with(|f| f.borrow_mut().truncate(self.0));
    }
}

/// Run `work` on this thread so that [`interrupted`] turns true once any of `flags` is raised
/// (for the host: the request's own, and the server's shutdown flag).
pub fn under<T>(flags: &[Arc<AtomicBool>], work: impl FnOnce() -> T) -> T {
    let depth = FLAGS.with(|f| {
        let mut f = f.borrow_mut();
        let depth = f.len();
        f.extend(flags.iter().cloned());
        depth
    });
    let _restore = Restore(depth);
    work()
}

/// Whether the work running on this thread should stop: a flag it runs [`under`] is raised.
pub fn interrupted() -> bool {
    FLAGS.with(|f| f.borrow().iter().any(|flag| flag.load(Ordering::Relaxed)))
}

/// The message a stopped piece of work gives, in English.
pub const STOPPED: &str = "stopped: the client went away or the server is shutting down";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_interrupted_only_under_a_raised_flag_and_only_while_it_runs() {
        assert!(!interrupted(), "outside `under`, never");
        let (request, shutdown) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
        under(&[request.clone(), shutdown.clone()], || {
            assert!(!interrupted());
            shutdown.store(true, Ordering::Relaxed);
            assert!(interrupted(), "either flag stops the work");
            under(&[Arc::new(AtomicBool::new(false))], || assert!(interrupted(), "an outer flag still counts"));
        });
        assert!(!interrupted(), "the flags go with the work");
        let raised = Arc::new(AtomicBool::new(true));
        let caught = std::panic::catch_unwind(|| under(std::slice::from_ref(&raised), || panic!("boom")));
        assert!(caught.is_err());
        assert!(!interrupted(), "even after a panic");
        // Another thread is not interrupted by this one's flags.
        under(&[raised], || std::thread::spawn(interrupted).join().map(|other| assert!(!other)).unwrap());
    }
}
