//! The library part of `cysh check`: split a script as the shell does, apply `:param`
//! lines, parse and parameter-check each statement, and report each one.
//!
//! It owns the per-statement verdicts and their JSON form (PRODUCT.md, "cysh check
//! --json"). It must not read files or print: `shell::check` does.

use super::command::{Command, param_name};
use super::split::{Piece, PieceKind, pieces};
use super::{CypherVersion, Params, eval, params, parse_as};
use crate::error::Neo4jError;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value as Json;
use std::collections::VecDeque;
use std::sync::{Arc, mpsc};

/// The verdict on one statement (or on a failing `:param` line).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// 1-based index among the reported items of the input.
    pub index: usize,
    /// Line of the statement's first character in the input.
    pub line: usize,
    /// Column of the statement's first character in the input.
    pub column: usize,
    /// The statement text.
    pub text: String,
    /// The statement's kind when valid, or the error.
    pub outcome: Result<&'static str, Neo4jError>,
}

impl Report {
    /// The JSON object of PRODUCT.md. The error's `message` is the message without
    /// Neo4j's ` (line L, column C (offset: O))` suffix: PRODUCT.md's example ends the
    /// message before it and gives the position as separate fields. Errors without a
    /// position (none today) would have `null` line, column and offset.
    pub fn to_json(&self) -> Json {
        serde_json::to_value(JsonLine {
            report: self,
            file: None,
        })
        .unwrap_or(Json::Null)
    }
}

/// One line of `cysh check --json`: a [`Report`] as PRODUCT.md's object, with a `file` key
/// first when several files are checked. Serialised field by field (no intermediate
/// `Value`), since a 50 MB script makes a million of them.
pub struct JsonLine<'a> {
    /// The verdict.
    pub report: &'a Report,
    /// The file it came from, when there are several.
    pub file: Option<&'a str>,
}

impl Serialize for JsonLine<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.report;
        let mut m = serializer.serialize_map(None)?;
        if let Some(file) = self.file {
            m.serialize_entry("file", file)?;
        }
        m.serialize_entry("index", &r.index)?;
        m.serialize_entry("line", &r.line)?;
        m.serialize_entry("column", &r.column)?;
        m.serialize_entry("ok", &r.outcome.is_ok())?;
        match &r.outcome {
            Ok(kind) => m.serialize_entry("kind", kind)?,
            Err(e) => {
                m.serialize_entry("kind", &None::<&str>)?;
                // The message may quote a password literal; the positions stay the
                // file's, so only the message is masked.
                let masked = crate::dialect::secrets::mask_error(e, &r.text).0;
                let e = Neo4jError {
                    position: e.position,
                    ..masked
                };
                m.serialize_entry("error", &ErrorJson(&e))?;
            }
        }
        m.end()
    }
}

/// The `error` object of a [`JsonLine`].
struct ErrorJson<'a>(&'a Neo4jError);

impl Serialize for ErrorJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut m = serializer.serialize_map(Some(5))?;
        m.serialize_entry("code", &e.code)?;
        m.serialize_entry("message", &e.message)?;
        m.serialize_entry("line", &e.position.map(|p| p.line))?;
        m.serialize_entry("column", &e.position.map(|p| p.column))?;
        m.serialize_entry("offset", &e.position.map(|p| p.offset))?;
        m.end()
    }
}

/// Checks one statement, read in Cypher `version` (its own `CYPHER` prefix wins), against
/// the session parameters.
pub fn check_statement(
    text: &str,
    params: &Params,
    version: CypherVersion,
) -> Result<&'static str, Neo4jError> {
    let stmt = parse_as(text, version)?;
    params::check_in(&stmt, params, Some(text))?;
    Ok(stmt.kind())
}

