//! Settings, with defaults from published practice.
//!
//! The encounter and loitering thresholds are Global Fishing Watch's
//! (Miller et al. 2018, "Identifying global patterns of transshipment
//! behavior", Frontiers in Marine Science 5:240, doi 10.3389/fmars.2018.00240):
//! an encounter is two vessels within 500 m for at least 2 h at median
//! speed under 2 knots, at least 10 km from an anchorage; loitering is
//! under 2 knots for at least 4 h at least 20 nautical miles from shore.
//! The AIS gap thresholds (12 h, 50 nm from shore) follow Global Fishing
//! Watch's published AIS disabling-event method (Welch et al. 2022,
//! Science Advances 8:eabq2109, doi 10.1126/sciadv.abq2109).

use std::sync::Arc;

use model::Function;

use crate::detection::Tlp;
use crate::earth::{LandMask, Port};
use crate::watch::WatchList;
use crate::zones::Zones;

const HOUR_MS: i64 = 3_600_000;

/// Everything the engine needs. `Config::default()` has the published
/// thresholds, the embedded Natural Earth land mask, no zones, no watch
/// list and no ports.
#[derive(Clone, Debug)]
pub struct Config {
    /// Track memory limits.
    pub tracks: TrackConfig,
    /// Encounter (rendezvous) detector.
    pub encounter: EncounterConfig,
    /// Loitering detector.
    pub loitering: LoiteringConfig,
    /// AIS gap detector.
    pub gap: GapConfig,
    /// Identity and movement anomalies.
    pub anomaly: AnomalyConfig,
    /// Zones whose entry and exit are reported.
    pub zones: Zones,
    /// Vessels of interest.
    pub watch_list: WatchList,
    /// Ports and anchorages (encounters near them are not reported).
    pub ports: Vec<Port>,
    /// Land for distance-to-shore; `None` treats everywhere as open sea.
    pub land: Option<Arc<LandMask>>,
    /// Where reception is good enough that silence is telling.
    pub reception: Reception,
    /// Function and TLP of each kind of detection.
    pub routing: Routing,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            tracks: TrackConfig::default(),
            encounter: EncounterConfig::default(),
            loitering: LoiteringConfig::default(),
            gap: GapConfig::default(),
            anomaly: AnomalyConfig::default(),
            zones: Zones::new(),
            watch_list: WatchList::new(),
            ports: Vec::new(),
            land: Some(LandMask::natural_earth_110m()),
            reception: Reception::default(),
            routing: Routing::default(),
        }
    }
}

/// Bounded track memory.
#[derive(Clone, Debug)]
pub struct TrackConfig {
    /// A vessel silent this long is forgotten. Gaps longer than this are
    /// not seen, so keep it above [`GapConfig::min_ms`].
    pub idle_timeout_ms: i64,
    /// Most vessels tracked at once; beyond it the least recently seen
    /// are evicted (in batches of 1/16, which keeps eviction cheap).
    pub max_vessels: usize,
    /// How often (in message time) idle vessels and finished encounters
    /// are swept.
    pub sweep_interval_ms: i64,
}

impl Default for TrackConfig {
    fn default() -> TrackConfig {
        TrackConfig {
            idle_timeout_ms: 48 * HOUR_MS,
            max_vessels: 250_000,
            sweep_interval_ms: 5 * 60_000,
        }
    }
}

/// Encounter (rendezvous) settings.
#[derive(Clone, Debug)]
pub struct EncounterConfig {
    /// Whether the detector runs.
    pub enabled: bool,
    /// Most distance between the two, metres (GFW: 500).
    pub max_distance_m: f64,
    /// Least duration, ms (GFW: 2 h).
    pub min_duration_ms: i64,
    /// Both slower than this, knots (GFW: 2).
    pub max_speed_kn: f32,
    /// Least distance from any port or anchorage, metres (GFW: 10 km).
    pub min_port_distance_m: f64,
    /// A partner's last position older than this is not compared, ms.
    pub max_fix_age_ms: i64,
    /// The pair may be out of contact this long without ending the
    /// encounter, ms.
    pub max_interruption_ms: i64,
    /// Most open pairs tracked at once (bounded memory).
    pub max_pairs: usize,
}

impl Default for EncounterConfig {
    fn default() -> EncounterConfig {
        EncounterConfig {
            enabled: true,
            max_distance_m: 500.0,
            min_duration_ms: 2 * HOUR_MS,
            max_speed_kn: 2.0,
            min_port_distance_m: 10_000.0,
            max_fix_age_ms: 15 * 60_000,
            max_interruption_ms: HOUR_MS,
            max_pairs: 100_000,
        }
    }
}

