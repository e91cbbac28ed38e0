//! Canonical JSON per RFC 8785, the JSON Canonicalization Scheme (JCS).
//!
//! The canonical form is what a node signs: two nodes holding the same JSON
//! value produce the same bytes whatever order or spacing it arrived in.
//!
//! - Objects: members sorted by the UTF-16 code units of their names
//!   (RFC 8785 §3.2.3), no whitespace.
//! - Strings: only `"`, `\` and controls below U+0020 are escaped, with the
//!   short forms `\b \t \n \f \r` where they exist and `\u00xx` (lowercase)
//!   otherwise; everything else is written as UTF-8 (§3.2.2.2).
//! - Numbers: ECMAScript's Number-to-String of the IEEE-754 double
//!   (§3.2.2.3), via the `ryu-js` crate. `-0` is written `0`.
//!
//! Two rules are stricter than the RFC, so that the signed bytes always mean
//! the value that was stored:
//!
//! - An integer is refused ([`CanonicalError::InexactInteger`]) when
//!   canonicalisation would change its digits. RFC 8785 reads every number as
//!   a double, so `9007199254740993` would be signed as `9007199254740992`
//!   and two different stored values would sign identically. Every integer
//!   within ±(2^53 − 1) passes; a larger one passes only when written as
//!   ECMAScript prints the nearest double (`1152921504606847000` passes,
//!   `1152921504606846976`, the same double written exactly, does not).
//!   Canonical output therefore always canonicalises to itself again. Send
//!   identifiers and counters that need more digits as strings.
//! - Nesting deeper than [`MAX_DEPTH`] is refused rather than risking the stack.
//!
//! Non-finite numbers cannot occur in a `serde_json::Value`; should one appear
//! (through a feature such as `arbitrary_precision`) it is refused with
//! [`CanonicalError::NonFiniteNumber`].

use std::io;

use serde_json::{Map, Number, Value};

/// Most arrays and objects that may enclose one another.
pub const MAX_DEPTH: usize = 256;

/// The largest integer magnitude that survives a round trip through a double
/// without ambiguity: 2^53 − 1, ECMAScript's `Number.MAX_SAFE_INTEGER`.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a value has no canonical form, or could not be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CanonicalError {
    /// An integer whose digits canonicalisation would change (see the module docs).
    #[error("integer has no exact canonical form; send it as a string")]
    InexactInteger,
    /// NaN or an infinity, which JSON cannot express.
    #[error("number is not finite")]
    NonFiniteNumber,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    #[error("nesting deeper than {max} levels", max = MAX_DEPTH)]
    TooDeep,
    /// The writer given to [`to_writer`] failed.
    #[error("write failed: {0}")]
    Write(io::ErrorKind),
}

/// The canonical bytes of `value`.
///
/// ```
/// let v = serde_json::json!({"b": [1.50, "x"], "a": null});
/// assert_eq!(ledger::canonical::to_vec(&v).unwrap(), br#"{"a":null,"b":[1.5,"x"]}"#);
/// ```
pub fn to_vec(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    let mut out = Vec::with_capacity(256);
    to_writer(&mut out, value)?;
    Ok(out)
}

/// Writes the canonical bytes of `value` to `writer`.
///
/// On error the writer may hold a partial prefix of the output.
pub fn to_writer<W: io::Write>(mut writer: W, value: &Value) -> Result<(), CanonicalError> {
    let mut w = Sink { inner: &mut writer };
    w.value(value, 1)
}

struct Sink<'w, W: io::Write> {
    inner: &'w mut W,
}

impl<W: io::Write> Sink<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), CanonicalError> {
        self.inner
            .write_all(bytes)
            .map_err(|e| CanonicalError::Write(e.kind()))
    }

    fn value(&mut self, value: &Value, depth: usize) -> Result<(), CanonicalError> {
        match value {
            Value::Null => self.put(b"null"),
            Value::Bool(true) => self.put(b"true"),
            Value::Bool(false) => self.put(b"false"),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                if depth > MAX_DEPTH {
                    return Err(CanonicalError::TooDeep);
                }
                self.put(b"[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.put(b",")?;
                    }
                    self.value(item, depth + 1)?;
                }
                self.put(b"]")
            }
            Value::Object(map) => {
                if depth > MAX_DEPTH {
                    return Err(CanonicalError::TooDeep);
                }
                self.object(map, depth)
            }
        }
    }

    fn object(&mut self, map: &Map<String, Value>, depth: usize) -> Result<(), CanonicalError> {
        // serde_json's map orders by UTF-8 bytes (or by insertion with
        // `preserve_order`); RFC 8785 wants UTF-16 code units, which differs
        // once names mix supplementary-plane characters with U+E000..U+FFFF.
        let mut members: Vec<(&String, &Value)> = map.iter().collect();
        members.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        self.put(b"{")?;
        for (i, (name, item)) in members.into_iter().enumerate() {
            if i > 0 {
                self.put(b",")?;
            }
            self.string(name)?;
            self.put(b":")?;
            self.value(item, depth + 1)?;
        }
        self.put(b"}")
    }

    fn number(&mut self, n: &Number) -> Result<(), CanonicalError> {
        let mut digits = [0u8; 24];
        let mut buf = ryu_js::Buffer::new();
        if let Some(i) = n.as_i64() {
            let text = format_int(i.unsigned_abs(), i < 0, &mut digits);
            // Below 2^53 ECMAScript prints an integral double as its plain
            // digits; above, only if the digits are those of the nearest double.
            if i.unsigned_abs() > MAX_SAFE_INTEGER && buf.format_finite(i as f64).as_bytes() != text
            {
                return Err(CanonicalError::InexactInteger);
            }
            return self.put(text);
        }
        if let Some(u) = n.as_u64() {
            // as_i64 failed, so u > i64::MAX > MAX_SAFE_INTEGER.
            let text = format_int(u, false, &mut digits);
            if buf.format_finite(u as f64).as_bytes() != text {
                return Err(CanonicalError::InexactInteger);
            }
            return self.put(text);
        }
        match n.as_f64() {
            Some(f) if f.is_finite() => self.put(buf.format_finite(f).as_bytes()),
            _ => Err(CanonicalError::NonFiniteNumber),
        }
    }

    fn string(&mut self, s: &str) -> Result<(), CanonicalError> {
        self.put(b"\"")?;
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                0x0c => b"\\f",
                b'\r' => b"\\r",
                0x00..=0x1f => {
                    self.put(&bytes[start..i])?;
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let esc = [
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[usize::from(b >> 4)],
                        HEX[usize::from(b & 0xf)],
                    ];
                    self.put(&esc)?;
                    start = i + 1;
                    continue;
                }
                _ => continue,
            };
            self.put(&bytes[start..i])?;
            self.put(escape)?;
            start = i + 1;
        }
        self.put(&bytes[start..])?;
        self.put(b"\"")
    }
}

/// Decimal digits of `magnitude`, after a `-` if `negative`, without allocating.
fn format_int(magnitude: u64, negative: bool, buf: &mut [u8; 24]) -> &[u8] {
    let mut pos = buf.len();
    let mut rest = magnitude;
    loop {
        pos -= 1;
        // `rest % 10` is below 10, so the cast cannot truncate.
        buf[pos] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative {
        pos -= 1;
        buf[pos] = b'-';
    }
    &buf[pos..]
}
