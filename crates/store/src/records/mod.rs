//! Records and the signed log: writing versions, reading them through the
//! distribution policy, proofs, and the audit that `easf verify` runs.
//!
//! Every accepted [`RecordVersion`] becomes one row of `record_log`: its
//! RFC 8785 canonical JSON, the node's signature over those bytes (its
//! share of a batch signature, [`ledger::batch`]), and the RFC 9162 leaf
//! hash, at the position (`seq`) it has in the Merkle
//! log. The `records` table holds each record's latest version with the
//! columns searches filter on. After each append the node signs a tree head
//! and stores it. All of it, and the audit event, commit in one
//! transaction.
//!
//! [`Ledger`] owns the writing side: the node key and the in-memory Merkle
//! tree, behind a mutex so appends are serialised. Reading lives in
//! `search` (on [`Store`], always through [`model::is_visible`]) and
//! checking in `verify`.

pub(crate) mod bulk;
mod groups;
mod operations;
mod row;
pub(crate) mod search;
pub(crate) mod taxii;
mod verify;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ledger::{Hash, MerkleLog, NodeKey, NodePublicKey, SignedTreeHead, TreeHead, canonical};
use model::MemberCode;
use model::record::{Draft, Originator, RecordId, RecordVersion};
use serde_json::json;
use sqlx::Row;
use tokio::sync::Mutex;

use crate::audit::{self, Actor, Outcome};
use crate::error::on_unique;
use crate::{Backend, Store, StoreError};
use row::{Bind, COLUMNS, RecordColumns, bind_all};
pub use search::{
    Facets, RecordHistory, ReportFilter, ReportPage, SortCursor, StatusFilter, StoredRecord,
};
pub use verify::{Problem, VerifyReport};

/// Versions per transaction on import: big enough to amortise the commit
/// and tree head, small enough that progress moves and memory stays flat.
const IMPORT_BATCH: usize = 5000;

/// Rows per multi-row INSERT. On SQLite the placeholders are anonymous
/// (`?`): with numbered ones SQLite looks each parameter's name up by a
/// linear scan (sqlite3_bind_parameter_name), so binding cost grew with the
/// square of a statement's parameters (a third of an import's time at 200
/// rows, still 6 % at 16). With `?`, 256 rows a statement beat 64 and 1,000
/// (docs/PERFORMANCE.md). PostgreSQL keeps `$n` and the size we measured.
fn insert_chunk(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 256,
        Backend::Postgres => 16,
    }
}

/// The `records` columns a tombstone's row keeps from the version it
/// retracts.
const INHERITED_BY_TOMBSTONES: [&str; 4] = ["kind", "function", "observed_ms", "source_ref"];

/// A batch being sealed on a blocking thread.
type Sealing = tokio::task::JoinHandle<Result<SealedBatch, StoreError>>;

/// A version ready to store: its canonical bytes, signature and leaf hash.
struct Sealed {
    columns: RecordColumns,
    document: String,
    signature: String,
    leaf: Hash,
}

/// One INSERT with its values.
struct Statement {
    sql: String,
    binds: Vec<Bind>,
    /// What a unique violation means here.
    conflict: &'static str,
}

/// Sealed versions made ready to write: the leaves for the in-memory tree
/// and the INSERT statements. Built on the sealing threads, so the writer
/// only binds and executes.
struct SealedBatch {
    first_seq: u64,
    leaves: Vec<Hash>,
    last_reported_ms: i64,
    /// What the audit event names: one version, or how many.
    target: String,
    statements: Vec<Statement>,
}

/// The writing side of a node's record log.
#[derive(Debug, Clone)]
pub struct Ledger {
    store: Store,
    key: Arc<NodeKey>,
    node: String,
    log: Arc<Mutex<MerkleLog>>,
}

/// What an import added and skipped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// New records stored.
    pub added: usize,
    /// Drafts whose `source_ref` was already stored (re-import).
    pub already_present: usize,
    /// Whether the import was large enough to drop the search indexes and
    /// rebuild them at the end rather than update them row by row.
    pub rebuilt_indexes: bool,
}

