//! The engine: tracks plus detectors, fed message by message.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use ais::{AisStr, Message, StaticDataPart};

use crate::config::{Config, Reception, Route};
use crate::detection::{Change, Detection, Evidence, Fix, Kind, Vessel};
use crate::earth::{KNOT_M_PER_MS, M_PER_DEG, PortIndex, ShoreCache, distance_m};
use crate::identity::mmsi_problem;
use crate::watch::MatchField;

/// A fast, deterministic hasher for integer keys (the multiply-rotate
/// scheme of rustc's FxHash). Deterministic hashing also makes iteration
/// order, and so output order, the same on every run.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(SEED);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(SEED);
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u32(i as u32);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(SEED);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Counters of what the engine has seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Messages handed in.
    pub messages: u64,
    /// Position reports used.
    pub positions: u64,
    /// Static and voyage reports used.
    pub statics: u64,
    /// Position reports older than the vessel's last, ignored.
    pub out_of_order: u64,
    /// Positions without a valid latitude and longitude.
    pub no_position: u64,
    /// Vessels evicted for being idle.
    pub evicted_idle: u64,
    /// Vessels evicted to stay within the vessel limit.
    pub evicted_full: u64,
    /// Candidate encounter pairs dropped at the pair limit.
    pub pairs_dropped: u64,
    /// Detections emitted.
    pub detections: u64,
}

/// A slow spell, the loitering candidate.
#[derive(Debug)]
struct SlowRun {
    start: Fix,
    last: Fix,
    speed_sum: f64,
    n: u32,
    evidence: Evidence,
}

/// A position jump waiting for judgement: settled (an impossible speed)
/// or alternating (two transmitters, one MMSI).
#[derive(Debug)]
struct Jump {
    /// The last fix before the jump: the other place.
    from: Fix,
    to: Fix,
    consistent: u32,
}

const REPORTED_MMSI: u8 = 1;
const REPORTED_CLASH: u8 = 2;

/// Per-vessel state.
#[derive(Debug)]
struct Track {
    last_ms: i64,
    fix: Option<Fix>,
    name: AisStr<20>,
    callsign: AisStr<7>,
    imo: u32,
    /// Encounter grid cell while slow and eligible.
    cell: Option<(i32, i32)>,
    slow: Option<Box<SlowRun>>,
    zones: Vec<u16>,
    jump: Option<Box<Jump>>,
    alternations: u32,
    reported: u8,
    watch_reported: Vec<u32>,
    speed_quiet_until: i64,
    change_quiet_until: i64,
}

impl Track {
    fn new(now: i64) -> Track {
        Track {
            last_ms: now,
            fix: None,
            name: AisStr::default(),
            callsign: AisStr::default(),
            imo: 0,
            cell: None,
            slow: None,
            zones: Vec::new(),
            jump: None,
            alternations: 0,
            reported: 0,
            watch_reported: Vec::new(),
            speed_quiet_until: i64::MIN,
            change_quiet_until: i64::MIN,
        }
    }

    fn vessel(&self, mmsi: u32) -> Vessel {
        Vessel {
            mmsi,
            name: (!self.name.is_empty()).then(|| self.name.as_str().to_owned()),
            imo: (self.imo != 0).then_some(self.imo),
            callsign: (!self.callsign.is_empty()).then(|| self.callsign.as_str().to_owned()),
        }
    }
}

/// An open encounter candidate between two vessels (`a < b`).
#[derive(Debug)]
struct Pair {
    start_ms: i64,
    last_ms: i64,
    min_d: f64,
    sum_d: f64,
    n: u32,
    ev_a: Evidence,
    ev_b: Evidence,
}

/// Message density per cell, for [`Reception::FromTraffic`].
#[derive(Debug)]
struct ReceptionGrid {
    cell_deg: f64,
    nx: usize,
    counts: Vec<u32>,
}

impl ReceptionGrid {
    fn new(cell_deg: f64) -> ReceptionGrid {
        // Finer than 0.1° would need a dense grid of over 6.5 M cells.
        let cell_deg = cell_deg.clamp(0.1, 30.0);
        let nx = (360.0 / cell_deg).ceil() as usize;
        let ny = (180.0 / cell_deg).ceil() as usize;
        ReceptionGrid {
            cell_deg,
            nx,
            counts: vec![0; nx * ny],
        }
    }

    fn index(&self, lat: f64, lon: f64) -> usize {
        let x = (((lon + 180.0) / self.cell_deg) as usize).min(self.nx - 1);
        let y = ((lat + 90.0) / self.cell_deg) as usize;
        (y * self.nx + x).min(self.counts.len() - 1)
    }

