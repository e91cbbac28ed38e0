//! Planner benchmark: 10,000 pledges × 200 requirements, each policy, and
//! the greedy baseline with its gap to the optimum.
//!
//! The instance is generated from a fixed-seed generator, so every run plans
//! the same input. Before criterion's timing loop the bench prints one
//! summary table (sizes, one-shot times, objective values, greedy gap) that
//! docs/PERFORMANCE.md quotes.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented public function"
)]
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use model::{Function, MemberCode};
use ops::{
    Area, Catalogue, Caveats, Consent, Decline, LatLon, Operation, Pledge, Policy, Requirement,
    Shape, Status, greedy, plan, plan_within,
};

/// SplitMix64: a tiny fixed-seed generator, enough for a reproducible instance.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const MEMBERS: [&str; 27] = [
    "AUS", "BRN", "KHM", "CHN", "IND", "IDN", "JPN", "KOR", "LAO", "MYS", "MMR", "NZL", "PHL",
    "SGP", "THA", "USA", "VNM", "RUS", "GBR", "FRA", "DEU", "CAN", "BGD", "LKA", "PAK", "NPL",
    "MNG",
];

/// The benchmark instance. `partner_one_in`: one pledge in this many refuses
/// to work alongside a random member (0: none do).
fn instance(
    catalogue: &Catalogue,
    pledges: usize,
    requirements: usize,
    partner_one_in: u64,
) -> (Operation, Vec<Pledge>) {
    let mut rng = Rng(2026);
    let types: Vec<_> = catalogue
        .iter()
        .filter(|t| t.functions.contains(&Function::Disaster) && !t.divisible)
        .collect();
    let start = Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0).unwrap();
    let p = |lat, lon| LatLon { lat, lon };
    let op = Operation {
        id: "bench".into(),
        function: Function::Disaster,
        area: Area {
            name: "Eastern Visayas".into(),
            shape: Shape::Polygon(vec![
                p(10.0, 124.2),
                p(10.0, 125.9),
                p(12.6, 125.9),
                p(12.6, 124.2),
            ]),
        },
        start,
        end: start + chrono::Duration::days(60),
        hosts: vec![MemberCode::parse("PHL").unwrap()],
        consent: Consent {
            declined: vec![Decline {
                member: Some(MemberCode::parse("MNG").unwrap()),
                note: "not requested".into(),
                ..Decline::default()
            }],
        },
        requirements: (0..requirements)
            .map(|i| Requirement {
                id: format!("r{i:03}"),
                asset_type: types[rng.below(types.len() as u64) as usize].id.clone(),
                quantity: (2 + rng.below(19)) as f64,
                deadline_hours: (24 + rng.below(217)) as f64,
                priority: 1 + rng.below(3) as u32,
                duration_days: None,
            })
            .collect(),
        status: Status::Decided,
    };
    let pledges = (0..pledges)
        .map(|i| {
            let t = types[rng.below(types.len() as u64) as usize];
            let speed = match t.class {
                ops::AssetClass::Ship => rng.range(25.0, 40.0),
                ops::AssetClass::Aircraft => rng.range(250.0, 850.0),
                _ => rng.range(500.0, 850.0),
            };
            let mut caveats = Caveats::default();
            if partner_one_in > 0 && rng.below(partner_one_in) == 0 {
                caveats.excluded_partners = vec![
                    MemberCode::parse(MEMBERS[rng.below(MEMBERS.len() as u64) as usize]).unwrap(),
                ];
            }
            if rng.below(20) == 0 {
                caveats.functions = vec![Function::Health];
            }
            Pledge {
                id: format!("p{i:05}"),
                member: MemberCode::parse(MEMBERS[rng.below(MEMBERS.len() as u64) as usize])
                    .unwrap(),
                agency: "bench".into(),
                asset_type: t.id.clone(),
                quantity: (1 + rng.below(4)) as f64,
                base: p(rng.range(-35.0, 45.0), rng.range(90.0, 175.0)),
                readiness_hours: rng.range(0.0, 96.0).round(),
                speed_kmh: Some(speed),
                endurance_days: None,
                military: None,
                caveats,
            }
        })
        .collect();
    (op, pledges)
}

