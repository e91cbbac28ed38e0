//! CSV tables of positions and static data, one row per message.

use std::io::{self, Write};

use crate::decoder::Meta;
use crate::message::{self, Dimensions, Message, StaticDataPart};

/// Which CSV table to write.
///
/// Columns of [`CsvTable::Positions`] (types 1, 2, 3, 4, 9, 11, 18, 19, 21, 27):
/// `received_ms,mmsi,type,lat,lon,speed_kn,course_deg,heading_deg,status,turn_deg_min,accuracy,second,channel`.
/// `lat`/`lon` in degrees (WGS 84), speed in knots, course and heading in
/// degrees; a cell is empty where the message lacks the field or the value
/// is "not available". `turn_deg_min` is empty for "turning fast" too.
///
/// Columns of [`CsvTable::Statics`] (types 5, 19, 21, 24):
/// `received_ms,mmsi,type,part,imo,callsign,shipname,shiptype,to_bow,to_stern,to_port,to_starboard,draught_m,eta,destination`,
/// with `eta` as `MM-DDTHH:MM` and `part` A/B for type 24.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvTable {
    /// Position reports.
    Positions,
    /// Static and voyage data.
    Statics,
}

const POSITION_HEADER: &str = "received_ms,mmsi,type,lat,lon,speed_kn,course_deg,heading_deg,status,turn_deg_min,accuracy,second,channel";
const STATIC_HEADER: &str = "received_ms,mmsi,type,part,imo,callsign,shipname,shiptype,to_bow,to_stern,to_port,to_starboard,draught_m,eta,destination";

/// Writes the header line of `table` (with its line end).
pub fn write_csv_header<W: Write>(table: CsvTable, out: &mut W) -> io::Result<()> {
    let h = match table {
        CsvTable::Positions => POSITION_HEADER,
        CsvTable::Statics => STATIC_HEADER,
    };
    writeln!(out, "{h}")
}

fn opt<W: Write, T: std::fmt::Display>(out: &mut W, v: Option<T>) -> io::Result<()> {
    match v {
        Some(v) => write!(out, ",{v}"),
        None => out.write_all(b","),
    }
}

fn text<W: Write>(out: &mut W, s: &[u8]) -> io::Result<()> {
    // AIS text has no quotes or line ends but may hold commas.
    if s.contains(&b',') || s.contains(&b'"') {
        out.write_all(b",\"")?;
        for &c in s {
            if c == b'"' {
                out.write_all(b"\"\"")?;
            } else {
                out.write_all(&[c])?;
            }
        }
        out.write_all(b"\"")
    } else {
        out.write_all(b",")?;
        out.write_all(s)
    }
}

struct Pos {
    lat: Option<f64>,
    lon: Option<f64>,
    speed: Option<f32>,
    course: Option<f32>,
    heading: Option<u16>,
    status: Option<u8>,
    turn: Option<f32>,
    accuracy: bool,
    second: Option<u8>,
}

fn position(msg: &Message<'_>) -> Option<Pos> {
    let p = match msg {
        Message::Position(m) => Pos {
            lat: m.lat_deg(),
            lon: m.lon_deg(),
            speed: m.speed_knots(),
            course: m.course_deg(),
            heading: message::heading_deg(m.heading),
            status: Some(m.status),
            turn: m.turn_deg_min(),
            accuracy: m.accuracy,
            second: Some(m.second),
        },
        Message::BaseStation(m) => Pos {
            lat: message::lat_deg(m.lat),
            lon: message::lon_deg(m.lon),
            speed: None,
            course: None,
            heading: None,
            status: None,
            turn: None,
            accuracy: m.accuracy,
            second: Some(m.second),
        },
        Message::SarAircraft(m) => Pos {
            lat: message::lat_deg(m.lat),
            lon: message::lon_deg(m.lon),
            speed: (m.speed < 1023).then_some(f32::from(m.speed)),
            course: message::course_deg(m.course),
            heading: None,
            status: None,
            turn: None,
            accuracy: m.accuracy,
            second: Some(m.second),
        },
        Message::ClassBPosition(m) => Pos {
            lat: message::lat_deg(m.lat),
            lon: message::lon_deg(m.lon),
            speed: message::speed_knots(m.speed),
            course: message::course_deg(m.course),
            heading: message::heading_deg(m.heading),
            status: None,
            turn: None,
            accuracy: m.accuracy,
            second: Some(m.second),
        },
        Message::ClassBExtended(m) => Pos {
            lat: message::lat_deg(m.lat),
            lon: message::lon_deg(m.lon),
            speed: message::speed_knots(m.speed),
            course: message::course_deg(m.course),
            heading: message::heading_deg(m.heading),
            status: None,
            turn: None,
            accuracy: m.accuracy,
            second: Some(m.second),
        },
        Message::AidToNavigation(m) => Pos {
            lat: message::lat_deg(m.lat),
            lon: message::lon_deg(m.lon),
            speed: None,
            course: None,
            heading: None,
            status: None,
            turn: None,
            accuracy: m.accuracy,
            second: Some(m.second),
        },
        Message::LongRange(m) => Pos {
            // 1/10 minute: scale to the 1/10,000 minute helpers.
            lat: message::lat_deg(m.lat.saturating_mul(1000)),
            lon: message::lon_deg(m.lon.saturating_mul(1000)),
            speed: (m.speed < 63).then_some(f32::from(m.speed)),
            course: (m.course < 360).then_some(f32::from(m.course)),
            heading: None,
            status: Some(m.status),
            turn: None,
            accuracy: m.accuracy,
            second: None,
        },
        _ => return None,
    };
    Some(p)
}

