//! The one thread that owns the database connection, and group commit:
//! calls queue up while a transaction commits, and the next transaction
//! runs every call waiting at that moment, each inside its own savepoint,
//! then commits them with one WAL fsync. A call is answered only after
//! that commit, so nothing is acknowledged (and no read returns state)
//! that a crash could take back, while one fsync serves many callers — the
//! same contract the journal store kept with its group commit.
//!
//! A call that fails rolls back to its savepoint: it changed nothing, and
//! the others in its batch are unaffected. A commit that fails (disk full,
//! I/O error) fails every call of the batch; the transaction is rolled
//! back, so nothing of it is stored or acknowledged.
//!
//! A call that changes nothing, run before anything in its batch changed
//! anything, read only what earlier batches committed, which is durable:
//! it is answered at once instead of after the batch's fsync. So a read
//! (an agent's permission check before its message, a page of history)
//! no longer waits for the writes queued beside it.
//!
//! A call that erases data asks for the log to be truncated once its
//! batch commits ([`Worker::call_then_truncate_wal`]): the log's older
//! frames would otherwise keep copies of what was deleted.

use std::sync::mpsc;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::store::{StoreError, StoreResult};

/// Calls one transaction takes at most (bounds the time a batch holds
/// the writer, so the first caller of a long queue is not kept waiting).
const MAX_BATCH: usize = 512;

/// What a call leaves to do once its batch is committed (or not).
type Answer = Box<dyn FnOnce(StoreResult<()>) + Send>;
/// A call, run on the worker inside its savepoint: what to answer, and
/// whether to truncate the write-ahead log once the batch commits.
type Job = Box<dyn FnOnce(&Connection) -> (Answer, bool) + Send>;

/// The handle callers send calls through. Cheap to clone.
#[derive(Debug, Clone)]
pub(super) struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    /// Starts the thread that owns `conn`.
    pub(super) fn start(conn: Connection) -> StoreResult<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-store".into())
            .spawn(move || run(&conn, &queue))
            .map_err(|e| StoreError::Backend(format!("start the store thread: {e}")))?;
        Ok(Self { jobs })
    }

    /// Runs `f` in a transaction shared with the calls waiting beside it;
    /// answers once that transaction is committed.
    pub(super) async fn call<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.submit(f, false).await
    }

    /// As [`Worker::call`], and when `f` succeeded the write-ahead log is
    /// checkpointed into the database and truncated after the commit,
    /// before anyone is answered: for a call deleting data that must not
    /// outlive it (an erasure), which the log's older frames still hold.
    /// A checkpoint cannot run inside a transaction, hence here.
    pub(super) async fn call_then_truncate_wal<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.submit(f, true).await
    }

    async fn submit<R, F>(&self, f: F, truncate_wal: bool) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn: &Connection| {
            let result = in_savepoint(conn, f);
            let truncate = truncate_wal && result.is_ok();
            let answer: Answer = Box::new(move |committed: StoreResult<()>| {
                let _ = tx.send(committed.and(result));
            });
            (answer, truncate)
        });
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Backend("the store thread has stopped".into()))?;
        rx.await
            .map_err(|_| StoreError::Backend("the store thread dropped a call".into()))?
    }
}

/// `f` inside a savepoint: kept on success, undone on failure.
fn in_savepoint<R>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> StoreResult<R>,
) -> StoreResult<R> {
    conn.execute_batch("SAVEPOINT call").map_err(sql)?;
    let result = f(conn);
    let end = if result.is_ok() {
        "RELEASE call"
    } else {
        "ROLLBACK TO call; RELEASE call"
    };
    conn.execute_batch(end).map_err(sql)?;
    result
}

