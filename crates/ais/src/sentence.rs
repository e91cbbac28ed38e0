//! One NMEA 0183 line: tag block, `!xxVDM`/`!xxVDO` fields, checksum and
//! the receiver suffixes seen in the wild.

use crate::error::{Error, ErrorKind};

/// An NMEA 4.10 tag block (`\s:src,c:1234567890*hh\`); only the parameters
/// this crate uses are kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagBlock<'a> {
    /// `c:` receiver time, UNIX milliseconds. NMEA 4.10 says seconds;
    /// values above 10^11 are taken as milliseconds, as some receivers send.
    pub time_ms: Option<i64>,
    /// `s:` source station.
    pub source: Option<&'a [u8]>,
    /// `g:` sentence number, total and group id.
    pub group: Option<(u16, u16, u32)>,
}

/// A parsed `!xxVDM` or `!xxVDO` sentence, borrowing from its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// Talker id (`AI`, `BS`, `AB`, `--`, …).
    pub talker: [u8; 2],
    /// `true` for VDO (own ship), `false` for VDM.
    pub own: bool,
    /// Number of sentences in the message, 1–9.
    pub total: u8,
    /// This sentence's number, 1–`total`.
    pub number: u8,
    /// Sequential message id 0–9, if given.
    pub seq_id: Option<u8>,
    /// Radio channel (`A`, `B`, `1`, `2`), or 0 if empty.
    pub channel: u8,
    /// The armoured payload characters.
    pub payload: &'a [u8],
    /// Fill bits, 0–5.
    pub fill: u8,
    /// The tag block, if any (default when absent).
    pub tag: TagBlock<'a>,
    /// A UNIX time in seconds after the checksum (`*hh,1234567890`), as
    /// AISHub and others append.
    pub suffix_time: Option<i64>,
}

/// XOR of `bytes`, eight at a time (XOR is associative, so the lanes of the
/// folded word can be combined at the end). A tail of one to seven bytes
/// is taken from the last eight bytes of the slice, masked to the bytes
/// not yet counted, instead of a loop per byte.
#[inline(always)]
pub fn xor_checksum(bytes: &[u8]) -> u8 {
    let mut chunks = bytes.chunks_exact(8);
    let mut acc = 0u64;
    for c in &mut chunks {
        acc ^= word(c);
    }
    let rest = chunks.remainder();
    match bytes.len().checked_sub(8) {
        Some(from) if !rest.is_empty() => {
            // Little-endian: the last `rest.len()` bytes are the top ones.
            acc ^= word(&bytes[from..]) & (u64::MAX << (8 * (8 - rest.len())));
        }
        _ => {
            for (k, &b) in rest.iter().enumerate() {
                acc ^= u64::from(b) << (8 * k);
            }
        }
    }
    acc ^= acc >> 32;
    acc ^= acc >> 16;
    acc ^= acc >> 8;
    acc as u8
}

/// Positions of the first four commas of a VDM body (total, number,
/// sequence id and channel end there) when all four are in its first
/// eight bytes, as they are unless a field is malformed: one word compare
/// and four bit scans instead of four byte loops.
#[inline(always)]
fn first_four_commas(body: &[u8]) -> Option<[usize; 4]> {
    let w = word(body.get(..8)?);
    let x = w ^ (u64::from(b',') * LO);
    // High bit set in each byte of `x` that is not zero (exact: bit 7 is
    // masked before the addition, so no carry crosses bytes).
    let nonzero = (((x & (0x7F * LO)) + 0x7F * LO) | x) & (0x80 * LO);
    let mut commas = !nonzero & (0x80 * LO);
    let mut at = [0usize; 4];
    for a in &mut at {
        if commas == 0 {
            return None;
        }
        *a = (commas.trailing_zeros() / 8) as usize;
        commas &= commas - 1;
    }
    Some(at)
}

#[inline(always)]
fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

