//! Tree heads: a node's signed statement of its log's size and root.
//!
//! # Signed encoding
//!
//! A [`TreeHead`] is signed over exactly 66 bytes:
//!
//! | bytes  | content                                      |
//! |--------|----------------------------------------------|
//! | 0..18  | ASCII `easf-tree-head-v1` followed by a zero byte |
//! | 18..26 | `tree_size`, unsigned 64-bit big-endian       |
//! | 26..34 | `timestamp_ms`, unsigned 64-bit big-endian (milliseconds since the Unix epoch) |
//! | 34..66 | `root_hash`, 32 bytes                          |
//!
//! The same node key signs records (canonical JSON) and tree heads. The
//! prefix keeps the two apart: no JSON text starts with `e`, so a record
//! signature can never be presented as a tree-head signature or the other
//! way round. The version in the prefix lets the layout change later.

use crate::hash::Hash;
use crate::merkle::MerkleLog;
use crate::signing::{NodeKey, NodePublicKey, Signature, SignatureError};

/// Domain-separation prefix of the signed encoding (see the module docs).
pub const TREE_HEAD_CONTEXT: &[u8; 18] = b"easf-tree-head-v1\0";

/// Length of [`TreeHead::signed_bytes`].
pub const TREE_HEAD_LEN: usize = 66;

/// The size and root of a log at a moment the node chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TreeHead {
    /// Number of leaves covered.
    pub tree_size: u64,
    /// MTH of those leaves.
    pub root_hash: Hash,
    /// When the node made the head, in milliseconds since the Unix epoch.
    /// Passed in by the caller: this crate reads no clock.
    pub timestamp_ms: u64,
}

/// A [`TreeHead`] with the node's signature over [`TreeHead::signed_bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignedTreeHead {
    /// The statement.
    pub head: TreeHead,
    /// The node's signature over `head.signed_bytes()`.
    pub signature: Signature,
}

impl TreeHead {
    /// The head of `log` as it is now, stamped `timestamp_ms`.
    pub fn of(log: &MerkleLog, timestamp_ms: u64) -> TreeHead {
        TreeHead {
            tree_size: log.len(),
            root_hash: log.root(),
            timestamp_ms,
        }
    }

    /// The bytes that are signed (layout in the module docs).
    pub fn signed_bytes(&self) -> [u8; TREE_HEAD_LEN] {
        let mut out = [0u8; TREE_HEAD_LEN];
        out[..18].copy_from_slice(TREE_HEAD_CONTEXT);
        out[18..26].copy_from_slice(&self.tree_size.to_be_bytes());
        out[26..34].copy_from_slice(&self.timestamp_ms.to_be_bytes());
        out[34..].copy_from_slice(&self.root_hash.0);
        out
    }

    /// Signs the head with `key`.
    pub fn sign(self, key: &NodeKey) -> SignedTreeHead {
        SignedTreeHead {
            signature: key.sign(&self.signed_bytes()),
            head: self,
        }
    }
}

impl SignedTreeHead {
    /// Checks the signature under the node's public key.
    pub fn verify(&self, key: &NodePublicKey) -> Result<(), SignatureError> {
        key.verify(&self.head.signed_bytes(), &self.signature)
    }
}
