//! Property tests: optimality against exhaustive search, feasibility, and
//! determinism on random small instances.

use std::collections::BTreeMap;

use model::Function;
use ops::{Catalogue, Decline, LatLon, Operation, Pledge, Policy, check, plan, score};
use proptest::prelude::*;

use crate::fixtures::{m, op, pledge, req, t0};

const MEMBERS: [&str; 4] = ["AUS", "JPN", "KOR", "SGP"];
const TYPES: [&str; 2] = ["usar-heavy", "emt-2"];

#[derive(Debug, Clone)]
struct Instance {
    op: Operation,
    pledges: Vec<Pledge>,
}

fn instance() -> impl Strategy<Value = Instance> {
    instance_with_partners(0.15)
}

/// Random small instances; `partners`: how often a pledge refuses a member.
fn instance_with_partners(partners: f64) -> impl Strategy<Value = Instance> {
    let reqs = prop::collection::vec((0..2usize, 1..=3u32, 5.0..60.0f64, 1..=3u32), 1..=3);
    let pledges = prop::collection::vec(
        (
            0..4usize,
            0..2usize,
            1..=2u32,
            0.0..30.0f64,
            -3.0..3.0f64,
            prop::option::weighted(partners, 0..4usize),
            prop::bool::weighted(0.1),
        ),
        1..=4,
    );
    let declined = prop::option::weighted(0.2, 0..4usize);
    (reqs, pledges, declined).prop_map(|(reqs, pledges, declined)| {
        let mut o = op(reqs
            .into_iter()
            .enumerate()
            .map(|(i, (t, q, d, pr))| {
                let mut r = req(&format!("r{i}"), TYPES[t], q.into(), d.round());
                r.priority = pr;
                r
            })
            .collect());
        if let Some(d) = declined {
            o.consent.declined.push(Decline {
                member: Some(m(MEMBERS[d])),
                note: "declined".into(),
                ..Decline::default()
            });
        }
        let pledges = pledges
            .into_iter()
            .enumerate()
            .map(|(i, (mem, t, q, ready, dlat, partner, health_only))| {
                let mut p = pledge(
                    &format!("p{i}"),
                    MEMBERS[mem],
                    TYPES[t],
                    q.into(),
                    ready.round(),
                );
                p.base = LatLon {
                    lat: 10.0 + dlat,
                    lon: 120.0,
                };
                if let Some(x) = partner {
                    p.caveats.excluded_partners = vec![m(MEMBERS[x])];
                }
                if health_only {
                    p.caveats.functions = vec![Function::Health];
                }
                p
            })
            .collect();
        Instance { op: o, pledges }
    })
}

/// Every feasible assignment, by brute force over per-pair quantities.
fn exhaustive(c: &Catalogue, inst: &Instance) -> Vec<Vec<(usize, usize, f64)>> {
    let mut pairs = Vec::new();
    for (ri, r) in inst.op.requirements.iter().enumerate() {
        for (pi, p) in inst.pledges.iter().enumerate() {
            if check(c, &inst.op, r, p, 0.0).is_ok() {
                pairs.push((pi, ri, p.quantity.min(r.quantity) as u32));
            }
        }
    }
    let mut out = Vec::new();
    let mut x = vec![0u32; pairs.len()];
    loop {
        // Feasibility checked from the raw data, independently of the crate.
        let mut used = vec![0u32; inst.pledges.len()];
        let mut got = vec![0u32; inst.op.requirements.len()];
        for (k, &(pi, ri, _)) in pairs.iter().enumerate() {
            used[pi] += x[k];
            got[ri] += x[k];
        }
        let within = used
            .iter()
            .zip(&inst.pledges)
            .all(|(u, p)| f64::from(*u) <= p.quantity)
            && got
                .iter()
                .zip(&inst.op.requirements)
                .all(|(g, r)| f64::from(*g) <= r.quantity);
        let members: Vec<_> = (0..inst.pledges.len())
            .filter(|&p| used[p] > 0)
            .map(|p| inst.pledges[p].member)
            .collect();
        let partners_ok = (0..inst.pledges.len()).filter(|&p| used[p] > 0).all(|p| {
            inst.pledges[p]
                .caveats
                .excluded_partners
                .iter()
                .all(|x| *x == inst.pledges[p].member || !members.contains(x))
        });
        if within && partners_ok {
            out.push(
                pairs
                    .iter()
                    .zip(&x)
                    .filter(|(_, v)| **v > 0)
                    .map(|(&(p, r, _), &v)| (p, r, f64::from(v)))
                    .collect(),
            );
        }
        // Next assignment (odometer).
        let mut k = 0;
        loop {
            if k == x.len() {
                return out;
            }
            if x[k] < pairs[k].2 {
                x[k] += 1;
                break;
            }
            x[k] = 0;
            k += 1;
        }
    }
}

