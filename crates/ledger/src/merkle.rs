//! The audit log: an append-only Merkle tree as defined by RFC 9162
//! (Certificate Transparency v2) §2.1, with inclusion and consistency proofs.
//!
//! # Layout
//!
//! [`MerkleLog`] keeps, for every level `k`, the hashes of the *complete*
//! subtrees of `2^k` leaves that exist so far: `levels[k][i]` covers leaves
//! `i·2^k .. (i+1)·2^k`. Level 0 holds the leaf hashes. Appending a leaf
//! pushes it onto level 0 and, each time a level gets an even number of
//! entries, hashes the last pair into the level above: two hashes per leaf on
//! average, at most `log2 n` for one append. The cache takes about twice the
//! memory of the leaf hashes (64 bytes per leaf).
//!
//! Every subtree that RFC 9162's `MTH` recursion visits is either complete
//! and aligned (one look-up) or the ragged right edge of the tree, whose hash
//! takes at most `log2 n` look-ups and node hashes. Roots, inclusion proofs
//! and consistency proofs at any past size therefore cost O(log n).
//!
//! # Proof order
//!
//! Proofs are lists of [`Hash`](struct@Hash) in the order RFC 9162 §2.1.3.1 and §2.1.4.1
//! produce them: the node nearest the leaf (or the old tree) first, the
//! node just below the root last.

use crate::hash::{Hash, leaf_hash, node_hash};

/// Why a proof could not be made or did not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MerkleError {
    /// A leaf index at or beyond the tree size.
    #[error("leaf index {index} is outside a tree of size {tree_size}")]
    IndexOutOfRange {
        /// The leaf index asked for.
        index: u64,
        /// The size of the tree it was asked of.
        tree_size: u64,
    },
    /// A tree size larger than the log holds.
    #[error("tree size {tree_size} is beyond the log's {log_size} leaves")]
    SizeOutOfRange {
        /// The size asked for.
        tree_size: u64,
        /// The number of leaves in the log.
        log_size: u64,
    },
    /// A consistency proof from a larger tree to a smaller one.
    #[error("old size {old_size} is larger than new size {new_size}")]
    SizesOutOfOrder {
        /// The first (older) size.
        old_size: u64,
        /// The second (newer) size.
        new_size: u64,
    },
    /// A proof with more or fewer hashes than these sizes call for.
    #[error("proof has {actual} hashes, expected {expected}")]
    ProofLength {
        /// Hashes the proof must have.
        expected: usize,
        /// Hashes it has.
        actual: usize,
    },
    /// An inclusion proof that leads to a different root.
    #[error("inclusion proof does not lead to the expected root")]
    RootMismatch,
    /// A consistency proof that does not reproduce the old root.
    #[error("consistency proof does not reproduce the old root")]
    OldRootMismatch,
    /// A consistency proof that does not reproduce the new root.
    #[error("consistency proof does not reproduce the new root")]
    NewRootMismatch,
}

/// An append-only Merkle tree over leaf hashes, with cached subtree hashes.
///
/// ```
/// use ledger::merkle::{MerkleLog, verify_inclusion};
///
/// let mut log = MerkleLog::new();
/// for i in 0..10u32 {
///     log.append(&i.to_be_bytes());
/// }
/// let proof = log.inclusion_proof(3, 10).unwrap();
/// let leaf = log.leaf_hash(3).unwrap();
/// verify_inclusion(&leaf, 3, 10, &proof, &log.root()).unwrap();
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct MerkleLog {
    /// `levels[k][i]`: hash of the complete subtree of leaves `i<<k .. (i+1)<<k`.
    /// Always at least one level, so `levels[0]` is the leaf hashes.
    levels: Vec<Vec<Hash>>,
}

impl Default for MerkleLog {
    /// An empty log (a derived `Default` would lack level 0).
    fn default() -> Self {
        MerkleLog::new()
    }
}

