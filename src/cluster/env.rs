//! The injected environment: the clock and the id generator, so the cluster is
//! deterministic for the same state and input (fixed in tests, real in production).
//!
//! It owns time and randomness. Nothing else in `cluster` may read the system clock or a
//! random source.

/// Where the cluster gets times and ids.
pub trait Env: Send {
    /// The current time as ISO-8601 UTC text with milliseconds (`2026-11-21T10:15:30.123Z`).
    fn now(&mut self) -> String;
    /// A new v4-style UUID, lower-case hyphenated.
    fn new_id(&mut self) -> String;
    /// The current time as an instant (the same clock as `now`).
    fn timestamp(&mut self) -> jiff::Timestamp {
        self.now().parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

/// Real UTC time (jiff) and random v4 UUIDs.
#[derive(Debug, Default)]
pub struct SystemEnv;

impl Env for SystemEnv {
    fn timestamp(&mut self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }

    fn now(&mut self) -> String {
        jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    }

    fn new_id(&mut self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
}

/// A fixed clock and sequential ids (`00000000-0000-4000-8000-000000000001`, ...), for tests.
#[derive(Debug, Default)]
pub struct FixedEnv {
    counter: u64,
}

impl Env for FixedEnv {
    fn now(&mut self) -> String {
        "2026-11-21T10:15:30.123Z".into()
    }

    fn new_id(&mut self) -> String {
        self.counter += 1;
        format!("00000000-0000-4000-8000-{:012x}", self.counter)
    }
}
