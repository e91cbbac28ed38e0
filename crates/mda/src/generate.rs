//! Synthetic traffic with planted events, for tests and benchmarks.
//!
//! A [`Scenario`] is planned from a [`ScenarioConfig`] and a seed, fully
//! deterministically (its own SplitMix64 generator, no clock): background
//! vessels cross an open-sea area at transit speeds and report regularly,
//! which by construction triggers no detector; planted vessels act out
//! encounters, loitering, AIS gaps, zone transits, shared (cloned) MMSIs,
//! position jumps, identity changes, invalid MMSIs and watch-listed
//! identities. [`Scenario::planted`] is the ground truth.
//!
//! The traffic comes out in time order either as decoded messages
//! ([`Scenario::messages`], fast, for benchmarks) or as real NMEA 0183
//! sentences with NMEA 4.10 `c:` tag blocks ([`Scenario::nmea`], encoded
//! with `ais::encode`, for end-to-end tests through the decoder).
//!
//! ```
//! use mda::generate::{Scenario, ScenarioConfig};
//!
//! let sc = Scenario::new(ScenarioConfig { vessels: 20, interval_ms: 120_000, ..Default::default() });
//! let mut engine = mda::Engine::new(sc.engine_config());
//! for (t, msg) in sc.messages() {
//!     engine.handle_message(t, &msg);
//! }
//! engine.finish();
//! let found: Vec<_> = std::iter::from_fn(|| engine.poll_detection()).collect();
//! assert!(sc.planted().iter().all(|p| found.iter().any(|d| p.matches(d, sc.tolerance_ms()))));
//! ```

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::fmt::Write as _;

use ais::encode::{SentenceOptions, encode, to_sentences};
use ais::{
    AisStr, ClassBPosition, Dimensions, Header, Message, PositionReport, StaticDataPart,
    StaticDataReport, StaticVoyage,
};
use serde::Serialize;

use crate::config::Config;
use crate::detection::Detection;
use crate::earth::{KNOT_M_PER_MS, M_PER_DEG, Port, distance_m};
use crate::identity::imo_with_check_digit;
use crate::watch::WatchList;
use crate::zones::Zones;

const HOUR_MS: i64 = 3_600_000;

/// A latitude/longitude box, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    /// Southern edge.
    pub lat_min: f64,
    /// Northern edge.
    pub lat_max: f64,
    /// Western edge.
    pub lon_min: f64,
    /// Eastern edge.
    pub lon_max: f64,
}

/// How many of each event to plant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plant {
    /// Pairs meeting at sea for 2.5–3.5 h.
    pub encounters: usize,
    /// Vessels drifting 5–7 h.
    pub loitering: usize,
    /// Vessels silent 13–16 h mid-voyage (needs a scenario of 20 h or more).
    pub gaps: usize,
    /// Vessels crossing a zone (entry and exit).
    pub zone_transits: usize,
    /// MMSIs used by two ships at once, far apart.
    pub clashes: usize,
    /// Vessels changing name and IMO number.
    pub identity_changes: usize,
    /// Vessels whose position jumps tens of kilometres.
    pub jumps: usize,
    /// Vessels with an impossible MMSI.
    pub invalid_mmsi: usize,
    /// Vessels on the generated watch list (matched in turn by MMSI, IMO
    /// number and name).
    pub watch_listed: usize,
}

impl Plant {
    /// Nothing planted: the control set.
    pub fn none() -> Plant {
        Plant {
            encounters: 0,
            loitering: 0,
            gaps: 0,
            zone_transits: 0,
            clashes: 0,
            identity_changes: 0,
            jumps: 0,
            invalid_mmsi: 0,
            watch_listed: 0,
        }
    }
}

