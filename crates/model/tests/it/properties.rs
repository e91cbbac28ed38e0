//! Property tests: membership "as of" a date agrees with a direct reading of
//! the rows, inclusion flows through, and the set operations obey set laws.

use chrono::{Days, NaiveDate};
use model::{
    DecisionRule, Forum, ForumId, ForumKind, ForumStatus, Function, Located, Location, Member,
    MemberCode, MemberKind, Membership, ReferenceData, SetOp,
};
use proptest::prelude::*;

const CODES: [&str; 5] = ["AAA", "BBB", "CCC", "DDD", "EEE"];

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(n)
}

fn here<T>(value: T) -> Located<T> {
    Located {
        value,
        location: Location::Record("generated".into()),
    }
}

fn forum(id: &str, established: u64, includes: Option<&str>) -> Forum {
    Forum {
        id: ForumId::parse(id).unwrap(),
        name: id.into(),
        kind: ForumKind::RegionalForum,
        status: ForumStatus::Existing,
        established: Some(day(established)),
        ended: None,
        functions: vec![Function::Disaster],
        decision: DecisionRule::Consensus,
        includes: includes
            .map(|i| ForumId::parse(i).unwrap())
            .into_iter()
            .collect(),
        includes_reason: includes.map(|_| "generated".into()),
        secretariat: None,
        source: "generated".into(),
        notes: None,
    }
}

/// For each (forum, member): sorted breakpoints turned into disjoint periods.
fn periods_strategy() -> impl Strategy<Value = Vec<Vec<u64>>> {
    prop::collection::vec(prop::collection::btree_set(0u64..400, 0..5), 10)
        .prop_map(|sets| sets.into_iter().map(|s| s.into_iter().collect()).collect())
}

/// (joined, left) day numbers of one membership row.
type Row = (u64, Option<u64>);

struct Case {
    data: ReferenceData,
    /// rows[forum][member] = list of (joined, left) day numbers.
    rows: Vec<Vec<Vec<Row>>>,
    base_start: u64,
    plus_start: u64,
}

fn build(breaks: Vec<Vec<u64>>, base_start: u64, plus_start: u64) -> Case {
    let members = CODES
        .iter()
        .map(|c| {
            here(Member {
                code: MemberCode::parse(c).unwrap(),
                name: c.to_string(),
                kind: MemberKind::State,
                iso3166: false,
                source: "generated".into(),
            })
        })
        .collect();
    let forums = vec![
        here(forum("base", base_start, None)),
        here(forum("plus", plus_start, Some("base"))),
    ];
    let mut memberships = Vec::new();
    let mut rows = vec![vec![Vec::new(); CODES.len()]; 2];
    for (i, points) in breaks.into_iter().enumerate() {
        let (f, m) = (i / CODES.len(), i % CODES.len());
        let start = if f == 0 { base_start } else { plus_start };
        // Pairs of breakpoints, shifted to start no earlier than the forum.
        let pts: Vec<u64> = points.into_iter().map(|p| p + start).collect();
        for pair in pts.chunks(2) {
            let (j, l) = (pair[0], pair.get(1).copied());
            rows[f][m].push((j, l));
            memberships.push(here(Membership {
                forum: ForumId::parse(["base", "plus"][f]).unwrap(),
                member: MemberCode::parse(CODES[m]).unwrap(),
                joined: Some(day(j)),
                left: l.map(day),
                source: "generated".into(),
                note: None,
            }));
        }
    }
    let data = ReferenceData::build(members, forums, memberships).expect("generated data is valid");
    Case {
        data,
        rows,
        base_start,
        plus_start,
    }
}

fn direct(case: &Case, f: usize, m: usize, d: u64) -> bool {
    let start = [case.base_start, case.plus_start][f];
    d >= start
        && case.rows[f][m]
            .iter()
            .any(|&(j, l)| j <= d && l.is_none_or(|l| d < l))
}

proptest! {
    #[test]
    fn membership_as_of_matches_the_rows(
        breaks in periods_strategy(),
        base_start in 0u64..50,
        plus_start in 0u64..200,
        probe in 0u64..700,
    ) {
        let case = build(breaks, base_start, plus_start);
        let date = day(probe);
        let base = case.data.members_of("base", date).unwrap();
        let plus = case.data.members_of("plus", date).unwrap();
        for (m, code) in CODES.iter().enumerate() {
            let in_base = direct(&case, 0, m, probe);
            let in_plus = probe >= plus_start && (direct(&case, 1, m, probe) || in_base);
            prop_assert_eq!(base.iter().any(|c| c.as_str() == *code), in_base);
            prop_assert_eq!(plus.iter().any(|c| c.as_str() == *code), in_plus);
        }
    }

    #[test]
    fn set_operations_obey_set_laws(
        breaks in periods_strategy(),
        plus_start in 0u64..200,
        probe in 0u64..700,
    ) {
        let case = build(breaks, 0, plus_start);
        let date = day(probe);
        let data = &case.data;
        let union = data.combine(SetOp::Union, &["base", "plus"], date).unwrap();
        let inter = data.combine(SetOp::Intersection, &["base", "plus"], date).unwrap();
        let diff = data.combine(SetOp::Difference, &["base", "plus"], date).unwrap();
        let cmp = data.compare("base", "plus", date).unwrap();
        prop_assert_eq!(&inter, &cmp.both);
        prop_assert_eq!(&diff, &cmp.only_first);
        let mut parts: Vec<_> = cmp.both.iter().chain(&cmp.only_first).chain(&cmp.only_second).copied().collect();
        parts.sort();
        prop_assert_eq!(&parts, &union);
        // Every member of the union is in at least one forum's member list,
        // and forums_of agrees with members_of.
        for code in &union {
            let forums = data.forums_of(code.as_str(), date).unwrap();
            prop_assert!(!forums.is_empty());
            for f in forums {
                prop_assert!(data.members_of(f.id.as_str(), date).unwrap().contains(code));
            }
        }
    }
}
