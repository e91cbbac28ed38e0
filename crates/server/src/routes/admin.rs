//! Users, tokens and the audit table. All but `whoami` need the admin role.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use model::Role;
use rand::RngCore;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Auth;
use crate::dto::{
    AuditDto, IssuedToken, NewTokenRequest, NewUserRequest, TokenDto, UserDto, WhoAmI,
};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

/// The caller's own user and token.
#[utoipa::path(get, path = "/api/v1/me", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = WhoAmI), (status = 401, body = ErrorBody)))]
pub(super) async fn whoami(auth: Auth) -> Json<WhoAmI> {
    Json(WhoAmI {
        user: (&auth.user).into(),
        token_id: auth.token_id,
    })
}

/// Every user of the node.
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserDto>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub(super) async fn list_users(
    auth: Auth,
    State(state): State<AppState>,
) -> Result<Json<Vec<UserDto>>, ApiError> {
    auth.require(&state, Role::Admin).await?;
    Ok(Json(
        state
            .store
            .users()
            .await?
            .iter()
            .map(UserDto::from)
            .collect(),
    ))
}

/// Validates a new user against the reference data; shared with the CLI.
pub fn validate_new_user(
    data: &model::ReferenceData,
    req: &NewUserRequest,
) -> Result<store::NewUser, ApiError> {
    model::validate_user_name(&req.name).map_err(|e| ApiError::bad_request("name", e))?;
    let member = data
        .member(&req.member)
        .map_err(|e| ApiError::bad_request("member", e.to_string()))?;
    let agency = req.agency.trim();
    if agency.is_empty() || agency.len() > 200 {
        return Err(ApiError::bad_request(
            "agency",
            "agency must be 1-200 characters",
        ));
    }
    Ok(store::NewUser {
        name: req.name.clone(),
        member: member.code,
        agency: agency.to_owned(),
        role: req.role,
    })
}

/// Creates a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", security(("bearer" = [])),
    request_body = NewUserRequest,
    responses((status = 201, body = UserDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(super) async fn add_user(
    auth: Auth,
    State(state): State<AppState>,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<UserDto>), ApiError> {
    auth.require(&state, Role::Admin).await?;
    let new = validate_new_user(&state.reference(), &req)?;
    let user = state
        .store
        .add_user(&new, &auth.actor(), state.now_ms())
        .await?;
    Ok((StatusCode::CREATED, Json((&user).into())))
}

/// Longest token lifetime accepted, in days (ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// Makes a fresh token for `user`, stores its hash and returns the secret.
/// Shared by the API and the CLI.
pub async fn issue_token_for(
    state_store: &store::Store,
    user: &model::User,
    req: &NewTokenRequest,
    actor: &store::Actor,
    now_ms: i64,
) -> Result<IssuedToken, ApiError> {
    let expires_ms = match req.expires_in_days {
        None => None,
        Some(d) if (1..=MAX_TOKEN_DAYS).contains(&d) => Some(now_ms + i64::from(d) * 86_400_000),
        Some(d) => {
            return Err(ApiError::bad_request(
                "expires_in_days",
                format!("expires_in_days must be 1-{MAX_TOKEN_DAYS}, not {d}"),
            ));
        }
    };
    let label = req.label.as_deref().unwrap_or("api").trim();
    if label.is_empty() || label.len() > 100 {
        return Err(ApiError::bad_request(
            "label",
            "label must be 1-100 characters",
        ));
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token = model::format_token(secret);
    let info = state_store
        .issue_token(
            user,
            &model::token_hash(&token),
            label,
            expires_ms,
            actor,
            now_ms,
        )
        .await?;
    Ok(IssuedToken {
        token,
        info: (&info).into(),
    })
}

/// Issues a token for a user. The response is the only time the token is shown.
#[utoipa::path(post, path = "/api/v1/users/{name}/tokens", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path, description = "user name; URL-encode a '/' as %2F")),
    request_body = NewTokenRequest,
    responses((status = 201, body = IssuedToken), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub(super) async fn issue_token(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiJson(req): ApiJson<NewTokenRequest>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    auth.require(&state, Role::Admin).await?;
    let user = state.store.user_by_name(&name).await?;
    let issued = issue_token_for(&state.store, &user, &req, &auth.actor(), state.now_ms()).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Filter of the token list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct TokenFilter {
    /// Only this user's tokens (by name).
    user: Option<String>,
}

/// Tokens (metadata only), newest first.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "admin", security(("bearer" = [])),
    params(TokenFilter),
    responses((status = 200, body = Vec<TokenDto>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn list_tokens(
    auth: Auth,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<TokenFilter>,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    auth.require(&state, Role::Admin).await?;
    let user_id = match q.user {
        Some(name) => Some(state.store.user_by_name(&name).await?.id),
        None => None,
    };
    let tokens = state.store.tokens(user_id.as_deref()).await?;
    Ok(Json(tokens.iter().map(TokenDto::from).collect()))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "token id")),
    responses((status = 200, body = TokenDto), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub(super) async fn revoke_token(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TokenDto>, ApiError> {
    auth.require(&state, Role::Admin).await?;
    let info = state
        .store
        .revoke_token(&id, &auth.actor(), state.now_ms())
        .await?;
    Ok(Json((&info).into()))
}

/// Paging of the audit table.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct AuditPage {
    /// How many events (1-1000, default 100).
    limit: Option<u32>,
    /// Only events with a smaller id (the last id of the previous page).
    before: Option<i64>,
}

/// The audit table, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", security(("bearer" = [])),
    params(AuditPage),
    responses((status = 200, body = Vec<AuditDto>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(super) async fn list_audit(
    auth: Auth,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AuditPage>,
) -> Result<Json<Vec<AuditDto>>, ApiError> {
    auth.require(&state, Role::Admin).await?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("limit", "limit must be 1-1000"));
    }
    let events = state.store.audit_events(limit, q.before).await?;
    Ok(Json(events.into_iter().map(AuditDto::from).collect()))
}
