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

#[test]
fn detections_posted_as_alerts_are_shared_by_audience_and_not_duplicated() {
    let sim = tempfile::tempdir().unwrap();
    let d = sim.path();
    let out = easf()
        .args(["mda", "simulate", "--out-dir", d.to_str().unwrap()])
        .args(["--vessels", "40", "--hours", "12", "--seed", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = |n: &str| d.join(n).display().to_string();
    let node = super::node();
    let detect = |extra: &[&str]| {
        let mut cmd = easf();
        cmd.arg("--data-dir").arg(node.path()).args([
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
        ]);
        cmd.args(extra).output().unwrap()
    };
    let post = ["--post", "--as", "KOR", "--audience", "forum:jpn-kor-usa"];
    let out = detect(&post);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let found = String::from_utf8(out.stdout).unwrap().lines().count();
    assert!(found >= 10, "only {found} detections");
    assert!(
        stderr.contains(&format!(
            "{found} detections, {found} alerts added, 0 already present, 0 rejected"
        )),
        "{stderr}"
    );
    let alerts = |who: &str| -> Value {
        serde_json::from_str(&super::ok(
            node.path(),
            &[
                "report",
                "list",
                "--kind",
                "mda.alert",
                "--as",
                who,
                "--limit",
                "1000",
                "--json",
            ],
        ))
        .unwrap()
    };
    let seen = alerts("JPN");
    assert_eq!(seen["total"], found);
    let first = &seen["items"][0];
    assert_eq!(first["kind"], "mda.alert");
    assert_eq!(first["originator"]["member"], "KOR");
    assert!(
        first["body"]["evidence"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    // Outside the forum: nothing, by list or by id.
    assert_eq!(alerts("THA")["total"], 0);
    let id = first["id"].as_str().unwrap();
    let (_, err) = super::fails(node.path(), &["report", "show", id, "--as", "THA"]);
    assert!(
        err.contains("not found") || err.contains("no report"),
        "{err}"
    );

    // The same feed again adds nothing.
    let out = detect(&post);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("0 alerts added, {found} already present")),
        "{stderr}"
    );
    assert_eq!(alerts("USA")["total"], found);

    // A bad audience is refused before anything is written.
    for (audience, named) in [
        ("forum:no-such-forum", "no-such-forum"),
        ("everyone", "--audience"),
    ] {
        let out = detect(&["--post", "--as", "KOR", "--audience", audience]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named), "{audience}: {err}");
    }
    assert_eq!(alerts("KOR")["total"], found);
}

// ---- `easf mda listen` against real local sockets ----------------------

/// Lines that must be counted and skipped without stopping the stream.
const GARBAGE: &[u8] = b"hello\n\
!AIVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*00\n\
\xff\xfe binary \x00 noise\n\
$GPGGA,not,ais*11\n\
!AIVDM,1,1,,B,13P;Dh\n\
\n";

/// A good position report, last in every feed: once it is decoded every
/// line before it has been, so the counters are exact.
const LAST: &[u8] = b"!AIVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*42\n";

/// Decodes `parts` as the listener does (one decoder; at each part's end,
/// a connection's, the partial line and messages in progress are dropped)
/// and returns the messages and the decoder's counts.
fn decode_parts(parts: &[&[u8]], end_each: bool) -> (u64, ais::Stats) {
    let mut dec = ais::Decoder::new();
    let mut n = 0;
    for (k, part) in parts.iter().enumerate() {
        let mut rest = *part;
        loop {
            let (used, ev) = dec.handle_bytes(rest, 0);
            rest = &rest[used..];
            match ev {
                Some(ev) => n += u64::from(ev.is_ok()),
                None => break,
            }
        }
        if end_each && k + 1 < parts.len() {
            while let Some(ev) = dec.handle_end(0) {
                n += u64::from(ev.is_ok());
            }
        }
    }
    (n, dec.stats().clone())
}

fn error_map(stats: &ais::Stats) -> Value {
    let m: serde_json::Map<String, Value> = ais::ErrorKind::ALL
        .iter()
        .filter(|k| stats.errors_of(**k) > 0)
        .map(|k| (k.name().to_owned(), Value::from(stats.errors_of(*k))))
        .collect();
    Value::Object(m)
}

/// The counters `listen --json` prints last on standard error.
fn report(stderr: &[u8]) -> Value {
    let text = String::from_utf8_lossy(stderr);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn listen_tcp_survives_garbage_and_a_dropped_connection() {
    use std::io::{Read, Write};

    let dma = std::fs::read(data("dma-stream-example.nmea")).unwrap();
    let public = std::fs::read(data("marinetraffic-sample.nmea")).unwrap();
    // First connection: garbage amid the Danish feed, cut mid-line.
    let mut first = dma[..dma.len() / 2].to_vec();
    let cut = first.iter().rposition(|&b| b == b'\n').unwrap() + 1;
    first.truncate(cut);
    first.extend_from_slice(GARBAGE);
    first.extend_from_slice(&dma[cut..cut + 2000]);
    first.extend_from_slice(b"!AIVDM,1,1,,B,13P;DhPP@M0Rr");
    // Second: more garbage, the public sample, the last good report.
    let mut second = GARBAGE.to_vec();
    second.extend_from_slice(&public);
    second.extend_from_slice(b"\n");
    second.extend_from_slice(LAST);
    let (messages, stats) = decode_parts(&[&first, &second], true);
    assert!(messages > 2000);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(&first).unwrap();
        drop(s);
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(&second).unwrap();
        // Hold the connection until the client leaves.
        let _ = s.read(&mut [0u8; 16]);
    });
    let out = easf()
        .args([
            "mda",
            "listen",
            &format!("tcp://127.0.0.1:{port}"),
            "--json",
            "--max-messages",
            &messages.to_string(),
            "--duration",
            "60",
            "--backoff-ms",
            "50",
            "--backoff-max-ms",
            "400",
            "--jitter",
            "0.5",
        ])
        .output()
        .unwrap();
    server.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(&out.stderr);
    assert_eq!(r["stopped"], "max_messages", "{r}");
    assert_eq!(r["connections"], 2, "{r}");
    assert_eq!(r["disconnects"], 1, "{r}");
    assert_eq!(r["messages"], messages, "{r}");
    assert_eq!(r["lines"], stats.lines, "{r}");
    assert_eq!(r["sentences"], stats.sentences, "{r}");
    assert_eq!(r["errors"], error_map(&stats), "{r}");
    for kind in ["not_ais", "checksum", "missing_checksum"] {
        assert!(r["errors"][kind].as_u64() >= Some(2), "{kind}: {r}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reconnecting in "), "{stderr}");
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let d: Value = serde_json::from_str(line).unwrap();
        assert!(d["kind"].is_string(), "{d}");
    }
}

