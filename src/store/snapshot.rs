//! The compact snapshot: the cluster's large tables (servers, databases, allocations) in
//! one binary blob, so a store opens without reading and decoding every row.
//!
//! It owns the blob's format: a magic and format number, the three tables, and a checksum
//! of everything before it. `decode` refuses (never panics on) anything it did not write:
//! a wrong magic, a short or overlong blob, a bad checksum, invalid UTF-8, an unknown enum
//! value. It must not decide when a snapshot is current: `sqlite` keeps it beside the
//! tables with the generation it reflects and uses it only when that generation is the
//! file's (see ARCHITECTURE.md, "Durability and the data directory"). Alias passwords and
//! the security tables are never in it: they stay in their (sealed) rows.

use super::codec::map_json;
pub use super::format::BadSnapshot;
use super::format::{ABSENT, BY_TEXT, mode, mode_code};
use super::packed::PackedTables;
use crate::cluster::model::{
    Allocation, Database, DatabaseDetails, DatabaseKind, ModeConstraint, Name, Server, ServerId,
    ServerOptions, ServerState, Status,
};
use std::collections::BTreeMap;
use std::io::Read;

/// The first bytes of a snapshot, then its format number.
const MAGIC: &[u8; 8] = b"cyshsnap";
/// The format number; a blob of any other format is not read (the tables are).
/// Format 2: a database's texts lie together and are checked as UTF-8 once, and copies
/// name their database by position. A blob of format 1 is not read (the rows are), and
/// the next clean close writes format 2.
const FORMAT: u32 = 2;

/// The tables a snapshot holds, decoded in full (the tests' view of a blob).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tables {
    /// Servers by id.
    pub servers: BTreeMap<String, Server>,
    /// Databases by name.
    pub databases: BTreeMap<Name, Database>,
    /// Allocations by database name.
    pub allocations: BTreeMap<Name, Vec<Allocation>>,
}

/// Encodes the three tables of `servers`, `databases` and `allocations`.
#[cfg(test)]
pub fn encode(
    servers: &BTreeMap<String, Server>,
    databases: &BTreeMap<Name, Database>,
    allocations: &BTreeMap<Name, Vec<Allocation>>,
) -> Vec<u8> {
    let len = encoded_len(servers, databases, allocations);
    let mut blob = Vec::with_capacity(len);
    let written = write(servers, databases, allocations, len, |bytes| {
        blob.extend_from_slice(bytes);
        Ok(())
    });
    assert!(written.is_ok() && blob.len() == len);
    blob
}

/// The length of the blob `write` makes of these tables (a first pass, so the blob can
/// be given its size and written in place, never held whole).
pub fn encoded_len(
    servers: &BTreeMap<String, Server>,
    databases: &BTreeMap<Name, Database>,
    allocations: &BTreeMap<Name, Vec<Allocation>>,
) -> usize {
    let mut len = 0;
    let mut w = Writer::new(0, |bytes: &[u8]| {
        len += bytes.len();
        Ok(())
    });
    body(&mut w, servers, databases, allocations);
    // The checksum's value does not change the length.
    let _ = w.finish();
    len
}

/// Writes the blob of these tables, `len` bytes (from `encoded_len`), to `sink` a block
/// at a time.
pub fn write(
    servers: &BTreeMap<String, Server>,
    databases: &BTreeMap<Name, Database>,
    allocations: &BTreeMap<Name, Vec<Allocation>>,
    len: usize,
    sink: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut w = Writer::new(len.saturating_sub(8), sink);
    body(&mut w, servers, databases, allocations);
    w.finish()
}

