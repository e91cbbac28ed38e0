//! Exports: STIX 2.1 bundles, GeoJSON and CSV of every report kind.
//!
//! `EASF_STIX_PYTHON=/path/to/python` (a Python with `stix2-validator`)
//! also runs `scripts/check_stix.py` on a bundle of every kind.

use chrono::{DateTime, Utc};
use model::export::stix::{self, Entry, INCIDENT_CORE_EXTENSION, RECORD_EXTENSION};
use model::export::{csv, geojson};
use model::record::{Draft, Originator, RecordId, RecordVersion};
use model::report::ReportKind;
use model::{ReferenceData, Tlp};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn version(n: u8, member: &str, draft: Value) -> RecordVersion {
    let origin = Originator {
        member: member.parse().unwrap(),
        agency: None,
        node: "it-1".into(),
    };
    RecordVersion::first(
        RecordId::new_v7(1_795_608_000_000 + u64::from(n), [n; 10]),
        origin,
        at("2026-11-21T08:00:00Z"),
        Draft::parse(&draft).unwrap(),
    )
}

fn point(lon: f64, lat: f64) -> Value {
    json!({"type": "Point", "coordinates": [lon, lat]})
}

/// One record of each kind (the disaster with a polygon), TLPs cycling
/// through all five labels.
fn every_kind() -> Vec<RecordVersion> {
    let bodies = [
        (
            "piracy",
            json!({"attack_type": "attempted", "perpetrators": 3}),
            point(104.1, 1.2),
        ),
        (
            "disaster",
            json!({"hazard": "earthquake", "affected_population": 120000, "deaths": 41}),
            json!({"type": "Polygon", "coordinates": [[[120.0, 14.0], [122.0, 14.0], [122.0, 16.0], [120.0, 14.0]]]}),
        ),
        (
            "outbreak",
            json!({"pathogen": "SARS-CoV-2", "cases": 40, "deaths": 1, "ihr_notification": "notified"}),
            point(100.5, 13.7),
        ),
        (
            "trafficking",
            json!({"category": "people", "quantity": {"value": 23.0, "unit": "persons"}, "route": ["MMR", "THA"]}),
            point(98.3, 7.9),
        ),
        (
            "proliferation",
            json!({"vessels": [{"name": "unidentified"}], "ship_to_ship_transfer": false}),
            point(123.0, 31.0),
        ),
        (
            "environment",
            json!({"pollutant": "palm oil", "area_km2": 3.0}),
            point(103.8, 1.3),
        ),
        (
            "energy",
            json!({"commodity": "lng", "volume": {"value": 2.0, "unit": "Mt"}}),
            point(130.0, 33.0),
        ),
        (
            "mda.alert",
            json!({"detection": "encounter",
                   "vessels": [{"mmsi": 412345678}, {"mmsi": 445123456, "imo": 9123456}],
                   "start": "2026-11-19T22:00:00Z", "end": "2026-11-20T00:00:00Z",
                   "confidence": 0.7,
                   "evidence": [{"mmsi": 412345678, "time": "2026-11-19T22:00:00Z", "lat": 38.9, "lon": 123.6}],
                   "details": {"min_distance_m": 80.0}}),
            point(123.6, 38.9),
        ),
    ];
    let tlps = [
        ("CLEAR", json!({"type": "public"})),
        ("GREEN", json!({"type": "all-members"})),
        ("AMBER", json!({"type": "forum", "forum": "asean"})),
        ("AMBER+STRICT", json!({"type": "group", "group": "straits"})),
        ("RED", json!({"type": "members", "members": ["JPN"]})),
    ];
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, (kind, body, location))| {
            let (tlp, audience) = &tlps[i % tlps.len()];
            version(
                i as u8 + 1,
                ["IDN", "PHL", "THA", "MYS", "JPN", "SGP", "KOR", "VNM"][i],
                json!({
                    "kind": kind, "title": format!("A {kind} report"),
                    "observed_at": "2026-11-20T00:00:00Z", "location": location,
                    "place": "somewhere, \"quoted\"", "body": body,
                    "distribution": {"tlp": tlp, "audience": audience}
                }),
            )
        })
        .collect()
}

