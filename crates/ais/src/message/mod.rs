//! Typed AIS messages 1–27 (ITU-R M.1371-5), decoded from payload bits.
//!
//! Every field of the standard is kept with its raw width and meaning, so
//! nothing is lost and the encoder can write the exact bits back; methods
//! such as [`PositionReport::speed_knots`] give scaled values and turn the
//! standard's "not available" codes into `None`. Free text and binary data
//! borrow from the payload, so decoding allocates nothing.

mod app;

pub use app::{Application, AreaNotice, MetHydro, MetHydroOld, SubArea, SubAreas};

use crate::bits::{AisStr, Bits, Reader, SixBitText};
use crate::encode::BitWriter;
use crate::error::{Error, ErrorKind};

/// The fields every message starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Message type, 1–27.
    pub msg_type: u8,
    /// Repeat indicator, 0–3.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
}

impl Header {
    fn write(&self, w: &mut BitWriter) {
        w.put_u(6, u64::from(self.msg_type));
        w.put_u(2, u64::from(self.repeat));
        w.put_u(30, u64::from(self.mmsi));
    }
}

const HEADER_BITS: usize = 38;

// Reads and writes one field of a fixed-layout message; the kinds are
// `u` (unsigned), `i` (signed), `b` (flag) and `t` (six-bit text, width in
// characters).
macro_rules! field_read {
    ($r:ident, u, $n:expr, $t:ty) => {
        $r.u($n) as $t
    };
    ($r:ident, i, $n:expr, $t:ty) => {
        $r.i32($n) as $t
    };
    ($r:ident, b, $n:expr, $t:ty) => {
        $r.b()
    };
    ($r:ident, t, $n:expr, $t:ty) => {
        $r.text($n)
    };
}

macro_rules! field_write {
    ($w:ident, u, $n:expr, $v:expr) => {
        $w.put_u($n, $v as u64)
    };
    ($w:ident, i, $n:expr, $v:expr) => {
        $w.put_i($n, $v as i64)
    };
    ($w:ident, b, $n:expr, $v:expr) => {
        $w.put_u(1, u64::from($v))
    };
    ($w:ident, t, $n:expr, $v:expr) => {
        $w.put_text($n, $v.as_bytes())
    };
}

macro_rules! field_bits {
    (t, $n:expr) => {
        $n * 6
    };
    ($k:ident, $n:expr) => {
        $n as usize
    };
}

/// Defines a message whose fields follow one another at fixed widths.
macro_rules! fixed_message {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $f:ident : $t:ty = $kind:ident ( $n:expr ), )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub struct $name {
            /// Type, repeat indicator and source MMSI.
            pub header: Header,
            $( $(#[$fmeta])* pub $f: $t, )*
        }

        impl $name {
            /// Length in bits of the message as the standard defines it.
            pub const BITS: usize = HEADER_BITS $( + field_bits!($kind, $n) )*;

            fn read(header: Header, r: &mut Reader<'_>) -> $name {
                $name {
                    header,
                    $( $f: field_read!(r, $kind, $n, $t), )*
                }
            }

            fn write(&self, w: &mut BitWriter) {
                self.header.write(w);
                $( field_write!(w, $kind, $n, self.$f); )*
            }
        }
    };
}

/// Longitude in 1/10,000 minute to degrees; `None` for 181° (not available).
pub fn lon_deg(raw: i32) -> Option<f64> {
    (raw != 108_600_000 && raw.abs() <= 108_000_000).then(|| f64::from(raw) / 600_000.0)
}

/// Latitude in 1/10,000 minute to degrees; `None` for 91° (not available).
pub fn lat_deg(raw: i32) -> Option<f64> {
    (raw != 54_600_000 && raw.abs() <= 54_000_000).then(|| f64::from(raw) / 600_000.0)
}

/// Speed over ground in 1/10 knot to knots; `None` for 1023 (not available).
pub fn speed_knots(raw: u16) -> Option<f32> {
    (raw < 1023).then(|| f32::from(raw) / 10.0)
}

/// Course over ground in 1/10° to degrees; `None` for 3600 and above.
pub fn course_deg(raw: u16) -> Option<f32> {
    (raw < 3600).then(|| f32::from(raw) / 10.0)
}

/// True heading in degrees; `None` for 511 (not available).
pub fn heading_deg(raw: u16) -> Option<u16> {
    (raw < 360).then_some(raw)
}

fixed_message! {
    /// Types 1, 2 and 3: class A position report.
    pub struct PositionReport {
        /// Navigational status, 0–15 (15: not defined).
        pub status: u8 = u(4),
        /// Rate of turn, raw: ±127 = turning fast, -128 = not available,
        /// otherwise 4.733 × sqrt(ROT in °/min).
        pub turn: i8 = i(8),
        /// Speed over ground, 1/10 knot (1023: not available).
        pub speed: u16 = u(10),
        /// Position accuracy: `true` is better than 10 m.
        pub accuracy: bool = b(1),
        /// Longitude, 1/10,000 minute (181° = not available).
        pub lon: i32 = i(28),
        /// Latitude, 1/10,000 minute (91° = not available).
        pub lat: i32 = i(27),
        /// Course over ground, 1/10° (3600: not available).
        pub course: u16 = u(12),
        /// True heading, degrees (511: not available).
        pub heading: u16 = u(9),
        /// UTC second of the fix (60+: not available or special).
        pub second: u8 = u(6),
        /// Special manoeuvre indicator, 0–2.
        pub maneuver: u8 = u(2),
        /// Spare bits.
        pub spare: u8 = u(3),
        /// RAIM flag.
        pub raim: bool = b(1),
        /// Radio (communication) state.
        pub radio: u32 = u(19),
    }
}

