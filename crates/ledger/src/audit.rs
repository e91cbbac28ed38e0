//! Auditing stored rows against signed tree heads.
//!
//! A store keeps, per accepted record version, a row: its position in the
//! log, the entry bytes, and usually the leaf hash computed on insert. It also
//! keeps the signed tree heads the node issued, and peers keep copies of
//! those. [`find_divergence`] replays the rows in order and reports the first
//! point where they stop matching what was signed:
//!
//! 1. **Numbering**: positions must run 0, 1, 2, … A gap or repeat names a
//!    removed, duplicated or reordered row exactly
//!    ([`Divergence::Sequence`]), as long as the position column was left alone.
//! 2. **Leaf hash**: a row whose bytes no longer hash to its stored leaf hash
//!    was altered after insertion ([`Divergence::LeafHash`]), unless whoever
//!    altered it rewrote the hash too.
//! 3. **Roots**: after the row that completes each signed head's size, the
//!    recomputed root must equal the signed one. This catches everything the
//!    first two miss, including rewritten hashes and renumbered rows, but can
//!    only say that the first changed row lies between the last head that
//!    still matched and the first that did not ([`Divergence::Root`]). With a
//!    head after every append the range is one row; with sparse heads, a
//!    verifier that holds a trusted copy of the leaf hashes (a peer's, say)
//!    narrows it with [`crate::merkle::first_difference`].
//! 4. **Length**: a head that covers more rows than are stored means rows
//!    were removed from the end ([`Divergence::Missing`]).
//!
//! Heads whose signature fails are reported first
//! ([`Divergence::HeadSignature`]): they prove nothing about the rows.
//!
//! The replay keeps only the right edge of the tree (O(log n) hashes), so it
//! streams over any number of rows in constant memory.

use std::ops::Range;

use crate::hash::{Hash, leaf_hash, node_hash};
use crate::signing::NodePublicKey;
use crate::tree_head::SignedTreeHead;

/// One stored log entry, as the store hands it to the auditor.
#[derive(Clone, Copy, Debug)]
pub struct StoredRow<'a> {
    /// The position the store recorded for the entry.
    pub index: u64,
    /// The entry bytes that were hashed into the log.
    pub data: &'a [u8],
    /// The leaf hash the store recorded on insert, if it keeps one.
    pub leaf_hash: Option<Hash>,
}

/// The first disagreement between the rows and the signed heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Divergence {
    /// The row read at `position` carries index `found`: a row was removed,
    /// duplicated or moved at this point.
    Sequence {
        /// How many rows were read before this one.
        position: u64,
        /// The index the row carries.
        found: u64,
    },
    /// The row's bytes do not hash to the leaf hash stored with it.
    LeafHash {
        /// The row's position.
        index: u64,
    },
    /// A head's signature does not verify under the node key.
    HeadSignature {
        /// The size the forged or damaged head claims.
        tree_size: u64,
    },
    /// The rows do not reproduce a signed root. The first changed row is at
    /// or after `verified_size` (the largest size whose head still matched)
    /// and before `tree_size`.
    Root {
        /// The size of the head that failed.
        tree_size: u64,
        /// The largest size whose signed root was reproduced (0 if none).
        verified_size: u64,
    },
    /// A signed head covers `tree_size` rows but only `rows` are stored.
    Missing {
        /// The size the head covers.
        tree_size: u64,
        /// How many rows were stored.
        rows: u64,
        /// The largest size whose signed root was reproduced (0 if none).
        verified_size: u64,
    },
}

impl Divergence {
    /// The rows among which the first change lies; a single row when the
    /// audit could name it.
    pub fn suspect_rows(&self) -> Range<u64> {
        match *self {
            Divergence::Sequence { position, .. } => position..position + 1,
            Divergence::LeafHash { index } => index..index + 1,
            Divergence::HeadSignature { .. } => 0..0,
            Divergence::Root {
                tree_size,
                verified_size,
            } => verified_size..tree_size,
            Divergence::Missing {
                tree_size,
                verified_size,
                ..
            } => verified_size..tree_size,
        }
    }
}

/// What an audit found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Rows read (the audit stops at the first divergence).
    pub rows: u64,
    /// Signed heads whose root the rows reproduced.
    pub heads_verified: usize,
    /// Root over the rows read.
    pub root: Hash,
    /// The first disagreement, if any.
    pub divergence: Option<Divergence>,
}

impl AuditReport {
    /// True when every row and every head checked out.
    pub fn is_clean(&self) -> bool {
        self.divergence.is_none()
    }
}