    fn count(&mut self, lat: f64, lon: f64) {
        let i = self.index(lat, lon);
        self.counts[i] = self.counts[i].saturating_add(1);
    }
}

/// Tracks and detectors over a stream of decoded AIS messages.
///
/// Sans-I/O: call [`Engine::handle_message`] for each message in
/// (roughly) time order, with the message's time; drain
/// [`Engine::poll_detection`] whenever convenient (detections queue until
/// polled, in the order they were made); call [`Engine::finish`] at the end
/// of the stream to close events still open, then drain again. The engine
/// never reads a clock: time only moves with the messages.
///
/// ```
/// let mut engine = mda::Engine::new(mda::Config::default());
/// let msg = ais::Message::Position(ais::PositionReport {
///     header: ais::Header { msg_type: 1, repeat: 0, mmsi: 123_456_789 },
///     lat: 15 * 600_000, lon: 65 * 600_000, speed: 120,
///     ..Default::default()
/// });
/// engine.handle_message(1_700_000_000_000, &msg);
/// let d = engine.poll_detection().unwrap();
/// assert_eq!(d.kind.name(), "invalid_mmsi"); // MID 123 is no country
/// ```
#[derive(Debug)]
pub struct Engine {
    config: Config,
    tracks: IdMap<u32, Track>,
    grid: IdMap<(i32, i32), Vec<u32>>,
    grid_cell_deg: f64,
    pairs: IdMap<(u32, u32), Pair>,
    ports: PortIndex,
    shore: ShoreCache,
    reception: Option<ReceptionGrid>,
    out: VecDeque<Detection>,
    first_ms: Option<i64>,
    now_ms: i64,
    next_sweep_ms: i64,
    stats: Stats,
    scratch: Vec<u16>,
}

