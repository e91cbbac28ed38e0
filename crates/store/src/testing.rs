//! Throw-away databases for tests, on both backends.
//!
//! [`with_store`] gives a test a freshly migrated store and removes it
//! afterwards, even when the test fails: a temporary SQLite file, or a
//! PostgreSQL database named `easf_test_<uuid>` created on the server named
//! by `EASF_TEST_PG_URL` and dropped at the end. Without that variable the
//! PostgreSQL variant is skipped — except under `CI`, where it fails, so a
//! CI run can never pass without having tested PostgreSQL.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use sqlx::{Connection, Executor};

use crate::{Backend, Store};

/// The environment variable naming the PostgreSQL server for tests.
pub const PG_URL_VAR: &str = "EASF_TEST_PG_URL";

/// A database made for one test.
#[derive(Debug)]
pub struct TestDb {
    /// The URL to open it with.
    pub url: String,
    backend: Backend,
    admin_url: Option<String>,
    name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// Creates an empty database on `backend`; `None` if PostgreSQL is not
    /// configured outside CI.
    pub async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                Some(TestDb {
                    url: crate::sqlite_url(dir.path()),
                    backend,
                    admin_url: None,
                    name: None,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let admin_url = match std::env::var(PG_URL_VAR) {
                    Ok(u) => u,
                    Err(_) if std::env::var_os("CI").is_some() => {
                        panic!(
                            "{PG_URL_VAR} must be set in CI: the PostgreSQL suite may not be skipped"
                        )
                    }
                    Err(_) => {
                        eprintln!("skipping PostgreSQL variant: set {PG_URL_VAR}");
                        return None;
                    }
                };
                let name = format!("easf_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                Some(TestDb {
                    url: format!("{base}/{name}"),
                    backend,
                    admin_url: Some(admin_url),
                    name: Some(name),
                    _dir: None,
                })
            }
        }
    }

    /// Removes the database (the SQLite directory goes with `self`).
    pub async fn drop_db(self) {
        if let (Backend::Postgres, Some(admin), Some(name)) =
            (self.backend, &self.admin_url, &self.name)
            && let Ok(mut conn) = sqlx::PgConnection::connect(admin).await
        {
            let _ = conn
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
}

/// Runs `test` against a fresh, migrated store on `backend`, then removes
/// the database whether the test passed or panicked.
pub async fn with_store<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = TestDb::create(backend).await else {
        return;
    };
    let store = Store::open(&db.url).await.expect("open test store");
    let result = AssertUnwindSafe(test(store.clone())).catch_unwind().await;
    store.close().await;
    db.drop_db().await;
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// Writes a test twice: `NAME_sqlite` and `NAME_postgres`, each calling
/// `async fn NAME(store: Store)` on its backend.
#[macro_export]
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    $crate::testing::with_store($crate::Backend::Sqlite, super::$name).await;
                }
                #[tokio::test]
                async fn postgres() {
                    $crate::testing::with_store($crate::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

impl crate::Store {
    /// Runs raw SQL on the database, bypassing every rule of the store: for
    /// tests that tamper with rows behind the node's back.
    pub async fn execute_unchecked(&self, sql: &str) -> Result<u64, crate::StoreError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }

    /// The first column of every row `sql` returns, as text: for tests
    /// that read stored rows as they are.
    pub async fn fetch_text_unchecked(&self, sql: &str) -> Result<Vec<String>, crate::StoreError> {
        use sqlx::Row;
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?)
    }
}

/// The bulk-import lock held as a running import holds it, for tests of
/// what other processes do meanwhile.
pub struct BulkImportInProgress(crate::records::bulk::BulkLock);

impl BulkImportInProgress {
    /// Ends the pretended import.
    pub async fn release(self) {
        self.0.release().await;
    }
}

impl crate::Store {
    /// Takes the bulk-import lock as an import would; `None` if another
    /// holder has it.
    pub async fn hold_bulk_lock(&self) -> Option<BulkImportInProgress> {
        self.try_bulk_lock()
            .await
            .expect("bulk-import lock")
            .map(BulkImportInProgress)
    }
}
