//! TAXII 2.1 (OASIS, *TAXII Version 2.1*, 2021): the node's records as
//! read-only collections of STIX 2.1 objects, for threat-intelligence tools.
//!
//! - `GET /taxii2/` (discovery) names one API root, `/taxii2/api1/`.
//! - The API root has one collection per function ([`Function::ALL`]).
//!   Collection ids are UUIDv5s of `taxii/collection/<function>` under the
//!   STIX exporter's namespace (`model::export::stix::NAMESPACE`); the
//!   function id is the collection's `alias` and is accepted in URLs too.
//! - A collection's objects are the STIX objects
//!   (`model::export::stix::record_objects`) of the record versions filed
//!   under its function that the caller may see. Every read goes through
//!   the store's policy-filtered queries (`Store::collection_records`,
//!   `Store::record_history`), so a member outside a record's audience
//!   meets none of its objects, manifest entries or versions. A retracted
//!   record shows only its tombstone: a revoked version of its incident,
//!   sighting and report.
//! - An object's versions are the record versions that contain it (its
//!   STIX `modified`); "date added" is the version's `reported_at`.
//!   Objects come in collection order (the record's latest report time,
//!   then log position), each record's versions oldest first. `next` is an
//!   opaque position in that order; `more` is true exactly when another
//!   matching object follows.
//!
//! Clients authenticate with the node's API tokens: `Authorization: Bearer
//! <token>`, or HTTP Basic with the token as the password (any user name).
//! Errors are TAXII error messages (`title`, `description`, `http_status`,
//! `error_code`, `details`); they also carry the node's usual `error`
//! object, so tools written for the JSON API read them the same way.

use std::collections::BTreeSet;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use model::export::stix::{self, Entry};
use model::export::timestamp;
use model::record::RecordVersion;
use model::{Function, PolicyContext, Reader};
use serde_json::{Map, Value, json};
use store::{CollectionItem, CollectionPosition, CollectionQuery, StoreError};

use crate::auth::Auth;
use crate::error::ApiError;
use crate::{AppState, MAX_BODY_BYTES};

/// The TAXII 2.1 media type, of every response here.
pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";

/// The STIX 2.1 media type, of the objects in the collections.
pub const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";

/// The one API root.
pub const API_ROOT: &str = "/taxii2/api1/";

/// Objects per page when the client names no limit.
const DEFAULT_LIMIT: usize = 100;

/// The most objects one page holds; a larger `limit` is lowered to this.
const MAX_LIMIT: usize = store::MAX_LIMIT as usize;

/// The id of a function's collection: the UUIDv5 of
/// `taxii/collection/<function id>` under `model::export::stix::NAMESPACE`,
/// fixed forever (clients store them).
pub fn collection_id(function: Function) -> &'static str {
    match function {
        Function::Disaster => "8c706746-1df8-52a2-9aa4-6b2b278209ee",
        Function::Piracy => "0d51510f-c6a2-502b-9fd6-019a5fb7a535",
        Function::Health => "fdadb813-fa8e-552c-83db-33dcc2eb0662",
        Function::Proliferation => "a55ad2f5-77e1-5218-bdeb-5d6cb5665f2e",
        Function::Trafficking => "bed6dae1-b4dc-5985-a8a2-c8263eff1828",
        Function::Environment => "6df1b7ed-8a43-59f6-9310-1df7eed53fdf",
        Function::Energy => "1b555fab-15bf-5087-9ed2-eafcfd64c67a",
        Function::Traditional => "2793fee0-65b1-5443-a2fc-35cd8d6b5811",
        Function::Finance => "15be1817-3b45-5803-b6ce-41b5f2139434",
    }
}

/// The function whose collection has this id (or alias).
fn collection(raw: &str) -> Result<Function, TaxiiError> {
    Function::ALL
        .into_iter()
        .find(|f| collection_id(*f).eq_ignore_ascii_case(raw) || f.id() == raw)
        .ok_or_else(|| {
            TaxiiError::new(
                StatusCode::NOT_FOUND,
                format!(
                    "no collection {raw:?} in this API root; list them at {API_ROOT}collections/"
                ),
            )
        })
}

// ---------------------------------------------------------------------------
// Errors

/// A TAXII error message, answered with the TAXII media type.
#[derive(Debug)]
pub(crate) struct TaxiiError {
    status: StatusCode,
    description: String,
    parameter: Option<&'static str>,
}