impl Engine {
    /// An engine with the given settings.
    pub fn new(config: Config) -> Engine {
        let ports = PortIndex::new(&config.ports);
        let shore = ShoreCache::new(config.land.clone());
        let reception = match config.reception {
            Reception::FromTraffic { cell_deg, .. } => Some(ReceptionGrid::new(cell_deg)),
            _ => None,
        };
        let grid_cell_deg = (config.encounter.max_distance_m / M_PER_DEG).max(1e-5);
        Engine {
            config,
            tracks: IdMap::default(),
            grid: IdMap::default(),
            grid_cell_deg,
            pairs: IdMap::default(),
            ports,
            shore,
            reception,
            out: VecDeque::new(),
            first_ms: None,
            now_ms: i64::MIN,
            next_sweep_ms: i64::MIN,
            stats: Stats::default(),
            scratch: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Number of vessels currently tracked.
    pub fn vessels(&self) -> usize {
        self.tracks.len()
    }

    /// Number of open encounter candidates.
    pub fn open_pairs(&self) -> usize {
        self.pairs.len()
    }

    /// The latest message time seen, UNIX milliseconds.
    pub fn now_ms(&self) -> Option<i64> {
        self.first_ms.map(|_| self.now_ms)
    }

    /// Feeds one message received at `time_ms` (UNIX milliseconds, from the
    /// receiver's timestamp). Types 1–3, 18, 19 and 27 give positions;
    /// 5, 19 and 24 give identity; other types are counted and ignored.
    pub fn handle_message(&mut self, time_ms: i64, msg: &Message<'_>) {
        self.stats.messages += 1;
        self.advance(time_ms);
        match msg {
            Message::Position(p) => self.handle_position(
                time_ms,
                p.header.mmsi,
                p.lat_deg(),
                p.lon_deg(),
                p.speed_knots(),
            ),
            Message::ClassBPosition(p) => self.handle_position(
                time_ms,
                p.header.mmsi,
                ais::lat_deg(p.lat),
                ais::lon_deg(p.lon),
                ais::speed_knots(p.speed),
            ),
            Message::ClassBExtended(p) => {
                self.handle_static(time_ms, p.header.mmsi, Some(&p.shipname), None, 0);
                self.handle_position(
                    time_ms,
                    p.header.mmsi,
                    ais::lat_deg(p.lat),
                    ais::lon_deg(p.lon),
                    ais::speed_knots(p.speed),
                );
            }
            Message::LongRange(p) => {
                // Type 27 uses 1/10 minute and whole knots (63 = unknown).
                let lat = (p.lat != 91 * 600 && p.lat.abs() <= 90 * 600)
                    .then(|| f64::from(p.lat) / 600.0);
                let lon = (p.lon != 181 * 600 && p.lon.abs() <= 180 * 600)
                    .then(|| f64::from(p.lon) / 600.0);
                let sog = (p.speed < 63).then_some(f32::from(p.speed));
                self.handle_position(time_ms, p.header.mmsi, lat, lon, sog);
            }
            Message::StaticVoyage(s) => self.handle_static(
                time_ms,
                s.header.mmsi,
                Some(&s.shipname),
                Some(&s.callsign),
                s.imo,
            ),
            Message::StaticData(s) => match &s.part {
                StaticDataPart::A { shipname } => {
                    self.handle_static(time_ms, s.header.mmsi, Some(shipname), None, 0)
                }
                StaticDataPart::B { callsign, .. } => {
                    self.handle_static(time_ms, s.header.mmsi, None, Some(callsign), 0)
                }
            },
            _ => {}
        }
    }

    /// The next detection, oldest first.
    #[must_use]
    pub fn poll_detection(&mut self) -> Option<Detection> {
        self.out.pop_front()
    }

    /// Ends the stream: closes loitering spells and encounters still open
    /// (reporting those long enough), and forgets every vessel. Poll the
    /// remaining detections afterwards.
    pub fn finish(&mut self) {
        let mut keys: Vec<(u32, u32)> = self.pairs.keys().copied().collect();
        keys.sort_unstable();
        for k in keys {
            if let Some(p) = self.pairs.remove(&k) {
                self.close_pair(k, p);
            }
        }
        let mut ids: Vec<u32> = self.tracks.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            self.evict(id);
        }
        self.grid.clear();
    }

    // ---- time ----------------------------------------------------------

    fn advance(&mut self, time_ms: i64) {
        if self.first_ms.is_none() {
            self.first_ms = Some(time_ms);
            self.next_sweep_ms = time_ms + self.config.tracks.sweep_interval_ms;
        }
        if time_ms > self.now_ms {
            self.now_ms = time_ms;
        }
        if self.now_ms >= self.next_sweep_ms {
            self.sweep();
            self.next_sweep_ms = self.now_ms + self.config.tracks.sweep_interval_ms.max(1);
        }
    }

    fn sweep(&mut self) {
        let now = self.now_ms;
        let max_int = self.config.encounter.max_interruption_ms;
        let mut done: Vec<(u32, u32)> = self
            .pairs
            .iter()
            .filter(|(_, p)| now - p.last_ms > max_int)
            .map(|(k, _)| *k)
            .collect();
        done.sort_unstable();
        for k in done {
            if let Some(p) = self.pairs.remove(&k) {
                self.close_pair(k, p);
            }
        }
        let idle = self.config.tracks.idle_timeout_ms;
        let mut gone: Vec<u32> = self
            .tracks
            .iter()
            .filter(|(_, t)| now - t.last_ms > idle)
            .map(|(k, _)| *k)
            .collect();
        gone.sort_unstable();
        self.stats.evicted_idle += gone.len() as u64;
        for id in gone {
            self.evict(id);
        }
    }

    /// Forgets a vessel, closing its slow spell.
    fn evict(&mut self, mmsi: u32) {
        let Some(mut t) = self.tracks.remove(&mmsi) else {
            return;
        };
        if let Some(cell) = t.cell.take() {
            self.grid_remove(cell, mmsi);
        }
        if let Some(run) = t.slow.take() {
            let v = t.vessel(mmsi);
            self.close_slow(v, *run);
        }
    }

    /// Makes room for one more vessel by evicting the least recently seen
    /// sixteenth: O(n) once per n/16 new vessels.
    fn make_room(&mut self) {
        let max = self.config.tracks.max_vessels.max(1);
        if self.tracks.len() < max {
            return;
        }
        let k = (max / 16).max(1).min(self.tracks.len());
        let mut ages: Vec<(i64, u32)> = self.tracks.iter().map(|(m, t)| (t.last_ms, *m)).collect();
        ages.select_nth_unstable(k - 1);
        let mut victims: Vec<(i64, u32)> = ages[..k].to_vec();
        victims.sort_unstable();
        self.stats.evicted_full += k as u64;
        for (_, m) in victims {
            self.evict(m);
        }
    }

    fn track_mut(&mut self, time_ms: i64, mmsi: u32) -> &mut Track {
        if !self.tracks.contains_key(&mmsi) {
            self.make_room();
            self.tracks.insert(mmsi, Track::new(time_ms));
            self.on_new_track(time_ms, mmsi);
        }
        // Inserted just above if it was missing.
        self.tracks.get_mut(&mmsi).expect("track present")
    }

    fn on_new_track(&mut self, time_ms: i64, mmsi: u32) {
        let problem = mmsi_problem(mmsi)
            .filter(|_| self.config.anomaly.enabled && self.config.anomaly.check_mmsi);
        if let Some(reason) = problem {
            let route = self.config.routing.identity;
            let t = self.tracks.get_mut(&mmsi).expect("new track");
            t.reported |= REPORTED_MMSI;
            let v = t.vessel(mmsi);
            self.emit(
                Kind::InvalidMmsi { reason },
                vec![v],
                time_ms,
                time_ms,
                Vec::new(),
                0.99,
                route,
            );
        }
        self.check_watch(time_ms, mmsi, MatchField::Mmsi);
    }

    // ---- input ---------------------------------------------------------

    fn handle_static(
        &mut self,
        time_ms: i64,
        mmsi: u32,
        name: Option<&AisStr<20>>,
        callsign: Option<&AisStr<7>>,
        imo: u32,
    ) {
        self.stats.statics += 1;
        let cooldown = self.config.anomaly.cooldown_ms;
        let anomalies = self.config.anomaly.enabled;
        let t = self.track_mut(time_ms, mmsi);
        t.last_ms = t.last_ms.max(time_ms);
        let mut changes = Vec::new();
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            if !t.name.is_empty() && t.name != *n {
                changes.push(Change {
                    field: "name",
                    old: t.name.as_str().to_owned(),
                    new: n.as_str().to_owned(),
                });
            }
            t.name = *n;
        }
        if let Some(c) = callsign.filter(|c| !c.is_empty()) {
            t.callsign = *c;
        }
        if imo != 0 {
            if t.imo != 0 && t.imo != imo {
                changes.push(Change {
                    field: "imo",
                    old: t.imo.to_string(),
                    new: imo.to_string(),
                });
            }
            t.imo = imo;
        }
        if anomalies && !changes.is_empty() && time_ms >= t.change_quiet_until {
            t.change_quiet_until = time_ms + cooldown;
            let v = t.vessel(mmsi);
            let ev: Vec<Fix> = t.fix.into_iter().collect();
            let conf = if changes.iter().any(|c| c.field == "imo") {
                0.9
            } else {
                0.75
            };
            let route = self.config.routing.identity;
            self.emit(
                Kind::IdentityChange { changes },
                vec![v],
                time_ms,
                time_ms,
                ev,
                conf,
                route,
            );
        }
        if imo != 0 {
            self.check_watch(time_ms, mmsi, MatchField::Imo);
        }
        if callsign.is_some_and(|c| !c.is_empty()) {
            self.check_watch(time_ms, mmsi, MatchField::Callsign);
        }
        if name.is_some_and(|n| !n.is_empty()) {
            self.check_watch(time_ms, mmsi, MatchField::Name);
        }
    }

