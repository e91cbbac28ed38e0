//! Reports: create, read, update, retract, search and export. Every read
//! goes through the store's policy-filtered queries; every write through
//! the node's ledger, which signs and logs it.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use model::record::{Draft, Geometry, RecordId};
use model::report::ReportKind;
use model::{Audience, Function, PolicyContext, Reader, ReferenceData, Role};
use rand::RngCore;
use serde::Deserialize;
use serde_json::Value;
use store::{ReportFilter, StatusFilter, Store, StoredRecord};
use utoipa::IntoParams;

use crate::auth::Auth;
use crate::dto::{RecordDto, RecordHistoryDto, ReportPageDto, RetractRequest};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, Policy};

/// Search filters, as query parameters (also what `easf report list` takes).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Function id (`piracy`, `disaster`, ...).
    pub function: Option<String>,
    /// Report kind (`piracy`, `outbreak`, ...).
    pub kind: Option<String>,
    /// Observed at or after: RFC 3339 time or YYYY-MM-DD.
    pub from: Option<String>,
    /// Observed before: RFC 3339 time or YYYY-MM-DD.
    pub to: Option<String>,
    /// Bounding box `west,south,east,north` in degrees.
    pub bbox: Option<String>,
    /// A GeoJSON Polygon (JSON text) the location must touch.
    pub polygon: Option<String>,
    /// Originating member code.
    pub member: Option<String>,
    /// Free text in title, place or description (case-insensitive).
    pub q: Option<String>,
    /// `active` (default), `retracted` or `all`.
    pub status: Option<String>,
    /// Page size, 1-1000 (default 50).
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Also count matches by function, kind, originator and TLP.
    pub facets: Option<bool>,
    /// Export only: `stix`, `geojson` or `csv`.
    pub format: Option<String>,
}

fn parse_time(field: &str, raw: &str, end_of_day: bool) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(
            field,
            format!("invalid time {raw:?}: expected YYYY-MM-DD or an RFC 3339 time"),
        )
    })?;
    let day = if end_of_day {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(day.and_time(chrono::NaiveTime::MIN).and_utc())
}

impl ReportQuery {
    /// The store filter, with every parameter checked and the faulty one
    /// named.
    pub fn to_filter(&self, reference: &ReferenceData) -> Result<ReportFilter, ApiError> {
        let bad =
            |field: &str, e: &dyn std::fmt::Display| ApiError::bad_request(field, e.to_string());
        let mut filter = ReportFilter {
            function: self
                .function
                .as_deref()
                .map(str::parse::<Function>)
                .transpose()
                .map_err(|e| bad("function", &e))?,
            kind: self
                .kind
                .as_deref()
                .map(str::parse::<ReportKind>)
                .transpose()
                .map_err(|e| bad("kind", &e))?,
            from: self
                .from
                .as_deref()
                .map(|t| parse_time("from", t, false))
                .transpose()?,
            // A bare date as `to` includes that whole day.
            to: self
                .to
                .as_deref()
                .map(|t| parse_time("to", t, true))
                .transpose()?,
            bbox: self
                .bbox
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| bad("bbox", &e))?,
            member: self
                .member
                .as_deref()
                .map(|m| reference.member(m).map(|m| m.code))
                .transpose()
                .map_err(|e| bad("member", &e))?,
            text: self.q.clone(),
            limit: self.limit.unwrap_or(0),
            facets: self.facets.unwrap_or(false),
            ..ReportFilter::default()
        };
        if let Some(limit) = self.limit
            && !(1..=store::MAX_LIMIT).contains(&limit)
        {
            return Err(ApiError::bad_request(
                "limit",
                format!("limit must be 1-{}", store::MAX_LIMIT),
            ));
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from >= to
        {
            return Err(ApiError::bad_request("to", "`to` must be after `from`"));
        }
        if let Some(p) = &self.polygon {
            let g: Geometry = serde_json::from_str(p).map_err(|e| bad("polygon", &e))?;
            g.validate().map_err(|e| bad("polygon", &e))?;
            if !matches!(g, Geometry::Polygon { .. }) {
                return Err(ApiError::bad_request(
                    "polygon",
                    "expected a GeoJSON Polygon",
                ));
            }
            filter.polygon = Some(g);
        }
        filter.status = match self.status.as_deref() {
            None | Some("active") => StatusFilter::Active,
            Some("retracted") => StatusFilter::Retracted,
            Some("all") => StatusFilter::All,
            Some(other) => {
                return Err(ApiError::bad_request(
                    "status",
                    format!("unknown status {other:?}: expected active, retracted or all"),
                ));
            }
        };
        filter.cursor = self
            .cursor
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| bad("cursor", &e))?;
        Ok(filter)
    }
}

