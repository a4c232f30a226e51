//! Colon-commands: every `dialect::Command` — `:help`, `:exit`, `:param`, `:params`, `:use`,
//! `:sysinfo`, `:impersonate`, `:access-mode`, `:source`, `:begin`, `:commit`, `:rollback`,
//! `:dryrun` (`:connect` and `:disconnect` live in `connection`).
//! (`:history` needs the line editor and is handled by the prompt.)
//!
//! It owns each command's behaviour and messages, in cypher-shell's words. It must not
//! parse Cypher itself: statements go through `Shell::run_statement`.

use super::{Control, Failure, Shell, help, topics};
use crate::client::MetricTable;
use crate::dialect::Command;
use crate::dialect::command::param_name;
use crate::result::QueryResult;
use crate::value::{Value, java_double, write_key};
use std::collections::BTreeMap;

impl Shell {
    /// Runs a colon-command. `name` is lower-cased with its colon; `args` is the rest.
    /// Names are looked up in `dialect::Command`, the one table `:help`, completion and
    /// `cysh check` read too; the `match` is exhaustive, so every command listed there runs.
    pub(super) fn run_command(&mut self, name: &str, args: &str) -> Result<Control, Failure> {
        let Some(command) = Command::find(name) else {
            self.print_plain_error(&format!(
                "Could not find command {name}, use :help to see available commands"
            ));
            return Err(Failure::Statement);
        };
        // What needs the server is refused while disconnected; `:use` only records a
        // database name then only if it can be checked, so it waits for `:connect -d`.
        let needs_connection = matches!(
            command,
            Command::Use
                | Command::Impersonate
                | Command::AccessMode
                | Command::Begin
                | Command::Commit
                | Command::Rollback
                | Command::DryRun
        );
        if needs_connection && !self.connected {
            return Err(self.not_connected());
        }
        if command == Command::SysInfo && !self.connected {
            self.print_plain_error("Connect to a database to use :sysinfo");
            return Err(Failure::Statement);
        }
        match command {
            Command::Exit => Ok(Control::Exit),
            Command::Connect => self.connect(args),
            Command::Disconnect => self.disconnect(),
            Command::Help => self.help(args),
            Command::Param => self.param(args),
            Command::Params => self.params_command(args),
            Command::Use => self.use_database(args),
            Command::Impersonate => self.impersonate(args),
            Command::AccessMode => self.access_mode(args),
            Command::Source => self.source(args),
            Command::Begin => self.begin(),
            Command::Commit => self.commit(),
            Command::Rollback => self.rollback(),
            Command::DryRun => self.dry_run_command(args),
            Command::SysInfo => self.sysinfo(args),
            Command::History => {
                self.print_plain_error(":history is only available in an interactive session");
                Err(Failure::Statement)
            }
        }
    }

    fn help(&mut self, args: &str) -> Result<Control, Failure> {
        let topic = args.trim();
        if topic.is_empty() {
            self.print_info(&format!("{}{}", help::list(), topics::list()));
            return Ok(Control::Continue);
        }
        // Colon-commands first, as cypher-shell (`:help use`); then the statement topics.
        // A bare word that names both (`dryrun`) shows both.
        if let Some(c) = help::find(topic) {
            let mut text = help::command(&c);
            if !topic.starts_with(':')
                && let topics::Found::Many(ts) = topics::find(topic)
            {
                text.push_str(&topics::render_many(topic, &ts));
            }
            self.print_info(&text);
            return Ok(Control::Continue);
        }
        match topics::find(topic) {
            topics::Found::One(t) => {
                self.print_info(&topics::render(t));
                Ok(Control::Continue)
            }
            topics::Found::Many(ts) => {
                self.print_info(&topics::render_many(topic, &ts));
                Ok(Control::Continue)
            }
            topics::Found::None => {
                // A colon-form argument can only be a command: keep cypher-shell's words.
                if topic.starts_with(':') {
                    self.print_plain_error(&format!("No such command: {topic}"));
                } else {
                    self.print_plain_error(&format!(
                        "No such command or topic: {topic}\n\
                         Type :help for the list of commands and statement topics."
                    ));
                }
                Err(Failure::Statement)
            }
        }
    }