fn run(conn: &Connection, queue: &mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            // The calls never ran; dropping them answers each with an error.
            tracing::error!(error = %sql(e), "store transaction could not begin");
            continue;
        }
        let mut ran: Vec<(Answer, bool)> = Vec::with_capacity(batch.len());
        let mut changed = false;
        for job in batch {
            let before = conn.total_changes();
            let (answer, truncate) = job(conn);
            changed |= conn.total_changes() != before;
            if changed || truncate {
                ran.push((answer, truncate));
            } else {
                // Saw only committed, durable state and wrote nothing.
                answer(Ok(()));
            }
        }
        let committed = conn.execute_batch("COMMIT").map_err(sql);
        if let Err(e) = &committed {
            tracing::error!(error = %e, "store commit failed; the batch is rolled back");
            let _ = conn.execute_batch("ROLLBACK");
        }
        if committed.is_ok() && ran.iter().any(|(_, truncate)| *truncate) {
            truncate_wal(conn);
        }
        for (answer, _) in ran {
            answer(committed.clone());
        }
    }
}

/// Copies the write-ahead log into the database file and empties it, so
/// no older copy of a page is left in it. Only a reader beside the relay
/// (`switchboard backup`) can hold the log back, and the busy timeout
/// waits for it. Should the checkpoint still not finish, the deletion
/// stands (it is committed, and answered as such) while older copies stay
/// in the log until later writes overwrite them: an error for the
/// operator, not for the caller.
fn truncate_wal(conn: &Connection) {
    const LEFT: &str = "erased data may stay in the write-ahead log";
    let checkpoint = "PRAGMA wal_checkpoint(TRUNCATE)";
    match conn.query_row(checkpoint, [], |r| r.get::<_, i64>(0)) {
        Ok(0) => {}
        Ok(_) => tracing::error!("checkpoint blocked: {LEFT}"),
        Err(e) => tracing::error!(error = %sql(e), "checkpoint failed: {LEFT}"),
    }
}

/// What a SQLite error means to the layers above: damage is `Corrupt`
/// (never skipped), everything else a backend failure.
pub(crate) fn sql(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => StoreError::Corrupt(e.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::mpsc as gate;
    use std::task::Poll;
    use std::time::Duration;

    use super::*;

    type Call<T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send>>;

    fn worker() -> Worker {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER)").unwrap();
        Worker::start(conn).unwrap()
    }

    /// Polls `call` once: that sends its job to the worker, in order.
    async fn submitted<T>(mut call: Call<T>) -> Call<T> {
        std::future::poll_fn(|cx| {
            let _ = call.as_mut().poll(cx);
            Poll::Ready(())
        })
        .await;
        call
    }

    /// A call that waits on the worker thread until its gate opens.
    async fn held(worker: &Worker, write: bool) -> (gate::Sender<()>, Call<()>) {
        let (open, wait) = gate::channel::<()>();
        let worker = worker.clone();
        let call: Call<()> = Box::pin(async move {
            worker
                .call(move |c| {
                    wait.recv().unwrap();
                    if write {
                        c.execute("INSERT INTO t (n) VALUES (1)", []).map_err(sql)?;
                    }
                    Ok(())
                })
                .await
        });
        (open, submitted(call).await)
    }

    fn count(worker: &Worker) -> Call<i64> {
        let worker = worker.clone();
        Box::pin(async move {
            worker
                .call(|c| {
                    c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get::<_, i64>(0))
                        .map_err(sql)
                })
                .await
        })
    }

    #[tokio::test]
    async fn a_read_ahead_of_the_writes_in_its_batch_is_answered_before_their_commit() {
        let worker = worker();
        let (first, first_call) = held(&worker, false).await;
        // Both queue behind the held call, so they share the next batch:
        // the read first, then a write held on the worker thread.
        let read = submitted(count(&worker)).await;
        let (write, write_call) = held(&worker, true).await;
        first.send(()).unwrap();
        first_call.await.unwrap();
        // The write is still running (held), so its batch has not
        // committed: the read's answer cannot have waited for it.
        let seen = tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .expect("the read was answered while the write held its batch")
            .unwrap();
        assert_eq!(seen, 0);
        write.send(()).unwrap();
        write_call.await.unwrap();
        assert_eq!(count(&worker).await.unwrap(), 1);
    }
}
