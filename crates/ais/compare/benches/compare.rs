//! Our decoder against the crates.io `ais` crate (0.12) on the same buffer:
//! the real sample feeds repeated, with and without the Danish feed's
//! `$PGHP` timestamp lines. The message counts are printed before timing.
#![allow(missing_docs)] // criterion's macros generate undocumented items.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn corpus() -> (Vec<u8>, u64) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../data/ais/");
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
    (one.repeat(50), sentences * 50)
}

fn ours(input: &[u8]) -> u64 {
    let mut dec = easf_ais::Decoder::new();
    let mut n = 0;
    dec.decode_all(input, 0, |ev| n += u64::from(ev.is_ok()));
    n
}

fn theirs(input: &[u8]) -> u64 {
    use ais_crate::AisFragments;
    let mut parser = ais_crate::AisParser::new();
    let mut n = 0;
    for line in input.split(|&b| b == b'\n') {
        // The crate rejects non-AIS lines; skipping them is fair to it.
        if line.first() != Some(&b'!') {
            continue;
        }
        if let Ok(AisFragments::Complete(s)) = parser.parse(line, true) {
            n += u64::from(s.message.is_some());
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let (input, sentences) = corpus();
    // The same feeds without the Danish feed's `$PGHP` timestamp lines:
    // only VDM sentences, as most feeds send.
    let vdm: Vec<u8> = input
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"$PGHP"))
        .flatten()
        .copied()
        .collect();
    for (name, input) in [("decode", &input), ("decode_vdm_only", &vdm)] {
        let (a, b) = (ours(input), theirs(input));
        eprintln!("{name}: messages: ours {a}, ais 0.12 {b}");
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(sentences));
        g.sample_size(10);
        g.bench_function("easf_ais", |bch| bch.iter(|| ours(black_box(input))));
        g.bench_function("ais_crate_0_12", |bch| {
            bch.iter(|| theirs(black_box(input)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
