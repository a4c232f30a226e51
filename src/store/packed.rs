//! A snapshot's databases and copies kept packed: the bytes of its two large sections,
//! checked whole when the store opens, then decoded on demand (`cluster::lazy::Packed`).
//! Opening a store of 100,000 databases no longer builds them: a statement that needs
//! none decodes none, and a SHOW DATABASES that stops after ten rows decodes a few.
//!
//! It owns the reading of the database and copy-list records (`snapshot` writes them) and
//! the check that makes every later decode infallible: each record well formed, every
//! text UTF-8, options readable, names in strictly increasing order, copies naming
//! databases and servers that exist. It must not be handed bytes the checksum has not
//! passed, and it decides nothing about the cluster.

use super::codec::parse_map;
use super::format::{ABSENT, BY_TEXT, BadSnapshot, mode};
use crate::cluster::model::Packed;
use crate::cluster::model::{
    Allocation, Database, DatabaseDetails, DatabaseKind, Flags, Name, ServerId, Status,
};
use std::collections::BTreeMap;

/// The databases section (a count, then the records) and the copy-list section after it,
/// as the snapshot holds them, checked.
#[derive(Debug)]
pub struct PackedTables {
    bytes: Vec<u8>,
    /// The server ids copies name by position.
    ids: Vec<ServerId>,
    /// How many databases, and where the copy-list section starts in `bytes`.
    databases: usize,
    lists_at: usize,
    /// Found by the check, which reads every record's flags anyway.
    flags: Flags,
}

/// A database record's fixed part.
struct Head {
    kind: DatabaseKind,
    read_write: bool,
    requested_status: Status,
    primaries: u32,
    secondaries: u32,
    /// Name, options, language, id, creation, last start, last stop.
    lengths: [u32; 7],
}

/// A database record's texts.
struct Texts<'a> {
    name: &'a str,
    options: &'a str,
    language: &'a str,
    id: &'a str,
    created: &'a str,
    started: Option<&'a str>,
    stopped: Option<&'a str>,
}

/// The length of texts side by side (`ABSENT` ones count nothing).
fn total(lengths: &[u32]) -> Result<usize, BadSnapshot> {
    let mut total = 0usize;
    for &l in lengths {
        if l != ABSENT {
            total = total
                .checked_add(usize::try_from(l).map_err(|_| BadSnapshot("length"))?)
                .ok_or(BadSnapshot("length"))?;
        }
    }
    Ok(total)
}

/// Whose copies a list holds: the database at a position, or one named by its text (a
/// database the table does not hold).
#[derive(Clone, Copy)]
enum Owner<'a> {
    At(usize),
    Named(&'a str),
}

