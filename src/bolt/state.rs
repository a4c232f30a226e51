//! The server states of a Bolt connection and which requests each admits.
//!
//! It owns the table of Neo4j's server-state page: what a request in a state is — handled,
//! ignored (FAILED: everything until RESET) or a protocol violation. It must not run
//! anything: the server decides the outcome of a handled request and the next state.

use super::message::Request;

/// A Bolt connection's server state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// After the handshake, waiting for HELLO.
    Negotiation,
    /// After HELLO (5.1+), waiting for LOGON.
    Authentication,
    /// Ready for work.
    Ready,
    /// An auto-commit result is open.
    Streaming,
    /// Inside an explicit transaction.
    TxReady,
    /// Inside an explicit transaction with a result open.
    TxStreaming,
    /// A request failed; everything is IGNORED until RESET.
    Failed,
    /// The connection is to be closed.
    Defunct,
}

impl State {
    /// The state's name as Neo4j's messages write it.
    pub fn name(self) -> &'static str {
        match self {
            State::Negotiation => "CONNECTED",
            State::Authentication => "AUTHENTICATION",
            State::Ready => "READY",
            State::Streaming => "STREAMING",
            State::TxReady => "TX_READY",
            State::TxStreaming => "TX_STREAMING",
            State::Failed => "FAILED",
            State::Defunct => "DEFUNCT",
        }
    }
}

/// What to do with a request in a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Process it.
    Handle,
    /// Answer IGNORED and stay.
    Ignore,
    /// A protocol violation: answer FAILURE and close.
    Violation,
}

/// What `request` is in `state`.
pub fn admits(state: State, request: &Request) -> Verdict {
    use Request as R;
    if matches!(request, R::Goodbye) {
        return Verdict::Handle;
    }
    let ok = match state {
        State::Negotiation => matches!(request, R::Hello(_)),
        State::Authentication => matches!(request, R::Logon(_)),
        State::Ready => matches!(
            request,
            R::Run { .. } | R::Begin(_) | R::Route { .. } | R::Reset | R::Logoff | R::Telemetry(_)
        ),
        State::Streaming => matches!(request, R::Pull { .. } | R::Discard { .. } | R::Reset),
        State::TxReady => matches!(
            request,
            R::Run { .. } | R::Commit | R::Rollback | R::Reset | R::Telemetry(_)
        ),
        State::TxStreaming => matches!(
            request,
            R::Run { .. } | R::Pull { .. } | R::Discard { .. } | R::Commit | R::Rollback | R::Reset
        ),
        State::Failed => {
            return if matches!(request, R::Reset) {
                Verdict::Handle
            } else {
                Verdict::Ignore
            };
        }
        State::Defunct => false,
    };
    if ok {
        Verdict::Handle
    } else {
        Verdict::Violation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_ignores_all_but_reset() {
        assert_eq!(admits(State::Failed, &Request::Commit), Verdict::Ignore);
        assert_eq!(admits(State::Failed, &Request::Reset), Verdict::Handle);
        assert_eq!(admits(State::Failed, &Request::Goodbye), Verdict::Handle);
    }

    #[test]
    fn out_of_state_requests_are_violations() {
        let pull = Request::Pull { n: -1, qid: -1 };
        assert_eq!(admits(State::Ready, &pull), Verdict::Violation);
        assert_eq!(admits(State::Negotiation, &pull), Verdict::Violation);
        assert_eq!(admits(State::Streaming, &pull), Verdict::Handle);
        assert_eq!(admits(State::Ready, &Request::Commit), Verdict::Violation);
    }
}
