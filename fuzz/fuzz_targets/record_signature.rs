//! Record signatures as stored or received from a peer: parsing any text
//! must never panic, a parsed signature must read back the same from its
//! own text form, and checking it against a message must not panic either.
#![no_main]

use ledger::{NodeKey, RecordSignature};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(signature) = RecordSignature::parse(text) else {
        return;
    };
    let again = RecordSignature::parse(&signature.to_text()).expect("own text form parses");
    assert_eq!(again, signature);
    let key = NodeKey::from_seed(&[7; 32]).public_key();
    let message = b"{\"id\":\"fuzz\"}";
    let mut verifier = ledger::batch::Verifier::new(key);
    let _ = verifier.verify(&signature, message, &ledger::leaf_hash(message));
});
