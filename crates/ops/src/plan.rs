//! Plans: the planner's entry points, the plan it returns, and the
//! diagnosis and explanations that come with it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use model::MemberCode;
use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::eligibility::{Reason, call_offset_hours, check, validate};
use crate::operation::{Operation, Status};
use crate::pledge::Pledge;
use crate::problem::PlanError;
use crate::solve::{Budget, Pair, Program};

/// What the optimiser prefers once coverage is as high as it can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Most distinct members taking part: burden and visibility spread.
    #[default]
    Inclusive,
    /// Fewest members: simplest command and control.
    Lean,
    /// Least priority-weighted arrival time: each requirement's quantity
    /// weighted by its priority and the hours after the start it arrives.
    /// Deadlines stay hard: a late asset is never counted as meeting one; the
    /// diagnosis shows how late it would be.
    Fast,
    /// Contributions of each asset type proportional to each member's
    /// eligible pledged capacity of that type: minimises the largest
    /// deviation from the proportional share, as a fraction of the need.
    Shared,
}

impl Policy {
    /// Every policy, in a stable order.
    pub const ALL: [Policy; 4] = [
        Policy::Inclusive,
        Policy::Lean,
        Policy::Fast,
        Policy::Shared,
    ];

    /// The identifier used on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Policy::Inclusive => "inclusive",
            Policy::Lean => "lean",
            Policy::Fast => "fast",
            Policy::Shared => "shared",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Policy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Policy::ALL
            .into_iter()
            .find(|p| p.id() == s)
            .ok_or_else(|| {
                format!("unknown policy {s:?} (expected one of: inclusive, lean, fast, shared)")
            })
    }
}

/// A coalition plan for one operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The operation planned.
    pub operation: String,
    /// The policy used (`None` for the greedy baseline).
    pub policy: Option<Policy>,
    /// What each pledge gives to which requirement, in requirement order,
    /// then pledge id.
    pub assignments: Vec<Assignment>,
    /// Requirements not fully covered, with a diagnosis.
    pub unmet: Vec<Unmet>,
    /// Members taking part, in code order.
    pub participants: Vec<MemberCode>,
    /// The objective values of this plan.
    pub objectives: Objectives,
    /// Why each member that pledged anything is in or out, in code order.
    pub members: Vec<MemberNote>,
    /// How far the plan is known to be the policy's best.
    pub status: PlanStatus,
}

/// How a plan was reached, and so how far it is known to be the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// The solver proved it optimal: coverage first, then the policy.
    Optimal,
    /// The solver's time limit ran out: the best plan it had found, which
    /// is at least as good as the greedy baseline, but not proven optimal.
    TimeLimit,
    /// The greedy baseline: asked for, or (after a time limit) better than
    /// anything the solver had found.
    Greedy,
}

impl PlanStatus {
    /// The identifier used in JSON and tables.
    pub fn id(self) -> &'static str {
        match self {
            PlanStatus::Optimal => "optimal",
            PlanStatus::TimeLimit => "time-limit",
            PlanStatus::Greedy => "greedy",
        }
    }
}

/// One pledge's contribution to one requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The pledge.
    pub pledge: String,
    /// Its member.
    pub member: MemberCode,
    /// The asset type.
    pub asset_type: String,
    /// How much, in the asset type's unit.
    pub quantity: f64,
    /// The requirement served.
    pub requirement: String,
    /// Arrival, hours after the operation's start (never after the deadline).
    pub arrival_hours: f64,
    /// The requirement's deadline, hours after the start.
    pub deadline_hours: f64,
}

/// A requirement the plan does not fully cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmet {
    /// The requirement.
    pub requirement: String,
    /// Its asset type.
    pub asset_type: String,
    /// How much it asks for.
    pub required: f64,
    /// How much the plan gives it.
    pub covered: f64,
    /// `required − covered`.
    pub short: f64,
    /// Total quantity of this type pledged by anyone, eligible or not.
    pub pledged_of_type: f64,
    /// The pledges of this type that came closest, nearest first (at most 5).
    pub closest: Vec<NearMiss>,
}

/// A pledge that could not (or did not) serve an unmet requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    /// The pledge.
    pub pledge: String,
    /// Its member.
    pub member: MemberCode,
    /// Why it could not serve.
    #[serde(flatten)]
    pub reason: Reason,
    /// The reason in words.
    pub explanation: String,
}

