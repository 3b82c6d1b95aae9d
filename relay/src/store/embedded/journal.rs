//! The embedded store's durability: an append-only journal of operations,
//! one JSON object per line, fsynced before the operation counts as done.
//! Opening replays it. A crash can leave only the last line torn (no
//! newline, or not valid JSON); that line was never acknowledged, so it is
//! cut off with a warning. Damage anywhere else refuses to open: guessing
//! would silently lose or alter acknowledged data.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{de::DeserializeOwned, Serialize};

use crate::store::{StoreError, StoreResult};

const JOURNAL_FILE: &str = "journal.jsonl";
const LOCK_FILE: &str = "LOCK";

/// An open journal, holding the data directory's lock.
#[derive(Debug)]
pub(super) struct Journal {
    file: File,
    /// Bytes known to be whole entries; a failed append is cut back to this.
    len: u64,
    path: PathBuf,
    _lock: File,
}

impl Journal {
    /// Opens (creating if needed) the journal in `dir`, returning it and the
    /// entries already in it, oldest first.
    pub(super) fn open<T: DeserializeOwned>(dir: &Path) -> StoreResult<(Self, Vec<T>)> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create data dir", dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error("open lock", &lock_path, e))?;
        lock.try_lock().map_err(|_| {
            StoreError::Backend(format!(
                "data dir {} is in use by another switchboard process",
                dir.display()
            ))
        })?;

        let path = dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(|e| io_error("open journal", &path, e))?;
        let (entries, good_len) = read_entries(&file, &path)?;
        let actual_len = file
            .metadata()
            .map_err(|e| io_error("stat journal", &path, e))?
            .len();
        if actual_len != good_len {
            tracing::warn!(
                path = %path.display(),
                cut_bytes = actual_len - good_len,
                "journal ends in a torn entry (a crash mid-write); cutting it off"
            );
            file.set_len(good_len)
                .map_err(|e| io_error("truncate journal", &path, e))?;
            file.sync_all()
                .map_err(|e| io_error("sync journal", &path, e))?;
        }
        let journal = Self {
            file,
            len: good_len,
            path,
            _lock: lock,
        };
        Ok((journal, entries))
    }

    /// Appends one entry and waits until it is on disk.
    pub(super) fn append<T: Serialize>(&mut self, entry: &T) -> StoreResult<()> {
        let mut line = serde_json::to_vec(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        line.push(b'\n');
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // Leave no half entry behind for the next append to run into.
            let _ = self.file.set_len(self.len);
            return Err(io_error("append to journal", &self.path, e));
        }
        self.len += line.len() as u64;
        Ok(())
    }
}

/// Parses whole lines; returns them and the byte length they cover.
fn read_entries<T: DeserializeOwned>(file: &File, path: &Path) -> StoreResult<(Vec<T>, u64)> {
    let mut reader = BufReader::new(file);
    let mut entries = Vec::new();
    let mut good_len = 0u64;
    let mut line = Vec::new();
    let mut line_no = 0usize;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| io_error("read journal", path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let complete = line.last() == Some(&b'\n');
        match serde_json::from_slice::<T>(&line) {
            Ok(entry) if complete => {
                entries.push(entry);
                good_len += n as u64;
            }
            Ok(_) | Err(_) => {
                let mut rest = Vec::new();
                let more = std::io::Read::read_to_end(&mut reader, &mut rest)
                    .map_err(|e| io_error("read journal", path, e))?;
                if more == 0 {
                    break; // the torn tail; the caller cuts it off
                }
                return Err(StoreError::Corrupt(format!(
                    "{} line {line_no} is damaged and is not the last line; \
                     refusing to start rather than lose data after it",
                    path.display()
                )));
            }
        }
    }
    Ok((entries, good_len))
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Backend(format!("{what} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (mut j, old) = Journal::open::<u32>(dir.path()).unwrap();
            assert!(old.is_empty());
            j.append(&1u32).unwrap();
            j.append(&2u32).unwrap();
        }
        let (_j, entries) = Journal::open::<u32>(dir.path()).unwrap();
        assert_eq!(entries, vec![1, 2]);
    }

    #[test]
    fn torn_tail_is_cut_and_appends_continue() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (mut j, _) = Journal::open::<u32>(dir.path()).unwrap();
            j.append(&7u32).unwrap();
        }
        let path = dir.path().join(JOURNAL_FILE);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"12").unwrap(); // a crash mid-line: no newline
        drop(f);
        {
            let (mut j, entries) = Journal::open::<u32>(dir.path()).unwrap();
            assert_eq!(entries, vec![7]);
            j.append(&8u32).unwrap();
        }
        let (_j, entries) = Journal::open::<u32>(dir.path()).unwrap();
        assert_eq!(entries, vec![7, 8]);
    }

    #[test]
    fn damage_before_the_end_refuses_to_open() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(JOURNAL_FILE), b"1\nnot json\n3\n").unwrap();
        let err = Journal::open::<u32>(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    }

    #[test]
    fn a_second_process_cannot_share_the_dir() {
        let dir = tempfile::tempdir().unwrap();
        let (_held, _) = Journal::open::<u32>(dir.path()).unwrap();
        let err = Journal::open::<u32>(dir.path()).unwrap_err();
        assert!(err.to_string().contains("in use"), "{err}");
    }
}