/// Reads the packed bytes front to back.
#[derive(Clone)]
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], BadSnapshot> {
        let end = self.pos.checked_add(n).ok_or(BadSnapshot("length"))?;
        let bytes = self
            .bytes
            .get(self.pos..end)
            .ok_or(BadSnapshot("truncated"))?;
        self.pos = end;
        Ok(bytes)
    }

    fn u8(&mut self) -> Result<u8, BadSnapshot> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, BadSnapshot> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn len(&mut self) -> Result<usize, BadSnapshot> {
        usize::try_from(self.u32()?).map_err(|_| BadSnapshot("length"))
    }

    fn str(&mut self) -> Result<&'a str, BadSnapshot> {
        let n = self.len()?;
        simdutf8::basic::from_utf8(self.take(n)?).map_err(|_| BadSnapshot("text"))
    }

    fn head(&mut self) -> Result<Head, BadSnapshot> {
        // Kind, access, status (a byte each), primaries, secondaries and the seven text
        // lengths (four bytes each), in one read.
        let head = self.take(3 + 4 * 9)?;
        let word = |i: usize| {
            let at = 3 + 4 * i;
            u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]])
        };
        Ok(Head {
            kind: match head[0] {
                0 => DatabaseKind::Standard,
                1 => DatabaseKind::System,
                2 => DatabaseKind::Composite,
                _ => return Err(BadSnapshot("database kind")),
            },
            read_write: match head[1] {
                0 => false,
                1 => true,
                _ => return Err(BadSnapshot("flag")),
            },
            requested_status: match head[2] {
                0 => Status::Online,
                1 => Status::Offline,
                _ => return Err(BadSnapshot("database status")),
            },
            primaries: word(0),
            secondaries: word(1),
            lengths: std::array::from_fn(|i| word(2 + i)),
        })
    }

    /// A record's texts, which lie side by side: checked as UTF-8 at once and each cut at
    /// a character boundary; all but the last start and stop times are required.
    fn texts(&mut self, lengths: &[u32; 7]) -> Result<Texts<'a>, BadSnapshot> {
        let text = simdutf8::basic::from_utf8(self.take(total(lengths)?)?)
            .map_err(|_| BadSnapshot("text"))?;
        let mut out = [None; 7];
        let mut at = 0;
        for (slot, &l) in out.iter_mut().zip(lengths) {
            if l != ABSENT {
                let end = at + l as usize;
                *slot = Some(text.get(at..end).ok_or(BadSnapshot("text"))?);
                at = end;
            }
        }
        let [
            Some(name),
            Some(options),
            Some(language),
            Some(id),
            Some(created),
            started,
            stopped,
        ] = out
        else {
            return Err(BadSnapshot("database text"));
        };
        Ok(Texts {
            name,
            options,
            language,
            id,
            created,
            started,
            stopped,
        })
    }

    /// A database record's name, its other texts skipped (all were checked at open).
    fn name_only(&mut self) -> Result<&'a str, BadSnapshot> {
        let head = self.head()?;
        let name = match head.lengths[0] {
            ABSENT => return Err(BadSnapshot("database text")),
            l => usize::try_from(l).map_err(|_| BadSnapshot("length"))?,
        };
        let name = std::str::from_utf8(self.take(name)?).map_err(|_| BadSnapshot("text"))?;
        self.take(total(&head.lengths[1..])?)?;
        Ok(name)
    }

    fn database(&mut self) -> Result<Database, BadSnapshot> {
        let head = self.head()?;
        let t = self.texts(&head.lengths)?;
        let options = match t.options {
            "" => BTreeMap::new(),
            text => parse_map(text).map_err(|_| BadSnapshot("database options"))?,
        };
        Ok(Database {
            name: Name::new(t.name),
            kind: head.kind,
            read_write: head.read_write,
            requested_status: head.requested_status,
            primaries: head.primaries,
            secondaries: head.secondaries,
            details: Box::new(DatabaseDetails {
                options,
                default_language: Name::new(t.language),
                database_id: t.id.to_string(),
                creation_time: Name::new(t.created),
                last_start_time: t.started.map(Name::new),
                last_stop_time: t.stopped.map(Name::new),
            }),
        })
    }

    /// A copy list's owner and length.
    fn list_head(&mut self) -> Result<(Owner<'a>, usize), BadSnapshot> {
        let owner = match self.u32()? {
            BY_TEXT => Owner::Named(self.str()?),
            i => Owner::At(usize::try_from(i).map_err(|_| BadSnapshot("database"))?),
        };
        Ok((owner, self.len()?))
    }

    /// Checks a list's `count` copies without making them.
    fn skip_copies(&mut self, count: usize, servers: usize) -> Result<(), BadSnapshot> {
        for _ in 0..count {
            let tag = self.u8()?;
            mode(tag & 0x7f)?;
            if tag & 0x80 == 0 {
                let i = usize::try_from(self.u32()?).map_err(|_| BadSnapshot("server"))?;
                if i >= servers {
                    return Err(BadSnapshot("server"));
                }
            } else {
                self.str()?;
            }
        }
        Ok(())
    }

    /// A list's `count` copies, put in `out`.
    fn copies(
        &mut self,
        count: usize,
        ids: &[ServerId],
        out: &mut Vec<Allocation>,
    ) -> Result<(), BadSnapshot> {
        out.clear();
        out.reserve(count.min(self.bytes.len() - self.pos));
        for _ in 0..count {
            let tag = self.u8()?;
            let server = if tag & 0x80 == 0 {
                let i = usize::try_from(self.u32()?).map_err(|_| BadSnapshot("server"))?;
                ids.get(i).cloned().ok_or(BadSnapshot("server"))?
            } else {
                ServerId::from(self.str()?)
            };
            out.push(Allocation {
                server,
                mode: mode(tag & 0x7f)?,
            });
        }
        Ok(())
    }
}

impl PackedTables {
    /// Checks `bytes` (the databases section then the copy-list section, all that
    /// follows the servers in a snapshot's body) whole, so that every later decode
    /// succeeds. `ids` are the servers' ids in table order.
    pub fn check(bytes: Vec<u8>, ids: Vec<ServerId>) -> Result<PackedTables, BadSnapshot> {
        let mut c = Cursor {
            bytes: &bytes,
            pos: 0,
        };
        let databases = c.len()?;
        // Every record is longer than its fixed part: a count the bytes cannot hold is
        // refused before anything is sized by it.
        if databases > bytes.len() / 39 {
            return Err(BadSnapshot("truncated"));
        }
        let mut names: Vec<&str> = Vec::with_capacity(databases);
        let mut flags = Flags::default();
        for _ in 0..databases {
            let head = c.head()?;
            let Texts { name, options, .. } = c.texts(&head.lengths)?;
            if names.last().is_some_and(|last| *last >= name) {
                return Err(BadSnapshot("databases out of order"));
            }
            if !options.is_empty() && parse_map(options).is_err() {
                return Err(BadSnapshot("database options"));
            }
            if head.requested_status == Status::Offline {
                flags.stopped.insert(Name::new(name));
            }
            if head.kind == DatabaseKind::Composite {
                flags.composites.insert(Name::new(name));
            }
            names.push(name);
        }
        let lists_at = c.pos;
        let lists = c.len()?;
        let mut previous: Option<&str> = None;
        for _ in 0..lists {
            let (owner, count) = c.list_head()?;
            let name = match owner {
                Owner::At(i) => *names.get(i).ok_or(BadSnapshot("database"))?,
                Owner::Named(name) => name,
            };
            if previous.is_some_and(|p| p >= name) {
                return Err(BadSnapshot("copies out of order"));
            }
            previous = Some(name);
            c.skip_copies(count, ids.len())?;
        }
        if c.pos != bytes.len() {
            return Err(BadSnapshot("trailing bytes"));
        }
        drop(names);
        Ok(PackedTables {
            bytes,
            ids,
            databases,
            lists_at,
            flags,
        })
    }

