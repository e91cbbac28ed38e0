//! Six-bit armour and bit-level access to message payloads.
//!
//! An AIS payload is a string of bits; NMEA carries it as ASCII, six bits
//! per character ("armour"). [`Payload`] holds the unarmoured bytes of one
//! message in a fixed buffer, and [`Bits`] reads big-endian fields from it.
//!
//! The fast reader loads eight bytes at once and shifts; [`reference`] is a
//! bit-at-a-time reader that is obviously correct, and the tests check the
//! two agree on arbitrary input.

use core::fmt;

/// Most armoured characters one message may have (1,536 bits). The longest
/// standard message is 1,008 bits (168 characters, five slots); the margin
/// admits the over-long messages some base stations send.
pub const MAX_PAYLOAD_CHARS: usize = 256;

const PAYLOAD_BYTES: usize = MAX_PAYLOAD_CHARS * 6 / 8;

/// Marks a byte that is not in the armour alphabet.
const INVALID: u8 = 0x40;

/// Armour character to six-bit value; [`INVALID`] outside the alphabet
/// (`0`–`W` are 0–39, `` ` ``–`w` are 40–63).
const UNARMOUR: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut c = 0;
    while c < 256 {
        if c >= 48 && c <= 87 {
            t[c] = (c - 48) as u8;
        } else if c >= 96 && c <= 119 {
            t[c] = (c - 56) as u8;
        }
        c += 1;
    }
    t
};

/// Six-bit value (0–63) to its armour character.
pub fn armour_char(v: u8) -> u8 {
    let v = v & 63;
    if v < 40 { v + 48 } else { v + 56 }
}

/// Six-bit value (0–63) to the ASCII character it stands for in AIS text
/// (ITU-R M.1371 table 47: 0–31 are `@`–`_`, 32–63 are ` `–`?`).
pub fn text_char(v: u8) -> u8 {
    let v = v & 63;
    if v < 32 { v + 64 } else { v }
}

/// ASCII to the six-bit text value, if the character is in the AIS set.
pub fn text_value(c: u8) -> Option<u8> {
    match c {
        64..=95 => Some(c - 64),
        32..=63 => Some(c),
        _ => None,
    }
}

/// Eight six-bit text characters (`w`'s low 48 bits, the first character
/// highest) as ASCII bytes, the first character in the lowest byte, and
/// the index of the first `@` (8 if none).
#[inline]
fn text_word(w: u64) -> (u64, usize) {
    const LO: u64 = 0x0101_0101_0101_0101;
    // 48 bits -> two 24-bit halves in 32-bit lanes -> four 12-bit pairs in
    // 16-bit lanes -> eight 6-bit values in bytes, first character lowest.
    let q = ((w >> 24) & 0xFF_FFFF) | ((w & 0xFF_FFFF) << 32);
    let p = ((q >> 12) & 0x0000_0FFF_0000_0FFF) | ((q & 0x0000_0FFF_0000_0FFF) << 16);
    let v =
        ((p >> 6) & (0x3F * 0x0001_0001_0001_0001)) | ((p & (0x3F * 0x0001_0001_0001_0001)) << 8);
    // Values below 32 map to 64–95: set bit 6 where bit 5 is clear.
    let chars = v | ((!v & (0x20 * LO)) << 1);
    // `@` is value 0: find the first zero byte of `v` (exact: bit 7 is
    // clear in every byte, so the addition carries into no other byte).
    let nonzero = ((v + 0x7F * LO) | v) & (0x80 * LO);
    let zeros = !nonzero & (0x80 * LO);
    (chars, (zeros.trailing_zeros() / 8) as usize)
}

/// The unarmoured bits of one message, in a fixed buffer (no allocation).
#[derive(Clone)]
pub struct Payload {
    // Eight spare bytes so the fast reader can always load a whole u64.
    bytes: [u8; PAYLOAD_BYTES + 8],
    len: usize,
}

impl Default for Payload {
    fn default() -> Self {
        Payload {
            bytes: [0; PAYLOAD_BYTES + 8],
            len: 0,
        }
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Payload({:?})", self.bits())
    }
}

impl Payload {
    /// An empty payload.
    pub fn new() -> Payload {
        Payload::default()
    }

