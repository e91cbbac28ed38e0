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
#[ignore = "exploration aid"]
fn show_unknown() {
    let b = asam();
    for i in b
        .incidents
        .iter()
        .filter(|i| i.body.attack_type == AttackType::Unknown)
        .step_by(30)
    {
        eprintln!(
            "{} | {} | {}",
            i.source_ref,
            i.title,
            &i.description.chars().take(300).collect::<String>()
        );
    }
}
