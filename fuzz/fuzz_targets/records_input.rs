//! Outside data that becomes records: the two piracy CSV importers and
//! untrusted JSON drafts must never panic; a draft that parses must give a
//! version that survives its JSON round trip (what the node signs is what
//! it reads back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use model::record::{Draft, Originator, RecordId, RecordVersion};

fuzz_target!(|data: &[u8]| {
    let _ = model::import::asam::parse(data);
    let _ = model::import::pirate_attacks::parse(data);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = RecordVersion::from_json(&value);
    if let Ok(draft) = Draft::parse(&value) {
        let origin = Originator {
            member: model::MemberCode::parse("JPN").unwrap(),
            agency: None,
            node: "fuzz".into(),
        };
        let v = RecordVersion::first(RecordId::new_v7(0, [0; 10]), origin, chrono::DateTime::UNIX_EPOCH, draft);
        let back = RecordVersion::from_json(&v.to_json()).unwrap();
        assert_eq!(back.to_json(), v.to_json());
    }
});
