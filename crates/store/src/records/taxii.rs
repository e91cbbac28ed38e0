//! Reading a function's records in the order they were added, for a TAXII
//! collection: oldest report time first, then log position, with a
//! position to continue from. The same two gates as every other read: the
//! SQL narrows the rows with the reader's [`Readable`] audience clause, and
//! each row then passes [`model::is_visible`] (through `search::visible`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use model::record::Content;
use model::{Function, PolicyContext, Readable, Reader};
use sqlx::Row;

use super::row::bind_all;
use super::search::{Clause, audience_clause, int, parse_document, stored_from_row, text, visible};
use super::search::{MAX_LIMIT, StoredRecord};
use crate::{Store, StoreError};

/// A place in a collection's order: a record's latest report time (Unix
/// milliseconds) and its log position. Positions order records as they
/// were added; an update moves a record to the end, where a client
/// following the collection sees it again with its new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CollectionPosition {
    /// When the record's latest version was reported, in Unix milliseconds.
    pub reported_ms: i64,
    /// The latest version's position in the log.
    pub seq: u64,
}

impl CollectionPosition {
    /// The position just after this one: where a page that ended with this
    /// record continues.
    pub fn successor(self) -> CollectionPosition {
        CollectionPosition {
            reported_ms: self.reported_ms,
            seq: self.seq.saturating_add(1),
        }
    }
}

impl fmt::Display for CollectionPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.reported_ms, self.seq)
    }
}

/// The error for text that is not a collection position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a position in a collection (pass `next` unchanged)")]
pub struct BadPosition(pub String);

impl FromStr for CollectionPosition {
    type Err = BadPosition;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadPosition(s.to_owned());
        let (ms, seq) = s.split_once('_').ok_or_else(bad)?;
        Ok(CollectionPosition {
            reported_ms: ms.parse().map_err(|_| bad())?,
            seq: seq.parse().map_err(|_| bad())?,
        })
    }
}

/// Which records of a collection to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectionQuery {
    /// The function whose records form the collection. A retracted record
    /// stays in the collection of its last report.
    pub function: Function,
    /// Only records whose latest version was reported strictly after this.
    pub added_after: Option<DateTime<Utc>>,
    /// Start at this position (inclusive).
    pub start: Option<CollectionPosition>,
    /// Rows to examine (1..=1000; 0 means 100). A page may hold fewer
    /// records than this, since rows the policy refuses are dropped.
    pub limit: u32,
}

/// A record of a collection with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionItem {
    /// Where it stands in the collection.
    pub position: CollectionPosition,
    /// Its latest version, already allowed for the reader.
    pub record: StoredRecord,
}

/// One page of a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionPage {
    /// The records, in collection order.
    pub items: Vec<CollectionItem>,
    /// Where the next page starts, if rows remain.
    pub next: Option<CollectionPosition>,
}

const DEFAULT_LIMIT: u32 = 100;

