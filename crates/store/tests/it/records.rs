//! Records on both backends: writing versions, reading through the policy,
//! search, import idempotency, and `verify` naming tampered rows.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ledger::NodeKey;
use model::record::{Draft, RecordId};
use model::{EMBEDDED, MemberCode, PolicyContext, Reader, ReferenceData};
use serde_json::json;
use store::{Actor, Ledger, Problem, ReportFilter, StatusFilter, Store, StoreError, backends};

backends!(
    versions_follow_the_rules,
    reads_go_through_the_policy,
    search_filters_pages_and_counts,
    import_is_idempotent,
    verify_names_tampered_rows,
    versions_carry_batch_signatures_that_verify_alone,
    proofs_verify_against_signed_heads,
    another_key_cannot_extend_the_log,
    a_second_writer_is_caught_up,
    reports_with_and_without_a_location_mix,
    a_retracted_record_keeps_its_kind_and_source,
);

fn code(c: &str) -> MemberCode {
    MemberCode::parse(c).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn reference() -> &'static ReferenceData {
    static DATA: std::sync::OnceLock<ReferenceData> = std::sync::OnceLock::new();
    DATA.get_or_init(|| EMBEDDED.parse().unwrap())
}

fn piracy(title: &str, day: u32, lon: f64, lat: f64, audience: serde_json::Value) -> Draft {
    let tlp = if audience["type"] == "public" {
        "CLEAR"
    } else {
        "AMBER"
    };
    Draft::parse(&json!({
        "kind": "piracy",
        "title": title,
        "observed_at": format!("2026-11-{day:02}T03:00:00Z"),
        "location": {"type": "Point", "coordinates": [lon, lat]},
        "description": format!("{title}: robbers boarded and escaped."),
        "body": {"attack_type": "boarded", "perpetrators": 3},
        "distribution": {"tlp": tlp, "audience": audience}
    }))
    .unwrap()
}

async fn ledger(store: &Store) -> Ledger {
    store
        .replace_reference(reference(), &Actor::console("test"), 0)
        .await
        .unwrap();
    Ledger::open(store.clone(), NodeKey::from_seed(&[3; 32]), "node-a")
        .await
        .unwrap()
}

fn random(n: u8) -> [u8; 10] {
    [n; 10]
}

async fn versions_follow_the_rules(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::user("officer");
    let now = at("2026-11-25T12:00:00Z");
    let v1 = ledger
        .create(
            code("IDN"),
            piracy("Belawan", 20, 98.7, 3.8, json!({"type": "all-members"})),
            &actor,
            now,
            random(1),
        )
        .await
        .unwrap();
    assert_eq!(v1.version, 1);
    let v2 = ledger
        .update(
            v1.id,
            code("IDN"),
            piracy(
                "Belawan anchorage",
                20,
                98.7,
                3.8,
                json!({"type": "all-members"}),
            ),
            &actor,
            now,
        )
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    let refused = ledger
        .update(
            v1.id,
            code("MYS"),
            piracy("x", 20, 98.7, 3.8, json!({"type": "public"})),
            &actor,
            now,
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Forbidden(_)), "{refused}");
    let groups = BTreeMap::new();
    let ctx = PolicyContext {
        reference: reference(),
        groups: &groups,
        today: now.date_naive(),
    };
    let history = store
        .record_history(v1.id, Reader::Member(code("JPN")), &ctx)
        .await
        .unwrap();
    assert_eq!(history.versions.len(), 2);
    assert_eq!(history.latest.version, v2);
    ledger
        .retract(v1.id, code("IDN"), "reported twice", &actor, now)
        .await
        .unwrap();
    let history = store
        .record_history(v1.id, Reader::Member(code("JPN")), &ctx)
        .await
        .unwrap();
    assert_eq!(history.version_count, 3);
    assert_eq!(
        history.versions.len(),
        1,
        "a tombstone hides earlier content"
    );
    assert!(history.latest.version.is_retracted());
    let again = ledger
        .retract(v1.id, code("IDN"), "again", &actor, now)
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Conflict(_)), "{again}");
    let missing = ledger
        .retract(RecordId::new_v7(1, [0; 10]), code("IDN"), "x", &actor, now)
        .await
        .unwrap_err();
    assert!(matches!(missing, StoreError::NotFound(_)));
    // Each change was audited.
    let actions: Vec<String> = store
        .audit_events(10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.starts_with(&[
            "record.retract".into(),
            "record.update".into(),
            "record.create".into()
        ]),
        "{actions:?}"
    );
}