impl Default for Plant {
    fn default() -> Plant {
        Plant {
            encounters: 3,
            loitering: 3,
            gaps: 3,
            zone_transits: 2,
            clashes: 1,
            identity_changes: 1,
            jumps: 1,
            invalid_mmsi: 1,
            watch_listed: 3,
        }
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioConfig {
    /// Seed: the same seed gives the same traffic, byte for byte.
    pub seed: u64,
    /// Start, UNIX milliseconds (whole seconds).
    pub start_ms: i64,
    /// Length, ms.
    pub duration_ms: i64,
    /// Background vessels.
    pub vessels: usize,
    /// Mean interval between position reports, ms (each vessel gets a
    /// fixed interval within ±20 % of it, in whole seconds).
    pub interval_ms: i64,
    /// Interval between static reports (types 5 and 24), ms.
    pub static_interval_ms: i64,
    /// Share of background vessels with class B transponders.
    pub class_b_share: f64,
    /// Where the background traffic and the stationary events are. The
    /// default, in the open Arabian Sea (11–17° N, 61–67° E), is more than
    /// 150 nautical miles from land everywhere.
    pub area: Area,
    /// Events to plant.
    pub plant: Plant,
}

impl Default for ScenarioConfig {
    fn default() -> ScenarioConfig {
        ScenarioConfig {
            seed: 1,
            // 2023-11-14 22:13:20 UTC.
            start_ms: 1_700_000_000_000,
            duration_ms: 24 * HOUR_MS,
            vessels: 200,
            interval_ms: 10_000,
            static_interval_ms: 6 * 60_000,
            class_b_share: 0.2,
            area: Area {
                lat_min: 11.0,
                lat_max: 17.0,
                lon_min: 61.0,
                lon_max: 67.0,
            },
            plant: Plant::default(),
        }
    }
}

/// The kind of a planted event; [`PlantedKind::detection`] names the
/// detection kind that should find it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlantedKind {
    /// Two vessels meeting.
    Encounter,
    /// One vessel drifting.
    Loitering,
    /// Silence.
    Gap,
    /// Zone entry.
    ZoneEntry,
    /// Zone exit.
    ZoneExit,
    /// Watch-listed identity.
    WatchList,
    /// Impossible MMSI.
    InvalidMmsi,
    /// Two ships, one MMSI.
    IdentityClash,
    /// Position jump.
    ImpossibleSpeed,
    /// Name and IMO change.
    IdentityChange,
}

impl PlantedKind {
    /// The [`crate::Kind::name`] of the detection that should find it.
    pub fn detection(self) -> &'static str {
        match self {
            PlantedKind::Encounter => "encounter",
            PlantedKind::Loitering => "loitering",
            PlantedKind::Gap => "gap",
            PlantedKind::ZoneEntry => "zone_entry",
            PlantedKind::ZoneExit => "zone_exit",
            PlantedKind::WatchList => "watch_list",
            PlantedKind::InvalidMmsi => "invalid_mmsi",
            PlantedKind::IdentityClash => "identity_clash",
            PlantedKind::ImpossibleSpeed => "impossible_speed",
            PlantedKind::IdentityChange => "identity_change",
        }
    }
}

/// One planted event: the ground truth.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Planted {
    /// What.
    pub kind: PlantedKind,
    /// Who.
    pub mmsi: Vec<u32>,
    /// From, UNIX milliseconds.
    pub start_ms: i64,
    /// To, UNIX milliseconds.
    pub end_ms: i64,
    /// Where (latitude), degrees.
    pub lat: f64,
    /// Where (longitude), degrees.
    pub lon: f64,
}

impl Planted {
    /// Whether `d` reports this event: same kind, every vessel involved,
    /// and time windows overlapping within `tolerance_ms`.
    pub fn matches(&self, d: &Detection, tolerance_ms: i64) -> bool {
        d.kind.name() == self.kind.detection()
            && self.mmsi.iter().all(|&m| d.involves(m))
            && d.start_ms <= self.end_ms + tolerance_ms
            && d.end_ms >= self.start_ms - tolerance_ms
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and ours, so that a
/// seed means the same traffic whatever crate versions are in use.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[derive(Clone, Debug)]
struct Ident {
    name: String,
    callsign: String,
    imo: u32,
    shiptype: u8,
}

#[derive(Clone, Copy, Debug)]
struct Waypoint {
    t: i64,
    lat: f64,
    lon: f64,
}

#[derive(Clone, Debug)]
enum Motion {
    /// Straight at constant speed, reflected at the area's edges.
    Transit {
        lat: f64,
        lon: f64,
        course: f64,
        speed_kn: f64,
    },
    /// Piecewise linear through time-stamped waypoints.
    Path(Vec<Waypoint>),
}

#[derive(Clone, Debug)]
struct Plan {
    mmsi: u32,
    class_b: bool,
    interval_ms: i64,
    first_ms: i64,
    end_ms: i64,
    silent: Option<(i64, i64)>,
    motion: Motion,
    /// Identity from each time on (the first from the start).
    idents: Vec<(i64, Ident)>,
    jump: Option<(i64, f64, f64)>,
}

/// A planned synthetic scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    config: ScenarioConfig,
    plans: Vec<Plan>,
    planted: Vec<Planted>,
    zones_geojson: String,
    watch_csv: String,
    ports: Vec<Port>,
}

const MIDS: [u32; 24] = [
    209, 212, 215, 229, 235, 241, 244, 248, 249, 256, 311, 351, 352, 353, 354, 355, 356, 357, 370,
    371, 372, 412, 477, 538,
];
const WORDS: [&str; 16] = [
    "OCEAN", "PACIFIC", "STAR", "GLORY", "FORTUNE", "PEARL", "SPIRIT", "HARMONY", "EAGLE",
    "HORIZON", "VENTURE", "LIBERTY", "ORIENT", "NOBLE", "SUMMIT", "CORAL",
];

struct Planner {
    rng: Rng,
    cfg: ScenarioConfig,
    mmsis: HashSet<u32>,
    imos: HashSet<u32>,
    serial: u32,
}

impl Planner {
    fn mmsi(&mut self) -> u32 {
        loop {
            let mid = MIDS[self.rng.below(MIDS.len() as u64) as usize];
            let m = mid * 1_000_000 + self.rng.below(1_000_000) as u32;
            if self.mmsis.insert(m) {
                return m;
            }
        }
    }

