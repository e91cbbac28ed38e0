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

use good_lp::solvers::highs::highs;
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
        // Quantities of whole-unit types are first solved as continuous.
        // Requirements and each unit's nested deadline sets are two laminar
        // families, so once the few binaries (members, partner caveats,
        // lots) are fixed the matrix is totally unimodular and the simplex
        // vertex is integral: dropping integrality is exact and much faster.
        // Each stage checks the result and re-solves with integer
        // quantities if a value came back fractional.
        let run = |stage: Stage<'_>| -> Result<Solved, String> {
            let s = self.build(policy, stage, true)?;
            if self.is_integral(&s.x) {
                Ok(s)
            } else {
                self.build(policy, stage, false)
            }
        };
        // Stage 1: coverage only.
        let s1 = run(Stage::Coverage)?;
        let cov = s1.value;
        if policy == Policy::Fast {
            // Coverage first as one weighted objective: a unit of coverage
            // is worth more than any total of arrival hours (big M). It
            // spares a coverage row that would break unimodularity, and is
            // accepted only if it reaches the stage 1 coverage; otherwise
            // the two-stage program runs.
            let a_max = self.pairs.iter().map(|p| p.arrival).fold(1.0, f64::max);
            let w: f64 = self.req_w.iter().sum();
            let step = (0..self.req_q.len())
                .map(|r| self.req_w[r] / self.req_q[r])
                .fold(f64::INFINITY, f64::min);
            let big_m = 2.0 * w * a_max / step + 1.0;
            let s = run(Stage::FastBigM { big_m })?;
            if self.coverage_of(&s.x) >= cov - FIX_TOL * cov.max(1.0) {
                return Ok(self.to_units(&s.x));
            }
        }
        // Stage 2: policy, coverage fixed.
        let s2 = run(Stage::Policy {
            coverage: cov,
            start: &s1.x,
        })?;
        let x = if policy == Policy::Shared {
            run(Stage::TieBreak {
                coverage: cov,
                deviation: s2.value,
                start: &s2.x,
            })?
            .x
        } else {
            s2.x
        };
        Ok(self.to_units(&x))
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
        let mut needs_on = vec![policy == Policy::Lean; self.members];
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
            used_by_pledge[p] = Some(vars.add(variable().binary()));
        }
        let on: Vec<Option<Variable>> = (0..self.members)
            .map(|m| {
                (needs_on[m] && !member_pairs[m].is_empty()).then(|| vars.add(variable().binary()))
            })
            .collect();
        let credit: Vec<Option<Variable>> = (0..self.members)
            .map(|m| {
                (policy == Policy::Inclusive && !member_pairs[m].is_empty())
                    .then(|| vars.add(variable().binary()))
            })
            .collect();
        let lot_on: Vec<Option<Variable>> = (0..n)
            .map(|k| {
                self.type_divisible[self.req_type[self.pairs[k].r]]
                    .then(|| vars.add(variable().binary()))
            })
            .collect();
        let dev = (policy == Policy::Shared).then(|| vars.add(variable().min(0.0)));

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
            let a_max = self.pairs.iter().map(|p| p.arrival).fold(1.0, f64::max);
            let p_max = self.pledge_cap.len().max(1) as f64;
            for (k, pr) in self.pairs.iter().enumerate() {
                let c = pr.arrival / a_max + 1e-3 * pr.p as f64 / p_max;
                e.add_mul(
                    self.req_w[pr.r] * self.scale(pr.r) / self.req_q[pr.r] * c,
                    x[k],
                );
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
        // Capacity that arrives by each deadline (aggregated units).
        for (ks, bound) in &self.chains {
            let s = self.scale(self.pairs[ks[0]].r);
            let e: Expression = ks.iter().map(|&k| Expression::from(x[k])).sum();
            model = model.with(e.leq(bound / s));
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
            for (lhs, need) in self.share_rows(&x) {
                model = model.with((lhs.clone() * (1.0 / need)).leq(d));
                model = model.with((lhs * (-1.0 / need)).leq(d));
            }
        }
        match stage {
            Stage::Coverage | Stage::FastBigM { .. } => {}
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
        let xs: Vec<f64> = x.iter().map(|&v| solution.value(v)).collect();
        let value = solution.eval(&objective);
        Ok(Solved { x: xs, value })
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

    /// For each (member, type) with eligible capacity: the expression
    /// `member's quantity − proportional share × everyone's quantity` (scaled
    /// units) and the type's total requirement (scaled units).
    fn share_rows(&self, x: &[Variable]) -> Vec<(Expression, f64)> {
        let shares = self.shares();
        let mut rows = Vec::new();
        for (t, per_member) in shares.iter().enumerate() {
            let need: f64 = (0..self.req_q.len())
                .filter(|&r| self.req_type[r] == t)
                .map(|r| self.req_q[r] / self.scale(r))
                .sum();
            for (m, share) in per_member.iter().enumerate() {
                let Some(share) = *share else { continue };
                let mut e = Expression::with_capacity(self.pairs.len());
                for (k, pr) in self.pairs.iter().enumerate() {
                    if self.req_type[pr.r] != t {
                        continue;
                    }
                    let own = if self.pledge_member[pr.p] == m {
                        1.0
                    } else {
                        0.0
                    };
                    if own - share != 0.0 {
                        e.add_mul(own - share, x[k]);
                    }
                }
                rows.push((e, need));
            }
        }
        rows
    }

    /// Per type, per member: the member's share of the eligible capacity of
    /// that type (`None` when it has none).
    pub(crate) fn shares(&self) -> Vec<Vec<Option<f64>>> {
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
        start: &'s [f64],
    },
    TieBreak {
        coverage: f64,
        deviation: f64,
        start: &'s [f64],
    },
}

struct Solved {
    x: Vec<f64>,
    value: f64,
}
