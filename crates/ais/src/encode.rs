//! Encoding messages back into payload bits and NMEA sentences.
//!
//! The encoder is the decoder's mirror: tests use it for round trips, the
//! conformance corpus is generated with it, and a synthetic-traffic
//! generator can use it to make realistic feeds. It allocates freely; it is
//! not on any hot path.

use crate::bits::{armour_char, text_value, Bits, Payload};
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
        if self.len % 8 == 0 {
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
        chars.as_bytes().chunks(max).map(|c| core::str::from_utf8(c).unwrap_or_default()).collect()
    };
    let total = parts.len();
    let kind = if opts.own { "VDO" } else { "VDM" };
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let seq = if total > 1 { opts.seq_id.to_string() } else { String::new() };
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
        let s = to_sentences(&w, &SentenceOptions { seq_id: 3, ..Default::default() });
        assert_eq!(s.len(), 2);
        assert!(s[0].starts_with("!AIVDM,2,1,3,A,5"));
        assert!(s[1].starts_with("!AIVDM,2,2,3,A,"));
    }
}