fn better(policy: Policy, a: (f64, f64), b: (f64, f64)) -> bool {
    const EPS: f64 = 1e-7;
    if a.0 > b.0 + EPS {
        return true;
    }
    if a.0 < b.0 - EPS {
        return false;
    }
    match policy {
        Policy::Inclusive => a.1 > b.1 + EPS,
        _ => a.1 < b.1 - EPS,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn optimiser_matches_exhaustive_search(inst in instance(), pol in 0..4usize) {
        let c = Catalogue::embedded();
        let policy = Policy::ALL[pol];
        let got = plan(&c, &inst.op, &inst.pledges, policy, t0()).unwrap();
        let mut best: Option<(f64, f64)> = None;
        for a in exhaustive(&c, &inst) {
            let named: Vec<(&str, &str, f64)> = a
                .iter()
                .map(|&(p, r, q)| (inst.pledges[p].id.as_str(), inst.op.requirements[r].id.as_str(), q))
                .collect();
            let o = score(&c, &inst.op, &inst.pledges, &named, t0()).unwrap();
            let v = (o.coverage, o.policy_value(policy));
            if best.is_none_or(|b| better(policy, v, b)) {
                best = Some(v);
            }
        }
        let best = best.unwrap();
        prop_assert!((got.objectives.coverage - best.0).abs() < 1e-6,
            "coverage {} vs exhaustive {}", got.objectives.coverage, best.0);
        let pv = got.objectives.policy_value(policy);
        prop_assert!((pv - best.1).abs() < 1e-5 * best.1.abs().max(1.0),
            "{policy}: {pv} vs exhaustive {}", best.1);
    }

    /// Many partner caveats, so that the planner's search over them (each
    /// branch leaving out units or members) decides most plans.
    #[test]
    fn partner_search_matches_exhaustive_search(inst in instance_with_partners(0.6), pol in 0..4usize) {
        let c = Catalogue::embedded();
        let policy = Policy::ALL[pol];
        let got = plan(&c, &inst.op, &inst.pledges, policy, t0()).unwrap();
        for a in &got.assignments {
            let p = inst.pledges.iter().find(|p| p.id == a.pledge).unwrap();
            for x in &p.caveats.excluded_partners {
                prop_assert!(*x == p.member || !got.participants.contains(x));
            }
        }
        let mut best: Option<(f64, f64)> = None;
        for a in exhaustive(&c, &inst) {
            let named: Vec<(&str, &str, f64)> = a
                .iter()
                .map(|&(p, r, q)| (inst.pledges[p].id.as_str(), inst.op.requirements[r].id.as_str(), q))
                .collect();
            let o = score(&c, &inst.op, &inst.pledges, &named, t0()).unwrap();
            let v = (o.coverage, o.policy_value(policy));
            if best.is_none_or(|b| better(policy, v, b)) {
                best = Some(v);
            }
        }
        let best = best.unwrap();
        prop_assert!((got.objectives.coverage - best.0).abs() < 1e-6,
            "coverage {} vs exhaustive {}", got.objectives.coverage, best.0);
        let pv = got.objectives.policy_value(policy);
        prop_assert!((pv - best.1).abs() < 1e-5 * best.1.abs().max(1.0),
            "{policy}: {pv} vs exhaustive {}", best.1);
    }

    #[test]
    fn plans_never_break_a_constraint(inst in instance(), pol in 0..4usize) {
        let c = Catalogue::embedded();
        let policy = Policy::ALL[pol];
        for got in [
            plan(&c, &inst.op, &inst.pledges, policy, t0()).unwrap(),
            ops::greedy(&c, &inst.op, &inst.pledges, t0()).unwrap(),
        ] {
            let mut used: BTreeMap<&str, f64> = BTreeMap::new();
            let mut got_r: BTreeMap<&str, f64> = BTreeMap::new();
            for a in &got.assignments {
                let p = inst.pledges.iter().find(|p| p.id == a.pledge).unwrap();
                let r = inst.op.requirements.iter().find(|r| r.id == a.requirement).unwrap();
                prop_assert_eq!(&p.asset_type, &r.asset_type);
                prop_assert!(a.quantity > 0.0 && a.quantity.fract() == 0.0);
                // Deadline: arrival recomputed from the raw pledge.
                let arrival = p.readiness_hours + p.base.distance_km(inst.op.area.centroid()) / p.speed_kmh.unwrap();
                prop_assert!(arrival <= r.deadline_hours + 1e-6, "late: {arrival} > {}", r.deadline_hours);
                // Consent and caveats.
                prop_assert!(!inst.op.consent.declined.iter().any(|d| d.member == Some(p.member)));
                prop_assert!(p.caveats.functions.is_empty() || p.caveats.functions.contains(&inst.op.function));
                for x in &p.caveats.excluded_partners {
                    prop_assert!(*x == p.member || !got.participants.contains(x));
                }
                *used.entry(&p.id).or_default() += a.quantity;
                *got_r.entry(&r.id).or_default() += a.quantity;
            }
            for p in &inst.pledges {
                prop_assert!(used.get(p.id.as_str()).copied().unwrap_or(0.0) <= p.quantity);
            }
            for r in &inst.op.requirements {
                prop_assert!(got_r.get(r.id.as_str()).copied().unwrap_or(0.0) <= r.quantity);
            }
        }
    }

    #[test]
    fn plans_are_deterministic_and_independent_of_pledge_order(inst in instance(), pol in 0..4usize) {
        let c = Catalogue::embedded();
        let policy = Policy::ALL[pol];
        let a = plan(&c, &inst.op, &inst.pledges, policy, t0()).unwrap();
        let b = plan(&c, &inst.op, &inst.pledges, policy, t0()).unwrap();
        prop_assert_eq!(&a, &b);
        let mut reversed = inst.pledges.clone();
        reversed.reverse();
        let r = plan(&c, &inst.op, &reversed, policy, t0()).unwrap();
        prop_assert_eq!(&a, &r);
    }
}
