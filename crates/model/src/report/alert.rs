//! Maritime domain awareness alerts: what a detector saw in AIS traffic
//! (an encounter at sea, loitering, a silence, a zone entry, a watch-listed
//! ship, an impossible identity), with the positions behind it.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{BodyErrors, Checker, FieldErrorKind};

/// Positions an alert may carry as evidence. Detectors keep a thinned
/// sample per vessel, so a real alert stays far below this.
pub const MAX_EVIDENCE: usize = 256;

/// Highest MMSI AIS can carry (a 30-bit field). Alerts keep invalid
/// identities as transmitted (0, ten digits): reporting them is the point
/// of an invalid-MMSI alert.
const MAX_MMSI: u32 = (1 << 30) - 1;

/// An alert raised by a behaviour detector over AIS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertReport {
    /// What was detected.
    pub detection: AlertKind,
    /// The vessels involved: two for an encounter, else one.
    pub vessels: Vec<AlertVessel>,
    /// When the behaviour began.
    #[schemars(with = "String")]
    pub start: DateTime<Utc>,
    /// When it ended (equal to `start` for an instant event).
    #[schemars(with = "String")]
    pub end: DateTime<Utc>,
    /// How sure the detector is, 0–1.
    pub confidence: f64,
    /// Positions supporting it, in time order.
    pub evidence: Vec<AlertFix>,
    /// The figures behind the detection; which ones are present depends
    /// on `detection`.
    #[serde(default)]
    pub details: AlertDetails,
}

/// The behaviours detectors report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Two vessels close, slow and away from port: a possible
    /// ship-to-ship transfer.
    Encounter,
    /// Slow for a long time far from shore.
    Loitering,
    /// A long silence of the transponder.
    Gap,
    /// Entry into a watched zone.
    ZoneEntry,
    /// Exit from a watched zone.
    ZoneExit,
    /// A vessel on a watch list.
    WatchList,
    /// An MMSI that cannot belong to a ship station.
    InvalidMmsi,
    /// One MMSI in two places at once.
    IdentityClash,
    /// A jump implying an impossible speed.
    ImpossibleSpeed,
    /// A change of name, IMO number or call sign.
    IdentityChange,
}

impl AlertKind {
    /// Words for titles ("ship-to-ship encounter").
    pub fn describe(self) -> &'static str {
        match self {
            AlertKind::Encounter => "Encounter at sea",
            AlertKind::Loitering => "Loitering",
            AlertKind::Gap => "AIS gap",
            AlertKind::ZoneEntry => "Zone entry",
            AlertKind::ZoneExit => "Zone exit",
            AlertKind::WatchList => "Watch-listed vessel",
            AlertKind::InvalidMmsi => "Invalid MMSI",
            AlertKind::IdentityClash => "MMSI in two places",
            AlertKind::ImpossibleSpeed => "Impossible speed",
            AlertKind::IdentityChange => "Identity change",
        }
    }
}

/// A vessel as AIS identified it (the values as transmitted: an IMO number
/// with a bad check digit is kept, since that is itself evidence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertVessel {
    /// MMSI.
    pub mmsi: u32,
    /// Name from its static data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// IMO number from its static data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imo: Option<u32>,
    /// Call sign from its static data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callsign: Option<String>,
}

/// One position of the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertFix {
    /// The reporting MMSI.
    pub mmsi: u32,
    /// When.
    #[schemars(with = "String")]
    pub time: DateTime<Utc>,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Reported speed over ground, knots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kn: Option<f64>,
}

/// The figures of a detection. All optional: each kind fills its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertDetails {
    /// Closest distance between the two vessels, metres (encounter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_distance_m: Option<f64>,
    /// Mean distance between them, metres (encounter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_distance_m: Option<f64>,
    /// Mean speed, knots (loitering).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_speed_kn: Option<f64>,
    /// Distance from shore, nautical miles (loitering: mean; gap: where
    /// the silence began).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shore_nm: Option<f64>,
    /// Length of a silence, hours (gap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// Whether a silence looks deliberate (gap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intentional: Option<bool>,
    /// Distance covered during a silence, nautical miles (gap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_nm: Option<f64>,
    /// Distance, metres (identity clash: between the two positions;
    /// impossible speed: the jump).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// The zone's name (zone entry and exit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Which identifier matched the watch list: mmsi, imo, name, callsign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_on: Option<String>,
    /// The watch list (for example `UNSC 1718`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// Why: the listing's reason, or why an MMSI is invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Alternations between two positions seen (identity clash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternations: Option<u32>,
    /// Implied speed, knots (impossible speed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implied_kn: Option<f64>,
    /// Changed identity fields (identity change).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<IdentityChange>,
}

/// One changed identity field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityChange {
    /// `name`, `imo` or `callsign`.
    pub field: String,
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
}