/// Loitering settings.
#[derive(Clone, Debug)]
pub struct LoiteringConfig {
    /// Whether the detector runs.
    pub enabled: bool,
    /// Slower than this, knots (GFW: 2).
    pub max_speed_kn: f32,
    /// Least duration, ms (GFW: 4 h).
    pub min_duration_ms: i64,
    /// Least mean distance from shore, nautical miles (GFW: 20).
    pub min_shore_nm: f64,
}

impl Default for LoiteringConfig {
    fn default() -> LoiteringConfig {
        LoiteringConfig {
            enabled: true,
            max_speed_kn: 2.0,
            min_duration_ms: 4 * HOUR_MS,
            min_shore_nm: 20.0,
        }
    }
}

/// AIS gap settings.
#[derive(Clone, Debug)]
pub struct GapConfig {
    /// Whether the detector runs.
    pub enabled: bool,
    /// Least silence, ms (GFW: 12 h).
    pub min_ms: i64,
    /// A gap beginning at least this far from shore (nautical miles) in an
    /// area of good reception is flagged as likely intentional (GFW: 50).
    pub intentional_min_shore_nm: f64,
}

impl Default for GapConfig {
    fn default() -> GapConfig {
        GapConfig {
            enabled: true,
            min_ms: 12 * HOUR_MS,
            intentional_min_shore_nm: 50.0,
        }
    }
}

/// Reception quality, which decides whether silence is suspicious.
#[derive(Clone, Debug)]
pub enum Reception {
    /// Assume good reception everywhere.
    Everywhere,
    /// Assume poor reception everywhere: no gap is called intentional.
    Nowhere,
    /// Learn it from the traffic itself: a cell of `cell_deg` degrees has
    /// good reception if it has received at least `min_msgs_per_hour`
    /// position messages per hour on average since the first message.
    /// This is the spirit of GFW's reception-quality model, reduced to
    /// what a single stream can know.
    FromTraffic {
        /// Cell size, degrees (1 by default).
        cell_deg: f64,
        /// Threshold, messages per hour per cell.
        min_msgs_per_hour: f64,
    },
}

impl Default for Reception {
    fn default() -> Reception {
        Reception::FromTraffic {
            cell_deg: 1.0,
            min_msgs_per_hour: 60.0,
        }
    }
}

/// Identity and movement anomaly settings.
#[derive(Clone, Debug)]
pub struct AnomalyConfig {
    /// Whether the detectors run.
    pub enabled: bool,
    /// Implied speeds above this are impossible for a ship, knots.
    pub max_speed_kn: f64,
    /// Jumps shorter than this are ignored (GNSS noise, two receivers'
    /// clocks), metres.
    pub min_jump_m: f64,
    /// A jump is judged after this many further fixes: if the track keeps
    /// alternating it is an identity clash, if it settles it is a jump.
    pub confirm_fixes: u32,
    /// Alternations needed to report a clash.
    pub min_alternations: u32,
    /// After a speed or identity-change detection, quiet for this long per
    /// vessel, ms (one flapping transponder must not flood the alerts).
    pub cooldown_ms: i64,
    /// Report MMSIs that cannot belong to a ship.
    pub check_mmsi: bool,
}

impl Default for AnomalyConfig {
    fn default() -> AnomalyConfig {
        AnomalyConfig {
            enabled: true,
            max_speed_kn: 50.0,
            min_jump_m: 2_000.0,
            confirm_fixes: 2,
            min_alternations: 2,
            cooldown_ms: 6 * HOUR_MS,
            check_mmsi: true,
        }
    }
}

/// Function and TLP for one kind of detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The function (issue area).
    pub function: Function,
    /// The default TLP label.
    pub tlp: Tlp,
}

/// Where each kind of detection goes by default. Zones and watch-list
/// entries may override the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Routing {
    /// Ship-to-ship transfers are the means of evasion the UN Security
    /// Council 1718 Committee's Panel of Experts documents most.
    pub encounter: Route,
    /// Loitering far out is typical of transshipment at sea (fishing).
    pub loitering: Route,
    /// Going dark is a sanctions-evasion technique first.
    pub gap: Route,
    /// High-risk areas are mostly piracy areas.
    pub zone: Route,
    /// Watch lists are mostly sanctions designations.
    pub watch_list: Route,
    /// Spoofed and changed identities serve evasion and trafficking.
    pub identity: Route,
}

impl Default for Routing {
    fn default() -> Routing {
        let r = |function| Route {
            function,
            tlp: Tlp::Amber,
        };
        Routing {
            encounter: r(Function::Proliferation),
            loitering: r(Function::Environment),
            gap: r(Function::Proliferation),
            zone: r(Function::Piracy),
            watch_list: r(Function::Proliferation),
            identity: r(Function::Trafficking),
        }
    }
}