impl std::fmt::Debug for MerkleLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MerkleLog")
            .field("len", &self.len())
            .field("root", &self.root())
            .finish()
    }
}

impl MerkleLog {
    /// An empty log.
    pub fn new() -> MerkleLog {
        MerkleLog {
            levels: vec![Vec::new()],
        }
    }

    /// Rebuilds a log from its leaf hashes in order, as kept in storage.
    ///
    /// Builds each level from the one below in one pass, which is faster
    /// than appending one by one and gives the same log.
    pub fn from_leaf_hashes(leaves: impl IntoIterator<Item = Hash>) -> MerkleLog {
        let mut levels = vec![leaves.into_iter().collect::<Vec<Hash>>()];
        while levels[levels.len() - 1].len() >= 2 {
            let below = &levels[levels.len() - 1];
            let above = below
                .chunks_exact(2)
                .map(|pair| node_hash(&pair[0], &pair[1]))
                .collect();
            levels.push(above);
        }
        MerkleLog { levels }
    }

    /// Appends an entry, hashing it as a leaf; returns its index.
    pub fn append(&mut self, data: &[u8]) -> u64 {
        self.append_leaf_hash(leaf_hash(data))
    }

    /// Appends an already computed leaf hash; returns its index.
    pub fn append_leaf_hash(&mut self, leaf: Hash) -> u64 {
        let index = self.len();
        let mut hash = leaf;
        let mut level = 0;
        loop {
            if level == self.levels.len() {
                self.levels.push(Vec::new());
            }
            let row = &mut self.levels[level];
            row.push(hash);
            let n = row.len();
            if n % 2 == 1 {
                return index;
            }
            hash = node_hash(&row[n - 2], &row[n - 1]);
            level += 1;
        }
    }

