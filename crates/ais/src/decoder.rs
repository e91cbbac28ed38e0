//! Stateful decoding: multi-sentence reassembly, receiver timestamps, and
//! a streaming decoder over chunks of any size.
//!
//! Nothing here reads a clock: every input method takes `now`, a time in
//! milliseconds on any monotonic scale the caller likes; only differences
//! between `now` values are used, for reassembly time-outs.

use crate::bits::{MAX_PAYLOAD_CHARS, Payload};
use crate::error::{Error, ErrorKind};
use crate::message::Message;
use crate::sentence::{DayCache, Sentence, parse_trimmed_pghp, parse_trimmed_sentence, trim_line};

/// Where and when a message was received, from the sentence around it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// Talker id of the first sentence.
    pub talker: [u8; 2],
    /// `true` for VDO (own ship).
    pub own: bool,
    /// Radio channel byte (`A`, `B`, …) or 0.
    pub channel: u8,
    /// Number of sentences the message came in.
    pub sentences: u8,
    /// Receiver time, UNIX milliseconds: from the tag block's `c:`, else
    /// from a preceding Gatehouse `$PGHP` sentence, else from a UNIX time
    /// suffix after the checksum.
    pub time_ms: Option<i64>,
    /// The tag block's `s:` source, truncated to 16 bytes.
    pub source: Source,
}

/// A short station name held inline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Source {
    buf: [u8; 16],
    len: u8,
}

impl Source {
    fn new(s: &[u8]) -> Source {
        let mut buf = [0u8; 16];
        let n = s.len().min(16);
        buf[..n].copy_from_slice(&s[..n]);
        Source { buf, len: n as u8 }
    }

    /// The bytes of the name.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len).min(16)]
    }

    /// Whether there is no name.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Counts of what a decoder has seen: messages by type and errors by kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Lines handled (including ignored and erroneous ones).
    pub lines: u64,
    /// VDM/VDO sentences that parsed.
    pub sentences: u64,
    /// Lines ignored: empty, or other NMEA sentences such as `$PGHP`.
    pub ignored: u64,
    /// Messages decoded, indexed by type (index 0 unused).
    pub by_type: [u64; 28],
    /// Errors, indexed by [`ErrorKind::index`].
    pub errors: [u64; ErrorKind::ALL.len()],
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            lines: 0,
            sentences: 0,
            ignored: 0,
            by_type: [0; 28],
            errors: [0; ErrorKind::ALL.len()],
        }
    }
}

impl Stats {
    /// Counts one error.
    pub fn count_error(&mut self, kind: ErrorKind) {
        self.errors[kind.index()] += 1;
    }

    /// Errors of one kind.
    pub fn errors_of(&self, kind: ErrorKind) -> u64 {
        self.errors[kind.index()]
    }

    /// All messages decoded.
    pub fn messages(&self) -> u64 {
        self.by_type.iter().sum()
    }

    /// All errors counted.
    pub fn total_errors(&self) -> u64 {
        self.errors.iter().sum()
    }

    /// Adds another decoder's counts to these.
    pub fn merge(&mut self, other: &Stats) {
        self.lines += other.lines;
        self.sentences += other.sentences;
        self.ignored += other.ignored;
        for (a, b) in self.by_type.iter_mut().zip(other.by_type) {
            *a += b;
        }
        for (a, b) in self.errors.iter_mut().zip(other.errors) {
            *a += b;
        }
    }
}

/// Reassembly settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// A message whose fragments span more than this many milliseconds is
    /// dropped as [`ErrorKind::Incomplete`].
    pub timeout_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config { timeout_ms: 10_000 }
    }
}

/// Messages in progress at once; more evicts the oldest. Eight is plenty:
/// a receiver interleaves at most a few multi-sentence messages.
const SLOTS: usize = 8;

