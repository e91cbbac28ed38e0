//! Batch signatures: one ed25519 signature over the Merkle root of many
//! messages, and for each message the path that ties it to that root.
//!
//! An ed25519 signature costs about 25 µs to make and 12 µs to check in a
//! batch on the machines we measure on; at that price signing every record
//! version alone caps an import near 50,000 versions a second on two cores
//! before any storage work (docs/PERFORMANCE.md). A batch signature signs
//! once for up to [`MAX_BATCH`] messages, in the manner of the IETF drafts
//! "Batch Signing for TLS" (draft-ietf-tls-batch-signing) and "Batched
//! Signatures" (draft-joseph-tls-batch-signatures):
//!
//! 1. each message becomes an RFC 9162 leaf hash (`SHA-256(0x00 || m)`);
//! 2. the leaves form an RFC 9162 Merkle tree of `batch_size` leaves;
//! 3. the key signs [`BATCH_CONTEXT`] `|| batch_size (u64, big-endian) ||
//!    root`. The context string keeps these signatures apart from signed
//!    tree heads and from plain message signatures made by the same key;
//! 4. each message gets the signature, its index and its inclusion path.
//!
//! A message verifies alone: hash it as a leaf, follow the path to a root
//! (RFC 9162 §2.1.3.2), and check the signature over that root. Its sibling
//! hashes reveal nothing the node's Merkle log does not already publish in
//! its inclusion proofs.
//!
//! [`RecordSignature`] is what a stored record version carries: a batch
//! signature, or a plain ed25519 signature made before batches existed.

use std::collections::HashSet;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64;

use crate::hash::{Hash, leaf_hash};
use crate::merkle::{MerkleError, MerkleLog, inclusion_proof_len, root_from_inclusion_proof};
use crate::signing::{NodeKey, NodePublicKey, Signature, SignatureError};

/// The largest batch one signature covers: paths stay at most eight hashes
/// while the signature's cost per message falls below a tenth of a
/// microsecond.
pub const MAX_BATCH: usize = 256;

/// Prefix of every signed batch root (domain separation).
pub const BATCH_CONTEXT: &[u8] = b"EASF record batch signature v1\0";

/// The text form's prefix, which tells a batch signature from a plain one.
const TEXT_PREFIX: &str = "batch1";

/// One message's share of a batch signature.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BatchSignature {
    /// Leaves in the signed tree.
    pub batch_size: u64,
    /// This message's leaf index in it.
    pub index: u64,
    /// The RFC 9162 inclusion path from the leaf to the root.
    pub path: Vec<Hash>,
    /// The ed25519 signature over the batch's root.
    pub signature: Signature,
}

/// Why a batch signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The text form is malformed; the field is named.
    #[error("malformed batch signature: {0}")]
    Encoding(&'static str),
    /// The path does not lead from this message to a root of this batch size.
    #[error("the inclusion path does not fit the batch: {0}")]
    Path(#[from] MerkleError),
    /// The signature over the root does not verify.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// More messages than one signature may cover, or none.
    #[error("a batch holds 1 to {MAX_BATCH} messages, not {0}")]
    Size(usize),
}

/// The bytes signed for a batch of `batch_size` leaves with root `root`.
fn signed_bytes(batch_size: u64, root: &Hash) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(BATCH_CONTEXT.len() + 8 + 32);
    bytes.extend_from_slice(BATCH_CONTEXT);
    bytes.extend_from_slice(&batch_size.to_be_bytes());
    bytes.extend_from_slice(root.as_bytes());
    bytes
}

/// Signs a batch given its messages' leaf hashes (see [`leaf_hash`]), in
/// order: one ed25519 signature, one [`BatchSignature`] per leaf.
pub fn sign_batch(key: &NodeKey, leaves: &[Hash]) -> Result<Vec<BatchSignature>, BatchError> {
    if leaves.is_empty() || leaves.len() > MAX_BATCH {
        return Err(BatchError::Size(leaves.len()));
    }
    let tree = MerkleLog::from_leaf_hashes(leaves.iter().copied());
    let size = tree.len();
    let signature = key.sign(&signed_bytes(size, &tree.root()));
    (0..size)
        .map(|index| {
            Ok(BatchSignature {
                batch_size: size,
                index,
                path: tree.inclusion_proof(index, size)?,
                signature,
            })
        })
        .collect()
}

impl BatchSignature {
    /// The root this signature's path leads to from `leaf`.
    pub fn root_for(&self, leaf: &Hash) -> Result<Hash, BatchError> {
        Ok(root_from_inclusion_proof(
            leaf,
            self.index,
            self.batch_size,
            &self.path,
        )?)
    }

    /// Checks this signature over `message` under `key`.
    pub fn verify(&self, key: &NodePublicKey, message: &[u8]) -> Result<(), BatchError> {
        self.verify_leaf(key, &leaf_hash(message))
    }

    /// Checks this signature for a message whose leaf hash is `leaf`.
    pub fn verify_leaf(&self, key: &NodePublicKey, leaf: &Hash) -> Result<(), BatchError> {
        let root = self.root_for(leaf)?;
        key.verify(&signed_bytes(self.batch_size, &root), &self.signature)?;
        Ok(())
    }

