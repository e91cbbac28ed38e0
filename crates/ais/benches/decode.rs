//! Decoding throughput over a realistic mix: the real sample feeds
//! (Danish Gatehouse feed with `$PGHP` lines, and a public feed sample)
//! repeated into one large buffer. Counts are asserted so a faster but
//! wrong decoder cannot win. The comparison with the crates.io `ais` crate
//! lives in `crates/ais/compare/` (a crate of its own, because a
//! dev-dependency named `ais` would make `cargo -p ais` ambiguous).

#![allow(missing_docs)] // criterion's macros generate undocumented items.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn corpus() -> (Vec<u8>, u64) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ais/");
    let mut one = Vec::new();
    for f in ["dma-stream-example.nmea", "marinetraffic-sample.nmea"] {
        let mut b = std::fs::read(format!("{dir}{f}")).expect("sample feed");
        if b.last() != Some(&b'\n') {
            b.push(b'\n');
        }
        one.extend_from_slice(&b);
    }
    let sentences = one
        .split(|&b| b == b'\n')
        .filter(|l| l.first() == Some(&b'!'))
        .count() as u64;
    let reps = 50;
    (one.repeat(reps), sentences * reps as u64)
}

fn ours(input: &[u8]) -> (u64, u64) {
    let mut dec = ais::Decoder::new();
    let mut n = 0u64;
    let mut sog = 0u64;
    dec.decode_all(input, 0, |ev| {
        if let Ok((_, m)) = ev {
            n += 1;
            if let ais::Message::Position(p) = m {
                sog += u64::from(p.speed);
            }
        }
    });
    black_box(sog);
    (n, dec.stats().sentences)
}

fn bench(c: &mut Criterion) {
    let (input, sentences) = corpus();
    let (messages, seen) = ours(&input);
    assert_eq!(seen, sentences);
    assert_eq!(messages, 50 * (4051 + 778));
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(sentences));
    g.sample_size(20);
    g.bench_function("easf_ais", |b| b.iter(|| ours(black_box(&input))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
