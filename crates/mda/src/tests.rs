//! Unit tests: each detector on hand-made tracks.

use ais::{AisStr, Header, Message, PositionReport, StaticVoyage};

use crate::detection::{EVIDENCE_CAP, Evidence};
use crate::*;

const T0: i64 = 1_700_000_000_000;
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

fn pos(mmsi: u32, lat: f64, lon: f64, sog: f64) -> Message<'static> {
    Message::Position(PositionReport {
        header: Header {
            msg_type: 1,
            repeat: 0,
            mmsi,
        },
        lat: (lat * 600_000.0).round() as i32,
        lon: (lon * 600_000.0).round() as i32,
        speed: (sog * 10.0).round() as u16,
        ..Default::default()
    })
}

fn voyage(mmsi: u32, name: &str, imo: u32, callsign: &str) -> Message<'static> {
    Message::StaticVoyage(StaticVoyage {
        header: Header {
            msg_type: 5,
            repeat: 0,
            mmsi,
        },
        imo,
        callsign: AisStr::from_text(callsign),
        shipname: AisStr::from_text(name),
        ..Default::default()
    })
}

/// Open sea, no land, no ports: only the detector under test decides.
fn open_sea() -> Config {
    Config {
        land: None,
        reception: Reception::Everywhere,
        ..Config::default()
    }
}

fn drain(e: &mut Engine) -> Vec<Detection> {
    std::iter::from_fn(|| e.poll_detection()).collect()
}

fn run(config: Config, msgs: &[(i64, Message<'static>)]) -> Vec<Detection> {
    let mut e = Engine::new(config);
    for (t, m) in msgs {
        e.handle_message(*t, m);
    }
    e.finish();
    drain(&mut e)
}

fn kinds(ds: &[Detection]) -> Vec<&'static str> {
    ds.iter().map(|d| d.kind.name()).collect()
}

const A: u32 = 235_000_001;
const B: u32 = 235_000_002;

/// Two vessels `sep_m` apart drifting at 0.5 kn, reporting each minute.
fn pair_track(minutes: i64, lat: f64, lon: f64, sep_m: f64) -> Vec<(i64, Message<'static>)> {
    let dlat = sep_m / 111_195.0;
    let mut v = Vec::new();
    for k in 0..minutes {
        let drift = k as f64 * 0.5 * 1852.0 / 60.0 / 111_195.0;
        v.push((T0 + k * MIN, pos(A, lat + drift, lon, 0.5)));
        v.push((T0 + k * MIN + 20_000, pos(B, lat + dlat + drift, lon, 0.5)));
    }
    v
}

#[test]
fn encounter_found() {
    let ds = run(open_sea(), &pair_track(180, 14.0, 64.0, 300.0));
    assert_eq!(kinds(&ds), ["encounter"]);
    let d = &ds[0];
    assert!(d.involves(A) && d.involves(B));
    assert_eq!(d.start_ms, T0 + 20_000);
    assert!(d.end_ms >= T0 + 179 * MIN);
    assert!(d.confidence > 0.5 && d.confidence <= 1.0);
    assert_eq!(d.function, model::Function::Proliferation);
    assert!(d.evidence.len() <= 4 * EVIDENCE_CAP);
    let Kind::Encounter { min_distance_m, .. } = d.kind else {
        unreachable!()
    };
    assert!((min_distance_m - 300.0).abs() < 20.0, "{min_distance_m}");
}

#[test]
fn encounter_needs_duration_distance_and_open_sea() {
    assert!(run(open_sea(), &pair_track(100, 14.0, 64.0, 300.0)).is_empty());
    assert!(run(open_sea(), &pair_track(180, 14.0, 64.0, 700.0)).is_empty());
    let mut near_port = open_sea();
    near_port.ports = vec![Port {
        name: "anchorage".into(),
        lat: 14.03,
        lon: 64.0,
    }];
    assert!(run(near_port, &pair_track(180, 14.0, 64.0, 300.0)).is_empty());
}

#[test]
fn encounter_at_high_latitude_spans_longitude_cells() {
    // At 70° N, 300 m east-west is several grid cells of longitude.
    let mut v = Vec::new();
    let dlon = 300.0 / (111_195.0 * 70f64.to_radians().cos());
    for k in 0..180 {
        v.push((T0 + k * MIN, pos(A, 70.0, 10.0, 0.3)));
        v.push((T0 + k * MIN + 1000, pos(B, 70.0, 10.0 + dlon, 0.3)));
    }
    assert_eq!(kinds(&run(open_sea(), &v)), ["encounter"]);
}

#[test]
fn loitering_far_from_shore_only() {
    let track = |lat: f64, lon: f64| -> Vec<(i64, Message<'static>)> {
        (0..300)
            .map(|k| (T0 + k * MIN, pos(A, lat, lon + k as f64 * 1e-5, 1.0)))
            .collect()
    };
    let far = Config::default(); // Natural Earth land mask.
    let ds = run(far.clone(), &track(14.0, 64.0));
    assert_eq!(kinds(&ds), ["loitering"]);
    let Kind::Loitering {
        mean_shore_nm,
        mean_speed_kn,
    } = ds[0].kind
    else {
        unreachable!()
    };
    assert!(mean_shore_nm.unwrap() > 100.0);
    assert!((mean_speed_kn - 1.0).abs() < 1e-6);
    assert_eq!(ds[0].end_ms - ds[0].start_ms, 299 * MIN);
    // Off Mumbai, a few miles out: anchored traffic, not loitering.
    assert!(run(far, &track(18.9, 72.7)).is_empty());
    // Under four hours.
    let short: Vec<_> = track(14.0, 64.0).into_iter().take(200).collect();
    assert!(run(open_sea(), &short).is_empty());
}

#[test]
fn loitering_closed_by_speeding_up() {
    let mut v: Vec<_> = (0..300)
        .map(|k| (T0 + k * MIN, pos(A, 14.0, 64.0, 0.5)))
        .collect();
    v.push((T0 + 300 * MIN, pos(A, 14.0, 64.001, 12.0)));
    let mut e = Engine::new(open_sea());
    for (t, m) in &v {
        e.handle_message(*t, m);
    }
    // Reported before the end of the stream.
    assert_eq!(kinds(&drain(&mut e)), ["loitering"]);
}

#[test]
fn gap_intentional_or_not() {
    let msgs = vec![
        (T0, pos(A, 14.0, 64.0, 10.0)),
        (T0 + 13 * HOUR, pos(A, 15.0, 64.5, 10.0)),
    ];
    let ds = run(open_sea(), &msgs);
    assert_eq!(kinds(&ds), ["gap"]);
    let Kind::Gap {
        intentional, hours, ..
    } = ds[0].kind
    else {
        unreachable!()
    };
    assert!(intentional);
    assert!((hours - 13.0).abs() < 1e-9);
    assert_eq!((ds[0].start_ms, ds[0].end_ms), (T0, T0 + 13 * HOUR));

    let poor = Config {
        reception: Reception::Nowhere,
        ..open_sea()
    };
    let ds = run(poor, &msgs);
    assert!(matches!(
        ds[0].kind,
        Kind::Gap {
            intentional: false,
            ..
        }
    ));
    // Learned reception: a lone vessel is no evidence of good coverage.
    let learned = Config {
        reception: Reception::default(),
        ..open_sea()
    };
    assert!(matches!(
        run(learned, &msgs)[0].kind,
        Kind::Gap {
            intentional: false,
            ..
        }
    ));
    // Eleven hours is no gap.
    let short = vec![msgs[0], (T0 + 11 * HOUR, pos(A, 15.0, 64.5, 10.0))];
    assert!(run(open_sea(), &short).is_empty());
}

const SQUARE: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"box","function":"trafficking","tlp":"AMBER+STRICT"},
  "geometry":{"type":"Polygon","coordinates":[[[64,14],[65,14],[65,15],[64,15],[64,14]]]}}]}"#;