async fn reads_go_through_the_policy(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::user("officer");
    let now = at("2026-11-25T12:00:00Z");
    store
        .add_sharing_group(
            "straits",
            "Straits patrol",
            code("SGP"),
            &[code("MYS")],
            &actor,
            0,
        )
        .await
        .unwrap();
    let audiences = [
        ("public", json!({"type": "public"})),
        ("forum", json!({"type": "forum", "forum": "asean"})),
        ("group", json!({"type": "group", "group": "straits"})),
        ("members", json!({"type": "members", "members": ["JPN"]})),
        ("originator", json!({"type": "originator"})),
    ];
    let mut ids = BTreeMap::new();
    for (i, (name, audience)) in audiences.iter().enumerate() {
        let v = ledger
            .create(
                code("SGP"),
                piracy(name, 10 + i as u32, 104.0, 1.2, audience.clone()),
                &actor,
                now,
                random(i as u8),
            )
            .await
            .unwrap();
        ids.insert(*name, v.id);
    }
    let groups = store.sharing_groups().await.unwrap();
    assert_eq!(groups["straits"], vec![code("MYS"), code("SGP")]);
    let ctx = PolicyContext {
        reference: reference(),
        groups: &groups,
        today: now.date_naive(),
    };
    let sees = |reader: Reader| {
        let store = store.clone();
        async move {
            let page = store
                .search_records(&ReportFilter::default(), reader, &ctx)
                .await
                .unwrap();
            let mut titles: Vec<String> = page
                .items
                .iter()
                .map(|r| r.version.report().unwrap().title.clone())
                .collect();
            titles.sort();
            (titles, page.total as usize)
        }
    };
    let expect = [
        (Reader::Anonymous, vec!["public"]),
        (
            Reader::Member(code("MYS")),
            vec!["forum", "group", "public"],
        ),
        (Reader::Member(code("JPN")), vec!["members", "public"]),
        (Reader::Member(code("USA")), vec!["public"]),
        (
            Reader::Member(code("SGP")),
            vec!["forum", "group", "members", "originator", "public"],
        ),
    ];
    for (reader, titles) in expect {
        let (seen, total) = sees(reader).await;
        assert_eq!(seen, titles, "{reader:?}");
        assert_eq!(total, titles.len(), "counts agree with what is shown");
    }
    // One record by id: invisible means not found.
    let hidden = store
        .record_history(ids["originator"], Reader::Member(code("MYS")), &ctx)
        .await
        .unwrap_err();
    assert!(matches!(hidden, StoreError::NotFound(_)));
    assert!(
        store
            .record_history(ids["group"], Reader::Member(code("MYS")), &ctx)
            .await
            .is_ok()
    );
    // Columns edited behind the node's back cannot widen the audience:
    // the policy reads the signed document.
    store
        .execute_unchecked("UPDATE records SET audience_type = 'public', tlp = 'CLEAR'")
        .await
        .unwrap();
    assert_eq!(sees(Reader::Anonymous).await.0, ["public"]);
}

