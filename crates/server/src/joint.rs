//! Joint operations over the node's records (DESIGN.md §2, Capability and
//! pledge, Operation): pledges, operations and their lifecycle, votes,
//! situation reports and coalition plans.
//!
//! The HTTP routes (`routes::operations`) and the command line both call
//! [`Desk`], so the two apply the same rules and give the same answers.
//! Every read goes through the store's policy-filtered queries as the
//! desk's member; every write through the node's [`Ledger`], which signs
//! and logs it. An operation's state changes are new versions of its
//! record, made by the proposing member; votes and situation reports are
//! records of their own that name the operation and are shared with the
//! operation's audience. The lifecycle rules themselves are
//! `model::operation`; this module gathers their inputs from the store and
//! the reference data and refuses, with a reason, what they refuse.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use model::operation::{self, Ballot, TransitionError};
use model::record::{Draft, RecordId, RecordVersion, ReportContent};
use model::report::{
    BodyErrors, FieldError, OperationReport, ReportBody, ReportKind, SitrepReport, Task,
    VotePosition, VoteReport,
};
use model::{Audience, Distribution, Function, MemberCode, Reader};
use ops::Catalogue;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Ledger, ReportFilter, StatusFilter, Store, StoredRecord};
use utoipa::{IntoParams, ToSchema};

use crate::Policy;
use crate::dto::{RecordDto, ReportPageDto};
use crate::error::ApiError;
use crate::routes::reports::{check_shared, collect_visible};

/// The capability catalogue every check and plan uses (the shipped one).
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(Catalogue::embedded)
}

/// Slack for clocks that run behind: a window starting up to an hour ago
/// is "now", as for a report's `observed_at`.
const CLOCK_SLACK_MINUTES: i64 = 60;

/// The fields of a pledge that go into its body.
const PLEDGE_BODY: [&str; 8] = [
    "asset_type",
    "quantity",
    "agency",
    "readiness_hours",
    "speed_knots",
    "endurance_days",
    "military",
    "caveats",
];

/// The fields of a pledge about the record itself.
const PLEDGE_RECORD: [&str; 5] = ["title", "function", "base", "description", "distribution"];

/// The fields of a proposal that go into the operation's body.
const OPERATION_BODY: [&str; 6] = [
    "forum",
    "window",
    "hosts",
    "consent",
    "requirements",
    "decision_deadline",
];

/// The fields of a proposal about the record itself.
const OPERATION_RECORD: [&str; 6] = [
    "title",
    "function",
    "area",
    "place",
    "description",
    "distribution",
];

/// Body fields only the lifecycle writes.
const LIFECYCLE: [&str; 4] = ["state", "tally", "tasks", "after_action"];

/// Filters of a pledge listing.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PledgeQuery {
    /// Only pledges of this asset type (a catalogue id).
    pub asset_type: Option<String>,
    /// Only pledges of this member.
    pub member: Option<String>,
    /// Only pledges filed under this function.
    pub function: Option<String>,
    /// `standing` (the default), `withdrawn` or `all`.
    pub status: Option<String>,
}

/// Filters of an operation listing.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OperationQuery {
    /// Only operations in this state (proposed, approved, rejected, active, closed).
    pub state: Option<String>,
    /// Only operations proposed in this forum.
    pub forum: Option<String>,
    /// Only operations for this function.
    pub function: Option<String>,
}

/// A vote on a proposed operation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteRequest {
    /// `support`, `object` or `abstain`.
    #[schema(value_type = String)]
    pub position: VotePosition,
    /// Why, if the member says.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A task for a member in an approved or active operation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskRequest {
    /// The member tasked (a code such as THA).
    pub member: String,
    /// The catalogue id of the asset type.
    pub asset_type: String,
    /// How much, in the asset type's unit (whole units where it counts them).
    pub quantity: f64,
}

/// A situation report on an active operation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SitrepRequest {
    /// What happened.
    pub text: String,
    /// Figures by name ("persons_rescued": 120); at least 0.
    #[serde(default)]
    pub figures: BTreeMap<String, f64>,
}

/// Closing an operation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// The after-action record: what was done, what was learnt.
    pub after_action: String,
}

/// A vote as shown with its operation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoteView {
    /// The vote's record id.
    pub id: String,
    /// The voting member.
    pub member: String,
    /// support, object or abstain.
    pub position: String,
    /// The member's comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When the node accepted it.
    pub reported_at: String,
}