    /// Replaces the content with the unarmoured `chars`, less `fill` bits.
    ///
    /// On failure returns the index of the first byte outside the armour
    /// alphabet, or `chars.len()` when there are too many characters or the
    /// fill is more than the characters hold. The payload is then empty.
    pub fn unarmour(&mut self, chars: &[u8], fill: u8) -> Result<(), usize> {
        self.len = 0;
        if chars.len() > MAX_PAYLOAD_CHARS || usize::from(fill) > (chars.len() * 6).min(5) {
            return Err(chars.len());
        }
        let mut bad = 0u8;
        // Four characters make three bytes: one table look-up per
        // character and an OR to collect validity, checked once at the end.
        let mut quads = chars.chunks_exact(4);
        let mut out = self.bytes.chunks_exact_mut(3);
        for (q, o) in (&mut quads).zip(&mut out) {
            let a = UNARMOUR[usize::from(q[0])];
            let b = UNARMOUR[usize::from(q[1])];
            let c = UNARMOUR[usize::from(q[2])];
            let d = UNARMOUR[usize::from(q[3])];
            bad |= a | b | c | d;
            let w =
                (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
            o[0] = (w >> 16) as u8;
            o[1] = (w >> 8) as u8;
            o[2] = w as u8;
        }
        let rest = quads.remainder();
        let done = chars.len() - rest.len();
        let mut w = 0u32;
        for &c in rest {
            let v = UNARMOUR[usize::from(c)];
            bad |= v;
            w = (w << 6) | u32::from(v & 63);
        }
        if bad & INVALID != 0 {
            let at = chars
                .iter()
                .position(|&c| UNARMOUR[usize::from(c)] == INVALID);
            return Err(at.unwrap_or(0));
        }
        let nbits = rest.len() * 6;
        let at = done / 4 * 3;
        if nbits > 0 {
            // Left-align the leftover bits in whole bytes.
            let w = w << (24 - nbits);
            self.bytes[at] = (w >> 16) as u8;
            self.bytes[at + 1] = (w >> 8) as u8;
            self.bytes[at + 2] = w as u8;
        }
        let len = chars.len() * 6 - usize::from(fill);
        // Zero everything after the last bit so stale data from an earlier
        // message can never be read back.
        let first = len / 8;
        if !len.is_multiple_of(8) {
            self.bytes[first] &= 0xFFu8 << (8 - len % 8);
            self.clear_from(first + 1, at + 3);
        } else {
            self.clear_from(first, at + 3);
        }
        self.len = len;
        Ok(())
    }

    #[inline]
    fn clear_from(&mut self, from: usize, to: usize) {
        let to = to.min(self.bytes.len());
        if from >= to {
            return;
        }
        // The range is a few bytes at the end of the last three-byte group:
        // zero it in one eight-byte word rather than a `memset` call.
        let n = to - from;
        if let Some(w) = self.bytes.get_mut(from..from + 8).filter(|_| n < 8) {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            let v = u64::from_le_bytes(a) & (u64::MAX << (8 * n));
            w.copy_from_slice(&v.to_le_bytes());
        } else {
            self.bytes[from..to].fill(0);
        }
    }

    /// Sets the payload from raw bytes (big-endian bit order), `len` bits.
    /// Used by the encoder; bits past `len` are ignored.
    pub fn set_bits(&mut self, bytes: &[u8], len: usize) {
        let len = len.min(bytes.len() * 8).min(PAYLOAD_BYTES * 8);
        self.bytes.fill(0);
        let n = len.div_ceil(8);
        self.bytes[..n].copy_from_slice(&bytes[..n]);
        if !len.is_multiple_of(8) {
            self.bytes[n - 1] &= 0xFFu8 << (8 - len % 8);
        }
        self.len = len;
    }

    /// Number of bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bits, for reading.
    #[inline]
    pub fn bits(&self) -> Bits<'_> {
        Bits {
            bytes: &self.bytes,
            start: 0,
            len: self.len,
        }
    }
}

/// A borrowed run of bits (for example the application data of a binary
/// message). Reads past the end give zero bits.
#[derive(Clone, Copy)]
pub struct Bits<'a> {
    bytes: &'a [u8],
    start: usize,
    len: usize,
}

impl fmt::Debug for Bits<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.len)?;
        self.write_hex(f)
    }
}

