//! `easf verify`: recompute every signature, the Merkle tree and the
//! derived `records` rows from the log, and name every row that no longer
//! agrees with what the node signed.
//!
//! Checks, in one pass over `record_log` in `seq` order:
//! - the document is JSON in RFC 8785 canonical form, and parses as a
//!   record version whose id and version match the row's columns;
//! - the signature (a share of a batch signature, or a plain ed25519
//!   signature in logs written before batches) verifies under the node key;
//! - each record's versions appear in order 1, 2, 3, …;
//! - [`ledger::audit::find_divergence_hashed`] over the leaf hashes and the
//!   signed tree heads (numbering, stored leaf hashes, signed roots,
//!   missing tail);
//! - each `records` row equals the row derived from its latest version.

use std::collections::HashMap;

use ledger::audit::{Divergence, HashedRow, find_divergence_hashed};
use ledger::batch::Verifier;
use ledger::{
    Hash, NodePublicKey, RecordSignature, Signature, SignedTreeHead, TreeHead, canonical,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::row::{COLUMNS, RecordColumns};
use super::search::parse_document;
use crate::{Store, StoreError};

/// Rows read per query.
const CHUNK: i64 = 5000;

/// Something `verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The database names a different node key than the one given.
    KeyMismatch {
        /// The key recorded in `node_identity`.
        stored: String,
    },
    /// A log row's document is damaged or disagrees with its columns.
    Document {
        /// The row.
        seq: u64,
        /// The record the row claims.
        record_id: String,
        /// What is wrong.
        why: String,
    },
    /// A log row's signature does not verify: the document or signature
    /// was altered.
    Signature {
        /// The row.
        seq: u64,
        /// The record.
        record_id: String,
        /// The version.
        version: i64,
    },
    /// A record's versions are out of order or have a gap.
    VersionOrder {
        /// The row.
        seq: u64,
        /// The record.
        record_id: String,
        /// The version found.
        found: i64,
        /// The version expected next.
        expected: i64,
    },
    /// The log does not reproduce the signed tree heads.
    Log(Divergence),
    /// The signed heads cover more rows than the log holds: rows were
    /// removed (reported even when an earlier divergence stopped the replay).
    Truncated {
        /// The largest signed size.
        signed_size: u64,
        /// Rows stored.
        stored_rows: u64,
    },
    /// A stored tree head could not be read.
    TreeHead {
        /// The head's size.
        tree_size: i64,
        /// Why.
        why: String,
    },
    /// A `records` row differs from its latest logged version.
    RecordRow {
        /// The record.
        record_id: String,
        /// The first column that differs.
        column: &'static str,
    },
    /// A logged record has no `records` row (deleted behind the node's back).
    MissingRecordRow {
        /// The record.
        record_id: String,
    },
    /// A `records` row has no logged versions (inserted behind the node's back).
    UnloggedRecordRow {
        /// The record.
        record_id: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::KeyMismatch { stored } => write!(
                f,
                "node_identity: the database names public key {stored}, not the node key given"
            ),
            Problem::Document {
                seq,
                record_id,
                why,
            } => {
                write!(f, "record_log seq {seq} (record {record_id}): {why}")
            }
            Problem::Signature {
                seq,
                record_id,
                version,
            } => write!(
                f,
                "record_log seq {seq} (record {record_id} v{version}): signature does not verify; \
                 the document or signature was altered"
            ),
            Problem::VersionOrder {
                seq,
                record_id,
                found,
                expected,
            } => write!(
                f,
                "record_log seq {seq} (record {record_id}): version {found} where {expected} was due; \
                 rows were removed or reordered"
            ),
            Problem::Log(d) => {
                let rows = d.suspect_rows();
                let place = if rows.end == rows.start + 1 {
                    format!("seq {}", rows.start)
                } else {
                    format!("seq {}..{}", rows.start, rows.end)
                };
                let what = match d {
                    Divergence::Sequence { .. } => "a row was removed, duplicated or moved",
                    Divergence::LeafHash { .. } => {
                        "the row no longer hashes to its stored leaf hash"
                    }
                    Divergence::HeadSignature { .. } => "a signed tree head's signature is bad",
                    Divergence::Root { .. } => "the rows do not reproduce a signed tree head",
                    Divergence::Missing { .. } => "rows covered by a signed tree head are missing",
                    _ => "the log diverges from its signed tree heads",
                };
                write!(f, "record_log {place}: {what}")
            }
            Problem::Truncated {
                signed_size,
                stored_rows,
            } => write!(
                f,
                "record_log: a signed tree head covers {signed_size} rows but {stored_rows} are stored; \
                 rows are missing"
            ),
            Problem::TreeHead { tree_size, why } => {
                write!(f, "tree_heads size {tree_size}: {why}")
            }
            Problem::RecordRow { record_id, column } => write!(
                f,
                "records row {record_id}: column {column} differs from the signed latest version"
            ),
            Problem::MissingRecordRow { record_id } => {
                write!(f, "records: row {record_id} is missing")
            }
            Problem::UnloggedRecordRow { record_id } => {
                write!(
                    f,
                    "records: row {record_id} has no signed versions in the log"
                )
            }
        }
    }
}

