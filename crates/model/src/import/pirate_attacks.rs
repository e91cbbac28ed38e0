//! The Maritime Pirate Attacks compilation (`pirate_attacks.csv`): incidents
//! from the Mapping Piracy project and IMB reports with decimal
//! coordinates, nearest country, EEZ and distance to shore. `NA` marks a
//! missing value.
//!
//! The file has no identifier, and neither date, place and ship name nor
//! any other subset of columns is unique (the same ship is recorded twice
//! on one day as attempted and as boarded). The key is therefore the row
//! itself: `pa-` and the first 16 hex digits of the SHA-256 of its fields
//! joined by the unit separator (0x1F). Rows that are identical in every
//! field (20 in the published file, such as six unnamed vessels hijacked at
//! one spot on 2001-06-14) are kept as separate incidents, as the source
//! counts them, and the second and later copies get `-2`, `-3`… after the
//! hash. The key is stable as long as the row is unchanged, which is what
//! idempotent re-import of the same file needs.

use std::collections::HashMap;
use std::io::Read;

use chrono::{NaiveDate, NaiveTime};
use sha2::{Digest, Sha256};

use super::narrative::{self, Lower};
use super::{
    Clock, ImportBatch, ImportError, ImportedIncident, Locality, Observed, RejectReason, Source,
    Table, Warning, attack_label, clip, tidy,
};
use crate::report::{AttackType, PiracyReport, SHORT_TEXT, ShipStatus};

const COLUMNS: [&str; 16] = [
    "date",
    "time",
    "longitude",
    "latitude",
    "attack_type",
    "location_description",
    "nearest_country",
    "eez_country",
    "shore_distance",
    "shore_longitude",
    "shore_latitude",
    "attack_description",
    "vessel_name",
    "vessel_type",
    "vessel_status",
    "data_source",
];

/// Reads `pirate_attacks.csv`.
///
/// Rows are rejected when the date or the coordinates are missing or
/// unreadable; everything else is imported. An unreadable time of day is
/// dropped with a warning. Fails only if the header lacks a column or the
/// reader fails.
pub fn parse(input: impl Read) -> Result<ImportBatch, ImportError> {
    let mut batch = ImportBatch::new(Source::PirateAttacks);
    let mut copies: HashMap<String, u32> = HashMap::new();
    Table::open(input, &COLUMNS)?.for_each(&COLUMNS, |line, fields| {
        batch.rows += 1;
        let f = match fields {
            Ok(f) => f,
            Err(reason) => return batch.reject(line, None, reason),
        };
        let hash = row_hash(&f);
        let copy = copies.entry(hash.clone()).or_insert(0);
        *copy += 1;
        let key = if *copy == 1 {
            hash
        } else {
            format!("{hash}-{copy}")
        };
        let Ok(date) = NaiveDate::parse_from_str(f[0].trim(), "%Y-%m-%d") else {
            return batch.reject(line, Some(key), RejectReason::BadDate(clip(f[0], 40)));
        };
        let (Some(lon), Some(lat)) = (value(f[2]), value(f[3])) else {
            return batch.reject(line, Some(key), RejectReason::MissingPosition);
        };
        let (Ok(longitude), Ok(latitude)) = (lon.parse::<f64>(), lat.parse::<f64>()) else {
            return batch.reject(
                line,
                Some(key),
                RejectReason::BadPosition(format!("{lat:?}, {lon:?} are not numbers")),
            );
        };
        if !(latitude.abs() <= 90.0 && longitude.abs() <= 180.0) {
            return batch.reject(
                line,
                Some(key),
                RejectReason::BadPosition(format!("{latitude}, {longitude} out of range")),
            );
        }
        let (time, clock) = match value(f[1]).map(time_of_day) {
            None => (None, Clock::Local),
            Some(Some((t, c))) => (Some(t), c),
            Some(None) => {
                batch.warnings.push(Warning {
                    line,
                    message: format!("unreadable time {:?} dropped", clip(f[1], 20)),
                });
                (None, Clock::Local)
            }
        };
        let narrative = value(f[11]).map(tidy);
        let body = map(&f, narrative.as_deref());
        let place = value(f[5]).map(tidy);
        let vessel = body
            .ship_name
            .clone()
            .or_else(|| body.ship_type.clone())
            .unwrap_or_else(|| "vessel".to_owned());
        let title = match &place {
            Some(p) => format!("{}: {vessel}, {p}", attack_label(body.attack_type)),
            None => format!("{}: {vessel}", attack_label(body.attack_type)),
        };
        let locality = Locality {
            place,
            nearest_country: value(f[6]).map(str::to_owned),
            eez_country: value(f[7]).map(str::to_owned),
            shore_distance_km: value(f[8])
                .and_then(|d| d.parse::<f64>().ok())
                .filter(|d| d.is_finite() && *d >= 0.0),
            compiled_by: value(f[15]).map(str::to_owned),
            ..Locality::default()
        };
        let description = narrative.unwrap_or_else(|| summary(&title, &locality));
        batch.incidents.push(ImportedIncident {
            source: Source::PirateAttacks,
            source_ref: key,
            line,
            observed: Observed { date, time, clock },
            latitude,
            longitude,
            title: clip(&title, SHORT_TEXT),
            description,
            locality,
            body,
        });
    })?;
    Ok(batch)
}