impl TaxiiError {
    fn new(status: StatusCode, description: impl Into<String>) -> TaxiiError {
        TaxiiError {
            status,
            description: description.into(),
            parameter: None,
        }
    }

    fn bad_parameter(parameter: &'static str, description: impl Into<String>) -> TaxiiError {
        TaxiiError {
            parameter: Some(parameter),
            ..TaxiiError::new(StatusCode::BAD_REQUEST, description)
        }
    }

    fn code(&self) -> &'static str {
        match self.status {
            StatusCode::BAD_REQUEST => "bad_request",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::NOT_ACCEPTABLE => "not_acceptable",
            StatusCode::CONFLICT => "conflict",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            s if s.is_server_error() => "internal",
            _ => "error",
        }
    }
}

impl From<ApiError> for TaxiiError {
    fn from(e: ApiError) -> TaxiiError {
        TaxiiError::new(e.status(), e.to_string())
    }
}

impl From<StoreError> for TaxiiError {
    fn from(e: StoreError) -> TaxiiError {
        ApiError::from(e).into()
    }
}

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        let code = self.code();
        let title = self.status.canonical_reason().unwrap_or("Error").to_owned();
        let mut body = json!({
            "title": title,
            "description": self.description,
            "error_code": code,
            "http_status": self.status.as_str(),
            "error": {"code": code, "message": self.description, "field": self.parameter},
        });
        if let Some(p) = self.parameter {
            body["details"] = json!({ "parameter": p });
        }
        taxii_response(self.status, &body, None)
    }
}

fn taxii_response(
    status: StatusCode,
    body: &Value,
    dates: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(TAXII_MEDIA_TYPE));
    if let Some((first, last)) = dates {
        for (name, t) in [
            ("x-taxii-date-added-first", first),
            ("x-taxii-date-added-last", last),
        ] {
            if let Ok(v) = HeaderValue::from_str(&timestamp(t)) {
                headers.insert(name, v);
            }
        }
    }
    (status, headers, body.to_string()).into_response()
}

// ---------------------------------------------------------------------------
// Authentication and content negotiation

/// The authenticated caller of a TAXII endpoint whose `Accept` admits the
/// TAXII media type. A Basic `Authorization` is read as a token in the
/// password; everything else is the node's [`Auth`].
#[derive(Debug)]
pub(crate) struct TaxiiAuth(Auth);

impl FromRequestParts<AppState> for TaxiiAuth {
    type Rejection = TaxiiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, TaxiiError> {
        let unauthorized = |m: &str| TaxiiError::new(StatusCode::UNAUTHORIZED, m);
        let Some(header) = parts.headers.get(AUTHORIZATION) else {
            return Err(unauthorized(
                "send an API token: Authorization: Bearer <token>, or HTTP Basic with the token as the password",
            ));
        };
        if let Some(basic) = header.to_str().ok().and_then(|h| strip_scheme(h, "Basic")) {
            let token = basic_password(basic).ok_or_else(|| {
                unauthorized("the Basic credentials must be base64 of user:token")
            })?;
            let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| unauthorized("the token is unknown, expired or revoked"))?;
            parts.headers.insert(AUTHORIZATION, bearer);
        }
        let auth = Auth::from_request_parts(parts, state).await?;
        check_accept(&parts.headers)?;
        Ok(TaxiiAuth(auth))
    }
}

/// The credentials after an authorization scheme, compared without case.
fn strip_scheme<'a>(header: &'a str, scheme: &str) -> Option<&'a str> {
    let (name, rest) = header.trim().split_once(' ')?;
    name.eq_ignore_ascii_case(scheme).then_some(rest.trim())
}

/// The password of HTTP Basic credentials (`base64(user:password)`).
fn basic_password(credentials: &str) -> Option<String> {
    let decoded = String::from_utf8(base64_decode(credentials)?).ok()?;
    let (_, password) = decoded.split_once(':')?;
    let password = password.trim();
    (!password.is_empty()).then(|| password.to_owned())
}