impl Ledger {
    /// Opens the log of `store` for the node `node` signing with `key`.
    ///
    /// The first open records the key's public half; later opens refuse a
    /// different key, since it could not extend the log the old key signed.
    /// The Merkle tree is rebuilt in memory from the stored leaf hashes.
    pub async fn open(store: Store, key: NodeKey, node: &str) -> Result<Ledger, StoreError> {
        let public = key.public_key().to_hex();
        let stored = store.node_public_key().await?;
        match stored {
            Some(p) if p != public => {
                return Err(StoreError::Corrupt(format!(
                    "this database's log was signed by node key {p}, not by {public}; \
                     use that node's key file"
                )));
            }
            Some(_) => {}
            None => {
                sqlx::query("INSERT INTO node_identity (id, name, public_key) VALUES (1, $1, $2)")
                    .bind(node)
                    .bind(&public)
                    .execute(&store.pool)
                    .await?;
            }
        }
        let rows = sqlx::query("SELECT leaf_hash FROM record_log ORDER BY seq")
            .fetch_all(&store.pool)
            .await?;
        let mut leaves = Vec::with_capacity(rows.len());
        for r in &rows {
            let text: String = r.try_get(0)?;
            leaves.push(
                Hash::parse_hex(&text)
                    .map_err(|e| StoreError::Corrupt(format!("record_log.leaf_hash: {e}")))?,
            );
        }
        Ok(Ledger {
            store,
            key: Arc::new(key),
            node: node.to_owned(),
            log: Arc::new(Mutex::new(MerkleLog::from_leaf_hashes(leaves))),
        })
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The node's name, written into every record it originates.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The public key that verifies this node's signatures.
    pub fn public_key(&self) -> NodePublicKey {
        self.key.public_key()
    }

    /// Stores the first version of a new record.
    pub async fn create(
        &self,
        member: MemberCode,
        draft: Draft,
        actor: &Actor,
        now: DateTime<Utc>,
        random: [u8; 10],
    ) -> Result<RecordVersion, StoreError> {
        let now = truncate_ms(now);
        let id = RecordId::new_v7(now.timestamp_millis().max(0) as u64, random);
        let originator = Originator {
            member,
            agency: draft.agency.clone(),
            node: self.node.clone(),
        };
        let version = RecordVersion::first(id, originator, now, draft);
        let mut log = self.log.lock().await;
        self.append_locked(
            &mut log,
            vec![(version.clone(), now)],
            actor,
            "record.create",
        )
        .await?;
        Ok(version)
    }

    /// Stores a new version of record `id`, made by `member`.
    pub async fn update(
        &self,
        id: RecordId,
        member: MemberCode,
        draft: Draft,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<RecordVersion, StoreError> {
        let now = truncate_ms(now);
        let mut log = self.log.lock().await;
        let (latest, created) = self.store.latest_version(id).await?;
        let agency = draft.agency.clone();
        let next = latest.update(member, agency, now, draft).map_err(refused)?;
        self.append_locked(
            &mut log,
            vec![(next.clone(), created)],
            actor,
            "record.update",
        )
        .await?;
        Ok(next)
    }

    /// Retracts record `id`: stores a signed tombstone made by `member`.
    pub async fn retract(
        &self,
        id: RecordId,
        member: MemberCode,
        reason: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<RecordVersion, StoreError> {
        let now = truncate_ms(now);
        let mut log = self.log.lock().await;
        let (latest, created) = self.store.latest_version(id).await?;
        let tombstone = latest.retract(member, now, reason).map_err(refused)?;
        self.append_locked(
            &mut log,
            vec![(tombstone.clone(), created)],
            actor,
            "record.retract",
        )
        .await?;
        Ok(tombstone)
    }

    /// Stores many new records from `member` in batches, skipping drafts
    /// whose `source_ref` is already stored, so importing the same data
    /// twice adds nothing. `random` supplies the random bits of the first
    /// new id; the others count up from it (RFC 9562 §6.2, monotonic
    /// random), so an import's ids are in order and their index entries
    /// append. `progress` hears how many drafts have been handled so far.
    ///
    /// A large import beside a small log rebuilds the search indexes once
    /// at the end instead of updating them row by row (`bulk.rs`).
    pub async fn import(
        &self,
        member: MemberCode,
        drafts: Vec<Draft>,
        actor: &Actor,
        now: DateTime<Utc>,
        random: impl FnOnce() -> [u8; 10],
        progress: impl FnMut(usize),
    ) -> Result<ImportOutcome, StoreError> {
        let now = truncate_ms(now);
        let known = self.store.source_refs().await?;
        let fresh = drafts
            .iter()
            .filter(|d| {
                d.content
                    .source_ref
                    .as_ref()
                    .is_none_or(|k| !known.contains(k))
            })
            .count();
        let mut log = self.log.lock().await;
        self.catch_up(&mut log).await?;
        // Another process's bulk import holding the lock keeps the indexes
        // down and rebuilds them; this one then writes row by row.
        let bulk_lock = if bulk::should_defer(log.len(), fresh as u64) {
            self.store.begin_bulk().await?
        } else {
            None
        };
        let ids = MonotonicIds::new(now, random());
        let checkpointer = bulk_lock
            .is_some()
            .then(|| bulk::Checkpointer::start(&self.store))
            .flatten();
        let imported = self
            .import_locked(&mut log, member, drafts, &known, actor, now, ids, progress)
            .await;
        if let Some(c) = checkpointer {
            c.stop().await;
        }
        // Rebuild even after a failure: the rows that did commit need them.
        let rebuilt_indexes = bulk_lock.is_some();
        let restored = match bulk_lock {
            Some(lock) => self.store.end_bulk(lock).await.map(|_| ()),
            None => Ok(()),
        };
        let mut outcome = imported?;
        restored?;
        outcome.rebuilt_indexes = rebuilt_indexes;
        Ok(outcome)
    }

    #[allow(clippy::too_many_arguments)]
    async fn import_locked(
        &self,
        log: &mut MerkleLog,
        member: MemberCode,
        drafts: Vec<Draft>,
        known: &std::collections::HashSet<String>,
        actor: &Actor,
        now: DateTime<Utc>,
        mut ids: MonotonicIds,
        mut progress: impl FnMut(usize),
    ) -> Result<ImportOutcome, StoreError> {
        let mut outcome = ImportOutcome::default();
        let mut seen = std::collections::HashSet::new();
        let mut drafts = drafts.into_iter().enumerate().peekable();
        // Sealing (hashing, signing, verifying) of one batch runs on other
        // threads while the previous batch is written, so the CPU-bound and
        // the database-bound halves of an import overlap.
        let mut next_seq = log.len();
        let mut in_flight: Option<(Sealing, usize)> = None;
        loop {
            let mut batch = Vec::with_capacity(IMPORT_BATCH);
            let mut done = 0;
            for (i, draft) in drafts.by_ref() {
                done = i + 1;
                if let Some(key) = &draft.content.source_ref
                    && (known.contains(key) || !seen.insert(key.clone()))
                {
                    outcome.already_present += 1;
                    continue;
                }
                let originator = Originator {
                    member,
                    agency: draft.agency.clone(),
                    node: self.node.clone(),
                };
                batch.push((
                    RecordVersion::first(ids.next(), originator, now, draft),
                    now,
                ));
                if batch.len() == IMPORT_BATCH {
                    break;
                }
            }
            outcome.added += batch.len();
            let next = (!batch.is_empty()).then(|| {
                let key = Arc::clone(&self.key);
                let start = next_seq;
                let backend = self.store.backend;
                next_seq += batch.len() as u64;
                (
                    tokio::task::spawn_blocking(move || {
                        seal_all(&key, batch, start).map(|sealed| prepare(backend, sealed))
                    }),
                    done,
                )
            });
            if let Some((sealing, done_before)) = in_flight.take() {
                let sealed = sealing
                    .await
                    .map_err(|e| StoreError::Corrupt(format!("signing task failed: {e}")))??;
                self.commit_sealed(log, sealed, actor, "record.import")
                    .await?;
                progress(done_before);
            } else if next.is_none() {
                // Nothing new at all (a re-import): still report the end.
                progress(done);
            }
            match next {
                Some(n) => in_flight = Some(n),
                None if drafts.peek().is_none() => break,
                None => {}
            }
        }
        Ok(outcome)
    }

    /// Signs, logs and stores `versions` (with each record's creation
    /// time) in one transaction, with a signed tree head and one audit
    /// event. On any failure nothing is stored and the in-memory tree is
    /// rolled back.
    async fn append_locked(
        &self,
        log: &mut MerkleLog,
        versions: Vec<(RecordVersion, DateTime<Utc>)>,
        actor: &Actor,
        action: &str,
    ) -> Result<SignedTreeHead, StoreError> {
        self.catch_up(log).await?;
        let sealed = seal_all(&self.key, versions, log.len())?;
        let batch = prepare(self.store.backend, sealed);
        self.commit_sealed(log, batch, actor, action).await
    }

    /// Appends sealed versions (numbered from the log's current length) to
    /// the tree, signs the new head and writes everything in one
    /// transaction; rolls the tree back if the write fails.
    async fn commit_sealed(
        &self,
        log: &mut MerkleLog,
        batch: SealedBatch,
        actor: &Actor,
        action: &str,
    ) -> Result<SignedTreeHead, StoreError> {
        let start = log.len();
        if !batch.leaves.is_empty() && batch.first_seq != start {
            return Err(StoreError::Corrupt(format!(
                "sealed versions start at {} but the log has {start} entries",
                batch.first_seq
            )));
        }
        for leaf in &batch.leaves {
            log.append_leaf_hash(*leaf);
        }
        let now_ms = batch.last_reported_ms.max(0);
        let head = TreeHead::of(log, now_ms as u64).sign(&self.key);
        let result = self.write(&batch, &head, actor, action, now_ms).await;
        if result.is_err() {
            log.truncate(start);
        }
        result.map(|()| head)
    }

    /// Appends to the in-memory tree any entries another process (a CLI
    /// import beside a running server, a second server on PostgreSQL)
    /// committed since this one last looked.
    async fn catch_up(&self, log: &mut MerkleLog) -> Result<(), StoreError> {
        // MAX over the primary key is one index probe on both engines,
        // whatever the planner's statistics say; the range query below
        // could be planned as a full scan on a freshly filled PostgreSQL
        // table, and proofs call this every time.
        let max = sqlx::query("SELECT MAX(seq) FROM record_log")
            .fetch_one(&self.store.pool)
            .await?;
        let max: Option<i64> = max.try_get(0)?;
        if max.is_none_or(|m| m < log.len() as i64) {
            return Ok(());
        }
        let rows =
            sqlx::query("SELECT seq, leaf_hash FROM record_log WHERE seq >= $1 ORDER BY seq")
                .bind(log.len() as i64)
                .fetch_all(&self.store.pool)
                .await?;
        for r in rows {
            let seq: i64 = r.try_get(0)?;
            if seq as u64 != log.len() {
                return Err(StoreError::Corrupt(format!(
                    "record_log has seq {seq} where {} was due; run `easf verify`",
                    log.len()
                )));
            }
            let text: String = r.try_get(1)?;
            let leaf = Hash::parse_hex(&text).map_err(|e| {
                StoreError::Corrupt(format!("record_log.leaf_hash at seq {seq}: {e}"))
            })?;
            log.append_leaf_hash(leaf);
        }
        Ok(())
    }

    async fn write(
        &self,
        batch: &SealedBatch,
        head: &SignedTreeHead,
        actor: &Actor,
        action: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.store.pool.begin().await?;
        for statement in &batch.statements {
            bind_all(sqlx::query(&statement.sql), &statement.binds)
                .execute(&mut *tx)
                .await
                .map_err(on_unique(statement.conflict))?;
        }
        sqlx::query(
            "INSERT INTO tree_heads (tree_size, root_hash, timestamp_ms, signature) VALUES ($1, $2, $3, $4)",
        )
        .bind(head.head.tree_size as i64)
        .bind(head.head.root_hash.to_hex())
        .bind(head.head.timestamp_ms as i64)
        .bind(head.signature.to_hex())
        .execute(&mut *tx)
        .await?;
        let detail = json!({"first_seq": batch.first_seq, "tree_size": head.head.tree_size});
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            action,
            &batch.target,
            Outcome::Ok,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Turns sealed versions into the INSERTs that store them: their
/// `record_log` rows, and the `records` row of each record's latest
/// version. Values are moved, not copied.
fn prepare(backend: Backend, sealed: Vec<Sealed>) -> SealedBatch {
    let first_seq = sealed.first().map_or(0, |s| s.columns.seq.max(0) as u64);
    let last_reported_ms = sealed.last().map_or(0, |s| s.columns.reported_ms);
    let target = match sealed.as_slice() {
        [one] => format!("{} v{}", one.columns.record_id, one.columns.version),
        many => format!("{} versions", many.len()),
    };
    let leaves = sealed.iter().map(|s| s.leaf).collect();
    let mut log_rows = Vec::with_capacity(sealed.len());
    let mut latest: Vec<RecordColumns> = Vec::new();
    let mut position = std::collections::HashMap::new();
    for s in sealed {
        log_rows.push(vec![
            Bind::Int(Some(s.columns.seq)),
            Bind::Text(Some(s.columns.record_id.clone())),
            Bind::Int(Some(s.columns.version)),
            Bind::Text(Some(s.document)),
            Bind::Text(Some(s.signature)),
            Bind::Text(Some(s.leaf.to_hex())),
        ]);
        match position.get(&s.columns.record_id) {
            Some(&i) => latest[i] = s.columns,
            None => {
                position.insert(s.columns.record_id.clone(), latest.len());
                latest.push(s.columns);
            }
        }
    }
    let mut statements = inserts(
        backend,
        "INSERT INTO record_log (seq, record_id, version, document, signature, leaf_hash) VALUES ",
        "",
        log_rows,
        "a log entry at this position (another process wrote to the log at the same moment; retry)",
    );
    statements.extend(inserts(
        backend,
        &RECORDS_INSERT.0,
        &RECORDS_INSERT.1,
        latest.into_iter().map(RecordColumns::into_binds).collect(),
        "a record with this source_ref",
    ));
    SealedBatch {
        first_seq,
        leaves,
        last_reported_ms,
        target,
        statements,
    }
}

/// The head and tail of the `records` upsert: a tombstone keeps the kind,
/// function, time and source key of the row it replaces, as
/// `RecordColumns::inherit_retracted` does when `verify` recomputes rows.
static RECORDS_INSERT: std::sync::LazyLock<(String, String)> = std::sync::LazyLock::new(|| {
    let updates: Vec<String> = COLUMNS[1..]
        .iter()
        .map(|&c| {
            if INHERITED_BY_TOMBSTONES.contains(&c) {
                format!(
                    "{c} = CASE WHEN excluded.retracted = 1 THEN records.{c} ELSE excluded.{c} END"
                )
            } else {
                format!("{c} = excluded.{c}")
            }
        })
        .collect();
    (
        format!("INSERT INTO records ({}) VALUES ", COLUMNS.join(", ")),
        format!(
            " ON CONFLICT (record_id) DO UPDATE SET {}",
            updates.join(", ")
        ),
    )
});

/// Multi-row INSERTs of `rows` (all of one width), [`insert_chunk`] rows
/// a statement: `head`, the placeholders, `tail`.
fn inserts(
    backend: Backend,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Bind>>,
    conflict: &'static str,
) -> Vec<Statement> {
    let anonymous = backend == Backend::Sqlite;
    let mut statements = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while let Some(first) = rows.peek() {
        let width = first.len();
        let chunk: Vec<Vec<Bind>> = rows.by_ref().take(insert_chunk(backend)).collect();
        let mut sql = String::from(head);
        push_rows(&mut sql, chunk.len(), width, anonymous);
        sql.push_str(tail);
        statements.push(Statement {
            sql,
            binds: chunk.into_iter().flatten().collect(),
            conflict,
        });
    }
    statements
}

/// Appends `rows` parenthesised groups of `width` placeholders.
fn push_rows(sql: &mut String, rows: usize, width: usize, anonymous: bool) {
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        push_placeholders(sql, row * width, width, anonymous);
        sql.push(')');
    }
}

/// Canonicalises, hashes, signs and verifies each version. Large batches
/// are split over two threads: canonical JSON and hashing dominate the
/// cost of sealing now that one signature covers many versions.
fn seal_all(
    key: &NodeKey,
    versions: Vec<(RecordVersion, DateTime<Utc>)>,
    start: u64,
) -> Result<Vec<Sealed>, StoreError> {
    if versions.len() < 64 {
        return seal_range(key, &versions, start);
    }
    let mid = versions.len() / 2;
    let (left, right) = versions.split_at(mid);
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| seal_range(key, right, start + mid as u64));
        let mine = seal_range(key, left, start);
        (mine, other.join())
    });
    let mut a = a?;
    let b = b.map_err(|_| StoreError::Corrupt("signing thread panicked".into()))??;
    a.extend(b);
    Ok(a)
}

/// Seals consecutive versions: canonical bytes and leaf hashes, then one
/// batch signature per [`ledger::batch::MAX_BATCH`] versions, each checked
/// before anything is stored, as a peer would check it: a fault here must
/// stop the write rather than poison the log.
fn seal_range(
    key: &NodeKey,
    items: &[(RecordVersion, DateTime<Utc>)],
    first: u64,
) -> Result<Vec<Sealed>, StoreError> {
    let mut sealed = items
        .iter()
        .enumerate()
        .map(|(i, (v, created))| seal(v, *created, first + i as u64))
        .collect::<Result<Vec<Sealed>, StoreError>>()?;
    let mut verifier = ledger::batch::Verifier::new(key.public_key());
    for batch in sealed.chunks_mut(ledger::batch::MAX_BATCH) {
        let leaves: Vec<Hash> = batch.iter().map(|s| s.leaf).collect();
        let signatures = ledger::sign_batch(key, &leaves)
            .map_err(|e| StoreError::Corrupt(format!("cannot sign a batch: {e}")))?;
        for (s, signature) in batch.iter_mut().zip(signatures) {
            let signature = ledger::RecordSignature::Batch(signature);
            verifier
                .verify(&signature, s.document.as_bytes(), &s.leaf)
                .map_err(|e| {
                    StoreError::Corrupt(format!("fresh signature does not verify: {e}"))
                })?;
            s.signature = signature.to_text();
        }
    }
    Ok(sealed)
}

/// Canonicalises and hashes one version; its signature comes with its batch.
fn seal(version: &RecordVersion, created: DateTime<Utc>, seq: u64) -> Result<Sealed, StoreError> {
    let bytes = canonical::to_vec(&version.to_json())
        .map_err(|e| StoreError::Invalid(format!("record {}: {e}", version.id)))?;
    let leaf = ledger::leaf_hash(&bytes);
    let document = String::from_utf8(bytes)
        .map_err(|e| StoreError::Invalid(format!("record {}: {e}", version.id)))?;
    Ok(Sealed {
        columns: RecordColumns::of(version, seq as i64, created.timestamp_millis()),
        document,
        signature: String::new(),
        leaf,
    })
}

/// `count` placeholders for parameters `first + 1 ..`: `$n`, or `?` when
/// `anonymous` (SQLite, which binds `?` by position without a name lookup).
fn push_placeholders(sql: &mut String, first: usize, count: usize, anonymous: bool) {
    for i in 0..count {
        if i > 0 {
            sql.push_str(", ");
        }
        if anonymous {
            sql.push('?');
        } else {
            sql.push('$');
            sql.push_str(&(first + i + 1).to_string());
        }
    }
}

/// Record ids for one import: UUIDv7 at one millisecond whose random bits
/// count up from a random start (RFC 9562 §6.2, method 2), so they sort in
/// import order. Random ids would scatter every row over the id indexes.
struct MonotonicIds {
    unix_ms: u64,
    high: [u8; 3],
    counter: u64,
}

impl MonotonicIds {
    fn new(now: DateTime<Utc>, random: [u8; 10]) -> MonotonicIds {
        let mut low = [0u8; 8];
        low[1..].copy_from_slice(&random[3..]);
        // The counter owns the last seven bytes, which the UUID version and
        // variant leave alone; clearing its top bit leaves 2^55 steps
        // before it could carry out of them.
        low[1] &= 0x7f;
        MonotonicIds {
            unix_ms: now.timestamp_millis().max(0) as u64,
            high: [random[0], random[1], random[2]],
            counter: u64::from_be_bytes(low),
        }
    }

