//! Wire shapes of the API, built from domain types. The CLI prints the same
//! shapes with `--json`, so a script sees one format wherever it asks.

use chrono::NaiveDate;
use model::{Comparison, Forum, Member, MembershipPeriod, ProfileEntry, ReferenceData, Role, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member, as listed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberDto {
    /// ISO 3166-1 alpha-3 code or explicit code (`EUU`).
    pub code: String,
    /// English short name.
    pub name: String,
    /// `state`, `economy` or `organisation`.
    pub kind: String,
    /// Whether `code` is an ISO 3166 code.
    pub iso3166: bool,
    /// Public source.
    pub source: String,
}

impl From<&Member> for MemberDto {
    fn from(m: &Member) -> Self {
        MemberDto {
            code: m.code.to_string(),
            name: m.name.clone(),
            kind: serde_json::to_value(m.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            iso3166: m.iso3166,
            source: m.source.clone(),
        }
    }
}

/// A member code with its name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberRef {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// Resolves codes to code-and-name pairs.
pub fn member_refs(data: &ReferenceData, codes: &[model::MemberCode]) -> Vec<MemberRef> {
    codes
        .iter()
        .map(|c| MemberRef {
            code: c.to_string(),
            name: data
                .member(c.as_str())
                .map(|m| m.name.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// A forum in a list, with its size on the date asked about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForumSummary {
    /// Short stable id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Institutional form.
    pub kind: String,
    /// `existing` or `proposed`.
    pub status: String,
    /// Date established.
    pub established: Option<NaiveDate>,
    /// Date ended.
    pub ended: Option<NaiveDate>,
    /// Mandated functions.
    pub functions: Vec<String>,
    /// Decision rule id.
    pub decision_rule: String,
    /// Number of members on `as_of`.
    pub member_count: usize,
}

impl ForumSummary {
    /// Summarises `forum` as of `date`.
    pub fn new(data: &ReferenceData, forum: &Forum, date: NaiveDate) -> ForumSummary {
        ForumSummary {
            id: forum.id.to_string(),
            name: forum.name.clone(),
            kind: forum.kind.to_string(),
            status: forum.status.to_string(),
            established: forum.established,
            ended: forum.ended,
            functions: forum.functions.iter().map(|f| f.id().to_owned()).collect(),
            decision_rule: forum.decision.id().to_owned(),
            member_count: data
                .members_of(forum.id.as_str(), date)
                .map_or(0, |m| m.len()),
        }
    }
}

/// A list of forums on a date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForumList {
    /// The date asked about.
    pub as_of: NaiveDate,
    /// The forums.
    pub forums: Vec<ForumSummary>,
}

impl ForumList {
    /// Summarises `forums` as of `date`.
    pub fn new(data: &ReferenceData, forums: &[&Forum], date: NaiveDate) -> ForumList {
        ForumList {
            as_of: date,
            forums: forums
                .iter()
                .map(|f| ForumSummary::new(data, f, date))
                .collect(),
        }
    }
}

/// Everything about one forum, with its members on a date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForumDetail {
    /// The date asked about.
    pub as_of: NaiveDate,
    /// Whether the forum existed on that date (proposals always do).
    pub exists_on_date: bool,
    /// Summary fields.
    #[serde(flatten)]
    pub summary: ForumSummary,
    /// The decision rule in full: `rule` plus `threshold`/`weights` or `parties`.
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
    /// Forums whose members flow into this one.
    pub includes: Vec<String>,
    /// Why it is defined that way.
    pub includes_reason: Option<String>,
    /// Secretariat.
    pub secretariat: Option<String>,
    /// Public source.
    pub source: String,
    /// Remarks.
    pub notes: Option<String>,
    /// Members on `as_of`.
    pub members: Vec<MemberRef>,
}

impl ForumDetail {
    /// Describes forum `id` in full as of `date`.
    pub fn new(
        data: &ReferenceData,
        id: &str,
        date: NaiveDate,
    ) -> Result<ForumDetail, model::QueryError> {
        let forum = data.forum(id)?;
        let members = data.members_of(id, date)?;
        Ok(ForumDetail {
            as_of: date,
            exists_on_date: forum.exists_on(date),
            summary: ForumSummary::new(data, forum, date),
            // A decision rule is plain data; serialising it cannot fail.
            decision: serde_json::to_value(&forum.decision).unwrap_or_default(),
            includes: forum.includes.iter().map(ToString::to_string).collect(),
            includes_reason: forum.includes_reason.clone(),
            secretariat: forum.secretariat.clone(),
            source: forum.source.clone(),
            notes: forum.notes.clone(),
            members: member_refs(data, &members),
        })
    }
}

/// The members of a forum on a date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForumMembers {
    /// The forum.
    pub forum: String,
    /// The date asked about.
    pub as_of: NaiveDate,
    /// Members.
    pub members: Vec<MemberRef>,
}

impl ForumMembers {
    /// The members of forum `id` on `date`.
    pub fn new(
        data: &ReferenceData,
        id: &str,
        date: NaiveDate,
    ) -> Result<ForumMembers, model::QueryError> {
        let members = data.members_of(id, date)?;
        Ok(ForumMembers {
            forum: data.forum(id)?.id.to_string(),
            as_of: date,
            members: member_refs(data, &members),
        })
    }
}

/// Two forums' memberships side by side.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComparisonDto {
    /// The first forum.
    pub first: String,
    /// The second forum.
    pub second: String,
    /// The date asked about.
    pub as_of: NaiveDate,
    /// In both.
    pub both: Vec<MemberRef>,
    /// Only in the first.
    pub only_first: Vec<MemberRef>,
    /// Only in the second.
    pub only_second: Vec<MemberRef>,
}

impl ComparisonDto {
    /// Builds the wire form.
    pub fn new(
        data: &ReferenceData,
        first: &str,
        second: &str,
        as_of: NaiveDate,
        c: &Comparison,
    ) -> ComparisonDto {
        ComparisonDto {
            first: first.to_owned(),
            second: second.to_owned(),
            as_of,
            both: member_refs(data, &c.both),
            only_first: member_refs(data, &c.only_first),
            only_second: member_refs(data, &c.only_second),
        }
    }
}

/// The result of a set operation over forums.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CombinationDto {
    /// `union`, `intersection` or `difference`.
    pub op: String,
    /// The forums, in order (difference = first minus the rest).
    pub forums: Vec<String>,
    /// The date asked about.
    pub as_of: NaiveDate,
    /// The resulting members.
    pub members: Vec<MemberRef>,
}

