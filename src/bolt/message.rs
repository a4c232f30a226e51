//! Bolt's messages as Rust values, both directions: the requests a client sends (HELLO,
//! LOGON, LOGOFF, RUN, PULL, DISCARD, BEGIN, COMMIT, ROLLBACK, RESET, GOODBYE, ROUTE,
//! TELEMETRY) and the responses a server sends (SUCCESS, RECORD, IGNORED, FAILURE).
//!
//! It owns each message's tag and field layout for Bolt 4.4–6.0. It must not decide what a
//! message means in a state (`state.rs`) nor frame bytes (`chunk.rs`).

use super::packstream::{DecodeError, Decoder, Dialect, Encoder};
use crate::value::Value;
use std::collections::BTreeMap;

/// A dictionary of message metadata.
pub type Meta = BTreeMap<String, Value>;

/// Message tags.
pub mod tag {
    /// HELLO.
    pub const HELLO: u8 = 0x01;
    /// GOODBYE.
    pub const GOODBYE: u8 = 0x02;
    /// RESET.
    pub const RESET: u8 = 0x0F;
    /// RUN.
    pub const RUN: u8 = 0x10;
    /// BEGIN.
    pub const BEGIN: u8 = 0x11;
    /// COMMIT.
    pub const COMMIT: u8 = 0x12;
    /// ROLLBACK.
    pub const ROLLBACK: u8 = 0x13;
    /// DISCARD.
    pub const DISCARD: u8 = 0x2F;
    /// PULL.
    pub const PULL: u8 = 0x3F;
    /// TELEMETRY.
    pub const TELEMETRY: u8 = 0x54;
    /// ROUTE.
    pub const ROUTE: u8 = 0x66;
    /// LOGON.
    pub const LOGON: u8 = 0x6A;
    /// LOGOFF.
    pub const LOGOFF: u8 = 0x6B;
    /// SUCCESS.
    pub const SUCCESS: u8 = 0x70;
    /// RECORD.
    pub const RECORD: u8 = 0x71;
    /// IGNORED.
    pub const IGNORED: u8 = 0x7E;
    /// FAILURE.
    pub const FAILURE: u8 = 0x7F;
}

/// A client's request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// HELLO: user agent, routing context, and (before 5.1) the auth token.
    Hello(Meta),
    /// LOGON: the auth token (5.1+).
    Logon(Meta),
    /// LOGOFF (5.1+).
    Logoff,
    /// GOODBYE: close without a reply.
    Goodbye,
    /// RESET: back to READY, discarding any failure, stream and transaction.
    Reset,
    /// RUN a query.
    Run {
        /// The query text.
        query: String,
        /// Its parameters.
        params: Meta,
        /// bookmarks, tx_timeout, tx_metadata, mode, db, imp_user, notification filters.
        extra: Meta,
    },
    /// BEGIN an explicit transaction.
    Begin(Meta),
    /// COMMIT.
    Commit,
    /// ROLLBACK.
    Rollback,
    /// DISCARD `n` records (-1: all) of result `qid` (-1: the last).
    Discard {
        /// How many.
        n: i64,
        /// Which result.
        qid: i64,
    },
    /// PULL `n` records (-1: all) of result `qid` (-1: the last).
    Pull {
        /// How many.
        n: i64,
        /// Which result.
        qid: i64,
    },
    /// ROUTE: the routing table for a database.
    Route {
        /// The routing context (the address the client dialled, and URL parameters).
        routing: Meta,
        /// Bookmarks the table must reflect.
        bookmarks: Vec<String>,
        /// `db` and `imp_user`.
        extra: Meta,
    },
    /// TELEMETRY: which driver API the next work uses.
    Telemetry(i64),
}

/// A server's response.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// SUCCESS with metadata.
    Success(Meta),
    /// One RECORD of a result.
    Record(Vec<Value>),
    /// IGNORED: the request was not processed (the connection is FAILED or interrupted).
    Ignored,
    /// FAILURE with metadata (code and message, and the GQL fields from 5.7).
    Failure(Meta),
}

