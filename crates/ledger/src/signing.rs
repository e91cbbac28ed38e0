//! Node keys and ed25519 signatures (RFC 8032, via `ed25519-dalek` 2).
//!
//! Encodings: a public key is 32 bytes, a signature 64 bytes, a private key is
//! kept as its 32-byte seed. As text all three are lowercase hex (64, 128 and
//! 64 digits); parsing accepts either case.
//!
//! Verification is *strict* (`verify_strict`): it refuses small-order public
//! keys and non-canonical signature encodings, so a signature over given bytes
//! has exactly one accepted form and cannot be altered into another valid one.

use std::fmt;
use std::str::FromStr;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use rand_core::CryptoRngCore;
use serde_json::Value;

use crate::canonical::{self, CanonicalError};

/// The private signing key of a node.
///
/// Its `Debug` output shows only the public key; the seed is wiped from
/// memory when the key is dropped.
#[derive(Clone)]
pub struct NodeKey(SigningKey);

/// The public half of a [`NodeKey`]: what a roster lists for each node.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodePublicKey(VerifyingKey);

/// An ed25519 signature (64 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; 64]);

/// Why a key or signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature does not verify for these bytes under this key.
    #[error("signature does not verify")]
    Invalid,
    /// Hex text of the wrong length or with a non-hex digit.
    #[error("expected {expected} hex digits, got {len} characters that do not parse")]
    Encoding {
        /// Number of hex digits the encoding has.
        expected: usize,
        /// Length in bytes of the rejected text.
        len: usize,
    },
    /// 32 bytes that are not a valid ed25519 point.
    #[error("not a valid ed25519 public key")]
    PublicKey,
    /// The value to verify has no canonical form.
    #[error("value has no canonical form: {0}")]
    Canonical(#[from] CanonicalError),
}

impl NodeKey {
    /// A fresh key from the caller's cryptographic RNG.
    ///
    /// The crate never draws randomness itself: pass `rand::rngs::OsRng` in
    /// production and a seeded RNG in tests.
    pub fn generate(rng: &mut impl CryptoRngCore) -> NodeKey {
        NodeKey(SigningKey::generate(rng))
    }

    /// The key whose seed (RFC 8032 private key) is `seed`.
    pub fn from_seed(seed: &[u8; 32]) -> NodeKey {
        NodeKey(SigningKey::from_bytes(seed))
    }

    /// The 32-byte seed, to store the key. Handle with care.
    pub fn to_seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Parses a seed written as 64 hex digits.
    pub fn parse_seed_hex(text: &str) -> Result<NodeKey, SignatureError> {
        let mut seed = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut seed).map_err(|_| SignatureError::Encoding {
            expected: 64,
            len: text.len(),
        })?;
        Ok(NodeKey::from_seed(&seed))
    }

    /// The public key that verifies this key's signatures.
    pub fn public_key(&self) -> NodePublicKey {
        NodePublicKey(self.0.verifying_key())
    }

    /// Signs `message` as is. For records, sign the canonical bytes
    /// ([`sign_value`] does both steps).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.0.sign(message).to_bytes())
    }
}

impl fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NodeKey").field(&self.public_key()).finish()
    }
}

impl NodePublicKey {
    /// The public key with these 32 bytes; fails if they are not a curve point.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<NodePublicKey, SignatureError> {
        VerifyingKey::from_bytes(bytes)
            .map(NodePublicKey)
            .map_err(|_| SignatureError::PublicKey)
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Parses 64 hex digits.
    pub fn parse_hex(text: &str) -> Result<NodePublicKey, SignatureError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| SignatureError::Encoding {
            expected: 64,
            len: text.len(),
        })?;
        NodePublicKey::from_bytes(&bytes)
    }

    /// Lowercase hex of the 32 bytes.
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// Checks `signature` over `message` (strict RFC 8032 verification).
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), SignatureError> {
        let sig = ed25519_dalek::Signature::from_bytes(&signature.0);
        self.0
            .verify_strict(message, &sig)
            .map_err(|_| SignatureError::Invalid)
    }
}

impl fmt::Display for NodePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for NodePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodePublicKey({self})")
    }
}

impl FromStr for NodePublicKey {
    type Err = SignatureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodePublicKey::parse_hex(s)
    }
}

impl Signature {
    /// The 64-byte encoding (R || S).
    pub fn to_bytes(&self) -> [u8; 64] {
        self.0
    }

    /// Parses 128 hex digits.
    pub fn parse_hex(text: &str) -> Result<Signature, SignatureError> {
        let mut bytes = [0u8; 64];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| SignatureError::Encoding {
            expected: 128,
            len: text.len(),
        })?;
        Ok(Signature(bytes))
    }

    /// Lowercase hex of the 64 bytes.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

impl FromStr for Signature {
    type Err = SignatureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Signature::parse_hex(s)
    }
}

/// Signs `message` with `key`. Same as [`NodeKey::sign`].
pub fn sign(key: &NodeKey, message: &[u8]) -> Signature {
    key.sign(message)
}

/// Checks `signature` over `message` under `key`. Same as [`NodePublicKey::verify`].
pub fn verify(
    key: &NodePublicKey,
    message: &[u8],
    signature: &Signature,
) -> Result<(), SignatureError> {
    key.verify(message, signature)
}

/// Checks many signatures under one key at once (ed25519 batch
/// verification: a random linear combination checked with one
/// multiscalar multiplication, about twice as fast per signature as one by
/// one for large batches). All must verify for it to succeed; it does not
/// say which failed. Unlike [`NodePublicKey::verify`] it uses the
/// cofactored equation, so it is meant for signatures a node has just made
/// (a check against faults), not for judging signatures from outside.
pub fn verify_batch(
    key: &NodePublicKey,
    messages: &[&[u8]],
    signatures: &[Signature],
) -> Result<(), SignatureError> {
    if messages.len() != signatures.len() {
        return Err(SignatureError::Invalid);
    }
    let sigs: Vec<ed25519_dalek::Signature> = signatures
        .iter()
        .map(|s| ed25519_dalek::Signature::from_bytes(&s.0))
        .collect();
    let keys = vec![key.0; messages.len()];
    ed25519_dalek::verify_batch(messages, &sigs, &keys).map_err(|_| SignatureError::Invalid)
}

/// Canonicalises `value` (RFC 8785) and signs the canonical bytes.
pub fn sign_value(key: &NodeKey, value: &Value) -> Result<Signature, CanonicalError> {
    Ok(key.sign(&canonical::to_vec(value)?))
}

/// Canonicalises `value` and checks `signature` over the canonical bytes.
pub fn verify_value(
    key: &NodePublicKey,
    value: &Value,
    signature: &Signature,
) -> Result<(), SignatureError> {
    key.verify(&canonical::to_vec(value)?, signature)
}