fn body<F: FnMut(&[u8]) -> std::io::Result<()>>(
    w: &mut Writer<F>,
    servers: &BTreeMap<String, Server>,
    databases: &BTreeMap<Name, Database>,
    allocations: &BTreeMap<Name, Vec<Allocation>>,
) {
    w.bytes(MAGIC);
    w.u32(FORMAT);
    w.len(servers.len());
    for s in servers.values() {
        // Destructured so that a new field cannot be forgotten here.
        let Server {
            id,
            name,
            address,
            state,
            available,
            options,
            initial,
            system_mode,
            joined,
        } = s;
        w.str(id);
        w.str(name);
        w.str(address);
        w.u8(server_state_code(*state));
        w.u8(u8::from(*available));
        w.options(options);
        w.options(initial);
        w.u8(mode_code(*system_mode));
        w.u64(*joined);
    }
    w.len(databases.len());
    for d in databases.values() {
        let Database {
            name,
            kind,
            read_write,
            requested_status,
            primaries,
            secondaries,
            details,
        } = d;
        let DatabaseDetails {
            options,
            default_language,
            database_id,
            creation_time,
            last_start_time,
            last_stop_time,
        } = &**details;
        w.u8(match kind {
            DatabaseKind::Standard => 0,
            DatabaseKind::System => 1,
            DatabaseKind::Composite => 2,
        });
        w.u8(u8::from(*read_write));
        w.u8(match requested_status {
            Status::Online => 0,
            Status::Offline => 1,
        });
        w.u32(*primaries);
        w.u32(*secondaries);
        // Options are rare and may hold any value: their tagged JSON, as in the table.
        let options = if options.is_empty() {
            String::new()
        } else {
            map_json(options)
        };
        // The lengths, then the texts side by side, so a reader checks them at once.
        let texts = [
            Some(name.as_str()),
            Some(options.as_str()),
            Some(default_language.as_str()),
            Some(database_id.as_str()),
            Some(creation_time.as_str()),
            last_start_time.as_deref(),
            last_stop_time.as_deref(),
        ];
        for t in texts {
            w.u32(t.map_or(ABSENT, |t| u32::try_from(t.len()).unwrap_or(ABSENT - 1)));
        }
        for t in texts.into_iter().flatten() {
            w.bytes(t.as_bytes());
        }
    }
    // Servers are named by their position in the server table when they are in it (the
    // usual case), so a copy costs five bytes rather than its server's 36-byte id.
    let position: BTreeMap<&str, u32> = servers
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    // Databases likewise by their position in the database table: both maps are in name
    // order, so one walk along the databases finds each copy list's position.
    let mut databases_in_order = databases.keys().enumerate().peekable();
    w.len(allocations.len());
    for (database, copies) in allocations {
        while databases_in_order
            .next_if(|(_, name)| *name < database)
            .is_some()
        {}
        let at = databases_in_order
            .peek()
            .filter(|(_, name)| *name == database)
            .and_then(|(i, _)| u32::try_from(*i).ok())
            .filter(|i| *i != BY_TEXT);
        match at {
            Some(i) => w.u32(i),
            None => {
                w.u32(BY_TEXT);
                w.str(database);
            }
        }
        w.len(copies.len());
        for a in copies {
            match position.get(&*a.server) {
                Some(&i) => {
                    w.u8(mode_code(a.mode));
                    w.u32(i);
                }
                None => {
                    w.u8(mode_code(a.mode) | 0x80);
                    w.str(&a.server);
                }
            }
        }
    }
}

/// Decodes a blob `encode` wrote, every table in full.
#[cfg(test)]
pub fn decode(blob: &[u8]) -> Result<Tables, BadSnapshot> {
    use crate::cluster::model::Packed;
    let opened = decode_from(blob, blob.len())?;
    Ok(Tables {
        servers: opened.servers,
        databases: opened.packed.databases(),
        allocations: opened.packed.allocations(),
    })
}

/// A snapshot as opened: its servers decoded, its databases and copies checked and kept
/// packed, to be decoded on demand.
#[derive(Debug)]
pub struct Opened {
    /// Servers by id.
    pub servers: BTreeMap<String, Server>,
    /// The databases and their copies.
    pub packed: std::sync::Arc<PackedTables>,
}

