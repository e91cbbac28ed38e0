//! Writes a STIX 2.1 bundle covering every report kind, a polygon, a
//! retraction and every TLP label to stdout, for the OASIS validator:
//!
//! ```text
//! cargo run -p model --example stix_sample > /tmp/b.json
//! python scripts/check_stix.py /tmp/b.json
//! ```
//!
//! With `geojson` or `csv` as argument it writes that export instead.

use chrono::{DateTime, Utc};
use model::export::{self, stix::Entry};
use model::record::{Draft, Originator, RecordId, RecordVersion};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("sample times parse")
}

fn version(n: u8, member: &str, draft: Value) -> RecordVersion {
    let origin = Originator {
        member: member.parse().expect("sample member codes parse"),
        agency: Some("Maritime Command".into()),
        node: "sample-1".into(),
    };
    let draft = Draft::parse(&draft).unwrap_or_else(|e| panic!("sample draft {n}: {e}"));
    RecordVersion::first(
        RecordId::new_v7(1_795_608_000_000 + u64::from(n) * 1000, [n; 10]),
        origin,
        at("2026-11-21T08:00:00Z"),
        draft,
    )
}

fn point(lon: f64, lat: f64) -> Value {
    json!({"type": "Point", "coordinates": [lon, lat]})
}

fn samples() -> Vec<RecordVersion> {
    let dist = |tlp: &str, audience: Value| json!({"tlp": tlp, "audience": audience});
    let all = json!({"type": "all-members"});
    vec![
        version(
            1,
            "IDN",
            json!({
                "kind": "piracy", "title": "Robbery at anchor, Belawan",
                "observed_at": "2026-11-20T21:30:00Z", "location": point(98.7, 3.8),
                "place": "Belawan anchorage", "description": "Four robbers boarded from a skiff.",
                "body": {"ship_name": "BRENTIX", "imo_number": "IMO 9074729", "ship_type": "tanker",
                         "flag": "TZA", "status": "anchored", "attack_type": "robbery", "perpetrators": 4,
                         "weapons": "knives", "crew_harm": ["threatened"], "items_stolen": ["engine spares"],
                         "severity": "CAT3"},
                "source_ref": "asam:2026-101",
                "distribution": dist("GREEN", json!({"type": "forum", "forum": "recaap"}))
            }),
        ),
        version(
            2,
            "PHL",
            json!({
                "kind": "disaster", "title": "Typhoon landfall, Eastern Samar",
                "observed_at": "2026-11-18T03:00:00Z",
                "location": {"type": "Polygon", "coordinates": [[[124.0, 11.0], [126.0, 11.0],
                             [126.0, 13.0], [124.0, 13.0], [124.0, 11.0]]]},
                "body": {"hazard": "tropical_cyclone", "magnitude": {"value": 4.0, "scale": "Saffir-Simpson"},
                         "affected_population": 250000, "deaths": 12, "displaced": 40000,
                         "needs": [{"capability": "usar-heavy", "quantity": 2}]},
                "distribution": dist("CLEAR", json!({"type": "public"}))
            }),
        ),
        version(
            3,
            "VNM",
            json!({
                "kind": "outbreak", "title": "H5N1 cluster, Mekong delta",
                "observed_at": "2026-11-15T00:00:00Z", "location": point(105.8, 10.0),
                "body": {"pathogen": "influenza A(H5N1)", "disease": "avian influenza", "cases": 12,
                         "deaths": 3, "ihr_notification": "pheic"},
                "distribution": dist("AMBER", all.clone())
            }),
        ),
        version(
            4,
            "THA",
            json!({
                "kind": "trafficking", "title": "Methamphetamine seizure, Andaman Sea",
                "observed_at": "2026-11-12T02:00:00Z", "location": point(97.5, 8.0),
                "body": {"category": "drugs", "substance": "methamphetamine",
                         "quantity": {"value": 1.2, "unit": "t"}, "route": ["MMR", "THA", "MYS"]},
                "distribution": dist("AMBER+STRICT", json!({"type": "members", "members": ["MYS", "MMR"]}))
            }),
        ),
        version(
            5,
            "JPN",
            json!({
                "kind": "proliferation", "title": "Suspected ship-to-ship transfer, East China Sea",
                "observed_at": "2026-11-10T14:00:00Z", "location": point(124.5, 30.2),
                "body": {"vessels": [{"name": "YU JONG 2", "flag": "PRK"}, {"name": "unidentified"}],
                         "ship_to_ship_transfer": true, "cargo": "refined petroleum",
                         "designated_entities": ["Korea Ocean Shipping Agency"], "regime": "UNSCR 1718"},
                "distribution": dist("RED", json!({"type": "members", "members": ["USA", "KOR"]}))
            }),
        ),
        version(
            6,
            "SGP",
            json!({
                "kind": "environment", "title": "Oil spill after collision, Singapore Strait",
                "observed_at": "2026-11-09T06:00:00Z", "location": point(103.9, 1.2),
                "body": {"pollutant": "heavy fuel oil", "volume": {"value": 400.0, "unit": "t"}, "area_km2": 12.5},
                "distribution": dist("GREEN", all.clone())
            }),
        ),
        version(
            7,
            "MYS",
            json!({
                "kind": "energy", "title": "Pipeline outage, Sabah",
                "observed_at": "2026-11-08T00:00:00Z",
                "body": {"commodity": "pipeline_gas", "volume": {"value": 300.0, "unit": "MMscf/d"},
                         "duration_hours": 72.0, "cause": "pipeline damage"},
                "distribution": dist("AMBER", all.clone())
            }),
        ),
        version(
            20,
            "KOR",
            json!({
                "kind": "mda.alert", "title": "Encounter at sea: MMSI 412345678 and 445123456",
                "observed_at": "2026-11-07T01:00:00Z", "location": point(123.6, 38.9),
                "body": {"detection": "encounter",
                         "vessels": [{"mmsi": 412345678, "name": "OCEAN STAR"}, {"mmsi": 445123456}],
                         "start": "2026-11-07T01:00:00Z", "end": "2026-11-07T04:10:00Z", "confidence": 0.8,
                         "evidence": [{"mmsi": 412345678, "time": "2026-11-07T01:00:00Z", "lat": 38.9, "lon": 123.6, "speed_kn": 0.4}],
                         "details": {"min_distance_m": 90.0, "mean_distance_m": 210.5}},
                "distribution": dist("AMBER", all.clone())
            }),
        ),
        // Joint-operations kinds: omitted from STIX, present in GeoJSON and CSV.
        version(
            8,
            "SGP",
            json!({
                "kind": "pledge", "title": "Heavy USAR team on standby",
                "observed_at": "2026-11-01T00:00:00Z", "location": point(103.8, 1.35),
                "body": {"asset_type": "usar-heavy", "quantity": 1.0, "agency": "Singapore Civil Defence Force",
                         "readiness_hours": 12.0, "speed_knots": 400.0, "endurance_days": 14.0, "military": false,
                         "caveats": {"functions": ["disaster"], "excluded_areas": ["South China Sea"],
                                     "excluded_partners": [], "max_duration_days": 21.0}},
                "distribution": dist("GREEN", json!({"type": "forum", "forum": "asean"}))
            }),
        ),
        version(
            9,
            "MMR",
            json!({
                "kind": "operation", "title": "Cyclone relief, Irrawaddy delta",
                "observed_at": "2026-11-03T00:00:00Z",
                "location": {"type": "Polygon", "coordinates": [[[94.5, 15.5], [96.5, 15.5], [96.5, 17.0], [94.5, 17.0], [94.5, 15.5]]]},
                "body": {"forum": "asean", "window": {"start": "2026-11-04T00:00:00Z", "end": "2026-12-04T00:00:00Z"},
                         "hosts": ["MMR"], "consent": {"declined_asset_classes": ["military-ship"], "note": "as in 2008"},
                         "requirements": [{"asset_type": "medium-helicopter", "quantity": 4.0,
                                           "deadline": "2026-11-07T00:00:00Z", "priority": 10}],
                         "decision_deadline": "2026-11-03T12:00:00Z"},
                "distribution": dist("GREEN", json!({"type": "forum", "forum": "asean"}))
            }),
        ),
        version(
            10,
            "THA",
            json!({
                "kind": "vote", "title": "Vote on cyclone relief",
                "observed_at": "2026-11-03T06:00:00Z",
                "body": {"operation": "019a8a5e-4a00-7000-8000-000000000009", "position": "support"},
                "distribution": dist("GREEN", json!({"type": "forum", "forum": "asean"}))
            }),
        ),
        version(
            11,
            "SGP",
            json!({
                "kind": "sitrep", "title": "Day 2, Labutta",
                "observed_at": "2026-11-06T06:00:00Z", "location": point(94.76, 16.15),
                "body": {"operation": "019a8a5e-4a00-7000-8000-000000000009", "text": "Team deployed; two sites cleared.",
                         "figures": {"persons_rescued": 14.0}},
                "distribution": dist("GREEN", json!({"type": "forum", "forum": "asean"}))
            }),
        ),
    ]
}

fn main() {
    let mut versions = samples();
    let first = versions[0].clone();
    let retraction = first
        .retract(
            first.originator.member,
            at("2026-11-22T08:00:00Z"),
            "duplicate of an earlier report",
        )
        .expect("the originator retracts its own record");
    versions.push(retraction);
    let created = at("2026-11-21T08:00:00Z");
    match std::env::args().nth(1).as_deref() {
        Some("geojson") => println!("{}", export::geojson::feature_collection(&versions)),
        Some("csv") => print!("{}", export::csv::to_string(&versions)),
        _ => {
            let data = model::EMBEDDED.parse().expect("the shipped data is valid");
            let entries: Vec<Entry<'_>> = versions
                .iter()
                .map(|version| Entry { version, created })
                .collect();
            let bundle = export::stix::bundle(&entries, &data);
            let text = serde_json::to_string_pretty(&bundle).unwrap_or_else(|_| bundle.to_string());
            println!("{text}");
        }
    }
}
