//! `easf ais ...` and `easf mda ...`: decoding feeds and running the
//! detectors over them. Input is streamed line by line, so files of any
//! size run in constant memory; a progress bar shows on a terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::Path;

use ais::{ErrorKind, LineDecoder, Message};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::args::{AisCommand, CsvChoice, MdaCommand};
use crate::output::{Table, json};

/// Reads `path` (or standard input for `-`) line by line, with a progress
/// bar over the file's size when standard error is a terminal.
fn for_each_line(
    path: &str,
    mut f: impl FnMut(u64, &[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let (reader, size): (Box<dyn Read>, Option<u64>) = if path == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {path}"))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let bar = match size {
        Some(len) if io::stderr().is_terminal() => {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }
        _ => ProgressBar::hidden(),
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::with_capacity(256);
    let (mut number, mut unreported) = (0u64, 0u64);
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {path}"))?;
        if n == 0 {
            break;
        }
        number += 1;
        unreported += n as u64;
        // Updating the bar per line would cost more than decoding.
        if unreported >= 1 << 20 {
            bar.inc(unreported);
            unreported = 0;
        }
        f(number, &line)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Feeds one line to the decoder and hands every completed message to `on_message`.
fn decode_line(
    dec: &mut LineDecoder,
    number: u64,
    line: &[u8],
    show_errors: bool,
    mut on_message: impl FnMut(&ais::Meta, &Message<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match dec.handle_line(line, 0) {
        Ok(true) => {
            while let Some(result) = dec.poll_message() {
                match result {
                    Ok((meta, msg)) => on_message(&meta, &msg)?,
                    Err(e) if show_errors => eprintln!("line {number}: {}", e.kind()),
                    Err(_) => {}
                }
            }
        }
        Ok(false) => {}
        Err(e) if show_errors => eprintln!(
            "line {number}: {} at byte {}: {}",
            e.kind(),
            e.offset(),
            String::from_utf8_lossy(line).trim_end()
        ),
        Err(_) => {}
    }
    Ok(())
}

/// What `ais stats` reports.
#[derive(Debug, Serialize)]
struct FeedStats {
    lines: u64,
    sentences: u64,
    ignored: u64,
    messages: u64,
    vessels: usize,
    first_time_ms: Option<i64>,
    last_time_ms: Option<i64>,
    by_type: BTreeMap<usize, u64>,
    errors: BTreeMap<&'static str, u64>,
}

fn feed_stats(stats: &ais::Stats) -> FeedStats {
    FeedStats {
        lines: stats.lines,
        sentences: stats.sentences,
        ignored: stats.ignored,
        messages: stats.messages(),
        vessels: 0,
        first_time_ms: None,
        last_time_ms: None,
        by_type: stats
            .by_type
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| (t, *n))
            .collect(),
        errors: ErrorKind::ALL
            .iter()
            .filter(|k| stats.errors_of(**k) > 0)
            .map(|k| (k.name(), stats.errors_of(*k)))
            .collect(),
    }
}

fn summary(stats: &ais::Stats) -> String {
    let mut s = format!(
        "{} lines, {} sentences, {} messages, {} errors",
        stats.lines,
        stats.sentences,
        stats.messages(),
        stats.total_errors()
    );
    let by_kind: Vec<String> = ErrorKind::ALL
        .iter()
        .filter(|k| stats.errors_of(**k) > 0)
        .map(|k| format!("{}: {}", k.name(), stats.errors_of(*k)))
        .collect();
    if !by_kind.is_empty() {
        s += &format!(" ({})", by_kind.join(", "));
    }
    s
}

pub(crate) fn ais(cmd: AisCommand) -> anyhow::Result<()> {
    match cmd {
        AisCommand::Decode {
            file,
            json: _,
            csv,
            errors,
        } => {
            let mut dec = LineDecoder::default();
            let mut out = BufWriter::new(io::stdout().lock());
            let table = csv.map(|c| match c {
                CsvChoice::Positions => ais::output::CsvTable::Positions,
                CsvChoice::Statics => ais::output::CsvTable::Statics,
            });
            if let Some(t) = table {
                ais::output::write_csv_header(t, &mut out)?;
            }
            for_each_line(&file, |number, line| {
                decode_line(&mut dec, number, line, errors, |meta, msg| {
                    match table {
                        Some(t) => {
                            ais::output::write_csv_row(t, meta, msg, &mut out)?;
                        }
                        None => {
                            ais::output::write_json(msg, &mut out)?;
                            out.write_all(b"\n")?;
                        }
                    }
                    Ok(())
                })
            })?;
            dec.handle_end();
            out.flush()?;
            eprintln!("{}", summary(dec.stats()));
            Ok(())
        }
        AisCommand::Stats { file, json: j } => {
            let mut dec = LineDecoder::default();
            let mut vessels = BTreeSet::new();
            let (mut first, mut last) = (None::<i64>, None::<i64>);
            for_each_line(&file, |number, line| {
                decode_line(&mut dec, number, line, false, |meta, msg| {
                    vessels.insert(msg.mmsi());
                    if let Some(t) = meta.time_ms {
                        first = Some(first.map_or(t, |f| f.min(t)));
                        last = Some(last.map_or(t, |l| l.max(t)));
                    }
                    Ok(())
                })
            })?;
            dec.handle_end();
            let mut stats = feed_stats(dec.stats());
            stats.vessels = vessels.len();
            stats.first_time_ms = first;
            stats.last_time_ms = last;
            if j.json {
                return json(&stats);
            }
            let time = |t: Option<i64>| {
                t.and_then(chrono::DateTime::from_timestamp_millis)
                    .map_or("-".to_owned(), |t| {
                        t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
                    })
            };
            println!("{}", summary(dec.stats()));
            println!(
                "{} vessels, from {} to {}",
                stats.vessels,
                time(first),
                time(last)
            );
            let mut t = Table::new(&["type", "messages"]);
            for (ty, n) in &stats.by_type {
                t.row([ty.to_string(), n.to_string()]);
            }
            t.print()
        }
    }
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub(crate) fn mda(cmd: MdaCommand) -> anyhow::Result<()> {
    match cmd {
        MdaCommand::Detect {
            file,
            zones,
            watchlist,
            ports,
            json: as_json,
        } => {
            let mut config = mda::Config::default();
            if let Some(p) = &zones {
                config.zones = mda::Zones::parse_geojson(&read_text(p)?)
                    .with_context(|| format!("invalid zones in {}", p.display()))?;
            }
            if let Some(p) = &watchlist {
                config.watch_list = mda::WatchList::parse_csv(&read_text(p)?)
                    .with_context(|| format!("invalid watch list in {}", p.display()))?;
            }
            if let Some(p) = &ports {
                config.ports = mda::Port::parse_csv(&read_text(p)?)
                    .with_context(|| format!("invalid ports in {}", p.display()))?;
            }
            let mut engine = mda::Engine::new(config);
            let mut dec = LineDecoder::default();
            let mut clock: Option<i64> = None;
            let mut untimed = 0u64;
            let mut detections = Vec::new();
            let mut out = BufWriter::new(io::stdout().lock());
            let mut emit = |d: mda::Detection,
                            out: &mut BufWriter<io::StdoutLock<'_>>|
             -> anyhow::Result<()> {
                if as_json {
                    serde_json::to_writer(&mut *out, &d)?;
                    out.write_all(b"\n")?;
                } else {
                    detections.push(d);
                }
                Ok(())
            };
            for_each_line(&file, |number, line| {
                decode_line(&mut dec, number, line, false, |meta, msg| {
                    // A message inherits the feed's last time when it carries none.
                    clock = meta.time_ms.or(clock);
                    match clock {
                        Some(t) => engine.handle_message(t, msg),
                        None => untimed += 1,
                    }
                    Ok(())
                })?;
                while let Some(d) = engine.poll_detection() {
                    emit(d, &mut out)?;
                }
                Ok(())
            })?;
            engine.finish();
            while let Some(d) = engine.poll_detection() {
                emit(d, &mut out)?;
            }
            out.flush()?;
            drop(out);
            eprintln!(
                "{}; {untimed} untimed messages skipped",
                summary(dec.stats())
            );
            if as_json {
                return Ok(());
            }
            let mut t = Table::new(&[
                "kind",
                "start (UTC)",
                "end (UTC)",
                "vessels",
                "confidence",
                "function",
                "tlp",
            ]);
            let time = |ms: i64| {
                chrono::DateTime::from_timestamp_millis(ms)
                    .map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
            };
            for d in &detections {
                let v = serde_json::to_value(d)?;
                let vessels: Vec<String> = d.vessels.iter().map(|v| v.mmsi.to_string()).collect();
                t.row([
                    v["kind"].as_str().unwrap_or("?").to_owned(),
                    time(d.start_ms),
                    time(d.end_ms),
                    vessels.join(","),
                    format!("{:.2}", d.confidence),
                    d.function.id().to_owned(),
                    v["tlp"].as_str().unwrap_or("?").to_owned(),
                ]);
            }
            t.print()?;
            crate::output::text(&format!("{} detections", detections.len()))
        }
        MdaCommand::Simulate {
            out_dir,
            seed,
            vessels,
            hours,
            control,
        } => {
            anyhow::ensure!(
                (1..=100_000).contains(&vessels),
                "--vessels must be 1-100000"
            );
            anyhow::ensure!((1..=24 * 31).contains(&hours), "--hours must be 1-744");
            let config = mda::generate::ScenarioConfig {
                seed,
                vessels,
                duration_ms: i64::from(hours) * 3_600_000,
                plant: if control {
                    mda::generate::Plant::none()
                } else {
                    mda::generate::Plant::default()
                },
                ..Default::default()
            };
            let scenario = mda::generate::Scenario::new(config);
            std::fs::create_dir_all(&out_dir)
                .with_context(|| format!("cannot create {}", out_dir.display()))?;
            let write = |name: &str, text: &str| {
                let path = out_dir.join(name);
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))
            };
            let feed = out_dir.join("feed.nmea");
            let mut out = BufWriter::new(
                File::create(&feed).with_context(|| format!("cannot write {}", feed.display()))?,
            );
            let bar = if io::stderr().is_terminal() {
                ProgressBar::new(scenario.expected_positions())
            } else {
                ProgressBar::hidden()
            };
            let mut lines = 0u64;
            for sentence in scenario.nmea() {
                out.write_all(sentence.as_bytes())?;
                out.write_all(b"\n")?;
                lines += 1;
                if lines % 65_536 == 0 {
                    bar.set_position(lines);
                }
            }
            out.flush()?;
            bar.finish_and_clear();
            write("zones.geojson", scenario.zones_geojson())?;
            write("watchlist.csv", scenario.watch_list_csv())?;
            let mut ports = String::from("name,lat,lon\n");
            for p in scenario.ports() {
                ports += &format!("{},{},{}\n", p.name.replace(',', " "), p.lat, p.lon);
            }
            write("ports.csv", &ports)?;
            write(
                "truth.json",
                &serde_json::to_string_pretty(scenario.planted())?,
            )?;
            crate::output::text(&format!(
                "wrote {lines} sentences and {} planted events to {}",
                scenario.planted().len(),
                out_dir.display()
            ))
        }
    }
}