    fn check_watch(&mut self, time_ms: i64, mmsi: u32, field: MatchField) {
        let wl = &self.config.watch_list;
        if wl.is_empty() {
            return;
        }
        let Some(t) = self.tracks.get_mut(&mmsi) else {
            return;
        };
        let hit = match field {
            MatchField::Mmsi => wl.index_of_mmsi(mmsi),
            MatchField::Imo => wl.index_of_imo(t.imo),
            MatchField::Name => wl.index_of_name(t.name.as_str()),
            MatchField::Callsign => wl.index_of_callsign(t.callsign.as_str()),
        };
        let Some(k) = hit else {
            return;
        };
        // One report per vessel and entry: later matches add nothing new.
        if t.watch_reported.contains(&(k as u32)) {
            return;
        }
        t.watch_reported.push(k as u32);
        let entry = &wl.entries()[k];
        let v = t.vessel(mmsi);
        let ev: Vec<Fix> = t.fix.into_iter().collect();
        let mut route = self.config.routing.watch_list;
        if let Some(f) = entry.function {
            route.function = f;
        }
        let conf = match field {
            MatchField::Imo => 0.95,
            MatchField::Mmsi => 0.9,
            MatchField::Callsign => 0.7,
            MatchField::Name => 0.5,
        };
        let kind = Kind::WatchList {
            matched_on: field,
            list: entry.list.clone(),
            reason: entry.reason.clone(),
        };
        self.emit(kind, vec![v], time_ms, time_ms, ev, conf, route);
    }

