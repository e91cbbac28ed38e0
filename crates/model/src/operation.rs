//! The lifecycle of a joint operation (DESIGN.md §2, Operation), as pure
//! functions from one [`OperationReport`] to the next.
//!
//! ```text
//! proposed ──decide──▶ approved ──task──▶ active ──task/sitrep──▶ active
//!     │                   │                  │
//!     └──decide──▶ rejected  └──close──▶ closed ◀──close──┘
//! ```
//!
//! Each function returns the operation's next body (which the caller signs
//! as a new version of the operation record) or a [`TransitionError`] that
//! says why the step is refused. Nothing leaves `rejected` or `closed`.
//! Time is an argument; nothing here reads a clock.
//!
//! [`decide`] counts the latest vote of each member reported no later than
//! the decision deadline, from members of the forum on the deadline's date,
//! and applies the forum's [`DecisionRule`]:
//!
//! - consensus: approved when at least one member supports and none of
//!   those who answered objects;
//! - simple majority: more than half of the votes cast (support or object;
//!   abstentions are not cast);
//! - weighted majority: the weighted share of support among the votes cast
//!   reaches the threshold (members without a published weight weigh 0;
//!   with no weights published at all, every member weighs 1);
//! - unanimity: every named party supports.
//!
//! ```
//! use model::operation::{Ballot, tally};
//! use model::report::VotePosition;
//! use model::DecisionRule;
//! let m = |s: &str| s.parse::<model::MemberCode>().unwrap();
//! let at = "2026-11-03T06:00:00Z".parse().unwrap();
//! let deadline = "2026-11-03T12:00:00Z".parse().unwrap();
//! let votes = [
//!     Ballot { member: m("THA"), position: VotePosition::Support, reported_at: at },
//!     Ballot { member: m("SGP"), position: VotePosition::Object, reported_at: at },
//! ];
//! let t = tally(&DecisionRule::Consensus, &[m("THA"), m("SGP"), m("IDN")], &votes, deadline);
//! assert!(!t.approved);
//! assert_eq!(t.silent, vec![m("IDN")]);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::report::{OperationReport, OperationState, Tally, Task, VotePosition};
use crate::{DecisionRule, MemberCode};

/// One vote as the tally sees it: who, how, and when the node accepted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ballot {
    /// The voting member.
    pub member: MemberCode,
    /// The position taken.
    pub position: VotePosition,
    /// When the vote's version was reported.
    pub reported_at: DateTime<Utc>,
}

/// Why a step in an operation's lifecycle is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransitionError {
    /// The step does not exist from the operation's current state.
    #[error("cannot {action} an operation that is {}: {hint}", state.id())]
    NotAllowed {
        /// What was tried (`decide`, `task`, `close`, `report on`, `plan`, `vote on`).
        action: &'static str,
        /// The state it is in.
        state: OperationState,
        /// What would be allowed instead.
        hint: &'static str,
    },
    /// A decision before the deadline while some members have not answered.
    #[error(
        "the decision deadline is {deadline} and {} forum member(s) have not answered ({})",
        missing.len(),
        missing.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
    )]
    TooEarly {
        /// The operation's decision deadline.
        deadline: DateTime<Utc>,
        /// Members who have not voted.
        missing: Vec<MemberCode>,
    },
    /// A vote after the decision deadline.
    #[error("the decision deadline {0} has passed; votes are no longer counted")]
    VotingClosed(DateTime<Utc>),
    /// A situation report from a member that takes no part.
    #[error("{0} takes no part in the operation (only hosts and tasked members report on it)")]
    NotParticipant(MemberCode),
    /// A task for a member the hosts declined.
    #[error("the host states declined assistance from {0}")]
    Declined(MemberCode),
    /// A close without an after-action record.
    #[error("closing needs an after-action record (what was done, what was learnt)")]
    NoAfterAction,
}

fn hint(state: OperationState) -> &'static str {
    match state {
        OperationState::Proposed => "vote on it, then decide it",
        OperationState::Approved => "task members or close it",
        OperationState::Active => "task members, report on it, or close it",
        OperationState::Rejected => "the forum rejected it; propose a new operation",
        OperationState::Closed => "it is closed; nothing follows",
    }
}

fn refuse(action: &'static str, state: OperationState) -> TransitionError {
    TransitionError::NotAllowed {
        action,
        state,
        hint: hint(state),
    }
}

/// The latest counted ballot per member: reported no later than
/// `deadline`, from one of `members`. The rest are named in the second
/// list with why they were left out.
fn counted(
    members: &[MemberCode],
    ballots: &[Ballot],
    deadline: DateTime<Utc>,
) -> (BTreeMap<MemberCode, Ballot>, Vec<String>) {
    let mut latest: BTreeMap<MemberCode, Ballot> = BTreeMap::new();
    let mut ignored = Vec::new();
    for b in ballots {
        if !members.contains(&b.member) {
            ignored.push(format!(
                "{} is not a member of the forum on the deadline's date",
                b.member
            ));
        } else if b.reported_at > deadline {
            ignored.push(format!(
                "{}'s vote of {} came after the deadline",
                b.member, b.reported_at
            ));
        } else {
            match latest.get(&b.member) {
                Some(prev) if prev.reported_at > b.reported_at => {}
                _ => {
                    latest.insert(b.member, *b);
                }
            }
        }
    }
    (latest, ignored)
}

