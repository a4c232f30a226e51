//! `Value`: the one vocabulary of Cypher values shared by the dialect (literals,
//! parameters and what the evaluator computes), the cluster (columns of SHOW and procedure
//! results), the renderers and the wire formats.
//!
//! It owns every kind of value a Neo4j server can return — scalars, lists, maps, temporal
//! values (`temporal`, `duration`), points (`point`), byte arrays and graph entities
//! (`graph`) — with the text cypher-shell prints for each (`"a"`, `TRUE`, `NULL`,
//! `["a", "b"]`, `{k: 1}`, `2015-07-21`, `PT1S`, `point({srid:7203, x:1.0, y:2.0})`,
//! `(:Person {name: "Mark"})`), the parsing of Neo4j's temporal text (`parse`), and the
//! JSON forms (`json`): Neo4j's plain mapping and the tagged form the store and `-P` use.
//! It must not know about tables or HTTP: those live in `render/` and `wire/` (whose typed
//! JSON and validating request decoder are the wire's own), nor evaluate expressions.

pub mod duration;
pub mod graph;
pub mod json;
pub mod parse;
pub mod point;
pub mod temporal;

pub use duration::Duration;
pub use graph::{Node, Path, Relationship};
pub use point::Point;
pub use temporal::{ZonedDateTime, ZonedTime};

use jiff::civil;
use std::collections::BTreeMap;
use std::fmt;

/// A Cypher value. Maps keep their keys sorted, which is the order Neo4j's Query API
/// writes them in and a deterministic order for the shell (cypher-shell prints Java
/// `HashMap` order; ARCHITECTURE.md records this choice).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `NULL`.
    Null,
    /// `TRUE` / `FALSE`.
    Bool(bool),
    /// A 64-bit signed integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A string.
    String(String),
    /// A list of values.
    List(Vec<Value>),
    /// A map from names to values.
    Map(BTreeMap<String, Value>),
    /// A byte array.
    Bytes(Vec<u8>),
    /// A date (DATE).
    Date(civil::Date),
    /// A time of day without a zone (LOCAL TIME).
    LocalTime(civil::Time),
    /// A time of day with an offset (ZONED TIME).
    Time(ZonedTime),
    /// A date and time without a zone (LOCAL DATETIME).
    LocalDateTime(civil::DateTime),
    /// A date and time with an offset or a named zone (ZONED DATETIME).
    DateTime(ZonedDateTime),
    /// A duration (DURATION).
    Duration(Duration),
    /// A point (POINT).
    Point(Point),
    /// A node.
    Node(Box<Node>),
    /// A relationship.
    Relationship(Box<Relationship>),
    /// A path.
    Path(Box<Path>),
}

/// The deepest a value built at run time may nest lists and maps (cysh's limit, the same
/// as the parser's for written nesting): every walk over a value (printing, JSON,
/// comparison, dropping) recurses once per level, so a value a loop could nest without
/// bound (`reduce(acc = [], x IN range(1, 100000) | [acc])`) would overflow the stack.
pub const MAX_VALUE_DEPTH: usize = 500;

impl Value {
    /// True when lists and maps nest more than `limit` levels deep in `self`. Walks with
    /// its own stack, so any value can be asked; it stops at the first branch too deep.
    pub fn deeper_than(&self, limit: usize) -> bool {
        let mut pending: Vec<(&Value, usize)> = vec![(self, 0)];
        while let Some((v, depth)) = pending.pop() {
            let children: Box<dyn Iterator<Item = &Value>> = match v {
                Value::List(items) => Box::new(items.iter()),
                Value::Map(map) => Box::new(map.values()),
                _ => continue,
            };
            if depth + 1 > limit {
                return true;
            }
            pending.extend(
                children
                    .filter(|c| matches!(c, Value::List(_) | Value::Map(_)))
                    .map(|c| (c, depth + 1)),
            );
        }
        false
    }

    /// A string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A list of string values.
    pub fn str_list<I, S>(items: I) -> Value
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
    }

    /// The Cypher type name Neo4j uses in messages (`INTEGER`, `STRING`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "INTEGER",
            Value::Float(_) => "FLOAT",
            Value::String(_) => "STRING",
            Value::List(_) => "LIST<ANY>",
            Value::Map(_) => "MAP",
            Value::Bytes(_) => "BYTE ARRAY",
            Value::Date(_) => "DATE",
            Value::LocalTime(_) => "LOCAL TIME",
            Value::Time(_) => "ZONED TIME",
            Value::LocalDateTime(_) => "LOCAL DATETIME",
            Value::DateTime(_) => "ZONED DATETIME",
            Value::Duration(_) => "DURATION",
            Value::Point(_) => "POINT",
            Value::Node(_) => "NODE",
            Value::Relationship(_) => "RELATIONSHIP",
            Value::Path(_) => "PATH",
        }
    }

    /// The string inside a `Value::String`, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside a `Value::Int`, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The boolean inside a `Value::Bool`, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// True for `Value::Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// Formats a float as Java's `Double.toString` does, which is what cypher-shell prints:
