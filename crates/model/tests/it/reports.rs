//! Report bodies: parsing untrusted JSON, validation naming fields, schemas.

use model::Function;
use model::report::{
    self, AttackType, BodyErrors, FieldErrorKind, ImoNumber, PiracyReport, ReportBody, ReportKind,
};
use serde_json::{Value, json};

#[track_caller]
fn errors(kind: ReportKind, body: Value) -> BodyErrors {
    match report::parse_body(kind, &body) {
        Ok(b) => panic!("{kind} body accepted: {b:?}"),
        Err(e) => e,
    }
}

/// Data-driven: each bad body must be rejected with an error on `field`.
#[track_caller]
fn check(kind: ReportKind, body: Value, field: &str) {
    let e = errors(kind, body);
    assert!(
        e.names(field),
        "{kind}: expected an error on {field:?}, got: {e}"
    );
}

fn good() -> Vec<(ReportKind, Value)> {
    vec![
        (
            ReportKind::Piracy,
            json!({
                "ship_name": "BRENTIX", "imo_number": "IMO 9074729", "ship_type": "tanker",
                "flag": "TZA", "status": "berthed", "attack_type": "robbery", "perpetrators": 3,
                "weapons": "knives", "crew_harm": ["none"], "items_stolen": ["engine spares"],
                "severity": "CAT3"
            }),
        ),
        (
            ReportKind::Disaster,
            json!({"hazard": "earthquake", "magnitude": {"value": 7.4, "scale": "Mw"},
                   "affected_population": 120000, "deaths": 41,
                   "needs": [{"capability": "usar-heavy", "quantity": 2}]}),
        ),
        (
            ReportKind::Outbreak,
            json!({"pathogen": "influenza A(H5N1)", "cases": 12, "deaths": 3, "ihr_notification": "notified"}),
        ),
        (
            ReportKind::Trafficking,
            json!({"category": "drugs", "substance": "methamphetamine",
                   "quantity": {"value": 1.2, "unit": "t"}, "route": ["MMR", "THA", "MYS"]}),
        ),
        (
            ReportKind::Proliferation,
            json!({"vessels": [{"name": "YU JONG 2", "flag": "PRK"}, {"name": "unidentified"}],
                   "ship_to_ship_transfer": true, "cargo": "refined petroleum",
                   "designated_entities": ["Korea Ocean Shipping Agency"], "regime": "UNSCR 1718"}),
        ),
        (
            ReportKind::Environment,
            json!({"pollutant": "heavy fuel oil", "volume": {"value": 800, "unit": "t"}, "area_km2": 35.5}),
        ),
        (
            ReportKind::Energy,
            json!({"commodity": "lng", "volume": {"value": 4.5, "unit": "Mt/year"}, "duration_hours": 72}),
        ),
    ]
}

#[test]
fn good_bodies_parse_and_round_trip() {
    for (kind, body) in good() {
        let parsed = report::parse_body(kind, &body).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(parsed.kind(), kind);
        // Tagged form: {"kind": ..., "body": ...}.
        let tagged = serde_json::to_value(&parsed).unwrap();
        assert_eq!(tagged["kind"], kind.id());
        let back: ReportBody = serde_json::from_value(tagged).unwrap();
        assert_eq!(back, parsed);
    }
}

#[test]
fn unknown_and_missing_fields_are_named_all_at_once() {
    let e = errors(
        ReportKind::Piracy,
        json!({"ship_nme": "X", "colour": "red"}),
    );
    assert!(
        e.names("ship_nme") && e.names("colour") && e.names("attack_type"),
        "{e}"
    );
    let kinds: Vec<_> = e.errors().iter().map(|e| &e.kind).collect();
    assert_eq!(
        kinds,
        [
            &FieldErrorKind::Unknown,
            &FieldErrorKind::Unknown,
            &FieldErrorKind::Missing
        ]
    );
    assert_eq!(
        e.to_string(),
        "colour: unknown field; ship_nme: unknown field; attack_type: missing field"
    );
    check(
        ReportKind::Outbreak,
        json!({"pathogen": "x", "cases": 1, "ihr_notification": "notified"}),
        "deaths",
    );
    check(ReportKind::Disaster, json!({}), "hazard");
    // Nested objects name the inner field with its path.
    check(
        ReportKind::Disaster,
        json!({"hazard": "flood", "needs": [{"capability": "airlift", "quantity": 1, "extra": 1}]}),
        "needs[0].extra",
    );
    check(
        ReportKind::Trafficking,
        json!({"category": "drugs", "quantity": {"value": 1}}),
        "quantity.unit",
    );
    check(ReportKind::Energy, json!([1, 2]), "");
}

