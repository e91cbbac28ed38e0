//! The validated reference architecture and the questions asked of it.
//!
//! [`ReferenceData::build`] is the only way to get a value: it checks every
//! fact against every other (codes exist, dates are in order, periods don't
//! overlap, no forum is defined from itself) and either returns the whole
//! set or every problem it found — never half a data set.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Forum, ForumId, ForumStatus, Function, Member, MemberCode, Membership, Period};

/// Where a fact came from, so that an error can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line of a data file.
    Line {
        /// File name as given to the loader.
        file: String,
        /// 1-based line number.
        line: u64,
    },
    /// A stored row or other origin without a line number.
    Record(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line { file, line } => write!(f, "{file}:{line}"),
            Location::Record(what) => f.write_str(what),
        }
    }
}

/// A value with its origin.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub location: Location,
}

/// One problem found while loading reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// The file and line (or record) at fault.
    pub location: Location,
    /// What is wrong, in words.
    pub problem: String,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.problem)
    }
}

/// Every problem found in a data set; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReferenceErrors(pub Vec<ReferenceError>);

impl fmt::Display for ReferenceErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "reference data rejected ({n} problem{})",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

/// A question named something that isn't in the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// No forum has this id.
    #[error("unknown forum {0:?}")]
    UnknownForum(String),
    /// No member has this code.
    #[error("unknown member {0:?}")]
    UnknownMember(String),
    /// A set operation was asked of no forums.
    #[error("name at least one forum")]
    NoForums,
}

/// A period of membership and the forum it comes through, if indirect.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MembershipPeriod {
    /// The days of membership.
    #[serde(flatten)]
    pub period: Period,
    /// `Some(asean)` when membership flows from ASEAN membership.
    pub via: Option<ForumId>,
}

/// Members in both forums, only in the first, only in the second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// In both.
    pub both: Vec<MemberCode>,
    /// Only in the first forum.
    pub only_first: Vec<MemberCode>,
    /// Only in the second forum.
    pub only_second: Vec<MemberCode>,
}

/// A set operation over forums' memberships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetOp {
    /// Members of any of the forums.
    Union,
    /// Members of every forum.
    Intersection,
    /// Members of the first forum and of none of the others.
    Difference,
}

impl std::str::FromStr for SetOp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "union" => Ok(SetOp::Union),
            "intersection" => Ok(SetOp::Intersection),
            "difference" => Ok(SetOp::Difference),
            _ => Err(format!(
                "unknown set operation {s:?} (expected union, intersection or difference)"
            )),
        }
    }
}

/// One forum in a member's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileEntry {
    /// The forum.
    pub forum: ForumId,
    /// Its status, so that proposals are told apart.
    pub status: ForumStatus,
    /// Every period of membership, direct or through another forum.
    pub periods: Vec<MembershipPeriod>,
}

/// The validated reference architecture.
#[derive(Debug, Clone)]
pub struct ReferenceData {
    members: BTreeMap<MemberCode, Member>,
    /// In the order the data gave them, which is the order people expect.
    forums: Vec<Forum>,
    forum_index: BTreeMap<ForumId, usize>,
    memberships: BTreeMap<ForumId, Vec<Membership>>,
}