impl PartialEq for Bits<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.len != other.len {
            return false;
        }
        let mut pos = 0;
        while pos < self.len {
            let n = (self.len - pos).min(32) as u32;
            if self.get(pos, n) != other.get(pos, n) {
                return false;
            }
            pos += n as usize;
        }
        true
    }
}

impl<'a> Bits<'a> {
    /// Bits over whole bytes, `len` bits long (at most `bytes.len() * 8`).
    pub fn new(bytes: &'a [u8], len: usize) -> Bits<'a> {
        Bits {
            bytes,
            start: 0,
            len: len.min(bytes.len() * 8),
        }
    }

    /// Number of bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bits from `from` to the end (empty if `from` is past the end).
    pub fn slice_from(&self, from: usize) -> Bits<'a> {
        let from = from.min(self.len);
        Bits {
            bytes: self.bytes,
            start: self.start + from,
            len: self.len - from,
        }
    }

    /// The first `len` bits (all of them if there are fewer).
    pub fn take(&self, len: usize) -> Bits<'a> {
        Bits {
            bytes: self.bytes,
            start: self.start,
            len: len.min(self.len),
        }
    }

    /// The unsigned big-endian field of `n` bits (0–57) at bit `pos`.
    #[inline]
    pub fn get(&self, pos: usize, n: u32) -> u64 {
        if n == 0 || n > 57 {
            return 0;
        }
        let abs = self.start + pos;
        let i = abs >> 3;
        let word = match self.bytes.get(i..i + 8) {
            Some(b) => {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                u64::from_be_bytes(a)
            }
            None => self.word_near_end(i),
        };
        let v = (word << (abs & 7)) >> (64 - n);
        let end = pos + n as usize;
        if end <= self.len {
            v
        } else {
            // Past the end: keep only the bits that exist.
            let missing = (end - self.len).min(n as usize) as u32;
            if missing >= 64 {
                0
            } else {
                v & !((1u64 << missing) - 1)
            }
        }
    }

    #[cold]
    fn word_near_end(&self, i: usize) -> u64 {
        let mut a = [0u8; 8];
        for (k, slot) in a.iter_mut().enumerate() {
            *slot = self.bytes.get(i + k).copied().unwrap_or(0);
        }
        u64::from_be_bytes(a)
    }

    /// The signed (two's complement) field of `n` bits (1–57) at `pos`.
    #[inline]
    pub fn get_signed(&self, pos: usize, n: u32) -> i64 {
        if n == 0 || n > 57 {
            return 0;
        }
        let v = self.get(pos, n);
        let shift = 64 - n;
        ((v << shift) as i64) >> shift
    }

    /// Writes the bits as lowercase hexadecimal, the last nibble padded
    /// with zero bits (gpsd's `data` format without the length prefix).
    pub fn write_hex<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut pos = 0;
        while pos < self.len {
            let nib = self.get(pos, 4) as usize;
            out.write_char(char::from(HEX[nib]))?;
            pos += 4;
        }
        Ok(())
    }

    /// The bits as bytes (the last byte padded with zero bits), into `out`;
    /// returns how many bytes were written.
    pub fn copy_to(&self, out: &mut [u8]) -> usize {
        let n = self.len.div_ceil(8).min(out.len());
        for (k, o) in out[..n].iter_mut().enumerate() {
            *o = self.get(k * 8, 8) as u8;
        }
        n
    }

    /// The six-bit text characters in these bits (a trailing partial
    /// character is dropped), without trimming.
    pub fn chars(&self) -> impl Iterator<Item = u8> + 'a {
        let b = *self;
        (0..self.len / 6).map(move |k| text_char(b.get(k * 6, 6) as u8))
    }
}

