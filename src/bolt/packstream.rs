//! PackStream v1, Bolt's value encoding, both ways: every marker (null, booleans, the four
//! integer widths, floats, bytes, strings, lists, dictionaries, structures) and the value
//! structures of Bolt 4.4–6.0 (Node, Relationship, UnboundRelationship, Path, the temporal
//! types in both their UTC (5.0+) and legacy (4.4) forms, Duration, Point2D/3D, and 6.0's
//! Vector) mapped to and from [`Value`].
//!
//! It owns the byte layout only. It must not know about messages (`message.rs` reads their
//! structure headers with [`Decoder::struct_header`]) nor about chunks or sockets. A
//! decoder never panics on any input: every read is bounds-checked, nesting is limited,
//! and a length larger than what is left is refused before anything is allocated.

use crate::value::graph::{Node, Path, Relationship};
use crate::value::{Duration, Point, Value, ZonedDateTime, ZonedTime};
use jiff::civil;
use jiff::tz::Offset;
use std::collections::BTreeMap;

/// Structure tags of the value structures.
pub mod tag {
    /// Node.
    pub const NODE: u8 = 0x4E;
    /// Relationship.
    pub const RELATIONSHIP: u8 = 0x52;
    /// UnboundRelationship (inside a Path).
    pub const UNBOUND_RELATIONSHIP: u8 = 0x72;
    /// Path.
    pub const PATH: u8 = 0x50;
    /// Date: days since the epoch.
    pub const DATE: u8 = 0x44;
    /// Time: nanoseconds since midnight and an offset.
    pub const TIME: u8 = 0x54;
    /// LocalTime: nanoseconds since midnight.
    pub const LOCAL_TIME: u8 = 0x74;
    /// DateTime (5.0+, UTC seconds): seconds, nanoseconds, offset.
    pub const DATE_TIME: u8 = 0x49;
    /// DateTimeZoneId (5.0+, UTC seconds): seconds, nanoseconds, zone id.
    pub const DATE_TIME_ZONE_ID: u8 = 0x69;
    /// Legacy DateTime (4.4 without the `utc` patch: local seconds).
    pub const LEGACY_DATE_TIME: u8 = 0x46;
    /// Legacy DateTimeZoneId (4.4 without the `utc` patch: local seconds).
    pub const LEGACY_DATE_TIME_ZONE_ID: u8 = 0x66;
    /// LocalDateTime: seconds and nanoseconds of the local date-time as if in UTC.
    pub const LOCAL_DATE_TIME: u8 = 0x64;
    /// Duration: months, days, seconds, nanoseconds.
    pub const DURATION: u8 = 0x45;
    /// Point2D: srid, x, y.
    pub const POINT_2D: u8 = 0x58;
    /// Point3D: srid, x, y, z.
    pub const POINT_3D: u8 = 0x59;
    /// Vector (Bolt 6.0): element type marker, packed elements.
    pub const VECTOR: u8 = 0x56;
    /// UnsupportedType (Bolt 6.0): a value the client's version cannot carry.
    pub const UNSUPPORTED: u8 = 0x3F;
}

/// How deep lists, maps and structures may nest in one value; deeper input is refused
/// rather than recursed into (a hostile peer could otherwise overflow the stack).
pub const MAX_DEPTH: usize = 256;

/// Why bytes are not a PackStream value (or not the one expected).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended inside a value.
    #[error("PackStream value is truncated")]
    Truncated,
    /// A marker byte that PackStream v1 does not define (`0xC4`–`0xC7`, …).
    #[error("Unknown PackStream marker 0x{0:02X}")]
    UnknownMarker(u8),
    /// A string that is not UTF-8.
    #[error("PackStream string is not valid UTF-8")]
    Utf8,
    /// A dictionary key that is not a string.
    #[error("PackStream dictionary key is not a string")]
    KeyNotString,
    /// A structure tag with no meaning as a value.
    #[error("Unknown PackStream structure tag 0x{0:02X}")]
    UnknownStructure(u8),
    /// A known structure with the wrong number or types of fields.
    #[error("Invalid PackStream structure 0x{tag:02X}: {why}")]
    BadStructure {
        /// Its tag.
        tag: u8,
        /// What is wrong.
        why: &'static str,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("PackStream value nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// Something other than the expected kind of value (e.g. a message that is no structure).
    #[error("Expected {0}")]
    Expected(&'static str),
}

/// Which form date-times take on the wire: Bolt 5.0+ (and 4.4 with the `utc` patch) sends
/// UTC seconds under tags `49`/`69`; plain 4.4 sends local seconds under `46`/`66`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// UTC date-times.
    pub utc: bool,
    /// Nodes and relationships carry element ids (5.0+).
    pub element_ids: bool,
}