/// Counts the ballots under `rule` among `members` (the forum's members on
/// the deadline's date).
pub fn tally(
    rule: &DecisionRule,
    members: &[MemberCode],
    ballots: &[Ballot],
    deadline: DateTime<Utc>,
) -> Tally {
    let (latest, ignored) = counted(members, ballots, deadline);
    let with = |p: VotePosition| -> Vec<MemberCode> {
        latest
            .values()
            .filter(|b| b.position == p)
            .map(|b| b.member)
            .collect()
    };
    let support = with(VotePosition::Support);
    let object = with(VotePosition::Object);
    let abstain = with(VotePosition::Abstain);
    let mut silent: Vec<MemberCode> = members
        .iter()
        .filter(|m| !latest.contains_key(m))
        .copied()
        .collect();
    silent.sort();
    silent.dedup();
    let mut weighted_support = None;
    let (approved, reason) = match rule {
        DecisionRule::Consensus => {
            if !object.is_empty() {
                (
                    false,
                    format!("{} object(s); consensus needs no objection", object.len()),
                )
            } else if support.is_empty() {
                (false, "no member supports it".to_owned())
            } else {
                (
                    true,
                    "no objection among the members who answered".to_owned(),
                )
            }
        }
        DecisionRule::SimpleMajority => {
            let cast = support.len() + object.len();
            let ok = support.len() * 2 > cast;
            (
                ok,
                format!(
                    "{} of {cast} votes cast support it; a majority needs more than half",
                    support.len()
                ),
            )
        }
        DecisionRule::WeightedMajority { threshold, weights } => {
            let w = |m: &MemberCode| {
                if weights.is_empty() {
                    1.0
                } else {
                    weights.get(m).copied().unwrap_or(0.0)
                }
            };
            let yes: f64 = support.iter().map(w).sum();
            let cast: f64 = yes + object.iter().map(w).sum::<f64>();
            let share = if cast > 0.0 { yes / cast } else { 0.0 };
            weighted_support = Some(share);
            (
                cast > 0.0 && share >= *threshold,
                format!("weighted support {share:.3}; the threshold is {threshold}"),
            )
        }
        DecisionRule::Unanimity { parties } => {
            let missing: Vec<&str> = parties
                .iter()
                .filter(|p| !support.contains(p))
                .map(|p| p.as_str())
                .collect();
            if missing.is_empty() {
                (true, "every named party supports it".to_owned())
            } else {
                (false, format!("not supported by {}", missing.join(", ")))
            }
        }
    };
    Tally {
        rule: rule.id().to_owned(),
        support,
        object,
        abstain,
        silent,
        ignored,
        weighted_support,
        approved,
        reason,
    }
}

/// Decides a proposed operation at `now`: refused before the deadline
/// unless every member has answered.
pub fn decide(
    op: &OperationReport,
    rule: &DecisionRule,
    members: &[MemberCode],
    ballots: &[Ballot],
    now: DateTime<Utc>,
) -> Result<OperationReport, TransitionError> {
    if op.state != OperationState::Proposed {
        return Err(refuse("decide", op.state));
    }
    let t = tally(rule, members, ballots, op.decision_deadline);
    if now < op.decision_deadline && !t.silent.is_empty() {
        return Err(TransitionError::TooEarly {
            deadline: op.decision_deadline,
            missing: t.silent,
        });
    }
    let mut next = op.clone();
    next.state = if t.approved {
        OperationState::Approved
    } else {
        OperationState::Rejected
    };
    next.tally = Some(t);
    Ok(next)
}

/// Whether a vote may be cast at `now`.
pub fn check_vote(op: &OperationReport, now: DateTime<Utc>) -> Result<(), TransitionError> {
    if op.state != OperationState::Proposed {
        return Err(refuse("vote on", op.state));
    }
    if now > op.decision_deadline {
        return Err(TransitionError::VotingClosed(op.decision_deadline));
    }
    Ok(())
}

/// Adds a task: approved → active, active → active.
pub fn task(op: &OperationReport, task: Task) -> Result<OperationReport, TransitionError> {
    if !matches!(op.state, OperationState::Approved | OperationState::Active) {
        return Err(refuse("task", op.state));
    }
    if op.consent.declined_members.contains(&task.member) {
        return Err(TransitionError::Declined(task.member));
    }
    let mut next = op.clone();
    next.state = OperationState::Active;
    next.tasks.push(task);
    Ok(next)
}

/// The members taking part: the hosts and every tasked member.
pub fn participants(op: &OperationReport) -> Vec<MemberCode> {
    let mut p: Vec<MemberCode> = op
        .hosts
        .iter()
        .copied()
        .chain(op.tasks.iter().map(|t| t.member))
        .collect();
    p.sort();
    p.dedup();
    p
}

/// Whether `member` may file a situation report: the operation is active
/// and the member takes part.
pub fn check_sitrep(op: &OperationReport, member: MemberCode) -> Result<(), TransitionError> {
    if op.state != OperationState::Active {
        return Err(refuse("report on", op.state));
    }
    if !participants(op).contains(&member) {
        return Err(TransitionError::NotParticipant(member));
    }
    Ok(())
}

/// Closes an approved or active operation with its after-action record.
pub fn close(op: &OperationReport, after_action: &str) -> Result<OperationReport, TransitionError> {
    if !matches!(op.state, OperationState::Approved | OperationState::Active) {
        return Err(refuse("close", op.state));
    }
    let text = after_action.trim();
    if text.is_empty() {
        return Err(TransitionError::NoAfterAction);
    }
    let mut next = op.clone();
    next.state = OperationState::Closed;
    next.after_action = Some(text.to_owned());
    Ok(next)
}

/// Whether a plan may be made: not for a rejected or closed operation.
pub fn check_plan(op: &OperationReport) -> Result<(), TransitionError> {
    match op.state {
        OperationState::Rejected | OperationState::Closed => Err(refuse("plan", op.state)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