/// The objective values of a plan. All are computed from the assignments,
/// the same way for the optimiser and the greedy baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Objectives {
    /// Σ over requirements of priority × covered fraction (the first criterion).
    pub coverage: f64,
    /// Σ of priorities: the coverage of a plan that covers everything.
    pub coverage_max: f64,
    /// Distinct members taking part (`inclusive` maximises, `lean` minimises).
    pub members: usize,
    /// Σ priority × fraction of the requirement × arrival hours (`fast`).
    pub weighted_arrival_hours: f64,
    /// Largest |member's fraction − proportional share| over member and
    /// type, as a fraction of the type's need (`shared`).
    pub max_share_deviation: f64,
}

impl Objectives {
    /// Whether these are strictly better under `policy`: more coverage,
    /// or the same coverage and a better value of the policy's criterion.
    pub fn beats(&self, other: &Objectives, policy: Policy) -> bool {
        const TOL: f64 = 1e-6;
        let coverage_tol = TOL * self.coverage_max.max(1.0);
        if (self.coverage - other.coverage).abs() > coverage_tol {
            return self.coverage > other.coverage;
        }
        let (mine, theirs) = (self.policy_value(policy), other.policy_value(policy));
        match policy {
            Policy::Inclusive => mine > theirs + TOL,
            Policy::Lean | Policy::Fast | Policy::Shared => {
                mine < theirs - TOL * theirs.abs().max(1.0)
            }
        }
    }

    /// The value of the policy's own criterion.
    pub fn policy_value(&self, policy: Policy) -> f64 {
        match policy {
            Policy::Inclusive | Policy::Lean => self.members as f64,
            Policy::Fast => self.weighted_arrival_hours,
            Policy::Shared => self.max_share_deviation,
        }
    }
}

/// Why a member is in or out of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberNote {
    /// The member.
    pub member: MemberCode,
    /// Whether it takes part.
    pub taking_part: bool,
    /// The reason in words.
    pub why: String,
}

/// The validated input in the planner's stable order, with the eligible pairs.
pub(crate) struct Instance<'a> {
    catalogue: &'a Catalogue,
    op: &'a Operation,
    /// Pledges sorted by id, so the plan does not depend on input order.
    pledges: Vec<&'a Pledge>,
    offset: f64,
    members: Vec<MemberCode>,
    pledge_member: Vec<usize>,
    types: Vec<String>,
    req_type: Vec<usize>,
    /// Arrival of each pledge, hours after the start.
    pledge_arrival: Vec<f64>,
    pub(crate) pairs: Vec<Pair>,
    /// The solver's time limit for this plan (none unless asked for).
    budget: Budget,
}