    /// Drops every leaf from `len` on, giving back the log as it was at
    /// that size: how a node undoes appends whose database commit failed.
    /// Does nothing if the log is not longer than `len`.
    pub fn truncate(&mut self, len: u64) {
        let Ok(len) = usize::try_from(len) else {
            return;
        };
        for (level, row) in self.levels.iter_mut().enumerate() {
            row.truncate(len >> level);
        }
        while self.levels.len() > 1 && self.levels[self.levels.len() - 1].is_empty() {
            self.levels.pop();
        }
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// True when the log has no leaves.
    pub fn is_empty(&self) -> bool {
        self.levels[0].is_empty()
    }

    /// The leaf hash at `index`, if there is one.
    pub fn leaf_hash(&self, index: u64) -> Option<Hash> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.levels[0].get(i).copied())
    }

    /// All leaf hashes, in order.
    pub fn leaf_hashes(&self) -> &[Hash] {
        &self.levels[0]
    }

    /// The Merkle tree hash (MTH) of the whole log.
    pub fn root(&self) -> Hash {
        self.subtree_or_empty(self.len())
    }

    /// The MTH of the first `tree_size` leaves: the root the log had at that size.
    pub fn root_at(&self, tree_size: u64) -> Result<Hash, MerkleError> {
        self.check_size(tree_size)?;
        Ok(self.subtree_or_empty(tree_size))
    }

    /// The inclusion proof of leaf `index` in the tree of the first
    /// `tree_size` leaves (RFC 9162 §2.1.3.1).
    pub fn inclusion_proof(&self, index: u64, tree_size: u64) -> Result<Vec<Hash>, MerkleError> {
        self.check_size(tree_size)?;
        if index >= tree_size {
            return Err(MerkleError::IndexOutOfRange { index, tree_size });
        }
        let mut proof = Vec::with_capacity(inclusion_proof_len(index, tree_size));
        self.path(index, 0, tree_size, &mut proof);
        Ok(proof)
    }

    /// The consistency proof between the trees of the first `old_size` and
    /// `new_size` leaves (RFC 9162 §2.1.4.1). Empty when `old_size` is 0 or
    /// equals `new_size`: nothing needs proving.
    pub fn consistency_proof(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> Result<Vec<Hash>, MerkleError> {
        self.check_size(new_size)?;
        if old_size > new_size {
            return Err(MerkleError::SizesOutOfOrder { old_size, new_size });
        }
        let mut proof = Vec::with_capacity(consistency_proof_len(old_size, new_size));
        if old_size > 0 && old_size < new_size {
            self.subproof(old_size, 0, new_size, true, &mut proof);
        }
        Ok(proof)
    }

    fn check_size(&self, tree_size: u64) -> Result<(), MerkleError> {
        if tree_size > self.len() {
            return Err(MerkleError::SizeOutOfRange {
                tree_size,
                log_size: self.len(),
            });
        }
        Ok(())
    }

    fn subtree_or_empty(&self, size: u64) -> Hash {
        if size == 0 {
            Hash::EMPTY_TREE
        } else {
            self.subtree(0, size)
        }
    }

    /// MTH of leaves `start..end` (non-empty, `end <= len`).
    ///
    /// Callers only ask for ranges of the RFC recursion, where `start` is a
    /// multiple of the largest power of two below the parent's size; the
    /// left part of every split is then complete and cached, and only the
    /// right edge recurses.
    pub(crate) fn subtree(&self, start: u64, end: u64) -> Hash {
        let n = end - start;
        if n.is_power_of_two() && start.is_multiple_of(n) {
            let level = n.trailing_zeros() as usize;
            // In range: the subtree is complete because end <= len, and
            // appends store every completed subtree.
            return self.levels[level][to_index(start >> level)];
        }
        let k = split(n);
        node_hash(
            &self.subtree(start, start + k),
            &self.subtree(start + k, end),
        )
    }

    /// PATH(m, D[start:end]) of RFC 9162 §2.1.3.1, appended to `out`.
    fn path(&self, m: u64, start: u64, end: u64, out: &mut Vec<Hash>) {
        let n = end - start;
        if n == 1 {
            return;
        }
        let k = split(n);
        if m < start + k {
            self.path(m, start, start + k, out);
            out.push(self.subtree(start + k, end));
        } else {
            self.path(m, start + k, end, out);
            out.push(self.subtree(start, start + k));
        }
    }

    /// SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1, appended to `out`.
    /// `m` counts leaves from `start`.
    fn subproof(&self, m: u64, start: u64, end: u64, complete: bool, out: &mut Vec<Hash>) {
        let n = end - start;
        if m == n {
            if !complete {
                out.push(self.subtree(start, end));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, start, start + k, complete, out);
            out.push(self.subtree(start + k, end));
        } else {
            self.subproof(m - k, start + k, end, false, out);
            out.push(self.subtree(start, start + k));
        }
    }
}

/// The largest power of two strictly below `n` (`n >= 2`): where RFC 9162
/// splits a tree of `n` leaves.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

fn to_index(i: u64) -> usize {
    // A log in memory cannot have more entries than usize can count.
    usize::try_from(i).expect("index fits in memory")
}

/// Number of hashes in the inclusion proof of leaf `index` in a tree of
/// `tree_size` leaves (`index < tree_size`).
pub fn inclusion_proof_len(index: u64, tree_size: u64) -> usize {
    let (mut m, mut n, mut len) = (index, tree_size, 0);
    while n > 1 {
        let k = split(n);
        if m < k {
            n = k;
        } else {
            m -= k;
            n -= k;
        }
        len += 1;
    }
    len
}

/// Number of hashes in the consistency proof from `old_size` to `new_size`
/// leaves (`old_size <= new_size`); 0 when `old_size` is 0 or equal.
pub fn consistency_proof_len(old_size: u64, new_size: u64) -> usize {
    if old_size == 0 || old_size >= new_size {
        return 0;
    }
    let (mut m, mut n, mut complete, mut len) = (old_size, new_size, true, 0);
    while m != n {
        let k = split(n);
        if m <= k {
            n = k;
        } else {
            m -= k;
            n -= k;
            complete = false;
        }
        len += 1;
    }
    len + usize::from(!complete)
}