impl Store {
    /// Records of one function that `reader` may see, in the order they
    /// were added (latest report time, then log position), a page at a time.
    pub async fn collection_records(
        &self,
        query: &CollectionQuery,
        reader: Reader,
        ctx: &PolicyContext<'_>,
    ) -> Result<CollectionPage, StoreError> {
        let limit = match query.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        let readable = Readable::resolve(reader, ctx);
        let mut clause = Clause::default();
        audience_clause(&mut clause, &readable);
        // A tombstone has no function of its own: it is tested below
        // against the version it retracted.
        clause.and(
            "(r.function = ? OR r.retracted = 1)",
            vec![text(query.function.id())],
        );
        if let Some(t) = query.added_after {
            clause.and("r.reported_ms > ?", vec![int(t.timestamp_millis())]);
        }
        if let Some(p) = query.start {
            let seq = i64::try_from(p.seq).unwrap_or(i64::MAX);
            clause.and(
                "(r.reported_ms > ? OR (r.reported_ms = ? AND r.seq >= ?))",
                vec![int(p.reported_ms), int(p.reported_ms), int(seq)],
            );
        }
        let sql = format!(
            "SELECT r.record_id, r.seq, r.created_ms, r.reported_ms, r.retracted, l.document, \
             p.document AS prior FROM records r JOIN record_log l ON l.seq = r.seq \
             LEFT JOIN record_log p ON r.retracted = 1 AND p.record_id = r.record_id \
             AND p.version = r.version - 1 \
             WHERE {} ORDER BY r.reported_ms, r.seq LIMIT {}",
            clause.sql(),
            limit + 1
        );
        let rows = bind_all(sqlx::query(&sql), &clause.binds)
            .fetch_all(&self.pool)
            .await?;
        let position = |r: &sqlx::any::AnyRow| -> Result<CollectionPosition, StoreError> {
            let seq: i64 = r.try_get("seq")?;
            Ok(CollectionPosition {
                reported_ms: r.try_get("reported_ms")?,
                seq: u64::try_from(seq)
                    .map_err(|_| StoreError::Corrupt(format!("records.seq {seq}")))?,
            })
        };
        let next = match rows.get(limit as usize) {
            Some(r) => Some(position(r)?),
            None => None,
        };
        let mut items = Vec::with_capacity(rows.len().min(limit as usize));
        for r in rows.iter().take(limit as usize) {
            let retracted: i64 = r.try_get("retracted")?;
            if retracted != 0 {
                let prior: Option<String> = r.try_get("prior")?;
                let Some(prior) = prior else {
                    let id: String = r.try_get("record_id")?;
                    return Err(StoreError::Corrupt(format!(
                        "retracted record {id} has no version before its tombstone"
                    )));
                };
                let retracted_function = match parse_document(&prior)?.content {
                    Content::Active(report) => Some(report.function),
                    Content::Retracted { .. } => None,
                };
                if retracted_function != Some(query.function) {
                    continue;
                }
            }
            let record = stored_from_row(r)?;
            if visible(&record, reader, ctx) {
                items.push(CollectionItem {
                    position: position(r)?,
                    record,
                });
            }
        }
        Ok(CollectionPage { items, next })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;
    use ledger::NodeKey;
    use model::record::{Draft, RecordId};
    use model::{MemberCode, ReferenceData};
    use serde_json::{Value, json};

    use super::*;
    use crate::{Actor, Ledger};

    crate::backends!(collections_page_in_order_through_the_policy);

    fn draft(kind: &str, audience: Value) -> Draft {
        let body = match kind {
            "piracy" => json!({"attack_type": "boarded"}),
            _ => json!({"hazard": "tropical_cyclone"}),
        };
        Draft::parse(&json!({
            "kind": kind, "title": "t", "observed_at": "2026-11-01T00:00:00Z",
            "body": body, "distribution": {"tlp": "AMBER", "audience": audience}
        }))
        .unwrap()
    }

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, minute, 0).unwrap()
    }

    /// Every record of `function` after `added_after` that `member` may
    /// see, a row at a time.
    async fn read_all(
        store: &Store,
        data: &ReferenceData,
        function: Function,
        added_after: Option<DateTime<Utc>>,
        member: &str,
    ) -> Vec<RecordId> {
        let groups = BTreeMap::new();
        let ctx = PolicyContext {
            reference: data,
            groups: &groups,
            today: at(0).date_naive(),
        };
        let reader = Reader::Member(MemberCode::parse(member).unwrap());
        let mut query = CollectionQuery {
            function,
            added_after,
            start: None,
            limit: 1,
        };
        let mut ids = Vec::new();
        loop {
            let page = store
                .collection_records(&query, reader, &ctx)
                .await
                .unwrap();
            assert!(page.items.len() <= 1);
            ids.extend(page.items.iter().map(|i| i.record.version.id));
            match page.next {
                Some(next) => query.start = Some(next),
                None => return ids,
            }
        }
    }

    async fn collections_page_in_order_through_the_policy(store: Store) {
        let data = model::EMBEDDED.parse().unwrap();
        let actor = Actor::console("test");
        store.replace_reference(&data, &actor, 0).await.unwrap();
        let ledger = Ledger::open(store.clone(), NodeKey::from_seed(&[5; 32]), "n")
            .await
            .unwrap();
        let jpn = MemberCode::parse("JPN").unwrap();
        let all = json!({"type": "all-members"});
        let asean = json!({"type": "forum", "forum": "asean"});
        let mut ids = Vec::new();
        for (i, (kind, audience)) in [
            ("piracy", &all),
            ("disaster", &all),
            ("piracy", &asean),
            ("piracy", &all),
        ]
        .into_iter()
        .enumerate()
        {
            let v = ledger
                .create(
                    jpn,
                    draft(kind, audience.clone()),
                    &actor,
                    at(i as u32 + 1),
                    [i as u8; 10],
                )
                .await
                .unwrap();
            ids.push(v.id);
        }
        // The first piracy record is retracted last: it moves to the end and
        // stays in the piracy collection.
        ledger
            .retract(ids[0], jpn, "duplicate", &actor, at(9))
            .await
            .unwrap();
        let piracy = Function::Piracy;
        assert_eq!(
            read_all(&store, &data, piracy, None, "CHN").await,
            [ids[3], ids[0]],
            "China is not in ASEAN"
        );
        assert_eq!(
            read_all(&store, &data, piracy, None, "IDN").await,
            [ids[2], ids[3], ids[0]]
        );
        assert_eq!(
            read_all(&store, &data, piracy, Some(at(3)), "IDN").await,
            [ids[3], ids[0]],
            "strictly after"
        );
        assert_eq!(
            read_all(&store, &data, Function::Disaster, None, "CHN").await,
            [ids[1]]
        );
        assert!(
            read_all(&store, &data, Function::Health, None, "JPN")
                .await
                .is_empty()
        );
    }

    #[test]
    fn positions_round_trip_and_refuse_junk() {
        let p = CollectionPosition {
            reported_ms: 1_795_608_000_000,
            seq: 42,
        };
        assert_eq!(p.to_string().parse::<CollectionPosition>(), Ok(p));
        assert!(p < p.successor());
        for junk in ["", "12", "a_b", "1_-2", "1_2_3", "_"] {
            assert!(junk.parse::<CollectionPosition>().is_err(), "{junk}");
        }
    }
}