impl Request {
    /// The message's name, as Neo4j's errors write it.
    pub fn name(&self) -> &'static str {
        match self {
            Request::Hello(_) => "HELLO",
            Request::Logon(_) => "LOGON",
            Request::Logoff => "LOGOFF",
            Request::Goodbye => "GOODBYE",
            Request::Reset => "RESET",
            Request::Run { .. } => "RUN",
            Request::Begin(_) => "BEGIN",
            Request::Commit => "COMMIT",
            Request::Rollback => "ROLLBACK",
            Request::Discard { .. } => "DISCARD",
            Request::Pull { .. } => "PULL",
            Request::Route { .. } => "ROUTE",
            Request::Telemetry(_) => "TELEMETRY",
        }
    }

    /// The message as PackStream bytes (to be chunked).
    pub fn encode(&self, dialect: Dialect) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = Encoder::new(&mut out, dialect);
        match self {
            Request::Hello(m) => {
                e.struct_header(1, tag::HELLO);
                e.map(m);
            }
            Request::Logon(m) => {
                e.struct_header(1, tag::LOGON);
                e.map(m);
            }
            Request::Logoff => e.struct_header(0, tag::LOGOFF),
            Request::Goodbye => e.struct_header(0, tag::GOODBYE),
            Request::Reset => e.struct_header(0, tag::RESET),
            Request::Run {
                query,
                params,
                extra,
            } => {
                e.struct_header(3, tag::RUN);
                e.string(query);
                e.map(params);
                e.map(extra);
            }
            Request::Begin(m) => {
                e.struct_header(1, tag::BEGIN);
                e.map(m);
            }
            Request::Commit => e.struct_header(0, tag::COMMIT),
            Request::Rollback => e.struct_header(0, tag::ROLLBACK),
            Request::Discard { n, qid } | Request::Pull { n, qid } => {
                let t = if matches!(self, Request::Pull { .. }) {
                    tag::PULL
                } else {
                    tag::DISCARD
                };
                e.struct_header(1, t);
                let mut m = Meta::new();
                m.insert("n".into(), Value::Int(*n));
                if *qid != -1 {
                    m.insert("qid".into(), Value::Int(*qid));
                }
                e.map(&m);
            }
            Request::Route {
                routing,
                bookmarks,
                extra,
            } => {
                e.struct_header(3, tag::ROUTE);
                e.map(routing);
                e.list_header(bookmarks.len());
                for b in bookmarks {
                    e.string(b);
                }
                e.map(extra);
            }
            Request::Telemetry(api) => {
                e.struct_header(1, tag::TELEMETRY);
                e.int(*api);
            }
        }
        out
    }

    /// A request from one message's bytes.
    pub fn decode(bytes: &[u8]) -> Result<Request, DecodeError> {
        let mut d = Decoder::new(bytes);
        let (fields, t) = d.struct_header()?;
        let arity = |want: usize| {
            if fields == want {
                Ok(())
            } else {
                Err(DecodeError::BadStructure {
                    tag: t,
                    why: "wrong number of fields for this message",
                })
            }
        };
        let r = match t {
            tag::HELLO => {
                arity(1)?;
                Request::Hello(d.map()?)
            }
            tag::LOGON => {
                arity(1)?;
                Request::Logon(d.map()?)
            }
            tag::LOGOFF => {
                arity(0)?;
                Request::Logoff
            }
            tag::GOODBYE => {
                arity(0)?;
                Request::Goodbye
            }
            tag::RESET => {
                arity(0)?;
                Request::Reset
            }
            tag::RUN => {
                arity(3)?;
                Request::Run {
                    query: d.string()?,
                    params: d.map()?,
                    extra: d.map()?,
                }
            }
            tag::BEGIN => {
                arity(1)?;
                Request::Begin(d.map()?)
            }
            tag::COMMIT => {
                arity(0)?;
                Request::Commit
            }
            tag::ROLLBACK => {
                arity(0)?;
                Request::Rollback
            }
            tag::DISCARD | tag::PULL => {
                arity(1)?;
                let m = d.map()?;
                let n = match m.get("n") {
                    Some(Value::Int(n)) => *n,
                    _ => {
                        return Err(DecodeError::BadStructure {
                            tag: t,
                            why: "n is missing or not an integer",
                        });
                    }
                };
                let qid = m.get("qid").and_then(Value::as_int).unwrap_or(-1);
                if t == tag::PULL {
                    Request::Pull { n, qid }
                } else {
                    Request::Discard { n, qid }
                }
            }
            tag::ROUTE => {
                arity(3)?;
                let routing = d.map()?;
                let bookmarks = match d.value()? {
                    Value::List(l) => l
                        .into_iter()
                        .filter_map(|v| match v {
                            Value::String(s) => Some(s),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                // 4.3 sent the database name itself; 4.4+ a dictionary.
                let extra = match d.value()? {
                    Value::Map(m) => m,
                    Value::String(db) => Meta::from([("db".to_string(), Value::String(db))]),
                    _ => Meta::new(),
                };
                Request::Route {
                    routing,
                    bookmarks,
                    extra,
                }
            }
            tag::TELEMETRY => {
                arity(1)?;
                Request::Telemetry(d.int()?)
            }
            other => {
                return Err(DecodeError::BadStructure {
                    tag: other,
                    why: "not a request message",
                });
            }
        };
        if !d.at_end() {
            return Err(DecodeError::Expected("nothing after the message"));
        }
        Ok(r)
    }
}

impl Response {
    /// The message as PackStream bytes (to be chunked).
    pub fn encode(&self, dialect: Dialect) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out, dialect);
        out
    }

    /// Appends the message's PackStream bytes to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>, dialect: Dialect) {
        let mut e = Encoder::new(out, dialect);
        match self {
            Response::Success(m) => {
                e.struct_header(1, tag::SUCCESS);
                e.map(m);
            }
            Response::Record(values) => {
                e.struct_header(1, tag::RECORD);
                e.list_header(values.len());
                for v in values {
                    e.value(v);
                }
            }
            Response::Ignored => e.struct_header(0, tag::IGNORED),
            Response::Failure(m) => {
                e.struct_header(1, tag::FAILURE);
                e.map(m);
            }
        }
    }

    /// A response from one message's bytes.
    pub fn decode(bytes: &[u8]) -> Result<Response, DecodeError> {
        let mut d = Decoder::new(bytes);
        let (fields, t) = d.struct_header()?;
        let r = match (t, fields) {
            (tag::SUCCESS, 1) => Response::Success(d.map()?),
            (tag::RECORD, 1) => Response::Record(d.list()?),
            (tag::IGNORED, 0) => Response::Ignored,
            (tag::FAILURE, 1) => Response::Failure(d.map()?),
            (other, _) => {
                return Err(DecodeError::BadStructure {
                    tag: other,
                    why: "not a response message",
                });
            }
        };
        if !d.at_end() {
            return Err(DecodeError::Expected("nothing after the message"));
        }
        Ok(r)
    }
}