/// Standard base64 (RFC 4648 §4), padding optional.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Refuses with 406 an `Accept` that admits no TAXII 2.1 response. A
/// missing `Accept`, `*/*` and `application/*` are fine.
fn check_accept(headers: &HeaderMap) -> Result<(), TaxiiError> {
    let values: Vec<&str> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() || values.iter().all(|v| v.trim().is_empty()) {
        return Ok(());
    }
    let acceptable = values.iter().flat_map(|v| v.split(',')).any(accepts_taxii);
    if acceptable {
        Ok(())
    } else {
        Err(TaxiiError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "this endpoint answers {TAXII_MEDIA_TYPE} only; the Accept header was {:?}",
                values.join(", ")
            ),
        ))
    }
}

/// Whether one media range of an `Accept` header admits TAXII 2.1.
fn accepts_taxii(range: &str) -> bool {
    let mut parts = range.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default().to_ascii_lowercase();
    let mut version = None;
    for p in parts {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"');
        match k.trim().to_ascii_lowercase().as_str() {
            "q" if v.parse::<f32>().is_ok_and(|q| q <= 0.0) => return false,
            "version" => version = Some(v.to_owned()),
            _ => {}
        }
    }
    match media.as_str() {
        "*/*" | "application/*" => true,
        "application/taxii+json" => version.is_none_or(|v| v == "2.1"),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Filters

/// A position in a collection's object order: the record at `position`,
/// less the first `skip` objects this query yields for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    position: CollectionPosition,
    skip: usize,
}

impl Cursor {
    fn encode(self) -> String {
        format!("{}_{}", self.position, self.skip)
    }

    fn parse(raw: &str) -> Result<Cursor, TaxiiError> {
        let bad = || {
            TaxiiError::bad_parameter(
                "next",
                format!("{raw:?} is not a `next` value from a previous page (pass it unchanged)"),
            )
        };
        let (position, skip) = raw.rsplit_once('_').ok_or_else(bad)?;
        Ok(Cursor {
            position: position.parse().map_err(|_| bad())?,
            skip: skip.parse().map_err(|_| bad())?,
        })
    }
}

/// Which versions of each object to return (`match[version]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct VersionMatch {
    last: bool,
    first: bool,
    all: bool,
    at: BTreeSet<DateTime<Utc>>,
}

impl VersionMatch {
    fn last() -> VersionMatch {
        VersionMatch {
            last: true,
            ..VersionMatch::default()
        }
    }

    fn all() -> VersionMatch {
        VersionMatch {
            all: true,
            ..VersionMatch::default()
        }
    }

    fn is_only_last(&self) -> bool {
        *self == VersionMatch::last()
    }
}

/// The URL parameters of the object endpoints, checked.
#[derive(Debug, Clone)]
struct Filters {
    added_after: Option<DateTime<Utc>>,
    limit: usize,
    next: Option<Cursor>,
    ids: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
    versions: VersionMatch,
    /// False when `match[spec_version]` excludes 2.1, the only version
    /// served: nothing matches.
    spec_ok: bool,
}

const OBJECTS_PARAMS: &[&str] = &[
    "added_after",
    "limit",
    "next",
    "match[id]",
    "match[type]",
    "match[version]",
    "match[spec_version]",
];
const OBJECT_PARAMS: &[&str] = &[
    "added_after",
    "limit",
    "next",
    "match[version]",
    "match[spec_version]",
];
const VERSIONS_PARAMS: &[&str] = &["added_after", "limit", "next", "match[spec_version]"];

/// The query string as name-value pairs, repeated names kept.
type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// Path parameters, or why they could not be read.
type PathOf<T> = Result<axum::extract::Path<T>, PathRejection>;

fn path<T>(raw: PathOf<T>) -> Result<T, TaxiiError> {
    raw.map(|axum::extract::Path(t)| t)
        .map_err(|e| TaxiiError::new(StatusCode::BAD_REQUEST, e.body_text()))
}