/// A situation report as shown with its operation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SitrepView {
    /// The report's record id.
    pub id: String,
    /// The reporting member.
    pub member: String,
    /// What happened.
    pub text: String,
    /// Figures by name.
    pub figures: BTreeMap<String, f64>,
    /// When the node accepted it.
    pub reported_at: String,
}

/// An operation with its state, the votes and situation reports the
/// caller may see, and how many versions its record has.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OperationView {
    /// The operation record's latest version.
    pub record: RecordDto,
    /// proposed, approved, rejected, active or closed.
    pub state: String,
    /// Votes, oldest first.
    pub votes: Vec<VoteView>,
    /// Situation reports, oldest first.
    pub sitreps: Vec<SitrepView>,
    /// Versions of the operation record in the log (one per transition).
    pub version_count: u32,
}

/// A pledge left out of a plan, with why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkippedPledge {
    /// The pledge's record id.
    pub pledge: String,
    /// Its member.
    pub member: String,
    /// Why it could not be read as planner input.
    pub reason: String,
}

/// A coalition plan for a stored operation, over the pledges the caller
/// may see.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// The plan: assignments, unmet requirements with their diagnosis,
    /// participants, objectives, and why each member is in or out.
    #[serde(flatten)]
    pub plan: ops::Plan,
    /// Pledges considered (visible to the caller and not withdrawn).
    pub pledges_considered: usize,
    /// Pledges that could not be planned with, with why.
    pub pledges_skipped: Vec<SkippedPledge>,
}

/// Where joint-operation requests are served from: the store, the policy
/// in force, who acts, and the time.
#[derive(Debug)]
pub struct Desk<'a> {
    /// The node's database.
    pub store: &'a Store,
    /// Reference data and sharing groups.
    pub policy: &'a Policy,
    /// The member acting or reading.
    pub member: MemberCode,
    /// The agency written into records made here, if known.
    pub agency: Option<String>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// A request's writing side: the node's ledger and who to audit.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    /// The signed log.
    pub ledger: &'a Ledger,
    /// The actor named in the audit table.
    pub actor: &'a store::Actor,
}

fn random_bits() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

/// Renames draft fields to the names the caller used (`body.quantity` →
/// `quantity`, `location` → `base`).
fn renamed(errors: BodyErrors, location: &str) -> ApiError {
    let fields = errors
        .0
        .into_iter()
        .map(|e| FieldError {
            field: match e.field.as_str() {
                "location" => location.to_owned(),
                f => f.strip_prefix("body.").unwrap_or(f).to_owned(),
            },
            kind: e.kind,
        })
        .collect();
    ApiError::invalid_fields(&BodyErrors(fields))
}

/// Fields of a JSON object.
type Fields = Map<String, Value>;

/// Splits a request object into record fields and body fields, refusing
/// anything else by name.
fn split(
    input: &Value,
    what: &str,
    record: &[&str],
    body: &[&str],
) -> Result<(Fields, Fields), ApiError> {
    let Value::Object(fields) = input else {
        return Err(ApiError::bad_request(
            "body",
            format!("{what} is a JSON object"),
        ));
    };
    let (mut r, mut b) = (Map::new(), Map::new());
    for (k, v) in fields {
        if record.contains(&k.as_str()) {
            r.insert(k.clone(), v.clone());
        } else if body.contains(&k.as_str()) {
            b.insert(k.clone(), v.clone());
        } else if LIFECYCLE.contains(&k.as_str()) {
            return Err(ApiError::bad_request(
                k,
                format!("{k} is written by the operation's lifecycle, not by the proposer"),
            ));
        } else {
            let mut known: Vec<&str> = record.iter().chain(body).copied().collect();
            known.sort_unstable();
            return Err(ApiError::bad_request(
                k,
                format!("unknown field {k:?}; {what} has: {}", known.join(", ")),
            ));
        }
    }
    Ok((r, b))
}

fn transition(e: TransitionError) -> ApiError {
    ApiError::conflict(e.to_string())
}

fn ms(t: DateTime<Utc>) -> String {
    model::export::timestamp(t)
}

/// The distribution of a vote or situation report on `op`: the
/// operation's, widened to include its proposer where the audience names
/// members, so everyone who sees the operation sees what is said about it.
fn following(op: &RecordVersion) -> Distribution {
    let d = &op.distribution;
    let owner = op.originator.member;
    let audience = match d.audience() {
        Audience::Originator => Audience::Members {
            members: vec![owner],
        },
        Audience::Members { members } => {
            let mut m = members.clone();
            if !m.contains(&owner) {
                m.push(owner);
            }
            Audience::Members { members: m }
        }
        other => other.clone(),
    };
    Distribution::new(d.tlp(), audience).unwrap_or_else(|_| d.clone())
}

