//! The API's one error type and its mapping to HTTP.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

/// An error answered to a client: a status, a stable code, a message and,
/// where one input is at fault, the name of that field.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (`bad_request`, `not_found`, `unauthorized`, ...).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// The input field at fault, if one is.
    pub field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// The input field at fault, if the error names one.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// Names the input field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// 400: the request is malformed or a value is invalid.
    pub fn bad_request(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message).with_field(field)
    }

    /// 422: the request is well formed but breaks a rule of the data.
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    /// 400 naming every field of a report at fault; `field` is the first.
    pub fn invalid_fields(errors: &model::report::BodyErrors) -> ApiError {
        let first = errors.errors().first().map(|e| e.field.clone());
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "bad_request", errors.to_string());
        e.field = first;
        e
    }

    /// 404: the named thing does not exist.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 404 for a path no route serves.
    pub fn no_route(path: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "no_route",
            format!("no endpoint at {path}"),
        )
    }

    /// 405 for a method the route does not serve.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not accept that method",
        )
    }

    /// 401: no valid token was presented.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: the token is valid but its role is not enough.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 409: the request clashes with existing state.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 500: a fault of the server. The cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the node's log has the details",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
                field: self.field,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(_) => ApiError::not_found(e.to_string()),
            StoreError::Conflict(_) => ApiError::conflict(e.to_string()),
            StoreError::Forbidden(_) => ApiError::forbidden(e.to_string()),
            StoreError::Invalid(_) => ApiError::unprocessable(e.to_string()),
            other => ApiError::internal(other),
        }
    }
}

impl From<model::QueryError> for ApiError {
    fn from(e: model::QueryError) -> ApiError {
        let field = match e {
            model::QueryError::UnknownForum(_) => "forum",
            model::QueryError::UnknownMember(_) => "member",
            model::QueryError::NoForums => "forums",
        };
        ApiError::not_found(e.to_string()).with_field(field)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "bad_request",
        };
        // serde's message names the field and the problem ("missing field
        // `role` at line 1 column 20"); keep it, drop axum's prefix.
        let message = match &r {
            JsonRejection::JsonDataError(e) => std::error::Error::source(e)
                .map_or_else(|| e.body_text(), |s| format!("invalid body: {s}")),
            other => other.body_text(),
        };
        let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
        ApiError::new(status, code, message).with_field("body")
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        let message = match &r {
            QueryRejection::FailedToDeserializeQueryString(e) => std::error::Error::source(e)
                .map_or_else(|| e.body_text(), |s| format!("invalid query: {s}")),
            other => other.body_text(),
        };
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message).with_field("query")
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", r.body_text()).with_field("path")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ApiError {}