impl Filters {
    fn parse(
        raw: RawQuery,
        allowed: &[&'static str],
        default: VersionMatch,
    ) -> Result<Filters, TaxiiError> {
        let Query(pairs) =
            raw.map_err(|e| TaxiiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
        let mut f = Filters {
            added_after: None,
            limit: DEFAULT_LIMIT,
            next: None,
            ids: None,
            types: None,
            versions: default,
            spec_ok: true,
        };
        let mut versions: Option<VersionMatch> = None;
        for (name, value) in &pairs {
            let Some(&param) = allowed.iter().find(|a| **a == name.as_str()) else {
                return Err(TaxiiError::new(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "unknown parameter {name:?}; this endpoint takes {}",
                        allowed.join(", ")
                    ),
                ));
            };
            let items = move || {
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            match param {
                "added_after" => f.added_after = Some(parse_timestamp(param, value)?),
                "limit" => {
                    let n: usize = value.trim().parse().map_err(|_| {
                        TaxiiError::bad_parameter(
                            param,
                            format!("limit must be a positive integer, not {value:?}"),
                        )
                    })?;
                    if n == 0 {
                        return Err(TaxiiError::bad_parameter(param, "limit must be at least 1"));
                    }
                    f.limit = n.min(MAX_LIMIT);
                }
                "next" => f.next = Some(Cursor::parse(value.trim())?),
                "match[id]" => f.ids.get_or_insert_with(BTreeSet::new).extend(items()),
                "match[type]" => f.types.get_or_insert_with(BTreeSet::new).extend(items()),
                "match[version]" => {
                    let v = versions.get_or_insert_with(VersionMatch::default);
                    for item in items() {
                        match item.as_str() {
                            "last" => v.last = true,
                            "first" => v.first = true,
                            "all" => v.all = true,
                            t => {
                                v.at.insert(parse_timestamp(param, t).map_err(|_| {
                                    TaxiiError::bad_parameter(
                                        param,
                                        format!("match[version] takes last, first, all or timestamps, not {t:?}"),
                                    )
                                })?);
                            }
                        }
                    }
                }
                "match[spec_version]" => {
                    let listed: Vec<String> = items().collect();
                    if let Some(bad) = listed
                        .iter()
                        .find(|s| !s.chars().all(|c| c.is_ascii_digit() || c == '.'))
                    {
                        return Err(TaxiiError::bad_parameter(
                            param,
                            format!("{bad:?} is not a STIX spec version such as 2.1"),
                        ));
                    }
                    f.spec_ok &= listed.is_empty() || listed.iter().any(|s| s == "2.1");
                }
                _ => {}
            }
        }
        if let Some(v) = versions
            && v != VersionMatch::default()
        {
            f.versions = v;
        }
        for (param, set) in [("match[id]", &f.ids), ("match[type]", &f.types)] {
            if set.as_ref().is_some_and(BTreeSet::is_empty) {
                return Err(TaxiiError::bad_parameter(
                    param,
                    format!("{param} needs at least one value"),
                ));
            }
        }
        Ok(f)
    }
}

fn parse_timestamp(param: &'static str, raw: &str) -> Result<DateTime<Utc>, TaxiiError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            TaxiiError::bad_parameter(
                param,
                format!("{param} must be an RFC 3339 timestamp such as 2026-11-20T21:30:00.000Z, not {raw:?}"),
            )
        })
}

// ---------------------------------------------------------------------------
// Reading a collection

/// One version of one object, as the query selected it.
struct Hit {
    id: String,
    object: Value,
    date_added: DateTime<Utc>,
}

/// A page of hits and where the next one starts.
struct Page {
    hits: Vec<Hit>,
    next: Option<Cursor>,
}

impl Page {
    fn dates(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let first = self.hits.iter().map(|h| h.date_added).min()?;
        let last = self.hits.iter().map(|h| h.date_added).max()?;
        Some((first, last))
    }

    /// The `more` and `next` members of an envelope.
    fn paging(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("more".into(), json!(self.next.is_some()));
        if let Some(n) = self.next {
            m.insert("next".into(), json!(n.encode()));
        }
        m
    }
}

/// Reads the objects of `function`'s collection that `reader` may see and
/// `filters` select, one page of them.
async fn scan(
    state: &AppState,
    function: Function,
    filters: &Filters,
    reader: Reader,
    ctx: &PolicyContext<'_>,
) -> Result<Page, TaxiiError> {
    let mut hits = Vec::new();
    if !filters.spec_ok {
        return Ok(Page { hits, next: None });
    }
    // Rows per store page: a record gives three to five objects; a search
    // by id reads the whole collection, so take big pages.
    let batch = if filters.ids.is_some() {
        500
    } else {
        (filters.limit / 3 + 2).min(500) as u32
    };
    let mut query = CollectionQuery {
        function,
        added_after: filters.added_after,
        start: filters.next.map(|c| c.position),
        limit: batch,
    };
    loop {
        let page = state.store.collection_records(&query, reader, ctx).await?;
        for item in &page.items {
            if !may_hold(item, filters) {
                continue;
            }
            let record_hits = record_hits(state, item, filters, reader, ctx).await?;
            let skip = match filters.next {
                Some(c) if c.position == item.position => c.skip,
                _ => 0,
            };
            for (i, hit) in record_hits.into_iter().enumerate().skip(skip) {
                if hits.len() == filters.limit {
                    let next = Cursor {
                        position: item.position,
                        skip: i,
                    };
                    return Ok(Page {
                        hits,
                        next: Some(next),
                    });
                }
                hits.push(hit);
            }
        }
        match page.next {
            Some(p) => query.start = Some(p),
            None => return Ok(Page { hits, next: None }),
        }
    }
}