#[test]
fn zone_entry_and_exit() {
    let mut cfg = open_sea();
    cfg.zones = Zones::parse_geojson(SQUARE).unwrap();
    let msgs: Vec<_> = (0..30)
        .map(|k| {
            (
                T0 + k * 10 * MIN,
                pos(A, 14.5, 63.9 + k as f64 * 0.05, 18.0),
            )
        })
        .collect();
    let ds = run(cfg, &msgs);
    assert_eq!(kinds(&ds), ["zone_entry", "zone_exit"]);
    assert!(matches!(&ds[0].kind, Kind::ZoneEntry { zone } if zone == "box"));
    assert_eq!(ds[0].function, model::Function::Trafficking);
    assert_eq!(ds[0].tlp, Tlp::AmberStrict);
    assert_eq!(ds[0].evidence.len(), 2);
    assert_eq!(ds[0].end_ms, T0 + 30 * MIN);
    assert_eq!(ds[1].end_ms, T0 + 220 * MIN); // 65° E is on the edge: outside
}

#[test]
fn zone_parse_errors() {
    let point =
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
    assert!(Zones::parse_geojson(point).is_err());
    assert!(Zones::parse_geojson("{").is_err());
    let bad_fn = SQUARE.replace("trafficking", "smuggling");
    assert!(Zones::parse_geojson(&bad_fn).is_err());
}

