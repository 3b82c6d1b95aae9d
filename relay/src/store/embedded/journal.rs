//! The embedded store's durability: an append-only journal of operations,
//! one JSON object per line, fsynced before the operation counts as done.
//! Opening replays it.
//!
//! Group commit: [`Journal::append`] only writes; [`Durability::until_durable`]
//! makes everything written so far durable with one `fdatasync` that
//! covers every writer waiting at that moment. Callers wait after
//! releasing the store's lock, so while one fsync runs the next writes
//! pile up behind it and share the next one: one fsync per batch instead
//! of per operation, and the disk's latency no longer caps throughput.
//! Waiting is async: waiters hold no thread, only the fsync does.
//! A failed fsync poisons the journal (later waits fail too): after one,
//! the kernel may have dropped the dirty pages, so what is on disk is
//! unknown, and the safe course is to stop acknowledging and restart. A crash can leave only the last line torn (no
//! newline, or not valid JSON); that line was never acknowledged, so it is
//! cut off with a warning. Damage anywhere else refuses to open: guessing
//! would silently lose or alter acknowledged data.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use serde::{de::DeserializeOwned, Serialize};
use tokio::sync::watch;

use crate::store::{StoreError, StoreResult};

/// The journal's file name in a data directory.
pub(crate) const JOURNAL_FILE: &str = "journal.jsonl";
const LOCK_FILE: &str = "LOCK";

/// An open journal, holding the data directory's lock.
#[derive(Debug)]
pub(super) struct Journal {
    file: File,
    /// Bytes known to be whole entries; a failed append is cut back to this.
    len: u64,
    path: PathBuf,
    durability: Arc<Durability>,
    _lock: File,
}

/// How far the journal is written and how far it is on disk; shared with
/// the store so callers can wait for durability outside the store's lock.
#[derive(Debug)]
pub(super) struct Durability {
    /// A handle on the same open file, for `fdatasync` (swapped when the
    /// journal is rewritten, see [`Journal::rewrite`]).
    file: std::sync::Mutex<File>,
    path: PathBuf,
    written: AtomicU64,
    synced: AtomicU64,
    failed: AtomicBool,
    /// Set while one caller (the batch's leader) runs the fsync.
    syncing: AtomicBool,
    /// Wakes the callers waiting for the running fsync when it ends.
    synced_tx: watch::Sender<u64>,
    /// fsyncs run so far, for the group-commit test.
    #[cfg(test)]
    syncs: AtomicU64,
}

impl Durability {
    /// Bytes written so far; wait for this to cover what a caller saw.
    pub(super) fn written(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// Returns once the first `upto` bytes of the journal are on disk.
    /// The first caller to find no fsync running starts one (on the
    /// blocking pool) covering everything written by then; the others
    /// wait for it, then check again. One blocking thread at a time.
    pub(super) async fn until_durable(self: &Arc<Self>, upto: u64) -> StoreResult<()> {
        loop {
            // Subscribe before checking, so an fsync ending in between
            // still wakes us.
            let mut ended = self.synced_tx.subscribe();
            if self.failed.load(Ordering::Acquire) {
                return Err(self.poisoned());
            }
            if self.synced.load(Ordering::Acquire) >= upto {
                return Ok(());
            }
            let leader = self
                .syncing
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_ok();
            if leader {
                let me = Arc::clone(self);
                tokio::task::spawn_blocking(move || me.sync_now())
                    .await
                    .map_err(|e| StoreError::Backend(format!("journal sync task failed: {e}")))??;
            } else {
                let _ = ended.changed().await;
            }
        }
    }

    /// The leader's fsync: covers everything written when it starts.
    fn sync_now(&self) -> StoreResult<()> {
        let file = self
            .file
            .lock()
            .map_err(|_| StoreError::Backend("journal handle lock poisoned".into()))?;
        let target = self.written();
        #[cfg(test)]
        self.syncs.fetch_add(1, Ordering::AcqRel);
        let result = file.sync_data();
        match &result {
            Ok(()) => {
                self.synced.fetch_max(target, Ordering::AcqRel);
            }
            Err(e) => {
                self.failed.store(true, Ordering::Release);
                tracing::error!(path = %self.path.display(), error = %e, "journal fsync failed; refusing further writes");
            }
        }
        drop(file);
        self.syncing.store(false, Ordering::Release);
        self.synced_tx.send_replace(target);
        result.map_err(|e| io_error("sync journal", &self.path, e))
    }

    /// Points fsyncs at the rewritten journal, whose content is already on
    /// disk: everything written so far counts as durable.
    fn replace_file(&self, file: File) -> StoreResult<()> {
        let mut held = self
            .file
            .lock()
            .map_err(|_| StoreError::Backend("journal handle lock poisoned".into()))?;
        *held = file;
        let written = self.written();
        self.synced.fetch_max(written, Ordering::AcqRel);
        drop(held);
        self.synced_tx.send_replace(written);
        Ok(())
    }

    fn poisoned(&self) -> StoreError {
        StoreError::Backend(format!(
            "an earlier fsync of {} failed; restart the relay",
            self.path.display()
        ))
    }
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
        let durability = Arc::new(Durability {
            file: std::sync::Mutex::new(
                file.try_clone()
                    .map_err(|e| io_error("clone journal handle", &path, e))?,
            ),
            path: path.clone(),
            written: AtomicU64::new(good_len),
            synced: AtomicU64::new(good_len),
            failed: AtomicBool::new(false),
            syncing: AtomicBool::new(false),
            synced_tx: watch::channel(good_len).0,
            #[cfg(test)]
            syncs: AtomicU64::new(0),
        });
        let journal = Self {
            file,
            len: good_len,
            path,
            durability,
            _lock: lock,
        };
        Ok((journal, entries))
    }

