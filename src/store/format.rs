//! What the snapshot's writer (`snapshot`) and its packed reader (`packed`) share about
//! its format: the markers inside records, the copy modes' codes, and the error of a blob
//! that is not a snapshot. It must not read or write anything itself.

use crate::cluster::model::Mode;

/// The length written for an absent optional text of a database.
pub(super) const ABSENT: u32 = u32::MAX;

/// A copy's database or server given by its text, not by position.
pub(super) const BY_TEXT: u32 = u32::MAX;

/// Why a blob was not read as a snapshot (the caller reads the tables instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable snapshot: {0}")]
pub struct BadSnapshot(pub(super) &'static str);

/// A copy mode's code.
pub(super) fn mode_code(m: Mode) -> u8 {
    match m {
        Mode::Primary => 0,
        Mode::Secondary => 1,
    }
}

/// The copy mode of a code.
pub(super) fn mode(code: u8) -> Result<Mode, BadSnapshot> {
    match code {
        0 => Ok(Mode::Primary),
        1 => Ok(Mode::Secondary),
        _ => Err(BadSnapshot("mode")),
    }
}
