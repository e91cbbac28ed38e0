//! The store's error type.

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The URL names no supported backend.
    #[error("unsupported database URL {0:?}: expected sqlite://PATH or postgres://...")]
    InvalidUrl(String),
    /// The database could not be reached.
    #[error("cannot connect to {url}: {cause}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// Why.
        cause: String,
    },
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// A uniqueness rule would be broken (the name of what clashes).
    #[error("{0} already exists")]
    Conflict(String),
    /// The request breaks a rule of the data (a bad value); the message
    /// says which.
    #[error("{0}")]
    Invalid(String),
    /// The actor may not do this to this thing (not its originator).
    #[error("{0}")]
    Forbidden(String),
    /// Stored rows no longer form valid data (edited behind the node's back).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The lock file that marks a running bulk import could not be used.
    #[error("cannot use the bulk-import lock file {path}: {cause}")]
    LockFile {
        /// The lock file.
        path: String,
        /// Why.
        cause: std::io::Error,
    },
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`] right
/// where the query runs, naming what clashed.
pub(crate) fn on_unique(what: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
    let what = what.into();
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Database(e),
    }
}