/// Replays `rows` (in stored order) against `heads` (any order) signed by
/// `key`, and reports the first divergence. See the module docs.
///
/// ```
/// use ledger::{MerkleLog, NodeKey, TreeHead};
/// use ledger::audit::{find_divergence, StoredRow, Divergence};
///
/// let key = NodeKey::from_seed(&[7; 32]);
/// let data: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 3]).collect();
/// let mut log = MerkleLog::new();
/// let mut heads = Vec::new();
/// for d in &data {
///     log.append(d);
///     heads.push(TreeHead::of(&log, 1_700_000_000_000).sign(&key));
/// }
/// let mut stored = data.clone();
/// stored[2][0] ^= 1; // tamper with row 2
/// let rows = stored.iter().enumerate().map(|(i, d)| StoredRow { index: i as u64, data: d, leaf_hash: None });
/// let report = find_divergence(rows, &heads, &key.public_key());
/// assert_eq!(report.divergence.unwrap().suspect_rows(), 2..3);
/// ```
pub fn find_divergence<'a>(
    rows: impl IntoIterator<Item = StoredRow<'a>>,
    heads: &[SignedTreeHead],
    key: &NodePublicKey,
) -> AuditReport {
    let hashed = rows.into_iter().map(|row| HashedRow {
        index: row.index,
        leaf_hash: leaf_hash(row.data),
        stored_leaf_hash: row.leaf_hash,
    });
    find_divergence_hashed(hashed, heads, key)
}

/// A stored log entry whose data the caller has already hashed with
/// [`leaf_hash`], so that rows can be read and dropped one at a time.
#[derive(Clone, Copy, Debug)]
pub struct HashedRow {
    /// The position the store recorded for the entry.
    pub index: u64,
    /// `leaf_hash` of the entry bytes as read now.
    pub leaf_hash: Hash,
    /// The leaf hash the store recorded on insert, if it keeps one.
    pub stored_leaf_hash: Option<Hash>,
}

/// [`find_divergence`] over rows hashed by the caller.
pub fn find_divergence_hashed(
    rows: impl IntoIterator<Item = HashedRow>,
    heads: &[SignedTreeHead],
    key: &NodePublicKey,
) -> AuditReport {
    let mut report = AuditReport {
        rows: 0,
        heads_verified: 0,
        root: Hash::EMPTY_TREE,
        divergence: None,
    };
    if let Some(bad) = heads.iter().find(|h| h.verify(key).is_err()) {
        report.divergence = Some(Divergence::HeadSignature {
            tree_size: bad.head.tree_size,
        });
        return report;
    }
    let mut rows = rows.into_iter();
    let mut order: Vec<&SignedTreeHead> = heads.iter().collect();
    order.sort_by_key(|h| h.head.tree_size);
    let mut pending = order.into_iter().peekable();
    let mut edge = RightEdge::default();
    let mut verified_size = 0;
    loop {
        // Check every head whose size the rows read so far complete; the
        // root is only computed when a head needs it.
        if pending
            .peek()
            .is_some_and(|h| h.head.tree_size == report.rows)
        {
            let root = edge.root();
            while let Some(h) = pending.next_if(|h| h.head.tree_size == report.rows) {
                if h.head.root_hash != root {
                    report.divergence = Some(Divergence::Root {
                        tree_size: report.rows,
                        verified_size,
                    });
                    report.root = root;
                    return report;
                }
                verified_size = report.rows;
                report.heads_verified += 1;
            }
        }
        let Some(row) = rows.next() else { break };
        let position = report.rows;
        if row.index != position {
            report.divergence = Some(Divergence::Sequence {
                position,
                found: row.index,
            });
            break;
        }
        let leaf = row.leaf_hash;
        if row.stored_leaf_hash.is_some_and(|stored| stored != leaf) {
            report.divergence = Some(Divergence::LeafHash { index: position });
            break;
        }
        edge.push(leaf);
        report.rows += 1;
    }
    report.root = edge.root();
    if report.divergence.is_some() {
        return report;
    }
    if let Some(h) = pending.next() {
        report.divergence = Some(Divergence::Missing {
            tree_size: h.head.tree_size,
            rows: report.rows,
            verified_size,
        });
    }
    report
}

/// The roots of the perfect subtrees along the right edge of a tree (a
/// "compact range" from 0): enough to extend the tree and compute its root.
#[derive(Default)]
struct RightEdge {
    /// (hash, height), heights strictly decreasing.
    nodes: Vec<(Hash, u32)>,
}

impl RightEdge {
    fn push(&mut self, leaf: Hash) {
        let mut node = (leaf, 0);
        while let Some(&(left, height)) = self.nodes.last() {
            if height != node.1 {
                break;
            }
            self.nodes.pop();
            node = (node_hash(&left, &node.0), height + 1);
        }
        self.nodes.push(node);
    }

    /// MTH of the leaves pushed so far. The tree's split at the largest power
    /// of two makes the root the right-to-left fold of the edge.
    fn root(&self) -> Hash {
        let mut iter = self.nodes.iter().rev();
        let Some(&(mut acc, _)) = iter.next() else {
            return Hash::EMPTY_TREE;
        };
        for (left, _) in iter {
            acc = node_hash(left, &acc);
        }
        acc
    }
}
