//! Detections as `mda.alert` record drafts, ready for a node's ledger.

use chrono::{DateTime, Utc};
use model::Distribution;
use model::record::{Draft, Geometry, ReportContent};
use model::report::{
    AlertDetails, AlertFix, AlertKind, AlertReport, AlertVessel, BodyErrors, FieldError,
    FieldErrorKind, IdentityChange, MAX_EVIDENCE, ReportBody,
};

use crate::detection::{Detection, Fix, Kind};

impl Detection {
    /// The key that makes posting the same detection twice add nothing:
    /// kind, vessels, start and (for zones) the zone.
    pub fn record_key(&self) -> String {
        let mmsis: Vec<String> = self.vessels.iter().map(|v| v.mmsi.to_string()).collect();
        let mut key = format!(
            "mda:{}:{}:{}",
            self.kind.name(),
            mmsis.join("-"),
            self.start_ms
        );
        if let Kind::ZoneEntry { zone } | Kind::ZoneExit { zone } = &self.kind {
            key.push(':');
            key.push_str(zone);
        }
        key
    }

    /// The detection as a draft `mda.alert` record with its own function,
    /// shared with `distribution`. Located at its latest evidence position.
    ///
    /// Fails, naming the field, when a time is outside what records can
    /// hold or a figure is out of range (a corrupt feed can produce both).
    pub fn to_draft(&self, distribution: Distribution) -> Result<Draft, BodyErrors> {
        let time = |field: &str, ms: i64| {
            DateTime::<Utc>::from_timestamp_millis(ms).ok_or_else(|| {
                BodyErrors(vec![FieldError {
                    field: field.to_owned(),
                    kind: FieldErrorKind::OutOfRange(format!(
                        "{ms} ms is not a representable time"
                    )),
                }])
            })
        };
        let start = time("start", self.start_ms)?;
        let end = time("end", self.end_ms)?;
        // The evidence is already a bounded sample; keep its ends if a
        // caller's detector was configured to keep more than a record holds.
        let evidence = bounded(&self.evidence);
        let mut fixes = Vec::with_capacity(evidence.len());
        for (i, f) in evidence.iter().enumerate() {
            fixes.push(AlertFix {
                mmsi: f.mmsi,
                time: time(&format!("evidence[{i}].time"), f.time_ms)?,
                lat: f.lat,
                lon: f.lon,
                speed_kn: f.speed_kn.map(f64::from),
            });
        }
        let body = AlertReport {
            detection: alert_kind(&self.kind),
            vessels: self
                .vessels
                .iter()
                .map(|v| AlertVessel {
                    mmsi: v.mmsi,
                    name: v.name.clone().filter(|n| !n.trim().is_empty()),
                    imo: v.imo,
                    callsign: v.callsign.clone().filter(|c| !c.trim().is_empty()),
                })
                .collect(),
            start,
            end,
            confidence: f64::from(self.confidence),
            evidence: fixes,
            details: details(&self.kind),
        };
        body.validate()?;
        let location = evidence
            .last()
            .and_then(|f| Geometry::point(f.lon, f.lat).ok());
        let place = match &self.kind {
            Kind::ZoneEntry { zone } | Kind::ZoneExit { zone } => Some(zone.clone()),
            _ => None,
        };
        let content = ReportContent {
            title: self.title(),
            function: self.function,
            observed_at: start,
            location,
            place,
            description: Some(self.describe()),
            body: ReportBody::MdaAlert(body),
            source_ref: Some(self.record_key()),
        };
        Ok(Draft::new(distribution, content))
    }

    /// "Encounter at sea: 412345678 (OCEAN STAR) and 445123456".
    fn title(&self) -> String {
        let vessels: Vec<String> = self
            .vessels
            .iter()
            .map(|v| match &v.name {
                Some(n) if !n.trim().is_empty() => format!("{} ({})", v.mmsi, n.trim()),
                _ => v.mmsi.to_string(),
            })
            .collect();
        let what = alert_kind(&self.kind).describe();
        let title = format!("{what}: MMSI {}", vessels.join(" and "));
        match &self.kind {
            Kind::ZoneEntry { zone } | Kind::ZoneExit { zone } => format!("{title}, {zone}"),
            Kind::WatchList { list, .. } => format!("{title}, on {list}"),
            _ => title,
        }
    }

