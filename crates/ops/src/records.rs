//! From shared records to planner input: the pledge and operation report
//! bodies of `model::report` (what members sign and share) become the
//! [`Pledge`]s and the [`Operation`] that [`plan`](crate::plan) takes, and
//! their asset types and quantities are checked against the [`Catalogue`].

use model::Function;
use model::MemberCode;
use model::record::Geometry;
use model::report::{ExcludedArea, OperationReport, OperationState, PledgeReport};

use crate::catalogue::{AssetClass, Catalogue};
use crate::geo::{Area, LatLon, Shape};
use crate::operation::{Consent, Decline, Operation, Requirement, Status};
use crate::pledge::{AreaExclusion, Caveats, KMH_PER_KNOT, Pledge};

/// Checks an asset type and quantity against the catalogue, naming `field`:
/// the type must exist and the quantity be above zero and whole where the
/// type counts whole units.
pub fn check_asset(
    catalogue: &Catalogue,
    field: &str,
    asset_type: &str,
    quantity: f64,
) -> Result<(), String> {
    let Some(t) = catalogue.get(asset_type) else {
        return Err(format!(
            "{field}: unknown asset type {asset_type:?} (see `easf op catalogue` or data/capabilities.toml)"
        ));
    };
    if quantity.is_finite() && quantity <= 0.0 {
        return Err(format!("{field}: quantity must be greater than 0"));
    }
    t.check_quantity(quantity)
        .map_err(|e| format!("{field}: {e}"))
}

/// Every catalogue problem in an operation's requirements and tasks.
pub fn check_operation(catalogue: &Catalogue, op: &OperationReport) -> Vec<String> {
    let reqs = op
        .requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("requirements[{i}]"), &r.asset_type, r.quantity));
    let tasks = op
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("tasks[{i}]"), &t.asset_type, t.quantity));
    reqs.chain(tasks)
        .filter_map(|(f, t, q)| check_asset(catalogue, &f, t, q).err())
        .collect()
}

fn lat_lon([lon, lat]: [f64; 2]) -> Result<LatLon, String> {
    LatLon::new(lat, lon)
}

fn area(name: &str, g: &Geometry) -> Result<Area, String> {
    let shape = match g {
        Geometry::Point { coordinates } => Shape::Point(lat_lon(*coordinates)?),
        Geometry::Polygon { coordinates } => {
            let outer = coordinates.first().ok_or("a polygon needs a ring")?;
            Shape::Polygon(
                outer
                    .iter()
                    .map(|p| lat_lon(*p))
                    .collect::<Result<_, _>>()?,
            )
        }
    };
    let a = Area {
        name: name.to_owned(),
        shape,
    };
    a.validate()?;
    Ok(a)
}

/// The planner's pledge for a pledge record: `id` (the record id), the
/// pledging `member`, the record's `location` as home base.
pub fn pledge(
    catalogue: &Catalogue,
    id: &str,
    member: MemberCode,
    body: &PledgeReport,
    base: Option<&Geometry>,
) -> Result<Pledge, String> {
    check_asset(catalogue, "asset_type", &body.asset_type, body.quantity)?;
    let base = match base {
        Some(Geometry::Point { coordinates }) => lat_lon(*coordinates)?,
        Some(g) => area("base", g)?.centroid(),
        None => {
            return Err(format!(
                "pledge {id} has no home base (the record's location)"
            ));
        }
    };
    let excluded_areas = body
        .caveats
        .excluded_areas
        .iter()
        .enumerate()
        .map(|(i, a)| match a {
            ExcludedArea::Named(n) => Ok(AreaExclusion::Named(n.clone())),
            ExcludedArea::Area(g) => {
                area(&format!("excluded area {i}"), g).map(AreaExclusion::Area)
            }
        })
        .collect::<Result<_, String>>()?;
    Ok(Pledge {
        id: id.to_owned(),
        member,
        agency: body.agency.clone(),
        asset_type: body.asset_type.clone(),
        quantity: body.quantity,
        base,
        readiness_hours: body.readiness_hours,
        speed_kmh: body.speed_knots.map(|k| k * KMH_PER_KNOT),
        endurance_days: body.endurance_days,
        military: body.military,
        caveats: Caveats {
            functions: body.caveats.functions.clone(),
            excluded_areas,
            excluded_partners: body.caveats.excluded_partners.clone(),
            max_duration_days: body.caveats.max_duration_days,
        },
    })
}