    fn cursor(&self, at: usize) -> Cursor<'_> {
        Cursor {
            bytes: &self.bytes,
            pos: at,
        }
    }

    /// The first database record (after the count).
    fn records(&self) -> Cursor<'_> {
        self.cursor(4)
    }

    /// The first copy list (after the count), and how many there are.
    fn lists(&self) -> Result<(Cursor<'_>, usize), BadSnapshot> {
        let mut c = self.cursor(self.lists_at);
        let n = c.len()?;
        Ok((c, n))
    }

    fn try_databases(&self) -> Result<BTreeMap<Name, Database>, BadSnapshot> {
        let mut c = self.records();
        let mut out = Vec::with_capacity(self.databases);
        for _ in 0..self.databases {
            let d = c.database()?;
            out.push((d.name.clone(), d));
        }
        // In strictly increasing order (checked): the map is built in one pass.
        Ok(out.into_iter().collect())
    }

    fn try_allocations(&self) -> Result<BTreeMap<Name, Vec<Allocation>>, BadSnapshot> {
        let mut out = Vec::new();
        self.try_visit_copies(&mut |name, copies| out.push((name.clone(), copies.to_vec())))?;
        Ok(out.into_iter().collect())
    }

    fn try_visit(
        &self,
        visit: &mut dyn FnMut(&Database, &[Allocation]) -> bool,
    ) -> Result<(), BadSnapshot> {
        let mut records = self.records();
        let (mut lists, mut left) = self.lists()?;
        // The next copy list, read ahead until its database comes.
        let mut ahead: Option<Owner<'_>> = None;
        let mut ahead_copies = Vec::new();
        for i in 0..self.databases {
            let d = records.database()?;
            let mut matched = false;
            loop {
                if ahead.is_none() {
                    if left == 0 {
                        break;
                    }
                    left -= 1;
                    let (owner, count) = lists.list_head()?;
                    lists.copies(count, &self.ids, &mut ahead_copies)?;
                    ahead = Some(owner);
                }
                match ahead {
                    // A database the table does not hold: listed with none.
                    Some(Owner::Named(_)) => ahead = None,
                    Some(Owner::At(at)) if at == i => {
                        matched = true;
                        ahead = None;
                        break;
                    }
                    // A later database's (positions increase: checked).
                    _ => break,
                }
            }
            let copies: &[Allocation] = if matched { &ahead_copies } else { &[] };
            if !visit(&d, copies) {
                break;
            }
        }
        Ok(())
    }

    fn try_visit_copies(
        &self,
        visit: &mut dyn FnMut(&Name, &[Allocation]),
    ) -> Result<(), BadSnapshot> {
        let mut records = self.records();
        let mut passed = 0;
        let (mut lists, left) = self.lists()?;
        let mut copies = Vec::new();
        for _ in 0..left {
            let (owner, count) = lists.list_head()?;
            let name = match owner {
                Owner::Named(name) => name,
                Owner::At(at) => {
                    // Positions increase (checked): walk on to this one.
                    let mut name = "";
                    while passed <= at {
                        name = records.name_only()?;
                        passed += 1;
                    }
                    name
                }
            };
            lists.copies(count, &self.ids, &mut copies)?;
            visit(&Name::new(name), &copies);
        }
        Ok(())
    }
}

// The bytes were checked whole by `check`, which reads every record as these do, so none
// of these fails; if one did, the table would read as empty rather than abort the process.
impl Packed for PackedTables {
    fn databases(&self) -> BTreeMap<Name, Database> {
        self.try_databases().unwrap_or_default()
    }

    fn allocations(&self) -> BTreeMap<Name, Vec<Allocation>> {
        self.try_allocations().unwrap_or_default()
    }

    fn visit(&self, visit: &mut dyn FnMut(&Database, &[Allocation]) -> bool) {
        let _ = self.try_visit(visit);
    }

    fn visit_copies(&self, visit: &mut dyn FnMut(&Name, &[Allocation])) {
        let _ = self.try_visit_copies(visit);
    }

    fn flags(&self) -> Flags {
        self.flags.clone()
    }
}
