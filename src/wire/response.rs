//! Query API response bodies (reference §4): written by the server with the keys in the
//! order Neo4j writes them, read by the remote client, which must also accept every
//! recorded Neo4j response (§7).
//!
//! It must not know about HTTP statuses beyond what a body says, nor run statements.

use super::values::{self, Encoding};
use crate::error::Neo4jError;
use crate::result::{Notification, QueryResult};
use serde_json::{Map, Number, Value as Json};

/// An open explicit transaction, as the `transaction` key reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxInfo {
    /// The transaction id.
    pub id: String,
    /// When it expires if idle: ISO-8601 UTC, truncated to seconds.
    pub expires: String,
}

/// Everything a successful response may carry besides the result.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// `queryType`: `r`, `rw`, `w` or `s`.
    pub query_type: Option<&'static str>,
    /// `bookmarks`, present after a commit or an auto-commit query.
    pub bookmarks: Option<Vec<String>>,
    /// `transaction`, present while an explicit transaction stays open.
    pub transaction: Option<TxInfo>,
    /// `counters` were asked for: the 14 keys, all zero for the admin cluster except
    /// the system updates.
    pub counters: Option<u64>,
}

fn notification_json(n: &Notification) -> Json {
    let mut m = Map::new();
    m.insert("code".into(), Json::String(n.code.clone()));
    m.insert("description".into(), Json::String(n.description.clone()));
    m.insert("severity".into(), Json::String(n.severity.clone()));
    m.insert("title".into(), Json::String(n.title.clone()));
    m.insert("position".into(), Json::Null);
    if !n.category.is_empty() {
        m.insert("category".into(), Json::String(n.category.clone()));
    }
    Json::Object(m)
}

fn counters_json(system_updates: u64) -> Json {
    let mut m = Map::new();
    m.insert("containsUpdates".into(), Json::Bool(false));
    for key in [
        "nodesCreated",
        "nodesDeleted",
        "propertiesSet",
        "relationshipsCreated",
        "relationshipsDeleted",
        "labelsAdded",
        "labelsRemoved",
        "indexesAdded",
        "indexesRemoved",
        "constraintsAdded",
        "constraintsRemoved",
    ] {
        m.insert(key.into(), Json::Number(0.into()));
    }
    m.insert(
        "containsSystemUpdates".into(),
        Json::Bool(system_updates > 0),
    );
    m.insert("systemUpdates".into(), Json::Number(system_updates.into()));
    Json::Object(m)
}

/// The `data` object of a result.
fn data_json(result: &QueryResult, encoding: Encoding) -> Json {
    let mut data = Map::with_capacity(2);
    data.insert(
        "fields".into(),
        Json::Array(
            result
                .fields
                .iter()
                .map(|f| Json::String(f.clone()))
                .collect(),
        ),
    );
    data.insert(
        "values".into(),
        Json::Array(
            result
                .rows
                .iter()
                .map(|row| Json::Array(row.iter().map(|v| values::encode(v, encoding)).collect()))
                .collect(),
        ),
    );
    Json::Object(data)
}

/// A success body, keys in Neo4j's order: `data`, `notifications` (only if any),
/// `counters`, `queryPlan` or `profiledQueryPlan` (EXPLAIN, PROFILE), `queryType`, `resultAvailableAfter`, `resultConsumedAfter`, `bookmarks`,
/// `transaction`. `result` is `None` for a transaction request without a statement.
pub fn encode(result: Option<&QueryResult>, summary: &Summary, encoding: Encoding) -> Json {
    let mut body = Map::new();
    if let Some(result) = result {
        body.insert("data".into(), data_json(result, encoding));
    }
    body.extend(after_data(result, summary));
    Json::Object(body)
}

/// The keys of a success body after `data`, in Neo4j's order.
fn after_data(result: Option<&QueryResult>, summary: &Summary) -> Map<String, Json> {
    let mut body = Map::new();
    if let Some(result) = result {
        if !result.notifications.is_empty() {
            body.insert(
                "notifications".into(),
                Json::Array(result.notifications.iter().map(notification_json).collect()),
            );
        }
        if let Some(updates) = summary.counters {
            body.insert("counters".into(), counters_json(updates));
        }
        if let Some(plan) = &result.plan {
            body.insert(
                super::plan::body_key(plan).into(),
                super::plan::to_json(&plan.root),
            );
        }
        if let Some(t) = summary.query_type {
            body.insert("queryType".into(), Json::String(t.into()));
        }
        body.insert(
            "resultAvailableAfter".into(),
            Json::Number(Number::from(result.available_after_ms)),
        );
        body.insert(
            "resultConsumedAfter".into(),
            Json::Number(Number::from(
                result.available_after_ms + result.consumed_after_ms,
            )),
        );
    }
    if let Some(bookmarks) = &summary.bookmarks {
        body.insert(
            "bookmarks".into(),
            Json::Array(bookmarks.iter().map(|b| Json::String(b.clone())).collect()),
        );
    }
    if let Some(tx) = &summary.transaction {
        let mut t = Map::with_capacity(2);
        t.insert("id".into(), Json::String(tx.id.clone()));
        t.insert("expires".into(), Json::String(tx.expires.clone()));
        body.insert("transaction".into(), Json::Object(t));
    }
    body
}

