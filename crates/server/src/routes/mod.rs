//! Routes. Each handler carries a `#[utoipa::path]` annotation and is
//! registered with `routes!`, which adds it to the router and to the
//! OpenAPI document in one step, so the two cannot drift apart.

pub mod admin;
mod health;
mod log;
mod operations;
mod reference;
pub mod reports;
pub mod taxii;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::Uri;
use chrono::NaiveDate;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "EASF node API",
        description = "The East Asia Security Forum platform: the regional architecture as data, \
                       users and tokens. Every endpoint but /healthz needs `Authorization: Bearer <token>`.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "reference", description = "Members, forums and memberships as of a date"),
        (name = "admin", description = "Users, tokens and the audit table"),
        (name = "reports", description = "Signed reports shared under TLP 2.0 and an audience; search, export, sharing groups"),
        (name = "operations", description = "Capability pledges and joint operations: propose, vote, decide, task, report, close, plan"),
        (name = "log", description = "The node's Merkle log: signed tree heads and RFC 9162 proofs"),
        (name = "meta", description = "Health and the API description")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::openapi_json))
        .routes(routes!(admin::whoami))
        .routes(routes!(reference::list_functions))
        .routes(routes!(reference::list_members))
        .routes(routes!(reference::show_member))
        .routes(routes!(reference::member_forums))
        .routes(routes!(reference::list_forums))
        .routes(routes!(reference::show_forum))
        .routes(routes!(reference::forum_members))
        .routes(routes!(reference::compare_forums))
        .routes(routes!(reference::combine_forums))
        .routes(routes!(admin::list_users, admin::add_user))
        .routes(routes!(admin::issue_token))
        .routes(routes!(admin::list_tokens))
        .routes(routes!(admin::revoke_token))
        .routes(routes!(admin::list_audit))
        .routes(routes!(reports::search_reports, reports::create_report))
        .routes(routes!(reports::export_reports))
        .routes(routes!(
            reports::show_report,
            reports::update_report,
            reports::retract_report
        ))
        .routes(routes!(reports::kind_schema))
        .routes(routes!(reports::public_feed))
        .routes(routes!(operations::list_pledges, operations::add_pledge))
        .routes(routes!(
            operations::show_pledge,
            operations::withdraw_pledge
        ))
        .routes(routes!(
            operations::list_operations,
            operations::propose_operation
        ))
        .routes(routes!(operations::show_operation))
        .routes(routes!(operations::vote))
        .routes(routes!(operations::decide))
        .routes(routes!(operations::task))
        .routes(routes!(operations::sitrep))
        .routes(routes!(operations::close))
        .routes(routes!(operations::plan))
        .routes(routes!(log::tree_head))
        .routes(routes!(log::inclusion_proof))
        .routes(routes!(log::consistency_proof))
        .routes(routes!(log::list_groups, log::add_group))
        .routes(routes!(taxii::discovery))
        .routes(routes!(taxii::api_root))
        .routes(routes!(taxii::list_collections))
        .routes(routes!(taxii::show_collection))
        .routes(routes!(taxii::get_objects))
        .routes(routes!(taxii::get_manifest))
        .routes(routes!(taxii::get_object))
        .routes(routes!(taxii::get_versions))
}

/// The OpenAPI 3.1 document of every route the server serves.
pub fn openapi_document() -> Arc<utoipa::openapi::OpenApi> {
    static DOC: OnceLock<Arc<utoipa::openapi::OpenApi>> = OnceLock::new();
    DOC.get_or_init(|| Arc::new(api().split_for_parts().1))
        .clone()
}

pub(crate) fn router(state: AppState) -> Router {
    let (router, _) = api().split_for_parts();
    router
        .fallback(|uri: Uri| async move { ApiError::no_route(uri.path()) })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(state)
}

/// Reads an optional `as_of` date, defaulting to today.
fn as_of(state: &AppState, raw: Option<&str>) -> Result<NaiveDate, ApiError> {
    match raw {
        None | Some("") => Ok(state.today()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request("as_of", format!("invalid date {s:?}: expected YYYY-MM-DD"))
        }),
    }
}