impl ReferenceData {
    /// Validates and assembles a data set. Returns every problem found.
    pub fn build(
        members: Vec<Located<Member>>,
        forums: Vec<Located<Forum>>,
        memberships: Vec<Located<Membership>>,
    ) -> Result<ReferenceData, ReferenceErrors> {
        let mut errors = Vec::new();
        let mut err = |location: &Location, problem: String| {
            errors.push(ReferenceError {
                location: location.clone(),
                problem,
            })
        };

        let mut member_map = BTreeMap::new();
        for m in members {
            if member_map.contains_key(&m.value.code) {
                err(
                    &m.location,
                    format!("duplicate member code {}", m.value.code),
                );
                continue;
            }
            member_map.insert(m.value.code, m.value);
        }

        let mut forum_index = BTreeMap::new();
        let mut forum_list: Vec<Located<Forum>> = Vec::new();
        for f in forums {
            if forum_index.contains_key(&f.value.id) {
                err(&f.location, format!("duplicate forum id {}", f.value.id));
                continue;
            }
            forum_index.insert(f.value.id.clone(), forum_list.len());
            forum_list.push(f);
        }

        for f in &forum_list {
            check_forum(&f.value, &forum_index, &member_map, |p| err(&f.location, p));
        }
        for f in &forum_list {
            if let Some(cycle) = inclusion_cycle(&f.value.id, &forum_list, &forum_index) {
                err(
                    &f.location,
                    format!("forum {} is defined from itself: {cycle}", f.value.id),
                );
            }
        }

        let mut by_forum: BTreeMap<ForumId, Vec<Located<Membership>>> = BTreeMap::new();
        for m in memberships {
            let Some(&fi) = forum_index.get(&m.value.forum) else {
                err(&m.location, format!("unknown forum {}", m.value.forum));
                continue;
            };
            if !member_map.contains_key(&m.value.member) {
                err(
                    &m.location,
                    format!("unknown member code {}", m.value.member),
                );
                continue;
            }
            let forum = &forum_list[fi].value;
            if let Some(problem) = check_membership_dates(&m.value, forum) {
                err(&m.location, problem);
                continue;
            }
            let same: Vec<&Located<Membership>> = by_forum
                .get(&m.value.forum)
                .into_iter()
                .flatten()
                .filter(|o| o.value.member == m.value.member)
                .collect();
            let period = direct_period(&m.value);
            if let Some(other) = same
                .iter()
                .find(|o| direct_period(&o.value).overlaps(&period))
            {
                err(
                    &m.location,
                    format!(
                        "membership of {} in {} overlaps the one at {}",
                        m.value.member, m.value.forum, other.location
                    ),
                );
                continue;
            }
            by_forum.entry(m.value.forum.clone()).or_default().push(m);
        }

        if !errors.is_empty() {
            return Err(ReferenceErrors(errors));
        }
        Ok(ReferenceData {
            members: member_map,
            forums: forum_list.into_iter().map(|f| f.value).collect(),
            forum_index,
            memberships: by_forum
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|m| m.value).collect()))
                .collect(),
        })
    }

    /// Every member, ordered by code.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.members.values()
    }

    /// Every forum, in data order.
    pub fn forums(&self) -> &[Forum] {
        &self.forums
    }

    /// Every direct membership row, grouped by forum in id order.
    pub fn memberships(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.values().flatten()
    }

    /// Looks a member up by code (any case).
    pub fn member(&self, code: &str) -> Result<&Member, QueryError> {
        MemberCode::parse(code)
            .ok()
            .and_then(|c| self.members.get(&c))
            .ok_or_else(|| QueryError::UnknownMember(code.to_owned()))
    }

    /// Looks a forum up by id (any case).
    pub fn forum(&self, id: &str) -> Result<&Forum, QueryError> {
        ForumId::parse(id)
            .ok()
            .and_then(|id| self.forum_index.get(&id))
            .map(|&i| &self.forums[i])
            .ok_or_else(|| QueryError::UnknownForum(id.to_owned()))
    }

    /// Every period in which `member` belongs to `forum`, directly or
    /// through forums it includes, clipped to the forum's lifetime.
    pub fn periods(&self, forum: &Forum, member: MemberCode) -> Vec<MembershipPeriod> {
        let lifetime = Period {
            from: forum.established,
            to: forum.ended,
        };
        let direct = self
            .memberships
            .get(&forum.id)
            .into_iter()
            .flatten()
            .filter(|m| m.member == member)
            .filter_map(|m| direct_period(m).intersect(&lifetime))
            .map(|period| MembershipPeriod { period, via: None });
        let inherited = forum.includes.iter().flat_map(|g| {
            let included = &self.forums[self.forum_index[g]];
            self.periods(included, member)
                .into_iter()
                .filter_map(move |p| {
                    Some(MembershipPeriod {
                        period: p.period.intersect(&lifetime)?,
                        via: Some(p.via.unwrap_or_else(|| g.clone())),
                    })
                })
        });
        let mut all: Vec<MembershipPeriod> = direct.chain(inherited.collect::<Vec<_>>()).collect();
        all.sort();
        all.dedup();
        all
    }

    /// Whether `member` belongs to `forum` on `date`.
    pub fn is_member(&self, forum: &Forum, member: MemberCode, date: NaiveDate) -> bool {
        self.periods(forum, member)
            .iter()
            .any(|p| p.period.contains(date))
    }

    /// Members of a forum on a date, ordered by code.
    pub fn members_of(&self, forum: &str, date: NaiveDate) -> Result<Vec<MemberCode>, QueryError> {
        let forum = self.forum(forum)?;
        Ok(self.member_set(forum, date).into_iter().collect())
    }

    fn member_set(&self, forum: &Forum, date: NaiveDate) -> BTreeSet<MemberCode> {
        self.members
            .keys()
            .copied()
            .filter(|&m| self.is_member(forum, m, date))
            .collect()
    }

    /// Forums a member belongs to on a date, in data order.
    pub fn forums_of(&self, member: &str, date: NaiveDate) -> Result<Vec<&Forum>, QueryError> {
        let code = self.member(member)?.code;
        Ok(self
            .forums
            .iter()
            .filter(|f| self.is_member(f, code, date))
            .collect())
    }

    /// Members in both forums, only in the first and only in the second.
    pub fn compare(
        &self,
        first: &str,
        second: &str,
        date: NaiveDate,
    ) -> Result<Comparison, QueryError> {
        let a = self.member_set(self.forum(first)?, date);
        let b = self.member_set(self.forum(second)?, date);
        Ok(Comparison {
            both: a.intersection(&b).copied().collect(),
            only_first: a.difference(&b).copied().collect(),
            only_second: b.difference(&a).copied().collect(),
        })
    }

    /// Union, intersection or difference (first minus the rest) of several
    /// forums' memberships on a date.
    pub fn combine(
        &self,
        op: SetOp,
        forums: &[&str],
        date: NaiveDate,
    ) -> Result<Vec<MemberCode>, QueryError> {
        let sets = forums
            .iter()
            .map(|f| Ok(self.member_set(self.forum(f)?, date)))
            .collect::<Result<Vec<_>, QueryError>>()?;
        let mut sets = sets.into_iter();
        let first = sets.next().ok_or(QueryError::NoForums)?;
        let result = sets.fold(first, |acc, s| match op {
            SetOp::Union => &acc | &s,
            SetOp::Intersection => &acc & &s,
            SetOp::Difference => &acc - &s,
        });
        Ok(result.into_iter().collect())
    }

    /// Forums mandated for `function` (any function when `None`) whose
    /// membership on `date` includes every one of `members`.
    pub fn forums_for(
        &self,
        function: Option<Function>,
        members: &[&str],
        date: NaiveDate,
    ) -> Result<Vec<&Forum>, QueryError> {
        let codes = members
            .iter()
            .map(|m| Ok(self.member(m)?.code))
            .collect::<Result<Vec<_>, QueryError>>()?;
        Ok(self
            .forums
            .iter()
            .filter(|f| function.is_none_or(|func| f.functions.contains(&func)))
            .filter(|f| codes.iter().all(|&c| self.is_member(f, c, date)))
            .collect())
    }

    /// Every forum a member has ever belonged to (or is proposed for), with
    /// the periods and the forum each membership comes through.
    pub fn profile(&self, member: &str) -> Result<Vec<ProfileEntry>, QueryError> {
        let code = self.member(member)?.code;
        Ok(self
            .forums
            .iter()
            .filter_map(|f| {
                let periods = self.periods(f, code);
                (!periods.is_empty()).then(|| ProfileEntry {
                    forum: f.id.clone(),
                    status: f.status,
                    periods,
                })
            })
            .collect())
    }
}

