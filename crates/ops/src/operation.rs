//! Operations: what a forum decided to do, where, when, with what consent,
//! and what it needs.

use chrono::{DateTime, Utc};
use model::{Function, MemberCode};
use serde::Serialize;

use crate::catalogue::AssetClass;
use crate::geo::Area;

/// An operation to plan: one function, one area, one time window, the host
/// states' consent, and the requirements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// Stable id.
    pub id: String,
    /// The function the operation serves; pledges must serve it.
    pub function: Function,
    /// The area of operations. Transit is measured to its centroid.
    pub area: Area,
    /// Start of the window: deadlines and arrivals count hours from here.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
    /// The states whose consent is required.
    pub hosts: Vec<MemberCode>,
    /// What the hosts decline.
    pub consent: Consent,
    /// What is needed.
    pub requirements: Vec<Requirement>,
    /// Lifecycle state; a closed operation is not planned.
    pub status: Status,
}

/// Lifecycle of an operation (DESIGN.md §2, Operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Proposed in a forum, not yet decided.
    #[default]
    Proposed,
    /// Decided by the forum's rule with host consent.
    Decided,
    /// Running: tasks issued.
    Active,
    /// Closed with an after-action record.
    Closed,
}

/// The hosts' consent: assisting assets they decline. Assets of a host
/// itself are never declined by these rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Consent {
    /// Each rule declines the assets that match all of its given fields.
    pub declined: Vec<Decline>,
}

/// One consent rule. A rule with only `member` declines everything from that
/// member; `military = true` with `class = ship` declines foreign military
/// ships (Cyclone Nargis, 2008).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Decline {
    /// The declined member, if the rule is about one member.
    pub member: Option<MemberCode>,
    /// The declined asset class, if the rule is about one class.
    pub class: Option<AssetClass>,
    /// The declined asset type, if the rule is about one type (military
    /// helicopters declined while military transport aircraft are accepted).
    pub asset_type: Option<String>,
    /// Declines only military (`true`) or only civilian (`false`) assets.
    pub military: Option<bool>,
    /// Why, with a source where there is one; shown in explanations.
    pub note: String,
}

impl Decline {
    /// Whether the rule declines an asset of `member`, `asset_type` (of
    /// `class`), `military`. A rule with no fields declines nothing.
    pub fn matches(
        &self,
        member: MemberCode,
        asset_type: &str,
        class: AssetClass,
        military: bool,
    ) -> bool {
        self.member.is_none_or(|m| m == member)
            && self.class.is_none_or(|c| c == class)
            && self.asset_type.as_deref().is_none_or(|t| t == asset_type)
            && self.military.is_none_or(|v| v == military)
            && (self.member.is_some()
                || self.class.is_some()
                || self.asset_type.is_some()
                || self.military.is_some())
    }
}

/// A need of the operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    /// Stable id, unique within the operation.
    pub id: String,
    /// The catalogue id of the asset type needed.
    pub asset_type: String,
    /// How much, in the asset type's unit.
    pub quantity: f64,
    /// Hours after the operation's start by which the assets must arrive.
    pub deadline_hours: f64,
    /// Weight in the coverage objective, at least 1.
    pub priority: u32,
    /// Days the assets are needed; checked against pledges' endurance and
    /// maximum duration. `None` = not checked.
    pub duration_days: Option<f64>,
}
