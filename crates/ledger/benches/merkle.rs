//! Benchmarks of the ledger: log appends, proofs, signatures, canonical JSON.
//!
//! Run with `cargo bench -p ledger --bench merkle`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ledger::{
    MerkleLog, NodeKey, canonical, leaf_hash, sign_value, verify_consistency, verify_inclusion,
};
use serde_json::{Value, json};

const N: u64 = 1_000_000;

fn leaves(n: u64) -> Vec<ledger::Hash> {
    (0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect()
}

/// A report record of the kind a node shares, about 1 KiB canonical.
fn record() -> Value {
    json!({
        "id": "0190f1c2-7d3e-7a4b-9c1d-2e3f4a5b6c7d",
        "version": 3,
        "kind": "report",
        "originator": {"member": "SGP", "agency": "Republic of Singapore Navy", "node": "sgp-1"},
        "distribution": {"tlp": "AMBER", "audience": {"forum": "ReCAAP", "members": ["IDN", "MYS", "PHL", "SGP"]}},
        "functions": ["maritime_piracy", "sanctions_enforcement"],
        "title": "Armed robbery against a bulk carrier, Singapore Strait eastbound lane",
        "body": "At 0215 local time five perpetrators armed with knives boarded the bulk carrier \
                 from a small craft while under way in the eastbound lane of the traffic separation \
                 scheme. The duty engineer raised the alarm; the crew mustered and the perpetrators \
                 escaped empty-handed. The master reported to the VTIS and the Singapore navy \
                 dispatched a patrol craft. Crew unharmed. Vessels are advised to maintain anti-piracy \
                 watches and report all suspicious small craft.",
        "position": {"type": "Point", "coordinates": [104.123456, 1.2345678]},
        "observed_at": "2026-03-14T18:15:00Z",
        "vessel": {"mmsi": 563012345, "imo": 9412345, "name": "OCEAN PROSPER", "flag": "SGP", "dwt": 81234.5},
        "severity": 2,
        "confidence": 0.85,
        "supersedes": null,
        "attachments": []
    })
}

fn merkle(c: &mut Criterion) {
    let hashes = leaves(N);
    let mut g = c.benchmark_group("merkle");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N));
    g.bench_function("append_1m_leaf_hashes", |b| {
        b.iter(|| {
            let mut log = MerkleLog::new();
            for h in &hashes {
                log.append_leaf_hash(*h);
            }
            assert_eq!(log.len(), N);
            log
        })
    });
    g.bench_function("from_leaf_hashes_1m", |b| {
        b.iter_batched(
            || hashes.clone(),
            MerkleLog::from_leaf_hashes,
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let log = MerkleLog::from_leaf_hashes(hashes.iter().copied());
    let root = log.root();
    let mut g = c.benchmark_group("merkle_1m");
    g.throughput(Throughput::Elements(1));
    g.bench_function("root", |b| b.iter(|| black_box(&log).root()));
    let mut i = 0u64;
    g.bench_function("inclusion_proof", |b| {
        b.iter(|| {
            i = (i + 7_919) % N;
            log.inclusion_proof(i, N).unwrap()
        })
    });
    let proof = log.inclusion_proof(123_456, N).unwrap();
    let leaf = log.leaf_hash(123_456).unwrap();
    g.bench_function("verify_inclusion", |b| {
        b.iter(|| verify_inclusion(&leaf, 123_456, N, black_box(&proof), &root).unwrap())
    });
    let mut m = 0u64;
    g.bench_function("consistency_proof", |b| {
        b.iter(|| {
            m = (m + 7_919) % (N - 1) + 1;
            log.consistency_proof(m, N).unwrap()
        })
    });
    let old = 765_432;
    let old_root = log.root_at(old).unwrap();
    let proof = log.consistency_proof(old, N).unwrap();
    g.bench_function("verify_consistency", |b| {
        b.iter(|| verify_consistency(old, N, &old_root, &root, black_box(&proof)).unwrap())
    });
    g.finish();
}

fn records(c: &mut Criterion) {
    let value = record();
    let bytes = canonical::to_vec(&value).unwrap();
    let key = NodeKey::from_seed(&[5; 32]);
    let public = key.public_key();
    let mut g = c.benchmark_group("record");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("canonicalise", |b| {
        b.iter(|| canonical::to_vec(black_box(&value)).unwrap())
    });
    g.bench_function("sign", |b| b.iter(|| key.sign(black_box(&bytes))));
    let sig = key.sign(&bytes);
    g.bench_function("verify", |b| {
        b.iter(|| public.verify(black_box(&bytes), &sig).unwrap())
    });
    g.bench_function("sign_and_verify", |b| {
        b.iter(|| {
            let sig = key.sign(black_box(&bytes));
            public.verify(&bytes, &sig).unwrap()
        })
    });
    g.bench_function("canonicalise_and_sign", |b| {
        b.iter(|| sign_value(&key, black_box(&value)).unwrap())
    });
    g.finish();

    // A full batch: what sealing pays per 256 versions, against 256
    // signatures and verifications one by one.
    let batch: Vec<ledger::Hash> = (0..ledger::batch::MAX_BATCH as u64)
        .map(|i| ledger::leaf_hash(&i.to_be_bytes()))
        .collect();
    let mut g = c.benchmark_group("batch_of_256");
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.bench_function("sign", |b| {
        b.iter(|| ledger::sign_batch(&key, black_box(&batch)).unwrap())
    });
    let shares = ledger::sign_batch(&key, &batch).unwrap();
    g.bench_function("verify_every_share", |b| {
        b.iter(|| {
            let mut verifier = ledger::batch::Verifier::new(public);
            for (leaf, share) in batch.iter().zip(&shares) {
                let share = ledger::RecordSignature::Batch(share.clone());
                verifier.verify(&share, &[], black_box(leaf)).unwrap();
            }
        })
    });
    g.finish();
}

// criterion_group! generates an undocumented pub fn.
#[allow(missing_docs, reason = "generated by criterion_group!")]
mod group {
    use super::*;
    criterion_group!(benches, merkle, records);
}
use group::benches;
criterion_main!(benches);
