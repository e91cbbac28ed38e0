//! Reading records: search with filters, cursors and facets, one record
//! with its versions, sharing groups. Every record returned has passed
//! [`model::is_visible`]; the SQL only narrows the rows to test, using
//! [`Readable`], the policy compiled for the reader.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use model::record::{BoundingBox, Geometry, RecordId, RecordVersion};
use model::report::ReportKind;
use model::{Function, MemberCode, PolicyContext, Readable, Reader, is_visible};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::row::{Bind, bind_all};
use crate::{Store, StoreError};

/// Which records a search returns by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Records whose latest version is a report (the default).
    #[default]
    Active,
    /// Only retracted records (their tombstones).
    Retracted,
    /// Both.
    All,
}

/// A search over records. Every filter is optional; all given must hold.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// Filed under this function.
    pub function: Option<Function>,
    /// Of this kind.
    pub kind: Option<ReportKind>,
    /// Observed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Observed before.
    pub to: Option<DateTime<Utc>>,
    /// Located in (touching) this box.
    pub bbox: Option<BoundingBox>,
    /// Located in (touching) this polygon.
    pub polygon: Option<Geometry>,
    /// Originated by this member.
    pub member: Option<MemberCode>,
    /// Containing this text (case-insensitive) in title, place or
    /// description.
    pub text: Option<String>,
    /// Active, retracted or all.
    pub status: StatusFilter,
    /// Page size (1..=1000; 0 means the default of 50).
    pub limit: u32,
    /// Continue after this position.
    pub cursor: Option<SortCursor>,
    /// Also count matches by function, kind, originator and TLP.
    pub facets: bool,
}

/// A position in the result order (observed time, newest first, then id):
/// stable under inserts, so paging never repeats or skips a record that
/// was there when paging began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortCursor {
    observed_ms: i64,
    record_id: String,
}

impl fmt::Display for SortCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.observed_ms, self.record_id)
    }
}

/// The error for a cursor this node did not hand out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a cursor from a previous page (pass `next` unchanged)")]
pub struct BadCursor(pub String);

impl FromStr for SortCursor {
    type Err = BadCursor;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadCursor(s.to_owned());
        let (ms, id) = s.split_once('_').ok_or_else(bad)?;
        let observed_ms = ms.parse().map_err(|_| bad())?;
        let id: RecordId = id.parse().map_err(|_| bad())?;
        Ok(SortCursor {
            observed_ms,
            record_id: id.to_string(),
        })
    }
}

/// A record's latest version as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    /// The latest version.
    pub version: RecordVersion,
    /// Its position in the log.
    pub seq: u64,
    /// When the first version was reported.
    pub created: DateTime<Utc>,
}

/// Counts of matching records by field value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By function id.
    pub function: BTreeMap<String, u64>,
    /// By report kind.
    pub kind: BTreeMap<String, u64>,
    /// By originating member.
    pub originator: BTreeMap<String, u64>,
    /// By TLP label.
    pub tlp: BTreeMap<String, u64>,
}

impl Facets {
    /// Adds `n` to the counts of the function, kind, originator and TLP
    /// read from four consecutive columns of `row` starting at `first`.
    /// Tombstones have no function or kind; they count under "-".
    fn count(&mut self, row: &AnyRow, first: usize, n: u64) -> Result<(), StoreError> {
        for (i, map) in [
            &mut self.function,
            &mut self.kind,
            &mut self.originator,
            &mut self.tlp,
        ]
        .into_iter()
        .enumerate()
        {
            let value: Option<String> = row.try_get(first + i)?;
            *map.entry(value.unwrap_or_else(|| "-".to_owned()))
                .or_insert(0) += n;
        }
        Ok(())
    }
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportPage {
    /// The records, newest observation first.
    pub items: Vec<StoredRecord>,
    /// How many records match in all.
    pub total: u64,
    /// Where the next page starts, if there is one.
    pub next: Option<SortCursor>,
    /// Counts, when asked for.
    pub facets: Option<Facets>,
}

/// A record and the versions the reader may see.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordHistory {
    /// The latest version.
    pub latest: StoredRecord,
    /// Visible versions, oldest first. A retracted record shows only its
    /// tombstone: retraction hides the earlier content from ordinary reads.
    pub versions: Vec<RecordVersion>,
    /// How many versions the log holds.
    pub version_count: u32,
}

/// Largest page.
pub const MAX_LIMIT: u32 = 1000;
const DEFAULT_LIMIT: u32 = 50;