    fn handle_position(
        &mut self,
        time_ms: i64,
        mmsi: u32,
        lat: Option<f64>,
        lon: Option<f64>,
        sog: Option<f32>,
    ) {
        let (Some(lat), Some(lon)) = (lat, lon) else {
            self.stats.no_position += 1;
            return;
        };
        if lat == 0.0 && lon == 0.0 {
            // "Null island": an unset GNSS, not a position.
            self.stats.no_position += 1;
            return;
        }
        let fix = Fix {
            mmsi,
            time_ms,
            lat,
            lon,
            speed_kn: sog,
        };
        let cfg_anom_enabled = self.config.anomaly.enabled;
        let t = self.track_mut(time_ms, mmsi);
        let prev = t.fix;
        if let Some(p) = prev {
            if time_ms < p.time_ms {
                self.stats.out_of_order += 1;
                return;
            }
            if time_ms == p.time_ms && p.lat == lat && p.lon == lon {
                // The same report heard by two receivers.
                return;
            }
        }
        t.last_ms = t.last_ms.max(time_ms);
        t.fix = Some(fix);
        // Most fixes are of ships under way with nothing open: knowing that
        // here saves the slow-path detectors a lookup each.
        let (in_slow_run, in_grid) = (t.slow.is_some(), t.cell.is_some());
        self.stats.positions += 1;
        if let Some(r) = &mut self.reception {
            r.count(lat, lon);
        }

        let mut speed = sog.map(f64::from);
        if let Some(p) = prev {
            let dt = time_ms - p.time_ms;
            let d = distance_m(p.lat, p.lon, lat, lon);
            if dt >= self.config.gap.min_ms {
                self.on_gap(mmsi, p, fix, d);
            } else if cfg_anom_enabled {
                let jumped = self.on_movement(mmsi, p, fix, d, dt);
                // A jump says nothing about how fast the ship moves.
                if !jumped && speed.is_none() && dt > 0 {
                    speed = Some(d / dt as f64 / KNOT_M_PER_MS);
                }
            } else if speed.is_none() && dt > 0 {
                speed = Some(d / dt as f64 / KNOT_M_PER_MS);
            }
        }

        if !self.config.zones.is_empty() {
            self.on_zones(mmsi, prev, fix);
        }
        if let Some(s) = speed {
            let slow_for = |kn: f32| s < f64::from(kn);
            if self.config.loitering.enabled
                && (in_slow_run || slow_for(self.config.loitering.max_speed_kn))
            {
                self.on_loitering(mmsi, fix, s);
            }
            if self.config.encounter.enabled
                && (in_grid || slow_for(self.config.encounter.max_speed_kn))
            {
                self.on_encounter(mmsi, fix, s);
            }
        }
    }

    // ---- detectors -----------------------------------------------------

    fn on_gap(&mut self, mmsi: u32, before: Fix, after: Fix, d: f64) {
        // The silence ends any slow spell: loitering is what was seen.
        if let Some(t) = self.tracks.get_mut(&mmsi) {
            t.jump = None;
            if let Some(run) = t.slow.take() {
                let v = t.vessel(mmsi);
                self.close_slow(v, *run);
            }
        }
        if !self.config.gap.enabled {
            return;
        }
        let shore_nm = self.shore.shore_nm(before.lat, before.lon);
        let far = shore_nm.is_none_or(|s| s >= self.config.gap.intentional_min_shore_nm);
        let good = match &self.config.reception {
            Reception::Everywhere => true,
            Reception::Nowhere => false,
            Reception::FromTraffic {
                min_msgs_per_hour, ..
            } => {
                let hours = ((self.now_ms - self.first_ms.unwrap_or(self.now_ms)) as f64
                    / 3_600_000.0)
                    .max(1.0);
                self.reception.as_ref().is_some_and(|r| {
                    f64::from(r.counts[r.index(before.lat, before.lon)]) / hours
                        >= *min_msgs_per_hour
                })
            }
        };
        let intentional = far && good;
        let hours = (after.time_ms - before.time_ms) as f64 / 3_600_000.0;
        let conf = if intentional {
            (0.7 + 0.2 * ((hours - 12.0) / 12.0).clamp(0.0, 1.0)) as f32
        } else {
            0.3
        };
        let v = self.tracks[&mmsi].vessel(mmsi);
        let route = self.config.routing.gap;
        self.emit(
            Kind::Gap {
                hours,
                intentional,
                shore_nm,
                distance_nm: d / crate::earth::NM,
            },
            vec![v],
            before.time_ms,
            after.time_ms,
            vec![before, after],
            conf,
            route,
        );
    }