    fn ident(&mut self, class_b: bool) -> Ident {
        self.serial += 1;
        let w1 = WORDS[self.rng.below(16) as usize];
        let w2 = WORDS[self.rng.below(16) as usize];
        let imo = if class_b {
            0
        } else {
            loop {
                let i = imo_with_check_digit(900_000 + self.rng.below(99_999) as u32);
                if self.imos.insert(i) {
                    break i;
                }
            }
        };
        Ident {
            name: format!("{w1} {w2} {}", self.serial),
            callsign: format!(
                "{}{:04}",
                (b'A' + self.rng.below(26) as u8) as char,
                self.serial % 10_000
            ),
            imo,
            shiptype: [70, 80, 30, 60][self.rng.below(4) as usize],
        }
    }

    fn interval(&mut self) -> i64 {
        let base = self.cfg.interval_ms as f64;
        ((self.rng.range(0.8, 1.2) * base / 1000.0).round() as i64).max(1) * 1000
    }

    fn transit(&mut self, class_b: bool) -> Plan {
        let a = self.cfg.area;
        let interval = self.interval();
        let mmsi = self.mmsi();
        let ident = self.ident(class_b);
        Plan {
            mmsi,
            class_b,
            interval_ms: interval,
            first_ms: self.cfg.start_ms + self.rng.below((interval / 1000) as u64) as i64 * 1000,
            end_ms: self.cfg.start_ms + self.cfg.duration_ms,
            silent: None,
            motion: Motion::Transit {
                lat: self.rng.range(a.lat_min, a.lat_max),
                lon: self.rng.range(a.lon_min, a.lon_max),
                course: self.rng.range(0.0, 360.0),
                // Never slow: background must trigger no detector.
                speed_kn: self.rng.range(8.0, 20.0),
            },
            idents: vec![(i64::MIN, ident)],
            jump: None,
        }
    }

