//! The coalition optimiser: a lexicographic mixed-integer program.
//!
//! Variables are the quantities each eligible (pledge, requirement) pair
//! contributes; pairs that cannot serve are never created, which keeps the
//! program small (the pre-filter does most of the work on large inputs).
//!
//! Stage 1 maximises priority-weighted coverage. Stage 2 fixes coverage at
//! its optimum and optimises the policy's criterion. `shared` adds a stage 3
//! that fixes fairness and prefers earlier arrivals, because a min-max
//! objective leaves many optima. `lean` and `inclusive` count members, an
//! integer, so their tie-break rides in stage 2 scaled below one member.
//!
//! Quantities of divisible types (tonnes, USD) are scaled by the largest
//! requirement of their type so that every coefficient is near 1: HiGHS's
//! tolerances are absolute, and a USD 50 million requirement would otherwise
//! swamp them.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use good_lp::solvers::SolutionStatus;
use good_lp::solvers::highs::{HighsProblem, highs};
use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
    WithInitialSolution, variable,
};

use crate::plan::Policy;

/// One eligible pledge/requirement pair.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    /// Index of the supply unit: a pledge, or pledges aggregated by the planner.
    pub(crate) p: usize,
    /// Index into the sorted requirements.
    pub(crate) r: usize,
    /// Arrival, hours after the operation's start.
    pub(crate) arrival: f64,
}

/// The program's data, in the planner's stable order.
#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) pairs: Vec<Pair>,
    /// Extra capacity rows: pair indices whose sum is at most the bound
    /// (original units). Aggregated units use them for the capacity that
    /// arrives by each deadline.
    pub(crate) chains: Vec<(Vec<usize>, f64)>,
    /// Per requirement: quantity, weight (priority), scale, divisible, type index.
    pub(crate) req_q: Vec<f64>,
    pub(crate) req_w: Vec<f64>,
    pub(crate) req_type: Vec<usize>,
    /// Per type: scale and whether divisible.
    pub(crate) type_scale: Vec<f64>,
    pub(crate) type_divisible: Vec<bool>,
    pub(crate) type_lot: Vec<f64>,
    /// Per supply unit: capacity, member index, excluded partner member indices.
    pub(crate) pledge_cap: Vec<f64>,
    pub(crate) pledge_member: Vec<usize>,
    pub(crate) pledge_partners: Vec<Vec<usize>>,
    pub(crate) members: usize,
    /// The latest arrival of any pair (at least 1 h): scales the tie-break.
    pub(crate) arrival_max: f64,
    /// Proportional shares for `shared` when they are not this program's
    /// own: a branch of the partner search keeps the whole program's.
    pub(crate) fixed_shares: Option<Vec<Vec<Option<f64>>>>,
    /// How long every solve of this plan may still take.
    pub(crate) budget: Budget,
}

/// A wall-clock limit shared by every solve of one plan, and whether any
/// solve stopped at it. Unlimited by default: then nothing here reads the
/// clock and the plan is deterministic.
#[derive(Debug, Clone, Default)]
pub(crate) struct Budget(Option<Arc<Deadline>>);

#[derive(Debug)]
struct Deadline {
    at: Instant,
    reached: AtomicBool,
}

impl Budget {
    /// A budget that ends `limit` from now.
    pub(crate) fn lasting(limit: Duration) -> Budget {
        Budget(Some(Arc::new(Deadline {
            at: Instant::now() + limit,
            reached: AtomicBool::new(false),
        })))
    }

    /// Seconds left for the next solve (`None`: no limit). A spent budget
    /// still grants a few milliseconds, so a solve can return the start
    /// it was given rather than nothing.
    fn remaining_secs(&self) -> Option<f64> {
        self.0.as_ref().map(|d| {
            d.at.saturating_duration_since(Instant::now())
                .as_secs_f64()
                .max(0.005)
        })
    }

    /// Records a solve that stopped at the limit.
    fn note(&self, status: SolutionStatus) {
        if let (Some(d), SolutionStatus::TimeLimit) = (&self.0, status) {
            d.reached.store(true, Ordering::Relaxed);
        }
    }

    /// Whether some solve stopped at the limit with a feasible point, so
    /// the plan made of them is not proven optimal.
    pub(crate) fn stopped_a_solve(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|d| d.reached.load(Ordering::Relaxed))
    }

    /// Whether the limit has passed (a solve it cut off before any
    /// feasible point fails rather than report a status).
    pub(crate) fn is_past(&self) -> bool {
        self.0.as_ref().is_some_and(|d| Instant::now() >= d.at)
    }

    /// Applies the remaining time, if limited, to a model.
    fn limit(&self, model: HighsProblem) -> HighsProblem {
        match self.remaining_secs() {
            Some(secs) => model.set_time_limit(secs),
            None => model,
        }
    }
}

/// How far stage constraints may give: relative to the optimum, far below one
/// unit of anything whole and below a dollar of anything divisible.
const FIX_TOL: f64 = 1e-7;

impl Program {
    fn scale(&self, r: usize) -> f64 {
        self.type_scale[self.req_type[r]]
    }

    /// The smallest contribution of a divisible pair that counts.
    fn lot(&self, k: usize) -> f64 {
        let Pair { p, r, .. } = self.pairs[k];
        let t = self.req_type[r];
        self.type_lot[t].min(self.pledge_cap[p]).min(self.req_q[r])
    }

    /// Solves and returns the quantity of every pair, in original units.
    pub(crate) fn solve(&self, policy: Policy) -> Result<Vec<f64>, String> {
        if self.pairs.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(x) = self.solve_partner_branches(policy)? {
            return Ok(x);
        }
        self.solve_linked(policy)
    }

    /// [`Program::solve`] as one program, partner caveats as binaries.
    fn solve_linked(&self, policy: Policy) -> Result<Vec<f64>, String> {
        if policy == Policy::Shared {
            let parts = self.components();
            if parts.len() > 1 {
                return self.solve_shared_split(&parts);
            }
        }
        // Stage 1: coverage only.
        let s1 = self.run(policy, Stage::Coverage)?;
        let cov = s1.value;
        if policy == Policy::Fast {
            // Coverage first as one weighted objective: a unit of coverage
            // is worth more than any total of arrival hours (big M). It
            // spares a coverage row that would break unimodularity, and is
            // accepted only if it reaches the stage 1 coverage; otherwise
            // the two-stage program runs.
            let a_max = self.arrival_max;
            let w: f64 = self.req_w.iter().sum();
            let step = (0..self.req_q.len())
                .map(|r| self.req_w[r] / self.req_q[r])
                .fold(f64::INFINITY, f64::min);
            let big_m = 2.0 * w * a_max / step + 1.0;
            let s = self.run(policy, Stage::FastBigM { big_m })?;
            if self.coverage_of(&s.x) >= cov - FIX_TOL * cov.max(1.0) {
                return Ok(self.to_units(&s.x));
            }
        }
        // Stage 2: policy, coverage fixed. Without partner caveats the
        // types do not interact in stage 1, so the maximum is each type's
        // maximum: holding each type to its own is the same constraint,
        // stated in a form that keeps most of the matrix unimodular (a fully
        // covered type's requirements are simply met).
        let by_type = self
            .pairs
            .iter()
            .all(|pr| self.pledge_partners[pr.p].is_empty())
            .then(|| self.coverage_by_type(&s1.x));
        let stage2 = Stage::Policy {
            coverage: cov,
            by_type: by_type.as_deref(),
            start: &s1.x,
        };
        let s2 = match (policy, by_type.as_deref()) {
            (Policy::Lean, Some(by_type)) => self.solve_lean(stage2, by_type)?,
            _ => self.run(policy, stage2)?,
        };
        let x = if policy == Policy::Shared {
            self.run(
                policy,
                Stage::TieBreak {
                    coverage: cov,
                    deviation: s2.value,
                    start: &s2.x,
                },
            )?
            .x
        } else {
            s2.x
        };
        Ok(self.to_units(&x))
    }