/// A sequential reader over [`Bits`]; every field read advances it.
pub(crate) struct Reader<'a> {
    bits: Bits<'a>,
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bits: Bits<'a>) -> Reader<'a> {
        Reader { bits, pos: 0 }
    }

    #[inline]
    pub(crate) fn u(&mut self, n: u32) -> u64 {
        let v = self.bits.get(self.pos, n);
        self.pos += n as usize;
        v
    }

    #[inline]
    pub(crate) fn u8(&mut self, n: u32) -> u8 {
        self.u(n) as u8
    }

    #[inline]
    pub(crate) fn u16(&mut self, n: u32) -> u16 {
        self.u(n) as u16
    }

    #[inline]
    pub(crate) fn u32(&mut self, n: u32) -> u32 {
        self.u(n) as u32
    }

    #[inline]
    pub(crate) fn i32(&mut self, n: u32) -> i32 {
        let v = self.bits.get_signed(self.pos, n);
        self.pos += n as usize;
        v as i32
    }

    #[inline]
    pub(crate) fn b(&mut self) -> bool {
        self.u(1) != 0
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bits.len().saturating_sub(self.pos)
    }

    pub(crate) fn text<const N: usize>(&mut self, chars: usize) -> AisStr<N> {
        let s = AisStr::from_bits(self.bits.slice_from(self.pos).take(chars * 6));
        self.pos += chars * 6;
        s
    }

    /// The next `n` bits as a run of their own; the reader moves past them.
    pub(crate) fn rest_take(&mut self, n: usize) -> Bits<'a> {
        let b = self.bits.slice_from(self.pos).take(n);
        self.pos += n;
        b
    }

    /// The rest of the bits; the reader is then at the end.
    pub(crate) fn rest(&mut self) -> Bits<'a> {
        let r = self.bits.slice_from(self.pos);
        self.pos = self.bits.len().max(self.pos);
        r
    }
}

/// Text of at most `N` characters held inline (no allocation), as AIS
/// sends names and call signs. Decoding stops at the first `@` (the
/// standard's "no character") and trailing spaces are removed, as gpsd and
/// pyais do.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AisStr<const N: usize> {
    buf: [u8; N],
    len: u8,
}

impl<const N: usize> Default for AisStr<N> {
    fn default() -> Self {
        AisStr {
            buf: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> AisStr<N> {
    /// Decodes six-bit text, trimmed as the type's documentation says;
    /// characters beyond `N` are dropped.
    pub fn from_bits(bits: Bits<'_>) -> AisStr<N> {
        let mut s = AisStr::default();
        let mut keep = 0;
        s.push_bits(bits, &mut keep);
        s.trim_end(keep);
        s
    }

    /// Decodes `a` followed by `b` as one text (a name and its extension).
    pub fn from_two(a: Bits<'_>, b: Bits<'_>) -> AisStr<N> {
        let mut s = AisStr::default();
        let mut keep = 0;
        if s.push_bits(a, &mut keep) {
            s.push_bits(b, &mut keep);
        }
        s.trim_end(keep);
        s
    }

    // Appends the characters of `bits` up to the first `@` or until full;
    // returns whether it may continue (no `@` met, room left), and moves
    // `keep` past the last character that is not a space. Eight
    // characters (48 bits) are converted at once: spread into eight bytes,
    // mapped to ASCII and searched for `@` with word operations, so there
    // is no branch per character.
    fn push_bits(&mut self, bits: Bits<'_>, keep: &mut usize) -> bool {
        let n = bits.len() / 6;
        let mut k = 0;
        while k < n {
            let len = usize::from(self.len);
            let room = N.saturating_sub(len);
            if room == 0 {
                return false;
            }
            let take = (n - k).min(8);
            // Left-align so the first character is always bits 42–47.
            let w = bits.get(k * 6, (take * 6) as u32) << (6 * (8 - take));
            let (chars, stop) = text_word(w);
            let count = stop.min(take).min(room);
            // Only the characters kept; the bytes above them stay zero.
            let kept = if count == 8 {
                chars
            } else {
                chars & ((1u64 << (8 * count)) - 1)
            };
            match self.buf.get_mut(len..len + 8) {
                // Bytes past `len` are zero and `kept` is zero past `count`,
                // so writing the whole word keeps them so.
                Some(out) => out.copy_from_slice(&kept.to_le_bytes()),
                None => {
                    for (o, c) in self.buf[len..]
                        .iter_mut()
                        .zip(kept.to_le_bytes())
                        .take(count)
                    {
                        *o = c;
                    }
                }
            }
            self.len += count as u8;
            // Where the kept characters are not spaces (zero bytes above
            // them compare unequal to a space, so mask them out).
            let spaces = kept ^ (u64::from(b' ') * 0x0101_0101_0101_0101);
            let non_space = (((spaces & (0x7F * 0x0101_0101_0101_0101))
                + 0x7F * 0x0101_0101_0101_0101)
                | spaces)
                & (0x80 * 0x0101_0101_0101_0101)
                & if count == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * count)) - 1
                };
            if non_space != 0 {
                *keep = len + (63 - non_space.leading_zeros() as usize) / 8 + 1;
            }
            if count < take {
                return false;
            }
            k += take;
        }
        usize::from(self.len) < N
    }

