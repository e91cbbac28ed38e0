//! Records: what members share (DESIGN.md §2, Record).
//!
//! A record has an id (UUIDv7) and a chain of immutable versions. Each
//! [`RecordVersion`] is the signed document: who originated it, when it was
//! reported, its [`Distribution`], and its [`Content`] — either a report or
//! a retraction tombstone. An update is a new version; a retraction is a
//! version whose content is only the reason, which hides the earlier
//! content from ordinary reads while the log keeps every version.
//!
//! What an author submits is a [`Draft`]; [`Draft::parse`] reads untrusted
//! JSON and names every field at fault. [`RecordVersion::first`],
//! [`RecordVersion::update`] and [`RecordVersion::retract`] are the only
//! ways to make versions, and they enforce the rules: versions count up
//! from 1, only the originating member may update or retract, a retracted
//! record stays retracted.

mod draft;
mod geometry;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::report::ReportBody;
use crate::{Distribution, Function, MemberCode};
pub use draft::{Draft, MAX_TITLE};
pub use geometry::{BoundingBox, Geometry, GeometryError, Position};

/// A record's id: a UUIDv7, so ids sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(Uuid);

impl RecordId {
    /// A version-7 id from a Unix time in milliseconds and 10 random bytes
    /// (the caller supplies both: this crate reads no clock and draws no
    /// randomness).
    pub fn new_v7(unix_ms: u64, random: [u8; 10]) -> RecordId {
        RecordId(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }

    /// The UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// The error for text that is not a record id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a record id (a UUID such as 01936f4e-8a2b-7c3d-9e4f-0123456789ab)")]
pub struct BadRecordId(pub String);

impl FromStr for RecordId {
    type Err = BadRecordId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim())
            .map(RecordId)
            .map_err(|_| BadRecordId(s.to_owned()))
    }
}

/// Who a record comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Originator {
    /// The member state or organisation that owns the record.
    pub member: MemberCode,
    /// The agency within the member ("Japan Coast Guard"), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The node that accepted and signed it.
    pub node: String,
}

/// A report's content: everything in a version except bookkeeping.
// No deny_unknown_fields here or on RecordVersion: serde cannot combine it
// with flatten. Untrusted input goes through Draft::parse, which names
// unknown fields itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportContent {
    /// A one-line summary.
    pub title: String,
    /// The function it concerns.
    pub function: Function,
    /// When it happened (or was observed).
    pub observed_at: DateTime<Utc>,
    /// Where, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Geometry>,
    /// The place in words ("Singapore Strait").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Free narrative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The typed body, tagged by kind.
    #[serde(flatten)]
    pub body: ReportBody,
    /// The key of the incident in an imported data set (`asam:2022-146`),
    /// which makes re-import idempotent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<String>,
}

/// What a version says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Content {
    /// A report, current or superseded.
    Active(Box<ReportContent>),
    /// A signed tombstone: the record is withdrawn.
    Retracted {
        /// Why it was withdrawn.
        reason: String,
    },
}

/// One immutable, signed version of a record: the document the node signs
/// (as RFC 8785 canonical JSON) and appends to its log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordVersion {
    /// The record.
    pub id: RecordId,
    /// 1 for the first version, then counting up.
    pub version: u32,
    /// Who owns the record.
    pub originator: Originator,
    /// When the node accepted this version.
    pub reported_at: DateTime<Utc>,
    /// Who may see it.
    pub distribution: Distribution,
    /// The report or the tombstone.
    #[serde(flatten)]
    pub content: Content,
}

/// Why a new version is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// Someone other than the originating member tried to change it.
    #[error("only the originating member ({owner}) may change record {id}; you act for {actor}")]
    NotOriginator {
        /// The record.
        id: RecordId,
        /// Its originator.
        owner: MemberCode,
        /// Who tried.
        actor: MemberCode,
    },
    /// The record was retracted; nothing follows a tombstone.
    #[error("record {0} was retracted and cannot change")]
    Retracted(RecordId),
    /// A retraction without a reason.
    #[error("say why the record is retracted (the reason is kept in the log)")]
    NoReason,
}

impl RecordVersion {
    /// The first version of a new record.
    pub fn first(
        id: RecordId,
        originator: Originator,
        reported_at: DateTime<Utc>,
        draft: Draft,
    ) -> RecordVersion {
        let (distribution, content) = draft.into_parts();
        RecordVersion {
            id,
            version: 1,
            originator,
            reported_at,
            distribution,
            content: Content::Active(Box::new(content)),
        }
    }

