//! Queries of the reference architecture.

use axum::Json;
use axum::extract::State;
use model::{Function, SetOp};
use serde::Deserialize;
use utoipa::IntoParams;

use super::as_of;
use crate::AppState;
use crate::auth::Auth;
use crate::dto::{
    CombinationDto, ComparisonDto, ForumDetail, ForumList, ForumMembers, FunctionDto, MemberDto,
    MemberProfile,
};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};

/// `?as_of=YYYY-MM-DD` (default: today).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct AsOf {
    /// The date to answer for, YYYY-MM-DD; today if absent.
    as_of: Option<String>,
}

/// Filters of the forum list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ForumFilter {
    /// The date to answer for, YYYY-MM-DD; today if absent.
    as_of: Option<String>,
    /// Only forums mandated for this function.
    function: Option<String>,
    /// Only forums that include every one of these members (comma-separated codes).
    members: Option<String>,
}

/// The set operation to apply.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct Combine {
    /// `union`, `intersection` or `difference` (first minus the rest).
    op: String,
    /// Comma-separated forum ids, at least one.
    forums: String,
    /// The date to answer for, YYYY-MM-DD; today if absent.
    as_of: Option<String>,
}

fn comma_list(raw: Option<&str>) -> Vec<&str> {
    raw.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// The functions forums are mandated for.
#[utoipa::path(get, path = "/api/v1/functions", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = Vec<FunctionDto>), (status = 401, body = ErrorBody)))]
pub(super) async fn list_functions(_auth: Auth) -> Json<Vec<FunctionDto>> {
    Json(
        Function::ALL
            .iter()
            .map(|f| FunctionDto {
                id: f.id().into(),
                name: f.name().into(),
            })
            .collect(),
    )
}

/// Every member known to the node.
#[utoipa::path(get, path = "/api/v1/members", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = Vec<MemberDto>), (status = 401, body = ErrorBody)))]
pub(super) async fn list_members(
    _auth: Auth,
    State(state): State<AppState>,
) -> Json<Vec<MemberDto>> {
    Json(state.reference().members().map(MemberDto::from).collect())
}

/// A member's profile: every layer it belongs to, with dates.
#[utoipa::path(get, path = "/api/v1/members/{code}", tag = "reference", security(("bearer" = [])),
    params(("code" = String, Path, description = "member code, e.g. JPN"), AsOf),
    responses((status = 200, body = MemberProfile), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn show_member(
    _auth: Auth,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<MemberProfile>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    let member = data.member(&code)?;
    let entries = data.profile(&code)?;
    Ok(Json(MemberProfile::new(&data, member, &entries, date)))
}

/// The forums a member belongs to on a date.
#[utoipa::path(get, path = "/api/v1/members/{code}/forums", tag = "reference", security(("bearer" = [])),
    params(("code" = String, Path, description = "member code, e.g. JPN"), AsOf),
    responses((status = 200, body = ForumList), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn member_forums(
    _auth: Auth,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<ForumList>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    let forums = data.forums_of(&code, date)?;
    Ok(Json(ForumList::new(&data, &forums, date)))
}

/// Forums, optionally only those mandated for a function and including
/// given members on the date.
#[utoipa::path(get, path = "/api/v1/forums", tag = "reference", security(("bearer" = [])),
    params(ForumFilter),
    responses((status = 200, body = ForumList), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub(super) async fn list_forums(
    _auth: Auth,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ForumFilter>,
) -> Result<Json<ForumList>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    let function = q
        .function
        .as_deref()
        .map(|f| f.parse::<Function>())
        .transpose()
        .map_err(|e| ApiError::bad_request("function", e.to_string()))?;
    let members = comma_list(q.members.as_deref());
    let forums = data
        .forums_for(function, &members, date)
        .map_err(|e| ApiError::bad_request("members", e.to_string()))?;
    Ok(Json(ForumList::new(&data, &forums, date)))
}

/// One forum in full, with its members on the date.
#[utoipa::path(get, path = "/api/v1/forums/{id}", tag = "reference", security(("bearer" = [])),
    params(("id" = String, Path, description = "forum id, e.g. asean"), AsOf),
    responses((status = 200, body = ForumDetail), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn show_forum(
    _auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<ForumDetail>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    Ok(Json(ForumDetail::new(&data, &id, date)?))
}

/// The members of a forum on a date.
#[utoipa::path(get, path = "/api/v1/forums/{id}/members", tag = "reference", security(("bearer" = [])),
    params(("id" = String, Path, description = "forum id, e.g. eas"), AsOf),
    responses((status = 200, body = ForumMembers), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn forum_members(
    _auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<ForumMembers>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    Ok(Json(ForumMembers::new(&data, &id, date)?))
}

/// Members in both forums, only in the first and only in the second.
#[utoipa::path(get, path = "/api/v1/forums/{id}/compare/{other}", tag = "reference", security(("bearer" = [])),
    params(("id" = String, Path, description = "first forum"),
           ("other" = String, Path, description = "second forum"), AsOf),
    responses((status = 200, body = ComparisonDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn compare_forums(
    _auth: Auth,
    State(state): State<AppState>,
    ApiPath((id, other)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<ComparisonDto>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    let c = data.compare(&id, &other, date)?;
    let first = data.forum(&id)?.id.to_string();
    let second = data.forum(&other)?.id.to_string();
    Ok(Json(ComparisonDto::new(&data, &first, &second, date, &c)))
}

/// Union, intersection or difference of several forums' memberships.
#[utoipa::path(get, path = "/api/v1/memberships/combine", tag = "reference", security(("bearer" = [])),
    params(Combine),
    responses((status = 200, body = CombinationDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn combine_forums(
    _auth: Auth,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Combine>,
) -> Result<Json<CombinationDto>, ApiError> {
    let data = state.reference();
    let date = as_of(&state, q.as_of.as_deref())?;
    let op: SetOp =
        q.op.parse()
            .map_err(|e: String| ApiError::bad_request("op", e))?;
    let forums = comma_list(Some(&q.forums));
    if forums.is_empty() {
        return Err(ApiError::bad_request("forums", "name at least one forum"));
    }
    Ok(Json(CombinationDto::new(&data, op, &forums, date)?))
}