impl Dialect {
    /// What Bolt 5.0 and later use.
    pub const V5: Dialect = Dialect {
        utc: true,
        element_ids: true,
    };
    /// What Bolt 4.4 uses without the `utc` patch.
    pub const V4: Dialect = Dialect {
        utc: false,
        element_ids: false,
    };
}

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

/// Appends PackStream bytes to a buffer.
pub struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    dialect: Dialect,
}

impl<'a> Encoder<'a> {
    /// An encoder appending to `out` in `dialect`.
    pub fn new(out: &'a mut Vec<u8>, dialect: Dialect) -> Encoder<'a> {
        Encoder { out, dialect }
    }

    /// Null.
    pub fn null(&mut self) {
        self.out.push(0xC0);
    }

    /// A boolean.
    pub fn bool(&mut self, b: bool) {
        self.out.push(if b { 0xC3 } else { 0xC2 });
    }

    /// An integer in its smallest form.
    pub fn int(&mut self, i: i64) {
        if (-16..=127).contains(&i) {
            self.out.push(i as u8);
        } else if (-128..=127).contains(&i) {
            self.out.extend_from_slice(&[0xC8, i as u8]);
        } else if (-32_768..=32_767).contains(&i) {
            self.out.push(0xC9);
            self.out.extend_from_slice(&(i as i16).to_be_bytes());
        } else if (-2_147_483_648..=2_147_483_647).contains(&i) {
            self.out.push(0xCA);
            self.out.extend_from_slice(&(i as i32).to_be_bytes());
        } else {
            self.out.push(0xCB);
            self.out.extend_from_slice(&i.to_be_bytes());
        }
    }

    /// A float.
    pub fn float(&mut self, f: f64) {
        self.out.push(0xC1);
        self.out.extend_from_slice(&f.to_bits().to_be_bytes());
    }

    fn sized(&mut self, len: usize, tiny: Option<u8>, markers: [u8; 3]) {
        match tiny {
            Some(base) if len < 16 => self.out.push(base | len as u8),
            _ if len <= 0xFF => self.out.extend_from_slice(&[markers[0], len as u8]),
            _ if len <= 0xFFFF => {
                self.out.push(markers[1]);
                self.out.extend_from_slice(&(len as u16).to_be_bytes());
            }
            _ => {
                // Longer than u32::MAX cannot be sent; the chunker limits messages far
                // below that, so saturating here only ever affects impossible input.
                self.out.push(markers[2]);
                let n = u32::try_from(len).unwrap_or(u32::MAX);
                self.out.extend_from_slice(&n.to_be_bytes());
            }
        }
    }

    /// A string.
    pub fn string(&mut self, s: &str) {
        self.sized(s.len(), Some(0x80), [0xD0, 0xD1, 0xD2]);
        self.out.extend_from_slice(s.as_bytes());
    }

    /// A byte array.
    pub fn bytes(&mut self, b: &[u8]) {
        self.sized(b.len(), None, [0xCC, 0xCD, 0xCE]);
        self.out.extend_from_slice(b);
    }

    /// A list header for `len` items (the items follow).
    pub fn list_header(&mut self, len: usize) {
        self.sized(len, Some(0x90), [0xD4, 0xD5, 0xD6]);
    }

    /// A dictionary header for `len` entries (key, value pairs follow).
    pub fn map_header(&mut self, len: usize) {
        self.sized(len, Some(0xA0), [0xD8, 0xD9, 0xDA]);
    }

    /// A structure header: `fields` (at most 15) and the tag.
    pub fn struct_header(&mut self, fields: u8, tag: u8) {
        self.out.extend_from_slice(&[0xB0 | (fields & 0x0F), tag]);
    }

    /// A dictionary of values.
    pub fn map(&mut self, m: &BTreeMap<String, Value>) {
        self.map_header(m.len());
        for (k, v) in m {
            self.string(k);
            self.value(v);
        }
    }

    /// Any value.
    pub fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Int(i) => self.int(*i),
            Value::Float(f) => self.float(*f),
            Value::String(s) => self.string(s),
            Value::Bytes(b) => self.bytes(b),
            Value::List(items) => {
                self.list_header(items.len());
                for item in items {
                    self.value(item);
                }
            }
            Value::Map(m) => self.map(m),
            Value::Date(d) => {
                self.struct_header(1, tag::DATE);
                self.int(epoch_days(*d));
            }
            Value::LocalTime(t) => {
                self.struct_header(1, tag::LOCAL_TIME);
                self.int(nanos_of_day(*t));
            }
            Value::Time(t) => {
                self.struct_header(2, tag::TIME);
                self.int(nanos_of_day(t.time));
                self.int(i64::from(t.offset.seconds()));
            }
            Value::LocalDateTime(dt) => {
                let (s, n) = utc_seconds(*dt, Offset::UTC);
                self.struct_header(2, tag::LOCAL_DATE_TIME);
                self.int(s);
                self.int(n);
            }
            Value::DateTime(z) => self.date_time(z),
            Value::Duration(d) => {
                self.struct_header(4, tag::DURATION);
                self.int(d.months);
                self.int(d.days);
                self.int(d.seconds);
                self.int(i64::from(d.nanos));
            }
            Value::Point(p) => match p.z {
                None => {
                    self.struct_header(3, tag::POINT_2D);
                    self.int(i64::from(p.srid));
                    self.float(p.x);
                    self.float(p.y);
                }
                Some(z) => {
                    self.struct_header(4, tag::POINT_3D);
                    self.int(i64::from(p.srid));
                    self.float(p.x);
                    self.float(p.y);
                    self.float(z);
                }
            },
            Value::Node(n) => self.node(n),
            Value::Relationship(r) => self.relationship(r),
            Value::Path(p) => self.path(p),
        }
    }

    fn date_time(&mut self, z: &ZonedDateTime) {
        // The UTC forms count seconds of the instant; the legacy forms count seconds of
        // the local date-time as if it were UTC.
        let (s, n) = if self.dialect.utc {
            utc_seconds(z.local, z.offset)
        } else {
            utc_seconds(z.local, Offset::UTC)
        };
        match &z.zone {
            Some(zone) => {
                let t = if self.dialect.utc {
                    tag::DATE_TIME_ZONE_ID
                } else {
                    tag::LEGACY_DATE_TIME_ZONE_ID
                };
                self.struct_header(3, t);
                self.int(s);
                self.int(n);
                self.string(zone);
            }
            None => {
                let t = if self.dialect.utc {
                    tag::DATE_TIME
                } else {
                    tag::LEGACY_DATE_TIME
                };
                self.struct_header(3, t);
                self.int(s);
                self.int(n);
                self.int(i64::from(z.offset.seconds()));
            }
        }
    }

    fn node(&mut self, n: &Node) {
        let fields = if self.dialect.element_ids { 4 } else { 3 };
        self.struct_header(fields, tag::NODE);
        self.int(n.id.unwrap_or(-1));
        self.list_header(n.labels.len());
        for l in &n.labels {
            self.string(l);
        }
        self.map(&n.properties);
        if self.dialect.element_ids {
            self.string(&n.element_id);
        }
    }

    fn relationship(&mut self, r: &Relationship) {
        let fields = if self.dialect.element_ids { 8 } else { 5 };
        self.struct_header(fields, tag::RELATIONSHIP);
        self.int(r.id.unwrap_or(-1));
        self.int(r.start_id.unwrap_or(-1));
        self.int(r.end_id.unwrap_or(-1));
        self.string(&r.rel_type);
        self.map(&r.properties);
        if self.dialect.element_ids {
            self.string(&r.element_id);
            self.string(&r.start_element_id);
            self.string(&r.end_element_id);
        }
    }

    fn path(&mut self, p: &Path) {
        // Distinct nodes and relationships by element id, then the walk as indices:
        // a relationship index (1-based, negative when traversed against its direction)
        // and the index of the node it leads to.
        let mut nodes: Vec<&Node> = Vec::new();
        for n in &p.nodes {
            if !nodes.iter().any(|m| m.element_id == n.element_id) {
                nodes.push(n);
            }
        }
        let node_index = |n: &Node| {
            nodes
                .iter()
                .position(|m| m.element_id == n.element_id)
                .unwrap_or(0) as i64
        };
        let mut rels: Vec<&Relationship> = Vec::new();
        let mut indices = Vec::new();
        for (k, r) in p.relationships.iter().enumerate() {
            let ri = match rels.iter().position(|m| m.element_id == r.element_id) {
                Some(i) => i,
                None => {
                    rels.push(r);
                    rels.len() - 1
                }
            } as i64
                + 1;
            let (Some(from), Some(to)) = (p.nodes.get(k), p.nodes.get(k + 1)) else {
                break;
            };
            let forward = r.start_element_id == from.element_id
                || (r.start_element_id != to.element_id && r.end_element_id == to.element_id);
            indices.push(if forward { ri } else { -ri });
            indices.push(node_index(to));
        }
        self.struct_header(3, tag::PATH);
        self.list_header(nodes.len());
        for n in nodes {
            self.node(n);
        }
        self.list_header(rels.len());
        let fields = if self.dialect.element_ids { 4 } else { 3 };
        for r in rels {
            self.struct_header(fields, tag::UNBOUND_RELATIONSHIP);
            self.int(r.id.unwrap_or(-1));
            self.string(&r.rel_type);
            self.map(&r.properties);
            if self.dialect.element_ids {
                self.string(&r.element_id);
            }
        }
        self.list_header(indices.len());
        for i in indices {
            self.int(i);
        }
    }
}