#[test]
fn watch_list_matches_each_identifier_once() {
    let csv = "MMSI,IMO,Name,Callsign,List,Reason,Function\n\
               235000001,,,,UNSC 1718,test,\n\
               ,IMO 9074729,,,UNSC 1718,test,\n\
               ,,\"Chon Ma-San\",,UNSC 1718,test,environment\n\
               ,,,HOGW,other,test,\n";
    let wl = WatchList::parse_csv(csv).unwrap();
    assert_eq!(wl.len(), 4);
    assert!(wl.by_imo(9_074_729).is_some());
    assert!(wl.by_name("CHON MA SAN").is_some());
    let cfg = Config {
        watch_list: wl,
        ..open_sea()
    };
    let msgs = vec![
        (T0, pos(A, 14.0, 64.0, 10.0)),
        (T0 + MIN, voyage(A, "X", 0, "")),
        (T0 + 2 * MIN, pos(A, 14.0, 64.01, 10.0)),
        (T0 + 3 * MIN, voyage(B, "CHON MA SAN", 9_074_729, "HOGW")),
        (T0 + 4 * MIN, voyage(B, "CHON MA SAN", 9_074_729, "HOGW")),
    ];
    let ds = run(cfg, &msgs);
    let on: Vec<_> = ds
        .iter()
        .map(|d| match &d.kind {
            Kind::WatchList { matched_on, .. } => (d.vessels[0].mmsi, *matched_on),
            k => panic!("{k:?}"),
        })
        .collect();
    assert_eq!(
        on,
        [
            (A, MatchField::Mmsi),
            (B, MatchField::Imo),
            (B, MatchField::Callsign),
            (B, MatchField::Name)
        ]
    );
    assert_eq!(ds[3].function, model::Function::Environment);
    assert_eq!(ds[1].vessels[0].name.as_deref(), Some("CHON MA SAN"));
}

#[test]
fn watch_list_parse_errors() {
    assert!(WatchList::parse_csv("list,reason\nx,y\n").is_err());
    assert!(WatchList::parse_csv("mmsi,list\n,x\n").is_err());
    assert!(WatchList::parse_csv("mmsi\nabc\n").is_err());
}

#[test]
fn invalid_mmsi_reported_once() {
    let msgs: Vec<_> = (0..5)
        .map(|k| {
            (
                T0 + k * MIN,
                pos(123_456_789, 14.0, 64.0 + k as f64 * 0.003, 10.0),
            )
        })
        .collect();
    let ds = run(open_sea(), &msgs);
    assert_eq!(kinds(&ds), ["invalid_mmsi"]);
}

#[test]
fn identity_clash_not_speed() {
    // Two ships 200 km apart sharing an MMSI, reporting alternately.
    let mut msgs = Vec::new();
    for k in 0..20 {
        let d = k as f64 * 0.002;
        msgs.push((T0 + k * MIN, pos(A, 12.0 + d, 62.0, 10.0)));
        msgs.push((T0 + k * MIN + 30_000, pos(A, 14.0 + d, 62.0, 10.0)));
    }
    let ds = run(open_sea(), &msgs);
    assert_eq!(kinds(&ds), ["identity_clash"]);
    assert!(ds[0].evidence.len() >= 3);
}

#[test]
fn jump_is_impossible_speed() {
    let mut msgs = Vec::new();
    for k in 0..20 {
        let lat = if k < 10 { 12.0 } else { 12.5 } + k as f64 * 0.001;
        msgs.push((T0 + k * MIN, pos(A, lat, 62.0, 10.0)));
    }
    let ds = run(open_sea(), &msgs);
    assert_eq!(kinds(&ds), ["impossible_speed"]);
    let Kind::ImpossibleSpeed { implied_kn, .. } = ds[0].kind else {
        unreachable!()
    };
    assert!(implied_kn > 1000.0);
    assert_eq!(
        (ds[0].start_ms, ds[0].end_ms),
        (T0 + 9 * MIN, T0 + 10 * MIN)
    );
    // Fast but possible (40 kn) is fine.
    let fast: Vec<_> = (0..20)
        .map(|k| {
            (
                T0 + k * MIN,
                pos(A, 12.0 + k as f64 * 40.0 / 60.0 / 60.0, 62.0, 40.0),
            )
        })
        .collect();
    assert!(run(open_sea(), &fast).is_empty());
}

#[test]
fn identity_change() {
    let msgs = vec![
        (T0, voyage(A, "OLD NAME", 9_074_729, "ABCD")),
        (T0 + MIN, voyage(A, "OLD NAME", 9_074_729, "ABCD")),
        (T0 + 2 * MIN, voyage(A, "NEW NAME", 9_176_187, "ABCD")),
        (T0 + 3 * MIN, voyage(A, "NEWER", 9_176_187, "ABCD")),
    ];
    let ds = run(open_sea(), &msgs);
    // The second change falls in the cooldown.
    assert_eq!(kinds(&ds), ["identity_change"]);
    let Kind::IdentityChange { changes } = &ds[0].kind else {
        unreachable!()
    };
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].old, "OLD NAME");
    assert_eq!(changes[1].new, "9176187");
}