/// False when `match[id]` names only incidents and none of this record's:
/// the common lookup, answered without exporting the record.
fn may_hold(item: &CollectionItem, filters: &Filters) -> bool {
    let Some(ids) = &filters.ids else {
        return true;
    };
    if !ids.iter().all(|id| id.starts_with("incident--")) {
        return true;
    }
    ids.contains(&stix::incident_id(item.record.version.id))
}

/// The selected object versions of one record, in order: versions oldest
/// first, each version's objects in export order.
async fn record_hits(
    state: &AppState,
    item: &CollectionItem,
    filters: &Filters,
    reader: Reader,
    ctx: &PolicyContext<'_>,
) -> Result<Vec<Hit>, TaxiiError> {
    let latest = &item.record.version;
    let created = item.record.created;
    let latest_objects = stix::record_objects(Entry {
        version: latest,
        created,
    });
    // Earlier versions matter when more than the latest is asked for, or
    // when the latest dropped a location whose last version is earlier.
    let has_location = latest_objects.iter().any(|o| o["type"] == "location");
    let need_history = latest.version > 1
        && !latest.is_retracted()
        && (!filters.versions.is_only_last() || !has_location);
    let versions: Vec<(RecordVersion, Vec<Value>)> = if need_history {
        let history = match state.store.record_history(latest.id, reader, ctx).await {
            Ok(h) => h,
            // Changed or withdrawn from this reader since the page was read.
            Err(StoreError::NotFound(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        history
            .versions
            .into_iter()
            .map(|v| {
                let objects = stix::record_objects(Entry {
                    version: &v,
                    created,
                });
                (v, objects)
            })
            .collect()
    } else {
        vec![(latest.clone(), latest_objects)]
    };
    Ok(select(&versions, filters))
}

/// Applies `match[version]`, `added_after`, `match[id]` and `match[type]`
/// to a record's versions (oldest first) and their objects.
fn select(versions: &[(RecordVersion, Vec<Value>)], filters: &Filters) -> Vec<Hit> {
    let id_of = |o: &Value| o["id"].as_str().unwrap_or_default().to_owned();
    // Each object's versions, by index into `versions`.
    let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut last_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, (_, objects)) in versions.iter().enumerate() {
        for o in objects {
            let id = id_of(o);
            first_of.entry(id.clone()).or_insert(i);
            last_of.insert(id, i);
        }
    }
    let wanted = &filters.versions;
    let mut hits = Vec::new();
    for (i, (version, objects)) in versions.iter().enumerate() {
        let date_added = version.reported_at;
        if filters.added_after.is_some_and(|t| date_added <= t) {
            continue;
        }
        for o in objects {
            let id = id_of(o);
            let selected = wanted.all
                || (wanted.first && first_of.get(&id) == Some(&i))
                || (wanted.last && last_of.get(&id) == Some(&i))
                || wanted.at.contains(&version.reported_at);
            let kind = o["type"].as_str().unwrap_or_default();
            let matches = filters.ids.as_ref().is_none_or(|s| s.contains(&id))
                && filters.types.as_ref().is_none_or(|s| s.contains(kind));
            if selected && matches {
                hits.push(Hit {
                    id,
                    object: o.clone(),
                    date_added,
                });
            }
        }
    }
    hits
}

// ---------------------------------------------------------------------------
// Endpoints

/// TAXII server discovery: the title and the API roots.
#[utoipa::path(get, path = "/taxii2/", tag = "taxii", security(("bearer" = [])),
    responses((status = 200, description = "TAXII discovery resource", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 406, description = "TAXII error message", body = Object)))]
pub(super) async fn discovery(TaxiiAuth(_auth): TaxiiAuth) -> Response {
    let body = json!({
        "title": "EASF node",
        "description": "Records shared on this EASF node, as STIX 2.1 objects: one read-only collection per function.",
        "default": API_ROOT,
        "api_roots": [API_ROOT],
    });
    taxii_response(StatusCode::OK, &body, None)
}