/// Days since 1970-01-01.
fn epoch_days(d: civil::Date) -> i64 {
    let (s, _) = utc_seconds(d.to_datetime(civil::Time::midnight()), Offset::UTC);
    s.div_euclid(86_400)
}

fn nanos_of_day(t: civil::Time) -> i64 {
    (i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second()))
        * 1_000_000_000
        + i64::from(t.subsec_nanosecond())
}

/// Seconds and nanoseconds since the epoch of `local` at `offset`.
fn utc_seconds(local: civil::DateTime, offset: Offset) -> (i64, i64) {
    match offset.to_timestamp(local) {
        // jiff splits an instant before the epoch into negative seconds and negative
        // nanoseconds; Bolt wants the seconds floored and the nanoseconds in 0..1e9.
        Ok(ts) => {
            let (s, n) = (ts.as_second(), i64::from(ts.subsec_nanosecond()));
            if n < 0 {
                (s - 1, n + 1_000_000_000)
            } else {
                (s, n)
            }
        }
        // Only at the very edge of jiff's range; the value then cannot be sent exactly.
        Err(_) => (0, 0),
    }
}

/// One value in `dialect` as PackStream bytes.
pub fn encode(v: &Value, dialect: Dialect) -> Vec<u8> {
    let mut out = Vec::new();
    Encoder::new(&mut out, dialect).value(v);
    out
}