    /// Judges jumps; returns whether this fix is one.
    fn on_movement(&mut self, mmsi: u32, prev: Fix, fix: Fix, d: f64, dt: i64) -> bool {
        let a = &self.config.anomaly;
        let (max_kn, min_jump, confirm, min_alt, cooldown) = (
            a.max_speed_kn,
            a.min_jump_m,
            a.confirm_fixes,
            a.min_alternations,
            a.cooldown_ms,
        );
        let implied = |d: f64, dt: i64| {
            if dt <= 0 {
                f64::INFINITY
            } else {
                d / dt as f64 / KNOT_M_PER_MS
            }
        };
        let is_jump = d > min_jump && implied(d, dt) > max_kn;
        let t = self.tracks.get_mut(&mmsi).expect("track present");
        let mut emit: Option<(Kind, Vec<Fix>, i64, i64, f32)> = None;
        match t.jump.take() {
            Some(mut j) => {
                if is_jump {
                    let back = distance_m(j.from.lat, j.from.lon, fix.lat, fix.lon);
                    let reachable =
                        back <= min_jump || implied(back, fix.time_ms - j.from.time_ms) <= max_kn;
                    if reachable {
                        t.alternations += 1;
                        if t.alternations >= min_alt && t.reported & REPORTED_CLASH == 0 {
                            t.reported |= REPORTED_CLASH;
                            emit = Some((
                                Kind::IdentityClash {
                                    distance_m: d,
                                    alternations: t.alternations,
                                },
                                vec![j.from, j.to, prev, fix],
                                j.from.time_ms,
                                fix.time_ms,
                                (0.6 + 0.1 * t.alternations as f32).min(0.95),
                            ));
                        }
                    } else if t.alternations == 0 && fix.time_ms >= t.speed_quiet_until {
                        // Two unrelated jumps in a row: report the first.
                        t.speed_quiet_until = fix.time_ms + cooldown;
                        let dj = distance_m(j.from.lat, j.from.lon, j.to.lat, j.to.lon);
                        emit = Some(speed_kind(
                            &j,
                            dj,
                            implied(dj, j.to.time_ms - j.from.time_ms),
                        ));
                    }
                    t.jump = Some(Box::new(Jump {
                        from: prev,
                        to: fix,
                        consistent: 0,
                    }));
                } else {
                    j.consistent += 1;
                    if j.consistent >= confirm {
                        if t.alternations == 0 && fix.time_ms >= t.speed_quiet_until {
                            t.speed_quiet_until = fix.time_ms + cooldown;
                            let dj = distance_m(j.from.lat, j.from.lon, j.to.lat, j.to.lon);
                            emit = Some(speed_kind(
                                &j,
                                dj,
                                implied(dj, j.to.time_ms - j.from.time_ms),
                            ));
                        }
                        // Settled: one transmitter again.
                        t.alternations = 0;
                    } else {
                        t.jump = Some(j);
                    }
                }
            }
            None => {
                if is_jump {
                    t.jump = Some(Box::new(Jump {
                        from: prev,
                        to: fix,
                        consistent: 0,
                    }));
                }
            }
        }
        if let Some((kind, ev, start, end, conf)) = emit {
            let v = t.vessel(mmsi);
            let route = self.config.routing.identity;
            self.emit(kind, vec![v], start, end, ev, conf, route);
        }
        is_jump
    }

    fn on_zones(&mut self, mmsi: u32, prev: Option<Fix>, fix: Fix) {
        let mut now_in = std::mem::take(&mut self.scratch);
        self.config.zones.containing(fix.lat, fix.lon, &mut now_in);
        let t = self.tracks.get_mut(&mmsi).expect("track present");
        if now_in.is_empty() && t.zones.is_empty() {
            self.scratch = now_in;
            return;
        }
        let was_in = std::mem::replace(&mut t.zones, now_in.clone());
        let v = t.vessel(mmsi);
        let ev: Vec<Fix> = prev.into_iter().chain(std::iter::once(fix)).collect();
        let start = prev.map_or(fix.time_ms, |p| p.time_ms);
        for &z in now_in.iter().filter(|z| !was_in.contains(z)) {
            let zone = &self.config.zones.zones()[usize::from(z)];
            let route = zone_route(self.config.routing.zone, zone);
            let conf = if prev.is_some() { 0.9 } else { 0.6 };
            let kind = Kind::ZoneEntry {
                zone: zone.name.clone(),
            };
            self.emit(
                kind,
                vec![v.clone()],
                start,
                fix.time_ms,
                ev.clone(),
                conf,
                route,
            );
        }
        for &z in was_in.iter().filter(|z| !now_in.contains(z)) {
            let zone = &self.config.zones.zones()[usize::from(z)];
            let route = zone_route(self.config.routing.zone, zone);
            let kind = Kind::ZoneExit {
                zone: zone.name.clone(),
            };
            self.emit(
                kind,
                vec![v.clone()],
                start,
                fix.time_ms,
                ev.clone(),
                0.9,
                route,
            );
        }
        self.scratch = now_in;
    }

