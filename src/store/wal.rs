//! A check of SQLite's write-ahead log before SQLite opens it, and the copy kept of a
//! damaged one.
//!
//! SQLite reads a WAL up to the first frame whose checksum fails and silently drops that
//! frame and every later one (a torn write and a flipped byte look the same to it), and
//! deletes the file when the last connection closes. For cysh that would mean committed
//! statements vanishing without a word, or a cluster set up anew over a store that only
//! lost its newest pages. So the store reads the log itself first (the format is SQLite's
//! documented one: a 32-byte header, then frames of a 24-byte header and a page, each
//! with a running checksum) and reports a damaged frame before SQLite can drop it.
//!
//! It owns that check and the copy. It must not repair anything: what to do is the
//! operator's choice (`--recover`).

use std::path::{Path, PathBuf};

/// Where a log is damaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// The header's magic number or checksum is wrong: SQLite would ignore every frame.
    Header,
    /// Frame `frame` (1-based), at byte `offset`, fails its checksum.
    Frame {
        /// 1-based frame number.
        frame: usize,
        /// Byte offset of the frame in the file.
        offset: usize,
    },
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::Header => f.write_str("its header is damaged"),
            Damage::Frame { frame, offset } => {
                write!(f, "frame {frame} (byte {offset}) fails its checksum")
            }
        }
    }
}

const HEADER: usize = 32;
const FRAME_HEADER: usize = 24;

/// Checks a write-ahead log's bytes. Frames after the last one of the current
/// generation (another salt: left over from before a checkpoint restarted the log) are
/// not damage; a frame of the current generation that fails its checksum is.
pub fn check(bytes: &[u8]) -> Result<(), Damage> {
    if bytes.is_empty() {
        return Ok(());
    }
    if bytes.len() < HEADER {
        return Err(Damage::Header);
    }
    let magic = be32(bytes, 0);
    let big_endian = match magic {
        0x377f_0682 => false,
        0x377f_0683 => true,
        _ => return Err(Damage::Header),
    };
    let page_size = be32(bytes, 8) as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(Damage::Header);
    }
    let (salt1, salt2) = (be32(bytes, 16), be32(bytes, 20));
    let mut sum = checksum(big_endian, (0, 0), &bytes[..24]);
    if sum != (be32(bytes, 24), be32(bytes, 28)) {
        return Err(Damage::Header);
    }
    let frame_len = FRAME_HEADER + page_size;
    let mut offset = HEADER;
    let mut frame = 1;
    while offset + frame_len <= bytes.len() {
        let f = &bytes[offset..offset + frame_len];
        if (be32(f, 8), be32(f, 12)) != (salt1, salt2) {
            break; // an older generation's frames: SQLite ignores them, rightly
        }
        sum = checksum(big_endian, sum, &f[..8]);
        sum = checksum(big_endian, sum, &f[FRAME_HEADER..]);
        if sum != (be32(f, 16), be32(f, 20)) {
            return Err(Damage::Frame { frame, offset });
        }
        offset += frame_len;
        frame += 1;
    }
    Ok(())
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`.
fn checksum(big_endian: bool, (mut s0, mut s1): (u32, u32), data: &[u8]) -> (u32, u32) {
    for pair in data.chunks_exact(8) {
        let word = |b: &[u8]| {
            let a = [b[0], b[1], b[2], b[3]];
            if big_endian {
                u32::from_be_bytes(a)
            } else {
                u32::from_le_bytes(a)
            }
        };
        s0 = s0.wrapping_add(word(&pair[..4])).wrapping_add(s1);
        s1 = s1.wrapping_add(word(&pair[4..])).wrapping_add(s0);
    }
    (s0, s1)
}

/// Copies `files` (those that exist) into a new folder `damaged-<seconds>` in `dir`,
/// readable by the owner only, and returns the folder. A folder that already holds the
/// same files (an earlier refusal of the same damage) is returned instead of a new copy.
pub fn keep_copy(dir: &Path, files: &[&str]) -> std::io::Result<PathBuf> {
    let same = |copy: &Path| {
        files.iter().all(|name| {
            match (
                std::fs::read(dir.join(name)),
                std::fs::read(copy.join(name)),
            ) {
                (Ok(a), Ok(b)) => a == b,
                (Err(_), Err(_)) => true,
                _ => false,
            }
        })
    };
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with("damaged-") && same(&path) {
                return Ok(path);
            }
        }
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut copy = dir.join(format!("damaged-{seconds}"));
    let mut n = 1;
    while copy.exists() {
        copy = dir.join(format!("damaged-{seconds}-{n}"));
        n += 1;
    }
    std::fs::create_dir(&copy)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o700))?;
    }
    for name in files {
        let from = dir.join(name);
        if from.exists() {
            std::fs::copy(&from, copy.join(name))?;
        }
    }
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real log: a store in WAL mode whose connection is leaked open, so SQLite does
    /// not checkpoint and delete it.
    fn real_log() -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(
            "CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);",
        )
        .unwrap();
        let wal = std::fs::read(dir.path().join("t.db-wal")).unwrap();
        drop(conn);
        wal
    }

    #[test]
    fn an_intact_log_passes_and_a_flipped_byte_is_found() {
        let wal = real_log();
        assert!(wal.len() > HEADER + 3 * FRAME_HEADER, "{} bytes", wal.len());
        assert_eq!(check(&wal), Ok(()));
        assert_eq!(check(&[]), Ok(()));

        let mut header = wal.clone();
        header[5] ^= 1;
        assert_eq!(check(&header), Err(Damage::Header));

        let page = be32(&wal, 8) as usize;
        let mut first = wal.clone();
        first[HEADER + FRAME_HEADER + 100] ^= 0x40;
        assert_eq!(
            check(&first),
            Err(Damage::Frame {
                frame: 1,
                offset: HEADER
            })
        );
        let mut later = wal.clone();
        let at = HEADER + (FRAME_HEADER + page) + FRAME_HEADER + 7;
        later[at] ^= 0x01;
        assert_eq!(
            check(&later),
            Err(Damage::Frame {
                frame: 2,
                offset: HEADER + FRAME_HEADER + page
            })
        );
    }
}