fn with_retraction() -> Vec<RecordVersion> {
    let mut all = every_kind();
    let first = all[0].clone();
    all.push(
        first
            .retract(
                first.originator.member,
                at("2026-11-23T00:00:00Z"),
                "wrong ship",
            )
            .unwrap(),
    );
    all
}

fn data() -> ReferenceData {
    model::EMBEDDED.parse().unwrap()
}

fn bundle(versions: &[RecordVersion]) -> Value {
    let entries: Vec<Entry<'_>> = versions
        .iter()
        .map(|version| Entry {
            version,
            created: at("2026-11-21T08:00:00Z"),
        })
        .collect();
    stix::bundle(&entries, &data())
}

fn of_type<'a>(b: &'a Value, t: &str) -> Vec<&'a Value> {
    b["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == t)
        .collect()
}

#[test]
fn every_kind_becomes_an_incident_with_its_body_and_core_extension() {
    let versions = every_kind();
    let b = bundle(&versions);
    let incidents = of_type(&b, "incident");
    // Joint-operations kinds (pledge, operation, vote, sitrep) are not
    // incidents and are not exported to STIX.
    let incident_kinds = ReportKind::ALL.iter().filter(|k| k.is_incident()).count();
    assert_eq!(incidents.len(), incident_kinds);
    let expected = [
        ("piracy", "failed-attempt"),
        ("disaster", "successful-attempt"),
        ("outbreak", "successful-attempt"),
        ("trafficking", "blocked"),
        ("proliferation", "suspected"),
        ("environment", "successful-attempt"),
        ("energy", "successful-attempt"),
        ("mda.alert", "suspected"),
    ];
    for ((incident, v), (kind, determination)) in incidents.iter().zip(&versions).zip(expected) {
        assert_eq!(incident["id"], stix::incident_id(v.id));
        let ext = &incident["extensions"][RECORD_EXTENSION];
        assert_eq!(ext["kind"], kind);
        assert_eq!(
            ext["body"],
            serde_json::to_value(&v.report().unwrap().body).unwrap()["body"]
        );
        let core = &incident["extensions"][INCIDENT_CORE_EXTENSION];
        assert_eq!(core["determination"], determination, "{kind}");
        assert_eq!(core["investigation_status"], "open");
        assert_eq!(core["incident_types"][0], kind);
    }
    let people = &incidents[3]["extensions"][INCIDENT_CORE_EXTENSION];
    assert_eq!(people["impacted_entity_counts"]["individuals"], 23);
    assert_eq!(of_type(&b, "location").len(), 8);
    assert_eq!(of_type(&b, "sighting").len(), 8);
    assert_eq!(of_type(&b, "report").len(), 8);
}

#[test]
fn markings_follow_each_record_and_all_five_definitions_are_present() {
    let versions = every_kind();
    let b = bundle(&versions);
    let defined: Vec<&Value> = of_type(&b, "marking-definition")
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert_eq!(defined.len(), 5);
    for t in Tlp::ALL {
        assert!(defined.contains(&&json!(stix::tlp_marking_id(t))), "{t}");
    }
    for v in &versions {
        let mark = json!([stix::tlp_marking_id(v.distribution.tlp())]);
        let creator = json!(stix::identity_id(v.originator.member));
        let derived: Vec<&Value> = b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["created_by_ref"] == creator)
            .collect();
        assert_eq!(
            derived.len(),
            5,
            "incident, location, relationship, sighting, report"
        );
        for o in derived {
            assert_eq!(o["object_marking_refs"], mark, "{}", o["id"]);
        }
    }
}