#[inline(always)]
fn hex2(bytes: &[u8], at: usize) -> Option<u8> {
    Some(hex(*bytes.get(at)?)? << 4 | hex(*bytes.get(at + 1)?)?)
}

/// Parses a decimal integer of at most 18 digits; `None` if empty or not
/// all digits.
fn decimal(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 18 {
        return None;
    }
    let mut v = 0i64;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(v)
}

/// Removes trailing CR, LF, spaces and tabs.
pub fn trim_line(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\r' | b'\n' | b' ' | b'\t') {
        end -= 1;
    }
    &line[..end]
}

fn parse_tag_block(body: &[u8], base: usize) -> Result<TagBlock<'_>, Error> {
    let bad = |at: usize| Error::new(ErrorKind::TagBlock, base + at);
    let star = body
        .iter()
        .rposition(|&b| b == b'*')
        .ok_or_else(|| bad(body.len()))?;
    let want = hex2(body, star + 1).ok_or_else(|| bad(star))?;
    let content = &body[..star];
    if xor_checksum(content) != want {
        return Err(bad(star));
    }
    let mut tag = TagBlock::default();
    let mut at = 0;
    for field in content.split(|&b| b == b',') {
        let (key, value) = match field {
            [k, b':', v @ ..] => (*k, v),
            _ => return Err(bad(at)),
        };
        match key {
            b'c' => {
                let t = decimal(value).ok_or_else(|| bad(at))?;
                tag.time_ms = Some(if t > 100_000_000_000 { t } else { t * 1000 });
            }
            b's' => tag.source = Some(value),
            b'g' => {
                let mut it = value.split(|&b| b == b'-');
                let mut next = || it.next().and_then(decimal).ok_or_else(|| bad(at));
                let (n, t, id) = (next()?, next()?, next()?);
                tag.group = Some((n as u16, t as u16, id as u32));
            }
            _ => {}
        }
        at += field.len() + 1;
    }
    Ok(tag)
}

/// Parses one line holding a VDM/VDO sentence.
///
/// Accepts an optional tag block, any bytes before the `!` that are not
/// a tag block (a receiver's own prefix), and a suffix after the checksum
/// of which a UNIX time (`,1234567890`) is understood. Lines that hold no
/// `!xxVDM`/`!xxVDO` give [`ErrorKind::NotAis`]. Offsets in errors are
/// byte offsets into `line`.
#[inline]
pub fn parse_sentence(line: &[u8]) -> Result<Sentence<'_>, Error> {
    parse_trimmed_sentence(trim_line(line))
}