/// The bytes of [`encode`]'s body, written straight out: the rows, which are most of a
/// body, go to the writer cell by cell without a `serde_json::Value` per cell, row and
/// key (what the server spent a large part of a small request on).
pub fn encode_bytes(
    result: Option<&QueryResult>,
    summary: &Summary,
    encoding: Encoding,
) -> Vec<u8> {
    use serde::ser::{SerializeMap, Serializer as _};
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::new(&mut out);
    let written = (|| {
        let mut map = ser.serialize_map(None)?;
        if let Some(result) = result {
            map.serialize_entry("data", &Data { result, encoding })?;
        }
        for (k, v) in &after_data(result, summary) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    })();
    match written {
        Ok(()) => out,
        // Writing to a Vec cannot fail; the tree's text is the same body.
        Err(_) => serde_json::to_vec(&encode(result, summary, encoding)).unwrap_or_default(),
    }
}

/// `data`: `fields`, then `values`, a row at a time.
struct Data<'a> {
    result: &'a QueryResult,
    encoding: Encoding,
}

impl serde::Serialize for Data<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("fields", &self.result.fields)?;
        let rows = self.result.rows.iter().map(|row| Row {
            row,
            encoding: self.encoding,
        });
        map.serialize_entry("values", &Seq(std::cell::RefCell::new(Some(rows))))?;
        map.end()
    }
}

/// One row's cells.
struct Row<'a> {
    row: &'a [crate::value::Value],
    encoding: Encoding,
}

impl serde::Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.encoding {
            Encoding::Plain => s.collect_seq(self.row.iter().map(Plain)),
            Encoding::Typed => s.collect_seq(self.row.iter().map(values::to_typed)),
        }
    }
}

/// A value in Neo4j's plain JSON mapping, written directly for the kinds that need no
/// conversion; the others go through `Value::to_plain_json`, so the text is the same.
struct Plain<'a>(&'a crate::value::Value);

impl serde::Serialize for Plain<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use crate::value::Value;
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::String(t) => s.serialize_str(t),
            Value::List(items) => s.collect_seq(items.iter().map(Plain)),
            Value::Map(m) => s.collect_map(m.iter().map(|(k, v)| (k, Plain(v)))),
            other => other.to_plain_json().serialize(s),
        }
    }
}

/// A sequence serialised from an iterator, once.
struct Seq<I>(std::cell::RefCell<Option<I>>);

impl<I, T> serde::Serialize for Seq<I>
where
    I: Iterator<Item = T>,
    T: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => s.collect_seq(items),
            None => s.collect_seq(std::iter::empty::<T>()),
        }
    }
}

/// A response body (a success body of [`encode`], an error body, or a rollback's `{}`)
/// as JSON Lines events (reference §5.3): a success is a `Header` with the fields, a
/// `Record` per row and a `Summary` with every other key, in order; an error body is one
/// `Error` event with the list of errors, and nothing follows it. A body without `data`
/// (a transaction request without a statement) is a `Summary` alone.
pub fn lines(body: &Json) -> String {
    fn event(out: &mut String, kind: &str, body: Json) {
        let mut m = Map::with_capacity(2);
        m.insert("$event".into(), Json::String(kind.into()));
        m.insert("_body".into(), body);
        out.push_str(&Json::Object(m).to_string());
        out.push('\n');
    }
    let mut out = String::new();
    let Some(map) = body.as_object() else {
        return out;
    };
    if let Some(errors) = map.get("errors") {
        event(&mut out, "Error", errors.clone());
        return out;
    }
    let mut summary = map.clone();
    // `shift_remove` keeps the other keys in Neo4j's order (`remove` would swap them).
    if let Some(data) = summary.shift_remove("data") {
        let mut header = Map::with_capacity(1);
        header.insert(
            "fields".into(),
            data.get("fields")
                .cloned()
                .unwrap_or(Json::Array(Vec::new())),
        );
        event(&mut out, "Header", Json::Object(header));
        for row in data
            .get("values")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            event(&mut out, "Record", row.clone());
        }
    }
    event(&mut out, "Summary", Json::Object(summary));
    out
}