    /// Builds and solves one stage. Quantities of whole-unit types are
    /// first solved as continuous: requirements and each unit's nested
    /// deadline sets are two laminar families, so once the few binaries
    /// (members, partner caveats, lots) are fixed the matrix is totally
    /// unimodular and the simplex vertex is integral: dropping integrality
    /// is exact and much faster. If a value comes back fractional the stage
    /// is solved again with integer quantities.
    fn run(&self, policy: Policy, stage: Stage<'_>) -> Result<Solved, String> {
        let s = self.build(policy, stage, true)?;
        if self.is_integral(&s.x) {
            Ok(s)
        } else {
            self.build(policy, stage, false)
        }
    }

    /// `lean`'s stage 2 when types are independent (`by_type`: each type's
    /// coverage to keep).
    ///
    /// Its linear relaxation is tight on the planner's inputs (every pair
    /// and deadline row is linked to its member's indicator), so it comes
    /// first: `k`, its value rounded up, is a lower bound on the members
    /// needed. The `k` members with the largest indicators are then tried:
    /// with the member set fixed, the quantities are one linear program whose
    /// matrix is totally unimodular (requirements and each unit's nested
    /// deadline sets are two laminar families), so its vertex is whole. If it
    /// keeps every type's coverage the plan is optimal. Otherwise the
    /// program with member binaries and fractional quantities is solved (its
    /// count is again a lower bound), its member set tried the same way, and
    /// only if that fails too the program with whole-number quantities.
    fn solve_lean(&self, stage2: Stage<'_>, by_type: &[f64]) -> Result<Solved, String> {
        let policy = Policy::Lean;
        let (k, order) = self.lean_bound(stage2)?;
        let mut chosen = vec![false; self.members];
        for &m in order.iter().take(k) {
            chosen[m] = true;
        }
        if let Some(x) = self.lean_with_members(&chosen, by_type)? {
            return Ok(Solved {
                x,
                value: k as f64,
                on: Vec::new(),
            });
        }
        let relaxed = self.build(policy, stage2, true)?;
        if self.is_integral(&relaxed.x) {
            return Ok(relaxed);
        }
        let mut chosen = vec![false; self.members];
        for (pr, &v) in self.pairs.iter().zip(&relaxed.x) {
            if v > 1e-9 {
                chosen[self.pledge_member[pr.p]] = true;
            }
        }
        if let Some(x) = self.lean_with_members(&chosen, by_type)? {
            return Ok(Solved { x, ..relaxed });
        }
        self.build(policy, stage2, false)
    }

    /// The linear-programming bound of `lean`'s stage 2: the fewest members
    /// it allows (rounded up) and the members by their indicator, largest
    /// first (then by index).
    fn lean_bound(&self, stage2: Stage<'_>) -> Result<(usize, Vec<usize>), String> {
        let lp = self.build_with(Policy::Lean, stage2, true, true)?;
        let total: f64 = lp.on.iter().sum();
        let k = (total - 1e-6).ceil().max(0.0) as usize;
        let mut order: Vec<usize> = (0..self.members).collect();
        order.sort_by(|&a, &b| lp.on[b].total_cmp(&lp.on[a]).then(a.cmp(&b)));
        Ok((k, order))
    }

    /// `lean`'s quantities with the member set fixed (see
    /// [`Program::solve_lean`]): `None` when some type's coverage is not
    /// kept by those members.
    fn lean_with_members(
        &self,
        chosen: &[bool],
        by_type: &[f64],
    ) -> Result<Option<Vec<f64>>, String> {
        if self.type_divisible.iter().any(|&d| d) {
            return Ok(None);
        }
        let ks: Vec<usize> = (0..self.pairs.len())
            .filter(|&k| chosen[self.pledge_member[self.pairs[k].p]])
            .collect();
        let sub = self.restrict(&ks);
        // Coverage first by weight, then the tie-break; whether coverage
        // held is checked below rather than trusted to the weight.
        let total_w: f64 = self.req_w.iter().sum();
        let step = (0..self.req_q.len())
            .map(|r| self.req_w[r] / self.req_q[r])
            .fold(f64::INFINITY, f64::min);
        let weight = 2.0 * total_w * 1.001 / step + 1.0;
        let Some(xs) = sub.bounded(Aim::Lex { weight }, None, None, &[])? else {
            return Ok(None);
        };
        if !sub.is_integral(&xs) {
            return Ok(None);
        }
        let xs: Vec<f64> = xs.iter().map(|v| v.round().max(0.0)).collect();
        let got = sub.coverage_by_type(&xs);
        if got
            .iter()
            .zip(by_type)
            .any(|(&g, &c)| g < Self::coverage_floor(c))
        {
            return Ok(None);
        }
        let mut x = vec![0.0; self.pairs.len()];
        for (&k, v) in ks.iter().zip(xs) {
            x[k] = v;
        }
        Ok(Some(x))
    }