#[test]
fn listen_tcp_without_reconnect_stops_at_the_end_of_the_stream() {
    use std::io::Write;

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.write_all(GARBAGE).unwrap();
        s.write_all(LAST).unwrap();
    });
    let out = easf()
        .args([
            "mda",
            "listen",
            &format!("tcp://127.0.0.1:{port}"),
            "--no-reconnect",
            "--duration",
            "60",
        ])
        .output()
        .unwrap();
    server.join().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stopped (EndOfStream); 1 connections"),
        "{stderr}"
    );
    assert!(stderr.contains("1 messages"), "{stderr}");
    // Nothing listens on a port just freed: without reconnecting, one try.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = easf()
        .args([
            "mda",
            "listen",
            &format!("tcp://127.0.0.1:{port}"),
            "--no-reconnect",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let r = report(&out.stderr);
    assert_eq!(
        (r["connect_failures"].as_u64(), r["connections"].as_u64()),
        (Some(1), Some(0)),
        "{r}"
    );
    let out = easf()
        .args(["mda", "listen", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcp://HOST:PORT"));
}

#[test]
fn listen_udp_decodes_datagrams_and_counts_garbage() {
    use std::io::BufRead;
    use std::process::Stdio;

    let public = std::fs::read(data("marinetraffic-sample.nmea")).unwrap();
    // Datagrams of a few lines each (some without their last line end),
    // with garbage datagrams between them.
    let lines: Vec<&[u8]> = public.split_inclusive(|&b| b == b'\n').collect();
    let mut datagrams: Vec<Vec<u8>> = Vec::new();
    for (k, group) in lines.chunks(7).enumerate() {
        let mut d = group.concat();
        if k % 3 == 0 && d.ends_with(b"\n") {
            d.pop();
        }
        datagrams.push(d);
        if k % 20 == 0 {
            datagrams.push(GARBAGE.to_vec());
        }
    }
    datagrams.push(LAST.to_vec());
    let stream: Vec<u8> = datagrams
        .iter()
        .flat_map(|d| {
            let mut d = d.clone();
            if !d.ends_with(b"\n") {
                d.push(b'\n');
            }
            d
        })
        .collect();
    let (messages, stats) = decode_parts(&[&stream], false);

    let mut child = easf()
        .args([
            "mda",
            "listen",
            "udp://127.0.0.1:0",
            "--json",
            "--max-messages",
            &messages.to_string(),
            "--duration",
            "60",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on udp://")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    for (k, d) in datagrams.iter().enumerate() {
        socket.send_to(d, &addr).unwrap();
        if k % 16 == 0 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut stderr, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&rest));
    let r = report(&rest);
    assert_eq!(r["stopped"], "max_messages", "{r}");
    assert_eq!(r["datagrams"], datagrams.len(), "{r}");
    assert_eq!(r["messages"], messages, "{r}");
    assert_eq!(r["lines"], stats.lines, "{r}");
    assert_eq!(r["errors"], error_map(&stats), "{r}");
    assert!(r["errors"]["not_ais"].as_u64() >= Some(2), "{r}");
}