impl PositionReport {
    /// Speed in knots.
    pub fn speed_knots(&self) -> Option<f32> {
        speed_knots(self.speed)
    }
    /// Longitude in degrees.
    pub fn lon_deg(&self) -> Option<f64> {
        lon_deg(self.lon)
    }
    /// Latitude in degrees.
    pub fn lat_deg(&self) -> Option<f64> {
        lat_deg(self.lat)
    }
    /// Course in degrees.
    pub fn course_deg(&self) -> Option<f32> {
        course_deg(self.course)
    }
    /// Rate of turn in °/min, signed; `None` when not available or when
    /// the sender only says it turns fast (±127).
    pub fn turn_deg_min(&self) -> Option<f32> {
        match self.turn {
            -128 | -127 | 127 => None,
            t => {
                let r = f32::from(t) / 4.733;
                Some(r * r * f32::from(t.signum()))
            }
        }
    }
}

fixed_message! {
    /// Types 4 (base station report) and 11 (UTC/date response).
    pub struct BaseStationReport {
        /// UTC year, 1–9999 (0: not available).
        pub year: u16 = u(14),
        /// UTC month, 1–12 (0: not available).
        pub month: u8 = u(4),
        /// UTC day, 1–31 (0: not available).
        pub day: u8 = u(5),
        /// UTC hour, 0–23 (24: not available).
        pub hour: u8 = u(5),
        /// UTC minute, 0–59 (60: not available).
        pub minute: u8 = u(6),
        /// UTC second, 0–59 (60: not available).
        pub second: u8 = u(6),
        /// Position accuracy flag.
        pub accuracy: bool = b(1),
        /// Longitude, 1/10,000 minute.
        pub lon: i32 = i(28),
        /// Latitude, 1/10,000 minute.
        pub lat: i32 = i(27),
        /// Type of electronic position fixing device, 0–15.
        pub epfd: u8 = u(4),
        /// Transmission control for long-range broadcast (1 bit) and spare.
        pub spare: u16 = u(10),
        /// RAIM flag.
        pub raim: bool = b(1),
        /// Radio (communication) state.
        pub radio: u32 = u(19),
    }
}

fixed_message! {
    /// Type 5: class A static and voyage related data.
    pub struct StaticVoyage {
        /// AIS version indicator, 0–3.
        pub ais_version: u8 = u(2),
        /// IMO number (0: not available).
        pub imo: u32 = u(30),
        /// Call sign, 7 characters.
        pub callsign: AisStr<7> = t(7),
        /// Ship name, 20 characters.
        pub shipname: AisStr<20> = t(20),
        /// Type of ship and cargo, 0–255.
        pub shiptype: u8 = u(8),
        /// Distance from the reference point to the bow, metres.
        pub to_bow: u16 = u(9),
        /// Distance to the stern, metres.
        pub to_stern: u16 = u(9),
        /// Distance to port, metres.
        pub to_port: u8 = u(6),
        /// Distance to starboard, metres.
        pub to_starboard: u8 = u(6),
        /// Type of electronic position fixing device.
        pub epfd: u8 = u(4),
        /// ETA month, 1–12 (0: not available).
        pub month: u8 = u(4),
        /// ETA day, 1–31 (0: not available).
        pub day: u8 = u(5),
        /// ETA hour, 0–23 (24: not available).
        pub hour: u8 = u(5),
        /// ETA minute, 0–59 (60: not available).
        pub minute: u8 = u(6),
        /// Maximum present static draught, 1/10 m.
        pub draught: u8 = u(8),
        /// Destination, 20 characters.
        pub destination: AisStr<20> = t(20),
        /// Data terminal equipment flag: `false` = available.
        pub dte: bool = b(1),
        /// Spare bit.
        pub spare: u8 = u(1),
    }
}

fixed_message! {
    /// Type 9: standard SAR aircraft position report.
    pub struct SarAircraftReport {
        /// Altitude, metres (4095: not available, 4094: 4094 m or higher).
        pub alt: u16 = u(12),
        /// Speed over ground, knots (1023: not available).
        pub speed: u16 = u(10),
        /// Position accuracy flag.
        pub accuracy: bool = b(1),
        /// Longitude, 1/10,000 minute.
        pub lon: i32 = i(28),
        /// Latitude, 1/10,000 minute.
        pub lat: i32 = i(27),
        /// Course over ground, 1/10°.
        pub course: u16 = u(12),
        /// UTC second.
        pub second: u8 = u(6),
        /// Altitude sensor (1 bit) and spare, kept whole as gpsd's `regional`.
        pub regional: u8 = u(8),
        /// DTE flag.
        pub dte: bool = b(1),
        /// Spare bits.
        pub spare: u8 = u(3),
        /// Assigned-mode flag.
        pub assigned: bool = b(1),
        /// RAIM flag.
        pub raim: bool = b(1),
        /// Radio state (selector bit and 19 bits of state).
        pub radio: u32 = u(20),
    }
}

fixed_message! {
    /// Type 10: UTC and date inquiry.
    pub struct UtcInquiry {
        /// Spare bits.
        pub spare: u8 = u(2),
        /// Destination MMSI.
        pub dest_mmsi: u32 = u(30),
        /// Spare bits.
        pub spare2: u8 = u(2),
    }
}