async fn search_filters_pages_and_counts(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::user("officer");
    let now = at("2026-11-25T12:00:00Z");
    let public = json!({"type": "public"});
    for day in 1..=20u32 {
        let (lon, lat, place) = if day % 2 == 0 {
            (104.0, 1.2, "Singapore Strait")
        } else {
            (121.0, 14.5, "Manila Bay")
        };
        ledger
            .create(
                code(if day % 2 == 0 { "SGP" } else { "PHL" }),
                piracy(place, day, lon, lat, public.clone()),
                &actor,
                now,
                random(day as u8),
            )
            .await
            .unwrap();
    }
    let groups = BTreeMap::new();
    let ctx = PolicyContext {
        reference: reference(),
        groups: &groups,
        today: now.date_naive(),
    };
    let search = |filter: ReportFilter| {
        let store = store.clone();
        async move {
            store
                .search_records(&filter, Reader::Member(code("JPN")), &ctx)
                .await
                .unwrap()
        }
    };
    let all = search(ReportFilter {
        facets: true,
        ..Default::default()
    })
    .await;
    assert_eq!(all.total, 20);
    let facets = all.facets.unwrap();
    assert_eq!(facets.originator["SGP"], 10);
    assert_eq!(facets.kind["piracy"], 20);
    let strait = search(ReportFilter {
        bbox: Some("103,0,105,2".parse().unwrap()),
        ..Default::default()
    })
    .await;
    assert_eq!(strait.total, 10);
    let polygon: model::record::Geometry = serde_json::from_value(json!({
        "type": "Polygon", "coordinates": [[[120, 14], [122, 14], [122, 15], [120, 15], [120, 14]]]
    }))
    .unwrap();
    let bay = search(ReportFilter {
        polygon: Some(polygon),
        facets: true,
        ..Default::default()
    })
    .await;
    assert_eq!(bay.total, 10);
    assert_eq!(bay.facets.unwrap().originator["PHL"], 10);
    let text = search(ReportFilter {
        text: Some("MANILA".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(text.total, 10);
    let none = search(ReportFilter {
        text: Some("100%_".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(none.total, 0);
    let window = search(ReportFilter {
        from: Some(at("2026-11-05T00:00:00Z")),
        to: Some(at("2026-11-10T00:00:00Z")),
        member: Some(code("SGP")),
        ..Default::default()
    })
    .await;
    assert_eq!(window.total, 2, "SGP reports on days 6 and 8");
    // Paging visits every record once, newest first.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = search(ReportFilter {
            limit: 7,
            cursor: cursor.clone(),
            ..Default::default()
        })
        .await;
        seen.extend(
            page.items
                .iter()
                .map(|r| r.version.report().unwrap().observed_at),
        );
        match page.next {
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 20);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));
    let retracted = search(ReportFilter {
        status: StatusFilter::Retracted,
        ..Default::default()
    })
    .await;
    assert_eq!(retracted.total, 0);
}

async fn import_is_idempotent(store: Store) {
    let ledger = ledger(&store).await;
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/piracy/asam-2022-06-21.csv"
    ))
    .unwrap();
    let batch = model::import::asam::parse(csv.as_bytes()).unwrap();
    let drafts: Vec<Draft> = batch
        .incidents
        .iter()
        .take(300)
        .map(|i| i.to_draft(model::Distribution::public()))
        .collect();
    let actor = Actor::console("report import");
    let now = at("2026-11-25T12:00:00Z");
    let mut n = 0u32;
    let mut rand = || {
        n += 1;
        let mut bytes = [0; 10];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        bytes
    };
    let first = ledger
        .import(code("USA"), drafts.clone(), &actor, now, &mut rand, |_| {})
        .await
        .unwrap();
    assert_eq!(first.added, 300);
    let second = ledger
        .import(code("USA"), drafts, &actor, now, &mut rand, |_| {})
        .await
        .unwrap();
    assert_eq!((second.added, second.already_present), (0, 300));
    let report = store
        .verify_log(&ledger.public_key(), |_| {})
        .await
        .unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.rows, 300);
}

