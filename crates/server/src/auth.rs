//! Bearer-token authentication and role checks.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use model::{Role, User};
use serde_json::json;
use store::{Actor, Outcome};

use crate::AppState;
use crate::error::ApiError;

/// The authenticated caller. Every handler but health takes one, so a
/// route cannot be added without authentication by accident.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The user the token belongs to.
    pub user: User,
    /// The id of the token used.
    pub token_id: String,
    method: String,
    path: String,
}

impl Auth {
    /// Who this is, for the audit table.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.name)
    }

    /// The caller as the distribution policy sees them: the member they
    /// act for.
    pub fn reader(&self) -> model::Reader {
        model::Reader::Member(self.user.member)
    }

    /// Refuses with 403, and records the refusal, unless the caller's role
    /// includes `needed`.
    pub async fn require(&self, state: &AppState, needed: Role) -> Result<(), ApiError> {
        if self.user.role.allows(needed) {
            return Ok(());
        }
        let detail = json!({
            "method": self.method,
            "role": self.user.role,
            "needed": needed,
        });
        state
            .store
            .record_event(
                state.now_ms(),
                &self.actor(),
                "forbidden",
                &self.path,
                Outcome::Denied,
                &detail,
            )
            .await?;
        tracing::warn!(user = %self.user.name, path = %self.path, %needed, "forbidden");
        Err(ApiError::forbidden(format!(
            "this needs the {needed} role; {} has {}",
            self.user.name, self.user.role
        )))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthorized("send an API token: Authorization: Bearer <token>")
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must be Bearer <token>")
            })?;
        let hash = model::token_hash(token);
        let (user, info) = state
            .store
            .authenticate(&hash, state.now_ms())
            .await?
            .ok_or_else(|| ApiError::unauthorized("the token is unknown, expired or revoked"))?;
        Ok(Auth {
            user,
            token_id: info.id,
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
        })
    }
}
