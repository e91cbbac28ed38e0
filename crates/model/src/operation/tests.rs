use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::*;
use crate::report::{HostConsent, OperationRequirement, Window};

fn m(s: &str) -> MemberCode {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

const MEMBERS: [&str; 5] = ["THA", "SGP", "IDN", "MYS", "PHL"];

fn members() -> Vec<MemberCode> {
    MEMBERS.iter().map(|s| m(s)).collect()
}

fn proposed() -> OperationReport {
    OperationReport {
        forum: "asean".parse().unwrap(),
        window: Window {
            start: t("2026-11-04T00:00:00Z"),
            end: t("2026-12-04T00:00:00Z"),
        },
        hosts: vec![m("MMR")],
        consent: HostConsent {
            declined_members: vec![m("USA")],
            declined_asset_classes: vec!["military-ship".into()],
            note: None,
        },
        requirements: vec![OperationRequirement {
            asset_type: "medium-helicopter".into(),
            quantity: 4.0,
            deadline: t("2026-11-07T00:00:00Z"),
            priority: 10,
        }],
        decision_deadline: t("2026-11-03T12:00:00Z"),
        state: OperationState::Proposed,
        tally: None,
        tasks: vec![],
        after_action: None,
    }
}

fn ballot(member: &str, position: VotePosition, at: &str) -> Ballot {
    Ballot {
        member: m(member),
        position,
        reported_at: t(at),
    }
}

fn a_task(member: &str) -> Task {
    Task {
        member: m(member),
        asset_type: "medium-helicopter".into(),
        quantity: 2.0,
        issued_at: t("2026-11-04T00:00:00Z"),
    }
}

#[test]
fn one_objection_blocks_consensus_and_a_majority_passes() {
    let votes = [
        ballot("THA", VotePosition::Support, "2026-11-03T01:00:00Z"),
        ballot("SGP", VotePosition::Support, "2026-11-03T01:00:00Z"),
        ballot("IDN", VotePosition::Object, "2026-11-03T02:00:00Z"),
    ];
    let after = t("2026-11-03T13:00:00Z");
    let op = decide(
        &proposed(),
        &DecisionRule::Consensus,
        &members(),
        &votes,
        after,
    )
    .unwrap();
    assert_eq!(op.state, OperationState::Rejected);
    let op = decide(
        &proposed(),
        &DecisionRule::SimpleMajority,
        &members(),
        &votes,
        after,
    )
    .unwrap();
    assert_eq!(op.state, OperationState::Approved);
    assert_eq!(op.tally.unwrap().silent, vec![m("MYS"), m("PHL")]);
}

#[test]
fn deciding_early_is_refused_unless_all_answered() {
    let early = t("2026-11-03T03:00:00Z");
    let votes = [ballot("THA", VotePosition::Support, "2026-11-03T01:00:00Z")];
    let e = decide(
        &proposed(),
        &DecisionRule::Consensus,
        &members(),
        &votes,
        early,
    )
    .unwrap_err();
    assert!(matches!(e, TransitionError::TooEarly { .. }), "{e}");
    assert!(e.to_string().contains("have not answered"));
    let all: Vec<Ballot> = MEMBERS
        .iter()
        .map(|s| ballot(s, VotePosition::Support, "2026-11-03T01:00:00Z"))
        .collect();
    let op = decide(
        &proposed(),
        &DecisionRule::Consensus,
        &members(),
        &all,
        early,
    )
    .unwrap();
    assert_eq!(op.state, OperationState::Approved);
}

#[test]
fn late_votes_and_outsiders_are_ignored_and_the_latest_vote_counts() {
    let votes = [
        ballot("THA", VotePosition::Object, "2026-11-03T01:00:00Z"),
        ballot("THA", VotePosition::Support, "2026-11-03T02:00:00Z"),
        ballot("IDN", VotePosition::Object, "2026-11-03T13:00:00Z"),
        ballot("JPN", VotePosition::Object, "2026-11-03T01:00:00Z"),
    ];
    let tl = tally(
        &DecisionRule::Consensus,
        &members(),
        &votes,
        t("2026-11-03T12:00:00Z"),
    );
    assert!(tl.approved, "{tl:?}");
    assert_eq!(tl.support, vec![m("THA")]);
    assert_eq!(tl.ignored.len(), 2);
}

#[test]
fn the_lifecycle_runs_and_refuses_with_reasons() {
    let votes = [ballot("THA", VotePosition::Support, "2026-11-03T01:00:00Z")];
    let op = decide(
        &proposed(),
        &DecisionRule::Consensus,
        &members(),
        &votes,
        t("2026-11-04T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(op.state, OperationState::Approved);
    assert!(check_sitrep(&op, m("THA")).is_err());
    assert_eq!(
        task(&op, a_task("USA")).unwrap_err(),
        TransitionError::Declined(m("USA"))
    );
    let op = task(&op, a_task("THA")).unwrap();
    assert_eq!(op.state, OperationState::Active);
    check_sitrep(&op, m("THA")).unwrap();
    check_sitrep(&op, m("MMR")).unwrap();
    assert!(check_sitrep(&op, m("SGP")).is_err());
    assert_eq!(close(&op, " ").unwrap_err(), TransitionError::NoAfterAction);
    let op = close(&op, "Four helicopters flew 212 sorties.").unwrap();
    assert_eq!(op.state, OperationState::Closed);
    let e = check_plan(&op).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot plan an operation that is closed: it is closed; nothing follows"
    );
    assert!(op.validate().is_ok());
}

#[test]
fn weighted_and_unanimity() {
    let votes = [
        ballot("THA", VotePosition::Support, "2026-11-03T01:00:00Z"),
        ballot("SGP", VotePosition::Object, "2026-11-03T01:00:00Z"),
    ];
    let d = t("2026-11-03T12:00:00Z");
    let rule = DecisionRule::WeightedMajority {
        threshold: 0.6,
        weights: BTreeMap::from([(m("THA"), 3.0), (m("SGP"), 1.0)]),
    };
    let tl = tally(&rule, &members(), &votes, d);
    assert!(tl.approved);
    assert_eq!(tl.weighted_support, Some(0.75));
    let rule = DecisionRule::Unanimity {
        parties: vec![m("THA"), m("SGP")],
    };
    assert!(!tally(&rule, &members(), &votes, d).approved);
}

fn position() -> impl Strategy<Value = VotePosition> {
    prop_oneof![
        Just(VotePosition::Support),
        Just(VotePosition::Object),
        Just(VotePosition::Abstain)
    ]
}

fn ballots() -> impl Strategy<Value = Vec<Ballot>> {
    prop::collection::vec((0..7usize, position(), -10i64..10), 0..20).prop_map(|v| {
        let all = ["THA", "SGP", "IDN", "MYS", "PHL", "JPN", "KOR"];
        v.into_iter()
            .map(|(i, p, h)| Ballot {
                member: m(all[i]),
                position: p,
                reported_at: t("2026-11-03T12:00:00Z") + Duration::hours(h),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn tally_rules_hold(votes in ballots()) {
        let d = t("2026-11-03T12:00:00Z");
        let ms = members();
        let c = tally(&DecisionRule::Consensus, &ms, &votes, d);
        // Each member is counted at most once, and only members are counted.
        let n = c.support.len() + c.object.len() + c.abstain.len() + c.silent.len();
        prop_assert_eq!(n, ms.len());
        prop_assert_eq!(c.approved, c.object.is_empty() && !c.support.is_empty());
        let s = tally(&DecisionRule::SimpleMajority, &ms, &votes, d);
        prop_assert_eq!(s.approved, s.support.len() > s.object.len());
        // A simple majority never passes what consensus rejects for want of support.
        if c.support.is_empty() { prop_assert!(!s.approved); }
        let u = tally(&DecisionRule::Unanimity { parties: ms.clone() }, &ms, &votes, d);
        prop_assert_eq!(u.approved, u.support.len() == ms.len());
        // Equal weights at threshold just over one half are a simple majority.
        let w = tally(&DecisionRule::WeightedMajority { threshold: 0.500_001, weights: BTreeMap::new() }, &ms, &votes, d);
        prop_assert_eq!(w.approved, s.approved);
    }

    #[test]
    fn nothing_leaves_closed_or_rejected(votes in ballots(), hours in -48i64..48) {
        let now = t("2026-11-03T12:00:00Z") + Duration::hours(hours);
        let mut closed = proposed();
        closed.state = OperationState::Closed;
        let mut rejected = proposed();
        rejected.state = OperationState::Rejected;
        for op in [closed, rejected] {
            prop_assert!(decide(&op, &DecisionRule::Consensus, &members(), &votes, now).is_err());
            prop_assert!(task(&op, a_task("THA")).is_err());
            prop_assert!(close(&op, "again").is_err());
            prop_assert!(check_sitrep(&op, m("MMR")).is_err());
            prop_assert!(check_vote(&op, now).is_err());
            prop_assert!(check_plan(&op).is_err());
        }
    }
}