    /// The version that replaces `self` with `draft`, made by `actor`.
    pub fn update(
        &self,
        actor: MemberCode,
        agency: Option<String>,
        reported_at: DateTime<Utc>,
        draft: Draft,
    ) -> Result<RecordVersion, RecordError> {
        self.check_change(actor)?;
        let (distribution, content) = draft.into_parts();
        Ok(RecordVersion {
            id: self.id,
            version: self.version + 1,
            originator: Originator {
                member: self.originator.member,
                agency: agency.or_else(|| self.originator.agency.clone()),
                node: self.originator.node.clone(),
            },
            reported_at,
            distribution,
            content: Content::Active(Box::new(content)),
        })
    }

    /// The tombstone that retracts `self`, made by `actor`. It keeps the
    /// distribution, so exactly those who could see the record learn that
    /// it was withdrawn.
    pub fn retract(
        &self,
        actor: MemberCode,
        reported_at: DateTime<Utc>,
        reason: &str,
    ) -> Result<RecordVersion, RecordError> {
        self.check_change(actor)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RecordError::NoReason);
        }
        Ok(RecordVersion {
            id: self.id,
            version: self.version + 1,
            originator: self.originator.clone(),
            reported_at,
            distribution: self.distribution.clone(),
            content: Content::Retracted {
                reason: reason.to_owned(),
            },
        })
    }

    fn check_change(&self, actor: MemberCode) -> Result<(), RecordError> {
        if self.is_retracted() {
            return Err(RecordError::Retracted(self.id));
        }
        if actor != self.originator.member {
            return Err(RecordError::NotOriginator {
                id: self.id,
                owner: self.originator.member,
                actor,
            });
        }
        Ok(())
    }

    /// Whether this version is a tombstone.
    pub fn is_retracted(&self) -> bool {
        matches!(self.content, Content::Retracted { .. })
    }

    /// The report, unless this is a tombstone.
    pub fn report(&self) -> Option<&ReportContent> {
        match &self.content {
            Content::Active(c) => Some(c),
            Content::Retracted { .. } => None,
        }
    }

    /// The document as JSON, ready for canonicalisation and signing.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("record versions always serialise")
    }

    /// Reads a stored document back.
    pub fn from_json(value: &serde_json::Value) -> Result<RecordVersion, serde_json::Error> {
        RecordVersion::deserialize(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn draft() -> Draft {
        Draft::parse(&json!({
            "kind": "piracy",
            "title": "Boarding at anchor, Belawan",
            "observed_at": "2026-11-20T21:30:00Z",
            "location": {"type": "Point", "coordinates": [98.7, 3.8]},
            "body": {"attack_type": "boarded", "perpetrators": 4},
            "distribution": {"tlp": "GREEN", "audience": {"type": "forum", "forum": "recaap"}}
        }))
        .unwrap()
    }

    fn first() -> RecordVersion {
        let origin = Originator {
            member: MemberCode::parse("IDN").unwrap(),
            agency: Some("BAKAMLA".into()),
            node: "idn-1".into(),
        };
        RecordVersion::first(
            RecordId::new_v7(1_795_608_000_000, [1; 10]),
            origin,
            "2026-11-25T12:00:00Z".parse().unwrap(),
            draft(),
        )
    }

    #[test]
    fn versions_round_trip_through_json() {
        let v = first();
        let value = v.to_json();
        assert_eq!(value["status"], "active");
        assert_eq!(value["kind"], "piracy");
        assert_eq!(value["function"], "piracy");
        assert_eq!(RecordVersion::from_json(&value).unwrap(), v);
        let t = v
            .retract(v.originator.member, v.reported_at, "duplicate")
            .unwrap();
        assert_eq!(RecordVersion::from_json(&t.to_json()).unwrap(), t);
        assert_eq!(t.version, 2);
    }

    #[test]
    fn only_the_originator_changes_a_record() {
        let v = first();
        let jpn = MemberCode::parse("JPN").unwrap();
        assert!(matches!(
            v.update(jpn, None, v.reported_at, draft()),
            Err(RecordError::NotOriginator { .. })
        ));
        assert!(v.retract(jpn, v.reported_at, "no").is_err());
        let t = v
            .retract(v.originator.member, v.reported_at, "wrong ship")
            .unwrap();
        assert_eq!(
            t.update(v.originator.member, None, v.reported_at, draft()),
            Err(RecordError::Retracted(v.id))
        );
        assert_eq!(
            v.retract(v.originator.member, v.reported_at, "  "),
            Err(RecordError::NoReason)
        );
    }

    #[test]
    fn ids_are_uuid_v7_and_parse() {
        let id = RecordId::new_v7(1_795_608_000_000, [9; 10]);
        assert_eq!(id.as_uuid().get_version_num(), 7);
        assert_eq!(id.to_string().parse::<RecordId>().unwrap(), id);
        assert!("nope".parse::<RecordId>().is_err());
    }
}