    /// The pairs split into independent parts: asset types that no binary
    /// links. Types only interact through member indicators, which `shared`
    /// has only for partner caveats: a pledge refusing a member links its
    /// type with every type that member serves. Parts are in order of their
    /// smallest type, pairs in program order within each.
    fn components(&self) -> Vec<Vec<usize>> {
        let types = self.type_scale.len();
        let mut parent: Vec<usize> = (0..types).collect();
        fn root(parent: &mut [usize], mut a: usize) -> usize {
            while parent[a] != a {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }
            a
        }
        let mut member_types: Vec<Vec<usize>> = vec![Vec::new(); self.members];
        for pr in &self.pairs {
            member_types[self.pledge_member[pr.p]].push(self.req_type[pr.r]);
        }
        for pr in &self.pairs {
            let t = self.req_type[pr.r];
            for &m in &self.pledge_partners[pr.p] {
                for &t2 in &member_types[m] {
                    let (a, b) = (root(&mut parent, t), root(&mut parent, t2));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut parts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (k, pr) in self.pairs.iter().enumerate() {
            let t = root(&mut parent, self.req_type[pr.r]);
            parts.entry(t).or_default().push(k);
        }
        parts.into_values().collect()
    }

    /// The same program over a subset of its pairs (in the given order).
    fn restrict(&self, ks: &[usize]) -> Program {
        let mut index = vec![usize::MAX; self.pairs.len()];
        for (i, &k) in ks.iter().enumerate() {
            index[k] = i;
        }
        Program {
            pairs: ks.iter().map(|&k| self.pairs[k].clone()).collect(),
            chains: self
                .chains
                .iter()
                .filter(|(c, _)| index[c[0]] != usize::MAX)
                .map(|(c, b)| (c.iter().map(|&k| index[k]).collect(), *b))
                .collect(),
            req_q: self.req_q.clone(),
            req_w: self.req_w.clone(),
            req_type: self.req_type.clone(),
            type_scale: self.type_scale.clone(),
            type_divisible: self.type_divisible.clone(),
            type_lot: self.type_lot.clone(),
            pledge_cap: self.pledge_cap.clone(),
            pledge_member: self.pledge_member.clone(),
            pledge_partners: self.pledge_partners.clone(),
            members: self.members,
            arrival_max: self.arrival_max,
            fixed_shares: self.fixed_shares.clone(),
            budget: self.budget.clone(),
        }
    }

    /// `shared` over independent parts. The program is separable: coverage
    /// is a sum over parts and the deviation a maximum, so the joint optimum
    /// is each part's maximum coverage, the largest of the parts' smallest
    /// deviations, and then each part's tie-break under that deviation.
    /// Small programs are solved (and proven) much faster than one large one.
    fn solve_shared_split(&self, parts: &[Vec<usize>]) -> Result<Vec<f64>, String> {
        let policy = Policy::Shared;
        // Stage 1 per part, and the exact search's lower bound where it applies.
        let mut staged = Vec::with_capacity(parts.len());
        for ks in parts {
            let sub = self.restrict(ks);
            let s1 = sub.run(policy, Stage::Coverage)?;
            let search = match sub.single_whole_type() {
                Some(t) => sub.apportion_setup(t, s1.value)?,
                None => None,
            };
            staged.push((sub, s1, search));
        }
        // Stage 2: the largest of the parts' smallest deviations. Parts the
        // search handles go from the largest lower bound down; each only
        // has to show it can stay within the deviation found so far, and
        // is searched exactly only where it cannot.
        let mut order: Vec<usize> = (0..parts.len()).collect();
        let bound = |i: usize| staged[i].2.as_ref().map_or(f64::INFINITY, |a| a.lower);
        order.sort_by(|&a, &b| bound(b).total_cmp(&bound(a)).then(a.cmp(&b)));
        let mut deviation: f64 = order
            .iter()
            .map(|&i| bound(i))
            .filter(|b| b.is_finite())
            .fold(0.0, f64::max);
        let mut mip_starts: Vec<Option<Vec<f64>>> = vec![None; parts.len()];
        for &i in &order {
            let (sub, s1, search) = &mut staged[i];
            let exact = match search {
                Some(a) => sub.apportion_min(a, deviation)?,
                None => None,
            };
            match exact {
                Some(d) => deviation = deviation.max(d),
                None => {
                    *search = None;
                    let s2 = sub.run(
                        policy,
                        Stage::Policy {
                            coverage: s1.value,
                            by_type: None,
                            start: &s1.x,
                        },
                    )?;
                    deviation = deviation.max(s2.value);
                    mip_starts[i] = Some(s2.x);
                }
            }
        }
        // Stage 3: each part's tie-break within that deviation.
        let mut x = vec![0.0; self.pairs.len()];
        for (i, (ks, (sub, s1, search))) in parts.iter().zip(&staged).enumerate() {
            let searched = match search {
                Some(a) => sub.apportion_tie_break(a, deviation)?,
                None => None,
            };
            let xs = match searched {
                Some(xs) => xs,
                None => {
                    let start = match &mip_starts[i] {
                        Some(s) => s.clone(),
                        None => {
                            sub.run(
                                policy,
                                Stage::Policy {
                                    coverage: s1.value,
                                    by_type: None,
                                    start: &s1.x,
                                },
                            )?
                            .x
                        }
                    };
                    sub.run(
                        policy,
                        Stage::TieBreak {
                            coverage: s1.value,
                            deviation,
                            start: &start,
                        },
                    )?
                    .x
                }
            };
            for (&k, v) in ks.iter().zip(xs) {
                x[k] = v;
            }
        }
        Ok(self.to_units(&x))
    }

    /// Coefficient of pair `k` in the tie-break (before its overall scale):
    /// earlier arrival first, then earlier pledge in the stable order.
    fn tie_cost(&self, k: usize) -> f64 {
        let pr = &self.pairs[k];
        let p_max = self.pledge_cap.len().max(1) as f64;
        let c = pr.arrival / self.arrival_max + 1e-3 * pr.p as f64 / p_max;
        self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r] * c
    }

    /// Coverage of each type (solver values).
    fn coverage_by_type(&self, x: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.type_scale.len()];
        for (pr, v) in self.pairs.iter().zip(x) {
            out[self.req_type[pr.r]] += self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r] * v;
        }
        out
    }

    /// Whether every whole-unit quantity is a whole number.
    fn is_integral(&self, x: &[f64]) -> bool {
        self.pairs
            .iter()
            .zip(x)
            .all(|(pr, v)| self.type_divisible[self.req_type[pr.r]] || (v - v.round()).abs() < 1e-6)
    }