fixed_message! {
    /// Type 18: standard class B position report.
    pub struct ClassBPosition {
        /// Reserved for regional applications.
        pub reserved: u8 = u(8),
        /// Speed over ground, 1/10 knot.
        pub speed: u16 = u(10),
        /// Position accuracy flag.
        pub accuracy: bool = b(1),
        /// Longitude, 1/10,000 minute.
        pub lon: i32 = i(28),
        /// Latitude, 1/10,000 minute.
        pub lat: i32 = i(27),
        /// Course over ground, 1/10°.
        pub course: u16 = u(12),
        /// True heading, degrees.
        pub heading: u16 = u(9),
        /// UTC second.
        pub second: u8 = u(6),
        /// Reserved for regional applications.
        pub regional: u8 = u(2),
        /// Class B unit flag: `true` = carrier-sense unit.
        pub cs: bool = b(1),
        /// Class B display flag.
        pub display: bool = b(1),
        /// DSC flag.
        pub dsc: bool = b(1),
        /// Band flag.
        pub band: bool = b(1),
        /// Message 22 flag.
        pub msg22: bool = b(1),
        /// Assigned-mode flag.
        pub assigned: bool = b(1),
        /// RAIM flag.
        pub raim: bool = b(1),
        /// Radio state (selector bit and 19 bits of state).
        pub radio: u32 = u(20),
    }
}

fixed_message! {
    /// Type 19: extended class B position report.
    pub struct ClassBExtended {
        /// Reserved for regional applications.
        pub reserved: u8 = u(8),
        /// Speed over ground, 1/10 knot.
        pub speed: u16 = u(10),
        /// Position accuracy flag.
        pub accuracy: bool = b(1),
        /// Longitude, 1/10,000 minute.
        pub lon: i32 = i(28),
        /// Latitude, 1/10,000 minute.
        pub lat: i32 = i(27),
        /// Course over ground, 1/10°.
        pub course: u16 = u(12),
        /// True heading, degrees.
        pub heading: u16 = u(9),
        /// UTC second.
        pub second: u8 = u(6),
        /// Reserved for regional applications.
        pub regional: u8 = u(4),
        /// Ship name.
        pub shipname: AisStr<20> = t(20),
        /// Type of ship and cargo.
        pub shiptype: u8 = u(8),
        /// Distance to the bow, metres.
        pub to_bow: u16 = u(9),
        /// Distance to the stern, metres.
        pub to_stern: u16 = u(9),
        /// Distance to port, metres.
        pub to_port: u8 = u(6),
        /// Distance to starboard, metres.
        pub to_starboard: u8 = u(6),
        /// Type of electronic position fixing device.
        pub epfd: u8 = u(4),
        /// RAIM flag.
        pub raim: bool = b(1),
        /// DTE flag.
        pub dte: bool = b(1),
        /// Assigned-mode flag.
        pub assigned: bool = b(1),
        /// Spare bits.
        pub spare: u8 = u(4),
    }
}

fixed_message! {
    /// Type 23: group assignment command.
    pub struct GroupAssignment {
        /// Spare bits.
        pub spare: u8 = u(2),
        /// North-east corner longitude, 1/10 minute.
        pub ne_lon: i32 = i(18),
        /// North-east corner latitude, 1/10 minute.
        pub ne_lat: i32 = i(17),
        /// South-west corner longitude, 1/10 minute.
        pub sw_lon: i32 = i(18),
        /// South-west corner latitude, 1/10 minute.
        pub sw_lat: i32 = i(17),
        /// Station type, 0–15.
        pub station_type: u8 = u(4),
        /// Ship and cargo type, 0–255.
        pub ship_type: u8 = u(8),
        /// Spare bits.
        pub spare2: u32 = u(22),
        /// Tx/Rx mode, 0–3.
        pub txrx: u8 = u(2),
        /// Reporting interval, 0–15.
        pub interval: u8 = u(4),
        /// Quiet time, minutes (0: none).
        pub quiet: u8 = u(4),
        /// Spare bits.
        pub spare3: u8 = u(6),
    }
}

fixed_message! {
    /// Type 27: long-range AIS broadcast.
    pub struct LongRangeReport {
        /// Position accuracy flag.
        pub accuracy: bool = b(1),
        /// RAIM flag.
        pub raim: bool = b(1),
        /// Navigational status.
        pub status: u8 = u(4),
        /// Longitude, 1/10 minute (181° = not available).
        pub lon: i32 = i(18),
        /// Latitude, 1/10 minute (91° = not available).
        pub lat: i32 = i(17),
        /// Speed over ground, knots (63: not available).
        pub speed: u8 = u(6),
        /// Course over ground, degrees (511: not available).
        pub course: u16 = u(9),
        /// Position latency: `false` = less than 5 s.
        pub gnss: bool = b(1),
        /// Spare bit.
        pub spare: u8 = u(1),
    }
}

/// Types 7 and 13: binary and safety-related acknowledgement.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Acknowledge {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// Destination MMSI and sequence number of each acknowledged message.
    pub acks: [(u32, u8); 4],
    /// How many of `acks` are present, 1–4.
    pub count: u8,
}

/// Type 6: addressed binary message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AddressedBinary<'a> {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Sequence number, 0–3.
    pub seqno: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Retransmit flag.
    pub retransmit: bool,
    /// Spare bit.
    pub spare: u8,
    /// Designated area code.
    pub dac: u16,
    /// Function identifier.
    pub fid: u8,
    /// Application data after DAC and FID.
    pub data: Bits<'a>,
}

impl<'a> AddressedBinary<'a> {
    /// The application message, if the DAC/FID is one this crate knows.
    pub fn application(&self) -> Application<'a> {
        Application::parse(6, self.dac, self.fid, self.data)
    }
}

/// Type 8: binary broadcast message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BroadcastBinary<'a> {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// Designated area code.
    pub dac: u16,
    /// Function identifier.
    pub fid: u8,
    /// Application data after DAC and FID.
    pub data: Bits<'a>,
}

impl<'a> BroadcastBinary<'a> {
    /// The application message, if the DAC/FID is one this crate knows.
    pub fn application(&self) -> Application<'a> {
        Application::parse(8, self.dac, self.fid, self.data)
    }
}

/// Type 12: addressed safety-related message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AddressedSafety<'a> {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Sequence number, 0–3.
    pub seqno: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Retransmit flag.
    pub retransmit: bool,
    /// Spare bit.
    pub spare: u8,
    /// The text.
    pub text: SixBitText<'a>,
}

