//! Panics inside a handler's future, caught at each poll.

use std::any::Any;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind as catch, AssertUnwindSafe};
use std::task::Poll;

/// Runs `future` to completion, or returns the panic's message.
pub async fn catch_unwind<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = std::pin::pin!(future);
    poll_fn(move |cx| match catch(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
        Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(panic) => Poll::Ready(Err(panic_message(&*panic).to_owned())),
    })
    .await
}

/// The text of a panic payload.
pub fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-string panic payload")
}
