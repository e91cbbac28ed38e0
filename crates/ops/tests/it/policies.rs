//! Each policy does what it says; consent, caveats and diagnosis.

use model::Function;
use ops::{AreaExclusion, Catalogue, Decline, Policy, Reason, greedy, plan};

use crate::fixtures::{m, op, pledge, req, t0, usar_choice};

#[test]
fn lean_uses_fewest_members_and_inclusive_most() {
    let c = Catalogue::embedded();
    let (o, p) = usar_choice();
    let lean = plan(&c, &o, &p, Policy::Lean, t0()).unwrap();
    assert_eq!(lean.participants, vec![m("AUS")]);
    let inclusive = plan(&c, &o, &p, Policy::Inclusive, t0()).unwrap();
    assert_eq!(inclusive.objectives.members, 2);
    let fast = plan(&c, &o, &p, Policy::Fast, t0()).unwrap();
    assert_eq!(fast.participants, vec![m("JPN"), m("KOR")]);
    for plan in [&lean, &inclusive, &fast] {
        assert_eq!(plan.objectives.coverage, 1.0);
        assert!(plan.unmet.is_empty());
    }
    let aus = inclusive
        .members
        .iter()
        .find(|n| n.member == m("AUS"))
        .unwrap();
    assert!(
        !aus.taking_part && aus.why.contains("eligible but not needed"),
        "{aus:?}"
    );
}

#[test]
fn shared_follows_pledged_capacity() {
    let c = Catalogue::embedded();
    let o = op(vec![req("r1", "relief-stocks", 100.0, 48.0)]);
    let p = vec![
        pledge("a", "AUS", "relief-stocks", 300.0, 1.0),
        pledge("j", "JPN", "relief-stocks", 100.0, 1.0),
    ];
    let plan = plan(&c, &o, &p, Policy::Shared, t0()).unwrap();
    let get = |id: &str| {
        plan.assignments
            .iter()
            .find(|a| a.pledge == id)
            .unwrap()
            .quantity
    };
    assert!(
        (get("a") - 75.0).abs() < 1e-6 && (get("j") - 25.0).abs() < 1e-6,
        "{plan:?}"
    );
    assert!(plan.objectives.max_share_deviation < 1e-6);
}

#[test]
fn coverage_is_never_traded_for_the_policy() {
    let c = Catalogue::embedded();
    // Lean would like one member, but only two members together cover.
    let o = op(vec![req("r1", "usar-heavy", 3.0, 48.0)]);
    let p = vec![
        pledge("a", "AUS", "usar-heavy", 2.0, 1.0),
        pledge("j", "JPN", "usar-heavy", 1.0, 1.0),
    ];
    let lean = plan(&c, &o, &p, Policy::Lean, t0()).unwrap();
    assert_eq!(lean.objectives.coverage, 1.0);
    assert_eq!(lean.participants.len(), 2);
}

#[test]
fn consent_and_caveats_are_honoured_and_diagnosed() {
    let c = Catalogue::embedded();
    let mut o = op(vec![req("r1", "usar-heavy", 5.0, 30.0)]);
    o.consent.declined.push(Decline {
        member: Some(m("USA")),
        note: "not requested".into(),
        ..Decline::default()
    });
    let mut late = pledge("late", "AUS", "usar-heavy", 1.0, 40.0);
    late.readiness_hours = 40.0;
    let declined = pledge("usa", "USA", "usar-heavy", 1.0, 1.0);
    let mut health_only = pledge("health", "JPN", "usar-heavy", 1.0, 1.0);
    health_only.caveats.functions = vec![Function::Health];
    let mut no_area = pledge("area", "KOR", "usar-heavy", 1.0, 1.0);
    no_area.caveats.excluded_areas = vec![AreaExclusion::Named("test area".into())];
    let mut no_host = pledge("host", "NZL", "usar-heavy", 1.0, 1.0);
    no_host.caveats.excluded_partners = vec![m("PHL")];
    let ok = pledge("ok", "SGP", "usar-heavy", 1.0, 1.0);
    let pledges = vec![late, declined, health_only, no_area, no_host, ok];
    for policy in Policy::ALL {
        let plan = plan(&c, &o, &pledges, policy, t0()).unwrap();
        assert_eq!(plan.participants, vec![m("SGP")]);
        let u = &plan.unmet[0];
        assert_eq!(u.short, 4.0);
        let reason = |id: &str| &u.closest.iter().find(|n| n.pledge == id).unwrap().reason;
        assert!(
            matches!(reason("late"), Reason::TooLate { arrival_hours, .. } if (*arrival_hours - 40.0).abs() < 0.5)
        );
        assert!(matches!(reason("usa"), Reason::DeclinedByHost { .. }));
        assert!(matches!(reason("health"), Reason::CaveatFunction));
        assert!(matches!(reason("area"), Reason::CaveatArea { .. }));
        assert!(matches!(reason("host"), Reason::CaveatPartner { .. }));
        let late = u.closest.iter().find(|n| n.pledge == "late").unwrap();
        assert!(late.explanation.contains("too late by 10"), "{late:?}");
    }
}

#[test]
fn partners_excluded_by_caveat_never_serve_together() {
    let c = Catalogue::embedded();
    let o = op(vec![
        req("r1", "usar-heavy", 1.0, 48.0),
        req("r2", "emt-2", 1.0, 48.0),
    ]);
    let mut a = pledge("a", "AUS", "usar-heavy", 1.0, 1.0);
    a.caveats.excluded_partners = vec![m("CHN")];
    let b = pledge("b", "CHN", "emt-2", 1.0, 1.0);
    let b2 = pledge("b2", "CHN", "usar-heavy", 1.0, 2.0);
    let pledges = vec![a, b, b2];
    for policy in Policy::ALL {
        let plan = plan(&c, &o, &pledges, policy, t0()).unwrap();
        // Coverage 2 is only possible with China alone.
        assert_eq!(plan.objectives.coverage, 2.0, "{policy}");
        assert_eq!(plan.participants, vec![m("CHN")], "{policy}");
    }
}

#[test]
fn greedy_is_feasible_but_can_miss_coverage() {
    let c = Catalogue::embedded();
    // Greedy gives the fast pledge to the high-priority requirement with the
    // later deadline first... and then cannot meet the early one.
    let mut r1 = req("early", "usar-heavy", 1.0, 10.0);
    r1.priority = 1;
    let mut r2 = req("late", "usar-heavy", 1.0, 100.0);
    r2.priority = 2;
    let o = op(vec![r1, r2]);
    let p = vec![
        pledge("fast", "AUS", "usar-heavy", 1.0, 1.0),
        pledge("slow", "JPN", "usar-heavy", 1.0, 50.0),
    ];
    let g = greedy(&c, &o, &p, t0()).unwrap();
    let opt = plan(&c, &o, &p, Policy::Fast, t0()).unwrap();
    assert_eq!(g.objectives.coverage, 2.0);
    assert_eq!(opt.objectives.coverage, 3.0);
}
