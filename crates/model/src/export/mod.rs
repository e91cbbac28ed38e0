//! Exports of records in the formats partners and tools read: a STIX 2.1
//! bundle ([`stix`]), a GeoJSON feature collection ([`geojson`]) and a
//! CSV table ([`csv`]).
//!
//! **The caller filters first.** Every function here writes out exactly the
//! versions it is given; none of them consults the distribution policy.
//! Pass only versions that [`crate::is_visible`] (or a store query compiled
//! from it) has already allowed for the reader the export is for.
//!
//! The functions are pure: no clock, no I/O but the writer the CSV export is
//! handed, no randomness. The same input gives the same bytes, and the ids
//! in a STIX bundle are derived from record ids, so that a re-export or a
//! later version lines up with what a partner already holds.
//!
//! ```
//! use model::export;
//! let csv = export::csv::to_string(&[]);
//! assert!(csv.starts_with("id,version,status,kind"));
//! let features = export::geojson::feature_collection(&[]);
//! assert_eq!(features["type"], "FeatureCollection");
//! ```

pub mod csv;
pub mod geojson;
pub mod stix;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::Audience;
use crate::record::Geometry;
use crate::report::ReportBody;

/// A timestamp as STIX writes it (and as the other exports reuse): UTC,
/// millisecond precision, `Z` (`2026-11-20T21:30:00.000Z`).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The audience in one short token: `originator`, `members:JPN+KOR`,
/// `forum:recaap`, `group:straits-watch`, `all-members` or `public`.
pub fn audience_label(audience: &Audience) -> String {
    match audience {
        Audience::Originator => "originator".to_owned(),
        Audience::Members { members } => {
            let codes: Vec<&str> = members.iter().map(|m| m.as_str()).collect();
            format!("members:{}", codes.join("+"))
        }
        Audience::Forum { forum } => format!("forum:{}", forum.as_str()),
        Audience::Group { group } => format!("group:{group}"),
        Audience::AllMembers => "all-members".to_owned(),
        Audience::Public => "public".to_owned(),
    }
}

/// The typed body's fields as a JSON object (without the kind tag).
fn body_fields(body: &ReportBody) -> Value {
    // Serialising plain data into a `Value` cannot fail (non-finite numbers
    // become null); the fallback only keeps this function total.
    match serde_json::to_value(body) {
        Ok(Value::Object(mut tagged)) => tagged.remove("body").unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// The geometry and its anchor, when the geometry is valid (finite, in
/// range, closed rings). Exports leave out locations that are not.
fn located(location: Option<&Geometry>) -> Option<(&Geometry, [f64; 2])> {
    let g = location?;
    g.validate().ok()?;
    let anchor = g.anchor();
    let in_range = anchor[0].is_finite()
        && anchor[1].is_finite()
        && (-180.0..=180.0).contains(&anchor[0])
        && (-90.0..=90.0).contains(&anchor[1]);
    in_range.then_some((g, anchor))
}

#[cfg(test)]
pub(crate) mod fixtures;
