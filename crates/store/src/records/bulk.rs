//! Bulk loading: an import large beside what the node already holds drops
//! the two covering search indexes, loads, and rebuilds them in one sorted
//! pass.
//!
//! Search keys (function, observed time) arrive in random order, so keeping
//! the covering indexes up to date costs each imported row a random page
//! write in each index: measured, about 55 µs of the SQLite writer's time
//! per row at a million rows, four fifths of an import. `CREATE INDEX`
//! sorts instead and costs about 7.5 µs per row for both indexes, whatever
//! the order. This is the advice of SQLite's and PostgreSQL's own guides
//! for populating a database ("Remove Indexes", PostgreSQL manual §14.4.3).
//!
//! The dropped definitions are saved in `deferred_indexes` in the same
//! transaction as the drop, so a crash mid-import cannot lose an index:
//! [`Store::open`] rebuilds whatever is listed there, unless the import
//! that dropped them is still running. That import holds a [`BulkLock`]
//! from before the drop until after the rebuild, a lock the operating
//! system or PostgreSQL releases if its process dies, so another process
//! opening the store meanwhile (a `report list` beside a long import) does
//! not start sorting a half-loaded table under the importer's feet. Unique
//! indexes stay: they enforce rules. Searches during a bulk import stay
//! correct (they scan the table) but are slow.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use sqlx::{Connection, Row};

use crate::{Backend, Store, StoreError};

/// The PostgreSQL advisory lock key of bulk imports (the first eight bytes
/// of "EASFbulk"); advisory keys are per database.
const ADVISORY_KEY: i64 = i64::from_be_bytes(*b"EASFbulk");

/// Held by the one bulk import allowed to drop and rebuild the search
/// indexes. Released by [`BulkLock::release`], or when its process dies.
pub(crate) enum BulkLock {
    /// An exclusive `flock` on `<database>-bulk.lock`: the kernel drops it
    /// with the process.
    File(File),
    /// A session-level advisory lock on a connection of its own, out of
    /// the pool: the server drops it when the connection closes.
    Advisory(sqlx::AnyConnection),
    /// An in-memory SQLite database, which no other process can open.
    Private,
}

impl BulkLock {
    /// Lets other processes rebuild deferred indexes again.
    pub(crate) async fn release(self) {
        match self {
            // Closing the file releases its lock.
            BulkLock::File(file) => drop(file),
            // Closing the session releases its advisory locks; an error
            // means the connection is gone, which released them too.
            BulkLock::Advisory(conn) => {
                let _ = conn.close().await;
            }
            BulkLock::Private => {}
        }
    }
}

/// The lock file of the SQLite database at `db`.
fn lock_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-bulk.lock");
    name.into()
}

/// The covering indexes searches use; nothing else depends on them.
const SEARCH_INDEXES: [&str; 2] = ["records_by_function", "records_by_time"];

/// An import defers index upkeep when it adds at least this many rows…
const BULK_MIN_ROWS: u64 = 10_000;
/// …and the log holds at most this many rows per row it adds: rebuilding
/// re-sorts what is there, so it must be small beside the new rows
/// (7.5 µs × (existing + new) < 55 µs × new when existing < ~6 × new).
const BULK_MAX_EXISTING_PER_NEW: u64 = 4;

/// Whether adding `new` rows to a log of `existing` should defer the search
/// indexes. On both engines: PostgreSQL loaded a million reports at 29,700/s
/// this way against 19,300/s row by row. There the drop waits for, and
/// briefly blocks, readers of `records`, and the rebuild blocks other
/// writers (not readers) while it sorts.
pub(crate) fn should_defer(existing: u64, new: u64) -> bool {
    new >= BULK_MIN_ROWS && existing <= new.saturating_mul(BULK_MAX_EXISTING_PER_NEW)
}