/// A WHERE clause under construction, with its binds numbered `$n` from 1.
#[derive(Default)]
pub(crate) struct Clause {
    parts: Vec<String>,
    pub(crate) binds: Vec<Bind>,
}

impl Clause {
    /// Adds a condition; each `?` in `sql` takes the next of `binds`.
    pub(crate) fn and(&mut self, sql: &str, binds: Vec<Bind>) {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut next = self.binds.len();
        for ch in sql.chars() {
            if ch == '?' {
                next += 1;
                out.push('$');
                out.push_str(&next.to_string());
            } else {
                out.push(ch);
            }
        }
        self.parts.push(out);
        self.binds.extend(binds);
    }

    pub(crate) fn sql(&self) -> String {
        if self.parts.is_empty() {
            "TRUE".to_owned()
        } else {
            self.parts.join(" AND ")
        }
    }
}

pub(crate) fn text(s: &str) -> Bind {
    Bind::Text(Some(s.to_owned()))
}

pub(crate) fn int(i: i64) -> Bind {
    Bind::Int(Some(i))
}

fn real(f: f64) -> Bind {
    Bind::Real(Some(f))
}

/// The rows the reader's audiences admit: SQL for [`Readable::admits`].
pub(crate) fn audience_clause(clause: &mut Clause, readable: &Readable) {
    let Some(member) = readable.member else {
        clause.and("r.audience_type = 'public'", vec![]);
        return;
    };
    let mut sql = String::from(
        "(r.originator = ? OR r.audience_type IN ('public', 'all-members') \
         OR (r.audience_type = 'members' AND r.audience_members LIKE ?)",
    );
    let mut binds = vec![text(member.as_str()), text(&format!("%,{member},%"))];
    for (kind, ids) in [
        (
            "forum",
            readable
                .forums
                .iter()
                .map(|f| f.as_str().to_owned())
                .collect::<Vec<_>>(),
        ),
        ("group", readable.groups.clone()),
    ] {
        if ids.is_empty() {
            continue;
        }
        sql.push_str(&format!(
            " OR (r.audience_type = '{kind}' AND r.audience_ref IN ("
        ));
        sql.push_str(&vec!["?"; ids.len()].join(", "));
        sql.push_str("))");
        binds.extend(ids.iter().map(|i| text(i)));
    }
    sql.push(')');
    clause.and(&sql, binds);
}

/// `%`, `_` and `\` in user text match themselves.
fn like_pattern(needle: &str) -> String {
    let mut p = String::from("%");
    for ch in needle.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn filter_clause(filter: &ReportFilter, readable: &Readable) -> Clause {
    let mut c = Clause::default();
    audience_clause(&mut c, readable);
    match filter.status {
        StatusFilter::Active => c.and("r.retracted = 0", vec![]),
        StatusFilter::Retracted => c.and("r.retracted = 1", vec![]),
        StatusFilter::All => {}
    }
    if let Some(f) = filter.function {
        c.and("r.function = ?", vec![text(f.id())]);
    }
    if let Some(k) = filter.kind {
        c.and("r.kind = ?", vec![text(k.id())]);
    }
    if let Some(m) = filter.member {
        c.and("r.originator = ?", vec![text(m.as_str())]);
    }
    if let Some(t) = filter.from {
        c.and("r.observed_ms >= ?", vec![int(t.timestamp_millis())]);
    }
    if let Some(t) = filter.to {
        c.and("r.observed_ms < ?", vec![int(t.timestamp_millis())]);
    }
    let boxes = filter
        .bbox
        .into_iter()
        .chain(filter.polygon.as_ref().map(Geometry::bounding_box));
    for b in boxes {
        c.and(
            "r.west <= ? AND r.east >= ? AND r.south <= ? AND r.north >= ?",
            vec![real(b.east), real(b.west), real(b.north), real(b.south)],
        );
    }
    if let Some(t) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        c.and(
            "r.search_text LIKE ? ESCAPE '\\'",
            vec![text(&like_pattern(t))],
        );
    }
    c
}

