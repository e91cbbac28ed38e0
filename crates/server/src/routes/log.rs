//! The signed log and sharing groups: tree heads and proofs anyone holding
//! a token can check, and the groups records can be shared with.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use model::Role;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Auth;
use crate::dto::{
    ConsistencyProofDto, GroupDto, InclusionProofDto, NewGroupRequest, TreeHeadDto, hex_all,
};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};

/// The latest signed tree head of the node's record log.
#[utoipa::path(get, path = "/api/v1/log/tree-head", tag = "log", security(("bearer" = [])),
    responses((status = 200, body = TreeHeadDto), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub(super) async fn tree_head(
    _auth: Auth,
    State(state): State<AppState>,
) -> Result<Json<TreeHeadDto>, ApiError> {
    let head = state
        .store
        .latest_tree_head()
        .await?
        .ok_or_else(|| ApiError::not_found("the log is empty: no tree head yet"))?;
    Ok(Json(TreeHeadDto::new(&head, &state.ledger.public_key())))
}

/// Parameters of an inclusion proof.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct InclusionQuery {
    /// The leaf's index (a record version's `seq`).
    seq: u64,
    /// The tree size to prove against (default: the current size).
    tree_size: Option<u64>,
}

/// An RFC 9162 inclusion proof of log entry `seq`. Proofs are hashes only
/// and reveal nothing of any record's content.
#[utoipa::path(get, path = "/api/v1/log/proof/inclusion", tag = "log", security(("bearer" = [])),
    params(InclusionQuery),
    responses((status = 200, body = InclusionProofDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn inclusion_proof(
    _auth: Auth,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> Result<Json<InclusionProofDto>, ApiError> {
    let tree_size = match q.tree_size {
        Some(n) => n,
        None => state.ledger.log_size().await?,
    };
    let (leaf, proof) = state
        .ledger
        .inclusion_proof(q.seq, tree_size)
        .await
        .map_err(|e| ApiError::from(e).with_field("seq"))?;
    Ok(Json(InclusionProofDto {
        leaf_index: q.seq,
        tree_size,
        leaf_hash: leaf.to_hex(),
        audit_path: hex_all(&proof),
    }))
}

/// Parameters of a consistency proof.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsistencyQuery {
    /// The earlier tree size.
    old_size: u64,
    /// The later tree size (default: the current size).
    new_size: Option<u64>,
}

/// An RFC 9162 consistency proof: the log at `new_size` extends the log
/// at `old_size`.
#[utoipa::path(get, path = "/api/v1/log/proof/consistency", tag = "log", security(("bearer" = [])),
    params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyProofDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn consistency_proof(
    _auth: Auth,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> Result<Json<ConsistencyProofDto>, ApiError> {
    let new_size = match q.new_size {
        Some(n) => n,
        None => state.ledger.log_size().await?,
    };
    let proof = state
        .ledger
        .consistency_proof(q.old_size, new_size)
        .await
        .map_err(|e| ApiError::from(e).with_field("old_size"))?;
    Ok(Json(ConsistencyProofDto {
        old_size: q.old_size,
        new_size,
        proof: hex_all(&proof),
    }))
}

/// Sharing groups the caller's member is in.
#[utoipa::path(get, path = "/api/v1/groups", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = Vec<GroupDto>), (status = 401, body = ErrorBody)))]
pub(super) async fn list_groups(
    auth: Auth,
    State(state): State<AppState>,
) -> Result<Json<Vec<GroupDto>>, ApiError> {
    let groups = state.store.sharing_groups().await?;
    Ok(Json(
        groups
            .into_iter()
            .filter(|(_, members)| members.contains(&auth.user.member))
            .map(|(id, members)| GroupDto {
                id,
                members: members.iter().map(|m| m.as_str().to_owned()).collect(),
            })
            .collect(),
    ))
}

/// Creates a sharing group owned by the caller's member (coordinator or
/// above).
#[utoipa::path(post, path = "/api/v1/groups", tag = "reports", security(("bearer" = [])),
    request_body = NewGroupRequest,
    responses((status = 201, body = GroupDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn add_group(
    auth: Auth,
    State(state): State<AppState>,
    ApiJson(req): ApiJson<NewGroupRequest>,
) -> Result<(StatusCode, Json<GroupDto>), ApiError> {
    auth.require(&state, Role::Coordinator).await?;
    let reference = state.reference();
    let members = req
        .members
        .iter()
        .map(|m| reference.member(m).map(|m| m.code))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::bad_request("members", e.to_string()))?;
    state
        .store
        .add_sharing_group(
            &req.id,
            &req.name,
            auth.user.member,
            &members,
            &auth.actor(),
            state.now_ms(),
        )
        .await?;
    let groups = state.store.sharing_groups().await?;
    let members = groups.get(&req.id).cloned().unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(GroupDto {
            id: req.id,
            members: members.iter().map(|m| m.as_str().to_owned()).collect(),
        }),
    ))
}