    /// `:params [name]`: every parameter, or the one named as the `:param` line that sets
    /// it (cypher-shell 4's `:params NAME`); a map or arrow argument sets, as `:param`.
    fn params_command(&mut self, args: &str) -> Result<Control, Failure> {
        // `list` and `clear` keep their `:param` meaning (`:params` is its alias in
        // cypher-shell 5), even though they are names too.
        let name = match param_name(args) {
            Some(name) if !matches!(args.trim(), "list" | "clear") => name,
            _ => return self.param(args),
        };
        match self.params.get(&name) {
            Some(value) => {
                let mut key = String::new();
                let _ = write_key(&mut key, &name);
                self.print_info(&format!(":param {key} => {}", literal(value)));
                Ok(Control::Continue)
            }
            None => {
                self.print_plain_error(&format!("Unknown parameter: {name}"));
                Err(Failure::Statement)
            }
        }
    }

    fn param(&mut self, args: &str) -> Result<Control, Failure> {
        match args.trim() {
            "" | "list" => {
                self.print_info(&pretty_params(&self.params));
                Ok(Control::Continue)
            }
            "clear" => {
                self.params.clear();
                Ok(Control::Continue)
            }
            args => match self.set_params(args) {
                Ok(()) => Ok(Control::Continue),
                Err(e) => {
                    let usage = help::of(Command::Param).usage;
                    self.print_plain_error(&format!(
                        "Incorrect usage.\nusage: :param {usage}\n\n{}: {}",
                        e.code,
                        e.render(args)
                    ));
                    Err(Failure::Statement)
                }
            },
        }
    }

    /// Evaluates a `:param` / `-P` argument (map syntax `{a: 1}`, arrow syntax `a => 1`, or
    /// a JSON object) and merges it into the session's parameters. Values are evaluated
    /// locally: literals, lists, maps, arithmetic and earlier parameters.
    pub fn set_params(&mut self, args: &str) -> Result<(), crate::error::Neo4jError> {
        let pairs =
            match crate::dialect::eval_assignment(args, &self.params, jiff::Timestamp::now()) {
                Ok(pairs) => pairs,
                // What only a server can evaluate (function calls) goes to a backend that runs
                // Cypher, as cypher-shell does: `RETURN <map> AS result` with the current
                // parameters, evaluated once (parameters are snapshots).
                Err(e) if self.backend.info().runs_cypher && needs_server(&e) => {
                    self.eval_on_server(args)?
                }
                Err(e) => return Err(e),
            };
        self.params.extend(pairs);
        Ok(())
    }

    /// Evaluates a `:param` argument on the backend.
    fn eval_on_server(
        &mut self,
        args: &str,
    ) -> Result<Vec<(String, Value)>, crate::error::Neo4jError> {
        use crate::error::{Neo4jError, code};
        let map = param_map_text(args).ok_or_else(|| {
            Neo4jError::new(code::ARGUMENT_ERROR, format!("Incorrect usage: {args}"))
        })?;
        let text = format!("RETURN {map} AS `result`");
        let failed = |message: String| {
            Neo4jError::new(
                code::ARGUMENT_ERROR,
                format!("Failed to evaluate expression {map}: {message}"),
            )
        };
        let statement = crate::dialect::parse(&text).map_err(|e| failed(e.message))?;
        let request = crate::client::Request {
            text: &text,
            statement: &statement,
            params: &self.params,
            database: &self.database,
            on_wait: None,
        };
        match self.backend.run(&request) {
            Ok(result) => match result.rows.first().and_then(|r| r.first()) {
                Some(Value::Map(m)) => Ok(m.clone().into_iter().collect()),
                other => Err(failed(format!(
                    "got {}",
                    other.map_or("nothing".to_string(), ToString::to_string)
                ))),
            },
            Err(crate::client::BackendError::Statement(e)) => Err(failed(e.message)),
            Err(crate::client::BackendError::Fatal(e)) => Err(failed(e.to_string())),
        }
    }

    /// `:impersonate [user]`: runs as `user` from now on, or as oneself again without an
    /// argument. A refusal keeps the session as it was (cypher-shell disconnects instead;
    /// keeping the working identity is kinder and loses nothing).
    fn impersonate(&mut self, args: &str) -> Result<Control, Failure> {
        if self.in_transaction {
            self.print_plain_error(
                "There is an open transaction. You need to close it before you can impersonate.",
            );
            return Err(Failure::Statement);
        }
        let name = args.trim().trim_matches('`');
        let target = (!name.is_empty()).then_some(name);
        match self.backend.impersonate(target) {
            Ok(()) => {
                self.names_dirty = true;
                Ok(Control::Continue)
            }
            // Both commands refuse inside a transaction, so no rollback can be involved.
            Err(e) => Err(self.backend_failure(e, "")),
        }
    }

