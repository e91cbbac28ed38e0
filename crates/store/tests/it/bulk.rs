//! Bulk imports: the search indexes are rebuilt at the end, and come back
//! on the next open if an import died while they were down.

use chrono::{DateTime, Utc};
use ledger::NodeKey;
use model::record::Draft;
use model::{EMBEDDED, MemberCode, PolicyContext, Reader};
use serde_json::json;
use store::testing::TestDb;
use store::{Actor, Backend, Ledger, ReportFilter, Store};

const SEARCH_INDEXES: &str = "'records_by_function', 'records_by_time'";

async fn search_indexes(store: &Store) -> Vec<String> {
    let sql = match store.backend() {
        Backend::Sqlite => format!(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({SEARCH_INDEXES}) ORDER BY name"
        ),
        Backend::Postgres => format!(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexname IN ({SEARCH_INDEXES}) ORDER BY indexname"
        ),
    };
    store.fetch_text_unchecked(&sql).await.unwrap()
}

fn draft(i: u32) -> Draft {
    let lon = 100.0 + f64::from(i % 400) / 10.0;
    Draft::parse(&json!({
        "kind": "piracy",
        "title": format!("Boarding {i}"),
        "observed_at": format!("20{:02}-{:02}-{:02}T08:00:00Z", 10 + i % 15, 1 + i % 12, 1 + i % 28),
        "location": {"type": "Point", "coordinates": [lon, 5.0]},
        "body": {"attack_type": "boarded"},
        "source_ref": format!("bulk-test:{i}"),
        "distribution": {"tlp": "CLEAR", "audience": {"type": "public"}}
    }))
    .unwrap()
}

#[tokio::test]
async fn a_bulk_import_rebuilds_the_search_indexes_and_finds_everything_sqlite() {
    a_bulk_import_rebuilds_the_search_indexes_and_finds_everything(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_bulk_import_rebuilds_the_search_indexes_and_finds_everything_postgres() {
    a_bulk_import_rebuilds_the_search_indexes_and_finds_everything(Backend::Postgres).await;
}

async fn a_bulk_import_rebuilds_the_search_indexes_and_finds_everything(backend: Backend) {
    let Some(db) = TestDb::create(backend).await else {
        return;
    };
    let store = Store::open(&db.url).await.unwrap();
    let reference = EMBEDDED.parse().unwrap();
    store
        .replace_reference(&reference, &Actor::console("test"), 0)
        .await
        .unwrap();
    let ledger = Ledger::open(store.clone(), NodeKey::from_seed(&[5; 32]), "node-b")
        .await
        .unwrap();
    let now: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
    let drafts: Vec<Draft> = (0..12_000).map(draft).collect();
    let outcome = ledger
        .import(
            MemberCode::parse("SGP").unwrap(),
            drafts,
            &Actor::console("report import"),
            now,
            // The same bits each time: the ids must still be distinct.
            || [0x42; 10],
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(outcome.added, 12_000);
    assert!(outcome.rebuilt_indexes);
    assert_eq!(
        search_indexes(&store).await,
        ["records_by_function", "records_by_time"]
    );
    assert!(
        store
            .fetch_text_unchecked("SELECT name FROM deferred_indexes")
            .await
            .unwrap()
            .is_empty()
    );
    // Ids follow import order, so the id indexes were appended to.
    let ids = store
        .fetch_text_unchecked("SELECT record_id FROM record_log ORDER BY seq")
        .await
        .unwrap();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));

    let groups = std::collections::BTreeMap::new();
    let ctx = PolicyContext {
        reference: &reference,
        groups: &groups,
        today: now.date_naive(),
    };
    let filter = ReportFilter {
        function: Some(model::Function::Piracy),
        bbox: Some("100,0,120,10".parse().unwrap()),
        limit: 10,
        ..Default::default()
    };
    let page = store
        .search_records(&filter, Reader::Anonymous, &ctx)
        .await
        .unwrap();
    // Longitudes 100.0–139.9 in steps of 0.1, so half lie in the box.
    assert_eq!(page.total, 6_030);
    assert!(
        store
            .verify_log(&ledger.public_key(), |_| {})
            .await
            .unwrap()
            .is_clean()
    );
    store.close().await;
    db.drop_db().await;
}

/// The query that reads `records_by_time`'s definition.
fn time_index_definition(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SELECT sql FROM sqlite_master WHERE name = 'records_by_time'",
        Backend::Postgres => "SELECT indexdef FROM pg_indexes WHERE indexname = 'records_by_time'",
    }
}

