//! `--idle-timeout`: ends the interactive shell after a time at the prompt with no
//! keystroke, as cypher-shell does (its message, exit status 124). The time a statement
//! runs does not count.
//!
//! It owns the watch thread and the clock it reads. It must not touch the session: on
//! timeout the process ends (history is already on disk: the prompt appends every entry
//! as it is typed), after the terminal is put back out of the line editor's raw mode.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// cypher-shell's words when it gives up waiting.
pub const MESSAGE: &str =
    "Timeout after idling, avoid this by increasing --idle-timeout or omitting it completely.";

/// The exit status (cypher-shell's, as `timeout(1)`'s).
pub const EXIT_STATUS: i32 = 124;

/// How often the watch looks at the clock at most.
const TICK: Duration = Duration::from_millis(250);

/// A shared handle on the watch: the prompt touches it on every keystroke and pauses it
/// while a statement runs.
#[derive(Clone)]
pub struct IdleWatch {
    start: Instant,
    /// Milliseconds since `start` when the user was last seen.
    last_seen: Arc<AtomicU64>,
    paused: Arc<AtomicBool>,
}

impl IdleWatch {
    /// Starts watching: after `timeout` with no [`IdleWatch::touch`] while not paused, the
    /// process prints [`MESSAGE`] and exits with [`EXIT_STATUS`].
    pub fn start(timeout: Duration) -> IdleWatch {
        let watch = IdleWatch {
            start: Instant::now(),
            last_seen: Arc::new(AtomicU64::new(0)),
            paused: Arc::new(AtomicBool::new(false)),
        };
        let terminal = saved_terminal();
        let seen = watch.clone();
        let limit = timeout.as_millis().min(u128::from(u64::MAX)) as u64;
        let tick = TICK.min(timeout.max(Duration::from_millis(10)));
        let spawned = std::thread::Builder::new()
            .name("idle-timeout".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(tick);
                    if !seen.paused.load(Ordering::SeqCst) && seen.idle_ms() > limit {
                        restore_terminal(terminal.as_ref());
                        eprintln!("\n{MESSAGE}");
                        std::process::exit(EXIT_STATUS);
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("Could not start the idle timeout: {e}");
        }
        watch
    }

    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis().min(u128::from(u64::MAX)) as u64
    }

    fn idle_ms(&self) -> u64 {
        self.now_ms()
            .saturating_sub(self.last_seen.load(Ordering::SeqCst))
    }

    /// The user did something: the idle time starts again.
    pub fn touch(&self) {
        self.last_seen.store(self.now_ms(), Ordering::SeqCst);
    }

    /// A statement is running: idle time does not count until [`IdleWatch::resume`].
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    /// Back at the prompt: idle time counts again, from now.
    pub fn resume(&self) {
        self.touch();
        self.paused.store(false, Ordering::SeqCst);
    }
}

#[cfg(unix)]
type Terminal = nix::sys::termios::Termios;
#[cfg(not(unix))]
type Terminal = ();

/// The terminal's settings before the line editor changes them.
#[cfg(unix)]
fn saved_terminal() -> Option<Terminal> {
    nix::sys::termios::tcgetattr(std::io::stdin()).ok()
}

#[cfg(not(unix))]
fn saved_terminal() -> Option<Terminal> {
    None
}

/// Puts the terminal back as it was, so the user's shell is not left in raw mode.
#[cfg(unix)]
fn restore_terminal(saved: Option<&Terminal>) {
    if let Some(t) = saved {
        let _ =
            nix::sys::termios::tcsetattr(std::io::stdin(), nix::sys::termios::SetArg::TCSANOW, t);
    }
}

#[cfg(not(unix))]
fn restore_terminal(_: Option<&Terminal>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_and_pausing_move_the_clock() {
        let w = IdleWatch {
            start: Instant::now() - Duration::from_secs(10),
            last_seen: Arc::new(AtomicU64::new(0)),
            paused: Arc::new(AtomicBool::new(false)),
        };
        assert!(w.idle_ms() >= 10_000);
        w.touch();
        assert!(w.idle_ms() < 10_000);
        w.pause();
        assert!(w.paused.load(Ordering::SeqCst));
        w.resume();
        assert!(!w.paused.load(Ordering::SeqCst));
    }
}
