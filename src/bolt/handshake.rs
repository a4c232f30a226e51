//! Bolt's handshake: the magic preamble, the four version slots with ranges, and the
//! manifest-v1 negotiation of Bolt 5.7+ (varint version ranges and capabilities).
//!
//! It owns which versions cysh speaks (4.4, 5.0–5.4, 5.6–5.8 and 6.0; 5.5 is never
//! negotiated, as in Neo4j) and the bytes of both sides of the negotiation. It must not do
//! I/O: the server and the client read and write the bytes it describes.

use std::fmt;

/// The four bytes every Bolt connection starts with.
pub const MAGIC: [u8; 4] = [0x60, 0x60, 0xB0, 0x17];

/// The slot asking for manifest v1.
pub const MANIFEST_V1: [u8; 4] = [0x00, 0x00, 0x01, 0xFF];

/// A Bolt protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

impl Version {
    /// `major.minor`.
    pub const fn new(major: u8, minor: u8) -> Version {
        Version { major, minor }
    }

    /// The 4-byte form `[0, 0, minor, major]`.
    pub fn bytes(self) -> [u8; 4] {
        [0, 0, self.minor, self.major]
    }

    /// True from `major.minor` on.
    pub fn at_least(self, major: u8, minor: u8) -> bool {
        self >= Version::new(major, minor)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Every version cysh speaks, newest first.
pub const SUPPORTED: [Version; 10] = [
    Version::new(6, 0),
    Version::new(5, 8),
    Version::new(5, 7),
    Version::new(5, 6),
    Version::new(5, 4),
    Version::new(5, 3),
    Version::new(5, 2),
    Version::new(5, 1),
    Version::new(5, 0),
    Version::new(4, 4),
];

/// True when cysh speaks `v`.
pub fn supported(v: Version) -> bool {
    SUPPORTED.contains(&v)
}

/// What the server answers to the client's four slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// This version, chosen from a slot.
    Version(Version),
    /// Manifest v1: the server lists its ranges and the client chooses.
    Manifest,
    /// Nothing in common: answer zeros and close.
    None,
}

/// The server's choice among `slots`: the first slot that names something cysh speaks,
/// the highest version within that slot's range.
pub fn choose(slots: &[[u8; 4]; 4]) -> Choice {
    for slot in slots {
        if *slot == MANIFEST_V1 {
            return Choice::Manifest;
        }
        let (range, minor, major) = (slot[1], slot[2], slot[3]);
        let lowest = minor.saturating_sub(range);
        for m in (lowest..=minor).rev() {
            let v = Version::new(major, m);
            if supported(v) {
                return Choice::Version(v);
            }
        }
    }
    Choice::None
}

/// Appends `n` as a varint: 7 bits a byte, least significant first, top bit = more.
pub fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let b = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Why a varint cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VarintError {
    /// More than 64 bits.
    #[error("varint longer than 64 bits")]
    TooLong,
}

/// Incremental varint reader: feed bytes until it yields the number.
#[derive(Debug, Default)]
pub struct VarintReader {
    value: u64,
    shift: u32,
}

impl VarintReader {
    /// Adds one byte; `Some` when the number is complete.
    pub fn push(&mut self, b: u8) -> Result<Option<u64>, VarintError> {
        if self.shift >= 64 {
            return Err(VarintError::TooLong);
        }
        self.value |= u64::from(b & 0x7F) << self.shift;
        self.shift += 7;
        Ok((b & 0x80 == 0).then_some(self.value))
    }
}

/// The ranges the server offers in its manifest: `[0, range, minor, major]` each.
pub fn manifest_ranges() -> Vec<[u8; 4]> {
    vec![[0, 0, 0, 6], [0, 2, 8, 5], [0, 4, 4, 5], [0, 0, 4, 4]]
}

/// The server's manifest: the echoed slot, the ranges and an empty capability mask.
pub fn server_manifest() -> Vec<u8> {
    let mut out = MANIFEST_V1.to_vec();
    let ranges = manifest_ranges();
    write_varint(&mut out, ranges.len() as u64);
    for r in ranges {
        out.extend_from_slice(&r);
    }
    write_varint(&mut out, 0);
    out
}

/// The versions a range slot covers, newest first.
pub fn expand(slot: [u8; 4]) -> impl Iterator<Item = Version> {
    let (range, minor, major) = (slot[1], slot[2], slot[3]);
    (minor.saturating_sub(range)..=minor)
        .rev()
        .map(move |m| Version::new(major, m))
}

/// The client's opening bytes: the magic, manifest v1 first, then 5.8–5.6, 5.4–5.0 and 4.4,
/// so a server without manifests still finds a version.
pub fn client_hello() -> [u8; 20] {
    let mut out = [0u8; 20];
    out[..4].copy_from_slice(&MAGIC);
    out[4..8].copy_from_slice(&MANIFEST_V1);
    out[8..12].copy_from_slice(&[0, 2, 8, 5]);
    out[12..16].copy_from_slice(&[0, 4, 4, 5]);
    out[16..20].copy_from_slice(&[0, 0, 4, 4]);
    out
}

/// The newest version the client speaks among the server's manifest ranges.
pub fn client_pick(ranges: &[[u8; 4]]) -> Option<Version> {
    ranges
        .iter()
        .flat_map(|r| expand(*r))
        .filter(|v| supported(*v))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drivers_slots_choose_the_manifest() {
        let slots = [[0, 0, 1, 0xFF], [0, 8, 8, 5], [0, 2, 4, 4], [0, 0, 0, 3]];
        assert_eq!(choose(&slots), Choice::Manifest);
    }

    #[test]
    fn ranges_pick_the_highest_supported_and_skip_5_5() {
        let slots = [[0, 8, 8, 5], [0; 4], [0; 4], [0; 4]];
        assert_eq!(choose(&slots), Choice::Version(Version::new(5, 8)));
        let slots = [[0, 0, 5, 5], [0, 0, 4, 4], [0; 4], [0; 4]];
        assert_eq!(choose(&slots), Choice::Version(Version::new(4, 4)));
        let slots = [[0, 0, 3, 4], [0, 0, 0, 3], [0; 4], [0; 4]];
        assert_eq!(choose(&slots), Choice::None);
        assert_eq!(choose(&[[0; 4]; 4]), Choice::None);
    }

    #[test]
    fn varints_round_trip() {
        for n in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, n);
            let mut r = VarintReader::default();
            let mut got = None;
            for b in out {
                got = r.push(b).unwrap();
            }
            assert_eq!(got, Some(n));
        }
        let mut r = VarintReader::default();
        let too_long = (0..11).map(|_| r.push(0xFF)).any(|x| x.is_err());
        assert!(too_long);
    }

    #[test]
    fn client_picks_6_0_from_the_servers_manifest() {
        assert_eq!(client_pick(&manifest_ranges()), Some(Version::new(6, 0)));
        assert_eq!(client_pick(&[[0, 1, 5, 5]]), Some(Version::new(5, 4)));
        assert_eq!(client_pick(&[[0, 0, 0, 3]]), None);
    }
}