/// One ed25519 signature covers a batch of versions; each version's share
/// verifies alone, a share moved to another row is named, and rows signed
/// one by one (as before batches) still verify.
async fn versions_carry_batch_signatures_that_verify_alone(store: Store) {
    let ledger = ledger(&store).await;
    let key = NodeKey::from_seed(&[3; 32]);
    let drafts: Vec<Draft> = (0..300u32)
        .map(|i| {
            piracy(
                &format!("Strait {i}"),
                1 + i % 28,
                104.0,
                1.2,
                json!({"type": "public"}),
            )
        })
        .collect();
    let mut n = 0u32;
    let rand = || {
        n += 1;
        let mut bytes = [0; 10];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        bytes
    };
    let actor = Actor::console("report import");
    let now = at("2026-11-25T12:00:00Z");
    ledger
        .import(code("SGP"), drafts, &actor, now, rand, |_| {})
        .await
        .unwrap();
    let documents = store
        .fetch_text_unchecked("SELECT document FROM record_log ORDER BY seq")
        .await
        .unwrap();
    let signatures = store
        .fetch_text_unchecked("SELECT signature FROM record_log ORDER BY seq")
        .await
        .unwrap();
    assert_eq!(documents.len(), 300);
    let mut distinct = std::collections::HashSet::new();
    for (document, text) in documents.iter().zip(&signatures) {
        let ledger::RecordSignature::Batch(share) = ledger::RecordSignature::parse(text).unwrap()
        else {
            panic!("an imported version carries a plain signature: {text}")
        };
        assert!(share.batch_size > 1 && share.batch_size <= ledger::batch::MAX_BATCH as u64);
        share
            .verify(&key.public_key(), document.as_bytes())
            .unwrap();
        distinct.insert(share.signature);
    }
    // 300 versions, at most 256 per signature: a handful of signatures.
    assert!((2..=4).contains(&distinct.len()), "{}", distinct.len());
    assert!(
        store
            .verify_log(&key.public_key(), |_| {})
            .await
            .unwrap()
            .is_clean()
    );

    // A row signed alone, as logs written before batches were.
    let legacy = key.sign(documents[7].as_bytes()).to_hex();
    store
        .execute_unchecked(&format!(
            "UPDATE record_log SET signature = '{legacy}' WHERE seq = 7"
        ))
        .await
        .unwrap();
    let report = store.verify_log(&key.public_key(), |_| {}).await.unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);

    // Row 10 given row 11's share: only row 10 is named.
    store
        .execute_unchecked(&format!(
            "UPDATE record_log SET signature = '{}' WHERE seq = 10",
            signatures[11]
        ))
        .await
        .unwrap();
    let problems: Vec<String> = store
        .verify_log(&key.public_key(), |_| {})
        .await
        .unwrap()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("seq 10") && problems[0].contains("signature does not verify"),
        "{problems:?}"
    );
}