fn direct_period(m: &Membership) -> Period {
    Period {
        from: m.joined,
        to: m.left,
    }
}

fn check_forum(
    f: &Forum,
    forum_index: &BTreeMap<ForumId, usize>,
    members: &BTreeMap<MemberCode, Member>,
    mut err: impl FnMut(String),
) {
    match (f.status, f.established) {
        (ForumStatus::Existing, None) => {
            err(format!("existing forum {} has no established date", f.id))
        }
        (ForumStatus::Proposed, Some(_)) => err(format!(
            "proposed forum {} must not have an established date",
            f.id
        )),
        _ => {}
    }
    if let (Some(from), Some(to)) = (f.established, f.ended)
        && to <= from
    {
        err(format!(
            "forum {} ended ({to}) on or before it was established ({from})",
            f.id
        ));
    }
    for inc in &f.includes {
        if !forum_index.contains_key(inc) {
            err(format!("forum {} includes unknown forum {inc}", f.id));
        }
    }
    if !f.includes.is_empty() && f.includes_reason.as_deref().is_none_or(str::is_empty) {
        err(format!(
            "forum {} includes other forums but gives no includes_reason",
            f.id
        ));
    }
    if f.functions.is_empty() {
        err(format!("forum {} is mandated for no function", f.id));
    }
    if f.source.trim().is_empty() {
        err(format!("forum {} has no source", f.id));
    }
    match &f.decision {
        crate::DecisionRule::WeightedMajority { threshold, weights } => {
            if !(*threshold > 0.0 && *threshold <= 1.0) {
                err(format!(
                    "forum {} has a weighted-majority threshold {threshold} outside (0, 1]",
                    f.id
                ));
            }
            for (code, w) in weights {
                if !members.contains_key(code) {
                    err(format!(
                        "forum {} gives a vote weight to unknown member {code}",
                        f.id
                    ));
                }
                if !(w.is_finite() && *w >= 0.0) {
                    err(format!(
                        "forum {} gives {code} an invalid vote weight {w}",
                        f.id
                    ));
                }
            }
        }
        crate::DecisionRule::Unanimity { parties } => {
            if parties.is_empty() {
                err(format!("forum {} requires unanimity of no parties", f.id));
            }
            for code in parties {
                if !members.contains_key(code) {
                    err(format!("forum {} names unknown party {code}", f.id));
                }
            }
        }
        _ => {}
    }
}