/// A stored operation, read through the caller's policy.
struct Stored {
    version: RecordVersion,
    content: ReportContent,
    body: OperationReport,
    version_count: u32,
}

impl Desk<'_> {
    fn reader(&self) -> Reader {
        Reader::Member(self.member)
    }

    fn context(&self) -> model::PolicyContext<'_> {
        self.policy.context(self.now.date_naive())
    }

    fn today(&self) -> chrono::NaiveDate {
        self.now.date_naive()
    }

    async fn stored(&self, id: RecordId) -> Result<StoredRecord, ApiError> {
        Ok(self
            .store
            .record_history(id, self.reader(), &self.context())
            .await?
            .latest)
    }

    /// A draft for a joint record, checked like any report (audience names
    /// what exists, times not in the future).
    fn draft(&self, value: &Value, location: &str) -> Result<Draft, ApiError> {
        let draft = Draft::parse(value).map_err(|e| renamed(e, location))?;
        check_shared(
            &draft,
            &self.policy.reference,
            &self.policy.groups,
            self.now,
        )?;
        Ok(draft)
    }

    fn check_member(&self, field: &str, code: &str) -> Result<MemberCode, ApiError> {
        self.policy
            .reference
            .member(code)
            .map(|m| m.code)
            .map_err(|e| ApiError::bad_request(field, e.to_string()))
    }

    fn check_asset(&self, prefix: &str, asset_type: &str, quantity: f64) -> Result<(), ApiError> {
        let field = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        if catalogue().get(asset_type).is_none() {
            let f = field("asset_type");
            return Err(ApiError::bad_request(
                &f,
                format!(
                    "unknown asset type {asset_type:?} (the catalogue is data/capabilities.toml)"
                ),
            ));
        }
        let f = field("quantity");
        if !quantity.is_finite() {
            return Err(ApiError::bad_request(&f, "quantity must be a number"));
        }
        ops::records::check_asset(catalogue(), &f, asset_type, quantity)
            .map_err(|e| ApiError::bad_request(&f, e))
    }

    // ---- pledges ----

    /// Files a pledge: `{asset_type, quantity, agency, readiness_hours,
    /// base (a GeoJSON Point), and optionally speed_knots, endurance_days,
    /// military, caveats, title, function, description, distribution}`.
    /// Shared with every platform member at TLP:GREEN unless the pledge
    /// says otherwise.
    pub async fn add_pledge(&self, w: Writer<'_>, input: &Value) -> Result<RecordDto, ApiError> {
        let (record, mut body) = split(input, "a pledge", &PLEDGE_RECORD, &PLEDGE_BODY)?;
        if !body.contains_key("agency")
            && let Some(a) = &self.agency
        {
            body.insert("agency".into(), json!(a));
        }
        let base = record.get("base").ok_or_else(|| {
            ApiError::bad_request(
                "base",
                "missing field: the home base, a GeoJSON Point [longitude, latitude]",
            )
        })?;
        if base.get("type").and_then(Value::as_str) != Some("Point") {
            return Err(ApiError::bad_request(
                "base",
                "the home base must be a GeoJSON Point {\"type\": \"Point\", \"coordinates\": [lon, lat]}",
            ));
        }
        let asset = body.get("asset_type").and_then(Value::as_str).unwrap_or("");
        let title = record.get("title").cloned().unwrap_or_else(|| {
            let q = body
                .get("quantity")
                .map(Value::to_string)
                .unwrap_or_default();
            json!(format!("{} pledges {q} {asset}", self.member))
        });
        let distribution = record
            .get("distribution")
            .cloned()
            .unwrap_or_else(|| json!({"tlp": "GREEN", "audience": {"type": "all-members"}}));
        let mut value = json!({
            "kind": "pledge",
            "title": title,
            "observed_at": ms(self.now),
            "location": base,
            "distribution": distribution,
            "body": Value::Object(body.clone()),
        });
        for k in ["function", "description"] {
            if let Some(v) = record.get(k) {
                value[k] = v.clone();
            }
        }
        if let Some(a) = body.get("agency") {
            value["agency"] = a.clone();
        }
        let draft = self.draft(&value, "base")?;
        let ReportBody::Pledge(p) = &draft.content.body else {
            return Err(ApiError::internal("a pledge draft parsed as another kind"));
        };
        self.check_asset("", &p.asset_type, p.quantity)?;
        for (i, m) in p.caveats.excluded_partners.iter().enumerate() {
            self.check_member(&format!("caveats.excluded_partners[{i}]"), m.as_str())?;
        }
        let version = w
            .ledger
            .create(self.member, draft, w.actor, self.now, random_bits())
            .await?;
        Ok(RecordDto::from(&self.stored(version.id).await?))
    }

    /// The pledges the desk's member may see, newest first: standing ones
    /// unless `q.status` asks for withdrawn ones or all.
    pub async fn list_pledges(&self, q: &PledgeQuery) -> Result<ReportPageDto, ApiError> {
        let status = match q.status.as_deref() {
            None | Some("standing") => StatusFilter::Active,
            Some("withdrawn") => StatusFilter::Retracted,
            Some("all") => StatusFilter::All,
            Some(other) => {
                return Err(ApiError::bad_request(
                    "status",
                    format!("unknown status {other:?}: expected standing, withdrawn or all"),
                ));
            }
        };
        if status == StatusFilter::Retracted && q.asset_type.is_some() {
            return Err(ApiError::bad_request(
                "asset_type",
                "a withdrawal hides what was pledged, so withdrawn pledges cannot be \
                 filtered by asset type",
            ));
        }
        let filter = ReportFilter {
            kind: Some(ReportKind::Pledge),
            function: q
                .function
                .as_deref()
                .map(str::parse::<Function>)
                .transpose()
                .map_err(|e| ApiError::bad_request("function", e.to_string()))?,
            member: q
                .member
                .as_deref()
                .map(|m| self.check_member("member", m))
                .transpose()?,
            // A withdrawal's row keeps the pledge kind and function.
            status,
            ..ReportFilter::default()
        };
        if let Some(t) = q.asset_type.as_deref()
            && catalogue().get(t).is_none()
        {
            return Err(ApiError::bad_request(
                "asset_type",
                format!("unknown asset type {t:?}"),
            ));
        }
        let records = collect_visible(self.store, &filter, self.reader(), &self.context()).await?;
        let items: Vec<RecordDto> = records
            .iter()
            .filter(
                |r| match (&q.asset_type, r.version.report().map(|c| &c.body)) {
                    (None, _) => true,
                    (Some(t), Some(ReportBody::Pledge(p))) => &p.asset_type == t,
                    // A withdrawn pledge has no body left to match.
                    (Some(_), _) => false,
                },
            )
            .map(RecordDto::from)
            .collect();
        Ok(ReportPageDto {
            total: items.len() as u64,
            items,
            next: None,
            facets: None,
        })
    }

    /// One pledge, if the desk's member may see it.
    pub async fn show_pledge(&self, id: RecordId) -> Result<RecordDto, ApiError> {
        let r = self.stored(id).await?;
        match r.version.report().map(|c| c.body.kind()) {
            Some(ReportKind::Pledge) | None => Ok(RecordDto::from(&r)),
            Some(k) => Err(ApiError::not_found(format!(
                "record {id} is a {k} record, not a pledge"
            ))
            .with_field("id")),
        }
    }

    /// Withdraws a pledge (its member only): a signed tombstone.
    pub async fn withdraw_pledge(
        &self,
        w: Writer<'_>,
        id: RecordId,
        reason: &str,
    ) -> Result<RecordDto, ApiError> {
        let r = self.show_pledge(id).await?;
        if r.document.is_retracted() {
            return Err(ApiError::conflict(format!(
                "pledge {id} is already withdrawn"
            )));
        }
        if reason.trim().is_empty() {
            return Err(ApiError::bad_request(
                "reason",
                "say why the pledge is withdrawn (the reason is kept in the log)",
            ));
        }
        w.ledger
            .retract(id, self.member, reason, w.actor, self.now)
            .await?;
        Ok(RecordDto::from(&self.stored(id).await?))
    }

    // ---- operations ----

    /// Proposes an operation in a forum: `{title, area (a GeoJSON
    /// Polygon), forum, window {start, end}, hosts, requirements
    /// [{asset_type, quantity, deadline, priority}], decision_deadline, and
    /// optionally function, consent, place, description, distribution}`.
    /// Shared with the forum at TLP:AMBER unless the proposal says
    /// otherwise.
    pub async fn propose(&self, w: Writer<'_>, input: &Value) -> Result<OperationView, ApiError> {
        let (record, body) = split(input, "an operation", &OPERATION_RECORD, &OPERATION_BODY)?;
        let area = record.get("area").ok_or_else(|| {
            ApiError::bad_request(
                "area",
                "missing field: the area of operations, a GeoJSON Polygon",
            )
        })?;
        if area.get("type").and_then(Value::as_str) != Some("Polygon") {
            return Err(ApiError::bad_request(
                "area",
                "the area must be a GeoJSON Polygon with at least four positions",
            ));
        }
        let forum = body.get("forum").and_then(Value::as_str).unwrap_or("");
        let distribution = record.get("distribution").cloned().unwrap_or_else(
            || json!({"tlp": "AMBER", "audience": {"type": "forum", "forum": forum}}),
        );
        let mut value = json!({
            "kind": "operation",
            "title": record.get("title").cloned().unwrap_or(Value::Null),
            "observed_at": ms(self.now),
            "location": area,
            "distribution": distribution,
            "body": Value::Object(body.clone()),
        });
        for k in ["function", "place", "description"] {
            if let Some(v) = record.get(k) {
                value[k] = v.clone();
            }
        }
        if let Some(a) = &self.agency {
            value["agency"] = json!(a);
        }
        let draft = self.draft(&value, "area")?;
        let ReportBody::Operation(op) = &draft.content.body else {
            return Err(ApiError::internal(
                "an operation draft parsed as another kind",
            ));
        };
        self.check_proposal(op, draft.content.function)?;
        self.check_votes_reach_proposer(&draft.distribution)?;
        let version = w
            .ledger
            .create(self.member, draft, w.actor, self.now, random_bits())
            .await?;
        self.show_operation(version.id).await
    }

    /// Votes and situation reports are shared like the operation (see
    /// [`following`]); a proposer outside a forum or group audience could
    /// not see them and so never count them, so such an audience is refused.
    fn check_votes_reach_proposer(&self, d: &Distribution) -> Result<(), ApiError> {
        // The policy's own resolution of the proposer's forums and groups.
        let readable = model::Readable::resolve(Reader::Member(self.member), &self.context());
        let (inside, what) = match d.audience() {
            Audience::Forum { forum } => {
                (readable.forums.contains(forum), format!("forum {forum}"))
            }
            Audience::Group { group } => (
                readable.groups.contains(group),
                format!("sharing group {group}"),
            ),
            _ => (true, String::new()),
        };
        if inside {
            return Ok(());
        }
        Err(ApiError::unprocessable(format!(
            "{} is not in the {what}: votes and situation reports are shared like the operation, so its proposer could not see them to decide",
            self.member
        ))
        .with_field("distribution.audience"))
    }

    fn check_proposal(&self, op: &OperationReport, function: Function) -> Result<(), ApiError> {
        let reference = &self.policy.reference;
        let forum = reference
            .forum(op.forum.as_str())
            .map_err(|e| ApiError::bad_request("forum", e.to_string()))?;
        let today = self.today();
        if !forum.exists_on(today) {
            return Err(ApiError::unprocessable(format!(
                "forum {} does not exist on {today}",
                forum.id
            ))
            .with_field("forum"));
        }
        if !reference.is_member(forum, self.member, today) {
            return Err(ApiError::unprocessable(format!(
                "{} is not a member of {} on {today}: only its members propose operations in it",
                self.member, forum.id
            ))
            .with_field("forum"));
        }
        if !forum.functions.contains(&function) {
            return Err(ApiError::unprocessable(format!(
                "{} is not mandated for {function}",
                forum.id
            ))
            .with_field("function"));
        }
        for (i, h) in op.hosts.iter().enumerate() {
            self.check_member(&format!("hosts[{i}]"), h.as_str())?;
        }
        for (i, m) in op.consent.declined_members.iter().enumerate() {
            self.check_member(&format!("consent.declined_members[{i}]"), m.as_str())?;
        }
        let past = |field: &str, t: DateTime<Utc>| {
            ApiError::bad_request(
                field,
                format!("{field} {} is in the past (now is {})", ms(t), ms(self.now)),
            )
        };
        if op.window.end <= self.now {
            return Err(past("window.end", op.window.end));
        }
        if op.window.start < self.now - Duration::minutes(CLOCK_SLACK_MINUTES) {
            return Err(past("window.start", op.window.start));
        }
        if op.decision_deadline <= self.now {
            return Err(past("decision_deadline", op.decision_deadline));
        }
        for (i, r) in op.requirements.iter().enumerate() {
            let prefix = format!("requirements[{i}]");
            if r.deadline <= self.now {
                return Err(past(&format!("{prefix}.deadline"), r.deadline));
            }
            self.check_asset(&prefix, &r.asset_type, r.quantity)?;
            let serves = catalogue()
                .get(&r.asset_type)
                .is_some_and(|t| t.functions.contains(&function));
            if !serves {
                return Err(ApiError::bad_request(
                    &format!("{prefix}.asset_type"),
                    format!("{} does not serve {function}", r.asset_type),
                ));
            }
        }
        Ok(())
    }

    async fn operation(&self, id: RecordId) -> Result<Stored, ApiError> {
        let history = self
            .store
            .record_history(id, self.reader(), &self.context())
            .await?;
        let version = history.latest.version;
        let Some(content) = version.report().cloned() else {
            return Err(ApiError::conflict(format!(
                "operation {id} was withdrawn; nothing follows"
            )));
        };
        let ReportBody::Operation(body) = content.body.clone() else {
            return Err(ApiError::not_found(format!(
                "record {id} is a {} record, not an operation",
                content.body.kind()
            ))
            .with_field("id"));
        };
        Ok(Stored {
            version,
            content,
            body,
            version_count: history.version_count,
        })
    }

    fn proposer_only(&self, op: &Stored, action: &str) -> Result<(), ApiError> {
        let owner = op.version.originator.member;
        if owner != self.member {
            return Err(ApiError::forbidden(format!(
                "only the proposing member ({owner}) may {action} operation {}; you act for {}",
                op.version.id, self.member
            )));
        }
        Ok(())
    }

    /// Writes the operation's next body as a new version of its record.
    async fn advance(
        &self,
        w: Writer<'_>,
        op: &Stored,
        next: OperationReport,
    ) -> Result<OperationView, ApiError> {
        let draft = Draft {
            distribution: op.version.distribution.clone(),
            agency: op.version.originator.agency.clone(),
            content: ReportContent {
                body: ReportBody::Operation(next),
                ..op.content.clone()
            },
        };
        w.ledger
            .update(op.version.id, self.member, draft, w.actor, self.now)
            .await?;
        self.show_operation(op.version.id).await
    }

    /// A record about the operation (a vote or a situation report), shared
    /// with the operation's audience.
    async fn file_about(
        &self,
        w: Writer<'_>,
        op: &Stored,
        title: String,
        body: ReportBody,
    ) -> Result<(), ApiError> {
        body.validate().map_err(|e| ApiError::invalid_fields(&e))?;
        let draft = Draft {
            distribution: following(&op.version),
            agency: self.agency.clone(),
            content: ReportContent {
                title,
                function: op.content.function,
                observed_at: self.now,
                location: None,
                place: None,
                description: None,
                body,
                source_ref: None,
            },
        };
        w.ledger
            .create(self.member, draft, w.actor, self.now, random_bits())
            .await?;
        Ok(())
    }

    /// Votes on a proposed operation, before its decision deadline, as a
    /// member of its forum.
    pub async fn vote(
        &self,
        w: Writer<'_>,
        id: RecordId,
        req: &VoteRequest,
    ) -> Result<OperationView, ApiError> {
        let op = self.operation(id).await?;
        operation::check_vote(&op.body, self.now).map_err(transition)?;
        let reference = &self.policy.reference;
        let forum = reference.forum(op.body.forum.as_str())?;
        let today = self.today();
        if !reference.is_member(forum, self.member, today) {
            return Err(ApiError::forbidden(format!(
                "{} is not a member of {} on {today}: only its members vote on its operations",
                self.member, forum.id
            )));
        }
        let body = ReportBody::Vote(VoteReport {
            operation: id,
            position: req.position,
            comment: req.comment.clone(),
        });
        let title = format!(
            "{} votes {} on {}",
            self.member,
            req.position.id(),
            op.content.title
        );
        self.file_about(w, &op, title, body).await?;
        self.show_operation(id).await
    }

    /// Decides a proposed operation by its forum's rule, counting the votes
    /// of the forum's members on the deadline's date (the proposer only).
    pub async fn decide(&self, w: Writer<'_>, id: RecordId) -> Result<OperationView, ApiError> {
        let op = self.operation(id).await?;
        self.proposer_only(&op, "decide")?;
        let reference = &self.policy.reference;
        let forum = reference.forum(op.body.forum.as_str())?;
        let members = reference.members_of(
            op.body.forum.as_str(),
            op.body.decision_deadline.date_naive(),
        )?;
        let ballots: Vec<Ballot> = self
            .store
            .records_about(ReportKind::Vote, id, self.reader(), &self.context())
            .await?
            .iter()
            .filter_map(|r| match r.version.report().map(|c| &c.body) {
                Some(ReportBody::Vote(v)) => Some(Ballot {
                    member: r.version.originator.member,
                    position: v.position,
                    reported_at: r.version.reported_at,
                }),
                _ => None,
            })
            .collect();
        let next = operation::decide(&op.body, &forum.decision, &members, &ballots, self.now)
            .map_err(transition)?;
        self.advance(w, &op, next).await
    }

    /// Tasks a member in an approved or active operation (the proposer
    /// only), within the hosts' consent.
    pub async fn task(
        &self,
        w: Writer<'_>,
        id: RecordId,
        req: &TaskRequest,
    ) -> Result<OperationView, ApiError> {
        let op = self.operation(id).await?;
        self.proposer_only(&op, "task members in")?;
        let member = self.check_member("member", &req.member)?;
        self.check_asset("", &req.asset_type, req.quantity)?;
        let task = Task {
            member,
            asset_type: req.asset_type.clone(),
            quantity: req.quantity,
            issued_at: self.now,
        };
        let next = operation::task(&op.body, task).map_err(transition)?;
        // The hosts' declined asset classes, as the planner reads them.
        if !op.body.hosts.contains(&member) {
            let planned = ops::records::operation(
                catalogue(),
                &id.to_string(),
                &op.content.title,
                op.content.function,
                op.content.location.as_ref(),
                &op.body,
            )
            .map_err(ApiError::unprocessable)?;
            if let Some(t) = catalogue().get(&req.asset_type)
                && let Some(rule) = planned
                    .consent
                    .declined
                    .iter()
                    .find(|d| d.matches(member, &t.id, t.class, t.military))
            {
                let note = if rule.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", rule.note)
                };
                return Err(ApiError::conflict(format!(
                    "the host states decline {} {} from {member}{note}",
                    if t.military { "military" } else { "civilian" },
                    t.class.id()
                )));
            }
        }
        self.advance(w, &op, next).await
    }

    /// Files a situation report on an active operation, as a participant.
    pub async fn sitrep(
        &self,
        w: Writer<'_>,
        id: RecordId,
        req: &SitrepRequest,
    ) -> Result<OperationView, ApiError> {
        let op = self.operation(id).await?;
        operation::check_sitrep(&op.body, self.member).map_err(transition)?;
        let body = ReportBody::Sitrep(SitrepReport {
            operation: id,
            text: req.text.clone(),
            figures: req.figures.clone(),
        });
        let title = format!(
            "Situation report from {} on {}",
            self.member, op.content.title
        );
        self.file_about(w, &op, title, body).await?;
        self.show_operation(id).await
    }

    /// Closes an approved or active operation with its after-action record
    /// (the proposer only).
    pub async fn close(
        &self,
        w: Writer<'_>,
        id: RecordId,
        req: &CloseRequest,
    ) -> Result<OperationView, ApiError> {
        let op = self.operation(id).await?;
        self.proposer_only(&op, "close")?;
        let next = operation::close(&op.body, &req.after_action).map_err(transition)?;
        self.advance(w, &op, next).await
    }

    /// An operation with the votes and situation reports the desk's member
    /// may see.
    pub async fn show_operation(&self, id: RecordId) -> Result<OperationView, ApiError> {
        let op = self.operation(id).await?;
        let ctx = self.context();
        let votes = self
            .store
            .records_about(ReportKind::Vote, id, self.reader(), &ctx)
            .await?
            .iter()
            .filter_map(|r| match r.version.report().map(|c| &c.body) {
                Some(ReportBody::Vote(v)) => Some(VoteView {
                    id: r.version.id.to_string(),
                    member: r.version.originator.member.to_string(),
                    position: v.position.id().to_owned(),
                    comment: v.comment.clone(),
                    reported_at: ms(r.version.reported_at),
                }),
                _ => None,
            })
            .collect();
        let sitreps = self
            .store
            .records_about(ReportKind::Sitrep, id, self.reader(), &ctx)
            .await?
            .iter()
            .filter_map(|r| match r.version.report().map(|c| &c.body) {
                Some(ReportBody::Sitrep(s)) => Some(SitrepView {
                    id: r.version.id.to_string(),
                    member: r.version.originator.member.to_string(),
                    text: s.text.clone(),
                    figures: s.figures.clone(),
                    reported_at: ms(r.version.reported_at),
                }),
                _ => None,
            })
            .collect();
        let record = self.stored(id).await?;
        Ok(OperationView {
            record: RecordDto::from(&record),
            state: op.body.state.id().to_owned(),
            votes,
            sitreps,
            version_count: op.version_count,
        })
    }

    /// The operations the desk's member may see, newest first.
    pub async fn list_operations(&self, q: &OperationQuery) -> Result<ReportPageDto, ApiError> {
        let state = q
            .state
            .as_deref()
            .map(|s| {
                serde_json::from_value::<model::report::OperationState>(json!(s)).map_err(|_| {
                    ApiError::bad_request(
                        "state",
                        format!(
                            "unknown state {s:?}: expected proposed, approved, rejected, active or closed"
                        ),
                    )
                })
            })
            .transpose()?;
        if let Some(f) = q.forum.as_deref() {
            self.policy.reference.forum(f)?;
        }
        let filter = ReportFilter {
            kind: Some(ReportKind::Operation),
            function: q
                .function
                .as_deref()
                .map(str::parse::<Function>)
                .transpose()
                .map_err(|e| ApiError::bad_request("function", e.to_string()))?,
            ..ReportFilter::default()
        };
        let records = collect_visible(self.store, &filter, self.reader(), &self.context()).await?;
        let items: Vec<RecordDto> = records
            .iter()
            .filter(|r| match r.version.report().map(|c| &c.body) {
                Some(ReportBody::Operation(op)) => {
                    state.is_none_or(|s| s == op.state)
                        && q.forum
                            .as_deref()
                            .is_none_or(|f| op.forum.as_str().eq_ignore_ascii_case(f))
                }
                _ => false,
            })
            .map(RecordDto::from)
            .collect();
        Ok(ReportPageDto {
            total: items.len() as u64,
            items,
            next: None,
            facets: None,
        })
    }

    /// Plans a stored operation over the pledges the desk's member may see
    /// and that are not withdrawn.
    ///
    /// The planner runs on a blocking thread, never on the async runtime.
    /// With `limit` it stops there and returns the best plan it has, no
    /// worse than greedy (`ops::plan_within`); without, it proves the plan
    /// optimal however long that takes.
    pub async fn plan(
        &self,
        id: RecordId,
        policy: ops::Policy,
        limit: Option<std::time::Duration>,
    ) -> Result<PlanView, ApiError> {
        let op = self.operation(id).await?;
        operation::check_plan(&op.body).map_err(transition)?;
        let planned = ops::records::operation(
            catalogue(),
            &id.to_string(),
            &op.content.title,
            op.content.function,
            op.content.location.as_ref(),
            &op.body,
        )
        .map_err(ApiError::unprocessable)?;
        let filter = ReportFilter {
            kind: Some(ReportKind::Pledge),
            status: StatusFilter::Active,
            ..ReportFilter::default()
        };
        let records = collect_visible(self.store, &filter, self.reader(), &self.context()).await?;
        let mut pledges = Vec::with_capacity(records.len());
        let mut skipped = Vec::new();
        for r in &records {
            let Some(content) = r.version.report() else {
                continue;
            };
            let ReportBody::Pledge(body) = &content.body else {
                continue;
            };
            let member = r.version.originator.member;
            match ops::records::pledge(
                catalogue(),
                &r.version.id.to_string(),
                member,
                body,
                content.location.as_ref(),
            ) {
                Ok(p) => pledges.push(p),
                Err(reason) => skipped.push(SkippedPledge {
                    pledge: r.version.id.to_string(),
                    member: member.to_string(),
                    reason,
                }),
            }
        }
        let now = self.now;
        let (plan, pledges) = tokio::task::spawn_blocking(move || {
            let plan = match limit {
                Some(limit) => {
                    ops::plan_within(catalogue(), &planned, &pledges, policy, now, limit)
                }
                None => ops::plan(catalogue(), &planned, &pledges, policy, now),
            };
            (plan, pledges)
        })
        .await
        .map_err(ApiError::internal)?;
        let plan = plan.map_err(|e| match e {
            ops::PlanError::Solver(_) => ApiError::internal(e),
            other => ApiError::unprocessable(other.to_string()),
        })?;
        Ok(PlanView {
            plan,
            pledges_considered: pledges.len(),
            pledges_skipped: skipped,
        })
    }
}