// ---------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------

/// Reads PackStream values from a byte slice.
pub struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Decoder<'a> {
    /// A decoder at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Decoder<'a> {
        Decoder { bytes, pos: 0 }
    }

    /// True when every byte has been read.
    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self.bytes.get(self.pos).ok_or(DecodeError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated)?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn len(&mut self, width: u8) -> Result<usize, DecodeError> {
        Ok(match width {
            1 => usize::from(self.byte()?),
            2 => usize::from(u16::from_be_bytes(self.array()?)),
            _ => u32::from_be_bytes(self.array()?) as usize,
        })
    }

    /// A count of items that each take at least one byte: more than the bytes left is
    /// refused before a vector of that capacity is made.
    fn count(&mut self, n: usize) -> Result<usize, DecodeError> {
        if n > self.bytes.len() - self.pos.min(self.bytes.len()) {
            Err(DecodeError::Truncated)
        } else {
            Ok(n)
        }
    }

    /// The header of a structure: its field count and tag.
    pub fn struct_header(&mut self) -> Result<(usize, u8), DecodeError> {
        let m = self.byte()?;
        if m & 0xF0 != 0xB0 {
            return Err(DecodeError::Expected("a structure"));
        }
        Ok((usize::from(m & 0x0F), self.byte()?))
    }

    /// Any value.
    pub fn value(&mut self) -> Result<Value, DecodeError> {
        self.value_at(0)
    }

    /// A string.
    pub fn string(&mut self) -> Result<String, DecodeError> {
        match self.value()? {
            Value::String(s) => Ok(s),
            _ => Err(DecodeError::Expected("a string")),
        }
    }

    /// An integer.
    pub fn int(&mut self) -> Result<i64, DecodeError> {
        match self.value()? {
            Value::Int(i) => Ok(i),
            _ => Err(DecodeError::Expected("an integer")),
        }
    }

    /// A dictionary (null reads as empty: drivers send null for "no extra").
    pub fn map(&mut self) -> Result<BTreeMap<String, Value>, DecodeError> {
        match self.value()? {
            Value::Map(m) => Ok(m),
            Value::Null => Ok(BTreeMap::new()),
            _ => Err(DecodeError::Expected("a dictionary")),
        }
    }

    /// A list.
    pub fn list(&mut self) -> Result<Vec<Value>, DecodeError> {
        match self.value()? {
            Value::List(l) => Ok(l),
            _ => Err(DecodeError::Expected("a list")),
        }
    }

    fn str_of(&mut self, n: usize) -> Result<String, DecodeError> {
        let b = self.take(n)?;
        std::str::from_utf8(b)
            .map(str::to_string)
            .map_err(|_| DecodeError::Utf8)
    }

    fn value_at(&mut self, depth: usize) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let m = self.byte()?;
        Ok(match m {
            0x00..=0x7F => Value::Int(i64::from(m)),
            0xF0..=0xFF => Value::Int(i64::from(m as i8)),
            0xC0 => Value::Null,
            0xC1 => Value::Float(f64::from_bits(u64::from_be_bytes(self.array()?))),
            0xC2 => Value::Bool(false),
            0xC3 => Value::Bool(true),
            0xC8 => Value::Int(i64::from(self.byte()? as i8)),
            0xC9 => Value::Int(i64::from(i16::from_be_bytes(self.array()?))),
            0xCA => Value::Int(i64::from(i32::from_be_bytes(self.array()?))),
            0xCB => Value::Int(i64::from_be_bytes(self.array()?)),
            0xCC..=0xCE => {
                let n = self.len(1 << (m - 0xCC))?;
                Value::Bytes(self.take(n)?.to_vec())
            }
            0x80..=0x8F => Value::String(self.str_of(usize::from(m & 0x0F))?),
            0xD0..=0xD2 => {
                let n = self.len(1 << (m - 0xD0))?;
                Value::String(self.str_of(n)?)
            }
            0x90..=0x9F => self.list_of(usize::from(m & 0x0F), depth)?,
            0xD4..=0xD6 => {
                let n = self.len(1 << (m - 0xD4))?;
                self.list_of(n, depth)?
            }
            0xA0..=0xAF => self.map_of(usize::from(m & 0x0F), depth)?,
            0xD8..=0xDA => {
                let n = self.len(1 << (m - 0xD8))?;
                self.map_of(n, depth)?
            }
            0xB0..=0xBF => {
                let t = self.byte()?;
                self.structure(usize::from(m & 0x0F), t, depth)?
            }
            _ => return Err(DecodeError::UnknownMarker(m)),
        })
    }

    fn list_of(&mut self, n: usize, depth: usize) -> Result<Value, DecodeError> {
        let n = self.count(n)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.value_at(depth + 1)?);
        }
        Ok(Value::List(items))
    }

    fn map_of(&mut self, n: usize, depth: usize) -> Result<Value, DecodeError> {
        let n = self.count(n)?;
        let mut m = BTreeMap::new();
        for _ in 0..n {
            let Value::String(k) = self.value_at(depth + 1)? else {
                return Err(DecodeError::KeyNotString);
            };
            let v = self.value_at(depth + 1)?;
            // A repeated key keeps the last value, as the drivers do.
            m.insert(k, v);
        }
        Ok(Value::Map(m))
    }

    fn structure(&mut self, n: usize, t: u8, depth: usize) -> Result<Value, DecodeError> {
        let mut fields = Vec::with_capacity(n);
        for _ in 0..n {
            fields.push(self.value_at(depth + 1)?);
        }
        structure_value(t, fields)
    }
}