/// Type 14: safety-related broadcast message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BroadcastSafety<'a> {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// The text.
    pub text: SixBitText<'a>,
}

/// Type 15: interrogation. Absent trailing requests read as zero.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Interrogation {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// First interrogated MMSI.
    pub mmsi1: u32,
    /// First message type requested from `mmsi1`.
    pub type1_1: u8,
    /// Its slot offset.
    pub offset1_1: u16,
    /// Spare bits.
    pub spare2: u8,
    /// Second message type requested from `mmsi1`.
    pub type1_2: u8,
    /// Its slot offset.
    pub offset1_2: u16,
    /// Spare bits.
    pub spare3: u8,
    /// Second interrogated MMSI.
    pub mmsi2: u32,
    /// Message type requested from `mmsi2`.
    pub type2_1: u8,
    /// Its slot offset.
    pub offset2_1: u16,
    /// Spare bits.
    pub spare4: u8,
}

/// Type 16: assignment mode command. Absent second assignment reads as zero.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AssignmentMode {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// First destination MMSI.
    pub mmsi1: u32,
    /// Its slot offset.
    pub offset1: u16,
    /// Its increment.
    pub increment1: u16,
    /// Second destination MMSI.
    pub mmsi2: u32,
    /// Its slot offset.
    pub offset2: u16,
    /// Its increment.
    pub increment2: u16,
}

/// Type 17: DGNSS broadcast binary message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DgnssBroadcast<'a> {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// Reference station longitude, 1/10 minute.
    pub lon: i32,
    /// Reference station latitude, 1/10 minute.
    pub lat: i32,
    /// Spare bits.
    pub spare2: u8,
    /// DGNSS correction data (RTCM SC-104 words).
    pub data: Bits<'a>,
}

/// One data-link reservation of a type 20 message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reservation {
    /// Offset number (0: no reservation).
    pub offset: u16,
    /// Number of slots.
    pub number: u8,
    /// Time-out, minutes.
    pub timeout: u8,
    /// Increment.
    pub increment: u16,
}

/// Type 20: data link management. Absent reservations read as zero.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DataLinkManagement {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// Up to four reservations.
    pub reservations: [Reservation; 4],
}

/// Type 21: aid-to-navigation report.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AidToNavigation {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Type of aid to navigation, 0–31.
    pub aid_type: u8,
    /// Name, with the name extension appended (up to 34 characters).
    pub name: AisStr<34>,
    /// Position accuracy flag.
    pub accuracy: bool,
    /// Longitude, 1/10,000 minute.
    pub lon: i32,
    /// Latitude, 1/10,000 minute.
    pub lat: i32,
    /// Distance to the bow, metres.
    pub to_bow: u16,
    /// Distance to the stern, metres.
    pub to_stern: u16,
    /// Distance to port, metres.
    pub to_port: u8,
    /// Distance to starboard, metres.
    pub to_starboard: u8,
    /// Type of electronic position fixing device.
    pub epfd: u8,
    /// UTC second.
    pub second: u8,
    /// Off-position indicator.
    pub off_position: bool,
    /// Reserved for regional applications.
    pub regional: u8,
    /// RAIM flag.
    pub raim: bool,
    /// Virtual aid flag.
    pub virtual_aid: bool,
    /// Assigned-mode flag.
    pub assigned: bool,
    /// Spare bit.
    pub spare: u8,
}

/// The area or the addressees of a type 22 message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelTarget {
    /// Broadcast to a rectangle, corners in 1/10 minute.
    Area {
        /// North-east longitude.
        ne_lon: i32,
        /// North-east latitude.
        ne_lat: i32,
        /// South-west longitude.
        sw_lon: i32,
        /// South-west latitude.
        sw_lat: i32,
    },
    /// Addressed to two stations.
    Addressed {
        /// First MMSI.
        dest1: u32,
        /// Spare bits after it.
        spare1: u8,
        /// Second MMSI.
        dest2: u32,
        /// Spare bits after it.
        spare2: u8,
    },
}

impl Default for ChannelTarget {
    fn default() -> Self {
        ChannelTarget::Area {
            ne_lon: 0,
            ne_lat: 0,
            sw_lon: 0,
            sw_lat: 0,
        }
    }
}

/// Type 22: channel management.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChannelManagement {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Spare bits.
    pub spare: u8,
    /// Channel A number.
    pub channel_a: u16,
    /// Channel B number.
    pub channel_b: u16,
    /// Tx/Rx mode.
    pub txrx: u8,
    /// Power: `true` = low.
    pub power: bool,
    /// Area or addressees (the `addressed` flag selects which).
    pub target: ChannelTarget,
    /// Channel A bandwidth flag.
    pub band_a: bool,
    /// Channel B bandwidth flag.
    pub band_b: bool,
    /// Transitional zone size, nautical miles − 1.
    pub zonesize: u8,
    /// Spare bits.
    pub spare2: u32,
}

/// The two parts of a type 24 message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StaticDataPart {
    /// Part A: the name.
    A {
        /// Ship name.
        shipname: AisStr<20>,
    },
    /// Part B: type, vendor, call sign and dimensions.
    B {
        /// Type of ship and cargo.
        shiptype: u8,
        /// Manufacturer's id, 3 characters.
        vendorid: AisStr<3>,
        /// Unit model code.
        model: u8,
        /// Unit serial number.
        serial: u32,
        /// Call sign.
        callsign: AisStr<7>,
        /// Dimensions, or the mother ship's MMSI for auxiliary craft.
        dims: Dimensions,
        /// Type of electronic position fixing device.
        epfd: u8,
        /// Spare bits.
        spare: u8,
    },
}

