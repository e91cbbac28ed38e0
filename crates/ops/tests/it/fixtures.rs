//! Small instances built in code.

use chrono::{DateTime, TimeZone, Utc};
use model::{Function, MemberCode};
use ops::{Area, Caveats, Consent, LatLon, Operation, Pledge, Requirement, Shape, Status};

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

pub(crate) fn m(code: &str) -> MemberCode {
    MemberCode::parse(code).unwrap()
}

/// A 1°×1° square around (10°N, 120°E).
pub(crate) fn area() -> Area {
    let p = |lat, lon| LatLon { lat, lon };
    Area {
        name: "Test Area".into(),
        shape: Shape::Polygon(vec![
            p(9.5, 119.5),
            p(9.5, 120.5),
            p(10.5, 120.5),
            p(10.5, 119.5),
        ]),
    }
}

pub(crate) fn req(id: &str, asset_type: &str, quantity: f64, deadline: f64) -> Requirement {
    Requirement {
        id: id.into(),
        asset_type: asset_type.into(),
        quantity,
        deadline_hours: deadline,
        priority: 1,
        duration_days: None,
    }
}

pub(crate) fn op(requirements: Vec<Requirement>) -> Operation {
    Operation {
        id: "test-op".into(),
        function: Function::Disaster,
        area: area(),
        start: t0(),
        end: t0() + chrono::Duration::days(30),
        hosts: vec![m("PHL")],
        consent: Consent::default(),
        requirements,
        status: Status::Decided,
    }
}

/// A pledge based `km_east` kilometres east of the area's centre (roughly),
/// flying at 500 km/h.
pub(crate) fn pledge(id: &str, member: &str, asset_type: &str, q: f64, hours: f64) -> Pledge {
    Pledge {
        id: id.into(),
        member: m(member),
        agency: "test".into(),
        asset_type: asset_type.into(),
        quantity: q,
        base: LatLon {
            lat: 10.0,
            lon: 120.0,
        },
        readiness_hours: hours,
        speed_kmh: Some(500.0),
        endurance_days: None,
        military: None,
        caveats: Caveats::default(),
    }
}

/// Two heavy USAR teams wanted in 48 h; Australia offers both, Japan and
/// Korea one each but sooner.
pub(crate) fn usar_choice() -> (Operation, Vec<Pledge>) {
    (
        op(vec![req("r1", "usar-heavy", 2.0, 48.0)]),
        vec![
            pledge("a", "AUS", "usar-heavy", 2.0, 10.0),
            pledge("j", "JPN", "usar-heavy", 1.0, 5.0),
            pledge("k", "KOR", "usar-heavy", 1.0, 5.0),
        ],
    )
}
