//! NGA Anti-Shipping Activity Messages (ASAM), CSV export.
//!
//! Columns: `reference, date, position, navArea, subreg, hostility, victim,
//! description`. The reference (`2022-146`) is the key. Positions are
//! degree–minute–second text read by [`parse_dms`](super::parse_dms).
//! Hostility is free text that sometimes names the act ("Boarding",
//! "Suspicious Approach") and more often the actor ("PIRATES", "Robbers");
//! it is mapped by the table in `narrative::HOSTILITY_TABLE`, and where it
//! names only an actor the description decides. The description is kept
//! whole as the incident's description.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;

use super::narrative::{self, Hostility, Lower};
use super::{
    Clock, ImportBatch, ImportError, ImportedIncident, Locality, Observed, RejectReason, Source,
    Table, attack_label, clip, tidy,
};
use crate::report::{AttackType, PiracyReport, SHORT_TEXT};

const COLUMNS: [&str; 8] = [
    "reference",
    "date",
    "position",
    "navArea",
    "subreg",
    "hostility",
    "victim",
    "description",
];

/// Reads an ASAM CSV export.
///
/// Rows are rejected when they have no reference, repeat an earlier
/// reference, or have no readable date or position; everything else is
/// imported. Fails only if the header lacks a column or the reader fails.
pub fn parse(input: impl Read) -> Result<ImportBatch, ImportError> {
    let mut batch = ImportBatch::new(Source::Asam);
    let mut seen: HashMap<String, u64> = HashMap::new();
    Table::open(input, &COLUMNS)?.for_each(&COLUMNS, |line, fields| {
        batch.rows += 1;
        let f = match fields {
            Ok(f) => f,
            Err(reason) => return batch.reject(line, None, reason),
        };
        let [
            reference,
            date,
            position,
            navarea,
            subreg,
            hostility,
            victim,
            description,
        ] = f[..]
        else {
            return;
        };
        let reference = reference.trim();
        if reference.is_empty() {
            return batch.reject(line, None, RejectReason::MissingReference);
        }
        let key = Some(reference.to_owned());
        if let Some(&first_line) = seen.get(reference) {
            // ASAM lists a few messages twice, identically; the reference
            // is NGA's identifier, so the second copy is the same message.
            return batch.reject(line, key, RejectReason::DuplicateReference { first_line });
        }
        let Ok(date) = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") else {
            return batch.reject(line, key, RejectReason::BadDate(clip(date, 40)));
        };
        let (latitude, longitude) = match super::parse_dms(position) {
            Ok(p) => p,
            Err(super::PositionError::Empty) => {
                return batch.reject(line, key, RejectReason::MissingPosition);
            }
            Err(e) => return batch.reject(line, key, RejectReason::BadPosition(e.to_string())),
        };
        seen.insert(reference.to_owned(), line);
        let description = tidy(description);
        let body = map(hostility, victim, &description);
        let title = title(hostility, victim, &description, body.attack_type);
        let place = description_prefix(&description).map(str::to_owned);
        batch.incidents.push(ImportedIncident {
            source: Source::Asam,
            source_ref: reference.to_owned(),
            line,
            observed: Observed {
                date,
                time: None,
                clock: Clock::Local,
            },
            latitude,
            longitude,
            description: if description.is_empty() {
                title.clone()
            } else {
                description
            },
            title,
            locality: Locality {
                place,
                navarea: non_blank(navarea),
                subregion: non_blank(subreg),
                ..Locality::default()
            },
            body,
        });
    })?;
    Ok(batch)
}

/// Maps one message's hostility, victim and description to a report.
fn map(hostility: &str, victim: &str, description: &str) -> PiracyReport {
    let d = Lower::new(description);
    let attack_type = match narrative::hostility(hostility) {
        Hostility::Act(AttackType::Boarded) => {
            // "Boarding" says they got on board; whether they took
            // anything is in the description.
            match narrative::attack_from_description(&d) {
                Some(t @ (AttackType::Robbery | AttackType::Hijacked | AttackType::Kidnapping)) => {
                    t
                }
                _ => AttackType::Boarded,
            }
        }
        Hostility::Act(t) => t,
        Hostility::Actor => narrative::attack_from_description(&d).unwrap_or(AttackType::Unknown),
        Hostility::NonPiracy => match narrative::attack_from_description(&d) {
            // Military activity or a protest near a ship is not an
            // approach or attempt by pirates.
            Some(AttackType::SuspiciousApproach | AttackType::Attempted) | None => {
                AttackType::Other
            }
            Some(t) => t,
        },
    };
    let v = narrative::victim(victim);
    let mut report = PiracyReport::new(attack_type);
    report.ship_name = v.name.map(|n| clip(&n, SHORT_TEXT));
    report.ship_type = v.ship_type;
    report.flag = v
        .flag
        .or_else(|| narrative::flag_in(description))
        .map(|f| clip(&f, SHORT_TEXT));
    report.status = v.status;
    narrative::enrich(&mut report, &d);
    report
}

fn title(hostility: &str, victim: &str, description: &str, attack: AttackType) -> String {
    let what = match hostility.trim() {
        "" => attack_label(attack).to_owned(),
        h => tidy(h),
    };
    let victim = tidy(victim);
    let whom = victim_or_description_prefix(&victim, description);
    let text = if whom.is_empty() {
        what
    } else {
        format!("{what}: {whom}")
    };
    clip(&text, SHORT_TEXT)
}

/// The victim, or failing that the place that opens the description.
fn victim_or_description_prefix<'a>(victim: &'a str, description: &'a str) -> &'a str {
    if victim.is_empty() {
        description_prefix(description).unwrap_or("")
    } else {
        victim
    }
}

/// The "INDONESIA:" or "GULF OF ADEN:" that opens most descriptions.
fn description_prefix(description: &str) -> Option<&str> {
    match description.split_once(':') {
        Some((prefix, _))
            if !prefix.trim().is_empty()
                && prefix.len() <= 60
                && !prefix
                    .chars()
                    .any(|c| c.is_lowercase() || c.is_ascii_digit()) =>
        {
            Some(prefix.trim())
        }
        _ => None,
    }
}

fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}