impl AlertReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        let wanted = if self.detection == AlertKind::Encounter {
            2
        } else {
            1
        };
        if self.vessels.len() != wanted {
            c.push(
                "vessels",
                FieldErrorKind::OutOfRange(format!(
                    "a {} alert names {wanted} vessel(s), not {}",
                    self.detection.describe().to_lowercase(),
                    self.vessels.len()
                )),
            );
        }
        for (i, v) in self.vessels.iter().enumerate() {
            mmsi(&mut c, &format!("vessels[{i}].mmsi"), v.mmsi);
            c.opt_text(&format!("vessels[{i}].name"), v.name.as_deref());
            c.opt_text(&format!("vessels[{i}].callsign"), v.callsign.as_deref());
        }
        if self.end < self.start {
            c.push("end", FieldErrorKind::OutOfRange("before the start".into()));
        }
        if !(0.0..=1.0).contains(&self.confidence) {
            c.push(
                "confidence",
                FieldErrorKind::OutOfRange("between 0 and 1".into()),
            );
        }
        if self.evidence.len() > MAX_EVIDENCE {
            c.push(
                "evidence",
                FieldErrorKind::OutOfRange(format!("at most {MAX_EVIDENCE} positions")),
            );
        }
        for (i, f) in self.evidence.iter().enumerate() {
            let at = |name: &str| format!("evidence[{i}].{name}");
            mmsi(&mut c, &at("mmsi"), f.mmsi);
            if !(-90.0..=90.0).contains(&f.lat) {
                c.push(at("lat"), FieldErrorKind::OutOfRange("-90 to 90".into()));
            }
            if !(-180.0..=180.0).contains(&f.lon) {
                c.push(at("lon"), FieldErrorKind::OutOfRange("-180 to 180".into()));
            }
            if let Some(s) = f.speed_kn {
                c.number_at_least(&at("speed_kn"), s, 0.0);
            }
        }
        self.details.check(&mut c);
        c.finish()
    }
}

impl AlertDetails {
    fn check(&self, c: &mut Checker) {
        let non_negative = [
            ("details.min_distance_m", self.min_distance_m),
            ("details.mean_distance_m", self.mean_distance_m),
            ("details.mean_speed_kn", self.mean_speed_kn),
            ("details.shore_nm", self.shore_nm),
            ("details.hours", self.hours),
            ("details.distance_nm", self.distance_nm),
            ("details.distance_m", self.distance_m),
            ("details.implied_kn", self.implied_kn),
        ];
        for (field, value) in non_negative {
            if let Some(v) = value {
                c.number_at_least(field, v, 0.0);
            }
        }
        c.opt_text("details.zone", self.zone.as_deref());
        c.opt_text("details.list", self.list.as_deref());
        c.opt_text("details.reason", self.reason.as_deref());
        if let Some(m) = &self.matched_on
            && !["mmsi", "imo", "name", "callsign"].contains(&m.as_str())
        {
            c.push(
                "details.matched_on",
                FieldErrorKind::Invalid("one of mmsi, imo, name, callsign".into()),
            );
        }
        for (i, ch) in self.changes.iter().enumerate() {
            c.text(&format!("details.changes[{i}].field"), &ch.field);
        }
    }
}

fn mmsi(c: &mut Checker, field: &str, value: u32) {
    if value > MAX_MMSI {
        c.push(
            field,
            FieldErrorKind::OutOfRange(format!("an AIS MMSI is at most {MAX_MMSI}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::report::{ReportKind, parse_body};
    use serde_json::json;

    fn encounter() -> serde_json::Value {
        json!({
            "detection": "encounter",
            "vessels": [{"mmsi": 412345678, "name": "OCEAN STAR"}, {"mmsi": 445123456}],
            "start": "2026-11-20T01:00:00Z",
            "end": "2026-11-20T04:10:00Z",
            "confidence": 0.8,
            "evidence": [{"mmsi": 412345678, "time": "2026-11-20T01:00:00Z", "lat": 38.9, "lon": 123.6, "speed_kn": 0.4}],
            "details": {"min_distance_m": 90.0, "mean_distance_m": 210.5}
        })
    }

    #[test]
    fn a_detector_alert_parses() {
        let body = parse_body(ReportKind::MdaAlert, &encounter()).unwrap();
        assert_eq!(body.kind(), ReportKind::MdaAlert);
    }

    #[test]
    fn bad_alerts_name_their_fields() {
        let mut v = encounter();
        v["vessels"] = json!([{"mmsi": 2_000_000_000u32}]);
        v["confidence"] = json!(1.5);
        v["end"] = json!("2026-11-19T00:00:00Z");
        v["evidence"][0]["lat"] = json!(91.0);
        v["details"]["matched_on"] = json!("hull colour");
        let errors = parse_body(ReportKind::MdaAlert, &v).unwrap_err();
        for field in [
            "vessels",
            "vessels[0].mmsi",
            "confidence",
            "end",
            "evidence[0].lat",
            "details.matched_on",
        ] {
            assert!(errors.names(field), "{field} not named in {errors}");
        }
        v = encounter();
        v["details"]["colour"] = json!("red");
        let errors = parse_body(ReportKind::MdaAlert, &v).unwrap_err();
        assert!(errors.names("details.colour"), "{errors}");
    }
}