fn bad(tag: u8, why: &'static str) -> DecodeError {
    DecodeError::BadStructure { tag, why }
}

fn int_field(tag: u8, v: &Value) -> Result<i64, DecodeError> {
    v.as_int()
        .ok_or_else(|| bad(tag, "a field is not an integer"))
}

fn float_field(tag: u8, v: &Value) -> Result<f64, DecodeError> {
    match v {
        Value::Float(f) => Ok(*f),
        _ => Err(bad(tag, "a coordinate is not a float")),
    }
}

fn string_field(tag: u8, v: Value) -> Result<String, DecodeError> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(bad(tag, "a field is not a string")),
    }
}

fn map_field(tag: u8, v: Value) -> Result<BTreeMap<String, Value>, DecodeError> {
    match v {
        Value::Map(m) => Ok(m),
        _ => Err(bad(tag, "properties are not a dictionary")),
    }
}

fn timestamp(tag: u8, seconds: i64, nanos: i64) -> Result<jiff::Timestamp, DecodeError> {
    let nanos = i32::try_from(nanos)
        .ok()
        .filter(|n| (0..1_000_000_000).contains(n))
        .ok_or_else(|| bad(tag, "nanoseconds out of range"))?;
    jiff::Timestamp::new(seconds, nanos).map_err(|_| bad(tag, "instant out of range"))
}

