//! Capability pledges, operations and the coalition optimiser of EASF.
//!
//! Members offer assets in standing *pledges* ([`Pledge`]): a quantity of a
//! catalogued asset type ([`Catalogue`], [`AssetType`]) with a home base,
//! readiness, speed and caveats. An *operation* ([`Operation`]) serves one
//! function in one area and time window, needs the consent of its host
//! states, and lists requirements (asset type, quantity, deadline,
//! priority). [`plan`] forms the coalition: a mixed-integer program (HiGHS
//! through good_lp) that chooses how much each pledge gives each
//! requirement. [`greedy`] is the earliest-arrival baseline it is measured
//! against. [`Scenario`] reads an operation with its pledges and sources
//! from a TOML file (format: docs/SCENARIOS.md).
//!
//! The crate does no I/O and reads no clock: text comes in as `&str`, time
//! as a `now` argument. Plans are deterministic: pledges are ordered by id,
//! every map is ordered, and the solver runs single-threaded with a fixed
//! seed, so the same input always gives the same plan.
//!
//! # How a plan is chosen
//!
//! A pledge can serve a requirement only if its asset type matches and
//! serves the operation's function, no host declines it, its caveats allow
//! the function, the area, the hosts and the duration, and it arrives by the
//! deadline. Arrival is `max(0, now − start) + readiness + great-circle
//! distance / speed` to the area's centroid, in hours after the start.
//! Deadlines are hard under every policy; the diagnosis says how late the
//! late assets would be.
//!
//! Stage 1 maximises coverage (Σ priority × covered fraction of each
//! requirement). Stage 2 holds coverage at its optimum and optimises the
//! [`Policy`]: `inclusive` (most members), `lean` (fewest), `fast` (least
//! weighted arrival time) or `shared` (contributions closest to each
//! member's share of the pledged capacity). Every [`Plan`] lists the
//! assignments, the unmet requirements with the pledges that came closest
//! and why they could not serve, the participants, the objective values,
//! and why each member is in or out.
//!
//! # Example
//!
//! ```
//! use ops::{Catalogue, Policy, Scenario};
//!
//! let catalogue = Catalogue::embedded();
//! let nargis = Scenario::embedded("nargis-2008").unwrap().unwrap();
//! let plan = nargis.plan(&catalogue, Policy::Inclusive).unwrap();
//! // Myanmar declined foreign military ships: none is in the plan.
//! for a in &plan.assignments {
//!     let t = catalogue.get(&a.asset_type).unwrap();
//!     assert!(!(t.class == ops::AssetClass::Ship && t.military && a.member.as_str() != "MMR"));
//! }
//! println!("{}", serde_json::to_string_pretty(&plan).unwrap());
//! ```
#![deny(missing_docs)]

mod catalogue;
mod eligibility;
mod geo;
mod operation;
mod plan;
mod pledge;
mod problem;
pub mod records;
mod scenario;
mod solve;

pub use catalogue::{AssetClass, AssetType, Catalogue, EMBEDDED_CATALOGUE};
pub use eligibility::{Reason, check, validate};
pub use geo::{Area, LatLon, Shape};
pub use operation::{Consent, Decline, Operation, Requirement, Status};
pub use plan::{
    Assignment, MemberNote, NearMiss, Objectives, Plan, PlanStatus, Policy, Unmet, greedy, plan,
    plan_within, score,
};
pub use pledge::{AreaExclusion, Caveats, KMH_PER_KNOT, Pledge};
pub use problem::{Place, PlanError, Problem, Problems};
pub use scenario::{EMBEDDED_SCENARIOS, Provenance, Scenario, Source};
