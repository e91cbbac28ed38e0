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
    use super::*;

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