/// Hull dimensions, or for an auxiliary craft (MMSI 98xxxxxxx) the MMSI of
/// its mother ship, which takes the same 30 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimensions {
    /// Distances from the reference point, metres.
    Hull {
        /// To the bow.
        to_bow: u16,
        /// To the stern.
        to_stern: u16,
        /// To port.
        to_port: u8,
        /// To starboard.
        to_starboard: u8,
    },
    /// The mother ship's MMSI.
    Mothership(u32),
}

/// Type 24: static data report (class B).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StaticDataReport {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Part number, 0 (A) or 1 (B); 2 and 3 are invalid but kept.
    pub partno: u8,
    /// The part's fields.
    pub part: StaticDataPart,
}

/// Types 25 and 26: single- and multiple-slot binary messages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlotBinary<'a> {
    /// Type, repeat indicator and source MMSI.
    pub header: Header,
    /// Destination MMSI if addressed.
    pub dest_mmsi: Option<u32>,
    /// Spare bits after the destination (addressed messages only).
    pub spare: u8,
    /// Application identifier (DAC and FID) if structured.
    pub app_id: Option<u16>,
    /// The binary data.
    pub data: Bits<'a>,
    /// Radio state, type 26 only (selector bit and 19 bits of state).
    pub radio: Option<u32>,
}