#[test]
fn a_later_version_keeps_the_ids_and_created_and_moves_modified() {
    let v1 = every_kind().remove(1);
    let draft = Draft::parse(&json!({
        "kind": "disaster", "title": "Earthquake, revised", "observed_at": "2026-11-20T00:00:00Z",
        "location": point(121.0, 15.0),
        "body": {"hazard": "earthquake", "deaths": 60},
        "distribution": {"tlp": "GREEN", "audience": {"type": "all-members"}}
    }))
    .unwrap();
    let v2 = v1
        .update(
            v1.originator.member,
            None,
            at("2026-11-24T00:00:00Z"),
            draft,
        )
        .unwrap();
    let created = v1.reported_at;
    let data = data();
    let b1 = stix::bundle(
        &[Entry {
            version: &v1,
            created,
        }],
        &data,
    );
    let b2 = stix::bundle(
        &[Entry {
            version: &v2,
            created,
        }],
        &data,
    );
    for kind in ["incident", "location", "relationship", "sighting", "report"] {
        let (o1, o2) = (of_type(&b1, kind)[0], of_type(&b2, kind)[0]);
        assert_eq!(o1["id"], o2["id"], "{kind}");
        assert_eq!(o1["created"], o2["created"]);
        assert_eq!(o2["modified"], "2026-11-24T00:00:00.000Z");
    }
    assert_ne!(b1["id"], b2["id"]);
}

#[test]
fn a_retracted_record_is_revoked_everywhere_and_absent_from_the_map() {
    let all = with_retraction();
    let b = bundle(&all[8..]);
    let incident = of_type(&b, "incident")[0];
    assert_eq!(incident["revoked"], true);
    assert_eq!(incident["id"], stix::incident_id(all[0].id));
    assert!(
        incident["extensions"]
            .get(INCIDENT_CORE_EXTENSION)
            .is_none()
    );
    assert!(!b.to_string().contains("A piracy report"));
    assert_eq!(
        geojson::feature_collection(&all[8..])["features"],
        json!([])
    );
    let text = csv::to_string(&all[8..]);
    assert!(text.contains(",retracted,"), "{text}");
    assert!(!text.contains("piracy"));
}

#[test]
fn geojson_has_one_feature_per_record_with_polygons_kept() {
    let fc = geojson::feature_collection(&every_kind());
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 8);
    assert_eq!(features[1]["geometry"]["type"], "Polygon");
    assert_eq!(features[1]["properties"]["affected_population"], 120000);
    assert_eq!(features[3]["properties"]["quantity_unit"], "persons");
    assert_eq!(features[3]["properties"]["route"], json!(["MMR", "THA"]));
    let incident_kinds = ReportKind::ALL.iter().filter(|k| k.is_incident());
    for (f, kind) in features.iter().zip(incident_kinds) {
        assert_eq!(f["properties"]["kind"], kind.id());
        assert_eq!(f["type"], "Feature");
    }
}

#[test]
fn csv_reads_back_with_the_fixed_header() {
    let all = with_retraction();
    let text = csv::to_string(&all);
    let mut r = ::csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap(), csv::HEADER.as_slice());
    let rows: Vec<_> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9);
    assert_eq!(&rows[1][3], "disaster");
    assert_eq!(&rows[1][14], "somewhere, \"quoted\"");
    assert_eq!((&rows[1][12], &rows[1][13]), ("121", "15"));
    assert_eq!(&rows[4][11], "members:JPN");
    assert_eq!(&rows[3][11], "group:straits");
    assert_eq!(&rows[8][2], "retracted");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let a = with_retraction();
    let b = with_retraction();
    let entries = |v: &[RecordVersion]| -> String {
        let e: Vec<Entry<'_>> = v
            .iter()
            .map(|version| Entry {
                version,
                created: at("2026-11-21T08:00:00Z"),
            })
            .collect();
        stix::to_string(&e, &data())
    };
    assert_eq!(entries(&a), entries(&b));
    assert_eq!(
        geojson::feature_collection(&a).to_string(),
        geojson::feature_collection(&b).to_string()
    );
    assert_eq!(csv::to_string(&a), csv::to_string(&b));
}

#[test]
fn the_oasis_validator_accepts_a_bundle_of_every_kind() {
    let Ok(python) = std::env::var("EASF_STIX_PYTHON") else {
        eprintln!("skipped: set EASF_STIX_PYTHON to a Python with stix2-validator");
        return;
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = std::env::temp_dir().join(format!("easf-export-{}.json", std::process::id()));
    std::fs::write(&path, bundle(&with_retraction()).to_string()).unwrap();
    let out = std::process::Command::new(python)
        .arg(root.join("scripts/check_stix.py"))
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 errors"), "{stdout}");
}