/// Checks every statement of `input` in Cypher `version`. `:param` lines update `params`
/// as the shell would; a failing `:param` line is reported (it would fail in the shell
/// too); other colon-commands are skipped. Indexes count reported items.
pub fn check_script(
    input: &str,
    params: &mut Params,
    now: jiff::Timestamp,
    version: CypherVersion,
) -> Vec<Report> {
    let mut reports = Vec::new();
    check_script_with(input, params, now, version, |r| reports.push(r));
    reports
}

/// [`check_script`], handing each report to `sink` as soon as it is made (no list of
/// reports is kept, which matters for large scripts).
///
/// A large script's statements are parsed a batch at a time by a few threads (up to the
/// machine's cores): parsing does not depend on the session, so only the parameter
/// check, which does (`:param` lines change it as they come), and the reports stay in
/// input order on this thread. The reports are the same whatever the number of threads.
pub fn check_script_with(
    input: &str,
    params: &mut Params,
    now: jiff::Timestamp,
    version: CypherVersion,
    sink: impl FnMut(Report),
) {
    let mut pieces = pieces(input);
    // The first batch tells whether the script is long enough for threads.
    let first: Vec<Piece> = pieces.by_ref().take(BATCH + 1).collect();
    let workers = workers_for(first.len());
    check_pieces(
        first.into_iter().chain(pieces),
        params,
        now,
        version,
        workers,
        sink,
    );
}

/// [`check_script_with`] of the script's pieces, parsing on `workers` threads. The
/// pieces are taken a batch at a time (a large script's are never all held at once).
fn check_pieces(
    mut pieces: impl Iterator<Item = Piece>,
    params: &mut Params,
    now: jiff::Timestamp,
    version: CypherVersion,
    workers: usize,
    sink: impl FnMut(Report),
) {
    let mut verdicts = Verdicts {
        params,
        now,
        version,
        index: 0,
        sink,
    };
    let mut next = || -> Option<Vec<Piece>> {
        let batch: Vec<Piece> = pieces.by_ref().take(BATCH).collect();
        (!batch.is_empty()).then_some(batch)
    };
    // A pipeline: this thread splits batches and hands them out in turn to the parsing
    // threads (batch k to lane k mod lanes), then takes the lanes' results in the same
    // turn, so they come back in input order, and makes the verdicts while the threads
    // parse the batches after. Splitting and the verdicts no longer leave the parsers idle.
    // With one worker no thread starts, and every batch is checked here as it comes (the
    // same path as a batch whose thread could not start).
    let threads = if workers > 1 { workers } else { 0 };
    std::thread::scope(|scope| {
        let mut lanes = Vec::new();
        for _ in 0..threads {
            let (to_lane, batches) = mpsc::sync_channel::<Arc<Vec<Piece>>>(AHEAD);
            let (done, from_lane) = mpsc::sync_channel::<Vec<Option<Parsed>>>(AHEAD);
            let spawned = std::thread::Builder::new()
                // The main thread's size: deep statements recurse as deep here.
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || {
                    for batch in batches {
                        // A panic leaves the batch to be checked one statement at a time
                        // on the main thread (`None`), as without threads.
                        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            parse_part(&batch, version)
                        }))
                        .unwrap_or_else(|_| vec![None; batch.len()]);
                        // The batch goes back whole to the main thread before the verdicts.
                        drop(batch);
                        if done.send(parsed).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_ok() {
                lanes.push((to_lane, from_lane));
            }
        }
        let mut pending: VecDeque<(Arc<Vec<Piece>>, Option<usize>)> = VecDeque::new();
        let mut sent = 0;
        loop {
            // With no lane (one worker, or none could start) the batches wait here for
            // this thread.
            while pending.len() < lanes.len().max(1) * AHEAD {
                let Some(batch) = next() else { break };
                let batch = Arc::new(batch);
                let lane = sent % lanes.len().max(1);
                // A lane that is gone (or none started) leaves its batch to this thread.
                let to = lanes
                    .get(lane)
                    .and_then(|(to, _)| to.send(Arc::clone(&batch)).ok())
                    .map(|()| lane);
                pending.push_back((batch, to));
                sent += 1;
            }
            let Some((batch, lane)) = pending.pop_front() else {
                return;
            };
            let parsed = lane.and_then(|l| lanes[l].1.recv().ok());
            let batch = Arc::try_unwrap(batch).unwrap_or_else(|shared| (*shared).clone());
            let parsed = parsed.unwrap_or_else(|| vec![None; batch.len()]);
            verdicts.batch(batch, parsed);
        }
    });
}