/// [`parse_sentence`] of a line already passed through [`trim_line`] (as
/// the line decoder does before it looks at the first byte).
#[inline]
pub(crate) fn parse_trimmed_sentence(line: &[u8]) -> Result<Sentence<'_>, Error> {
    let mut tag = TagBlock::default();
    let mut start = 0;
    if line.first() == Some(&b'\\') {
        let close = line[1..]
            .iter()
            .position(|&b| b == b'\\')
            .ok_or_else(|| Error::new(ErrorKind::TagBlock, line.len()))?;
        tag = parse_tag_block(&line[1..1 + close], 1)?;
        start = close + 2;
    }
    if line.get(start) != Some(&b'!') {
        start += line[start..]
            .iter()
            .position(|&b| b == b'!')
            .ok_or_else(|| Error::new(ErrorKind::NotAis, start))?;
    }
    let s = &line[start..];
    let own = match s.get(3..7) {
        Some(b"VDM,") => false,
        Some(b"VDO,") => true,
        _ => return Err(Error::new(ErrorKind::NotAis, start)),
    };
    let talker = [s[1], s[2]];
    // The checksum sits near the end; search backwards so the payload is
    // scanned only once (by the checksum loop).
    // Almost always the last three bytes: `*` and two hex digits (which
    // the backward search would then also stop at).
    let end3 = s.len() - 3; // `s` holds at least `!xxVDM,`.
    let (star, want) = match hex2(s, end3 + 1) {
        Some(want) if s[end3] == b'*' => (end3, want),
        _ => {
            let star = s
                .iter()
                .rposition(|&b| b == b'*')
                .ok_or_else(|| Error::new(ErrorKind::MissingChecksum, line.len()))?;
            let want = hex2(s, star + 1)
                .ok_or_else(|| Error::new(ErrorKind::MissingChecksum, start + star))?;
            (star, want)
        }
    };
    if xor_checksum(&s[1..star]) != want {
        return Err(Error::new(ErrorKind::Checksum, start + star));
    }
    let suffix_time = match s.get(star + 3..) {
        Some([b',', rest @ ..]) => {
            let digits = rest
                .iter()
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(rest.len());
            decimal(&rest[..digits])
        }
        _ => None,
    };
    // Fields: total, number, seq id, channel, payload, fill. The first
    // four are short, so find their commas from the front; the fill is the
    // last field, so find its comma from the back. The payload between is
    // never scanned here (unarmouring rejects a stray comma in it).
    let body = &s[7..star];
    let mut fields = [(0usize, 0usize); 6];
    let mut from = 0;
    if let Some(commas) = first_four_commas(body) {
        for (f, c) in fields.iter_mut().zip(commas) {
            *f = (from, c);
            from = c + 1;
        }
    } else {
        for f in fields.iter_mut().take(4) {
            let comma = body[from..]
                .iter()
                .position(|&b| b == b',')
                .ok_or_else(|| Error::new(ErrorKind::MissingField, start + star))?;
            *f = (from, from + comma);
            from += comma + 1;
        }
    }
    let last = body
        .iter()
        .rposition(|&b| b == b',')
        .filter(|&c| c >= from)
        .ok_or_else(|| Error::new(ErrorKind::MissingField, start + star))?;
    fields[4] = (from, last);
    fields[5] = (last + 1, body.len());
    // Straight-line checks of the one-byte fields (as closures they were
    // left as calls, three per sentence).
    let at = |k: usize| body.get(fields[k].0..fields[k].1).unwrap_or_default();
    let f = [at(0), at(1), at(2), at(3), at(4), at(5)];
    let bad = |k: usize| Error::new(ErrorKind::BadField, start + 7 + fields[k].0);
    let (total, number) = match (f[0], f[1]) {
        ([t @ b'1'..=b'9'], [n @ b'1'..=b'9']) if n <= t => (t - b'0', n - b'0'),
        ([b'0'..=b'9'], _) => return Err(bad(1)),
        _ => return Err(bad(0)),
    };
    let seq_id = match f[2] {
        [] => None,
        [d @ b'0'..=b'9'] => Some(d - b'0'),
        _ => return Err(bad(2)),
    };
    let channel = match f[3] {
        [] => 0,
        [c] => *c,
        _ => return Err(bad(3)),
    };
    let fill = match f[5] {
        [d @ b'0'..=b'5'] => d - b'0',
        // Some receivers leave the fill empty on whole-character payloads.
        [] => 0,
        _ => return Err(Error::new(ErrorKind::BadFill, start + 7 + fields[5].0)),
    };
    Ok(Sentence {
        talker,
        own,
        total,
        number,
        seq_id,
        channel,
        payload: f[4],
        fill,
        tag,
        suffix_time,
    })
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The last date and minute seen in `$PGHP` lines, so a feed of
/// timestamps from one minute parses only the seconds and milliseconds of
/// each line, and does the calendar arithmetic once per day.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DayCache {
    ymd: (i64, i64, i64),
    days: i64,
    // UNIX milliseconds at the start of the cached minute.
    minute_ms: i64,
    // The bytes `1,y,m,d,h,m,` that gave `ymd` and `minute_ms`, when known,
    // as little-endian words with a mask of the bytes that count, so the
    // comparison is three word compares rather than a `memcmp` call.
    words: [u64; 3],
    masks: [u64; 3],
    prefix_len: u8,
}

