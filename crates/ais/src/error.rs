//! The crate's single error type: small, `Copy`, and never allocating, so a
//! decoder can count millions of them without cost.

use core::fmt;

/// Why a line, a sentence or a message could not be decoded.
///
/// The list grows as the decoder learns new ways for input to be wrong, so
/// it is `#[non_exhaustive]`; [`ErrorKind::ALL`] lists every current kind in
/// the order [`crate::Stats`] counts them.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// The line does not hold a `!xxVDM` / `!xxVDO` sentence.
    NotAis,
    /// The sentence ended before all of its comma-separated fields.
    MissingField,
    /// A numeric field holds something other than a number in range.
    BadField,
    /// There is no `*hh` checksum, or `hh` is not hexadecimal.
    MissingChecksum,
    /// The checksum does not match the sentence.
    Checksum,
    /// An NMEA 4.10 tag block is malformed or its checksum is wrong.
    TagBlock,
    /// The payload holds a byte outside the six-bit armour alphabet.
    BadArmour,
    /// The fill-bit count is not 0–5, or more than the payload holds.
    BadFill,
    /// A line was longer than the decoder's line buffer.
    LineTooLong,
    /// A reassembled payload was longer than the decoder's payload buffer.
    PayloadTooLong,
    /// A fragment arrived that continues no message in progress.
    OrphanFragment,
    /// A message in progress was dropped: its fragments stopped arriving
    /// before the time-out, a new first fragment reused its key, or the
    /// reassembly table was full.
    Incomplete,
    /// The payload is empty.
    EmptyPayload,
    /// The payload is shorter than its message type requires.
    TooShort,
    /// The message type is not 1–27.
    UnknownType,
}

impl ErrorKind {
    /// Every kind, in a fixed order (the index [`ErrorKind::index`] returns).
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::NotAis,
        ErrorKind::MissingField,
        ErrorKind::BadField,
        ErrorKind::MissingChecksum,
        ErrorKind::Checksum,
        ErrorKind::TagBlock,
        ErrorKind::BadArmour,
        ErrorKind::BadFill,
        ErrorKind::LineTooLong,
        ErrorKind::PayloadTooLong,
        ErrorKind::OrphanFragment,
        ErrorKind::Incomplete,
        ErrorKind::EmptyPayload,
        ErrorKind::TooShort,
        ErrorKind::UnknownType,
    ];

    /// Position of this kind in [`ErrorKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// A short snake_case name, stable for logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::NotAis => "not_ais",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::BadField => "bad_field",
            ErrorKind::MissingChecksum => "missing_checksum",
            ErrorKind::Checksum => "checksum",
            ErrorKind::TagBlock => "tag_block",
            ErrorKind::BadArmour => "bad_armour",
            ErrorKind::BadFill => "bad_fill",
            ErrorKind::LineTooLong => "line_too_long",
            ErrorKind::PayloadTooLong => "payload_too_long",
            ErrorKind::OrphanFragment => "orphan_fragment",
            ErrorKind::Incomplete => "incomplete",
            ErrorKind::EmptyPayload => "empty_payload",
            ErrorKind::TooShort => "too_short",
            ErrorKind::UnknownType => "unknown_type",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error with the place it was found.
///
/// `offset` is a byte offset into the line for sentence-level errors and a
/// bit offset into the payload for message-level errors
/// ([`ErrorKind::TooShort`], [`ErrorKind::UnknownType`]); it is 0 where no
/// position applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    offset: u32,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, offset: usize) -> Error {
        Error {
            kind,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where it went wrong (see the type's documentation for the unit).
    pub fn offset(&self) -> usize {
        self.offset as usize
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}
