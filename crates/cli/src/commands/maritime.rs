//! `easf ais ...` and `easf mda ...`: decoding feeds and running the
//! detectors over them. Input is streamed line by line, so files of any
//! size run in constant memory; a progress bar shows on a terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::time::Duration;

use ais::feed::{Backoff, BackoffConfig, Endpoint};
use ais::{ErrorKind, LineDecoder, Message};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::args::{AisCommand, CsvChoice, MdaCommand, NodeArgs};
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

pub(crate) fn mda(node: &NodeArgs, cmd: MdaCommand) -> anyhow::Result<()> {
    match cmd {
        MdaCommand::Detect {
            file,
            zones,
            watchlist,
            ports,
            json: as_json,
            post,
            audience,
            who,
        } => {
            let config = load_config(zones.as_deref(), watchlist.as_deref(), ports.as_deref())?;
            let mut engine = mda::Engine::new(config);
            let mut dec = LineDecoder::default();
            let mut clock: Option<i64> = None;
            let mut untimed = 0u64;
            // Kept for the table, or for posting once the feed has been read.
            let mut detections = Vec::new();
            let mut out = BufWriter::new(io::stdout().lock());
            let mut emit = |d: mda::Detection,
                            out: &mut BufWriter<io::StdoutLock<'_>>|
             -> anyhow::Result<()> {
                if as_json {
                    serde_json::to_writer(&mut *out, &d)?;
                    out.write_all(b"\n")?;
                }
                if !as_json || post {
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
            if post {
                // A synchronous command on the runtime's `block_on` thread
                // (see `listen` below); the store is async.
                let posted = tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(super::alerts::post(
                        node,
                        &who,
                        audience.as_deref(),
                        &detections,
                    ))
                })?;
                eprintln!("{posted}");
            }
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
        MdaCommand::Listen {
            endpoint,
            zones,
            watchlist,
            ports,
            json,
            max_messages,
            duration,
            no_reconnect,
            backoff_ms,
            backoff_max_ms,
            jitter,
            errors,
        } => {
            let endpoint = Endpoint::parse(&endpoint)
                .with_context(|| format!("invalid feed address {endpoint}"))?;
            let duration = duration
                .map(|s| {
                    Duration::try_from_secs_f64(s)
                        .map_err(|_| anyhow::anyhow!("--duration must be a number of seconds >= 0"))
                })
                .transpose()?;
            anyhow::ensure!(
                (0.0..=1.0).contains(&jitter),
                "--jitter must be between 0 and 1"
            );
            let config = load_config(zones.as_deref(), watchlist.as_deref(), ports.as_deref())?;
            let options = ListenOptions {
                json,
                errors,
                max_messages,
                duration,
                reconnect: !no_reconnect,
                backoff: BackoffConfig {
                    initial_ms: backoff_ms,
                    max_ms: backoff_max_ms,
                    jitter,
                },
            };
            // `run` is a synchronous command called on the runtime's
            // `block_on` thread; the listener is async (sockets, timers and
            // Ctrl-C in one `select!`), so it runs on the same runtime.
            tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(listen(endpoint, config, options))
            })
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
                if lines.is_multiple_of(65_536) {
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

fn load_config(
    zones: Option<&Path>,
    watchlist: Option<&Path>,
    ports: Option<&Path>,
) -> anyhow::Result<mda::Config> {
    let mut config = mda::Config::default();
    if let Some(p) = zones {
        config.zones = mda::Zones::parse_geojson(&read_text(p)?)
            .with_context(|| format!("invalid zones in {}", p.display()))?;
    }
    if let Some(p) = watchlist {
        config.watch_list = mda::WatchList::parse_csv(&read_text(p)?)
            .with_context(|| format!("invalid watch list in {}", p.display()))?;
    }
    if let Some(p) = ports {
        config.ports = mda::Port::parse_csv(&read_text(p)?)
            .with_context(|| format!("invalid ports in {}", p.display()))?;
    }
    Ok(config)
}

// ---- `easf mda listen`: live ingest -------------------------------------
//
// The sockets are here, at the edge, on the tokio runtime the binary
// already has: `ais` and `mda` do no I/O (ARCHITECTURE.md), and tokio lets
// reads, back-off timers, `--duration` and Ctrl-C meet in one `select!`.
// The pure parts (endpoint syntax, back-off schedule) are `ais::feed`.

struct ListenOptions {
    json: bool,
    errors: bool,
    max_messages: Option<u64>,
    duration: Option<Duration>,
    reconnect: bool,
    backoff: BackoffConfig,
}

/// Why listening ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Stopped {
    Interrupted,
    Duration,
    MaxMessages,
    EndOfStream,
}

/// Network counters, beside the decoder's own.
#[derive(Debug, Default, Serialize)]
struct NetCounters {
    connections: u64,
    connect_failures: u64,
    disconnects: u64,
    read_errors: u64,
    datagrams: u64,
    bytes: u64,
}

/// What `mda listen` prints on exit (as JSON with `--json`).
#[derive(Debug, Serialize)]
struct ListenReport<'a> {
    endpoint: String,
    stopped: Stopped,
    #[serde(flatten)]
    net: &'a NetCounters,
    lines: u64,
    sentences: u64,
    ignored: u64,
    messages: u64,
    errors: BTreeMap<&'static str, u64>,
    detections: u64,
}

/// Decoder, engine and output of one `listen` run.
struct Listener {
    options: ListenOptions,
    decoder: ais::Decoder,
    engine: mda::Engine,
    out: BufWriter<io::Stdout>,
    started: std::time::Instant,
    feed_clock: Option<i64>,
    messages: u64,
    detections: u64,
    net: NetCounters,
}

impl Listener {
    /// Decodes `input` (any chunk of the stream), runs the engine and
    /// prints detections; returns whether `--max-messages` was reached.
    fn handle_bytes(&mut self, mut input: &[u8]) -> anyhow::Result<bool> {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let wall = wall_clock_ms();
        let mut done = false;
        while !done {
            let (used, event) = self.decoder.handle_bytes(input, now);
            input = &input[used..];
            match event {
                None => break,
                Some(Ok((meta, msg))) => {
                    let t = match meta.time_ms {
                        Some(t) => {
                            self.feed_clock = Some(t);
                            t
                        }
                        None => self.feed_clock.unwrap_or(wall),
                    };
                    self.engine.handle_message(t, &msg);
                    self.messages += 1;
                    done = self
                        .options
                        .max_messages
                        .is_some_and(|m| self.messages >= m);
                }
                Some(Err(e)) => {
                    if self.options.errors {
                        eprintln!("{} at byte {}", e.kind(), e.offset());
                    }
                }
            }
            self.drain_detections()?;
        }
        self.out.flush()?;
        Ok(done)
    }

    /// The connection ended: a partial last line is decoded (and most
    /// likely counted as an error), messages in progress are dropped.
    fn handle_disconnect(&mut self) -> anyhow::Result<()> {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        while let Some(ev) = self.decoder.handle_end(now) {
            if let Ok((meta, msg)) = ev {
                let t = meta
                    .time_ms
                    .or(self.feed_clock)
                    .unwrap_or_else(wall_clock_ms);
                self.engine.handle_message(t, &msg);
                self.messages += 1;
            }
        }
        self.drain_detections()?;
        self.out.flush()?;
        Ok(())
    }

    fn drain_detections(&mut self) -> anyhow::Result<()> {
        while let Some(d) = self.engine.poll_detection() {
            self.detections += 1;
            if self.options.json {
                serde_json::to_writer(&mut self.out, &d)?;
                self.out.write_all(b"\n")?;
            } else {
                let v = serde_json::to_value(&d)?;
                let vessels: Vec<String> = d.vessels.iter().map(|v| v.mmsi.to_string()).collect();
                let time = |ms: i64| {
                    chrono::DateTime::from_timestamp_millis(ms)
                        .map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                };
                writeln!(
                    self.out,
                    "{} {} to {} vessels {} confidence {:.2} {} {}",
                    v["kind"].as_str().unwrap_or("?"),
                    time(d.start_ms),
                    time(d.end_ms),
                    vessels.join(","),
                    d.confidence,
                    d.function.id(),
                    v["tlp"].as_str().unwrap_or("?"),
                )?;
            }
        }
        Ok(())
    }

    fn max_reached(&self) -> bool {
        self.options
            .max_messages
            .is_some_and(|m| self.messages >= m)
    }
}

fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A random value for the back-off's jitter, from std's per-process keys.
fn random_u64(salt: u64) -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(salt)
}