/// What `verify` checked and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Log rows read.
    pub rows: u64,
    /// Records (distinct ids) in the log.
    pub records: u64,
    /// Signed tree heads stored.
    pub heads: usize,
    /// Heads whose root the log reproduced.
    pub heads_verified: usize,
    /// The root over the rows read.
    pub root: Hash,
    /// Everything wrong, in the order found.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

struct Latest {
    version: i64,
    created_ms: i64,
    columns: Option<RecordColumns>,
}

pub(crate) fn head_from_row(r: &AnyRow) -> Result<SignedTreeHead, StoreError> {
    let size: i64 = r.try_get("tree_size")?;
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        StoreError::Corrupt(format!("tree_heads size {size}: {what}: {e}"))
    };
    let root: String = r.try_get("root_hash")?;
    let signature: String = r.try_get("signature")?;
    let timestamp: i64 = r.try_get("timestamp_ms")?;
    Ok(SignedTreeHead {
        head: TreeHead {
            tree_size: size as u64,
            root_hash: Hash::parse_hex(&root).map_err(|e| bad("root_hash", &e))?,
            timestamp_ms: timestamp as u64,
        },
        signature: Signature::parse_hex(&signature).map_err(|e| bad("signature", &e))?,
    })
}

impl Store {
    /// Recomputes everything the log proves and reports every problem.
    /// `progress` hears the number of log rows checked so far.
    pub async fn verify_log(
        &self,
        key: &NodePublicKey,
        mut progress: impl FnMut(u64),
    ) -> Result<VerifyReport, StoreError> {
        let mut problems = Vec::new();
        if let Some(stored) = self.node_public_key().await?
            && stored != key.to_hex()
        {
            problems.push(Problem::KeyMismatch { stored });
        }
        let mut heads = Vec::new();
        let head_rows =
            sqlx::query("SELECT tree_size, root_hash, timestamp_ms, signature FROM tree_heads")
                .fetch_all(&self.pool)
                .await?;
        for r in &head_rows {
            match head_from_row(r) {
                Ok(h) => heads.push(h),
                Err(e) => problems.push(Problem::TreeHead {
                    tree_size: r.try_get("tree_size").unwrap_or(-1),
                    why: e.to_string(),
                }),
            }
        }
        let mut hashed = Vec::new();
        let mut verifier = Verifier::new(*key);
        let mut latest: HashMap<String, Latest> = HashMap::new();
        let mut after = -1i64;
        loop {
            let rows = sqlx::query(
                "SELECT seq, record_id, version, document, signature, leaf_hash FROM record_log \
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(after)
            .bind(CHUNK)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("seq")?;
            for r in &rows {
                hashed.push(check_row(r, &mut verifier, &mut latest, &mut problems)?);
            }
            progress(hashed.len() as u64);
        }
        let audit = find_divergence_hashed(hashed.iter().copied(), &heads, key);
        let stored_rows = hashed.len() as u64;
        match audit.divergence {
            Some(d @ Divergence::Missing { .. }) => problems.push(Problem::Log(d)),
            other => {
                problems.extend(other.map(Problem::Log));
                let signed_size = heads.iter().map(|h| h.head.tree_size).max().unwrap_or(0);
                if signed_size > stored_rows {
                    problems.push(Problem::Truncated {
                        signed_size,
                        stored_rows,
                    });
                }
            }
        }
        let records = latest.len() as u64;
        self.check_records_table(&mut latest, &mut problems).await?;
        Ok(VerifyReport {
            rows: hashed.len() as u64,
            records,
            heads: heads.len(),
            heads_verified: audit.heads_verified,
            root: audit.root,
            problems,
        })
    }

    async fn check_records_table(
        &self,
        latest: &mut HashMap<String, Latest>,
        problems: &mut Vec<Problem>,
    ) -> Result<(), StoreError> {
        let mut after = String::new();
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {} FROM records WHERE record_id > $1 ORDER BY record_id LIMIT $2",
                COLUMNS.join(", ")
            ))
            .bind(&after)
            .bind(CHUNK)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("record_id")?;
            for r in &rows {
                let stored = RecordColumns::from_row(r)?;
                match latest.remove(&stored.record_id) {
                    None => problems.push(Problem::UnloggedRecordRow {
                        record_id: stored.record_id,
                    }),
                    Some(Latest {
                        columns: Some(expected),
                        ..
                    }) => {
                        if let Some(column) = expected.first_difference(&stored) {
                            problems.push(Problem::RecordRow {
                                record_id: stored.record_id,
                                column,
                            });
                        }
                    }
                    // The latest document was damaged; already reported.
                    Some(Latest { columns: None, .. }) => {}
                }
            }
        }
        let mut missing: Vec<String> = latest.drain().map(|(id, _)| id).collect();
        missing.sort();
        problems.extend(
            missing
                .into_iter()
                .map(|record_id| Problem::MissingRecordRow { record_id }),
        );
        Ok(())
    }
}

