//! ed25519 keys, signatures and signed tree heads.

use ledger::tree_head::{TREE_HEAD_CONTEXT, TREE_HEAD_LEN};
use ledger::{
    Hash, MerkleLog, NodeKey, NodePublicKey, Signature, SignatureError, TreeHead, sign_value,
    verify_value,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;

use crate::h;

/// RFC 8032 §7.1, TEST 2: a published seed, public key and signature of the one-byte message 0x72.
#[test]
fn rfc8032_test_2() {
    let mut seed = [0u8; 32];
    hex::decode_to_slice(
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        &mut seed,
    )
    .unwrap();
    let key = NodeKey::from_seed(&seed);
    assert_eq!(
        key.public_key().to_hex(),
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
    );
    let sig = key.sign(&[0x72]);
    assert_eq!(
        sig.to_hex(),
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da\
         085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    );
    key.public_key().verify(&[0x72], &sig).unwrap();
    assert_eq!(
        key.public_key().verify(&[0x73], &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn keys_round_trip_through_seed_and_hex() {
    let key = NodeKey::generate(&mut StdRng::seed_from_u64(42));
    let again = NodeKey::from_seed(&key.to_seed());
    assert_eq!(again.public_key(), key.public_key());
    let seed_hex = hex::encode(key.to_seed());
    assert_eq!(
        NodeKey::parse_seed_hex(&seed_hex).unwrap().public_key(),
        key.public_key()
    );
    let public = key.public_key();
    assert_eq!(public.to_string().parse::<NodePublicKey>().unwrap(), public);
    assert_eq!(
        NodePublicKey::from_bytes(&public.to_bytes()).unwrap(),
        public
    );
    let sig = key.sign(b"x");
    assert_eq!(sig.to_string().parse::<Signature>().unwrap(), sig);
    assert_eq!(
        "abc".parse::<NodePublicKey>(),
        Err(SignatureError::Encoding {
            expected: 64,
            len: 3
        })
    );
    // The seed never shows in debug output.
    assert!(!format!("{key:?}").contains(&seed_hex));
    // Deterministic: the same RNG state gives the same key.
    let twin = NodeKey::generate(&mut StdRng::seed_from_u64(42));
    assert_eq!(twin.public_key(), key.public_key());
}

#[test]
fn values_are_signed_in_canonical_form() {
    let key = NodeKey::from_seed(&[9; 32]);
    let a = json!({"b": 1, "a": [1.0, "x"]});
    let b: serde_json::Value = serde_json::from_str(r#"{ "a" : [1, "x"], "b" : 1.0 }"#).unwrap();
    let sig = sign_value(&key, &a).unwrap();
    verify_value(&key.public_key(), &b, &sig).unwrap();
    assert_eq!(
        verify_value(&key.public_key(), &json!({"a": [1, "y"], "b": 1}), &sig),
        Err(SignatureError::Invalid)
    );
    let other = NodeKey::from_seed(&[8; 32]);
    assert_eq!(
        verify_value(&other.public_key(), &a, &sig),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn tree_head_encoding_and_signature() {
    let head = TreeHead {
        tree_size: 0x0102030405060708,
        root_hash: h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
        timestamp_ms: 1_700_000_000_000,
    };
    let bytes = head.signed_bytes();
    assert_eq!(bytes.len(), TREE_HEAD_LEN);
    assert_eq!(&bytes[..18], TREE_HEAD_CONTEXT);
    assert_eq!(&bytes[18..26], &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(&bytes[26..34], &1_700_000_000_000u64.to_be_bytes());
    assert_eq!(&bytes[34..], head.root_hash.as_bytes());

    let key = NodeKey::from_seed(&[1; 32]);
    let signed = head.sign(&key);
    signed.verify(&key.public_key()).unwrap();
    for altered in [
        TreeHead {
            tree_size: head.tree_size + 1,
            ..head
        },
        TreeHead {
            timestamp_ms: head.timestamp_ms + 1,
            ..head
        },
        TreeHead {
            root_hash: Hash::EMPTY_TREE,
            ..head
        },
    ] {
        let forged = ledger::SignedTreeHead {
            head: altered,
            ..signed
        };
        assert_eq!(
            forged.verify(&key.public_key()),
            Err(SignatureError::Invalid)
        );
    }
    let log = MerkleLog::new();
    assert_eq!(TreeHead::of(&log, 5).root_hash, Hash::EMPTY_TREE);
}
