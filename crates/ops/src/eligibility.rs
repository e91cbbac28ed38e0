//! Whether a pledge can serve a requirement, and if not, why.
//!
//! Every exclusion the planner applies is decided here, once, so the
//! optimiser, the greedy baseline and the diagnosis cannot disagree.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalogue::{AssetType, Catalogue};
use crate::operation::{Operation, Requirement};
use crate::pledge::{AreaExclusion, Pledge};
use crate::problem::{Place, Problem, Problems};

/// Why a pledge cannot serve a requirement. Ordered from "nothing like what
/// is needed" to "almost": the diagnosis shows the nearest misses first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    /// The pledge is of another asset type.
    WrongType {
        /// What the pledge offers.
        offered: String,
    },
    /// The asset type does not serve the operation's function.
    TypeNotForFunction,
    /// A host declines this member or this kind of asset.
    DeclinedByHost {
        /// The consent rule's note.
        note: String,
    },
    /// The pledge's caveats exclude the operation's function.
    CaveatFunction,
    /// The pledge's caveats exclude the area.
    CaveatArea {
        /// The excluded area's name.
        area: String,
    },
    /// The pledge's caveats exclude working with a host.
    CaveatPartner {
        /// The excluded host.
        partner: String,
    },
    /// The commitment is longer than the member accepts or the asset lasts.
    TooLong {
        /// Days needed.
        needed_days: f64,
        /// Days the pledge allows.
        allowed_days: f64,
    },
    /// The asset would arrive after the deadline.
    TooLate {
        /// Arrival, hours after the operation's start.
        arrival_hours: f64,
        /// The deadline, hours after the operation's start.
        deadline_hours: f64,
    },
    /// Eligible, but its quantity went to other requirements (or the policy
    /// chose other pledges); set by the diagnosis, not by [`check`].
    QuantityUsedElsewhere {
        /// Arrival, hours after the operation's start.
        arrival_hours: f64,
    },
}

impl Reason {
    /// A rank for "how close": lower is closer.
    pub(crate) fn closeness(&self) -> u8 {
        match self {
            Reason::QuantityUsedElsewhere { .. } => 0,
            Reason::TooLate { .. } => 1,
            Reason::TooLong { .. } => 2,
            Reason::CaveatArea { .. } | Reason::CaveatPartner { .. } => 3,
            Reason::CaveatFunction => 4,
            Reason::DeclinedByHost { .. } => 5,
            Reason::TypeNotForFunction => 6,
            Reason::WrongType { .. } => 7,
        }
    }

    /// One line for people.
    pub fn describe(&self) -> String {
        match self {
            Reason::WrongType { offered } => format!("wrong type: offers {offered}"),
            Reason::TypeNotForFunction => "asset type does not serve this function".into(),
            Reason::DeclinedByHost { note } => format!("declined by host: {note}"),
            Reason::CaveatFunction => "caveat excludes this function".into(),
            Reason::CaveatArea { area } => format!("caveat excludes area {area}"),
            Reason::CaveatPartner { partner } => format!("caveat excludes partner {partner}"),
            Reason::TooLong {
                needed_days,
                allowed_days,
            } => format!("needed for {needed_days} days, pledge allows {allowed_days}"),
            Reason::TooLate {
                arrival_hours,
                deadline_hours,
            } => format!(
                "too late by {:.1} h (arrives {:.1} h, deadline {:.1} h)",
                arrival_hours - deadline_hours,
                arrival_hours,
                deadline_hours
            ),
            Reason::QuantityUsedElsewhere { arrival_hours } => format!(
                "eligible (arrives {arrival_hours:.1} h) but its quantity is used elsewhere"
            ),
        }
    }
}

/// Hours from the operation's start until the call reaches members: planning
/// after the start delays every arrival by the difference.
pub(crate) fn call_offset_hours(op: &Operation, now: DateTime<Utc>) -> f64 {
    ((now - op.start).num_seconds() as f64 / 3600.0).max(0.0)
}

/// Whether the pledge is military, after its own override.
pub(crate) fn is_military(p: &Pledge, t: &AssetType) -> bool {
    p.military.unwrap_or(t.military)
}