/// Checks a report draft: [`check_shared`], and that it is not a joint
/// operations record, which has its own routes and rules (pledges are
/// checked against the capability catalogue; operations, votes and
/// situation reports follow the operation's lifecycle).
pub fn check_draft(
    draft: &Draft,
    reference: &ReferenceData,
    groups: &std::collections::BTreeMap<String, Vec<model::MemberCode>>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let kind = draft.content.body.kind();
    let route = match kind {
        ReportKind::Pledge => Some("/api/v1/pledges (easf pledge add)"),
        ReportKind::Operation | ReportKind::Vote | ReportKind::Sitrep => {
            Some("/api/v1/operations (easf op propose, vote, sitrep)")
        }
        _ => None,
    };
    if let Some(route) = route {
        return Err(ApiError::bad_request(
            "kind",
            format!("{kind} records are filed through {route}, which check them"),
        ));
    }
    check_shared(draft, reference, groups, now)
}

/// Checks that a draft's audience names things that exist and that its
/// time is not in the future.
pub fn check_shared(
    draft: &Draft,
    reference: &ReferenceData,
    groups: &std::collections::BTreeMap<String, Vec<model::MemberCode>>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let field = "distribution.audience";
    match draft.distribution.audience() {
        Audience::Forum { forum } => {
            reference
                .forum(forum.as_str())
                .map_err(|e| ApiError::bad_request(field, e.to_string()))?;
        }
        Audience::Members { members } => {
            for m in members {
                reference
                    .member(m.as_str())
                    .map_err(|e| ApiError::bad_request(field, e.to_string()))?;
            }
        }
        Audience::Group { group } if !groups.contains_key(group) => {
            return Err(ApiError::bad_request(
                field,
                format!("unknown sharing group {group:?}"),
            ));
        }
        _ => {}
    }
    // A little slack for clocks that run ahead; a week ahead is a typo.
    if draft.content.observed_at > now + Duration::hours(1) {
        return Err(ApiError::bad_request(
            "observed_at",
            "observed_at is in the future",
        ));
    }
    Ok(())
}