/// A decoded AIS message. Data and free text borrow from the payload.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Message<'a> {
    /// Types 1, 2, 3.
    Position(PositionReport),
    /// Types 4 and 11.
    BaseStation(BaseStationReport),
    /// Type 5.
    StaticVoyage(StaticVoyage),
    /// Type 6.
    AddressedBinary(AddressedBinary<'a>),
    /// Types 7 and 13.
    Acknowledge(Acknowledge),
    /// Type 8.
    BroadcastBinary(BroadcastBinary<'a>),
    /// Type 9.
    SarAircraft(SarAircraftReport),
    /// Type 10.
    UtcInquiry(UtcInquiry),
    /// Type 12.
    AddressedSafety(AddressedSafety<'a>),
    /// Type 14.
    BroadcastSafety(BroadcastSafety<'a>),
    /// Type 15.
    Interrogation(Interrogation),
    /// Type 16.
    AssignmentMode(AssignmentMode),
    /// Type 17.
    DgnssBroadcast(DgnssBroadcast<'a>),
    /// Type 18.
    ClassBPosition(ClassBPosition),
    /// Type 19.
    ClassBExtended(ClassBExtended),
    /// Type 20.
    DataLinkManagement(DataLinkManagement),
    /// Type 21.
    AidToNavigation(AidToNavigation),
    /// Type 22.
    ChannelManagement(ChannelManagement),
    /// Type 23.
    GroupAssignment(GroupAssignment),
    /// Type 24.
    StaticData(StaticDataReport),
    /// Types 25 and 26.
    SlotBinary(SlotBinary<'a>),
    /// Type 27.
    LongRange(LongRangeReport),
}

fn need(bits: &Bits<'_>, min: usize) -> Result<(), Error> {
    if bits.len() < min {
        Err(Error::new(ErrorKind::TooShort, bits.len()))
    } else {
        Ok(())
    }
}

impl<'a> Message<'a> {
    /// Decodes one message from its payload bits.
    ///
    /// Fixed-length messages must be complete, except type 5 which may be
    /// 4 bits short (gpsd and pyais accept the 420-bit messages some
    /// transponders send); longer payloads are accepted and the extra bits
    /// ignored.
    #[inline]
    pub fn decode(bits: Bits<'a>) -> Result<Message<'a>, Error> {
        if bits.is_empty() {
            return Err(Error::new(ErrorKind::EmptyPayload, 0));
        }
        need(&bits, HEADER_BITS)?;
        let mut r = Reader::new(bits);
        let header = Header {
            msg_type: r.u8(6),
            repeat: r.u8(2),
            mmsi: r.u32(30),
        };
        let m = match header.msg_type {
            1..=3 => {
                need(&bits, PositionReport::BITS)?;
                Message::Position(PositionReport::read(header, &mut r))
            }
            4 | 11 => {
                need(&bits, BaseStationReport::BITS)?;
                Message::BaseStation(BaseStationReport::read(header, &mut r))
            }
            5 => {
                need(&bits, StaticVoyage::BITS - 4)?;
                Message::StaticVoyage(StaticVoyage::read(header, &mut r))
            }
            6 => {
                need(&bits, 88)?;
                Message::AddressedBinary(AddressedBinary {
                    header,
                    seqno: r.u8(2),
                    dest_mmsi: r.u32(30),
                    retransmit: r.b(),
                    spare: r.u8(1),
                    dac: r.u16(10),
                    fid: r.u8(6),
                    data: r.rest(),
                })
            }
            7 | 13 => {
                need(&bits, 72)?;
                let spare = r.u8(2);
                let mut acks = [(0, 0); 4];
                let mut count = 0;
                for a in &mut acks {
                    if r.remaining() < 30 {
                        break;
                    }
                    *a = (r.u32(30), r.u8(2));
                    count += 1;
                }
                Message::Acknowledge(Acknowledge {
                    header,
                    spare,
                    acks,
                    count,
                })
            }
            8 => {
                need(&bits, 56)?;
                Message::BroadcastBinary(BroadcastBinary {
                    header,
                    spare: r.u8(2),
                    dac: r.u16(10),
                    fid: r.u8(6),
                    data: r.rest(),
                })
            }
            9 => {
                need(&bits, SarAircraftReport::BITS)?;
                Message::SarAircraft(SarAircraftReport::read(header, &mut r))
            }
            10 => {
                need(&bits, UtcInquiry::BITS - 2)?;
                Message::UtcInquiry(UtcInquiry::read(header, &mut r))
            }
            12 => {
                need(&bits, 72)?;
                let seqno = r.u8(2);
                let dest_mmsi = r.u32(30);
                let retransmit = r.b();
                let spare = r.u8(1);
                Message::AddressedSafety(AddressedSafety {
                    header,
                    seqno,
                    dest_mmsi,
                    retransmit,
                    spare,
                    text: SixBitText(r.rest()),
                })
            }
            14 => {
                need(&bits, 40)?;
                let spare = r.u8(2);
                Message::BroadcastSafety(BroadcastSafety {
                    header,
                    spare,
                    text: SixBitText(r.rest()),
                })
            }
            15 => {
                need(&bits, 88)?;
                Message::Interrogation(Interrogation {
                    header,
                    spare: r.u8(2),
                    mmsi1: r.u32(30),
                    type1_1: r.u8(6),
                    offset1_1: r.u16(12),
                    spare2: r.u8(2),
                    type1_2: r.u8(6),
                    offset1_2: r.u16(12),
                    spare3: r.u8(2),
                    mmsi2: r.u32(30),
                    type2_1: r.u8(6),
                    offset2_1: r.u16(12),
                    spare4: r.u8(2),
                })
            }
            16 => {
                need(&bits, 92)?;
                Message::AssignmentMode(AssignmentMode {
                    header,
                    spare: r.u8(2),
                    mmsi1: r.u32(30),
                    offset1: r.u16(12),
                    increment1: r.u16(10),
                    mmsi2: r.u32(30),
                    offset2: r.u16(12),
                    increment2: r.u16(10),
                })
            }
            17 => {
                need(&bits, 80)?;
                Message::DgnssBroadcast(DgnssBroadcast {
                    header,
                    spare: r.u8(2),
                    lon: r.i32(18),
                    lat: r.i32(17),
                    spare2: r.u8(5),
                    data: r.rest(),
                })
            }
            18 => {
                need(&bits, ClassBPosition::BITS)?;
                Message::ClassBPosition(ClassBPosition::read(header, &mut r))
            }
            19 => {
                need(&bits, ClassBExtended::BITS)?;
                Message::ClassBExtended(ClassBExtended::read(header, &mut r))
            }
            20 => {
                need(&bits, 70)?;
                let spare = r.u8(2);
                let mut reservations = [Reservation::default(); 4];
                for res in &mut reservations {
                    *res = Reservation {
                        offset: r.u16(12),
                        number: r.u8(4),
                        timeout: r.u8(3),
                        increment: r.u16(11),
                    };
                }
                Message::DataLinkManagement(DataLinkManagement {
                    header,
                    spare,
                    reservations,
                })
            }
            21 => {
                need(&bits, 272)?;
                Message::AidToNavigation(read_aid(header, &mut r))
            }
            22 => {
                need(&bits, 168)?;
                Message::ChannelManagement(read_channel(header, &mut r))
            }
            23 => {
                need(&bits, GroupAssignment::BITS)?;
                Message::GroupAssignment(GroupAssignment::read(header, &mut r))
            }
            24 => {
                need(&bits, 40)?;
                let partno = r.u8(2);
                let part = if partno == 0 {
                    need(&bits, 160)?;
                    StaticDataPart::A {
                        shipname: r.text(20),
                    }
                } else {
                    need(&bits, 168)?;
                    let shiptype = r.u8(8);
                    let vendorid = r.text(3);
                    let model = r.u8(4);
                    let serial = r.u32(20);
                    let callsign = r.text(7);
                    let dims = if header.mmsi / 10_000_000 == 98 {
                        Dimensions::Mothership(r.u32(30))
                    } else {
                        Dimensions::Hull {
                            to_bow: r.u16(9),
                            to_stern: r.u16(9),
                            to_port: r.u8(6),
                            to_starboard: r.u8(6),
                        }
                    };
                    StaticDataPart::B {
                        shiptype,
                        vendorid,
                        model,
                        serial,
                        callsign,
                        dims,
                        epfd: r.u8(4),
                        spare: r.u8(2),
                    }
                };
                Message::StaticData(StaticDataReport {
                    header,
                    partno,
                    part,
                })
            }
            25 | 26 => {
                let radio_bits = if header.msg_type == 26 { 20 } else { 0 };
                need(&bits, 40 + radio_bits)?;
                let addressed = r.b();
                let structured = r.b();
                let (dest_mmsi, spare) = if addressed {
                    need(&bits, 72 + radio_bits)?;
                    (Some(r.u32(30)), r.u8(2))
                } else {
                    (None, 0)
                };
                let app_id = if structured {
                    need(&bits, r.pos() + 16 + radio_bits)?;
                    Some(r.u16(16))
                } else {
                    None
                };
                let rest = r.rest();
                let data_len = rest.len() - radio_bits;
                let data = rest.take(data_len);
                let radio = (radio_bits > 0).then(|| rest.get(data_len, 20) as u32);
                Message::SlotBinary(SlotBinary {
                    header,
                    dest_mmsi,
                    spare,
                    app_id,
                    data,
                    radio,
                })
            }
            27 => {
                need(&bits, LongRangeReport::BITS - 1)?;
                Message::LongRange(LongRangeReport::read(header, &mut r))
            }
            _ => return Err(Error::new(ErrorKind::UnknownType, 0)),
        };
        Ok(m)
    }

    /// The common header.
    pub fn header(&self) -> Header {
        match self {
            Message::Position(m) => m.header,
            Message::BaseStation(m) => m.header,
            Message::StaticVoyage(m) => m.header,
            Message::AddressedBinary(m) => m.header,
            Message::Acknowledge(m) => m.header,
            Message::BroadcastBinary(m) => m.header,
            Message::SarAircraft(m) => m.header,
            Message::UtcInquiry(m) => m.header,
            Message::AddressedSafety(m) => m.header,
            Message::BroadcastSafety(m) => m.header,
            Message::Interrogation(m) => m.header,
            Message::AssignmentMode(m) => m.header,
            Message::DgnssBroadcast(m) => m.header,
            Message::ClassBPosition(m) => m.header,
            Message::ClassBExtended(m) => m.header,
            Message::DataLinkManagement(m) => m.header,
            Message::AidToNavigation(m) => m.header,
            Message::ChannelManagement(m) => m.header,
            Message::GroupAssignment(m) => m.header,
            Message::StaticData(m) => m.header,
            Message::SlotBinary(m) => m.header,
            Message::LongRange(m) => m.header,
        }
    }

    /// Message type, 1–27.
    pub fn msg_type(&self) -> u8 {
        self.header().msg_type
    }

    /// Source MMSI.
    pub fn mmsi(&self) -> u32 {
        self.header().mmsi
    }

    /// Writes the payload bits (the encoder's half of [`Message::decode`]).
    pub fn write(&self, w: &mut BitWriter) {
        match self {
            Message::Position(m) => m.write(w),
            Message::BaseStation(m) => m.write(w),
            Message::StaticVoyage(m) => m.write(w),
            Message::AddressedBinary(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.seqno));
                w.put_u(30, u64::from(m.dest_mmsi));
                w.put_u(1, u64::from(m.retransmit));
                w.put_u(1, u64::from(m.spare));
                w.put_u(10, u64::from(m.dac));
                w.put_u(6, u64::from(m.fid));
                w.put_bits(m.data);
            }
            Message::Acknowledge(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                for &(mmsi, seq) in m.acks.iter().take(usize::from(m.count.clamp(1, 4))) {
                    w.put_u(30, u64::from(mmsi));
                    w.put_u(2, u64::from(seq));
                }
            }
            Message::BroadcastBinary(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                w.put_u(10, u64::from(m.dac));
                w.put_u(6, u64::from(m.fid));
                w.put_bits(m.data);
            }
            Message::SarAircraft(m) => m.write(w),
            Message::UtcInquiry(m) => m.write(w),
            Message::AddressedSafety(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.seqno));
                w.put_u(30, u64::from(m.dest_mmsi));
                w.put_u(1, u64::from(m.retransmit));
                w.put_u(1, u64::from(m.spare));
                w.put_bits(m.text.0);
            }
            Message::BroadcastSafety(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                w.put_bits(m.text.0);
            }
            Message::Interrogation(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                w.put_u(30, u64::from(m.mmsi1));
                w.put_u(6, u64::from(m.type1_1));
                w.put_u(12, u64::from(m.offset1_1));
                let second = m.type1_2 != 0 || m.offset1_2 != 0 || m.spare3 != 0;
                let third = m.mmsi2 != 0 || m.type2_1 != 0 || m.offset2_1 != 0 || m.spare4 != 0;
                if second || third || m.spare2 != 0 {
                    w.put_u(2, u64::from(m.spare2));
                }
                // The 110-bit form (two requests to station 1) ends with
                // spare3, so it goes with the second request, not the third.
                if second || third {
                    w.put_u(6, u64::from(m.type1_2));
                    w.put_u(12, u64::from(m.offset1_2));
                    w.put_u(2, u64::from(m.spare3));
                }
                if third {
                    w.put_u(30, u64::from(m.mmsi2));
                    w.put_u(6, u64::from(m.type2_1));
                    w.put_u(12, u64::from(m.offset2_1));
                    w.put_u(2, u64::from(m.spare4));
                }
            }
            Message::AssignmentMode(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                w.put_u(30, u64::from(m.mmsi1));
                w.put_u(12, u64::from(m.offset1));
                w.put_u(10, u64::from(m.increment1));
                if m.mmsi2 != 0 || m.offset2 != 0 || m.increment2 != 0 {
                    w.put_u(30, u64::from(m.mmsi2));
                    w.put_u(12, u64::from(m.offset2));
                    w.put_u(10, u64::from(m.increment2));
                } else {
                    // A single assignment is padded to 96 bits.
                    w.put_u(4, 0);
                }
            }
            Message::DgnssBroadcast(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                w.put_i(18, i64::from(m.lon));
                w.put_i(17, i64::from(m.lat));
                w.put_u(5, u64::from(m.spare2));
                w.put_bits(m.data);
            }
            Message::ClassBPosition(m) => m.write(w),
            Message::ClassBExtended(m) => m.write(w),
            Message::DataLinkManagement(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.spare));
                let n = m
                    .reservations
                    .iter()
                    .rposition(|r| *r != Reservation::default())
                    .map_or(1, |i| i + 1);
                for r in &m.reservations[..n] {
                    w.put_u(12, u64::from(r.offset));
                    w.put_u(4, u64::from(r.number));
                    w.put_u(3, u64::from(r.timeout));
                    w.put_u(11, u64::from(r.increment));
                }
            }
            Message::AidToNavigation(m) => write_aid(m, w),
            Message::ChannelManagement(m) => write_channel(m, w),
            Message::GroupAssignment(m) => m.write(w),
            Message::StaticData(m) => {
                m.header.write(w);
                w.put_u(2, u64::from(m.partno));
                match &m.part {
                    StaticDataPart::A { shipname } => w.put_text(20, shipname.as_bytes()),
                    StaticDataPart::B {
                        shiptype,
                        vendorid,
                        model,
                        serial,
                        callsign,
                        dims,
                        epfd,
                        spare,
                    } => {
                        w.put_u(8, u64::from(*shiptype));
                        w.put_text(3, vendorid.as_bytes());
                        w.put_u(4, u64::from(*model));
                        w.put_u(20, u64::from(*serial));
                        w.put_text(7, callsign.as_bytes());
                        match *dims {
                            Dimensions::Hull {
                                to_bow,
                                to_stern,
                                to_port,
                                to_starboard,
                            } => {
                                w.put_u(9, u64::from(to_bow));
                                w.put_u(9, u64::from(to_stern));
                                w.put_u(6, u64::from(to_port));
                                w.put_u(6, u64::from(to_starboard));
                            }
                            Dimensions::Mothership(mmsi) => w.put_u(30, u64::from(mmsi)),
                        }
                        w.put_u(4, u64::from(*epfd));
                        w.put_u(2, u64::from(*spare));
                    }
                }
            }
            Message::SlotBinary(m) => {
                m.header.write(w);
                w.put_u(1, u64::from(m.dest_mmsi.is_some()));
                w.put_u(1, u64::from(m.app_id.is_some()));
                if let Some(d) = m.dest_mmsi {
                    w.put_u(30, u64::from(d));
                    w.put_u(2, u64::from(m.spare));
                }
                if let Some(a) = m.app_id {
                    w.put_u(16, u64::from(a));
                }
                w.put_bits(m.data);
                if let Some(r) = m.radio {
                    w.put_u(20, u64::from(r));
                }
            }
            Message::LongRange(m) => m.write(w),
        }
    }
}