    // Drops trailing spaces (all the text from `keep` on, as push_bits
    // found) and zeroes them, so the derived equality (which sees the whole
    // buffer) compares only the text. Bytes past `len` are zero already
    // (from `default`; push_bits writes only below `len`), so whole zero
    // words may be written from `keep`: no loop per space, no memset call.
    fn trim_end(&mut self, keep: usize) {
        let len = usize::from(self.len).min(N);
        let mut at = keep.min(len);
        while at < len {
            match self.buf.get_mut(at..at + 8) {
                Some(w) => w.copy_from_slice(&[0; 8]),
                None => self.buf[at..].iter_mut().for_each(|b| *b = 0),
            }
            at += 8;
        }
        self.len = keep.min(len) as u8;
    }

    /// Text from a string (for building messages to encode); characters
    /// outside the AIS set become `?` and the rest past `N` are dropped.
    pub fn from_text(text: &str) -> AisStr<N> {
        let mut s = AisStr::default();
        for c in text.bytes().take(N) {
            let c = c.to_ascii_uppercase();
            s.buf[usize::from(s.len)] = if text_value(c).is_some() { c } else { b'?' };
            s.len += 1;
        }
        s
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only characters of the AIS set (ASCII 32–95) are ever stored.
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The text as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len).min(N)]
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> fmt::Debug for AisStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> fmt::Display for AisStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Six-bit text borrowed from a payload (free text of types 12 and 14 can
/// be longer than any inline buffer should be). Displayed with the same
/// trimming as [`AisStr`].
#[derive(Clone, Copy, PartialEq)]
pub struct SixBitText<'a>(pub Bits<'a>);

impl SixBitText<'_> {
    /// The characters after trimming, as an iterator.
    pub fn chars(&self) -> impl Iterator<Item = u8> + '_ {
        let n = self.trimmed_len();
        self.0.chars().take(n)
    }

    fn trimmed_len(&self) -> usize {
        let mut n = 0;
        let mut last_non_space = 0;
        for c in self.0.chars() {
            if c == b'@' {
                break;
            }
            n += 1;
            if c != b' ' {
                last_non_space = n;
            }
        }
        last_non_space
    }
}

impl fmt::Display for SixBitText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.chars() {
            fmt::Write::write_char(f, char::from(c))?;
        }
        Ok(())
    }
}

impl fmt::Debug for SixBitText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// The slow, obviously correct readers the fast ones are tested against.
pub mod reference {
    /// Bit `i` (0 = most significant bit of byte 0); 0 at or past `len`.
    pub fn bit(bytes: &[u8], len: usize, i: usize) -> u64 {
        if i >= len || i / 8 >= bytes.len() {
            return 0;
        }
        u64::from((bytes[i / 8] >> (7 - i % 8)) & 1)
    }

    /// The unsigned field of `n` bits at `pos`, one bit at a time.
    pub fn get(bytes: &[u8], len: usize, pos: usize, n: u32) -> u64 {
        (0..n as usize).fold(0, |acc, k| (acc << 1) | bit(bytes, len, pos + k))
    }