fn parse_draft(
    body: &Value,
    auth: &Auth,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Draft, ApiError> {
    let mut draft = Draft::parse(body).map_err(|e| ApiError::invalid_fields(&e))?;
    check_draft(&draft, &policy.reference, &policy.groups, now)?;
    if draft.agency.is_none() {
        draft.agency = Some(auth.user.agency.clone());
    }
    Ok(draft)
}

fn record_id(raw: &str) -> Result<RecordId, ApiError> {
    raw.parse()
        .map_err(|e: model::record::BadRecordId| ApiError::bad_request("id", e.to_string()))
}

/// Searches the reports the caller may see.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", security(("bearer" = [])),
    params(ReportQuery),
    responses((status = 200, body = ReportPageDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub(super) async fn search_reports(
    auth: Auth,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<ReportPageDto>, ApiError> {
    if query.format.is_some() {
        return Err(ApiError::bad_request(
            "format",
            "format belongs to /api/v1/reports/export",
        ));
    }
    let policy = state.policy().await?;
    let filter = query.to_filter(&policy.reference)?;
    let page = state
        .store
        .search_records(&filter, auth.reader(), &policy.context(state.today()))
        .await?;
    Ok(Json(page.into()))
}

/// Files a new report for the caller's member (analyst or above). The body
/// is `{kind, title, observed_at, body, distribution, and optionally
/// function, location, place, description, agency, source_ref}`; the JSON
/// Schema of each kind's body is at `/api/v1/report-kinds/{kind}/schema`.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", security(("bearer" = [])),
    request_body(content = Object, description = "A report draft"),
    responses((status = 201, body = RecordDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(super) async fn create_report(
    auth: Auth,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<(StatusCode, Json<RecordDto>), ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let policy = state.policy().await?;
    let now = state.now();
    let draft = parse_draft(&body, &auth, &policy, now)?;
    let mut random = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut random);
    let version = state
        .ledger
        .create(auth.user.member, draft, &auth.actor(), now, random)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(stored(&state, version.id, auth.reader(), &policy).await?),
    ))
}

async fn stored(
    state: &AppState,
    id: RecordId,
    reader: Reader,
    policy: &Policy,
) -> Result<RecordDto, ApiError> {
    let history = state
        .store
        .record_history(id, reader, &policy.context(state.today()))
        .await?;
    Ok(RecordDto::from(&history.latest))
}

/// A report with the versions the caller may see.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "Record id (UUID)")),
    responses((status = 200, body = RecordHistoryDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn show_report(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RecordHistoryDto>, ApiError> {
    let id = record_id(&id)?;
    let policy = state.policy().await?;
    let history = state
        .store
        .record_history(id, auth.reader(), &policy.context(state.today()))
        .await?;
    Ok(Json(history.into()))
}

/// Replaces a report with a new version (its originating member only).
#[utoipa::path(put, path = "/api/v1/reports/{id}", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "Record id (UUID)")),
    request_body(content = Object, description = "The new version, same shape as for POST"),
    responses((status = 200, body = RecordDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn update_report(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<RecordDto>, ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let id = record_id(&id)?;
    let policy = state.policy().await?;
    let now = state.now();
    // Someone who cannot see the record must not learn it exists.
    stored(&state, id, auth.reader(), &policy).await?;
    let draft = parse_draft(&body, &auth, &policy, now)?;
    state
        .ledger
        .update(id, auth.user.member, draft, &auth.actor(), now)
        .await?;
    Ok(Json(stored(&state, id, auth.reader(), &policy).await?))
}

/// Retracts a report (its originating member only): a signed tombstone
/// hides the content from ordinary reads; the log keeps every version.
#[utoipa::path(delete, path = "/api/v1/reports/{id}", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "Record id (UUID)")),
    request_body = RetractRequest,
    responses((status = 200, body = RecordDto), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn retract_report(
    auth: Auth,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<RetractRequest>,
) -> Result<Json<RecordDto>, ApiError> {
    auth.require(&state, Role::Analyst).await?;
    let id = record_id(&id)?;
    let policy = state.policy().await?;
    stored(&state, id, auth.reader(), &policy).await?;
    state
        .ledger
        .retract(
            id,
            auth.user.member,
            &req.reason,
            &auth.actor(),
            state.now(),
        )
        .await?;
    Ok(Json(stored(&state, id, auth.reader(), &policy).await?))
}

/// The JSON Schema of a report kind's body.
#[utoipa::path(get, path = "/api/v1/report-kinds/{kind}/schema", tag = "reports", security(("bearer" = [])),
    params(("kind" = String, Path, description = "piracy, disaster, outbreak, trafficking, proliferation, environment or energy")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn kind_schema(
    _auth: Auth,
    ApiPath(kind): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let kind: ReportKind = kind
        .parse()
        .map_err(|e: model::report::UnknownReportKind| {
            ApiError::not_found(e.to_string()).with_field("kind")
        })?;
    Ok(Json(model::report::schema(kind)))
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// A STIX 2.1 bundle.
    Stix,
    /// A GeoJSON FeatureCollection.
    Geojson,
    /// CSV with a header row.
    Csv,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "stix" => Ok(ExportFormat::Stix),
            "geojson" => Ok(ExportFormat::Geojson),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(format!(
                "unknown format {other:?}: expected stix, geojson or csv"
            )),
        }
    }
}

/// Every record matching `filter` that `reader` may see (all pages).
pub async fn collect_visible(
    store: &Store,
    filter: &ReportFilter,
    reader: Reader,
    ctx: &PolicyContext<'_>,
) -> Result<Vec<StoredRecord>, ApiError> {
    let mut filter = ReportFilter {
        limit: store::MAX_LIMIT,
        facets: false,
        ..filter.clone()
    };
    let mut all = Vec::new();
    loop {
        let page = store.search_records(&filter, reader, ctx).await?;
        all.extend(page.items);
        match page.next {
            Some(next) => filter.cursor = Some(next),
            None => return Ok(all),
        }
    }
}

/// Renders records in `format`: (content type, body).
pub fn render_export(
    records: &[StoredRecord],
    format: ExportFormat,
    reference: &ReferenceData,
) -> (&'static str, String) {
    match format {
        ExportFormat::Stix => {
            let entries: Vec<model::export::stix::Entry<'_>> = records
                .iter()
                .map(|r| model::export::stix::Entry {
                    version: &r.version,
                    created: r.created,
                })
                .collect();
            (
                "application/stix+json;version=2.1",
                model::export::stix::to_string(&entries, reference),
            )
        }
        ExportFormat::Geojson => {
            let versions = records.iter().map(|r| &r.version);
            (
                "application/geo+json",
                model::export::geojson::feature_collection(versions).to_string(),
            )
        }
        ExportFormat::Csv => {
            let versions = records.iter().map(|r| &r.version);
            (
                "text/csv; charset=utf-8",
                model::export::csv::to_string(versions),
            )
        }
    }
}

/// Exports the reports the caller may see as STIX 2.1, GeoJSON or CSV.
#[utoipa::path(get, path = "/api/v1/reports/export", tag = "reports", security(("bearer" = [])),
    params(ReportQuery),
    responses((status = 200, description = "The export: application/stix+json, application/geo+json or text/csv"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub(super) async fn export_reports(
    auth: Auth,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let format: ExportFormat = query
        .format
        .as_deref()
        .ok_or_else(|| ApiError::bad_request("format", "name a format: stix, geojson or csv"))?
        .parse()
        .map_err(|e: String| ApiError::bad_request("format", e))?;
    let policy = state.policy().await?;
    let filter = query.to_filter(&policy.reference)?;
    let records = collect_visible(
        &state.store,
        &filter,
        auth.reader(),
        &policy.context(state.today()),
    )
    .await?;
    let (content_type, body) = render_export(&records, format, &policy.reference);
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// Public reports (TLP:CLEAR, public audience) as GeoJSON: no token needed.
#[utoipa::path(get, path = "/feeds/public.geojson", tag = "reports",
    params(ReportQuery),
    responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub(super) async fn public_feed(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let policy = state.policy().await?;
    let filter = query.to_filter(&policy.reference)?;
    let page = state
        .store
        .search_records(&filter, Reader::Anonymous, &policy.context(state.today()))
        .await?;
    let (content_type, body) = render_export(&page.items, ExportFormat::Geojson, &policy.reference);
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}
