//! Maritime domain awareness: vessel tracks and behaviour detectors over
//! decoded AIS.
//!
//! The crate turns a stream of [`ais::Message`]s into [`Detection`]s of the
//! behaviour that matters to EASF's forums (DESIGN.md §2): encounters
//! (possible ship-to-ship transfers), loitering, AIS gaps, zone entries and
//! exits, watch-listed vessels, and impossible identities or movements
//! (invalid MMSI, one MMSI in two places, implied speeds over 50 knots,
//! changes of name or IMO number). Defaults follow Global Fishing Watch's
//! published definitions (see [`Config`]).
//!
//! It is pure: no I/O, no clock. Time comes from the messages (the
//! receiver timestamps), so a day of recorded traffic replays in seconds
//! and tests run on virtual time.
//!
//! Main types:
//! - [`Engine`]: tracks plus detectors; `handle_message(time_ms, &msg)`
//!   in, `poll_detection()` out, `finish()` at the end of the stream.
//! - [`Config`]: thresholds, [`Zones`] (GeoJSON), [`WatchList`] (CSV),
//!   [`Port`]s, a [`LandMask`] for distance-to-shore, [`Reception`], and
//!   the [`Routing`] of detections to functions and TLP labels.
//! - [`Detection`]: kind, vessels, start and end, evidence positions,
//!   confidence, `model::Function` and [`Tlp`]; `Serialize`, and
//!   [`Detection::to_draft`] makes it an `mda.alert` record draft (with a
//!   [`Detection::record_key`] so that posting twice adds nothing).
//! - [`generate::Scenario`]: deterministic synthetic traffic with planted
//!   events and their ground truth, as messages or NMEA sentences.
//!
//! Memory is bounded: idle vessels are evicted, the number of vessels and
//! open encounter pairs is capped, and evidence is a bounded sample.
//!
//! ```
//! use mda::{Config, Engine, WatchList};
//!
//! let mut config = Config::default();
//! config.watch_list = WatchList::parse_csv("mmsi,name,list\n636012345,EXAMPLE,demo\n").unwrap();
//! let mut engine = Engine::new(config);
//!
//! // In practice each message comes from `ais::Decoder`, with the time
//! // from its `Meta::time_ms` (the receiver's timestamp).
//! let msg = ais::Message::Position(ais::PositionReport {
//!     header: ais::Header { msg_type: 1, repeat: 0, mmsi: 636_012_345 },
//!     lat: 12 * 600_000, lon: 60 * 600_000, speed: 100,
//!     ..Default::default()
//! });
//! engine.handle_message(1_700_000_000_000, &msg);
//! engine.finish();
//! let d = engine.poll_detection().expect("watch-list hit");
//! assert_eq!(d.kind.name(), "watch_list");
//! assert_eq!(d.tlp, mda::Tlp::Amber);
//! ```

#![deny(missing_docs)]

mod alert;
mod config;
mod detection;
mod earth;
mod engine;
pub mod generate;
mod identity;
mod watch;
mod zones;

pub use config::{
    AnomalyConfig, Config, EncounterConfig, GapConfig, LoiteringConfig, Reception, Route, Routing,
    TrackConfig,
};
pub use detection::{Change, Detection, Fix, Kind, Tlp, Vessel};
pub use earth::{EARTH_RADIUS_M, LandMask, NM, Port, distance_m};
pub use engine::{Engine, Stats};
pub use identity::{imo_with_check_digit, is_valid_imo, mmsi_problem};
pub use watch::{MatchField, WatchEntry, WatchList, normalize_name};
pub use zones::{Zone, Zones};

/// An error in configuration input (zones, watch lists, ports, land).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
}

/// The kinds of [`Error`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad GeoJSON, or a feature that is not a polygon.
    #[error("geojson: {0}")]
    GeoJson(String),
    /// Bad CSV at a line.
    #[error("csv line {line}: {message}")]
    Csv {
        /// Line number, 1-based (the header is line 1).
        line: usize,
        /// What was wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn geojson(msg: String) -> Error {
        Error {
            kind: ErrorKind::GeoJson(msg),
        }
    }

    pub(crate) fn csv(line: usize, message: String) -> Error {
        Error {
            kind: ErrorKind::Csv { line, message },
        }
    }
}

#[cfg(test)]
mod tests;