/// Resolves with the first of Ctrl-C and the `--duration` deadline.
async fn stop_signal(deadline: Option<tokio::time::Instant>) -> Stopped {
    let timer = async {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => std::future::pending().await,
        }
    };
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling here: only the deadline can stop us.
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => Stopped::Interrupted,
        () = timer => Stopped::Duration,
    }
}

async fn listen(
    endpoint: Endpoint,
    config: mda::Config,
    options: ListenOptions,
) -> anyhow::Result<()> {
    let deadline = options.duration.map(|d| tokio::time::Instant::now() + d);
    let mut me = Listener {
        decoder: ais::Decoder::new(),
        engine: mda::Engine::new(config),
        out: BufWriter::new(io::stdout()),
        started: std::time::Instant::now(),
        feed_clock: None,
        messages: 0,
        detections: 0,
        net: NetCounters::default(),
        options,
    };
    let stop = stop_signal(deadline);
    tokio::pin!(stop);
    let stopped = if me.options.max_messages == Some(0) {
        Stopped::MaxMessages
    } else {
        match &endpoint {
            Endpoint::Tcp(addr) => listen_tcp(addr, &mut me, &mut stop).await?,
            Endpoint::Udp(addr) => listen_udp(addr, &mut me, &mut stop).await?,
        }
    };
    if stopped != Stopped::MaxMessages {
        me.handle_disconnect()?;
    }
    me.engine.finish();
    me.drain_detections()?;
    me.out.flush()?;
    let stats = me.decoder.stats();
    let report = ListenReport {
        endpoint: endpoint.to_string(),
        stopped,
        net: &me.net,
        lines: stats.lines,
        sentences: stats.sentences,
        ignored: stats.ignored,
        messages: me.messages,
        errors: ErrorKind::ALL
            .iter()
            .filter(|k| stats.errors_of(**k) > 0)
            .map(|k| (k.name(), stats.errors_of(*k)))
            .collect(),
        detections: me.detections,
    };
    if me.options.json {
        eprintln!("{}", serde_json::to_string(&report)?);
    } else {
        let n = &me.net;
        eprintln!(
            "{endpoint}: stopped ({:?}); {} connections, {} failed, {} disconnects, {} read errors, {} datagrams, {} bytes",
            stopped,
            n.connections,
            n.connect_failures,
            n.disconnects,
            n.read_errors,
            n.datagrams,
            n.bytes
        );
        eprintln!("{}; {} detections", summary(stats), me.detections);
    }
    Ok(())
}