impl CombinationDto {
    /// Applies `op` to the memberships of `forums` on `date`.
    pub fn new(
        data: &ReferenceData,
        op: model::SetOp,
        forums: &[&str],
        date: NaiveDate,
    ) -> Result<CombinationDto, model::QueryError> {
        let members = data.combine(op, forums, date)?;
        Ok(CombinationDto {
            op: match op {
                model::SetOp::Union => "union",
                model::SetOp::Intersection => "intersection",
                model::SetOp::Difference => "difference",
            }
            .to_owned(),
            forums: forums
                .iter()
                .map(|f| data.forum(f).map(|f| f.id.to_string()))
                .collect::<Result<_, _>>()?,
            as_of: date,
            members: member_refs(data, &members),
        })
    }
}

/// A membership period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeriodDto {
    /// First day (absent for a proposal's composition).
    pub from: Option<NaiveDate>,
    /// First day after membership ended, if it did.
    pub to: Option<NaiveDate>,
    /// The forum membership comes through, if indirect.
    pub via: Option<String>,
}

impl From<&MembershipPeriod> for PeriodDto {
    fn from(p: &MembershipPeriod) -> Self {
        PeriodDto {
            from: p.period.from,
            to: p.period.to,
            via: p.via.as_ref().map(ToString::to_string),
        }
    }
}

/// One forum in a member's profile.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProfileEntryDto {
    /// Forum id.
    pub forum: String,
    /// Forum name.
    pub name: String,
    /// `existing` or `proposed`.
    pub status: String,
    /// Periods of membership.
    pub periods: Vec<PeriodDto>,
}

