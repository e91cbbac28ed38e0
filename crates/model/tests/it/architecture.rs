//! Facts about the real architecture, checked against public sources (cited
//! per test) rather than against the project's own data files.

use chrono::NaiveDate;
use model::{EMBEDDED, Function, ReferenceData};

fn data() -> ReferenceData {
    EMBEDDED
        .parse()
        .expect("the shipped reference data is valid")
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn codes(data: &ReferenceData, forum: &str, on: &str) -> Vec<String> {
    data.members_of(forum, date(on))
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

const ASEAN_10: [&str; 10] = [
    "BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM",
];

fn sorted(mut v: Vec<&str>) -> Vec<String> {
    v.sort();
    v.into_iter().map(str::to_owned).collect()
}

/// ASEAN: ten members until Timor-Leste's admission at the 47th summit,
/// Kuala Lumpur, 26 October 2025 (asean.org, "Timor-Leste officially
/// becomes ASEAN's 11th member"). Brunei joined on 7/8 January 1984;
/// Cambodia, the last of the ten, on 30 April 1999.
#[test]
fn asean_before_and_after_timor_leste() {
    let d = data();
    assert_eq!(codes(&d, "asean", "2025-10-25"), sorted(ASEAN_10.to_vec()));
    let mut eleven = ASEAN_10.to_vec();
    eleven.push("TLS");
    assert_eq!(codes(&d, "asean", "2025-10-27"), sorted(eleven));
    assert_eq!(codes(&d, "asean", "1990-01-01").len(), 6);
    assert_eq!(codes(&d, "asean", "1999-04-29").len(), 9);
}

/// East Asia Summit: sixteen participants at the first summit, Kuala Lumpur,
/// 14 December 2005 (Kuala Lumpur Declaration on the EAS); the United
/// States and Russia joined at the sixth, Bali, 19 November 2011.
#[test]
fn east_asia_summit_in_2008_and_2012() {
    let d = data();
    let mut sixteen = ASEAN_10.to_vec();
    sixteen.extend(["AUS", "CHN", "IND", "JPN", "KOR", "NZL"]);
    assert_eq!(codes(&d, "eas", "2008-06-01"), sorted(sixteen.clone()));
    let mut eighteen = sixteen;
    eighteen.extend(["RUS", "USA"]);
    assert_eq!(codes(&d, "eas", "2012-06-01"), sorted(eighteen));
    assert!(
        codes(&d, "eas", "2005-01-01").is_empty(),
        "the EAS did not exist yet"
    );
}

/// ASEAN Regional Forum: 27 participants (aseanregionalforum.asean.org,
/// "About the ARF"): ASEAN's ten, Timor-Leste, and Australia, Bangladesh,
/// Canada, China, the EU, India, Japan, the DPRK, the ROK, Mongolia, New
/// Zealand, Pakistan, Papua New Guinea, Russia, Sri Lanka and the US.
#[test]
fn arf_has_27_participants() {
    let d = data();
    let mut all = ASEAN_10.to_vec();
    all.extend([
        "TLS", "AUS", "BGD", "CAN", "CHN", "EUU", "IND", "JPN", "PRK", "KOR", "MNG", "NZL", "PAK",
        "PNG", "RUS", "LKA", "USA",
    ]);
    assert_eq!(codes(&d, "arf", "2026-11-25"), sorted(all));
}

/// APEC: 21 member economies (apec.org, "Member Economies"), the twelve
/// founders of November 1989 among them.
#[test]
fn apec_has_21_economies() {
    let d = data();
    let apec = codes(&d, "apec", "2026-11-25");
    assert_eq!(apec.len(), 21);
    for e in [
        "HKG", "TWN", "CHL", "MEX", "PER", "PNG", "RUS", "VNM", "CAN", "USA",
    ] {
        assert!(apec.contains(&e.to_owned()), "{e} missing from APEC");
    }
    for not in ["KHM", "LAO", "MMR", "IND"] {
        assert!(!apec.contains(&not.to_owned()), "{not} is not in APEC");
    }
    assert_eq!(codes(&d, "apec", "1989-11-06").len(), 12);
}

/// ReCAAP: 21 contracting parties (recaap.org, "About ReCAAP ISC").
#[test]
fn recaap_has_21_parties() {
    assert_eq!(codes(&data(), "recaap", "2026-11-25").len(), 21);
}

/// Forums that include both China and Japan today: ASEAN Plus Three, the
/// EAS, the ARF, ADMM-Plus, APEC, the Six-Party Talks, the trilateral
/// summit, ReCAAP and the CMIM — and, among proposals, the Japan–China–US
/// dialogue, the Northeast Asia forum and the EASF. China has not endorsed
/// the PSI (state.gov PSI endorsing states list).
#[test]
fn forums_with_china_and_japan_today() {
    let d = data();
    let forums: Vec<&str> = d
        .forums_for(None, &["CHN", "JPN"], date("2026-11-25"))
        .unwrap()
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    let mut got = forums.clone();
    got.sort();
    let mut expected = vec![
        "apt",
        "eas",
        "arf",
        "admm-plus",
        "apec",
        "six-party",
        "jck",
        "recaap",
        "cmim",
        "jcu-dialogue",
        "nea-forum",
        "easf",
    ];
    expected.sort();
    assert_eq!(got, expected);
}

/// The same question narrowed to a function: forums mandated for maritime
/// piracy that include both Japan and the Philippines.
#[test]
fn piracy_forums_with_japan_and_philippines() {
    let d = data();
    let ids: Vec<&str> = d
        .forums_for(Some(Function::Piracy), &["JPN", "PHL"], date("2026-11-25"))
        .unwrap()
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert!(ids.contains(&"recaap"), "{ids:?}");
    assert!(!ids.contains(&"cmim"), "{ids:?}");
}

/// ASEAN Plus Three and the CMIM differ by Hong Kong, China, a CMIM party
/// in its own right (AMRO, "CMIM" fact sheet), and the CMIM does not admit
/// Timor-Leste automatically.
#[test]
fn compare_apt_and_cmim() {
    let d = data();
    let c = d.compare("apt", "cmim", date("2024-01-01")).unwrap();
    assert!(c.only_first.is_empty(), "{c:?}");
    assert_eq!(
        c.only_second.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        ["HKG"]
    );
    assert_eq!(c.both.len(), 13);
}

/// Timor-Leste's profile shows ASEAN membership and the bodies it flows into.
#[test]
fn timor_leste_profile_shows_inherited_membership() {
    let d = data();
    let profile = d.profile("TLS").unwrap();
    let eas = profile.iter().find(|e| e.forum.as_str() == "eas").unwrap();
    assert_eq!(eas.periods[0].via.as_ref().unwrap().as_str(), "asean");
    assert_eq!(eas.periods[0].period.from, Some(date("2025-10-26")));
}