#[derive(Clone)]
struct Slot {
    used: bool,
    // Key: channel, sequential id (10 when absent) and fragment count.
    channel: u8,
    seq: u8,
    total: u8,
    next: u8,
    started: u64,
    meta: Meta,
    len: usize,
    fill: u8,
    chars: [u8; MAX_PAYLOAD_CHARS],
}

impl Default for Slot {
    fn default() -> Self {
        Slot {
            used: false,
            channel: 0,
            seq: 0,
            total: 0,
            next: 0,
            started: 0,
            meta: Meta::default(),
            len: 0,
            fill: 0,
            chars: [0; MAX_PAYLOAD_CHARS],
        }
    }
}

/// Decodes lines one at a time: the csv-core-style core of [`Decoder`].
///
/// Call [`LineDecoder::handle_line`] with each line; when it returns
/// `Ok(true)` a message is ready, and [`LineDecoder::poll_message`] decodes
/// it (borrowing the decoder's payload buffer). Errors are returned and
/// also counted in [`LineDecoder::stats`].
#[derive(Clone)]
pub struct LineDecoder {
    config: Config,
    slots: Box<[Slot; SLOTS]>,
    // False only when every slot is known to be free.
    maybe_used: bool,
    payload: Payload,
    ready: Option<Meta>,
    pghp_ms: Option<i64>,
    days: DayCache,
    stats: Stats,
}

impl Default for LineDecoder {
    fn default() -> Self {
        LineDecoder::new(Config::default())
    }
}

impl LineDecoder {
    /// A decoder with the given settings.
    pub fn new(config: Config) -> LineDecoder {
        LineDecoder {
            config,
            slots: Box::default(),
            maybe_used: false,
            payload: Payload::new(),
            ready: None,
            pghp_ms: None,
            days: DayCache::default(),
            stats: Stats::default(),
        }
    }

    /// What has been counted so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Handles one line (with or without its line end). Returns whether a
    /// complete message is ready for [`LineDecoder::poll_message`]; a ready
    /// message not polled is dropped by the next call.
    #[inline]
    pub fn handle_line(&mut self, line: &[u8], now: u64) -> Result<bool, Error> {
        self.stats.lines += 1;
        self.ready = None;
        let r = self.handle_line_inner(line, now);
        if let Err(e) = r {
            self.stats.count_error(e.kind());
        }
        r
    }

    fn handle_line_inner(&mut self, line: &[u8], now: u64) -> Result<bool, Error> {
        let line = trim_line(line);
        if line.is_empty() {
            self.stats.ignored += 1;
            return Ok(false);
        }
        if line[0] == b'$' {
            self.stats.ignored += 1;
            if let Some(t) = parse_trimmed_pghp(line, &mut self.days)? {
                self.pghp_ms = Some(t);
            }
            return Ok(false);
        }
        let s = parse_trimmed_sentence(line)?;
        self.stats.sentences += 1;
        self.expire(now);
        // A Gatehouse timestamp belongs to the one sentence after it.
        let pghp = self.pghp_ms.take();
        let meta = Meta {
            talker: s.talker,
            own: s.own,
            channel: s.channel,
            sentences: s.total,
            time_ms: s
                .tag
                .time_ms
                .or(pghp)
                .or(s.suffix_time.map(|t| t.saturating_mul(1000))),
            source: s.tag.source.map(Source::new).unwrap_or_default(),
        };
        if s.total == 1 {
            self.payload
                .unarmour(s.payload, s.fill)
                .map_err(|at| armour_error(line, &s, at))?;
            self.ready = Some(meta);
            return Ok(true);
        }
        self.handle_fragment(line, &s, meta, now)
    }

