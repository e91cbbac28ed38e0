//! Bad input gets a clear error naming the place.

use ops::{Catalogue, Place, PlanError, Policy, Scenario, Shape, Status, plan};

use crate::fixtures::{op, pledge, req, t0};

fn messages(e: PlanError) -> Vec<String> {
    match e {
        PlanError::Invalid(ps) => ps.0.iter().map(ToString::to_string).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

#[test]
fn whole_units_refuse_fractions_and_negatives() {
    let c = Catalogue::embedded();
    let o = op(vec![req("r1", "usar-heavy", 1.5, 48.0)]);
    let p = vec![pledge("p1", "JPN", "usar-heavy", -1.0, 0.0)];
    let msgs = messages(plan(&c, &o, &p, Policy::Lean, t0()).unwrap_err());
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("requirement r1:") && m.contains("whole number")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("pledge p1:") && m.contains("zero or more")),
        "{msgs:?}"
    );
}

#[test]
fn divisible_types_accept_fractions() {
    let c = Catalogue::embedded();
    let o = op(vec![req("r1", "relief-stocks", 12.5, 48.0)]);
    let p = vec![pledge("p1", "JPN", "relief-stocks", 7.25, 0.0)];
    let plan = plan(&c, &o, &p, Policy::Lean, t0()).unwrap();
    assert_eq!(plan.assignments[0].quantity, 7.25);
    assert!((plan.unmet[0].short - 5.25).abs() < 1e-9);
}

#[test]
fn unknown_asset_types_are_named() {
    let c = Catalogue::embedded();
    let o = op(vec![req("r1", "usar-huge", 1.0, 48.0)]);
    let msgs = messages(plan(&c, &o, &[], Policy::Lean, t0()).unwrap_err());
    assert!(
        msgs.iter()
            .any(|m| m.contains("unknown asset type \"usar-huge\"")),
        "{msgs:?}"
    );
}

#[test]
fn deadlines_in_the_past_are_refused() {
    let c = Catalogue::embedded();
    let o = op(vec![req("r1", "usar-heavy", 1.0, 10.0)]);
    let now = t0() + chrono::Duration::hours(20);
    let msgs = messages(plan(&c, &o, &[], Policy::Lean, now).unwrap_err());
    assert!(
        msgs.iter().any(|m| m.contains("deadline is in the past")),
        "{msgs:?}"
    );
}

#[test]
fn planning_late_delays_every_arrival() {
    let c = Catalogue::embedded();
    let o = op(vec![req("r1", "usar-heavy", 1.0, 100.0)]);
    let p = vec![pledge("p1", "JPN", "usar-heavy", 1.0, 5.0)];
    let now = t0() + chrono::Duration::hours(20);
    let plan = plan(&c, &o, &p, Policy::Fast, now).unwrap();
    assert!(
        (plan.assignments[0].arrival_hours - 25.0).abs() < 0.2,
        "{plan:?}"
    );
}

#[test]
fn empty_and_degenerate_areas_are_refused() {
    let c = Catalogue::embedded();
    let mut o = op(vec![req("r1", "usar-heavy", 1.0, 48.0)]);
    o.area.shape = Shape::Polygon(vec![]);
    let msgs = messages(plan(&c, &o, &[], Policy::Lean, t0()).unwrap_err());
    assert!(
        msgs.iter().any(|m| m.contains("at least 3 vertices")),
        "{msgs:?}"
    );
    let p = |lat, lon| ops::LatLon { lat, lon };
    o.area.shape = Shape::Polygon(vec![p(0.0, 0.0), p(1.0, 1.0), p(2.0, 2.0)]);
    let msgs = messages(plan(&c, &o, &[], Policy::Lean, t0()).unwrap_err());
    assert!(msgs.iter().any(|m| m.contains("no area")), "{msgs:?}");
}

#[test]
fn closed_operations_are_not_planned() {
    let c = Catalogue::embedded();
    let mut o = op(vec![req("r1", "usar-heavy", 1.0, 48.0)]);
    o.status = Status::Closed;
    let e = plan(&c, &o, &[], Policy::Lean, t0()).unwrap_err();
    assert!(matches!(e, PlanError::Closed(_)));
    assert!(e.to_string().contains("closed"));
}

#[test]
fn catalogue_errors_name_file_and_line() {
    let text = "[[asset]]\nid = \"x\"\nname = \"X\"\nunit = \"team\"\nclass = \"boat\"\nfunctions = [\"disaster\"]\nsource = \"s\"\n";
    let e = Catalogue::parse(text, "caps.toml").unwrap_err();
    assert_eq!(
        e.0[0].place,
        Place::Line {
            file: "caps.toml".into(),
            line: 1
        }
    );
    assert!(
        e.to_string()
            .starts_with("caps.toml:1: unknown asset class \"boat\""),
        "{e}"
    );
    let e = Catalogue::parse("[[asset]]\nid = 3\n", "caps.toml").unwrap_err();
    assert!(e.to_string().starts_with("caps.toml:"), "{e}");
}

const SCENARIO: &str = r#"[scenario]
id = "t"
name = "T"

[[source]]
id = "s1"
title = "A source"

[operation]
id = "op"
function = "disaster"
start = 2030-01-01T00:00:00Z
end = 2030-02-01T00:00:00Z
hosts = ["PHL"]
area = { name = "P", type = "Point", coordinates = [120.0, 10.0] }

[[requirement]]
id = "r1"
asset_type = "usar-heavy"
quantity = 2.5
deadline_hours = 48
source = "s1"

[[pledge]]
id = "p1"
member = "JPN"
asset_type = "usar-heavy"
quantity = 1
base = { lat = 35.5, lon = 139.8 }
readiness_hours = 6
speed_kmh = 800
"#;

#[test]
fn scenario_errors_name_file_and_line() {
    // The pledge has neither a source nor an estimate note.
    let e = Scenario::parse(SCENARIO, "t.toml").unwrap_err();
    assert!(e.to_string().starts_with("t.toml:24: no source"), "{e}");
    // Once cited, the fractional quantity is found by the catalogue check.
    let text = SCENARIO.replace("speed_kmh = 800", "speed_kmh = 800\nsource = \"s1\"");
    let s = Scenario::parse(&text, "t.toml").unwrap();
    let e = s.check(&Catalogue::embedded()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("t.toml:17: requirement r1: quantity 2.5"),
        "{e}"
    );
    let e = Scenario::parse(
        &SCENARIO.replace("\"s1\"\n\n[[pledge]]", "\"s9\"\n\n[[pledge]]"),
        "t.toml",
    )
    .unwrap_err();
    assert!(e.to_string().contains("source \"s9\" is not listed"), "{e}");
}