/// A decoded response body.
#[derive(Debug, Default)]
pub struct Decoded {
    /// The result, when the body had `data` (or an empty one otherwise).
    pub result: QueryResult,
    /// Whether the body had `data`.
    pub has_data: bool,
    /// Errors in the body; a 202 may carry them after partial data.
    pub errors: Vec<Neo4jError>,
    /// `bookmarks`.
    pub bookmarks: Vec<String>,
    /// `transaction`.
    pub transaction: Option<TxInfo>,
}

fn str_field(j: &Json, key: &str) -> String {
    j.get(key).and_then(Json::as_str).unwrap_or("").to_string()
}

/// Why a response body is not a Query API response (the client names the server before it).
#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    /// Not JSON at all.
    #[error("the response is not JSON ({0})")]
    NotJson(serde_json::Error),
    /// JSON, but not an object.
    #[error("the response is not a JSON object")]
    NotAnObject,
    /// `data` without `fields`.
    #[error("data.fields is missing")]
    NoFields,
    /// `data` without `values`.
    #[error("data.values is missing")]
    NoValues,
    /// A row that is not a list.
    #[error("a row of data.values is not a list")]
    RowNotAList,
    /// A value the encoding does not allow.
    #[error(transparent)]
    Value(#[from] values::ValueError),
}

