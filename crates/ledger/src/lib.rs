//! The integrity layer of an EASF node: canonical JSON, signatures and the
//! Merkle audit log.
//!
//! Every record a node accepts is made canonical ([`canonical`], RFC 8785),
//! signed with the node's ed25519 key ([`signing`]) and appended to an
//! append-only Merkle tree ([`merkle`], RFC 9162 §2.1). The node publishes
//! signed tree heads ([`tree_head`]); anyone holding the rows and the heads
//! can prove a record is in the log, prove the log only ever grew, and find
//! the first row that was altered, removed or reordered ([`audit`]).
//!
//! The crate is pure: it does no I/O, reads no clock and draws no randomness.
//! Timestamps and random number generators are arguments, so the same inputs
//! always give the same bytes, hashes and roots.
//!
//! # Main types
//!
//! - [`canonical::to_vec`]: the RFC 8785 bytes of a `serde_json::Value`.
//! - [`NodeKey`] / [`NodePublicKey`] / [`Signature`]: ed25519 keys and
//!   signatures, hex-encoded as text; [`sign_value`] signs a value's
//!   canonical bytes.
//! - [`batch`]: one signature over the Merkle root of up to 256 messages,
//!   each message keeping its path ([`BatchSignature`]); record versions
//!   are signed this way.
//! - [`Hash`](struct@Hash): a SHA-256 digest; [`leaf_hash`] and [`node_hash`] are RFC 9162's
//!   two hashing rules.
//! - [`MerkleLog`]: the log, with roots, inclusion proofs and consistency
//!   proofs at any past size in O(log n); [`verify_inclusion`] and
//!   [`verify_consistency`] check proofs without the log.
//! - [`TreeHead`] / [`SignedTreeHead`]: a signed (size, root, time) statement.
//! - [`audit::find_divergence`]: replays stored rows against signed heads.
//!
//! Errors are small `Copy` enums: [`CanonicalError`], [`SignatureError`],
//! [`MerkleError`].
//!
//! # Example
//!
//! ```
//! use ledger::{MerkleLog, NodeKey, TreeHead, canonical, verify_consistency, verify_inclusion};
//! use rand::SeedableRng;
//!
//! // A node key from the caller's RNG (use OsRng in production).
//! let key = NodeKey::generate(&mut rand::rngs::StdRng::seed_from_u64(1));
//!
//! // Canonicalise and sign a record; log its canonical bytes.
//! let record = serde_json::json!({"kind": "report", "tlp": "GREEN", "title": "Piracy, Singapore Strait"});
//! let bytes = canonical::to_vec(&record).unwrap();
//! let signature = key.sign(&bytes);
//! key.public_key().verify(&bytes, &signature).unwrap();
//!
//! let mut log = MerkleLog::new();
//! let index = log.append(&bytes);
//! let old = TreeHead::of(&log, 1_700_000_000_000).sign(&key);
//! for i in 0..4u8 {
//!     log.append(&[i]);
//! }
//! let new = TreeHead::of(&log, 1_700_000_060_000).sign(&key);
//! new.verify(&key.public_key()).unwrap();
//!
//! // The record is in the new tree, and the new tree extends the old one.
//! let proof = log.inclusion_proof(index, new.head.tree_size).unwrap();
//! verify_inclusion(&ledger::leaf_hash(&bytes), index, new.head.tree_size, &proof, &new.head.root_hash).unwrap();
//! let proof = log.consistency_proof(old.head.tree_size, new.head.tree_size).unwrap();
//! verify_consistency(old.head.tree_size, new.head.tree_size, &old.head.root_hash, &new.head.root_hash, &proof).unwrap();
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod audit;
pub mod batch;
pub mod canonical;
mod hash;
pub mod merkle;
pub mod signing;
pub mod tree_head;

pub use batch::{BatchError, BatchSignature, RecordSignature, sign_batch};
pub use canonical::CanonicalError;
pub use hash::{Hash, HashParseError, leaf_hash, node_hash};
pub use merkle::{MerkleError, MerkleLog, verify_consistency, verify_inclusion};
pub use signing::{
    NodeKey, NodePublicKey, Signature, SignatureError, sign, sign_value, verify, verify_batch,
    verify_value,
};
pub use tree_head::{SignedTreeHead, TreeHead};