    /// The text form: `batch1:SIZE:INDEX:SIGNATURE:PATH`, the signature and
    /// the concatenated path hashes in unpadded URL-safe base64 (RFC 4648
    /// §5), which keeps a stored share near 450 characters where hex took
    /// 660: every imported row carries one.
    pub fn to_text(&self) -> String {
        let mut path = Vec::with_capacity(self.path.len() * 32);
        for h in &self.path {
            path.extend_from_slice(h.as_bytes());
        }
        format!(
            "{TEXT_PREFIX}:{}:{}:{}:{}",
            self.batch_size,
            self.index,
            BASE64.encode(self.signature.0),
            BASE64.encode(path)
        )
    }

    /// Parses [`to_text`](Self::to_text)'s form, naming what is wrong.
    pub fn parse(text: &str) -> Result<BatchSignature, BatchError> {
        let mut parts = text.split(':');
        if parts.next() != Some(TEXT_PREFIX) {
            return Err(BatchError::Encoding("prefix"));
        }
        let mut number = |what| {
            parts
                .next()
                .and_then(|p| p.parse::<u64>().ok())
                .ok_or(BatchError::Encoding(what))
        };
        let batch_size = number("batch size")?;
        let index = number("index")?;
        let signature = parts
            .next()
            .and_then(|p| BASE64.decode(p).ok())
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
            .map(Signature)
            .ok_or(BatchError::Encoding("signature"))?;
        let path_text = parts.next().ok_or(BatchError::Encoding("path"))?;
        if parts.next().is_some() {
            return Err(BatchError::Encoding("trailing fields"));
        }
        if batch_size == 0 || batch_size > MAX_BATCH as u64 || index >= batch_size {
            return Err(BatchError::Encoding("batch size or index"));
        }
        let expected = inclusion_proof_len(index, batch_size);
        let bytes = BASE64
            .decode(path_text)
            .map_err(|_| BatchError::Encoding("path"))?;
        if bytes.len() != expected * 32 {
            return Err(BatchError::Encoding("path length"));
        }
        let path = bytes
            .chunks_exact(32)
            .map(|c| {
                let mut h = [0u8; 32];
                h.copy_from_slice(c);
                Hash(h)
            })
            .collect();
        Ok(BatchSignature {
            batch_size,
            index,
            path,
            signature,
        })
    }
}

impl fmt::Display for BatchSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// The signature a stored record version carries.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RecordSignature {
    /// Its share of a batch signature (every version written since batches).
    Batch(BatchSignature),
    /// A plain ed25519 signature over the message (older logs).
    Single(Signature),
}

impl RecordSignature {
    /// Parses either text form: `batch1:…` or 128 hex digits.
    pub fn parse(text: &str) -> Result<RecordSignature, BatchError> {
        if text.starts_with(TEXT_PREFIX) {
            BatchSignature::parse(text).map(RecordSignature::Batch)
        } else {
            Signature::parse_hex(text)
                .map(RecordSignature::Single)
                .map_err(|_| BatchError::Encoding("signature"))
        }
    }

    /// The text form, as stored.
    pub fn to_text(&self) -> String {
        match self {
            RecordSignature::Batch(b) => b.to_text(),
            RecordSignature::Single(s) => s.to_hex(),
        }
    }
}

/// Checks many record signatures under one key, verifying each batch
/// root's ed25519 signature only once however many of its messages it
/// meets. Plain signatures are checked one by one.
#[derive(Debug)]
pub struct Verifier {
    key: NodePublicKey,
    verified: HashSet<(u64, Hash, Signature)>,
}

impl Verifier {
    /// A verifier for signatures by `key`.
    pub fn new(key: NodePublicKey) -> Verifier {
        Verifier {
            key,
            verified: HashSet::new(),
        }
    }

