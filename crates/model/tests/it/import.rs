//! The piracy importers against the real data files in data/piracy.

use std::collections::BTreeMap;
use std::path::PathBuf;

use model::import::{self, Clock, ImportBatch, ImportedIncident, RejectReason};
use model::report::{AttackType, ReportBody, ShipStatus};
use proptest::prelude::*;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/piracy")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn asam() -> ImportBatch {
    import::asam::parse(&data("asam-2022-06-21.csv")[..]).expect("asam parses")
}

fn pirate_attacks() -> ImportBatch {
    import::pirate_attacks::parse(&data("pirate_attacks.csv")[..]).expect("pirate_attacks parses")
}

fn find<'a>(batch: &'a ImportBatch, key: &str) -> &'a ImportedIncident {
    batch
        .incidents
        .iter()
        .find(|i| i.source_ref == key)
        .unwrap_or_else(|| panic!("no incident {key}"))
}

fn tally<K: Ord>(keys: impl Iterator<Item = K>) -> BTreeMap<K, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// Every imported body passes the same validation an API body does.
fn all_valid(batch: &ImportBatch) {
    for i in &batch.incidents {
        let body = ReportBody::Piracy(i.body.clone());
        if let Err(e) = body.validate() {
            panic!("{} line {}: {e}", i.source_ref, i.line);
        }
        assert!(i.latitude.abs() <= 90.0 && i.longitude.abs() <= 180.0);
        assert!(!i.title.trim().is_empty() && !i.description.trim().is_empty());
    }
}

#[test]
fn asam_counts() {
    let b = asam();
    if std::env::var_os("SHOW_IMPORT").is_some() {
        eprintln!(
            "attack types {:?}",
            tally(b.incidents.iter().map(|i| i.body.attack_type))
        );
        eprintln!(
            "severity {:?}",
            tally(b.incidents.iter().map(|i| i.body.severity))
        );
        eprintln!(
            "weapons {:?}",
            tally(b.incidents.iter().map(|i| i.body.weapons))
        );
        eprintln!(
            "status {:?}",
            tally(b.incidents.iter().map(|i| i.body.status))
        );
        eprintln!(
            "named {}",
            b.incidents
                .iter()
                .filter(|i| i.body.ship_name.is_some())
                .count()
        );
        eprintln!(
            "flag {}",
            b.incidents.iter().filter(|i| i.body.flag.is_some()).count()
        );
        eprintln!(
            "type {}",
            b.incidents
                .iter()
                .filter(|i| i.body.ship_type.is_some())
                .count()
        );
        eprintln!(
            "perps {}",
            b.incidents
                .iter()
                .filter(|i| i.body.perpetrators.is_some())
                .count()
        );
        eprintln!(
            "harm {:?}",
            tally(b.incidents.iter().flat_map(|i| i.body.crew_harm.clone()))
        );
        eprintln!(
            "stolen {}",
            b.incidents
                .iter()
                .filter(|i| !i.body.items_stolen.is_empty())
                .count()
        );
        eprintln!("rejected {:?}", b.rejected);
    }
    assert_eq!(b.rows, 8642);
    assert_eq!(b.incidents.len() + b.rejected.len(), 8642);
    assert_eq!(b.incidents.len(), 8640);
    assert_eq!(
        b.rejected_by_reason(),
        BTreeMap::from([("duplicate-reference", 2)])
    );
    assert!(b.warnings.is_empty());
    all_valid(&b);
}

#[test]
fn pirate_attacks_counts() {
    let b = pirate_attacks();
    if std::env::var_os("SHOW_IMPORT").is_some() {
        eprintln!(
            "attack types {:?}",
            tally(b.incidents.iter().map(|i| i.body.attack_type))
        );
        eprintln!(
            "severity {:?}",
            tally(b.incidents.iter().map(|i| i.body.severity))
        );
        eprintln!(
            "weapons {:?}",
            tally(b.incidents.iter().map(|i| i.body.weapons))
        );
        eprintln!(
            "status {:?}",
            tally(b.incidents.iter().map(|i| i.body.status))
        );
        eprintln!("warnings {:?}", b.warnings);
    }
    assert_eq!(b.rows, 7511);
    assert_eq!(b.incidents.len() + b.rejected.len(), 7511);
    assert_eq!(b.incidents.len(), 7511);
    assert!(b.rejected.is_empty());
    assert_eq!(b.warnings.len(), 1, "{:?}", b.warnings);
    all_valid(&b);
}

