//! Benchmark of the sharing layer: ingest of signed reports (canonicalise,
//! sign, verify, store, append to the Merkle log), filtered search latency,
//! and inclusion proofs, on SQLite or PostgreSQL.
//!
//! ```text
//! cargo run --release -p store --example bench_records -- 1000000
//! cargo run --release -p store --example bench_records -- 300000 --ingest-only
//! EASF_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test \
//!   cargo run --release -p store --example bench_records -- 1000000 postgres
//! ```
//!
//! On PostgreSQL the benchmark creates and drops its own database on the
//! server `EASF_TEST_PG_URL` names. Reports are synthetic but shaped like real ones: piracy,
//! disaster and outbreak reports spread over East Asia and 30 years, with
//! every kind of audience.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use ledger::NodeKey;
use model::record::Draft;
use model::{EMBEDDED, MemberCode, PolicyContext, Reader, ReferenceData};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use store::testing::TestDb;
use store::{Actor, Backend, Ledger, ReportFilter};

const MEMBERS: [&str; 12] = [
    "JPN", "CHN", "KOR", "IDN", "MYS", "SGP", "PHL", "VNM", "THA", "USA", "AUS", "IND",
];

fn synthetic(rng: &mut StdRng, i: usize) -> Draft {
    let lon = rng.gen_range(95.0..145.0);
    let lat = rng.gen_range(-10.0..40.0);
    let day = Utc.with_ymd_and_hms(1995, 1, 1, 0, 0, 0).unwrap()
        + chrono::Duration::minutes(rng.gen_range(0..16_000_000));
    let forum = ["asean", "arf", "recaap", "eas"][i % 4];
    let (tlp, audience) = match i % 6 {
        0 => ("CLEAR", json!({"type": "public"})),
        1 => ("GREEN", json!({"type": "all-members"})),
        2 => ("AMBER", json!({"type": "forum", "forum": forum})),
        3 => (
            "AMBER",
            json!({"type": "members", "members": [MEMBERS[i % 12], MEMBERS[(i + 5) % 12]]}),
        ),
        4 => ("AMBER+STRICT", json!({"type": "forum", "forum": "apt"})),
        _ => ("RED", json!({"type": "originator"})),
    };
    let (kind, body) = match i % 3 {
        0 => (
            "piracy",
            json!({"attack_type": "boarded", "perpetrators": rng.gen_range(1..12), "weapons": "knives", "items_stolen": ["ship stores"]}),
        ),
        1 => (
            "disaster",
            json!({"hazard": "flood", "affected_population": rng.gen_range(100..1_000_000), "needs": [{"capability": "water-purification", "quantity": 4}]}),
        ),
        _ => (
            "outbreak",
            json!({"pathogen": "Dengue virus", "cases": rng.gen_range(1..5000), "deaths": 0, "ihr_notification": "not_notified"}),
        ),
    };
    Draft::parse(&json!({
        "kind": kind,
        "title": format!("Synthetic {kind} report {i} near {lat:.1},{lon:.1}"),
        "observed_at": day.to_rfc3339(),
        "location": {"type": "Point", "coordinates": [lon, lat]},
        "description": "Generated for the benchmark: a paragraph of the length liaison officers write, naming the ship, the place and what was done about it by the coastal state's authorities.",
        "body": body,
        "distribution": {"tlp": tlp, "audience": audience}
    }))
    .unwrap_or_else(|e| panic!("synthetic draft {i}: {e}"))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

// As in the `easf` binary: glibc's allocator spent a fifth of an import's
// CPU on allocations freed on another thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    // `--ingest-only` stops after the ingest, for profiling it alone.
    let ingest_only = args.iter().any(|a| a == "--ingest-only");
    args.retain(|a| a != "--ingest-only");
    let count: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    // The PostgreSQL server comes from EASF_TEST_PG_URL, as for the tests.
    let backend = match args.get(2).map(String::as_str) {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let db = TestDb::create(backend).await.expect("a database");
    let store = store::Store::open(&db.url).await.expect("open");
    let reference: ReferenceData = EMBEDDED.parse().unwrap();
    store
        .replace_reference(&reference, &Actor::console("bench"), 0)
        .await
        .unwrap();
    let ledger = Ledger::open(store.clone(), NodeKey::from_seed(&[42; 32]), "bench")
        .await
        .unwrap();

    let mut rng = StdRng::seed_from_u64(7);
    let drafts: Vec<Draft> = (0..count).map(|i| synthetic(&mut rng, i)).collect();
    let now: DateTime<Utc> = Utc::now();
    let actor = Actor::console("bench");

    // A node loading an archive: one import, by the node's own member.
    let start = Instant::now();
    let outcome = ledger
        .import(
            MemberCode::parse("SGP").unwrap(),
            drafts,
            &actor,
            now,
            || rng.r#gen(),
            |_| {},
        )
        .await
        .unwrap();
    let ingest = start.elapsed();
    println!(
        "{}: ingested {count} signed reports in {:.1} s = {:.0} reports/s ({})",
        backend.as_str(),
        ingest.as_secs_f64(),
        count as f64 / ingest.as_secs_f64(),
        if outcome.rebuilt_indexes {
            "bulk: search indexes rebuilt at the end"
        } else {
            "search indexes updated row by row"
        }
    );

    // Then everyday traffic: small imports from each member into the full
    // node, which update the search indexes row by row.
    let extra = (count / 50).max(MEMBERS.len());
    let mut extra_drafts: Vec<Vec<Draft>> = vec![Vec::new(); MEMBERS.len()];
    for i in 0..extra {
        extra_drafts[i % MEMBERS.len()].push(synthetic(&mut rng, count + i));
    }
    let start = Instant::now();
    for (member, drafts) in MEMBERS.iter().zip(extra_drafts) {
        ledger
            .import(
                MemberCode::parse(member).unwrap(),
                drafts,
                &actor,
                now,
                || rng.r#gen(),
                |_| {},
            )
            .await
            .unwrap();
    }
    let incremental = start.elapsed();
    println!(
        "{}: then {extra} more in {} imports into the full node in {:.1} s = {:.0} reports/s (search indexes updated row by row)",
        backend.as_str(),
        MEMBERS.len(),
        incremental.as_secs_f64(),
        extra as f64 / incremental.as_secs_f64()
    );

    if ingest_only {
        store.close().await;
        db.drop_db().await;
        return;
    }
    let groups = BTreeMap::new();
    let ctx = PolicyContext {
        reference: &reference,
        groups: &groups,
        today: now.date_naive(),
    };
    let functions = [
        model::Function::Piracy,
        model::Function::Disaster,
        model::Function::Health,
    ];
    let mut latencies = Vec::new();
    let mut returned = 0usize;
    for q in 0..300 {
        let reader = Reader::Member(MemberCode::parse(MEMBERS[q % MEMBERS.len()]).unwrap());
        let west = rng.gen_range(95.0..130.0);
        let south = rng.gen_range(-10.0..25.0);
        let from = Utc
            .with_ymd_and_hms(rng.gen_range(1995..2024), 1, 1, 0, 0, 0)
            .unwrap();
        let filter = ReportFilter {
            function: Some(functions[q % 3]),
            bbox: Some(
                format!("{west},{south},{},{}", west + 10.0, south + 10.0)
                    .parse()
                    .unwrap(),
            ),
            from: Some(from),
            to: Some(from + chrono::Duration::days(3 * 365)),
            limit: 50,
            facets: q % 2 == 0,
            ..Default::default()
        };
        let t = Instant::now();
        let page = store.search_records(&filter, reader, &ctx).await.unwrap();
        latencies.push(t.elapsed());
        returned += page.items.len();
    }
    latencies.sort();
    println!(
        "{}: filtered search (function + bbox + 3-year window, 50 per page, facets on half) over {} reports: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} results)",
        backend.as_str(),
        count + extra,
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
        returned
    );

    let size = ledger.log_size().await.unwrap();
    let mut proofs = Vec::new();
    for _ in 0..1000 {
        let seq = rng.gen_range(0..size);
        let t = Instant::now();
        let (leaf, path) = ledger.inclusion_proof(seq, size).await.unwrap();
        proofs.push(t.elapsed());
        std::hint::black_box((leaf, path));
    }
    proofs.sort();
    println!(
        "{}: inclusion proof at {size} leaves (with the catch-up query): p50 {:.0} µs, p99 {:.0} µs",
        backend.as_str(),
        percentile(&proofs, 0.5).as_secs_f64() * 1e6,
        percentile(&proofs, 0.99).as_secs_f64() * 1e6
    );
    store.close().await;
    db.drop_db().await;
}
