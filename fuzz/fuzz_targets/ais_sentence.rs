//! One line through every layer: sentence parsing, a line decoder, message
//! decoding and JSON output must never panic, and a decoded message must
//! survive encode → decode unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ais::parse_sentence(data);
    let _ = ais::parse_pghp(data);
    let mut dec = ais::LineDecoder::default();
    if let Ok(true) = dec.handle_line(data, 0) {
        if let Some(Ok((meta, msg))) = dec.poll_message() {
            let mut out = Vec::new();
            ais::output::write_json_with_meta(&msg, &meta, &mut out).unwrap();
            let w = ais::encode::encode(&msg);
            let p = w.to_payload();
            let again = ais::Message::decode(p.bits()).unwrap();
            assert_eq!(msg, again);
        }
    }
});