impl<'a> Instance<'a> {
    fn new(
        catalogue: &'a Catalogue,
        op: &'a Operation,
        pledges: &'a [Pledge],
        now: DateTime<Utc>,
    ) -> Result<Self, PlanError> {
        if op.status == Status::Closed {
            return Err(PlanError::Closed(op.id.clone()));
        }
        validate(catalogue, op, pledges, now).map_err(PlanError::Invalid)?;
        let mut sorted: Vec<&Pledge> = pledges.iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        let members: Vec<MemberCode> = sorted
            .iter()
            .map(|p| p.member)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let pledge_member = sorted
            .iter()
            .map(|p| members.binary_search(&p.member).expect("member listed"))
            .collect();
        let mut types: Vec<String> = op
            .requirements
            .iter()
            .map(|r| r.asset_type.clone())
            .collect();
        types.sort();
        types.dedup();
        let req_type = op
            .requirements
            .iter()
            .map(|r| types.binary_search(&r.asset_type).expect("type listed"))
            .collect();
        // Pre-filter: only pledges of the requirement's type are checked, and
        // only eligible pairs become variables.
        let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, p) in sorted.iter().enumerate() {
            by_type.entry(p.asset_type.as_str()).or_default().push(i);
        }
        let offset = call_offset_hours(op, now);
        let centroid = op.area.centroid();
        let mut pairs = Vec::new();
        // Arrival depends only on the pledge; compute it once per pledge.
        let arrivals: Vec<f64> = sorted
            .iter()
            .map(|p| offset + p.hours_to(centroid))
            .collect();
        for (r, req) in op.requirements.iter().enumerate() {
            for &p in by_type.get(req.asset_type.as_str()).into_iter().flatten() {
                if sorted[p].quantity <= 0.0 || arrivals[p] > req.deadline_hours + 1e-9 {
                    continue;
                }
                if let Ok(arrival) = check(catalogue, op, req, sorted[p], offset) {
                    pairs.push(Pair { p, r, arrival });
                }
            }
        }
        Ok(Instance {
            catalogue,
            op,
            pledges: sorted,
            offset,
            members,
            pledge_member,
            types,
            req_type,
            pledge_arrival: arrivals,
            pairs,
            budget: Budget::default(),
        })
    }

    /// The pledge-level program: one supply unit per pledge, every pair.
    fn program(&self) -> Program {
        let unit_cap = self.pledges.iter().map(|p| p.quantity).collect();
        let partners = (0..self.pledges.len()).map(|p| self.partners(p)).collect();
        self.program_with(
            self.pairs.clone(),
            Vec::new(),
            unit_cap,
            self.pledge_member.clone(),
            partners,
        )
    }

    fn program_with(
        &self,
        pairs: Vec<Pair>,
        chains: Vec<(Vec<usize>, f64)>,
        unit_cap: Vec<f64>,
        unit_member: Vec<usize>,
        unit_partners: Vec<Vec<usize>>,
    ) -> Program {
        let cat = |t: &String| self.catalogue.get(t).expect("validated type");
        let mut type_scale = Vec::new();
        for (t, name) in self.types.iter().enumerate() {
            let max_q = self
                .op
                .requirements
                .iter()
                .zip(&self.req_type)
                .filter(|(_, rt)| **rt == t)
                .map(|(r, _)| r.quantity)
                .fold(0.0, f64::max);
            type_scale.push(if cat(name).divisible { max_q } else { 1.0 });
        }
        Program {
            pairs,
            chains,
            req_q: self.op.requirements.iter().map(|r| r.quantity).collect(),
            req_w: self
                .op
                .requirements
                .iter()
                .map(|r| f64::from(r.priority))
                .collect(),
            req_type: self.req_type.clone(),
            type_scale,
            type_divisible: self.types.iter().map(|t| cat(t).divisible).collect(),
            type_lot: self.types.iter().map(|t| cat(t).min_lot).collect(),
            pledge_cap: unit_cap,
            pledge_member: unit_member,
            pledge_partners: unit_partners,
            members: self.members.len(),
            arrival_max: self.pairs.iter().map(|p| p.arrival).fold(1.0, f64::max),
            fixed_shares: None,
            budget: self.budget.clone(),
        }
    }

    /// Member indices a pledge refuses to work alongside (not its own).
    fn partners(&self, p: usize) -> Vec<usize> {
        let own = self.pledge_member[p];
        self.pledges[p]
            .caveats
            .excluded_partners
            .iter()
            .filter_map(|m| self.members.binary_search(m).ok())
            .filter(|&m| m != own)
            .collect()
    }

    fn is_divisible(&self, p: usize) -> bool {
        self.catalogue
            .get(&self.pledges[p].asset_type)
            .is_some_and(|t| t.divisible)
    }

    /// Solves under `policy` and returns the quantity of every pledge pair.
    fn solve(&self, policy: Policy) -> Result<Vec<f64>, String> {
        match policy {
            Policy::Fast => self.solve_pruned(policy),
            _ => self.solve_aggregated(policy),
        }
    }

    /// `fast` on a pruned pledge-level program. For each requirement of a
    /// whole-unit type, pairs are kept in order of arrival until the "free"
    /// pledges kept (no partner caveats, member excluded by nobody) could
    /// supply the whole demand of that type; later pairs are dropped. This
    /// loses nothing: in any plan using a dropped pair, some kept free
    /// pledge has a spare unit, arrives no later, and can take the unit
    /// over without touching coverage or any caveat.
    fn solve_pruned(&self, policy: Policy) -> Result<Vec<f64>, String> {
        let shunned: BTreeSet<usize> = (0..self.pledges.len())
            .flat_map(|p| self.partners(p))
            .collect();
        let free = |p: usize| {
            self.pledges[p].caveats.excluded_partners.is_empty()
                && !shunned.contains(&self.pledge_member[p])
        };
        let reqs = &self.op.requirements;
        let mut demand = vec![0.0; self.types.len()];
        for (r, t) in reqs.iter().zip(&self.req_type) {
            demand[*t] += r.quantity;
        }
        let mut by_req: Vec<Vec<usize>> = vec![Vec::new(); reqs.len()];
        for (k, pr) in self.pairs.iter().enumerate() {
            by_req[pr.r].push(k);
        }
        let mut kept = Vec::new();
        for (r, ks) in by_req.iter_mut().enumerate() {
            ks.sort_by(|&a, &b| {
                self.pairs[a]
                    .arrival
                    .total_cmp(&self.pairs[b].arrival)
                    .then(self.pairs[a].p.cmp(&self.pairs[b].p))
            });
            let divisible = ks
                .first()
                .is_some_and(|&k| self.is_divisible(self.pairs[k].p));
            let mut supply = 0.0;
            let mut cutoff = f64::INFINITY;
            for &k in ks.iter() {
                let pr = &self.pairs[k];
                if !divisible && pr.arrival > cutoff && free(pr.p) {
                    continue;
                }
                kept.push(k);
                if free(pr.p) && cutoff.is_infinite() {
                    supply += self.pledges[pr.p].quantity;
                    if supply >= demand[self.req_type[r]] {
                        cutoff = pr.arrival;
                    }
                }
            }
        }
        kept.sort_unstable();
        let mut program = self.program();
        program.pairs = kept.iter().map(|&k| self.pairs[k].clone()).collect();
        let x = program.solve(policy)?;
        let mut amounts = vec![0.0; self.pairs.len()];
        for (k, q) in kept.into_iter().zip(x) {
            amounts[k] = q;
        }
        Ok(amounts)
    }

    /// `inclusive`, `lean` and `shared` on an aggregated program. These
    /// policies care which member gives how much, not which of its pledges:
    /// a member's pledges of one type with the same duration limits form one
    /// supply unit. Within a unit a pledge can serve exactly the
    /// requirements whose deadline it meets, so the sets are nested and the
    /// unit's capacity is exact when written as "capacity arriving by each
    /// deadline" (Hall's condition on nested sets). Pledges of divisible
    /// types or with partner caveats stay units of their own.
    fn solve_aggregated(&self, policy: Policy) -> Result<Vec<f64>, String> {
        let reqs = &self.op.requirements;
        let mut pledge_reqs: Vec<Vec<usize>> = vec![Vec::new(); self.pledges.len()];
        let mut pair_of: HashMap<(usize, usize), usize> = HashMap::with_capacity(self.pairs.len());
        for (k, pr) in self.pairs.iter().enumerate() {
            pledge_reqs[pr.p].push(pr.r);
            pair_of.insert((pr.p, pr.r), k);
        }
        type Key = (usize, String, Option<u64>, Option<usize>);
        let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
        for (p, pledge) in self.pledges.iter().enumerate() {
            if pledge_reqs[p].is_empty() {
                continue;
            }
            let allowed = match (pledge.caveats.max_duration_days, pledge.endurance_days) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let alone = self.is_divisible(p) || !pledge.caveats.excluded_partners.is_empty();
            groups
                .entry((
                    self.pledge_member[p],
                    pledge.asset_type.clone(),
                    allowed.map(f64::to_bits),
                    alone.then_some(p),
                ))
                .or_default()
                .push(p);
        }
        let mut units: Vec<Vec<usize>> = Vec::with_capacity(groups.len());
        let mut pairs = Vec::new();
        let mut chains = Vec::new();
        let mut unit_cap = Vec::new();
        let mut unit_member = Vec::new();
        let mut unit_partners = Vec::new();
        for ((member, ..), mut ps) in groups {
            let u = units.len();
            ps.sort_by(|&a, &b| {
                self.pledge_arrival[a]
                    .total_cmp(&self.pledge_arrival[b])
                    .then(a.cmp(&b))
            });
            let mut rs: Vec<usize> = ps
                .iter()
                .flat_map(|&p| pledge_reqs[p].iter().copied())
                .collect();
            rs.sort_by(|&a, &b| {
                reqs[a]
                    .deadline_hours
                    .total_cmp(&reqs[b].deadline_hours)
                    .then(a.cmp(&b))
            });
            rs.dedup();
            // Capacity able to serve one of the first j requirements.
            let mut reach = Vec::with_capacity(rs.len());
            let mut seen = BTreeSet::new();
            let mut cap = 0.0;
            for &r in &rs {
                for &p in &ps {
                    if pair_of.contains_key(&(p, r)) && seen.insert(p) {
                        cap += self.pledges[p].quantity;
                    }
                }
                reach.push(cap);
            }
            let first = pairs.len();
            for &r in &rs {
                let arrival = ps
                    .iter()
                    .filter(|&&p| pair_of.contains_key(&(p, r)))
                    .map(|&p| self.pledge_arrival[p])
                    .fold(f64::INFINITY, f64::min);
                pairs.push(Pair { p: u, r, arrival });
            }
            for j in 0..rs.len().saturating_sub(1) {
                if reach[j + 1] > reach[j] {
                    chains.push(((first..=first + j).collect(), reach[j]));
                }
            }
            unit_cap.push(cap);
            unit_member.push(member);
            unit_partners.push(if ps.len() == 1 {
                self.partners(ps[0])
            } else {
                Vec::new()
            });
            units.push(ps);
        }
        let program = self.program_with(pairs, chains, unit_cap, unit_member, unit_partners);
        let x = program.solve(policy)?;
        // Back to pledges: each unit's requirements in deadline order, each
        // from the unit's earliest-arriving pledges that can serve it. By
        // the nesting, this never strands capacity a later one needed.
        let mut left: Vec<f64> = self.pledges.iter().map(|p| p.quantity).collect();
        let mut amounts = vec![0.0; self.pairs.len()];
        for (pr, mut q) in program.pairs.iter().zip(x) {
            for &p in &units[pr.p] {
                if q <= 0.0 {
                    break;
                }
                if let Some(&k) = pair_of.get(&(p, pr.r)) {
                    let take = left[p].min(q);
                    if take > 0.0 {
                        amounts[k] += take;
                        left[p] -= take;
                        q -= take;
                    }
                }
            }
            if q > 1e-6 * reqs[pr.r].quantity.max(1.0) {
                return Err(format!(
                    "could not place {q} of {} on the pledges of one unit",
                    reqs[pr.r].id
                ));
            }
        }
        Ok(amounts)
    }

    /// Computes the objectives of per-pair quantities (original units).
    fn objectives(&self, amounts: &[f64]) -> Objectives {
        let reqs = &self.op.requirements;
        let mut covered = vec![0.0; reqs.len()];
        let mut by_member = vec![0.0; self.members.len()];
        let mut weighted_arrival = 0.0;
        for (pr, &q) in self.pairs.iter().zip(amounts) {
            covered[pr.r] += q;
            by_member[self.pledge_member[pr.p]] += q;
            let r = &reqs[pr.r];
            weighted_arrival += f64::from(r.priority) * q / r.quantity * pr.arrival;
        }
        let coverage = reqs
            .iter()
            .zip(&covered)
            .map(|(r, c)| f64::from(r.priority) * (c / r.quantity).min(1.0))
            .sum();
        let program = self.program();
        let shares = program.shares();
        let mut max_dev: f64 = 0.0;
        for (t, per_member) in shares.iter().enumerate() {
            let need: f64 = reqs
                .iter()
                .zip(&self.req_type)
                .filter(|(_, rt)| **rt == t)
                .map(|(r, _)| r.quantity)
                .sum();
            let mut own = vec![0.0; self.members.len()];
            let mut all = 0.0;
            for (pr, &q) in self.pairs.iter().zip(amounts) {
                if self.req_type[pr.r] == t {
                    own[self.pledge_member[pr.p]] += q;
                    all += q;
                }
            }
            for (m, share) in per_member.iter().enumerate() {
                if let Some(share) = share {
                    max_dev = max_dev.max((own[m] - share * all).abs() / need);
                }
            }
        }
        Objectives {
            coverage,
            coverage_max: reqs.iter().map(|r| f64::from(r.priority)).sum(),
            members: by_member.iter().filter(|&&q| q > 0.0).count(),
            weighted_arrival_hours: weighted_arrival,
            max_share_deviation: max_dev,
        }
    }

    /// Turns per-pair quantities into a plan with diagnosis and explanations.
    fn finish(&self, amounts: &[f64], policy: Option<Policy>) -> Plan {
        let reqs = &self.op.requirements;
        let mut assignments = Vec::new();
        let mut covered = vec![0.0; reqs.len()];
        let mut pledge_reqs: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.pledges.len()];
        for (pr, &q) in self.pairs.iter().zip(amounts) {
            if q <= 0.0 {
                continue;
            }
            let p = self.pledges[pr.p];
            let r = &reqs[pr.r];
            covered[pr.r] += q;
            pledge_reqs[pr.p].push((pr.r, q));
            assignments.push(Assignment {
                pledge: p.id.clone(),
                member: p.member,
                asset_type: p.asset_type.clone(),
                quantity: q,
                requirement: r.id.clone(),
                arrival_hours: round2(pr.arrival),
                deadline_hours: r.deadline_hours,
            });
        }
        let participants: Vec<MemberCode> = assignments
            .iter()
            .map(|a| a.member)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut unmet = Vec::new();
        for (ri, r) in reqs.iter().enumerate() {
            let short = r.quantity - covered[ri];
            if short <= 1e-9 * r.quantity.max(1.0) {
                continue;
            }
            let mut closest: Vec<(u8, f64, usize, Reason)> = Vec::new();
            let mut pledged = 0.0;
            for (pi, p) in self.pledges.iter().enumerate() {
                if p.asset_type != r.asset_type {
                    continue;
                }
                pledged += p.quantity;
                // A pledge already serving this requirement is no near miss.
                if pledge_reqs[pi].iter().any(|&(r2, _)| r2 == ri) {
                    continue;
                }
                let reason = match check(self.catalogue, self.op, r, p, self.offset) {
                    Ok(arrival) => Reason::QuantityUsedElsewhere {
                        arrival_hours: round2(arrival),
                    },
                    Err(reason) => reason,
                };
                let late = match &reason {
                    Reason::TooLate {
                        arrival_hours,
                        deadline_hours,
                    } => arrival_hours - deadline_hours,
                    _ => 0.0,
                };
                closest.push((reason.closeness(), late, pi, reason));
            }
            closest.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
            unmet.push(Unmet {
                requirement: r.id.clone(),
                asset_type: r.asset_type.clone(),
                required: r.quantity,
                covered: covered[ri],
                short,
                pledged_of_type: pledged,
                closest: closest
                    .into_iter()
                    .take(5)
                    .map(|(_, _, pi, reason)| NearMiss {
                        pledge: self.pledges[pi].id.clone(),
                        member: self.pledges[pi].member,
                        explanation: round_reason(&reason).describe(),
                        reason: round_reason(&reason),
                    })
                    .collect(),
            });
        }
        let members = self.explain(&pledge_reqs, &participants, policy);
        Plan {
            operation: self.op.id.clone(),
            policy,
            assignments,
            unmet,
            participants,
            objectives: self.objectives(amounts),
            members,
            status: if policy.is_some() {
                PlanStatus::Optimal
            } else {
                PlanStatus::Greedy
            },
        }
    }

    fn explain(
        &self,
        pledge_reqs: &[Vec<(usize, f64)>],
        participants: &[MemberCode],
        policy: Option<Policy>,
    ) -> Vec<MemberNote> {
        let reqs = &self.op.requirements;
        let mut eligible = vec![false; self.pledges.len()];
        for pr in &self.pairs {
            eligible[pr.p] = true;
        }
        let mut notes = Vec::new();
        for (m, &member) in self.members.iter().enumerate() {
            let mine: Vec<usize> = (0..self.pledges.len())
                .filter(|&p| self.pledge_member[p] == m)
                .collect();
            if participants.contains(&member) {
                let parts: Vec<String> = mine
                    .iter()
                    .flat_map(|&p| {
                        pledge_reqs[p].iter().map(move |&(r, q)| {
                            format!(
                                "{} {} to {} ({})",
                                fmt_qty(q),
                                self.pledges[p].asset_type,
                                reqs[r].id,
                                self.pledges[p].id
                            )
                        })
                    })
                    .collect();
                notes.push(MemberNote {
                    member,
                    taking_part: true,
                    why: format!("contributes {}", parts.join("; ")),
                });
                continue;
            }
            let why = if mine.iter().any(|&p| eligible[p]) {
                let conflict = mine.iter().any(|&p| {
                    !self.pledges[p].caveats.excluded_partners.is_empty()
                        && self.pledges[p]
                            .caveats
                            .excluded_partners
                            .iter()
                            .any(|x| participants.contains(x))
                }) || participants.iter().any(|pm| {
                    self.pledges
                        .iter()
                        .any(|q| q.member == *pm && q.caveats.excluded_partners.contains(&member))
                });
                let mut s = String::from("eligible but not needed: ");
                s += match policy {
                    Some(Policy::Lean) => {
                        "the requirements it could serve are covered by fewer members (policy lean)"
                    }
                    Some(Policy::Fast) => {
                        "the requirements it could serve are covered by assets that arrive earlier (policy fast)"
                    }
                    Some(Policy::Shared) => {
                        "the proportional split of the need left nothing for its pledges (policy shared)"
                    }
                    Some(Policy::Inclusive) => {
                        "the requirements it could serve were already covered and no split could add it without losing coverage (policy inclusive)"
                    }
                    None => "earlier-arriving pledges covered what it could serve (greedy)",
                };
                if conflict {
                    s += "; a partner caveat conflicts with members already in the plan";
                }
                s
            } else {
                let mut reasons: Vec<String> = Vec::new();
                for &p in &mine {
                    let pledge = self.pledges[p];
                    let reason = reqs
                        .iter()
                        .filter_map(|r| {
                            check(self.catalogue, self.op, r, pledge, self.offset).err()
                        })
                        .min_by_key(Reason::closeness);
                    let text = match reason {
                        Some(Reason::WrongType { .. }) | None => {
                            format!("no requirement asks for {}", pledge.asset_type)
                        }
                        Some(r) => round_reason(&r).describe(),
                    };
                    reasons.push(format!("{}: {}", pledge.id, text));
                }
                format!("no pledge can serve: {}", reasons.join("; "))
            };
            notes.push(MemberNote {
                member,
                taking_part: false,
                why,
            });
        }
        notes
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn round_reason(r: &Reason) -> Reason {
    match r {
        Reason::TooLate {
            arrival_hours,
            deadline_hours,
        } => Reason::TooLate {
            arrival_hours: round2(*arrival_hours),
            deadline_hours: *deadline_hours,
        },
        other => other.clone(),
    }
}

fn fmt_qty(q: f64) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        format!("{}", q as i64)
    } else {
        format!("{q:.2}")
    }
}