/// Opens a blob of `len` bytes that `encode` wrote, read from `source` a block at a time:
/// the servers are decoded, the rest is checked whole and kept packed (`PackedTables`).
pub fn decode_from(source: impl Read, len: usize) -> Result<Opened, BadSnapshot> {
    let mut r = Reader::new(source, len)?;
    let mut magic = [0u8; MAGIC.len()];
    r.take_into(&mut magic)?;
    if &magic != MAGIC {
        return Err(BadSnapshot("not a snapshot"));
    }
    if r.u32()? != FORMAT {
        return Err(BadSnapshot("another format"));
    }
    let n = r.len()?;
    let mut ids: Vec<ServerId> = Vec::with_capacity(n.min(r.remaining()));
    let mut servers = Vec::with_capacity(n.min(r.remaining()));
    for _ in 0..n {
        let server = Server {
            id: r.string()?,
            name: r.string()?,
            address: r.string()?,
            state: server_state(r.u8()?)?,
            available: r.flag()?,
            options: r.options()?,
            initial: r.options()?,
            system_mode: mode(r.u8()?)?,
            joined: r.u64()?,
        };
        ids.push(ServerId::from(server.id.as_str()));
        servers.push((server.id.clone(), server));
    }
    // Written in key order, so the map is built in one pass.
    let servers = servers.into_iter().collect();
    // The databases and copy lists: all the rest of the body.
    let rest = r
        .body
        .checked_sub(r.start + r.pos)
        .ok_or(BadSnapshot("truncated"))?;
    let bytes = r.take_vec(rest)?;
    r.finish()?;
    let packed = PackedTables::check(bytes, ids)?;
    Ok(Opened {
        servers,
        packed: std::sync::Arc::new(packed),
    })
}

/// A 64-bit checksum, fed eight bytes at a time (it finds damage, not tampering: the
/// snapshot sits inside the store file, which an attacker could rewrite wholesale).
struct Checksum(u64);

impl Checksum {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    /// A checksum of `len` bytes still to come.
    fn new(len: usize) -> Checksum {
        Checksum(len as u64 ^ Checksum::K)
    }

    /// Feeds `bytes`; only the last piece fed may have a length that is not a multiple
    /// of eight.
    fn update(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.mix(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.mix(u64::from(b));
        }
    }

    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(Checksum::K);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// The checksum of a whole body.
#[cfg(test)]
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::new(bytes.len());
    sum.update(bytes);
    sum.finish()
}

fn server_state_code(s: ServerState) -> u8 {
    match s {
        ServerState::Free => 0,
        ServerState::Enabled => 1,
        ServerState::Cordoned => 2,
        ServerState::Deallocating => 3,
        ServerState::Deallocated => 4,
        ServerState::Dropped => 5,
    }
}

fn server_state(code: u8) -> Result<ServerState, BadSnapshot> {
    Ok(match code {
        0 => ServerState::Free,
        1 => ServerState::Enabled,
        2 => ServerState::Cordoned,
        3 => ServerState::Deallocating,
        4 => ServerState::Deallocated,
        5 => ServerState::Dropped,
        _ => return Err(BadSnapshot("server state")),
    })
}

/// Encodes into a block-sized buffer, handing each full block (a multiple of eight
/// bytes, so the checksum takes whole words) to its sink; `finish` hands over the rest and
/// the checksum.
struct Writer<F> {
    buf: Vec<u8>,
    sink: F,
    sum: Checksum,
    /// The first error the sink returned (what follows is not written).
    error: Option<std::io::Error>,
}

impl<F: FnMut(&[u8]) -> std::io::Result<()>> Writer<F> {
    /// A writer of a body of `body` bytes.
    fn new(body: usize, sink: F) -> Writer<F> {
        Writer {
            buf: Vec::with_capacity(2 * BLOCK),
            sink,
            sum: Checksum::new(body),
            error: None,
        }
    }

    fn hand_over(&mut self, upto: usize) {
        self.sum.update(&self.buf[..upto]);
        if self.error.is_none()
            && let Err(e) = (self.sink)(&self.buf[..upto])
        {
            self.error = Some(e);
        }
        self.buf.drain(..upto);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        while self.buf.len() >= BLOCK {
            self.hand_over(BLOCK);
        }
    }

