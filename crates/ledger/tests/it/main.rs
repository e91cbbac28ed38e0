//! Integration tests of the ledger crate: published vectors and properties.

mod audit;
mod canonical;
mod merkle;
mod signing;

/// Decodes hex test data.
#[track_caller]
fn h(text: &str) -> ledger::Hash {
    text.parse().expect("64 hex digits")
}

#[test]
fn batches_verify_and_fail_as_a_whole() {
    use ledger::{NodeKey, Signature, verify_batch};
    let key = NodeKey::from_seed(&[5; 32]);
    let messages: Vec<Vec<u8>> = (0..40u8).map(|i| vec![i; 100]).collect();
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let mut sigs: Vec<Signature> = messages.iter().map(|m| key.sign(m)).collect();
    verify_batch(&key.public_key(), &refs, &sigs).unwrap();
    sigs[17].0[3] ^= 1;
    assert!(verify_batch(&key.public_key(), &refs, &sigs).is_err());
    assert!(verify_batch(&key.public_key(), &refs[..3], &sigs).is_err());
    assert!(
        verify_batch(
            &NodeKey::from_seed(&[6; 32]).public_key(),
            &refs[..1],
            &sigs[..1]
        )
        .is_err()
    );
}