fn time_of_day(tag: u8, nanos: i64) -> Result<civil::Time, DecodeError> {
    if !(0..86_400 * 1_000_000_000).contains(&nanos) {
        return Err(bad(tag, "time of day out of range"));
    }
    let secs = nanos / 1_000_000_000;
    civil::Time::new(
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        (nanos % 1_000_000_000) as i32,
    )
    .map_err(|_| bad(tag, "time of day out of range"))
}

fn offset(tag: u8, seconds: i64) -> Result<Offset, DecodeError> {
    i32::try_from(seconds)
        .ok()
        .and_then(|s| Offset::from_seconds(s).ok())
        .ok_or_else(|| bad(tag, "offset out of range"))
}

fn node_of(tag: u8, f: Vec<Value>) -> Result<Node, DecodeError> {
    if f.len() != 3 && f.len() != 4 {
        return Err(bad(tag, "a node has 3 or 4 fields"));
    }
    let mut f = f.into_iter();
    let id = f
        .next()
        .map(|v| int_field(tag, &v))
        .transpose()?
        .unwrap_or(-1);
    let labels = match f.next() {
        Some(Value::List(l)) => l
            .into_iter()
            .map(|v| string_field(tag, v))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad(tag, "labels are not a list")),
    };
    let properties = map_field(tag, f.next().unwrap_or(Value::Null))?;
    let element_id = match f.next() {
        Some(v) => string_field(tag, v)?,
        None => id.to_string(),
    };
    Ok(Node {
        id: Some(id),
        element_id,
        labels,
        properties,
    })
}

