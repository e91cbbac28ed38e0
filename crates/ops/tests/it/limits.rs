//! Plans under a time limit: within it nothing changes; past it a plan
//! still comes back, feasible and no worse than the greedy baseline.

use std::time::Duration;

use ops::{
    Catalogue, EMBEDDED_SCENARIOS, Operation, Plan, PlanStatus, Pledge, Policy, greedy, plan,
    plan_within, score,
};

use crate::fixtures::{m, op, pledge, req, t0, usar_choice};

#[test]
fn within_a_generous_limit_the_plan_is_the_unlimited_one() {
    let c = Catalogue::embedded();
    for (file, _) in EMBEDDED_SCENARIOS {
        let s = ops::Scenario::embedded(file).unwrap().unwrap();
        for policy in Policy::ALL {
            let unlimited = s.plan(&c, policy).unwrap();
            let limited = plan_within(
                &c,
                &s.operation,
                &s.pledges,
                policy,
                s.as_of,
                Duration::from_secs(600),
            )
            .unwrap();
            assert_eq!(limited, unlimited, "{file} {policy:?}");
            assert_eq!(limited.status, PlanStatus::Optimal);
        }
    }
}

/// Thousands of pledges, a fifth of them refusing to work beside some
/// other member: far more partner branches than the planner searches
/// outside the solver, so it solves the program with partner binaries.
fn hard_instance() -> (Operation, Vec<Pledge>) {
    const MEMBERS: [&str; 12] = [
        "AUS", "CHN", "IDN", "IND", "JPN", "KOR", "MYS", "NZL", "SGP", "THA", "USA", "VNM",
    ];
    const TYPES: [&str; 3] = ["usar-heavy", "medium-helicopter", "emt-2"];
    let requirements = (0..60)
        .map(|i| {
            let mut r = req(
                &format!("r{i:02}"),
                TYPES[i % TYPES.len()],
                f64::from(2 + (i * 7 % 9) as u32),
                f64::from(24 + (i * 13 % 120) as u32),
            );
            r.priority = 1 + (i % 3) as u32;
            r
        })
        .collect();
    let pledges = (0..3_000)
        .map(|i| {
            let mut p = pledge(
                &format!("p{i:04}"),
                MEMBERS[i * 5 % MEMBERS.len()],
                TYPES[i * 7 % TYPES.len()],
                f64::from(1 + (i % 3) as u32),
                f64::from((i * 37 % 150) as u32),
            );
            if i % 5 == 0 {
                p.caveats.excluded_partners = vec![m(MEMBERS[i * 11 % MEMBERS.len()])];
            }
            p
        })
        .collect();
    (op(requirements), pledges)
}

/// The plan's assignments score to its own objectives (so each is
/// eligible), and no pledge or requirement is used beyond its quantity.
fn assert_feasible(plan: &Plan, o: &Operation, pledges: &[Pledge]) {
    let c = Catalogue::embedded();
    let rows: Vec<(&str, &str, f64)> = plan
        .assignments
        .iter()
        .map(|a| (a.pledge.as_str(), a.requirement.as_str(), a.quantity))
        .collect();
    let scored = score(&c, o, pledges, &rows, t0()).unwrap();
    assert!((scored.coverage - plan.objectives.coverage).abs() < 1e-6);
    for p in pledges {
        let used: f64 = rows.iter().filter(|r| r.0 == p.id).map(|r| r.2).sum();
        assert!(used <= p.quantity + 1e-6, "pledge {} over-used", p.id);
    }
    for r in &o.requirements {
        let given: f64 = rows.iter().filter(|a| a.1 == r.id).map(|a| a.2).sum();
        assert!(
            given <= r.quantity + 1e-6,
            "requirement {} over-served",
            r.id
        );
    }
    for a in &plan.assignments {
        assert!(a.arrival_hours <= a.deadline_hours, "{a:?}");
    }
}

#[test]
fn past_the_limit_a_feasible_plan_no_worse_than_greedy_comes_back() {
    let c = Catalogue::embedded();
    let (o, pledges) = hard_instance();
    let baseline = greedy(&c, &o, &pledges, t0()).unwrap();
    for policy in Policy::ALL {
        let limited =
            plan_within(&c, &o, &pledges, policy, t0(), Duration::from_millis(1)).unwrap();
        assert_ne!(limited.status, PlanStatus::Optimal, "{policy:?}");
        assert_eq!(limited.policy, Some(policy));
        assert!(
            limited.objectives.coverage >= baseline.objectives.coverage - 1e-6,
            "{policy:?}: {} < greedy {}",
            limited.objectives.coverage,
            baseline.objectives.coverage
        );
        assert_feasible(&limited, &o, &pledges);
    }
}

#[test]
fn plans_compare_by_coverage_first_then_the_policy() {
    let c = Catalogue::embedded();
    let (o, p) = usar_choice();
    let lean = plan(&c, &o, &p, Policy::Lean, t0()).unwrap().objectives;
    let inclusive = plan(&c, &o, &p, Policy::Inclusive, t0())
        .unwrap()
        .objectives;
    assert!(lean.beats(&inclusive, Policy::Lean));
    assert!(inclusive.beats(&lean, Policy::Inclusive));
    assert!(!lean.beats(&lean, Policy::Lean));
    let mut less = inclusive;
    less.coverage -= 0.5;
    assert!(lean.beats(&less, Policy::Inclusive), "coverage comes first");
}