async fn listen_tcp<F>(
    addr: &str,
    me: &mut Listener,
    stop: &mut std::pin::Pin<&mut F>,
) -> anyhow::Result<Stopped>
where
    F: std::future::Future<Output = Stopped>,
{
    use tokio::io::AsyncReadExt;
    let mut backoff = Backoff::new(me.options.backoff);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let conn = tokio::select! {
            c = tokio::net::TcpStream::connect(addr) => c,
            s = stop.as_mut() => return Ok(s),
        };
        match conn {
            Ok(mut stream) => {
                me.net.connections += 1;
                eprintln!("connected to tcp://{addr}");
                loop {
                    let read = tokio::select! {
                        r = stream.read(&mut buf) => r,
                        s = stop.as_mut() => return Ok(s),
                    };
                    match read {
                        Ok(0) => break,
                        Ok(n) => {
                            // Data came: the feed is alive, retry fast next time.
                            backoff.reset();
                            me.net.bytes += n as u64;
                            if me.handle_bytes(&buf[..n])? {
                                return Ok(Stopped::MaxMessages);
                            }
                        }
                        Err(e) => {
                            me.net.read_errors += 1;
                            eprintln!("reading tcp://{addr}: {e}");
                            break;
                        }
                    }
                }
                me.net.disconnects += 1;
                me.handle_disconnect()?;
                if me.max_reached() {
                    return Ok(Stopped::MaxMessages);
                }
            }
            Err(e) => {
                me.net.connect_failures += 1;
                eprintln!("cannot connect to tcp://{addr}: {e}");
            }
        }
        if !me.options.reconnect {
            return Ok(Stopped::EndOfStream);
        }
        let attempt = u64::from(backoff.attempts());
        let delay = backoff.next_delay_ms(random_u64(attempt));
        eprintln!("reconnecting in {delay} ms");
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(delay)) => {}
            s = stop.as_mut() => return Ok(s),
        }
    }
}

async fn listen_udp<F>(
    addr: &str,
    me: &mut Listener,
    stop: &mut std::pin::Pin<&mut F>,
) -> anyhow::Result<Stopped>
where
    F: std::future::Future<Output = Stopped>,
{
    let socket = tokio::net::UdpSocket::bind(addr)
        .await
        .with_context(|| format!("cannot listen on udp://{addr}"))?;
    // Tests (and users of port 0) learn the port from this line.
    eprintln!("listening on udp://{}", socket.local_addr()?);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let received = tokio::select! {
            r = socket.recv_from(&mut buf) => r,
            s = stop.as_mut() => return Ok(s),
        };
        match received {
            Ok((n, _peer)) => {
                me.net.datagrams += 1;
                me.net.bytes += n as u64;
                let datagram = &buf[..n];
                // A datagram holds whole lines; the last may lack its end.
                let mut done = me.handle_bytes(datagram)?;
                if !done && !datagram.ends_with(b"\n") {
                    done = me.handle_bytes(b"\n")?;
                }
                if done {
                    return Ok(Stopped::MaxMessages);
                }
            }
            Err(e) => {
                me.net.read_errors += 1;
                eprintln!("receiving on udp://{addr}: {e}");
            }
        }
    }
}
