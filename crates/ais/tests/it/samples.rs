//! The real sample feeds and the generated corpus decode as expected.

use crate::{data, decode_chunked};
use ais::{ErrorKind, Message};

#[test]
fn danish_feed_decodes_every_message_with_gatehouse_times() {
    let input = data("dma-stream-example.nmea");
    let (events, stats) = decode_chunked(&input, &[usize::MAX]);
    assert_eq!(stats.sentences, 4500);
    assert_eq!(stats.messages(), 4051);
    assert_eq!(stats.total_errors(), 0);
    assert_eq!(events.len(), 4051);
    // Every VDM follows a $PGHP line, so every message has a time.
    assert!(events.iter().all(|e| e.contains("\"received\":12762")));
    assert!(events[0].starts_with(r#"{"class":"AIS","type":4,"repeat":0,"mmsi":2311200"#));
}

#[test]
fn public_feed_counts_empty_and_incomplete_messages() {
    let input = data("marinetraffic-sample.nmea");
    let (_, stats) = decode_chunked(&input, &[usize::MAX]);
    assert_eq!(stats.messages(), 778);
    assert_eq!(stats.errors_of(ErrorKind::EmptyPayload), 100);
    // The sample holds first fragments whose second halves are missing.
    assert_eq!(stats.errors_of(ErrorKind::Incomplete), 20);
}

#[test]
fn generated_corpus_covers_every_type() {
    let input = data("generated-all-types.nmea");
    let (_, stats) = decode_chunked(&input, &[usize::MAX]);
    assert_eq!(stats.total_errors(), 0);
    for t in 1..=27 {
        assert!(stats.by_type[t] > 0, "type {t} missing");
    }
    // The file is what the generator makes today.
    let generated: String = ais::encode::corpus()
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(String::from_utf8(input).unwrap(), generated);
}

#[test]
fn known_messages_decode_to_known_fields() {
    let mut dec = ais::LineDecoder::default();
    assert!(
        dec.handle_line(b"!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5F", 0)
            .unwrap()
    );
    let (_, m) = dec.poll_message().unwrap().unwrap();
    let Message::Position(p) = m else {
        panic!("{m:?}")
    };
    assert_eq!(p.header.mmsi, 366_053_209);
    assert!(
        dec.handle_line(
            b"!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E",
            0
        )
        .is_ok()
    );
    assert!(
        dec.handle_line(b"!AIVDM,2,2,3,B,1@0000000000000,2*55", 0)
            .unwrap()
    );
    let (meta, m) = dec.poll_message().unwrap().unwrap();
    assert_eq!(meta.sentences, 2);
    let Message::StaticVoyage(s) = m else {
        panic!("{m:?}")
    };
    assert_eq!(s.header.mmsi, 369_190_000);
    assert_eq!(s.shipname.as_str(), "MT.MITCHELL");
    assert_eq!(s.callsign.as_str(), "WDA9674");
    assert_eq!(s.destination.as_str(), "SEATTLE");
}

#[test]
fn reassembly_times_out_and_counts() {
    let mut dec = ais::LineDecoder::new(ais::Config { timeout_ms: 1000 });
    let first = b"!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E";
    let second = b"!AIVDM,2,2,3,B,1@0000000000000,2*55";
    assert!(!dec.handle_line(first, 0).unwrap());
    let e = dec.handle_line(second, 5000).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrphanFragment);
    assert_eq!(dec.stats().errors_of(ErrorKind::Incomplete), 1);
}

#[test]
fn csv_tables_have_documented_columns() {
    let input = data("dma-stream-example.nmea");
    let mut pos = Vec::new();
    let mut st = Vec::new();
    ais::output::write_csv_header(ais::output::CsvTable::Positions, &mut pos).unwrap();
    ais::output::write_csv_header(ais::output::CsvTable::Statics, &mut st).unwrap();
    let mut dec = ais::Decoder::new();
    dec.decode_all(&input, 0, |ev| {
        let (meta, m) = ev.unwrap();
        ais::output::write_csv_row(ais::output::CsvTable::Positions, &meta, &m, &mut pos).unwrap();
        ais::output::write_csv_row(ais::output::CsvTable::Statics, &meta, &m, &mut st).unwrap();
    });
    let pos = String::from_utf8(pos).unwrap();
    let st = String::from_utf8(st).unwrap();
    let ncols = |s: &str| s.lines().next().unwrap().split(',').count();
    assert!(
        pos.lines().all(|l| l.split(',').count() == ncols(&pos)),
        "ragged positions"
    );
    assert!(
        st.lines()
            .filter(|l| !l.contains('"'))
            .all(|l| l.split(',').count() == ncols(&st))
    );
    assert!(pos.lines().count() > 3000);
    assert!(st.lines().count() > 100);
}

#[test]
fn fuzz_crash_aid_name_with_trailing_spaces_round_trips() {
    // Found by the ais_sentence fuzz target: a name whose trimmed spaces
    // stayed in the inline buffer compared unequal after re-encoding.
    let line = b"!AIVDM,1,1,,A,E1mg=5J1T4W0h079Ra60hba84<h2d;W:Te=eLvH50```q:D44QDlp0C1DU00,4*53";
    let mut dec = ais::LineDecoder::default();
    assert!(dec.handle_line(line, 0).unwrap());
    let (_, m) = dec.poll_message().unwrap().unwrap();
    let p = ais::encode::encode(&m).to_payload();
    assert_eq!(Message::decode(p.bits()).unwrap(), m);
}
