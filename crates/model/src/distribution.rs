//! Who may see a record: the one distribution policy.
//!
//! A [`Distribution`] is a Traffic Light Protocol 2.0 label plus an
//! [`Audience`]. [`is_visible`] is the only place visibility is decided;
//! every read path (API, search, export, TAXII, feeds, web pages,
//! federation) calls it, so a rule changes in one place.
//!
//! TLP 2.0 (FIRST, <https://www.first.org/tlp/>) governs what a recipient
//! may pass on; the audience governs who receives. The two must agree, so
//! [`Distribution::new`] refuses combinations TLP forbids: a public
//! audience needs TLP:CLEAR ("may be disclosed publicly"), and TLP:RED is
//! "for the eyes and ears of individual recipients only", so it can go only
//! to named members or stay with the originator.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{ForumId, MemberCode, ReferenceData};

/// A Traffic Light Protocol 2.0 label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tlp {
    /// Recipients may spread this to the world.
    #[serde(rename = "CLEAR")]
    Clear,
    /// Limited disclosure, restricted to the community.
    #[serde(rename = "GREEN")]
    Green,
    /// Limited disclosure, recipients' organisations and their clients.
    #[serde(rename = "AMBER")]
    Amber,
    /// Limited disclosure, recipients' organisations only.
    #[serde(rename = "AMBER+STRICT")]
    AmberStrict,
    /// For the eyes and ears of individual recipients only.
    #[serde(rename = "RED")]
    Red,
}

impl Tlp {
    /// Every label, least restrictive first.
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The label as TLP 2.0 writes it (`AMBER+STRICT`).
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tlp {
    type Err = DistributionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        let upper = upper.trim_start_matches("TLP:");
        Tlp::ALL
            .into_iter()
            .find(|t| t.as_str() == upper)
            .ok_or_else(|| DistributionError::UnknownTlp(s.to_owned()))
    }
}

/// Who receives a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Audience {
    /// Only the originating member.
    Originator,
    /// The originator and these members.
    Members {
        /// The recipients.
        members: Vec<MemberCode>,
    },
    /// The originator and the forum's members at the time of reading, so a
    /// member that leaves loses access and one that joins gains it.
    Forum {
        /// The forum.
        forum: ForumId,
    },
    /// The originator and the members of a named sharing group.
    Group {
        /// The group's id.
        group: String,
    },
    /// Every member with an account on the platform.
    AllMembers,
    /// Anyone, including unauthenticated readers of public feeds.
    Public,
}

/// A TLP label and an audience that TLP allows together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawDistribution", into = "RawDistribution")]
pub struct Distribution {
    tlp: Tlp,
    audience: Audience,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistribution {
    tlp: Tlp,
    audience: Audience,
}

impl TryFrom<RawDistribution> for Distribution {
    type Error = DistributionError;
    fn try_from(raw: RawDistribution) -> Result<Self, Self::Error> {
        Distribution::new(raw.tlp, raw.audience)
    }
}

impl From<Distribution> for RawDistribution {
    fn from(d: Distribution) -> Self {
        RawDistribution {
            tlp: d.tlp,
            audience: d.audience,
        }
    }
}

/// Why a distribution is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DistributionError {
    /// Not a TLP 2.0 label.
    #[error("unknown TLP label {0:?} (expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED)")]
    UnknownTlp(String),
    /// A public audience with a label other than CLEAR.
    #[error("a public audience needs TLP:CLEAR, not TLP:{0}")]
    PublicNotClear(Tlp),
    /// TLP:RED sent to a group-like audience.
    #[error("TLP:RED is for named recipients only: use the originator or named members")]
    RedToGroup,
    /// A named-members audience with nobody in it.
    #[error("name at least one member in the audience")]
    NoMembers,
    /// An empty sharing group id.
    #[error("name the sharing group")]
    NoGroup,
}

impl Distribution {
    /// Checks that TLP allows the audience.
    pub fn new(tlp: Tlp, audience: Audience) -> Result<Distribution, DistributionError> {
        match (&audience, tlp) {
            (Audience::Public, t) if t != Tlp::Clear => {
                return Err(DistributionError::PublicNotClear(t));
            }
            (
                Audience::Forum { .. }
                | Audience::Group { .. }
                | Audience::AllMembers
                | Audience::Public,
                Tlp::Red,
            ) => {
                return Err(DistributionError::RedToGroup);
            }
            (Audience::Members { members }, _) if members.is_empty() => {
                return Err(DistributionError::NoMembers);
            }
            (Audience::Group { group }, _) if group.trim().is_empty() => {
                return Err(DistributionError::NoGroup);
            }
            _ => {}
        }
        Ok(Distribution { tlp, audience })
    }

    /// The default for public data (imported open data sets): TLP:CLEAR, public.
    pub fn public() -> Distribution {
        Distribution {
            tlp: Tlp::Clear,
            audience: Audience::Public,
        }
    }

    /// The TLP label.
    pub fn tlp(&self) -> Tlp {
        self.tlp
    }

