//! End-to-end: generated scenarios through the engine (and the decoder),
//! against their ground truth; invariants by property testing.

use ais::{Header, Message, PositionReport};
use mda::generate::{Plant, Scenario, ScenarioConfig};
use mda::{Config, Detection, Engine, Reception};
use proptest::prelude::*;

fn small(seed: u64, plant: Plant) -> Scenario {
    Scenario::new(ScenarioConfig {
        seed,
        vessels: 150,
        interval_ms: 60_000,
        plant,
        ..ScenarioConfig::default()
    })
}

fn detect(sc: &Scenario) -> Vec<Detection> {
    let mut e = Engine::new(sc.engine_config());
    for (t, m) in sc.messages() {
        e.handle_message(t, &m);
    }
    e.finish();
    std::iter::from_fn(|| e.poll_detection()).collect()
}

#[track_caller]
fn check_truth(sc: &Scenario, found: &[Detection]) {
    let tol = sc.tolerance_ms();
    for p in sc.planted() {
        assert!(
            found.iter().any(|d| p.matches(d, tol)),
            "planted {p:?} not found; found {:#?}",
            found
                .iter()
                .map(|d| (d.kind.name(), &d.vessels, d.start_ms, d.end_ms))
                .collect::<Vec<_>>()
        );
    }
    // And nothing else: background traffic triggers nothing.
    for d in found {
        assert!(
            sc.planted().iter().any(|p| p.matches(d, tol)),
            "unplanted detection {d:#?}"
        );
    }
}

#[test]
fn every_planted_event_found() {
    for seed in [1, 2, 3] {
        let sc = small(seed, Plant::default());
        assert!(sc.planted().len() >= 20);
        check_truth(&sc, &detect(&sc));
    }
}

#[test]
fn every_detection_becomes_a_valid_alert_record_with_a_unique_key() {
    use model::report::{AlertKind, ReportBody};
    use model::{Audience, Distribution};
    let sc = small(7, Plant::default());
    let found = detect(&sc);
    assert!(found.len() >= 20);
    let mut keys = std::collections::HashSet::new();
    for d in &found {
        let distribution = Distribution::new(d.tlp, Audience::AllMembers).unwrap();
        let draft = d
            .to_draft(distribution)
            .unwrap_or_else(|e| panic!("{e}: {d:#?}"));
        assert_eq!(draft.content.function, d.function);
        assert_eq!(draft.content.observed_at.timestamp_millis(), d.start_ms);
        assert!(
            keys.insert(d.record_key()),
            "repeated key {}",
            d.record_key()
        );
        assert_eq!(
            draft.content.source_ref.as_deref(),
            Some(d.record_key().as_str())
        );
        let ReportBody::MdaAlert(body) = &draft.content.body else {
            panic!("not an alert: {:?}", draft.content.body.kind());
        };
        assert_eq!(body.vessels.len(), d.vessels.len());
        assert_eq!(body.evidence.len(), d.evidence.len());
        if body.detection == AlertKind::Encounter {
            assert!(body.details.min_distance_m.is_some());
        }
        // The stored form reads back through the untrusted-input parser.
        let json = serde_json::to_value(&draft.content).unwrap();
        let mut value = json.clone();
        value["distribution"] = serde_json::to_value(&draft.distribution).unwrap();
        model::record::Draft::parse(&value).unwrap_or_else(|e| panic!("{e}: {json}"));
    }
}

#[test]
fn gaps_in_busy_water_are_intentional() {
    let sc = small(4, Plant::default());
    let found = detect(&sc);
    let gaps: Vec<_> = found.iter().filter(|d| d.kind.name() == "gap").collect();
    assert_eq!(gaps.len(), 3);
    for g in gaps {
        assert!(
            matches!(
                g.kind,
                mda::Kind::Gap {
                    intentional: true,
                    ..
                }
            ),
            "{g:?}"
        );
    }
}

#[test]
fn control_set_has_no_detection() {
    for seed in [1, 2, 3] {
        let sc = small(seed, Plant::none());
        assert!(sc.planted().is_empty());
        let found = detect(&sc);
        assert!(found.is_empty(), "{found:#?}");
    }
}