/// Writes one row (with its line end) if `msg` belongs in `table`;
/// returns whether it did.
pub fn write_csv_row<W: Write>(
    table: CsvTable,
    meta: &Meta,
    msg: &Message<'_>,
    out: &mut W,
) -> io::Result<bool> {
    let h = msg.header();
    match table {
        CsvTable::Positions => {
            let Some(p) = position(msg) else {
                return Ok(false);
            };
            if let Some(t) = meta.time_ms {
                write!(out, "{t}")?;
            }
            write!(out, ",{},{}", h.mmsi, h.msg_type)?;
            opt(out, p.lat.map(Deg))?;
            opt(out, p.lon.map(Deg))?;
            opt(out, p.speed)?;
            opt(out, p.course)?;
            opt(out, p.heading)?;
            opt(out, p.status)?;
            opt(out, p.turn.map(|t| t.round()))?;
            write!(out, ",{}", u8::from(p.accuracy))?;
            opt(out, p.second)?;
            if meta.channel != 0 {
                write!(out, ",{}", char::from(meta.channel))?;
            } else {
                out.write_all(b",")?;
            }
        }
        CsvTable::Statics => {
            let none = b"".as_slice();
            let (part, imo, callsign, shipname, shiptype, dims, draught, eta, dest) = match msg {
                Message::StaticVoyage(m) => (
                    "",
                    Some(m.imo),
                    m.callsign.as_bytes(),
                    m.shipname.as_bytes(),
                    Some(m.shiptype),
                    Some((m.to_bow, m.to_stern, m.to_port, m.to_starboard)),
                    Some(f32::from(m.draught) / 10.0),
                    Some((m.month, m.day, m.hour, m.minute)),
                    m.destination.as_bytes(),
                ),
                Message::ClassBExtended(m) => (
                    "",
                    None,
                    none,
                    m.shipname.as_bytes(),
                    Some(m.shiptype),
                    Some((m.to_bow, m.to_stern, m.to_port, m.to_starboard)),
                    None,
                    None,
                    none,
                ),
                Message::AidToNavigation(m) => (
                    "",
                    None,
                    none,
                    m.name.as_bytes(),
                    Some(m.aid_type),
                    Some((m.to_bow, m.to_stern, m.to_port, m.to_starboard)),
                    None,
                    None,
                    none,
                ),
                Message::StaticData(m) => match &m.part {
                    StaticDataPart::A { shipname } => (
                        "A",
                        None,
                        none,
                        shipname.as_bytes(),
                        None,
                        None,
                        None,
                        None,
                        none,
                    ),
                    StaticDataPart::B {
                        shiptype,
                        callsign,
                        dims,
                        ..
                    } => {
                        let d = match *dims {
                            Dimensions::Hull {
                                to_bow,
                                to_stern,
                                to_port,
                                to_starboard,
                            } => Some((to_bow, to_stern, to_port, to_starboard)),
                            Dimensions::Mothership(_) => None,
                        };
                        (
                            "B",
                            None,
                            callsign.as_bytes(),
                            none,
                            Some(*shiptype),
                            d,
                            None,
                            None,
                            none,
                        )
                    }
                },
                _ => return Ok(false),
            };
            if let Some(t) = meta.time_ms {
                write!(out, "{t}")?;
            }
            write!(out, ",{},{},{part}", h.mmsi, h.msg_type)?;
            opt(out, imo)?;
            text(out, callsign)?;
            text(out, shipname)?;
            opt(out, shiptype)?;
            match dims {
                Some((a, b, c, d)) => write!(out, ",{a},{b},{c},{d}")?,
                None => out.write_all(b",,,,")?,
            }
            opt(out, draught)?;
            opt(
                out,
                eta.map(|(mo, d, h, mi)| format!("{mo:02}-{d:02}T{h:02}:{mi:02}")),
            )?;
            text(out, dest)?;
        }
    }
    out.write_all(b"\n")?;
    Ok(true)
}

/// Degrees with seven decimals, the resolution of 1/10,000 minute.
struct Deg(f64);

impl std::fmt::Display for Deg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.7}", self.0)
    }
}