    /// `:access-mode [read|write]`: where statements go from now on (Bolt routing), or the
    /// current mode without an argument.
    fn access_mode(&mut self, args: &str) -> Result<Control, Failure> {
        let read = match args.trim().to_ascii_lowercase().as_str() {
            "" => None,
            "read" => Some(true),
            "write" => Some(false),
            other => {
                self.print_plain_error(&format!(
                    "Invalid access mode '{other}': use :access-mode read or :access-mode write"
                ));
                return Err(Failure::Statement);
            }
        };
        if read.is_some() && self.in_transaction {
            self.print_plain_error(
                "There is an open transaction. You need to close it before you can change the access mode.",
            );
            return Err(Failure::Statement);
        }
        match self.backend.access_mode(read) {
            Ok(now_read) => {
                if read.is_none() {
                    self.print_info(&format!(
                        "Access mode {}",
                        if now_read { "read" } else { "write" }
                    ));
                }
                Ok(Control::Continue)
            }
            // Both commands refuse inside a transaction, so no rollback can be involved.
            Err(e) => Err(self.backend_failure(e, "")),
        }
    }

    fn use_database(&mut self, args: &str) -> Result<Control, Failure> {
        if self.in_transaction {
            self.print_plain_error(
                "There is an open transaction. You need to close it before you can switch database.",
            );
            return Err(Failure::Statement);
        }
        let name = args.trim().trim_matches('`');
        if name.is_empty() {
            return self.use_home_database();
        }
        // Ask the backend whether the database (or alias) exists, as cypher-shell's switch
        // would fail; when the backend cannot say (no privilege to list), trust the name.
        let query = format!("SHOW DATABASE `{}` YIELD name", name.replace('`', "``"));
        if let Some(rows) = self.quiet_query(&query)
            && rows.is_empty()
        {
            let e = Shell::database_not_found(name);
            self.print_error(&e, "");
            return Err(Failure::Statement);
        }
        self.database = name.to_string();
        Ok(Control::Continue)
    }

    /// `:use` without an argument: the home database of the session's user (of the user
    /// impersonated, while impersonating), as cypher-shell's reconnect to the default database.
    pub(super) fn use_home_database(&mut self) -> Result<Control, Failure> {
        let home = self
            .quiet_query("SHOW HOME DATABASE YIELD name")
            .and_then(|rows| rows.first()?.first()?.as_str().map(str::to_string));
        match home {
            Some(home) => {
                self.database = home;
                Ok(Control::Continue)
            }
            None => {
                self.print_plain_error(
                    "Could not find the home database: use :use <database> to name one.",
                );
                Err(Failure::Statement)
            }
        }
    }

    fn source(&mut self, args: &str) -> Result<Control, Failure> {
        let path = args.trim();
        if path.is_empty() {
            self.print_plain_error("Incorrect number of arguments.\nusage: :source <file>");
            return Err(Failure::Statement);
        }
        if self.source_depth >= super::MAX_SOURCE_DEPTH {
            self.print_plain_error(&format!(
                "Cannot source '{path}': :source is nested too deeply"
            ));
            return Err(Failure::Statement);
        }
        let Ok(bytes) = std::fs::read(path) else {
            self.print_plain_error(&format!("Cannot find file: '{path}'"));
            return Err(Failure::Statement);
        };
        self.source_depth += 1;
        let outcome = self.run_bytes(&bytes, true, Some(path));
        self.source_depth -= 1;
        match outcome {
            o if o.exited && !o.failed => Ok(Control::Exit),
            o if o.exited => Err(Failure::Fatal),
            o if o.failed => Err(Failure::Statement),
            _ => Ok(Control::Continue),
        }
    }

