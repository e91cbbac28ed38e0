//! Pledges and joint operations: file and withdraw pledges; propose, vote
//! on, decide, task, report on, close and plan operations. The rules live
//! in [`crate::joint`], shared with the command line; these handlers only
//! authenticate, check the role, and translate.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use model::Role;
use model::record::RecordId;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use crate::auth::Auth;
use crate::dto::{RecordDto, ReportPageDto, RetractRequest};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::joint::{
    CloseRequest, Desk, OperationQuery, OperationView, PledgeQuery, SitrepRequest, TaskRequest,
    VoteRequest, Writer,
};
use crate::{AppState, Policy};

fn record_id(raw: &str) -> Result<RecordId, ApiError> {
    raw.parse()
        .map_err(|e: model::record::BadRecordId| ApiError::bad_request("id", e.to_string()))
}

fn desk<'a>(state: &'a AppState, auth: &Auth, policy: &'a Policy) -> Desk<'a> {
    Desk {
        store: &state.store,
        policy,
        member: auth.user.member,
        agency: Some(auth.user.agency.clone()),
        now: state.now(),
    }
}

/// The pledges the caller may see (standing offers of assets), newest
/// first.
#[utoipa::path(get, path = "/api/v1/pledges", tag = "operations", security(("bearer" = [])),
    params(PledgeQuery),
    responses((status = 200, body = ReportPageDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub(super) async fn list_pledges(
    auth: Auth,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PledgeQuery>,
) -> Result<Json<ReportPageDto>, ApiError> {
    let policy = state.policy().await?;
    Ok(Json(
        desk(&state, &auth, &policy).list_pledges(&query).await?,
    ))
}

/// Files a pledge for the caller's member (analyst or above):
/// `{asset_type, quantity, readiness_hours, base (GeoJSON Point), and
/// optionally agency, speed_knots, endurance_days, military, caveats
/// {functions, excluded_areas, excluded_partners, max_duration_days},
/// title, function, description, distribution}`. Shared with all members
/// at TLP:GREEN unless `distribution` says otherwise.
#[utoipa::path(post, path = "/api/v1/pledges", tag = "operations", security(("bearer" = [])),
    request_body(content = Object, description = "A pledge"),
    responses((status = 201, body = RecordDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(super) async fn add_pledge(
    auth: Auth,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<RecordDto>), ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let policy = state.policy().await?;
    let actor = auth.actor();
    let w = Writer {
        ledger: &state.ledger,
        actor: &actor,
    };
    let dto = desk(&state, &auth, &policy).add_pledge(w, &body).await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// One pledge, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/pledges/{id}", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pledge record id (UUID)")),
    responses((status = 200, body = RecordDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn show_pledge(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RecordDto>, ApiError> {
    let id = record_id(&id)?;
    let policy = state.policy().await?;
    Ok(Json(desk(&state, &auth, &policy).show_pledge(id).await?))
}

/// Withdraws a pledge (its member only): `{"reason"}`. A signed tombstone
/// hides it from lists and plans; the log keeps every version.
#[utoipa::path(delete, path = "/api/v1/pledges/{id}", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pledge record id (UUID)")),
    request_body = RetractRequest,
    responses((status = 200, body = RecordDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn withdraw_pledge(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<RetractRequest>,
) -> Result<Json<RecordDto>, ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let id = record_id(&id)?;
    let policy = state.policy().await?;
    let actor = auth.actor();
    let w = Writer {
        ledger: &state.ledger,
        actor: &actor,
    };
    Ok(Json(
        desk(&state, &auth, &policy)
            .withdraw_pledge(w, id, &req.reason)
            .await?,
    ))
}

/// The operations the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/operations", tag = "operations", security(("bearer" = [])),
    params(OperationQuery),
    responses((status = 200, body = ReportPageDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn list_operations(
    auth: Auth,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OperationQuery>,
) -> Result<Json<ReportPageDto>, ApiError> {
    let policy = state.policy().await?;
    Ok(Json(
        desk(&state, &auth, &policy).list_operations(&query).await?,
    ))
}

/// Proposes an operation in a forum the caller's member belongs to
/// (analyst or above): `{title, area (GeoJSON Polygon), forum, window
/// {start, end}, hosts, requirements [{asset_type, quantity, deadline,
/// priority}], decision_deadline, and optionally function, consent
/// {declined_members, declined_asset_classes, note}, place, description,
/// distribution}`. Shared with the forum at TLP:AMBER unless
/// `distribution` says otherwise.
#[utoipa::path(post, path = "/api/v1/operations", tag = "operations", security(("bearer" = [])),
    request_body(content = Object, description = "A proposed operation"),
    responses((status = 201, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(super) async fn propose_operation(
    auth: Auth,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<OperationView>), ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let policy = state.policy().await?;
    let actor = auth.actor();
    let w = Writer {
        ledger: &state.ledger,
        actor: &actor,
    };
    let view = desk(&state, &auth, &policy).propose(w, &body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// An operation with its state, and the votes and situation reports the
/// caller may see.
#[utoipa::path(get, path = "/api/v1/operations/{id}", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)")),
    responses((status = 200, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub(super) async fn show_operation(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OperationView>, ApiError> {
    let id = record_id(&id)?;
    let policy = state.policy().await?;
    Ok(Json(desk(&state, &auth, &policy).show_operation(id).await?))
}

/// The ways an operation moves on, each a POST under the operation.
enum Step {
    Vote(VoteRequest),
    Decide,
    Task(TaskRequest),
    Sitrep(SitrepRequest),
    Close(CloseRequest),
}

async fn step(
    auth: Auth,
    state: AppState,
    id: &str,
    step: Step,
) -> Result<Json<OperationView>, ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let id = record_id(id)?;
    let policy = state.policy().await?;
    let actor = auth.actor();
    let w = Writer {
        ledger: &state.ledger,
        actor: &actor,
    };
    let d = desk(&state, &auth, &policy);
    let view = match step {
        Step::Vote(req) => d.vote(w, id, &req).await?,
        Step::Decide => d.decide(w, id).await?,
        Step::Task(req) => d.task(w, id, &req).await?,
        Step::Sitrep(req) => d.sitrep(w, id, &req).await?,
        Step::Close(req) => d.close(w, id, &req).await?,
    };
    Ok(Json(view))
}

/// Votes on a proposed operation (a member of its forum, before the
/// decision deadline): `{position: support|object|abstain, comment?}`.
/// A later vote by the same member replaces the earlier one in the count.
#[utoipa::path(post, path = "/api/v1/operations/{id}/votes", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)")),
    request_body = VoteRequest,
    responses((status = 200, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn vote(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<VoteRequest>,
) -> Result<Json<OperationView>, ApiError> {
    step(auth, state, &id, Step::Vote(req)).await
}

/// Decides a proposed operation by its forum's rule (the proposing member
/// only): after the decision deadline, or before it once every forum
/// member has answered. The tally is written into the operation.
#[utoipa::path(post, path = "/api/v1/operations/{id}/decision", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)")),
    responses((status = 200, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn decide(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OperationView>, ApiError> {
    step(auth, state, &id, Step::Decide).await
}

/// Tasks a member in an approved or active operation (the proposing member
/// only): `{member, asset_type, quantity}`. Refused for what the hosts
/// decline.
#[utoipa::path(post, path = "/api/v1/operations/{id}/tasks", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)")),
    request_body = TaskRequest,
    responses((status = 200, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn task(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<TaskRequest>,
) -> Result<Json<OperationView>, ApiError> {
    step(auth, state, &id, Step::Task(req)).await
}

/// Files a situation report on an active operation (a host or a tasked
/// member): `{text, figures?}`.
#[utoipa::path(post, path = "/api/v1/operations/{id}/sitreps", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)")),
    request_body = SitrepRequest,
    responses((status = 200, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn sitrep(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<SitrepRequest>,
) -> Result<Json<OperationView>, ApiError> {
    step(auth, state, &id, Step::Sitrep(req)).await
}

/// Closes an approved or active operation with its after-action record
/// (the proposing member only): `{after_action}`. Nothing follows.
#[utoipa::path(post, path = "/api/v1/operations/{id}/close", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)")),
    request_body = CloseRequest,
    responses((status = 200, body = OperationView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn close(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<CloseRequest>,
) -> Result<Json<OperationView>, ApiError> {
    step(auth, state, &id, Step::Close(req)).await
}

/// The plan's policy.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct PlanQuery {
    /// inclusive (default), lean, fast or shared.
    pub policy: Option<String>,
    /// Seconds the planner may take, at most 25 (default 20, under the
    /// request timeout). Past it the answer is the best plan found, no
    /// worse than greedy, with `status` `time-limit` or `greedy` instead
    /// of `optimal`.
    // Text, so that a malformed value is refused naming this field.
    pub time_limit: Option<String>,
}

/// The planner's time when a request does not say.
const DEFAULT_PLAN_SECONDS: f64 = 20.0;
/// The most a request may ask for: the answer must beat the 30 s timeout.
const MAX_PLAN_SECONDS: f64 = 25.0;

impl PlanQuery {
    fn time_limit(&self) -> Result<std::time::Duration, ApiError> {
        let secs = match self.time_limit.as_deref() {
            None => DEFAULT_PLAN_SECONDS,
            Some(text) => text.parse::<f64>().map_err(|_| {
                ApiError::bad_request(
                    "time_limit",
                    format!("expected a number of seconds, not {text:?}"),
                )
            })?,
        };
        if !(secs > 0.0 && secs <= MAX_PLAN_SECONDS) {
            return Err(ApiError::bad_request(
                "time_limit",
                format!("expected seconds above 0 and at most {MAX_PLAN_SECONDS}, not {secs}"),
            ));
        }
        Ok(std::time::Duration::from_secs_f64(secs))
    }
}

/// A coalition plan for the operation over the pledges the caller may see
/// and that are not withdrawn: assignments, unmet requirements with their
/// diagnosis, participants, objectives, why each member is in or out, and
/// the pledges that could not be used. `status` says whether it is proven
/// optimal or the time limit cut the search short.
#[utoipa::path(get, path = "/api/v1/operations/{id}/plan", tag = "operations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Operation record id (UUID)"), PlanQuery),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn plan(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<PlanQuery>,
) -> Result<Json<crate::joint::PlanView>, ApiError> {
    let id = record_id(&id)?;
    let policy_choice: ops::Policy = query
        .policy
        .as_deref()
        .unwrap_or("inclusive")
        .parse()
        .map_err(|e: String| ApiError::bad_request("policy", e))?;
    let limit = query.time_limit()?;
    let policy = state.policy().await?;
    Ok(Json(
        desk(&state, &auth, &policy)
            .plan(id, policy_choice, Some(limit))
            .await?,
    ))
}