/// Plans an operation: chooses quantities from `pledges` to meet the
/// requirements by their deadlines under `policy`, honouring host consent
/// and pledge caveats. `now` is when the call goes out; arrivals are counted
/// from the operation's start plus any delay until `now`.
///
/// Coverage comes first and is never traded away; the policy decides among
/// plans of equal coverage. The same input always gives the same plan.
pub fn plan(
    catalogue: &Catalogue,
    op: &Operation,
    pledges: &[Pledge],
    policy: Policy,
    now: DateTime<Utc>,
) -> Result<Plan, PlanError> {
    let inst = Instance::new(catalogue, op, pledges, now)?;
    let amounts = inst.solve(policy).map_err(PlanError::Solver)?;
    Ok(inst.finish(&amounts, Some(policy)))
}

/// [`plan`] with the solver given at most `limit` of wall-clock time in
/// all, for callers that must answer (a server request). Within the limit
/// the plan is [`plan`]'s, status [`PlanStatus::Optimal`]. Past it, the
/// plan is the better, by coverage and then the policy, of the best the
/// solver had found ([`PlanStatus::TimeLimit`]) and the greedy baseline
/// ([`PlanStatus::Greedy`]), so a plan always comes back, never worse than
/// greedy. Such a plan depends on the machine's speed: the same input is
/// no longer bound to give the same plan.
pub fn plan_within(
    catalogue: &Catalogue,
    op: &Operation,
    pledges: &[Pledge],
    policy: Policy,
    now: DateTime<Utc>,
    limit: Duration,
) -> Result<Plan, PlanError> {
    let mut inst = Instance::new(catalogue, op, pledges, now)?;
    inst.budget = Budget::lasting(limit);
    let solved = match inst.solve(policy) {
        Ok(amounts) if !inst.budget.stopped_a_solve() => {
            return Ok(inst.finish(&amounts, Some(policy)));
        }
        Ok(amounts) => Some(amounts),
        // A solve cut off before any feasible point fails; past the limit
        // that is the limit's doing, and greedy stands in.
        Err(_) if inst.budget.is_past() => None,
        Err(e) => return Err(PlanError::Solver(e)),
    };
    let mut baseline = inst.finish(&inst.greedy_amounts(), Some(policy));
    baseline.status = PlanStatus::Greedy;
    let Some(amounts) = solved else {
        return Ok(baseline);
    };
    let mut found = inst.finish(&amounts, Some(policy));
    found.status = PlanStatus::TimeLimit;
    Ok(if baseline.objectives.beats(&found.objectives, policy) {
        baseline
    } else {
        found
    })
}