/// A member and every layer it belongs to, with dates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberProfile {
    /// The member.
    pub member: MemberDto,
    /// Forums it belongs to on `as_of`.
    pub as_of: NaiveDate,
    /// Ids of the forums it belongs to on `as_of`.
    pub current: Vec<String>,
    /// Every forum it has ever belonged to, with periods.
    pub history: Vec<ProfileEntryDto>,
}

impl MemberProfile {
    /// Builds the profile of `member` as of `date`.
    pub fn new(
        data: &ReferenceData,
        member: &Member,
        entries: &[ProfileEntry],
        date: NaiveDate,
    ) -> MemberProfile {
        MemberProfile {
            member: member.into(),
            as_of: date,
            current: entries
                .iter()
                .filter(|e| e.periods.iter().any(|p| p.period.contains(date)))
                .map(|e| e.forum.to_string())
                .collect(),
            history: entries
                .iter()
                .map(|e| ProfileEntryDto {
                    forum: e.forum.to_string(),
                    name: data
                        .forum(e.forum.as_str())
                        .map(|f| f.name.clone())
                        .unwrap_or_default(),
                    status: e.status.to_string(),
                    periods: e.periods.iter().map(PeriodDto::from).collect(),
                })
                .collect(),
        }
    }
}

/// A function forums are mandated for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FunctionDto {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A user of the node.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: String,
    /// Login name.
    pub name: String,
    /// Member code.
    pub member: String,
    /// Agency.
    pub agency: String,
    /// Role.
    pub role: String,
    /// Creation time, ms since the epoch.
    pub created_ms: i64,
}

impl From<&User> for UserDto {
    fn from(u: &User) -> Self {
        UserDto {
            id: u.id.clone(),
            name: u.name.clone(),
            member: u.member.to_string(),
            agency: u.agency.clone(),
            role: u.role.to_string(),
            created_ms: u.created_ms,
        }
    }
}

/// A request to create a user.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Login name, 1-64 of letters, digits, `. _ - / @`.
    pub name: String,
    /// Member code (must be in the reference data).
    pub member: String,
    /// Agency within the member.
    pub agency: String,
    /// `viewer`, `analyst`, `coordinator` or `admin`.
    #[schema(value_type = String)]
    pub role: Role,
}

/// A request to issue a token.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// What the token is for.
    #[serde(default)]
    pub label: Option<String>,
    /// Days until it expires (1-3650); none = no expiry.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// A token's metadata (never the token itself).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenDto {
    /// Token id.
    pub id: String,
    /// User id.
    pub user_id: String,
    /// Label.
    pub label: String,
    /// Issue time, ms.
    pub created_ms: i64,
    /// Expiry, ms.
    pub expires_ms: Option<i64>,
    /// Revocation time, ms.
    pub revoked_ms: Option<i64>,
}

impl From<&store::TokenInfo> for TokenDto {
    fn from(t: &store::TokenInfo) -> Self {
        TokenDto {
            id: t.id.clone(),
            user_id: t.user_id.clone(),
            label: t.label.clone(),
            created_ms: t.created_ms,
            expires_ms: t.expires_ms,
            revoked_ms: t.revoked_ms,
        }
    }
}

/// A newly issued token: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IssuedToken {
    /// The secret to send as `Authorization: Bearer <token>`. Store it now.
    pub token: String,
    /// Its metadata.
    #[serde(flatten)]
    pub info: TokenDto,
}

/// An audit event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditDto {
    /// Sequence number.
    pub id: i64,
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// `ok` or `denied`.
    pub outcome: String,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<store::AuditEvent> for AuditDto {
    fn from(e: store::AuditEvent) -> Self {
        AuditDto {
            id: e.id,
            at_ms: e.at_ms,
            actor: e.actor,
            action: e.action,
            target: e.target,
            outcome: e.outcome,
            detail: e.detail,
        }
    }
}

/// The caller, as the node sees them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhoAmI {
    /// The user.
    pub user: UserDto,
    /// The token in use.
    pub token_id: String,
}

/// Health of the node.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    /// `ok` or the database problem.
    pub database: String,
}

mod records;
pub use records::*;