/// Checks one log row and returns its hashes for the Merkle audit.
fn check_row(
    r: &AnyRow,
    verifier: &mut Verifier,
    latest: &mut HashMap<String, Latest>,
    problems: &mut Vec<Problem>,
) -> Result<HashedRow, StoreError> {
    let seq: i64 = r.try_get("seq")?;
    let record_id: String = r.try_get("record_id")?;
    let version: i64 = r.try_get("version")?;
    let document: String = r.try_get("document")?;
    let signature: String = r.try_get("signature")?;
    let leaf_text: String = r.try_get("leaf_hash")?;
    let seq_u = seq.max(0) as u64;
    let bytes = document.as_bytes();
    let document_problem = |why: String| Problem::Document {
        seq: seq_u,
        record_id: record_id.clone(),
        why,
    };
    let parsed = serde_json::from_slice::<serde_json::Value>(bytes)
        .map_err(|e| format!("not JSON: {e}"))
        .and_then(|v| match canonical::to_vec(&v) {
            Ok(c) if c == bytes => Ok(v),
            Ok(_) => Err("not in canonical form".to_owned()),
            Err(e) => Err(e.to_string()),
        })
        .and_then(|_| parse_document(&document).map_err(|e| e.to_string()))
        .and_then(|v| {
            if v.id.to_string() != record_id || i64::from(v.version) != version {
                Err(format!(
                    "document is record {} v{}, row says v{version}",
                    v.id, v.version
                ))
            } else {
                Ok(v)
            }
        });
    let leaf_hash = ledger::leaf_hash(bytes);
    let signature_ok = RecordSignature::parse(&signature)
        .ok()
        .is_some_and(|s| verifier.verify(&s, bytes, &leaf_hash).is_ok());
    if !signature_ok {
        problems.push(Problem::Signature {
            seq: seq_u,
            record_id: record_id.clone(),
            version,
        });
    }
    let entry = latest.entry(record_id.clone()).or_insert(Latest {
        version: 0,
        created_ms: 0,
        columns: None,
    });
    if version != entry.version + 1 {
        problems.push(Problem::VersionOrder {
            seq: seq_u,
            record_id: record_id.clone(),
            found: version,
            expected: entry.version + 1,
        });
    }
    entry.version = version;
    match parsed {
        Ok(v) => {
            if v.version == 1 {
                entry.created_ms = v.reported_at.timestamp_millis();
            }
            let mut columns = RecordColumns::of(&v, seq, entry.created_ms);
            if let Some(prior) = &entry.columns {
                columns.inherit_retracted(prior);
            }
            entry.columns = Some(columns);
        }
        Err(why) => {
            entry.columns = None;
            problems.push(document_problem(why));
        }
    }
    let stored_leaf_hash = Hash::parse_hex(&leaf_text).ok();
    if stored_leaf_hash.is_none() {
        problems.push(document_problem("leaf_hash is not a SHA-256 hash".into()));
    }
    Ok(HashedRow {
        index: seq_u,
        leaf_hash,
        stored_leaf_hash,
    })
}