    fn coverage_of(&self, x: &[f64]) -> f64 {
        self.pairs
            .iter()
            .zip(x)
            .map(|(pr, v)| {
                let v = if self.type_divisible[self.req_type[pr.r]] {
                    *v
                } else {
                    v.round()
                };
                self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r] * v
            })
            .sum()
    }

    /// Scaled solver values to quantities in original units.
    fn to_units(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(k, &v)| {
                let r = self.pairs[k].r;
                if self.type_divisible[self.req_type[r]] {
                    // Snap to a decimal grid six digits below the scale: the
                    // solver's tolerances leave noise there, and data are
                    // decimals, so a pledged 7.25 t comes back as 7.25 t.
                    let s = self.scale(r);
                    let inv = 10f64.powi(6 - s.log10().floor() as i32);
                    let ub = self.pledge_cap[self.pairs[k].p].min(self.req_q[r]);
                    ((v * s * inv).round() / inv).clamp(0.0, ub)
                } else {
                    v.round().max(0.0)
                }
            })
            .collect()
    }

    /// Builds and solves one stage.
    fn build(&self, policy: Policy, stage: Stage<'_>, relax: bool) -> Result<Solved, String> {
        self.build_with(policy, stage, relax, false)
    }

    /// [`Program::build`]; `linear`: every binary relaxed to `[0, 1]` too,
    /// which gives the stage's linear-programming bound.
    fn build_with(
        &self,
        policy: Policy,
        stage: Stage<'_>,
        relax: bool,
        linear: bool,
    ) -> Result<Solved, String> {
        let binary = || {
            if linear {
                variable().min(0.0).max(1.0)
            } else {
                variable().binary()
            }
        };
        let mut vars = ProblemVariables::new();
        let n = self.pairs.len();
        let mut pledge_pairs: Vec<Vec<usize>> = vec![Vec::new(); self.pledge_cap.len()];
        let mut req_pairs: Vec<Vec<usize>> = vec![Vec::new(); self.req_q.len()];
        let mut member_pairs: Vec<Vec<usize>> = vec![Vec::new(); self.members];
        for (k, pr) in self.pairs.iter().enumerate() {
            pledge_pairs[pr.p].push(k);
            req_pairs[pr.r].push(k);
            member_pairs[self.pledge_member[pr.p]].push(k);
        }
        let x: Vec<Variable> = self
            .pairs
            .iter()
            .map(|pr| {
                let s = self.scale(pr.r);
                let ub = self.pledge_cap[pr.p].min(self.req_q[pr.r]) / s;
                let v = variable().min(0.0).max(ub);
                vars.add(if relax || self.type_divisible[self.req_type[pr.r]] {
                    v
                } else {
                    v.integer()
                })
            })
            .collect();
        // Which members need an "on" indicator: all under lean, and any
        // member some pledge refuses to work alongside.
        let policy_stage = matches!(stage, Stage::Policy { .. } | Stage::TieBreak { .. });
        let mut needs_on = vec![policy_stage && policy == Policy::Lean; self.members];
        let mut used_by_pledge: Vec<Option<Variable>> = vec![None; self.pledge_cap.len()];
        for (p, partners) in self.pledge_partners.iter().enumerate() {
            if partners.is_empty() || pledge_pairs[p].is_empty() {
                continue;
            }
            for &m in partners {
                if !member_pairs[m].is_empty() {
                    needs_on[m] = true;
                }
            }
            used_by_pledge[p] = Some(vars.add(binary()));
        }
        let on: Vec<Option<Variable>> = (0..self.members)
            .map(|m| (needs_on[m] && !member_pairs[m].is_empty()).then(|| vars.add(binary())))
            .collect();
        let credit: Vec<Option<Variable>> = (0..self.members)
            .map(|m| {
                (policy_stage && policy == Policy::Inclusive && !member_pairs[m].is_empty())
                    .then(|| vars.add(binary()))
            })
            .collect();
        let lot_on: Vec<Option<Variable>> = (0..n)
            .map(|k| {
                self.type_divisible[self.req_type[self.pairs[k].r]].then(|| vars.add(binary()))
            })
            .collect();
        let dev = (policy_stage && policy == Policy::Shared).then(|| vars.add(variable().min(0.0)));
        // Shared: per type, the total given and each member's own part, as
        // variables, so that each member's deviation row has three terms
        // instead of one per pair of the type.
        let share_vars: Vec<ShareVars> = if dev.is_some() {
            self.shares()
                .into_iter()
                .enumerate()
                .filter(|(_, per_member)| per_member.iter().any(Option::is_some))
                .map(|(t, per_member)| {
                    let tot = vars.add(variable().min(0.0));
                    let own = per_member
                        .into_iter()
                        .enumerate()
                        .filter_map(|(m, sh)| sh.map(|sh| (m, sh, vars.add(variable().min(0.0)))))
                        .collect();
                    (t, tot, own)
                })
                .collect()
        } else {
            Vec::new()
        };

        let coverage = {
            let mut e = Expression::with_capacity(n);
            for (k, pr) in self.pairs.iter().enumerate() {
                e.add_mul(self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r], x[k]);
            }
            e
        };
        let total_w: f64 = self.req_w.iter().sum();
        // Earlier arrival first, then earlier pledge in the stable order.
        let tie_break = {
            let mut e = Expression::with_capacity(n);
            for (k, &v) in x.iter().enumerate() {
                e.add_mul(self.tie_cost(k), v);
            }
            // At most 0.1 in total: never worth one member under lean or inclusive.
            e * (0.1 / (total_w * 1.001 + 1.0))
        };

        let (objective, maximise, start) = match stage {
            Stage::Coverage => (coverage.clone(), true, None),
            Stage::Policy { start, .. } => {
                let e = match policy {
                    Policy::Lean => {
                        on.iter()
                            .flatten()
                            .copied()
                            .map(Expression::from)
                            .sum::<Expression>()
                            + tie_break.clone()
                    }
                    Policy::Inclusive => {
                        tie_break.clone()
                            - credit
                                .iter()
                                .flatten()
                                .copied()
                                .map(Expression::from)
                                .sum::<Expression>()
                    }
                    Policy::Fast => self.weighted_arrival(&x),
                    Policy::Shared => Expression::from(dev.expect("shared has a deviation")),
                };
                (e, false, Some(start))
            }
            Stage::TieBreak { start, .. } => (tie_break.clone(), false, Some(start)),
            Stage::FastBigM { big_m } => {
                let mut e = Expression::with_capacity(n);
                for (k, pr) in self.pairs.iter().enumerate() {
                    e.add_mul(
                        self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r]
                            * (pr.arrival - big_m),
                        x[k],
                    );
                }
                (e, false, None)
            }
        };
        let problem = if maximise {
            vars.maximise(objective.clone())
        } else {
            vars.minimise(objective.clone())
        };
        // Lean and inclusive count members, an integer, and carry a
        // tie-break below 0.1: an absolute gap of 0.05 proves the count
        // without spending time proving the tie-break.
        let abs_gap = match (&stage, policy) {
            (Stage::Policy { .. }, Policy::Lean | Policy::Inclusive) => 0.05,
            _ => 1e-9,
        };
        let mut model = highs(problem)
            .set_mip_rel_gap(if abs_gap > 1e-3 { 1e-3 } else { 1e-7 })
            .map_err(|e| e.to_string())?
            .set_mip_abs_gap(abs_gap as f32)
            .map_err(|e| e.to_string())?
            // One thread: the plan must not depend on scheduling, and the
            // machines this runs on have two cores shared with a server.
            .set_threads(1)
            .set_option("random_seed", 0);
        model = self.budget.limit(model);
        if let Some(start) = start {
            model = model.with_initial_solution(x.iter().copied().zip(start.iter().copied()));
        }

        // Demand: no requirement is over-served.
        for (r, ks) in req_pairs.iter().enumerate() {
            if ks.is_empty() {
                continue;
            }
            let e: Expression = ks.iter().map(|&k| Expression::from(x[k])).sum();
            model = model.with(e.leq(self.req_q[r] / self.scale(r)));
        }
        // Capacity that arrives by each deadline (aggregated units), linked
        // to the member's indicator where it has one: a member left out
        // offers nothing by any deadline.
        for (ks, bound) in &self.chains {
            let s = self.scale(self.pairs[ks[0]].r);
            let e: Expression = ks.iter().map(|&k| Expression::from(x[k])).sum();
            match on[self.pledge_member[self.pairs[ks[0]].p]] {
                Some(o) => model = model.with(e.leq((bound / s) * o)),
                None => model = model.with(e.leq(bound / s)),
            }
        }
        // Each pair, too, gives nothing unless its member is on, and at most
        // what either side allows. These rows are implied for integral
        // indicators but make the relaxation far tighter than the capacity
        // row alone (the facility-location "strong" linking).
        for (k, pr) in self.pairs.iter().enumerate() {
            if let Some(o) = on[self.pledge_member[pr.p]] {
                let ub = self.pledge_cap[pr.p].min(self.req_q[pr.r]) / self.scale(pr.r);
                model = model.with(Expression::from(x[k]).leq(ub * o));
            }
        }
        // Capacity: no pledge gives more than it offered; linked to the
        // member's and the pledge's indicators where those exist.
        for (p, ks) in pledge_pairs.iter().enumerate() {
            if ks.is_empty() {
                continue;
            }
            let s = self.scale(self.pairs[ks[0]].r);
            let cap = self.pledge_cap[p] / s;
            let sum: Expression = ks.iter().map(|&k| Expression::from(x[k])).sum();
            model = model.with(sum.clone().leq(cap));
            if let Some(o) = on[self.pledge_member[p]] {
                model = model.with(sum.clone().leq(cap * o));
            }
            if let Some(u) = used_by_pledge[p] {
                model = model.with(sum.leq(cap * u));
                for &m in &self.pledge_partners[p] {
                    if let Some(o) = on[m] {
                        model = model.with((u + o).leq(1.0));
                    }
                }
            }
        }
        // Divisible contributions are zero or at least a lot.
        for (k, lo) in lot_on.iter().enumerate() {
            if let Some(y) = *lo {
                let pr = &self.pairs[k];
                let s = self.scale(pr.r);
                let ub = self.pledge_cap[pr.p].min(self.req_q[pr.r]) / s;
                model = model.with(Expression::from(x[k]).leq(ub * y));
                model = model.with(Expression::from(x[k]).geq(self.lot(k) / s * y));
            }
        }
        // Inclusive: a member earns credit with at least one lot of anything.
        for (m, c) in credit.iter().enumerate() {
            if let Some(c) = *c {
                let mut e = Expression::with_capacity(member_pairs[m].len());
                for &k in &member_pairs[m] {
                    let pr = &self.pairs[k];
                    let per_unit = if self.type_divisible[self.req_type[pr.r]] {
                        self.scale(pr.r) / self.lot(k)
                    } else {
                        1.0
                    };
                    e.add_mul(per_unit, x[k]);
                }
                model = model.with(Expression::from(c).leq(e));
            }
        }
        // Shared: |member's share of a type − its proportional share| ≤ dev,
        // as a fraction of what the type's requirements ask for.
        if let Some(d) = dev {
            for (t, tot, own) in &share_vars {
                let need: f64 = (0..self.req_q.len())
                    .filter(|&r| self.req_type[r] == *t)
                    .map(|r| self.req_q[r] / self.scale(r))
                    .sum();
                let mut all = Expression::from(*tot);
                let mut mine: Vec<Expression> = own.iter().map(|&(_, _, v)| v.into()).collect();
                for (k, pr) in self.pairs.iter().enumerate() {
                    if self.req_type[pr.r] != *t {
                        continue;
                    }
                    all -= x[k];
                    let m = self.pledge_member[pr.p];
                    if let Ok(i) = own.binary_search_by_key(&m, |&(m2, _, _)| m2) {
                        mine[i] -= x[k];
                    }
                }
                model = model.with(all.eq(0.0));
                for (&(_, share, v), e) in own.iter().zip(mine) {
                    model = model.with(e.eq(0.0));
                    let lhs = (Expression::from(v) - share * *tot) * (1.0 / need);
                    model = model.with(lhs.clone().leq(d));
                    model = model.with((-lhs).leq(d));
                }
            }
        }
        match stage {
            Stage::Coverage | Stage::FastBigM { .. } => {}
            Stage::Policy {
                by_type: Some(by_type),
                ..
            } => {
                for (t, &c) in by_type.iter().enumerate() {
                    let full: f64 = (0..self.req_q.len())
                        .filter(|&r| self.req_type[r] == t)
                        .map(|r| self.req_w[r])
                        .sum();
                    let ks: Vec<usize> = (0..n)
                        .filter(|&k| self.req_type[self.pairs[k].r] == t)
                        .collect();
                    if ks.is_empty() {
                        continue;
                    }
                    if c >= Self::coverage_floor(full) {
                        for (r, rks) in req_pairs.iter().enumerate() {
                            if self.req_type[r] == t && !rks.is_empty() {
                                let e: Expression =
                                    rks.iter().map(|&k| Expression::from(x[k])).sum();
                                let q = self.req_q[r] / self.scale(r);
                                model = model.with(e.geq(q - FIX_TOL * q.max(1.0)));
                            }
                        }
                    } else {
                        let mut e = Expression::with_capacity(ks.len());
                        for &k in &ks {
                            let pr = &self.pairs[k];
                            e.add_mul(self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r], x[k]);
                        }
                        model = model.with(e.geq(Self::coverage_floor(c)));
                    }
                }
            }
            Stage::Policy { coverage: c, .. } => {
                model = model.with(coverage.geq(c - FIX_TOL * c.abs().max(1.0)));
            }
            Stage::TieBreak {
                coverage: c,
                deviation,
                ..
            } => {
                model = model.with(coverage.geq(c - FIX_TOL * c.abs().max(1.0)));
                let d = dev.expect("tie-break stage is for shared");
                model = model.with(Expression::from(d).leq(deviation + FIX_TOL));
            }
        }
        let solution = model.solve().map_err(|e| match e {
            ResolutionError::Infeasible => "the program is infeasible".to_owned(),
            other => other.to_string(),
        })?;
        self.budget.note(solution.status());
        let xs: Vec<f64> = x.iter().map(|&v| solution.value(v)).collect();
        let value = solution.eval(&objective);
        let on = on
            .iter()
            .map(|o| o.map_or(0.0, |o| solution.value(o)))
            .collect();
        Ok(Solved { x: xs, value, on })
    }

    /// Σ priority × fraction of the requirement × arrival hours.
    pub(crate) fn weighted_arrival(&self, x: &[Variable]) -> Expression {
        let mut e = Expression::with_capacity(x.len());
        for (k, pr) in self.pairs.iter().enumerate() {
            e.add_mul(
                self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r] * pr.arrival,
                x[k],
            );
        }
        e
    }

    /// Per type, per member: the member's share of the eligible capacity of
    /// that type (`None` when it has none).
    pub(crate) fn shares(&self) -> Vec<Vec<Option<f64>>> {
        if let Some(s) = &self.fixed_shares {
            return s.clone();
        }
        shares(
            &self.pairs,
            &self.pledge_cap,
            &self.pledge_member,
            &self.req_type,
            self.type_scale.len(),
            self.members,
        )
    }
}