pub(crate) fn parse_document(document: &str) -> Result<RecordVersion, StoreError> {
    let value: serde_json::Value = serde_json::from_str(document)
        .map_err(|e| StoreError::Corrupt(format!("record document is not JSON: {e}")))?;
    RecordVersion::from_json(&value)
        .map_err(|e| StoreError::Corrupt(format!("record document does not parse: {e}")))
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub(crate) fn stored_from_row(r: &AnyRow) -> Result<StoredRecord, StoreError> {
    let document: String = r.try_get("document")?;
    let seq: i64 = r.try_get("seq")?;
    let created: i64 = r.try_get("created_ms")?;
    Ok(StoredRecord {
        version: parse_document(&document)?,
        seq: seq as u64,
        created: from_ms(created),
    })
}

/// The final gate: the policy itself decides. A row the SQL admitted but
/// the policy refuses means the columns disagree with the signed document
/// (edited behind the node's back); it is withheld and reported.
pub(crate) fn visible(record: &StoredRecord, reader: Reader, ctx: &PolicyContext<'_>) -> bool {
    let v = &record.version;
    let ok = is_visible(&v.distribution, v.originator.member, reader, ctx);
    if !ok {
        tracing::warn!(record = %v.id, "record columns disagree with its signed document; run `easf verify`");
    }
    ok
}

const PAGE_COLUMNS: &str = "r.record_id, r.seq, r.created_ms, r.observed_ms, l.document";

impl Store {
    /// Records matching `filter` that `reader` may see, a page at a time.
    pub async fn search_records(
        &self,
        filter: &ReportFilter,
        reader: Reader,
        ctx: &PolicyContext<'_>,
    ) -> Result<ReportPage, StoreError> {
        let readable = Readable::resolve(reader, ctx);
        let limit = match filter.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        if filter.polygon.is_some() {
            return self
                .search_in_polygon(filter, &readable, limit, reader, ctx)
                .await;
        }
        let clause = filter_clause(filter, &readable);
        let where_sql = clause.sql();
        let (total, facets) = if filter.facets {
            let facets = self.facets(&where_sql, &clause.binds).await?;
            (facets.function.values().sum::<u64>(), Some(facets))
        } else {
            let count = bind_all(
                sqlx::query(&format!("SELECT COUNT(*) FROM records r WHERE {where_sql}")),
                &clause.binds,
            )
            .fetch_one(&self.pool)
            .await?;
            (count.try_get::<i64, _>(0)?.max(0) as u64, None)
        };
        let mut page = filter_clause(filter, &readable);
        if let Some(c) = &filter.cursor {
            page.and(
                "(r.observed_ms < ? OR (r.observed_ms = ? AND r.record_id < ?))",
                vec![int(c.observed_ms), int(c.observed_ms), text(&c.record_id)],
            );
        }
        let sql = format!(
            "SELECT {PAGE_COLUMNS} FROM records r JOIN record_log l ON l.seq = r.seq \
             WHERE {} ORDER BY r.observed_ms DESC, r.record_id DESC LIMIT {}",
            page.sql(),
            limit + 1
        );
        let rows = bind_all(sqlx::query(&sql), &page.binds)
            .fetch_all(&self.pool)
            .await?;
        self.finish_page(&rows, limit, total, facets, reader, ctx)
    }

    fn finish_page(
        &self,
        rows: &[AnyRow],
        limit: u32,
        total: u64,
        facets: Option<Facets>,
        reader: Reader,
        ctx: &PolicyContext<'_>,
    ) -> Result<ReportPage, StoreError> {
        let more = rows.len() > limit as usize;
        let rows = &rows[..rows.len().min(limit as usize)];
        let next = match (more, rows.last()) {
            (true, Some(last)) => Some(SortCursor {
                observed_ms: last.try_get("observed_ms")?,
                record_id: last.try_get("record_id")?,
            }),
            _ => None,
        };
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let record = stored_from_row(r)?;
            if visible(&record, reader, ctx) {
                items.push(record);
            }
        }
        Ok(ReportPage {
            items,
            total,
            next,
            facets,
        })
    }

    /// Counts by function, kind, originator and TLP in one grouped scan.
    /// Tombstones have no function or kind; they are counted under "-".
    async fn facets(&self, where_sql: &str, binds: &[Bind]) -> Result<Facets, StoreError> {
        let mut facets = Facets::default();
        let sql = format!(
            "SELECT r.function, r.kind, r.originator, r.tlp, COUNT(*) FROM records r \
             WHERE {where_sql} GROUP BY r.function, r.kind, r.originator, r.tlp"
        );
        for row in bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?
        {
            let n = row.try_get::<i64, _>(4)?.max(0) as u64;
            facets.count(&row, 0, n)?;
        }
        Ok(facets)
    }

    /// A polygon search: the SQL narrows by the polygon's bounding box,
    /// then each candidate is tested exactly, and counts, facets and the
    /// page come from the exact set.
    async fn search_in_polygon(
        &self,
        filter: &ReportFilter,
        readable: &Readable,
        limit: u32,
        reader: Reader,
        ctx: &PolicyContext<'_>,
    ) -> Result<ReportPage, StoreError> {
        let Some(area) = &filter.polygon else {
            return Err(StoreError::Invalid("no polygon".into()));
        };
        let clause = filter_clause(filter, readable);
        let sql = format!(
            "SELECT r.record_id, r.observed_ms, r.function, r.kind, r.originator, r.tlp, \
             r.west, r.south, r.east, r.north, l.document, r.seq, r.created_ms \
             FROM records r JOIN record_log l ON l.seq = r.seq WHERE {} \
             ORDER BY r.observed_ms DESC, r.record_id DESC",
            clause.sql()
        );
        let rows = bind_all(sqlx::query(&sql), &clause.binds)
            .fetch_all(&self.pool)
            .await?;
        let mut matching = Vec::new();
        let mut facets = Facets::default();
        for r in rows {
            let record = stored_from_row(&r)?;
            let inside = record
                .version
                .report()
                .and_then(|c| c.location.as_ref())
                .is_some_and(|g| g.touches(area));
            if !inside || !visible(&record, reader, ctx) {
                continue;
            }
            let observed_ms: i64 = r.try_get("observed_ms")?;
            facets.count(&r, 2, 1)?;
            matching.push((observed_ms, record));
        }
        let total = matching.len() as u64;
        let start = match &filter.cursor {
            None => 0,
            Some(c) => matching
                .iter()
                .position(|(ms, rec)| {
                    (*ms, rec.version.id.to_string()) < (c.observed_ms, c.record_id.clone())
                })
                .unwrap_or(matching.len()),
        };
        let end = (start + limit as usize).min(matching.len());
        let next = (end < matching.len())
            .then(|| &matching[end - 1])
            .map(|(ms, rec)| SortCursor {
                observed_ms: *ms,
                record_id: rec.version.id.to_string(),
            });
        let items = matching.drain(start..end).map(|(_, r)| r).collect();
        Ok(ReportPage {
            items,
            total,
            next,
            facets: filter.facets.then_some(facets),
        })
    }

    /// Record `id` with the versions `reader` may see. A record the reader
    /// may not see is "not found", so its existence does not leak.
    pub async fn record_history(
        &self,
        id: RecordId,
        reader: Reader,
        ctx: &PolicyContext<'_>,
    ) -> Result<RecordHistory, StoreError> {
        let not_found = || StoreError::NotFound(format!("record {id}"));
        let row = sqlx::query(&format!(
            "SELECT {PAGE_COLUMNS} FROM records r JOIN record_log l ON l.seq = r.seq \
             WHERE r.record_id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(not_found)?;
        let latest = stored_from_row(&row)?;
        if !is_visible(
            &latest.version.distribution,
            latest.version.originator.member,
            reader,
            ctx,
        ) {
            return Err(not_found());
        }
        let rows =
            sqlx::query("SELECT document FROM record_log WHERE record_id = $1 ORDER BY version")
                .bind(id.to_string())
                .fetch_all(&self.pool)
                .await?;
        let version_count = rows.len() as u32;
        let versions = if latest.version.is_retracted() {
            vec![latest.version.clone()]
        } else {
            let mut versions = Vec::with_capacity(rows.len());
            for r in &rows {
                let v = parse_document(&r.try_get::<String, _>(0)?)?;
                // An earlier version shared more narrowly stays hidden.
                if is_visible(&v.distribution, v.originator.member, reader, ctx) {
                    versions.push(v);
                }
            }
            versions
        };
        Ok(RecordHistory {
            latest,
            versions,
            version_count,
        })
    }

    /// Sharing groups and their members, by id.
    pub async fn sharing_groups(&self) -> Result<BTreeMap<String, Vec<MemberCode>>, StoreError> {
        let mut groups: BTreeMap<String, Vec<MemberCode>> = BTreeMap::new();
        for r in sqlx::query("SELECT id FROM sharing_groups")
            .fetch_all(&self.pool)
            .await?
        {
            groups.insert(r.try_get(0)?, Vec::new());
        }
        let rows = sqlx::query(
            "SELECT group_id, member FROM sharing_group_members ORDER BY group_id, member",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let group: String = r.try_get(0)?;
            let member: String = r.try_get(1)?;
            let code = MemberCode::parse(&member)
                .map_err(|e| StoreError::Corrupt(format!("sharing_group_members.member: {e}")))?;
            groups.entry(group).or_default().push(code);
        }
        Ok(groups)
    }
}