    fn finish(mut self) -> std::io::Result<()> {
        let rest = self.buf.len();
        self.hand_over(rest);
        let sum = self.sum.finish().to_le_bytes();
        if self.error.is_none() {
            (self.sink)(&sum)?;
        }
        self.error.map_or(Ok(()), Err)
    }

    fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }

    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }

    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }

    /// A length; the state's collections are far below 4 billion entries.
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes(s.as_bytes());
    }

    fn list(&mut self, items: &[String]) {
        self.len(items.len());
        for s in items {
            self.str(s);
        }
    }

    fn options(&mut self, o: &ServerOptions) {
        let ServerOptions {
            mode_constraint,
            allowed_databases,
            denied_databases,
            tags,
        } = o;
        self.u8(match mode_constraint {
            ModeConstraint::None => 0,
            ModeConstraint::Primary => 1,
            ModeConstraint::Secondary => 2,
        });
        self.list(allowed_databases);
        self.list(denied_databases);
        self.list(tags);
    }
}

/// How much of the blob is read at a time: a multiple of eight, so every block but the
/// last feeds the checksum whole words.
const BLOCK: usize = 1 << 16;

/// Reads a blob block by block, checksumming its body (all but the last eight bytes) as
/// it goes.
struct Reader<R> {
    source: R,
    /// The blob's length, and its body's.
    len: usize,
    body: usize,
    /// The current block, where it starts in the blob, and how much of it is read.
    block: Vec<u8>,
    start: usize,
    pos: usize,
    sum: Checksum,
}

impl<R: Read> Reader<R> {
    fn new(source: R, len: usize) -> Result<Reader<R>, BadSnapshot> {
        let body = len.checked_sub(8).ok_or(BadSnapshot("too short"))?;
        Ok(Reader {
            source,
            len,
            body,
            block: Vec::new(),
            start: 0,
            pos: 0,
            sum: Checksum::new(body),
        })
    }

    /// Bytes of the blob not read yet.
    fn remaining(&self) -> usize {
        self.len - self.start - self.pos
    }

    fn next_block(&mut self) -> Result<(), BadSnapshot> {
        self.start += self.block.len();
        self.pos = 0;
        let n = BLOCK.min(self.len - self.start);
        if n == 0 {
            return Err(BadSnapshot("truncated"));
        }
        self.block.resize(n, 0);
        self.source
            .read_exact(&mut self.block)
            .map_err(|_| BadSnapshot("unreadable"))?;
        let in_body = n.min(self.body.saturating_sub(self.start));
        self.sum.update(&self.block[..in_body]);
        Ok(())
    }

    #[inline]
    fn take_into(&mut self, out: &mut [u8]) -> Result<(), BadSnapshot> {
        // Most reads lie inside the current block.
        if let Some(bytes) = self.block.get(self.pos..self.pos + out.len()) {
            out.copy_from_slice(bytes);
            self.pos += out.len();
            return Ok(());
        }
        self.take_across(out)
    }

    #[inline(never)]
    fn take_across(&mut self, out: &mut [u8]) -> Result<(), BadSnapshot> {
        if out.len() > self.remaining() {
            return Err(BadSnapshot("truncated"));
        }
        let mut done = 0;
        while done < out.len() {
            if self.pos == self.block.len() {
                self.next_block()?;
            }
            let n = (out.len() - done).min(self.block.len() - self.pos);
            out[done..done + n].copy_from_slice(&self.block[self.pos..self.pos + n]);
            self.pos += n;
            done += n;
        }
        Ok(())
    }

    /// Checks that the body was read exactly and that the checksum after it matches.
    fn finish(mut self) -> Result<(), BadSnapshot> {
        if self.start + self.pos != self.body {
            return Err(BadSnapshot("trailing bytes"));
        }
        let computed = self.sum.finish();
        if self.u64()? != computed {
            return Err(BadSnapshot("checksum mismatch"));
        }
        Ok(())
    }

    #[inline]
    fn u8(&mut self) -> Result<u8, BadSnapshot> {
        let mut b = [0u8; 1];
        self.take_into(&mut b)?;
        Ok(b[0])
    }