/// The value of structure `t` with `fields`.
fn structure_value(t: u8, fields: Vec<Value>) -> Result<Value, DecodeError> {
    let n = fields.len();
    let need = |k: usize| {
        if n == k {
            Ok(())
        } else {
            Err(bad(t, "wrong number of fields"))
        }
    };
    Ok(match t {
        tag::NODE => Value::Node(Box::new(node_of(t, fields)?)),
        tag::RELATIONSHIP => {
            if n != 5 && n != 8 {
                return Err(bad(t, "a relationship has 5 or 8 fields"));
            }
            let mut f = fields.into_iter();
            let mut next = || f.next().unwrap_or(Value::Null);
            let id = int_field(t, &next())?;
            let start = int_field(t, &next())?;
            let end = int_field(t, &next())?;
            let rel_type = string_field(t, next())?;
            let properties = map_field(t, next())?;
            let (eid, seid, eeid) = if n == 8 {
                (
                    string_field(t, next())?,
                    string_field(t, next())?,
                    string_field(t, next())?,
                )
            } else {
                (id.to_string(), start.to_string(), end.to_string())
            };
            Value::Relationship(Box::new(Relationship {
                id: Some(id),
                element_id: eid,
                start_id: Some(start),
                start_element_id: seid,
                end_id: Some(end),
                end_element_id: eeid,
                rel_type,
                properties,
            }))
        }
        tag::PATH => path_of(fields)?,
        // Its ends are known only inside a path, which fills them in (`path_of`).
        tag::UNBOUND_RELATIONSHIP => {
            if n != 3 && n != 4 {
                return Err(bad(t, "an unbound relationship has 3 or 4 fields"));
            }
            let mut f = fields.into_iter();
            let mut next = || f.next().unwrap_or(Value::Null);
            let id = int_field(t, &next())?;
            let rel_type = string_field(t, next())?;
            let properties = map_field(t, next())?;
            let element_id = if n == 4 {
                string_field(t, next())?
            } else {
                id.to_string()
            };
            Value::Relationship(Box::new(Relationship {
                id: Some(id),
                element_id,
                start_id: None,
                start_element_id: String::new(),
                end_id: None,
                end_element_id: String::new(),
                rel_type,
                properties,
            }))
        }
        tag::DATE => {
            need(1)?;
            let days = int_field(t, &fields[0])?;
            let secs = days
                .checked_mul(86_400)
                .ok_or_else(|| bad(t, "date out of range"))?;
            Value::Date(Offset::UTC.to_datetime(timestamp(t, secs, 0)?).date())
        }
        tag::LOCAL_TIME => {
            need(1)?;
            Value::LocalTime(time_of_day(t, int_field(t, &fields[0])?)?)
        }
        tag::TIME => {
            need(2)?;
            Value::Time(ZonedTime {
                time: time_of_day(t, int_field(t, &fields[0])?)?,
                offset: offset(t, int_field(t, &fields[1])?)?,
            })
        }
        tag::LOCAL_DATE_TIME => {
            need(2)?;
            let ts = timestamp(t, int_field(t, &fields[0])?, int_field(t, &fields[1])?)?;
            Value::LocalDateTime(Offset::UTC.to_datetime(ts))
        }
        tag::DATE_TIME | tag::LEGACY_DATE_TIME => {
            need(3)?;
            let ts = timestamp(t, int_field(t, &fields[0])?, int_field(t, &fields[1])?)?;
            let off = offset(t, int_field(t, &fields[2])?)?;
            let local = if t == tag::DATE_TIME {
                off.to_datetime(ts)
            } else {
                Offset::UTC.to_datetime(ts)
            };
            Value::DateTime(ZonedDateTime {
                local,
                offset: off,
                zone: None,
            })
        }
        tag::DATE_TIME_ZONE_ID | tag::LEGACY_DATE_TIME_ZONE_ID => {
            need(3)?;
            let ts = timestamp(t, int_field(t, &fields[0])?, int_field(t, &fields[1])?)?;
            let Value::String(zone) = &fields[2] else {
                return Err(bad(t, "zone id is not a string"));
            };
            let z = if t == tag::DATE_TIME_ZONE_ID {
                ZonedDateTime::at(ts, Some(zone), Offset::UTC)
            } else {
                ZonedDateTime::of_local(Offset::UTC.to_datetime(ts), Some(zone), Offset::UTC)
            };
            Value::DateTime(z.map_err(|_| bad(t, "unknown zone id"))?)
        }
        tag::DURATION => {
            need(4)?;
            let d = Duration::new(
                int_field(t, &fields[0])?,
                int_field(t, &fields[1])?,
                int_field(t, &fields[2])?,
                int_field(t, &fields[3])?,
            )
            .map_err(|_| bad(t, "duration out of range"))?;
            Value::Duration(d)
        }
        tag::POINT_2D | tag::POINT_3D => {
            need(if t == tag::POINT_2D { 3 } else { 4 })?;
            let srid = u32::try_from(int_field(t, &fields[0])?)
                .map_err(|_| bad(t, "srid out of range"))?;
            Value::Point(Point {
                srid,
                x: float_field(t, &fields[1])?,
                y: float_field(t, &fields[2])?,
                z: fields.get(3).map(|v| float_field(t, v)).transpose()?,
            })
        }
        tag::VECTOR => vector_of(fields)?,
        _ => return Err(DecodeError::UnknownStructure(t)),
    })
}