/// Checkpoints the SQLite WAL from another connection (and so another
/// thread) while a bulk import writes, instead of in the writer's commits:
/// SQLite's own advice for write-heavy loads (sqlite.org/wal.html,
/// "Application-Initiated Checkpoints"). Copying WAL pages back into the
/// database was a quarter of the writer thread's time.
pub(crate) struct Checkpointer {
    stop: std::sync::Arc<tokio::sync::Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Checkpointer {
    /// Starts checkpointing `store` every few milliseconds (SQLite only;
    /// `None` on PostgreSQL).
    pub(crate) fn start(store: &Store) -> Option<Checkpointer> {
        if store.backend != Backend::Sqlite {
            return None;
        }
        let pool = store.pool.clone();
        let stop = std::sync::Arc::new(tokio::sync::Notify::new());
        let stopped = std::sync::Arc::clone(&stop);
        let task = tokio::spawn(async move {
            loop {
                // PASSIVE never blocks the writer; a failed round (a busy
                // database) is simply tried again on the next tick.
                let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .fetch_optional(&pool)
                    .await;
                tokio::select! {
                    () = stopped.notified() => break,
                    () = tokio::time::sleep(std::time::Duration::from_millis(20)) => {}
                }
            }
        });
        Some(Checkpointer { stop, task })
    }

    /// Stops after the round in progress.
    pub(crate) async fn stop(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }
}

impl Store {
    /// Takes the bulk-import lock if no other import (in this process or
    /// another) holds it; `None` if one does.
    pub(crate) async fn try_bulk_lock(&self) -> Result<Option<BulkLock>, StoreError> {
        match (self.backend, &self.sqlite_file) {
            (Backend::Sqlite, None) => Ok(Some(BulkLock::Private)),
            (Backend::Sqlite, Some(db)) => {
                let path = lock_path(db);
                let failed = |cause| StoreError::LockFile {
                    path: path.display().to_string(),
                    cause,
                };
                let file = OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .map_err(failed)?;
                match file.try_lock() {
                    Ok(()) => Ok(Some(BulkLock::File(file))),
                    Err(TryLockError::WouldBlock) => Ok(None),
                    Err(TryLockError::Error(e)) => Err(failed(e)),
                }
            }
            (Backend::Postgres, _) => {
                let mut conn = self.pool.acquire().await?.detach();
                let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(ADVISORY_KEY)
                    .fetch_one(&mut conn)
                    .await?;
                if locked {
                    Ok(Some(BulkLock::Advisory(conn)))
                } else {
                    let _ = conn.close().await;
                    Ok(None)
                }
            }
        }
    }

    /// Rebuilds the indexes a bulk import left dropped when it died; leaves
    /// them to the import if it is still running. Returns how many were
    /// rebuilt.
    pub(crate) async fn restore_orphaned_indexes(&self) -> Result<usize, StoreError> {
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deferred_indexes")
            .fetch_one(&self.pool)
            .await?;
        if pending == 0 {
            return Ok(0);
        }
        let Some(lock) = self.try_bulk_lock().await? else {
            tracing::info!("a bulk import is running; it rebuilds the search indexes when it ends");
            return Ok(0);
        };
        self.end_bulk(lock).await
    }

    /// Starts a bulk import's index deferral: takes the lock and drops the
    /// search indexes. `None` if another import holds the lock (this one
    /// then writes row by row and leaves the indexes to it).
    pub(crate) async fn begin_bulk(&self) -> Result<Option<BulkLock>, StoreError> {
        let Some(lock) = self.try_bulk_lock().await? else {
            return Ok(None);
        };
        match self.defer_search_indexes().await {
            Ok(()) => Ok(Some(lock)),
            Err(e) => {
                lock.release().await;
                Err(e)
            }
        }
    }

    /// Ends what [`begin_bulk`](Self::begin_bulk) (or a crashed import)
    /// started: rebuilds the deferred indexes, then gives the lock up.
    /// Returns how many indexes were rebuilt.
    pub(crate) async fn end_bulk(&self, lock: BulkLock) -> Result<usize, StoreError> {
        let restored = self.restore_deferred_indexes().await;
        lock.release().await;
        restored
    }

    /// Drops the search indexes, saving their definitions first. Indexes
    /// already missing (another import deferred them) are left alone.
    pub(crate) async fn defer_search_indexes(&self) -> Result<(), StoreError> {
        let catalog = match self.backend {
            Backend::Sqlite => "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
            Backend::Postgres => {
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1"
            }
        };
        let mut tx = self.pool.begin().await?;
        for name in SEARCH_INDEXES {
            let Some(row) = sqlx::query(catalog)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?
            else {
                continue;
            };
            let definition: String = row.try_get(0)?;
            // Another process deferring at the same moment may have saved
            // it already; both keep the same definition.
            sqlx::query(
                "INSERT INTO deferred_indexes (name, definition) VALUES ($1, $2) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(&definition)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Rebuilds every index a bulk import deferred. Safe to run at any
    /// time and from several processes: an index that exists already is
    /// kept, and each is restored in its own transaction.
    pub(crate) async fn restore_deferred_indexes(&self) -> Result<usize, StoreError> {
        let rows = sqlx::query("SELECT name, definition FROM deferred_indexes ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut restored = 0;
        for row in rows {
            let name: String = row.try_get(0)?;
            let definition: String = row.try_get(1)?;
            let Some(body) = definition.strip_prefix("CREATE INDEX ") else {
                return Err(StoreError::Corrupt(format!(
                    "deferred_indexes.{name}: not a CREATE INDEX statement"
                )));
            };
            let mut tx = self.pool.begin().await?;
            if self.backend == Backend::Sqlite {
                // Lets SQLite's sorter use a helper thread for the build.
                sqlx::query("PRAGMA threads = 2").execute(&mut *tx).await?;
            }
            sqlx::query(&format!("CREATE INDEX IF NOT EXISTS {body}"))
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM deferred_indexes WHERE name = $1")
                .bind(&name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            restored += 1;
        }
        Ok(restored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_imports_beside_a_small_log_defer() {
        assert!(should_defer(0, 1_000_000));
        assert!(should_defer(400_000, 100_000));
        assert!(!should_defer(400_001, 100_000));
        assert!(!should_defer(0, 9_999));
    }
}
