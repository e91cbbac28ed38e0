//! Records for the export unit tests.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::MemberCode;
use crate::record::{Draft, Originator, RecordId, RecordVersion};

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("fixture times parse")
}

pub(crate) fn version(n: u8, member: &str, draft: Value) -> RecordVersion {
    let origin = Originator {
        member: MemberCode::parse(member).expect("fixture member codes parse"),
        agency: Some("Coast Guard".into()),
        node: "node-1".into(),
    };
    let draft = Draft::parse(&draft).expect("fixture drafts are valid");
    RecordVersion::first(
        RecordId::new_v7(1_795_608_000_000 + u64::from(n), [n; 10]),
        origin,
        at("2026-11-21T08:00:00Z"),
        draft,
    )
}

pub(crate) fn piracy() -> RecordVersion {
    version(
        1,
        "IDN",
        json!({
            "kind": "piracy", "title": "Boarding at anchor, Belawan",
            "observed_at": "2026-11-20T21:30:00Z",
            "location": {"type": "Point", "coordinates": [98.7, 3.8]},
            "place": "Belawan anchorage",
            "body": {"attack_type": "robbery", "perpetrators": 4, "severity": "CAT3",
                     "items_stolen": ["engine spares"]},
            "source_ref": "asam:2026-101",
            "distribution": {"tlp": "GREEN", "audience": {"type": "forum", "forum": "recaap"}}
        }),
    )
}

pub(crate) fn disaster_polygon() -> RecordVersion {
    version(
        2,
        "PHL",
        json!({
            "kind": "disaster", "title": "Typhoon landfall, Samar",
            "observed_at": "2026-11-18T03:00:00Z",
            "location": {"type": "Polygon", "coordinates": [[[124.0, 11.0], [126.0, 11.0],
                         [126.0, 13.0], [124.0, 13.0], [124.0, 11.0]]]},
            "body": {"hazard": "tropical_cyclone", "magnitude": {"value": 4.0, "scale": "Saffir-Simpson"},
                     "affected_population": 250000},
            "distribution": {"tlp": "AMBER", "audience": {"type": "all-members"}}
        }),
    )
}

pub(crate) fn retracted() -> RecordVersion {
    let v = piracy();
    v.retract(
        v.originator.member,
        at("2026-11-22T08:00:00Z"),
        "duplicate of an earlier report",
    )
    .expect("the originator retracts")
}
