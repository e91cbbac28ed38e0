//! Pledges: members' standing offers of assets, with their caveats.

use model::{Function, MemberCode};
use serde::Serialize;

use crate::geo::{Area, LatLon};

/// Kilometres per hour in one knot (international nautical mile per hour).
pub const KMH_PER_KNOT: f64 = 1.852;

/// A member's standing offer of some quantity of one asset type (a standby
/// arrangement in the manner of ASEAN's SASOP).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pledge {
    /// Stable id, unique among the pledges given to the planner.
    pub id: String,
    /// The pledging member.
    pub member: MemberCode,
    /// The agency that holds the asset (`JSDF`, `Singapore Civil Defence Force`).
    pub agency: String,
    /// The catalogue id of the asset type.
    pub asset_type: String,
    /// How much is offered, in the asset type's unit.
    pub quantity: f64,
    /// Where the asset waits.
    pub base: LatLon,
    /// Hours from the call until the asset departs.
    pub readiness_hours: f64,
    /// Transit speed in km/h (data files may give knots). `None` for assets
    /// that do not travel the distance themselves: funds, remote experts.
    pub speed_kmh: Option<f64>,
    /// Days the asset can stay on task without resupply; `None` = no limit.
    pub endurance_days: Option<f64>,
    /// Overrides the asset type's military flag: a helicopter may belong to
    /// a coast guard or an air force.
    pub military: Option<bool>,
    /// The conditions the member attached.
    pub caveats: Caveats,
}

/// Conditions a member attaches to a pledge.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Caveats {
    /// Functions the pledge may serve; empty = any the asset type serves.
    pub functions: Vec<Function>,
    /// Areas the asset will not go to.
    pub excluded_areas: Vec<AreaExclusion>,
    /// Members the asset will not operate alongside: the pledge is unusable
    /// in an operation hosted by, or joined by, any of them.
    pub excluded_partners: Vec<MemberCode>,
    /// The longest commitment the member accepts, in days.
    pub max_duration_days: Option<f64>,
}

/// An area a pledge excludes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AreaExclusion {
    /// By name: matches an operation area of that name or a host's code,
    /// case-insensitively (`"MMR"`, `"South China Sea"`).
    Named(String),
    /// By shape: matches an operation area that overlaps it.
    Area(Area),
}

impl Pledge {
    /// Hours from the call until the asset reaches `to`: readiness plus
    /// great-circle distance over transit speed.
    pub fn hours_to(&self, to: LatLon) -> f64 {
        match self.speed_kmh {
            Some(v) => self.readiness_hours + self.base.distance_km(to) / v,
            None => self.readiness_hours,
        }
    }
}