#[test]
fn out_of_order_and_duplicates_ignored() {
    let mut e = Engine::new(open_sea());
    e.handle_message(T0 + MIN, &pos(A, 14.0, 64.0, 10.0));
    e.handle_message(T0 + MIN, &pos(A, 14.0, 64.0, 10.0));
    e.handle_message(T0, &pos(A, 15.0, 64.0, 10.0));
    assert_eq!(e.stats().positions, 1);
    assert_eq!(e.stats().out_of_order, 1);
    assert!(e.poll_detection().is_none());
}

#[test]
fn idle_and_full_eviction() {
    let mut cfg = open_sea();
    cfg.tracks.max_vessels = 100;
    cfg.tracks.idle_timeout_ms = HOUR;
    let mut e = Engine::new(cfg);
    for k in 0..1000u32 {
        e.handle_message(
            T0 + i64::from(k) * 1000,
            &pos(235_000_000 + k, 14.0, 64.0, 10.0),
        );
        assert!(e.vessels() <= 100);
    }
    assert!(e.stats().evicted_full >= 900);
    e.handle_message(T0 + 3 * HOUR, &pos(A, 14.0, 64.0, 10.0));
    assert_eq!(e.vessels(), 1);
    assert!(e.stats().evicted_idle > 0);
}

#[test]
fn evidence_is_bounded_and_keeps_ends() {
    let mut ev = Evidence::default();
    for k in 0..10_000 {
        ev.push(Fix {
            mmsi: 1,
            time_ms: k,
            lat: 0.0,
            lon: 0.0,
            speed_kn: None,
        });
    }
    let v = ev.into_vec();
    assert!(v.len() <= EVIDENCE_CAP + 1);
    assert_eq!(v[0].time_ms, 0);
    assert_eq!(v.last().unwrap().time_ms, 9_999);
    assert!(v.windows(2).all(|w| w[0].time_ms < w[1].time_ms));
}

#[test]
fn land_mask_distances() {
    let land = LandMask::natural_earth_110m();
    assert!(land.len() > 100);
    assert!(land.contains(20.0, 78.0)); // India
    assert!(!land.contains(14.0, 64.0)); // Arabian Sea
    assert_eq!(land.distance_m(20.0, 78.0, 1e6), 0.0);
    let open = land.distance_m(14.0, 64.0, 400.0 * NM) / NM;
    assert!(open > 150.0, "{open}");
    let off_mumbai = land.distance_m(18.9, 72.6, 400.0 * NM) / NM;
    assert!(off_mumbai < 20.0, "{off_mumbai}");
}

#[test]
fn ports_csv() {
    let ports = Port::parse_csv("name,lat,lon\nSalalah,16.94,54.0\n").unwrap();
    assert_eq!(ports[0].name, "Salalah");
    assert!(Port::parse_csv("name,lat,lon\nX,91,0\n").is_err());
    assert!(Port::parse_csv("name\nX\n").is_err());
}

#[test]
fn detection_serializes_flat() {
    let ds = run(open_sea(), &[(T0, pos(123_456_789, 14.0, 64.0, 10.0))]);
    let json = serde_json::to_value(&ds[0]).unwrap();
    assert_eq!(json["kind"], "invalid_mmsi");
    assert_eq!(json["tlp"], "AMBER");
    assert_eq!(json["function"], "trafficking");
    assert_eq!(json["vessels"][0]["mmsi"], 123_456_789);
    assert!(json["reason"].is_string());
}

#[test]
fn tlp_parse() {
    assert_eq!("TLP:AMBER+STRICT".parse::<Tlp>(), Ok(Tlp::AmberStrict));
    assert_eq!("green".parse::<Tlp>(), Ok(Tlp::Green));
    assert!("ORANGE".parse::<Tlp>().is_err());
}

#[test]
fn sample_data_parses() {
    let wl = WatchList::parse_csv(include_str!(
        "../../../data/mda/watchlist-unsc1718-sample.csv"
    ))
    .unwrap();
    assert_eq!(wl.len(), 4);
    for e in wl.entries() {
        assert!(is_valid_imo(e.imo.unwrap()), "{e:?}");
    }
    assert!(wl.by_name("Billions No 18").is_some());
    let wl =
        WatchList::parse_csv(include_str!("../../../data/mda/watchlist-synthetic.csv")).unwrap();
    assert_eq!(wl.len(), 4);
    let zones =
        Zones::parse_geojson(include_str!("../../../data/mda/zones-sample.geojson")).unwrap();
    assert_eq!(zones.len(), 3);
    let mut inside = Vec::new();
    zones.containing(12.5, 47.0, &mut inside);
    assert_eq!(inside, [0]);
}