    fn handle_fragment(
        &mut self,
        line: &[u8],
        s: &Sentence<'_>,
        meta: Meta,
        now: u64,
    ) -> Result<bool, Error> {
        let seq = s.seq_id.unwrap_or(10);
        let found = self
            .slots
            .iter()
            .position(|t| t.used && t.channel == s.channel && t.seq == seq && t.total == s.total);
        if s.number == 1 {
            let i = match found {
                Some(i) => {
                    // A new message reuses the key of an unfinished one.
                    self.stats.count_error(ErrorKind::Incomplete);
                    i
                }
                None => match self.slots.iter().position(|t| !t.used) {
                    Some(i) => i,
                    None => {
                        self.stats.count_error(ErrorKind::Incomplete);
                        oldest(&self.slots)
                    }
                },
            };
            let slot = &mut self.slots[i];
            if s.payload.len() > MAX_PAYLOAD_CHARS {
                slot.used = false;
                return Err(Error::new(ErrorKind::PayloadTooLong, 0));
            }
            slot.used = true;
            self.maybe_used = true;
            slot.channel = s.channel;
            slot.seq = seq;
            slot.total = s.total;
            slot.next = 2;
            slot.started = now;
            slot.meta = meta;
            slot.len = s.payload.len();
            slot.chars[..slot.len].copy_from_slice(s.payload);
            return Ok(false);
        }
        let Some(i) = found.filter(|&i| self.slots[i].next == s.number) else {
            if let Some(i) = found {
                // Out of order or repeated fragment: the message is lost.
                self.slots[i].used = false;
                self.stats.count_error(ErrorKind::Incomplete);
            }
            return Err(Error::new(ErrorKind::OrphanFragment, 0));
        };
        let slot = &mut self.slots[i];
        let end = slot.len + s.payload.len();
        if end > MAX_PAYLOAD_CHARS {
            slot.used = false;
            return Err(Error::new(ErrorKind::PayloadTooLong, 0));
        }
        slot.chars[slot.len..end].copy_from_slice(s.payload);
        slot.len = end;
        slot.next += 1;
        if s.number < s.total {
            return Ok(false);
        }
        slot.used = false;
        slot.fill = s.fill;
        let meta = slot.meta;
        let (chars, fill) = (&slot.chars[..slot.len], slot.fill);
        if let Err(at) = self.payload.unarmour(chars, fill) {
            // Report the offset within this line when the bad byte is in it.
            let first = slot.len - s.payload.len();
            return Err(match at.checked_sub(first) {
                Some(k) => armour_error(line, s, k),
                None => Error::new(ErrorKind::BadArmour, 0),
            });
        }
        self.ready = Some(meta);
        Ok(true)
    }

    fn expire(&mut self, now: u64) {
        // Most feeds are single-sentence messages: skip the scan when no
        // slot has been taken since the last scan found them all free.
        if !self.maybe_used {
            return;
        }
        let timeout = self.config.timeout_ms;
        let mut any = false;
        for slot in self.slots.iter_mut() {
            if slot.used && now.saturating_sub(slot.started) > timeout {
                slot.used = false;
                self.stats.count_error(ErrorKind::Incomplete);
            }
            any |= slot.used;
        }
        self.maybe_used = any;
    }

    /// Drops every message in progress (counted as incomplete); for the
    /// end of a stream.
    pub fn handle_end(&mut self) {
        for slot in self.slots.iter_mut() {
            if slot.used {
                slot.used = false;
                self.stats.count_error(ErrorKind::Incomplete);
            }
        }
    }

    /// Decodes the ready message, if any. Returns `None` when no message
    /// is ready (or it was already polled).
    #[inline]
    pub fn poll_message(&mut self) -> Option<Result<(Meta, Message<'_>), Error>> {
        let meta = self.ready.take()?;
        let bits = self.payload.bits();
        match Message::decode(bits) {
            Ok(m) => {
                // The type is the first six bits (cheaper than matching on
                // the message's variant).
                self.stats.by_type[(bits.get(0, 6) as usize).min(27)] += 1;
                Some(Ok((meta, m)))
            }
            Err(e) => {
                self.stats.count_error(e.kind());
                Some(Err(e))
            }
        }
    }
}