    /// One sentence with the figures, for readers of the record.
    fn describe(&self) -> String {
        let hours = (self.end_ms - self.start_ms) as f64 / 3_600_000.0;
        let what = match &self.kind {
            Kind::Encounter {
                min_distance_m,
                mean_distance_m,
            } => format!(
                "Two vessels within {min_distance_m:.0} m (mean {mean_distance_m:.0} m) for {hours:.1} h at low speed, away from port."
            ),
            Kind::Loitering {
                mean_speed_kn,
                mean_shore_nm,
            } => match mean_shore_nm {
                Some(nm) => format!(
                    "Mean speed {mean_speed_kn:.1} kn for {hours:.1} h, {nm:.0} NM from shore."
                ),
                None => format!("Mean speed {mean_speed_kn:.1} kn for {hours:.1} h."),
            },
            Kind::Gap {
                hours,
                intentional,
                distance_nm,
                ..
            } => format!(
                "No AIS for {hours:.1} h; {distance_nm:.0} NM covered meanwhile{}.",
                if *intentional {
                    "; began far from shore in good reception, likely switched off"
                } else {
                    ""
                }
            ),
            Kind::ZoneEntry { zone } => format!("Entered {zone}."),
            Kind::ZoneExit { zone } => format!("Left {zone}."),
            Kind::WatchList {
                matched_on,
                list,
                reason,
            } => format!("Matched {list} on {}: {reason}.", matched_on.name()),
            Kind::InvalidMmsi { reason } => format!("Invalid MMSI: {reason}."),
            Kind::IdentityClash {
                distance_m,
                alternations,
            } => format!(
                "The MMSI alternated {alternations} times between positions {:.1} km apart.",
                distance_m / 1000.0
            ),
            Kind::ImpossibleSpeed {
                implied_kn,
                distance_m,
            } => format!(
                "A jump of {:.1} km implying {implied_kn:.0} kn.",
                distance_m / 1000.0
            ),
            Kind::IdentityChange { changes } => {
                let list: Vec<String> = changes
                    .iter()
                    .map(|c| format!("{} {:?} -> {:?}", c.field, c.old, c.new))
                    .collect();
                format!("Changed {}.", list.join(", "))
            }
        };
        format!(
            "{what} Detected from AIS with confidence {:.2}.",
            self.confidence
        )
    }
}

/// At most [`MAX_EVIDENCE`] fixes: the first ones and the latest.
fn bounded(evidence: &[Fix]) -> Vec<Fix> {
    if evidence.len() <= MAX_EVIDENCE {
        return evidence.to_vec();
    }
    let mut kept = evidence[..MAX_EVIDENCE - 1].to_vec();
    kept.extend(evidence.last().copied());
    kept
}

fn alert_kind(kind: &Kind) -> AlertKind {
    match kind {
        Kind::Encounter { .. } => AlertKind::Encounter,
        Kind::Loitering { .. } => AlertKind::Loitering,
        Kind::Gap { .. } => AlertKind::Gap,
        Kind::ZoneEntry { .. } => AlertKind::ZoneEntry,
        Kind::ZoneExit { .. } => AlertKind::ZoneExit,
        Kind::WatchList { .. } => AlertKind::WatchList,
        Kind::InvalidMmsi { .. } => AlertKind::InvalidMmsi,
        Kind::IdentityClash { .. } => AlertKind::IdentityClash,
        Kind::ImpossibleSpeed { .. } => AlertKind::ImpossibleSpeed,
        Kind::IdentityChange { .. } => AlertKind::IdentityChange,
    }
}

fn details(kind: &Kind) -> AlertDetails {
    let mut d = AlertDetails::default();
    match kind {
        Kind::Encounter {
            min_distance_m,
            mean_distance_m,
        } => {
            d.min_distance_m = Some(*min_distance_m);
            d.mean_distance_m = Some(*mean_distance_m);
        }
        Kind::Loitering {
            mean_speed_kn,
            mean_shore_nm,
        } => {
            d.mean_speed_kn = Some(*mean_speed_kn);
            d.shore_nm = *mean_shore_nm;
        }
        Kind::Gap {
            hours,
            intentional,
            shore_nm,
            distance_nm,
        } => {
            d.hours = Some(*hours);
            d.intentional = Some(*intentional);
            d.shore_nm = *shore_nm;
            d.distance_nm = Some(*distance_nm);
        }
        Kind::ZoneEntry { zone } | Kind::ZoneExit { zone } => d.zone = Some(zone.clone()),
        Kind::WatchList {
            matched_on,
            list,
            reason,
        } => {
            d.matched_on = Some(matched_on.name().to_owned());
            d.list = Some(list.clone());
            d.reason = Some(reason.clone()).filter(|r| !r.trim().is_empty());
        }
        Kind::InvalidMmsi { reason } => d.reason = Some((*reason).to_owned()),
        Kind::IdentityClash {
            distance_m,
            alternations,
        } => {
            d.distance_m = Some(*distance_m);
            d.alternations = Some(*alternations);
        }
        Kind::ImpossibleSpeed {
            implied_kn,
            distance_m,
        } => {
            d.implied_kn = Some(*implied_kn);
            d.distance_m = Some(*distance_m);
        }
        Kind::IdentityChange { changes } => {
            d.changes = changes
                .iter()
                .map(|c| IdentityChange {
                    field: c.field.to_owned(),
                    old: c.old.clone(),
                    new: c.new.clone(),
                })
                .collect();
        }
    }
    d
}
