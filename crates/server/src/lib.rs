//! The HTTP face of an EASF node: JSON under `/api/v1`, described by an
//! OpenAPI 3.1 document generated from the handlers themselves.
//!
//! [`app`] builds the router from an [`AppState`]; [`serve`] runs it on a
//! listener until a shutdown signal. The server is the only crate that
//! knows HTTP or JSON wire shapes (the [`dto`] module); below it, `store`
//! and `model` speak in domain types.
//!
//! Every route but `/healthz` takes an [`auth::Auth`] extractor, so a
//! request without a valid token never reaches a handler. Errors are all
//! [`error::ApiError`]s with one JSON shape.
#![deny(missing_docs)]

pub mod auth;
pub mod dto;
pub mod error;
mod extract;
pub mod joint;
pub mod routes;

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use chrono::{DateTime, NaiveDate, Utc};
use model::ReferenceData;
use store::{Ledger, Store};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use routes::openapi_document;

/// The largest request body accepted, in bytes. The API takes small JSON
/// documents; anything larger is a mistake or an attack.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a request may take before the server answers 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A source of the current time, replaceable in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The node's database.
    pub store: Store,
    /// The node's signed record log (writes go through it).
    pub ledger: Ledger,
    reference: Arc<RwLock<Arc<ReferenceData>>>,
    clock: Clock,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over the node's ledger (and its store), with the reference
    /// data already read from the store, and the system clock.
    pub fn new(ledger: Ledger, reference: ReferenceData) -> AppState {
        AppState::with_clock(ledger, reference, Arc::new(Utc::now))
    }

    /// State with a given clock (tests use a fixed one).
    pub fn with_clock(ledger: Ledger, reference: ReferenceData, clock: Clock) -> AppState {
        AppState {
            store: ledger.store().clone(),
            ledger,
            reference: Arc::new(RwLock::new(Arc::new(reference))),
            clock,
        }
    }

    /// The reference data in force now.
    pub fn reference(&self) -> Arc<ReferenceData> {
        // A poisoned lock only means a writer panicked after replacing the
        // Arc or before; either value is complete, so keep serving it.
        self.reference
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Swaps in new reference data (after `refdata load`).
    pub fn set_reference(&self, data: ReferenceData) {
        *self.reference.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(data);
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The current time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// Today's date (UTC), the default "as of".
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// What the distribution policy needs besides the record, read once per
/// request: the reference data in force and the sharing groups.
#[derive(Debug)]
pub struct Policy {
    /// Forums and memberships.
    pub reference: Arc<ReferenceData>,
    /// Sharing groups by id.
    pub groups: std::collections::BTreeMap<String, Vec<model::MemberCode>>,
}

impl Policy {
    /// The policy context on `today`.
    pub fn context(&self, today: NaiveDate) -> model::PolicyContext<'_> {
        model::PolicyContext {
            reference: &self.reference,
            groups: &self.groups,
            today,
        }
    }
}

impl AppState {
    /// The reference data and sharing groups as they are now.
    pub async fn policy(&self) -> Result<Policy, store::StoreError> {
        Ok(Policy {
            reference: self.reference(),
            groups: self.store.sharing_groups().await?,
        })
    }
}

/// The node's router: API, OpenAPI document, health, and JSON fallbacks.
pub fn app(state: AppState) -> Router {
    routes::router(state.clone())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // The default span records method and URI only: never headers, so
        // tokens stay out of the log.
        .layer(TraceLayer::new_for_http())
}

/// Serves `app(state)` on `listener` until `shutdown` completes, then lets
/// requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
