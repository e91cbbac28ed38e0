//! The distribution policy: no record is visible to a member outside its
//! audience, on any date, and every member inside it sees it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use model::{
    Audience, Distribution, EMBEDDED, ForumId, MemberCode, PolicyContext, Readable, Reader,
    ReferenceData, Tlp, is_visible,
};
use proptest::prelude::*;

fn reference() -> &'static ReferenceData {
    static DATA: std::sync::OnceLock<ReferenceData> = std::sync::OnceLock::new();
    DATA.get_or_init(|| EMBEDDED.parse().unwrap())
}

fn codes() -> Vec<MemberCode> {
    reference().members().map(|m| m.code).collect()
}

fn forum_ids() -> Vec<ForumId> {
    reference().forums().iter().map(|f| f.id.clone()).collect()
}

fn audience_strategy() -> impl Strategy<Value = Audience> {
    let n = codes().len();
    let f = forum_ids().len();
    prop_oneof![
        Just(Audience::Originator),
        prop::collection::vec(0..n, 1..5).prop_map(|ix| Audience::Members {
            members: ix.into_iter().map(|i| codes()[i]).collect()
        }),
        (0..f).prop_map(|i| Audience::Forum {
            forum: forum_ids()[i].clone()
        }),
        prop_oneof![Just("g1"), Just("g2"), Just("missing")]
            .prop_map(|g| Audience::Group { group: g.into() }),
        Just(Audience::AllMembers),
        Just(Audience::Public),
    ]
}

/// The audience as a set of members, computed from whole-forum member lists.
fn allowed(
    audience: &Audience,
    originator: MemberCode,
    groups: &BTreeMap<String, Vec<MemberCode>>,
    date: NaiveDate,
) -> BTreeSet<MemberCode> {
    let mut set: BTreeSet<MemberCode> = match audience {
        Audience::Originator => BTreeSet::new(),
        Audience::Members { members } => members.iter().copied().collect(),
        Audience::Forum { forum } => reference()
            .members_of(forum.as_str(), date)
            .unwrap()
            .into_iter()
            .collect(),
        Audience::Group { group } => groups.get(group).into_iter().flatten().copied().collect(),
        Audience::AllMembers | Audience::Public => codes().into_iter().collect(),
    };
    set.insert(originator);
    set
}

proptest! {
    #[test]
    fn visible_iff_in_audience(
        audience in audience_strategy(),
        tlp in prop::sample::select(Tlp::ALL.to_vec()),
        originator in 0usize..37,
        reader in prop::option::of(0usize..37),
        g1 in prop::collection::vec(0usize..37, 0..6),
        days in 0u64..20_000,
    ) {
        let all = codes();
        let originator = all[originator % all.len()];
        let Ok(dist) = Distribution::new(tlp, audience.clone()) else {
            // TLP forbids this pairing; nothing with it can be stored.
            prop_assert!(matches!(audience, Audience::Public) || tlp == Tlp::Red);
            return Ok(());
        };
        let mut groups = BTreeMap::new();
        groups.insert("g1".to_owned(), g1.iter().map(|i| all[i % all.len()]).collect::<Vec<_>>());
        groups.insert("g2".to_owned(), vec![]);
        let today = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + Days::new(days);
        let ctx = PolicyContext { reference: reference(), groups: &groups, today };
        // The compiled form a store queries with agrees with the policy.
        let as_reader = reader.map_or(Reader::Anonymous, |r| Reader::Member(all[r % all.len()]));
        prop_assert_eq!(
            Readable::resolve(as_reader, &ctx).admits(&dist, originator),
            is_visible(&dist, originator, as_reader, &ctx)
        );
        match reader {
            None => prop_assert_eq!(
                is_visible(&dist, originator, Reader::Anonymous, &ctx),
                audience == Audience::Public
            ),
            Some(r) => {
                let member = all[r % all.len()];
                let expected = allowed(&audience, originator, &groups, today).contains(&member);
                prop_assert_eq!(is_visible(&dist, originator, Reader::Member(member), &ctx), expected);
            }
        }
    }
}

#[test]
fn forum_audiences_follow_membership() {
    let groups = BTreeMap::new();
    let dist = Distribution::new(
        Tlp::Amber,
        Audience::Forum {
            forum: ForumId::parse("asean").unwrap(),
        },
    )
    .unwrap();
    let tls = MemberCode::parse("TLS").unwrap();
    let sgp = MemberCode::parse("SGP").unwrap();
    let at = |d: &str| PolicyContext {
        reference: reference(),
        groups: &groups,
        today: d.parse().unwrap(),
    };
    // Timor-Leste gains access when it joins ASEAN on 26 October 2025.
    assert!(!is_visible(
        &dist,
        sgp,
        Reader::Member(tls),
        &at("2025-10-25")
    ));
    assert!(is_visible(
        &dist,
        sgp,
        Reader::Member(tls),
        &at("2025-10-26")
    ));
    // The DPRK left the Six-Party Talks: a record shared with the talks is
    // hidden from it afterwards.
    let six = Distribution::new(
        Tlp::Green,
        Audience::Forum {
            forum: ForumId::parse("six-party").unwrap(),
        },
    )
    .unwrap();
    let prk = MemberCode::parse("PRK").unwrap();
    let chn = MemberCode::parse("CHN").unwrap();
    assert!(is_visible(
        &six,
        chn,
        Reader::Member(prk),
        &at("2008-01-01")
    ));
    assert!(!is_visible(
        &six,
        chn,
        Reader::Member(prk),
        &at("2010-01-01")
    ));
}