    /// Checks `signature` over a message whose leaf hash is `leaf` (and
    /// whose bytes are `message`, which plain signatures need).
    pub fn verify(
        &mut self,
        signature: &RecordSignature,
        message: &[u8],
        leaf: &Hash,
    ) -> Result<(), BatchError> {
        match signature {
            RecordSignature::Single(s) => Ok(self.key.verify(message, s)?),
            RecordSignature::Batch(b) => {
                let root = b.root_for(leaf)?;
                let id = (b.batch_size, root, b.signature);
                if !self.verified.contains(&id) {
                    self.key
                        .verify(&signed_bytes(b.batch_size, &root), &b.signature)?;
                    self.verified.insert(id);
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(seed: u8) -> NodeKey {
        NodeKey::from_seed(&[seed; 32])
    }

    fn messages(n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| format!("{{\"id\":{i},\"title\":\"report {i}\"}}").into_bytes())
            .collect()
    }

    fn sign(key: &NodeKey, messages: &[Vec<u8>]) -> Vec<BatchSignature> {
        let leaves: Vec<Hash> = messages.iter().map(|m| leaf_hash(m)).collect();
        sign_batch(key, &leaves).unwrap()
    }

    #[test]
    fn a_batch_of_one_signs_the_leaf_itself() {
        let k = key(1);
        let m = b"a single report".to_vec();
        let sigs = sign(&k, std::slice::from_ref(&m));
        assert_eq!(sigs.len(), 1);
        assert!(sigs[0].path.is_empty());
        let expected = k.sign(&signed_bytes(1, &leaf_hash(&m)));
        assert_eq!(sigs[0].signature, expected);
        sigs[0].verify(&k.public_key(), &m).unwrap();
    }

    #[test]
    fn one_signature_covers_the_whole_batch_and_each_message_verifies_alone() {
        let k = key(2);
        let ms = messages(MAX_BATCH);
        let sigs = sign(&k, &ms);
        assert!(sigs.iter().all(|s| s.signature == sigs[0].signature));
        for (m, s) in ms.iter().zip(&sigs) {
            s.verify(&k.public_key(), m).unwrap();
            assert_eq!(s.path.len(), 8);
        }
    }

    #[test]
    fn a_message_does_not_verify_with_another_messages_share() {
        let k = key(3);
        let ms = messages(5);
        let sigs = sign(&k, &ms);
        assert!(sigs[1].verify(&k.public_key(), &ms[2]).is_err());
        assert!(sigs[0].verify(&k.public_key(), b"altered").is_err());
        assert!(sigs[0].verify(&key(4).public_key(), &ms[0]).is_err());
    }

    #[test]
    fn a_batch_root_signature_is_not_a_signature_of_the_root_bytes() {
        // Domain separation: the key's signature over a bare 32-byte
        // message equal to the root must not pass as a batch signature.
        let k = key(5);
        let m = b"report".to_vec();
        let mut forged = sign(&k, std::slice::from_ref(&m)).remove(0);
        forged.signature = k.sign(leaf_hash(&m).as_bytes());
        assert!(forged.verify(&k.public_key(), &m).is_err());
    }

    #[test]
    fn empty_and_oversized_batches_are_refused() {
        assert_eq!(sign_batch(&key(6), &[]), Err(BatchError::Size(0)));
        let leaves = vec![leaf_hash(b"x"); MAX_BATCH + 1];
        assert_eq!(
            sign_batch(&key(6), &leaves),
            Err(BatchError::Size(MAX_BATCH + 1))
        );
    }

    #[test]
    fn malformed_text_names_the_bad_field() {
        let k = key(7);
        let ms = messages(3);
        let good = sign(&k, &ms)[2].to_text();
        let cases = [
            ("", "prefix"),
            ("batch1:x:0:", "batch size"),
            ("batch1:3:y:", "index"),
            ("batch1:3:0:zz:", "signature"),
        ];
        for (text, field) in cases {
            assert_eq!(
                BatchSignature::parse(text),
                Err(BatchError::Encoding(field)),
                "{text}"
            );
        }
        assert_eq!(
            BatchSignature::parse(&format!("{good}AAAA")),
            Err(BatchError::Encoding("path length"))
        );
        assert_eq!(
            BatchSignature::parse(&format!("{good}*")),
            Err(BatchError::Encoding("path"))
        );
        assert_eq!(
            BatchSignature::parse(&good.replacen("batch1:3:2", "batch1:3:3", 1)),
            Err(BatchError::Encoding("batch size or index"))
        );
        assert_eq!(
            BatchSignature::parse(&format!("{good}:")),
            Err(BatchError::Encoding("trailing fields"))
        );
    }

    #[test]
    fn record_signatures_read_both_forms() {
        let k = key(8);
        let m = b"report".to_vec();
        let plain = RecordSignature::Single(k.sign(&m));
        let batch = RecordSignature::Batch(sign(&k, std::slice::from_ref(&m)).remove(0));
        let mut verifier = Verifier::new(k.public_key());
        for s in [plain, batch] {
            let parsed = RecordSignature::parse(&s.to_text()).unwrap();
            assert_eq!(parsed, s);
            verifier.verify(&parsed, &m, &leaf_hash(&m)).unwrap();
            assert!(
                verifier
                    .verify(&parsed, b"other", &leaf_hash(b"other"))
                    .is_err()
            );
        }
    }

    proptest! {
        #[test]
        fn every_share_round_trips_and_verifies(n in 1usize..=40, altered in any::<prop::sample::Index>()) {
            let k = key(9);
            let ms = messages(n);
            let sigs = sign(&k, &ms);
            let mut verifier = Verifier::new(k.public_key());
            for (m, s) in ms.iter().zip(&sigs) {
                let parsed = BatchSignature::parse(&s.to_text()).unwrap();
                prop_assert_eq!(&parsed, s);
                let record = RecordSignature::Batch(parsed);
                prop_assert!(verifier.verify(&record, m, &leaf_hash(m)).is_ok());
            }
            // Changing any one message breaks its own share and no other.
            let i = altered.index(n);
            let mut changed = ms[i].clone();
            changed.push(b' ');
            prop_assert!(sigs[i].verify(&k.public_key(), &changed).is_err());
        }
    }
}