    /// Armour characters to bits, one bit at a time; `None` on a bad byte.
    pub fn unarmour(chars: &[u8], fill: u8) -> Option<(Vec<u8>, usize)> {
        let mut bits = Vec::new();
        for &c in chars {
            let v = match c {
                b'0'..=b'W' => c - b'0',
                b'`'..=b'w' => c - b'`' + 40,
                _ => return None,
            };
            for k in (0..6).rev() {
                bits.push((v >> k) & 1);
            }
        }
        let len = bits.len().checked_sub(usize::from(fill))?;
        bits.truncate(len);
        let mut bytes = vec![0u8; len.div_ceil(8)];
        for (i, b) in bits.iter().enumerate() {
            bytes[i / 8] |= b << (7 - i % 8);
        }
        Some((bytes, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armour_alphabet_round_trips() {
        for v in 0..64u8 {
            assert_eq!(UNARMOUR[usize::from(armour_char(v))], v);
        }
        assert_eq!(UNARMOUR[usize::from(b'X')], INVALID);
        assert_eq!(UNARMOUR[usize::from(b'x')], INVALID);
    }

    #[test]
    fn unarmours_a_position_report() {
        let mut p = Payload::new();
        p.unarmour(b"13P;DhPP@M0RrVfOmDm=`9BJ00S;", 0).unwrap();
        assert_eq!(p.len(), 168);
        assert_eq!(p.bits().get(0, 6), 1);
        assert_eq!(p.bits().get(8, 30), 235_066_562);
    }

    #[test]
    fn rejects_bad_characters_with_their_index() {
        let mut p = Payload::new();
        assert_eq!(p.unarmour(b"13P;xh", 0), Err(4));
        assert_eq!(p.unarmour(b"1", 6), Err(1));
    }

    #[test]
    fn reads_past_the_end_as_zero() {
        let bytes = [0xFFu8; 2];
        let b = Bits::new(&bytes, 12);
        assert_eq!(b.get(8, 8), 0xF0);
        assert_eq!(b.get(12, 8), 0);
        assert_eq!(b.get_signed(0, 4), -1);
    }

    /// Text one character at a time: the reference for `push_bits`.
    fn text_reference(values: &[&[u8]], n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        'outer: for part in values {
            for &v in *part {
                let c = text_char(v);
                if c == b'@' || out.len() >= n {
                    break 'outer;
                }
                out.push(c);
            }
            if out.len() >= n {
                break;
            }
        }
        while out.last() == Some(&b' ') {
            out.pop();
        }
        out
    }

    fn packed(values: &[u8]) -> (Vec<u8>, usize) {
        let mut p = Payload::new();
        let chars: Vec<u8> = values.iter().map(|&v| armour_char(v)).collect();
        p.unarmour(&chars, 0).unwrap();
        let b = p.bits();
        let bytes = (0..b.len().div_ceil(8))
            .map(|i| b.get(i * 8, 8) as u8)
            .collect();
        (bytes, b.len())
    }

    fn same_as_reference<const N: usize>(
        a: &[u8],
        b: &[u8],
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let (pa, la) = packed(a);
        let (pb, lb) = packed(b);
        let one: AisStr<N> = AisStr::from_bits(Bits::new(&pa, la));
        proptest::prop_assert_eq!(one.as_bytes(), &text_reference(&[a], N)[..]);
        let two: AisStr<N> = AisStr::from_two(Bits::new(&pa, la), Bits::new(&pb, lb));
        proptest::prop_assert_eq!(two.as_bytes(), &text_reference(&[a, b], N)[..]);
        // Bytes past the text are zero (the derived equality sees them).
        proptest::prop_assert_eq!(two, AisStr::<N>::from_text(two.as_str()));
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn word_text_matches_the_per_character_reference(
            a in proptest::collection::vec(proptest::sample::select(vec![0u8, 1, 2, 26, 31, 32, 33, 45, 63]), 0..40),
            b in proptest::collection::vec(proptest::sample::select(vec![0u8, 1, 2, 26, 31, 32, 33, 45, 63]), 0..40),
        ) {
            same_as_reference::<3>(&a, &b)?;
            same_as_reference::<7>(&a, &b)?;
            same_as_reference::<20>(&a, &b)?;
            same_as_reference::<34>(&a, &b)?;
        }
    }

    #[test]
    fn text_is_trimmed_at_at_sign_and_spaces() {
        let mut p = Payload::new();
        // "AB  @@" in six-bit: A=1 B=2 space=32.
        let chars: Vec<u8> = [1u8, 2, 32, 32, 0, 0]
            .iter()
            .map(|&v| armour_char(v))
            .collect();
        p.unarmour(&chars, 0).unwrap();
        let s: AisStr<20> = AisStr::from_bits(p.bits());
        assert_eq!(s.as_str(), "AB");
        assert_eq!(SixBitText(p.bits()).to_string(), "AB");
    }
}