impl DayCache {
    const MAX_PREFIX: usize = 24;

    /// Whether `line[6..]` starts with the cached prefix.
    #[inline(always)]
    fn prefix_matches(&self, line: &[u8]) -> bool {
        if self.prefix_len == 0 {
            return false;
        }
        let Some(b) = line.get(6..6 + Self::MAX_PREFIX) else {
            let plen = usize::from(self.prefix_len);
            return line.get(6..6 + plen) == Some(&self.prefix_bytes()[..plen]);
        };
        let mut diff = 0;
        for (k, c) in b.chunks_exact(8).enumerate() {
            diff |= (word(c) ^ self.words[k]) & self.masks[k];
        }
        diff == 0
    }

    fn prefix_bytes(&self) -> [u8; Self::MAX_PREFIX] {
        let mut out = [0u8; Self::MAX_PREFIX];
        for (k, o) in out.chunks_exact_mut(8).enumerate() {
            o.copy_from_slice(&self.words[k].to_le_bytes());
        }
        out
    }

    fn set_prefix(&mut self, p: &[u8]) {
        self.prefix_len = 0;
        if p.is_empty() || p.len() > Self::MAX_PREFIX {
            return;
        }
        let mut buf = [0u8; Self::MAX_PREFIX];
        buf[..p.len()].copy_from_slice(p);
        for k in 0..3 {
            self.words[k] = word(&buf[8 * k..8 * k + 8]);
            let n = p.len().saturating_sub(8 * k).min(8);
            self.masks[k] = if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            };
        }
        self.prefix_len = p.len() as u8;
    }
}

/// Eight bytes as a little-endian word (`c` must hold at least eight).
#[inline(always)]
fn word(c: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&c[..8]);
    u64::from_le_bytes(a)
}

/// Parses a Gatehouse `$PGHP,1,yyyy,m,d,h,m,s,ms,...*hh` timestamp
/// sentence into UNIX milliseconds. Returns `Ok(None)` for other lines.
pub fn parse_pghp(line: &[u8]) -> Result<Option<i64>, Error> {
    parse_pghp_cached(line, &mut DayCache::default())
}

/// The seven numbers after `1,` in a `$PGHP` body, one byte at a time:
/// the reference for [`pghp_numbers_fast`] and its fallback.
fn pghp_fields(body: &[u8]) -> Result<[i64; 7], Error> {
    let mut v = [0i64; 7];
    let mut at = 2;
    for x in &mut v {
        let digits = body
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = at + digits;
        if digits == 0 || digits > 18 || !matches!(body.get(end), None | Some(b',')) {
            return Err(Error::new(ErrorKind::BadField, 6));
        }
        *x = body[at..end]
            .iter()
            .fold(0i64, |a, &b| a * 10 + i64::from(b - b'0'));
        at = end + 1;
    }
    Ok(v)
}

const LO: u64 = 0x0101_0101_0101_0101;

/// High bit of each byte of `x` (a word XORed with `'0'` in every byte)
/// set where the byte is not a digit (0–9 after the XOR); masking bit 7
/// first keeps the addition carry-free.
#[inline(always)]
fn non_digits(x: u64) -> u64 {
    (((x & (0x7F * LO)) + 0x76 * LO) | x) & (0x80 * LO)
}

/// The number whose `len` (1–7) digits are the low bytes of `x` (already
/// XORed with `'0'`): right-align them as an eight-digit number with
/// leading zeros, then combine pairs, quads and octets by multiplication.
#[inline(always)]
fn swar_digits(x: u64, len: usize) -> i64 {
    let v = x << (8 * (8 - len));
    let v = ((v & (0x0F * LO)).wrapping_mul(2561)) >> 8;
    let v = ((v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601)) >> 16;
    let v = ((v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001)) >> 32;
    v as i64
}

