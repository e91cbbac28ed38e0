//! Detection over a generated busy day: by default about 50 million
//! position reports (5,800 vessels reporting every 10 s for 24 h) with the
//! default planted events, fed as decoded messages straight from the
//! generator into the engine. Prints throughput, detections by kind and
//! whether every planted event was found; exits non-zero if one was not.
//!
//! Measure time and peak memory with:
//! `cargo build --release -p mda --example bench_detect &&
//!  /usr/bin/time -v target/release/examples/bench_detect`
//!
//! Options: `--vessels N --hours H --interval-s S --seed N`, and
//! `--generate-only 1` to time the generator alone (the engine's share is
//! the difference).

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use mda::Engine;
use mda::generate::{Scenario, ScenarioConfig};

fn main() -> ExitCode {
    let mut cfg = ScenarioConfig {
        vessels: 5_800,
        interval_ms: 10_000,
        ..ScenarioConfig::default()
    };
    let mut generate_only = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let v = pair.get(1).map(String::as_str).unwrap_or("");
        let n: f64 = match v.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!(
                    "usage: bench_detect [--vessels N] [--hours H] [--interval-s S] [--seed N]"
                );
                return ExitCode::from(2);
            }
        };
        match pair[0].as_str() {
            "--vessels" => cfg.vessels = n as usize,
            "--hours" => cfg.duration_ms = (n * 3_600_000.0) as i64,
            "--interval-s" => cfg.interval_ms = (n * 1000.0) as i64,
            "--seed" => cfg.seed = n as u64,
            "--generate-only" => generate_only = n != 0.0,
            other => {
                eprintln!("unknown option {other}");
                return ExitCode::from(2);
            }
        }
    }

    let t0 = Instant::now();
    let sc = Scenario::new(cfg);
    if generate_only {
        let mut n = 0u64;
        let mut check = 0i64;
        for (t, _) in sc.messages() {
            n += 1;
            check ^= t;
        }
        let secs = t0.elapsed().as_secs_f64();
        println!("generated {n} messages in {secs:.2} s (checksum {check})");
        return ExitCode::SUCCESS;
    }
    let mut engine = Engine::new(sc.engine_config());
    let mut found = Vec::new();
    for (t, msg) in sc.messages() {
        engine.handle_message(t, &msg);
        while let Some(d) = engine.poll_detection() {
            found.push(d);
        }
    }
    engine.finish();
    found.extend(std::iter::from_fn(|| engine.poll_detection()));
    let secs = t0.elapsed().as_secs_f64();

    let stats = engine.stats().clone();
    println!(
        "messages {} positions {} statics {} in {secs:.2} s ({:.1} M positions/s, generation included)",
        stats.messages,
        stats.positions,
        stats.statics,
        stats.positions as f64 / secs / 1e6
    );
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &found {
        *by_kind.entry(d.kind.name()).or_default() += 1;
    }
    println!("detections {} {by_kind:?}", found.len());
    let tol = sc.tolerance_ms();
    let missed: Vec<_> = sc
        .planted()
        .iter()
        .filter(|p| !found.iter().any(|d| p.matches(d, tol)))
        .collect();
    let extra = found
        .iter()
        .filter(|d| !sc.planted().iter().any(|p| p.matches(d, tol)))
        .count();
    println!(
        "planted {} found {} missed {} unplanted detections {extra}",
        sc.planted().len(),
        sc.planted().len() - missed.len(),
        missed.len()
    );
    for p in &missed {
        println!("missed {p:?}");
    }
    if missed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