    /// `:sysinfo`: cypher-shell's heading tables, from what the backend exposes. Unlike
    /// cypher-shell it also runs from `system` (where cysh starts): the embedded cluster
    /// has no other database to ask from.
    fn sysinfo(&mut self, args: &str) -> Result<Control, Failure> {
        if !args.trim().is_empty() {
            self.print_plain_error("Incorrect number of arguments.\nusage: :sysinfo");
            return Err(Failure::Statement);
        }
        let mut tables = vec![(
            "Databases",
            "SHOW DATABASES YIELD name AS Name, address AS Address, role AS Role, \
             currentStatus AS Status, default AS Default",
        )];
        if !self.backend.info().runs_cypher {
            tables.push((
                "Servers",
                "SHOW SERVERS YIELD name AS Name, address AS Address, state AS State, \
                 health AS Health, hosting AS Hosting",
            ));
        }
        let mut default_db = None;
        for (heading, query) in tables {
            let Some(result) = self.quiet_result(query) else {
                self.print_plain_error(&format!(
                    "Could not read the system information ({heading}): the user may lack \
                     the privilege to list them."
                ));
                return Err(Failure::Statement);
            };
            if heading == "Databases" {
                default_db = result
                    .rows
                    .iter()
                    .find(|r| r.get(4) == Some(&Value::Bool(true)))
                    .and_then(|r| r.first())
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            self.print_sysinfo_table(heading, &result);
        }
        let metrics = if self.backend.info().runs_cypher {
            self.server_metrics(default_db.as_deref().unwrap_or("neo4j"))
        } else {
            self.backend.own_metrics()
        };
        for table in metrics {
            let (names, values) = table.rows.into_iter().unzip::<_, _, Vec<_>, Vec<_>>();
            let rows = names
                .into_iter()
                .zip(values)
                .map(|(name, value)| vec![Value::str(name), value])
                .collect();
            let result = QueryResult::new(vec!["Name".into(), "Value".into()], rows);
            self.print_sysinfo_table(table.heading, &result);
        }
        Ok(Control::Continue)
    }

    /// One `:sysinfo` table, after a blank line as cypher-shell prints each (not in the
    /// JSON format, whose lines are objects).
    fn print_sysinfo_table(&self, heading: &str, result: &QueryResult) {
        if self.options.format != crate::render::Format::Json {
            self.print_info("");
        }
        let text = heading_table(heading, result, &self.options);
        self.print_info(text.trim_end_matches('\n'));
    }

    /// cypher-shell's metric tables from a server's JMX metrics (`dbms.queryJmx`, under
    /// the prefix `dbms.clientConfig()` names), database metrics for `database`. A group
    /// the server does not expose (metrics off, no privilege, no such procedure) is left
    /// out.
    fn server_metrics(&mut self, database: &str) -> Vec<MetricTable> {
        let prefix = self
            .quiet_result("CALL dbms.clientConfig() YIELD name, value")
            .and_then(|config| {
                let find = |key: &str| {
                    config
                        .rows
                        .iter()
                        .find(|r| r.first().and_then(Value::as_str) == Some(key))
                        .and_then(|r| r.get(1))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                find("server.metrics.prefix").or_else(|| find("metrics.prefix"))
            })
            .unwrap_or_else(|| "neo4j".to_string());
        let mut tables = Vec::new();
        for (heading, metrics) in METRIC_GROUPS {
            let list: Vec<String> = metrics
                .iter()
                .map(|(metric, display, per_database)| {
                    let scope = if *per_database {
                        format!("database.{database}")
                    } else {
                        "dbms".to_string()
                    };
                    format!(
                        "{{name: {}, displayName: {}}}",
                        cypher_string(&format!("{prefix}.metrics:name={prefix}.{scope}.{metric}")),
                        cypher_string(display)
                    )
                })
                .collect();
            let query = format!(
                "UNWIND [{}] AS metric CALL dbms.queryJmx(metric.name) YIELD name, attributes \
                 WITH metric.displayName AS Name, attributes.Value.value AS value, \
                 attributes.Count.value AS count \
                 RETURN Name, CASE WHEN value IS NOT NULL THEN value ELSE count END AS Value",
                list.join(", ")
            );
            let Some(result) = self.quiet_result(&query) else {
                continue;
            };
            if result.rows.is_empty() {
                continue;
            }
            let rows = result
                .rows
                .into_iter()
                .map(|r| {
                    let name = r.first().and_then(Value::as_str).unwrap_or("");
                    let display = metrics
                        .iter()
                        .find(|(_, d, _)| *d == name)
                        .map_or("", |(_, d, _)| *d);
                    (display, r.get(1).cloned().unwrap_or(Value::Null))
                })
                .collect();
            tables.push(MetricTable { heading, rows });
        }
        tables
    }

    fn dry_run_command(&mut self, args: &str) -> Result<Control, Failure> {
        if args.trim().is_empty() {
            self.print_plain_error(
                "Incorrect number of arguments.\nusage: :dryrun <statement>[; <statement> ...]",
            );
            return Err(Failure::Statement);
        }
        self.dry_run(args.as_bytes(), true, None)
            .map(|()| Control::Continue)
    }

    fn begin(&mut self) -> Result<Control, Failure> {
        if self.in_transaction {
            self.print_plain_error("There is already an open transaction");
            return Err(Failure::Statement);
        }
        match self.backend.begin() {
            Ok(()) => {
                self.in_transaction = true;
                Ok(Control::Continue)
            }
            Err(e) => Err(self.backend_failure(e, ":begin")),
        }
    }

    fn commit(&mut self) -> Result<Control, Failure> {
        if !self.in_transaction {
            self.print_plain_error("There is no open transaction to commit");
            return Err(Failure::Statement);
        }
        let result = self.backend.commit();
        self.in_transaction = false;
        result
            .map(|()| Control::Continue)
            .map_err(|e| self.backend_failure(e, ":commit"))
    }

    fn rollback(&mut self) -> Result<Control, Failure> {
        if !self.in_transaction {
            self.print_plain_error("There is no open transaction to rollback");
            return Err(Failure::Statement);
        }
        let result = self.backend.rollback();
        self.in_transaction = false;
        result
            .map(|()| Control::Continue)
            .map_err(|e| self.backend_failure(e, ":rollback"))
    }
}

/// One JMX metric: its name after the prefix and scope, its display name, and whether it
/// is per database (else DBMS-wide).
type Metric = (&'static str, &'static str, bool);

/// cypher-shell's `:sysinfo` metric groups: a heading and its metrics.
const METRIC_GROUPS: [(&str, &[Metric]); 4] = [
    (
        "ID Allocation",
        &[
            ("ids_in_use.property", "Property ID", true),
            ("ids_in_use.relationship", "Relationship ID", true),
            ("ids_in_use.relationship_type", "Relationship Type ID", true),
        ],
    ),
    (
        "Store Size",
        &[
            ("store.size.total", "Total", true),
            ("store.size.database", "Database", true),
        ],
    ),
    (
        "Page Cache",
        &[
            ("page_cache.hits", "Hits", false),
            ("page_cache.hit_ratio", "Hit Ratio", false),
            ("page_cache.usage_ratio", "Usage Ratio", false),
            ("page_cache.page_faults", "Page Faults", false),
        ],
    ),
    (
        "Transactions",
        &[
            ("transaction.last_committed_tx_id", "Last Tx Id", true),
            ("transaction.active_read", "Current Read", true),
            ("transaction.active_write", "Current Write", true),
            ("transaction.peak_concurrent", "Peak Transactions", true),
            ("transaction.committed_read", "Committed Read", true),
            ("transaction.committed_write", "Committed Write", true),
        ],
    ),
];

/// `text` as a single-quoted Cypher string literal.
fn cypher_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A `:sysinfo` table: in the verbose format, cypher-shell's heading table (the heading in
/// a bordered line above the table, as wide as the table); otherwise the heading on its
/// own line, then the result as the format writes it.
fn heading_table(
    heading: &str,
    result: &crate::result::QueryResult,
    options: &crate::render::Options,
) -> String {
    let mut out = Vec::new();
    if options.format == crate::render::Format::Verbose {
        let _ = crate::render::write_table(&mut out, result, options);
        let table = String::from_utf8_lossy(&out).into_owned();
        let border = table.lines().next().unwrap_or("+--+").to_string();
        let inner = border.chars().count().saturating_sub(4);
        let head = format!("| {heading:<inner$} |");
        return format!("{border}\n{head}\n{table}");
    }
    let _ = crate::render::write_result(&mut out, result, options);
    let body = String::from_utf8_lossy(&out).into_owned();
    if options.format == crate::render::Format::Json {
        return body;
    }
    format!("{heading}\n{body}")
}

/// True for the local evaluator's "needs a Neo4j server" refusal (a pattern, a subquery, a
/// function of the server's catalog).
fn needs_server(e: &crate::error::Neo4jError) -> bool {
    e.message.contains("needs a Neo4j server")
}

/// A `:param` argument as one Cypher map literal: the map form as written, or the arrow form
/// `name => expr` as `{name: expr}` (the name backtick-quoted when it needs it).
fn param_map_text(args: &str) -> Option<String> {
    let args = args.trim();
    if args.starts_with('{') {
        return Some(args.to_string());
    }
    let (name, expr) = args.split_once("=>")?;
    let name = name.trim().trim_matches('`');
    if name.is_empty() || expr.trim().is_empty() {
        return None;
    }
    let mut key = String::new();
    let _ = write_key(&mut key, name);
    Some(format!("{{{key}: {}}}", expr.trim()))
}

/// The parameters as cypher-shell's `:params` prints them: a Cypher map literal with sorted
/// keys, one entry per line, nested maps indented, strings in single quotes.
pub fn pretty_params(params: &BTreeMap<String, Value>) -> String {
    let mut out = String::new();
    pretty_map(&mut out, params, 0);
    out
}

fn pretty_map(out: &mut String, map: &BTreeMap<String, Value>, indent: usize) {
    out.push_str("{\n");
    let pad = "  ".repeat(indent + 1);
    let n = map.len();
    for (i, (k, v)) in map.iter().enumerate() {
        out.push_str(&pad);
        let _ = write_key(out, k);
        out.push_str(": ");
        match v {
            Value::Map(inner) => pretty_map(out, inner, indent + 1),
            // cypher-shell's renderer opens a point's map on its own lines too.
            Value::Point(p) => {
                out.push_str("point( ");
                pretty_map(out, &point_map(p), indent + 1);
                out.push(')');
            }
            other => out.push_str(&literal(other)),
        }
        out.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    out.push_str(&"  ".repeat(indent));
    out.push('}');
}

/// A point's coordinates as the map `point()` takes.
fn point_map(p: &crate::value::Point) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    m.insert("srid".to_string(), Value::Int(i64::from(p.srid)));
    m.insert("x".to_string(), Value::Float(p.x));
    m.insert("y".to_string(), Value::Float(p.y));
    if let Some(z) = p.z {
        m.insert("z".to_string(), Value::Float(z));
    }
    m
}

/// A value as a Cypher literal on one line, as cypher-shell's `:params` writes it: strings
/// in single quotes (quotes and backslashes escaped), booleans in lower case, temporal
/// values and durations as the function call that makes them, with ISO text.
fn literal(value: &Value) -> String {
    use crate::value::temporal;
    match value {
        Value::String(s) => format!(
            "'{}'",
            s.replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('"', "\\\"")
        ),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => format!("date('{}')", temporal::date_text(*d)),
        Value::LocalTime(t) => format!("localtime('{}')", temporal::time_text(*t, true)),
        Value::Time(t) => format!("time('{}')", t.iso()),
        Value::LocalDateTime(dt) => {
            format!("localdatetime('{}')", temporal::datetime_text(*dt, true))
        }
        Value::DateTime(dt) => format!("datetime('{}')", dt.iso()),
        Value::Duration(d) => format!("duration('{d}')"),
        Value::Point(p) => {
            let m = point_map(p);
            let entries: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", literal(v)))
                .collect();
            format!("point({{{}}})", entries.join(", "))
        }
        Value::Float(f) => java_double(*f),
        Value::List(items) => {
            format!(
                "[{}]",
                items.iter().map(literal).collect::<Vec<_>>().join(", ")
            )
        }
        Value::Map(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let mut key = String::new();
                    let _ = write_key(&mut key, k);
                    format!("{key}: {}", literal(v))
                })
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_arguments_become_one_map_for_the_server() {
        assert_eq!(
            param_map_text("{now: datetime()}").as_deref(),
            Some("{now: datetime()}")
        );
        assert_eq!(
            param_map_text("now => datetime()").as_deref(),
            Some("{now: datetime()}")
        );
        assert_eq!(
            param_map_text("`my key` => 1").as_deref(),
            Some("{`my key`: 1}")
        );
        assert_eq!(param_map_text("x =>"), None);
    }

    #[test]
    fn params_print_as_cypher_shell_does() {
        let mut nested = BTreeMap::new();
        nested.insert(
            "x".to_string(),
            Value::List(vec![Value::Int(6), Value::str("it's")]),
        );
        let mut params = BTreeMap::new();
        params.insert("b".to_string(), Value::Map(nested));
        params.insert("a".to_string(), Value::Int(1));
        params.insert("nope".to_string(), Value::Null);
        params.insert("my key".to_string(), Value::Float(1.5));
        assert_eq!(
            pretty_params(&params),
            "{\n  a: 1,\n  b: {\n    x: [6, 'it\\'s']\n  },\n  `my key`: 1.5,\n  nope: NULL\n}"
        );
        assert_eq!(pretty_params(&BTreeMap::new()), "{\n}");
    }
}
