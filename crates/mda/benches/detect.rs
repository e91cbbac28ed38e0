//! Criterion benchmark: the engine over a small generated scenario (one
//! hour, 600 vessels, 10 s reports: about 216,000 positions), with the
//! messages generated beforehand so that only detection is timed. The
//! 50-million-position run is the `bench_detect` example.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs, reason = "criterion_group! output")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mda::Engine;
use mda::generate::{Plant, Scenario, ScenarioConfig};

fn detect(c: &mut Criterion) {
    let sc = Scenario::new(ScenarioConfig {
        vessels: 600,
        duration_ms: 3_600_000,
        interval_ms: 10_000,
        plant: Plant {
            gaps: 0,
            ..Plant::default()
        },
        ..ScenarioConfig::default()
    });
    let msgs: Vec<_> = sc.messages().collect();
    let config = sc.engine_config();
    let mut g = c.benchmark_group("detect");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.sample_size(20);
    g.bench_function("one_hour_600_vessels", |b| {
        b.iter(|| {
            let mut e = Engine::new(config.clone());
            for (t, m) in &msgs {
                e.handle_message(*t, m);
            }
            e.finish();
            let n = std::iter::from_fn(|| e.poll_detection()).count();
            // Planted in one hour: identity events and zone transits at most.
            assert!(n > 0);
            n
        })
    });
    g.finish();
}

criterion_group!(benches, detect);
criterion_main!(benches);