/// TAXII API root information.
#[utoipa::path(get, path = "/taxii2/api1/", tag = "taxii", security(("bearer" = [])),
    responses((status = 200, description = "TAXII API root resource", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 406, description = "TAXII error message", body = Object)))]
pub(super) async fn api_root(TaxiiAuth(_auth): TaxiiAuth) -> Response {
    let body = json!({
        "title": "EASF records",
        "description": "Signed records filed by members, one collection per function, filtered by each record's TLP and audience for the caller.",
        "versions": [TAXII_MEDIA_TYPE],
        "max_content_length": MAX_BODY_BYTES,
    });
    taxii_response(StatusCode::OK, &body, None)
}

fn collection_resource(function: Function) -> Value {
    json!({
        "id": collection_id(function),
        "title": function.name(),
        "description": format!(
            "Records filed under the {} function that you may see, as STIX 2.1 incidents, locations, sightings and reports.",
            function.id()
        ),
        "alias": function.id(),
        "can_read": true,
        "can_write": false,
        "media_types": [STIX_MEDIA_TYPE],
    })
}

/// The collections of the API root: one per function, read-only.
#[utoipa::path(get, path = "/taxii2/api1/collections/", tag = "taxii", security(("bearer" = [])),
    responses((status = 200, description = "TAXII collections resource", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 406, description = "TAXII error message", body = Object)))]
pub(super) async fn list_collections(TaxiiAuth(_auth): TaxiiAuth) -> Response {
    let collections: Vec<Value> = Function::ALL.into_iter().map(collection_resource).collect();
    taxii_response(StatusCode::OK, &json!({ "collections": collections }), None)
}

/// One collection.
#[utoipa::path(get, path = "/taxii2/api1/collections/{id}/", tag = "taxii", security(("bearer" = [])),
    params(("id" = String, Path, description = "Collection id (a UUID) or alias (the function id)")),
    responses((status = 200, description = "TAXII collection resource", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 404, description = "TAXII error message", body = Object)))]
pub(super) async fn show_collection(
    TaxiiAuth(_auth): TaxiiAuth,
    id: PathOf<String>,
) -> Result<Response, TaxiiError> {
    let id = path(id)?;
    let function = collection(&id)?;
    Ok(taxii_response(
        StatusCode::OK,
        &collection_resource(function),
        None,
    ))
}

/// The objects of a collection the caller may see: a TAXII envelope.
#[utoipa::path(get, path = "/taxii2/api1/collections/{id}/objects/", tag = "taxii", security(("bearer" = [])),
    params(("id" = String, Path, description = "Collection id (a UUID) or alias (the function id)"),
           ("added_after" = Option<String>, Query, description = "Only object versions added after this RFC 3339 time"),
           ("limit" = Option<u32>, Query, description = "Objects per page (default 100, at most 1000)"),
           ("next" = Option<String>, Query, description = "The `next` of the previous page"),
           ("match[id]" = Option<String>, Query, description = "STIX ids, comma-separated"),
           ("match[type]" = Option<String>, Query, description = "STIX types, comma-separated"),
           ("match[version]" = Option<String>, Query, description = "last (default), first, all, or `modified` timestamps"),
           ("match[spec_version]" = Option<String>, Query, description = "STIX spec versions; 2.1 is served")),
    responses((status = 200, description = "TAXII envelope", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 400, description = "TAXII error message", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 404, description = "TAXII error message", body = Object)))]
pub(super) async fn get_objects(
    TaxiiAuth(auth): TaxiiAuth,
    State(state): State<AppState>,
    id: PathOf<String>,
    query: RawQuery,
) -> Result<Response, TaxiiError> {
    let id = path(id)?;
    let function = collection(&id)?;
    let filters = Filters::parse(query, OBJECTS_PARAMS, VersionMatch::last())?;
    let policy = state.policy().await?;
    let page = scan(
        &state,
        function,
        &filters,
        auth.reader(),
        &policy.context(state.today()),
    )
    .await?;
    Ok(envelope(&page))
}

fn envelope(page: &Page) -> Response {
    let mut body = page.paging();
    if !page.hits.is_empty() {
        let objects: Vec<Value> = page.hits.iter().map(|h| h.object.clone()).collect();
        body.insert("objects".into(), Value::Array(objects));
    }
    taxii_response(StatusCode::OK, &Value::Object(body), page.dates())
}