/// Verifies that `leaf` sits at `index` in the tree of `tree_size` leaves
/// whose root is `root`, using `proof` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    tree_size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    let computed = root_from_inclusion_proof(leaf, index, tree_size, proof)?;
    if computed != *root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

/// The root that `proof` leads to from `leaf` at `index` in a tree of
/// `tree_size` leaves: the algorithm of RFC 9162 §2.1.3.2 without the final
/// comparison.
pub fn root_from_inclusion_proof(
    leaf: &Hash,
    index: u64,
    tree_size: u64,
    proof: &[Hash],
) -> Result<Hash, MerkleError> {
    if index >= tree_size {
        return Err(MerkleError::IndexOutOfRange { index, tree_size });
    }
    let expected = inclusion_proof_len(index, tree_size);
    if proof.len() != expected {
        return Err(MerkleError::ProofLength {
            expected,
            actual: proof.len(),
        });
    }
    let (mut fnode, mut snode) = (index, tree_size - 1);
    let mut r = *leaf;
    for p in proof {
        // Unreachable after the length check, kept as the RFC states it.
        if snode == 0 {
            return Err(MerkleError::ProofLength {
                expected,
                actual: proof.len(),
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(MerkleError::ProofLength {
            expected,
            actual: proof.len(),
        });
    }
    Ok(r)
}

/// Verifies that the tree of `new_size` leaves with root `new_root` extends
/// the tree of `old_size` leaves with root `old_root`, using `proof`
/// (RFC 9162 §2.1.4.2).
///
/// Equal sizes need an empty proof and equal roots. Size 0 needs an empty
/// proof and `old_root` equal to [`Hash::EMPTY_TREE`](struct@Hash); any tree extends it.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), MerkleError> {
    if old_size > new_size {
        return Err(MerkleError::SizesOutOfOrder { old_size, new_size });
    }
    let expected = consistency_proof_len(old_size, new_size);
    if proof.len() != expected {
        return Err(MerkleError::ProofLength {
            expected,
            actual: proof.len(),
        });
    }
    if old_size == 0 {
        if *old_root != Hash::EMPTY_TREE {
            return Err(MerkleError::OldRootMismatch);
        }
        return Ok(());
    }
    if old_size == new_size {
        if old_root != new_root {
            return Err(MerkleError::NewRootMismatch);
        }
        return Ok(());
    }
    // Step 2: a power-of-two old tree is itself a node of the new tree, and
    // the proof leaves it out; start from the old root instead.
    let (first, rest) = if old_size.is_power_of_two() {
        (*old_root, proof)
    } else {
        (proof[0], &proof[1..])
    };
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (first, first);
    for c in rest {
        if snode == 0 {
            return Err(MerkleError::ProofLength {
                expected,
                actual: proof.len(),
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(MerkleError::ProofLength {
            expected,
            actual: proof.len(),
        });
    }
    if fr != *old_root {
        return Err(MerkleError::OldRootMismatch);
    }
    if sr != *new_root {
        return Err(MerkleError::NewRootMismatch);
    }
    Ok(())
}

/// The first leaf index below `min(a.len(), b.len())` where two logs differ,
/// or `None` if one is a prefix of the other.
///
/// Compares subtree hashes top-down, as two peers comparing their copies
/// would: O(log² n) look-ups and hashes instead of a scan of every leaf.
pub fn first_difference(a: &MerkleLog, b: &MerkleLog) -> Option<u64> {
    let n = a.len().min(b.len());
    if n == 0 || a.subtree(0, n) == b.subtree(0, n) {
        return None;
    }
    // Invariant: the ranges differ on start..end.
    let (mut start, mut end) = (0, n);
    while end - start > 1 {
        let k = split(end - start);
        if a.subtree(start, start + k) != b.subtree(start, start + k) {
            end = start + k;
        } else {
            start += k;
        }
    }
    Some(start)
}
