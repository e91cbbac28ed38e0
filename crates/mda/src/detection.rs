//! What the detectors report.

use model::Function;
use serde::Serialize;

use crate::watch::MatchField;

/// The TLP 2.0 label of an alert: the platform's one type, so that an
/// alert becomes a record without translation.
pub use model::Tlp;

/// One position, as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Fix {
    /// The reporting MMSI.
    pub mmsi: u32,
    /// Time, UNIX milliseconds (from the message).
    pub time_ms: i64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Reported speed over ground, knots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_kn: Option<f32>,
}

/// A vessel as known when the detection was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vessel {
    /// MMSI.
    pub mmsi: u32,
    /// Name from static data, if seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// IMO number from static data, if seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imo: Option<u32>,
    /// Call sign from static data, if seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callsign: Option<String>,
}

/// A changed identity field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `name`, `imo` or `callsign`.
    pub field: &'static str,
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
}

/// What was detected, with the figures behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// Two vessels close together and slow, away from port: a possible
    /// ship-to-ship transfer.
    Encounter {
        /// Closest observed distance, metres.
        min_distance_m: f64,
        /// Mean observed distance, metres.
        mean_distance_m: f64,
    },
    /// A vessel slow for a long time far from shore.
    Loitering {
        /// Mean speed over the period, knots.
        mean_speed_kn: f64,
        /// Mean distance from shore of the evidence positions, nautical
        /// miles (`None` without a land mask).
        mean_shore_nm: Option<f64>,
    },
    /// A long silence.
    Gap {
        /// Length, hours.
        hours: f64,
        /// Likely switched off on purpose: began far from shore in an area
        /// of good reception.
        intentional: bool,
        /// Distance from shore where the silence began, nautical miles.
        shore_nm: Option<f64>,
        /// Distance covered during the silence, nautical miles.
        distance_nm: f64,
    },
    /// Entry into a zone.
    ZoneEntry {
        /// The zone's name.
        zone: String,
    },
    /// Exit from a zone.
    ZoneExit {
        /// The zone's name.
        zone: String,
    },
    /// A vessel on a watch list.
    WatchList {
        /// Which identifier matched.
        matched_on: MatchField,
        /// The list (for example `UNSC 1718`).
        list: String,
        /// The listing's reason or reference.
        reason: String,
    },
    /// An MMSI that cannot belong to a ship station.
    InvalidMmsi {
        /// Why.
        reason: &'static str,
    },
    /// One MMSI reported in two places at once, alternately: two
    /// transmitters share it (a cloned or spoofed identity).
    IdentityClash {
        /// Distance between the two positions, metres.
        distance_m: f64,
        /// How many alternations were seen before reporting.
        alternations: u32,
    },
    /// A jump in position implying an impossible speed.
    ImpossibleSpeed {
        /// Implied speed, knots.
        implied_kn: f64,
        /// Length of the jump, metres.
        distance_m: f64,
    },
    /// A change of name, IMO number or call sign.
    IdentityChange {
        /// What changed.
        changes: Vec<Change>,
    },
}

impl Kind {
    /// A stable short name (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Encounter { .. } => "encounter",
            Kind::Loitering { .. } => "loitering",
            Kind::Gap { .. } => "gap",
            Kind::ZoneEntry { .. } => "zone_entry",
            Kind::ZoneExit { .. } => "zone_exit",
            Kind::WatchList { .. } => "watch_list",
            Kind::InvalidMmsi { .. } => "invalid_mmsi",
            Kind::IdentityClash { .. } => "identity_clash",
            Kind::ImpossibleSpeed { .. } => "impossible_speed",
            Kind::IdentityChange { .. } => "identity_change",
        }
    }
}

/// One detection: what, who, when, where, how sure, and for whom.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection {
    /// What was detected (serialised flat, with a `kind` tag).
    #[serde(flatten)]
    pub kind: Kind,
    /// The vessels involved (two for an encounter, else one).
    pub vessels: Vec<Vessel>,
    /// Start, UNIX milliseconds.
    pub start_ms: i64,
    /// End, UNIX milliseconds (equal to the start for instant events).
    pub end_ms: i64,
    /// Positions supporting it, in time order (a bounded sample).
    pub evidence: Vec<Fix>,
    /// Confidence, 0–1.
    pub confidence: f32,
    /// The function (issue area) the alert belongs to.
    pub function: Function,
    /// The default TLP label for the alert.
    pub tlp: Tlp,
}

impl Detection {
    /// Whether `mmsi` is among the vessels.
    pub fn involves(&self, mmsi: u32) -> bool {
        self.vessels.iter().any(|v| v.mmsi == mmsi)
    }
}

/// A bounded, evenly thinned sample of positions: keeps the first, every
/// `stride`-th after it, and always the latest, doubling the stride when
/// full. Memory per open event stays constant however long it lasts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Evidence {
    fixes: Vec<Fix>,
    stride: u32,
    seen: u32,
    last: Option<Fix>,
}

/// Positions kept per vessel per event.
pub(crate) const EVIDENCE_CAP: usize = 16;

impl Evidence {
    pub(crate) fn push(&mut self, f: Fix) {
        if self.stride == 0 {
            self.stride = 1;
        }
        if self.seen.is_multiple_of(self.stride) {
            if self.fixes.len() == EVIDENCE_CAP {
                let mut k = 0;
                self.fixes.retain(|_| {
                    k += 1;
                    k % 2 == 1
                });
                self.stride *= 2;
            }
            if self.seen.is_multiple_of(self.stride) {
                self.fixes.push(f);
                self.last = None;
            } else {
                self.last = Some(f);
            }
        } else {
            self.last = Some(f);
        }
        self.seen += 1;
    }

    pub(crate) fn first(&self) -> Option<&Fix> {
        self.fixes.first()
    }

    pub(crate) fn into_vec(mut self) -> Vec<Fix> {
        self.fixes.extend(self.last);
        self.fixes
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Fix> {
        self.fixes.iter().chain(self.last.iter())
    }
}
