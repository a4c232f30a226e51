//! The one-writer rule: a data directory is used by one cysh process at a time, through an
//! advisory lock on `cysh.lock` (released by the OS when the process ends, even on SIGKILL).
//! The holder writes its pid into the file so a second process can name it.
//!
//! It must not touch the database file.

use super::{LOCK_FILE, OpenError};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// A held lock on a data directory; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Takes the lock on `dir`, retrying for up to `wait`.
    pub fn acquire(dir: &Path, wait: Duration) -> Result<DirLock, OpenError> {
        let path = dir.join(LOCK_FILE);
        let io = |e: std::io::Error| OpenError::Io {
            dir: dir.to_path_buf(),
            detail: e.to_string(),
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(TryLockError::WouldBlock) => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let pid = pid.trim();
                    return Err(OpenError::InUse {
                        dir: dir.to_path_buf(),
                        holder: if pid.is_empty() {
                            String::new()
                        } else {
                            format!(" (pid {pid})")
                        },
                        waited: wait.as_secs(),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(DirLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path(), Duration::ZERO).unwrap();
        let err = DirLock::acquire(dir.path(), Duration::from_millis(100)).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&format!("(pid {})", std::process::id())),
            "{message}"
        );
        assert!(message.contains(&dir.path().display().to_string()));
        drop(first);
        DirLock::acquire(dir.path(), Duration::ZERO).unwrap();
    }
}