/// The field, or `None` for `NA` or blank.
fn value(field: &str) -> Option<&str> {
    let t = field.trim();
    (!t.is_empty() && t != "NA").then_some(t)
}

fn row_hash(fields: &[&str]) -> String {
    let mut h = Sha256::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(f.as_bytes());
    }
    format!("pa-{}", &hex::encode(h.finalize())[..16])
}

/// `02:30 UTC` is UTC; a bare `02:34` is local time, as the IMB narrative
/// beside it ("0234 LT") shows.
fn time_of_day(text: &str) -> Option<(NaiveTime, Clock)> {
    let (t, clock) = match text.strip_suffix("UTC") {
        Some(t) => (t.trim(), Clock::Utc),
        None => (text, Clock::Local),
    };
    NaiveTime::parse_from_str(t, "%H:%M")
        .ok()
        .map(|t| (t, clock))
}

fn map(f: &[&str], narrative: Option<&str>) -> PiracyReport {
    let attack_type = match value(f[4]).map(str::to_lowercase).as_deref() {
        Some("boarded" | "boarding") => AttackType::Boarded,
        Some("attempted") => AttackType::Attempted,
        Some("hijacked") => AttackType::Hijacked,
        Some("fired upon") => AttackType::FiredUpon,
        Some("suspicious") => AttackType::SuspiciousApproach,
        Some("detained") => AttackType::Detained,
        Some(_) => AttackType::Other,
        None => AttackType::Unknown,
    };
    let mut report = PiracyReport::new(attack_type);
    report.ship_name = value(f[12])
        .filter(|n| {
            !["name withheld", "unspecified", "unknown"].contains(&n.to_lowercase().as_str())
        })
        .map(|n| clip(n, SHORT_TEXT));
    report.ship_type = value(f[13]).map(|t| clip(&t.to_lowercase(), SHORT_TEXT));
    report.status = value(f[14]).map(|s| match s.to_lowercase().as_str() {
        "anchored" => ShipStatus::Anchored,
        "berthed" | "moored" => ShipStatus::Berthed,
        "steaming" | "underway" | "towed" => ShipStatus::Underway,
        "drifting" => ShipStatus::Drifting,
        _ => ShipStatus::Other,
    });
    if let Some(text) = narrative {
        let d = Lower::new(text);
        if report.attack_type == AttackType::Boarded
            && narrative::attack_from_description(&d) == Some(AttackType::Robbery)
        {
            report.attack_type = AttackType::Robbery;
        }
        narrative::enrich(&mut report, &d);
    } else {
        report.severity = narrative::severity(&report);
    }
    report
}

/// A description for rows without a narrative (all Mapping Piracy rows).
fn summary(title: &str, l: &Locality) -> String {
    let mut parts = vec![title.to_owned()];
    if let Some(c) = &l.nearest_country {
        parts.push(format!("nearest country {c}"));
    }
    if let Some(c) = &l.eez_country {
        parts.push(format!("in the EEZ of {c}"));
    }
    if let Some(d) = l.shore_distance_km {
        parts.push(format!("{d:.1} km from shore"));
    }
    if let Some(s) = &l.compiled_by {
        parts.push(format!("source {s}"));
    }
    parts.join("; ")
}