#[test]
fn bad_values_are_named() {
    use ReportKind::*;
    let cases = [
        (
            Piracy,
            json!({"attack_type": "boarded", "perpetrators": -2}),
            "perpetrators",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "perpetrators": 5000}),
            "perpetrators",
        ),
        (Piracy, json!({"attack_type": "kicked"}), "attack_type"),
        (
            Piracy,
            json!({"attack_type": "boarded", "imo_number": "9074728"}),
            "imo_number",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "imo_number": "907472"}),
            "imo_number",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "status": "parked"}),
            "status",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "ship_name": "  "}),
            "ship_name",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "crew_harm": ["none", "injured"]}),
            "crew_harm",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "crew_harm": ["injured", "injured"]}),
            "crew_harm[1]",
        ),
        (
            Piracy,
            json!({"attack_type": "attempted", "severity": "CAT2"}),
            "severity",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "severity": "CAT5"}),
            "severity",
        ),
        (
            Piracy,
            json!({"attack_type": "boarded", "items_stolen": ["cash", ""]}),
            "items_stolen[1]",
        ),
        (
            Disaster,
            json!({"hazard": "flood", "affected_population": 10, "deaths": 11}),
            "deaths",
        ),
        (
            Disaster,
            json!({"hazard": "flood", "magnitude": {"value": -1, "scale": "Mw"}}),
            "magnitude.value",
        ),
        (
            Disaster,
            json!({"hazard": "flood", "needs": [{"capability": "Air Lift", "quantity": 1}]}),
            "needs[0].capability",
        ),
        (
            Disaster,
            json!({"hazard": "flood", "needs": [{"capability": "airlift", "quantity": 0}]}),
            "needs[0].quantity",
        ),
        (
            Outbreak,
            json!({"pathogen": "x", "cases": 1, "deaths": 2, "ihr_notification": "pheic"}),
            "deaths",
        ),
        (
            Outbreak,
            json!({"pathogen": "", "cases": 1, "deaths": 0, "ihr_notification": "pheic"}),
            "pathogen",
        ),
        (
            Outbreak,
            json!({"pathogen": "x", "cases": -1, "deaths": 0, "ihr_notification": "pheic"}),
            "cases",
        ),
        (
            Trafficking,
            json!({"category": "people", "quantity": {"value": 2.5, "unit": "persons"}}),
            "quantity.value",
        ),
        (
            Trafficking,
            json!({"category": "people", "quantity": {"value": 3, "unit": "kg"}}),
            "quantity.unit",
        ),
        (
            Trafficking,
            json!({"category": "drugs", "quantity": {"value": 0, "unit": "kg"}}),
            "quantity.value",
        ),
        (
            Proliferation,
            json!({"vessels": [], "ship_to_ship_transfer": false}),
            "vessels",
        ),
        (
            Proliferation,
            json!({"vessels": [{"name": "A"}], "ship_to_ship_transfer": true}),
            "vessels",
        ),
        (
            Proliferation,
            json!({"vessels": [{"name": "A", "imo_number": "1234568"}], "ship_to_ship_transfer": false}),
            "vessels[0].imo_number",
        ),
        (
            Environment,
            json!({"pollutant": "oil", "area_km2": -3}),
            "area_km2",
        ),
        (
            Energy,
            json!({"commodity": "coal", "volume": {"value": 1, "unit": "t"}, "duration_hours": 0}),
            "duration_hours",
        ),
    ];
    for (kind, body, field) in cases {
        check(kind, body, field);
    }
}

#[test]
fn imo_numbers() {
    assert_eq!(ImoNumber::parse("9074729").unwrap().get(), 9074729);
    assert_eq!(
        ImoNumber::parse("IMO 9074729").unwrap().to_string(),
        "9074729"
    );
    assert!(ImoNumber::parse("9074728").is_err());
    assert!(ImoNumber::parse("90747290").is_err());
    assert!(ImoNumber::parse("９074729").is_err());
    assert!(ImoNumber::parse("").is_err());
}

#[test]
fn validation_of_typed_values() {
    let mut r = PiracyReport::new(AttackType::Attempted);
    assert!(r.validate().is_ok());
    r.severity = Some(report::Severity::Cat1);
    r.flag = Some(String::new());
    let e = r.validate().unwrap_err();
    assert!(e.names("severity") && e.names("flag"), "{e}");
}

#[test]
fn kinds_map_to_functions() {
    assert_eq!(ReportKind::Piracy.default_function(), Function::Piracy);
    assert_eq!(ReportKind::Outbreak.default_function(), Function::Health);
    for k in ReportKind::ALL {
        assert_eq!(k.id().parse::<ReportKind>(), Ok(k));
    }
    assert!("pirates".parse::<ReportKind>().is_err());
}

#[test]
fn schemas_describe_every_kind() {
    for (kind, body) in good() {
        let s = report::schema(kind);
        assert_eq!(s["type"], "object", "{kind}");
        assert_eq!(s["additionalProperties"], false, "{kind}");
        let props = s["properties"].as_object().unwrap();
        for field in body.as_object().unwrap().keys() {
            assert!(props.contains_key(field), "{kind}: {field} not in schema");
        }
    }
    let piracy = report::schema(ReportKind::Piracy);
    assert_eq!(piracy["required"], json!(["attack_type"]));
}