/// Decodes a response body in either encoding. Rows shorter than `fields` are padded with
/// nulls (a v1.0 server cuts a row short before an error).
pub fn decode(body: &[u8], encoding: Encoding) -> Result<Decoded, ResponseError> {
    let mut out = Decoded::default();
    // Rollback answers 200 with an empty body on 5.26.
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(out);
    }
    let json: Json = serde_json::from_slice(body).map_err(ResponseError::NotJson)?;
    if !json.is_object() {
        return Err(ResponseError::NotAnObject);
    }
    out.errors = super::decode_errors(&json);
    if let Some(data) = json.get("data") {
        out.has_data = true;
        out.result.fields = data
            .get("fields")
            .and_then(Json::as_array)
            .ok_or(ResponseError::NoFields)?
            .iter()
            .map(|f| f.as_str().unwrap_or("").to_string())
            .collect();
        let width = out.result.fields.len();
        for row in data
            .get("values")
            .and_then(Json::as_array)
            .ok_or(ResponseError::NoValues)?
        {
            let cells = row.as_array().ok_or(ResponseError::RowNotAList)?;
            let mut decoded = cells
                .iter()
                .map(|c| values::decode(c, encoding))
                .collect::<Result<Vec<_>, _>>()?;
            if decoded.len() < width {
                decoded.resize(width, crate::value::Value::Null);
            }
            out.result.rows.push(decoded);
        }
    }
    if let Some(list) = json.get("notifications").and_then(Json::as_array) {
        out.result.notifications = list
            .iter()
            .map(|n| Notification {
                code: str_field(n, "code"),
                title: str_field(n, "title"),
                description: str_field(n, "description"),
                severity: str_field(n, "severity"),
                category: str_field(n, "category"),
            })
            .collect();
    }
    if let Some(counters) = json.get("counters").and_then(Json::as_object) {
        for (name, n) in counters {
            if let Some(n) = n.as_i64() {
                out.result.counters.set(name, n);
            }
        }
    }
    let query_type = json.get("queryType").and_then(Json::as_str).unwrap_or("");
    out.result.plan = super::plan::from_body(&json, query_type);
    let ms = |key: &str| json.get(key).and_then(Json::as_u64);
    if let Some(available) = ms("resultAvailableAfter") {
        out.result.available_after_ms = available;
        out.result.consumed_after_ms =
            ms("resultConsumedAfter").map_or(0, |c| c.saturating_sub(available));
    }
    if let Some(list) = json.get("bookmarks").and_then(Json::as_array) {
        out.bookmarks = list
            .iter()
            .filter_map(|b| b.as_str().map(String::from))
            .collect();
    }
    if let Some(tx) = json.get("transaction") {
        out.transaction = Some(TxInfo {
            id: str_field(tx, "id"),
            expires: str_field(tx, "expires"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn bytes_written_directly_are_the_trees_text() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("z".to_string(), Value::Int(1));
        map.insert(
            "a é\"\n".to_string(),
            Value::List(vec![Value::Null, Value::Bool(true)]),
        );
        let cells = vec![
            Value::Null,
            Value::Bool(false),
            Value::Int(-42),
            Value::Float(1.5),
            Value::Float(f64::NAN),
            Value::str("quote \" and \\ and \u{1}"),
            Value::List(vec![Value::Int(1), Value::str("x"), Value::Float(2.0)]),
            Value::Map(map),
            Value::Bytes(vec![1, 2, 255]),
            Value::from_type_text("Date", "2015-07-21").unwrap(),
            Value::from_type_text("OffsetDateTime", "2015-07-21T21:40:32.142+01:00").unwrap(),
            Value::from_type_text("Duration", "P1Y2M3DT4H").unwrap(),
        ];
        let fields: Vec<String> = (0..cells.len()).map(|i| format!("c{i}")).collect();
        let mut result = QueryResult::new(fields, vec![cells.clone(), cells]);
        result.notifications.push(Notification {
            code: "c".into(),
            title: "t".into(),
            description: "d".into(),
            severity: "WARNING".into(),
            category: "HINT".into(),
        });
        let summary = Summary {
            query_type: Some("r"),
            bookmarks: Some(vec!["FB:x".into()]),
            transaction: Some(TxInfo {
                id: "abc123".into(),
                expires: "2026-12-03T10:00:00Z".into(),
            }),
            counters: Some(1),
        };
        for encoding in [Encoding::Plain, Encoding::Typed] {
            for result in [Some(&result), None] {
                let tree = serde_json::to_vec(&encode(result, &summary, encoding)).unwrap();
                let direct = encode_bytes(result, &summary, encoding);
                assert_eq!(
                    String::from_utf8(direct).unwrap(),
                    String::from_utf8(tree).unwrap(),
                    "{encoding:?}"
                );
            }
        }
    }

    #[test]
    fn key_order_is_neo4js() {
        let mut result = QueryResult::new(vec!["a".into()], vec![vec![Value::Int(1)]]);
        result.notifications.push(Notification {
            code: "c".into(),
            title: "t".into(),
            description: "d".into(),
            severity: "INFORMATION".into(),
            category: String::new(),
        });
        let summary = Summary {
            query_type: Some("s"),
            bookmarks: Some(vec!["FB:x".into()]),
            transaction: Some(TxInfo {
                id: "abc123".into(),
                expires: "2026-01-01T00:00:00Z".into(),
            }),
            counters: None,
        };
        let text = encode(Some(&result), &summary, Encoding::Typed).to_string();
        assert_eq!(
            text,
            r#"{"data":{"fields":["a"],"values":[[{"$type":"Integer","_value":"1"}]]},"notifications":[{"code":"c","description":"d","severity":"INFORMATION","title":"t","position":null}],"queryType":"s","resultAvailableAfter":0,"resultConsumedAfter":0,"bookmarks":["FB:x"],"transaction":{"id":"abc123","expires":"2026-01-01T00:00:00Z"}}"#
        );
    }

    #[test]
    fn json_lines_events() {
        let result = QueryResult::new(
            vec!["a".into()],
            vec![vec![Value::Int(1)], vec![Value::Int(2)]],
        );
        let summary = Summary {
            query_type: Some("r"),
            bookmarks: Some(vec!["FB:x".into()]),
            transaction: None,
            counters: None,
        };
        assert_eq!(
            lines(&encode(Some(&result), &summary, Encoding::Plain)),
            concat!(
                r#"{"$event":"Header","_body":{"fields":["a"]}}"#,
                "\n",
                r#"{"$event":"Record","_body":[1]}"#,
                "\n",
                r#"{"$event":"Record","_body":[2]}"#,
                "\n",
                r#"{"$event":"Summary","_body":{"queryType":"r","resultAvailableAfter":0,"resultConsumedAfter":0,"bookmarks":["FB:x"]}}"#,
                "\n"
            )
        );
        let error = crate::wire::error_body(&[Neo4jError::new("Neo.ClientError.X.Y", "m")]);
        assert_eq!(
            lines(&error),
            "{\"$event\":\"Error\",\"_body\":[{\"code\":\"Neo.ClientError.X.Y\",\"message\":\"m\"}]}\n"
        );
        assert_eq!(
            lines(&Json::Object(Map::new())),
            "{\"$event\":\"Summary\",\"_body\":{}}\n"
        );
    }
}