/// The manifest of a collection: id, date added, version and media type
/// of each object version the caller may see.
#[utoipa::path(get, path = "/taxii2/api1/collections/{id}/manifest/", tag = "taxii", security(("bearer" = [])),
    params(("id" = String, Path, description = "Collection id (a UUID) or alias (the function id)"),
           ("added_after" = Option<String>, Query, description = "Only object versions added after this RFC 3339 time"),
           ("limit" = Option<u32>, Query, description = "Records per page (default 100, at most 1000)"),
           ("next" = Option<String>, Query, description = "The `next` of the previous page"),
           ("match[id]" = Option<String>, Query, description = "STIX ids, comma-separated"),
           ("match[type]" = Option<String>, Query, description = "STIX types, comma-separated"),
           ("match[version]" = Option<String>, Query, description = "last (default), first, all, or `modified` timestamps"),
           ("match[spec_version]" = Option<String>, Query, description = "STIX spec versions; 2.1 is served")),
    responses((status = 200, description = "TAXII manifest resource", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 400, description = "TAXII error message", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 404, description = "TAXII error message", body = Object)))]
pub(super) async fn get_manifest(
    TaxiiAuth(auth): TaxiiAuth,
    State(state): State<AppState>,
    id: PathOf<String>,
    query: RawQuery,
) -> Result<Response, TaxiiError> {
    let id = path(id)?;
    let function = collection(&id)?;
    let filters = Filters::parse(query, OBJECTS_PARAMS, VersionMatch::last())?;
    let policy = state.policy().await?;
    let page = scan(
        &state,
        function,
        &filters,
        auth.reader(),
        &policy.context(state.today()),
    )
    .await?;
    let mut body = page.paging();
    if !page.hits.is_empty() {
        let records: Vec<Value> = page
            .hits
            .iter()
            .map(|h| {
                json!({
                    "id": h.id,
                    "date_added": timestamp(h.date_added),
                    "version": h.object["modified"],
                    "media_type": STIX_MEDIA_TYPE,
                })
            })
            .collect();
        body.insert("objects".into(), Value::Array(records));
    }
    Ok(taxii_response(
        StatusCode::OK,
        &Value::Object(body),
        page.dates(),
    ))
}

/// Reads an object's hits under `filters` (with `match[id]` set to it);
/// 404 when the caller may see no version of it.
async fn object_page(
    state: &AppState,
    auth: &Auth,
    collection_raw: &str,
    object_id: &str,
    mut filters: Filters,
) -> Result<Page, TaxiiError> {
    let function = collection(collection_raw)?;
    filters.ids = Some(BTreeSet::from([object_id.to_owned()]));
    let policy = state.policy().await?;
    let ctx = policy.context(state.today());
    let page = scan(state, function, &filters, auth.reader(), &ctx).await?;
    if page.hits.is_empty() && filters.next.is_none() {
        // Nothing under these filters: tell "no such object" from "no
        // version matches" by asking for every version.
        let any = Filters {
            added_after: None,
            limit: 1,
            next: None,
            versions: VersionMatch::all(),
            spec_ok: true,
            ..filters
        };
        if scan(state, function, &any, auth.reader(), &ctx)
            .await?
            .hits
            .is_empty()
        {
            return Err(TaxiiError::new(
                StatusCode::NOT_FOUND,
                format!("no object {object_id:?} in collection {collection_raw:?}"),
            ));
        }
    }
    Ok(page)
}

/// One object: its versions the filters select (the latest by default),
/// in a TAXII envelope.
#[utoipa::path(get, path = "/taxii2/api1/collections/{id}/objects/{object_id}/", tag = "taxii", security(("bearer" = [])),
    params(("id" = String, Path, description = "Collection id (a UUID) or alias (the function id)"),
           ("object_id" = String, Path, description = "STIX id"),
           ("added_after" = Option<String>, Query, description = "Only versions added after this RFC 3339 time"),
           ("limit" = Option<u32>, Query, description = "Objects per page (default 100, at most 1000)"),
           ("next" = Option<String>, Query, description = "The `next` of the previous page"),
           ("match[version]" = Option<String>, Query, description = "last (default), first, all, or `modified` timestamps"),
           ("match[spec_version]" = Option<String>, Query, description = "STIX spec versions; 2.1 is served")),
    responses((status = 200, description = "TAXII envelope", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 400, description = "TAXII error message", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 404, description = "TAXII error message", body = Object)))]