    fn on_loitering(&mut self, mmsi: u32, fix: Fix, speed: f64) {
        let max = f64::from(self.config.loitering.max_speed_kn);
        let t = self.tracks.get_mut(&mmsi).expect("track present");
        if speed < max {
            match &mut t.slow {
                Some(run) => {
                    run.last = fix;
                    run.speed_sum += speed;
                    run.n += 1;
                    run.evidence.push(fix);
                }
                None => {
                    let mut evidence = Evidence::default();
                    evidence.push(fix);
                    t.slow = Some(Box::new(SlowRun {
                        start: fix,
                        last: fix,
                        speed_sum: speed,
                        n: 1,
                        evidence,
                    }));
                }
            }
        } else if let Some(run) = t.slow.take() {
            let v = t.vessel(mmsi);
            self.close_slow(v, *run);
        }
    }

    fn close_slow(&mut self, vessel: Vessel, run: SlowRun) {
        let cfg = &self.config.loitering;
        let dur = run.last.time_ms - run.start.time_ms;
        if !cfg.enabled || dur < cfg.min_duration_ms {
            return;
        }
        let (min_dur, min_shore) = (cfg.min_duration_ms, cfg.min_shore_nm);
        // Shore distance over the evidence sample (bounded work per spell).
        let mut sum = 0.0;
        let mut n = 0;
        let mut known = true;
        for f in run.evidence.iter() {
            match self.shore.shore_nm(f.lat, f.lon) {
                Some(s) => {
                    sum += s;
                    n += 1;
                }
                None => known = false,
            }
        }
        let mean_shore = (known && n > 0).then(|| sum / f64::from(n));
        if mean_shore.is_some_and(|s| s < min_shore) {
            return;
        }
        let extra = (dur - min_dur) as f64 / min_dur as f64;
        let conf = (0.5 + 0.4 * extra.clamp(0.0, 1.0)) as f32;
        let route = self.config.routing.loitering;
        debug_assert!(run.evidence.first().is_some());
        self.emit(
            Kind::Loitering {
                mean_speed_kn: run.speed_sum / f64::from(run.n.max(1)),
                mean_shore_nm: mean_shore,
            },
            vec![vessel],
            run.start.time_ms,
            run.last.time_ms,
            run.evidence.into_vec(),
            conf,
            route,
        );
    }

    fn cell_of(&self, lat: f64, lon: f64) -> (i32, i32) {
        (
            (lat / self.grid_cell_deg).floor() as i32,
            (lon / self.grid_cell_deg).floor() as i32,
        )
    }

    fn grid_remove(&mut self, cell: (i32, i32), mmsi: u32) {
        if let Some(v) = self.grid.get_mut(&cell) {
            if let Some(i) = v.iter().position(|&m| m == mmsi) {
                v.swap_remove(i);
            }
            if v.is_empty() {
                self.grid.remove(&cell);
            }
        }
    }

    fn on_encounter(&mut self, mmsi: u32, fix: Fix, speed: f64) {
        let cfg = &self.config.encounter;
        let eligible = speed < f64::from(cfg.max_speed_kn)
            && !self
                .ports
                .is_near(fix.lat, fix.lon, cfg.min_port_distance_m);
        let (max_d, max_age) = (cfg.max_distance_m, cfg.max_fix_age_ms);
        let new_cell = eligible.then(|| self.cell_of(fix.lat, fix.lon));
        let t = self.tracks.get_mut(&mmsi).expect("track present");
        let old_cell = t.cell;
        if old_cell != new_cell {
            t.cell = new_cell;
            if let Some(c) = old_cell {
                self.grid_remove(c, mmsi);
            }
            if let Some(c) = new_cell {
                self.grid.entry(c).or_default().push(mmsi);
            }
        }
        let Some((cy, cx)) = new_cell else {
            return;
        };
        // Cells are square in degrees, so near the poles a 500 m radius
        // spans more longitude cells.
        let cos = fix.lat.to_radians().cos().max(0.01);
        let rx = ((1.0 / cos).ceil() as i32).min(1000);
        let mut close: Vec<(u32, Fix, f64)> = Vec::new();
        for dy in -1..=1 {
            for dx in -rx..=rx {
                let Some(ids) = self.grid.get(&(cy + dy, cx + dx)) else {
                    continue;
                };
                for &other in ids {
                    if other == mmsi {
                        continue;
                    }
                    let Some(of) = self.tracks.get(&other).and_then(|t| t.fix) else {
                        continue;
                    };
                    if (fix.time_ms - of.time_ms).abs() > max_age {
                        continue;
                    }
                    let d = distance_m(fix.lat, fix.lon, of.lat, of.lon);
                    if d <= max_d {
                        close.push((other, of, d));
                    }
                }
            }
        }
        for (other, of, d) in close {
            self.update_pair(mmsi, fix, other, of, d);
        }
    }

