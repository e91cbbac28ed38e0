//! Members, forums, memberships and decision rules: the architecture as data.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{ForumId, Function, MemberCode};

/// What kind of participant a member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    /// A sovereign state.
    State,
    /// An economy that takes part in its own name (Hong Kong, China; Chinese Taipei).
    Economy,
    /// An international organisation (the European Union).
    Organisation,
}

/// A state, economy or organisation that takes part in forums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// ISO 3166-1 alpha-3 code, or an explicit code of the same shape.
    pub code: MemberCode,
    /// English short name.
    pub name: String,
    /// State, economy or organisation.
    pub kind: MemberKind,
    /// Whether `code` is an ISO 3166-1 alpha-3 code.
    pub iso3166: bool,
    /// Public source for the name and code.
    pub source: String,
}

/// The institutional form of a forum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForumKind {
    /// A treaty alliance.
    Alliance,
    /// A strategic dialogue or summit process.
    Dialogue,
    /// A forum of part of the region (Northeast Asia).
    SubregionalForum,
    /// A region-wide forum.
    RegionalForum,
    /// A financial arrangement such as currency swaps.
    FinancialArrangement,
    /// An information-sharing agreement.
    InformationSharing,
}

impl ForumKind {
    /// The identifier used in data files and output.
    pub fn id(self) -> &'static str {
        match self {
            ForumKind::Alliance => "alliance",
            ForumKind::Dialogue => "dialogue",
            ForumKind::SubregionalForum => "subregional-forum",
            ForumKind::RegionalForum => "regional-forum",
            ForumKind::FinancialArrangement => "financial-arrangement",
            ForumKind::InformationSharing => "information-sharing",
        }
    }
}

impl fmt::Display for ForumKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Whether a forum exists or is a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForumStatus {
    /// The body exists (or existed, see `ended`).
    Existing,
    /// The body is proposed; its membership is the proposed composition.
    Proposed,
}

impl fmt::Display for ForumStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ForumStatus::Existing => "existing",
            ForumStatus::Proposed => "proposed",
        })
    }
}

/// How a forum takes decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DecisionRule {
    /// No objection among the members who answer.
    Consensus,
    /// More than half of the votes cast.
    SimpleMajority,
    /// Votes weighted per member; passes when the weighted share of yes
    /// votes reaches `threshold` (a fraction in (0, 1]).
    WeightedMajority {
        /// Fraction of weighted votes needed.
        threshold: f64,
        /// Vote weight per member, where published; members absent from the
        /// map have weight zero. Empty when the weights could not be sourced.
        #[serde(default)]
        weights: BTreeMap<MemberCode, f64>,
    },
    /// Every named party must agree.
    Unanimity {
        /// The parties whose agreement is required.
        parties: Vec<MemberCode>,
    },
}

impl DecisionRule {
    /// A short identifier of the rule.
    pub fn id(&self) -> &'static str {
        match self {
            DecisionRule::Consensus => "consensus",
            DecisionRule::SimpleMajority => "simple-majority",
            DecisionRule::WeightedMajority { .. } => "weighted-majority",
            DecisionRule::Unanimity { .. } => "unanimity",
        }
    }
}

/// A forum: one layer of the architecture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forum {
    /// Short stable id.
    pub id: ForumId,
    /// Full name.
    pub name: String,
    /// Institutional form.
    pub kind: ForumKind,
    /// Existing or proposed.
    pub status: ForumStatus,
    /// Date the body came into being; `None` for proposals.
    pub established: Option<NaiveDate>,
    /// Date the body ceased to exist, if it did.
    pub ended: Option<NaiveDate>,
    /// Functions the forum is mandated for.
    pub functions: Vec<Function>,
    /// How it decides.
    pub decision: DecisionRule,
    /// Forums whose members are members of this one too.
    pub includes: Vec<ForumId>,
    /// Why the forum is defined from others (required when `includes` is set).
    pub includes_reason: Option<String>,
    /// Its secretariat, if any.
    pub secretariat: Option<String>,
    /// Public source.
    pub source: String,
    /// Remarks: uncertainties, how the rules were read.
    pub notes: Option<String>,
}

impl Forum {
    /// Whether the forum exists on `date` (proposals always "exist", so that
    /// their proposed composition can be asked about).
    pub fn exists_on(&self, date: NaiveDate) -> bool {
        self.established.is_none_or(|from| from <= date) && self.ended.is_none_or(|to| date < to)
    }
}

/// One period of a member's direct membership in a forum.
///
/// `joined` is the first day of membership; `left` is the first day the
/// member no longer belongs. `joined` is `None` only for proposed forums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The forum.
    pub forum: ForumId,
    /// The member.
    pub member: MemberCode,
    /// First day of membership.
    pub joined: Option<NaiveDate>,
    /// First day after membership ended.
    pub left: Option<NaiveDate>,
    /// Public source for the dates.
    pub source: String,
    /// Remarks (approximate dates, how the fact was read).
    pub note: Option<String>,
}

/// A half-open range of days `[from, to)`; `None` means unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// First day after the period, exclusive.
    pub to: Option<NaiveDate>,
}

impl Period {
    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = match (self.from, other.to) {
            (Some(f), Some(t)) => f < t,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.from, self.to) {
            (Some(f), Some(t)) => f < t,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// The days common to both periods, or `None` if they share none.
    pub fn intersect(&self, other: &Period) -> Option<Period> {
        if !self.overlaps(other) {
            return None;
        }
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Some(Period { from, to })
    }
}
