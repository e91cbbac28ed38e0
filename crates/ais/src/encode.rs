//! Encoding messages back into payload bits and NMEA sentences.
//!
//! The encoder is the decoder's mirror: tests use it for round trips, the
//! conformance corpus is generated with it, and a synthetic-traffic
//! generator can use it to make realistic feeds. It allocates freely; it is
//! not on any hot path.

use crate::bits::{Bits, Payload, armour_char, text_value};
use crate::message::Message;

/// Builds a payload bit by bit, most significant bit first.
#[derive(Clone, Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    len: usize,
}

impl BitWriter {
    /// An empty writer.
    pub fn new() -> BitWriter {
        BitWriter::default()
    }

    /// Appends the low `n` bits of `v` (zero bits above the 64th).
    pub fn put_u(&mut self, n: u32, v: u64) {
        for k in (0..n).rev() {
            self.push_bit(k < 64 && (v >> k) & 1 != 0);
        }
    }

    /// Appends `v` as an `n`-bit two's complement field.
    pub fn put_i(&mut self, n: u32, v: i64) {
        self.put_u(n, v as u64);
    }

    /// Appends `chars` six-bit characters of `text`, padded with `@` (the
    /// standard's "no character"); characters outside the AIS set become `?`.
    pub fn put_text(&mut self, chars: usize, text: &[u8]) {
        for k in 0..chars {
            let v = match text.get(k) {
                Some(&c) => text_value(c.to_ascii_uppercase()).unwrap_or(63),
                None => 0,
            };
            self.put_u(6, u64::from(v));
        }
    }

    /// Appends every bit of `bits`.
    pub fn put_bits(&mut self, bits: Bits<'_>) {
        let mut pos = 0;
        while pos < bits.len() {
            let n = (bits.len() - pos).min(32) as u32;
            self.put_u(n, bits.get(pos, n));
            pos += n as usize;
        }
    }

    fn push_bit(&mut self, bit: bool) {
        if self.len.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if bit {
            let i = self.len / 8;
            self.bytes[i] |= 0x80 >> (self.len % 8);
        }
        self.len += 1;
    }

    /// Number of bits written.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bits written so far.
    pub fn bits(&self) -> Bits<'_> {
        Bits::new(&self.bytes, self.len)
    }

    /// The bits as a [`Payload`] (truncated to its capacity).
    pub fn to_payload(&self) -> Payload {
        let mut p = Payload::new();
        p.set_bits(&self.bytes, self.len);
        p
    }

    /// The armoured characters and the number of fill bits.
    pub fn armour(&self) -> (String, u8) {
        let nchars = self.len.div_ceil(6);
        let fill = (nchars * 6 - self.len) as u8;
        let bits = self.bits();
        let s = (0..nchars)
            .map(|k| char::from(armour_char(bits.get(k * 6, 6) as u8)))
            .collect();
        (s, fill)
    }
}

/// The payload bits of `msg`.
pub fn encode(msg: &Message<'_>) -> BitWriter {
    let mut w = BitWriter::new();
    msg.write(&mut w);
    w
}

/// NMEA checksum: XOR of the bytes between the start character and `*`.
pub fn checksum(body: &[u8]) -> u8 {
    body.iter().fold(0, |a, b| a ^ b)
}

/// Options for [`to_sentences`].
#[derive(Clone, Copy, Debug)]
pub struct SentenceOptions<'a> {
    /// Two-character talker, e.g. `"AI"`.
    pub talker: &'a str,
    /// `false` for `VDM` (other ships), `true` for `VDO` (own ship).
    pub own: bool,
    /// Radio channel, `'A'` or `'B'` (or `'1'`/`'2'`).
    pub channel: char,
    /// Sequential message id 0–9 used when the message needs several
    /// sentences.
    pub seq_id: u8,
    /// Most payload characters per sentence (60 keeps sentences within
    /// NMEA's 82 characters).
    pub max_chars: usize,
}

impl Default for SentenceOptions<'_> {
    fn default() -> Self {
        SentenceOptions {
            talker: "AI",
            own: false,
            channel: 'A',
            seq_id: 0,
            max_chars: 60,
        }
    }
}