fn read_aid(header: Header, r: &mut Reader<'_>) -> AidToNavigation {
    let aid_type = r.u8(5);
    let name_bits = r.rest_take(120);
    let mut m = AidToNavigation {
        header,
        aid_type,
        name: AisStr::default(),
        accuracy: r.b(),
        lon: r.i32(28),
        lat: r.i32(27),
        to_bow: r.u16(9),
        to_stern: r.u16(9),
        to_port: r.u8(6),
        to_starboard: r.u8(6),
        epfd: r.u8(4),
        second: r.u8(6),
        off_position: r.b(),
        regional: r.u8(8),
        raim: r.b(),
        virtual_aid: r.b(),
        assigned: r.b(),
        spare: r.u8(1),
    };
    // The name extension (up to 14 characters) continues the name; the
    // standard pads it to a whole byte with spare bits, which are dropped.
    let ext = r.rest();
    let ext = ext.take(ext.len() / 6 * 6);
    m.name = AisStr::from_two(name_bits, ext);
    m
}

fn write_aid(m: &AidToNavigation, w: &mut BitWriter) {
    m.header.write(w);
    w.put_u(5, u64::from(m.aid_type));
    let name = m.name.as_bytes();
    w.put_text(20, name);
    w.put_u(1, u64::from(m.accuracy));
    w.put_i(28, i64::from(m.lon));
    w.put_i(27, i64::from(m.lat));
    w.put_u(9, u64::from(m.to_bow));
    w.put_u(9, u64::from(m.to_stern));
    w.put_u(6, u64::from(m.to_port));
    w.put_u(6, u64::from(m.to_starboard));
    w.put_u(4, u64::from(m.epfd));
    w.put_u(6, u64::from(m.second));
    w.put_u(1, u64::from(m.off_position));
    w.put_u(8, u64::from(m.regional));
    w.put_u(1, u64::from(m.raim));
    w.put_u(1, u64::from(m.virtual_aid));
    w.put_u(1, u64::from(m.assigned));
    w.put_u(1, u64::from(m.spare));
    if name.len() > 20 {
        let ext = &name[20..];
        w.put_text(ext.len(), ext);
        // Pad the extension to a whole byte, as the standard asks.
        let pad = (8 - (ext.len() * 6) % 8) % 8;
        w.put_u(pad as u32, 0);
    }
}