/// Decides whether `p` can serve `r`; on success, its arrival in hours after
/// the operation's start. `offset` is [`call_offset_hours`].
pub fn check(
    catalogue: &Catalogue,
    op: &Operation,
    r: &Requirement,
    p: &Pledge,
    offset: f64,
) -> Result<f64, Reason> {
    if p.asset_type != r.asset_type {
        return Err(Reason::WrongType {
            offered: p.asset_type.clone(),
        });
    }
    // Validation guarantees the type exists; an unknown one cannot serve.
    let Some(t) = catalogue.get(&p.asset_type) else {
        return Err(Reason::TypeNotForFunction);
    };
    if !t.functions.contains(&op.function) {
        return Err(Reason::TypeNotForFunction);
    }
    if !op.hosts.contains(&p.member) {
        let military = is_military(p, t);
        if let Some(rule) = op
            .consent
            .declined
            .iter()
            .find(|d| d.matches(p.member, &t.id, t.class, military))
        {
            return Err(Reason::DeclinedByHost {
                note: rule.note.clone(),
            });
        }
    }
    if !p.caveats.functions.is_empty() && !p.caveats.functions.contains(&op.function) {
        return Err(Reason::CaveatFunction);
    }
    for ex in &p.caveats.excluded_areas {
        let hit = match ex {
            AreaExclusion::Named(name) => {
                name.eq_ignore_ascii_case(&op.area.name)
                    || op
                        .hosts
                        .iter()
                        .any(|h| name.eq_ignore_ascii_case(h.as_str()))
            }
            AreaExclusion::Area(a) => a.overlaps(&op.area),
        };
        if hit {
            let area = match ex {
                AreaExclusion::Named(n) => n.clone(),
                AreaExclusion::Area(a) => a.name.clone(),
            };
            return Err(Reason::CaveatArea { area });
        }
    }
    if let Some(h) = op
        .hosts
        .iter()
        .find(|h| p.caveats.excluded_partners.contains(h))
    {
        return Err(Reason::CaveatPartner {
            partner: h.to_string(),
        });
    }
    if let Some(need) = r.duration_days {
        let allowed = match (p.caveats.max_duration_days, p.endurance_days) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(allowed) = allowed.filter(|&a| a < need) {
            return Err(Reason::TooLong {
                needed_days: need,
                allowed_days: allowed,
            });
        }
    }
    let arrival = offset + p.hours_to(op.area.centroid());
    if arrival > r.deadline_hours + 1e-9 {
        return Err(Reason::TooLate {
            arrival_hours: arrival,
            deadline_hours: r.deadline_hours,
        });
    }
    Ok(arrival)
}

/// Checks a request and its pledges before planning. All problems are
/// reported together.
pub fn validate(
    catalogue: &Catalogue,
    op: &Operation,
    pledges: &[Pledge],
    now: DateTime<Utc>,
) -> Result<(), Problems> {
    let mut out = Vec::new();
    let mut bad = |what: String, message: String| {
        out.push(Problem {
            place: Place::Item(what),
            message,
        })
    };
    let opn = format!("operation {}", op.id);
    if let Err(e) = op.area.validate() {
        bad(opn.clone(), e);
    }
    if op.end <= op.start {
        bad(opn.clone(), "the time window ends before it starts".into());
    }
    if now > op.end {
        bad(
            opn.clone(),
            format!("the time window ended at {}, before now ({now})", op.end),
        );
    }
    if op.hosts.is_empty() {
        bad(opn.clone(), "no host state: consent is required".into());
    }
    for d in &op.consent.declined {
        if let Some(t) = d
            .asset_type
            .as_deref()
            .filter(|t| catalogue.get(t).is_none())
        {
            bad(
                opn.clone(),
                format!("consent rule names unknown asset type {t:?}"),
            );
        }
    }
    if op.requirements.is_empty() {
        bad(opn.clone(), "no requirements".into());
    }
    let offset = call_offset_hours(op, now);
    let mut seen = std::collections::BTreeSet::new();
    for r in &op.requirements {
        let what = format!("requirement {}", r.id);
        if !seen.insert(&r.id) {
            bad(what.clone(), "duplicate requirement id".into());
        }
        match catalogue.get(&r.asset_type) {
            None => bad(
                what.clone(),
                format!("unknown asset type {:?}", r.asset_type),
            ),
            Some(t) => {
                if let Err(e) = t.check_quantity(r.quantity) {
                    bad(what.clone(), e);
                } else if r.quantity == 0.0 {
                    bad(what.clone(), "quantity must be more than zero".into());
                }
                if !t.functions.contains(&op.function) {
                    bad(
                        what.clone(),
                        format!("asset type {} does not serve {}", t.id, op.function),
                    );
                }
            }
        }
        if !r.deadline_hours.is_finite() || r.deadline_hours < 0.0 {
            bad(
                what.clone(),
                format!("deadline {} h must be zero or more", r.deadline_hours),
            );
        } else if r.deadline_hours < offset {
            bad(
                what.clone(),
                format!(
                    "deadline is in the past: {} h after the start, but now is {:.1} h after it",
                    r.deadline_hours, offset
                ),
            );
        }
        if r.priority == 0 {
            bad(what.clone(), "priority must be at least 1".into());
        }
        if let Some(d) = r.duration_days.filter(|d| !(d.is_finite() && *d > 0.0)) {
            bad(what, format!("duration {d} days must be positive"));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in pledges {
        let what = format!("pledge {}", p.id);
        if !seen.insert(&p.id) {
            bad(what.clone(), "duplicate pledge id".into());
        }
        match catalogue.get(&p.asset_type) {
            None => bad(
                what.clone(),
                format!("unknown asset type {:?}", p.asset_type),
            ),
            Some(t) => {
                if let Err(e) = t.check_quantity(p.quantity) {
                    bad(what.clone(), e);
                }
            }
        }
        if !(p.readiness_hours.is_finite() && p.readiness_hours >= 0.0) {
            bad(
                what.clone(),
                format!("readiness {} h must be zero or more", p.readiness_hours),
            );
        }
        if let Some(v) = p.speed_kmh.filter(|v| !(v.is_finite() && *v > 0.0)) {
            bad(what.clone(), format!("speed {v} km/h must be positive"));
        }
        for d in [p.endurance_days, p.caveats.max_duration_days]
            .into_iter()
            .flatten()
        {
            if !(d.is_finite() && d > 0.0) {
                bad(what.clone(), format!("duration {d} days must be positive"));
            }
        }
        for ex in &p.caveats.excluded_areas {
            if let AreaExclusion::Area(a) = ex
                && let Err(e) = a.validate()
            {
                bad(what.clone(), e);
            }
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(Problems(out))
    }
}