/// `1.0`, `1.5`, `1.0E10`, `1.0E-4`, `NaN`, `Infinity`.
pub fn java_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let abs = f.abs();
    if (1e-3..1e7).contains(&abs) {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        // Rust's `{:e}` gives the shortest round-trip digits, as Java does: `1e10`, `1.5e-7`.
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

/// The Java driver's text of a byte array, which cypher-shell prints: `#` and each byte in
/// hex, with the driver's quirk for bytes of 0x80 and above (a signed byte below 0x10 gets a
/// `0` before `Integer.toHexString`, which writes it as eight digits: `0ffffff80`).
pub fn java_bytes(bytes: &[u8]) -> String {
    let mut s = String::from("#");
    for &b in bytes {
        let signed = b as i8;
        if signed < 0x10 {
            s.push('0');
        }
        s.push_str(&format!("{:x}", i32::from(signed)));
    }
    s
}

/// True when `key` is written bare by cypher-shell: its rule is `[\p{L}_][\p{L}0-9_]*`
/// (letters of any script, ASCII digits only), so `x²` or a key with a combining mark is
/// backticked even where Cypher would accept it bare.
fn is_identifier(key: &str) -> bool {
    if key.is_ascii() {
        let mut chars = key.chars();
        return match chars.next() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            }
            _ => false,
        };
    }
    static RULE: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^[\p{L}_][\p{L}0-9_]*$").ok());
    RULE.as_ref().is_some_and(|r| r.is_match(key))
}

/// Writes a map key as cypher-shell does: bare when identifier-like, else in backticks
/// with inner backticks doubled.
pub fn write_key(f: &mut impl fmt::Write, key: &str) -> fmt::Result {
    if is_identifier(key) {
        f.write_str(key)
    } else {
        write!(f, "`{}`", key.replace('`', "``"))
    }
}

impl fmt::Display for Value {
    /// The cypher-shell rendering used by the table and plain formats.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(true) => f.write_str("TRUE"),
            Value::Bool(false) => f.write_str("FALSE"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&java_double(*x)),
            // cypher-shell escapes only the double quote; newlines and backslashes stay raw.
            Value::String(s) => {
                // Written in pieces, not copied to escape its quotes: a full SHOW DATABASES at
                // 100,000 databases took 714 ms of CPU with the copy, 507 ms without.
                f.write_str("\"")?;
                let mut rest = s.as_str();
                // A plain scan: the strings are short, where memchr's set-up costs more.
                while let Some(i) = rest.bytes().position(|b| b == b'"') {
                    f.write_str(&rest[..i])?;
                    f.write_str("\\\"")?;
                    rest = &rest[i + 1..];
                }
                f.write_str(rest)?;
                f.write_str("\"")
            }
            Value::Bytes(b) => f.write_str(&java_bytes(b)),
            Value::Date(d) => f.write_str(&temporal::date_text(*d)),
            Value::LocalTime(t) => f.write_str(&temporal::time_text(*t, false)),
            Value::Time(t) => write!(f, "{t}"),
            Value::LocalDateTime(dt) => f.write_str(&temporal::datetime_text(*dt, false)),
            Value::DateTime(dt) => write!(f, "{dt}"),
            Value::Duration(d) => write!(f, "{d}"),
            Value::Point(p) => write!(f, "{p}"),
            Value::Node(n) => write!(f, "{n}"),
            Value::Relationship(r) => write!(f, "{r}"),
            Value::Path(p) => write!(f, "{p}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    // Straight to this formatter (no flags are used): a SHOW SERVERS of
                    // 300,000 hosted names spent a fifth of its time in `write!`.
                    fmt::Display::fmt(v, f)?;
                }
                f.write_str("]")
            }
            Value::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_key(f, k)?;
                    f.write_str(": ")?;
                    fmt::Display::fmt(v, f)?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_cypher_shell() {
        let mut m = BTreeMap::new();
        m.insert("txLogEnrichment".to_string(), Value::str("FULL"));
        m.insert("1prop".to_string(), Value::Int(1));
        let cases = [
            (Value::str("a \"b\""), r#""a \"b\"""#),
            (Value::Bool(true), "TRUE"),
            (Value::Null, "NULL"),
            (
                Value::str_list(["system", "neo4j"]),
                r#"["system", "neo4j"]"#,
            ),
            (Value::Map(m), r#"{`1prop`: 1, txLogEnrichment: "FULL"}"#),
            (Value::Float(1.0), "1.0"),
            (Value::Float(1e10), "1.0E10"),
            (Value::Float(1e-4), "1.0E-4"),
            (Value::Float(0.5), "0.5"),
        ];
        for (v, want) in cases {
            assert_eq!(v.to_string(), want);
        }
    }

    #[test]
    fn renders_new_kinds_like_cypher_shell() {
        use jiff::tz::Offset;
        let cases = [
            (Value::Date(civil::date(2021, 1, 12)), "2021-01-12"),
            (Value::LocalTime(civil::time(2, 0, 0, 0)), "02:00"),
            (
                Value::Time(ZonedTime {
                    time: civil::time(2, 0, 0, 0),
                    offset: Offset::UTC,
                }),
                "02:00Z",
            ),
            (
                Value::LocalDateTime(civil::date(2023, 3, 21).at(11, 17, 15, 100_000_000)),
                "2023-03-21T11:17:15.100",
            ),
            (
                Value::Duration(Duration::parse("PT3601.1S").unwrap()),
                "PT1H1.1S",
            ),
            (
                Value::Point(Point {
                    srid: 7203,
                    x: 1.0,
                    y: 2.0,
                    z: None,
                }),
                "point({srid:7203, x:1.0, y:2.0})",
            ),
            (Value::Bytes(vec![1, 0xab, 0x10]), "#010ffffffab10"),
        ];
        for (v, want) in cases {
            assert_eq!(v.to_string(), want);
        }
    }
}
