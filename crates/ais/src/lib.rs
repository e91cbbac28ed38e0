//! AIS / NMEA 0183 decoding at line rate.
//!
//! This crate turns raw AIS feeds — `!xxVDM` / `!xxVDO` sentences from any
//! talker, with NMEA 4.10 tag blocks, Gatehouse `$PGHP` timestamps or UNIX
//! time suffixes — into typed messages 1–27 of ITU-R M.1371-5, and writes
//! them as gpsd-compatible JSON or CSV. It depends on nothing else in the
//! workspace and does no I/O: bytes go in, messages come out, and time is
//! an argument (used only for reassembly time-outs).
//!
//! Main types:
//! - [`Decoder`]: streaming; takes chunks of any size and yields
//!   ([`Meta`], [`Message`]) pairs or [`Error`]s, counting both in [`Stats`].
//! - [`LineDecoder`]: the same, one line at a time (csv-core style).
//! - [`parse_sentence`] and [`Message::decode`]: the stateless layers.
//! - [`Message`]: one variant per message family, with every field raw
//!   and scaled accessors; text and binary data borrow from the decoder.
//! - The `output` module: [`output::write_json`] (gpsd field names,
//!   scaled units) and the CSV tables.
//! - The `encode` module: the mirror image, for tests and synthetic traffic.
//! - The `feed` module: the pure parts of network ingest (the
//!   [`feed::Endpoint`] syntax and the reconnection [`feed::Backoff`]); the
//!   sockets live in the binary, since this crate does no I/O.
//!
//! Decoding never panics and never allocates per sentence: payloads live in
//! fixed buffers, names in inline arrays ([`AisStr`]), and errors are
//! `Copy` ([`Error`] with an [`ErrorKind`] and an offset).
//!
//! ```
//! use ais::{Decoder, Message};
//!
//! let feed = b"!AIVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*42\n";
//! let mut dec = Decoder::new();
//! let mut json = Vec::new();
//! dec.decode_all(feed, 0, |ev| {
//!     if let Ok((_meta, msg)) = ev {
//!         if let Message::Position(p) = &msg {
//!             assert!(p.speed_knots().is_some());
//!         }
//!         ais::output::write_json(&msg, &mut json).unwrap();
//!     }
//! });
//! assert!(json.starts_with(br#"{"class":"AIS","type":1"#));
//! assert_eq!(dec.stats().messages(), 1);
//! ```

#![deny(missing_docs)]

mod bits;
mod decoder;
pub mod encode;
mod error;
pub mod feed;
mod message;
pub mod output;
mod sentence;

pub use bits::{
    AisStr, Bits, MAX_PAYLOAD_CHARS, Payload, SixBitText, armour_char, reference, text_char,
    text_value,
};
pub use decoder::{Config, Decoded, Decoder, LineDecoder, MAX_LINE, Meta, Source, Stats};
pub use error::{Error, ErrorKind};
pub use message::{
    Acknowledge, AddressedBinary, AddressedSafety, AidToNavigation, Application, AreaNotice,
    AssignmentMode, BaseStationReport, BroadcastBinary, BroadcastSafety, ChannelManagement,
    ChannelTarget, ClassBExtended, ClassBPosition, DataLinkManagement, DgnssBroadcast, Dimensions,
    GroupAssignment, Header, Interrogation, LongRangeReport, Message, MetHydro, MetHydroOld,
    PositionReport, Reservation, SarAircraftReport, SlotBinary, StaticDataPart, StaticDataReport,
    StaticVoyage, SubArea, SubAreas, UtcInquiry, course_deg, heading_deg, lat_deg, lon_deg,
    speed_knots,
};
pub use sentence::{Sentence, TagBlock, parse_pghp, parse_sentence, trim_line, xor_checksum};
