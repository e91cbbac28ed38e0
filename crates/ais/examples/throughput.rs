//! Decoding throughput without criterion, for profiling under `perf`:
//! the same corpus as `benches/decode.rs` (the two real samples repeated
//! 50 times), decoded `ROUNDS` times (default 20).
//!
//! `cargo run --release -p ais --example throughput -- [ROUNDS] [FILE...]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut files: Vec<String> = args.collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ais/");
        files = ["dma-stream-example.nmea", "marinetraffic-sample.nmea"]
            .iter()
            .map(|f| format!("{dir}{f}"))
            .collect();
    }
    let mut one = Vec::new();
    for f in &files {
        let mut b = std::fs::read(f).expect("sample feed");
        if b.last() != Some(&b'\n') {
            b.push(b'\n');
        }
        one.extend_from_slice(&b);
    }
    let input = one.repeat(50);
    let mut best = f64::MAX;
    let mut sentences = 0;
    let mut messages = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut dec = ais::Decoder::new();
        let mut sog = 0u64;
        dec.decode_all(&input, 0, |ev| {
            if let Ok((_, ais::Message::Position(p))) = ev {
                sog += u64::from(p.speed);
            }
        });
        std::hint::black_box(sog);
        best = best.min(t.elapsed().as_secs_f64());
        sentences = dec.stats().sentences;
        messages = dec.stats().messages();
    }
    println!(
        "{} bytes, {sentences} sentences, {messages} messages; best {:.2} ms: {:.2} M sentences/s, {:.0} MB/s",
        input.len(),
        best * 1e3,
        sentences as f64 / best / 1e6,
        input.len() as f64 / best / 1e6
    );
}
