//! Defects in roadlog itself: a panic becomes an error the caller can render, so whatever slips
//! past the tests is reported as roadlog's fault with exit 2, never as exit 101 and a backtrace,
//! and `check --format json|github|sarif` still hands its reader a document saying it failed.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use crate::error::Error;

/// Where the latest panic happened, recorded by the hook for the error that reports it. Threads
/// of the pool panic on their own stack and the payload travels to the caller without its
/// location, so it is kept here rather than in a thread-local.
static LAST: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the default hook (which prints a backtrace) with one that only records the panic's
/// location: the panic is reported where it is caught, in the run's own format. A panic that is
/// recovered from (a helper thread whose work is redone) prints nothing.
pub fn install_hook() {
    panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST.lock() {
            *last = Some(place);
        }
    }));
}

/// Runs `f`, turning a panic inside it into [`Error::Internal`].
pub fn catch<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        let place = LAST.lock().ok().and_then(|mut l| l.take());
        Err(Error::Internal {
            message: match place {
                Some(place) if !place.is_empty() => format!("{what} (at {place})"),
                _ => what,
            },
        })
    })
}

/// A panic on purpose, for the tests that prove a defect is reported rather than crashing:
/// `ROADLOG_DEBUG_PANIC=<stage>` panics at that stage, in debug builds only (a release build
/// compiles this to nothing).
#[track_caller]
pub fn trip(stage: &str) {
    if cfg!(debug_assertions) && std::env::var("ROADLOG_DEBUG_PANIC").is_ok_and(|s| s == stage) {
        panic!("ROADLOG_DEBUG_PANIC={stage}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_an_internal_error_with_its_message() {
        let got = catch::<()>(|| panic!("boom {}", 7));
        let Err(Error::Internal { message }) = got else {
            panic!("not an internal error: {got:?}");
        };
        assert!(message.starts_with("boom 7"), "{message}");
        assert_eq!(catch(|| Ok(3)).ok(), Some(3));
    }
}