fn armour_error(line: &[u8], s: &Sentence<'_>, at: usize) -> Error {
    let base = s.payload.as_ptr() as usize - line.as_ptr() as usize;
    let kind = if at >= s.payload.len() {
        ErrorKind::BadFill
    } else {
        ErrorKind::BadArmour
    };
    Error::new(kind, base + at)
}

/// The first `\n` in `bytes`. Lines are short (a VDM sentence is under 90
/// bytes), so the first 64 bytes are searched a word at a time inline, and
/// only a longer line pays for a `memchr` call.
#[inline]
fn find_line_end(bytes: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    for (k, c) in bytes.chunks_exact(8).take(8).enumerate() {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        let x = u64::from_le_bytes(a) ^ (u64::from(b'\n') * LO);
        // High bit set in each byte of `x` that is zero (exact: bit 7 is
        // masked before the addition, so no carry crosses bytes).
        let zero = !((((x & (0x7F * LO)) + 0x7F * LO) | x) & (0x80 * LO)) & (0x80 * LO);
        if zero != 0 {
            return Some(8 * k + (zero.trailing_zeros() / 8) as usize);
        }
    }
    let from = (bytes.len() / 8).min(8) * 8;
    memchr::memchr(b'\n', bytes.get(from..)?).map(|i| from + i)
}

fn oldest(slots: &[Slot; SLOTS]) -> usize {
    let mut best = 0;
    for (i, s) in slots.iter().enumerate() {
        if s.started < slots[best].started {
            best = i;
        }
    }
    best
}

/// Longest line accepted (NMEA allows 82 characters; tag blocks and
/// receiver prefixes add more).
pub const MAX_LINE: usize = 1024;

/// A decoded message with its receive metadata.
pub type Decoded<'a> = (Meta, Message<'a>);

/// Streaming decoder: feed it chunks of any size; it splits lines, keeps a
/// partial line between chunks, and yields messages and errors. How the
/// input is chunked never changes the output.
///
/// ```
/// let mut dec = ais::Decoder::new();
/// let mut input: &[u8] = b"!AIVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*42\n";
/// let mut n = 0;
/// loop {
///     let (used, event) = dec.handle_bytes(input, 0);
///     input = &input[used..];
///     match event {
///         Some(Ok((_meta, msg))) => { assert_eq!(msg.msg_type(), 1); n += 1 }
///         Some(Err(_)) => {}
///         None => break,
///     }
/// }
/// assert_eq!(n, 1);
/// ```
#[derive(Clone)]
pub struct Decoder {
    lines: LineDecoder,
    buf: Box<[u8; MAX_LINE]>,
    len: usize,
    // Inside an over-long line: skip to its end.
    overflow: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// A decoder with default settings.
    pub fn new() -> Decoder {
        Decoder::with_config(Config::default())
    }

    /// A decoder with the given settings.
    pub fn with_config(config: Config) -> Decoder {
        Decoder {
            lines: LineDecoder::new(config),
            buf: Box::new([0; MAX_LINE]),
            len: 0,
            overflow: false,
        }
    }

    /// What has been counted so far.
    pub fn stats(&self) -> &Stats {
        self.lines.stats()
    }

    /// Consumes input up to and including the next event. Returns how many
    /// bytes were used and the event: a message, an error, or `None` when
    /// all of `input` was used without completing one (feed more, or call
    /// [`Decoder::handle_end`] at the end of the stream).
    pub fn handle_bytes(
        &mut self,
        input: &[u8],
        now: u64,
    ) -> (usize, Option<Result<Decoded<'_>, Error>>) {
        let mut used = 0;
        loop {
            let rest = &input[used..];
            let Some(nl) = find_line_end(rest) else {
                self.stash(rest);
                return (input.len(), None);
            };
            used += nl + 1;
            let r = if self.len > 0 || self.overflow {
                self.stash(&rest[..nl]);
                let r = if self.overflow {
                    self.lines.stats.lines += 1;
                    self.lines.stats.count_error(ErrorKind::LineTooLong);
                    Err(Error::new(ErrorKind::LineTooLong, MAX_LINE))
                } else {
                    self.lines.handle_line(&self.buf[..self.len], now)
                };
                self.len = 0;
                self.overflow = false;
                r
            } else if nl > MAX_LINE {
                self.lines.stats.lines += 1;
                self.lines.stats.count_error(ErrorKind::LineTooLong);
                Err(Error::new(ErrorKind::LineTooLong, MAX_LINE))
            } else {
                self.lines.handle_line(&rest[..nl], now)
            };
            match r {
                Ok(false) => continue,
                Ok(true) => return (used, self.lines.poll_message()),
                Err(e) => return (used, Some(Err(e))),
            }
        }
    }