    fn next(&mut self) -> RecordId {
        let mut bits = [0u8; 10];
        bits[..3].copy_from_slice(&self.high);
        bits[3..].copy_from_slice(&self.counter.to_be_bytes()[1..]);
        self.counter += 1;
        RecordId::new_v7(self.unix_ms, bits)
    }
}

fn refused(e: model::record::RecordError) -> StoreError {
    match e {
        model::record::RecordError::NotOriginator { .. } => StoreError::Forbidden(e.to_string()),
        model::record::RecordError::Retracted(_) => StoreError::Conflict(e.to_string()),
        model::record::RecordError::NoReason => StoreError::Invalid(e.to_string()),
    }
}

/// Times are kept to the millisecond, as JSON and the database hold them.
fn truncate_ms(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

impl Store {
    /// The public key recorded by the first node that signed this
    /// database's log, if any.
    pub async fn node_public_key(&self) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT public_key FROM node_identity WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// The latest signed tree head, if anything was logged.
    pub async fn latest_tree_head(&self) -> Result<Option<SignedTreeHead>, StoreError> {
        let row = sqlx::query(
            "SELECT tree_size, root_hash, timestamp_ms, signature FROM tree_heads \
             ORDER BY tree_size DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| verify::head_from_row(&r)).transpose()
    }

    /// The stored tree head of exactly `tree_size` leaves.
    pub async fn tree_head(&self, tree_size: u64) -> Result<SignedTreeHead, StoreError> {
        let row = sqlx::query(
            "SELECT tree_size, root_hash, timestamp_ms, signature FROM tree_heads WHERE tree_size = $1",
        )
        .bind(tree_size as i64)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("tree head of size {tree_size}")))?;
        verify::head_from_row(&row)
    }

    /// The latest version of a record, with its creation time, regardless
    /// of visibility: for writers, which check ownership themselves.
    async fn latest_version(
        &self,
        id: RecordId,
    ) -> Result<(RecordVersion, DateTime<Utc>), StoreError> {
        let row = sqlx::query(
            "SELECT l.document, r.created_ms FROM records r JOIN record_log l ON l.seq = r.seq \
             WHERE r.record_id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("record {id}")))?;
        let document: String = row.try_get(0)?;
        let created: i64 = row.try_get(1)?;
        Ok((search::parse_document(&document)?, search::from_ms(created)))
    }

    /// How many versions the log holds (for progress bars).
    pub async fn log_rows(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM record_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)?.max(0) as u64)
    }