fn summary(catalogue: &Catalogue, label: &str, op: &Operation, pledges: &[Pledge]) {
    let now = op.start;
    let t = Instant::now();
    let g = greedy(catalogue, op, pledges, now).unwrap();
    let greedy_time = t.elapsed();
    println!(
        "[{label}] {} pledges x {} requirements",
        pledges.len(),
        op.requirements.len()
    );
    println!(
        "[{label}] greedy: {:.1} ms, coverage {:.3} of {:.0}, members {}, weighted arrival {:.1} h",
        greedy_time.as_secs_f64() * 1e3,
        g.objectives.coverage,
        g.objectives.coverage_max,
        g.objectives.members,
        g.objectives.weighted_arrival_hours
    );
    // OPS_BENCH_POLICIES=lean,shared times only those policies.
    let only = std::env::var("OPS_BENCH_POLICIES").ok();
    for policy in Policy::ALL {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|p| p == policy.id()))
        {
            continue;
        }
        let t = Instant::now();
        let p = plan(catalogue, op, pledges, policy, now).unwrap();
        let took = t.elapsed();
        println!(
            "[{label}] {policy}: {:.1} ms, coverage {:.3} (greedy {:.3}, gap {:.2}%), {policy} value {:.4} (greedy {:.4}), assignments {}",
            took.as_secs_f64() * 1e3,
            p.objectives.coverage,
            g.objectives.coverage,
            100.0 * (p.objectives.coverage - g.objectives.coverage) / p.objectives.coverage,
            p.objectives.policy_value(policy),
            g.objectives.policy_value(policy),
            p.assignments.len()
        );
    }
}

/// Each policy under a time limit on an instance where a fifth of the
/// pledges refuse a partner (far beyond the branches searched outside the
/// solver): how long the call takes against its limit, and what it gives.
fn limited_summary(catalogue: &Catalogue, limit: Duration) {
    let (op, pledges) = instance(catalogue, 10_000, 200, 5);
    let now = op.start;
    let g = greedy(catalogue, &op, &pledges, now).unwrap();
    let label = format!("limit {} s, 1 in 5 partner caveats", limit.as_secs_f64());
    for policy in Policy::ALL {
        let t = Instant::now();
        let p = plan_within(catalogue, &op, &pledges, policy, now, limit).unwrap();
        println!(
            "[{label}] {policy}: {:.0} ms, status {}, coverage {:.3} (greedy {:.3}), {policy} value {:.4} (greedy {:.4})",
            t.elapsed().as_secs_f64() * 1e3,
            p.status.id(),
            p.objectives.coverage,
            g.objectives.coverage,
            p.objectives.policy_value(policy),
            g.objectives.policy_value(policy),
        );
    }
}

fn bench(c: &mut Criterion) {
    let catalogue = Catalogue::embedded();
    // OPS_BENCH_LIMIT=SECONDS prints the time-limited summary and stops.
    if let Some(secs) = std::env::var("OPS_BENCH_LIMIT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        limited_summary(&catalogue, Duration::from_secs_f64(secs));
        return;
    }
    // One summary pass per variant, printed for docs/PERFORMANCE.md.
    let (op, pledges) = instance(&catalogue, 10_000, 200, 0);
    summary(&catalogue, "no partner caveats", &op, &pledges);
    // Partner caveats are searched over outside the solver, a few solves
    // each; set OPS_BENCH_PARTNERS=1 to print that variant's summary too.
    if std::env::var_os("OPS_BENCH_PARTNERS").is_some() {
        let (op1, pledges1) = instance(&catalogue, 10_000, 200, 1000);
        summary(&catalogue, "10 partner caveats", &op1, &pledges1);
    }
    let now = op.start;

    let mut group = c.benchmark_group("plan_10k_x_200");
    group.sample_size(10);
    group.bench_function("greedy", |b| {
        b.iter(|| greedy(&catalogue, black_box(&op), black_box(&pledges), now).unwrap())
    });
    for policy in Policy::ALL {
        group.bench_function(policy.id(), |b| {
            b.iter(|| plan(&catalogue, black_box(&op), black_box(&pledges), policy, now).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