    fn stash(&mut self, bytes: &[u8]) {
        if self.overflow {
            return;
        }
        if self.len + bytes.len() > MAX_LINE {
            self.overflow = true;
            self.len = 0;
            return;
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Ends the stream: decodes a last line that had no line end and drops
    /// messages still in progress. Call repeatedly until it returns `None`.
    pub fn handle_end(&mut self, now: u64) -> Option<Result<Decoded<'_>, Error>> {
        if self.len > 0 || self.overflow {
            let r = if self.overflow {
                self.lines.stats.lines += 1;
                self.lines.stats.count_error(ErrorKind::LineTooLong);
                Err(Error::new(ErrorKind::LineTooLong, MAX_LINE))
            } else {
                self.lines.handle_line(&self.buf[..self.len], now)
            };
            self.len = 0;
            self.overflow = false;
            match r {
                Ok(true) => return self.lines.poll_message(),
                Ok(false) => {}
                Err(e) => return Some(Err(e)),
            }
        }
        self.lines.handle_end();
        None
    }

    /// Decodes a whole buffer, calling `f` for each event; convenient when
    /// the input is already in memory. Gives the same events and counts as
    /// feeding the buffer to [`Decoder::handle_bytes`] and then calling
    /// [`Decoder::handle_end`], but faster: each line is handed to the line
    /// decoder straight from `input`, and each message goes to `f` without
    /// passing through `handle_bytes`'s return value.
    pub fn decode_all<F>(&mut self, input: &[u8], now: u64, mut f: F)
    where
        F: FnMut(Result<Decoded<'_>, Error>),
    {
        let mut rest = input;
        // A partial line kept from earlier `handle_bytes` calls.
        if self.len > 0 || self.overflow {
            let (used, ev) = self.handle_bytes(rest, now);
            rest = &rest[used..];
            if let Some(ev) = ev {
                f(ev);
            }
        }
        while let Some(nl) = find_line_end(rest) {
            let line = &rest[..nl];
            rest = &rest[nl + 1..];
            if nl > MAX_LINE {
                self.lines.stats.lines += 1;
                self.lines.stats.count_error(ErrorKind::LineTooLong);
                f(Err(Error::new(ErrorKind::LineTooLong, MAX_LINE)));
                continue;
            }
            match self.lines.handle_line(line, now) {
                Ok(false) => {}
                Ok(true) => {
                    if let Some(ev) = self.lines.poll_message() {
                        f(ev);
                    }
                }
                Err(e) => f(Err(e)),
            }
        }
        self.stash(rest);
        while let Some(ev) = self.handle_end(now) {
            f(ev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn line_end_search_matches_memchr(bytes in proptest::collection::vec(proptest::sample::select(b"\n\r!A,\x0b\x8a\xff".to_vec()), 0..200), cut in 0usize..200) {
            // Mostly without a newline for long stretches: drop some.
            let bytes: Vec<u8> = bytes.iter().enumerate().map(|(i, &b)| if b == b'\n' && i < cut { b'A' } else { b }).collect();
            proptest::prop_assert_eq!(find_line_end(&bytes), memchr::memchr(b'\n', &bytes));
        }
    }
}
