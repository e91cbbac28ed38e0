//! Persistence for an EASF node: SQLite as the embedded default, PostgreSQL
//! for a node that outgrows one file, behind one [`Store`] type.
//!
//! The store is the only crate that knows SQL. Both backends share the same
//! queries (through sqlx's `Any` driver, with `$n` placeholders that both
//! accept) and differ only in their migrations, which ship inside the binary
//! and run when a store is opened. Every write that changes the node runs in
//! one transaction together with its audit event, so a failed request leaves
//! nothing behind.
//!
//! ```no_run
//! # async fn demo() -> Result<(), store::StoreError> {
//! let store = store::Store::open("sqlite://easf.db?mode=rwc").await?;
//! let users = store.users().await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod access;
mod audit;
mod error;
mod records;
mod reference;
#[cfg(feature = "testing")]
pub mod testing;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

pub use access::{NewUser, TokenInfo};
pub use audit::{Actor, AuditEvent, Outcome};
pub use error::StoreError;
pub use records::search::MAX_LIMIT;
pub use records::taxii::{CollectionItem, CollectionPage, CollectionPosition, CollectionQuery};
pub use records::{
    Facets, ImportOutcome, Ledger, Problem, RecordHistory, ReportFilter, ReportPage, SortCursor,
    StatusFilter, StoredRecord, VerifyReport,
};

/// Migrations for the SQLite backend.
pub static MIGRATOR_SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
/// Migrations for the PostgreSQL backend.
pub static MIGRATOR_PG: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file, the embedded default.
    Sqlite,
    /// PostgreSQL, selected by a `postgres://` URL.
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::InvalidUrl(redact(url)))
        }
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection pool to a node's database, migrated to the current schema.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The SQLite database file, where there is one (not for `:memory:`):
    /// its bulk-import lock file sits beside it (`records/bulk.rs`).
    sqlite_file: Option<Arc<Path>>,
}

/// The URL of the SQLite database inside a node's data directory.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("easf.db").display())
}

/// The file a `sqlite:` URL names, or `None` for an in-memory database.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory =
        path.is_empty() || path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory");
    (!in_memory).then(|| std::path::PathBuf::from(path))
}

/// A URL with any password replaced, safe to log or print.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Store {
    /// Connects to `url` (`sqlite://...` or `postgres://...`) and applies
    /// any pending migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        // Indexes a crashed bulk import dropped come back before any search;
        // those of an import still running are left to it.
        store.restore_orphaned_indexes().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options =
            AnyConnectOptions::from_str(url).map_err(|_| StoreError::InvalidUrl(redact(url)))?;
        let pool_options = match backend {
            // One writer at a time is all SQLite allows; a small pool keeps
            // readers concurrent under WAL without piling up busy waits.
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // WAL lets readers run beside the writer; FULL makes
                            // every commit durable across power loss.
                            // 16 KB pages for a new database (an existing
                            // one keeps its own): a bulk import of a million
                            // reports ran 20 % faster than with 4 KB pages,
                            // searches as fast (docs/PERFORMANCE.md).
                            conn.execute("PRAGMA page_size = 16384").await?;
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = FULL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 5000").await?;
                            // The default 2 MB page cache sends most index
                            // lookups of a large import to the kernel; 32 MB
                            // and memory-mapped reads keep them in process.
                            conn.execute("PRAGMA cache_size = -32768").await?;
                            conn.execute("PRAGMA mmap_size = 268435456").await?;
                            // A multi-row INSERT keeps a statement journal
                            // so it can be undone alone; on disk (the
                            // default) that doubled the writes of an import.
                            conn.execute("PRAGMA temp_store = MEMORY").await?;
                            // One import batch is about a thousand pages, the
                            // default threshold; 40 MB lets a bulk import's
                            // background checkpoints (records/bulk.rs) do
                            // the copying instead of the writer.
                            conn.execute("PRAGMA wal_autocheckpoint = 10000").await?;
                            Ok(())
                        })
                    })
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(8),
        };
        let pool = pool_options
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: redact(url),
                cause: e.to_string(),
            })?;
        let sqlite_file = match backend {
            Backend::Sqlite => sqlite_file(url).map(Arc::from),
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
            backend,
            sqlite_file,
        })
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &MIGRATOR_SQLITE,
            Backend::Postgres => &MIGRATOR_PG,
        };
        let before = self.applied_migrations().await.unwrap_or(0);
        migrator.run(&self.pool).await?;
        let after = self.applied_migrations().await?;
        Ok(after.saturating_sub(before))
    }

    async fn applied_migrations(&self) -> Result<usize, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as usize)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection, waiting for them to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_backends_and_hide_passwords() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("postgres://h/db").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert_eq!(
            redact("postgres://bob:secret@host:5432/db"),
            "postgres://bob:***@host:5432/db"
        );
        assert_eq!(redact("postgres://bob@host/db"), "postgres://bob@host/db");
    }

    #[test]
    fn sqlite_urls_name_their_file_unless_in_memory() {
        let file = |url| sqlite_file(url).map(|p| p.display().to_string());
        assert_eq!(
            file("sqlite:///tmp/n/easf.db?mode=rwc").as_deref(),
            Some("/tmp/n/easf.db")
        );
        assert_eq!(file("sqlite://easf.db").as_deref(), Some("easf.db"));
        assert_eq!(file("sqlite:easf.db").as_deref(), Some("easf.db"));
        assert_eq!(file("sqlite::memory:"), None);
        assert_eq!(file("sqlite://x.db?mode=memory&cache=shared"), None);
    }
}