/// Batches handed to a parsing thread ahead of the one being reported: enough to keep it
/// busy while the main thread splits and reports, few enough to hold little.
const AHEAD: usize = 2;

/// The verdicts on a script's pieces, made in input order on the main thread: the
/// parameter check against the session as `:param` lines change it, and the reports.
struct Verdicts<'p, S> {
    params: &'p mut Params,
    now: jiff::Timestamp,
    version: CypherVersion,
    index: usize,
    sink: S,
}

impl<S: FnMut(Report)> Verdicts<'_, S> {
    /// Reports the pieces of `batch`; `parsed` holds what a parsing thread made of each
    /// (`None`: parse it here).
    fn batch(&mut self, mut batch: Vec<Piece>, parsed: Vec<Option<Parsed>>) {
        for (piece, parsed) in batch.iter_mut().zip(parsed) {
            let outcome = match (&piece.kind, parsed) {
                (PieceKind::Cypher, Some(parsed)) => parsed.and_then(|(kind, used)| {
                    params::check_used(&used, self.params, Some(&piece.text))?;
                    Ok(kind)
                }),
                (PieceKind::Cypher, None) => {
                    check_statement(&piece.text, self.params, self.version)
                }
                (PieceKind::Command { name, args }, _) if name == ":param" || name == ":params" => {
                    // Listing, clearing and showing one parameter change nothing to check.
                    if matches!(args.trim(), "" | "list" | "clear")
                        || (name == ":params" && param_name(args).is_some())
                    {
                        if args.trim() == "clear" {
                            self.params.clear();
                        }
                        continue;
                    }
                    match eval::assign::eval_assignment(args, self.params, self.now) {
                        Ok(values) => {
                            self.params.extend(values);
                            continue;
                        }
                        // Positions inside the argument text would not match the command's
                        // text; the report locates the command itself.
                        Err(e) => Err(Neo4jError {
                            position: None,
                            ..e
                        }),
                    }
                }
                // Every name the shell accepts (`dialect::command`) is skipped.
                (PieceKind::Command { name, .. }, _) if Command::find(name).is_some() => continue,
                // The shell would refuse it: so does the check, in the shell's words.
                (PieceKind::Command { name, .. }, _) => Err(Neo4jError::new(
                    crate::error::code::REQUEST_INVALID,
                    format!("Could not find command {name}, use :help to see available commands"),
                )),
            };
            self.index += 1;
            (self.sink)(Report {
                index: self.index,
                line: piece.position.line,
                column: piece.position.column,
                text: std::mem::take(&mut piece.text),
                outcome,
            });
        }
    }
}

/// Pieces handed to a parsing thread together: enough that the hand-over costs little
/// against the parsing, few enough that the statements' parameter lists held at once stay
/// small.
const BATCH: usize = 4096;

/// The most threads [`check_script_with`] parses with.
const MAX_WORKERS: usize = 8;