    /// Writes one entry; it is durable once [`Durability::until_durable`] has
    /// covered [`Durability::written`].
    pub(super) fn append<T: Serialize>(&mut self, entry: &T) -> StoreResult<()> {
        if self.durability.failed.load(Ordering::Acquire) {
            return Err(self.durability.poisoned());
        }
        let mut line = serde_json::to_vec(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        line.push(b'\n');
        if let Err(e) = self.file.write_all(&line) {
            // Leave no half entry behind for the next append to run into.
            let _ = self.file.set_len(self.len);
            return Err(io_error("append to journal", &self.path, e));
        }
        self.len += line.len() as u64;
        // Offsets callers wait for count every byte ever appended, so they
        // keep growing across a rewrite that shrinks the file.
        self.durability
            .written
            .fetch_add(line.len() as u64, Ordering::AcqRel);
        Ok(())
    }

    /// Replaces the whole journal with the single entry `first` (a
    /// snapshot of the state): written to a new file, fsynced, renamed
    /// over the journal, the directory fsynced. A crash at any point
    /// leaves either the old journal or the new one, never a mix. Once it
    /// returns, no line of the old journal is in the journal file.
    pub(super) fn rewrite<T: Serialize>(&mut self, first: &T) -> StoreResult<()> {
        if self.durability.failed.load(Ordering::Acquire) {
            return Err(self.durability.poisoned());
        }
        let mut line = serde_json::to_vec(first).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        line.push(b'\n');
        let tmp = self.path.with_extension("jsonl.new");
        let write = || -> std::io::Result<()> {
            let mut new = File::create(&tmp)?;
            new.write_all(&line)?;
            new.sync_all()
        };
        write().map_err(|e| io_error("write compacted journal", &tmp, e))?;
        std::fs::rename(&tmp, &self.path)
            .map_err(|e| io_error("replace journal", &self.path, e))?;
        if let Some(dir) = self.path.parent() {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| io_error("sync data dir", dir, e))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| io_error("open journal", &self.path, e))?;
        let handle = file
            .try_clone()
            .map_err(|e| io_error("clone journal handle", &self.path, e))?;
        self.file = file;
        self.len = line.len() as u64;
        self.durability.replace_file(handle)
    }

    /// The durability handle the store waits on outside its lock.
    pub(super) fn durability(&self) -> Arc<Durability> {
        Arc::clone(&self.durability)
    }
}

/// Reads every whole entry of the journal at `path` without taking the
/// directory (for handing it over to another store): a torn last line is
/// left out, damage before it refused, as when opening.
pub(super) fn read_all<T: DeserializeOwned>(path: &Path) -> StoreResult<Vec<T>> {
    let file = File::open(path).map_err(|e| io_error("open journal", path, e))?;
    Ok(read_entries(&file, path)?.0)
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
                    "{} line {line_no} (byte offset {good_len}) is damaged and is \
                     not the last line; refusing to start rather than lose data after it",
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_appends_share_fsyncs_and_all_survive() {
        const WRITERS: u32 = 8;
        const ROUNDS: u32 = 25;
        let dir = tempfile::tempdir().unwrap();
        {
            let (journal, _) = Journal::open::<u32>(dir.path()).unwrap();
            let durability = journal.durability();
            let journal = Arc::new(std::sync::Mutex::new(journal));
            // In each round every writer appends before any of them waits
            // for durability, so the round's first fsync covers them all
            // however fast the disk is: sharing is forced, not timed.
            let appended = Arc::new(tokio::sync::Barrier::new(WRITERS as usize));
            let writers: Vec<_> = (0..WRITERS)
                .map(|t| {
                    let (journal, durability, appended) = (
                        Arc::clone(&journal),
                        Arc::clone(&durability),
                        Arc::clone(&appended),
                    );
                    tokio::spawn(async move {
                        for i in 0..ROUNDS {
                            let upto = {
                                let mut j = journal.lock().unwrap();
                                j.append(&(t * 100 + i)).unwrap();
                                durability.written()
                            };
                            appended.wait().await;
                            durability.until_durable(upto).await.unwrap();
                            assert!(durability.synced.load(Ordering::Acquire) >= upto);
                        }
                    })
                })
                .collect();
            for w in writers {
                w.await.unwrap();
            }
            let writes = u64::from(WRITERS * ROUNDS);
            let syncs = durability.syncs.load(Ordering::Acquire);
            assert!(
                (1..writes).contains(&syncs),
                "{writes} concurrent writes took {syncs} fsyncs"
            );
        }
        let (_j, mut entries) = Journal::open::<u32>(dir.path()).unwrap();
        entries.sort_unstable();
        let mut expected: Vec<u32> = (0..WRITERS)
            .flat_map(|t| (0..ROUNDS).map(move |i| t * 100 + i))
            .collect();
        expected.sort_unstable();
        assert_eq!(entries, expected);
    }

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