/// Drops `records_by_time` the way a bulk import does (definition saved
/// first) and returns its definition.
async fn drop_time_index_as_an_import_would(store: &Store) -> String {
    let definition = store
        .fetch_text_unchecked(time_index_definition(store.backend()))
        .await
        .unwrap()
        .remove(0);
    store
        .execute_unchecked(&format!(
            "INSERT INTO deferred_indexes (name, definition) VALUES ('records_by_time', '{}')",
            definition.replace('\'', "''")
        ))
        .await
        .unwrap();
    store
        .execute_unchecked("DROP INDEX records_by_time")
        .await
        .unwrap();
    definition
}

/// An import that died with the indexes dropped: the next open rebuilds
/// them from the saved definitions.
async fn deferred_indexes_come_back_on_open(backend: Backend) {
    let Some(db) = TestDb::create(backend).await else {
        return;
    };
    let store = Store::open(&db.url).await.unwrap();
    let definition = drop_time_index_as_an_import_would(&store).await;
    assert_eq!(search_indexes(&store).await, ["records_by_function"]);
    store.close().await;

    let reopened = Store::open(&db.url).await.unwrap();
    assert_eq!(
        search_indexes(&reopened).await,
        ["records_by_function", "records_by_time"]
    );
    assert_eq!(
        reopened
            .fetch_text_unchecked(time_index_definition(backend))
            .await
            .unwrap(),
        [definition]
    );
    reopened.close().await;
    db.drop_db().await;
}

#[tokio::test]
async fn deferred_indexes_come_back_on_open_sqlite() {
    deferred_indexes_come_back_on_open(Backend::Sqlite).await;
}

#[tokio::test]
async fn deferred_indexes_come_back_on_open_postgres() {
    deferred_indexes_come_back_on_open(Backend::Postgres).await;
}

/// While a bulk import runs, another process opening the store must leave
/// the dropped indexes to it (rebuilding them would sort a half-loaded
/// table and hold the writer up); once the import is gone, the next open
/// rebuilds them. A second bulk import meanwhile writes row by row.
async fn a_running_bulk_import_keeps_its_indexes_from_other_openers(backend: Backend) {
    let Some(db) = TestDb::create(backend).await else {
        return;
    };
    let importer = Store::open(&db.url).await.unwrap();
    let held = importer
        .hold_bulk_lock()
        .await
        .expect("nobody else holds it");
    assert!(importer.hold_bulk_lock().await.is_none());
    drop_time_index_as_an_import_would(&importer).await;

    let bystander = Store::open(&db.url).await.unwrap();
    assert_eq!(search_indexes(&bystander).await, ["records_by_function"]);
    assert_eq!(
        bystander
            .fetch_text_unchecked("SELECT name FROM deferred_indexes")
            .await
            .unwrap(),
        ["records_by_time"]
    );
    // A second large import cannot take the lock: it keeps the indexes it
    // finds up to date and leaves the deferred one to the first import.
    let reference = EMBEDDED.parse().unwrap();
    bystander
        .replace_reference(&reference, &Actor::console("test"), 0)
        .await
        .unwrap();
    let ledger = Ledger::open(bystander.clone(), NodeKey::from_seed(&[6; 32]), "node-c")
        .await
        .unwrap();
    let outcome = ledger
        .import(
            MemberCode::parse("SGP").unwrap(),
            (0..10_000).map(draft).collect(),
            &Actor::console("report import"),
            "2026-11-25T12:00:00Z".parse().unwrap(),
            || [7; 10],
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(outcome.added, 10_000);
    assert!(!outcome.rebuilt_indexes);
    assert_eq!(search_indexes(&bystander).await, ["records_by_function"]);
    bystander.close().await;

    held.release().await;
    importer.close().await;
    let reopened = Store::open(&db.url).await.unwrap();
    assert_eq!(
        search_indexes(&reopened).await,
        ["records_by_function", "records_by_time"]
    );
    reopened
        .hold_bulk_lock()
        .await
        .expect("the lock was released")
        .release()
        .await;
    reopened.close().await;
    db.drop_db().await;
}

#[tokio::test]
async fn a_running_bulk_import_keeps_its_indexes_from_other_openers_sqlite() {
    a_running_bulk_import_keeps_its_indexes_from_other_openers(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_running_bulk_import_keeps_its_indexes_from_other_openers_postgres() {
    a_running_bulk_import_keeps_its_indexes_from_other_openers(Backend::Postgres).await;
}