    /// A time for an event of `len_ms` that fits in the scenario with an
    /// hour's margin each side, rounded to the second.
    fn time_for(&mut self, len_ms: i64) -> i64 {
        let lo = self.cfg.start_ms + HOUR_MS;
        let hi = (self.cfg.start_ms + self.cfg.duration_ms - HOUR_MS - len_ms).max(lo);
        (lo + self.rng.below((hi - lo) as u64 / 1000 + 1) as i64 * 1000).min(hi)
    }
}

/// The point `dist_m` from `(lat, lon)` on bearing `course_deg` (flat-Earth
/// step: exact enough for tens of kilometres).
fn offset(lat: f64, lon: f64, course_deg: f64, dist_m: f64) -> (f64, f64) {
    let c = course_deg.to_radians();
    let dlat = dist_m * c.cos() / M_PER_DEG;
    let dlon = dist_m * c.sin() / (M_PER_DEG * lat.to_radians().cos());
    (lat + dlat, lon + dlon)
}

impl Scenario {
    /// Plans a scenario.
    pub fn new(config: ScenarioConfig) -> Scenario {
        let mut p = Planner {
            rng: Rng(config.seed ^ 0x4D44_4147_454E_0001),
            cfg: config.clone(),
            mmsis: HashSet::new(),
            imos: HashSet::new(),
            serial: 0,
        };
        let a = config.area;
        let start = config.start_ms;
        let end = start + config.duration_ms;
        let mut plans = Vec::new();
        let mut planted = Vec::new();
        for _ in 0..config.vessels {
            let b = p.rng.unit() < config.class_b_share;
            plans.push(p.transit(b));
        }

        // Stationary events get their own 1° slot, so that no two meet by
        // accident; background traffic passes through but never slows.
        let mut slots: Vec<(f64, f64)> = Vec::new();
        let mut lat = a.lat_min.floor();
        while lat + 1.0 <= a.lat_max {
            let mut lon = a.lon_min.floor();
            while lon + 1.0 <= a.lon_max {
                if lat >= a.lat_min && lon >= a.lon_min {
                    slots.push((lat, lon));
                }
                lon += 1.0;
            }
            lat += 1.0;
        }
        for i in (1..slots.len()).rev() {
            let j = p.rng.below(i as u64 + 1) as usize;
            slots.swap(i, j);
        }
        let mut slots = slots.into_iter();
        let mut slot_point = |p: &mut Planner| {
            slots
                .next()
                .map(|(la, lo)| (la + p.rng.range(0.25, 0.75), lo + p.rng.range(0.25, 0.75)))
        };
        let approach_m = 30_000.0;
        let approach_ms = (approach_m / (12.0 * KNOT_M_PER_MS)) as i64 / 1000 * 1000;

        for _ in 0..config.plant.encounters {
            let Some((mlat, mlon)) = slot_point(&mut p) else {
                break;
            };
            let drift_ms = (p.rng.range(2.5, 3.5) * HOUR_MS as f64) as i64 / 1000 * 1000;
            let t1 = p.time_for(drift_ms + 2 * approach_ms) + approach_ms;
            let t2 = t1 + drift_ms;
            // Both drift together with the current, about 0.4 kn.
            let drift_course = p.rng.range(0.0, 360.0);
            let drift_m = 0.4 * KNOT_M_PER_MS * drift_ms as f64;
            let side = p.rng.range(0.0, 180.0);
            let mut mmsis = Vec::new();
            for k in 0..2 {
                let bearing = side + 180.0 * f64::from(k);
                let (alat, alon) = offset(mlat, mlon, bearing, 150.0);
                let (blat, blon) = offset(alat, alon, drift_course, drift_m);
                let (slat, slon) = offset(alat, alon, bearing + 20.0, approach_m);
                let (elat, elon) = offset(blat, blon, bearing - 20.0, approach_m);
                let mut plan = p.transit(false);
                plan.first_ms = t1 - approach_ms;
                plan.end_ms = t2 + approach_ms;
                plan.motion = Motion::Path(vec![
                    Waypoint {
                        t: t1 - approach_ms,
                        lat: slat,
                        lon: slon,
                    },
                    Waypoint {
                        t: t1,
                        lat: alat,
                        lon: alon,
                    },
                    Waypoint {
                        t: t2,
                        lat: blat,
                        lon: blon,
                    },
                    Waypoint {
                        t: t2 + approach_ms,
                        lat: elat,
                        lon: elon,
                    },
                ]);
                mmsis.push(plan.mmsi);
                plans.push(plan);
            }
            planted.push(Planted {
                kind: PlantedKind::Encounter,
                mmsi: mmsis,
                start_ms: t1,
                end_ms: t2,
                lat: mlat,
                lon: mlon,
            });
        }

        for _ in 0..config.plant.loitering {
            let Some((llat, llon)) = slot_point(&mut p) else {
                break;
            };
            let drift_ms = (p.rng.range(5.0, 7.0) * HOUR_MS as f64) as i64 / 1000 * 1000;
            let t1 = p.time_for(drift_ms + 2 * approach_ms) + approach_ms;
            let t2 = t1 + drift_ms;
            let mut way = vec![Waypoint {
                t: t1,
                lat: llat,
                lon: llon,
            }];
            // A slow random walk: legs of 30 min at 0.3–1.2 kn.
            let (mut t, mut la, mut lo) = (t1, llat, llon);
            while t < t2 {
                let leg = (30 * 60_000).min(t2 - t);
                let (nla, nlo) = offset(
                    la,
                    lo,
                    p.rng.range(0.0, 360.0),
                    p.rng.range(0.3, 1.2) * KNOT_M_PER_MS * leg as f64,
                );
                t += leg;
                (la, lo) = (nla, nlo);
                way.push(Waypoint {
                    t,
                    lat: la,
                    lon: lo,
                });
            }
            let c = p.rng.range(0.0, 360.0);
            let (slat, slon) = offset(llat, llon, c, approach_m);
            let (elat, elon) = offset(la, lo, c + 120.0, approach_m);
            way.insert(
                0,
                Waypoint {
                    t: t1 - approach_ms,
                    lat: slat,
                    lon: slon,
                },
            );
            way.push(Waypoint {
                t: t2 + approach_ms,
                lat: elat,
                lon: elon,
            });
            let mut plan = p.transit(false);
            plan.first_ms = t1 - approach_ms;
            plan.end_ms = t2 + approach_ms;
            plan.motion = Motion::Path(way);
            planted.push(Planted {
                kind: PlantedKind::Loitering,
                mmsi: vec![plan.mmsi],
                start_ms: t1,
                end_ms: t2,
                lat: llat,
                lon: llon,
            });
            plans.push(plan);
        }

        if config.duration_ms >= 20 * HOUR_MS {
            for _ in 0..config.plant.gaps {
                let len = (p.rng.range(13.0, 16.0) * HOUR_MS as f64) as i64 / 1000 * 1000;
                let s = p.time_for(len);
                let mut plan = p.transit(false);
                plan.silent = Some((s, s + len));
                let (lat, lon) = transit_at(&plan, &a, s);
                planted.push(Planted {
                    kind: PlantedKind::Gap,
                    mmsi: vec![plan.mmsi],
                    start_ms: s,
                    end_ms: s + len,
                    lat,
                    lon,
                });
                plans.push(plan);
            }
        }

        // Zones lie east of the area, where only the transiting vessels go.
        let mut zones = String::from(r#"{"type":"FeatureCollection","features":["#);
        let zone_step = (a.lat_max - a.lat_min) / (config.plant.zone_transits.max(1) as f64);
        for k in 0..config.plant.zone_transits {
            let zlat = a.lat_min + zone_step * (k as f64 + 0.5);
            let (w, e) = (a.lon_max + 0.6, a.lon_max + 1.2);
            let (s, n) = (zlat - 0.2, zlat + 0.2);
            if k > 0 {
                zones.push(',');
            }
            let _ = write!(
                zones,
                r#"{{"type":"Feature","properties":{{"name":"test zone {k}","function":"piracy"}},"geometry":{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}}}"#
            );
            let speed = 12.0 * KNOT_M_PER_MS;
            let (x0, x1) = (a.lon_max + 0.2, a.lon_max + 1.6);
            let full = distance_m(zlat, x0, zlat, x1);
            let len = (full / speed) as i64 / 1000 * 1000;
            let t0 = p.time_for(len);
            let at = |lon: f64| t0 + (distance_m(zlat, x0, zlat, lon) / speed) as i64;
            let (tin, tout) = (at(w), at(e));
            let mut plan = p.transit(false);
            plan.first_ms = t0;
            plan.end_ms = t0 + len;
            plan.motion = Motion::Path(vec![
                Waypoint {
                    t: t0,
                    lat: zlat,
                    lon: x0,
                },
                Waypoint {
                    t: tin,
                    lat: zlat,
                    lon: w,
                },
                Waypoint {
                    t: tout,
                    lat: zlat,
                    lon: e,
                },
                Waypoint {
                    t: t0 + len,
                    lat: zlat,
                    lon: x1,
                },
            ]);
            for (kind, t, lon) in [
                (PlantedKind::ZoneEntry, tin, w),
                (PlantedKind::ZoneExit, tout, e),
            ] {
                planted.push(Planted {
                    kind,
                    mmsi: vec![plan.mmsi],
                    start_ms: t,
                    end_ms: t,
                    lat: zlat,
                    lon,
                });
            }
            plans.push(plan);
        }
        zones.push_str("]}");

        for _ in 0..config.plant.clashes {
            // The same identity on two ships in opposite halves of the area,
            // reporting alternately.
            let mut one = p.transit(false);
            let mut two = p.transit(false);
            two.mmsi = one.mmsi;
            two.idents = one.idents.clone();
            two.interval_ms = one.interval_ms;
            two.first_ms = one.first_ms + one.interval_ms / 2 / 1000 * 1000;
            let mid = (a.lat_min + a.lat_max) / 2.0;
            if let (Motion::Transit { lat: l1, .. }, Motion::Transit { lat: l2, .. }) =
                (&mut one.motion, &mut two.motion)
            {
                *l1 = p.rng.range(a.lat_min, mid - 1.0);
                *l2 = p.rng.range(mid + 1.0, a.lat_max);
            }
            let (lat, lon) = transit_at(&one, &a, one.first_ms);
            planted.push(Planted {
                kind: PlantedKind::IdentityClash,
                mmsi: vec![one.mmsi],
                start_ms: one.first_ms,
                end_ms: end,
                lat,
                lon,
            });
            plans.push(one);
            plans.push(two);
        }

        for _ in 0..config.plant.jumps {
            let mut plan = p.transit(false);
            let t = p.time_for(HOUR_MS);
            plan.jump = Some((t, 0.5, 0.5));
            let (lat, lon) = transit_at(&plan, &a, t);
            planted.push(Planted {
                kind: PlantedKind::ImpossibleSpeed,
                mmsi: vec![plan.mmsi],
                start_ms: t,
                end_ms: t,
                lat,
                lon,
            });
            plans.push(plan);
        }

        for _ in 0..config.plant.identity_changes {
            let mut plan = p.transit(false);
            let t = p.time_for(HOUR_MS);
            let new = p.ident(false);
            plan.idents.push((t, new));
            let (lat, lon) = transit_at(&plan, &a, t);
            planted.push(Planted {
                kind: PlantedKind::IdentityChange,
                mmsi: vec![plan.mmsi],
                start_ms: t,
                end_ms: t,
                lat,
                lon,
            });
            plans.push(plan);
        }

        for k in 0..config.plant.invalid_mmsi {
            let mut plan = p.transit(false);
            // MID 1xx belongs to no country (and 111 is aircraft).
            plan.mmsi = 150_000_000 + k as u32 * 1_000 + p.rng.below(1_000) as u32;
            let (lat, lon) = transit_at(&plan, &a, plan.first_ms);
            planted.push(Planted {
                kind: PlantedKind::InvalidMmsi,
                mmsi: vec![plan.mmsi],
                start_ms: plan.first_ms,
                end_ms: plan.first_ms,
                lat,
                lon,
            });
            plans.push(plan);
        }

        let mut watch = String::from("mmsi,imo,name,callsign,list,reason\n");
        for k in 0..config.plant.watch_listed {
            let plan = p.transit(false);
            let id = &plan.idents[0].1;
            match k % 3 {
                0 => {
                    let _ = writeln!(watch, "{},,,,synthetic,test entry {k} (mmsi)", plan.mmsi);
                }
                1 => {
                    let _ = writeln!(watch, ",{},,,synthetic,test entry {k} (imo)", id.imo);
                }
                _ => {
                    // Mixed case and punctuation, as lists print names.
                    let name = id.name.to_lowercase().replace(' ', "-");
                    let _ = writeln!(watch, ",,{name},,synthetic,test entry {k} (name)");
                }
            }
            let (lat, lon) = transit_at(&plan, &a, plan.first_ms);
            planted.push(Planted {
                kind: PlantedKind::WatchList,
                mmsi: vec![plan.mmsi],
                start_ms: plan.first_ms,
                end_ms: end,
                lat,
                lon,
            });
            plans.push(plan);
        }
        // Decoy entries that match nobody.
        let _ = writeln!(
            watch,
            "999999999,1234567,NOBODY AT ALL,ZZZZ9,synthetic,decoy"
        );

        // Ports well away from the area, so none excuses an encounter.
        let ports = vec![
            Port {
                name: "Salalah".into(),
                lat: 16.94,
                lon: 54.0,
            },
            Port {
                name: "Karachi".into(),
                lat: 24.8,
                lon: 66.98,
            },
            Port {
                name: "Mumbai".into(),
                lat: 18.95,
                lon: 72.84,
            },
        ];

        planted.sort_by_key(|e| (e.start_ms, e.mmsi.clone()));
        Scenario {
            config,
            plans,
            planted,
            zones_geojson: zones,
            watch_csv: watch,
            ports,
        }
    }

    /// The settings it was planned from.
    pub fn config(&self) -> &ScenarioConfig {
        &self.config
    }

    /// The ground truth, by start time.
    pub fn planted(&self) -> &[Planted] {
        &self.planted
    }

    /// The zones, as GeoJSON.
    pub fn zones_geojson(&self) -> &str {
        &self.zones_geojson
    }

    /// The watch list, as CSV (marked `synthetic`).
    pub fn watch_list_csv(&self) -> &str {
        &self.watch_csv
    }

    /// The ports.
    pub fn ports(&self) -> &[Port] {
        &self.ports
    }

    /// How far apart in time a detection and its planted event may be:
    /// two report intervals plus one static interval (identities arrive
    /// with static reports).
    pub fn tolerance_ms(&self) -> i64 {
        3 * self.config.interval_ms + self.config.static_interval_ms
    }

    /// [`Config::default`] with this scenario's zones, watch list and ports.
    pub fn engine_config(&self) -> Config {
        Config {
            // Generated text is well formed by construction.
            zones: Zones::parse_geojson(&self.zones_geojson).expect("generated zones parse"),
            watch_list: WatchList::parse_csv(&self.watch_csv).expect("generated list parses"),
            ports: self.ports.clone(),
            ..Config::default()
        }
    }

    /// Number of position reports the scenario will emit (approximately:
    /// silent periods are not subtracted).
    pub fn expected_positions(&self) -> u64 {
        self.plans
            .iter()
            .map(|p| ((p.end_ms - p.first_ms) / p.interval_ms + 1).max(0) as u64)
            .sum()
    }

    /// The traffic as decoded messages with their times, in time order.
    pub fn messages(&self) -> Messages<'_> {
        let mut heap = BinaryHeap::with_capacity(self.plans.len());
        let mut state = Vec::with_capacity(self.plans.len());
        for (i, p) in self.plans.iter().enumerate() {
            heap.push(Reverse((p.first_ms, i as u32)));
            let (lat, lon, course) = match &p.motion {
                Motion::Transit {
                    lat, lon, course, ..
                } => (*lat, *lon, *course),
                Motion::Path(w) => (w[0].lat, w[0].lon, 0.0),
            };
            state.push(State {
                lat,
                lon,
                course,
                t: p.first_ms,
                next_static: p.first_ms,
            });
        }
        Messages {
            sc: self,
            heap,
            state,
            pending: VecDeque::new(),
        }
    }