/// The planner's operation for an operation record: `id`, its `function`,
/// its `location` (the area, named `name`) and body.
pub fn operation(
    catalogue: &Catalogue,
    id: &str,
    name: &str,
    function: Function,
    location: Option<&Geometry>,
    body: &OperationReport,
) -> Result<Operation, String> {
    let problems = check_operation(catalogue, body);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    let area = match location {
        Some(g) => area(name, g)?,
        None => {
            return Err(format!(
                "operation {id} has no area (the record's location)"
            ));
        }
    };
    let mut declined: Vec<Decline> = body
        .consent
        .declined_members
        .iter()
        .map(|m| Decline {
            member: Some(*m),
            note: body.consent.note.clone().unwrap_or_default(),
            ..Decline::default()
        })
        .collect();
    for c in &body.consent.declined_asset_classes {
        let (military, class) = match c.strip_prefix("military") {
            Some("") => (Some(true), None),
            Some(rest) => (Some(true), Some(rest.trim_start_matches('-'))),
            None => (None, Some(c.as_str())),
        };
        let class = class
            .map(|c| c.parse::<AssetClass>().map_err(|e| e.to_string()))
            .transpose()?;
        declined.push(Decline {
            class,
            military,
            note: body.consent.note.clone().unwrap_or_default(),
            ..Decline::default()
        });
    }
    let hours =
        |t: chrono::DateTime<chrono::Utc>| (t - body.window.start).num_seconds() as f64 / 3600.0;
    Ok(Operation {
        id: id.to_owned(),
        function,
        area,
        start: body.window.start,
        end: body.window.end,
        hosts: body.hosts.clone(),
        consent: Consent { declined },
        requirements: body
            .requirements
            .iter()
            .enumerate()
            .map(|(i, r)| Requirement {
                id: format!("r{}", i + 1),
                asset_type: r.asset_type.clone(),
                quantity: r.quantity,
                deadline_hours: hours(r.deadline),
                priority: r.priority,
                duration_days: Some(hours(body.window.end) / 24.0),
            })
            .collect(),
        status: match body.state {
            OperationState::Proposed => Status::Proposed,
            OperationState::Approved => Status::Decided,
            OperationState::Active => Status::Active,
            OperationState::Rejected | OperationState::Closed => Status::Closed,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::report::{ReportBody, ReportKind, parse_body};
    use serde_json::json;

    #[test]
    fn records_become_planner_input_and_bad_assets_are_named() {
        let cat = Catalogue::embedded();
        assert!(check_asset(&cat, "quantity", "medium-helicopter", 1.5).is_err());
        assert!(check_asset(&cat, "quantity", "medium-helicopter", -1.0).is_err());
        assert!(
            check_asset(&cat, "asset_type", "submarine", 1.0)
                .unwrap_err()
                .contains("unknown asset type")
        );
        let ReportBody::Operation(op) = parse_body(
            ReportKind::Operation,
            &json!({"forum": "asean",
            "window": {"start": "2026-11-04T00:00:00Z", "end": "2026-12-04T00:00:00Z"},
            "hosts": ["MMR"], "consent": {"declined_asset_classes": ["military-ship"]},
            "requirements": [{"asset_type": "medium-helicopter", "quantity": 4.0,
                              "deadline": "2026-11-07T00:00:00Z", "priority": 10}],
            "decision_deadline": "2026-11-03T12:00:00Z"}),
        )
        .unwrap() else {
            panic!()
        };
        let poly = Geometry::Polygon {
            coordinates: vec![vec![
                [94.5, 15.5],
                [96.5, 15.5],
                [96.5, 17.0],
                [94.5, 17.0],
                [94.5, 15.5],
            ]],
        };
        let o = operation(
            &cat,
            "op1",
            "Irrawaddy delta",
            Function::Disaster,
            Some(&poly),
            &op,
        )
        .unwrap();
        assert_eq!(o.requirements[0].deadline_hours, 72.0);
        assert_eq!(o.consent.declined[0].class, Some(AssetClass::Ship));
        assert_eq!(o.consent.declined[0].military, Some(true));
        let ReportBody::Pledge(p) = parse_body(
            ReportKind::Pledge,
            &json!({"asset_type": "medium-helicopter",
            "quantity": 2.0, "agency": "RTAF", "readiness_hours": 24.0, "speed_knots": 120.0}),
        )
        .unwrap() else {
            panic!()
        };
        let base = Geometry::Point {
            coordinates: [100.6, 13.9],
        };
        let p = pledge(&cat, "p1", "THA".parse().unwrap(), &p, Some(&base)).unwrap();
        let plan = crate::plan(&cat, &o, &[p], crate::Policy::Inclusive, o.start).unwrap();
        assert_eq!(plan.assignments.len(), 1);
    }
}