async fn verify_names_tampered_rows(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::user("officer");
    let now = at("2026-11-25T12:00:00Z");
    for day in 1..=6u32 {
        ledger
            .create(
                code("SGP"),
                piracy(
                    "Strait",
                    day,
                    104.0,
                    1.2,
                    json!({"type": "forum", "forum": "asean"}),
                ),
                &actor,
                now,
                random(day as u8),
            )
            .await
            .unwrap();
    }
    let key = ledger.public_key();
    let clean = store.verify_log(&key, |_| {}).await.unwrap();
    assert!(clean.is_clean(), "{:?}", clean.problems);
    assert_eq!((clean.rows, clean.heads, clean.heads_verified), (6, 6, 6));

    let problems = |store: Store| async move {
        store
            .verify_log(&key, |_| {})
            .await
            .unwrap()
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    // Altered document: the signature and the leaf hash both name seq 2.
    store
        .execute_unchecked("UPDATE record_log SET document = REPLACE(document, '\"perpetrators\":3', '\"perpetrators\":9') WHERE seq = 2")
        .await
        .unwrap();
    let found = problems(store.clone()).await;
    assert!(
        found
            .iter()
            .any(|p| p.contains("seq 2") && p.contains("signature")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.contains("record_log seq 2:")),
        "{found:?}"
    );
    store
        .execute_unchecked("DELETE FROM record_log WHERE seq = 2")
        .await
        .unwrap();
    let found = problems(store.clone()).await;
    assert!(
        found
            .iter()
            .any(|p| p.contains("record_log seq 2: a row was removed")),
        "{found:?}"
    );
    // The derived row of another record widened behind the node's back.
    store
        .execute_unchecked(
            "UPDATE records SET tlp = 'CLEAR', audience_type = 'public' WHERE seq = 4",
        )
        .await
        .unwrap();
    let found = problems(store.clone()).await;
    assert!(
        found.iter().any(|p| p.contains("column tlp differs")),
        "{found:?}"
    );
    store
        .execute_unchecked("DELETE FROM records WHERE seq = 5")
        .await
        .unwrap();
    let found = problems(store.clone()).await;
    assert!(found.iter().any(|p| p.contains("is missing")), "{found:?}");
    // Rows removed from the end are caught by the signed heads.
    store
        .execute_unchecked("DELETE FROM record_log WHERE seq = 5")
        .await
        .unwrap();
    let found = problems(store.clone()).await;
    assert!(found.iter().any(|p| p.contains("missing")), "{found:?}");
    let report = store.verify_log(&key, |_| {}).await.unwrap();
    assert!(report.problems.iter().any(|p| matches!(p, Problem::Signature { seq: 2, .. }) || matches!(p, Problem::Log(_))));
}

async fn proofs_verify_against_signed_heads(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::user("officer");
    let now = at("2026-11-25T12:00:00Z");
    for day in 1..=9u32 {
        ledger
            .create(
                code("SGP"),
                piracy("Strait", day, 104.0, 1.2, json!({"type": "public"})),
                &actor,
                now,
                random(day as u8),
            )
            .await
            .unwrap();
    }
    let head = store.latest_tree_head().await.unwrap().unwrap();
    head.verify(&ledger.public_key()).unwrap();
    assert_eq!(head.head.tree_size, 9);
    let (leaf, proof) = ledger.inclusion_proof(4, 9).await.unwrap();
    ledger::verify_inclusion(&leaf, 4, 9, &proof, &head.head.root_hash).unwrap();
    let old = store.tree_head(5).await.unwrap();
    let proof = ledger.consistency_proof(5, 9).await.unwrap();
    ledger::verify_consistency(5, 9, &old.head.root_hash, &head.head.root_hash, &proof).unwrap();
    assert!(ledger.inclusion_proof(9, 9).await.is_err());
    // A reopened ledger rebuilds the same tree.
    let again = Ledger::open(store.clone(), NodeKey::from_seed(&[3; 32]), "node-a")
        .await
        .unwrap();
    assert_eq!(
        again.inclusion_proof(4, 9).await.unwrap().1,
        ledger.inclusion_proof(4, 9).await.unwrap().1
    );
}

async fn another_key_cannot_extend_the_log(store: Store) {
    let _ledger = ledger(&store).await;
    let err = Ledger::open(store.clone(), NodeKey::from_seed(&[4; 32]), "node-b")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("signed by node key"), "{err}");
}

async fn a_second_writer_is_caught_up(store: Store) {
    let first = ledger(&store).await;
    let second = Ledger::open(store.clone(), NodeKey::from_seed(&[3; 32]), "node-a")
        .await
        .unwrap();
    let actor = Actor::console("test");
    let now = at("2026-11-25T12:00:00Z");
    first
        .create(
            code("SGP"),
            piracy("a", 1, 104.0, 1.2, json!({"type": "public"})),
            &actor,
            now,
            random(1),
        )
        .await
        .unwrap();
    // The second ledger's tree is stale; it must catch up, not collide.
    second
        .create(
            code("SGP"),
            piracy("b", 2, 104.0, 1.2, json!({"type": "public"})),
            &actor,
            now,
            random(2),
        )
        .await
        .unwrap();
    first
        .create(
            code("SGP"),
            piracy("c", 3, 104.0, 1.2, json!({"type": "public"})),
            &actor,
            now,
            random(3),
        )
        .await
        .unwrap();
    assert_eq!(first.log_size().await.unwrap(), 3);
    let report = store.verify_log(&first.public_key(), |_| {}).await.unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.heads_verified, 3);
}