#[test]
fn asam_spot_checks() {
    let b = asam();
    let i = find(&b, "2022-146");
    assert!((i.latitude - 46.6308).abs() < 1e-4, "{}", i.latitude);
    assert!((i.longitude - 31.5838).abs() < 1e-4, "{}", i.longitude);
    assert_eq!(i.observed.date.to_string(), "2022-06-01");
    assert_eq!(i.observed.time, None);
    assert_eq!(i.body.ship_name.as_deref(), Some("BRENTIX"));
    assert_eq!(i.body.flag.as_deref(), Some("Tanzania"));
    assert_eq!(i.body.ship_type.as_deref(), Some("tanker"));
    // Shelling in a war zone is not piracy; it is kept as "other".
    assert_eq!(i.body.attack_type, AttackType::Other);
    assert_eq!(i.body.status, Some(ShipStatus::Berthed));
    assert_eq!(i.body.severity, None);
    assert_eq!(i.locality.navarea.as_deref(), Some("III"));
    assert_eq!(i.locality.place.as_deref(), Some("UKRAINE"));
    assert!(i.description.starts_with("UKRAINE: On 1 June"));

    // No hostility value; the description says three robbers with knives
    // were on the afterdeck and escaped with engine spares.
    let i = find(&b, "2022-148");
    assert!((i.latitude - (1.0 + 7.0 / 60.0)).abs() < 1e-9);
    assert!((i.longitude - (103.0 + 31.0 / 60.0)).abs() < 1e-9);
    assert_eq!(i.body.attack_type, AttackType::Robbery);
    assert_eq!(i.body.perpetrators, Some(3));
    assert_eq!(i.body.weapons, Some(model::report::Weapons::Knives));
    assert_eq!(i.body.flag.as_deref(), Some("Marshall Islands"));
    assert_eq!(i.body.severity, Some(model::report::Severity::Cat3));

    // Minutes written as 60 are a carry: 5°60' S is 6° S.
    let i = find(&b, "2022-114");
    assert!((i.latitude + 6.0).abs() < 1e-9, "{}", i.latitude);

    // Southern and western hemispheres are negative.
    assert!(
        b.incidents
            .iter()
            .any(|i| i.latitude < 0.0 && i.longitude < 0.0)
    );

    let dup = &b.rejected[0];
    assert_eq!(dup.source_ref.as_deref(), Some("2021-207"));
    assert!(matches!(
        dup.reason,
        RejectReason::DuplicateReference { .. }
    ));

    // Keys are unique, which is what idempotent re-import relies on.
    let keys: std::collections::HashSet<_> = b.incidents.iter().map(|i| &i.source_ref).collect();
    assert_eq!(keys.len(), b.incidents.len());
}

#[test]
fn pirate_attacks_spot_checks() {
    let b = pirate_attacks();
    let first = &b.incidents[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.observed.date.to_string(), "1993-01-02");
    assert!((first.latitude - 19.7).abs() < 1e-9 && (first.longitude - 116.9667).abs() < 1e-9);
    assert_eq!(first.body.ship_name.as_deref(), Some("Mv Cosmic Leader"));
    assert_eq!(first.body.attack_type, AttackType::Unknown);
    assert_eq!(first.locality.nearest_country.as_deref(), Some("CHN"));
    assert_eq!(first.locality.eez_country.as_deref(), Some("TWN"));
    assert!((first.locality.shore_distance_km.unwrap() - 357.502).abs() < 1e-3);
    assert_eq!(first.locality.compiled_by.as_deref(), Some("mappingpiracy"));
    assert!(first.source_ref.starts_with("pa-") && first.source_ref.len() == 19);

    // IMB rows carry a UTC time and a narrative.
    let utc = b
        .incidents
        .iter()
        .find(|i| i.observed.clock == Clock::Utc)
        .expect("a UTC time");
    assert!(utc.observed.time.is_some());
    assert_eq!(utc.locality.compiled_by.as_deref(), Some("imb"));

    // Six identical rows (unnamed vessels hijacked 2001-06-14) stay six
    // incidents with distinct keys.
    let six: Vec<_> = b
        .incidents
        .iter()
        .filter(|i| {
            i.observed.date.to_string() == "2001-06-14"
                && i.body.attack_type == AttackType::Hijacked
        })
        .collect();
    assert_eq!(six.len(), 6);
    assert!(six[1].source_ref.ends_with("-2") && six[5].source_ref.ends_with("-6"));
    let keys: std::collections::HashSet<_> = b.incidents.iter().map(|i| &i.source_ref).collect();
    assert_eq!(keys.len(), b.incidents.len());

    // The one unreadable time is dropped, not the incident.
    assert!(b.warnings[0].message.contains("18:85"));
}

#[test]
fn reimport_gives_the_same_keys() {
    let a: Vec<_> = asam().incidents.into_iter().map(|i| i.source_ref).collect();
    let b: Vec<_> = asam().incidents.into_iter().map(|i| i.source_ref).collect();
    assert_eq!(a, b);
    let a: Vec<_> = pirate_attacks()
        .incidents
        .into_iter()
        .map(|i| i.source_ref)
        .collect();
    let b: Vec<_> = pirate_attacks()
        .incidents
        .into_iter()
        .map(|i| i.source_ref)
        .collect();
    assert_eq!(a, b);
}