/// Armours `bits` into one or more `!xxVDM` sentences (without line ends).
pub fn to_sentences(bits: &BitWriter, opts: &SentenceOptions<'_>) -> Vec<String> {
    let (chars, fill) = bits.armour();
    let max = opts.max_chars.max(1);
    let parts: Vec<&str> = if chars.is_empty() {
        vec![""]
    } else {
        chars
            .as_bytes()
            .chunks(max)
            .map(|c| core::str::from_utf8(c).unwrap_or_default())
            .collect()
    };
    let total = parts.len();
    let kind = if opts.own { "VDO" } else { "VDM" };
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let seq = if total > 1 {
                opts.seq_id.to_string()
            } else {
                String::new()
            };
            let f = if i + 1 == total { fill } else { 0 };
            let body = format!(
                "{}{kind},{total},{},{seq},{},{part},{f}",
                opts.talker,
                i + 1,
                opts.channel
            );
            format!("!{body}*{:02X}", checksum(body.as_bytes()))
        })
        .collect()
}

/// A corpus of sentences covering every message type 1–27 (both parts of
/// type 24, both layouts of types 22, 25 and 26) and the decoded DAC/FID
/// applications, with realistic field values. Used by the conformance
/// check and by tests; deterministic.
pub fn corpus() -> Vec<String> {
    use crate::bits::{AisStr, Bits};
    use crate::message::*;

    let h = |msg_type: u8, mmsi: u32| Header {
        msg_type,
        repeat: 0,
        mmsi,
    };
    let mut out = Vec::new();
    let mut seq = 0u8;
    let mut push = |m: &Message<'_>, channel: char| {
        seq = (seq + 1) % 10;
        let w = encode(m);
        out.extend(to_sentences(
            &w,
            &SentenceOptions {
                channel,
                seq_id: seq,
                ..Default::default()
            },
        ));
    };
    let blob = [
        0xA5u8, 0x5A, 0x01, 0x80, 0xFF, 0x00, 0x3C, 0xC3, 0x12, 0x34, 0x56, 0x78,
    ];
    let data = Bits::new(&blob, 92);

    for (t, status, turn, speed, lon, lat, course, heading) in [
        (
            1u8,
            0u8,
            -127i8,
            123u16,
            -74_237_270,
            24_229_470,
            2240u16,
            215u16,
        ),
        (2, 5, 0, 0, 7_627_452 * 6 / 10, 33_379_540, 3600, 511),
        (3, 15, 40, 1023, 108_600_000, 54_600_000, 3599, 359),
        (1, 7, -128, 1022, -108_000_000, -54_000_000, 0, 0),
    ] {
        push(
            &Message::Position(PositionReport {
                header: h(t, 366_053_209),
                status,
                turn,
                speed,
                accuracy: t == 1,
                lon,
                lat,
                course,
                heading,
                second: 33,
                maneuver: 1,
                spare: 0,
                raim: true,
                radio: 34_017,
            }),
            'A',
        );
    }
    for t in [4u8, 11] {
        push(
            &Message::BaseStation(BaseStationReport {
                header: h(t, 3_669_702),
                year: 2007,
                month: 5,
                day: 14,
                hour: 19,
                minute: 57,
                second: 39,
                accuracy: true,
                lon: -45_811_417,
                lat: 22_130_260,
                epfd: 7,
                spare: 0,
                raim: false,
                radio: 67_039,
            }),
            'B',
        );
    }
    push(
        &Message::StaticVoyage(StaticVoyage {
            header: h(5, 351_759_000),
            ais_version: 0,
            imo: 9_134_270,
            callsign: AisStr::from_text("3FOF8"),
            shipname: AisStr::from_text("EVER DIADEM"),
            shiptype: 70,
            to_bow: 225,
            to_stern: 70,
            to_port: 1,
            to_starboard: 31,
            epfd: 1,
            month: 5,
            day: 15,
            hour: 14,
            minute: 0,
            draught: 122,
            destination: AisStr::from_text("NEW YORK"),
            dte: false,
            spare: 0,
        }),
        'A',
    );
    // Type 6: unknown application, and an addressed area notice.
    push(
        &Message::AddressedBinary(AddressedBinary {
            header: h(6, 150_834_090),
            seqno: 3,
            dest_mmsi: 313_240_222,
            retransmit: false,
            spare: 0,
            dac: 669,
            fid: 11,
            data,
        }),
        'B',
    );
    let mut notice = BitWriter::new();
    AreaNotice {
        linkage_id: 17,
        notice_type: 3,
        month: 6,
        day: 11,
        hour: 12,
        minute: 30,
        duration: 120,
        subarea_bits: Bits::new(&[], 0),
    }
    .write(&mut notice);
    for s in [
        SubArea::Circle {
            scale: 1,
            lon: 452_500,
            lat: 3_337_000,
            precision: 2,
            radius: 150,
        },
        SubArea::Rectangle {
            scale: 0,
            lon: -4_400_000,
            lat: 2_440_000,
            precision: 4,
            east: 20,
            north: 30,
            orientation: 45,
        },
        SubArea::Sector {
            scale: 2,
            lon: 600_000,
            lat: 3_000_000,
            precision: 1,
            radius: 99,
            left: 10,
            right: 200,
        },
        SubArea::Path {
            closed: true,
            scale: 1,
            points: [(90, 100), (180, 100), (270, 100), (720, 0)],
        },
        SubArea::Text(AisStr::from_text("NO ANCHORING")),
    ] {
        s.write(&mut notice);
    }
    let notice_bits = notice.bits();
    push(
        &Message::AddressedBinary(AddressedBinary {
            header: h(6, 2_190_047),
            seqno: 0,
            dest_mmsi: 219_000_001,
            retransmit: true,
            spare: 0,
            dac: 1,
            fid: 23,
            data: notice_bits,
        }),
        'A',
    );
    for t in [7u8, 13] {
        push(
            &Message::Acknowledge(Acknowledge {
                header: h(t, 2_655_651),
                spare: 0,
                acks: [(265_538_450, 0), (211_217_560, 1), (0, 0), (0, 0)],
                count: 2,
            }),
            'B',
        );
    }
    // Type 8: unknown application, met/hydro (both), area notice.
    push(
        &Message::BroadcastBinary(BroadcastBinary {
            header: h(8, 366_999_712),
            spare: 0,
            dac: 366,
            fid: 56,
            data,
        }),
        'A',
    );
    let mut met = BitWriter::new();
    MetHydro {
        lon: -368_039,
        lat: 3_197_696,
        accuracy: false,
        day: 29,
        hour: 23,
        minute: 24,
        wspeed: 12,
        wgust: 18,
        wdir: 250,
        wgustdir: 260,
        airtemp: -35,
        humidity: 87,
        dewpoint: -52,
        pressure: 214,
        pressuretend: 1,
        visgreater: false,
        visibility: 55,
        waterlevel: 1_042,
        leveltrend: 2,
        cspeed: 13,
        cdir: 90,
        cspeed2: 255,
        cdir2: 360,
        cdepth2: 31,
        cspeed3: 255,
        cdir3: 360,
        cdepth3: 31,
        waveheight: 12,
        waveperiod: 6,
        wavedir: 270,
        swellheight: 255,
        swellperiod: 63,
        swelldir: 360,
        seastate: 4,
        watertemp: 81,
        preciptype: 1,
        salinity: 352,
        ice: 0,
        spare: 0,
    }
    .write(&mut met);
    let met_bits = met.bits();
    push(
        &Message::BroadcastBinary(BroadcastBinary {
            header: h(8, 992_509_977),
            spare: 0,
            dac: 1,
            fid: 31,
            data: met_bits,
        }),
        'B',
    );
    let mut old = BitWriter::new();
    MetHydroOld {
        lat: 3_197_693,
        lon: -368_039,
        day: 18,
        hour: 17,
        minute: 15,
        wspeed: 3,
        wgust: 6,
        wdir: 12,
        wgustdir: 15,
        airtemp: 742,
        humidity: 50,
        dewpoint: 323,
        pressure: 224,
        pressuretend: 2,
        visibility: 153,
        waterlevel: 16,
        leveltrend: 1,
        cspeed: 103,
        cdir: 256,
        cspeed2: 104,
        cdir2: 257,
        cdepth2: 10,
        cspeed3: 126,
        cdir3: 203,
        cdepth3: 20,
        waveheight: 42,
        waveperiod: 35,
        wavedir: 25,
        swellheight: 23,
        swellperiod: 48,
        swelldir: 124,
        seastate: 3,
        watertemp: 223,
        preciptype: 6,
        salinity: 53,
        ice: 0,
        spare: 0,
    }
    .write(&mut old);
    let old_bits = old.bits();
    push(
        &Message::BroadcastBinary(BroadcastBinary {
            header: h(8, 992_509_977),
            spare: 0,
            dac: 1,
            fid: 11,
            data: old_bits,
        }),
        'A',
    );
    push(
        &Message::BroadcastBinary(BroadcastBinary {
            header: h(8, 2_190_047),
            spare: 0,
            dac: 1,
            fid: 22,
            data: notice_bits,
        }),
        'B',
    );
    push(
        &Message::SarAircraft(SarAircraftReport {
            header: h(9, 111_232_511),
            alt: 303,
            speed: 42,
            accuracy: false,
            lon: -3_767_306,
            lat: 34_886_400,
            course: 1545,
            second: 15,
            regional: 0,
            dte: true,
            spare: 0,
            assigned: false,
            raim: false,
            radio: 33_392,
        }),
        'A',
    );
    push(
        &Message::UtcInquiry(UtcInquiry {
            header: h(10, 366_814_480),
            spare: 0,
            dest_mmsi: 366_832_740,
            spare2: 0,
        }),
        'B',
    );
    let mut text = BitWriter::new();
    text.put_text(43, b"PLEASE REPORT TO JOBOURG TRAFFIC CHANNEL 13");
    let text_bits = text.bits();
    push(
        &Message::AddressedSafety(AddressedSafety {
            header: h(12, 2_275_200),
            seqno: 0,
            dest_mmsi: 215_724_000,
            retransmit: false,
            spare: 0,
            text: crate::bits::SixBitText(text_bits),
        }),
        'A',
    );
    push(
        &Message::BroadcastSafety(BroadcastSafety {
            header: h(14, 351_809_000),
            spare: 0,
            text: crate::bits::SixBitText(text_bits.take(16 * 6)),
        }),
        'A',
    );
    push(
        &Message::Interrogation(Interrogation {
            header: h(15, 3_669_720),
            mmsi1: 367_014_320,
            type1_1: 3,
            offset1_1: 516,
            type1_2: 5,
            offset1_2: 617,
            ..Default::default()
        }),
        'B',
    );
    push(
        &Message::Interrogation(Interrogation {
            header: h(15, 211_439_370),
            mmsi1: 211_507_560,
            type1_1: 5,
            type1_2: 24,
            offset1_2: 663,
            mmsi2: 605_843_451,
            type2_1: 5,
            offset2_1: 560,
            ..Default::default()
        }),
        'A',
    );
    push(
        &Message::AssignmentMode(AssignmentMode {
            header: h(16, 2_053_501),
            mmsi1: 224_251_000,
            offset1: 200,
            increment1: 0,
            ..Default::default()
        }),
        'B',
    );
    push(
        &Message::AssignmentMode(AssignmentMode {
            header: h(16, 2_053_501),
            mmsi1: 224_251_000,
            offset1: 200,
            increment1: 10,
            mmsi2: 224_251_001,
            offset2: 300,
            increment2: 20,
            ..Default::default()
        }),
        'A',
    );
    push(
        &Message::DgnssBroadcast(DgnssBroadcast {
            header: h(17, 2_734_450),
            spare: 0,
            lon: 17_460,
            lat: 36_000,
            spare2: 0,
            data,
        }),
        'A',
    );
    push(
        &Message::ClassBPosition(ClassBPosition {
            header: h(18, 338_087_471),
            reserved: 0,
            speed: 1,
            accuracy: false,
            lon: -44_443_279,
            lat: 24_410_724,
            course: 796,
            heading: 511,
            second: 49,
            regional: 0,
            cs: true,
            display: false,
            dsc: true,
            band: true,
            msg22: true,
            assigned: false,
            raim: true,
            radio: 917_510,
        }),
        'B',
    );
    push(
        &Message::ClassBExtended(ClassBExtended {
            header: h(19, 367_059_850),
            reserved: 248,
            speed: 87,
            accuracy: false,
            lon: -53_286_235,
            lat: 17_726_217,
            course: 3359,
            heading: 511,
            second: 46,
            regional: 4,
            shipname: AisStr::from_text("CAPT.J.RIMES"),
            shiptype: 70,
            to_bow: 5,
            to_stern: 21,
            to_port: 4,
            to_starboard: 4,
            epfd: 1,
            raim: false,
            dte: false,
            assigned: false,
            spare: 0,
        }),
        'A',
    );
    let mut reservations = [Reservation::default(); 4];
    reservations[0] = Reservation {
        offset: 47,
        number: 1,
        timeout: 7,
        increment: 250,
    };
    reservations[1] = Reservation {
        offset: 2250,
        number: 1,
        timeout: 7,
        increment: 1125,
    };
    push(
        &Message::DataLinkManagement(DataLinkManagement {
            header: h(20, 3_160_097),
            spare: 0,
            reservations,
        }),
        'B',
    );
    for name in ["SPOT", "CHINA ROSE MURPHY EXPRESS ALERT"] {
        push(
            &Message::AidToNavigation(AidToNavigation {
                header: h(21, 123_456_789),
                aid_type: 20,
                name: AisStr::from_text(name),
                accuracy: false,
                lon: -73_619_155,
                lat: 28_752_371,
                to_bow: 5,
                to_stern: 5,
                to_port: 5,
                to_starboard: 5,
                epfd: 1,
                second: 50,
                off_position: false,
                regional: 165,
                raim: false,
                virtual_aid: false,
                assigned: false,
                spare: 0,
            }),
            'A',
        );
    }
    push(
        &Message::ChannelManagement(ChannelManagement {
            header: h(22, 3_160_048),
            channel_a: 2087,
            channel_b: 2088,
            txrx: 0,
            power: false,
            target: ChannelTarget::Area {
                ne_lon: -44_100,
                ne_lat: 27_330,
                sw_lon: -48_100,
                sw_lat: 25_400,
            },
            zonesize: 4,
            ..Default::default()
        }),
        'B',
    );
    push(
        &Message::ChannelManagement(ChannelManagement {
            header: h(22, 17_419_965),
            channel_a: 3584,
            channel_b: 8,
            txrx: 1,
            power: true,
            target: ChannelTarget::Addressed {
                dest1: 28_144_881,
                spare1: 0,
                dest2: 268_435_519,
                spare2: 0,
            },
            zonesize: 4,
            ..Default::default()
        }),
        'A',
    );
    push(
        &Message::GroupAssignment(GroupAssignment {
            header: h(23, 2_268_120),
            ne_lon: 1_578,
            ne_lat: 30_642,
            sw_lon: 1_096,
            sw_lat: 30_408,
            station_type: 6,
            ship_type: 0,
            txrx: 0,
            interval: 9,
            quiet: 0,
            ..Default::default()
        }),
        'B',
    );
    push(
        &Message::StaticData(StaticDataReport {
            header: h(24, 271_041_815),
            partno: 0,
            part: StaticDataPart::A {
                shipname: AisStr::from_text("PROGUY"),
            },
        }),
        'A',
    );
    for (mmsi, dims) in [
        (
            271_041_815,
            Dimensions::Hull {
                to_bow: 0,
                to_stern: 15,
                to_port: 0,
                to_starboard: 5,
            },
        ),
        (982_710_001, Dimensions::Mothership(271_041_815)),
    ] {
        push(
            &Message::StaticData(StaticDataReport {
                header: h(24, mmsi),
                partno: 1,
                part: StaticDataPart::B {
                    shiptype: 60,
                    vendorid: AisStr::from_text("1D0"),
                    model: 12,
                    serial: 199_796,
                    callsign: AisStr::from_text("TC6163"),
                    dims,
                    epfd: 1,
                    spare: 0,
                },
            }),
            'A',
        );
    }
    for (t, addressed, structured) in [
        (25u8, true, false),
        (25, false, true),
        (26, true, true),
        (26, false, false),
    ] {
        push(
            &Message::SlotBinary(SlotBinary {
                header: h(t, 440_006_460),
                dest_mmsi: addressed.then_some(134_218_384),
                spare: 0,
                app_id: structured.then_some(23_587),
                data: data.take(if t == 25 { 56 } else { 92 }),
                radio: (t == 26).then_some(0),
            }),
            'B',
        );
    }
    push(
        &Message::LongRange(LongRangeReport {
            header: h(27, 206_914_217),
            accuracy: false,
            raim: false,
            status: 0,
            lon: 82_214,
            lat: 2_904,
            speed: 57,
            course: 167,
            gnss: false,
            spare: 0,
        }),
        'A',
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_armours() {
        let mut w = BitWriter::new();
        w.put_u(6, 1);
        w.put_u(2, 0);
        assert_eq!(w.armour(), ("10".to_string(), 4));
        w.put_i(4, -1);
        assert_eq!(w.bits().get(8, 4), 15);
    }

    #[test]
    fn splits_long_payloads() {
        let mut w = BitWriter::new();
        w.put_u(6, 5);
        for _ in 0..100 {
            w.put_u(6, 0);
        }
        let s = to_sentences(
            &w,
            &SentenceOptions {
                seq_id: 3,
                ..Default::default()
            },
        );
        assert_eq!(s.len(), 2);
        assert!(s[0].starts_with("!AIVDM,2,1,3,A,5"));
        assert!(s[1].starts_with("!AIVDM,2,2,3,A,"));
    }
}