/// A report without a location binds NULL coordinates; the same statement
/// then carries real ones. (sqlx 0.8.6 sent a NULL f64 as float4 to
/// PostgreSQL, and the cached statement refused every later coordinate.)
async fn reports_with_and_without_a_location_mix(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::console("test");
    let now = at("2026-11-25T00:00:00Z");
    for n in 0..6u8 {
        let mut draft = piracy("mixed", 20, 104.0, 1.2, json!({"type": "public"}));
        if n % 2 == 0 {
            draft.content.location = None;
        }
        ledger
            .create(code("SGP"), draft, &actor, now, random(n))
            .await
            .unwrap_or_else(|e| panic!("report {n}: {e}"));
    }
    let groups = BTreeMap::new();
    let ctx = PolicyContext {
        reference: reference(),
        groups: &groups,
        today: now.date_naive(),
    };
    let located = store
        .search_records(
            &ReportFilter {
                bbox: Some("103,0,105,2".parse().unwrap()),
                ..ReportFilter::default()
            },
            Reader::Member(code("SGP")),
            &ctx,
        )
        .await
        .unwrap();
    assert_eq!(located.total, 3);
}

/// A tombstone's row keeps the kind, function, time and source key of what
/// it retracts: searches among the retracted find it by kind and function,
/// a re-import of its source does not bring it back, and `verify` agrees.
async fn a_retracted_record_keeps_its_kind_and_source(store: Store) {
    let ledger = ledger(&store).await;
    let actor = Actor::console("test");
    let now = at("2026-11-25T00:00:00Z");
    let mut draft = piracy("wrong ship", 20, 104.0, 1.2, json!({"type": "public"}));
    draft.content.source_ref = Some("asam:2026-1".into());
    let mut n = 0u8;
    let mut rand = || {
        n += 1;
        [n; 10]
    };
    ledger
        .import(
            code("SGP"),
            vec![draft.clone()],
            &actor,
            now,
            &mut rand,
            |_| {},
        )
        .await
        .unwrap();
    let id = store
        .search_records(
            &ReportFilter::default(),
            Reader::Member(code("SGP")),
            &context(now),
        )
        .await
        .unwrap()
        .items[0]
        .version
        .id;
    ledger
        .retract(id, code("SGP"), "wrong ship", &actor, now)
        .await
        .unwrap();
    for filter in [
        ReportFilter {
            kind: Some(model::report::ReportKind::Piracy),
            status: StatusFilter::Retracted,
            ..Default::default()
        },
        ReportFilter {
            function: Some(model::Function::Piracy),
            status: StatusFilter::Retracted,
            from: Some(at("2026-11-20T00:00:00Z")),
            ..Default::default()
        },
    ] {
        let page = store
            .search_records(&filter, Reader::Member(code("JPN")), &context(now))
            .await
            .unwrap();
        assert_eq!(page.total, 1, "{filter:?}");
        assert!(page.items[0].version.is_retracted());
    }
    let again = ledger
        .import(code("SGP"), vec![draft], &actor, now, &mut rand, |_| {})
        .await
        .unwrap();
    assert_eq!((again.added, again.already_present), (0, 1));
    let report = store
        .verify_log(&ledger.public_key(), |_| {})
        .await
        .unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}

fn context(now: DateTime<Utc>) -> PolicyContext<'static> {
    static GROUPS: BTreeMap<String, Vec<MemberCode>> = BTreeMap::new();
    PolicyContext {
        reference: reference(),
        groups: &GROUPS,
        today: now.date_naive(),
    }
}