#[test]
fn bad_rows_are_rejected_with_reasons() {
    let csv = "reference,date,position,navArea,subreg,hostility,victim,description,\n\
               ,2020-01-01,\"1°N 2°E\",I,1,,,x,\n\
               2020-2,2020-13-01,\"1°N 2°E\",I,1,,,x,\n\
               2020-3,2020-01-01,,I,1,,,x,\n\
               2020-4,2020-01-01,\"1°N 2°Q\",I,1,,,x,\n\
               2020-5,2020-01-01\n\
               2020-6,2020-01-01,\"1°N 2°E\",I,1,Boarding,,x,\n";
    let b = import::asam::parse(csv.as_bytes()).unwrap();
    assert_eq!(b.rows, 6);
    assert_eq!(b.incidents.len(), 1);
    let reasons: Vec<_> = b
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.code()))
        .collect();
    assert_eq!(
        reasons,
        [
            (2, "missing-reference"),
            (3, "bad-date"),
            (4, "missing-position"),
            (5, "bad-position"),
            (6, "short-row"),
        ]
    );
    let csv = "date,time,longitude,latitude,attack_type,location_description,nearest_country,eez_country,shore_distance,shore_longitude,shore_latitude,attack_description,vessel_name,vessel_type,vessel_status,data_source\n\
               2001-01-01,NA,NA,1,Boarded,x,NA,NA,1,1,1,NA,NA,NA,NA,imb\n\
               2001-01-01,NA,200,1,Boarded,x,NA,NA,1,1,1,NA,NA,NA,NA,imb\n\
               01/01/2001,NA,1,1,Boarded,x,NA,NA,1,1,1,NA,NA,NA,NA,imb\n";
    let b = import::pirate_attacks::parse(csv.as_bytes()).unwrap();
    let reasons: Vec<_> = b.rejected.iter().map(|r| r.reason.code()).collect();
    assert_eq!(reasons, ["missing-position", "bad-position", "bad-date"]);
}

#[test]
fn wrong_file_is_an_error() {
    let err = import::asam::parse(&data("pirate_attacks.csv")[..]).unwrap_err();
    assert_eq!(err, import::ImportError::MissingColumn("reference"));
    assert!(import::pirate_attacks::parse(&b""[..]).is_err());
}

/// Real rows to mutate: the header and the first rows of each file.
fn sample(name: &str, rows: usize) -> Vec<u8> {
    let text = data(name);
    // Cut after `rows` records by counting record-ending newlines outside
    // quotes.
    let mut quoted = false;
    let mut seen = 0;
    for (i, &c) in text.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                seen += 1;
                if seen > rows {
                    return text[..=i].to_vec();
                }
            }
            _ => {}
        }
    }
    text
}

fn check_batch(b: &ImportBatch) {
    assert_eq!(b.incidents.len() + b.rejected.len(), b.rows);
    all_valid(b);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(b) = import::asam::parse(&bytes[..]) { check_batch(&b); }
        if let Ok(b) = import::pirate_attacks::parse(&bytes[..]) { check_batch(&b); }
    }

    #[test]
    fn arbitrary_positions_never_panic(text in "\\PC{0,40}") {
        let _ = import::parse_dms(&text);
    }

    #[test]
    fn dms_positions_round_trip(lat in -90.0f64..90.0, lon in -180.0f64..180.0) {
        let dms = |v: f64, pos: char, neg: char| {
            let a = v.abs();
            let d = a.trunc();
            let m = ((a - d) * 60.0).trunc();
            let s = (a - d - m / 60.0) * 3600.0;
            format!("{d}°{m:02}'{s:05.2}\"{}", if v < 0.0 { neg } else { pos })
        };
        let text = format!("{}\n{}", dms(lat, 'N', 'S'), dms(lon, 'E', 'W'));
        let (la, lo) = import::parse_dms(&text).unwrap();
        prop_assert!((la - lat).abs() < 1e-5 && (lo - lon).abs() < 1e-5, "{text}");
    }

    #[test]
    fn mutated_asam_rows_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
    ) {
        let mut bytes = sample("asam-2022-06-21.csv", 20);
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(b) = import::asam::parse(&bytes[..]) { check_batch(&b); }
    }

    #[test]
    fn mutated_pirate_attack_rows_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = sample("pirate_attacks.csv", 20);
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1).max(1));
        if let Ok(b) = import::pirate_attacks::parse(&bytes[..]) { check_batch(&b); }
    }
}

#[test]
fn multi_byte_text_where_a_status_word_would_end_is_not_a_panic() {
    // Inputs the records_input fuzz target found: a curly apostrophe
    // straddling the byte where an ASCII status word would end.
    for input in [
        &include_bytes!(
            "../../../../fuzz/corpus/records_input/crash-0ca3c4d4299a5e28622d181889a16b69747eee2c"
        )[..],
        &include_bytes!(
            "../../../../fuzz/corpus/records_input/crash-c44c6ed5eeb5612eb13f75318039d9cccf18eaf3"
        )[..],
    ] {
        let _ = model::import::asam::parse(input);
        let _ = model::import::pirate_attacks::parse(input);
    }
}