fn read_channel(header: Header, r: &mut Reader<'_>) -> ChannelManagement {
    let spare = r.u8(2);
    let channel_a = r.u16(12);
    let channel_b = r.u16(12);
    let txrx = r.u8(4);
    let power = r.b();
    let target_bits = r.rest_take(70);
    let addressed = r.b();
    let mut t = Reader::new(target_bits);
    let target = if addressed {
        ChannelTarget::Addressed {
            dest1: t.u32(30),
            spare1: t.u8(5),
            dest2: t.u32(30),
            spare2: t.u8(5),
        }
    } else {
        ChannelTarget::Area {
            ne_lon: t.i32(18),
            ne_lat: t.i32(17),
            sw_lon: t.i32(18),
            sw_lat: t.i32(17),
        }
    };
    ChannelManagement {
        header,
        spare,
        channel_a,
        channel_b,
        txrx,
        power,
        target,
        band_a: r.b(),
        band_b: r.b(),
        zonesize: r.u8(3),
        spare2: r.u32(23),
    }
}

fn write_channel(m: &ChannelManagement, w: &mut BitWriter) {
    m.header.write(w);
    w.put_u(2, u64::from(m.spare));
    w.put_u(12, u64::from(m.channel_a));
    w.put_u(12, u64::from(m.channel_b));
    w.put_u(4, u64::from(m.txrx));
    w.put_u(1, u64::from(m.power));
    let addressed = match m.target {
        ChannelTarget::Area {
            ne_lon,
            ne_lat,
            sw_lon,
            sw_lat,
        } => {
            w.put_i(18, i64::from(ne_lon));
            w.put_i(17, i64::from(ne_lat));
            w.put_i(18, i64::from(sw_lon));
            w.put_i(17, i64::from(sw_lat));
            false
        }
        ChannelTarget::Addressed {
            dest1,
            spare1,
            dest2,
            spare2,
        } => {
            w.put_u(30, u64::from(dest1));
            w.put_u(5, u64::from(spare1));
            w.put_u(30, u64::from(dest2));
            w.put_u(5, u64::from(spare2));
            true
        }
    };
    w.put_u(1, u64::from(addressed));
    w.put_u(1, u64::from(m.band_a));
    w.put_u(1, u64::from(m.band_b));
    w.put_u(3, u64::from(m.zonesize));
    w.put_u(23, u64::from(m.spare2));
}
