//! The remote backend's tokio runtime: one thread, the caller's.
//!
//! The shell and `cysh twin` wait for every reply anyway, and driving the connection on the
//! calling thread saves a hand-off between threads per statement. It must not start
//! anything on the runtime itself: the backend does, through `block_on`.

use std::sync::Arc;
use tokio::runtime::Runtime;

/// The runtime could not be built (the operating system refused a resource).
#[derive(Debug, thiserror::Error)]
#[error("Could not start the async runtime: {0}")]
pub struct RuntimeError(#[from] std::io::Error);

/// A current-thread runtime with I/O and timers, shared by the backend and its owner.
pub fn current_thread() -> Result<Arc<Runtime>, RuntimeError> {
    Ok(Arc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    ))
}