    fn flag(&mut self) -> Result<bool, BadSnapshot> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(BadSnapshot("flag")),
        }
    }

    #[inline]
    fn u32(&mut self) -> Result<u32, BadSnapshot> {
        let mut b = [0u8; 4];
        self.take_into(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64, BadSnapshot> {
        let mut b = [0u8; 8];
        self.take_into(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn len(&mut self) -> Result<usize, BadSnapshot> {
        usize::try_from(self.u32()?).map_err(|_| BadSnapshot("length"))
    }

    fn string(&mut self) -> Result<String, BadSnapshot> {
        let n = self.len()?;
        if n > self.remaining() {
            return Err(BadSnapshot("truncated"));
        }
        let bytes = match self.block.get(self.pos..self.pos + n) {
            Some(bytes) => {
                self.pos += n;
                bytes.to_vec()
            }
            None => {
                let mut bytes = vec![0u8; n];
                self.take_across(&mut bytes)?;
                bytes
            }
        };
        String::from_utf8(bytes).map_err(|_| BadSnapshot("text"))
    }

    /// The next `n` bytes as a vector of their own: what is left of the current block,
    /// then the rest straight from the source (one copy, not two through the block).
    fn take_vec(&mut self, n: usize) -> Result<Vec<u8>, BadSnapshot> {
        if n > self.remaining() {
            return Err(BadSnapshot("truncated"));
        }
        let mut out = Vec::with_capacity(n);
        let here = (self.block.len() - self.pos).min(n);
        out.extend_from_slice(&self.block[self.pos..self.pos + here]);
        self.pos += here;
        if here < n {
            // The block is used up, so the source stands at a block boundary (a multiple
            // of eight bytes, as the checksum is fed).
            let from = self.start + self.block.len();
            out.resize(n, 0);
            self.source
                .read_exact(&mut out[here..])
                .map_err(|_| BadSnapshot("unreadable"))?;
            let in_body = (n - here).min(self.body.saturating_sub(from));
            self.sum.update(&out[here..here + in_body]);
            self.start = from + (n - here);
            self.block.clear();
            self.pos = 0;
        }
        Ok(out)
    }

    fn list(&mut self) -> Result<Vec<String>, BadSnapshot> {
        let n = self.len()?;
        let mut items = Vec::with_capacity(n.min(self.remaining()));
        for _ in 0..n {
            items.push(self.string()?);
        }
        Ok(items)
    }

    fn options(&mut self) -> Result<ServerOptions, BadSnapshot> {
        let mode_constraint = match self.u8()? {
            0 => ModeConstraint::None,
            1 => ModeConstraint::Primary,
            2 => ModeConstraint::Secondary,
            _ => return Err(BadSnapshot("mode constraint")),
        };
        Ok(ServerOptions {
            mode_constraint,
            allowed_databases: self.list()?,
            denied_databases: self.list()?,
            tags: self.list()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::model::Mode;
    use crate::value::Value;

    fn sample() -> Tables {
        let mut t = Tables::default();
        for (i, id) in ["b-id", "a-id"].iter().enumerate() {
            t.servers.insert(
                id.to_string(),
                Server {
                    id: id.to_string(),
                    name: format!("server{i}"),
                    address: format!("localhost:{}", 7687 + i),
                    state: if i == 0 {
                        ServerState::Enabled
                    } else {
                        ServerState::Cordoned
                    },
                    available: i == 0,
                    options: ServerOptions {
                        mode_constraint: ModeConstraint::Secondary,
                        allowed_databases: vec!["foo*".into()],
                        denied_databases: vec![],
                        tags: vec!["eu".into(), "ü".into()],
                    },
                    initial: ServerOptions::default(),
                    system_mode: Mode::Secondary,
                    joined: i as u64,
                },
            );
        }
        let mut options = BTreeMap::new();
        options.insert("seedURI".to_string(), Value::str("s3://x"));
        options.insert("n".to_string(), Value::Int(3));
        for (name, opts) in [("foo", options), ("bar", BTreeMap::new())] {
            t.databases.insert(
                name.into(),
                Database {
                    name: name.into(),
                    kind: DatabaseKind::Standard,
                    read_write: name == "foo",
                    requested_status: Status::Offline,
                    primaries: 2,
                    secondaries: 1,
                    details: Box::new(DatabaseDetails {
                        options: opts,
                        default_language: "CYPHER 25".into(),
                        database_id: "ab".repeat(32),
                        creation_time: "2026-12-03T09:00:00Z".into(),
                        last_start_time: None,
                        last_stop_time: Some("2026-12-03T09:01:00Z".into()),
                    }),
                },
            );
        }
        t.allocations.insert(
            "foo".into(),
            vec![
                Allocation {
                    server: "b-id".into(),
                    mode: Mode::Primary,
                },
                Allocation {
                    server: "a-id".into(),
                    mode: Mode::Secondary,
                },
                // A server the table does not hold (kept by name).
                Allocation {
                    server: "gone".into(),
                    mode: Mode::Primary,
                },
            ],
        );
        t
    }

    #[test]
    fn tables_round_trip() {
        let t = sample();
        let blob = encode(&t.servers, &t.databases, &t.allocations);
        assert_eq!(decode(&blob).unwrap(), t);
        let empty = Tables::default();
        let blob = encode(&empty.servers, &empty.databases, &empty.allocations);
        assert_eq!(decode(&blob).unwrap(), empty);
    }

    #[test]
    fn tables_spanning_many_blocks_round_trip() {
        // Enough databases that records and their texts cross block boundaries, names
        // of every length up to past the inline 24 bytes, some not ASCII, and an
        // allocation of a database the table does not hold (kept by name).
        let mut t = sample();
        let base = t.databases["foo"].clone();
        for i in 0..5_000 {
            let name = format!("db-{i:05}-{}", "é".repeat(i % 17));
            let mut d = base.clone();
            d.name = name.as_str().into();
            d.last_start_time = (i % 3 == 0).then(|| Name::from("2026-12-03T09:02:00.123Z"));
            t.databases.insert(name.as_str().into(), d);
            let copies = vec![Allocation {
                server: if i % 2 == 0 { "a-id" } else { "b-id" }.into(),
                mode: Mode::Primary,
            }];
            t.allocations.insert(name.as_str().into(), copies);
        }
        t.allocations.insert("not-a-database".into(), Vec::new());
        let blob = encode(&t.servers, &t.databases, &t.allocations);
        assert!(blob.len() > 4 * BLOCK);
        assert_eq!(decode(&blob).unwrap(), t);
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused() {
        let t = sample();
        let blob = encode(&t.servers, &t.databases, &t.allocations);
        for n in 0..blob.len() {
            assert!(decode(&blob[..n]).is_err(), "truncated to {n}");
        }
        for i in 0..blob.len() {
            let mut damaged = blob.clone();
            damaged[i] ^= 0x10;
            assert!(decode(&damaged).is_err(), "byte {i} flipped");
        }
    }

    #[test]
    fn garbage_with_a_valid_checksum_is_refused_without_panicking() {
        // Bodies that pass the checksum but are not what `encode` writes: huge counts,
        // bad enum codes, invalid UTF-8, keys out of order.
        let mut bodies: Vec<Vec<u8>> = Vec::new();
        let mut head = MAGIC.to_vec();
        head.extend_from_slice(&FORMAT.to_le_bytes());
        let mut huge = head.clone();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        bodies.push(huge);
        let mut bad_text = head.clone();
        bad_text.extend_from_slice(&1u32.to_le_bytes());
        bad_text.extend_from_slice(&2u32.to_le_bytes());
        bad_text.extend_from_slice(&[0xff, 0xfe]);
        bodies.push(bad_text);
        // Format 2's database records: no servers, one database whose fixed part is
        // valid, then texts that are cut inside a character, missing where required,
        // longer than the blob, or followed by a copy of a database out of range.
        let record = |lengths: [u32; 7], texts: &[u8], tail: &[u8]| {
            let mut body = head.clone();
            body.extend_from_slice(&0u32.to_le_bytes());
            body.extend_from_slice(&1u32.to_le_bytes());
            body.extend_from_slice(&[0, 1, 0]);
            body.extend_from_slice(&1u32.to_le_bytes());
            body.extend_from_slice(&0u32.to_le_bytes());
            for l in lengths {
                body.extend_from_slice(&l.to_le_bytes());
            }
            body.extend_from_slice(texts);
            body.extend_from_slice(tail);
            body
        };
        let ok_texts = b"abCYPHER 5id2026";
        let ok_lengths = [2, 0, 8, 2, 4, ABSENT, ABSENT];
        let no_copies = 0u32.to_le_bytes();
        bodies.push(record(
            [1, 0, 9, 2, 4, ABSENT, ABSENT],
            "éCYPHER 5id2026".as_bytes(),
            &no_copies,
        ));
        bodies.push(record(
            [ABSENT, 0, 8, 2, 4, ABSENT, ABSENT],
            b"CYPHER 5id2026",
            &no_copies,
        ));
        bodies.push(record([ABSENT - 1; 7], ok_texts, &no_copies));
        let mut far_copy = 1u32.to_le_bytes().to_vec();
        far_copy.extend_from_slice(&5u32.to_le_bytes());
        far_copy.extend_from_slice(&0u32.to_le_bytes());
        bodies.push(record(ok_lengths, ok_texts, &far_copy));
        // The same record with no copies is a good body: the cases above fail for their
        // own reason, not for the frame around them.
        let mut good = record(ok_lengths, ok_texts, &no_copies);
        good.extend_from_slice(&checksum(&good).to_le_bytes());
        assert_eq!(decode(&good).unwrap().databases["ab"].database_id, "id");
        let mut seed: u64 = 7;
        for _ in 0..2000 {
            let mut body = head.clone();
            for _ in 0..(seed % 64) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push((seed >> 56) as u8);
            }
            bodies.push(body);
        }
        for mut body in bodies {
            let sum = checksum(&body);
            body.extend_from_slice(&sum.to_le_bytes());
            assert!(decode(&body).is_err(), "{body:?}");
        }
    }

    /// The packed databases and copies (`store::packed`), as a snapshot hands them over.
    mod packed {
        use super::super::*;
        use crate::cluster::model::Mode;
        use crate::cluster::model::Packed as _;
        use crate::store::packed::PackedTables;

        fn database(name: &str, kind: DatabaseKind, status: Status) -> Database {
            Database {
                name: name.into(),
                kind,
                read_write: true,
                requested_status: status,
                primaries: 1,
                secondaries: 0,
                details: Box::new(DatabaseDetails {
                    options: BTreeMap::new(),
                    default_language: "CYPHER 5".into(),
                    database_id: format!("id-{name}"),
                    creation_time: "2026-12-03T09:00:00Z".into(),
                    last_start_time: None,
                    last_stop_time: None,
                }),
            }
        }

        fn copy(server: &str) -> Allocation {
            Allocation {
                server: server.into(),
                mode: Mode::Primary,
            }
        }

        /// Databases `a` (two copies), `b` (composite, none), `c` (stopped, one), `e` (one);
        /// copy lists also for `bb` and `z`, databases the table does not hold, one on a
        /// server it does not hold.
        fn sample() -> Tables {
            let servers: BTreeMap<String, Server> = ["s1", "s2"]
                .into_iter()
                .map(|id| {
                    let server = Server {
                        id: id.into(),
                        name: id.into(),
                        address: String::new(),
                        state: crate::cluster::model::ServerState::Enabled,
                        available: true,
                        options: Default::default(),
                        initial: Default::default(),
                        system_mode: Mode::Primary,
                        joined: 0,
                    };
                    (id.to_string(), server)
                })
                .collect();
            let databases = [
                database("a", DatabaseKind::Standard, Status::Online),
                database("b", DatabaseKind::Composite, Status::Online),
                database("c", DatabaseKind::Standard, Status::Offline),
                database("e", DatabaseKind::Standard, Status::Online),
            ]
            .into_iter()
            .map(|d| (d.name.clone(), d))
            .collect();
            let allocations = [
                ("a", vec![copy("s1"), copy("s2")]),
                ("bb", vec![copy("s2")]),
                ("c", vec![copy("gone")]),
                ("e", vec![copy("s2")]),
                ("z", vec![]),
            ]
            .into_iter()
            .map(|(n, c)| (Name::new(n), c))
            .collect();
            Tables {
                servers,
                databases,
                allocations,
            }
        }

        fn open(blob: &[u8]) -> Result<std::sync::Arc<PackedTables>, BadSnapshot> {
            decode_from(blob, blob.len()).map(|o| o.packed)
        }

        #[test]
        fn visits_each_database_with_its_copies_in_name_order_and_stops_when_asked() {
            let Tables {
                servers,
                databases,
                allocations,
            } = sample();
            let packed = open(&encode(&servers, &databases, &allocations)).unwrap();
            assert_eq!(packed.databases(), databases);
            assert_eq!(packed.allocations(), allocations);
            let mut seen = Vec::new();
            packed.visit(&mut |d, copies| {
                let servers: Vec<&str> = copies.iter().map(|a| &*a.server).collect();
                seen.push(format!("{}:{}", d.name, servers.join(",")));
                assert_eq!(d, &databases[&d.name]);
                true
            });
            assert_eq!(seen, ["a:s1,s2", "b:", "c:gone", "e:s2"]);
            let mut first_two = Vec::new();
            packed.visit(&mut |d, _| {
                first_two.push(d.name.clone());
                first_two.len() < 2
            });
            assert_eq!(first_two, ["a", "b"]);
            let mut lists = Vec::new();
            packed.visit_copies(&mut |name, copies| lists.push((name.clone(), copies.to_vec())));
            assert_eq!(lists, allocations.into_iter().collect::<Vec<_>>());
            let flags = packed.flags();
            assert_eq!(flags.stopped.iter().collect::<Vec<_>>(), ["c"]);
            assert_eq!(flags.composites.iter().collect::<Vec<_>>(), ["b"]);
        }

        #[test]
        fn the_check_refuses_what_a_later_decode_could_not_read() {
            let Tables {
                servers,
                databases,
                allocations,
            } = sample();
            let good = encode(&servers, &databases, &allocations);
            assert!(open(&good).is_ok());
            // Rewrites a blob's body and its checksum, so only the check can refuse it.
            let resum = |mut body: Vec<u8>| {
                body.truncate(body.len() - 8);
                let sum = checksum(&body);
                body.extend_from_slice(&sum.to_le_bytes());
                body
            };
            let at = |needle: &[u8]| {
                good.windows(needle.len())
                    .position(|w| w == needle)
                    .unwrap()
            };
            // Two databases' names swapped: out of order.
            let mut swapped = good.clone();
            let (x, y) = (at(b"aCYPHER"), at(b"cCYPHER"));
            swapped[x] = b'c';
            swapped[y] = b'a';
            assert_eq!(
                open(&resum(swapped)).unwrap_err().0,
                "databases out of order"
            );
            // A copy list named after a database the table holds, out of order among them.
            let mut named = good.clone();
            let z = at(b"\x01\x00\x00\x00z");
            named[z + 4] = b'a';
            assert_eq!(open(&resum(named)).unwrap_err().0, "copies out of order");
            // Options that do not read as a map.
            let (s, d, a) = {
                let Tables {
                    servers: s,
                    databases: mut d,
                    allocations: a,
                } = sample();
                d.get_mut("e").unwrap().options =
                    BTreeMap::from([("k".to_string(), crate::value::Value::str("v"))]);
                (s, d, a)
            };
            let with_options = encode(&s, &d, &a);
            assert!(open(&with_options).is_ok());
            let mut bad = with_options.clone();
            let o = bad.windows(2).position(|w| w == b"{\"").unwrap();
            bad[o] = b'[';
            assert_eq!(open(&resum(bad)).unwrap_err().0, "database options");
        }
    }
}