    /// The traffic as NMEA lines (`\c:SECONDS*hh\!AIVDM,...`), in time
    /// order, without line ends.
    pub fn nmea(&self) -> impl Iterator<Item = String> + '_ {
        let mut seq = 0u8;
        self.messages().flat_map(move |(t, msg)| {
            let tag = format!("c:{}", t / 1000);
            let cs = ais::encode::checksum(tag.as_bytes());
            seq = (seq + 1) % 10;
            let opts = SentenceOptions {
                channel: if seq.is_multiple_of(2) { 'A' } else { 'B' },
                seq_id: seq,
                ..SentenceOptions::default()
            };
            to_sentences(&encode(&msg), &opts)
                .into_iter()
                .map(move |s| format!("\\{tag}*{cs:02X}\\{s}"))
        })
    }
}

/// Where a transit plan is at `t` (without its jump), for ground truth.
fn transit_at(plan: &Plan, area: &Area, t: i64) -> (f64, f64) {
    let mut s = State {
        lat: 0.0,
        lon: 0.0,
        course: 0.0,
        t: plan.first_ms,
        next_static: 0,
    };
    if let Motion::Transit {
        lat, lon, course, ..
    } = plan.motion
    {
        (s.lat, s.lon, s.course) = (lat, lon, course);
    }
    let (lat, lon, _) = position(plan, &mut s, area, t);
    (lat, lon)
}