/// A metadata entry's string.
pub fn meta_str<'m>(m: &'m Meta, key: &str) -> Option<&'m str> {
    m.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(pairs: &[(&str, Value)]) -> Meta {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn requests_round_trip() {
        let all = vec![
            Request::Hello(meta(&[("user_agent", Value::str("cysh/0.1.0"))])),
            Request::Logon(meta(&[
                ("scheme", Value::str("basic")),
                ("principal", Value::str("neo4j")),
                ("credentials", Value::str("pw")),
            ])),
            Request::Logoff,
            Request::Goodbye,
            Request::Reset,
            Request::Run {
                query: "SHOW DATABASES".into(),
                params: meta(&[("x", Value::Int(1))]),
                extra: meta(&[("db", Value::str("system"))]),
            },
            Request::Begin(Meta::new()),
            Request::Commit,
            Request::Rollback,
            Request::Discard { n: -1, qid: -1 },
            Request::Pull { n: 1000, qid: 3 },
            Request::Route {
                routing: meta(&[("address", Value::str("localhost:7687"))]),
                bookmarks: vec!["FB:x".into()],
                extra: meta(&[("db", Value::str("neo4j"))]),
            },
            Request::Telemetry(2),
        ];
        for r in all {
            let bytes = r.encode(Dialect::V5);
            assert_eq!(Request::decode(&bytes).unwrap(), r, "{}", r.name());
        }
    }

    #[test]
    fn responses_round_trip() {
        let all = vec![
            Response::Success(meta(&[("fields", Value::str_list(["name"]))])),
            Response::Record(vec![Value::str("neo4j"), Value::Null]),
            Response::Ignored,
            Response::Failure(meta(&[("code", Value::str("Neo.ClientError.X.Y"))])),
        ];
        for r in all {
            assert_eq!(Response::decode(&r.encode(Dialect::V5)).unwrap(), r);
        }
    }

    #[test]
    fn wrong_arity_and_unknown_tags_are_errors() {
        assert!(Request::decode(&[0xB1, 0x0F, 0xC0]).is_err());
        assert!(Request::decode(&[0xB0, 0x55]).is_err());
        assert!(Request::decode(&[0xB0, 0x0F, 0x01]).is_err());
        assert!(Response::decode(&[0xB0, 0x70]).is_err());
        assert!(Request::decode(&[]).is_err());
    }
}
