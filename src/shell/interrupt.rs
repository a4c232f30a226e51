//! Ctrl-C at the prompt while a statement's rows are being written: the rows stop, the
//! statement is reported as interrupted and the session goes on, as in cypher-shell. (A
//! remote backend also stops the statement on the server; the embedded cluster's rows are
//! computed as they are written, so stopping the writing stops the work.) Between
//! statements Ctrl-C keeps its default action: the line editor reads it as a key, and a
//! piped or scripted run still ends on it.
//!
//! It owns the signal handling and the flag the writer checks. It must not print or
//! decide anything about the statement itself.

use crate::result::RowSink;
use crate::value::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The flags SIGINT sets: `hit` while a statement runs, and the default action (ending
/// the process) while `idle`.
#[derive(Debug, Clone)]
pub struct Interrupts {
    hit: Arc<AtomicBool>,
    idle: Arc<AtomicBool>,
}

impl Interrupts {
    /// Installs the handler; `None` where signals cannot be caught.
    pub fn install() -> Option<Interrupts> {
        let interrupts = Interrupts {
            hit: Arc::new(AtomicBool::new(false)),
            idle: Arc::new(AtomicBool::new(true)),
        };
        #[cfg(unix)]
        {
            use signal_hook::consts::SIGINT;
            use signal_hook::flag;
            // Checked first: while idle, SIGINT does what it always did.
            flag::register_conditional_default(SIGINT, Arc::clone(&interrupts.idle)).ok()?;
            flag::register(SIGINT, Arc::clone(&interrupts.hit)).ok()?;
            Some(interrupts)
        }
        #[cfg(not(unix))]
        {
            let _ = interrupts;
            None
        }
    }

    /// Marks a statement as running until the guard is dropped.
    pub fn running(&self) -> Running<'_> {
        self.hit.store(false, Ordering::SeqCst);
        self.idle.store(false, Ordering::SeqCst);
        Running(self)
    }

    /// True when Ctrl-C came while the statement ran.
    pub fn was_hit(&self) -> bool {
        self.hit.load(Ordering::SeqCst)
    }
}

/// A statement running: Ctrl-C sets the flag instead of ending the process.
pub struct Running<'a>(&'a Interrupts);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.idle.store(true, Ordering::SeqCst);
    }
}

/// A sink that asks for no more rows once Ctrl-C was pressed.
pub struct Stoppable<'a> {
    /// Where the rows go.
    pub inner: &'a mut dyn RowSink,
    /// The flags, if Ctrl-C is caught.
    pub interrupts: Option<&'a Interrupts>,
}

impl RowSink for Stoppable<'_> {
    fn columns(&mut self, fields: &[String]) {
        self.inner.columns(fields);
    }

    fn row(&mut self, row: Vec<Value>) -> bool {
        if self.interrupts.is_some_and(Interrupts::was_hit) {
            return false;
        }
        self.inner.row(row)
    }
}