#[test]
fn planted_through_nmea_and_decoder() {
    let sc = small(5, Plant::default());
    let mut text = String::new();
    for line in sc.nmea() {
        text.push_str(&line);
        text.push('\n');
    }
    let mut dec = ais::Decoder::new();
    let mut e = Engine::new(sc.engine_config());
    let mut untimed = 0;
    dec.decode_all(text.as_bytes(), 0, |ev| {
        let (meta, msg) = ev.expect("generated NMEA decodes");
        match meta.time_ms {
            Some(t) => e.handle_message(t, &msg),
            None => untimed += 1,
        }
    });
    assert_eq!(untimed, 0);
    assert_eq!(dec.stats().total_errors(), 0);
    e.finish();
    let found: Vec<_> = std::iter::from_fn(|| e.poll_detection()).collect();
    check_truth(&sc, &found);
    // The same as from the messages directly.
    assert_eq!(found, detect(&sc));
}

#[test]
fn generation_is_deterministic() {
    let a: Vec<String> = small(9, Plant::default()).nmea().take(5000).collect();
    let b: Vec<String> = small(9, Plant::default()).nmea().take(5000).collect();
    let c: Vec<String> = small(10, Plant::default()).nmea().take(5000).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a[0].starts_with("\\c:1700000000*"));
}

#[test]
fn planted_events_are_far_from_shore() {
    let land = mda::LandMask::natural_earth_110m();
    for p in small(1, Plant::default()).planted() {
        let nm = land.distance_m(p.lat, p.lon, 500.0 * mda::NM) / mda::NM;
        assert!(nm > 60.0, "{p:?} is {nm} nm from shore");
    }
}

#[test]
fn messages_in_time_order() {
    let sc = small(1, Plant::default());
    let mut last = i64::MIN;
    let mut n = 0u64;
    for (t, _) in sc.messages() {
        assert!(t >= last);
        last = t;
        n += 1;
    }
    assert!(n as f64 >= sc.expected_positions() as f64 * 0.9);
}

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

/// Random traffic over a few vessels in a small box: slow and fast, with
/// jumps and pauses, so every detector has something to chew on.
fn traffic() -> impl Strategy<Value = Vec<(i64, u32, f64, f64, f64)>> {
    prop::collection::vec(
        (
            0i64..3_600_000,
            0u32..40,
            14.0f64..14.05,
            64.0f64..64.05,
            0.0f64..20.0,
        ),
        1..400,
    )
    .prop_map(|steps| {
        let mut t = 1_700_000_000_000i64;
        steps
            .into_iter()
            .map(|(dt, m, lat, lon, sog)| {
                t += dt;
                (t, 235_000_000 + m, lat, lon, sog)
            })
            .collect()
    })
}

fn config(max_vessels: usize) -> Config {
    let mut c = Config {
        land: None,
        reception: Reception::Everywhere,
        ..Config::default()
    };
    c.tracks.max_vessels = max_vessels;
    c.tracks.idle_timeout_ms = 3 * 3_600_000;
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn memory_stays_bounded(steps in traffic(), max in 1usize..20) {
        let mut e = Engine::new(config(max));
        for (t, m, lat, lon, sog) in steps {
            e.handle_message(t, &pos(m, lat, lon, sog));
            prop_assert!(e.vessels() <= max);
            prop_assert!(e.open_pairs() <= max * max);
        }
    }

    #[test]
    fn polling_does_not_change_output(steps in traffic()) {
        let mut eager = Engine::new(config(30));
        let mut lazy = Engine::new(config(30));
        let mut a = Vec::new();
        for (t, m, lat, lon, sog) in &steps {
            let msg = pos(*m, *lat, *lon, *sog);
            eager.handle_message(*t, &msg);
            lazy.handle_message(*t, &msg);
            while let Some(d) = eager.poll_detection() { a.push(d); }
        }
        eager.finish();
        lazy.finish();
        a.extend(std::iter::from_fn(|| eager.poll_detection()));
        let b: Vec<_> = std::iter::from_fn(|| lazy.poll_detection()).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn detections_are_well_formed(steps in traffic()) {
        let mut e = Engine::new(config(30));
        for (t, m, lat, lon, sog) in &steps {
            e.handle_message(*t, &pos(*m, *lat, *lon, *sog));
        }
        e.finish();
        let first = steps[0].0;
        let last = steps.last().unwrap().0;
        while let Some(d) = e.poll_detection() {
            prop_assert!(d.start_ms <= d.end_ms);
            prop_assert!(d.start_ms >= first && d.end_ms <= last);
            prop_assert!((0.0..=1.0).contains(&d.confidence));
            prop_assert!(!d.vessels.is_empty());
            prop_assert!(d.evidence.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
            prop_assert!(d.evidence.len() <= 40);
        }
    }
}
