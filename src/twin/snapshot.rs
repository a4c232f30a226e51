//! The snapshot `cysh twin` copies: the rows of SHOW SERVERS YIELD *, SHOW DATABASES YIELD
//! *, SHOW ALIASES FOR DATABASES YIELD *, `dbms.showTopologyGraphConfig` and SHOW DEFAULT
//! DATABASE as plain JSON objects, read over the Query API or from a file, and written back
//! to one.
//!
//! It owns the snapshot file format. It must not interpret the rows: `build` does.

use crate::client::{Backend, BackendError, Request};
use serde_json::{Map, Value as Json};

/// Why a snapshot file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Not JSON.
    #[error("not JSON: {0}")]
    NotJson(serde_json::Error),
    /// JSON, but not an object.
    #[error("not a JSON object with servers, databases, ...")]
    NotAnObject,
    /// A part that should be an array of rows is not.
    #[error("\"{0}\" is not an array of row objects")]
    NotRows(&'static str),
    /// A row that is not an object.
    #[error("\"{key}\"[{index}] is not an object")]
    RowNotAnObject {
        /// The part.
        key: &'static str,
        /// The row's index.
        index: usize,
    },
    /// `topologyGraphConfig` is an array without a row object.
    #[error("\"topologyGraphConfig\" holds no row object")]
    NoConfigRow,
    /// `topologyGraphConfig` is neither a row nor an array of one.
    #[error("\"topologyGraphConfig\" is not an object")]
    ConfigNotAnObject,
    /// `defaultDatabase` is neither a name nor a row.
    #[error("\"defaultDatabase\" is not a name")]
    DefaultNotAName,
}

/// What `cysh twin` reads: the rows of each SHOW as plain JSON objects (what
/// `cysh --format json` prints per row). Absent parts are reported when building.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Rows of `SHOW SERVERS YIELD *`.
    pub servers: Option<Vec<Map<String, Json>>>,
    /// Rows of `SHOW DATABASES YIELD *`.
    pub databases: Option<Vec<Map<String, Json>>>,
    /// Rows of `SHOW ALIASES FOR DATABASES YIELD *`.
    pub aliases: Option<Vec<Map<String, Json>>>,
    /// The row of `CALL dbms.showTopologyGraphConfig()`.
    pub topology_graph_config: Option<Map<String, Json>>,
    /// The name SHOW DEFAULT DATABASE shows.
    pub default_database: Option<String>,
}

fn rows_of(v: &Json, key: &'static str) -> Result<Option<Vec<Map<String, Json>>>, SnapshotError> {
    match v.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::Object(o) => Ok(o.clone()),
                _ => Err(SnapshotError::RowNotAnObject { key, index: i }),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(SnapshotError::NotRows(key)),
    }
}

impl Snapshot {
    /// Parses the snapshot file format: one JSON object with the keys `servers`,
    /// `databases`, `aliases` (arrays of row objects), `topologyGraphConfig` (an object, or
    /// an array holding one) and `defaultDatabase` (a string, or a SHOW DEFAULT DATABASE
    /// row object). Unknown keys are ignored; absent ones are reported when building.
    pub fn from_json(text: &str) -> Result<Snapshot, SnapshotError> {
        let v: Json = serde_json::from_str(text).map_err(SnapshotError::NotJson)?;
        if !v.is_object() {
            return Err(SnapshotError::NotAnObject);
        }
        let config = match v.get("topologyGraphConfig") {
            None | Some(Json::Null) => None,
            Some(Json::Object(o)) => Some(o.clone()),
            Some(Json::Array(a)) => match a.first() {
                Some(Json::Object(o)) => Some(o.clone()),
                _ => return Err(SnapshotError::NoConfigRow),
            },
            Some(_) => return Err(SnapshotError::ConfigNotAnObject),
        };
        let default_database = match v.get("defaultDatabase") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Object(o)) => o.get("name").and_then(Json::as_str).map(String::from),
            Some(Json::Array(a)) => a
                .first()
                .and_then(|r| r.get("name"))
                .and_then(Json::as_str)
                .map(String::from),
            Some(_) => return Err(SnapshotError::DefaultNotAName),
        };
        Ok(Snapshot {
            servers: rows_of(&v, "servers")?,
            databases: rows_of(&v, "databases")?,
            aliases: rows_of(&v, "aliases")?,
            topology_graph_config: config,
            default_database,
        })
    }

    /// The snapshot in the file format `from_json` reads.
    pub fn to_json(&self) -> Json {
        let rows = |r: &Option<Vec<Map<String, Json>>>| {
            r.as_ref().map_or(Json::Null, |rows| {
                Json::Array(rows.iter().cloned().map(Json::Object).collect())
            })
        };
        serde_json::json!({
            "servers": rows(&self.servers),
            "databases": rows(&self.databases),
            "aliases": rows(&self.aliases),
            "topologyGraphConfig": self.topology_graph_config.clone().map_or(Json::Null, Json::Object),
            "defaultDatabase": self.default_database,
        })
    }
}

/// The statements a snapshot is read with, by part.
pub const QUERIES: [(&str, &str); 5] = [
    ("servers", "SHOW SERVERS YIELD *"),
    ("databases", "SHOW DATABASES YIELD *"),
    ("aliases", "SHOW ALIASES FOR DATABASES YIELD *"),
    ("topologyGraphConfig", "CALL dbms.showTopologyGraphConfig()"),
    ("defaultDatabase", "SHOW DEFAULT DATABASE YIELD name"),
];

/// Reads a snapshot from a running server. A statement the server refuses (an older
/// version, a missing privilege) leaves its part absent, and its error is reported.
pub fn read_remote(backend: &mut dyn Backend, report: &mut Vec<String>) -> Snapshot {
    let mut snapshot = Snapshot::default();
    for (part, text) in QUERIES {
        let Ok(statement) = crate::dialect::parse(text) else {
            report.push(format!("{part}: cysh could not parse its own query {text}"));
            continue;
        };
        let params = crate::dialect::Params::new();
        let request = Request {
            text,
            statement: &statement,
            params: &params,
            database: "system",
            on_wait: None,
        };
        let rows: Vec<Map<String, Json>> = match backend.run(&request) {
            Ok(result) => crate::render::rows_json(&result)
                .into_iter()
                .filter_map(|r| match r {
                    Json::Object(o) => Some(o),
                    _ => None,
                })
                .collect(),
            Err(e) => {
                let e = match e {
                    BackendError::Statement(e) => format!("{}: {}", e.code, e.message),
                    BackendError::Fatal(e) => e.to_string(),
                };
                report.push(format!("{part}: not read ({text} failed: {e})"));
                continue;
            }
        };
        match part {
            "servers" => snapshot.servers = Some(rows),
            "databases" => snapshot.databases = Some(rows),
            "aliases" => snapshot.aliases = Some(rows),
            "topologyGraphConfig" => snapshot.topology_graph_config = rows.into_iter().next(),
            _ => {
                snapshot.default_database = rows
                    .first()
                    .and_then(|r| r.get("name"))
                    .and_then(Json::as_str)
                    .map(String::from)
            }
        }
    }
    snapshot
}
