//! The shipped catalogue and scenarios.

use ops::{AssetClass, Catalogue, EMBEDDED_SCENARIOS, Policy, Scenario};

#[test]
fn catalogue_has_the_required_types() {
    let c = Catalogue::embedded();
    for id in [
        "usar-light",
        "usar-medium",
        "usar-heavy",
        "emt-1-mobile",
        "emt-1-fixed",
        "emt-2",
        "emt-3",
        "hospital-ship",
        "heavy-lift-helicopter",
        "medium-helicopter",
        "strategic-airlift",
        "tactical-airlift",
        "amphibious-ship",
        "offshore-patrol-vessel",
        "maritime-patrol-aircraft",
        "boarding-team",
        "cbrn-team",
        "outbreak-team",
        "mobile-laboratory",
        "water-purification",
        "relief-stocks",
        "funds",
        "experts",
    ] {
        let t = c.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(!t.source.is_empty());
    }
    assert!(c.get("funds").unwrap().divisible);
    assert!(!c.get("usar-heavy").unwrap().divisible);
}

#[test]
fn every_scenario_parses_checks_and_plans_under_every_policy() {
    let c = Catalogue::embedded();
    assert!(EMBEDDED_SCENARIOS.len() >= 6);
    for (file, text) in EMBEDDED_SCENARIOS {
        let s = Scenario::parse(text, file).unwrap_or_else(|e| panic!("{e}"));
        s.check(&c).unwrap_or_else(|e| panic!("{e}"));
        assert!(!s.sources.is_empty(), "{file} cites nothing");
        for policy in Policy::ALL {
            let a = s.plan(&c, policy).unwrap_or_else(|e| panic!("{file}: {e}"));
            let b = s.plan(&c, policy).unwrap();
            assert_eq!(a, b, "{file} {policy}: same input, same plan");
            assert!(a.objectives.coverage > 0.0, "{file} {policy}: empty plan");
            // Every member that pledged is explained.
            let pledgers: std::collections::BTreeSet<_> =
                s.pledges.iter().map(|p| p.member).collect();
            assert_eq!(a.members.len(), pledgers.len());
            // JSON output has the fields the CLI promises.
            let json = serde_json::to_value(&a).unwrap();
            for key in ["assignments", "unmet", "participants", "objectives"] {
                assert!(json.get(key).is_some(), "{key}");
            }
        }
    }
}

fn nargis() -> Scenario {
    Scenario::embedded("nargis-2008").unwrap().unwrap()
}

#[test]
fn nargis_plan_has_no_foreign_military_ships() {
    let c = Catalogue::embedded();
    let plan = nargis().plan(&c, Policy::Inclusive).unwrap();
    for a in &plan.assignments {
        let t = c.get(&a.asset_type).unwrap();
        assert!(
            !(t.class == AssetClass::Ship && a.member.as_str() != "MMR"),
            "{a:?}"
        );
    }
    // The ship-to-shore requirement is unmet and the diagnosis says why.
    let unmet = plan
        .unmet
        .iter()
        .find(|u| u.requirement == "ship-to-shore")
        .expect("ships are declined");
    assert!(
        unmet
            .closest
            .iter()
            .any(|n| n.explanation.starts_with("declined by host")),
        "{unmet:?}"
    );
    let fra = plan
        .members
        .iter()
        .find(|n| n.member.as_str() == "FRA")
        .unwrap();
    assert!(
        !fra.taking_part && fra.why.contains("declined by host"),
        "{fra:?}"
    );
}

#[test]
fn nargis_plan_changes_when_the_host_accepts_military_ships() {
    let c = Catalogue::embedded();
    let declined = nargis();
    let mut accepted = nargis();
    accepted
        .operation
        .consent
        .declined
        .retain(|d| d.class != Some(AssetClass::Ship));
    let before = declined.plan(&c, Policy::Inclusive).unwrap();
    let after = accepted.plan(&c, Policy::Inclusive).unwrap();
    assert_ne!(before.assignments, after.assignments);
    assert!(after.objectives.coverage > before.objectives.coverage);
    let ships: f64 = after
        .assignments
        .iter()
        .filter(|a| a.requirement == "ship-to-shore")
        .map(|a| a.quantity)
        .sum();
    assert_eq!(ships, 2.0);
    // Inclusive: both the US and France take part once their ships are allowed.
    assert!(after.participants.iter().any(|m| m.as_str() == "FRA"));
}

#[test]
fn malacca_patrols_are_by_the_littoral_states_only() {
    let c = Catalogue::embedded();
    let s = Scenario::embedded("malacca-patrol").unwrap().unwrap();
    for policy in Policy::ALL {
        let plan = s.plan(&c, policy).unwrap();
        for m in &plan.participants {
            assert!(s.operation.hosts.contains(m), "{policy}: {m} patrols");
        }
    }
}

#[test]
fn haiyan_short_caveat_is_diagnosed() {
    let c = Catalogue::embedded();
    let s = Scenario::embedded("haiyan-2013").unwrap().unwrap();
    let plan = s.plan(&c, Policy::Fast).unwrap();
    // B-FAST stays at most ten days; field hospitals are needed for thirty.
    assert!(!plan.assignments.iter().any(|a| a.pledge == "bel-bfast"));
    let unmet = plan
        .unmet
        .iter()
        .find(|u| u.requirement == "field-hospitals")
        .unwrap();
    let bfast = unmet
        .closest
        .iter()
        .find(|n| n.pledge == "bel-bfast")
        .unwrap();
    assert!(bfast.explanation.contains("allows 10"), "{bfast:?}");
}