    /// The audience.
    pub fn audience(&self) -> &Audience {
        &self.audience
    }
}

/// Who is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A user acting for a member.
    Member(MemberCode),
    /// Nobody authenticated: a public feed.
    Anonymous,
}

/// What the policy needs to know besides the record: the reference data
/// (forum memberships), the sharing groups and the date of reading.
#[derive(Debug, Clone, Copy)]
pub struct PolicyContext<'a> {
    /// Forums and memberships.
    pub reference: &'a ReferenceData,
    /// Sharing groups by id.
    pub groups: &'a BTreeMap<String, Vec<MemberCode>>,
    /// The day of reading: forum audiences resolve against membership then.
    pub today: NaiveDate,
}

/// Whether `reader` may see a record from `originator` with `distribution`.
/// The one place visibility is decided.
pub fn is_visible(
    distribution: &Distribution,
    originator: MemberCode,
    reader: Reader,
    ctx: &PolicyContext<'_>,
) -> bool {
    let member = match reader {
        Reader::Anonymous => return distribution.audience == Audience::Public,
        Reader::Member(m) => m,
    };
    if member == originator {
        return true;
    }
    match &distribution.audience {
        Audience::Originator => false,
        Audience::Members { members } => members.contains(&member),
        Audience::Forum { forum } => ctx
            .reference
            .forum(forum.as_str())
            .is_ok_and(|f| ctx.reference.is_member(f, member, ctx.today)),
        Audience::Group { group } => ctx.groups.get(group).is_some_and(|g| g.contains(&member)),
        Audience::AllMembers | Audience::Public => true,
    }
}

/// [`is_visible`] compiled for one reader: the audiences the reader falls
/// in, resolved once so that a store can select visible records with an
/// index instead of testing every row.
///
/// It is derived from the same context as `is_visible` and must agree with
/// it exactly; `admits` is the reference for what a store's query must
/// select, and a property test checks `admits ⇔ is_visible`. Stores still
/// pass every row they return through `is_visible`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readable {
    /// The reader's member, or `None` for an anonymous reader (public only).
    pub member: Option<MemberCode>,
    /// Forums the member belongs to on the day of reading.
    pub forums: Vec<ForumId>,
    /// Sharing groups the member is in.
    pub groups: Vec<String>,
}

impl Readable {
    /// Resolves `reader`'s forums and groups under `ctx`.
    pub fn resolve(reader: Reader, ctx: &PolicyContext<'_>) -> Readable {
        let Reader::Member(member) = reader else {
            return Readable {
                member: None,
                forums: Vec::new(),
                groups: Vec::new(),
            };
        };
        let forums = ctx
            .reference
            .forums()
            .iter()
            .filter(|f| ctx.reference.is_member(f, member, ctx.today))
            .map(|f| f.id.clone())
            .collect();
        let groups = ctx
            .groups
            .iter()
            .filter(|(_, members)| members.contains(&member))
            .map(|(id, _)| id.clone())
            .collect();
        Readable {
            member: Some(member),
            forums,
            groups,
        }
    }

    /// Whether a record with `distribution` from `originator` is in the
    /// reader's audiences. Equal to `is_visible` by construction.
    pub fn admits(&self, distribution: &Distribution, originator: MemberCode) -> bool {
        let Some(member) = self.member else {
            return distribution.audience == Audience::Public;
        };
        member == originator
            || match &distribution.audience {
                Audience::Originator => false,
                Audience::Members { members } => members.contains(&member),
                Audience::Forum { forum } => self.forums.contains(forum),
                Audience::Group { group } => self.groups.contains(group),
                Audience::AllMembers | Audience::Public => true,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_forbids_some_audiences() {
        assert!(Distribution::new(Tlp::Amber, Audience::Public).is_err());
        assert!(Distribution::new(Tlp::Clear, Audience::Public).is_ok());
        let forum = Audience::Forum {
            forum: ForumId::parse("asean").unwrap(),
        };
        assert_eq!(
            Distribution::new(Tlp::Red, forum),
            Err(DistributionError::RedToGroup)
        );
        assert_eq!(
            Distribution::new(Tlp::Green, Audience::Members { members: vec![] }),
            Err(DistributionError::NoMembers)
        );
        let jpn = MemberCode::parse("JPN").unwrap();
        assert!(Distribution::new(Tlp::Red, Audience::Members { members: vec![jpn] }).is_ok());
    }

    #[test]
    fn json_form_is_validated() {
        let ok: Distribution = serde_json::from_str(
            r#"{"tlp":"AMBER+STRICT","audience":{"type":"forum","forum":"recaap"}}"#,
        )
        .unwrap();
        assert_eq!(ok.tlp(), Tlp::AmberStrict);
        let err =
            serde_json::from_str::<Distribution>(r#"{"tlp":"GREEN","audience":{"type":"public"}}"#)
                .unwrap_err()
                .to_string();
        assert!(err.contains("public audience needs TLP:CLEAR"), "{err}");
        assert!("tlp:amber".parse::<Tlp>().is_ok());
        assert!("orange".parse::<Tlp>().is_err());
    }
}