#[derive(Clone, Copy, Debug)]
struct State {
    lat: f64,
    lon: f64,
    course: f64,
    t: i64,
    next_static: i64,
}

/// Moves the vessel to `t`; returns latitude, longitude and speed (knots).
fn position(plan: &Plan, s: &mut State, area: &Area, t: i64) -> (f64, f64, f64) {
    match &plan.motion {
        Motion::Transit { speed_kn, .. } => {
            let dist = speed_kn * KNOT_M_PER_MS * (t - s.t) as f64;
            (s.lat, s.lon) = offset(s.lat, s.lon, s.course, dist);
            s.t = t;
            // Reflect off the area's edges like a billiard ball: the track
            // stays continuous, so no jump is implied.
            if s.lat < area.lat_min || s.lat > area.lat_max {
                let b = if s.lat < area.lat_min {
                    area.lat_min
                } else {
                    area.lat_max
                };
                s.lat = 2.0 * b - s.lat;
                s.course = (540.0 - s.course) % 360.0;
            }
            if s.lon < area.lon_min || s.lon > area.lon_max {
                let b = if s.lon < area.lon_min {
                    area.lon_min
                } else {
                    area.lon_max
                };
                s.lon = 2.0 * b - s.lon;
                s.course = (360.0 - s.course) % 360.0;
            }
            (s.lat, s.lon, *speed_kn)
        }
        Motion::Path(w) => {
            let k = w.partition_point(|p| p.t <= t).clamp(1, w.len() - 1);
            let (a, b) = (w[k - 1], w[k]);
            let span = (b.t - a.t).max(1) as f64;
            let f = ((t - a.t) as f64 / span).clamp(0.0, 1.0);
            let lat = a.lat + (b.lat - a.lat) * f;
            let lon = a.lon + (b.lon - a.lon) * f;
            let kn = distance_m(a.lat, a.lon, b.lat, b.lon) / span / KNOT_M_PER_MS;
            (lat, lon, kn)
        }
    }
}

