//! Health check and the API description.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;
use crate::auth::Auth;
use crate::dto::Health;
use crate::error::ErrorBody;

/// Whether the node and its database answer. Public, for load balancers.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub(super) async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ok".into(),
                database: "ok".into(),
            }),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "degraded".into(),
                    database: "unreachable".into(),
                }),
            )
        }
    }
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", security(("bearer" = [])),
    responses((status = 200, description = "the OpenAPI document", content_type = "application/json"),
              (status = 401, body = ErrorBody)))]
pub(super) async fn openapi_json(_auth: Auth) -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi_document().as_ref().clone())
}