/// The run of 1–7 decimal digits at the start of `w` (eight bytes, the
/// first in the lowest byte) and its length, without a branch per digit:
/// digit lengths vary from field to field, and a loop per digit costs a
/// mispredicted branch at the end of each field.
#[inline]
fn swar_number(w: u64) -> Option<(i64, usize)> {
    let x = w ^ (0x30 * LO);
    let len = (non_digits(x).trailing_zeros() / 8) as usize;
    if len == 0 || len == 8 {
        return None;
    }
    Some((swar_digits(x, len), len))
}

/// `K` numbers of a `$PGHP` line from byte `at`, eight bytes at a time,
/// and where the next field starts; `None` when it cannot decide (a field
/// of eight or more digits, the line too short, any malformed field), and
/// the caller then asks the reference, [`pghp_fields`].
#[inline]
fn pghp_numbers_fast<const K: usize>(
    line: &[u8],
    mut at: usize,
    star: usize,
) -> Option<([i64; K], usize)> {
    let mut v = [0i64; K];
    for x in &mut v {
        if at > star {
            return None;
        }
        let w = u64::from_le_bytes(line.get(at..at + 8)?.try_into().ok()?);
        let (n, len) = swar_number(w)?;
        // The byte after the digits, taken from the word (a shift, not a
        // load that would wait for `len`).
        if at + len != star && (w >> (8 * len)) as u8 != b',' {
            return None;
        }
        *x = n;
        at += len + 1;
    }
    Some((v, at))
}

/// The last two numbers of a `$PGHP` timestamp (seconds and
/// milliseconds) from one eight-byte load at `at` (at most `star`): both
/// field ends come from one mask of the non-digit bytes, so the two parses
/// do not wait for each other. `None` when they do not fit in the word or
/// are malformed; the caller then asks [`pghp_numbers_fast`].
#[inline(always)]
fn pghp_last_two(line: &[u8], at: usize, star: usize) -> Option<(i64, i64)> {
    let w = u64::from_le_bytes(line.get(at..at + 8)?.try_into().ok()?);
    let x = w ^ (0x30 * LO);
    let non = non_digits(x);
    let p1 = (non.trailing_zeros() / 8) as usize;
    let p2 = ((non & non.wrapping_sub(1)).trailing_zeros() / 8) as usize;
    // Both fields non-empty and ended inside the word; the first by a
    // comma (its end is then before `star`, the first non-digit at or
    // after `at`), the second by a comma or the checksum's `*`.
    if p1 == 0 || p2 >= 8 || p2 == p1 + 1 || (w >> (8 * p1)) as u8 != b',' {
        return None;
    }
    if at + p2 != star && (w >> (8 * p2)) as u8 != b',' {
        return None;
    }
    Some((
        swar_digits(x, p1),
        swar_digits(x >> (8 * (p1 + 1)), p2 - p1 - 1),
    ))
}

pub(crate) fn parse_pghp_cached(line: &[u8], cache: &mut DayCache) -> Result<Option<i64>, Error> {
    parse_trimmed_pghp(trim_line(line), cache)
}