/// Iterator over a scenario's messages; see [`Scenario::messages`].
#[derive(Debug)]
pub struct Messages<'a> {
    sc: &'a Scenario,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    state: Vec<State>,
    pending: VecDeque<(i64, Message<'static>)>,
}

impl Iterator for Messages<'_> {
    type Item = (i64, Message<'static>);

    fn next(&mut self) -> Option<(i64, Message<'static>)> {
        loop {
            if let Some(m) = self.pending.pop_front() {
                return Some(m);
            }
            let Reverse((t, i)) = self.heap.pop()?;
            let plan = &self.sc.plans[i as usize];
            if t + plan.interval_ms <= plan.end_ms {
                self.heap.push(Reverse((t + plan.interval_ms, i)));
            }
            let s = &mut self.state[i as usize];
            let (mut lat, mut lon, kn) = position(plan, s, &self.sc.config.area, t);
            if plan.silent.is_some_and(|(a, b)| t >= a && t < b) {
                continue;
            }
            if let Some((tj, dlat, dlon)) = plan.jump.filter(|j| t >= j.0) {
                debug_assert!(t >= tj);
                lat += dlat;
                lon += dlon;
            }
            let course = match plan.motion {
                Motion::Transit { .. } => s.course,
                Motion::Path(_) => 0.0,
            };
            let header = |msg_type| Header {
                msg_type,
                repeat: 0,
                mmsi: plan.mmsi,
            };
            let raw_lat = (lat * 600_000.0).round() as i32;
            let raw_lon = (lon * 600_000.0).round() as i32;
            let speed = ((kn * 10.0).round() as u16).min(1022);
            let course_raw = ((course * 10.0).round() as u16) % 3600;
            let second = ((t / 1000) % 60) as u8;
            let msg = if plan.class_b {
                Message::ClassBPosition(ClassBPosition {
                    header: header(18),
                    speed,
                    lon: raw_lon,
                    lat: raw_lat,
                    course: course_raw,
                    heading: 511,
                    second,
                    cs: true,
                    ..Default::default()
                })
            } else {
                Message::Position(PositionReport {
                    header: header(1),
                    turn: -128,
                    speed,
                    accuracy: true,
                    lon: raw_lon,
                    lat: raw_lat,
                    course: course_raw,
                    heading: (course.round() as u16) % 360,
                    second,
                    ..Default::default()
                })
            };
            if t >= s.next_static {
                let ident = &plan
                    .idents
                    .iter()
                    .rev()
                    .find(|(from, _)| *from <= t)
                    .unwrap_or(&plan.idents[0])
                    .1;
                let next_change = plan
                    .idents
                    .iter()
                    .map(|(from, _)| *from)
                    .find(|&from| from > t)
                    .unwrap_or(i64::MAX);
                s.next_static = (t + self.sc.config.static_interval_ms).min(next_change);
                self.pending.push_back((t, msg));
                push_static(&mut self.pending, t, plan, ident);
                continue;
            }
            return Some((t, msg));
        }
    }
}