    fn update_pair(&mut self, m: u32, fm: Fix, o: u32, fo: Fix, d: f64) {
        let (key, fa, fb) = if m < o {
            ((m, o), fm, fo)
        } else {
            ((o, m), fo, fm)
        };
        let max_int = self.config.encounter.max_interruption_ms;
        let now = fm.time_ms;
        if let Some(p) = self.pairs.get_mut(&key) {
            if now - p.last_ms <= max_int {
                p.last_ms = p.last_ms.max(now);
                p.min_d = p.min_d.min(d);
                p.sum_d += d;
                p.n += 1;
                p.ev_a.push(fa);
                p.ev_b.push(fb);
                return;
            }
            let old = self.pairs.remove(&key).expect("pair present");
            self.close_pair(key, old);
        }
        if self.pairs.len() >= self.config.encounter.max_pairs {
            self.stats.pairs_dropped += 1;
            return;
        }
        let mut ev_a = Evidence::default();
        let mut ev_b = Evidence::default();
        ev_a.push(fa);
        ev_b.push(fb);
        self.pairs.insert(
            key,
            Pair {
                start_ms: now,
                last_ms: now,
                min_d: d,
                sum_d: d,
                n: 1,
                ev_a,
                ev_b,
            },
        );
    }

    fn close_pair(&mut self, (a, b): (u32, u32), p: Pair) {
        let cfg = &self.config.encounter;
        let dur = p.last_ms - p.start_ms;
        if dur < cfg.min_duration_ms {
            return;
        }
        let mean = p.sum_d / f64::from(p.n.max(1));
        let extra = (dur - cfg.min_duration_ms) as f64 / cfg.min_duration_ms as f64;
        let conf = (0.55
            + 0.25 * extra.clamp(0.0, 1.0)
            + 0.15 * (1.0 - mean / cfg.max_distance_m).clamp(0.0, 1.0))
        .min(0.95) as f32;
        let vessel = |m: u32| {
            self.tracks.get(&m).map_or(
                Vessel {
                    mmsi: m,
                    name: None,
                    imo: None,
                    callsign: None,
                },
                |t| t.vessel(m),
            )
        };
        let vessels = vec![vessel(a), vessel(b)];
        let mut ev = p.ev_a.into_vec();
        ev.extend(p.ev_b.into_vec());
        ev.sort_by_key(|f| (f.time_ms, f.mmsi));
        let route = self.config.routing.encounter;
        self.emit(
            Kind::Encounter {
                min_distance_m: p.min_d,
                mean_distance_m: mean,
            },
            vessels,
            p.start_ms,
            p.last_ms,
            ev,
            conf,
            route,
        );
    }

    #[allow(clippy::too_many_arguments, reason = "one private constructor site")]
    fn emit(
        &mut self,
        kind: Kind,
        vessels: Vec<Vessel>,
        start_ms: i64,
        end_ms: i64,
        evidence: Vec<Fix>,
        confidence: f32,
        route: Route,
    ) {
        self.stats.detections += 1;
        self.out.push_back(Detection {
            kind,
            vessels,
            start_ms,
            end_ms,
            evidence,
            confidence: confidence.clamp(0.0, 1.0),
            function: route.function,
            tlp: route.tlp,
        });
    }
}

fn speed_kind(j: &Jump, d: f64, implied_kn: f64) -> (Kind, Vec<Fix>, i64, i64, f32) {
    (
        Kind::ImpossibleSpeed {
            implied_kn,
            distance_m: d,
        },
        vec![j.from, j.to],
        j.from.time_ms,
        j.to.time_ms,
        0.6,
    )
}

fn zone_route(default: Route, zone: &crate::zones::Zone) -> Route {
    Route {
        function: zone.function.unwrap_or(default.function),
        tlp: zone.tlp.unwrap_or(default.tlp),
    }
}