pub(super) async fn get_object(
    TaxiiAuth(auth): TaxiiAuth,
    State(state): State<AppState>,
    ids: PathOf<(String, String)>,
    query: RawQuery,
) -> Result<Response, TaxiiError> {
    let (id, object_id) = path(ids)?;
    let filters = Filters::parse(query, OBJECT_PARAMS, VersionMatch::last())?;
    let page = object_page(&state, &auth, &id, &object_id, filters).await?;
    Ok(envelope(&page))
}

/// The versions (`modified` times) of one object the caller may see.
#[utoipa::path(get, path = "/taxii2/api1/collections/{id}/objects/{object_id}/versions/", tag = "taxii", security(("bearer" = [])),
    params(("id" = String, Path, description = "Collection id (a UUID) or alias (the function id)"),
           ("object_id" = String, Path, description = "STIX id"),
           ("added_after" = Option<String>, Query, description = "Only versions added after this RFC 3339 time"),
           ("limit" = Option<u32>, Query, description = "Versions per page (default 100, at most 1000)"),
           ("next" = Option<String>, Query, description = "The `next` of the previous page"),
           ("match[spec_version]" = Option<String>, Query, description = "STIX spec versions; 2.1 is served")),
    responses((status = 200, description = "TAXII versions resource", content_type = "application/taxii+json;version=2.1", body = Object),
              (status = 400, description = "TAXII error message", body = Object),
              (status = 401, description = "TAXII error message", body = Object),
              (status = 404, description = "TAXII error message", body = Object)))]
pub(super) async fn get_versions(
    TaxiiAuth(auth): TaxiiAuth,
    State(state): State<AppState>,
    ids: PathOf<(String, String)>,
    query: RawQuery,
) -> Result<Response, TaxiiError> {
    let (id, object_id) = path(ids)?;
    let filters = Filters::parse(query, VERSIONS_PARAMS, VersionMatch::all())?;
    let page = object_page(&state, &auth, &id, &object_id, filters).await?;
    let mut body = page.paging();
    if !page.hits.is_empty() {
        let versions: Vec<Value> = page
            .hits
            .iter()
            .map(|h| h.object["modified"].clone())
            .collect();
        body.insert("versions".into(), Value::Array(versions));
    }
    Ok(taxii_response(
        StatusCode::OK,
        &Value::Object(body),
        page.dates(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_give_the_password() {
        // "user:tok-en" and "x:" in base64.
        assert_eq!(basic_password("dXNlcjp0b2stZW4="), Some("tok-en".into()));
        assert_eq!(basic_password("dXNlcjp0b2stZW4"), Some("tok-en".into()));
        assert_eq!(basic_password("eDo="), None);
        for junk in ["", "!!!", "é", "dXNlcg=="] {
            assert_eq!(basic_password(junk), None, "{junk}");
        }
    }

    #[test]
    fn accept_ranges() {
        for ok in [
            "application/taxii+json;version=2.1",
            "application/taxii+json",
            "*/*",
            "application/*",
            "Application/TAXII+json; version=\"2.1\"",
        ] {
            assert!(accepts_taxii(ok), "{ok}");
        }
        for no in [
            "application/json",
            "application/taxii+json;version=2.0",
            "text/html",
            "application/taxii+json;version=2.1;q=0",
            "",
        ] {
            assert!(!accepts_taxii(no), "{no}");
        }
    }

    #[test]
    fn collection_ids_are_distinct_uuids() {
        let ids: BTreeSet<&str> = Function::ALL.into_iter().map(collection_id).collect();
        assert_eq!(ids.len(), Function::ALL.len());
        for id in ids {
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "5", "{id} is a UUIDv5");
        }
        assert_eq!(collection("piracy").ok(), Some(Function::Piracy));
        assert!(collection("asean").is_err());
    }

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            position: "1795608000000_7".parse().unwrap(),
            skip: 3,
        };
        assert_eq!(Cursor::parse(&c.encode()).unwrap(), c);
        for junk in ["", "1_2", "a_b_c", "1_2_-1", "1__3"] {
            assert!(Cursor::parse(junk).is_err(), "{junk}");
        }
    }
}