fn push_static(out: &mut VecDeque<(i64, Message<'static>)>, t: i64, plan: &Plan, id: &Ident) {
    let header = |msg_type| Header {
        msg_type,
        repeat: 0,
        mmsi: plan.mmsi,
    };
    if plan.class_b {
        out.push_back((
            t,
            Message::StaticData(StaticDataReport {
                header: header(24),
                partno: 0,
                part: StaticDataPart::A {
                    shipname: AisStr::from_text(&id.name),
                },
            }),
        ));
        out.push_back((
            t,
            Message::StaticData(StaticDataReport {
                header: header(24),
                partno: 1,
                part: StaticDataPart::B {
                    shiptype: id.shiptype,
                    vendorid: AisStr::from_text("EAS"),
                    model: 1,
                    serial: 1,
                    callsign: AisStr::from_text(&id.callsign),
                    dims: Dimensions::Hull {
                        to_bow: 10,
                        to_stern: 5,
                        to_port: 2,
                        to_starboard: 2,
                    },
                    epfd: 1,
                    spare: 0,
                },
            }),
        ));
    } else {
        out.push_back((
            t,
            Message::StaticVoyage(StaticVoyage {
                header: header(5),
                imo: id.imo,
                callsign: AisStr::from_text(&id.callsign),
                shipname: AisStr::from_text(&id.name),
                shiptype: id.shiptype,
                to_bow: 150,
                to_stern: 30,
                to_port: 15,
                to_starboard: 15,
                epfd: 1,
                draught: 95,
                destination: AisStr::from_text("FOR ORDERS"),
                ..Default::default()
            }),
        ));
    }
}