/// Per type, per member: the member's share of the capacity of that type
/// that can serve at least one requirement (`None` when it has none).
pub(crate) fn shares(
    pairs: &[Pair],
    unit_cap: &[f64],
    unit_member: &[usize],
    req_type: &[usize],
    types: usize,
    members: usize,
) -> Vec<Vec<Option<f64>>> {
    let mut cap = vec![vec![0.0; members]; types];
    let mut counted = vec![false; unit_cap.len()];
    for pr in pairs {
        if !counted[pr.p] {
            counted[pr.p] = true;
            cap[req_type[pr.r]][unit_member[pr.p]] += unit_cap[pr.p];
        }
    }
    cap.into_iter()
        .map(|row| {
            let total: f64 = row.iter().sum();
            row.into_iter()
                .map(|c| (c > 0.0).then(|| c / total))
                .collect()
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Stage<'s> {
    Coverage,
    FastBigM {
        big_m: f64,
    },
    Policy {
        coverage: f64,
        /// Per type, the coverage it must keep, when types are independent.
        by_type: Option<&'s [f64]>,
        start: &'s [f64],
    },
    TieBreak {
        coverage: f64,
        deviation: f64,
        start: &'s [f64],
    },
}

/// Per type: its index, the total given, and each member's index, share
/// and own part.
type ShareVars = (usize, Variable, Vec<(usize, f64, Variable)>);

struct Solved {
    x: Vec<f64>,
    value: f64,
    /// Each member's indicator, where it has one (else 0).
    on: Vec<f64>,
}

/// The exact `shared` search over one part of a single whole-unit type
/// with no binaries.
///
/// For a fixed total `T` of the type, a deviation `d` bounds each member's
/// part to whole numbers in `[share·T − d·need, share·T + d·need]`. Those are
/// bounds on a member's set of pairs, and a member's sets, each unit's
/// nested deadline sets and the type's total form one laminar family,
/// requirements another: the program stays totally unimodular, so whether
/// `d` is reachable with full coverage is one linear program with an
/// integral answer. The smallest reachable `d` is one of the finitely many
/// values `|k − share·T| / need`, found by bisection; `T` ranges over the
/// few totals that the maximum coverage allows.
pub(crate) struct Apportion {
    t: usize,
    need: f64,
    shares: Vec<(usize, f64)>,
    coverage: f64,
    totals: Vec<f64>,
    /// A lower bound on the part's deviation (rounding alone, no capacity).
    pub(crate) lower: f64,
}

/// At most this many totals are searched; beyond, the part goes to the MIP.
const MAX_TOTALS: usize = 64;

/// What a bounded program optimises.
#[derive(Clone, Copy)]
enum Aim {
    Total {
        maximise: bool,
    },
    Coverage,
    /// `weight` × coverage − tie-break, maximised.
    Lex {
        weight: f64,
    },
}

impl Program {
    /// The type when this part has one whole-unit type and no partner caveats.
    fn single_whole_type(&self) -> Option<usize> {
        let t = self.req_type[self.pairs.first()?.r];
        let ok = !self.type_divisible[t]
            && self
                .pairs
                .iter()
                .all(|pr| self.req_type[pr.r] == t && self.pledge_partners[pr.p].is_empty());
        ok.then_some(t)
    }

    fn coverage_floor(c: f64) -> f64 {
        c - FIX_TOL * c.abs().max(1.0)
    }

    /// Prepares the search: the totals the maximum coverage allows and a
    /// lower bound. `None` when the search does not apply.
    fn apportion_setup(&self, t: usize, coverage: f64) -> Result<Option<Apportion>, String> {
        let need: f64 = (0..self.req_q.len())
            .filter(|&r| self.req_type[r] == t)
            .map(|r| self.req_q[r])
            .sum();
        let shares: Vec<(usize, f64)> = self.shares()[t]
            .iter()
            .enumerate()
            .filter_map(|(m, s)| s.map(|s| (m, s)))
            .collect();
        let full: f64 = (0..self.req_q.len())
            .filter(|&r| self.req_type[r] == t)
            .map(|r| self.req_w[r])
            .sum();
        let (lo, hi) = if coverage >= Self::coverage_floor(full) {
            (need, need)
        } else {
            let floor = Some(Self::coverage_floor(coverage));
            let lo = self.bounded(Aim::Total { maximise: false }, floor, None, &[])?;
            let hi = self.bounded(Aim::Total { maximise: true }, floor, None, &[])?;
            let (Some(lo), Some(hi)) = (lo, hi) else {
                return Ok(None);
            };
            let sum = |x: &[f64]| x.iter().sum::<f64>();
            ((sum(&lo) - 1e-6).ceil(), (sum(&hi) + 1e-6).floor())
        };
        if hi < lo || (hi - lo) as usize >= MAX_TOTALS {
            return Ok(None);
        }
        let totals: Vec<f64> = (0..=(hi - lo) as usize).map(|i| lo + i as f64).collect();
        // Rounding alone: each member's part is whole and the parts add up to T.
        let lower = totals
            .iter()
            .map(|&total| {
                let cands = candidates(&shares, total, need);
                let i = cands.partition_point(|&d| {
                    let (mut l, mut h) = (0.0, 0.0);
                    for &(_, s) in &shares {
                        let (a, b) = member_bounds(s, total, d, need);
                        if a > b {
                            return true;
                        }
                        l += a;
                        h += b;
                    }
                    !(l <= total && total <= h)
                });
                cands.get(i).copied().unwrap_or(f64::INFINITY)
            })
            .fold(f64::INFINITY, f64::min);
        Ok(Some(Apportion {
            t,
            need,
            shares,
            coverage,
            totals,
            lower,
        }))
    }

    /// Whether deviation `d` is reachable with total `total` and full coverage.
    /// `None`: the program's answer was not integral (fall back to the MIP).
    fn reachable(&self, a: &Apportion, total: f64, d: f64) -> Result<Option<bool>, String> {
        let Some(bounds) = self.bounds_for(a, total, d) else {
            return Ok(Some(false));
        };
        let Some(x) = self.bounded(Aim::Coverage, None, Some(total), &bounds)? else {
            return Ok(Some(false));
        };
        if !self.is_integral(&x) {
            return Ok(None);
        }
        Ok(Some(
            self.coverage_of(&x) >= Self::coverage_floor(a.coverage),
        ))
    }

    fn bounds_for(&self, a: &Apportion, total: f64, d: f64) -> Option<Vec<(usize, f64, f64)>> {
        let mut out = Vec::with_capacity(a.shares.len());
        for &(m, s) in &a.shares {
            let (lo, hi) = member_bounds(s, total, d, a.need);
            if lo > hi {
                return None;
            }
            out.push((m, lo, hi));
        }
        Some(out)
    }

    /// The part's smallest deviation if it is above `at_most`, else
    /// `at_most` itself (the part fits within it). `None`: fall back.
    fn apportion_min(&self, a: &Apportion, at_most: f64) -> Result<Option<f64>, String> {
        let mut best = f64::INFINITY;
        for &total in a.totals.iter().filter(|_| a.lower <= at_most) {
            match self.reachable(a, total, at_most)? {
                None => return Ok(None),
                Some(true) => return Ok(Some(at_most)),
                Some(false) => {}
            }
        }
        for &total in &a.totals {
            let cands: Vec<f64> = candidates(&a.shares, total, a.need)
                .into_iter()
                .filter(|&d| d > at_most && d < best)
                .collect();
            // Bisection for the first reachable candidate.
            let (mut lo, mut hi) = (0, cands.len());
            while lo < hi {
                let mid = (lo + hi) / 2;
                match self.reachable(a, total, cands[mid])? {
                    None => return Ok(None),
                    Some(true) => hi = mid,
                    Some(false) => lo = mid + 1,
                }
            }
            if let Some(&d) = cands.get(lo) {
                best = d;
            }
        }
        Ok(best.is_finite().then_some(best))
    }

    /// The tie-break within deviation `d`: earliest arrivals over every
    /// allowed total, as one weighted program per total whose coverage is
    /// checked. `None`: fall back to the MIP.
    fn apportion_tie_break(&self, a: &Apportion, d: f64) -> Result<Option<Vec<f64>>, String> {
        let full: f64 = (0..self.req_q.len())
            .filter(|&r| self.req_type[r] == a.t)
            .map(|r| self.req_w[r])
            .sum();
        let step = (0..self.req_q.len())
            .filter(|&r| self.req_type[r] == a.t)
            .map(|r| self.req_w[r] / self.req_q[r])
            .fold(f64::INFINITY, f64::min);
        let weight = 2.0 * full * 1.001 / step + 1.0;
        let mut best: Option<(f64, Vec<f64>)> = None;
        for &total in &a.totals {
            let Some(bounds) = self.bounds_for(a, total, d + 1e-12) else {
                continue;
            };
            let Some(x) = self.bounded(Aim::Lex { weight }, None, Some(total), &bounds)? else {
                continue;
            };
            if !self.is_integral(&x) {
                return Ok(None);
            }
            if self.coverage_of(&x) < Self::coverage_floor(a.coverage) {
                continue;
            }
            let tie: f64 = (0..x.len()).map(|k| self.tie_cost(k) * x[k]).sum();
            if best.as_ref().is_none_or(|(b, _)| tie < *b - 1e-12) {
                best = Some((tie, x));
            }
        }
        Ok(best.map(|(_, x)| x))
    }

    /// A linear program over this part (no binaries): demand, capacity by
    /// deadline, optionally a coverage floor, a fixed total and member
    /// bounds. `None` when infeasible.
    fn bounded(
        &self,
        aim: Aim,
        coverage_floor: Option<f64>,
        total: Option<f64>,
        member_bounds: &[(usize, f64, f64)],
    ) -> Result<Option<Vec<f64>>, String> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = self
            .pairs
            .iter()
            .map(|pr| {
                let ub = self.pledge_cap[pr.p].min(self.req_q[pr.r]) / self.scale(pr.r);
                vars.add(variable().min(0.0).max(ub))
            })
            .collect();
        let mut coverage = Expression::with_capacity(x.len());
        let mut sum = Expression::with_capacity(x.len());
        for (k, pr) in self.pairs.iter().enumerate() {
            coverage.add_mul(self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r], x[k]);
            sum += x[k];
        }
        let problem = match aim {
            Aim::Total { maximise: true } => vars.maximise(sum.clone()),
            Aim::Total { maximise: false } => vars.minimise(sum.clone()),
            Aim::Coverage => vars.maximise(coverage.clone()),
            Aim::Lex { weight } => {
                let mut e = coverage.clone() * weight;
                for (k, &v) in x.iter().enumerate() {
                    e.add_mul(-self.tie_cost(k), v);
                }
                vars.maximise(e)
            }
        };
        let mut model = self.budget.limit(
            highs(problem)
                .set_threads(1)
                .set_option("random_seed", 0)
                .set_option("output_flag", false),
        );
        let mut by_req: Vec<Vec<usize>> = vec![Vec::new(); self.req_q.len()];
        let mut by_unit: Vec<Vec<usize>> = vec![Vec::new(); self.pledge_cap.len()];
        let mut by_member: Vec<Vec<usize>> = vec![Vec::new(); self.members];
        for (k, pr) in self.pairs.iter().enumerate() {
            by_req[pr.r].push(k);
            by_unit[pr.p].push(k);
            by_member[self.pledge_member[pr.p]].push(k);
        }
        let sum_of =
            |ks: &[usize]| -> Expression { ks.iter().map(|&k| Expression::from(x[k])).sum() };
        for (r, ks) in by_req.iter().enumerate() {
            if !ks.is_empty() {
                model = model.with(sum_of(ks).leq(self.req_q[r] / self.scale(r)));
            }
        }
        for (ks, bound) in &self.chains {
            let s = self.scale(self.pairs[ks[0]].r);
            model = model.with(sum_of(ks).leq(bound / s));
        }
        for (p, ks) in by_unit.iter().enumerate() {
            if !ks.is_empty() {
                let s = self.scale(self.pairs[ks[0]].r);
                model = model.with(sum_of(ks).leq(self.pledge_cap[p] / s));
            }
        }
        if let Some(c) = coverage_floor {
            model = model.with(coverage.geq(c));
        }
        if let Some(total) = total {
            model = model.with(sum.eq(total));
        }
        for &(m, lo, hi) in member_bounds {
            let e = sum_of(&by_member[m]);
            model = model.with(e.clone().leq(hi));
            if lo > 0.0 {
                model = model.with(e.geq(lo));
            }
        }
        match model.solve() {
            Ok(solution) => {
                self.budget.note(solution.status());
                Ok(Some(x.iter().map(|&v| solution.value(v)).collect()))
            }
            Err(ResolutionError::Infeasible) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Whole-number bounds on a member's part for deviation `d`.
fn member_bounds(share: f64, total: f64, d: f64, need: f64) -> (f64, f64) {
    let c = share * total;
    let slack = d * need;
    (
        (c - slack - 1e-9).ceil().max(0.0),
        (c + slack + 1e-9).floor(),
    )
}

/// Every deviation at which some member's whole-number bounds change,
/// ascending: `|k − share·total| / need` for whole `k` in `0..=total`.
fn candidates(shares: &[(usize, f64)], total: f64, need: f64) -> Vec<f64> {
    let mut out = Vec::new();
    for &(_, s) in shares {
        let c = s * total;
        for k in 0..=(total as u64) {
            out.push((k as f64 - c).abs() / need);
        }
    }
    out.sort_by(f64::total_cmp);
    out.dedup_by(|a, b| (*a - *b).abs() <= 1e-12);
    out
}

/// At most this many branches of the partner search are solved; beyond,
/// the caller solves the program with partner caveats as binaries.
const MAX_BRANCHES: usize = 48;

/// A plan's coverage and its policy's criterion, in original units.
#[derive(Debug, Clone, Copy)]
struct Value {
    coverage: f64,
    policy: f64,
}

impl Value {
    /// Whether `self` is lexicographically better than `other` under
    /// `policy` by more than the solver's tolerances.
    fn beats(self, other: Value, policy: Policy) -> bool {
        let tol = FIX_TOL * other.coverage.abs().max(1.0);
        if (self.coverage - other.coverage).abs() > tol {
            return self.coverage > other.coverage;
        }
        let tol = FIX_TOL * other.policy.abs().max(1.0);
        match policy {
            Policy::Inclusive => self.policy > other.policy + tol,
            _ => self.policy < other.policy - tol,
        }
    }
}

/// A branch of the partner search: supply units and members left out.
struct Branch {
    dropped: Vec<bool>,
    excluded: Vec<bool>,
    /// The value of the branch it came from: nothing in it does better.
    bound: Option<Value>,
}

impl Program {
    /// `policy` with partner caveats, searched outside the solver.
    ///
    /// Each branch is this program with some units and some members left
    /// out and the remaining partner caveats ignored, which makes it a
    /// relaxation of every plan in it and lets its types separate again
    /// (the fast paths above). Its optimum bounds the branch. If the optimum
    /// puts a unit beside a member it refuses, with violated units
    /// `u₁ … u_k` in order, the branch splits into: every `uᵢ` left out;
    /// and for each `i`, `u₁ … u_{i−1}` left out and `uᵢ`'s excluded partners
    /// left out. Every plan honouring the caveats lies in one of them: the
    /// first `uᵢ` it uses (if any) has its partners absent. The search is
    /// depth first, the "left out" branch first, and a branch is skipped
    /// when its parent's bound does not beat the best plan found, so it
    /// returns a lexicographic optimum, and always the same one. The plan
    /// with every caveated unit left out honours every caveat and is solved
    /// first, so that most branches have something to beat; before a
    /// branch's policy stage, its maximum coverage (and for `lean` the
    /// linear bound on members) is compared with the best plan's.
    ///
    /// `None`: no partner caveat in the program, or more than
    /// [`MAX_BRANCHES`] branches were needed.
    fn solve_partner_branches(&self, policy: Policy) -> Result<Option<Vec<f64>>, String> {
        if self.pledge_partners.iter().all(Vec::is_empty) {
            return Ok(None);
        }
        let units = self.pledge_cap.len();
        let shares = self.shares();
        // The plan without any unit that has a partner caveat honours them
        // all: searched first, it is the first plan to beat.
        let mut dropped = vec![false; units];
        for (u, partners) in self.pledge_partners.iter().enumerate() {
            dropped[u] = !partners.is_empty();
        }
        let mut stack = vec![
            Branch {
                dropped: vec![false; units],
                excluded: vec![false; self.members],
                bound: None,
            },
            Branch {
                dropped,
                excluded: vec![false; self.members],
                bound: None,
            },
        ];
        let mut best: Option<(Value, Vec<f64>)> = None;
        let mut solved = 0;
        while let Some(branch) = stack.pop() {
            if let (Some(bound), Some((b, _))) = (branch.bound, &best)
                && !bound.beats(*b, policy)
            {
                continue;
            }
            solved += 1;
            if solved > MAX_BRANCHES {
                return Ok(None);
            }
            let mut ks: Vec<usize> = (0..self.pairs.len())
                .filter(|&k| {
                    let u = self.pairs[k].p;
                    !branch.dropped[u] && !branch.excluded[self.pledge_member[u]]
                })
                .collect();
            let mut sub = self.restrict(&ks);
            sub.pledge_partners = vec![Vec::new(); units];
            sub.fixed_shares = Some(shares.clone());
            if policy == Policy::Fast
                && let Some(kept) = sub.fast_kept()
            {
                ks = kept.iter().map(|&i| ks[i]).collect();
                sub = sub.restrict(&kept);
            }
            if let Some((b, _)) = &best {
                // Coverage alone first: a branch that cannot keep the best
                // plan's coverage needs no policy stage.
                if sub.pairs.is_empty() {
                    continue;
                }
                let s1 = sub.run(policy, Stage::Coverage)?;
                let tol = FIX_TOL * b.coverage.abs().max(1.0);
                if s1.value < b.coverage - tol {
                    continue;
                }
                // Lean at the same coverage: the linear bound on the
                // members needed, before any mixed-integer program.
                if policy == Policy::Lean && s1.value <= b.coverage + tol {
                    let by_type = sub.coverage_by_type(&s1.x);
                    let stage2 = Stage::Policy {
                        coverage: s1.value,
                        by_type: Some(&by_type),
                        start: &s1.x,
                    };
                    if sub.lean_bound(stage2)?.0 as f64 >= b.policy {
                        continue;
                    }
                }
            }
            let mut x = vec![0.0; self.pairs.len()];
            for (&k, v) in ks.iter().zip(sub.solve(policy)?) {
                x[k] = v;
            }
            let value = self.value(policy, &x, &shares);
            if best.as_ref().is_some_and(|(b, _)| !value.beats(*b, policy)) {
                continue;
            }
            let mut unit_used = vec![false; units];
            let mut member_used = vec![false; self.members];
            for (pr, &q) in self.pairs.iter().zip(&x) {
                if q > 0.0 {
                    unit_used[pr.p] = true;
                    member_used[self.pledge_member[pr.p]] = true;
                }
            }
            let violated: Vec<usize> = (0..units)
                .filter(|&u| {
                    unit_used[u] && self.pledge_partners[u].iter().any(|&m| member_used[m])
                })
                .collect();
            if violated.is_empty() {
                best = Some((value, x));
                continue;
            }
            // Pushed in reverse so that "every violated unit left out" is
            // searched first, then the partners of u₁, u₂, ...
            for i in (0..violated.len()).rev() {
                let mut dropped = branch.dropped.clone();
                let mut excluded = branch.excluded.clone();
                for &u in &violated[..i] {
                    dropped[u] = true;
                }
                for &m in &self.pledge_partners[violated[i]] {
                    excluded[m] = true;
                }
                stack.push(Branch {
                    dropped,
                    excluded,
                    bound: Some(value),
                });
            }
            let mut dropped = branch.dropped.clone();
            for &u in &violated {
                dropped[u] = true;
            }
            stack.push(Branch {
                dropped,
                excluded: branch.excluded,
                bound: Some(value),
            });
        }
        Ok(best.map(|(_, x)| x))
    }

    /// The pairs `fast` needs when no partner caveat applies and every unit
    /// is one pledge (no deadline chains): for each requirement of a
    /// whole-unit type, pairs in order of arrival until the units kept could
    /// supply the type's whole demand. A later pair is never needed: in a
    /// plan using one, the type is given less than its demand by the kept
    /// units, so one of them has a spare unit, arrives no later, and can take
    /// that unit over without changing coverage. `None` when it does not
    /// apply.
    fn fast_kept(&self) -> Option<Vec<usize>> {
        if !self.chains.is_empty() || self.pledge_partners.iter().any(|p| !p.is_empty()) {
            return None;
        }
        let mut demand = vec![0.0; self.type_scale.len()];
        for (r, &t) in self.req_type.iter().enumerate() {
            demand[t] += self.req_q[r];
        }
        let mut by_req: Vec<Vec<usize>> = vec![Vec::new(); self.req_q.len()];
        for (k, pr) in self.pairs.iter().enumerate() {
            by_req[pr.r].push(k);
        }
        let mut kept = Vec::with_capacity(self.pairs.len());
        for (r, ks) in by_req.iter_mut().enumerate() {
            let t = self.req_type[r];
            if self.type_divisible[t] {
                kept.extend_from_slice(ks);
                continue;
            }
            ks.sort_by(|&a, &b| {
                self.pairs[a]
                    .arrival
                    .total_cmp(&self.pairs[b].arrival)
                    .then(self.pairs[a].p.cmp(&self.pairs[b].p))
            });
            let mut supply = 0.0;
            let mut cutoff = f64::INFINITY;
            for &k in ks.iter() {
                let pr = &self.pairs[k];
                if pr.arrival > cutoff {
                    break;
                }
                kept.push(k);
                supply += self.pledge_cap[pr.p];
                if cutoff.is_infinite() && supply >= demand[t] {
                    cutoff = pr.arrival;
                }
            }
        }
        kept.sort_unstable();
        Some(kept)
    }

    /// Coverage and the policy's criterion of quantities in original units,
    /// with the given proportional shares.
    fn value(&self, policy: Policy, x: &[f64], shares: &[Vec<Option<f64>>]) -> Value {
        let coverage = self
            .pairs
            .iter()
            .zip(x)
            .map(|(pr, q)| self.req_w[pr.r] / self.req_q[pr.r] * q)
            .sum();
        let policy = match policy {
            Policy::Lean | Policy::Inclusive => {
                let mut on = vec![false; self.members];
                for (pr, &q) in self.pairs.iter().zip(x) {
                    if q > 0.0 {
                        on[self.pledge_member[pr.p]] = true;
                    }
                }
                on.iter().filter(|&&b| b).count() as f64
            }
            Policy::Fast => self
                .pairs
                .iter()
                .zip(x)
                .map(|(pr, q)| self.req_w[pr.r] / self.req_q[pr.r] * pr.arrival * q)
                .sum(),
            Policy::Shared => {
                let types = self.type_scale.len();
                let mut need = vec![0.0; types];
                for (r, &t) in self.req_type.iter().enumerate() {
                    need[t] += self.req_q[r];
                }
                let mut all = vec![0.0; types];
                let mut own = vec![vec![0.0; self.members]; types];
                for (pr, &q) in self.pairs.iter().zip(x) {
                    let t = self.req_type[pr.r];
                    all[t] += q;
                    own[t][self.pledge_member[pr.p]] += q;
                }
                let mut dev: f64 = 0.0;
                for (t, per_member) in shares.iter().enumerate() {
                    for (m, share) in per_member.iter().enumerate() {
                        if let Some(s) = share {
                            dev = dev.max((own[t][m] - s * all[t]).abs() / need[t]);
                        }
                    }
                }
                dev
            }
        };
        Value { coverage, policy }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A random pledge-level program of whole units: `(member, type,
    /// capacity, arrival, requirement mask, excluded partner)` per unit.
    fn program() -> impl Strategy<Value = Program> {
        let reqs = prop::collection::vec((0..2usize, 1..=4u32, 1..=3u32), 2..=4);
        let units = prop::collection::vec(
            (
                0..5usize,
                0..2usize,
                1..=3u32,
                1..=40u32,
                0..16u32,
                prop::option::weighted(0.4, 0..5usize),
            ),
            3..=8,
        );
        (reqs, units).prop_map(|(reqs, units)| {
            let mut pairs = Vec::new();
            for (u, &(_, t, _, arrival, mask, _)) in units.iter().enumerate() {
                for (r, &(rt, ..)) in reqs.iter().enumerate() {
                    if rt == t && mask & (1 << r) != 0 {
                        pairs.push(Pair {
                            p: u,
                            r,
                            arrival: f64::from(arrival),
                        });
                    }
                }
            }
            Program {
                arrival_max: pairs.iter().map(|p| p.arrival).fold(1.0, f64::max),
                pairs,
                chains: Vec::new(),
                req_q: reqs.iter().map(|r| f64::from(r.1)).collect(),
                req_w: reqs.iter().map(|r| f64::from(r.2)).collect(),
                req_type: reqs.iter().map(|r| r.0).collect(),
                type_scale: vec![1.0; 2],
                type_divisible: vec![false; 2],
                type_lot: vec![1.0; 2],
                pledge_cap: units.iter().map(|u| f64::from(u.2)).collect(),
                pledge_member: units.iter().map(|u| u.0).collect(),
                pledge_partners: units
                    .iter()
                    .map(|u| u.5.filter(|&m| m != u.0).into_iter().collect())
                    .collect(),
                members: 5,
                fixed_shares: None,
                budget: Budget::default(),
            }
        })
    }

    /// Checks capacities, demands, whole units and partner caveats.
    fn feasible(p: &Program, x: &[f64]) -> Result<(), TestCaseError> {
        let mut used = vec![0.0; p.pledge_cap.len()];
        let mut got = vec![0.0; p.req_q.len()];
        let mut member_on = vec![false; p.members];
        for (pr, &q) in p.pairs.iter().zip(x) {
            prop_assert!(q >= 0.0 && q.fract() == 0.0, "quantity {q}");
            used[pr.p] += q;
            got[pr.r] += q;
            if q > 0.0 {
                member_on[p.pledge_member[pr.p]] = true;
            }
        }
        for (u, &q) in used.iter().enumerate() {
            prop_assert!(q <= p.pledge_cap[u]);
            if q > 0.0 {
                for &m in &p.pledge_partners[u] {
                    prop_assert!(!member_on[m], "unit {u} beside member {m}");
                }
            }
        }
        for (r, &q) in got.iter().enumerate() {
            prop_assert!(q <= p.req_q[r]);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// The partner search against the program with partner caveats as
        /// binaries (an independent formulation): same coverage and policy
        /// value, every caveat honoured.
        #[test]
        fn partner_search_matches_the_linked_program(p in program(), pol in 0..4usize) {
            prop_assume!(!p.pairs.is_empty());
            let policy = Policy::ALL[pol];
            let shares = p.shares();
            let searched = p.solve_partner_branches(policy).unwrap();
            let linked = p.solve_linked(policy).unwrap();
            feasible(&p, &linked)?;
            let b = p.value(policy, &linked, &shares);
            if p.pledge_partners.iter().all(Vec::is_empty) {
                prop_assert!(searched.is_none());
                return Ok(());
            }
            let searched = searched.expect("a handful of branches");
            feasible(&p, &searched)?;
            let a = p.value(policy, &searched, &shares);
            prop_assert!(!a.beats(b, policy) && !b.beats(a, policy), "{policy}: search {a:?}, program {b:?}");
        }

        /// Lean by its linear bound and fixed member sets against lean with
        /// whole-number quantities and one coverage row.
        #[test]
        fn lean_member_sets_match_the_integer_program(mut p in program()) {
            prop_assume!(!p.pairs.is_empty());
            p.pledge_partners = vec![Vec::new(); p.pledge_cap.len()];
            let policy = Policy::Lean;
            let got = p.solve(policy).unwrap();
            feasible(&p, &got)?;
            let s1 = p.build(policy, Stage::Coverage, false).unwrap();
            let whole = p
                .build(policy, Stage::Policy { coverage: s1.value, by_type: None, start: &s1.x }, false)
                .unwrap();
            let shares = p.shares();
            let a = p.value(policy, &got, &shares);
            let b = p.value(policy, &p.to_units(&whole.x), &shares);
            prop_assert!(!a.beats(b, policy) && !b.beats(a, policy), "lean {a:?} vs integer program {b:?}");
        }
    }
}
