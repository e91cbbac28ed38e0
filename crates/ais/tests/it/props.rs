//! Property tests: chunking invariance, fast vs reference readers, and
//! encode → decode round trips.

use ais::{Bits, Message, Payload, reference};
use proptest::prelude::*;

use crate::{data, decode_chunked};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn chunking_does_not_change_output(sizes in prop::collection::vec(1usize..200, 1..8), start in 0usize..6000) {
        let all = data("dma-stream-example.nmea");
        let mut input = all[start.min(all.len())..].to_vec();
        input.truncate(30_000);
        input.extend_from_slice(&data("marinetraffic-sample.nmea")[..8000]);
        let (whole, s1) = decode_chunked(&input, &[usize::MAX]);
        let (chunked, s2) = decode_chunked(&input, &sizes);
        prop_assert_eq!(whole, chunked);
        prop_assert_eq!(s1, s2);
    }

    #[test]
    fn decode_all_matches_handle_bytes(
        input in prop::collection::vec(prop::sample::select(b"!AIVDM,12AB*0\n\r\\$PGHP5;`w@".to_vec()), 0..3000),
        head in 0usize..40,
        long in 0usize..1200,
    ) {
        // A partial line held from handle_bytes, an over-long line, then
        // garbage: decode_all must give what handle_bytes gives.
        let sample = data("dma-stream-example.nmea");
        let mut buf = sample[..head].to_vec();
        buf.extend(std::iter::repeat_n(b'x', long));
        buf.push(b'\n');
        buf.extend_from_slice(&sample[..4000]);
        buf.extend_from_slice(&input);
        let (expected, s1) = decode_chunked(&buf, &[head.max(1), usize::MAX]);
        let mut dec = ais::Decoder::new();
        let (used, first) = dec.handle_bytes(&buf[..head], 0);
        prop_assert_eq!(used, head);
        prop_assert!(first.is_none());
        let mut got = Vec::new();
        dec.decode_all(&buf[head..], 0, |ev| got.push(crate::render(ev)));
        prop_assert_eq!(expected, got);
        prop_assert_eq!(&s1, dec.stats());
    }

    #[test]
    fn chunking_of_garbage_does_not_change_output(
        input in prop::collection::vec(prop::sample::select(b"!AIVDM,12AB*0\n\r\\$PGHP5;`w@".to_vec()), 0..3000),
        sizes in prop::collection::vec(1usize..64, 1..5),
    ) {
        let (whole, s1) = decode_chunked(&input, &[usize::MAX]);
        let (chunked, s2) = decode_chunked(&input, &sizes);
        prop_assert_eq!(whole, chunked);
        prop_assert_eq!(s1, s2);
    }

    #[test]
    fn fast_reader_matches_reference(bytes in prop::collection::vec(any::<u8>(), 0..40), len_cut in 0usize..320, pos in 0usize..330, n in 0u32..58) {
        let len = len_cut.min(bytes.len() * 8);
        let b = Bits::new(&bytes, len);
        prop_assert_eq!(b.get(pos, n), reference::get(&bytes, len, pos, n));
        // Sub-slices read the same bits at shifted positions.
        let from = pos.min(len);
        let s = b.slice_from(from);
        prop_assert_eq!(s.get(0, n), reference::get(&bytes, len, from, n));
    }

    #[test]
    fn fast_unarmour_matches_reference(chars in prop::collection::vec(any::<u8>(), 0..120), fill in 0u8..6) {
        let mut p = Payload::new();
        let fast = p.unarmour(&chars, fill);
        match reference::unarmour(&chars, fill) {
            Some((bytes, len)) if fill as usize <= (chars.len() * 6).min(5) => {
                prop_assert!(fast.is_ok());
                prop_assert_eq!(p.len(), len);
                prop_assert!(p.bits() == Bits::new(&bytes, len));
            }
            _ => prop_assert!(fast.is_err()),
        }
    }

    #[test]
    fn word_unarmour_matches_reference_on_near_valid_input(
        before in prop::collection::vec(prop::sample::select(b"0W`wPp".to_vec()), 0..120),
        chars in prop::collection::vec(prop::sample::select(b"0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw/XY_x\x7f\x80\xb0\xe0".to_vec()), 0..120),
        valid_only in any::<bool>(),
        fill in 0u8..6,
    ) {
        let chars: Vec<u8> = if valid_only {
            chars.into_iter().filter(|&c| reference::unarmour(&[c], 0).is_some()).collect()
        } else {
            chars
        };
        let mut p = Payload::new();
        // A longer payload first: nothing of it may show through.
        let _ = p.unarmour(&before, 0);
        let fast = p.unarmour(&chars, fill);
        let first_bad = chars.iter().position(|&c| reference::unarmour(&[c], 0).is_none());
        match reference::unarmour(&chars, fill) {
            Some((bytes, len)) if fill as usize <= (chars.len() * 6).min(5) => {
                prop_assert!(fast.is_ok());
                prop_assert_eq!(p.len(), len);
                prop_assert!(p.bits() == Bits::new(&bytes, len));
                prop_assert_eq!(p.bits().get(len, 57), 0);
            }
            _ if fill as usize > (chars.len() * 6).min(5) => prop_assert_eq!(fast, Err(chars.len())),
            _ => prop_assert_eq!(fast, Err(first_bad.unwrap_or(0))),
        }
    }

    #[test]
    fn any_payload_decodes_without_panic(chars in prop::collection::vec(prop::sample::select(b"0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw".to_vec()), 0..200), fill in 0u8..6) {
        let mut p = Payload::new();
        if p.unarmour(&chars, fill).is_ok()
            && let Ok(m) = Message::decode(p.bits()) {
                let mut out = Vec::new();
                ais::output::write_json(&m, &mut out).unwrap();
                // Re-encoding and decoding gives the same message.
                let w = ais::encode::encode(&m);
                let p2 = w.to_payload();
                let m2 = Message::decode(p2.bits()).unwrap();
                prop_assert_eq!(m, m2);
            }
    }
}

#[test]
fn every_type_round_trips_through_sentences() {
    // The corpus covers every type; each message must survive
    // decode → encode → armour → decode unchanged.
    let corpus = ais::encode::corpus().join("\n");
    let mut dec = ais::Decoder::new();
    let mut n = 0;
    dec.decode_all(corpus.as_bytes(), 0, |ev| {
        let (_, m) = ev.unwrap();
        let w = ais::encode::encode(&m);
        let lines = ais::encode::to_sentences(&w, &ais::encode::SentenceOptions::default());
        let mut d2 = ais::LineDecoder::default();
        let mut got = None;
        for l in &lines {
            if d2.handle_line(l.as_bytes(), 0).unwrap() {
                let (_, m2) = d2.poll_message().unwrap().unwrap();
                got = Some(format!("{m2:?}"));
            }
        }
        assert_eq!(got, Some(format!("{m:?}")));
        n += 1;
    });
    assert!(n >= 40);
}