/// Threads to parse `pieces` statements with: one (this thread) for a script of one batch
/// or less.
fn workers_for(pieces: usize) -> usize {
    if pieces <= BATCH {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
}

/// What a statement's check needs of its parse, made ahead of the session's parameters:
/// its kind and the parameters it uses, or the parse error.
type Parsed = Result<(&'static str, Vec<(super::ast::Param, params::ParamType)>), Neo4jError>;

/// Parses the Cypher pieces of `part` in Cypher `version`; `None` for a command.
fn parse_part(part: &[Piece], version: CypherVersion) -> Vec<Option<Parsed>> {
    part.iter()
        .map(|piece| {
            (piece.kind == PieceKind::Cypher).then(|| {
                let stmt = parse_as(&piece.text, version)?;
                Ok((stmt.kind(), params::collect(&stmt)))
            })
        })
        .collect()
}

/// The stack of a parsing thread (a process's main thread has 8 MiB on Linux).
const WORKER_STACK: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_match_the_contract() {
        let input = "CREATE DATABASE foo;\n\nCREATE DATABASE foo TOPOLOGY PRIMARY;";
        let reports = check_script(
            input,
            &mut Params::new(),
            jiff::Timestamp::UNIX_EPOCH,
            CypherVersion::Cypher5,
        );
        assert_eq!(
            reports[0].to_json().to_string(),
            r#"{"index":1,"line":1,"column":1,"ok":true,"kind":"CREATE DATABASE"}"#
        );
        let second = reports[1].to_json().to_string();
        assert!(second.starts_with(r#"{"index":2,"line":3,"column":1,"ok":false,"kind":null,"error":{"code":"Neo.ClientError.Statement.SyntaxError","message":"Invalid input 'PRIMARY': expected"#), "{second}");
        assert!(
            second.ends_with(r#""line":1,"column":30,"offset":29}}"#),
            "{second}"
        );
    }

    #[test]
    fn unknown_commands_are_errors() {
        let input = ":parm {a: 1}\n:foo\n:use system\n:param a => 1\n";
        let reports = check_script(
            input,
            &mut Params::new(),
            jiff::Timestamp::UNIX_EPOCH,
            CypherVersion::Cypher5,
        );
        assert_eq!(reports.len(), 2, "{reports:?}");
        for (r, name) in reports.iter().zip([":parm", ":foo"]) {
            let e = r.outcome.as_ref().unwrap_err();
            assert_eq!(
                e.message,
                format!("Could not find command {name}, use :help to see available commands")
            );
        }
    }

    #[test]
    fn threads_make_the_same_reports_as_one() {
        // More than a batch, with `:param` lines changing the session between statements
        // parsed ahead, errors of every kind, and commands.
        let mut input = String::new();
        for i in 0..(2 * BATCH) {
            match i % 7 {
                0 => input.push_str(&format!(":param n{} => {i}\n", i % 3)),
                1 => input.push_str("RETURN $n0 + $n1, $n2;\n"),
                2 => input.push_str("CREATE DATABASE foo-bar TOPOLOGY 3 PRIMARIES;\n"),
                3 => input.push_str("MATCH (n) RETURN m;\n"),
                4 => input.push_str(":param clear\n:foo\n"),
                5 => input.push_str("CREATE DATABASE $n1;\n"),
                _ => input.push_str(&format!("UNWIND range(1, {i}) AS x RETURN x;\n")),
            }
        }
        let run = |workers| {
            let mut reports = Vec::new();
            check_pieces(
                crate::dialect::split::split(&input).into_iter(),
                &mut Params::new(),
                jiff::Timestamp::UNIX_EPOCH,
                CypherVersion::Cypher5,
                workers,
                |r| reports.push(r),
            );
            reports
        };
        let one = run(1);
        assert!(one.len() > BATCH, "{}", one.len());
        assert!(one.iter().any(|r| r.outcome.is_ok()));
        assert!(one.iter().filter(|r| r.outcome.is_err()).count() > 1000);
        assert_eq!(run(3), one);
    }

    #[test]
    fn param_lines_feed_later_statements() {
        let input = ":param {dbname: 'foo', primary: 3}\n:param secondary => 2\nCREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES;";
        let reports = check_script(
            input,
            &mut Params::new(),
            jiff::Timestamp::UNIX_EPOCH,
            CypherVersion::Cypher5,
        );
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].outcome, Ok("CREATE DATABASE"));
    }
}