    /// Every `source_ref` stored, for idempotent imports.
    async fn source_refs(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let rows = sqlx::query("SELECT source_ref FROM records WHERE source_ref IS NOT NULL")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
            .collect()
    }
}

impl Ledger {
    /// Leaf hashes and proofs come from the in-memory tree, which always
    /// equals the committed log.
    pub async fn inclusion_proof(
        &self,
        seq: u64,
        tree_size: u64,
    ) -> Result<(Hash, Vec<Hash>), StoreError> {
        let mut log = self.log.lock().await;
        self.catch_up(&mut log).await?;
        let leaf = log
            .leaf_hash(seq)
            .ok_or_else(|| StoreError::NotFound(format!("log entry {seq}")))?;
        let proof = log
            .inclusion_proof(seq, tree_size)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        Ok((leaf, proof))
    }

    /// The consistency proof between two sizes of the log.
    pub async fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, StoreError> {
        let mut log = self.log.lock().await;
        self.catch_up(&mut log).await?;
        log.consistency_proof(old, new)
            .map_err(|e| StoreError::Invalid(e.to_string()))
    }

    /// The number of entries in the log.
    pub async fn log_size(&self) -> Result<u64, StoreError> {
        let mut log = self.log.lock().await;
        self.catch_up(&mut log).await?;
        Ok(log.len())
    }
}