/// [`parse_pghp_cached`] of a line already passed through [`trim_line`].
pub(crate) fn parse_trimmed_pghp(line: &[u8], cache: &mut DayCache) -> Result<Option<i64>, Error> {
    if !line.starts_with(b"$PGHP,") {
        return Ok(None);
    }
    // The checksum is almost always the last three bytes.
    let star = match line.len().checked_sub(3) {
        Some(k) if line[k] == b'*' => k,
        _ => line
            .iter()
            .rposition(|&b| b == b'*')
            .ok_or_else(|| Error::new(ErrorKind::MissingChecksum, line.len()))?,
    };
    let want = hex2(line, star + 1).ok_or_else(|| Error::new(ErrorKind::MissingChecksum, star))?;
    if xor_checksum(&line[1..star]) != want {
        return Err(Error::new(ErrorKind::Checksum, star));
    }
    // One pass over `1,y,m,d,h,m,s,ms,...`: the type, then seven numbers.
    let body = &line[6..star];
    if !matches!(body, [b'1'] | [b'1', b',', ..]) {
        // Other PGHP message types carry no timestamp.
        return Ok(None);
    }
    // A feed's timestamps share their date and minute: when this line
    // starts with those of the last one, only seconds and milliseconds are
    // parsed.
    if cache.prefix_matches(line) {
        let at = 6 + usize::from(cache.prefix_len);
        if let Some((s, ms)) = pghp_last_two(line, at, star) {
            if s > 60 || ms > 999 {
                return Err(Error::new(ErrorKind::BadField, 6));
            }
            return Ok(Some(cache.minute_ms + s * 1000 + ms));
        }
    }
    let fast = pghp_numbers_fast::<5>(line, 8, star)
        .and_then(|(v, at)| Some((v, at, pghp_numbers_fast::<2>(line, at, star)?.0)));
    let (v, prefix_end) = match fast {
        Some((v, at, t)) => ([v[0], v[1], v[2], v[3], v[4], t[0], t[1]], Some(at)),
        None => (pghp_fields(body)?, None),
    };
    let [y, mo, d, h, mi, s, ms] = v;
    // Four-digit years only: the calendar arithmetic below overflows on the
    // 18-digit numbers a corrupt line can carry (found by the fuzzer).
    if !(1..=9999).contains(&y)
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || s > 60
        || ms > 999
    {
        return Err(Error::new(ErrorKind::BadField, 6));
    }
    if cache.ymd != (y, mo, d) || cache.days == 0 {
        cache.ymd = (y, mo, d);
        cache.days = days_from_civil(y, mo, d);
    }
    cache.minute_ms = ((cache.days * 24 + h) * 60 + mi) * 60_000;
    cache.set_prefix(
        prefix_end
            .and_then(|at| line.get(6..at))
            .unwrap_or_default(),
    );
    Ok(Some(cache.minute_ms + s * 1000 + ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pghp_year_beyond_four_digits_is_refused_not_overflowed() {
        // The fuzzer's find: a 16-digit year overflowed the day count.
        let body = "PGHP,1,2010555555555555,6,11,11,46,11,874,255";
        let line = format!("${body}*{:02X}", xor_checksum(body.as_bytes()));
        let e = parse_pghp(line.as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadField);
        let body = "PGHP,1,0,6,11,11,46,11,874,255";
        let line = format!("${body}*{:02X}", xor_checksum(body.as_bytes()));
        assert!(parse_pghp(line.as_bytes()).is_err());
    }

    #[test]
    fn checksum_matches_the_simple_loop() {
        let s = b"AIVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0";
        for n in 0..s.len() {
            assert_eq!(xor_checksum(&s[..n]), s[..n].iter().fold(0, |a, b| a ^ b));
        }
    }

    proptest::proptest! {
        #[test]
        fn first_four_commas_match_a_byte_search(body in proptest::collection::vec(proptest::sample::select(b",,,12AB".to_vec()), 0..12)) {
            let slow: Vec<usize> = body.iter().enumerate().filter(|(_, b)| **b == b',').map(|(k, _)| k).take(4).collect();
            let want = (body.len() >= 8 && slow.len() == 4 && slow[3] < 8).then(|| [slow[0], slow[1], slow[2], slow[3]]);
            proptest::prop_assert_eq!(first_four_commas(&body), want);
        }
    }

    #[test]
    fn parses_a_plain_sentence() {
        let s = parse_sentence(b"!BSVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*5B\r\n").unwrap();
        assert_eq!(&s.talker, b"BS");
        assert_eq!(
            (s.total, s.number, s.seq_id, s.channel, s.fill),
            (1, 1, None, b'B', 0)
        );
        assert_eq!(s.payload, b"13P;DhPP@M0RrVfOmDm=`9BJ00S;");
    }

    #[test]
    fn parses_tag_block_and_suffix() {
        let body = b"s:rORBCOMM000,c:1426250820";
        let cs = xor_checksum(body);
        let line = format!(
            "\\{}*{:02X}\\!AIVDM,1,1,,A,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*41,1426250821",
            std::str::from_utf8(body).unwrap(),
            cs
        );
        let s = parse_sentence(line.as_bytes()).unwrap();
        assert_eq!(s.tag.time_ms, Some(1_426_250_820_000));
        assert_eq!(s.tag.source, Some(&b"rORBCOMM000"[..]));
        assert_eq!(s.suffix_time, Some(1_426_250_821));
    }

    #[test]
    fn rejects_bad_checksum_with_offset() {
        let e = parse_sentence(b"!AIVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*5C").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Checksum);
        assert_eq!(e.offset(), 44);
        assert_eq!(
            parse_sentence(b"$GPGGA,foo*00").unwrap_err().kind(),
            ErrorKind::NotAis
        );
    }

    #[test]
    fn swar_numbers_match_the_simple_loop() {
        let cases: [&[u8]; 9] = [
            b"2010,6,1",
            b"0,",
            b"9999999,",
            b"12345678",
            b",12",
            b"1*5B",
            b"007\0",
            b"3a",
            b"",
        ];
        for c in cases {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            let digits = c.iter().take_while(|b| b.is_ascii_digit()).count();
            let want = (1..8).contains(&digits).then(|| {
                let v = c[..digits]
                    .iter()
                    .fold(0i64, |a, &b| a * 10 + i64::from(b - b'0'));
                (v, digits)
            });
            assert_eq!(swar_number(u64::from_le_bytes(w)), want, "{c:?}");
        }
    }

    #[test]
    fn fast_pghp_fields_agree_with_the_reference() {
        let lines: [&[u8]; 6] = [
            b"$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B",
            b"$PGHP,1,2010,12,31,23,59,60,999*00",
            b"$PGHP,1,2010,6,11,11,46,11*00",
            b"$PGHP,1,2010,6,11,11,46,11,39x,1*00",
            b"$PGHP,1,123456789,6,11,11,46,11,390,1*00",
            b"$PGHP,1,2010,,11,11,46,11,390,1*00",
        ];
        for line in lines {
            let star = line.iter().rposition(|&b| b == b'*').unwrap();
            let slow = pghp_fields(&line[6..star]).ok();
            if let Some((fast, _)) = pghp_numbers_fast::<7>(line, 8, star) {
                assert_eq!(Some(fast), slow, "{:?}", std::str::from_utf8(line));
            }
        }
        let line = lines[0];
        assert_eq!(
            pghp_numbers_fast::<7>(line, 8, line.len() - 3).map(|(v, _)| v),
            Some([2010, 6, 11, 11, 46, 11, 390])
        );
    }

    proptest::proptest! {
        #[test]
        fn fast_pghp_fields_never_disagree(tail in proptest::collection::vec(proptest::sample::select(b"0123456789,,,*x".to_vec()), 0..60)) {
            let mut line = b"$PGHP,1,".to_vec();
            line.extend_from_slice(&tail);
            if let Some(star) = line.iter().rposition(|&b| b == b'*')
                && let Some((fast, _)) = pghp_numbers_fast::<7>(&line, 8, star) {
                    proptest::prop_assert_eq!(Some(fast), pghp_fields(&line[6..star]).ok());
                }
        }
    }

    /// `$PGHP` parsing one byte at a time with no cache: the reference for
    /// [`parse_pghp_cached`].
    fn pghp_reference(line: &[u8]) -> Result<Option<i64>, Error> {
        let line = trim_line(line);
        if !line.starts_with(b"$PGHP,") {
            return Ok(None);
        }
        let star = line
            .iter()
            .rposition(|&b| b == b'*')
            .ok_or_else(|| Error::new(ErrorKind::MissingChecksum, line.len()))?;
        let want =
            hex2(line, star + 1).ok_or_else(|| Error::new(ErrorKind::MissingChecksum, star))?;
        if line[1..star].iter().fold(0, |a, b| a ^ b) != want {
            return Err(Error::new(ErrorKind::Checksum, star));
        }
        let body = &line[6..star];
        if !matches!(body, [b'1'] | [b'1', b',', ..]) {
            return Ok(None);
        }
        let [y, mo, d, h, mi, s, ms] = pghp_fields(body)?;
        if !(1..=12).contains(&mo)
            || !(1..=31).contains(&d)
            || h > 23
            || mi > 59
            || s > 60
            || ms > 999
        {
            return Err(Error::new(ErrorKind::BadField, 6));
        }
        let days = days_from_civil(y, mo, d);
        Ok(Some(((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms))
    }

    fn pghp_line(body: &str) -> String {
        let cs = xor_checksum(format!("PGHP,{body}").as_bytes());
        format!("$PGHP,{body}*{cs:02X}")
    }

    proptest::proptest! {
        /// A run of lines through one cache, each a base line with its
        /// time-of-day tail replaced by random digits, commas and stars,
        /// gives what the uncached reference gives, line by line.
        #[test]
        fn the_minute_cache_never_changes_a_result(
            tails in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(b"0123456789,,,,*x".to_vec()), 0..20),
                1..12,
            ),
            heads in proptest::collection::vec(0usize..4, 12),
        ) {
            let bases = ["1,2010,6,11,11,46,", "1,2010,6,11,11,47,", "1,2010,6,12,", "1,2010,6,"];
            let mut cache = DayCache::default();
            for (tail, h) in tails.iter().zip(heads) {
                let body = format!("{}{}", bases[h], std::str::from_utf8(tail).unwrap());
                let line = pghp_line(&body);
                proptest::prop_assert_eq!(
                    parse_pghp_cached(line.as_bytes(), &mut cache),
                    pghp_reference(line.as_bytes()),
                    "{}", line
                );
            }
        }
    }

    #[test]
    fn the_date_cache_never_changes_a_result() {
        let bodies = [
            "1,2010,6,11,11,46,11,390,231",
            "1,2010,6,11,11,46,12,5,231",
            "1,2010,6,11,11,46,13,5",
            "1,2010,6,11,11,46,13,",
            "1,2010,6,11,11,46,1,2*,3",
            "1,2010,6,11,11,46,61,2,3",
            "1,2010,6,11,11,46,6,1000,3",
            "1,2010,6,11,11,46,,1,3",
            "1,2010,6,11,11,46,1234567,1,3",
            "1,2010,6,11,11,47,0,0,3",
            "1,2010,6,11,11,46,59,999,3",
            "1,2010,6,11,7,4,1,0",
            "1,2010,06,11,11,46,11,390,1",
            "1,2010,6,11,11,x6,11,390,1",
            "1,2010,6,12,0,0,0,0,1",
            "1,2010,6,11,99,0,0,0,1",
            "1,2010,6,11,1,2,3,4567,1",
            "1,2010,6,11,1,2,3",
            "1,2010,6,11,",
            "2,2010,6,11,1,2,3,4,1",
        ];
        let mut cache = DayCache::default();
        for round in 0..3 {
            for (k, b) in bodies.iter().enumerate() {
                let b = if round == 1 {
                    bodies[bodies.len() - 1 - k]
                } else {
                    b
                };
                let line = pghp_line(b);
                assert_eq!(
                    parse_pghp_cached(line.as_bytes(), &mut cache),
                    pghp_reference(line.as_bytes()),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn parses_gatehouse_timestamps() {
        let t = parse_pghp(b"$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B").unwrap();
        // 2010-06-11T11:46:11.390Z
        assert_eq!(t, Some(1_276_256_771_390));
    }
}