/// The greedy baseline: requirements by priority (highest first), then
/// deadline, each filled from the earliest-arriving eligible pledges. It
/// honours the same consent, caveats and quantities, but not any policy.
pub fn greedy(
    catalogue: &Catalogue,
    op: &Operation,
    pledges: &[Pledge],
    now: DateTime<Utc>,
) -> Result<Plan, PlanError> {
    let inst = Instance::new(catalogue, op, pledges, now)?;
    Ok(inst.finish(&inst.greedy_amounts(), None))
}

impl Instance<'_> {
    /// The greedy baseline's quantity for every pair (see [`greedy`]).
    fn greedy_amounts(&self) -> Vec<f64> {
        let program = self.program();
        let reqs = &self.op.requirements;
        let mut order: Vec<usize> = (0..reqs.len()).collect();
        order.sort_by(|&a, &b| {
            reqs[b]
                .priority
                .cmp(&reqs[a].priority)
                .then(reqs[a].deadline_hours.total_cmp(&reqs[b].deadline_hours))
                .then(a.cmp(&b))
        });
        let mut by_req: Vec<Vec<usize>> = vec![Vec::new(); reqs.len()];
        for (k, pr) in self.pairs.iter().enumerate() {
            by_req[pr.r].push(k);
        }
        let mut left: Vec<f64> = self.pledges.iter().map(|p| p.quantity).collect();
        let mut amounts = vec![0.0; self.pairs.len()];
        let mut in_plan = vec![false; self.members.len()];
        let mut shunned = vec![false; self.members.len()];
        for r in order {
            let mut ks = by_req[r].clone();
            ks.sort_by(|&a, &b| {
                self.pairs[a]
                    .arrival
                    .total_cmp(&self.pairs[b].arrival)
                    .then(self.pairs[a].p.cmp(&self.pairs[b].p))
            });
            let mut need = reqs[r].quantity;
            let t = self.req_type[r];
            for k in ks {
                if need <= 0.0 {
                    break;
                }
                let p = self.pairs[k].p;
                let m = self.pledge_member[p];
                let partners = &program.pledge_partners[p];
                if shunned[m] || partners.iter().any(|&x| in_plan[x]) {
                    continue;
                }
                let take = left[p].min(need);
                let lot = if program.type_divisible[t] {
                    program.type_lot[t]
                        .min(self.pledges[p].quantity)
                        .min(reqs[r].quantity)
                } else {
                    1.0
                };
                if take < lot || take <= 0.0 {
                    continue;
                }
                amounts[k] = take;
                left[p] -= take;
                need -= take;
                in_plan[m] = true;
                for &x in partners {
                    shunned[x] = true;
                }
            }
        }
        amounts
    }
}

/// Scores arbitrary assignments `(pledge id, requirement id, quantity)` the
/// way plans are scored, after checking each is eligible. For tests and for
/// comparing a hand-made plan with the optimiser's.
pub fn score(
    catalogue: &Catalogue,
    op: &Operation,
    pledges: &[Pledge],
    assignments: &[(&str, &str, f64)],
    now: DateTime<Utc>,
) -> Result<Objectives, PlanError> {
    let inst = Instance::new(catalogue, op, pledges, now)?;
    let mut amounts = vec![0.0; inst.pairs.len()];
    for &(pledge, req, q) in assignments {
        let k = inst
            .pairs
            .iter()
            .position(|pr| inst.pledges[pr.p].id == pledge && op.requirements[pr.r].id == req)
            .ok_or_else(|| {
                PlanError::Invalid(crate::problem::Problems(vec![crate::problem::Problem {
                    place: crate::problem::Place::Item(format!("assignment {pledge} → {req}")),
                    message: "this pledge cannot serve this requirement".into(),
                }]))
            })?;
        amounts[k] += q;
    }
    Ok(inst.objectives(&amounts))
}