/// Bolt 6.0's Vector as a list of its numbers (cysh has no vector type to print).
fn vector_of(fields: Vec<Value>) -> Result<Value, DecodeError> {
    let t = tag::VECTOR;
    let [Value::Bytes(kind), Value::Bytes(data)] = fields.as_slice() else {
        return Err(bad(t, "a vector is a type marker and bytes"));
    };
    let width = match kind.first() {
        Some(0xC8) => 1,
        Some(0xC9) => 2,
        Some(0xCA) => 4,
        Some(0xCB) | Some(0xC1) => 8,
        Some(0xC6) => 4,
        _ => return Err(bad(t, "unknown vector element type")),
    };
    if data.len() % width != 0 {
        return Err(bad(t, "vector data is not whole elements"));
    }
    let items = data
        .chunks_exact(width)
        .map(|c| match (kind[0], c) {
            (0xC8, [a]) => Value::Int(i64::from(*a as i8)),
            (0xC9, [a, b]) => Value::Int(i64::from(i16::from_be_bytes([*a, *b]))),
            (0xCA, c) => Value::Int(i64::from(i32::from_be_bytes([c[0], c[1], c[2], c[3]]))),
            (0xC6, c) => Value::Float(f64::from(f32::from_be_bytes([c[0], c[1], c[2], c[3]]))),
            (0xC1, c) => Value::Float(f64::from_be_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ])),
            (_, c) => Value::Int(i64::from_be_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ])),
        })
        .collect();
    Ok(Value::List(items))
}

fn path_of(fields: Vec<Value>) -> Result<Value, DecodeError> {
    let t = tag::PATH;
    let [Value::List(nodes), Value::List(rels), Value::List(indices)] =
        <[Value; 3]>::try_from(fields).map_err(|_| bad(t, "a path has 3 fields"))?
    else {
        return Err(bad(t, "path fields are not lists"));
    };
    let nodes = nodes
        .into_iter()
        .map(|v| match v {
            Value::Node(n) => Ok(*n),
            _ => Err(bad(t, "path nodes are not nodes")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let rels = rels
        .into_iter()
        .map(|v| match v {
            Value::Relationship(r) => Ok(*r),
            _ => Err(bad(t, "path relationships are not unbound relationships")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let indices = indices
        .iter()
        .map(|v| int_field(t, v))
        .collect::<Result<Vec<_>, _>>()?;
    if indices.len() % 2 != 0 || nodes.is_empty() {
        return Err(bad(t, "path indices do not pair up"));
    }
    let mut walk = vec![nodes[0].clone()];
    let mut walk_rels = Vec::new();
    for pair in indices.chunks_exact(2) {
        let (ri, ni) = (pair[0], pair[1]);
        let rel = rels
            .get((ri.unsigned_abs() as usize).wrapping_sub(1))
            .ok_or_else(|| bad(t, "path relationship index out of range"))?;
        let next = usize::try_from(ni)
            .ok()
            .and_then(|i| nodes.get(i))
            .ok_or_else(|| bad(t, "path node index out of range"))?
            .clone();
        let prev = walk.last().cloned().unwrap_or_else(|| nodes[0].clone());
        let (start, end) = if ri > 0 {
            (&prev, &next)
        } else {
            (&next, &prev)
        };
        let mut rel = rel.clone();
        rel.start_id = start.id;
        rel.start_element_id = start.element_id.clone();
        rel.end_id = end.id;
        rel.end_element_id = end.element_id.clone();
        walk_rels.push(rel);
        walk.push(next);
    }
    Ok(Value::Path(Box::new(Path {
        nodes: walk,
        relationships: walk_rels,
    })))
}

/// One value from `bytes`, which must hold exactly that value.
pub fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut d = Decoder::new(bytes);
    let v = d.value()?;
    if d.at_end() {
        Ok(v)
    } else {
        Err(DecodeError::Expected("one value"))
    }
}
