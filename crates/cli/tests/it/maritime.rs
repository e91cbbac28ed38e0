//! `easf ais` and `easf mda` on real and generated feeds.

use std::path::Path;

use serde_json::Value;

use crate::easf;

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/ais")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn decode_writes_gpsd_json_and_counts_errors() {
    let out = easf()
        .args([
            "ais",
            "decode",
            &data("marinetraffic-sample.nmea"),
            "--errors",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stdout.lines().count(),
        778,
        "the public sample holds 778 decodable messages"
    );
    let first: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["class"], "AIS");
    assert!(first["lat"].is_number() && first["speed"].is_number());
    assert!(stderr.contains("empty_payload: 100"), "{stderr}");
    assert!(stderr.contains("line 868: empty_payload"), "{stderr}");
}

#[test]
fn decode_csv_and_stats() {
    let out = easf()
        .args([
            "ais",
            "decode",
            &data("dma-stream-example.nmea"),
            "--csv",
            "statics",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("received_ms,mmsi,type,part,imo"), "{csv}");
    let out = easf()
        .args(["ais", "stats", &data("dma-stream-example.nmea"), "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sentences"], 4500);
    assert_eq!(v["messages"], 4051);
    assert_eq!(v["by_type"]["5"], 424);
    let out = easf()
        .args(["ais", "stats", "/no/such/file"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /no/such/file"));
}

#[test]
fn simulated_events_are_all_detected_and_the_control_set_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, control) in [("planted", false), ("control", true)] {
        let d = dir.path().join(sub);
        let mut args = vec![
            "mda",
            "simulate",
            "--out-dir",
            d.to_str().unwrap(),
            "--vessels",
            "60",
            "--hours",
            "12",
            "--seed",
            "7",
        ];
        if control {
            args.push("--control");
        }
        let out = easf().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let f = |n: &str| d.join(n).display().to_string();
        let out = easf()
            .args([
                "mda",
                "detect",
                &f("feed.nmea"),
                "--zones",
                &f("zones.geojson"),
                "--watchlist",
                &f("watchlist.csv"),
                "--ports",
                &f("ports.csv"),
                "--json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let detections: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let truth: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
        if control {
            assert!(truth.is_empty());
            assert!(detections.is_empty(), "control set: {detections:?}");
        } else {
            assert!(!truth.is_empty());
            for t in &truth {
                let mmsi = &t["mmsi"][0];
                assert!(
                    detections.iter().any(|d| d["vessels"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|v| &v["mmsi"] == mmsi)),
                    "planted {t} not detected"
                );
            }
        }
    }
    let out = easf()
        .args(["mda", "detect", "/dev/null", "--zones", "/no/zones.geojson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