fn check_membership_dates(m: &Membership, forum: &Forum) -> Option<String> {
    if let (Some(j), Some(l)) = (m.joined, m.left)
        && l <= j
    {
        return Some(format!(
            "{} left {} ({l}) on or before joining ({j})",
            m.member, m.forum
        ));
    }
    if m.joined.is_none() && forum.status == ForumStatus::Existing {
        return Some(format!(
            "{} has no joined date in existing forum {}",
            m.member, m.forum
        ));
    }
    if m.left.is_some() && m.joined.is_none() {
        return Some(format!("{} has a left date but no joined date", m.member));
    }
    if let (Some(j), Some(est)) = (m.joined, forum.established)
        && j < est
    {
        return Some(format!(
            "{} joined {} on {j}, before the forum was established on {est}",
            m.member, m.forum
        ));
    }
    if let (Some(j), Some(end)) = (m.joined, forum.ended)
        && j >= end
    {
        return Some(format!(
            "{} joined {} on {j}, after the forum ended on {end}",
            m.member, m.forum
        ));
    }
    None
}

/// Follows `includes` from `start`; returns the path if it comes back.
fn inclusion_cycle(
    start: &ForumId,
    forums: &[Located<Forum>],
    index: &BTreeMap<ForumId, usize>,
) -> Option<String> {
    fn walk(
        at: &ForumId,
        start: &ForumId,
        forums: &[Located<Forum>],
        index: &BTreeMap<ForumId, usize>,
        path: &mut Vec<ForumId>,
    ) -> bool {
        let Some(&i) = index.get(at) else {
            return false;
        };
        for next in &forums[i].value.includes {
            if next == start {
                path.push(next.clone());
                return true;
            }
            // Cycles not through `start` are reported from their own members.
            if path.contains(next) {
                continue;
            }
            path.push(next.clone());
            if walk(next, start, forums, index, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = vec![start.clone()];
    walk(start, start, forums, index, &mut path).then(|| {
        path.iter()
            .map(ForumId::as_str)
            .collect::<Vec<_>>()
            .join(" includes ")
    })
}
